/*
 * test_report_check.c — the recheck of every published rate against its
 * fraction (report/check.c), from tables of rows: exact rounding half away
 * from zero, null without a base, the first disagreement named as the
 * files list them (file, scope, year, title, column) and every one
 * counted, a level's or group's figure named as the marts name it.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdint.h>
#include <string.h>

#include "lengthof.h"
#include "report.h"
#include "testsupport.h"

#define NC 9

static const char *const rate_names[NC] = {"scope_code", "year", "title", "level", "group",
                                           "rate_eligible", "rate_eligible_num",
                                           "rate_eligible_den", "rate_registered"};
static const struct report_column rate_cols[] = {{"scope_code", REPORT_TEXT}};
static const struct report_table rates = {"rates", "report/rates.sql", rate_cols, 1, 0,
                                          REPORT_ORDER_RATES};

/* rate_registered has no fraction here: every row gives it null, as its base is unknown. */
static PGresult *make(const char *const (*rows)[NC], int n, int ncols)
{
	const char *names[NC + 2];
	PGresult *res;

	memcpy(names, rate_names, (size_t)ncols * sizeof *names);
	names[ncols] = "rate_registered_num";
	names[ncols + 1] = "rate_registered_den";
	res = hx_test_result(names, ncols + 2);
	for (int r = 0; r < n; r++)
		hx_test_result_row(res, r, rows[r], ncols);
	return res;
}

/* Rows whose published rate is their fraction's: 1/8 is 12.50, 2/3 66.67, 5/0 none. */
Test(check, figures_that_agree_pass)
{
	static const char *const rows[][NC] = {
		{"42", "2020", "family", NULL, NULL, "70.68", "309845", "438400", NULL},
		{"42", "2020", "clan", NULL, NULL, "12.50", "1", "8", NULL},
		{"43", "2020", "family", NULL, NULL, "66.67", "2", "3", NULL},
		{"43", "2020", "clan", NULL, NULL, "33.33", "1", "3", NULL},
		{"44", "2020", "family", NULL, NULL, NULL, "5", "0", NULL},
		{"44", "2020", "clan", NULL, NULL, NULL, NULL, "100", NULL},
		{"45", "2020", "family", NULL, NULL, "0.10", "1", "1000", NULL},
		{"45", "2020", "clan", NULL, NULL, "100.00", "7", "7", NULL},
		{"46", "2020", "family", NULL, NULL, "0.00", "0", "9", NULL},
		{"46", "2020", "clan", NULL, NULL, "0.01", "1", "20000", NULL},
	};
	PGresult *res = make(rows, (int)lengthof(rows), NC);
	struct report_check chk;
	struct hx_error err;

	hx_error_clear(&err);
	cr_assert_eq(report_check_table(&rates, res, &chk, &err), 0, "%s", err.msg);
	cr_expect_eq(chk.count, 0, "%s %s %s", chk.scope, chk.title, chk.published);
	cr_expect_eq(report_check_result(&chk, 1, &err), 0);
	PQclear(res);
}

/*
 * Three that disagree, out of order: the message names the first as the
 * files list them (scope 42 before 43; then titles bytewise, "family"
 * before "family level 1") and counts them all.
 */
Test(check, the_first_that_disagrees_is_named_and_all_are_counted)
{
	static const char *const rows[][NC] = {
		{"43", "2020", "family", NULL, NULL, "70.67", "309845", "438400", NULL},
		{"42", "2020", "family", NULL, NULL, "0.00", "5", "0", NULL},
		{"42", "2020", "family", "1", NULL, "12.49", "1", "8", NULL},
		{"42", "2020", "family", NULL, "adult", "12.50", "1", "8", NULL},
	};
	static const char *const parts[][NC] = {
		{"42", "2020", "family", NULL, "adult", "12.51", "1", "8", NULL},
		{"42", "2020", "family", "2", NULL, "12.49", "1", "8", NULL},
	};
	PGresult *res = make(rows, (int)lengthof(rows), NC);
	struct report_check chk;
	struct hx_error err;

	hx_error_clear(&err);
	cr_assert_eq(report_check_table(&rates, res, &chk, &err), 0, "%s", err.msg);
	cr_expect_eq(chk.count, 3);
	cr_assert_eq(report_check_result(&chk, 1, &err), -1);
	cr_expect_eq(err.code, HX_SOFTWARE);
	cr_expect_str_eq(err.msg, "rates: scope 42, 2020, family: rate_eligible is 0.00 in the "
	                          "marts, but 5 / 0 gives null (no base)");
	cr_expect_str_eq(err.detail, "3 figures of the marts disagree with their numerator and "
	                             "denominator; nothing was written");
	PQclear(res);
	/* A group's and a level's figures, named as the marts name them. */
	res = make(parts, (int)lengthof(parts), NC);
	cr_assert_eq(report_check_table(&rates, res, &chk, &err), 0, "%s", err.msg);
	cr_assert_eq(report_check_result(&chk, 1, &err), -1);
	cr_expect_str_eq(err.msg, "rates: scope 42, 2020, family group adult: rate_eligible is 12.51 "
	                          "in the marts, but 1 / 8 gives 12.50");
	PQclear(res);
}

