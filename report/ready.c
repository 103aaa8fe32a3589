/*
 * ready.c — whether the marts may be published, checked in the report's
 * snapshot before any file is written (docs/design.md §9.6: a night is never
 * silently wrong).
 *
 * Marts older than what ingest committed are not published: while a
 * transform runs (75), after one failed (killed, database gone: 69, also
 * while a killed one's backend still holds the lock), or before the first
 * one (69), they leave out files the clerks were told were loaded — and a
 * database never transformed would give empty files presented as figures.
 * The report says so in one line and writes nothing; the last good files
 * stay.  An explicit --compare A:B must name years the marts hold: a
 * comparison of 2030 with 2040 would otherwise be written empty, silently.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "i18n.h"
#include "report.h"
#include "sqlfiles.h"

static PGresult *query(PGconn *conn, const char *script, int nparams, const char *const *params,
                       struct hx_error *err)
{
	const char *sql = hx_sql_script(script);

	if (sql == NULL) {
		hx_error_set(err, HX_SOFTWARE, "sql/%s is missing from this build", script);
		return NULL;
	}
	return hx_db_query(conn, err, sql, nparams, params);
}

/* 0 when no committed file waits for a transform, else -1 (75 or 69). */
static int check_fresh(PGconn *conn, struct hx_error *err)
{
	char k1[16], k2[16];
	const char *params[2] = {k1, k2};
	PGresult *res;
	int pending, running, standby, rc = 0;
	struct hx_lock_holder h = {0};
	char holder[256];

	snprintf(k1, sizeof k1, "%d", HX_LOCK_CLASS);
	snprintf(k2, sizeof k2, "%d", (int)HX_LOCK_TRANSFORM);
	res = query(conn, "report/freshness.sql", 2, params, err);
	if (res == NULL)
		return -1;
	pending = PQntuples(res) == 1 ? atoi(PQgetvalue(res, 0, 0)) : 0;
	running = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 2), "t") == 0;
	standby = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 3), "t") == 0;
	if (pending > 0 && running) {
		/* A transform killed a moment ago holds its lock until its backend
		 * notices: it has failed, not running. */
		if (hx_db_lock_holder(conn, HX_LOCK_TRANSFORM, &h, err) < 0) {
			PQclear(res);
			return -1;
		}
		running = h.found && !h.client_gone;
	}
	if (pending > 0 && running) {
		rc = hx_error_set(err, HX_TEMPFAIL,
		                  P_("a transform is running: the marts do not hold yet %d file "
		                     "ingested since %s; nothing written (run the report when it ends)",
		                     "a transform is running: the marts do not hold yet %d files "
		                     "ingested since %s; nothing written (run the report when it ends)",
		                     (unsigned long)pending),
		                  pending, PQgetvalue(res, 0, 1));
		hx_error_detail(err, _("the transform's lock is held by %s"),
		                hx_db_holder_text(&h, holder, sizeof holder));
	} else if (pending > 0 && standby)
		rc = hx_error_set(err, HX_TEMPFAIL,
		                  P_("the marts of this standby do not hold yet %d file ingested since "
		                     "%s (a transform runs on the primary, or failed); nothing written",
		                     "the marts of this standby do not hold yet %d files ingested since "
		                     "%s (a transform runs on the primary, or failed); nothing written",
		                     (unsigned long)pending),
		                  pending, PQgetvalue(res, 0, 1));
	else if (pending > 0)
		rc = hx_error_set(err, HX_UNAVAILABLE,
		                  P_("the marts do not hold %d file ingested since %s: no transform "
		                     "has taken it in (one failed, or none ran); nothing written (run "
		                     "hoctap-transform first)",
		                     "the marts do not hold %d files ingested since %s: no transform "
		                     "has taken them in (one failed, or none ran); nothing written (run "
		                     "hoctap-transform first)",
		                     (unsigned long)pending),
		                  pending, PQgetvalue(res, 0, 1));
	PQclear(res);
	return rc;
}

/* 0 when the marts hold both years of --compare, else -1 (66). */
static int check_compare(PGconn *conn, const struct report_opts *opts, struct hx_error *err)
{
	char ya[16], yb[16];
	const char *params[2] = {ya, yb};
	const char *years;
	PGresult *res;
	int has_a, has_b, rc = 0;

	snprintf(ya, sizeof ya, "%d", opts->year_a);
	snprintf(yb, sizeof yb, "%d", opts->year_b);
	res = query(conn, "report/years.sql", 2, params, err);
	if (res == NULL)
		return -1;
	has_a = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	has_b = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	years = PQgetisnull(res, 0, 2) ? NULL : PQgetvalue(res, 0, 2);
	if (!has_a || !has_b) {
		if (!has_a && !has_b)
			rc = hx_error_set(err, HX_DATAERR,
			                  _("--compare %d:%d: the marts hold no figures of %d nor of %d"),
			                  opts->year_a, opts->year_b, opts->year_a, opts->year_b);
		else
			rc = hx_error_set(err, HX_DATAERR,
			                  _("--compare %d:%d: the marts hold no figures of %d"),
			                  opts->year_a, opts->year_b, has_a ? opts->year_b : opts->year_a);
		if (years != NULL)
			hx_error_hint(err, _("the years with figures are %s"), years);
		else
			hx_error_hint(err, _("the marts hold no figures yet: run hoctap-transform first"));
	}
	PQclear(res);
	return rc;
}

int report_check_ready(PGconn *conn, const struct report_opts *opts, struct hx_error *err)
{
	if (check_fresh(conn, err) < 0)
		return -1;
	if (opts->compare_given && check_compare(conn, opts, err) < 0)
		return -1;
	return 0;
}
