/*
 * test_put_rows.c — how hoctap-transform writes its large marts
 * (core.put_rows, migration 141, docs/rules.md "Incremental runs, --full,
 * concurrency"): a night adds its pairs' new rows; --full changes each mart
 * by its difference from the new rows only — rows that are not among them
 * deleted, new rows not already there inserted, rows compared whole and
 * byte for byte — so that the marts end exactly as if emptied and filled
 * again, and a row that came out as it was is not written at all.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "testsupport.h"

#define RUN(program, conninfo, ...) \
	hx_test_program((program), (conninfo), (const char *const[]){__VA_ARGS__, NULL})

/* Each test: a fresh small database, a temporary directory, a connection (db, dir, conn). */
HX_TEST_SMALL_SUITE(put_rows);

/* A table of the shape put_rows takes, its rows as one text (NULL shown). */
static const char rows_sql[] =
	"SELECT string_agg(k || ' ' || y || ' ' || coalesce(v::text, 'NULL') || ' ' "
	"|| coalesce(quote_literal(s), 'NULL'), '; ' ORDER BY k, y) FROM public.%s";

/* Every row version of the mart: what a write would change. */
static const char versions_sql[] =
	"SELECT string_agg(k || y || ':' || xmin::text || ctid::text, ' ' ORDER BY k, y) "
	"FROM public.mart_t";

static char *rows_of(const char *table)
{
	char sql[512];

	snprintf(sql, sizeof sql, rows_sql, table);
	return hx_test_db_value(conn, sql);
}

static void make_tables(void)
{
	hx_test_db_exec(conn, "CREATE TABLE public.mart_t (k text NOT NULL, y smallint NOT NULL, "
	                      "v numeric, s text, PRIMARY KEY (k, y))");
	hx_test_db_exec(conn, "CREATE TABLE public.new_t (LIKE public.mart_t)");
	hx_test_db_exec(conn, "INSERT INTO public.mart_t VALUES "
	                      "('a', 1, 87.5, 'x'), ('b', 1, 1, NULL), ('c', 1, 2, NULL), "
	                      "('d', 1, 3, 'w'), ('b', 2, 4, 'same')");
}

Test(put_rows, full_makes_the_mart_its_new_rows_and_writes_only_the_difference)
{
	char *before_b, *before_b2, *before_a, *got, *want;

	make_tables();
	/* a: the same number at another scale (87.50 prints otherwise); b 1 and
	 * b 2: unchanged; c: NULL became ''; d: gone; e: new. */
	hx_test_db_exec(conn, "INSERT INTO public.new_t VALUES "
	                      "('a', 1, 87.50, 'x'), ('b', 1, 1, NULL), ('c', 1, 2, ''), "
	                      "('e', 1, 5, 'q'), ('b', 2, 4, 'same')");
	before_b = hx_test_db_value(conn, "SELECT ctid FROM public.mart_t WHERE k = 'b' AND y = 1");
	before_b2 = hx_test_db_value(conn, "SELECT ctid FROM public.mart_t WHERE k = 'b' AND y = 2");
	before_a = hx_test_db_value(conn, "SELECT ctid FROM public.mart_t WHERE k = 'a'");

	hx_test_db_exec(conn, "SELECT core.put_rows('public.mart_t', 'public.new_t', "
	                      "ARRAY['k', 'y'], true)");

	got = rows_of("mart_t");
	want = rows_of("new_t");
	cr_assert(eq(str, got, "a 1 87.50 'x'; b 1 1 NULL; b 2 4 'same'; c 1 2 ''; e 1 5 'q'"));
	cr_assert(eq(str, got, want));
	/* The unchanged rows were not written: the same row versions. */
	hx_test_assert_value(conn, before_b, "SELECT ctid FROM public.mart_t WHERE k = 'b' AND y = 1");
	hx_test_assert_value(conn, before_b2, "SELECT ctid FROM public.mart_t WHERE k = 'b' AND y = 2");
	/* The changed one was: 87.5 and 87.50 are not the same figure as printed. */
	{
		char *after_a = hx_test_db_value(conn, "SELECT ctid FROM public.mart_t WHERE k = 'a'");
		char *versions = hx_test_db_value(conn, versions_sql);

		cr_assert(ne(str, after_a, before_a));
		/* Made again from the same rows, nothing is written at all. */
		hx_test_db_exec(conn, "SELECT core.put_rows('public.mart_t', 'public.new_t', "
		                      "ARRAY['k', 'y'], true)");
		hx_test_assert_value(conn, versions, "%s", versions_sql);
		free(after_a);
		free(versions);
	}
	free(before_b);
	free(before_b2);
	free(before_a);
	free(got);
	free(want);
}

/*
 * A key with a column that may be NULL (mart.targets: scope, title, year
 * and group, NULLS NOT DISTINCT): rows that share the other columns are
 * still told apart, NULL from '' too, and a change to one of them
 * replaces that one only.
 */
