/*
 * hoctap-report against a real database whose marts are filled directly
 * from tests/data/report/marts.sql (no transform involved): every file in
 * both formats, the exact figures (70.68% = 5557 / 7862; Hà Tĩnh 179701 ->
 * 309845, +130144), null where the base is 0, byte-identical reruns, the
 * manifest's hashes, --excel's BOM, ";" and decimal commas, Vietnamese
 * text, a failed run leaving the previous files alone, the hoctap_report role sufficing, --explain,
 * the JSON Schemas, scripts/show-figures and the command line.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "lengthof.h"
#include "sha256.h"
#include "testsupport.h"

static const char *const tables[] = {"rates",   "comparison", "funds",
                                     "completeness", "targets", "rankings", "findings"};
static const int table_rows[] = {14, 9, 3, 4, 3, 16, 3};
#define NTABLES (lengthof(tables))

/* A migrated database with the test marts in it. */
static char *marts_db(void)
{
	char *db = hx_test_db_create(1);
	char *path = hx_test_src("tests/data/report/marts.sql");
	char *sql = hx_test_read_file(path, NULL);
	PGconn *conn;

	cr_assert(sql != NULL, "cannot read %s", path);
	conn = hx_test_db_connect(db);
	hx_test_db_exec(conn, sql);
	PQfinish(conn);
	free(sql);
	free(path);
	return db;
}

/*
 * What each test of the report suite works on, made by setup and removed
 * by teardown whatever the test reached (a failed assertion leaves the
 * test at once; .fini still runs): the marts database, an empty output
 * directory, and a second, empty, database a test may make.
 */
static char *db, *out, *empty_db;

static void setup(void)
{
	db = marts_db();
	out = hx_test_tempdir();
}

static void teardown(void)
{
	hx_test_db_discard(&empty_db);
	hx_test_db_discard(&db);
	hx_test_dir_discard(&out);
}

TestSuite(report, .init = setup, .fini = teardown);

/* hoctap-report -d CONNINFO ARGS... (args NULL-terminated), with env ("K=V", NULL-terminated). */
static void report_env(const char *conninfo, const char *const *args, const char *const *env,
                       struct hx_test_output *o)
{
	const char *argv[16];
	char bin[4096], dflag[512];
	size_t n = 0;

