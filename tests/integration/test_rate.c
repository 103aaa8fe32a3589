/*
 * test_rate.c — core.rate (migration 153), every published rate: 100 x
 * num / den rounded half away from zero to 2 decimals, the same figure
 * whether it is worked out in bigint (0 <= num, 0 < den < 10^9) or in
 * numeric (the others), and NULL without a denominator.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "testsupport.h"

/* Each test: a fresh small database, a temporary directory, a connection (db, dir, conn). */
HX_TEST_SMALL_SUITE(rate);

/* num, den, and the rate as published (worked out by hand). */
static const struct {
	const char *args;
	const char *want;
} cases[] = {
	{"5557, 7862", "70.68"},             /* the seeds' household rate */
	{"1, 3", "33.33"},
	{"2, 3", "66.67"},
	{"1, 8", "12.50"},                   /* 12.5 exactly */
	{"1, 20000", "0.01"},                /* 0.005: half away from zero */
	{"1, 20001", "0.00"},
	{"0, 7", "0.00"},
	{"7, 7", "100.00"},
	{"8, 7", "114.29"},                  /* above 100: rate_above_100's finding */
	{"999999999, 999999999", "100.00"},  /* the last in bigint */
	{"1, 1000000000", "0.00"},           /* numeric from here */
	{"5, 1000000000", "0.00"},
	{"500000, 1000000000", "0.05"},
	{"27000000000, 30000000000", "90.00"},
	{"-1, 3", "-33.33"},                 /* a negative count: numeric */
	{"1, -3", "-33.33"},
	{"1, 0", "NULL"},
	{"NULL, 1", "NULL"},
	{"1, NULL", "NULL"},
};

Test(rate, figures_of_a_table_of_cases)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *sql = hx_asprintf("SELECT coalesce(core.rate(%s)::text, 'NULL')", cases[i].args);
		char *got = hx_test_db_value(conn, sql);

		cr_expect(strcmp(got, cases[i].want) == 0, "rate(%s) is %s, not %s", cases[i].args,
		          got, cases[i].want);
		free(got);
		free(sql);
	}
}

/*
 * The bigint and the numeric arithmetic give the same text: on a grid that
 * crosses 10^9 (where one hands over to the other), and on every numerator
 * up to each of a few denominators, rounding boundaries included.
 */
Test(rate, bigint_and_numeric_agree)
{
	char *n = hx_test_db_value(
		conn,
		"WITH v (x) AS (VALUES (0::bigint), (1), (2), (3), (7), (999), (1000), (7862),"
		"                      (20000), (4999999), (10000000), (999999998), (999999999),"
		"                      (1000000000), (1000000001), (123456789012)),"
		"g AS (SELECT a.x AS num, b.x AS den FROM v a, v b WHERE b.x > 0"
		"      UNION ALL"
		"      SELECT n, d FROM (VALUES (7862::bigint), (20000), (40000), (123457)) AS dd (d),"
		"                       generate_series(0::bigint, dd.d + 10) AS n),"
		"r AS (SELECT core.rate(num, den) AS got, round(100::numeric * num / den, 2) AS want"
		"      FROM g)"
		"SELECT count(*) || ' ' || count(*) FILTER (WHERE got::text IS DISTINCT FROM want::text)"
		"       || ' ' || count(*) FILTER (WHERE scale(got) <> 2)"
		"FROM r");

	/* 16 x 15 of the grid, and 7873 + 20011 + 40011 + 123468 numerators */
	cr_assert(eq(str, n, "191603 0 0"), "cases, disagreements, scales other than 2: %s", n);
	free(n);
}
