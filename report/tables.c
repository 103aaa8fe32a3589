/*
 * tables.c — what each output file of docs/design.md §6 holds: the SQL under
 * sql/report/ that selects its rows (in their published order) and its
 * columns, in the order they appear in the CSV header and in each JSON row.
 * Beyond the columns of §6 each scope row carries province_code (a district
 * code does not tell its province) and district_code (the district a
 * commune row lies in that year), each rate its exact numerator and
 * denominator, and a comparison the units it re-added (merged_from,
 * split_from, approximate).  The column names are checked against the SQL's at run time, so the two
 * cannot drift apart silently.  docs/outputs.md and report/schemas/ describe
 * the same columns for readers.
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "lengthof.h"
#include "report.h"
#include "sqlfiles.h"


static const struct report_column rates_columns[] = {
	{"scope_level", REPORT_TEXT},          {"scope_code", REPORT_TEXT},
	{"scope_name", REPORT_TEXT},           {"province_code", REPORT_TEXT},
	{"district_code", REPORT_TEXT},        {"year", REPORT_INT},
	{"title", REPORT_TEXT},                {"level", REPORT_INT},
	{"group", REPORT_TEXT},
	{"eligible", REPORT_INT},              {"registered", REPORT_INT},
	{"recognized", REPORT_INT},            {"exemplary", REPORT_INT},
	{"rate_eligible", REPORT_NUM},         {"rate_eligible_num", REPORT_INT},
	{"rate_eligible_den", REPORT_INT},     {"rate_registered", REPORT_NUM},
	{"rate_registered_num", REPORT_INT},   {"rate_registered_den", REPORT_INT},
	{"units_reporting", REPORT_INT},       {"units_expected", REPORT_INT},
	{"source_level", REPORT_TEXT},         {"provisional", REPORT_BOOL},
};

static const struct report_column comparison_columns[] = {
	{"scope_level", REPORT_TEXT},          {"scope_code", REPORT_TEXT},
	{"scope_name", REPORT_TEXT},           {"province_code", REPORT_TEXT},
	{"district_code", REPORT_TEXT},        {"title", REPORT_TEXT},
	{"headline", REPORT_TEXT},             {"year_a", REPORT_INT},
	{"year_b", REPORT_INT},                {"merged_from", REPORT_LIST},
	{"split_from", REPORT_LIST},           {"approximate", REPORT_BOOL},
	{"eligible_a", REPORT_INT},
	{"eligible_b", REPORT_INT},            {"delta_eligible", REPORT_INT},
	{"registered_a", REPORT_INT},          {"registered_b", REPORT_INT},
	{"delta_registered", REPORT_INT},      {"recognized_a", REPORT_INT},
	{"recognized_b", REPORT_INT},          {"delta_recognized", REPORT_INT},
	{"exemplary_a", REPORT_INT},           {"exemplary_b", REPORT_INT},
	{"delta_exemplary", REPORT_INT},       {"units_reporting_a", REPORT_INT},
	{"units_reporting_b", REPORT_INT},     {"rate_eligible_a", REPORT_NUM},
	{"rate_eligible_num_a", REPORT_INT},   {"rate_eligible_den_a", REPORT_INT},
	{"rate_eligible_b", REPORT_NUM},       {"rate_eligible_num_b", REPORT_INT},
	{"rate_eligible_den_b", REPORT_INT},   {"delta_pp_eligible", REPORT_NUM},
	{"rate_registered_a", REPORT_NUM},     {"rate_registered_num_a", REPORT_INT},
	{"rate_registered_den_a", REPORT_INT}, {"rate_registered_b", REPORT_NUM},
	{"rate_registered_num_b", REPORT_INT}, {"rate_registered_den_b", REPORT_INT},
	{"delta_pp_registered", REPORT_NUM},   {"delta_pp", REPORT_NUM},
	{"growth_percent", REPORT_NUM},        {"provisional", REPORT_BOOL},
};

static const struct report_column funds_columns[] = {
	{"scope_level", REPORT_TEXT},          {"scope_code", REPORT_TEXT},
	{"scope_name", REPORT_TEXT},           {"province_code", REPORT_TEXT},
	{"year", REPORT_INT},                  {"mobilized_vnd", REPORT_INT},
	{"mobilized_million_vnd", REPORT_NUM}, {"cumulative_vnd", REPORT_INT},
	{"scholarships", REPORT_INT},          {"scholarship_vnd", REPORT_INT},
	{"units_reporting", REPORT_INT},       {"period_years", REPORT_INT},
	{"period_mobilized_vnd", REPORT_INT},  {"period_mobilized_million_vnd", REPORT_NUM},
	{"period_scholarships", REPORT_INT},   {"period_scholarship_vnd", REPORT_INT},
	{"provisional", REPORT_BOOL},
};

static const struct report_column completeness_columns[] = {
	{"scope_level", REPORT_TEXT},          {"scope_code", REPORT_TEXT},
	{"scope_name", REPORT_TEXT},           {"province_code", REPORT_TEXT},
	{"district_code", REPORT_TEXT},        {"year", REPORT_INT},
	{"units_expected", REPORT_INT},
	{"units_reporting", REPORT_INT},       {"percent", REPORT_NUM},
	{"missing", REPORT_LIST},
};

static const struct report_column targets_columns[] = {
	{"scope_level", REPORT_TEXT},          {"scope_code", REPORT_TEXT},
	{"scope_name", REPORT_TEXT},           {"province_code", REPORT_TEXT},
	{"title", REPORT_TEXT},                {"group", REPORT_TEXT},
	{"year", REPORT_INT},                  {"target_percent", REPORT_NUM},
	{"source", REPORT_TEXT},               {"actual_percent", REPORT_NUM},
	{"headline", REPORT_TEXT},             {"numerator", REPORT_INT},
	{"denominator", REPORT_INT},           {"gap_pp", REPORT_NUM},
	{"met", REPORT_BOOL},                  {"provisional", REPORT_BOOL},
};

static const struct report_column rankings_columns[] = {
	{"scope_level", REPORT_TEXT},          {"scope_code", REPORT_TEXT},
	{"year", REPORT_INT},                  {"title", REPORT_TEXT},
	{"rank", REPORT_INT},                  {"unit_level", REPORT_TEXT},
	{"unit_code", REPORT_TEXT},            {"unit_name", REPORT_TEXT},
	{"rate", REPORT_NUM},                  {"numerator", REPORT_INT},
	{"denominator", REPORT_INT},           {"provisional", REPORT_BOOL},
};

static const struct report_column findings_columns[] = {
	{"code", REPORT_TEXT},                 {"severity", REPORT_TEXT},
	{"province_code", REPORT_TEXT},        {"unit_code", REPORT_TEXT},
	{"year", REPORT_INT},                  {"title", REPORT_TEXT},
	{"message", REPORT_TEXT},              {"file", REPORT_TEXT},
	{"line", REPORT_INT},
};

const struct report_table report_tables[] = {
	{"rates", "report/rates.sql", rates_columns, lengthof(rates_columns), 0, REPORT_ORDER_RATES},
	{"comparison", "report/comparison.sql", comparison_columns, lengthof(comparison_columns), 1,
	 REPORT_ORDER_SCOPES},
	{"funds", "report/funds.sql", funds_columns, lengthof(funds_columns), 1, REPORT_ORDER_SQL},
	{"completeness", "report/completeness.sql", completeness_columns,
	 lengthof(completeness_columns), 0, REPORT_ORDER_SCOPES},
	{"targets", "report/targets.sql", targets_columns, lengthof(targets_columns), 0,
	 REPORT_ORDER_TARGETS},
	{"rankings", "report/rankings.sql", rankings_columns, lengthof(rankings_columns), 0,
	 REPORT_ORDER_RANKINGS},
	{"findings", "report/findings.sql", findings_columns, lengthof(findings_columns), 0,
	 REPORT_ORDER_FINDINGS},
};
const size_t report_ntables = lengthof(report_tables);

int report_table_send(PGconn *conn, const struct report_table *t, const struct report_opts *opts,
                      struct hx_error *err)
{
	const char *sql = hx_sql_script(t->script);
	char ya[16], yb[16];
	const char *params[2] = {ya, yb};

	if (sql == NULL)
		return hx_error_set(err, HX_SOFTWARE, "sql/%s is missing from this build", t->script);
	snprintf(ya, sizeof ya, "%d", opts != NULL ? opts->year_a : 0);
	snprintf(yb, sizeof yb, "%d", opts != NULL ? opts->year_b : 0);
	if (hx_db_send(conn, err, sql, t->takes_years ? 2 : 0, t->takes_years ? params : NULL) < 0) {
		hx_error_prefix(err, t->name);
		return -1;
	}
	return 0;
}

PGresult *report_table_receive(PGconn *conn, const struct report_table *t, struct hx_error *err)
{
	PGresult *res = hx_db_receive(conn, err);
	size_t i;

	if (res == NULL) {
		hx_error_prefix(err, t->name);
		return NULL;
	}
	if ((size_t)PQnfields(res) != t->ncolumns &&
	    (t->order == REPORT_ORDER_SQL || (size_t)PQnfields(res) < t->ncolumns)) {
		hx_error_set(err, HX_SOFTWARE, "sql/%s returns %d columns, the %s file has %zu",
		             t->script, PQnfields(res), t->name, t->ncolumns);
		PQclear(res);
		return NULL;
	}
	for (i = 0; i < t->ncolumns; i++)
		if (strcmp(PQfname(res, (int)i), t->columns[i].name) != 0) {
			hx_error_set(err, HX_SOFTWARE,
			             "sql/%s: column %zu is \"%s\", the %s file expects \"%s\"", t->script,
			             i + 1, PQfname(res, (int)i), t->name, t->columns[i].name);
			PQclear(res);
			return NULL;
		}
	return res;
}
