/*
 * db.h — PostgreSQL connection and query helpers over libpq
 * (PostgreSQL src/fe_utils/connect_utils.c and query_utils.c).
 *
 * Connections pin an empty search_path: every SQL name is schema-qualified.
 * Messages never contain the password: errors describe the target as
 * "database D on host/socket H as user U", never by echoing the conninfo.
 */
#ifndef HOCTAP_DB_H
#define HOCTAP_DB_H

#include <libpq-fe.h>

#include "error.h"

/* Advisory lock keys (pg_try_advisory_lock with two int4 keys: HX_LOCK_CLASS, key). */
#define HX_LOCK_CLASS 1752130420 /* 0x686f6374, "hoct" */
/*
 * A session holding one of the locks also holds a shared advisory lock
 * (HX_LOCK_CLIENT_CLASS, its client's process id), so that a run finding
 * the lock held can tell which process on which side holds it, and whether
 * that process is still alive.  Seen in pg_locks; gone with the session.
 */
#define HX_LOCK_CLIENT_CLASS 1752130416 /* 0x686f6370, "hocp" */
/* How soon a backend notices that its client died (client_connection_check_interval). */
#define HX_DB_CHECK_INTERVAL "2s"
/*
 * How long a run waits for a lock held by a session whose client is gone:
 * its backend stops within HX_DB_CHECK_INTERVAL and rolls back; a bound, in
 * case it does not.
 */
#define HX_LOCK_ORPHAN_WAIT_MS 60000
enum hx_lock_key {
	HX_LOCK_MIGRATE = 1,
	HX_LOCK_INGEST = 2,
	HX_LOCK_TRANSFORM = 3,
	HX_LOCK_REFERENCE = 4
};

/*
 * Connect with conninfo (a keyword string or URI; NULL or "" means libpq
 * defaults: PG* variables and the service file).  appname becomes
 * fallback_application_name.  Returns a connection the caller closes with
 * PQfinish, or NULL with err->code = HX_UNAVAILABLE (bad conninfo: HX_USAGE).
 */
PGconn *hx_db_connect(const char *conninfo, const char *appname, struct hx_error *err);

/* "database D on socket /x as user U" (no password); borrowed static buffer. */
const char *hx_db_describe(PGconn *conn);

/*
 * Run a command that returns no rows (or whose rows are ignored), with
 * optional text parameters.  Returns 0, or -1 with err filled (the server's
 * message, its SQLSTATE in detail).
 */
int hx_db_command(PGconn *conn, struct hx_error *err, const char *sql, int nparams,
                  const char *const *params);

/*
 * Run a query expected to return tuples.  Returns the result (caller
 * PQclear()s it) or NULL with err filled.
 */
PGresult *hx_db_query(PGconn *conn, struct hx_error *err, const char *sql, int nparams,
                      const char *const *params);

/*
 * The same query in two steps, so that the client can work while the server
 * runs it: hx_db_send starts it (0, or -1 with err), hx_db_receive waits
 * for its result (as hx_db_query's) and leaves the connection ready for the
 * next command.  Every send is followed by a receive, even after an error.
 */
int hx_db_send(PGconn *conn, struct hx_error *err, const char *sql, int nparams,
               const char *const *params);
PGresult *hx_db_receive(PGconn *conn, struct hx_error *err);

/* Fill err from a failed result (message and SQLSTATE) with the given code. */
int hx_db_error_from_result(struct hx_error *err, int code, const PGresult *res,
                            const char *what);

/* The SQLSTATE of a result, "" if none. */
const char *hx_db_sqlstate(const PGresult *res);
/* The exit code a failed statement stands for: a lost connection is
 * HX_UNAVAILABLE (69); any other failure is internal (HX_SOFTWARE). */
int hx_db_failure_code(PGconn *conn, const PGresult *res);

int hx_db_begin(PGconn *conn, struct hx_error *err);
int hx_db_commit(PGconn *conn, struct hx_error *err);
/* Roll back, ignoring errors (used on cleanup paths). */
void hx_db_rollback(PGconn *conn);

/*
 * Try to take a session advisory lock.  Returns 1 if taken, 0 if another
 * session holds it, -1 on error (err filled).
 */
int hx_db_try_lock(PGconn *conn, enum hx_lock_key key, struct hx_error *err);
void hx_db_unlock(PGconn *conn, enum hx_lock_key key);

/* The session holding a lock, as far as pg_stat_activity shows it. */
struct hx_lock_holder {
	int found;            /* 0: nobody holds it (released meanwhile) */
	long backend_pid;     /* the server process */
	char since[32];       /* its session's start, "" when not visible to this role */
	char application[64]; /* its application_name */
	long client_pid;      /* its client's process id, 0 when unknown */
	int client_here;      /* that client runs on this machine (connected alike) */
	int client_gone;      /* ... and is gone: an orphaned session */
	long waited_ms;       /* how long hx_db_take_lock waited for it */
};

/*
 * Fill *holder with the session holding key in this database (holder->found
 * 0 when none does).  Returns 0, or -1 with err.
 */
int hx_db_lock_holder(PGconn *conn, enum hx_lock_key key, struct hx_lock_holder *holder,
                      struct hx_error *err);

/*
 * Take a lock as hx_db_try_lock does; when another session holds it, fill
 * *holder, and if that session's client is gone (a program killed while
 * its backend still works), wait up to wait_ms for the backend to notice
 * and let go.  Returns 1 if taken (holder->waited_ms > 0 when it waited),
 * 0 if held (holder says by whom), -1 on error (err filled).
 */
int hx_db_take_lock(PGconn *conn, enum hx_lock_key key, long wait_ms,
                    struct hx_lock_holder *holder, struct hx_error *err);
/*
 * "backend pid 4242 (hoctap-transform, client pid 4240 on this machine,
 * gone), since 2026-11-24 01:30:02+07" into buf.  Returns buf.
 */
const char *hx_db_holder_text(const struct hx_lock_holder *h, char *buf, size_t size);

/*
 * Refuse to work on a schema older than this build's migrations: returns 0
 * when the database is at the latest version, else -1 with err (code
 * HX_UNAVAILABLE) naming "hoctap-ingest --migrate".
 */
int hx_db_require_schema(PGconn *conn, struct hx_error *err);

#endif
