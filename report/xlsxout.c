/*
 * xlsxout.c — hoctap.xlsx (--format xlsx): the outputs as one workbook a
 * committee's secretary can paste from (docs/design.md §9.5).
 *
 * A first sheet says what the workbook is, when it was made and from which
 * files (the manifest's facts); then one sheet per output, in the order of
 * report_tables, its columns named in the documents' language (labels.c)
 * with the CSV key in each header cell's comment.  Counts and VND are
 * numbers shown with thousands separators, rates numbers with 2 decimals
 * (the same values as the CSV: 69.88 is the number 69.88, shown 69,88 by a
 * Vietnamese Excel, whose separators the number formats follow); codes stay
 * text so 01 keeps its zero.  Header frozen, filters on, widths from the
 * longest value.  A year whose units have not all reported is marked
 * provisional in a last column, from the completeness output (until the
 * outputs carry a provisional column of their own, which is then used).
 * Same data, same cells: only the generated-at cell and the file's
 * creation time change between runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "alloc.h"
#include "doc.h"
#include "i18n.h"
#include "log.h"

/* Excel's limit on a cell's text; longer text is cut (the CSV keeps it whole). */
#define CELL_CHARS 32767
/* Integers above this have more digits than a spreadsheet number keeps: written as text. */
#define EXACT_MAX 999999999999999LL
#define WIDTH_MIN 6
#define WIDTH_MAX 48

struct formats {
	lxw_format *head, *text, *wrap, *count, *delta, *vnd, *dec, *percent, *pp, *plain, *title,
		*bold;
};

struct provisional {
	char **keys; /* "scope_code|year" of each scope and year not fully reported, sorted */
	size_t n;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The scopes and years of the completeness output whose units have not all reported. */
static void provisional_load(struct provisional *p, const struct report_data *d)
{
	PGresult *c = report_data_table(d, "completeness");
	int r, n, code, year, exp, rep;

	memset(p, 0, sizeof *p);
	if (c == NULL)
		return;
	n = PQntuples(c);
	code = report_data_col(c, "scope_code");
	year = report_data_col(c, "year");
	exp = report_data_col(c, "units_expected");
	rep = report_data_col(c, "units_reporting");
	p->keys = hx_calloc((size_t)n + 1, sizeof *p->keys);
	for (r = 0; r < n; r++) {
		const char *e = report_data_val(c, r, exp), *g = report_data_val(c, r, rep);

		if (e != NULL && g != NULL && atoll(g) < atoll(e))
			p->keys[p->n++] = hx_asprintf("%s|%s", report_data_val(c, r, code),
			                              report_data_val(c, r, year));
	}
	qsort(p->keys, p->n, sizeof *p->keys, cmp_str);
}

static int provisional_has(const struct provisional *p, const char *code, const char *year)
{
	char key[128];
	const char *k = key;

	if (code == NULL || year == NULL || p->n == 0)
		return 0;
	snprintf(key, sizeof key, "%s|%s", code, year);
	return bsearch(&k, p->keys, p->n, sizeof *p->keys, cmp_str) != NULL;
}

static void provisional_free(struct provisional *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->keys[i]);
	free(p->keys);
}

/* Is the row of res provisional (its scope's year, or either compared year, incomplete)? */
static int row_provisional(const struct provisional *p, const PGresult *res, int r)
{
	int code = report_data_col(res, "scope_code");

	if (code < 0)
		return 0;
	if (report_data_col(res, "year") >= 0)
		return provisional_has(p, report_data_val(res, r, code),
		                       report_data_val(res, r, report_data_col(res, "year")));
	return provisional_has(p, report_data_val(res, r, code),
	                       report_data_val(res, r, report_data_col(res, "year_a"))) ||
	       provisional_has(p, report_data_val(res, r, code),
	                       report_data_val(res, r, report_data_col(res, "year_b")));
}

/* s cut to Excel's limit, at a character boundary (new string). */
static char *cell_text(const char *s)
{
	size_t chars = 0, i;

	for (i = 0; s[i]; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && ++chars > CELL_CHARS - 1)
			return hx_asprintf("%.*s…", (int)i, s);
	return hx_strdup(s);
}

