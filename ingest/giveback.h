/*
 * giveback.h — a partly loaded file's bad rows given back to the clerk who
 * sent it (issue 20, docs/design.md §4.3): rejected/NAME.rejects.csv, or
 * NAME.rejects.xlsx for a workbook, holding the file's header and each
 * rejected row as the clerk wrote it, followed by three columns — the
 * line (a workbook's row), the column and the reason, in the clerk's
 * language — so that the clerk can correct the rows where they are and
 * send the file again alone.
 *
 * The rows come from staging.rejects (their raw line, column, value and
 * reason, as ingest recorded them with the file's ledger row), the header
 * from the caller (the reader gave it as the file's first row).  The file
 * is written under a temporary name in the same directory and renamed
 * into place; an existing file of that name is never overwritten (the
 * name then takes .1, .2, ... before its extension).
 */
#ifndef HOCTAP_INGEST_GIVEBACK_H
#define HOCTAP_INGEST_GIVEBACK_H

#include <libpq-fe.h>

#include "error.h"
#include "rowsrc.h"

struct giveback {
	long long file_id;            /* the committed file's staging.files.file_id */
	const char *name;             /* the file's name as shown (its base name is used) */
	const char *dir;              /* where to write: the run's rejected/ directory */
	int workbook;                 /* 1: an .xlsx or .xls (NAME.rejects.xlsx), 0: CSV */
	const struct hx_row *header;  /* the header as the file's reader gave it: a CSV's
	                                 raw header line, a workbook's cells (joined when
	                                 two rows) */
	char delimiter;               /* CSV: the file's delimiter; 0: told from the header */
};

/*
 * Write g->file_id's rejected rows for the clerk, in the language in force
 * (i18n.h).  Returns the number of rows written, with *path (a new string,
 * the file's path) set; 0 when the file has no rejected row (nothing is
 * written, *path NULL); -1 with err filled (the database, or the file
 * could not be written: nothing is left behind).  Memory stays bounded
 * whatever the number of rows: they are read one at a time.
 */
long giveback_write(PGconn *conn, const struct giveback *g, char **path, struct hx_error *err);

#endif
