/*
 * Migrations against the real database: from empty, twice in a row, the
 * baseline rule (a database at the last retired step 034 upgraded with its
 * data to exactly a new database's schema; an older one refused), the
 * older-schema refusal of every program, and connection errors that name
 * the problem without showing the password.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

#include "lengthof.h"
#include "migrate.h"
#include "sqlfiles.h"
#include "vocab.h"
#include "testsupport.h"

static struct hx_test_output run_prog(const char *program, const char *a1, const char *a2)
{
	char path[4096];
	const char *argv[4];
	struct hx_test_output o;

	snprintf(path, sizeof path, "%s", hx_test_bin(program));
	argv[0] = path;
	argv[1] = a1;
	argv[2] = a2;
	argv[3] = NULL;
	hx_test_run(argv, NULL, &o);
	return o;
}

/*
 * Each test's empty database, and the new one a test may compare it with,
 * made by setup (fresh by the test) and dropped by teardown whatever the
 * test reached.
 */
static char *db, *fresh;

static void setup(void)
{
	db = hx_test_db_create(0);
}

static void teardown(void)
{
	hx_test_db_discard(&db);
	hx_test_db_discard(&fresh);
}

TestSuite(migrate, .init = setup, .fini = teardown);

Test(migrate, from_empty_then_again_is_a_noop)
{
	char dflag[256];
	struct hx_test_output o;
	PGconn *conn;
	char *v;

	snprintf(dflag, sizeof dflag, "-d%s", db);
	o = run_prog("hoctap-ingest", dflag, "--migrate");
	cr_assert(eq(int, o.status, 0), "stderr: %s", o.err);
	/* The empty database gets the shipped units, whose known flaws are said
	 * as warnings (test_units_builtin.c checks them); nothing else. */
	cr_assert(strstr(o.err, "error") == NULL, "%s", o.err);
	hx_test_output_free(&o);

	conn = hx_test_db_connect(db);
	v = hx_test_db_value(conn, "SELECT count(*) FROM audit.schema_migrations");
	cr_assert(eq(int, atoi(v), (int)hx_sql_migrations_count));
	free(v);
	v = hx_test_db_value(conn, "SELECT max(version) FROM audit.schema_migrations");
	cr_assert(eq(int, atoi(v), hx_migrate_latest()));
	free(v);
	v = hx_test_db_value(conn, "SELECT string_agg(nspname, ',' ORDER BY nspname) FROM "
	                           "pg_namespace WHERE nspname IN ('ref','staging','core','mart','audit')");
	cr_assert(eq(str, v, "audit,core,mart,ref,staging"));
	free(v);
	v = hx_test_db_value(conn, "SELECT string_agg(rolname || ':' || rolcanlogin, ',' ORDER BY "
	                           "rolname) FROM pg_roles WHERE rolname LIKE 'hoctap\\_%'");
	cr_assert(eq(str, v, "hoctap_ingest:false,hoctap_report:false,hoctap_transform:false"));
	free(v);

	/* A title's number in staging.register (title_no) is its place in
	 * ingest's list of titles, and that is ref.titles.sort_order. */
	for (int t = 0; t < HX_TITLE_COUNT; t++) {
		char sql[128];

		snprintf(sql, sizeof sql, "SELECT key FROM ref.titles WHERE sort_order = %d", t + 1);
		v = hx_test_db_value(conn, sql);
		cr_assert(v != NULL && strcmp(v, hx_vocab_title_key((enum hx_title)t)) == 0,
		          "sort_order %d: %s", t + 1, v != NULL ? v : "(none)");
		free(v);
	}
	v = hx_test_db_value(conn, "SELECT count(*) FROM ref.titles");
	cr_assert(eq(int, atoi(v), HX_TITLE_COUNT));
	free(v);

	o = run_prog("hoctap-ingest", dflag, "--migrate");
	cr_assert(eq(int, o.status, 0), "second run: %s", o.err);
	cr_assert(eq(str, o.err, ""));
	hx_test_output_free(&o);
	v = hx_test_db_value(conn, "SELECT count(*) FROM audit.schema_migrations");
	cr_assert(eq(int, atoi(v), (int)hx_sql_migrations_count));
	free(v);
	PQfinish(conn);
}

Test(migrate, programs_refuse_an_older_schema_naming_the_command)
{
	static const char *const programs[] = {"hoctap-transform", "hoctap-report"};
	char dflag[256];
	PGconn *conn;

	hx_test_db_migrate(db);
	conn = hx_test_db_connect(db);

	hx_test_db_exec(conn, "DELETE FROM audit.schema_migrations WHERE version = "
	                      "(SELECT max(version) FROM audit.schema_migrations)");
	PQfinish(conn);
	snprintf(dflag, sizeof dflag, "-d%s", db);
	for (size_t i = 0; i < 2; i++) {
		struct hx_test_output o = run_prog(programs[i], dflag, NULL);

		cr_assert(eq(int, o.status, 69), "%s: %s", programs[i], o.err);
		cr_assert(strstr(o.err, "schema is at version") != NULL, "%s", o.err);
		cr_assert(strstr(o.err, "hint: run \"hoctap-ingest --migrate\" first") != NULL, "%s",
		          o.err);
		hx_test_output_free(&o);
	}
}

