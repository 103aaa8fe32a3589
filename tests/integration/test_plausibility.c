/*
 * test_plausibility.c — values that parse and contradict nothing, yet
 * cannot be right (issue 22 item 3, docs/rules.md "Plausibility"), against
 * a real database: a rate written 73.935 in a file of Vietnamese numbers
 * (read as 73935) is an error naming the misplaced decimal mark; a commune
 * fund of 99.999.999 million VND is above the ceiling (an error, kept out of
 * the fund); a fund per household far outside what provinces publish, and
 * eligible households above the households a province knows, are
 * warnings; and the bounds are data: changed in ref.plausibility, the next
 * run rebuilds every year by them.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "testsupport.h"

#define RUN(program, db, ...) \
	hx_test_program((program), (db), (const char *const[]){__VA_ARGS__, NULL})

/* Each test: a fresh small database, a temporary directory, a connection (db, dir, conn). */
HX_TEST_SMALL_SUITE(plausibility);


static struct hx_test_output transform(void)
{
	return RUN("hoctap-transform", db, "-v");
}

/* The message of the one finding of code for unit (NULL when none). */
static char *finding(const char *code, const char *unit)
{
	char sql[512];

	snprintf(sql, sizeof sql,
	         "SELECT string_agg(severity || ': ' || message, ' | ') FROM mart.findings "
	         "WHERE code = '%s' AND unit_code = '%s'", code, unit);
	return hx_test_db_value(conn, sql);
}

Test(plausibility, a_rate_above_100_names_the_misplaced_decimal_mark)
{
	char *msg;
	struct hx_test_output o;

	hx_test_ingest_text(db, dir, "x.csv",
	            "year,unit_code,title,eligible,registered,recognized,reported_rate\n"
	            "2020,00004,family,5000,4100,3697,73.935\n"
	            "2020,00007,family,3000,2000,1500,\"150,5\"\n");
	/* How ingest reads it: "." between groups of three digits is a thousands mark. */
	hx_test_assert_value(conn, "73935", "SELECT reported_rate FROM staging.tally WHERE line = 2");
	o = transform();
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	cr_assert(strstr(o.err, "x.csv:2: 00004 Phường Trúc Bạch, 2020, family: reported rate "
	                        "73935% is above 100%: a misplaced decimal mark? \"73.935\" reads as "
	                        "73935 in Vietnamese numbers, where \".\" separates thousands; for "
	                        "73.935% write \"73,935\", or declare the file English-style "
	                        "(--numbers=en) (rate_above_100)") != NULL,
	          "%s", o.err);
	hx_test_output_free(&o);
	msg = finding("rate_above_100", "00007");
	cr_assert(msg != NULL && strstr(msg, "error: x.csv:3: 00007 Phường Vĩnh Phúc, 2020, family: "
	                                     "reported rate 150,5% is above 100%: no rate can be") !=
	                             NULL, "%s", msg ? msg : "(none)");
	free(msg);
	/* Not a mere mismatch as well, and both values are kept out. */
	hx_test_assert_value(conn, "0",
	                     "SELECT count(*) FROM mart.findings WHERE code = 'reported_rate_mismatch'");
	hx_test_assert_value(conn, "false:rate_above_100 false:rate_above_100",
	                     "SELECT string_agg(included || ':' || excluded_by, ' ' ORDER BY unit_code) "
	                     "FROM mart.facts WHERE year = 2020 AND title = 'family'");
	hx_test_assert_value(conn, "0", "SELECT count(*) FROM mart.rates "
	                                "WHERE scope_code = '001' AND year = 2020 AND title = 'family'");
}

/*
 * A night of tallies (2020, 2021) and funds — 00004's of 99.999.999 million
 * VND, 00007's of 150 million and of 2,000 VND — with 4,000 households
 * known for 00004 in 2019; transformed: 65, the ceiling's error listed.
 */
