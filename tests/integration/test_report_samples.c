/*
 * The whole chain on samples/ — ingest, transform, report — checked against
 * the independent oracle (samples/expected.py, exact fractions, no code
 * shared with the C pipeline): every value of rates, comparison, funds,
 * completeness and targets digit for digit, every finding's rule, unit and
 * file:line; then --explain traces Hà Tĩnh's 309,845 learning families to
 * its file and line, and scripts/show-figures prints the province table.
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

Test(report_samples, the_chain_on_samples_matches_the_oracle_digit_for_digit, .timeout = 300)
{
	char *db = hx_test_db_create(1), *work = hx_test_tempdir();
	char *inbox = hx_asprintf("%s/inbox", work), *archive = hx_asprintf("%s/archive", work);
	char *rejected = hx_asprintf("%s/rejected", work), *out = hx_asprintf("%s/out", work);
	char *samples_inbox = hx_test_src("samples/inbox"), *units = hx_test_src("samples/units.csv");
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
		const char *u[] = {ingest, dflag, "--units", units, NULL};
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
		const char *c[] = {"/usr/bin/python3", compare, oracle, out, NULL};

		run(r, &o);
		cr_assert(eq(int, o.status, 0), "report: %s", o.err);
		hx_test_output_free(&o);
		run(c, &o);
		cr_assert(eq(int, o.status, 0), "%s%s", o.out, o.err);
		assert_has(o.out, "rates: 163 rows,", "the oracle comparison");
		assert_has(o.out, "comparison: 27 rows,", "the oracle comparison");
		assert_has(o.out, "targets: 149 rows,", "the oracle comparison");
		assert_has(o.out, "rankings: 552 rows,", "the oracle comparison");
		hx_test_output_free(&o);
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
		assert_has(o.out, "== Tỉnh Bình Thuận (60): 2020 ==\n", "show-figures");
		assert_has(o.out, "Tỉnh Bình Thuận (60)\n  family          44060     63054  eligible    "
		                  "69.88%  15/15  +33.64     +22509\n", "show-figures");
		assert_has(o.out, "later years in rates.csv: 2021 provisional, 2025 provisional\n",
		           "show-figures");
		/* The province's 2025 against the national targets, with their sources. */
		assert_has(o.out, "targets 2025 (provisional): 10 of 66 missed in targets.csv\n"
		                  "  family              70.00%  387/QĐ-TTg actual  72.18%  gap   +2.18  "
		                  "met\n", "show-figures");
		assert_has(o.out, "  citizen   adult     40.00%  677/QĐ-TTg actual  40.63%  gap   +0.63  "
		                  "met\n", "show-figures");
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
	free(units);
	free(targets);
	free(oracle);
	free(compare);
	free(show);
	free(work);
	hx_test_db_drop(db);
	free(db);
}
