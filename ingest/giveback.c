/*
 * giveback.c — a file's rejected rows written back for the clerk (see
 * giveback.h).
 *
 * A CSV goes back as CSV: UTF-8 with a byte order mark (Excel then reads
 * the Vietnamese right), the file's own delimiter, CRLF line ends, the
 * header line and each rejected row byte for byte as they were in the
 * file (after any conversion to UTF-8), a short row padded to the header's
 * width so that the three added columns line up.  A workbook goes back as
 * a one-sheet .xlsx (libxlsxwriter, as report/ writes its workbook, in
 * constant-memory mode): the header, then each rejected row's cells as the
 * loader read them (its raw line is the row as CSV, rowsrc.h); a cell
 * under a figure column holding a plain number is written as a number, so
 * that "1.5" is not read back the Vietnamese way as 15, and every other
 * cell as text, so that a code keeps its leading zeros.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "alloc.h"
#include "buf.h"
#include "db.h"
#include "giveback.h"
#include "i18n.h"
#include "ingest.h"
#include "reasons.h"
#include "sqlfiles.h"
#include "text.h"
#include "vocab.h"

/* Text gathered for one line's rejects: its columns and its reasons. */
#define GROUP_COLS_MAX ((size_t)4 * 1024)
#define GROUP_REASONS_MAX ((size_t)16 * 1024)
/* Excel's limit on a cell's text. */
#define CELL_MAX 32767
#define WIDTH_MAX 40

/* The rejects of one line. */
struct group {
	long line;
	struct hx_buf cols, reasons, raw;
	int has_raw;
};

/* Where the rows go: a CSV file or a workbook being written. */
struct out {
	const struct giveback *g;
	char *path, *tmp;
	int created;                /* tmp exists */
	/* CSV */
	FILE *f;
	char delim;
	/* a workbook */
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *head, *wrap;
	lxw_row_t row;
	unsigned char *figure;      /* per header column: numbers go in as numbers */
	size_t nheader;
	long rows;
};

/* ---- CSV -------------------------------------------------------------------- */

/*
 * The delimiter of a header line: whichever of ',' ';' TAB occurs most
 * outside quotes (csvread.h's rule), ',' when none does.
 */
static char tell_delimiter(const char *s, size_t n)
{
	static const char cand[] = {',', ';', '\t'};
	size_t count[3] = {0, 0, 0}, best = 0;
	int quoted = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		for (size_t k = 0; k < 3 && !quoted; k++)
			count[k] += s[i] == cand[k];
	}
	for (size_t k = 1; k < 3; k++)
		if (count[k] > count[best])
			best = k;
	return cand[best];
}

/*
 * The fields of a CSV line as RFC 4180 splits it (a quote opens and closes
 * a quoted stretch; "" inside it is a quote): each field's text into out
 * (unquoted) and fn called with it.  Returns the number of fields.  fn
 * NULL: only count them.
 */
static size_t split_fields(const char *s, size_t n, char delim, struct hx_buf *field,
                           void (*fn)(void *ctx, size_t i, const char *v, size_t len), void *ctx)
{
	size_t nf = 0, i = 0;

	for (;;) {
		int quoted = 0;

		if (field != NULL)
			hx_buf_reset(field);
		for (; i < n; i++) {
			if (s[i] == '"') {
				if (quoted && i + 1 < n && s[i + 1] == '"') {
					if (field != NULL)
						(void)hx_buf_putc(field, '"');
					i++;
					continue;
				}
				quoted = !quoted;
				continue;
			}
			if (s[i] == delim && !quoted)
				break;
			if (field != NULL)
				(void)hx_buf_putc(field, s[i]);
		}
		if (fn != NULL)
			fn(ctx, nf, hx_buf_str(field), field->len);
		nf++;
		if (i >= n)
			return nf;
		i++; /* past the delimiter */
	}
}

/* A field of ours (a column name, a reason) as CSV: quoted when it must be. */
static void csv_field(FILE *f, char delim, const char *s, size_t n)
{
	int quote = memchr(s, delim, n) != NULL || memchr(s, '"', n) != NULL ||
	            memchr(s, '\n', n) != NULL || memchr(s, '\r', n) != NULL;

	if (!quote) {
		fwrite(s, 1, n, f);
		return;
	}
	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			fputc('"', f);
		fputc(s[i], f);
	}
	fputc('"', f);
}

static void csv_labels(struct out *o, const char *line, const char *col, const char *reason)
{
	fputc(o->delim, o->f);
	csv_field(o->f, o->delim, line, strlen(line));
	fputc(o->delim, o->f);
	csv_field(o->f, o->delim, col, strlen(col));
	fputc(o->delim, o->f);
	csv_field(o->f, o->delim, reason, strlen(reason));
	fputs("\r\n", o->f);
}

