/*
 * sheet.h — what the .xlsx and .xls readers share (docs/design.md §9.4): the
 * options a caller gives (which sheet, what a header looks like), and the
 * search for the header among a sheet's first rows.
 *
 * A clerk's sheet often starts with title rows ("BÁO CÁO KẾT QUẢ ...",
 * merged across the table), and its header may take two rows: an upper
 * cell merged across the columns it heads ("Số hộ" over D:F) and, below
 * it, the columns' own names ("Đăng ký", "Công nhận", "Tiêu biểu").  The
 * search keeps the first rows, asks the caller's predicate of each in turn
 * and, where the row's cells are merged across columns with names below
 * them, of the two rows joined ("Số hộ Đăng ký", ...) first.
 */
#ifndef HOCTAP_SHEET_H
#define HOCTAP_SHEET_H

#include <stddef.h>

#include "rowsrc.h"

/* Rows of a sheet searched for its header. */
#define HX_SHEET_HEADER_ROWS 30
/* Bytes of those rows kept at most (a sheet whose first rows are larger is
 * searched only as far as they fit). */
#define HX_SHEET_WINDOW_BYTES ((size_t)2 * 1024 * 1024)
/* Excel's limits: 1,048,576 rows, 16,384 columns (XFD). */
#define HX_SHEET_MAX_ROWS 1048576L
#define HX_SHEET_MAX_COLS 16384L

/*
 * Does row hold a recognisable header?  1 yes, 0 no.  The caller decides
 * (ingest: enough of its cells name known columns); ctx is the caller's.
 */
typedef int (*hx_header_fn)(void *ctx, const struct hx_row *row);

struct hx_sheet_options {
	const char *sheet;      /* --sheet NAME: this sheet, hidden or not; NULL: the first
	                           visible sheet whose first rows hold a header */
	hx_header_fn is_header; /* NULL: the first row that is not blank is the header */
	void *header_ctx;
	size_t max_field;       /* bytes of a cell kept (longer: cut and flagged);
	                           0: HX_CSV_MAX_FIELD_DEFAULT */
};

/* A merged range of cells: rows r1..r2 (1-based), columns c1..c2 (0-based). */
struct hx_sheet_merge {
	long r1, r2;
	long c1, c2;
};

/* A row kept (copied) while the header is looked for. */
struct hx_sheet_saved {
	struct hx_row row;      /* points into the arrays below */
	char **text;
	size_t *lens;
	unsigned char *types;
	size_t bytes;
};

struct hx_sheet_window {
	struct hx_sheet_saved rows[HX_SHEET_HEADER_ROWS];
	size_t n;
	size_t bytes;
};

/* Copy row into the window.  0, or -1 when the window is full (rows or bytes). */
int hx_sheet_window_add(struct hx_sheet_window *w, const struct hx_row *row);
void hx_sheet_window_free(struct hx_sheet_window *w);

struct hx_sheet_header {
	size_t index;           /* the (upper) header row's index in the window */
	size_t data_from;       /* the window's first data row: index + 1, or + 2 joined */
	int joined;             /* 1: the header is rows index and index + 1 joined */
	struct hx_sheet_saved joined_row; /* the joined header, when joined */
};

/*
 * Find the header among w's rows, given the sheet's merged ranges.
 * Returns 0 with h filled (free with hx_sheet_header_free), or -1 when no
 * row is a header by o->is_header.
 */
int hx_sheet_find_header(const struct hx_sheet_window *w, const struct hx_sheet_merge *m,
                         size_t nm, const struct hx_sheet_options *o, struct hx_sheet_header *h);
void hx_sheet_header_free(struct hx_sheet_header *h);

/*
 * For a format that does not record merged cells (.xls through FreeXL):
 * the merges a two-row header most likely has, guessed from the rows at
 * i and i + 1 of w — an upper cell followed by empty cells with names below
 * them spans those columns; an upper cell with nothing below spans both
 * rows.  Writes at most cap merges into m; returns their count (0 when the
 * upper row spans no columns: nothing to join).
 */
size_t hx_sheet_guess_merges(const struct hx_sheet_window *w, size_t i, struct hx_sheet_merge *m,
                             size_t cap);

#endif