static lxw_error put_text(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
                          lxw_format *f)
{
	char *t = cell_text(s);
	lxw_error e = worksheet_write_string(ws, r, c, t, f);

	free(t);
	return e;
}

/* How wide a value is drawn, in characters (a rough but stable measure). */
static size_t shown_width(const char *s, enum report_style style)
{
	size_t n = report_utf8_len(s);

	if (style == STYLE_COUNT || style == STYLE_VND || style == STYLE_DELTA ||
	    style == STYLE_MILLION)
		n += n / 3 + 1;
	return n;
}

static lxw_format *number_format(const struct formats *fm, enum report_style style,
                                 const char *v)
{
	switch (style) {
	case STYLE_COUNT:
	case STYLE_VND:
		return fm->count;
	case STYLE_DELTA:
		return fm->delta;
	case STYLE_MILLION:
		return strchr(v, '.') != NULL ? fm->dec : fm->count;
	case STYLE_PERCENT:
		return fm->percent;
	case STYLE_PP:
		return fm->pp;
	default:
		return fm->plain;
	}
}

/* One cell of a data row. */
static lxw_error put_value(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *v,
                           const char *key, enum report_kind kind, enum report_style style,
                           const struct formats *fm)
{
	if (v == NULL)
		return LXW_NO_ERROR;
	switch (style) {
	case STYLE_ENUM:
		return put_text(ws, r, c, report_enum_label(key, v), fm->text);
	case STYLE_BOOL:
		return put_text(ws, r, c, report_tr(strcmp(v, "t") == 0 ? N_("yes") : N_("no")),
		                fm->text);
	case STYLE_TEXT:
	case STYLE_CODE:
	case STYLE_LIST:
		return put_text(ws, r, c, v, strlen(v) > WIDTH_MAX ? fm->wrap : fm->text);
	default:
		break;
	}
	if (kind != REPORT_INT && kind != REPORT_NUM)
		return put_text(ws, r, c, v, fm->text);
	if (kind == REPORT_INT && llabs(atoll(v)) > EXACT_MAX)
		return put_text(ws, r, c, v, fm->text);
	return worksheet_write_number(ws, r, c, strtod(v, NULL), number_format(fm, style, v));
}

static int check(lxw_error e, const char *path, struct hx_error *err)
{
	if (e == LXW_NO_ERROR)
		return 0;
	return hx_error_set(err, HX_CANTCREAT, "%s: %s", path, lxw_strerror(e));
}

/* A sheet name Excel accepts: no []:*?/\, at most 31 characters. */
static void sheet_name(char *dst, size_t size, const char *name)
{
	size_t i, n = 0, chars = 0;

	for (i = 0; name[i] && n + 4 < size; i++) {
		unsigned char ch = (unsigned char)name[i];

		if ((ch & 0xC0) != 0x80 && ++chars > LXW_SHEETNAME_MAX)
			break;
		dst[n++] = strchr("[]:*?/\\", ch) != NULL ? ' ' : (char)ch;
	}
	dst[n] = '\0';
}

