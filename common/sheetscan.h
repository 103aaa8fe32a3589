/*
 * sheetscan.h — a strict, bounded scanner for the rows of an .xlsx sheet's
 * <sheetData> (docs/design.md §9.4, issue 20), the reader's fast path beside
 * expat (xlsx.c).
 *
 * A sheet's rows are the bulk of a workbook (a register of 400,000
 * households is 130 MB of them) and are written the same way by every
 * spreadsheet program:
 *
 *   <row r="14" spans="1:10"><c r="A14" s="3" t="s"><v>12</v></c>
 *     <c r="B14"><f>SUM(C14:D14)</f><v>7</v></c>
 *     <c r="C14" t="inlineStr"><is><t>Thôn 1</t></is></c></row>
 *
 * The scanner reads exactly that and nothing more: a row, its cells, a
 * cell's formula, value or inline string (one <t>), attributes in any
 * order with either quote, the five predefined entities and character
 * references, namespace prefixes on every name, whitespace between
 * elements.  On anything else — a comment, CDATA, a processing
 * instruction, rich text, an element it does not know, a carriage return
 * in text or a tab in an attribute (which XML normalises), an entity or a
 * byte it is not sure expat would accept — it gives up, and the caller
 * reads the sheet with expat instead.  It never guesses: what it accepts is
 * well-formed XML that expat reads to the same values (the differential
 * test and the fuzz target check this).
 *
 * Bounded: the caller gives it a buffer holding whole rows; a row that
 * does not fit is the caller's to give up on.  Nothing it keeps grows past
 * the buffer's size.
 */
#ifndef HOCTAP_SHEETSCAN_H
#define HOCTAP_SHEETSCAN_H

#include <stddef.h>

/* Attributes of a tag the scanner keeps at most (more: it gives up). */
#define HX_SCAN_MAX_ATTRS 32
/* The longest r, t or s attribute value taken (longer: it gives up). */
#define HX_SCAN_ATTR_MAX 32

/* A cell as written: what the caller's cell semantics take. */
struct hx_scan_cell {
	const char *r, *t, *s;  /* the attributes r, t and s as in the buffer (not
	                           NUL-terminated: the closing quote follows), NULL when absent */
	size_t r_len, t_len, s_len;
	int has_f, has_v;       /* an <f>, and a <v> or <is>, were there */
	const char *f;          /* the formula's text (entities decoded), NUL-terminated */
	size_t f_len;
	const char *v;          /* the <v> or inline <t> text (decoded), NUL-terminated */
	size_t v_len;
};

/*
 * What the caller does with a row as it is read: row() when a <row> starts
 * (its r attribute as in the buffer, or NULL), cell() for each of its cells, row_end() at
 * </row>.  A callback returning -1 makes the scan give up.  When a scan
 * returns HX_SCAN_MORE or HX_SCAN_GIVE_UP the row's callbacks may have run
 * in part: the caller undoes them (the row is scanned again whole).
 */
struct hx_scan_ops {
	int (*row)(void *ctx, const char *r, size_t r_len);
	int (*cell)(void *ctx, const struct hx_scan_cell *c);
	int (*row_end)(void *ctx);
	void *ctx;
};

enum hx_scan_status {
	HX_SCAN_ROW,     /* one <row> read; *used bytes consumed */
	HX_SCAN_END,     /* an end tag (</sheetData>) at *used: for expat to read on from */
	HX_SCAN_MORE,    /* the row goes on past the buffer: call again with more */
	HX_SCAN_GIVE_UP  /* not understood (why: hx_scan_why) */
};

struct hx_scan {
	char *f, *v;            /* decoded text, each up to cap bytes + NUL */
	size_t cap;
	const char *why;        /* static text: why the last scan gave up */
	char root[64];          /* sharedStrings.xml: the root's name as written */
	size_t root_len;
	int root_empty;         /* <sst/> */
	size_t where;           /* its offset in the buffer scanned */
	unsigned char cls[256]; /* byte classes */
};

/* A scanner for buffers of at most cap bytes.  Free with hx_scan_free. */
void hx_scan_init(struct hx_scan *sc, size_t cap);
void hx_scan_free(struct hx_scan *sc);

/*
 * Scan the next row of <sheetData> in buf[0..n) (n <= the cap), which
 * starts after the previous row (or after <sheetData>'s start tag),
 * calling ops.  Whitespace before the row is skipped.  buf[n] must be a
 * NUL: the scanner's loops stop at it rather than test the end at every
 * byte.
 */
enum hx_scan_status hx_scan_row(struct hx_scan *sc, const char *buf, size_t n,
                                const struct hx_scan_ops *ops, size_t *used);

/* Why the last scan gave up ("a comment", "CDATA", ...): static English text for a
 * debug log or a test, never a clerk's message. */
const char *hx_scan_why(const struct hx_scan *sc);

/*
 * sharedStrings.xml, read the same way (xlsx.c falls back to expat for the
 * whole part when a scan gives up): its XML declaration and <sst> start
 * tag, then one <si> a call.  A string is the text of its <t> elements,
 * those of rich text runs (<r>, whose <rPr> is skipped) included, those of
 * phonetic runs (<rPh>) not; <phoneticPr/> is skipped.  buf[n] must be a
 * NUL, as for hx_scan_row.
 *
 * hx_scan_sst_head: HX_SCAN_ROW when the start tag of <sst> is read (*used
 * bytes; sc->root_empty when it is <sst/>).  hx_scan_si: HX_SCAN_ROW for a
 * string, its text in sc->v[0..*len) (NUL-terminated, entities decoded, not
 * trimmed or capped), or HX_SCAN_END when </sst> is read (*used bytes
 * include it).  Both: HX_SCAN_MORE when the buffer ends first, and
 * HX_SCAN_GIVE_UP.
 */
enum hx_scan_status hx_scan_sst_head(struct hx_scan *sc, const char *buf, size_t n, size_t *used);
enum hx_scan_status hx_scan_si(struct hx_scan *sc, const char *buf, size_t n, size_t *used,
                               size_t *len);

#endif
