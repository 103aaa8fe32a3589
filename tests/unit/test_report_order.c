/*
 * test_report_order.c — the client's order of rates.csv and rankings.csv
 * (report/order.c), from tables of rows given out of order: the published
 * order of docs/outputs.md, every text key bytewise, and SQL's rank() for
 * the rankings (shared ranks, the next skipped, none without a rate).  The
 * rows are a PGresult made in memory, as the server would send them.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lengthof.h"
#include "report.h"
#include "testsupport.h"

#define NCOLS_MAX 16

/* A result with the given column names and rows (NULL: SQL NULL). */
static PGresult *make(const char *const *names, int ncols, const char *const (*rows)[NCOLS_MAX],
                      int nrows)
{
	PGresult *res = hx_test_result(names, ncols);

	for (int r = 0; r < nrows; r++)
		hx_test_result_row(res, r, rows[r], ncols);
	return res;
}

/* ---- rates ---------------------------------------------------------------- */

static const char *const rate_names[] = {"scope_level", "scope_code", "province_code",
                                         "district_code", "year", "title", "level", "group",
                                         "tag"};
static const struct report_column rate_cols[] = {
	{"scope_level", REPORT_TEXT}, {"scope_code", REPORT_TEXT}, {"province_code", REPORT_TEXT},
	{"district_code", REPORT_TEXT}, {"year", REPORT_INT}, {"title", REPORT_TEXT},
	{"level", REPORT_INT}, {"group", REPORT_TEXT}, {"tag", REPORT_TEXT},
};
static const struct report_table rates = {"rates", "report/rates.sql", rate_cols,
                                          lengthof(rate_cols), 0, REPORT_ORDER_RATES};

/* Each row's tag is its place in the published order ("01", "02", …). */
static const char *const rate_rows[][NCOLS_MAX] = {
	{"commune", "22969", "68", NULL, "2025", "family", NULL, NULL, "10"},
	{"province", "69", "69", NULL, "2020", "family", NULL, NULL, "17"},
	{"district", "681", "68", "681", "2020", "family", NULL, NULL, "15"},
	{"province", "68", "68", NULL, "2020", "family", "2", NULL, "05"},
	{"province", "68", "68", NULL, "2020", "family", "1", NULL, "04"},
	{"commune", "22975", "68", "680", "2020", "family", NULL, NULL, "14"},
	{"province", "68", "68", NULL, "2020", "family", NULL, "official", "03"},
	{"province", "68", "68", NULL, "2020", "family", NULL, NULL, "01"},
	{"province", "68", "68", NULL, "2020", "family", NULL, "adult", "02"},
	{"district", "680", "68", "680", "2020", "family", NULL, NULL, "12"},
	{"province", "68", "68", NULL, "2020", "citizen", NULL, NULL, "07"},
	{"province", "68", "68", NULL, "2020", "clan", NULL, NULL, "06"},
	{"province", "68", "68", NULL, "2020", "aaa-new-title", NULL, NULL, "08"},
	{"commune", "22969", "68", "680", "2020", "family", NULL, NULL, "13"},
	{"commune", "22972", "68", NULL, "2025", "family", NULL, NULL, "11"},
	{"province", "68", "68", NULL, "2021", "family", NULL, NULL, "09"},
	{"commune", "22999", "68", "681", "2020", "family", NULL, NULL, "16"},
};

/*
 * Province 68's rows, then its communes without a district (2025), then
 * each district followed by its communes; a scope's years in turn; the
 * titles in the order of ref.titles, one ref.titles does not know after
 * them.  Within a title the rows without a level come first (the title's
 * own, then its groups, adult before official), then the levels: level
 * NULLS FIRST, then the group's place, as the SQL had it.
 */
Test(order, rates_in_the_published_order)
{
	const int n = (int)lengthof(rate_rows);
	PGresult *res = make(rate_names, (int)lengthof(rate_names), rate_rows, n);
	struct hx_error err;
	int *order = NULL, r;

	hx_error_clear(&err);
	cr_assert_eq(report_order(res, &rates, &order, &err), 0, "%s", err.msg);
	cr_assert_not_null(order);
	for (r = 0; r < n; r++) {
		char want[8];
		const char *got = PQgetvalue(res, order[r], 8);

		snprintf(want, sizeof want, "%02d", r + 1);
		cr_expect_str_eq(got, want, "place %d: row tagged %s (%s %s %s %s)", r + 1, got,
		                 PQgetvalue(res, order[r], 1), PQgetvalue(res, order[r], 4),
		                 PQgetvalue(res, order[r], 5), PQgetvalue(res, order[r], 6));
	}
	free(order);
	PQclear(res);
}