static int write_table(lxw_workbook *wb, const struct report_table *t, const PGresult *res,
                       const struct report_data *d, const struct provisional *prov,
                       const struct formats *fm, const char *path, struct hx_error *err)
{
	const char *label_name = report_table_label(t->name);
	char name[160];
	struct hx_buf lb;
	lxw_worksheet *ws;
	int nrows = PQntuples(res), r, derive = report_data_col(res, "provisional") < 0 &&
	                                        report_data_col(res, "scope_code") >= 0;
	size_t c, ncols = t->ncolumns + (derive ? 1 : 0), *width;
	int rc = -1;

	sheet_name(name, sizeof name, label_name != NULL ? label_name : t->name);
	ws = workbook_add_worksheet(wb, name);
	if (ws == NULL)
		return hx_error_set(err, HX_SOFTWARE, "%s: cannot add the sheet \"%s\"", path, name);
	if (check(worksheet_set_row(ws, 0, 48, fm->head), path, err) < 0)
		return -1;
	hx_buf_init(&lb, 4096);
	width = hx_calloc(ncols, sizeof *width);
	for (c = 0; c < ncols; c++) {
		const char *key = c < t->ncolumns ? t->columns[c].name : "provisional";
		const char *label = c < t->ncolumns
		                            ? report_column_label(&lb, key, d->opts->year_a,
		                                                  d->opts->year_b)
		                            : report_tr(N_("Provisional year"));
		size_t w;

		if (label == NULL)
			label = key;
		w = report_utf8_len(label) / 2 + 2;
		width[c] = w > report_utf8_len(key) + 2 ? w : report_utf8_len(key) + 2;
		if (check(put_text(ws, 0, (lxw_col_t)c, label, fm->head), path, err) < 0 ||
		    (c < t->ncolumns &&
		     check(worksheet_write_comment(ws, 0, (lxw_col_t)c, key), path, err) < 0))
			goto done;
	}
	for (r = 0; r < nrows; r++) {
		for (c = 0; c < t->ncolumns; c++) {
			const char *v = report_data_val(res, r, (int)c);
			enum report_style style = report_column_style(t->columns[c].name,
			                                              t->columns[c].kind);
			size_t w;

			if (check(put_value(ws, (lxw_row_t)r + 1, (lxw_col_t)c, v, t->columns[c].name,
			                    t->columns[c].kind, style, fm), path, err) < 0)
				goto done;
			if (v != NULL) {
				w = shown_width(style == STYLE_ENUM ? report_enum_label(t->columns[c].name, v)
				                                    : v, style) + 2;
				if (w > width[c])
					width[c] = w;
			}
		}
		if (derive && row_provisional(prov, res, r) &&
		    check(put_text(ws, (lxw_row_t)r + 1, (lxw_col_t)t->ncolumns,
		                   report_tr(N_("provisional")), fm->text), path, err) < 0)
			goto done;
	}
	if (derive && width[t->ncolumns] < 12)
		width[t->ncolumns] = 12;
	for (c = 0; c < ncols; c++) {
		double w = (double)(width[c] < WIDTH_MIN ? WIDTH_MIN
		                                        : width[c] > WIDTH_MAX ? WIDTH_MAX : width[c]);

		if (check(worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL), path, err) < 0)
			goto done;
	}
	if (check(worksheet_autofilter(ws, 0, 0, (lxw_row_t)(nrows > 0 ? nrows : 1),
	                               (lxw_col_t)(ncols - 1)), path, err) < 0)
		goto done;
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9); /* A4 */
	worksheet_repeat_rows(ws, 0, 0);
	rc = 0;
done:
	free(width);
	hx_buf_free(&lb);
	return rc;
}

/* One "label: value" line of the first sheet. */
static int about_line(lxw_worksheet *ws, lxw_row_t *row, const char *label, const char *value,
                      const struct formats *fm, const char *path, struct hx_error *err)
{
	if (check(put_text(ws, *row, 0, label, fm->bold), path, err) < 0 ||
	    check(put_text(ws, *row, 1, value != NULL && *value ? value : "–", fm->wrap), path,
	          err) < 0)
		return -1;
	(*row)++;
	return 0;
}

