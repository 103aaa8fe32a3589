/*
 * Figures across the 1 July 2025 reform, on the shipped units (issue 18):
 * roll-ups by the structure of the year, commune rows, the finding about a
 * 2025 report under an abolished code, and comparisons made on the units
 * of the later year — whole moves and all-of-the-population moves exact, a
 * commune moved in parts carried by the successor that kept its code and
 * every row it touches approximate, a merged province's 2020 figure the sum
 * of its old provinces' — with --explain naming the old units added.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "testsupport.h"

#define assert_value(c, want, ...) hx_test_assert_value((c), (want), __VA_ARGS__)


/* Family figures (eligible, registered, recognized) of 2020, on old units. */
static const char tallies_2020[] =
	"year,unit_code,title,eligible,registered,recognized\n"
	/* whole: today's Liên Hương 22969 is these four */
	"2020,22969,family,7905,7640,5812\n"
	"2020,22987,family,2615,2180,1790\n"
	"2020,22990,family,2842,2371,1952\n"
	"2020,22999,family,3010,2498,2069\n"
	/* part: old Phong Phú 22978 went to 22972 and 22978; 22975 to 22978 whole */
	"2020,22972,family,9650,7643,6774\n"
	"2020,22975,family,548,384,335\n"
	"2020,22978,family,2980,2214,1936\n"
	/* all of the population: old 07180 to new 07180, a part of its land to 07168 */
	"2020,07180,family,3000,2500,2000\n"
	"2020,07174,family,1000,900,800\n"
	"2020,07168,family,1500,1200,1000\n"
	/* old Đắk Nông (67) and old Lâm Đồng (68), now in today's Lâm Đồng */
	"2020,24611,family,4000,3500,3000\n"
	"2020,24781,family,5000,4500,4000\n";

static const char tallies_2025[] =
	"year,unit_code,title,eligible,registered,recognized\n"
	"2025,22969,family,16420,15380,12610\n"
	"2025,22972,family,15880,14210,11640\n"
	"2025,22978,family,3410,2690,2205\n"
	"2025,07180,family,6000,5000,4200\n"
	"2025,07168,family,3000,2500,2100\n"
	/* under codes abolished on 30 June 2025: a commune and a district */
	"2025,22987,family,2640,2410,1980\n"
	"2025,595,family,100,90,80\n";

struct env {
	char *db, *dir;
	PGconn *c;
};

static void run_ok(struct env *e, const char *program, const char *const *args, int want)
{
	struct hx_test_output o = hx_test_program(program, e->db, args);

	cr_assert(eq(int, o.status, want), "%s: %s", program, o.err);
	hx_test_output_free(&o);
}

static void env_open(struct env *e)
{
	char *f2020, *f2025;
	const char *units[] = {"--units", "builtin", NULL};
	const char *none[] = {NULL};

	e->db = hx_test_db_create(1);
	e->dir = hx_test_tempdir();
	hx_test_put(e->dir, "a-2020.csv", tallies_2020);
	hx_test_put(e->dir, "b-2025.csv", tallies_2025);
	f2020 = hx_asprintf("%s/a-2020.csv", e->dir);
	f2025 = hx_asprintf("%s/b-2025.csv", e->dir);
	run_ok(e, "hoctap-ingest", units, 0);
	{
		const char *files[] = {f2020, f2025, NULL};

		run_ok(e, "hoctap-ingest", files, 0);
	}
	/* The two reports under abolished codes are new error findings (issue 22): 65. */
	run_ok(e, "hoctap-transform", none, 65);
	e->c = hx_test_db_connect(e->db);
	free(f2020);
	free(f2025);
}

/* Whatever env_open reached: close, drop, remove, free; nothing twice. */
static void env_close(struct env *e)
{
	if (e->c != NULL)
		PQfinish(e->c);
	e->c = NULL;
	hx_test_db_discard(&e->db);
	hx_test_dir_discard(&e->dir);
}

/*
 * The test's database, holding the shipped lists and two years
 * transformed, made by setup and removed by teardown whatever the test
 * reached (a failed assertion leaves the test at once; .fini still runs).
 */
static struct env env;

static void setup(void)
{
	env_open(&env);
}

static void teardown(void)
{
	env_close(&env);
}

/* Each test loads the shipped lists, ingests, transforms: a suite-wide timeout (per-test
 * timeouts of different lengths left Criterion's runner leaking under ASan, --jobs=2). */
TestSuite(reform, .init = setup, .fini = teardown, .timeout = 300);

/* The value of column col in the CSV row whose first two fields are level,code and whose
 * title column is title (a new string; "" for an empty cell; asserts the row exists). */