/* Where a level and a group's place tie, an unknown group sorts by name before none. */
Test(order, rates_unknown_group_before_the_titles_own_row)
{
	static const char *const rows[][NCOLS_MAX] = {
		{"province", "68", "68", NULL, "2020", "family", NULL, NULL, "02"},
		{"province", "68", "68", NULL, "2020", "family", NULL, "zeta", "01"},
		{"province", "68", "68", NULL, "2020", "family", NULL, "adult", "03"},
	};
	PGresult *res = make(rate_names, (int)lengthof(rate_names), rows, 3);
	struct hx_error err;
	int *order = NULL;

	hx_error_clear(&err);
	cr_assert_eq(report_order(res, &rates, &order, &err), 0, "%s", err.msg);
	cr_expect_str_eq(PQgetvalue(res, order[0], 8), "01");
	cr_expect_str_eq(PQgetvalue(res, order[1], 8), "02");
	cr_expect_str_eq(PQgetvalue(res, order[2], 8), "03");
	free(order);
	PQclear(res);
}

/* ---- rankings ------------------------------------------------------------- */

static const char *const rank_names[] = {"scope_level", "scope_code", "year", "title", "rank",
                                         "unit_code", "rate", "province_code", "want_rank",
                                         "tag", "unit_level", "numerator", "denominator",
                                         "want_rate"};
static const struct report_column rank_cols[] = {
	{"scope_level", REPORT_TEXT}, {"scope_code", REPORT_TEXT}, {"year", REPORT_INT},
	{"title", REPORT_TEXT},       {"rank", REPORT_INT},        {"unit_code", REPORT_TEXT},
	{"rate", REPORT_NUM},
};
static const struct report_table rankings = {"rankings", "report/rankings.sql", rank_cols,
                                             lengthof(rank_cols), 0, REPORT_ORDER_RANKINGS};

/* Each row: its rank ("" for none) and its place in the published order. */
static const char *const rank_rows[][NCOLS_MAX] = {
	{"district", "680", "2020", "family", NULL, "22975", "99.99", "68", "2", "09"},
	{"province", "68", "2020", "family", NULL, "681", "70.68", "68", "1", "02"},
	{"province", "68", "2020", "family", NULL, "680", "70.68", "68", "1", "01"},
	{"province", "68", "2020", "family", NULL, "683", NULL, "68", "", "06"},
	{"province", "68", "2020", "family", NULL, "682", "50.00", "68", "3", "03"},
	{"province", "68", "2020", "family", NULL, "684", "0.10", "68", "5", "05"},
	{"province", "68", "2020", "family", NULL, "685", "12.50", "68", "4", "04"},
	{"district", "680", "2020", "family", NULL, "22969", "100.00", "68", "1", "08"},
	{"province", "68", "2020", "clan", NULL, "680", "10.00", "68", "1", "07"},
	{"province", "69", "2020", "family", NULL, "690", "1.00", "69", "1", "16"},
	{"district", "680", "2020", "family", NULL, "22978", NULL, "68", "", "11"},
	{"district", "680", "2020", "family", NULL, "22972", "0.00", "68", "3", "10"},
	/* communes whose rate the client computes: 2/3 is 66.67, 1/8 12.50, 5/0 none */
	{"district", "681", "2020", "family", NULL, "22999", NULL, "68", "2", "14", "commune", "1",
	 "8", "12.50"},
	{"district", "681", "2020", "family", NULL, "22993", NULL, "68", "", "15", "commune", "5",
	 "0", ""},
	{"district", "681", "2020", "family", NULL, "22996", NULL, "68", "1", "12", "commune", "2",
	 "3", "66.67"},
	{"district", "681", "2020", "family", NULL, "22990", NULL, "68", "2", "13", "commune", "1",
	 "8", "12.50"},
};

/*
 * The province's rankings before its districts'; a ranking's units by
 * rate, high to low ("100.00" above "99.99"), equal rates by code sharing
 * a rank and the next skipped, units without a rate last and unranked; a
 * commune's rate computed from its numerator and denominator.
 */
Test(order, rankings_sorted_and_ranked_as_sql_rank)
{
	const int n = (int)lengthof(rank_rows);
	PGresult *res = make(rank_names, (int)lengthof(rank_names), rank_rows, n);
	struct hx_error err;
	int *order = NULL, r;

	hx_error_clear(&err);
	cr_assert_eq(report_order(res, &rankings, &order, &err), 0, "%s", err.msg);
	for (r = 0; r < n; r++) {
		char want[8];
		int src = order[r];

		snprintf(want, sizeof want, "%02d", r + 1);
		cr_expect_str_eq(PQgetvalue(res, src, 9), want, "place %d: unit %s", r + 1,
		                 PQgetvalue(res, src, 5));
		/* the rank, in the row it came from (PQgetvalue gives "" for NULL) */
		cr_expect_str_eq(PQgetvalue(res, src, 4), PQgetvalue(res, src, 8), "unit %s of %s",
		                 PQgetvalue(res, src, 5), PQgetvalue(res, src, 1));
		cr_expect_eq(PQgetisnull(res, src, 4), PQgetvalue(res, src, 8)[0] == '\0');
		if (!PQgetisnull(res, src, 13))
			cr_expect_str_eq(PQgetvalue(res, src, 6), PQgetvalue(res, src, 13), "unit %s",
			                 PQgetvalue(res, src, 5));
	}
	free(order);
	PQclear(res);
}

