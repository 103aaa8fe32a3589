/*
 * lists.h — the register lists of a file, counted as its rows stream by.
 *
 * A register file holds lists: the households (clans, villages, units) one
 * unit evaluated for one year and title.  While hoctap-ingest copies the
 * rows it also counts each list (entities, registered, recognized,
 * exemplary, first and last line, latest submitted_at) and finds the
 * entities a list names twice, so that the transform reads a handful of
 * list rows instead of every household again (staging.register_lists,
 * staging.register_dups; sql/migrations/021 and 024).
 *
 * Memory is bounded whatever the file: the counts take one small record
 * per list, and the duplicate check keeps the entities of the list being
 * read only.  A file too big for those bounds — more than LISTS_MAX lists,
 * a list of more than ENTITIES_MAX entities, or a list that comes back
 * after another one started (its rows not together) — is marked unchecked
 * or uncounted, and the transform works from its rows as before.
 */
#ifndef HOCTAP_INGEST_LISTS_H
#define HOCTAP_INGEST_LISTS_H

#include <libpq-fe.h>
#include <stddef.h>

#include "copy.h"
#include "error.h"

/*
 * Together at most ~6.5 MiB (lists 3.3, their table 0.25, entities 2 and
 * their bytes 1), so that hoctap-ingest stays within its 16 MiB whatever
 * the file: a province's register is a few thousand lists (the whole
 * country's family lists in one file, 10,600), and a commune lists at most
 * some tens of thousands of households.
 */
#define LISTS_MAX 32768           /* lists counted per file (~100 bytes each) */
#define ENTITIES_MAX 32768        /* entities of one list checked for duplicates */

struct list_tracker;

/* A tracker for the file of this file_id (as text). */
struct list_tracker *lists_new(const char *file_id);
void lists_free(struct list_tracker *t);

/*
 * A register row's columns as the converters write it, in this order:
 * file_id, line, year, unit_code, title_no, entity_id, registered,
 * recognized, exemplary, score, village, entity_name, submitted_at.
 * staging.register stores the first LISTS_STORED (migration 034); the last
 * two are written for the lists only (the latest submitted_at), and cut
 * from the row (copy_row_keep) before it is sent.  title_no is the title's
 * ref.titles.sort_order; the lists and duplicates name it by its key.
 */
#define LISTS_COLUMNS 13
#define LISTS_STORED 11
#define LISTS_YEAR 2                          /* year's place among them */
#define LISTS_ALL_SENT ((1u << LISTS_COLUMNS) - 1)

/*
 * Which of those columns a COPY's rows carry: a column the file does not
 * have is left out (NULL in the table), and so is year when the rows go
 * to a partition whose default is its year (migration 028).
 */
struct lists_layout {
	unsigned sent;      /* bit k: column k is in the rows, in the order above */
	int year_num;       /* the rows' year when year is left out */
	char year[12];      /* the same, as text */
	int stored;         /* lists_stored_fields of this layout, set by its maker for
	                       the per-row path (0: not set) */
};

/* How many of the fields lay's rows carry staging.register stores (NULL: all columns written). */
int lists_stored_fields(const struct lists_layout *lay);

/*
 * One loaded row of staging.register as the sink s is writing it, its
 * columns as lay says (NULL: all of them; every field written, the row not
 * yet ended): its fields are where s recorded them.
 */
void lists_sink_row(struct list_tracker *t, const struct copy_sink *s,
                    const struct lists_layout *lay);
/*
 * The same row given as its COPY text, without its newline, split here on
 * its tabs: the reference lists_sink_row is tested against.
 */
void lists_row(struct list_tracker *t, const char *row, size_t len);

/* What a tracker has counted so far, over all its lists (for tests). */
struct lists_totals {
	long lists, entities, registered, recognized, exemplary, exemplary_given;
	long long duplicates;      /* entities named more than once in their list */
};
void lists_totals(const struct list_tracker *t, struct lists_totals *out);

/*
 * The latest submitted_at of all the file's rows, as written, or NULL when
 * no row has one: staging.files.submitted_at, which stands for the lists'
 * own when they could not be counted.
 */
const char *lists_latest_submitted(const struct list_tracker *t);
/* Do the rows' submitted_at differ (not all the same instant, or some without one)? */
int lists_dates_differ(const struct list_tracker *t);

/* Were all the file's lists counted / checked for duplicate entities? */
int lists_counted(const struct list_tracker *t);
int lists_checked(const struct list_tracker *t);

/*
 * Copy the counts (when counted) and the duplicates (when checked) into
 * staging.register_lists and staging.register_dups, on conn inside the
 * file's transaction.  0, or -1 (err).
 */
int lists_copy(struct list_tracker *t, PGconn *conn, struct hx_error *err);

#endif
