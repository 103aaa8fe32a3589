/*
 * doc.h — the documents of hoctap-report for people rather than programs:
 * the workbook (--format xlsx), the committee's page (--format html) and
 * the reporters' sentences (--facts).  docs/design.md §9.5.
 *
 *   docfmt.c   the documents' language and numbers in its style (69,88%, 44.060)
 *   labels.c   what each output's columns are called and how they are shown
 *   svg.c      the page's charts: bars with a target line, columns, pairs
 *   xlsxout.c  hoctap.xlsx
 *   htmlout.c  index.html
 *   facts.c    --facts
 *
 * The documents are in Vietnamese, the committee's language, whatever the
 * locale (cron runs in "C"); --lang en or HOCTAP_LANG=en makes them English.
 * Their texts are English source strings translated through po/vi.po.
 */
#ifndef HOCTAP_REPORT_DOC_H
#define HOCTAP_REPORT_DOC_H

#include <libpq-fe.h>
#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "error.h"
#include "report.h"

/* ---- docfmt.c ---------------------------------------------------------- */

/*
 * Choose the documents' language: Vietnamese (vi != 0) or English.  Call
 * once after hx_i18n_init; with Vietnamese documents and English messages
 * it makes the catalogue reachable without changing the messages.
 */
void report_doc_init(int vi);
/* 1 when the documents are Vietnamese. */
int report_doc_vi(void);
/* "vi" or "en", for <html lang>. */
const char *report_doc_lang(void);
/* msgid in the documents' language (borrowed, static). */
const char *report_tr(const char *msgid) __attribute__((format_arg(1)));

/* Flags of report_fmt_num. */
enum {
	FMT_SIGN = 1,    /* "+" before a positive value (changes) */
	FMT_NOGROUP = 2, /* no thousands separator (years, line numbers) */
	FMT_DEC2 = 4     /* exactly 2 decimals (rates from a computed value) */
};

/*
 * Append value — PostgreSQL's text of an integer or a plain decimal
 * ("-1357.5") — to b in the documents' style: digits grouped by three with
 * "." and "," as the decimal mark in Vietnamese (1.357,5), "," and "." in
 * English (1,357.5).  Digits are copied, never rounded.  Returns 0, or -1
 * when value is not such a number (nothing appended) or b is full.
 */
int report_fmt_num(struct hx_buf *b, const char *value, unsigned flags);
/* The same for a whole number the report computed itself. */
int report_fmt_ll(struct hx_buf *b, long long v, unsigned flags);
/* A rate "69.88" as "69,88%" (Vietnamese) or "69.88%"; NULL as a dash. */
int report_fmt_percent(struct hx_buf *b, const char *value, unsigned flags);
/*
 * A decimal's value in hundredths ("69.88" -> 6988, "-0.5" -> -50), for
 * ordering and drawing; digits beyond the second decimal are dropped.
 * Returns 0, or -1 when value is NULL or not a plain decimal.
 */
int report_hundredths(const char *value, long long *out);

/*
 * Whole VND ("1357500") as million VND exactly ("1.3575"), without trailing
 * zeros, into dst.  Returns 0, or -1 when vnd is not a whole number or dst
 * is too small.
 */
int report_vnd_to_million(const char *vnd, char *dst, size_t size);

/* Append s with & < > " ' escaped for HTML text and attribute values. */
int report_html_escape(struct hx_buf *b, const char *s);
/*
 * Append at most max characters of UTF-8 s escaped, with "…" when cut (a
 * chart's label; the full text stands in its table).
 */
int report_html_escape_cut(struct hx_buf *b, const char *s, size_t max);
/* The number of UTF-8 characters of s. */
size_t report_utf8_len(const char *s);

/* ---- labels.c ---------------------------------------------------------- */

/* How a column is shown to people. */
enum report_style {
	STYLE_TEXT,    /* as written */
	STYLE_CODE,    /* a unit code: text, leading zeros kept */
	STYLE_YEAR,    /* 2020, never 2.020 */
	STYLE_COUNT,   /* 44.060 */
	STYLE_DELTA,   /* +22.509 */
	STYLE_VND,     /* whole VND: 1.357.500.000 */
	STYLE_MILLION, /* million VND, up to 6 decimals: 1.357,5 */
	STYLE_PERCENT, /* 69,88 */
	STYLE_PP,      /* +33,64 (percentage points) */
	STYLE_BOOL,    /* có / không */
	STYLE_LIST,    /* codes separated by spaces */
	STYLE_LINE,    /* a line number: no separator */
	STYLE_ENUM     /* a key shown by its name: family -> Gia đình học tập */
};