static void csv_header(struct out *o)
{
	const struct hx_row *h = o->g->header;

	fputs("\xEF\xBB\xBF", o->f);
	if (h->raw != NULL) {
		fwrite(h->raw, 1, h->raw_len, o->f);
		o->nheader = split_fields(h->raw, h->raw_len, o->delim, NULL, NULL, NULL);
	} else {
		for (size_t i = 0; i < h->nfields; i++) {
			if (i > 0)
				fputc(o->delim, o->f);
			csv_field(o->f, o->delim, h->fields[i], h->lens[i]);
		}
		o->nheader = h->nfields;
	}
	csv_labels(o, _("line"), _("column"), _("reason"));
}

static void csv_row(struct out *o, const struct group *gr)
{
	size_t nf = 0;
	char line[24];

	if (gr->has_raw) {
		fwrite(hx_buf_str(&gr->raw), 1, gr->raw.len, o->f);
		nf = split_fields(hx_buf_str(&gr->raw), gr->raw.len, o->delim, NULL, NULL, NULL);
	}
	/* a short row padded, so that the line, column and reason stay under their names */
	for (; nf < o->nheader; nf++)
		if (nf > 0 || gr->has_raw)
			fputc(o->delim, o->f);
	snprintf(line, sizeof line, "%ld", gr->line);
	csv_labels(o, line, hx_buf_str(&gr->cols), hx_buf_str(&gr->reasons));
}

/* ---- A workbook --------------------------------------------------------------- */

/* Columns holding figures: a plain number under them is a number (1.5 stays 1.5). */
static int figure_column(const char *name, size_t n)
{
	enum hx_col c;

	if (hx_vocab_column(name, n, HX_VOCAB_SUBMISSION, &c) != 0)
		return 0;
	switch (c) {
	case HX_COL_YEAR:
	case HX_COL_ELIGIBLE:
	case HX_COL_REGISTERED:
	case HX_COL_RECOGNIZED:
	case HX_COL_EXEMPLARY:
	case HX_COL_REPORTED_RATE:
	case HX_COL_MOBILIZED_VND:
	case HX_COL_MOBILIZED_MILLION_VND:
	case HX_COL_SCHOLARSHIPS:
	case HX_COL_SCHOLARSHIP_VND:
	case HX_COL_SCHOLARSHIP_MILLION_VND:
	case HX_COL_SCORE:
		return 1;
	default:
		return 0;
	}
}

/* Machine text of a number ("-12.5", "7105") a spreadsheet keeps exactly (15 digits). */
static int plain_number(const char *s, size_t n)
{
	size_t i = 0, digits = 0, dots = 0;

	if (n > 0 && s[0] == '-')
		i++;
	for (; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (s[i] == '.' && dots++ == 0 && i + 1 < n)
			continue;
		else
			return 0;
	}
	return digits > 0 && digits <= 15;
}

