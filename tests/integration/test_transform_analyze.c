/*
 * test_transform_analyze.c — the transform leaves statistics for the marts
 * it rewrote in good part (sql/transform/75_analyze.sql), so that a report
 * run right after it is planned on the marts' real row counts, not on
 * whatever autovacuum has or has not analyzed yet; it analyzes the core
 * tables it fills before its own later statements join them (migration
 * 151, core.analyze_written); and it analyzes nothing when it changed
 * nothing (a --full over the same files).
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

/* A table's row count as ANALYZE last left it in pg_class, and its statistics' version. */
static char *stats_of(const char *table)
{
	char *sql = hx_asprintf("SELECT c.reltuples::bigint || ' '"
	                        " || coalesce((SELECT min(s.xmin::text) FROM pg_statistic s"
	                        "              WHERE s.starelid = c.oid), 'none')"
	                        " FROM pg_class c WHERE c.oid = '%s'::regclass",
	                        table);
	char *v = hx_test_db_value(conn, sql);

	free(sql);
	return v;
}

/* The tables checked: the marts the report reads, the core tables 40-68 join. */
static const char *const tables[] = {"mart.rates", "core.unit_years", "core.facts"};
#define NTABLES (sizeof tables / sizeof tables[0])

Test(transform_analyze, the_first_night_leaves_statistics_and_a_same_full_none)
{
	char *first[NTABLES];

	for (size_t i = 0; i < NTABLES; i++) {
		char *off = hx_asprintf("ALTER TABLE %s SET (autovacuum_enabled = false)", tables[i]);

		hx_test_db_exec(conn, off);
		free(off);
	}
	hx_test_ingest_text(db, dir, "a.csv", tally);
	transform("-q");
	for (size_t i = 0; i < NTABLES; i++) {
		char *sql = hx_asprintf("SELECT count(*) FROM %s", tables[i]);
		char *rows = hx_test_db_value(conn, sql);
		char *want = hx_asprintf("%s ", rows);

		first[i] = stats_of(tables[i]);
		/* the counts the planner reads are the tables' own, with their columns' statistics */
		cr_assert(strncmp(first[i], want, strlen(want)) == 0 && strstr(first[i], "none") == NULL,
		          "%s holds %s rows; pg_class and pg_statistic say %s", tables[i], rows,
		          first[i]);
		free(sql);
		free(rows);
		free(want);
	}
	/* a --full that finds the rows as they were writes none: no ANALYZE */
	transform("--full");
	for (size_t i = 0; i < NTABLES; i++) {
		char *again = stats_of(tables[i]);

		cr_assert(eq(str, again, first[i]), "%s was analyzed again by a --full that changed "
		                                    "nothing",
		          tables[i]);
		free(again);
		free(first[i]);
	}
}
