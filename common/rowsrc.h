/*
 * rowsrc.h — one interface for the rows of a submission, whatever holds
 * them: a CSV file (common/csvread.h), an .xlsx workbook (common/xlsx.h)
 * or an .xls workbook (common/xls.h).  docs/design.md §4.2, §9.4.
 *
 * A row is what struct hx_csv_record already is — fields as NUL-terminated
 * UTF-8 with lengths, the caps' flags — plus two things a CSV cannot say:
 *   - each field's type: a workbook cell is a typed number, a date, a
 *     boolean, an error or text.  A typed number's text is written the
 *     machine way ("7105", "37.28", "-0.5": '.' decimal point, no grouping,
 *     no exponent), so it is read with HX_NUM_EN whatever the file's
 *     number style: nothing Vietnamese or English is guessed about it;
 *   - where it is: a physical line of a file, or a row of a named sheet
 *     (rows numbered as the spreadsheet shows them), and each field's column
 *     letter ("D"), for messages like
 *       file.xlsx, sheet "Báo cáo", row 14, column D ("Số hộ")
 *
 * A CSV record becomes a row without copying (hx_row_from_csv); its fields
 * are all HX_CELL_TEXT and its position a line.
 */
#ifndef HOCTAP_ROWSRC_H
#define HOCTAP_ROWSRC_H

#include <stddef.h>

#include "csvread.h"
#include "error.h"

enum hx_cell_type {
	HX_CELL_TEXT = 0, /* text as written (CSV fields, string cells), trimmed of spaces */
	HX_CELL_NUMBER,   /* a typed number: machine text, read it with HX_NUM_EN */
	HX_CELL_PERCENT,  /* a number shown as a percentage: text is the percentage
	                     as shown (cell 0.3728 -> "37.28"), machine text */
	HX_CELL_DATE,     /* ISO 8601: "2020-01-15", or "2020-01-15T08:30:00" with a time */
	HX_CELL_BOOL,     /* "TRUE" or "FALSE" */
	HX_CELL_ERROR     /* not a value: an Excel error ("#DIV/0!"), or a formula
	                     with no saved result, its text "=" and the formula */
};

/*
 * One row, borrowed from its source until the next call of next().  The
 * first fields are those of struct hx_csv_record, with the same meaning.
 */
struct hx_row {
	size_t nfields;
	const char *const *fields;  /* NUL-terminated UTF-8 (a CSV field may hold NULs: use lens) */
	const size_t *lens;
	const unsigned char *types; /* enum hx_cell_type of each field; NULL: all HX_CELL_TEXT */
	long line;                  /* CSV: physical line where the record starts; a sheet:
	                               the row number (1-based, as the spreadsheet shows it) */
	long last_line;             /* CSV: line where it ends; a sheet: line */
	const char *sheet;          /* NULL for CSV; the sheet's name (UTF-8) for a workbook */
	const char *raw;            /* CSV: the record's bytes as in the file; a workbook:
	                               NULL (hx_row_to_csv writes the row as a CSV line) */
	size_t raw_len;
	size_t too_long_field;      /* 1-based index of the first field longer than the
	                               source's field cap (stored truncated), 0 if none */
	int too_many_fields;        /* more than HX_CSV_MAX_FIELDS: the rest were dropped */
};

/* The type of field i (HX_CELL_TEXT when the row has no types). */
static inline enum hx_cell_type hx_row_type(const struct hx_row *row, size_t i)
{
	return row->types != NULL && i < row->nfields ? (enum hx_cell_type)row->types[i]
	                                              : HX_CELL_TEXT;
}

/*
 * Does row hold no value: every field empty?  hx_csv_record_blank for any
 * row (libcsv trims a CSV field's blanks; a workbook cell's text is
 * trimmed too, so a row of empty or blank cells is blank).  A row whose
 * fields past HX_CSV_MAX_FIELDS were dropped is never blank.
 */
int hx_row_blank(const struct hx_row *row);

/* rec as a row (no copy: the row borrows rec's arrays). */
void hx_row_from_csv(struct hx_row *row, const struct hx_csv_record *rec);

/*
 * The spreadsheet's letters of column index i (0-based): 0 "A", 25 "Z",
 * 26 "AA", 16383 "XFD".  out needs HX_ROW_COLNAME_SZ bytes.  Returns out.
 */
#define HX_ROW_COLNAME_SZ 8
const char *hx_row_column_letters(size_t i, char out[HX_ROW_COLNAME_SZ]);

/*
 * Where field i of row is, in the clerk's language, for a message that
 * the caller prefixes with the file name:
 *   a sheet:  sheet "Báo cáo", row 14, column D ("Số hộ")
 *   CSV:      line 14, column "Số hộ"
 * header_name is the column's header cell as written (NULL or "": the
 * column is named by its letter or number only); i == (size_t)-1 names the
 * row alone.  Writes into out[0..outlen) (always terminated, never cut
 * inside a UTF-8 character) and returns out.
 */
const char *hx_row_where(const struct hx_row *row, size_t i, const char *header_name,
                         char *out, size_t outlen);

/*
 * The row as one CSV line (RFC 4180: ',' between fields, a field quoted
 * when it holds ',', '"', CR or LF), without a line end: what a rejects
 * file gives back to the clerk for a workbook row.  A CSV row gives its
 * raw bytes unchanged.  Returns 0, or -1 when the line would pass the
 * buffer's cap (out then holds the line cut at the cap).
 */
struct hx_buf;
int hx_row_to_csv(const struct hx_row *row, struct hx_buf *out);

/*
 * Machine text of a typed number: the shortest of %.15g..%.17g that reads
 * back as v, written without an exponent ("1e+20" is written out in full,
 * "1.5e-07" as "0.00000015").  out needs HX_ROW_NUMBER_SZ bytes.  Returns
 * the length, or 0 when v is not finite (the caller treats the cell as an
 * error).
 */
#define HX_ROW_NUMBER_SZ 352
size_t hx_row_format_number(double v, char out[HX_ROW_NUMBER_SZ]);

/* ---- A source of rows ------------------------------------------------------ */

/*
 * What a loader reads rows from.  next() returns 1 with row filled, 0 at
 * the end, -1 with err filled (HX_DATAERR: the file cannot be read further,
 * e.g. a CSV quote never closed or a workbook's XML broken; the message
 * names where).  progress() gives bytes read so far, for progress reports;
 * close() frees the source (not the file it reads, when the caller opened
 * it).
 */
struct hx_row_source {
	int (*next)(void *self, struct hx_row *row, struct hx_error *err);
	unsigned long long (*progress)(void *self);
	void (*close)(void *self);
	void *self;
};

/* A source over a CSV reader, which stays the caller's (close() does not free it). */
void hx_row_source_csv(struct hx_row_source *src, struct hx_csv_reader *r);

#endif