static void funds_and_households(void)
{
	struct hx_test_output o;

	hx_test_ingest_text(db, dir, "t.csv",
	            "year,unit_code,title,eligible,registered,recognized\n"
	            "2020,00004,family,5000,4100,4000\n"
	            "2020,00007,family,3000,2000,1500\n"
	            "2021,00007,family,3000,2000,1600\n");
	hx_test_ingest_text(db, dir, "f.csv",
	            "year,unit_code,mobilized_million_vnd\n"
	            "2020,00004,99.999.999\n"
	            "2020,00007,150\n"
	            "2021,00007,\"0,002\"\n");
	hx_test_db_exec(conn, "INSERT INTO ref.households (unit_code, year, households, source) "
	                      "VALUES ('00004', 2019, 4000, 'census 2019')");
	o = transform();
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	cr_assert(strstr(o.err, "f.csv:2: 00004 Phường Trúc Bạch, 2020: mobilized "
	                        "99,999,999,000,000 VND (99,999,999 million VND) is above the ceiling "
	                        "of 100,000,000,000 VND a year for a commune") != NULL, "%s", o.err);
	hx_test_output_free(&o);
}

Test(plausibility, a_fund_above_the_ceiling_is_an_error_kept_out_of_the_figures)
{
	funds_and_households();
	/* The fund is kept out: the district's is its other commune's alone. */
	hx_test_assert_value(conn, "150000000|1", "SELECT mobilized_vnd || '|' || units_reporting "
	                                          "FROM mart.funds WHERE scope_code = '001' AND year = 2020");
}

Test(plausibility, a_fund_far_from_what_households_give_is_a_warning_kept_in)
{
	char *msg;

	funds_and_households();
	/* 2,000 VND for 3,000 households: a warning, kept in. */
	msg = finding("fund_per_household", "00007");
	cr_assert(msg != NULL && strstr(msg, "warning: f.csv:4: 00007 Phường Vĩnh Phúc, 2021: "
	                                     "mobilized 2,000 VND for 3,000 households (eligible "
	                                     "family households, t.csv:4) is 1 VND a household, "
	                                     "outside the 1,000 to 5,000,000 VND") != NULL,
	          "%s", msg ? msg : "(none)");
	free(msg);
	hx_test_assert_value(conn, "2000", "SELECT mobilized_vnd FROM mart.funds "
	                                   "WHERE scope_code = '001' AND year = 2021");
	/* 150 million for 3,000 households (50,000 a household) is plausible. */
	hx_test_assert_value(conn, "1", "SELECT count(*) FROM mart.findings "
	                                "WHERE code = 'fund_per_household'");
}

Test(plausibility, more_eligible_households_than_known_is_a_warning)
{
	char *msg;

	funds_and_households();
	/* 5,000 eligible households where 4,000 are known for 2019 (+10% allowed). */
	msg = finding("eligible_above_households", "00004");
	cr_assert(msg != NULL && strstr(msg, "warning: t.csv:2: 00004 Phường Trúc Bạch, 2020, family: "
	                                     "eligible households 5,000 > 4,000 households known for "
	                                     "2019 (census 2019), more than the 10% allowed for "
	                                     "growth") != NULL,
	          "%s", msg ? msg : "(none)");
	free(msg);
}

Test(plausibility, bounds_a_province_changes_rebuild_every_year)
{
	char *msg;
	struct hx_test_output o;

	funds_and_households();
	/* The province raises the ceiling and the margin: the next run rebuilds by them. */
	hx_test_db_exec(conn, "UPDATE ref.plausibility SET high = 1e15 "
	                      "WHERE rule = 'fund_above_ceiling' AND level = 'commune'");
	hx_test_db_exec(conn, "UPDATE ref.plausibility SET high = 1.30 "
	                      "WHERE rule = 'eligible_above_households'");
	o = transform();
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	cr_assert(strstr(o.err, "plausibility bounds or households changed since the last run: "
	                        "rebuilt in full") != NULL, "%s", o.err);
	hx_test_output_free(&o);
	hx_test_assert_value(conn, "0", "SELECT count(*) FROM mart.findings WHERE code IN "
	                                "('fund_above_ceiling', 'eligible_above_households')");
	/* Now in the fund, and far above what a household gives. */
	hx_test_assert_value(conn, "100000149000000|2",
	                     "SELECT mobilized_vnd || '|' || units_reporting FROM mart.funds "
	                     "WHERE scope_code = '001' AND year = 2020");
	msg = finding("fund_per_household", "00004");
	cr_assert(msg != NULL && strstr(msg, "is 19,999,999,800 VND a household") != NULL, "%s",
	          msg ? msg : "(none)");
	free(msg);
}
