/*
 * conflicts.h — two rows of one CSV file, or of one JSON submission, that
 * are about the same thing (a tally's unit, year and title; a fund's unit
 * and year: the key columns of tables.h) must not load side by side, where
 * the later one would win with no word.  (Two submissions of one JSON file
 * are two reports, as two files are: the later supersedes.)  A row the same as an earlier one in every value is read
 * once, with a warning; two that differ are both rejected (conflicting
 * rows), each message naming the other (docs/formats.md §10).
 *
 * The converters keep a file's tally and fund rows (in a keeping sink,
 * never sent at once), ask about each row as it is written, and leave out
 * at the replay the earlier rows a later one turned out to conflict with.
 * Memory is bounded: the key of every row (some tens of bytes) up to
 * CONFLICT_ROWS_MAX rows, and the raw text of each first row up to
 * CONFLICT_NOTES_MAX bytes.  A file past the first bound is checked no
 * further (conflicts_checked says so).
 */
#ifndef HOCTAP_INGEST_CONFLICTS_H
#define HOCTAP_INGEST_CONFLICTS_H

#include <stddef.h>

#include "copy.h"
#include "ingest.h"
#include "tables.h"

#define CONFLICT_ROWS_MAX 131072            /* keys of one file (a national tally: 53,000) */
#define CONFLICT_NOTES_MAX ((size_t)1 << 20) /* bytes of the first rows' raw text kept */
#define CONFLICT_KEY_TEXT 160               /* "year 2020, unit_code 23231, title family" */

struct conflicts;

struct conflicts *conflicts_new(void);
void conflicts_free(struct conflicts *c);

enum conflict {
	CONFLICT_NONE,    /* the first row of its key: keep it */
	CONFLICT_REPEAT,  /* the same as the key's first row: read once, warn */
	CONFLICT_FOUND    /* other values for the key: reject this row (and the first) */
};

/* What the check found, for the caller's messages and rejects. */
struct conflict_info {
	char key[CONFLICT_KEY_TEXT];  /* the key's columns and values, for a message */
	char values[CONFLICT_KEY_TEXT]; /* the key's values only ("2020, 23231, family") */
	long first_line;              /* the key's first row: its line */
	const char *first_label;      /* its label as the caller gave it ("" if none) */
	const char *first_raw;        /* its raw text, or NULL when not kept */
	size_t first_raw_len;
	int first_newly;              /* CONFLICT_FOUND and the first row was clean: reject
	                                 it too; it is left out of the replay */
};

/*
 * Check the row being written in out (all of t's columns, after file_id
 * and line; not yet ended) against the rows of t so far of the same scope
 * (a JSON submission's number; 0 for a CSV file).  line,
 * label (how a message names the row, e.g. "tallies[2]"; NULL: by its
 * line), raw (its text as read): this row's.  Returns what it is, with
 * info filled unless CONFLICT_NONE.  Past CONFLICT_ROWS_MAX keys, every
 * row is CONFLICT_NONE.
 */
enum conflict conflicts_check(struct conflicts *c, const struct staging_table *t,
                              const struct copy_sink *out, unsigned long scope, long line,
                              const char *label, const char *raw, size_t raw_len,
                              struct conflict_info *info);

/*
 * Tell what conflicts_check found about job's row at line (label, raw: as
 * given to it): a repeat as a warning; a conflict as this row's reject and,
 * when the first row is newly in conflict, the first row's too (moved from
 * the rows loaded to the rows rejected).  Each message names both rows.
 */
void conflicts_report(struct file_job *job, enum conflict what, long line, const char *label,
                      const char *raw, size_t raw_len, const struct conflict_info *ci);

/* Were all the file's rows checked (no more than CONFLICT_ROWS_MAX keys)? */
int conflicts_checked(const struct conflicts *c);

/*
 * The rows of kind's sink to leave out of its replay (first rows that a
 * later row conflicts with), by their index in the sink, ascending; *n of
 * them.  Borrowed until the next conflicts_check.
 */
const unsigned long long *conflicts_dropped(struct conflicts *c, enum file_kind kind, size_t *n);

#endif
