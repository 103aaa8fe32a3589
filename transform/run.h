/*
 * run.h — one hoctap-transform run: staging into core and the marts, or
 * closing / reopening a year (DESIGN.md §5, docs/rules.md).
 *
 * The work itself is the set-based SQL of sql/transform/NN_*.sql, run in
 * name order inside one transaction under the HX_LOCK_TRANSFORM advisory
 * lock; this module picks the mode, records the run and runs the scripts.
 */
#ifndef HOCTAP_TRANSFORM_RUN_H
#define HOCTAP_TRANSFORM_RUN_H

#include <libpq-fe.h>

#include "error.h"

struct tf_options {
	int full;        /* rebuild every (province, year) pair */
	int recount;     /* with full: recount every register list from its rows */
	int close_year;  /* 0, or the year to close (nothing is recomputed) */
	int reopen_year; /* 0, or the year to reopen (its pairs are recomputed) */
};

struct tf_result {
	long long run_id;
	char mode[16];     /* incremental, full, close, reopen */
	int pairs;         /* (province, year) pairs recomputed */
	int findings;      /* findings current after the run */
	int files_taken;   /* staging files taken in for the first time */
	int changed;       /* close/reopen: 1 if the year's state changed */
	int ref_changed;   /* ref.units changed since the last run: forced --full */
};

/*
 * Run once on conn (a connection from hx_db_connect, schema checked).
 * Returns 0 with *res filled, or -1 with err: HX_TEMPFAIL when another
 * transform holds the lock, HX_UNAVAILABLE when the connection is lost,
 * HX_SOFTWARE for any other database failure (nothing is changed then).
 */
int tf_run(PGconn *conn, const struct tf_options *opt, struct tf_result *res,
           struct hx_error *err);

#endif