static int write_about(lxw_workbook *wb, const struct report_data *d, const char *path,
                       const struct formats *fm, struct hx_error *err)
{
	const struct report_status *st = d->st;
	char name[160], years[64], versions[64];
	lxw_worksheet *ws;
	lxw_row_t row = 2;
	size_t i;
	int r, n;

	sheet_name(name, sizeof name, report_tr(N_("About")));
	ws = workbook_add_worksheet(wb, name);
	if (ws == NULL)
		return hx_error_set(err, HX_SOFTWARE, "%s: cannot add the sheet \"%s\"", path, name);
	worksheet_set_column(ws, 0, 0, 34, NULL);
	worksheet_set_column(ws, 1, 1, 70, NULL);
	worksheet_set_column(ws, 2, 5, 22, NULL);
	snprintf(years, sizeof years, "%d–%d", d->opts->year_a, d->opts->year_b);
	snprintf(versions, sizeof versions, "hoctap %s, schema %d", HOCTAP_VERSION,
	         st->schema_version);
	if (check(put_text(ws, 0, 0, report_tr(N_("Lifelong-learning movement: the figures")),
	                   fm->title), path, err) < 0 ||
	    about_line(ws, &row, report_tr(N_("What this is")),
	               report_tr(N_("The outputs of hoctap-report, one sheet each, with the same "
	                            "figures as its CSV files (docs/outputs.md names every "
	                            "column; each header cell's comment gives the CSV key).")),
	               fm, path, err) < 0 ||
	    about_line(ws, &row, report_tr(N_("Generated at (UTC)")), st->generated_at, fm, path,
	               err) < 0 ||
	    about_line(ws, &row, report_tr(N_("Data as of (UTC)")), st->data_as_of, fm, path,
	               err) < 0 ||
	    about_line(ws, &row, report_tr(N_("Marts built at (UTC)")), st->transformed_at, fm,
	               path, err) < 0 ||
	    about_line(ws, &row, report_tr(N_("Years compared")), years, fm, path, err) < 0 ||
	    about_line(ws, &row, report_tr(N_("Version")), versions, fm, path, err) < 0 ||
	    about_line(ws, &row, report_tr(N_("Provisional")),
	               report_tr(N_("A year is marked provisional where not every unit expected "
	                            "to report has reported (sheet Reporting).")),
	               fm, path, err) < 0 ||
	    about_line(ws, &row, report_tr(N_("Rates")),
	               report_tr(N_("Percentages rounded half away from zero to 2 decimals from "
	                            "exact ratios of sums, each beside its numerator and "
	                            "denominator; an empty cell is a figure not known.")),
	               fm, path, err) < 0)
		return -1;
	row++;
	if (check(put_text(ws, row, 0, report_tr(N_("Sheet")), fm->head), path, err) < 0 ||
	    check(put_text(ws, row, 1, report_tr(N_("Rows")), fm->head), path, err) < 0)
		return -1;
	row++;
	for (i = 0; i < report_ntables && i < d->ntables; i++) {
		const char *l = report_table_label(report_tables[i].name);

		if (check(put_text(ws, row, 0, l != NULL ? l : report_tables[i].name, fm->text), path,
		          err) < 0 ||
		    check(worksheet_write_number(ws, row, 1, PQntuples(d->res[i]), fm->count), path,
		          err) < 0)
			return -1;
		row++;
	}
	row++;
	n = d->inputs != NULL ? PQntuples(d->inputs) : 0;
	if (check(put_text(ws, row, 0, report_tr(N_("Input files")), fm->head), path, err) < 0 ||
	    check(put_text(ws, row, 1, "sha256", fm->head), path, err) < 0 ||
	    check(put_text(ws, row, 2, report_tr(N_("Size (bytes)")), fm->head), path, err) < 0 ||
	    check(put_text(ws, row, 3, report_tr(N_("Status")), fm->head), path, err) < 0 ||
	    check(put_text(ws, row, 4, report_tr(N_("Ingested at (UTC)")), fm->head), path, err) < 0)
		return -1;
	row++;
	for (r = 0; r < n; r++, row++) {
		const PGresult *in = d->inputs;

		if (check(put_text(ws, row, 0, PQgetvalue(in, r, 1), fm->text), path, err) < 0 ||
		    check(put_text(ws, row, 1, PQgetvalue(in, r, 2), fm->text), path, err) < 0 ||
		    check(worksheet_write_number(ws, row, 2, strtod(PQgetvalue(in, r, 3), NULL),
		                                 fm->count), path, err) < 0 ||
		    check(put_text(ws, row, 3, PQgetvalue(in, r, 4), fm->text), path, err) < 0 ||
		    check(put_text(ws, row, 4, PQgetvalue(in, r, 5), fm->text), path, err) < 0)
			return -1;
	}
	return 0;
}