	snprintf(bin, sizeof bin, "%s", hx_test_bin("hoctap-report"));
	argv[n++] = bin;
	if (conninfo != NULL) {
		snprintf(dflag, sizeof dflag, "-d%s", conninfo);
		argv[n++] = dflag;
	}
	for (; args != NULL && *args != NULL && n < 15; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	hx_test_run(argv, env, o);
}

static void report(const char *conninfo, const char *const *args, struct hx_test_output *o)
{
	report_env(conninfo, args, NULL, o);
}

/* Run a report into outdir, asserting exit 0. */
static void report_ok(const char *conninfo, const char *outdir, const char *a1, const char *a2)
{
	const char *args[] = {"-o", outdir, a1, a2, NULL};
	struct hx_test_output o;

	report(conninfo, args, &o);
	cr_assert(eq(int, o.status, 0), "hoctap-report: %s", o.err);
	hx_test_output_free(&o);
}

static char *file_in(const char *dir, const char *name, const char *ext)
{
	return hx_asprintf("%s/%s%s", dir, name, ext);
}

static char *slurp(const char *dir, const char *name, const char *ext, size_t *len)
{
	char *path = file_in(dir, name, ext);
	char *s = hx_test_read_file(path, len);

	cr_assert(s != NULL, "%s does not exist", path);
	free(path);
	return s;
}

/* Records of a CSV text (newlines outside quotes), less the header. */
static int csv_rows(const char *s)
{
	int n = 0, inq = 0;

	for (; *s; s++) {
		if (*s == '"')
			inq = !inq;
		else if (*s == '\n' && !inq)
			n++;
	}
	return n - 1;
}

static int json_rows(const char *dir, const char *name)
{
	char *path = file_in(dir, name, ".json");
	json_error_t jerr;
	json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	int n, is_array;

	cr_assert(doc != NULL, "%s: line %d: %s", path, jerr.line, jerr.text);
	is_array = json_is_array(json_object_get(doc, "rows"));
	cr_assert(is_array, "%s has no rows array", path);
	n = (int)json_array_size(json_object_get(doc, "rows"));
	json_decref(doc);
	free(path);
	return n;
}

/* The text with the line holding "generated_at" removed (for comparing runs). */
static char *without_generated_at(const char *s)
{
	const char *p = strstr(s, "\"generated_at\"");
	const char *bol, *eol;
	char *r;

	cr_assert(p != NULL);
	for (bol = p; bol > s && bol[-1] != '\n'; bol--)
		;
	eol = strchr(p, '\n');
	cr_assert(eol != NULL);
	r = hx_malloc(strlen(s) + 1);
	memcpy(r, s, (size_t)(bol - s));
	strcpy(r + (bol - s), eol + 1);
	return r;
}

static void assert_has(const char *text, const char *want, const char *where)
{
	cr_assert(strstr(text, want) != NULL, "%s lacks\n%s\n--- it has:\n%s", where, want, text);
}

Test(report, every_file_in_both_formats_with_matching_row_counts)
{
	char *manifest;

	report_ok(db, out, NULL, NULL);
	manifest = slurp(out, "manifest", ".json", NULL);
	for (size_t i = 0; i < NTABLES; i++) {
		char *csv = slurp(out, tables[i], ".csv", NULL);
		char want[160];

		cr_assert(eq(int, csv_rows(csv), table_rows[i]), "%s.csv", tables[i]);
		cr_assert(eq(int, json_rows(out, tables[i]), table_rows[i]), "%s.json", tables[i]);
		snprintf(want, sizeof want, "{\"name\": \"%s.csv\", \"format\": \"csv\", \"rows\": %d,",
		         tables[i], table_rows[i]);
		assert_has(manifest, want, "manifest.json");
		snprintf(want, sizeof want, "{\"name\": \"%s.json\", \"format\": \"json\", \"rows\": %d,",
		         tables[i], table_rows[i]);
		assert_has(manifest, want, "manifest.json");
		free(csv);
	}
	free(manifest);
}

Test(report, exact_figures_with_numerator_and_denominator_and_null_bases)
{
	char *rates, *rates_json, *cmp, *funds, *funds_json, *targets, *compl_json, *cmp_json;

	report_ok(db, out, NULL, NULL);
	rates = slurp(out, "rates", ".csv", NULL);
	/* The published 70.68% of households, 5,557 / 7,862, and Vietnamese intact. */
	assert_has(rates, "\ndistrict,437,Thị xã Hồng Lĩnh,42,,2020,family,,,7862,7500,5557,20,"
	                  "70.68,5557,7862,74.09,5557,7500,1,1,commune,false\n", "rates.csv");
	/* A base of 0 or unknown: empty cells, never 0% or a division error. */
	assert_has(rates, "\ndistrict,449,Thị xã Kỳ Anh,42,,2020,family,,,0,10,5,0,,5,0,50.00,5,10,"
	                  "1,1,commune,false\n", "rates.csv");
	assert_has(rates, "\ndistrict,437,Thị xã Hồng Lĩnh,42,,2020,clan,,,,0,0,,,,,,0,0,1,1,commune,"
	                  "false\n", "rates.csv");
	/* Sorted: header, the province first, then districts by code. */
	cr_assert(strncmp(rates, "scope_level,scope_code,scope_name,province_code,district_code,"
	                         "year,title,level,group,eligible,registered,recognized,exemplary,"
	                         "rate_eligible,rate_eligible_num,rate_eligible_den,rate_registered,",
	                  146) == 0, "%s", rates);
	assert_has(rates, "commune,false\nprovince,42,Tỉnh Hà Tĩnh,42,,2020,family,,,438400,377500,"
	                  "309845,", "rates.csv");

	rates_json = slurp(out, "rates", ".json", NULL);
	assert_has(rates_json, "\"scope_name\": \"Thị xã Hồng Lĩnh\", \"province_code\": \"42\", "
	                       "\"district_code\": null, \"year\": 2020, \"title\": \"family\", "
	                       "\"level\": null, \"group\": null, \"eligible\": 7862, "
	                       "\"registered\": 7500, \"recognized\": 5557, \"exemplary\": 20, "
	                       "\"rate_eligible\": 70.68, \"rate_eligible_num\": 5557, "
	                       "\"rate_eligible_den\": 7862,", "rates.json");
	/* Decimals keep their digits: 0.10, not 0.1 or 0.10000000000000001. */
	assert_has(rates_json, "\"rate_registered\": 0.10, \"rate_registered_num\": 1, "
	                       "\"rate_registered_den\": 1000,", "rates.json");
	assert_has(rates_json, "\"rate_eligible\": null, \"rate_eligible_num\": 5, "
	                       "\"rate_eligible_den\": 0,", "rates.json");
	assert_has(rates_json, "\"data_as_of\": \"2026-11-22T18:00:00Z\",\n", "rates.json");

	cmp = slurp(out, "comparison", ".csv", NULL);
	/* Hà Tĩnh: 179,701 -> 309,845 recognised learning families, +130,144, +72.42%. */
	assert_has(cmp, "\nprovince,42,Tỉnh Hà Tĩnh,42,,family,eligible,2016,2020,,,false,420000,438400,18400,"
	                "200000,377500,177500,179701,309845,130144,1500,2100,600,4,3,"
	                "42.79,179701,420000,70.68,309845,438400,27.89,"
	                "89.85,179701,200000,82.08,309845,377500,-7.77,27.89,72.42,true\n",
	           "comparison.csv");
	/* Growth of exactly +-0.005%: rounded half away from zero (half-even would give 0.00). */
	assert_has(cmp, ",0.00,0.00,0.01,\n", "comparison.csv (436 community)");
	/* delta_pp from the exact ratios: 19999/30000 - 20000/30000 is -0.0033 pp, so 0.00,
	 * although the printed rates 66.66 and 66.67 differ by 0.01. */
	assert_has(cmp, ",66.67,20000,30000,66.66,19999,30000,0.00,0.00,-0.01,true\n",
	           "comparison.csv (445 community)");
	/* District 438 ended in 2019: its 2016 sums are added into 445's before dividing. */
	assert_has(cmp, "\ndistrict,445,Huyện Thạch Hà,42,,family,eligible,2016,2020,438,,false,252000,300000,"
	                "48000,201500,250000,48500,151000,204000,53000,705,2000,1295,3,1,"
	                "59.92,151000,252000,68.00,204000,300000,8.08,", "comparison.csv");
	cr_assert(strstr(cmp, "\ndistrict,438,") == NULL, "438 has its own row:\n%s", cmp);
	/* Present in 2020 only: the 2016 side, the deltas and the growth are empty. */
	assert_has(cmp, "\ndistrict,449,Thị xã Kỳ Anh,42,,family,eligible,2016,2020,,,false,,0,,,10,,,"
	                "5,,,0,,,1,,,,,5,0,,,,,50.00,5,10,,,,false\n", "comparison.csv");
	cmp_json = slurp(out, "comparison", ".json", NULL);
	assert_has(cmp_json, "\"merged_from\": [\"438\"]", "comparison.json");
	assert_has(cmp_json, "\"merged_from\": [], \"split_from\": [], \"approximate\": false, "
	                     "\"eligible_a\": 420000", "comparison.json");
	assert_has(cmp_json, "\"delta_pp\": null, \"growth_percent\": null, \"provisional\": false}",
	           "comparison.json");

	funds = slurp(out, "funds", ".csv", NULL);
	/*
	 * 346,458 million VND; divisions by a million are exact, no binary
	 * rounding.  The period columns sum 2016..2020 (--compare) up to the row.
	 */
	assert_has(funds, "\nprovince,42,Tỉnh Hà Tĩnh,42,2020,346458000000,346458,346458000001,1200,"
	                  "950000000,3,2,346458000001,346458.000001,1203,953000000,true\n", "funds.csv");
	assert_has(funds, "\nprovince,42,Tỉnh Hà Tĩnh,42,2016,1,0.000001,1,3,3000000,1,"
	                  "1,1,0.000001,3,3000000,false\n", "funds.csv");
	assert_has(funds, "\ndistrict,436,Thành phố Hà Tĩnh,42,2020,150500000,150.5,150500000,,,1,"
	                  "1,150500000,150.5,,,false\n", "funds.csv");
	funds_json = slurp(out, "funds", ".json", NULL);
	assert_has(funds_json, "\"mobilized_million_vnd\": 150.5,", "funds.json");

	targets = slurp(out, "targets", ".csv", NULL);
	assert_has(targets, "\nprovince,42,Tỉnh Hà Tĩnh,42,family,,2020,70.00,281/QĐ-TTg,70.68,"
	                    "eligible,309845,438400,0.68,true,true\n", "targets.csv");
	assert_has(targets, "\ndistrict,437,Thị xã Hồng Lĩnh,42,clan,,2020,40.00,targets.csv,,"
	                    "registered,0,0,,,false\n", "targets.csv");
	assert_has(targets, "\ndistrict,445,Huyện Thạch Hà,42,unit,,2020,30.00,targets.csv,0.10,"
	                    "registered,1,1000,-29.90,false,true\n", "targets.csv");

	compl_json = slurp(out, "completeness", ".json", NULL);
	assert_has(compl_json, "\"percent\": 75.00, \"missing\": [\"18109\"]}", "completeness.json");
	assert_has(compl_json, "\"percent\": null, \"missing\": []}", "completeness.json");

	free(rates);
	free(rates_json);
	free(cmp);
	free(cmp_json);
	free(funds);
	free(funds_json);
	free(targets);
	free(compl_json);
}

Test(report, findings_are_quoted_and_errors_come_first)
{
	char *csv, *json;

	report_ok(db, out, "--format", "csv,json");
	csv = slurp(out, "findings", ".csv", NULL);
	cr_assert(eq(str, csv,
	             "code,severity,province_code,unit_code,year,title,message,file,line\n"
	             "invariant_recognized_registered,error,42,18109,2020,family,\"Xã Thạch Trị, 2020, "
	             "family: recognized 1200 exceeds registered 900 (\"\"đạt\"\" > \"\"đăng ký\"\")\","
	             "inbox/445_2020.csv,7\n"
	             "invalid_unit_code,error,42,18999,2016,,unit 18999 was no longer valid in 2016,"
	             "inbox/old.csv,2\n"
	             "reported_rate_mismatch,warning,42,18070,2020,family,\"Phường Trần Phú, 2020, "
	             "family: reported 37,28% but 5557 / 7862 is 70.68%\",inbox/437_2020.csv,3\n"));
	json = slurp(out, "findings", ".json", NULL);
	assert_has(json, "\"message\": \"Xã Thạch Trị, 2020, family: recognized 1200 exceeds "
	                 "registered 900 (\\\"đạt\\\" > \\\"đăng ký\\\")\", \"file\": "
	                 "\"inbox/445_2020.csv\", \"line\": 7}", "findings.json");
	assert_has(json, "\"year\": 2016, \"title\": null,", "findings.json");
	free(csv);
	free(json);
}

/* Two runs a second apart, into out and *out2 (made here); their manifests. */
static void two_runs(char **out2, char **m1, char **m2)
{
	*out2 = hx_test_tempdir();
	report_ok(db, out, NULL, NULL);
	sleep(1); /* a different generated_at */
	report_ok(db, *out2, NULL, NULL);
	*m1 = slurp(out, "manifest", ".json", NULL);
	*m2 = slurp(*out2, "manifest", ".json", NULL);
}

Test(report, two_runs_are_identical_but_for_generated_at)
{
	char *out2, *m1, *m2;

	two_runs(&out2, &m1, &m2);
	cr_assert(strcmp(m1, m2) != 0, "generated_at did not change");
	for (size_t i = 0; i < NTABLES; i++) {
		size_t l1, l2;
		char *c1 = slurp(out, tables[i], ".csv", &l1), *c2 = slurp(out2, tables[i], ".csv", &l2);
		char *j1 = slurp(out, tables[i], ".json", NULL), *j2 = slurp(out2, tables[i], ".json", NULL);
		char *s1 = without_generated_at(j1), *s2 = without_generated_at(j2);

		cr_assert(l1 == l2 && memcmp(c1, c2, l1) == 0, "%s.csv differs between runs", tables[i]);
		cr_assert(strcmp(j1, j2) != 0, "%s.json: generated_at did not change", tables[i]);
		cr_assert(eq(str, s1, s2), "%s.json differs beyond generated_at", tables[i]);
		free(c1);
		free(c2);
		free(j1);
		free(j2);
		free(s1);
		free(s2);
	}
	free(m1);
	free(m2);
	hx_test_rmtree(out2);
	free(out2);
}

/* The manifest's sha256 is that of each file as written, and it lists the inputs. */
Test(report, the_manifest_hashes_match_the_files)
{
	char *out2, *m1, *m2;

	two_runs(&out2, &m1, &m2);
	for (size_t i = 0; i < NTABLES; i++) {
		size_t l1;
		char *c1 = slurp(out, tables[i], ".csv", &l1);
		char *j2 = slurp(out2, tables[i], ".json", NULL);
		char hex[HX_SHA256_HEXLEN + 1], want[200];

		hx_sha256_hex(c1, l1, hex);
		snprintf(want, sizeof want, "\"%s.csv\", \"format\": \"csv\", \"rows\": %d, "
		         "\"sha256\": \"%s\"}", tables[i], table_rows[i], hex);
		assert_has(m1, want, "manifest.json");
		assert_has(m2, want, "manifest.json");
		hx_sha256_hex(j2, strlen(j2), hex);
		snprintf(want, sizeof want, "\"%s.json\", \"format\": \"json\", \"rows\": %d, "
		         "\"sha256\": \"%s\"}", tables[i], table_rows[i], hex);
		assert_has(m2, want, "manifest.json");
		free(c1);
		free(j2);
	}
	/* Every input the marts came from, with its sha256, in ingest order. */
	assert_has(m1, "  \"inputs\": [\n    {\"file_id\": 1, \"name\": \"inbox/437_2020.csv\", "
	               "\"sha256\": \"aa1f0a4bd3e4b0b0ab7fb2b7e3dd6c5e36e4fc3b6a0b1dfb4f83c2bb1f6a1c01\", "
	               "\"size_bytes\": 812, \"status\": \"loaded\", "
	               "\"ingested_at\": \"2026-11-22T18:00:00Z\"},\n    {\"file_id\": 2, "
	               "\"name\": \"inbox/445_2020.csv\", \"sha256\": "
	               "\"bb2f0a4bd3e4b0b0ab7fb2b7e3dd6c5e36e4fc3b6a0b1dfb4f83c2bb1f6a1c02\", "
	               "\"size_bytes\": 1490, \"status\": \"partial\", "
	               "\"ingested_at\": \"2026-11-22T11:05:00Z\"}\n  ],\n", "manifest.json");
	assert_has(m1, "\"data_as_of\": \"2026-11-22T18:00:00Z\",\n  \"transformed_at\": "
	               "\"2026-11-22T23:00:00Z\",\n  \"compare\": {\"year_a\": 2016, \"year_b\": 2020},",
	           "manifest.json");
	free(m1);
	free(m2);
	hx_test_rmtree(out2);
	free(out2);
}

/* The plain CSV with "," between fields turned into ";" and decimal points into commas. */
static char *as_excel(const char *csv)
{
	char *r = hx_malloc(strlen(csv) + 1), *o = r;
	int inq = 0;

	for (const char *p = csv; *p; p++) {
		if (*p == '"')
			inq = !inq;
		if (!inq && *p == ',')
			*o++ = ';';
		else if (!inq && *p == '.' && p > csv && p[-1] >= '0' && p[-1] <= '9' && p[1] >= '0' &&
		         p[1] <= '9')
			*o++ = ',';
		else
			*o++ = *p;
	}
	*o = '\0';
	return r;
}

Test(report, excel_writes_bom_semicolons_and_decimal_commas_to_csv_only)
{
	char *plain = out, *excel = hx_test_tempdir();

	report_ok(db, plain, NULL, NULL);
	report_ok(db, excel, "--excel", NULL);
	for (size_t i = 0; i < NTABLES; i++) {
		size_t lp, le;
		char *p = slurp(plain, tables[i], ".csv", &lp), *e = slurp(excel, tables[i], ".csv", &le);
		char *j = slurp(excel, tables[i], ".json", NULL);
		char *want;

		cr_assert(lp > 3 && memcmp(p, "\xEF\xBB\xBF", 3) != 0, "%s.csv has a BOM", tables[i]);
		cr_assert(le > 3 && memcmp(e, "\xEF\xBB\xBF", 3) == 0, "%s.csv with --excel has no BOM",
		          tables[i]);
		/* The test data's texts hold no "," or ";" or "." between digits: a plain mapping. */
		if (strcmp(tables[i], "findings") != 0) {
			want = as_excel(p);
			cr_assert(strcmp(e + 3, want) == 0, "%s.csv with --excel:\n%s\nwant:\n%s", tables[i],
			          e + 3, want);
			free(want);
		}
		cr_assert(j[0] == '{', "%s.json starts with %02x", tables[i], (unsigned char)j[0]);
		free(p);
		free(e);
		free(j);
	}
	{
		char *rates = slurp(excel, "rates", ".csv", NULL);

		assert_has(rates, ";7862;7500;5557;20;70,68;5557;7862;74,09;", "rates.csv with --excel");
		free(rates);
	}
	hx_test_rmtree(excel);
	free(excel);
}

Test(report, vietnamese_comes_through_whatever_the_client_encoding)
{
	const char *args[] = {"-o", out, NULL};
	const char *env[] = {"PGCLIENTENCODING=LATIN1", NULL};
	struct hx_test_output o;
	char *rates, *json;

	report_env(db, args, env, &o);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	rates = slurp(out, "rates", ".csv", NULL);
	assert_has(rates, "\ndistrict,445,Huyện Thạch Hà,42,,2016,family,", "rates.csv");
	json = slurp(out, "completeness", ".json", NULL);
	assert_has(json, "\"scope_name\": \"Thị xã Hồng Lĩnh\"", "completeness.json");
	free(rates);
	free(json);
}

/* hoctap-report -o out --format=csv --compare 2020:2016, asserting success. */
static void report_csv_2020_2016(void)
{
	const char *args[] = {"-o", out, "--format=csv", "--compare", "2020:2016", NULL};
	struct hx_test_output o;

	report(db, args, &o);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
}

Test(report, one_format_writes_only_its_files)
{
	char *path;

	report_csv_2020_2016();
	path = file_in(out, "rates", ".csv");
	cr_assert(access(path, F_OK) == 0, "--format=csv did not write %s", path);
	free(path);
	path = file_in(out, "rates", ".json");
	cr_assert(access(path, F_OK) != 0, "--format=csv wrote %s", path);
	free(path);
}

Test(report, compare_takes_another_pair_of_years)
{
	char *cmp;

	report_csv_2020_2016();
	cmp = slurp(out, "comparison", ".csv", NULL);
	/* 309,845 -> 179,701: -130,144, i.e. -42.00%. */
	assert_has(cmp, "\nprovince,42,Tỉnh Hà Tĩnh,42,,family,eligible,2020,2016,,,false,438400,420000,-18400,",
	           "comparison.csv");
	assert_has(cmp, ",-27.89,-42.00,true\n", "comparison.csv");
	/* On the units of the later year, 2020, whichever is A: 438, which ended
	 * in 2019, has its 2016 figures added into 445 and no row of its own. */
	assert_has(cmp, "\ndistrict,445,Huyện Thạch Hà,42,,family,eligible,2020,2016,438,,false,"
	                "300000,252000,-48000,", "comparison.csv");
	cr_assert(strstr(cmp, "\ndistrict,438,") == NULL, "438 has its own row:\n%s", cmp);
	free(cmp);
}

/* Whether dir holds an entry starting with '.' (a left-over temporary directory). */
static int has_dot_entry(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	cr_assert(d != NULL);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] == '.' && strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			found = 1;
	closedir(d);
	return found;
}

