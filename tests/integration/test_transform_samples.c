/*
 * samples/ end to end: hoctap-ingest loads the shipped units of both eras
 * (as --migrate does on an empty database), the targets and the inbox,
 * hoctap-transform builds the marts, and the figures are the ones
 * samples/EXPECTED.md publishes (computed independently by
 * samples/expected.py).  Then the same inbox night by night, one file a
 * night with a transform after each, must give the same marts as --full.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "lengthof.h"
#include "testsupport.h"

struct env {
	char *db;
	char dflag[256];
	PGconn *conn;
};

static int run(struct env *e, const char *program, const char *a1, const char *a2)
{
	char path[4096];
	const char *argv[5] = {path, e->dflag, a1, a2, NULL};
	struct hx_test_output o;
	int status;

	snprintf(path, sizeof path, "%s", hx_test_bin(program));
	hx_test_run(argv, NULL, &o);
	status = o.status;
	cr_assert(status == 0 || status == 65, "%s %s: %d: %s", program, a1 ? a1 : "", status, o.err);
	hx_test_output_free(&o);
	return status;
}

static void env_open(struct env *e)
{
	char *targets = hx_test_src("samples/targets.csv");

	e->db = hx_test_db_create(1);
	snprintf(e->dflag, sizeof e->dflag, "-d%s", e->db);
	e->conn = hx_test_db_connect(e->db);
	run(e, "hoctap-ingest", "--units", "builtin");
	run(e, "hoctap-ingest", "--targets", targets);
	free(targets);
}

/* Whatever env_open reached: close, drop, free; nothing twice. */
static void env_close(struct env *e)
{
	if (e->conn != NULL)
		PQfinish(e->conn);
	e->conn = NULL;
	hx_test_db_discard(&e->db);
}

/*
 * The test's database and what it holds, made by setup and removed by
 * teardown whatever the test reached (a failed assertion leaves the test
 * at once; .fini still runs).
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

TestSuite(samples, .init = setup, .fini = teardown);

/* The inbox files in name order (= ingest order); *n receives the count. */
static char **inbox_files(size_t *n)
{
	char *dir = hx_test_src("samples/inbox");
	struct dirent **list;
	int i, count = scandir(dir, &list, NULL, alphasort);
	char **files;

	cr_assert(count > 0, "cannot list %s", dir);
	files = hx_calloc((size_t)count, sizeof *files);
	*n = 0;
	for (i = 0; i < count; i++) {
		if (list[i]->d_name[0] != '.')
			files[(*n)++] = hx_asprintf("%s/%s", dir, list[i]->d_name);
		free(list[i]);
	}
	free(list);
	free(dir);
	return files;
}

#define assert_value(e, want, ...) hx_test_assert_value((e)->conn, (want), __VA_ARGS__)

static char *mart_digest(struct env *e)
{
	static const char *const tables[] = {"mart.rates",   "mart.funds", "mart.completeness",
	                                     "mart.targets", "mart.findings", "mart.facts",
	                                     "mart.rate_parts", "mart.scope_years"};
	char sql[512], *all = hx_strdup(""), *v, *next;

	for (size_t i = 0; i < lengthof(tables); i++) {
		snprintf(sql, sizeof sql, "SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM %s t",
		         tables[i]);
		v = hx_test_db_value(e->conn, sql);
		next = hx_asprintf("%s%s:%s\n", all, tables[i], v ? v : "empty");
		free(all);
		free(v);
		all = next;
	}
	return all;
}

