/*
 * xls.c — an .xls workbook's sheet through FreeXL (see xls.h for what
 * FreeXL cannot tell).  FreeXL reads the whole workbook at open and gives
 * cells by row and column, so rows are read straight from it; only the
 * header search keeps copies (sheet.h), as for .xlsx.
 */
#include <errno.h>
#include <fcntl.h>
#include <freexl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"
#include "i18n.h"
#include "nfc.h"
#include "xls.h"

#define MAX_GUESSED 256

struct hx_xls {
	const void *h;
	long long file_size;         /* for progress: rows read as a share of it */
	struct hx_sheet_options o;
	size_t max_field;
	unsigned short nsheets;
	unsigned short sheet;
	char *sheet_name;
	unsigned int rows;
	unsigned short cols;
	struct hx_sheet_window win;
	struct hx_sheet_header hdr;
	int header_given;
	unsigned int next_row;      /* 0-based row to read next */
	/* the row handed out */
	struct hx_buf data, norm;
	size_t off[HX_CSV_MAX_FIELDS], len[HX_CSV_MAX_FIELDS];
	unsigned char type[HX_CSV_MAX_FIELDS];
	const char *ptr[HX_CSV_MAX_FIELDS];
};

static int freexl_fail(int rc, struct hx_error *err)
{
	if (rc == FREEXL_INSUFFICIENT_MEMORY)
		return hx_error_set(err, HX_DATAERR, _("the workbook declares a sheet larger than FreeXL "
		                                       "reads (256 MiB of cells): refused"));
	if (rc == FREEXL_FILE_NOT_FOUND)
		return hx_error_set(err, HX_NOINPUT, _("cannot open: %s"), strerror(errno));
	return hx_error_set(err, HX_DATAERR, _("is damaged or not an Excel 97-2003 workbook (FreeXL "
	                                       "error %d)"), rc);
}