/*
 * A login role with nothing but hoctap_report, named per process; not
 * "hoctap_..." (test_migrate lists those).  Dropped in .fini, which runs
 * also when an assertion fails.
 */
static char newsroom[64];

static void drop_newsroom(void)
{
	char sql[128];
	PGconn *conn;

	if (newsroom[0] == '\0')
		return;
	conn = hx_test_db_connect("dbname=postgres");
	snprintf(sql, sizeof sql, "DROP ROLE IF EXISTS %s", newsroom);
	PQclear(PQexec(conn, sql));
	PQfinish(conn);
}

/*
 * Make the newsroom role over conn and run hoctap-report -o out as it,
 * asserting success and that no temporary directory is left; its conninfo.
 */
static char *report_as_newsroom(PGconn *conn)
{
	char sql[256], *conninfo;
	const char *args[] = {"-o", out, NULL};
	struct hx_test_output o;

	snprintf(newsroom, sizeof newsroom, "report_test_newsroom_%ld", (long)getpid());
	snprintf(sql, sizeof sql, "DROP ROLE IF EXISTS %s; CREATE ROLE %s LOGIN IN ROLE hoctap_report",
	         newsroom, newsroom);
	hx_test_db_exec(conn, sql);
	conninfo = hx_asprintf("%s user=%s", db, newsroom);
	report(conninfo, args, &o);
	cr_assert(eq(int, o.status, 0), "as %s: %s", newsroom, o.err);
	hx_test_output_free(&o);
	cr_assert(has_dot_entry(out) == 0, "a temporary directory was left in %s", out);
	return conninfo;
}

