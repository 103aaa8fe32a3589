/*
 * Migrations against the real database: from empty, twice in a row, the
 * older-schema refusal of every program, and connection errors that name
 * the problem without showing the password.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

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

Test(migrate, from_empty_then_again_is_a_noop)
{
	char *db = hx_test_db_create(0);
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

	/* A title's number in staging.register (migration 034) is its place in
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
	hx_test_db_drop(db);
	free(db);
}

Test(migrate, programs_refuse_an_older_schema_naming_the_command)
{
	static const char *const programs[] = {"hoctap-transform", "hoctap-report"};
	char *db = hx_test_db_create(1);
	char dflag[256];
	PGconn *conn = hx_test_db_connect(db);

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
	hx_test_db_drop(db);
	free(db);
}

Test(migrate, empty_database_is_refused_too)
{
	char *db = hx_test_db_create(0);
	char dflag[256];
	struct hx_test_output o;

	snprintf(dflag, sizeof dflag, "-d%s", db);
	o = run_prog("hoctap-report", dflag, NULL);
	cr_assert(eq(int, o.status, 69));
	cr_assert(strstr(o.err, "schema is at version 0") != NULL, "%s", o.err);
	hx_test_output_free(&o);
	hx_test_db_drop(db);
	free(db);
}

/* A database migrated up to version v, as an older hoctap left it; connected. */
static PGconn *at_version(const char *db, int v)
{
	PGconn *conn = hx_test_db_connect(db);

	hx_test_db_exec(conn, "CREATE SCHEMA audit; CREATE TABLE audit.schema_migrations ("
	                      "version integer PRIMARY KEY, name text NOT NULL, "
	                      "applied_at timestamptz NOT NULL DEFAULT now())");
	for (size_t i = 0; i < hx_sql_migrations_count; i++) {
		const char *name = strrchr(hx_sql_migrations[i].name, '/') + 1;
		char sql[256];

		if (atoi(name) > v)
			break;
		hx_test_db_exec(conn, hx_sql_migrations[i].text);
		snprintf(sql, sizeof sql, "INSERT INTO audit.schema_migrations VALUES (%d, '%s')",
		         atoi(name), name);
		hx_test_db_exec(conn, sql);
	}
	return conn;
}

/* A staged title no ref.titles key names cannot be numbered: 034 stops, nothing changed. */
Test(migrate, register_made_lean_refuses_a_title_it_cannot_number)
{
	char *db = hx_test_db_create(0);
	char dflag[256];
	struct hx_test_output o;
	PGconn *conn = at_version(db, 33);

	hx_test_db_exec(conn,
	                "INSERT INTO staging.files (file_id, name, size_bytes, sha256, kind, status) "
	                "OVERRIDING SYSTEM VALUE VALUES (1, 'a.csv', 1, repeat('a', 64), 'register', "
	                "'loaded'); INSERT INTO staging.register (file_id, line, year, unit_code, "
	                "title, entity_id, registered, recognized) VALUES "
	                "(1, 2, 2019, '22246', 'family', 'H1', true, true), "
	                "(1, 3, 2019, '22246', 'Family', 'H2', true, true)");
	snprintf(dflag, sizeof dflag, "-d%s", db);
	o = run_prog("hoctap-ingest", dflag, "--migrate");
	cr_assert(eq(int, o.status, 70), "%s", o.err);
	cr_assert(strstr(o.err, "staging.register holds titles that are no ref.titles key: "
	                        "'Family'") != NULL, "%s", o.err);
	hx_test_output_free(&o);
	hx_test_assert_value(conn, "33 2 2", "SELECT concat_ws(' ', (SELECT max(version) FROM "
	                                     "audit.schema_migrations), (SELECT count(*) FROM "
	                                     "staging.register), (SELECT count(*) FROM "
	                                     "pg_attribute WHERE attrelid = 'staging.register'::regclass "
	                                     "AND attname IN ('title', 'entity_name') AND NOT attisdropped))");
	PQfinish(conn);
	hx_test_db_drop(db);
	free(db);
}

/*
 * Migration 034 makes staging.register anew without entity_name and
 * submitted_at, its title as a number: a database at 033 with rows in two
 * partitions keeps every row, the partitions, their year defaults, owner
 * and privileges, and a file ingest had not counted gets its lists, each
 * with its own date.
 */