/* A rate that is not a number with 2 decimals stops the run, naming it. */
Test(order, rankings_refuse_a_rate_they_cannot_read)
{
	static const char *const rows[][NCOLS_MAX] = {
		{"province", "68", "2020", "family", NULL, "680", "70.68", "68", "1", "01"},
		{"province", "68", "2020", "family", NULL, "681", "7.068", "68", "", "02"},
	};
	PGresult *res = make(rank_names, (int)lengthof(rank_names), rows, 2);
	struct hx_error err;
	int *order = NULL;

	hx_error_clear(&err);
	cr_assert_eq(report_order(res, &rankings, &order, &err), -1);
	cr_expect_null(order);
	cr_expect_eq(err.code, HX_SOFTWARE);
	cr_expect_str_eq(err.msg, "sql/report/rankings.sql: rate \"7.068\" of unit 681 is not a "
	                          "number with 2 decimals");
	PQclear(res);
}

/* A table the script sorts keeps its order: no array. */
Test(order, sql_order_is_left_alone)
{
	static const struct report_table t = {"rates", "report/rates.sql", rate_cols,
	                                      lengthof(rate_cols), 0, REPORT_ORDER_SQL};
	PGresult *res = make(rate_names, (int)lengthof(rate_names), rate_rows, 2);
	struct hx_error err;
	int *order = (int *)&err;

	hx_error_clear(&err);
	cr_assert_eq(report_order(res, &t, &order, &err), 0);
	cr_expect_null(order);
	PQclear(res);
}

/* The documents' copy: the table's columns only, rows in the order given. */
Test(order, apply_copies_the_tables_columns_in_order)
{
	static const struct report_column two[] = {{"scope_level", REPORT_TEXT},
	                                           {"scope_code", REPORT_TEXT}};
	static const struct report_table t = {"rates", "report/rates.sql", two, 2, 0,
	                                      REPORT_ORDER_RATES};
	PGresult *res = make(rate_names, (int)lengthof(rate_names), rate_rows, 3);
	const int order[3] = {2, 0, 1};
	struct hx_error err;
	PGresult *out;

	hx_error_clear(&err);
	out = report_order_apply(res, &t, order, &err);
	cr_assert_not_null(out, "%s", err.msg);
	cr_expect_eq(PQnfields(out), 2);
	cr_expect_eq(PQntuples(out), 3);
	cr_expect_str_eq(PQgetvalue(out, 0, 1), "681");
	cr_expect_str_eq(PQgetvalue(out, 1, 1), "22969");
	cr_expect_str_eq(PQgetvalue(out, 2, 1), "69");
	cr_expect_str_eq(PQfname(out, 1), "scope_code");
	PQclear(out);
	PQclear(res);
}

/* ---- comparison and completeness: the rates' order without its other keys ---- */

static const char *const scope_names[] = {"scope_level", "scope_code", "province_code",
                                          "district_code", "title", "tag"};
static const struct report_column scope_cols[] = {
	{"scope_level", REPORT_TEXT}, {"scope_code", REPORT_TEXT}, {"province_code", REPORT_TEXT},
	{"district_code", REPORT_TEXT}, {"title", REPORT_TEXT},
};

/*
 * A comparison's rows (no year, level nor group): the province, the
 * communes directly under it, then its districts; each scope's titles in
 * the order of ref.titles; a row without a province sorts last, as its
 * NULL key did in SQL.
 */
Test(order, comparison_rows_by_scope_then_title)
{
	static const struct report_table cmp = {"comparison", "report/comparison.sql", scope_cols,
	                                        lengthof(scope_cols), 1, REPORT_ORDER_SCOPES};
	static const char *const rows[][NCOLS_MAX] = {
		{"commune", "22969", "68", NULL, "family", "03"},
		{"province", "68", "68", NULL, "clan", "02"},
		{"commune", "99999", NULL, NULL, "family", "06"},
		{"province", "68", "68", NULL, "family", "01"},
		{"commune", "22969", "68", NULL, "clan", "04"},
		{"district", "680", "68", "680", "family", "05"},
	};
	const int n = (int)lengthof(rows);
	PGresult *res = make(scope_names, (int)lengthof(scope_names), rows, n);
	struct hx_error err;
	int *order = NULL, r;

	hx_error_clear(&err);
	cr_assert_eq(report_order(res, &cmp, &order, &err), 0, "%s", err.msg);
	for (r = 0; r < n; r++) {
		char want[8];

		snprintf(want, sizeof want, "%02d", r + 1);
		cr_expect_str_eq(PQgetvalue(res, order[r], 5), want, "place %d", r + 1);
	}
	free(order);
	PQclear(res);
}