/* Only hoctap_report: the marts and the schema version are all it reads. */
Test(report, the_report_role_suffices, .fini = drop_newsroom)
{
	PGconn *conn = hx_test_db_connect(db);
	char *conninfo = report_as_newsroom(conn);

	for (size_t i = 0; i < NTABLES; i++) {
		char *csv = slurp(out, tables[i], ".csv", NULL);

		cr_assert(eq(int, csv_rows(csv), table_rows[i]), "%s.csv", tables[i]);
		free(csv);
	}
	PQfinish(conn);
	free(conninfo);
}

/*
 * The report reads its snapshot on two connections; a role allowed only
 * one gets everything read on the first, and the same files (the debug
 * line says so).  With two, no such line.
 */
Test(report, one_connection_gives_the_same_files, .fini = drop_newsroom)
{
	char sql[256], *conninfo, *one = hx_asprintf("%s-one", out);
	const char *args[] = {"-o", one, "-vv", NULL}, *args2[] = {"-o", out, "-vv", NULL};
	struct hx_test_output o;
	PGconn *conn = hx_test_db_connect(db);

	report(db, args2, &o);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	cr_assert(strstr(o.err, "one connection") == NULL, "%s", o.err);
	hx_test_output_free(&o);
	snprintf(newsroom, sizeof newsroom, "report_test_newsroom_%ld", (long)getpid());
	snprintf(sql, sizeof sql, "DROP ROLE IF EXISTS %s; CREATE ROLE %s LOGIN CONNECTION LIMIT 1 "
	                          "IN ROLE hoctap_report", newsroom, newsroom);
	hx_test_db_exec(conn, sql);
	conninfo = hx_asprintf("%s user=%s", db, newsroom);
	report(conninfo, args, &o);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	assert_has(o.err, "debug: one connection: ", "stderr");
	assert_has(o.err, "too many connections for role", "stderr");
	hx_test_output_free(&o);
	for (size_t i = 0; i < NTABLES; i++) {
		char *a = slurp(out, tables[i], ".csv", NULL), *b = slurp(one, tables[i], ".csv", NULL);

		cr_assert(eq(str, b, a), "%s.csv differs on one connection", tables[i]);
		free(a);
		free(b);
	}
	hx_test_rmtree(one);
	free(one);
	free(conninfo);
	PQfinish(conn);
}