Test(migrate, empty_database_is_refused_too)
{
	char dflag[256];
	struct hx_test_output o;

	snprintf(dflag, sizeof dflag, "-d%s", db);
	o = run_prog("hoctap-report", dflag, NULL);
	cr_assert(eq(int, o.status, 69));
	cr_assert(strstr(o.err, "schema is at version 0") != NULL, "%s", o.err);
	hx_test_output_free(&o);
}

/*
 * A database built as a release before the baseline left it: the retired
 * migrations of tests/data/migrate/034/ up to version v, each recorded as
 * common/migrate.c recorded them then.  Connected.
 */
static PGconn *at_retired_version(const char *conninfo, int v)
{
	static const char *const retired[] = {
		"001_schemas_roles", "002_ref", "003_staging", "004_audit_mart", "020_core",
		"021_register_dups", "023_lean_tally_fund", "024_register_lists",
		"025_register_unindexed", "026_night_lookups", "027_register_parts",
		"028_register_year_default", "029_fund_rollup_mismatch", "030_target_fractions",
		"031_fund_scholarship_source", "032_mart_fund_facts", "033_reported_rate_sources",
		"034_register_lean"};
	PGconn *conn = hx_test_db_connect(conninfo);

	hx_test_db_exec(conn, "CREATE SCHEMA audit; CREATE TABLE audit.schema_migrations ("
	                      "version integer PRIMARY KEY, name text NOT NULL, "
	                      "applied_at timestamptz NOT NULL DEFAULT now())");
	for (size_t i = 0; i < lengthof(retired) && atoi(retired[i]) <= v; i++) {
		char rel[128], sql[256];
		char *path, *text;

		snprintf(rel, sizeof rel, "tests/data/migrate/034/%s.sql", retired[i]);
		path = hx_test_src(rel);
		text = hx_test_read_file(path, NULL);
		cr_assert(text != NULL, "%s", rel);
		free(path);
		hx_test_db_exec(conn, text);
		free(text);
		snprintf(sql, sizeof sql,
		         "INSERT INTO audit.schema_migrations VALUES (%d, 'migrations/%s.sql')",
		         atoi(retired[i]), retired[i]);
		hx_test_db_exec(conn, sql);
	}
	return conn;
}

/* The schema of db as one text (tests/data/migrate/fingerprint.sql). */
static char *fingerprint(PGconn *conn)
{
	char *path = hx_test_src("tests/data/migrate/fingerprint.sql");
	char *sql = hx_test_read_file(path, NULL);
	char *v;

	free(path);
	cr_assert(sql != NULL);
	v = hx_test_db_value(conn, sql);
	free(sql);
	cr_assert(v != NULL);
	return v;
}

/*
 * A database at 034, with data and with the rows a two-connection load left
 * behind (named in staging.register_parts), is marked as at the baseline
 * without running it; the migrations after the baseline run; its data
 * stays, the orphaned rows go with the table that named them, and its
 * schema is then exactly a new database's.
 */
