/*
 * xlsx.h — the rows of an .xlsx workbook's sheet, read as a stream
 * (docs/design.md §9.4, issue 20).
 *
 * The ZIP container is read with libzip and each XML part with expat, as
 * a stream of events: no part is ever held whole, so memory stays within
 * the ingest's bound for a sheet of 400,000 rows.  The sheet read is the
 * one named (hidden or not), or the first visible worksheet whose first
 * rows hold a header by the caller's predicate (sheet.h: title rows above
 * it skipped, a two-row header under merged cells joined).  The first row
 * returned is that header; data rows follow, each with its sheet name and
 * row number, and every cell typed (rowsrc.h):
 *   shared and inline strings   HX_CELL_TEXT, NFC, spaces at the ends trimmed
 *   numbers                     HX_CELL_NUMBER, machine text ("7105", "37.28")
 *   numbers shown as a percent  HX_CELL_PERCENT, as shown ("37.28" for 0.3728)
 *   numbers with a date style   HX_CELL_DATE, ISO 8601, in the workbook's
 *                               1900 or 1904 date system
 *   booleans                    HX_CELL_BOOL, "TRUE" / "FALSE"
 *   formulas                    their saved result, typed as above; a
 *                               formula with no saved result is an
 *                               HX_CELL_ERROR "=FORMULA"
 *   error values                HX_CELL_ERROR, "#DIV/0!" ...
 * Rows with no value are skipped.
 *
 * Refused, each with a one-line reason (err->code HX_DATAERR): a file that
 * is not a ZIP (an encrypted workbook is an OLE file holding
 * "EncryptionInfo"; an .xls named .xlsx is an OLE file without it), a
 * workbook with no worksheet (a macro-only .xlsm), a part inflating past
 * HX_XLSX_MAX_PART bytes or past HX_XLSX_MAX_RATIO times its compressed
 * size once beyond HX_XLSX_RATIO_FROM bytes, more than HX_XLSX_MAX_INFLATED
 * bytes inflated in all (zip bombs), a part with a DTD (<!DOCTYPE>: no
 * workbook has one, and entity expansion is never done), XML nested
 * deeper than HX_XLSX_MAX_DEPTH or needing more than HX_XLSX_XML_MEMORY
 * to parse, a cell past row 1,048,576 or column XFD, a row holding more
 * than HX_XLSX_MAX_ROW_BYTES of text, and broken XML (naming the part and
 * line).  A cell longer than the field cap (64 KiB by default) is kept cut
 * and flagged (too_long_field), for the caller to reject its row naming the
 * cell, as a CSV field.
 */
#ifndef HOCTAP_XLSX_H
#define HOCTAP_XLSX_H

#include <stddef.h>

#include "error.h"
#include "rowsrc.h"
#include "sheet.h"

#define HX_XLSX_MAX_PART ((unsigned long long)1 << 30)      /* 1 GiB inflated per part */
#define HX_XLSX_MAX_INFLATED ((unsigned long long)4 << 30)  /* 4 GiB inflated in all */
#define HX_XLSX_MAX_RATIO 200ull
#define HX_XLSX_RATIO_FROM ((unsigned long long)16 << 20)   /* 16 MiB */
#define HX_XLSX_MAX_ENTRIES 10000
#define HX_XLSX_MAX_SHEETS 1024
#define HX_XLSX_XML_MEMORY ((size_t)8 << 20)                /* expat's own, per parser */
#define HX_XLSX_MAX_DEPTH 64
#define HX_XLSX_MAX_ROW_BYTES ((size_t)1 << 20)             /* text of one row */

struct hx_xlsx;

/*
 * Open the workbook at path (or in data[0..len), which must outlive the
 * reader) and find its sheet by o (NULL: the defaults).  NULL with err
 * filled when the workbook cannot be read or no sheet qualifies ("no
 * visible sheet has a header in its first 30 rows (sheets: ...)").
 */
struct hx_xlsx *hx_xlsx_open(const char *path, const struct hx_sheet_options *o,
                             struct hx_error *err);
struct hx_xlsx *hx_xlsx_open_memory(const void *data, size_t len,
                                    const struct hx_sheet_options *o, struct hx_error *err);
/*
 * hx_xlsx_open (path given) or hx_xlsx_open_memory (path NULL) with flags:
 * HX_XLSX_EXPAT_ONLY reads every row and the shared strings with expat,
 * never the scanner (sheetscan.h): the same rows and messages, slower; the tests and the
 * bench compare the two.
 */
#define HX_XLSX_EXPAT_ONLY 1u
struct hx_xlsx *hx_xlsx_open_flags(const char *path, const void *data, size_t len,
                                   const struct hx_sheet_options *o, unsigned flags,
                                   struct hx_error *err);
void hx_xlsx_close(struct hx_xlsx *x);

/*
 * The next row: the header first, then the data rows.  1 with row filled
 * (borrowed until the next call), 0 at the end of the sheet, -1 with err
 * filled (the sheet cannot be read further: broken XML, a bomb, a cell past
 * the limits; the message names the sheet and row).
 */
int hx_xlsx_next(struct hx_xlsx *x, struct hx_row *row, struct hx_error *err);

/* The sheet being read (UTF-8), its header's first row number, and 1 when
 * the header is two rows joined. */
const char *hx_xlsx_sheet_name(const struct hx_xlsx *x);
long hx_xlsx_header_line(const struct hx_xlsx *x);
int hx_xlsx_header_joined(const struct hx_xlsx *x);
/* 1 when the workbook counts dates from 1904 (Excel for Mac's old default). */
int hx_xlsx_date1904(const struct hx_xlsx *x);
/* Inflated bytes read so far, all parts (progress). */
unsigned long long hx_xlsx_bytes(const struct hx_xlsx *x);
/* Shared strings: in all, and kept in memory (the rest in a temporary file). */
size_t hx_xlsx_shared_strings(const struct hx_xlsx *x, size_t *in_memory);

/*
 * Rows of the sheet read by the row scanner (sheetscan.h) rather than by
 * expat, and why the scanner stopped short (static English text for a log
 * or a test; NULL when it did not, or was not used).
 */
size_t hx_xlsx_scanned_rows(const struct hx_xlsx *x, const char **gave_up);
/*
 * 1 when the shared strings were read by the scanner (hx_scan_si), 0 when
 * by expat; *gave_up why the scanner left them to expat (as above).
 */
int hx_xlsx_sst_scanned(const struct hx_xlsx *x, const char **gave_up);

/* A row source over x, which it owns from then on (close() closes x). */
void hx_row_source_xlsx(struct hx_row_source *src, struct hx_xlsx *x);

#endif