/*
 * A run that fails on its last table (its privilege revoked) leaves every
 * file of the previous run as it was, and no temporary directory; with the
 * privilege back, the next run publishes the new figures.
 */
Test(report, a_failed_run_leaves_the_previous_files, .fini = drop_newsroom)
{
	char *conninfo, *before[NTABLES], *manifest_before, *manifest_after;
	const char *args[] = {"-o", out, NULL};
	struct hx_test_output o;
	PGconn *conn = hx_test_db_connect(db);

	conninfo = report_as_newsroom(conn);
	for (size_t i = 0; i < NTABLES; i++)
		before[i] = slurp(out, tables[i], ".csv", NULL);
	manifest_before = slurp(out, "manifest", ".json", NULL);

	/* New figures, then a run that fails on the last table. */
	hx_test_db_exec(conn, "UPDATE mart.rates SET recognized = recognized + 1");
	hx_test_db_exec(conn, "REVOKE SELECT ON mart.findings FROM hoctap_report");
	report(conninfo, args, &o);
	cr_assert(eq(int, o.status, 70), "%s", o.err);
	assert_has(o.err, "hoctap-report: error: findings: query failed: permission denied for table "
	                  "findings", "stderr");
	hx_test_output_free(&o);
	for (size_t i = 0; i < NTABLES; i++) {
		char *now = slurp(out, tables[i], ".csv", NULL);

		cr_assert(eq(str, now, before[i]), "%s.csv changed by a failed run", tables[i]);
		free(now);
		free(before[i]);
	}
	manifest_after = slurp(out, "manifest", ".json", NULL);
	cr_assert(eq(str, manifest_after, manifest_before));
	cr_assert(has_dot_entry(out) == 0, "a failed run left its temporary directory in %s", out);

	/* With the privilege back, the next run publishes the new figures. */
	hx_test_db_exec(conn, "GRANT SELECT ON mart.findings TO hoctap_report");
	report(conninfo, args, &o);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	free(manifest_after);
	manifest_after = slurp(out, "manifest", ".json", NULL);
	cr_assert(strcmp(manifest_after, manifest_before) != 0, "the good run did not publish");

	free(manifest_before);
	free(manifest_after);
	PQfinish(conn);
	free(conninfo);
}

