/*
 * run.c — one hoctap-transform run (see run.h).
 *
 * Everything happens in one REPEATABLE READ transaction: the marts are
 * replaced inside it, so hoctap-report (REPEATABLE READ) sees either the
 * previous run's marts or this run's, never half of each, and the run reads
 * one snapshot of staging however many files are ingested meanwhile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "db.h"
#include "i18n.h"
#include "log.h"
#include "run.h"
#include "sqlfiles.h"

#define SCRIPT_PREFIX "transform/"

/*
 * What a run knows of the units: the counter ref.versions.units it saw
 * (moved by a trigger on every statement that changes ref.units, its
 * periods or its lineage, migrations 026 and 101) and an md5 of the three
 * tables.  The hash is only made when the
 * counter differs from the last run's; otherwise the last run's is carried
 * over.
 */
struct ref_seen {
	char version[32];
	char hash[64];
	char bounds[32]; /* ref.versions.bounds: the plausibility bounds and households */
};

/* The last run that built marts (none if none), with what it saw of ref.units. */
static const char last_run_sql[] =
	"SELECT run_id, coalesce(ref_hash, ''), coalesce(units_version::text, ''), "
	"coalesce(bounds_version::text, '') FROM audit.runs "
	"WHERE finished_at IS NOT NULL AND mode <> 'close' ORDER BY run_id DESC LIMIT 1";
static const char units_version_sql[] = "SELECT units FROM ref.versions";
static const char bounds_version_sql[] = "SELECT bounds FROM ref.versions";
/* The units, their periods and their lineage (migration 102): all decide the marts. */
static const char ref_hash_sql[] =
	"SELECT pg_catalog.md5("
	"(SELECT coalesce(string_agg(u::text, '|' ORDER BY u.code), '') FROM ref.units u) || '#' || "
	"(SELECT coalesce(string_agg(p::text, '|' ORDER BY p.code, p.valid_from), '') "
	" FROM ref.unit_periods p) || '#' || "
	"(SELECT coalesce(string_agg(l::text, '|' ORDER BY l.old_code, l.new_code, l.effective), '') "
	" FROM ref.unit_lineage l))";

/* A failed statement: unavailable if the connection went, else internal. */
static int fail_result(PGconn *conn, PGresult *res, const char *what, struct hx_error *err)
{
	int code = PQstatus(conn) == CONNECTION_OK ? HX_SOFTWARE : HX_UNAVAILABLE;

	hx_db_error_from_result(err, code, res, what);
	PQclear(res);
	return -1;
}

/* Run every sql/transform/NN_*.sql in name order (the embedded list is sorted). */
static int run_scripts(PGconn *conn, struct hx_error *err)
{
	size_t i, plen = strlen(SCRIPT_PREFIX);

	for (i = 0; i < hx_sql_scripts_count; i++) {
		const struct hx_sql_file *f = &hx_sql_scripts[i];
		const char *base = f->name + plen;
		PGresult *res;
		ExecStatusType st;
		char what[256];

		if (strncmp(f->name, SCRIPT_PREFIX, plen) != 0 || strchr(base, '/') != NULL)
			continue;
		hx_log_debug("running sql/%s", f->name);
		res = PQexec(conn, f->text);
		st = PQresultStatus(res);
		if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
			snprintf(what, sizeof what, "sql/%s failed", f->name);
			return fail_result(conn, res, what, err);
		}
		PQclear(res);
	}
	return 0;
}

/* One value of a one-row query, copied into out (cap n). */
static int query_value(PGconn *conn, const char *sql, int nparams, const char *const *params,
                       char *out, size_t n, struct hx_error *err)
{
	PGresult *res = hx_db_query(conn, err, sql, nparams, params);

	if (res == NULL)
		return -1;
	snprintf(out, n, "%s", PQntuples(res) > 0 ? PQgetvalue(res, 0, 0) : "");
	PQclear(res);
	return 0;
}

/*
 * A year is closed once its figures are published: a year without any
 * (2030, a typo) would close nothing now and hold out its first
 * submissions later, silently.
 */
static int require_year_built(PGconn *conn, int year, struct hx_error *err)
{
	const char *sql = hx_sql_script("transform/queries/year_built.sql");
	char ytext[16];
	const char *params[1] = {ytext};
	PGresult *r;
	int rc = 0;

	if (sql == NULL)
		return hx_error_set(err, HX_SOFTWARE,
		                    "sql/transform/queries/year_built.sql is missing from this build");
	snprintf(ytext, sizeof ytext, "%d", year);
	r = hx_db_query(conn, err, sql, 1, params);
	if (r == NULL)
		return -1;
	if (strcmp(PQgetvalue(r, 0, 0), "t") != 0) {
		rc = hx_error_set(err, HX_NOINPUT, _("no figures of %d were ever built: nothing to close"),
		                  year);
		if (!PQgetisnull(r, 0, 1))
			hx_error_hint(err, _("the years with figures are %s"), PQgetvalue(r, 0, 1));
		else
			hx_error_hint(err, _("no year has figures yet: run hoctap-transform first"));
	}
	PQclear(r);
	return rc;
}