static char *cell(const char *csv, const char *level_code, const char *title, const char *col)
{
	size_t hlen = strcspn(csv, "\n"), n = 0, want = (size_t)-1, ti = (size_t)-1;
	char *header = hx_strndup(csv, hlen), *tok, *save = NULL, *out = NULL;
	const char *p = csv + hlen;

	for (tok = strtok_r(header, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save), n++) {
		if (strcmp(tok, col) == 0)
			want = n;
		if (strcmp(tok, "title") == 0)
			ti = n;
	}
	free(header);
	cr_assert(want != (size_t)-1 && ti != (size_t)-1, "no column %s", col);
	while ((p = strstr(p, level_code)) != NULL) {
		const char *line = p, *end;
		char *row, *f[64];
		size_t k = 0;

		if (line[-1] != '\n') {
			p++;
			continue;
		}
		end = strchr(line, '\n');
		row = hx_strndup(line, end != NULL ? (size_t)(end - line) : strlen(line));
		for (char *s = row, *c; k < 64; s = c + 1) {
			c = strchr(s, ',');
			f[k++] = s;
			if (c == NULL)
				break;
			*c = '\0';
		}
		if (k > ti && strcmp(f[ti], title) == 0) {
			out = hx_strdup(f[want]);
			free(row);
			break;
		}
		free(row);
		p = line + 1;
	}
	cr_assert(out != NULL, "no row %s %s in\n%s", level_code, title, csv);
	return out;
}

static void assert_cell(const char *csv, const char *level_code, const char *col,
                        const char *want)
{
	char *got = cell(csv, level_code, "family", col);

	cr_assert(strcmp(got, want) == 0, "%s %s: got \"%s\", want \"%s\"", level_code, col, got,
	          want);
	free(got);
}

/* The comparison 2020 -> 2025 as hoctap-report writes it. */
static char *comparison_2020_2025(struct env *e)
{
	char *out = hx_asprintf("%s/out", e->dir), *path, *csv;
	const char *args[] = {"-o", out, "--format", "csv", "--compare", "2020:2025", NULL};

	run_ok(e, "hoctap-report", args, 0);
	path = hx_asprintf("%s/comparison.csv", out);
	csv = hx_test_read_file(path, NULL);
	cr_assert(csv != NULL);
	free(path);
	free(out);
	return csv;
}

Test(reform, each_year_rolls_up_by_its_own_structure)
{

	/* 22969 in 2020: a commune of Huyện Tuy Phong in Bình Thuận; in 2025 of Lâm Đồng. */
	assert_value(env.c, "2020 commune 60 595 Thị trấn Liên Hương 5812/7905 1/1;"
	                  "2025 commune 68 - Xã Liên Hương 12610/16420 1/1",
	             "SELECT string_agg(concat_ws(' ', year, scope_level, province_code, "
	             "coalesce(district_code, '-'), scope_name, recognized || '/' || eligible, "
	             "units_reporting || '/' || units_expected), ';' ORDER BY year) FROM mart.rates "
	             "WHERE scope_code = '22969' AND title = 'family'");
	/* 2020: the district sums its communes; 2025 has no district row at all. */
	assert_value(env.c, "20668/29550|7|11",
	             "SELECT concat_ws('|', recognized || '/' || eligible, units_reporting, "
	             "units_expected) FROM mart.rates WHERE scope_code = '595' AND year = 2020");
	assert_value(env.c, "0", "SELECT count(*) FROM mart.rates WHERE year = 2025 "
	                       "AND scope_level = 'district'");
	/* 2025: today's Lâm Đồng sums its communes directly, 3 of its 124. */
	assert_value(env.c, "26455/35710|3|124|commune",
	             "SELECT concat_ws('|', recognized || '/' || eligible, units_reporting, "
	             "units_expected, source_level) FROM mart.rates WHERE scope_code = '68' "
	             "AND year = 2025");
	/* Completeness: a row per expected commune, in the year's structure. */
	assert_value(env.c, "2020 595 1 1 {};2025 - 1 1 {}",
	             "SELECT string_agg(concat_ws(' ', year, coalesce(district_code, '-'), "
	             "units_expected, units_reporting, missing), ';' ORDER BY year) "
	             "FROM mart.completeness WHERE scope_code = '22969'");
	assert_value(env.c, "0 {22993}",
	             "SELECT units_reporting || ' ' || missing::text FROM mart.completeness "
	             "WHERE scope_code = '22993' AND year = 2020");
	assert_value(env.c, "124 3", "SELECT units_expected || ' ' || units_reporting "
	                           "FROM mart.completeness WHERE scope_code = '68' AND year = 2025");
}

Test(reform, a_2025_report_under_an_abolished_code_names_the_new_unit)
{

	assert_value(env.c, "error|68|b-2025.csv|7|b-2025.csv:7: 22987 Xã Phú Lạc, 2025, family: "
	                  "Xã Phú Lạc (22987) was not valid in 2025 (valid to 2025-06-30; it became "
	                  "part of 22969 Xã Liên Hương)",
	             "SELECT concat_ws('|', severity, province_code, file, line, message) "
	             "FROM mart.findings WHERE code = 'unit_not_valid' AND unit_code = '22987'");
	assert_value(env.c, "68|b-2025.csv:8: 595 Huyện Tuy Phong, 2025, family: Huyện Tuy Phong "
	                  "(595) was not valid in 2025 (valid to 2025-06-30, successor 68 Tỉnh "
	                  "Lâm Đồng)",
	             "SELECT province_code || '|' || message FROM mart.findings "
	             "WHERE code = 'unit_not_valid' AND unit_code = '595'");
	/* Kept out: Liên Hương's own figure stands, not added to. */
	assert_value(env.c, "false|unit_not_valid", "SELECT included || '|' || excluded_by FROM "
	                                      "mart.facts WHERE unit_code = '22987' AND year = 2025");
	assert_value(env.c, "12610", "SELECT recognized FROM mart.rates WHERE scope_code = '22969' "
	                           "AND year = 2025");
}