Test(report, output_directory_that_cannot_be_made_is_73)
{
	char *dir = out;
	char *blocker = hx_asprintf("%s/a-file", dir), *target = hx_asprintf("%s/a-file/out", dir);
	const char *args[] = {"-o", target, NULL};
	struct hx_test_output o;

	hx_test_write_file(blocker, "x", 1);
	report(db, args, &o);
	cr_assert(eq(int, o.status, 73), "%s", o.err);
	assert_has(o.err, "hoctap-report: error: cannot create output directory", "stderr");
	hx_test_output_free(&o);
	free(blocker);
	free(target);
}

Test(report, a_directory_in_the_way_fails_before_any_file_is_replaced)
{
	char *rates_before, *rates_after, *blocker = file_in(out, "findings", ".json");
	const char *args[] = {"-o", out, NULL};
	struct hx_test_output o;
	PGconn *conn;

	report_ok(db, out, "--format=csv", NULL);
	rates_before = slurp(out, "rates", ".csv", NULL);
	cr_assert(mkdir(blocker, 0700) == 0);
	conn = hx_test_db_connect(db);
	hx_test_db_exec(conn, "UPDATE mart.rates SET recognized = recognized + 1");
	PQfinish(conn);
	report(db, args, &o);
	cr_assert(eq(int, o.status, 73), "%s", o.err);
	assert_has(o.err, "findings.json\": it is a directory", "stderr");
	hx_test_output_free(&o);
	rates_after = slurp(out, "rates", ".csv", NULL);
	cr_assert(eq(str, rates_after, rates_before), "rates.csv was replaced by a failed run");
	cr_assert(eq(int, has_dot_entry(out), 0), "a temporary directory was left in %s", out);
	free(rates_before);
	free(rates_after);
	free(blocker);
}

Test(report, a_rate_that_disagrees_with_its_fraction_is_never_published)
{
	const char *args[] = {"-o", out, NULL};
	struct hx_test_output o;
	char *before, *after;
	PGconn *conn;

	report_ok(db, out, NULL, NULL);
	before = slurp(out, "rates", ".csv", NULL);
	conn = hx_test_db_connect(db);
	/* 309845 / 438400 = 70.676...%: 70.68, never 70.67 (truncated). */
	hx_test_db_exec(conn, "UPDATE mart.rates SET rate_eligible = 70.67 "
	                      "WHERE scope_code = '42' AND year = 2020 AND title = 'family'");
	report(db, args, &o);
	cr_assert(eq(int, o.status, 70), "%s", o.err);
	assert_has(o.err, "error: rates: scope 42, 2020, family: rate_eligible is 70.67 in the marts, "
	                  "but 309845 / 438400 gives 70.68\n", "stderr");
	assert_has(o.err, "detail: 1 figure of the marts disagrees with its numerator and "
	                  "denominator; nothing was written\n", "stderr");
	hx_test_output_free(&o);
	/* A rate where the base is 0 must be null. */
	hx_test_db_exec(conn, "UPDATE mart.rates SET rate_eligible = 70.68 "
	                      "WHERE scope_code = '42' AND year = 2020 AND title = 'family'");
	hx_test_db_exec(conn, "UPDATE mart.rates SET rate_eligible = 0 "
	                      "WHERE scope_code = '449' AND year = 2020 AND title = 'family'");
	report(db, args, &o);
	cr_assert(eq(int, o.status, 70), "%s", o.err);
	assert_has(o.err, "scope 449, 2020, family: rate_eligible is 0.00 in the marts, but 5 / 0 "
	                  "gives null (no base)", "stderr");
	hx_test_output_free(&o);
	/* A target's actual rate is checked against its own fraction too. */
	hx_test_db_exec(conn, "UPDATE mart.rates SET rate_eligible = NULL "
	                      "WHERE scope_code = '449' AND year = 2020 AND title = 'family'");
	hx_test_db_exec(conn, "UPDATE mart.targets SET actual_percent = 0.11 WHERE scope_code = '445'");
	report(db, args, &o);
	cr_assert(eq(int, o.status, 70), "%s", o.err);
	assert_has(o.err, "error: targets: scope 445, 2020, unit: actual_percent is 0.11 in the marts, "
	                  "but 1 / 1000 gives 0.10\n", "stderr");
	hx_test_output_free(&o);
	PQfinish(conn);
	after = slurp(out, "rates", ".csv", NULL);
	cr_assert(eq(str, after, before), "rates.csv changed");
	free(before);
	free(after);
}