/* A published rate without a base, and one missing where the base is known. */
Test(check, null_against_a_base_and_a_base_against_null)
{
	static const char *const rows[][NC] = {
		{"449", "2020", "family", NULL, NULL, "0.00", "5", "0", NULL},
	};
	static const char *const rows2[][NC] = {
		{"449", "2020", "family", NULL, NULL, NULL, "5", "10", NULL},
	};
	PGresult *res = make(rows, 1, NC), *res2 = make(rows2, 1, NC);
	struct report_check chk[2];
	struct hx_error err;

	hx_error_clear(&err);
	cr_assert_eq(report_check_table(&rates, res, &chk[0], &err), 0);
	cr_assert_eq(report_check_table(&rates, res2, &chk[1], &err), 0);
	cr_assert_eq(report_check_result(&chk[0], 1, &err), -1);
	cr_expect_str_eq(err.msg, "rates: scope 449, 2020, family: rate_eligible is 0.00 in the "
	                          "marts, but 5 / 0 gives null (no base)");
	cr_assert_eq(report_check_result(&chk[1], 1, &err), -1);
	cr_expect_str_eq(err.msg, "rates: scope 449, 2020, family: rate_eligible is null in the "
	                          "marts, but 5 / 10 gives 50.00");
	cr_expect_str_eq(err.detail, "1 figure of the marts disagrees with its numerator and "
	                             "denominator; nothing was written");
	PQclear(res);
	PQclear(res2);
}

/* Completeness has no title; across tables the first file by name is named first. */
Test(check, completeness_before_rates_and_no_title)
{
	static const char *const names[] = {"scope_code", "year", "percent", "units_reporting",
	                                    "units_expected"};
	static const struct report_table compl = {"completeness", "report/completeness.sql",
	                                          rate_cols, 1, 0, REPORT_ORDER_SCOPES};
	static const char *const rows[][NC] = {
		{"42", "2020", "family", NULL, NULL, "12.49", "1", "8", NULL},
	};
	PGresAttDesc att[5];
	PGresult *c = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK), *r = make(rows, 1, NC);
	struct report_check chk[2];
	struct hx_error err;
	int i;

	memset(att, 0, sizeof att);
	for (i = 0; i < 5; i++)
		att[i].name = (char *)(uintptr_t)names[i];
	cr_assert(PQsetResultAttrs(c, 5, att));
	cr_assert(PQsetvalue(c, 0, 0, (char *)(uintptr_t) "68", 2));
	cr_assert(PQsetvalue(c, 0, 1, (char *)(uintptr_t) "2025", 4));
	cr_assert(PQsetvalue(c, 0, 2, (char *)(uintptr_t) "66.66", 5));
	cr_assert(PQsetvalue(c, 0, 3, (char *)(uintptr_t) "2", 1));
	cr_assert(PQsetvalue(c, 0, 4, (char *)(uintptr_t) "3", 1));
	hx_error_clear(&err);
	cr_assert_eq(report_check_table(&rates, r, &chk[0], &err), 0);
	cr_assert_eq(report_check_table(&compl, c, &chk[1], &err), 0);
	cr_assert_eq(report_check_result(chk, 2, &err), -1);
	cr_expect_str_eq(err.msg, "completeness: scope 68, 2025: percent is 66.66 in the marts, "
	                          "but 2 / 3 gives 66.67");
	cr_expect_str_eq(err.detail, "2 figures of the marts disagree with their numerator and "
	                             "denominator; nothing was written");
	PQclear(c);
	PQclear(r);
}
