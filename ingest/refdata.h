/*
 * refdata.h — --units and --targets (docs/design.md §4.1, §9.1): reference data
 * validated as a whole, then replacing the set in one transaction.  Run as
 * the database owner (the ingest role may not write ref).
 */
#ifndef HOCTAP_INGEST_REFDATA_H
#define HOCTAP_INGEST_REFDATA_H

#include <libpq-fe.h>

#include "builtin.h"
#include "error.h"

/* What --units loaded; notes are the shipped lists' facts and flaws (owned). */
struct refdata_units_result {
	long codes;              /* ref.units rows */
	long periods;            /* ref.unit_periods rows */
	long lineage;            /* ref.unit_lineage rows */
	long file_rows;          /* rows read from the units file (0 without one) */
	struct ref_note *notes;  /* of the shipped lists, when they were loaded */
	size_t nnotes;
};

/*
 * Replace the administrative units.  spec is "builtin" (the shipped lists
 * of both eras, builtin.h), "builtin,FILE" (the shipped lists and a
 * province's additions: units the lists lack, such as communes that ended
 * before 2025, and later periods of their units — a rename or a change of
 * type, same code, same province) or "FILE" (the province's own list alone,
 * as before).  A units file may give one code on several rows, one per
 * period (valid_from .. valid_to); periods of a code may not overlap, and a
 * parent must be valid throughout its child's period.
 *
 * Every problem is a message naming file and line, and nothing changes: a
 * file row that contradicts the shipped lists (the same code in another
 * province, or other dates, name or parent for a period the lists give), a
 * code used outside its validity (as a parent or a successor), an unknown
 * code.  A code that submissions or targets use may not disappear.
 * Returns 0 with *res filled (free it with refdata_units_result_free), or
 * -1 with err (HX_DATAERR for bad data, HX_NOINPUT for a missing file,
 * HX_SOFTWARE when the shipped lists are not what this build expects).
 */
int refdata_units(PGconn *conn, const char *spec, struct refdata_units_result *res,
                  struct hx_error *err);
void refdata_units_result_free(struct refdata_units_result *res);

/* Is ref.units empty (a database that has never had units loaded)?  1, 0, or -1 (err). */
int refdata_units_empty(PGconn *conn, struct hx_error *err);

/* Replace ref.targets with the targets CSV at path (same contract). */
int refdata_targets(PGconn *conn, const char *path, long *count, struct hx_error *err);

#endif