/* A fund figure is traced to each unit's file and line, as a rate is. */
Test(report, explain_accounts_for_a_fund_figure_unit_by_unit)
{
	const char *args[] = {"--explain", "42", "2020", "Quỹ khuyến học", NULL};
	const char *missing[] = {"--explain", "42", "2019", "fund", NULL};
	struct hx_test_output o;

	report(db, args, &o);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	assert_has(o.out, "Tỉnh Hà Tĩnh (province 42), 2020, fund\n"
	                  "  mobilized_vnd    346458000000\n", "--explain");
	assert_has(o.out, "Included: 3 units, whose values are summed into the figure\n", "--explain");
	assert_has(o.out, "  18070          346000000000         1000        800000000  Phường Trần "
	                  "Phú (commune)\n              all values from inbox/437_quy_2020.csv:3\n",
	           "--explain");
	assert_has(o.out, "mobilized from inbox/445_quy_2020.csv:4; scholarships from "
	                  "inbox/445_hocbong_2020.csv:2\n", "--explain");
	/* The included units add up to the figure. */
	assert_has(o.out, "  sum            346458000000         1200        950000000\n",
	           "--explain");
	cr_assert(strstr(o.out, "note:") == NULL, "%s", o.out);
	assert_has(o.out, "Excluded: 1 unit, left out of the figure\n"
	                  "  445               500000000            -                -  Huyện "
	                  "Thạch Hà (district)\n              mobilized from "
	                  "inbox/445_huyen_2020.csv:2\n              excluded by cross_check\n",
	           "--explain");
	hx_test_output_free(&o);

	report(db, missing, &o);
	cr_assert(eq(int, o.status, 66), "%s", o.err);
	assert_has(o.err, "no fund figure for scope \"42\", year 2019", "stderr");
	hx_test_output_free(&o);
}

Test(report, explain_accounts_for_a_province_figure_unit_by_unit)
{
	const char *args[] = {"--explain", "42", "2020", "family", NULL};
	const char *missing[] = {"--explain", "99", "2020", "family", NULL};
	const char *commune[] = {"--explain", "18070", "2020", "family", NULL};
	static const char *const vietnamese[] = {"Gia đình học tập", "gia dinh hieu hoc", "FAMILY"};
	struct hx_test_output o;

	report(db, args, &o);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	assert_has(o.out, "Tỉnh Hà Tĩnh (province 42), 2020, family\n"
	                  "  recognized       309845\n", "--explain");
	assert_has(o.out, "  rate_eligible    70.68% = 309845 / 438400 (recognized / eligible)\n",
	           "--explain");
	assert_has(o.out, "Included: 3 units, whose values are summed into the figure\n", "--explain");
	assert_has(o.out, "  18070            7862       7500       5557         20  Phường Trần Phú "
	                  "(commune)\n              all values from inbox/437_2020.csv:3 (tally)\n",
	           "--explain");
	assert_has(o.out, "counts (register) from inbox/register_18073_2020.csv:2; eligible from "
	                  "inbox/436_2020.csv:4\n", "--explain");
	/* The included units add up to the figure. */
	assert_has(o.out, "  sum            438400     377500     309845       2100\n", "--explain");
	cr_assert(strstr(o.out, "note:") == NULL, "%s", o.out);
	assert_has(o.out, "Excluded: 1 unit, left out of the figure\n"
	                  "  18109            1000        900       1200          -  Xã Thạch Trị "
	                  "(commune)\n              all values from inbox/445_2020.csv:7 (tally)\n"
	                  "              excluded by invariant_recognized_registered\n", "--explain");
	assert_has(o.out, "  error    invariant_recognized_registered  18109  inbox/445_2020.csv:7\n",
	           "--explain");
	cr_assert(strstr(o.out, "18999") == NULL, "a 2016 finding is listed:\n%s", o.out);
	hx_test_output_free(&o);

	report(db, missing, &o);
	cr_assert(eq(int, o.status, 66), "%s", o.err);
	assert_has(o.err, "no figure for scope \"99\", year 2020, title \"family\"", "stderr");
	hx_test_output_free(&o);

	/* A commune's code: no figure of its own, its row as its district sums it. */
	report(db, commune, &o);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	assert_has(o.out, "18070, 2020, family: no published figure: 18070 is a commune, and figures "
	                  "are published for provinces and districts; its own row, which its "
	                  "district sums:\n", "--explain 18070");
	assert_has(o.out, "Included: 1 unit, whose values are summed into the district's and "
	                  "province's figures\n", "--explain 18070");
	assert_has(o.out, "  18070            7862       7500       5557         20  Phường Trần Phú "
	                  "(commune)\n", "--explain 18070");
	cr_assert(strstr(o.out, "no unit was included") == NULL, "%s", o.out);
	hx_test_output_free(&o);

	/* A title by any name hoctap-ingest takes: the same figure. */
	for (size_t i = 0; i < lengthof(vietnamese); i++) {
		const char *by_name[] = {"--explain", "42", "2020", vietnamese[i], NULL};

		report(db, by_name, &o);
		cr_assert(eq(int, o.status, 0), "%s: %s", vietnamese[i], o.err);
		assert_has(o.out, "  rate_eligible    70.68% = 309845 / 438400 (recognized / eligible)\n",
		           vietnamese[i]);
		hx_test_output_free(&o);
	}
}