/* Record closing year: the last published run's files stay in, later ones are held out. */
static int close_year(PGconn *conn, int year, struct tf_result *res, struct hx_error *err)
{
	static const char sql[] =
		"WITH last AS (SELECT coalesce(max(run_id), 0) AS run_id FROM audit.runs "
		"              WHERE finished_at IS NOT NULL AND mode <> 'close') "
		"INSERT INTO audit.closed_years (year, max_file_id, run_id) "
		"SELECT $1::smallint, coalesce((SELECT max(r.file_id) FROM core.file_runs r "
		"                               WHERE r.run_id <= last.run_id), 0), last.run_id "
		"FROM last ON CONFLICT (year) DO NOTHING RETURNING year";
	char ytext[16], got[16];
	const char *params[1] = {ytext};

	if (require_year_built(conn, year, err) < 0)
		return -1;
	snprintf(ytext, sizeof ytext, "%d", year);
	if (query_value(conn, sql, 1, params, got, sizeof got, err) < 0)
		return -1;
	res->changed = got[0] != '\0';
	return 0;
}

static int reopen_year(PGconn *conn, int year, struct tf_result *res, struct hx_error *err)
{
	char ytext[16], got[16];
	const char *params[1] = {ytext};

	snprintf(ytext, sizeof ytext, "%d", year);
	if (query_value(conn, "DELETE FROM audit.closed_years WHERE year = $1::smallint RETURNING year",
	                1, params, got, sizeof got, err) < 0)
		return -1;
	res->changed = got[0] != '\0';
	return 0;
}

/*
 * Insert the audit.runs row and publish the settings the scripts read.  JIT
 * is off: the run is many statements of a second or less, for which
 * compiling costs more than it saves.
 */
static int start_run(PGconn *conn, const char *mode, const struct ref_seen *ref, int reopen,
                     int recount, struct tf_result *res, struct hx_error *err)
{
	char id[32], ytext[16];
	const char *ins[4] = {mode, ref->hash, ref->version[0] != '\0' ? ref->version : NULL,
	                      ref->bounds[0] != '\0' ? ref->bounds : NULL};
	const char *set[4] = {id, mode, ytext, recount ? "on" : "off"};

	if (query_value(conn,
	                "INSERT INTO audit.runs (mode, ref_hash, units_version, bounds_version) "
	                "VALUES ($1, $2, $3::bigint, $4::bigint) RETURNING run_id",
	                4, ins, id, sizeof id, err) < 0)
		return -1;
	res->run_id = atoll(id);
	snprintf(ytext, sizeof ytext, "%d", reopen);
	if (reopen == 0)
		ytext[0] = '\0';
	return hx_db_command(conn, err,
	                     "SELECT pg_catalog.set_config('hoctap.run_id', $1, true), "
	                     "pg_catalog.set_config('hoctap.mode', $2, true), "
	                     "pg_catalog.set_config('hoctap.reopen_year', $3, true), "
	                     "pg_catalog.set_config('hoctap.recount', $4, true), "
	                     "pg_catalog.set_config('work_mem', '128MB', true), "
	                     "pg_catalog.set_config('jit', 'off', true)",
	                     4, set);
}

static int read_counts(PGconn *conn, struct tf_result *res, struct hx_error *err)
{
	char id[32];
	const char *params[1] = {id};
	PGresult *r;

	snprintf(id, sizeof id, "%lld", res->run_id);
	r = hx_db_query(conn, err,
	                "SELECT pairs, findings, files_taken FROM audit.runs WHERE run_id = $1", 1,
	                params);
	if (r == NULL)
		return -1;
	res->pairs = atoi(PQgetvalue(r, 0, 0));
	res->findings = atoi(PQgetvalue(r, 0, 1));
	res->files_taken = atoi(PQgetvalue(r, 0, 2));
	PQclear(r);
	return 0;
}

/*
 * The error findings this run raised that the last one had not (same rule,
 * unit, year, title, file and line): values newly kept out of the figures.
 * The first TF_NEW_ERRORS_MAX messages are kept for main to print.
 */
static int read_new_errors(PGconn *conn, struct tf_result *res, struct hx_error *err)
{
	const char *sql = hx_sql_script("transform/queries/new_errors.sql");
	PGresult *r;
	int i, n;

	if (sql == NULL)
		return hx_error_set(err, HX_SOFTWARE,
		                    "sql/transform/queries/new_errors.sql is missing from this build");
	r = hx_db_query(conn, err, sql, 0, NULL);
	if (r == NULL)
		return -1;
	n = PQntuples(r);
	res->new_errors = n;
	res->new_error_lines = hx_calloc((size_t)(n < TF_NEW_ERRORS_MAX ? n : TF_NEW_ERRORS_MAX) + 1,
	                                 sizeof *res->new_error_lines);
	for (i = 0; i < n && i < TF_NEW_ERRORS_MAX; i++)
		res->new_error_lines[i] =
			hx_asprintf("%s (%s)", PQgetvalue(r, i, 1), PQgetvalue(r, i, 0));
	PQclear(r);
	return 0;
}

