/*
 * test_put_rows_columns.c — core.put_rows (migration 150) compares a mart's
 * rows column by column, each column by a test that holds exactly when the
 * two values are the same byte for byte: a row whose one column changed
 * only in how it prints (87.5 and 87.50, {"x": 1} and {"x": 1.0}) or from
 * NULL to an empty value is written again; a row equal in every column is
 * not written at all.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testsupport.h"

/* Each test: a fresh small database, a temporary directory, a connection (db, dir, conn). */
HX_TEST_SMALL_SUITE(put_rows_columns);

/* One column of each kind the marts have, and two put_rows has no rule of its own for. */
static const char table_sql[] =
	"CREATE TABLE public.mart_c (k text NOT NULL PRIMARY KEY, i integer, b bigint, f boolean, "
	"n numeric, t text, d date, ts timestamptz, a text[], j jsonb)";

static const char row_sql[] =
	"INSERT INTO public.%s VALUES "
	"('same', 1, 2, true, 87.5, 'x', '2020-12-31', '2020-12-31 10:00+07', '{a,b}', '{\"x\": 1}'), "
	"('i', 1, 2, true, 87.5, 'x', '2020-12-31', '2020-12-31 10:00+07', '{a,b}', '{\"x\": 1}'), "
	"('f', 1, 2, true, 87.5, 'x', '2020-12-31', '2020-12-31 10:00+07', '{a,b}', '{\"x\": 1}'), "
	"('n', 1, 2, true, 87.5, 'x', '2020-12-31', '2020-12-31 10:00+07', '{a,b}', '{\"x\": 1}'), "
	"('t', 1, 2, true, 87.5, NULL, '2020-12-31', '2020-12-31 10:00+07', '{a,b}', '{\"x\": 1}'), "
	"('ts', 1, 2, true, 87.5, 'x', '2020-12-31', '2020-12-31 10:00+07', '{a,b}', '{\"x\": 1}'), "
	"('a', 1, 2, true, 87.5, 'x', '2020-12-31', '2020-12-31 10:00+07', NULL, '{\"x\": 1}'), "
	"('j', 1, 2, true, 87.5, 'x', '2020-12-31', '2020-12-31 10:00+07', '{a,b}', '{\"x\": 1}')";

/* Each row's ctid, by key: where its version lies. */
static const char ctids_sql[] =
	"SELECT string_agg(k || '=' || ctid::text, ' ' ORDER BY k) FROM public.mart_c";

/* The mart public.mart_c and its new rows public.new_c, the same eight rows in both. */
static void make_tables(void)
{
	char sql[2048];

	hx_test_db_exec(conn, table_sql);
	hx_test_db_exec(conn, "CREATE TABLE public.new_c (LIKE public.mart_c)");
	snprintf(sql, sizeof sql, row_sql, "mart_c");
	hx_test_db_exec(conn, sql);
	snprintf(sql, sizeof sql, row_sql, "new_c");
	hx_test_db_exec(conn, sql);
}

Test(put_rows_columns, a_row_is_written_again_when_one_column_prints_otherwise)
{
	char *before, *after, *want;

	make_tables();
	/* One column changed in each row but 'same': f from true to NULL, n at
	 * another scale, t from NULL to '', ts the same instant, a from NULL to
	 * {}, j the same number written otherwise; i a real change. */
	hx_test_db_exec(conn, "UPDATE public.new_c SET i = 10 WHERE k = 'i'");
	hx_test_db_exec(conn, "UPDATE public.new_c SET f = NULL WHERE k = 'f'");
	hx_test_db_exec(conn, "UPDATE public.new_c SET n = 87.50 WHERE k = 'n'");
	hx_test_db_exec(conn, "UPDATE public.new_c SET t = '' WHERE k = 't'");
	hx_test_db_exec(conn, "UPDATE public.new_c SET ts = '2020-12-31 03:00+00' WHERE k = 'ts'");
	hx_test_db_exec(conn, "UPDATE public.new_c SET a = '{}' WHERE k = 'a'");
	hx_test_db_exec(conn, "UPDATE public.new_c SET j = '{\"x\": 1.0}' WHERE k = 'j'");
	before = hx_test_db_value(conn, ctids_sql);

	hx_test_db_exec(conn, "SELECT core.put_rows('public.mart_c', 'public.new_c', "
	                      "ARRAY['k'], true)");

	/* The mart holds the new rows exactly, as they print. */
	want = hx_test_db_value(conn, "SELECT string_agg(c::text, ' ' ORDER BY k) FROM public.new_c c");
	hx_test_assert_value(conn, want, "SELECT string_agg(c::text, ' ' ORDER BY k) "
	                                 "FROM public.mart_c c");
	/* Which rows were written: every one but 'same' (ts is the same
	 * instant, stored the same, so not written either). */
	after = hx_test_db_value(conn, ctids_sql);
	hx_test_assert_value(conn, "a f i j n t",
	                     "SELECT string_agg(o.k, ' ' ORDER BY o.k) FROM "
	                     "(SELECT split_part(x, '=', 1) AS k, split_part(x, '=', 2) AS c "
	                     " FROM unnest(string_to_array('%s', ' ')) x) o "
	                     "JOIN (SELECT split_part(x, '=', 1) AS k, split_part(x, '=', 2) AS c "
	                     " FROM unnest(string_to_array('%s', ' ')) x) n ON n.k = o.k "
	                     "WHERE n.c <> o.c",
	                     before, after);
	free(before);
	free(after);
	free(want);
}

