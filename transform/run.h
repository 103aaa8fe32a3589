/*
 * run.h — one hoctap-transform run: staging into core and the marts, or
 * closing / reopening a year (docs/design.md §5, docs/rules.md).
 *
 * The work itself is the set-based SQL of sql/transform/NN_*.sql, run in
 * name order inside one transaction under the HX_LOCK_TRANSFORM advisory
 * lock; this module picks the mode, records the run and runs the scripts.
 */
#ifndef HOCTAP_TRANSFORM_RUN_H
#define HOCTAP_TRANSFORM_RUN_H

#include <libpq-fe.h>

#include "db.h"
#include "error.h"

/* New error findings whose messages a run keeps (the count is whole). */
#define TF_NEW_ERRORS_MAX 100

struct tf_options {
	int full;          /* rebuild every (province, year) pair */
	int recount;       /* with full: recount every register list from its rows */
	int close_year;    /* 0, or the year to close (nothing is recomputed) */
	int reopen_year;   /* 0, or the year to reopen (its pairs are recomputed) */
	long lock_wait_ms; /* how long to wait for a lock whose holder's client is gone */
};

struct tf_result {
	long long run_id;
	char mode[16];     /* incremental, full, close, reopen */
	int pairs;         /* (province, year) pairs recomputed */
	int findings;      /* findings current after the run */
	int files_taken;   /* staging files taken in for the first time */
	int changed;       /* close/reopen: 1 if the year's state changed */
	int ref_changed;   /* ref.units changed since the last run: forced --full */
	int bounds_changed; /* ref.plausibility or ref.households changed: forced --full */
	/*
	 * Error findings (values kept out of the figures) that the last run did
	 * not have, and the messages of the first TF_NEW_ERRORS_MAX of them
	 * ("FILE:LINE: UNIT NAME, YEAR, TITLE: ... (rule)"), NULL-terminated,
	 * owned (tf_result_free).
	 */
	int new_errors;
	char **new_error_lines;
	struct hx_lock_holder lock; /* who held the lock, when it was held (waited_ms) */
};

/*
 * Run once on conn (a connection from hx_db_connect, schema checked).
 * Returns 0 with *res filled, or -1 with err: HX_TEMPFAIL when another
 * transform holds the lock (res->lock names it), HX_NOINPUT when --close
 * names a year without figures, HX_UNAVAILABLE when the connection is lost,
 * HX_SOFTWARE for any other database failure (nothing is changed then).
 * Either way the caller frees *res with tf_result_free.
 */
int tf_run(PGconn *conn, const struct tf_options *opt, struct tf_result *res,
           struct hx_error *err);
void tf_result_free(struct tf_result *res);

#endif