Test(samples, published_figures_to_the_digit)
{
	size_t n, i;
	char **files = inbox_files(&n);
	const char **argv = hx_calloc(n + 3, sizeof *argv);
	char path[4096];
	struct hx_test_output o;

	snprintf(path, sizeof path, "%s", hx_test_bin("hoctap-ingest"));
	argv[0] = path;
	argv[1] = env.dflag;
	for (i = 0; i < n; i++)
		argv[i + 2] = files[i];
	hx_test_run(argv, NULL, &o);
	cr_assert(eq(int, o.status, 65), "ingest: %s", o.err);
	hx_test_output_free(&o);
	run(&env, "hoctap-transform", NULL, NULL);

	/* 0. At a glance: Bình Thuận 2016 and 2020. */
	assert_value(&env, "21551/59469=36.24 51807/74501=69.54",
	             "SELECT string_agg(recognized || '/' || eligible || '=' || rate_eligible, ' ' "
	             "ORDER BY year) FROM mart.rates WHERE scope_code = '60' AND title = 'family' "
	             "AND year IN (2016, 2020)");
	assert_value(&env, "90/134=67.16 157/181=86.74",
	             "SELECT string_agg(recognized || '/' || registered || '=' || rate_registered, ' ' "
	             "ORDER BY year) FROM mart.rates WHERE scope_code = '60' AND title = 'unit' "
	             "AND year IN (2016, 2020)");
	assert_value(&env, "2/16=12.50 11/19=57.89",
	             "SELECT string_agg(recognized || '/' || eligible || '=' || rate_eligible, ' ' "
	             "ORDER BY year) FROM mart.rates WHERE scope_code = '60' AND title = 'commune' "
	             "AND year IN (2016, 2020)");
	/* Liên Hương's published figures. */
	assert_value(&env, "2016 community 3/14,2016 family 2631/7105,2019 community 8/14,"
	                 "2019 family 5557/7862",
	             "SELECT string_agg(year || ' ' || title || ' ' || recognized || '/' || eligible, ',' "
	             "ORDER BY year, title) FROM mart.facts WHERE unit_code = '22969' "
	             "AND title IN ('family', 'community') AND year IN (2016, 2019)");
	/* Hà Tĩnh: 179,701 -> 309,845 learning families, province-level only:
	 * none of its 210 communes reported its own. */
	assert_value(&env, "2016:179701:NULL:0:210 2020:309845:5850:0:210",
	             "SELECT string_agg(concat_ws(':', year, recognized, coalesce(exemplary::text, "
	             "'NULL'), units_reporting, units_expected), ' ' ORDER BY year) FROM mart.rates "
	             "WHERE scope_code = '42' AND title = 'family'");
	/* The register list beats its tally; eligible still from the tally. */
	assert_value(&env, "536|410|352|7|register",
	             "SELECT concat_ws('|', eligible, registered, recognized, exemplary, counts_source) "
	             "FROM mart.facts WHERE unit_code = '22975' AND year = 2019 AND title = 'family'");
	/* The later JSON resubmission wins: Chợ Lầu 2020. */
	assert_value(&env, "4213|2021-01-18-bacbinh-cholau-dieuchinh-2020.json",
	             "SELECT recognized || '|' || counts_file FROM mart.facts "
	             "WHERE unit_code = '23005' AND year = 2020 AND title = 'family'");
	/* A district rate, ratio of sums, with the cross-check not added. */
	assert_value(&env, "20872|11288|54.08|5|11",
	             "SELECT concat_ws('|', eligible, recognized, rate_eligible, units_reporting, "
	             "units_expected) FROM mart.rates WHERE scope_code = '595' AND year = 2018 "
	             "AND title = 'family'");
	/* The value excluded by an error: 23245's 2017 clans (La Gi: 2 of 9 reporting). */
	assert_value(&env, "9|7|77.78|2|9",
	             "SELECT concat_ws('|', registered, recognized, rate_registered, units_reporting, "
	             "units_expected) FROM mart.rates WHERE scope_code = '594' AND year = 2017 "
	             "AND title = 'clan'");
	/* Findings: the six expected, and no false alarm. */
	assert_value(&env,
	             "2016 22969 family reported_rate_mismatch warning "
	             "2017-01-12-tuyphong-lienhuong-2016.csv:2;"
	             "2017 23245 clan invariant_breach error 2018-01-19-lagi-2017.csv:13;"
	             "2018 595 family rollup_mismatch warning 2019-01-14-tuyphong-2018.csv:27;"
	             "2019 22975 family register_tally_mismatch warning "
	             "2020-01-15-tuyphong-2019.csv:12;"
	             "2019 23041 family eligible_jump warning 2020-01-16-bacbinh-2019.csv:12;"
	             "2025 22987 family unit_not_valid error 2026-01-16-lamdong-phulac-2025.csv:2",
	             "SELECT string_agg(concat_ws(' ', year, unit_code, title, code, severity, "
	             "file || ':' || line), ';' ORDER BY year, unit_code) FROM mart.findings "
	             "WHERE unit_code IS NOT NULL");
	/* ... and beside them the row ingest rejected, with its reason (issue 22): with
	 * the national lists the mistyped 22906 is a commune of Ninh Thuận, not a reject. */
	assert_value(&env, "not_a_number error 2018-01-15-tuyphong-2017.csv:7",
	             "SELECT string_agg(concat_ws(' ', code, severity, file || ':' || line), ';' "
	             "ORDER BY file, line) FROM mart.findings WHERE unit_code IS NULL");
	/* Completeness: against the 121 communes of Bình Thuận in the official list,
	 * 11 of them in Tuy Phong. */
	assert_value(&env, "2017:121:15:12.40:106 2021:121:1:0.83:120",
	             "SELECT string_agg(concat_ws(':', year, units_expected, units_reporting, percent, "
	             "cardinality(missing)), ' ' ORDER BY year) FROM mart.completeness "
	             "WHERE scope_code = '60' AND year IN (2017, 2021)");
	assert_value(&env, "2017:11:5:45.45:{22978,22987,22990,22993,22996,22999}",
	             "SELECT concat_ws(':', year, units_expected, units_reporting, percent, missing) "
	             "FROM mart.completeness WHERE scope_code = '595' AND year = 2017");
	/* Funds, cumulative from the first year. */
	assert_value(&env, "1842800000:7895400000:672:15",
	             "SELECT concat_ws(':', mobilized_vnd, cumulative_vnd, scholarships, "
	             "units_reporting) FROM mart.funds WHERE scope_code = '60' AND year = 2020");
	assert_value(&env, "346458000000",
	             "SELECT cumulative_vnd FROM mart.funds WHERE scope_code = '42' AND year = 2020");
	assert_value(&env, "375000000",
	             "SELECT mobilized_vnd FROM mart.funds WHERE scope_code = '596' AND year = 2020");
	/* Targets met and missed: Tuy Phong's own plan for 2020 (samples/targets.csv) where it
	 * has one, the national targets of 281/QĐ-TTg elsewhere, with no targets file for them. */
	assert_value(&env,
	             "42 clan NULL NULL NULL 281/QĐ-TTg;42 family NULL NULL NULL 281/QĐ-TTg;"
	             "595 clan 82.76 42.76 true targets.csv;595 commune 25.00 -5.00 false targets.csv;"
	             "595 community 60.53 10.53 true targets.csv;595 family 69.48 9.48 true targets.csv;"
	             "595 unit 85.07 35.07 true targets.csv;60 clan 83.15 33.15 true 281/QĐ-TTg;"
	             "60 community 64.02 4.02 true 281/QĐ-TTg;60 family 69.54 -0.46 false 281/QĐ-TTg;"
	             "60 unit 86.74 36.74 true 281/QĐ-TTg",
	             "SELECT string_agg(concat_ws(' ', scope_code, title, coalesce(actual_percent::text, "
	             "'NULL'), coalesce(gap_pp::text, 'NULL'), coalesce(met::text, 'NULL'), source), ';' "
	             "ORDER BY scope_code, title) FROM mart.targets WHERE year = 2020 "
	             "AND scope_code IN ('42', '595', '60')");
	/* Every scope that reported has its targets: 164 in all, communes included. */
	assert_value(&env, "164:135:30",
	             "SELECT count(*) || ':' || count(*) FILTER (WHERE scope_level = 'commune') || ':' "
	             "|| count(*) FILTER (WHERE NOT met) FROM mart.targets");
	/* 2025: the province's own target of a commune of 2025 (Xã Tuy Phong, which took old
	 * Phan Dũng whole) in place of the national 70 %, placed in Lâm Đồng. */
	assert_value(&env, "commune 68 Xã Tuy Phong 75.00 64.66 false targets.csv",
	             "SELECT concat_ws(' ', scope_level, province_code, scope_name, target_percent, "
	             "actual_percent, met::text, source) FROM mart.targets WHERE scope_code = '22978' "
	             "AND year = 2025 AND title = 'family'");
	/* 2016 -> 2020 from the exact numerators and denominators. */
	assert_value(&env, "19.58",
	             "SELECT round(100::numeric * b.rate_registered_num / b.rate_registered_den "
	             "- 100::numeric * a.rate_registered_num / a.rate_registered_den, 2) "
	             "FROM mart.rates a JOIN mart.rates b ON b.scope_code = a.scope_code "
	             "AND b.title = a.title AND b.year = 2020 "
	             "WHERE a.scope_code = '60' AND a.title = 'unit' AND a.year = 2016");
	/* Where the units of the two eras went: a commune, a district, a province. */
	assert_value(&env, "60|68 595|68 22987|22969",
	             "SELECT string_agg(unit_code || '|' || successor_code, ' ' ORDER BY unit_code "
	             "DESC) FROM mart.successors WHERE unit_code IN ('22987', '595', '60')");
	/* 22969 in each era: under Tuy Phong in Bình Thuận, then directly under Lâm Đồng. */
	assert_value(&env, "2020|commune|60|595|Thị trấn Liên Hương|5812/7905 "
	                 "2025|commune|68||Xã Liên Hương|12610/16420",
	             "SELECT string_agg(concat_ws('|', year, scope_level, province_code, "
	             "coalesce(district_code, ''), scope_name, recognized || '/' || eligible), ' ' "
	             "ORDER BY year) FROM mart.rates WHERE scope_code = '22969' AND title = 'family' "
	             "AND year IN (2020, 2025)");
	/* From 2025 no district row; the province sums its communes (12 of 124 reporting). */
	assert_value(&env, "0", "SELECT count(*) FROM mart.rates WHERE year = 2025 "
	                      "AND scope_level = 'district'");
	assert_value(&env, "87747/117190|12|124|commune",
	             "SELECT concat_ws('|', recognized || '/' || eligible, units_reporting, "
	             "units_expected, source_level) FROM mart.rates WHERE scope_code = '68' "
	             "AND year = 2025 AND title = 'family'");
	/* The abolished code: kept out, and the new province's finding. */
	assert_value(&env, "f|unit_not_valid|68",
	             "SELECT concat_ws('|', included, excluded_by, province_code) FROM mart.facts "
	             "WHERE unit_code = '22987' AND year = 2025");

	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
	free(argv);
}

