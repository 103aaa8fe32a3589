/*
 * migrate.h — applying the numbered migrations of sql/migrations/.
 *
 * Migration NNN_name.sql has version NNN.  Applied versions are recorded in
 * audit.schema_migrations.  hx_migrate_apply runs every pending migration in
 * one transaction under a transaction-level advisory lock, so two concurrent
 * "--migrate" runs serialise and the second finds nothing to do.
 *
 * The baseline (Flyway's rule): migration HX_MIGRATE_BASELINE is the whole
 * schema as the retired steps 001..HX_MIGRATE_LEGACY_LAST left it.  An empty
 * database runs it; a database at HX_MIGRATE_LEGACY_LAST is marked as at the
 * baseline without running it; one at any other step below the baseline is
 * refused (it needs the release that still had those steps).
 */
#ifndef HOCTAP_MIGRATE_H
#define HOCTAP_MIGRATE_H

#include <libpq-fe.h>

#include "error.h"

#define HX_MIGRATE_BASELINE 100
#define HX_MIGRATE_LEGACY_LAST 34

/* The highest migration version embedded in this build. */
int hx_migrate_latest(void);

/* The version the database is at (0 for an empty database). -1 on error. */
int hx_migrate_current(PGconn *conn, int *version, struct hx_error *err);

struct hx_migrate_result {
	int from, to;  /* the version before and after */
	int applied;   /* migrations run (0: already up to date) */
	int baselined; /* a database at HX_MIGRATE_LEGACY_LAST was marked as at the baseline */
};

/*
 * Apply all pending migrations, filling *res.  Returns 0, or -1 with err
 * (nothing applied; HX_UNAVAILABLE for a database at a retired step other
 * than the last).
 */
int hx_migrate_apply(PGconn *conn, struct hx_migrate_result *res, struct hx_error *err);

#endif