/* ---- targets and findings: column by column ------------------------------------ */

/* Check that report_order puts rows tagged "01".."NN" (in column tagcol) in tag order. */
static void expect_tag_order(const struct report_table *t, PGresult *res, int tagcol)
{
	struct hx_error err;
	int *order = NULL, r, n = PQntuples(res);

	hx_error_clear(&err);
	cr_assert_eq(report_order(res, t, &order, &err), 0, "%s", err.msg);
	cr_assert_not_null(order);
	for (r = 0; r < n; r++) {
		char want[16];

		snprintf(want, sizeof want, "%02d", r + 1);
		cr_expect_str_eq(PQgetvalue(res, order[r], tagcol), want, "%s: place %d", t->name,
		                 r + 1);
	}
	free(order);
}

/*
 * Targets: each province, its own target before its districts' and
 * communes' (by level, not by code); titles in the order of ref.titles,
 * the title's target before its groups' (a group ref.titles does not know
 * has no place: NULLS FIRST, then by name before none, as the SQL had it);
 * years.
 */
Test(order, targets_by_province_level_code_title_group_year)
{
	static const char *const names[] = {"province_code", "scope_level", "scope_code", "title",
	                                    "group", "year", "tag"};
	static const struct report_column cols[] = {{"province_code", REPORT_TEXT}};
	static const struct report_table t = {"targets", "report/targets.sql", cols, 1, 0,
	                                      REPORT_ORDER_TARGETS};
	static const char *const rows[][NCOLS_MAX] = {
		{"68", "commune", "22969", "family", NULL, "2025", "07"},
		{"68", "province", "68", "family", "official", "2025", "04"},
		{"68", "district", "680", "family", NULL, "2020", "06"},
		{"68", "province", "68", "family", NULL, "2025", "03"},
		{"68", "province", "68", "family", NULL, "2020", "02"},
		{"69", "province", "69", "family", NULL, "2020", "08"},
		{"68", "province", "68", "clan", NULL, "2020", "05"},
		{"68", "province", "68", "family", "zeta", "2020", "01"},
	};
	PGresult *res = make(names, (int)lengthof(names), rows, (int)lengthof(rows));

	expect_tag_order(&t, res, 6);
	PQclear(res);
}

/* Findings: errors, warnings, notes; then province, unit, year, title, rule, file, line. */
Test(order, findings_by_severity_then_every_column)
{
	static const char *const names[] = {"code", "severity", "province_code", "unit_code",
	                                    "year", "title", "message", "file", "line", "tag"};
	static const struct report_column cols[] = {{"code", REPORT_TEXT}};
	static const struct report_table t = {"findings", "report/findings.sql", cols, 1, 0,
	                                      REPORT_ORDER_FINDINGS};
	static const char *const rows[][NCOLS_MAX] = {
		{"F2", "info", "68", "22969", "2020", "family", "m", "a.csv", "3", "06"},
		{"F1", "warning", "68", "22969", "2020", "family", "m", "a.csv", "10", "05"},
		{"F1", "warning", "68", "22969", "2020", "family", "m", "a.csv", "9", "04"},
		{"F3", "error", "68", NULL, NULL, NULL, "m", NULL, NULL, "03"},
		{"F3", "error", "68", "22969", "2020", "family", "m", "a.csv", "2", "02"},
		{"F3", "error", "42", "449", "2020", "family", "m", "b.csv", "7", "01"},
	};
	PGresult *res = make(names, (int)lengthof(names), rows, (int)lengthof(rows));

	expect_tag_order(&t, res, 9);
	PQclear(res);
}

/* A commune's fraction the client cannot read as integers stops the run, naming it. */
Test(order, rankings_refuse_a_fraction_that_is_not_integers)
{
	static const char *const rows[][NCOLS_MAX] = {
		{"district", "681", "2020", "family", NULL, "22999", NULL, "68", "", "01", "commune",
		 "1.5", "8", ""},
	};
	PGresult *res = make(rank_names, (int)lengthof(rank_names), rows, 1);
	struct hx_error err;
	int *order = NULL;

	hx_error_clear(&err);
	cr_assert_eq(report_order(res, &rankings, &order, &err), -1);
	cr_expect_null(order);
	cr_expect_str_eq(err.msg, "sql/report/rankings.sql: numerator \"1.5\" or denominator \"8\" "
	                          "is not an integer");
	PQclear(res);
}
