/*
 * rowsrc.c — the row interface shared by CSV and workbook sources (see
 * rowsrc.h): column letters, where a field is in the clerk's words, a row
 * back as a CSV line, and a typed number's machine text.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "i18n.h"
#include "rowsrc.h"
#include "text.h"

void hx_row_from_csv(struct hx_row *row, const struct hx_csv_record *rec)
{
	row->nfields = rec->nfields;
	row->fields = rec->fields;
	row->lens = rec->lens;
	row->types = NULL;
	row->line = rec->line;
	row->last_line = rec->last_line;
	row->sheet = NULL;
	row->raw = rec->raw;
	row->raw_len = rec->raw_len;
	row->too_long_field = rec->too_long_field;
	row->too_many_fields = rec->too_many_fields;
}

int hx_row_blank(const struct hx_row *row)
{
	if (row->too_many_fields)
		return 0;
	for (size_t i = 0; i < row->nfields; i++)
		if (row->lens[i] > 0)
			return 0;
	return 1;
}

const char *hx_row_column_letters(size_t i, char out[HX_ROW_COLNAME_SZ])
{
	char rev[HX_ROW_COLNAME_SZ];
	size_t n = 0, k = 0;

	/* Bijective base 26: A..Z, AA..ZZ, AAA..; at most 7 letters fit. */
	i++;
	while (i > 0 && n < HX_ROW_COLNAME_SZ - 1) {
		i--;
		rev[n++] = (char)('A' + (int)(i % 26));
		i /= 26;
	}
	while (n > 0)
		out[k++] = rev[--n];
	out[k] = '\0';
	return out;
}

const char *hx_row_where(const struct hx_row *row, size_t i, const char *header_name,
                         char *out, size_t outlen)
{
	char col[HX_ROW_COLNAME_SZ];
	char sheet[HX_TEXT_EXCERPT_SZ], name[HX_TEXT_EXCERPT_SZ];
	int named = header_name != NULL && header_name[0] != '\0';
	int has_col = i != (size_t)-1;

	if (named)
		hx_text_excerpt(header_name, strlen(header_name), name, sizeof name);
	if (row->sheet == NULL) {
		if (!has_col)
			hx_text_msgf(out, outlen, _("line %ld"), row->line);
		else if (named)
			hx_text_msgf(out, outlen, _("line %ld, column \"%s\""), row->line, name);
		else
			hx_text_msgf(out, outlen, _("line %ld, column %zu"), row->line, i + 1);
		return out;
	}
	hx_text_excerpt(row->sheet, strlen(row->sheet), sheet, sizeof sheet);
	if (!has_col)
		hx_text_msgf(out, outlen, _("sheet \"%s\", row %ld"), sheet, row->line);
	else if (named)
		hx_text_msgf(out, outlen, _("sheet \"%s\", row %ld, column %s (\"%s\")"), sheet,
		             row->line, hx_row_column_letters(i, col), name);
	else
		hx_text_msgf(out, outlen, _("sheet \"%s\", row %ld, column %s"), sheet, row->line,
		             hx_row_column_letters(i, col));
	return out;
}

static int needs_quotes(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			return 1;
	return 0;
}

int hx_row_to_csv(const struct hx_row *row, struct hx_buf *out)
{
	if (row->raw != NULL)
		return hx_buf_append(out, row->raw, row->raw_len);
	for (size_t i = 0; i < row->nfields; i++) {
		const char *s = row->fields[i];
		size_t n = row->lens[i];

		if (i > 0 && hx_buf_putc(out, ',') < 0)
			return -1;
		if (!needs_quotes(s, n)) {
			if (hx_buf_append(out, s, n) < 0)
				return -1;
			continue;
		}
		if (hx_buf_putc(out, '"') < 0)
			return -1;
		for (size_t k = 0; k < n; k++) {
			if (s[k] == '"' && hx_buf_putc(out, '"') < 0)
				return -1;
			if (hx_buf_putc(out, s[k]) < 0)
				return -1;
		}
		if (hx_buf_putc(out, '"') < 0)
			return -1;
	}
	return 0;
}

/* Write the digits of a %e rendering ("-1.2345e+20") in plain decimal. */
static size_t expand_exponent(const char *e_form, char out[HX_ROW_NUMBER_SZ])
{
	char digits[32];
	size_t nd = 0, k = 0;
	const char *p = e_form;
	int neg = 0, exp10;

	if (*p == '-') {
		neg = 1;
		p++;
	}
	for (; *p != 'e' && *p != '\0'; p++)
		if (*p >= '0' && *p <= '9' && nd < sizeof digits)
			digits[nd++] = *p;
	exp10 = *p == 'e' ? atoi(p + 1) : 0;
	/* value = 0.d1d2d3... * 10^(exp10 + 1).  A double's exponent is within
	 * -324..308 and %.17g gives at most 17 digits, so the longest text,
	 * "-0." 323 zeros and 17 digits, fits HX_ROW_NUMBER_SZ. */
	exp10 += 1;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	if (neg)
		out[k++] = '-';
	if (exp10 <= 0) {
		out[k++] = '0';
		out[k++] = '.';
		for (int z = 0; z < -exp10; z++)
			out[k++] = '0';
		for (size_t j = 0; j < nd; j++)
			out[k++] = digits[j];
	} else {
		for (int j = 0; j < exp10; j++)
			out[k++] = (size_t)j < nd ? digits[j] : '0';
		if ((size_t)exp10 < nd) {
			out[k++] = '.';
			for (size_t j = (size_t)exp10; j < nd; j++)
				out[k++] = digits[j];
		}
	}
	out[k] = '\0';
	return k;
}

size_t hx_row_format_number(double v, char out[HX_ROW_NUMBER_SZ])
{
	char tmp[48];

	if (!isfinite(v))
		return 0;
	if (v == 0) {
		memcpy(out, "0", 2);
		return 1;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	if (strchr(tmp, 'e') == NULL) {
		size_t n = strlen(tmp);

		memcpy(out, tmp, n + 1);
		return n;
	}
	return expand_exponent(tmp, out);
}

/* ---- CSV as a row source --------------------------------------------------- */

struct csv_source {
	struct hx_csv_reader *r;
	struct hx_csv_record rec;
};

static int csv_next(void *self, struct hx_row *row, struct hx_error *err)
{
	struct csv_source *s = self;
	int rc = hx_csv_next(s->r, &s->rec, err);

	if (rc == 1)
		hx_row_from_csv(row, &s->rec);
	return rc;
}

static unsigned long long csv_progress(void *self)
{
	return hx_csv_bytes(((struct csv_source *)self)->r);
}

static void csv_close(void *self)
{
	free(self);
}

void hx_row_source_csv(struct hx_row_source *src, struct hx_csv_reader *r)
{
	struct csv_source *s = hx_calloc(1, sizeof *s);

	s->r = r;
	src->self = s;
	src->next = csv_next;
	src->progress = csv_progress;
	src->close = csv_close;
}
