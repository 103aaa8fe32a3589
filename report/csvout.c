/*
 * csvout.c — a query result as a CSV file (RFC 4180 fields, LF line ends).
 * Values are PostgreSQL's own text: numbers keep every digit it printed
 * (never through a double), NULL is an empty cell, booleans are true/false.
 *
 * --excel writes what a Vietnamese Excel opens by double-click: a UTF-8
 * BOM (else Excel reads the bytes as the ANSI code page), ";" between
 * fields and "," as the decimal mark, because Excel splits a CSV it opens
 * at the Windows list separator and reads numbers with the Windows decimal
 * mark, and a Vietnamese regional format has "," as its decimal mark and
 * therefore ";" as its list separator (docs/outputs.md).  Only the
 * characters change: "70.68" becomes "70,68", digit for digit.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "sha256.h"

/* A row larger than this is a bug, not data (no field of §6 comes close). */
#define ROW_MAX (4u << 20)

static const unsigned char utf8_bom[3] = {0xEF, 0xBB, 0xBF};

/* A plain decimal: -?digits(.digits)? — what JSON and spreadsheets both read. */
static int is_decimal(const char *s, int allow_point)
{
	const char *p = s;

	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.' && allow_point) {
		p++;
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

/* A number column's text must be a plain decimal: PostgreSQL never writes
 * otherwise for integers, but a numeric can be NaN or Infinity. */
int report_check_number(const char *value, enum report_kind kind, struct hx_error *err)
{
	if (!is_decimal(value, kind == REPORT_NUM))
		return hx_error_set(err, HX_SOFTWARE, "\"%s\" is not a plain %s", value,
		                    kind == REPORT_NUM ? "decimal number" : "integer");
	return 0;
}

int report_csv_field(struct hx_buf *b, const char *value, enum report_kind kind, int excel,
                     struct hx_error *err)
{
	const char *p;
	size_t dot;
	int rc = 0;

	if (value == NULL)
		return 0;
	switch (kind) {
	case REPORT_INT:
	case REPORT_NUM:
		if (report_check_number(value, kind, err) < 0)
			return -1;
		dot = strcspn(value, ".");
		if (excel && value[dot] == '.') {
			rc = hx_buf_append(b, value, dot);
			if (rc == 0)
				rc = hx_buf_putc(b, ',');
			if (rc == 0)
				rc = hx_buf_puts(b, value + dot + 1);
		} else {
			rc = hx_buf_puts(b, value);
		}
		break;
	case REPORT_BOOL:
		rc = hx_buf_puts(b, strcmp(value, "t") == 0 ? "true" : "false");
		break;
	case REPORT_TEXT:
	case REPORT_LIST:
		if (strpbrk(value, excel ? ";\"\r\n" : ",\"\r\n") == NULL) {
			rc = hx_buf_puts(b, value);
			break;
		}
		rc = hx_buf_putc(b, '"');
		for (p = value; *p && rc == 0; p++)
			rc = *p == '"' ? hx_buf_puts(b, "\"\"") : hx_buf_putc(b, *p);
		if (rc == 0)
			rc = hx_buf_putc(b, '"');
		break;
	}
	if (rc < 0)
		return hx_error_set(err, HX_SOFTWARE, "a row is longer than %u bytes", ROW_MAX);
	return 0;
}

/* fwrite all of n bytes or fail naming the file. */
int report_put(FILE *f, const char *path, const void *p, size_t n, struct hx_sha256 *sha,
               struct hx_error *err)
{
	if (n > 0 && fwrite(p, 1, n, f) != n)
		return hx_error_set(err, HX_CANTCREAT, "%s: cannot write: %s", path, strerror(errno));
	if (sha != NULL)
		hx_sha256_update(sha, p, n);
	return 0;
}

int report_csv_write(FILE *f, const char *path, const struct report_table *t,
                     const PGresult *res, const int *order, int excel, struct hx_sha256 *sha,
                     struct hx_error *err)
{
	struct hx_buf out;
	int r, nrows = PQntuples(res), rc = -1;
	char delim = excel ? ';' : ',';
	size_t c, start;

	/* Rows gather in out until a batch is full: one fwrite and one digest update per batch. */
	hx_buf_init(&out, ROW_MAX + REPORT_PUT_BATCH);
	if (excel && report_put(f, path, utf8_bom, sizeof utf8_bom, sha, err) < 0)
		goto done;
	for (c = 0; c < t->ncolumns; c++)
		if ((c > 0 && hx_buf_putc(&out, delim) < 0) || hx_buf_puts(&out, t->columns[c].name) < 0)
			goto too_long;
	if (hx_buf_putc(&out, '\n') < 0)
		goto too_long;
	for (r = 0; r < nrows; r++) {
		int src = order != NULL ? order[r] : r;

		start = out.len;
		for (c = 0; c < t->ncolumns; c++) {
			const char *v = PQgetisnull(res, src, (int)c) ? NULL : PQgetvalue(res, src, (int)c);

			if (c > 0 && hx_buf_putc(&out, delim) < 0)
				goto too_long;
			if (report_csv_field(&out, v, t->columns[c].kind, excel, err) < 0) {
				hx_error_prefix(err, t->columns[c].name);
				hx_error_detail(err, "writing %s, row %d", path, r + 1);
				goto done;
			}
		}
		if (hx_buf_putc(&out, '\n') < 0 || out.len - start > ROW_MAX)
			goto too_long;
		if (out.len >= REPORT_PUT_BATCH) {
			if (report_put(f, path, out.data, out.len, sha, err) < 0)
				goto done;
			hx_buf_reset(&out);
		}
	}
	rc = report_put(f, path, out.data, out.len, sha, err);
	goto done;

too_long:
	hx_error_set(err, HX_SOFTWARE, "%s: a row is longer than %u bytes", path, ROW_MAX);
done:
	hx_buf_free(&out);
	return rc;
}
