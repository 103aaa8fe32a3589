/*
 * test_transform_analyze.c — the transform leaves statistics for the marts
 * it rewrote in good part (sql/transform/75_analyze.sql), so that a report
 * run right after it is planned on the marts' real row counts, not on
 * whatever autovacuum has or has not analyzed yet; and it analyzes nothing
 * when it changed nothing (a --full over the same files).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "testsupport.h"

/* Each test: a fresh small database, a temporary directory, a connection (db, dir, conn). */
HX_TEST_SMALL_SUITE(transform_analyze);

static void transform(const char *mode)
{
	const char *args[] = {mode, NULL};
	struct hx_test_output o = hx_test_program("hoctap-transform", db, args);

	cr_assert(eq(int, o.status, 0), "hoctap-transform %s: %s", mode, o.err);
	cr_assert(eq(str, o.err, ""), "hoctap-transform %s warned", mode);
	hx_test_output_free(&o);
}

static const char tally[] =
	"year,unit_code,title,eligible,registered,recognized\n"
	"2020,00004,family,5000,4100,3697\n"
	"2020,00007,family,3000,2000,1500\n"
	"2021,00004,family,5100,4200,3800\n";

/* mart.rates' row count as ANALYZE last left it in pg_class, and its statistics' version. */
static char *rates_stats(void)
{
	return hx_test_db_value(conn, "SELECT c.reltuples::bigint || ' '"
	                              " || coalesce((SELECT min(s.xmin::text) FROM pg_statistic s"
	                              "              WHERE s.starelid = c.oid), 'none')"
	                              " FROM pg_class c WHERE c.oid = 'mart.rates'::regclass");
}

Test(transform_analyze, the_first_night_leaves_statistics_and_a_same_full_none)
{
	char *rows, *first, *again, *want;

	hx_test_db_exec(conn, "ALTER TABLE mart.rates SET (autovacuum_enabled = false)");
	hx_test_ingest_text(db, dir, "a.csv", tally);
	transform("-q");
	rows = hx_test_db_value(conn, "SELECT count(*) FROM mart.rates");
	first = rates_stats();
	want = hx_asprintf("%s ", rows);
	/* the counts the planner reads are the marts' own, with their columns' statistics */
	cr_assert(strncmp(first, want, strlen(want)) == 0 && strstr(first, "none") == NULL,
	          "mart.rates holds %s rows; pg_class and pg_statistic say %s", rows, first);
	/* a --full that finds the marts as they were writes no row: no ANALYZE */
	transform("--full");
	again = rates_stats();
	cr_assert(eq(str, again, first), "mart.rates was analyzed again by a --full that changed "
	                                 "nothing");
	free(rows);
	free(first);
	free(again);
	free(want);
}