void tf_result_free(struct tf_result *res)
{
	for (size_t i = 0; res->new_error_lines != NULL && res->new_error_lines[i] != NULL; i++)
		free(res->new_error_lines[i]);
	free(res->new_error_lines);
	res->new_error_lines = NULL;
}

/*
 * Choose the mode: --full, or forced full when ref.units changed since the
 * last run.  A changed version only says that ref.units was written to; the
 * hash says whether what it holds changed.  A change to the plausibility
 * bounds or the households (ref.versions.bounds) forces full too: every
 * year's findings must follow the bounds in force.
 */
static int pick_mode(PGconn *conn, const struct tf_options *opt, struct ref_seen *ref,
                     struct tf_result *res, struct hx_error *err)
{
	PGresult *r;
	int last, same_version;

	if (query_value(conn, units_version_sql, 0, NULL, ref->version, sizeof ref->version,
	                err) < 0 ||
	    query_value(conn, bounds_version_sql, 0, NULL, ref->bounds, sizeof ref->bounds, err) < 0)
		return -1;
	r = hx_db_query(conn, err, last_run_sql, 0, NULL);
	if (r == NULL)
		return -1;
	last = PQntuples(r) > 0;
	same_version = last && ref->version[0] != '\0' &&
	               strcmp(PQgetvalue(r, 0, 2), ref->version) == 0;
	if (same_version) {
		snprintf(ref->hash, sizeof ref->hash, "%s", PQgetvalue(r, 0, 1));
	} else if (query_value(conn, ref_hash_sql, 0, NULL, ref->hash, sizeof ref->hash, err) < 0) {
		PQclear(r);
		return -1;
	}
	res->ref_changed = last && strcmp(PQgetvalue(r, 0, 1), ref->hash) != 0;
	res->bounds_changed = last && strcmp(PQgetvalue(r, 0, 3), ref->bounds) != 0;
	PQclear(r);
	if (opt->reopen_year)
		snprintf(res->mode, sizeof res->mode, "%s",
		         res->ref_changed || res->bounds_changed ? "full" : "reopen");
	else
		snprintf(res->mode, sizeof res->mode, "%s",
		         opt->full || res->ref_changed || res->bounds_changed ? "full" : "incremental");
	return 0;
}

int tf_run(PGconn *conn, const struct tf_options *opt, struct tf_result *res,
           struct hx_error *err)
{
	struct ref_seen ref;
	char holder[256];
	int locked, in_tx = 0, rc = -1;

	memset(res, 0, sizeof *res);
	memset(&ref, 0, sizeof ref);
	locked = hx_db_take_lock(conn, HX_LOCK_TRANSFORM, opt->lock_wait_ms, &res->lock, err);
	if (locked < 0)
		return -1;
	if (locked == 0) {
		hx_error_set(err, HX_TEMPFAIL, _("another hoctap-transform run holds the lock on %s: %s"),
		             hx_db_describe(conn),
		             hx_db_holder_text(&res->lock, holder, sizeof holder));
		if (res->lock.client_gone)
			hx_error_hint(err, _("its client is gone, yet its backend did not stop within "
			                     "%ld s; a database administrator can end it with "
			                     "SELECT pg_terminate_backend(%ld)"),
			              res->lock.waited_ms / 1000, res->lock.backend_pid);
		return -1;
	}
	/*
	 * One snapshot for the whole run: files an ingest commits meanwhile are
	 * neither half taken in now nor missed next time (core.file_runs).
	 */
	if (hx_db_command(conn, err, "BEGIN ISOLATION LEVEL REPEATABLE READ", 0, NULL) < 0)
		goto out;
	in_tx = 1;
	if (opt->close_year) {
		snprintf(res->mode, sizeof res->mode, "close");
		if (close_year(conn, opt->close_year, res, err) < 0 ||
		    hx_db_command(conn, err,
		                  "INSERT INTO audit.runs (mode, finished_at) "
		                  "VALUES ('close', pg_catalog.clock_timestamp())",
		                  0, NULL) < 0)
			goto out;
	} else {
		if (opt->reopen_year && reopen_year(conn, opt->reopen_year, res, err) < 0)
			goto out;
		if (pick_mode(conn, opt, &ref, res, err) < 0 ||
		    start_run(conn, res->mode, &ref, opt->reopen_year,
		              opt->recount && strcmp(res->mode, "full") == 0, res, err) < 0 ||
		    run_scripts(conn, err) < 0 || read_counts(conn, res, err) < 0 ||
		    read_new_errors(conn, res, err) < 0)
			goto out;
	}
	if (hx_db_commit(conn, err) < 0)
		goto out;
	in_tx = 0;
	rc = 0;
out:
	if (in_tx)
		hx_db_rollback(conn);
	hx_db_unlock(conn, HX_LOCK_TRANSFORM);
	return rc;
}