/* Text into a cell (cut to Excel's limit at a character boundary). */
static lxw_error xlsx_text(struct out *o, lxw_col_t c, const char *s, size_t n, lxw_format *f)
{
	char *t;
	lxw_error e;

	if (n == 0)
		return LXW_NO_ERROR;
	if (n > CELL_MAX) {
		n = CELL_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	t = hx_strndup(s, n);
	e = worksheet_write_string(o->ws, o->row, c, t, f);
	free(t);
	return e;
}

struct cellctx {
	struct out *o;
	lxw_error e;
};

static void xlsx_cell(void *ctx, size_t i, const char *v, size_t n)
{
	struct cellctx *c = ctx;
	struct out *o = c->o;
	lxw_error e;

	if (c->e != LXW_NO_ERROR || i >= 16384)
		return;
	if (i < o->nheader && o->figure[i] && plain_number(v, n))
		e = worksheet_write_number(o->ws, o->row, (lxw_col_t)i, strtod(v, NULL), NULL);
	else
		e = xlsx_text(o, (lxw_col_t)i, v, n, NULL);
	c->e = e;
}

static lxw_error xlsx_labels(struct out *o, lxw_col_t at, const char *line, double nline,
                             const char *col, const char *reason, lxw_format *f)
{
	lxw_error e = line != NULL ? xlsx_text(o, at, line, strlen(line), f)
	                           : worksheet_write_number(o->ws, o->row, at, nline, NULL);

	if (e == LXW_NO_ERROR)
		e = xlsx_text(o, at + 1, col, strlen(col), f);
	if (e == LXW_NO_ERROR)
		e = xlsx_text(o, (lxw_col_t)(at + 2), reason, strlen(reason), f != NULL ? f : o->wrap);
	return e;
}

static lxw_error xlsx_header(struct out *o)
{
	const struct hx_row *h = o->g->header;
	lxw_col_t at;
	lxw_error e = LXW_NO_ERROR;

	o->nheader = h->nfields < 16381 ? h->nfields : 16381;
	o->figure = hx_calloc(o->nheader + 1, 1);
	for (size_t i = 0; i < o->nheader && e == LXW_NO_ERROR; i++) {
		double w = (double)(h->lens[i] + 2);

		o->figure[i] = (unsigned char)figure_column(h->fields[i], h->lens[i]);
		e = xlsx_text(o, (lxw_col_t)i, h->fields[i], h->lens[i], o->head);
		if (e == LXW_NO_ERROR)
			e = worksheet_set_column(o->ws, (lxw_col_t)i, (lxw_col_t)i,
			                         w < 10 ? 10 : w > WIDTH_MAX ? WIDTH_MAX : w, NULL);
	}
	at = (lxw_col_t)o->nheader;
	if (e == LXW_NO_ERROR)
		e = xlsx_labels(o, at, _("row"), 0, _("column"), _("reason"), o->head);
	if (e == LXW_NO_ERROR)
		e = worksheet_set_column(o->ws, at, (lxw_col_t)(at + 1), 12, NULL);
	if (e == LXW_NO_ERROR)
		e = worksheet_set_column(o->ws, (lxw_col_t)(at + 2), (lxw_col_t)(at + 2), 60, NULL);
	if (e == LXW_NO_ERROR)
		worksheet_freeze_panes(o->ws, 1, 0);
	o->row++;
	return e;
}

static lxw_error xlsx_row(struct out *o, const struct group *gr)
{
	struct cellctx c = {o, LXW_NO_ERROR};
	struct hx_buf field;
	size_t nf = 0;

	hx_buf_init(&field, (size_t)HX_CSV_MAX_FIELD_DEFAULT);
	if (gr->has_raw)
		nf = split_fields(hx_buf_str(&gr->raw), gr->raw.len, ',', &field, xlsx_cell, &c);
	hx_buf_free(&field);
	if (c.e == LXW_NO_ERROR)
		c.e = xlsx_labels(o, (lxw_col_t)(nf > o->nheader ? nf : o->nheader), NULL,
		                  (double)gr->line, hx_buf_str(&gr->cols), hx_buf_str(&gr->reasons),
		                  NULL);
	o->row++;
	return c.e;
}

/* ---- The rows ----------------------------------------------------------------- */

static void group_reset(struct group *gr, long line)
{
	gr->line = line;
	hx_buf_reset(&gr->cols);
	hx_buf_reset(&gr->reasons);
	hx_buf_reset(&gr->raw);
	gr->has_raw = 0;
}

/* Is name one of the list's ", "-separated names? */
static int listed(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; *p != '\0';) {
		const char *e = strstr(p, ", ");
		size_t k = e != NULL ? (size_t)(e - p) : strlen(p);

		if (k == n && memcmp(p, name, n) == 0)
			return 1;
		p += k;
		if (*p != '\0')
			p += 2;
	}
	return 0;
}

/* Add one reject (a row of giveback_rows.sql) to its line's group. */
static void group_add(struct group *gr, const PGresult *res, int workbook)
{
	const char *col = PQgetisnull(res, 0, 1) ? NULL : PQgetvalue(res, 0, 1);
	const char *value = PQgetisnull(res, 0, 2) ? NULL : PQgetvalue(res, 0, 2);
	const char *meaning = PQgetvalue(res, 0, 4);
	enum reason why;
	char q[HX_TEXT_EXCERPT_SZ];

	if (reason_from_code(PQgetvalue(res, 0, 3), &why) == 0)
		meaning = reason_meaning(why);
	if (col != NULL && col[0] != '\0' && !listed(hx_buf_str(&gr->cols), col))
		hx_buf_printf(&gr->cols, "%s%s", gr->cols.len > 0 ? ", " : "", col);
	if (gr->reasons.len > 0)
		hx_buf_puts(&gr->reasons, "; ");
	if (value != NULL && value[0] != '\0')
		hx_buf_printf(&gr->reasons, "\"%s\": ", hx_text_excerpt(value, strlen(value), q, sizeof q));
	hx_buf_puts(&gr->reasons, meaning);
	if (!gr->has_raw && !PQgetisnull(res, 0, 5)) {
		size_t n = (size_t)PQgetlength(res, 0, 5);

		hx_buf_append(&gr->raw, PQgetvalue(res, 0, 5), n);
		gr->has_raw = 1;
		/* ingest keeps INGEST_RAW_MAX bytes of a line (cut at a character) */
		if (n + 4 > INGEST_RAW_MAX) {
			if (gr->reasons.len > 0)
				hx_buf_puts(&gr->reasons, "; ");
			hx_buf_printf(&gr->reasons,
			              workbook ? _("the row is longer than hoctap keeps: copy it whole from "
			                           "row %ld of the sheet")
			                       : _("the line is longer than hoctap keeps: copy it whole from "
			                           "line %ld of the file"),
			              gr->line);
		}
	}
}

