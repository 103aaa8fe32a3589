/*
 * db.c — connecting to PostgreSQL and running statements (see db.h).
 *
 * Learned from PostgreSQL's src/fe_utils/connect_utils.c: connect with
 * PQconnectdbParams and expand_dbname so that -d takes a conninfo string or
 * a URI, pin the search_path, and check each result status exactly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "db.h"
#include "migrate.h"

/*
 * Remove every occurrence of secret from msg.  libpq's messages about a
 * malformed conninfo can quote part of it; the password must never be shown.
 */
static void redact(char *msg, const char *secret)
{
	size_t n;
	char *p;

	if (secret == NULL || (n = strlen(secret)) == 0)
		return;
	while ((p = strstr(msg, secret)) != NULL) {
		memmove(p + 8, p + n, strlen(p + n) + 1);
		memcpy(p, "********", 8);
	}
}

/*
 * Find the password written in a conninfo that libpq could not parse: the
 * value after "password=" (keyword form) or between ':' and '@' in the
 * authority of a URI.  Returns a new string or NULL.
 */
static char *guess_password(const char *conninfo)
{
	const char *p, *end, *at, *colon;

	if ((p = strstr(conninfo, "password")) != NULL) {
		p += strlen("password");
		while (*p == ' ' || *p == '=')
			p++;
		if (*p == '\'')
			p++;
		end = p;
		while (*end && *end != ' ' && *end != '\'' && *end != '&')
			end++;
		if (end > p)
			return hx_strndup(p, (size_t)(end - p));
	}
	if ((p = strstr(conninfo, "://")) != NULL) {
		p += 3;
		at = strchr(p, '@');
		colon = strchr(p, ':');
		if (at != NULL && colon != NULL && colon < at && at > colon + 1)
			return hx_strndup(colon + 1, (size_t)(at - colon - 1));
	}
	return NULL;
}

static void strip_newline(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

PGconn *hx_db_connect(const char *conninfo, const char *appname, struct hx_error *err)
{
	const char *keys[] = {"dbname", "fallback_application_name", NULL};
	const char *vals[] = {conninfo, appname, NULL};
	PQconninfoOption *opts = NULL, *o;
	char *parse_err = NULL;
	char *secret = NULL;
	PGconn *conn = NULL;
	PGresult *res = NULL;

	if (conninfo != NULL && conninfo[0] != '\0') {
		opts = PQconninfoParse(conninfo, &parse_err);
		if (opts == NULL) {
			secret = guess_password(conninfo);
			hx_error_set(err, HX_USAGE, "invalid connection string: %s",
			             parse_err ? parse_err : "out of memory");
			strip_newline(err->msg);
			redact(err->msg, secret);
			goto fail;
		}
		for (o = opts; o->keyword != NULL; o++)
			if (strcmp(o->keyword, "password") == 0 && o->val != NULL)
				secret = hx_strdup(o->val);
	} else {
		vals[0] = NULL;
		keys[0] = "fallback_application_name";
		vals[0] = appname;
		keys[1] = NULL;
	}

	conn = PQconnectdbParams(keys, vals, 1);
	if (conn == NULL) {
		hx_error_set(err, HX_UNAVAILABLE, "cannot connect to the database: out of memory");
		goto fail;
	}
	if (PQstatus(conn) != CONNECTION_OK) {
		hx_error_set(err, HX_UNAVAILABLE, "cannot connect to the database: %s",
		             PQerrorMessage(conn));
		strip_newline(err->msg);
		redact(err->msg, secret);
		redact(err->msg, getenv("PGPASSWORD"));
		hx_error_hint(err, "check -d or the PG* variables, and that the server is running");
		goto fail;
	}
	/* Pin the search_path (every name is qualified) and keep NOTICEs out of cron mail. */
	res = PQexec(conn, "SELECT pg_catalog.set_config('search_path', '', false), "
	                   "pg_catalog.set_config('client_min_messages', 'warning', false)");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		hx_db_error_from_result(err, HX_UNAVAILABLE, res, "cannot set search_path");
		goto fail;
	}
	PQclear(res);
	free(secret);
	PQconninfoFree(opts);
	return conn;

fail:
	PQclear(res);
	if (conn != NULL)
		PQfinish(conn);
	free(secret);
	if (parse_err != NULL)
		PQfreemem(parse_err);
	if (opts != NULL)
		PQconninfoFree(opts);
	return NULL;
}

