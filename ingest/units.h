/*
 * units.h — the reference unit codes in memory, for checking every row's
 * unit_code without a round trip, and for restoring leading zeros that a
 * spreadsheet dropped ("1234" -> "01234") when exactly one unit matches.
 */
#ifndef HOCTAP_INGEST_UNITS_H
#define HOCTAP_INGEST_UNITS_H

#include <libpq-fe.h>
#include <stddef.h>

#include "error.h"

#define UNIT_CODE_MAX 5
#define UNIT_RESOLVE_OUT 40 /* "01 or 001 or 0001 or 00001" fits */

struct unit_set;

/* Read every code of ref.units.  Returns a set the caller frees, or NULL (err). */
struct unit_set *units_load(PGconn *conn, struct hx_error *err);
/* A set of the given codes (tests, reference loading). */
struct unit_set *units_from_codes(const char *const *codes, size_t n);
void units_free(struct unit_set *u);
size_t units_count(const struct unit_set *u);
int units_contains(const struct unit_set *u, const char *code);

enum unit_resolve {
	UNIT_OK = 0,        /* out holds the code (perhaps with zeros restored) */
	UNIT_EMPTY,         /* nothing written */
	UNIT_MALFORMED,     /* not 1-5 digits */
	UNIT_UNKNOWN,       /* no reference unit has this code */
	UNIT_AMBIGUOUS      /* several codes match once zeros are restored: out holds two */
};

/*
 * Resolve the text s[0..n) (surrounding blanks ignored) to a reference
 * code in out (NUL-terminated).  For UNIT_AMBIGUOUS, out holds "A or B".
 * out must have room for UNIT_RESOLVE_OUT bytes.
 */
enum unit_resolve units_resolve(const struct unit_set *u, const char *s, size_t n, char *out);

#endif