static int write_group(struct out *o, const struct group *gr, struct hx_error *err)
{
	o->rows++;
	if (!o->g->workbook) {
		csv_row(o, gr);
		return ferror(o->f) ? hx_error_set(err, HX_CANTCREAT, "could not write \"%s\": %s",
		                                   o->tmp, strerror(errno))
		                    : 0;
	}
	if (xlsx_row(o, gr) != LXW_NO_ERROR)
		return hx_error_set(err, HX_CANTCREAT, "could not write \"%s\"", o->tmp);
	return 0;
}

/* ---- The file ----------------------------------------------------------------- */

/*
 * dir/BASE.rejects.EXT, or BASE.rejects.1.EXT, ... when taken: nothing is
 * overwritten.  New string.
 */
static char *free_path(const char *dir, const char *name, const char *ext)
{
	const char *slash = strrchr(name, '/');
	const char *base = slash != NULL ? slash + 1 : name;
	char *path = hx_asprintf("%s/%s.rejects.%s", dir, base, ext);

	for (int i = 1; access(path, F_OK) == 0; i++) {
		free(path);
		path = hx_asprintf("%s/%s.rejects.%d.%s", dir, base, i, ext);
	}
	return path;
}

/* Open the temporary file and write the header.  0, or -1 err. */
static int out_open(struct out *o, struct hx_error *err)
{
	const struct giveback *g = o->g;
	int fd;

	o->path = free_path(g->dir, g->name, g->workbook ? "xlsx" : "csv");
	o->tmp = hx_asprintf("%s.tmp-XXXXXX", o->path);
	fd = mkstemp(o->tmp);
	if (fd < 0)
		return hx_error_set(err, HX_CANTCREAT, "could not create \"%s\": %s", o->tmp,
		                    strerror(errno));
	o->created = 1;
	if (fchmod(fd, 0644) < 0) {
		close(fd);
		return hx_error_set(err, HX_CANTCREAT, "could not create \"%s\": %s", o->tmp,
		                    strerror(errno));
	}
	if (!g->workbook) {
		o->f = fdopen(fd, "w");
		if (o->f == NULL) {
			close(fd);
			return hx_error_set(err, HX_CANTCREAT, "could not create \"%s\": %s", o->tmp,
			                    strerror(errno));
		}
		o->delim = g->delimiter != 0 ? g->delimiter
		           : g->header->raw != NULL ? tell_delimiter(g->header->raw, g->header->raw_len)
		                                    : ',';
		csv_header(o);
		return 0;
	}
	close(fd);
	{
		lxw_workbook_options wo = {LXW_TRUE, NULL, 0};

		wo.tmpdir = (char *)(uintptr_t)g->dir;
		o->wb = workbook_new_opt(o->tmp, &wo);
	}
	if (o->wb == NULL)
		return hx_error_set(err, HX_CANTCREAT, "could not create \"%s\"", o->tmp);
	o->ws = workbook_add_worksheet(o->wb, _("Rejected rows"));
	o->head = workbook_add_format(o->wb);
	format_set_bold(o->head);
	format_set_text_wrap(o->head);
	format_set_align(o->head, LXW_ALIGN_VERTICAL_TOP);
	o->wrap = workbook_add_format(o->wb);
	format_set_text_wrap(o->wrap);
	format_set_align(o->wrap, LXW_ALIGN_VERTICAL_TOP);
	if (o->ws == NULL || xlsx_header(o) != LXW_NO_ERROR)
		return hx_error_set(err, HX_CANTCREAT, "could not write \"%s\"", o->tmp);
	return 0;
}