Test(samples, night_by_night_equals_full_rebuild)
{
	size_t n, i;
	char **files = inbox_files(&n);
	char *incremental, *full;

	/* A night per arrival month (the files are named YYYY-MM-DD-...). */
	for (i = 0; i < n;) {
		const char *argv_night[16];
		char path[4096];
		const char *base = strrchr(files[i], '/') + 1;
		size_t k = 0;
		struct hx_test_output o;

		snprintf(path, sizeof path, "%s", hx_test_bin("hoctap-ingest"));
		argv_night[k++] = path;
		argv_night[k++] = env.dflag;
		while (i < n && k < 15 && strncmp(strrchr(files[i], '/') + 1, base, 7) == 0)
			argv_night[k++] = files[i++];
		argv_night[k] = NULL;
		hx_test_run(argv_night, NULL, &o);
		cr_assert(o.status == 0 || o.status == 65, "ingest: %s", o.err);
		hx_test_output_free(&o);
		run(&env, "hoctap-transform", NULL, NULL);
	}
	incremental = mart_digest(&env);
	run(&env, "hoctap-transform", "--full", NULL);
	full = mart_digest(&env);
	cr_assert(eq(str, incremental, full));
	/* Six findings and the one rejected row. */
	assert_value(&env, "7", "SELECT count(*) FROM mart.findings");
	/* --recount: every list from its rows, the same marts. */
	run(&env, "hoctap-transform", "--recount", NULL);
	free(full);
	full = mart_digest(&env);
	cr_assert(eq(str, incremental, full));
	free(incremental);
	free(full);
	/*
	 * A count that no longer matches its rows (as if ingest had miscounted):
	 * --recount refuses and changes nothing; --full and the nights trust
	 * ingest's counts, which is why --recount exists.
	 */
	assert_value(&env, "1", "WITH u AS (UPDATE staging.register_lists SET recognized = recognized - 1 "
	                      "WHERE unit_code = '22975' AND year = 2019 AND title = 'family' "
	                      "RETURNING 1) SELECT count(*) FROM u");
	full = mart_digest(&env);
	{
		char path[4096];
		const char *argv_r[4] = {path, env.dflag, "--recount", NULL};
		struct hx_test_output o;

		snprintf(path, sizeof path, "%s", hx_test_bin("hoctap-transform"));
		hx_test_run(argv_r, NULL, &o);
		cr_assert(eq(int, o.status, 70), "%s", o.err);
		cr_assert(strstr(o.err, "register lists counted by hoctap-ingest differ from their rows")
		          != NULL, "%s", o.err);
		hx_test_output_free(&o);
	}
	incremental = mart_digest(&env);
	cr_assert(eq(str, incremental, full));
	free(incremental);
	free(full);
	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
}
