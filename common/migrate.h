/*
 * migrate.h — applying the numbered migrations of sql/migrations/.
 *
 * Migration NNN_name.sql has version NNN.  Applied versions are recorded in
 * audit.schema_migrations.  hx_migrate_apply runs every pending migration in
 * one transaction under a transaction-level advisory lock, so two concurrent
 * "--migrate" runs serialise and the second finds nothing to do.
 */
#ifndef HOCTAP_MIGRATE_H
#define HOCTAP_MIGRATE_H

#include <libpq-fe.h>

#include "error.h"

/* The highest migration version embedded in this build. */
int hx_migrate_latest(void);

/* The version the database is at (0 for an empty database). -1 on error. */
int hx_migrate_current(PGconn *conn, int *version, struct hx_error *err);

/*
 * Apply all pending migrations.  *applied receives how many were applied
 * (0: already up to date).  Returns 0, or -1 with err (nothing applied).
 */
int hx_migrate_apply(PGconn *conn, int *applied, struct hx_error *err);

#endif
