/*
 * snapshot.c — the one transaction every output of a run is read in.
 * REPEATABLE READ gives all files the same snapshot, so rates, funds and
 * findings agree even while a transform commits new marts; READ ONLY
 * states (and the server enforces) that the report changes nothing.  The
 * client encoding is pinned to UTF-8, the encoding of every output.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "db.h"
#include "report.h"
#include "sqlfiles.h"

static void copy_field(char *dst, size_t size, const PGresult *res, int col)
{
	const char *v = PQgetisnull(res, 0, col) ? "" : PQgetvalue(res, 0, col);

	snprintf(dst, size, "%s", v);
}

/*
 * SOURCE_DATE_EPOCH (the reproducible-builds convention: seconds since
 * 1970 UTC), when set, stands for the time the files were generated, so
 * that two reports of the same data (a primary and its standby, a rerun to
 * check a publication) are byte for byte the same.  Ignored unless a whole
 * non-negative number.
 */
static void source_date_epoch(char *out, size_t size)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end = NULL;
	long long v;
	time_t t;
	struct tm tm;

	if (s == NULL || *s < '0' || *s > '9')
		return;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0 || v > 253402300799LL)
		return;
	t = (time_t)v;
	if (gmtime_r(&t, &tm) != NULL)
		strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/*
 * Begin the run's transaction on conn: the snapshot named id (exported by
 * the run's first connection) or, with id NULL, a new one.  On failure the
 * transaction is rolled back and -1 returned with err.
 */
static int begin_read(PGconn *conn, const char *id, struct hx_error *err)
{
	char *lit, *sql;
	int rc;

	/*
	 * The files are UTF-8 whatever PGCLIENTENCODING says: a client encoding
	 * without Vietnamese letters would fail or mangle the names.
	 */
	if (PQsetClientEncoding(conn, "UTF8") != 0)
		return hx_error_set(err, HX_UNAVAILABLE, "cannot set the client encoding to UTF8: %s",
		                    PQerrorMessage(conn));
	if (hx_db_command(conn, err, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL) < 0)
		return -1;
	if (id != NULL) {
		/* (SET takes no parameters: the name goes in as a quoted literal) */
		lit = PQescapeLiteral(conn, id, strlen(id));
		if (lit == NULL) {
			hx_error_set(err, HX_SOFTWARE, "cannot quote the snapshot's name: %s",
			             PQerrorMessage(conn));
			goto fail;
		}
		sql = hx_asprintf("SET TRANSACTION SNAPSHOT %s", lit);
		PQfreemem(lit);
		rc = hx_db_command(conn, err, sql, 0, NULL);
		free(sql);
		if (rc < 0)
			goto fail;
	}
	/*
	 * JIT off: the report's queries each take milliseconds, and compiling
	 * them cost more than running them (issue 7, B5).  work_mem as the
	 * transform's, halved for the two sessions: with the server's default
	 * (4 MB) the comparison of a country's communes sorts on disk.
	 */
	if (hx_db_command(conn, err,
	                  "SELECT pg_catalog.set_config('jit', 'off', true), "
	                  "pg_catalog.set_config('work_mem', '64MB', true)",
	                  0, NULL) < 0)
		goto fail;
	return 0;

fail:
	hx_db_rollback(conn);
	return -1;
}

int report_snapshot_begin(PGconn *conn, struct report_status *st, struct hx_error *err)
{
	const char *sql = hx_sql_script("report/status.sql");
	PGresult *res = NULL;

	memset(st, 0, sizeof *st);
	if (sql == NULL)
		return hx_error_set(err, HX_SOFTWARE, "sql/report/status.sql is missing from this build");
	if (begin_read(conn, NULL, err) < 0)
		return -1;
	res = hx_db_query(conn, err, sql, 0, NULL);
	if (res == NULL)
		goto fail;
	if (PQntuples(res) != 1) {
		hx_error_set(err, HX_SOFTWARE, "sql/report/status.sql returned %d rows, not 1",
		             PQntuples(res));
		goto fail;
	}
	copy_field(st->generated_at, sizeof st->generated_at, res, 0);
	source_date_epoch(st->generated_at, sizeof st->generated_at);
	copy_field(st->data_as_of, sizeof st->data_as_of, res, 1);
	copy_field(st->transformed_at, sizeof st->transformed_at, res, 2);
	st->schema_version = PQgetisnull(res, 0, 3) ? 0 : atoi(PQgetvalue(res, 0, 3));
	PQclear(res);
	return 0;

fail:
	PQclear(res);
	hx_db_rollback(conn);
	return -1;
}

void report_snapshot_end(PGconn *conn)
{
	/* Nothing was written; ending the read cannot lose anything. */
	hx_db_rollback(conn);
}

int report_snapshot_export(PGconn *conn, char *id, size_t size, struct hx_error *err)
{
	PGresult *res = hx_db_query(conn, err, "SELECT pg_catalog.pg_export_snapshot()", 0, NULL);

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0) ||
	    strlen(PQgetvalue(res, 0, 0)) >= size) {
		PQclear(res);
		return hx_error_set(err, HX_SOFTWARE, "pg_export_snapshot() gave no usable name");
	}
	snprintf(id, size, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

int report_snapshot_import(PGconn *conn, const char *id, struct hx_error *err)
{
	return begin_read(conn, id, err);
}
