/*
 * test_pp_change.c — mart.pp_change (migration 152), the change in
 * percentage points from one exact ratio to another that the comparison
 * publishes as delta_pp and growth_percent: rounded half away from zero
 * to 2 decimals from the exact values, the same figure whether it is
 * worked out in bigint (every count below 10^7) or in numeric (the
 * others), and NULL without two positive denominators.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "testsupport.h"

/* Each test: a fresh small database, a temporary directory, a connection (db, dir, conn). */
HX_TEST_SMALL_SUITE(pp_change);

/* na / da -> nb / db, and the figure as published (worked out with exact fractions). */
static const struct {
	const char *args;
	const char *want;
} cases[] = {
	{"20000, 30000, 19999, 30000", "0.00"}, /* -0.0033 pp */
	{"1, 3, 2, 3", "33.33"},
	{"1, 200, 0, 1", "-0.50"},
	{"0, 1, 1, 200", "0.50"},
	{"1, 20000, 0, 1", "-0.01"},       /* -0.005: half away from zero */
	{"0, 1, 1, 20000", "0.01"},        /* 0.005 */
	{"1, 40000, 0, 1", "0.00"},        /* -0.0025: no minus sign on zero */
	{"1, 1, 10005, 10000", "0.05"},    /* a growth of 0.05 % */
	{"1, 1, 2, 3", "-33.33"},
	{"5557, 7862, 6000, 7862", "5.63"},
	{"1, 1, 0, 7", "-100.00"},
	{"7, 8, 7, 8", "0.00"},
	{"9999999, 9999999, 0, 9999999", "-100.00"}, /* the last counts in bigint */
	{"10000000, 10000001, 1, 3", "-66.67"},      /* numeric from here */
	{"3000000000, 4000000000, 1, 4000000000", "-75.00"}, /* would overflow a bigint */
	{"-5, 10, 5, 10", "100.00"},                 /* a negative count: numeric */
	{"1, 0, 1, 1", "NULL"},
	{"1, 1, 1, -1", "NULL"},
	{"NULL, 1, 1, 1", "NULL"},
	{"1, 1, NULL, 1", "NULL"},
	{"1, NULL, 1, 1", "NULL"},
};

Test(pp_change, figures_of_a_table_of_cases)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *sql = hx_asprintf("SELECT coalesce(mart.pp_change(%s)::text, 'NULL')",
		                        cases[i].args);
		char *got = hx_test_db_value(conn, sql);

		cr_expect(strcmp(got, cases[i].want) == 0, "pp_change(%s) is %s, not %s",
		          cases[i].args, got, cases[i].want);
		free(got);
		free(sql);
	}
}

/*
 * The bigint and the numeric arithmetic give the same text on a grid that
 * crosses 10^7 (where one hands over to the other), with numerators below,
 * at and above their denominators.
 */
Test(pp_change, bigint_and_numeric_agree_on_a_grid)
{
	char *n = hx_test_db_value(
		conn,
		"WITH v (x) AS (VALUES (0::bigint), (1), (2), (3), (7), (999), (1000), (4999999),"
		"                      (9999998), (9999999), (10000000), (10000001), (123456789)),"
		"g AS (SELECT a.x AS na, b.x AS da, c.x AS nb, d.x AS db"
		"      FROM v a, v b, v c, v d WHERE b.x > 0 AND d.x > 0),"
		"r AS (SELECT mart.pp_change(na, da, nb, db) AS got,"
		"             sign(nb::numeric * da - na::numeric * db)"
		"             * div(abs(nb::numeric * da - na::numeric * db) * 20000 + da::numeric * db,"
		"                   2 * da::numeric * db) * 0.01 AS want"
		"      FROM g)"
		"SELECT count(*) || ' ' || count(*) FILTER (WHERE got::text IS DISTINCT FROM want::text)"
		"       || ' ' || count(*) FILTER (WHERE scale(got) <> 2)"
		"FROM r");

	/* 13 values, 12 of them denominators: 13 x 12 x 13 x 12 cases, none apart */
	cr_assert(eq(str, n, "24336 0 0"), "cases, disagreements, scales other than 2: %s", n);
	free(n);
}
