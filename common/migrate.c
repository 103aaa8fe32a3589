/* migrate.c — apply the embedded migrations (see migrate.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "migrate.h"
#include "sqlfiles.h"

/* The NNN of "migrations/NNN_name.sql"; the build guarantees the shape. */
static int version_of(const struct hx_sql_file *f)
{
	const char *base = strrchr(f->name, '/');

	return atoi(base != NULL ? base + 1 : f->name);
}

int hx_migrate_latest(void)
{
	return hx_sql_migrations_count ? version_of(&hx_sql_migrations[hx_sql_migrations_count - 1])
	                               : 0;
}

int hx_migrate_current(PGconn *conn, int *version, struct hx_error *err)
{
	PGresult *res;

	res = hx_db_query(conn, err,
	                  "SELECT pg_catalog.to_regclass('audit.schema_migrations') IS NOT NULL", 0,
	                  NULL);
	if (res == NULL)
		return -1;
	if (strcmp(PQgetvalue(res, 0, 0), "t") != 0) {
		PQclear(res);
		*version = 0;
		return 0;
	}
	PQclear(res);
	res = hx_db_query(conn, err, "SELECT coalesce(max(version), 0) FROM audit.schema_migrations",
	                  0, NULL);
	if (res == NULL)
		return -1;
	*version = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

int hx_migrate_apply(PGconn *conn, int *applied, struct hx_error *err)
{
	static const char bootstrap[] =
		"CREATE SCHEMA IF NOT EXISTS audit;"
		"CREATE TABLE IF NOT EXISTS audit.schema_migrations ("
		"  version integer PRIMARY KEY,"
		"  name text NOT NULL,"
		"  applied_at timestamptz NOT NULL DEFAULT pg_catalog.now())";
	PGresult *res = NULL;
	char lock_class[16], lock_key[16];
	const char *lock[2] = {lock_class, lock_key};
	int current, n = 0;
	size_t i;

	*applied = 0;
	snprintf(lock_class, sizeof lock_class, "%d", HX_LOCK_CLASS);
	snprintf(lock_key, sizeof lock_key, "%d", HX_LOCK_MIGRATE);
	if (hx_db_begin(conn, err) < 0)
		return -1;
	/* One migrating session at a time, until this transaction ends. */
	if (hx_db_command(conn, err, "SELECT pg_catalog.pg_advisory_xact_lock($1::int4, $2::int4)",
	                  2, lock) < 0)
		goto fail;
	res = PQexec(conn, bootstrap);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		hx_db_error_from_result(err, HX_SOFTWARE, res, "cannot prepare the migrations table");
		goto fail;
	}
	PQclear(res);
	res = NULL;
	if (hx_migrate_current(conn, &current, err) < 0)
		goto fail;
	for (i = 0; i < hx_sql_migrations_count; i++) {
		const struct hx_sql_file *f = &hx_sql_migrations[i];
		int v = version_of(f);
		char vtext[16];
		const char *params[2] = {vtext, f->name};

		if (v <= current)
			continue;
		res = PQexec(conn, f->text);
		if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
			char what[256];

			snprintf(what, sizeof what, "migration %s failed", f->name);
			hx_db_error_from_result(err, HX_SOFTWARE, res, what);
			goto fail;
		}
		PQclear(res);
		res = NULL;
		snprintf(vtext, sizeof vtext, "%d", v);
		if (hx_db_command(conn, err,
		                  "INSERT INTO audit.schema_migrations (version, name) VALUES ($1, $2)", 2,
		                  params) < 0)
			goto fail;
		n++;
	}
	if (hx_db_commit(conn, err) < 0)
		goto fail;
	*applied = n;
	return 0;

fail:
	PQclear(res);
	hx_db_rollback(conn);
	return -1;
}
