/*
 * db.c — connecting to PostgreSQL and running statements (see db.h).
 *
 * Learned from PostgreSQL's src/fe_utils/connect_utils.c: connect with
 * PQconnectdbParams and expand_dbname so that -d takes a conninfo string, a
 * URI or a bare database name, pin the search_path, and check each result
 * status exactly.  A session that holds one of the run locks is marked with
 * its client's process id, so that the next run can tell an orphaned holder
 * from a live one (hx_db_take_lock).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "db.h"
#include "i18n.h"
#include "migrate.h"
#include "sqlfiles.h"

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

/*
 * Whether -d is a conninfo string or URI, as libpq tells them apart
 * (expand_dbname): anything else, such as "hoctap_demo", is a database name
 * (psql takes it so).
 */
static int is_conninfo(const char *s)
{
	return strchr(s, '=') != NULL || strncmp(s, "postgresql://", 13) == 0 ||
	       strncmp(s, "postgres://", 11) == 0;
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

	if (conninfo != NULL && conninfo[0] != '\0' && is_conninfo(conninfo)) {
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
	} else if (conninfo == NULL || conninfo[0] == '\0') {
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
	/*
	 * Pin the search_path (every name is qualified) and keep NOTICEs out of
	 * cron mail.  client_connection_check_interval: a backend whose client
	 * died (kill -9, a lost network) stops its query within seconds and
	 * releases its locks, instead of working on for nobody and holding the
	 * next run's lock until its query ends.
	 */
	res = PQexec(conn, "SELECT pg_catalog.set_config('search_path', '', false), "
	                   "pg_catalog.set_config('client_min_messages', 'warning', false), "
	                   "pg_catalog.set_config('client_connection_check_interval', "
	                   "'" HX_DB_CHECK_INTERVAL "', false)");
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

int hx_db_send(PGconn *conn, struct hx_error *err, const char *sql, int nparams,
               const char *const *params)
{
	if (PQsendQueryParams(conn, sql, nparams, NULL, params, NULL, NULL, 0) != 1) {
		hx_error_set(err, hx_db_failure_code(conn, NULL), "query failed: %s",
		             PQerrorMessage(conn));
		if (err != NULL)
			strip_newline(err->msg);
		return -1;
	}
	return 0;
}

PGresult *hx_db_receive(PGconn *conn, struct hx_error *err)
{
	PGresult *res = NULL, *next;

	/* The last result, after which PQgetResult says NULL: the connection is idle again. */
	while ((next = PQgetResult(conn)) != NULL) {
		if (res != NULL && PQresultStatus(res) != PGRES_TUPLES_OK) {
			PQclear(next);
			continue;
		}
		PQclear(res);
		res = next;
	}
	if (res == NULL) {
		hx_error_set(err, hx_db_failure_code(conn, NULL), "query failed: %s",
		             PQerrorMessage(conn));
		if (err != NULL)
			strip_newline(err->msg);
		return NULL;
	}
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

/* The lock's two keys as text parameters. */
static void lock_keys(enum hx_lock_key key, char k1[16], char k2[16])
{
	snprintf(k1, 16, "%d", HX_LOCK_CLASS);
	snprintf(k2, 16, "%d", (int)key);
}

/*
 * Mark this session as the one of this client process (see
 * HX_LOCK_CLIENT_CLASS).  Shared, so that several sessions of one process
 * can hold it; a failure only makes the holder harder to name.
 */
static void mark_client(PGconn *conn)
{
	char k1[16], k2[16];
	const char *params[2] = {k1, k2};

	snprintf(k1, sizeof k1, "%d", HX_LOCK_CLIENT_CLASS);
	snprintf(k2, sizeof k2, "%ld", (long)getpid());
	hx_db_command(conn, NULL, "SELECT pg_catalog.pg_try_advisory_lock_shared($1::int4, $2::int4)",
	              2, params);
}

int hx_db_try_lock(PGconn *conn, enum hx_lock_key key, struct hx_error *err)
{
	char k1[16], k2[16];
	const char *params[2] = {k1, k2};
	PGresult *res;
	int taken;

	lock_keys(key, k1, k2);
	/*
	 * Marked before the lock is tried, not after: a client killed between
	 * the two statements would leave a backend holding the lock unmarked for
	 * the moment it takes to notice, and the next run would take that
	 * orphan for a live holder.  A mark on a session that then holds no lock
	 * names nothing (lock_holder.sql looks only at the holder's marks).
	 */
	mark_client(conn);
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

	lock_keys(key, k1, k2);
	hx_db_command(conn, NULL, "SELECT pg_catalog.pg_advisory_unlock($1::int4, $2::int4)", 2,
	              params);
}

/*
 * Whether process pid of this machine is gone: no such process, or a
 * zombie (dead, waiting for its parent to read its status).  0 when it
 * lives or cannot be told.
 */
static int process_gone(long pid)
{
	char path[64], stat[512], *paren;
	FILE *f;
	size_t n;

	if (pid <= 0 || pid == (long)getpid())
		return 0;
	if (kill((pid_t)pid, 0) < 0)
		return errno == ESRCH;
	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	f = fopen(path, "r");
	if (f == NULL)
		return errno == ENOENT;
	n = fread(stat, 1, sizeof stat - 1, f);
	fclose(f);
	stat[n] = '\0';
	/* "PID (COMM) STATE ...": COMM may hold ") ", so the last one. */
	paren = strrchr(stat, ')');
	return paren != NULL && paren[1] == ' ' && (paren[2] == 'Z' || paren[2] == 'X');
}

int hx_db_lock_holder(PGconn *conn, enum hx_lock_key key, struct hx_lock_holder *h,
                      struct hx_error *err)
{
	const char *sql = hx_sql_script("common/lock_holder.sql");
	char k1[16], k2[16], k3[16];
	const char *params[3] = {k1, k2, k3};
	PGresult *res;

	memset(h, 0, sizeof *h);
	if (sql == NULL)
		return hx_error_set(err, HX_SOFTWARE, "sql/common/lock_holder.sql is missing from this build");
	lock_keys(key, k1, k2);
	snprintf(k3, sizeof k3, "%d", HX_LOCK_CLIENT_CLASS);
	res = hx_db_query(conn, err, sql, 3, params);
	if (res == NULL)
		return -1;
	if (PQntuples(res) > 0) {
		h->found = 1;
		h->backend_pid = atol(PQgetvalue(res, 0, 0));
		snprintf(h->since, sizeof h->since, "%s", PQgetvalue(res, 0, 1));
		snprintf(h->application, sizeof h->application, "%s", PQgetvalue(res, 0, 2));
		h->client_pid = PQgetisnull(res, 0, 3) ? 0 : atol(PQgetvalue(res, 0, 3));
		h->client_here = strcmp(PQgetvalue(res, 0, 4), "t") == 0 && h->client_pid > 0;
		h->client_gone = h->client_here && process_gone(h->client_pid);
	}
	PQclear(res);
	return 0;
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (long)(t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/*
 * Wait up to wait_ms for key (lock_timeout bounds the wait; the server wakes
 * us the moment the holder lets go).  1 taken, 0 still held, -1 error.
 */
static int wait_lock(PGconn *conn, enum hx_lock_key key, long wait_ms, struct hx_error *err)
{
	char k1[16], k2[16], timeout[32];
	const char *params[2] = {k1, k2}, *tparams[1] = {timeout};
	PGresult *res;
	int rc;

	lock_keys(key, k1, k2);
	mark_client(conn); /* before the lock, as in hx_db_try_lock */
	snprintf(timeout, sizeof timeout, "%ldms", wait_ms);
	if (hx_db_command(conn, err, "SELECT pg_catalog.set_config('lock_timeout', $1, false)", 1,
	                  tparams) < 0)
		return -1;
	res = PQexecParams(conn, "SELECT pg_catalog.pg_advisory_lock($1::int4, $2::int4)", 2, NULL,
	                   params, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		rc = 1;
	else if (strcmp(hx_db_sqlstate(res), "55P03") == 0) /* lock_not_available */
		rc = 0;
	else
		rc = hx_db_error_from_result(err, hx_db_failure_code(conn, res), res,
		                             "waiting for the lock failed");
	PQclear(res);
	if (rc >= 0 && hx_db_command(conn, err, "RESET lock_timeout", 0, NULL) < 0)
		return -1;
	return rc;
}

int hx_db_take_lock(PGconn *conn, enum hx_lock_key key, long wait_ms,
                    struct hx_lock_holder *holder, struct hx_error *err)
{
	struct timespec t0;
	int taken = 0, rc;

	memset(holder, 0, sizeof *holder);
	/* A holder that lets go between the try and the look-up: try again. */
	for (int attempt = 0; attempt < 3 && !holder->found; attempt++) {
		taken = hx_db_try_lock(conn, key, err);
		if (taken != 0)
			return taken;
		if (hx_db_lock_holder(conn, key, holder, err) < 0)
			return -1;
	}
	if (!holder->client_gone || wait_ms <= 0)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = wait_lock(conn, key, wait_ms, err);
	holder->waited_ms = elapsed_ms(&t0);
	return rc;
}

const char *hx_db_holder_text(const struct hx_lock_holder *h, char *buf, size_t size)
{
	char client[96] = "";

	if (!h->found) {
		snprintf(buf, size, "%s", _("a session that has ended"));
		return buf;
	}
	if (h->client_pid > 0 && h->client_here)
		snprintf(client, sizeof client, _(", client pid %ld on this machine%s"), h->client_pid,
		         h->client_gone ? _(", gone") : "");
	else if (h->client_pid > 0)
		snprintf(client, sizeof client, _(", client pid %ld on another machine"),
		         h->client_pid);
	snprintf(buf, size, _("backend pid %ld (%s%s), since %s"), h->backend_pid,
	         h->application[0] ? h->application : _("no application name"), client,
	         h->since[0] ? h->since : _("a time not shown to this role"));
	return buf;
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
