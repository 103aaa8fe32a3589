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

/*
 * Where a database below the baseline stands: 0 to run every migration
 * (empty), 1 to mark it as at the baseline (at the last retired step), or
 * -1 with err.
 */
static int baseline_rule(int current, struct hx_error *err)
{
	if (current == 0)
		return 0;
	if (current == HX_MIGRATE_LEGACY_LAST)
		return 1;
	hx_error_set(err, HX_UNAVAILABLE,
	             "the database schema is at retired migration %03d, which this release "
	             "cannot upgrade",
	             current);
	hx_error_detail(err,
	                "this release starts from the baseline %03d, the schema of migration %03d",
	                HX_MIGRATE_BASELINE, HX_MIGRATE_LEGACY_LAST);
	hx_error_hint(err, "upgrade it to %03d first with the hoctap-ingest --migrate of a release "
	              "that still has migrations 001-%03d (git commit 17e123e)",
	              HX_MIGRATE_LEGACY_LAST, HX_MIGRATE_LEGACY_LAST);
	return -1;
}

static int record(PGconn *conn, int version, const char *name, struct hx_error *err)
{
	char vtext[16];
	const char *params[2] = {vtext, name};

	snprintf(vtext, sizeof vtext, "%d", version);
	return hx_db_command(conn, err,
	                     "INSERT INTO audit.schema_migrations (version, name) VALUES ($1, $2)", 2,
	                     params);
}

int hx_migrate_apply(PGconn *conn, struct hx_migrate_result *out, struct hx_error *err)
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
	int current, n = 0, baselined = 0;
	size_t i;

	memset(out, 0, sizeof *out);
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
	out->from = current;
	if (hx_sql_migrations_count == 0 ||
	    version_of(&hx_sql_migrations[0]) != HX_MIGRATE_BASELINE) {
		hx_error_set(err, HX_SOFTWARE, "this build's first migration is not the baseline %03d",
		             HX_MIGRATE_BASELINE);
		goto fail;
	}
	if (current < HX_MIGRATE_BASELINE) {
		baselined = baseline_rule(current, err);
		if (baselined < 0)
			goto fail;
		if (baselined) {
			if (record(conn, HX_MIGRATE_BASELINE, hx_sql_migrations[0].name, err) < 0)
				goto fail;
			current = HX_MIGRATE_BASELINE;
		}
	}
	for (i = 0; i < hx_sql_migrations_count; i++) {
		const struct hx_sql_file *f = &hx_sql_migrations[i];
		int v = version_of(f);

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
		if (record(conn, v, f->name, err) < 0)
			goto fail;
		n++;
	}
	if (hx_db_commit(conn, err) < 0)
		goto fail;
	out->applied = n;
	out->baselined = baselined;
	out->to = hx_migrate_latest();
	return 0;

fail:
	PQclear(res);
	hx_db_rollback(conn);
	return -1;
}