/* What the first bytes say: an .xlsx or an encrypted workbook named .xls. */
static int sniff(const char *path, long long *size, struct hx_error *err)
{
	static const char enc[] = "E\0n\0c\0r\0y\0p\0t\0i\0o\0n\0I\0n\0f\0o\0";
	unsigned char head[65536];
	struct stat st;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return hx_error_set(err, HX_NOINPUT, _("cannot open: %s"), strerror(errno));
	if (fstat(fd, &st) < 0 || (n = read(fd, head, sizeof head)) < 0) {
		close(fd);
		return hx_error_set(err, HX_NOINPUT, _("cannot read: %s"), strerror(errno));
	}
	close(fd);
	*size = (long long)st.st_size;
	if (st.st_size > HX_XLS_MAX_FILE)
		return hx_error_set(err, HX_DATAERR, _("the workbook is larger than %lld bytes, the most "
		                                       "an .xls is read from: save it as .xlsx"),
		                    HX_XLS_MAX_FILE);
	if (n >= 4 && memcmp(head, "PK\3\4", 4) == 0)
		return hx_error_set(err, HX_DATAERR, _("this is an .xlsx workbook, not .xls: name it "
		                                       ".xlsx"));
	/* An OLE compound file, or a bare BIFF2-4 stream (its BOF record) */
	if (!(n >= 8 && memcmp(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) &&
	    !(n >= 2 && head[0] == 0x09 && (head[1] == 0x00 || head[1] == 0x02 || head[1] == 0x04)))
		return hx_error_set(err, HX_DATAERR, _("is not an .xls workbook (not an Excel 97-2003 "
		                                       "file)"));
	if (memmem(head, (size_t)n, enc, sizeof enc - 1) != NULL)
		return hx_error_set(err, HX_DATAERR, _("the workbook is encrypted (protected by a "
		                                       "password): remove the password in Excel and "
		                                       "send it again"));
	return 0;
}

/* Read row r (0-based) of the active sheet into x's row arrays. */
static void read_row(struct hx_xls *x, unsigned int r, struct hx_row *row)
{
	size_t n = x->cols > HX_CSV_MAX_FIELDS ? HX_CSV_MAX_FIELDS : x->cols;

	memset(row, 0, sizeof *row);
	hx_buf_reset(&x->data);
	for (unsigned short c = 0; c < x->cols; c++) {
		FreeXL_CellValue v;
		char buf[HX_ROW_NUMBER_SZ];
		const char *s = "";
		size_t len = 0;
		unsigned char type = HX_CELL_TEXT;

		if (freexl_get_cell_value(x->h, r, c, &v) != FREEXL_OK)
			v.type = FREEXL_CELL_NULL;
		switch (v.type) {
		case FREEXL_CELL_INT:
			len = (size_t)snprintf(buf, sizeof buf, "%d", v.value.int_value);
			s = buf;
			type = HX_CELL_NUMBER;
			break;
		case FREEXL_CELL_DOUBLE:
			len = hx_row_format_number(v.value.double_value, buf);
			s = buf;
			type = len > 0 ? HX_CELL_NUMBER : HX_CELL_ERROR;
			break;
		case FREEXL_CELL_TEXT:
		case FREEXL_CELL_SST_TEXT:
			s = v.value.text_value != NULL ? v.value.text_value : "";
			len = strlen(s);
			while (len > 0 && s[0] == ' ')
				s++, len--;
			while (len > 0 && s[len - 1] == ' ')
				len--;
			if (!hx_nfc_quick(s, len)) {
				hx_buf_reset(&x->norm);
				if (hx_nfc_append(s, len, &x->norm) == 0) {
					s = hx_buf_str(&x->norm);
					len = x->norm.len;
				}
			}
			break;
		case FREEXL_CELL_DATE:
		case FREEXL_CELL_DATETIME:
		case FREEXL_CELL_TIME:
			len = (size_t)snprintf(buf, sizeof buf, "%s", v.value.text_value);
			if (len >= sizeof buf)
				len = sizeof buf - 1;
			if (v.type == FREEXL_CELL_DATETIME && len > 10 && buf[10] == ' ')
				buf[10] = 'T';
			s = buf;
			type = HX_CELL_DATE;
			break;
		default:
			break;
		}
		if (c >= HX_CSV_MAX_FIELDS) {
			if (len > 0)
				row->too_many_fields = 1;
			continue;
		}
		if (len > x->max_field) {
			len = x->max_field;
			while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
				len--;
			if (row->too_long_field == 0)
				row->too_long_field = (size_t)c + 1;
		}
		x->off[c] = x->data.len;
		x->len[c] = len;
		x->type[c] = type;
		/* data's cap is every cell at the field cap: never fails */
		(void)hx_buf_append(&x->data, s, len);
		(void)hx_buf_putc(&x->data, '\0');
	}
	for (size_t c = 0; c < n; c++)
		x->ptr[c] = x->data.data + x->off[c];
	row->nfields = n;
	row->fields = x->ptr;
	row->lens = x->len;
	row->types = x->type;
	row->line = row->last_line = (long)r + 1;
	row->sheet = x->sheet_name;
}

/* Look for the header in sheet i's first rows: 1 found, 0 not, -1 err. */
static int try_sheet(struct hx_xls *x, unsigned short i, struct hx_error *err)
{
	struct hx_sheet_merge m[MAX_GUESSED];
	size_t nm = 0;
	const char *name = NULL;
	int rc;

	hx_sheet_window_free(&x->win);
	if ((rc = freexl_select_active_worksheet(x->h, i)) != FREEXL_OK ||
	    (rc = freexl_worksheet_dimensions(x->h, &x->rows, &x->cols)) != FREEXL_OK ||
	    (rc = freexl_get_worksheet_name(x->h, i, &name)) != FREEXL_OK)
		return freexl_fail(rc, err);
	free(x->sheet_name);
	x->sheet_name = hx_strdup(name != NULL ? name : "");
	x->sheet = i;
	for (unsigned int r = 0; r < x->rows; r++) {
		struct hx_row row;

		read_row(x, r, &row);
		if (hx_row_blank(&row))
			continue;
		if (hx_sheet_window_add(&x->win, &row) < 0)
			break;
	}
	for (size_t k = 0; k + 1 < x->win.n && nm < MAX_GUESSED; k++)
		nm += hx_sheet_guess_merges(&x->win, k, m + nm, MAX_GUESSED - nm);
	if (hx_sheet_find_header(&x->win, m, nm, &x->o, &x->hdr) < 0)
		return 0;
	x->next_row = (unsigned int)(x->hdr.joined ? x->hdr.joined_row.row.last_line
	                                           : x->win.rows[x->hdr.index].row.line);
	return 1;
}

struct hx_xls *hx_xls_open(const char *path, const struct hx_sheet_options *o,
                           struct hx_error *err)
{
	struct hx_xls *x;
	unsigned int info = 0;
	struct hx_buf tried;
	int rc;

	long long size = 0;

	if (sniff(path, &size, err) < 0)
		return NULL;
	x = hx_calloc(1, sizeof *x);
	x->file_size = size;
	if (o != NULL)
		x->o = *o;
	x->max_field = x->o.max_field > 0 ? x->o.max_field : HX_CSV_MAX_FIELD_DEFAULT;
	hx_buf_init(&x->data, HX_CSV_MAX_FIELDS * (x->max_field + 1) + 1);
	hx_buf_init(&x->norm, x->max_field * 4 + 16);
	rc = freexl_open(path, &x->h);
	if (rc != FREEXL_OK) {
		freexl_fail(rc, err);
		goto fail;
	}
	if (freexl_get_info(x->h, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK &&
	    info == FREEXL_BIFF_OBFUSCATED) {
		hx_error_set(err, HX_DATAERR, _("the workbook is encrypted (protected by a password): "
		                                "remove the password in Excel and send it again"));
		goto fail;
	}
	if ((rc = freexl_get_info(x->h, FREEXL_BIFF_SHEET_COUNT, &info)) != FREEXL_OK) {
		freexl_fail(rc, err);
		goto fail;
	}
	x->nsheets = (unsigned short)(info > 65535 ? 65535 : info);
	hx_buf_init(&tried, 1000);
	for (unsigned short i = 0; i < x->nsheets; i++) {
		const char *name = NULL;

		if (freexl_get_worksheet_name(x->h, i, &name) != FREEXL_OK || name == NULL)
			continue;
		if (x->o.sheet != NULL && strcmp(name, x->o.sheet) != 0) {
			hx_buf_printf(&tried, "%s\"%s\"", tried.len > 0 ? ", " : "", name);
			continue;
		}
		rc = try_sheet(x, i, err);
		if (rc < 0) {
			hx_buf_free(&tried);
			goto fail;
		}
		if (rc > 0) {
			hx_buf_free(&tried);
			return x;
		}
		if (x->o.sheet != NULL) {
			hx_error_set(err, HX_DATAERR, _("sheet \"%s\" has no header in its first %d rows"),
			             x->o.sheet, HX_SHEET_HEADER_ROWS);
			hx_buf_free(&tried);
			goto fail;
		}
		hx_buf_printf(&tried, "%s\"%s\" (%s)", tried.len > 0 ? ", " : "", name,
		              _("no header"));
	}
	if (x->o.sheet != NULL)
		hx_error_set(err, HX_DATAERR, _("the workbook has no sheet \"%s\" (its sheets: %s)"),
		             x->o.sheet, hx_buf_str(&tried));
	else
		hx_error_set(err, HX_DATAERR, _("no sheet has a header in its first %d rows (%s); name "
		                                "the sheet to read with --sheet"),
		             HX_SHEET_HEADER_ROWS, hx_buf_str(&tried));
	hx_buf_free(&tried);
fail:
	hx_xls_close(x);
	return NULL;
}

void hx_xls_close(struct hx_xls *x)
{
	if (x == NULL)
		return;
	if (x->h != NULL)
		freexl_close(x->h);
	hx_sheet_header_free(&x->hdr);
	hx_sheet_window_free(&x->win);
	hx_buf_free(&x->data);
	hx_buf_free(&x->norm);
	free(x->sheet_name);
	free(x);
}

int hx_xls_next(struct hx_xls *x, struct hx_row *row, struct hx_error *err)
{
	(void)err;
	if (!x->header_given) {
		x->header_given = 1;
		*row = x->hdr.joined ? x->hdr.joined_row.row : x->win.rows[x->hdr.index].row;
		return 1;
	}
	while (x->next_row < x->rows) {
		read_row(x, x->next_row++, row);
		if (!hx_row_blank(row))
			return 1;
	}
	return 0;
}

const char *hx_xls_sheet_name(const struct hx_xls *x)
{
	return x->sheet_name;
}

long hx_xls_header_line(const struct hx_xls *x)
{
	return x->win.rows[x->hdr.index].row.line;
}

int hx_xls_header_joined(const struct hx_xls *x)
{
	return x->hdr.joined;
}

static int src_next(void *self, struct hx_row *row, struct hx_error *err)
{
	return hx_xls_next(self, row, err);
}

/* FreeXL read the file at open: progress is the rows read, as bytes of it. */
static unsigned long long src_progress(void *self)
{
	const struct hx_xls *x = self;

	if (x->rows == 0)
		return (unsigned long long)x->file_size;
	return (unsigned long long)((double)x->file_size * x->next_row / x->rows);
}

static void src_close(void *self)
{
	hx_xls_close(self);
}

void hx_row_source_xls(struct hx_row_source *src, struct hx_xls *x)
{
	src->self = x;
	src->next = src_next;
	src->progress = src_progress;
	src->close = src_close;
}
