/*
 * xls.h — the rows of an Excel 97-2003 (.xls) workbook's sheet, through
 * FreeXL (Debian libfreexl-dev), with the interface and rules of xlsx.h:
 * the sheet named, or the first sheet whose first rows hold a header by the
 * caller's predicate; the header first, then the data rows, typed, each
 * with its sheet and row number.
 *
 * What FreeXL (1.0.6) cannot tell, and so this reader cannot:
 *   - formulas: FreeXL does not decode FORMULA records, so a formula's
 *     cell, saved value or not, reads as empty;
 *   - hidden sheets: FreeXL does not report a sheet's visibility, so every
 *     sheet is a candidate;
 *   - merged cells: FreeXL does not report them; a two-row header is
 *     joined where its shape says the upper cells span columns
 *     (hx_sheet_guess_merges), and the predicate decides;
 *   - booleans and error cells: FreeXL reads both as the numbers 1 and 0
 *     (an error cell is indistinguishable from a number);
 *   - percentages: a number shown as a percentage reads as the stored
 *     fraction (0.3728), typed HX_CELL_NUMBER;
 *   - memory: FreeXL loads the whole workbook, its cells as a grid of the
 *     dimensions a sheet declares (refused by FreeXL beyond 256 MiB a
 *     sheet); files larger than HX_XLS_MAX_FILE are refused before it
 *     reads them.  An .xls holds at most 65,536 rows, so a register of
 *     400,000 households never comes as one.
 * Dates are those FreeXL recognises from the cell's format ('YYYY-MM-DD',
 * with ' HH:MM:SS' made 'THH:MM:SS'); text is UTF-8 from the workbook's
 * code page, normalised to NFC and trimmed.
 */
#ifndef HOCTAP_XLS_H
#define HOCTAP_XLS_H

#include "error.h"
#include "rowsrc.h"
#include "sheet.h"

#define HX_XLS_MAX_FILE ((long long)64 << 20)

struct hx_xls;

/* As hx_xlsx_open (a path only: FreeXL reads files). */
struct hx_xls *hx_xls_open(const char *path, const struct hx_sheet_options *o,
                           struct hx_error *err);
void hx_xls_close(struct hx_xls *x);
/* As hx_xlsx_next. */
int hx_xls_next(struct hx_xls *x, struct hx_row *row, struct hx_error *err);
const char *hx_xls_sheet_name(const struct hx_xls *x);
long hx_xls_header_line(const struct hx_xls *x);
int hx_xls_header_joined(const struct hx_xls *x);

/* A row source over x, which it owns from then on. */
void hx_row_source_xls(struct hx_row_source *src, struct hx_xls *x);

#endif