Test(put_rows_columns, rows_equal_in_every_column_are_not_written)
{
	char *before;

	make_tables();
	before = hx_test_db_value(conn, ctids_sql);
	hx_test_db_exec(conn, "SELECT core.put_rows('public.mart_c', 'public.new_c', "
	                      "ARRAY['k'], true)");
	hx_test_assert_value(conn, before, "%s", ctids_sql);
	hx_test_assert_value(conn, "8", "SELECT count(*) FROM public.mart_c");
	free(before);
}

/*
 * The new rows may come from a view of the mart's columns, in its order
 * (migration 150): each value is cast to the mart's type before it is
 * compared, as an INSERT would store it, so 87.5 from the view is 87.50 in
 * a numeric(7,2) mart and its row is not written again; a night inserts
 * the view's rows.
 */
Test(put_rows_columns, a_view_gives_the_rows_cast_to_the_marts_types)
{
	char *before;

	hx_test_db_exec(conn, "CREATE TABLE public.mart_v (k text NOT NULL PRIMARY KEY, "
	                      "r numeric(7,2), n bigint)");
	hx_test_db_exec(conn, "INSERT INTO public.mart_v VALUES ('a', 87.5, 1), ('b', 10, 2), "
	                      "('c', 1, 3)");
	hx_test_db_exec(conn, "CREATE TABLE public.src (k text, r numeric, n integer)");
	/* a: the same once stored; b: another value; c: gone; d: new. */
	hx_test_db_exec(conn, "INSERT INTO public.src VALUES ('a', 87.5, 1), ('b', 10.004, 20), "
	                      "('d', 3.333, 4)");
	hx_test_db_exec(conn, "CREATE VIEW public.new_v AS SELECT s.k AS key, s.r, s.n FROM public.src s");
	before = hx_test_db_value(conn, "SELECT ctid FROM public.mart_v WHERE k = 'a'");

	hx_test_db_exec(conn, "SELECT core.put_rows('public.mart_v', 'public.new_v', "
	                      "ARRAY['k'], true)");

	hx_test_assert_value(conn, "a 87.50 1; b 10.00 20; d 3.33 4",
	                     "SELECT string_agg(k || ' ' || r || ' ' || n, '; ' ORDER BY k) "
	                     "FROM public.mart_v");
	hx_test_assert_value(conn, before, "SELECT ctid FROM public.mart_v WHERE k = 'a'");

	/* A night adds the view's rows. */
	hx_test_db_exec(conn, "DELETE FROM public.src");
	hx_test_db_exec(conn, "INSERT INTO public.src VALUES ('e', 0.005, 5)");
	hx_test_db_exec(conn, "SELECT core.put_rows('public.mart_v', 'public.new_v', "
	                      "ARRAY['k'], false)");
	hx_test_assert_value(conn, "a 87.50 1; b 10.00 20; d 3.33 4; e 0.01 5",
	                     "SELECT string_agg(k || ' ' || r || ' ' || n, '; ' ORDER BY k) "
	                     "FROM public.mart_v");
	/* A view of other columns is refused. */
	hx_test_db_exec(conn, "CREATE VIEW public.bad_v AS SELECT s.k, s.r FROM public.src s");
	{
		PGresult *res = PQexec(conn, "SELECT core.put_rows('public.mart_v', 'public.bad_v', "
		                             "ARRAY['k'], true)");

		cr_assert(eq(int, PQresultStatus(res), PGRES_FATAL_ERROR));
		cr_assert(strstr(PQresultErrorMessage(res), "has not the columns of") != NULL, "%s",
		          PQresultErrorMessage(res));
		PQclear(res);
	}
	free(before);
}
