/*
 * refdata.h — --units FILE and --targets FILE (DESIGN.md §4.1): reference
 * data validated as a whole, then replacing the set in one transaction.
 * Run as the database owner (the ingest role may not write ref).
 */
#ifndef HOCTAP_INGEST_REFDATA_H
#define HOCTAP_INGEST_REFDATA_H

#include <libpq-fe.h>

#include "error.h"

/*
 * Replace ref.units with the units CSV at path.  Every problem is a
 * message naming file and line; *count receives the units loaded.
 * A code that submissions or targets use may not disappear: the error
 * names the code and a file and line that uses it, and nothing changes.
 * Returns 0, or -1 with err (HX_DATAERR for bad data, HX_NOINPUT...).
 */
int refdata_units(PGconn *conn, const char *path, long *count, struct hx_error *err);

/* Replace ref.targets with the targets CSV at path (same contract). */
int refdata_targets(PGconn *conn, const char *path, long *count, struct hx_error *err);

#endif