static void make_formats(lxw_workbook *wb, struct formats *fm)
{
	fm->head = workbook_add_format(wb);
	format_set_bold(fm->head);
	format_set_text_wrap(fm->head);
	format_set_align(fm->head, LXW_ALIGN_VERTICAL_TOP);
	format_set_bg_color(fm->head, 0xE8EEF4);
	format_set_bottom(fm->head, LXW_BORDER_THIN);
	fm->text = workbook_add_format(wb);
	format_set_num_format(fm->text, "@");
	fm->wrap = workbook_add_format(wb);
	format_set_num_format(fm->wrap, "@");
	format_set_text_wrap(fm->wrap);
	format_set_align(fm->wrap, LXW_ALIGN_VERTICAL_TOP);
	fm->count = workbook_add_format(wb);
	format_set_num_format(fm->count, "#,##0");
	fm->delta = workbook_add_format(wb);
	format_set_num_format(fm->delta, "+#,##0;-#,##0;0");
	fm->vnd = fm->count;
	fm->dec = workbook_add_format(wb);
	format_set_num_format(fm->dec, "#,##0.0#####");
	fm->percent = workbook_add_format(wb);
	format_set_num_format(fm->percent, "0.00");
	fm->pp = workbook_add_format(wb);
	format_set_num_format(fm->pp, "+0.00;-0.00;0.00");
	fm->plain = workbook_add_format(wb);
	format_set_num_format(fm->plain, "0");
	fm->title = workbook_add_format(wb);
	format_set_bold(fm->title);
	format_set_font_size(fm->title, 14);
	fm->bold = workbook_add_format(wb);
	format_set_bold(fm->bold);
	format_set_align(fm->bold, LXW_ALIGN_VERTICAL_TOP);
}

/* "2026-11-23T09:00:00Z" as a time_t (0 when it is not one). */
static time_t utc_time(const char *s)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
	           &tm.tm_min, &tm.tm_sec) != 6)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

int report_xlsx_write(const char *path, const char *tmpdir, const struct report_data *d,
                      int *rows, struct hx_error *err)
{
	lxw_workbook_options wo = {0, NULL, 0};
	lxw_doc_properties props;
	struct provisional prov;
	struct formats fm;
	lxw_workbook *wb;
	lxw_error e;
	size_t i;
	int fd, rc = -1;

	*rows = 0;
	wo.tmpdir = (char *)(uintptr_t)tmpdir;
	/*
	 * Each row is written to the temporary file as soon as the next one
	 * starts (rows are written in order, the header's height first): a
	 * country's sheets held every cell in memory until the close (884 MB
	 * for bench/run's 113,630 rate rows).
	 */
	wo.constant_memory = LXW_TRUE;
	wb = workbook_new_opt(path, &wo);
	if (wb == NULL)
		return hx_error_set(err, HX_CANTCREAT, "cannot create \"%s\"", path);
	memset(&props, 0, sizeof props);
	props.title = (char *)(uintptr_t)report_tr(N_("Lifelong-learning movement: the figures"));
	props.author = (char *)(uintptr_t)"hoctap";
	props.created = utc_time(d->st->generated_at);
	workbook_set_properties(wb, &props);
	make_formats(wb, &fm);
	provisional_load(&prov, d);
	if (write_about(wb, d, path, &fm, err) < 0)
		goto done;
	for (i = 0; i < report_ntables && i < d->ntables; i++) {
		if (write_table(wb, &report_tables[i], d->res[i], d, &prov, &fm, path, err) < 0)
			goto done;
		*rows += PQntuples(d->res[i]);
	}
	rc = 0;
done:
	provisional_free(&prov);
	e = workbook_close(wb);
	if (rc == 0 && e != LXW_NO_ERROR)
		rc = hx_error_set(err, HX_CANTCREAT, "cannot write \"%s\": %s", path, lxw_strerror(e));
	/* libxlsxwriter closes its file without fsync: make it durable before the rename. */
	if (rc == 0) {
		fd = open(path, O_RDONLY);
		if (fd < 0 || fsync(fd) < 0)
			rc = hx_error_set(err, HX_CANTCREAT, "cannot write \"%s\": %s", path,
			                  strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return rc;
}