Test(migrate, register_made_lean_keeps_rows_partitions_and_dates)
{
	char *db = hx_test_db_create(0);
	char dflag[256];
	struct hx_test_output o;
	PGconn *conn = at_version(db, 33);

	hx_test_db_exec(conn,
	                "INSERT INTO staging.files (file_id, name, size_bytes, sha256, kind, status, "
	                "lists_counted) OVERRIDING SYSTEM VALUE VALUES "
	                "(1, 'counted.csv', 1, repeat('a', 64), 'register', 'loaded', true), "
	                "(2, 'uncounted.json', 1, repeat('b', 64), 'json', 'loaded', false);"
	                "INSERT INTO staging.register (file_id, line, year, unit_code, title, "
	                "entity_id, registered, recognized, exemplary, score, village, entity_name, "
	                "submitted_at) VALUES "
	                "(1, 2, 2019, '22246', 'family', 'H1', true, true, NULL, 88.5, 'Thôn 1', "
	                "'Nguyễn Văn A', NULL), "
	                "(2, 1, 2020, '22246', 'family', 'H2', true, false, false, NULL, NULL, 'B', "
	                "'2020-01-15 08:00+07'), "
	                "(2, 1, 2045, '22246', 'clan', 'C1', false, false, NULL, NULL, NULL, NULL, "
	                "'2020-01-10 08:00+07')");
	/* The tables belong to another role than the one migrating (a DBA). */
	hx_test_db_exec(conn, "DO $$ BEGIN CREATE ROLE hx_m034_owner NOLOGIN; "
	                      "EXCEPTION WHEN duplicate_object THEN NULL; END $$; "
	                      "ALTER TABLE staging.register OWNER TO hx_m034_owner; "
	                      "ALTER TABLE staging.register_2020 OWNER TO hx_m034_owner; "
	                      "GRANT SELECT ON staging.register_2020 TO PUBLIC");
	snprintf(dflag, sizeof dflag, "-d%s", db);
	o = run_prog("hoctap-ingest", dflag, "--migrate");
	cr_assert(eq(int, o.status, 0), "stderr: %s", o.err);
	hx_test_output_free(&o);

	hx_test_assert_value(conn, "hx_m034_owner hx_m034_owner t",
	                     "SELECT concat_ws(' ', (SELECT relowner::regrole FROM pg_class WHERE oid = "
	                     "'staging.register'::regclass), (SELECT relowner::regrole FROM pg_class "
	                     "WHERE oid = 'staging.register_2020'::regclass), "
	                     "has_table_privilege('public', 'staging.register_2020', 'SELECT'))");
	hx_test_assert_value(conn, "staging.register_2019:2019:1:H1:t:t:-:88.5:Thôn 1 "
	                           "staging.register_2020:2020:1:H2:t:f:false:-:- "
	                           "staging.register_other:2045:2:C1:f:f:-:-:-",
	                     "SELECT string_agg(concat_ws(':', tableoid::regclass, year, title_no, entity_id, "
	                     "registered, recognized, coalesce(exemplary::text, '-'), "
	                     "coalesce(score::text, '-'), coalesce(village, '-')), ' ' ORDER BY year) "
	                     "FROM staging.register");
	hx_test_assert_value(conn, "0", "SELECT count(*) FROM pg_attribute WHERE attrelid = "
	                                "'staging.register'::regclass AND attname IN "
	                                "('entity_name', 'submitted_at')");
	/* Every year's partition again, with its year as the default; the old ones gone. */
	hx_test_assert_value(conn, "27 26 0",
	                     "SELECT (SELECT count(*) FROM pg_inherits WHERE inhparent = "
	                     "'staging.register'::regclass) || ' ' || (SELECT count(*) FROM "
	                     "pg_inherits i JOIN pg_attrdef d ON d.adrelid = i.inhrelid WHERE "
	                     "i.inhparent = 'staging.register'::regclass) || ' ' || (SELECT count(*) "
	                     "FROM pg_class WHERE relname LIKE '%%register_033%%' OR relname LIKE "
	                     "'old033%%')");
	hx_test_assert_value(conn, "t t t f",
	                     "SELECT concat_ws(' ', has_table_privilege('hoctap_ingest', "
	                     "'staging.register_2020', 'INSERT'), has_table_privilege('hoctap_ingest', "
	                     "'staging.register', 'INSERT'), has_table_privilege('hoctap_transform', "
	                     "'staging.register_other', 'SELECT'), has_table_privilege('hoctap_report', "
	                     "'staging.register', 'SELECT'))");
	/* The file ingest had not counted is counted, each list with its own date. */
	hx_test_assert_value(conn, "uncounted.json:t:2020:family:1:t "
	                           "uncounted.json:t:2045:clan:1:f",
	                     "SELECT string_agg(concat_ws(':', f.name, f.lists_counted, l.year, l.title, "
	                     "l.entities, l.submitted_at = '2020-01-15 08:00+07'), ' ' ORDER BY l.year) "
	                     "FROM staging.register_lists l JOIN staging.files f USING (file_id)");
	PQfinish(conn);
	hx_test_db_drop(db);
	free(db);
}

Test(connection, errors_name_the_problem_and_never_the_password)
{
	static const char *const bad[] = {
		"-dhost=/nonexistent/socket dbname=x user=u password=S3cretPW",
		"-dpostgresql://u:S3cretPW@/x?host=/nonexistent/socket",
		"-dhost=/nonexistent password=S3cretPW junk",
		"-dpostgresql://u:S3cretPW@/x?host=/nonexistent&bogus=1",
		"-dpassword='S3cretPW' port=notaport",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct hx_test_output o = run_prog("hoctap-transform", bad[i], NULL);

		cr_assert(o.status == 69 || o.status == 64, "%s: status %d", bad[i], o.status);
		cr_assert(strstr(o.err, "S3cretPW") == NULL, "password leaked: %s", o.err);
		cr_assert(strstr(o.out, "S3cretPW") == NULL);
		cr_assert(strstr(o.err, "hoctap-transform: error: ") != NULL, "%s", o.err);
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