const char *hx_db_describe(PGconn *conn)
{
	static char text[512];
	const char *host = PQhost(conn);

	snprintf(text, sizeof text, "database \"%s\" on %s%s as user \"%s\"", PQdb(conn),
	         host != NULL && host[0] == '/' ? "socket directory " : "host ",
	         host != NULL ? host : "(default)", PQuser(conn));
	return text;
}

const char *hx_db_sqlstate(const PGresult *res)
{
	const char *s = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	return s != NULL ? s : "";
}

int hx_db_error_from_result(struct hx_error *err, int code, const PGresult *res, const char *what)
{
	const char *primary = res != NULL ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *detail = res != NULL ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
	const char *hint = res != NULL ? PQresultErrorField(res, PG_DIAG_MESSAGE_HINT) : NULL;

	if (primary == NULL)
		primary = res != NULL ? PQresultErrorMessage(res) : "no result from server";
	if (primary == NULL || primary[0] == '\0')
		primary = "unexpected result status";
	hx_error_set(err, code, "%s: %s", what, primary);
	if (err != NULL)
		strip_newline(err->msg);
	if (detail != NULL)
		hx_error_detail(err, "%s (SQLSTATE %s)", detail, hx_db_sqlstate(res));
	else if (hx_db_sqlstate(res)[0])
		hx_error_detail(err, "SQLSTATE %s", hx_db_sqlstate(res));
	if (hint != NULL)
		hx_error_hint(err, "%s", hint);
	return -1;
}

int hx_db_failure_code(PGconn *conn, const PGresult *res)
{
	const char *state = hx_db_sqlstate(res);

	if (PQstatus(conn) != CONNECTION_OK || strncmp(state, "08", 2) == 0 ||
	    strncmp(state, "57P", 3) == 0)
		return HX_UNAVAILABLE;
	return HX_SOFTWARE;
}

int hx_db_command(PGconn *conn, struct hx_error *err, const char *sql, int nparams,
                  const char *const *params)
{
	PGresult *res = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);
	int rc = 0;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = hx_db_error_from_result(err, hx_db_failure_code(conn, res), res, "query failed");
	PQclear(res);
	return rc;
}

PGresult *hx_db_query(PGconn *conn, struct hx_error *err, const char *sql, int nparams,
                      const char *const *params)
{
	PGresult *res = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);

	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		hx_db_error_from_result(err, hx_db_failure_code(conn, res), res, "query failed");
		PQclear(res);
		return NULL;
	}
	return res;
}

int hx_db_begin(PGconn *conn, struct hx_error *err)
{
	return hx_db_command(conn, err, "BEGIN", 0, NULL);
}

int hx_db_commit(PGconn *conn, struct hx_error *err)
{
	return hx_db_command(conn, err, "COMMIT", 0, NULL);
}

void hx_db_rollback(PGconn *conn)
{
	PQclear(PQexec(conn, "ROLLBACK"));
}

int hx_db_try_lock(PGconn *conn, enum hx_lock_key key, struct hx_error *err)
{
	char k1[16], k2[16];
	const char *params[2] = {k1, k2};
	PGresult *res;
	int taken;

	snprintf(k1, sizeof k1, "%d", HX_LOCK_CLASS);
	snprintf(k2, sizeof k2, "%d", (int)key);
	res = hx_db_query(conn, err, "SELECT pg_catalog.pg_try_advisory_lock($1::int4, $2::int4)", 2,
	                  params);
	if (res == NULL)
		return -1;
	taken = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return taken;
}

void hx_db_unlock(PGconn *conn, enum hx_lock_key key)
{
	char k1[16], k2[16];
	const char *params[2] = {k1, k2};

	snprintf(k1, sizeof k1, "%d", HX_LOCK_CLASS);
	snprintf(k2, sizeof k2, "%d", (int)key);
	hx_db_command(conn, NULL, "SELECT pg_catalog.pg_advisory_unlock($1::int4, $2::int4)", 2,
	              params);
}

int hx_db_require_schema(PGconn *conn, struct hx_error *err)
{
	int have, want = hx_migrate_latest();

	if (hx_migrate_current(conn, &have, err) < 0)
		return -1;
	if (have < want) {
		hx_error_set(err, HX_UNAVAILABLE,
		             "the database schema is at version %d, this program needs version %d", have,
		             want);
		hx_error_hint(err, "run \"hoctap-ingest --migrate\" first");
		return -1;
	}
	if (have > want) {
		hx_error_set(err, HX_UNAVAILABLE,
		             "the database schema (version %d) is newer than this program (version %d)",
		             have, want);
		hx_error_hint(err, "install the matching hoctap release");
		return -1;
	}
	return 0;
}