/* Close, make durable and rename into place (ok), or remove the temporary file. */
static int out_close(struct out *o, int ok, struct hx_error *err)
{
	int rc = ok ? 0 : -1;

	if (o->f != NULL) {
		if (ok && (fflush(o->f) != 0 || fsync(fileno(o->f)) != 0))
			rc = hx_error_set(err, HX_CANTCREAT, "could not write \"%s\": %s", o->tmp,
			                  strerror(errno));
		if (fclose(o->f) != 0 && rc == 0)
			rc = hx_error_set(err, HX_CANTCREAT, "could not write \"%s\": %s", o->tmp,
			                  strerror(errno));
	}
	if (o->wb != NULL) {
		lxw_error e = workbook_close(o->wb);

		if (e != LXW_NO_ERROR && rc == 0)
			rc = hx_error_set(err, HX_CANTCREAT, "could not write \"%s\": %s", o->tmp,
			                  lxw_strerror(e));
		if (rc == 0) {
			/* libxlsxwriter closes its file without fsync */
			FILE *f = fopen(o->tmp, "r");

			if (f == NULL || fsync(fileno(f)) != 0)
				rc = hx_error_set(err, HX_CANTCREAT, "could not write \"%s\": %s", o->tmp,
				                  strerror(errno));
			if (f != NULL)
				fclose(f);
		}
	}
	if (rc == 0 && rename(o->tmp, o->path) < 0)
		rc = hx_error_set(err, HX_CANTCREAT, "could not rename \"%s\": %s", o->tmp,
		                  strerror(errno));
	if (rc < 0 && o->created)
		unlink(o->tmp);
	free(o->tmp);
	free(o->figure);
	if (rc < 0) {
		free(o->path);
		o->path = NULL;
	}
	return rc;
}

/* Read the rest of the query's results, so the connection is free again. */
static void drain(PGconn *conn)
{
	PGresult *res;

	while ((res = PQgetResult(conn)) != NULL)
		PQclear(res);
}

long giveback_write(PGconn *conn, const struct giveback *g, char **path, struct hx_error *err)
{
	char id[24];
	const char *params[1] = {id};
	struct out o;
	struct group gr;
	PGresult *res;
	int opened = 0, failed = 0;

	*path = NULL;
	memset(&o, 0, sizeof o);
	o.g = g;
	hx_buf_init(&gr.cols, GROUP_COLS_MAX);
	hx_buf_init(&gr.reasons, GROUP_REASONS_MAX);
	hx_buf_init(&gr.raw, INGEST_RAW_MAX + 8);
	group_reset(&gr, 0);
	snprintf(id, sizeof id, "%lld", g->file_id);
	/* one row at a time: a file may have hundreds of thousands of rejects */
	if (!PQsendQueryParams(conn, hx_sql_script("ingest/giveback_rows.sql"), 1, NULL, params, NULL,
	                       NULL, 0) ||
	    !PQsetSingleRowMode(conn)) {
		hx_error_set(err, hx_db_failure_code(conn, NULL), "could not read the rejected rows: %s",
		             PQerrorMessage(conn));
		drain(conn);
		goto fail;
	}
	while ((res = PQgetResult(conn)) != NULL) {
		ExecStatusType st = PQresultStatus(res);
		long line;

		if (st == PGRES_TUPLES_OK) {
			PQclear(res);
			continue;
		}
		if (st != PGRES_SINGLE_TUPLE) {
			if (!failed)
				hx_db_error_from_result(err, hx_db_failure_code(conn, res), res,
				                        "could not read the rejected rows");
			failed = 1;
			PQclear(res);
			continue;
		}
		if (failed) {
			PQclear(res);
			continue;
		}
		line = strtol(PQgetvalue(res, 0, 0), NULL, 10);
		if (!opened) {
			if (out_open(&o, err) < 0)
				failed = 1;
			opened = 1;
			group_reset(&gr, line);
		} else if (line != gr.line) {
			if (write_group(&o, &gr, err) < 0)
				failed = 1;
			group_reset(&gr, line);
		}
		if (!failed)
			group_add(&gr, res, g->workbook);
		PQclear(res);
	}
	if (!failed && opened && write_group(&o, &gr, err) < 0)
		failed = 1;
	if (opened && out_close(&o, !failed, err) < 0)
		failed = 1;
	if (failed)
		goto fail;
	hx_buf_free(&gr.cols);
	hx_buf_free(&gr.reasons);
	hx_buf_free(&gr.raw);
	*path = o.path;
	return opened ? o.rows : 0;
fail:
	hx_buf_free(&gr.cols);
	hx_buf_free(&gr.reasons);
	hx_buf_free(&gr.raw);
	if (!opened) {
		free(o.path);
		free(o.tmp);
		free(o.figure);
	}
	return -1;
}