Test(put_rows, a_key_column_may_be_null)
{
	char *got, *before;

	hx_test_db_exec(conn, "CREATE TABLE public.mart_t (k text NOT NULL, g text, v numeric, "
	                      "UNIQUE NULLS NOT DISTINCT (k, g))");
	hx_test_db_exec(conn, "CREATE TABLE public.new_t (LIKE public.mart_t)");
	hx_test_db_exec(conn, "INSERT INTO public.mart_t VALUES ('a', NULL, 1), ('a', 'adult', 2), "
	                      "('a', 'official', 3), ('a', '', 4)");
	hx_test_db_exec(conn, "INSERT INTO public.new_t VALUES ('a', NULL, 1), ('a', 'adult', 20), "
	                      "('a', 'official', 3), ('a', '', 4)");
	before = hx_test_db_value(conn, "SELECT string_agg(ctid::text, ' ' ORDER BY g NULLS FIRST) "
	                                "FROM public.mart_t WHERE g IS DISTINCT FROM 'adult'");
	hx_test_db_exec(conn, "SELECT core.put_rows('public.mart_t', 'public.new_t', "
	                      "ARRAY['k', 'g'], true)");
	got = hx_test_db_value(conn, "SELECT string_agg(k || ' ' || coalesce(quote_literal(g), 'NULL') "
	                             "|| ' ' || v, '; ' ORDER BY g NULLS FIRST) FROM public.mart_t");
	cr_assert(eq(str, got, "a NULL 1; a '' 4; a 'adult' 20; a 'official' 3"));
	hx_test_assert_value(conn, before, "SELECT string_agg(ctid::text, ' ' ORDER BY g NULLS FIRST) "
	                                   "FROM public.mart_t WHERE g IS DISTINCT FROM 'adult'");
	free(got);
	free(before);
}

Test(put_rows, a_night_adds_its_rows)
{
	char *got;

	make_tables();
	hx_test_db_exec(conn, "INSERT INTO public.new_t VALUES ('e', 1, 5, 'q'), ('a', 2, NULL, '')");
	hx_test_db_exec(conn, "SELECT core.put_rows('public.mart_t', 'public.new_t', "
	                      "ARRAY['k', 'y'], false)");
	got = rows_of("mart_t");
	cr_assert(eq(str, got, "a 1 87.5 'x'; a 2 NULL ''; b 1 1 NULL; b 2 4 'same'; c 1 2 NULL; "
	                       "d 1 3 'w'; e 1 5 'q'"));
	free(got);
}


static void transform(const char *conninfo, const char *mode)
{
	struct hx_test_output o = RUN("hoctap-transform", conninfo, mode);

	cr_assert(eq(int, o.status, 0), "hoctap-transform %s: %s", mode, o.err);
	hx_test_output_free(&o);
}

/* Every mart put_rows writes, as one text: rows sorted, tables in order. */
static char *marts_text(PGconn *c)
{
	static const char *const marts[] = {"rates",       "facts",        "completeness",
	                                    "fund_facts", "scope_years", "targets"};
	char *all = hx_strdup(""), *part, *next;
	char sql[512];

	for (size_t i = 0; i < sizeof marts / sizeof marts[0]; i++) {
		snprintf(sql, sizeof sql,
		         "SELECT '%s: ' || coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), '') "
		         "FROM mart.%s r",
		         marts[i], marts[i]);
		part = hx_test_db_value(c, sql);
		next = hx_asprintf("%s%s\n", all, part);
		free(all);
		free(part);
		all = next;
	}
	return all;
}

static const char tally_2020[] =
	"year,unit_code,title,eligible,registered,recognized\n"
	"2020,00004,family,5000,4100,3697\n"
	"2020,00007,family,3000,2000,1500\n";
static const char correction[] =
	"year,unit_code,title,eligible,registered,recognized\n"
	"2020,00004,family,5000,4100,3700\n"
	"2021,00004,family,5100,4200,3800\n";

Test(put_rows, full_over_older_marts_equals_full_into_empty_ones)
{
	char *other = hx_test_small_db();
	PGconn *oc = hx_test_db_connect(other);
	char *kept, *built, *fresh;

	/* Marts of the first file, then the correction and --full over them. */
	hx_test_ingest_text(db, dir, "a.csv", tally_2020);
	transform(db, "-q");
	kept = hx_test_db_value(conn, "SELECT ctid FROM mart.rates WHERE scope_code = '00007' "
	                              "AND year = 2020 AND title = 'family'");
	hx_test_ingest_text(db, dir, "b.csv", correction);
	transform(db, "--full");
	/* Into empty marts: both files, then --full. */
	hx_test_ingest_text(other, dir, "a.csv", tally_2020);
	hx_test_ingest_text(other, dir, "b.csv", correction);
	transform(other, "--full");

	built = marts_text(conn);
	fresh = marts_text(oc);
	cr_assert(eq(str, built, fresh));
	hx_test_assert_value(conn, "3700", "SELECT recognized FROM mart.rates WHERE scope_code = "
	                                   "'00004' AND year = 2020 AND title = 'family'");
	hx_test_assert_value(conn, "5200", "SELECT recognized FROM mart.rates WHERE scope_level = "
	                                   "'province' AND year = 2020 AND title = 'family'");
	/* 00007's own row came out as it was: not written again. */
	hx_test_assert_value(conn, kept, "SELECT ctid FROM mart.rates WHERE scope_code = '00007' "
	                                 "AND year = 2020 AND title = 'family'");
	free(kept);
	free(built);
	free(fresh);
	PQfinish(oc);
	hx_test_db_discard(&other);
}