Test(migrate, a_database_at_034_is_marked_at_the_baseline_and_upgraded_with_its_data)
{
	const char *argv[5];
	char path[4096], dflag[256], want[64];
	struct hx_test_output o;
	PGconn *conn = at_retired_version(db, 34), *fconn;
	char *a, *b;

	fresh = hx_test_db_create(1);

	hx_test_db_exec(conn,
	                "INSERT INTO staging.files (file_id, name, size_bytes, sha256, kind, status, "
	                "rows_read, rows_loaded, lists_counted) OVERRIDING SYSTEM VALUE VALUES "
	                "(1, 'tuyphong-2019.csv', 10, repeat('a', 64), 'tally', 'loaded', 1, 1, true), "
	                "(2, 'ds-hgd.csv', 20, repeat('b', 64), 'register', 'loaded', 2, 2, true);"
	                "INSERT INTO staging.tally (file_id, line, year, unit_code, title, eligible, "
	                "registered, recognized) VALUES (1, 2, 2019, '22969', 'family', 7862, 7500, "
	                "5557);"
	                "INSERT INTO staging.register (file_id, line, year, title_no, unit_code, "
	                "entity_id, registered, recognized, village) VALUES "
	                "(2, 2, 2019, 1, '22969', 'H1', true, true, 'Thôn 1'), "
	                "(2, 3, 2019, 1, '22969', 'H2', true, false, NULL), "
	                "(424242, 2, 2020, 1, '22969', 'X', true, true, NULL);"
	                "INSERT INTO staging.register_parts (file_id, name, years) "
	                "VALUES (424242, 'lost.csv', '{2020}')");
	snprintf(path, sizeof path, "%s", hx_test_bin("hoctap-ingest"));
	snprintf(dflag, sizeof dflag, "-d%s", db);
	argv[0] = path;
	argv[1] = dflag;
	argv[2] = "-v";
	argv[3] = "--migrate";
	argv[4] = NULL;
	hx_test_run(argv, NULL, &o);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	cr_assert(strstr(o.err, "schema at migration 034 marked as at the baseline 100") != NULL,
	          "%s", o.err);
	hx_test_output_free(&o);

	snprintf(want, sizeof want, "19 %d t", hx_migrate_latest());
	hx_test_assert_value(conn, want,
	                     "SELECT concat_ws(' ', count(*) FILTER (WHERE version <= 34 OR version "
	                     "= 100), max(version), bool_and(version <= 34 OR version >= 100)) "
	                     "FROM audit.schema_migrations");
	hx_test_assert_value(conn, "7862/7500/5557 H1:true:Thôn 1,H2:false: NULL NULL",
	                     "SELECT concat_ws(' ', (SELECT eligible || '/' || registered || '/' || "
	                     "recognized FROM staging.tally), (SELECT string_agg(entity_id || ':' || "
	                     "recognized || ':' || coalesce(village, ''), ',' ORDER BY line) FROM "
	                     "staging.register), coalesce(to_regclass('staging.register_parts')::text, "
	                     "'NULL'), coalesce(to_regprocedure('staging.drop_orphan_rows()')::text, "
	                     "'NULL'))");

	fconn = hx_test_db_connect(fresh);
	a = fingerprint(conn);
	b = fingerprint(fconn);
	cr_assert(eq(str, a, b), "the upgraded schema differs from a new database's");
	free(a);
	free(b);
	PQfinish(fconn);
	PQfinish(conn);
}

/* A database at a retired step before 034 is refused, unchanged, naming the way up. */
Test(migrate, a_retired_step_before_034_is_refused_unchanged)
{
	char dflag[256];
	struct hx_test_output o;
	PGconn *conn = at_retired_version(db, 26);

	snprintf(dflag, sizeof dflag, "-d%s", db);
	o = run_prog("hoctap-ingest", dflag, "--migrate");
	cr_assert(eq(int, o.status, 69), "%s", o.err);
	cr_assert(strstr(o.err, "schema is at retired migration 026, which this release cannot "
	                        "upgrade") != NULL, "%s", o.err);
	cr_assert(strstr(o.err, "hint: upgrade it to 034 first") != NULL, "%s", o.err);
	hx_test_output_free(&o);
	hx_test_assert_value(conn, "26 10", "SELECT max(version) || ' ' || count(*) FROM "
	                                     "audit.schema_migrations");
	PQfinish(conn);
}

/* Connection strings that cannot connect, each holding the password S3cretPW. */
static const char *const bad_conninfo[] = {
	"-dhost=/nonexistent/socket dbname=x user=u password=S3cretPW",
	"-dpostgresql://u:S3cretPW@/x?host=/nonexistent/socket",
	"-dhost=/nonexistent password=S3cretPW junk",
	"-dpostgresql://u:S3cretPW@/x?host=/nonexistent&bogus=1",
	"-dpassword='S3cretPW' port=notaport",
};

Test(connection, errors_name_the_problem)
{
	for (size_t i = 0; i < lengthof(bad_conninfo); i++) {
		struct hx_test_output o = run_prog("hoctap-transform", bad_conninfo[i], NULL);

		cr_assert(o.status == 69 || o.status == 64, "%s: status %d", bad_conninfo[i], o.status);
		cr_assert(strstr(o.err, "hoctap-transform: error: ") != NULL, "%s", o.err);
		hx_test_output_free(&o);
	}
}

Test(connection, errors_never_show_the_password)
{
	for (size_t i = 0; i < lengthof(bad_conninfo); i++) {
		struct hx_test_output o = run_prog("hoctap-transform", bad_conninfo[i], NULL);

		cr_assert(strstr(o.err, "S3cretPW") == NULL, "password leaked: %s", o.err);
		cr_assert(strstr(o.out, "S3cretPW") == NULL);
		hx_test_output_free(&o);
	}
}

Test(connection, unreachable_server_is_69)
{
	struct hx_test_output o =
		run_prog("hoctap-report", "-dhost=/nonexistent/socket dbname=x", NULL);

	cr_assert(eq(int, o.status, 69));
	cr_assert(strstr(o.err, "cannot connect to the database") != NULL, "%s", o.err);
	hx_test_output_free(&o);
}