struct report_label {
	const char *key;    /* the column's name in the CSV */
	const char *label;  /* English source, N_(); translated by report_tr */
	enum report_style style;
};

/*
 * The label of column key of table t (NULL when none is known: callers then
 * show the key).  Columns ending in _a / _b of a table that takes the
 * compared years are named from their base column and the year.  The
 * returned text is written into b (reset first).
 */
const char *report_column_label(struct hx_buf *b, const char *key, int year_a, int year_b);
/* The style of a column (by its key; by its kind when the key is unknown). */
enum report_style report_column_style(const char *key, enum report_kind kind);
/* Whether a label is known for key (tests check every output column has one). */
int report_column_known(const char *key);
/* The sheet name and heading of an output, by its file name (NULL if none). */
const char *report_table_label(const char *name);
/*
 * A key value of column ("title", "scope_level", "severity", "headline")
 * shown by its name in the documents' language ("family" -> "Learning
 * families").  Unknown keys come back as they are.
 */
const char *report_enum_label(const char *column, const char *value);
/* The base of a title's headline rate: "eligible" or "registered" (docs/design.md §2). */
const char *report_headline_base(const char *title);

/* ---- svg.c ------------------------------------------------------------- */

/* One bar of a chart: a label, a value in hundredths (have = 0: no figure). */
struct svg_bar {
	const char *label;
	long long value;  /* hundredths of the unit drawn */
	int have;
	long long mark;   /* a target, hundredths; has_mark = 0: none */
	int has_mark;
	int emphasis;     /* drawn darker (the scope itself among its units) */
	const char *text; /* the value as printed beside the bar (styled) */
};

/*
 * Horizontal bars scaled to max (hundredths; 0: the largest value or mark),
 * with a vertical tick at each bar's mark.  title is the chart's accessible
 * name.  Appends one <svg> element to b; returns 0, or -1 when b is full.
 */
int svg_hbars(struct hx_buf *b, const char *title, const struct svg_bar *bars, size_t n,
              long long max);
/*
 * Vertical columns (the fund per year): labels under, values above.
 */
int svg_columns(struct hx_buf *b, const char *title, const struct svg_bar *bars, size_t n);
/*
 * Pairs: for each item a dot at value a and an arrow to value b (a change
 * between two years), on a 0..max scale; bars[i].value is B and
 * bars[i].mark is A (has_mark = A known).
 */
int svg_change(struct hx_buf *b, const char *title, const struct svg_bar *bars, size_t n,
               long long max, const char *label_a, const char *label_b);

/* ---- the documents ---------------------------------------------------- */

/* Every output's rows of one run, read in the report's snapshot. */
struct report_data {
	const struct report_opts *opts;
	const struct report_status *st;
	PGresult *res[REPORT_MAX_TABLES]; /* report_tables[i]'s rows, in that order */
	size_t ntables;
	PGresult *inputs;    /* sql/report/inputs.sql */
	PGresult *names;     /* sql/report/unit_names.sql: code, year, name */
};

/* The result of output name ("rates"), or NULL. */
PGresult *report_data_table(const struct report_data *d, const char *name);
/* Column number of key in res, or -1. */
int report_data_col(const PGresult *res, const char *key);
/* Value of column col at row r, NULL for SQL NULL or col < 0. */
const char *report_data_val(const PGresult *res, int r, int col);

/*
 * Write hoctap.xlsx at path: a first sheet saying what it is, when and
 * from which files, then a sheet per output with labels, typed numbers,
 * frozen header and filters.  *rows receives the data rows written.
 */
int report_xlsx_write(const char *path, const char *tmpdir, const struct report_data *d,
                      int *rows, struct hx_error *err);
/*
 * Write the committee's page to f.  *sections receives the provinces shown.
 * HX_DATAERR when no province has a figure for the compared years.
 */
/*
 * Does any province have figures (a rates row), so that a page can be made
 * for some year?  Without --compare the report skips the page, with a
 * warning, when none has: a first night on an empty database is no error.
 */
int report_html_has_figures(const struct report_data *d);
int report_html_write(FILE *f, const char *path, const struct report_data *d, int *sections,
                      struct hx_sha256 *sha, struct hx_error *err);
/*
 * The same page into b (tests and the size check use it).
 */
int report_html_build(struct hx_buf *b, const struct report_data *d, int *sections,
                      struct hx_error *err);

/*
 * --facts SCOPE YEAR|A:B: quotable sentences about scope_code for year a
 * (a == b) or the period a..b, each with its source, printed to out.
 * Returns 0, or -1 with err (HX_DATAERR: no figure for that scope and
 * those years).
 */
int report_facts(PGconn *conn, FILE *out, const char *scope_code, int year_a, int year_b,
                 struct hx_error *err);

#endif
