/*
 * The whole chain on samples/ — ingest, transform, report — checked against
 * the independent oracle (samples/expected.py, exact fractions, no code
 * shared with the C pipeline): every value of rates, comparison (2016:2020,
 * and 2020:2025 on today's units), funds, completeness and targets digit
 * for digit, every finding's rule, unit and file:line; then --explain traces
 * Hà Tĩnh's 309,845 learning families to its file and line, and
 * scripts/show-figures prints the province table.  The units are the
 * shipped lists of both eras, as scripts/demo loads them.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "testsupport.h"

static void run(const char *const *argv, struct hx_test_output *o)
{
	hx_test_run(argv, NULL, o);
}

static void assert_has(const char *text, const char *want, const char *where)
{
	cr_assert(strstr(text, want) != NULL, "%s lacks\n%s\n--- it has:\n%s", where, want, text);
}

/*
 * The test's database, made by setup and dropped by teardown whatever the
 * test reached (a failed assertion leaves the test at once; .fini still
 * runs).
 */
static char *db;

static void setup(void)
{
	db = hx_test_db_create(1);
}

static void teardown(void)
{
	hx_test_db_discard(&db);
}

TestSuite(report_samples, .init = setup, .fini = teardown);

Test(report_samples, the_chain_on_samples_matches_the_oracle_digit_for_digit, .timeout = 300)
{
	char *work = hx_test_tempdir();
	char *inbox = hx_asprintf("%s/inbox", work), *archive = hx_asprintf("%s/archive", work);
	char *rejected = hx_asprintf("%s/rejected", work), *out = hx_asprintf("%s/out", work);
	char *samples_inbox = hx_test_src("samples/inbox"), *out2 = hx_asprintf("%s/out-2025", work);
	char *targets = hx_test_src("samples/targets.csv"), *oracle = hx_test_src("samples/expected.py");
	char *compare = hx_test_src("tests/data/report/compare_oracle.py");
	char *show = hx_test_src("scripts/show-figures");
	char ingest[4096], transform[4096], report[4096], dflag[256];
	struct hx_test_output o;

	snprintf(ingest, sizeof ingest, "%s", hx_test_bin("hoctap-ingest"));
	snprintf(transform, sizeof transform, "%s", hx_test_bin("hoctap-transform"));
	snprintf(report, sizeof report, "%s", hx_test_bin("hoctap-report"));
	snprintf(dflag, sizeof dflag, "-d%s", db);
	{
		const char *cp[] = {"/bin/cp", "-R", samples_inbox, inbox, NULL};
		const char *mk[] = {"/bin/mkdir", archive, rejected, NULL};

		run(cp, &o);
		cr_assert(eq(int, o.status, 0), "%s", o.err);
		hx_test_output_free(&o);
		run(mk, &o);
		cr_assert(eq(int, o.status, 0), "%s", o.err);
		hx_test_output_free(&o);
	}
	{
		const char *u[] = {ingest, dflag, "--units", "builtin", NULL};
		const char *t[] = {ingest, dflag, "--targets", targets, NULL};
		const char *i[] = {ingest, dflag, "-q", "--inbox", inbox, "--archive", archive,
		                   "--rejected", rejected, NULL};
		const char *x[] = {transform, dflag, "-q", NULL};

		run(u, &o);
		cr_assert(eq(int, o.status, 0), "--units: %s", o.err);
		hx_test_output_free(&o);
		run(t, &o);
		cr_assert(eq(int, o.status, 0), "--targets: %s", o.err);
		hx_test_output_free(&o);
		/* The samples plant rejected rows: 65, the rest loaded. */
		run(i, &o);
		cr_assert(o.status == 0 || o.status == 65, "ingest exited %d: %s", o.status, o.err);
		hx_test_output_free(&o);
		/* ... and two error findings: 65, the rest built. */
		run(x, &o);
		cr_assert(eq(int, o.status, 65), "transform: %s", o.err);
		hx_test_output_free(&o);
	}
	{
		const char *r[] = {report, dflag, "-o", out, NULL};
		const char *r2[] = {report, dflag, "-o", out2, "--compare", "2020:2025",
		                    "--format", "csv,json,html", NULL};
		const char *c[] = {"/usr/bin/python3", compare, oracle, out, out2, NULL};

		run(r, &o);
		cr_assert(eq(int, o.status, 0), "report: %s", o.err);
		hx_test_output_free(&o);
		run(r2, &o);
		cr_assert(eq(int, o.status, 0), "report --compare 2020:2025: %s", o.err);
		hx_test_output_free(&o);
		run(c, &o);
		cr_assert(eq(int, o.status, 0), "%s%s", o.out, o.err);
		assert_has(o.out, "rates: 645 rows,", "the oracle comparison");
		assert_has(o.out, "completeness: 1433 rows,", "the oracle comparison");
		assert_has(o.out, "comparison: 127 rows,", "the oracle comparison");
		assert_has(o.out, "targets: 164 rows,", "the oracle comparison");
		assert_has(o.out, "rankings: 575 rows,", "the oracle comparison");
		assert_has(o.out, "comparison_2020_2025: 88 rows,", "the oracle comparison");
		hx_test_output_free(&o);
	}
	{
		/* The committee's page of 2025: Lâm Đồng has no districts, so its communes are
		 * ranked, Liên Hương's 76,80% (12.610 / 16.420) sharing rank 3 with Hồng Thái's
		 * (1.920 / 2.500); the next is 5th. */
		char *path = hx_asprintf("%s/index.html", out2), *page = hx_test_read_file(path, NULL);

		cr_assert(page != NULL, "no %s", path);
		assert_has(page, "<h2>Tỉnh Lâm Đồng (68), 2025</h2>", "index.html of 2025");
		assert_has(page, "<h3>Xếp hạng các xã, phường theo tỷ lệ chính</h3>", "index.html of 2025");
		assert_has(page, "<th scope=\"row\">Xã Liên Hương</th><td class=\"n\">76,80% "
		                 "<span class=\"rk\">(3)</span></td>", "index.html of 2025");
		assert_has(page, "<th scope=\"row\">Xã Hồng Thái</th><td class=\"n\">76,80% "
		                 "<span class=\"rk\">(3)</span></td>", "index.html of 2025");
		assert_has(page, "<th scope=\"row\">Phường La Gi</th><td class=\"n\">76,16% "
		                 "<span class=\"rk\">(5)</span></td>", "index.html of 2025");
		cr_assert(strstr(page, "Xếp hạng các huyện") == NULL, "districts ranked in 2025");
		free(page);
		free(path);
	}
	{
		/* "Where does 309,845 come from?" */
		const char *e[] = {report, dflag, "--explain", "42", "2020", "family", NULL};

		run(e, &o);
		cr_assert(eq(int, o.status, 0), "%s", o.err);
		assert_has(o.out, "Tỉnh Hà Tĩnh (province 42), 2020, family\n  recognized       309845\n",
		           "--explain");
		assert_has(o.out, "from 2020-10-05-hatinh-tonghop-2016-2020.csv:", "--explain");
		assert_has(o.out, "  sum                 -          -     309845       5850\n", "--explain");
		hx_test_output_free(&o);
	}
	{
		const char *s[] = {show, out, NULL};

		run(s, &o);
		cr_assert(eq(int, o.status, 0), "%s", o.err);
		assert_has(o.out, "== Tỉnh Bình Thuận (60): 2020 (provisional) ==\n", "show-figures");
		assert_has(o.out, "Tỉnh Bình Thuận (60)\n  family          51807     74501  eligible    "
		                  "69.54% 19/121  +33.30     +30256\n", "show-figures");
		assert_has(o.out, "later years in rates.csv: 2021 provisional\n", "show-figures");
		/* The province's 2020 against the national targets, with their sources. */
		assert_has(o.out, "targets 2020 (provisional): 22 of 98 missed in targets.csv\n"
		                  "  family              70.00%  281/QĐ-TTg actual  69.54%  gap   -0.46  "
		                  "missed\n", "show-figures");
		hx_test_output_free(&o);
	}
	{
		/* Today's Lâm Đồng, 2020 -> 2025 on its units: its communes, no district. */
		const char *s2[] = {show, out2, NULL};

		run(s2, &o);
		cr_assert(eq(int, o.status, 0), "%s", o.err);
		assert_has(o.out, "== Tỉnh Bình Thuận (60): no figures for 2025; the latest are of 2021 ==",
		           "show-figures 2020:2025");
		assert_has(o.out, "== Tỉnh Lâm Đồng (68): 2025 (provisional) ==", "show-figures 2020:2025");
		assert_has(o.out, "Tỉnh Lâm Đồng (68)\n  family          87747    117190  eligible    "
		                  "74.88% 12/124   +5.34     +35940\n", "show-figures 2020:2025");
		assert_has(o.out, "Xã Liên Hương (22969)\n  family          12610     16420  eligible    "
		                  "76.80%    1/1   +5.80       +987\n", "show-figures 2020:2025");
		/* The province's 2025 against the national targets, with their sources. */
		assert_has(o.out, "targets 2025 (provisional): 8 of 64 missed in targets.csv\n"
		                  "  family              70.00%  387/QĐ-TTg actual  74.88%  gap   +4.88  "
		                  "met\n", "show-figures 2020:2025");
		assert_has(o.out, "  citizen   adult     40.00%  677/QĐ-TTg actual  42.84%  gap   +2.84  "
		                  "met\n", "show-figures 2020:2025");
		hx_test_output_free(&o);
	}
	{
		const char *rm[] = {"/bin/rm", "-rf", work, NULL};

		run(rm, &o);
		hx_test_output_free(&o);
	}
	free(inbox);
	free(archive);
	free(rejected);
	free(out);
	free(samples_inbox);
	free(out2);
	free(targets);
	free(oracle);
	free(compare);
	free(show);
	free(work);
}