Test(reform, comparisons_are_made_on_the_units_of_the_later_year)
{
	char *csv, *got;

	csv = comparison_2020_2025(&env);
	/* Whole: 5812 + 1790 + 1952 + 2069 = 11623 of 16372, exact. */
	assert_cell(csv, "commune,22969,", "merged_from", "22987 22990 22999");
	assert_cell(csv, "commune,22969,", "approximate", "false");
	assert_cell(csv, "commune,22969,", "recognized_a", "11623");
	assert_cell(csv, "commune,22969,", "eligible_a", "16372");
	assert_cell(csv, "commune,22969,", "rate_eligible_a", "70.99");
	assert_cell(csv, "commune,22969,", "units_reporting_a", "4");
	assert_cell(csv, "commune,22969,", "delta_pp", "5.80");
	/* All of the population: old 07180's people went to 07180, exact; 07168 got land only. */
	assert_cell(csv, "commune,07180,", "merged_from", "07174");
	assert_cell(csv, "commune,07180,", "recognized_a", "2800");
	assert_cell(csv, "commune,07180,", "approximate", "false");
	assert_cell(csv, "commune,07168,", "merged_from", "");
	assert_cell(csv, "commune,07168,", "recognized_a", "1000");
	assert_cell(csv, "commune,07168,", "approximate", "false");
	/* Part: old Phong Phú's figures wholly to 22978, which kept its code; both rows approximate. */
	assert_cell(csv, "commune,22978,", "merged_from", "22975");
	assert_cell(csv, "commune,22978,", "recognized_a", "2271");
	assert_cell(csv, "commune,22978,", "split_from", "22978");
	assert_cell(csv, "commune,22978,", "approximate", "true");
	assert_cell(csv, "commune,22972,", "merged_from", "");
	assert_cell(csv, "commune,22972,", "recognized_a", "6774");
	assert_cell(csv, "commune,22972,", "split_from", "22978");
	assert_cell(csv, "commune,22972,", "approximate", "true");
	/* The merged province: its 2020 figure is the sum of its old provinces' published ones. */
	got = cell(csv, "province,68,", "family", "recognized_a");
	assert_value(env.c, got, "SELECT sum(recognized) FROM mart.rates WHERE year = 2020 "
	                       "AND title = 'family' AND scope_code IN ('60', '67', '68')");
	free(got);
	got = cell(csv, "province,68,", "family", "eligible_a");
	assert_value(env.c, got, "SELECT sum(eligible) FROM mart.rates WHERE year = 2020 "
	                       "AND title = 'family' AND scope_code IN ('60', '67', '68')");
	free(got);
	assert_cell(csv, "province,68,", "recognized_a", "27668");
	assert_cell(csv, "province,68,", "merged_from", "60 67");
	assert_cell(csv, "province,68,", "approximate", "false");
	assert_cell(csv, "province,68,", "recognized_b", "26455");
	/* No district: there is none in 2025; old Quảng Ninh's 07180 is in today's 22. */
	cr_assert(strstr(csv, "\ndistrict,") == NULL, "%s", csv);
	assert_cell(csv, "province,22,", "recognized_a", "3800");
	free(csv);
}

Test(reform, explain_names_the_old_units_a_figure_was_added_from)
{
	const char *args[] = {"--compare", "2020:2025", "--explain", "22969", "2020", "family",
	                      NULL};
	const char *parts[] = {"--compare", "2020:2025", "--explain", "22972", "2020", "family",
	                       NULL};
	struct hx_test_output o;

	o = hx_test_program("hoctap-report", env.db, args);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	cr_assert(strstr(o.out, "On the units of 2025 (comparison.csv): 4 units of 2020, whose "
	                        "values are added onto 22969 before dividing\n") != NULL, "%s",
	          o.out);
	cr_assert(strstr(o.out, "  22987            2615       2180       1790          -  "
	                        "Xã Phú Lạc (commune; whole)\n") != NULL, "%s", o.out);
	cr_assert(strstr(o.out, "              all values from a-2020.csv:3 (tally)\n") != NULL,
	          "%s", o.out);
	cr_assert(strstr(o.out, "  sum             16372      14689      11623          -\n") !=
	              NULL, "%s", o.out);
	hx_test_output_free(&o);
	o = hx_test_program("hoctap-report", env.db, parts);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	cr_assert(strstr(o.out, "Moved in parts, touching 22972") != NULL, "%s", o.out);
	cr_assert(strstr(o.out, "  22978            2980       2214       1936          -  "
	                        "Xã Phong Phú (commune; part, moved in parts)\n") != NULL, "%s",
	          o.out);
	hx_test_output_free(&o);
}