/*
 * A unit that reports recognized but no eligible is in the recognized sum
 * and out of rate_eligible: --explain names it, and only for that rate.
 */
Test(report, explain_names_the_units_a_rate_leaves_out)
{
	const char *args[] = {"--explain", "42", "2020", "family", NULL};
	struct hx_test_output o;
	PGconn *c = hx_test_db_connect(db);

	hx_test_db_exec(c, "UPDATE mart.facts SET eligible = NULL WHERE unit_code = '18070' "
	                   "AND year = 2020 AND title = 'family'");
	PQfinish(c);
	report(db, args, &o);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	assert_has(o.out, "  note: 18070 (recognized 5557, eligible -): left out of rate_eligible, "
	                  "which is over the units reporting both recognized and eligible\n",
	           "--explain");
	cr_assert(strstr(o.out, "left out of rate_registered") == NULL, "%s", o.out);
	hx_test_output_free(&o);
}

Test(report, json_outputs_validate_against_the_shipped_schemas)
{
	char *empty = hx_test_tempdir();
	char *script = hx_test_src("tests/data/report/validate_schemas.py");
	char *schemas = hx_test_src("report/schemas");
	const char *argv[] = {"/usr/bin/python3", script, schemas, out, NULL};
	struct hx_test_output o;

	report_ok(db, out, NULL, NULL);
	hx_test_run(argv, NULL, &o);
	cr_assert(eq(int, o.status, 0), "%s%s", o.out, o.err);
	cr_assert(eq(str, o.out, "valid comparison\nvalid completeness\nvalid findings\nvalid funds\n"
	                         "valid manifest\nvalid rankings\nvalid rates\nvalid targets\n"), "%s", o.err);
	hx_test_output_free(&o);

	/* Marts never built: empty files, still valid, and a warning. */
	{
		const char *args[] = {"-o", empty, NULL};

		empty_db = hx_test_db_create(1);
		report(empty_db, args, &o);
		cr_assert(eq(int, o.status, 0), "%s", o.err);
		assert_has(o.err, "warning: the marts have never been built", "stderr");
		hx_test_output_free(&o);
	}
	argv[3] = empty;
	hx_test_run(argv, NULL, &o);
	cr_assert(eq(int, o.status, 0), "%s%s", o.out, o.err);
	hx_test_output_free(&o);

	free(script);
	free(schemas);
	hx_test_rmtree(empty);
	free(empty);
}

Test(report, show_figures_fits_80_columns)
{
	char *script = hx_test_src("scripts/show-figures");
	const char *argv[] = {script, out, NULL};
	struct hx_test_output o;
	const char *line;

	report_ok(db, out, "--excel", NULL);
	hx_test_run(argv, NULL, &o);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	assert_has(o.out, "== Tỉnh Hà Tĩnh (42): 2020 (provisional) ==\n", "show-figures");
	assert_has(o.out, "change 2016->2020\n", "show-figures");
	assert_has(o.out, "Tỉnh Hà Tĩnh (42)\n  family         309845    438400  eligible    70.68%    "
	                  "3/4  +27.89    +130144\n", "show-figures");
	assert_has(o.out, "Thị xã Hồng Lĩnh (437)\n  family           5557      7862  eligible    "
	                  "70.68%    1/1       -          -\n", "show-figures");
	assert_has(o.out, "  unit                1      1000  registered   0.10%    1/2", "show-figures");
	assert_has(o.out, "findings: 3 (2 error, 1 warning, 0 info)", "show-figures");
	for (line = o.out; *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line), cols = 0;

		/* Display columns: UTF-8 continuation bytes take none. */
		for (size_t i = 0; i < len; i++)
			cols += ((unsigned char)line[i] & 0xC0) != 0x80;
		cr_assert(cols <= 80, "line wider than 80 columns: %.*s", (int)len, line);
		line += len + (nl ? 1 : 0);
	}
	hx_test_output_free(&o);
	free(script);
}

Test(report_cli, usage_errors_are_64_before_any_connection)
{
	static const char *const bad[][4] = {
		{"--compare", "2016-2020", NULL, NULL},
		{"--compare", "2016:2016", NULL, NULL},
		{"--compare", "16:20", NULL, NULL},
		{"--format", "xml", NULL, NULL},
		{"--format", "csv,csv", NULL, NULL},
		{"--explain", "42", "2020", NULL},
		{"--explain", "42", "twenty", "family"},
		{"stray", NULL, NULL, NULL},
	};
	for (size_t i = 0; i < lengthof(bad); i++) {
		struct hx_test_output o;

		/* No database is reachable here: 64 proves the check comes first. */
		report("host=/nonexistent/socket dbname=x", bad[i], &o);
		cr_assert(eq(int, o.status, 64), "%s %s: %s", bad[i][0], bad[i][1], o.err);
		assert_has(o.err, "Try \"hoctap-report --help\" for more information.\n", "stderr");
		cr_assert(eq(str, o.out, ""));
		hx_test_output_free(&o);
	}
}

Test(report_cli, help_names_every_option)
{
	const char *args[] = {"--help", NULL};
	struct hx_test_output o;

	report(NULL, args, &o);
	cr_assert(eq(int, o.status, 0));
	assert_has(o.out, "--explain SCOPE_CODE YEAR TITLE", "--help");
	assert_has(o.out, "--compare=A:B", "--help");
	assert_has(o.out, "--excel", "--help");
	assert_has(o.out, "--format=LIST", "--help");
	hx_test_output_free(&o);
}
