/*
 * rowsout.c — a table's rows written as CSV and JSON in one pass over the
 * result (the formats themselves are described in csvout.c and jsonout.c).
 *
 * A country's rates and rankings are 1.2 million rows of up to 23 fields,
 * written into 600 MiB: each field is read from the result once, a number
 * is checked once for both files, and each row is written into each file's
 * batch after one reservation of its largest possible size, instead of an
 * append (a call, a length, a bounds check) per piece.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "report.h"
#include "sha256.h"

/* A row larger than this is a bug, not data (no field of §6 comes close). */
#define ROW_MAX (4u << 20)
/*
 * A batch's cap: whatever a row of at most ROW_MAX bytes can reserve (a
 * JSON string may grow six times, "\u001f" for a byte), above a full batch.
 */
#define BUF_MAX (8u * ROW_MAX + REPORT_PUT_BATCH)

static const unsigned char utf8_bom[3] = {0xEF, 0xBB, 0xBF};

/* The built-in types whose text is always a plain integer (pg_type.dat's OIDs). */
enum { INT8_OID = 20, INT2_OID = 21, INT4_OID = 23 };

/* One file being written. */
struct out {
	FILE *f;
	const char *path;
	struct hx_sha256 *sha;
	struct hx_buf b;
};

/* One field of a row, read once: NULL for SQL NULL. */
struct field {
	const char *v;
	size_t n;
};

/* PostgreSQL's "t" / "f" as true / false (the same in both files). */
static char *put_bool(char *p, const char *v)
{
	if (strcmp(v, "t") == 0) {
		memcpy(p, "true", 4);
		return p + 4;
	}
	memcpy(p, "false", 5);
	return p + 5;
}

static char *csv_text(char *p, const char *v, size_t n, char delim)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == delim || v[i] == '"' || v[i] == '\r' || v[i] == '\n')
			break;
	if (i == n) {
		memcpy(p, v, n);
		return p + n;
	}
	*p++ = '"';
	for (i = 0; i < n; i++) {
		if (v[i] == '"')
			*p++ = '"';
		*p++ = v[i];
	}
	*p++ = '"';
	return p;
}

/* Row r's CSV line, at most 2 × its bytes + 3 per field + 1. */
static char *csv_row(char *p, const struct report_table *t, const struct field *fl, int excel)
{
	char delim = excel ? ';' : ',';
	size_t c;

	for (c = 0; c < t->ncolumns; c++) {
		const char *v = fl[c].v, *dot;
		size_t n = fl[c].n;

		if (c > 0)
			*p++ = delim;
		if (v == NULL)
			continue;
		switch (t->columns[c].kind) {
		case REPORT_INT:
		case REPORT_NUM:
			memcpy(p, v, n);
			/* --excel: the decimal mark of a Vietnamese Windows */
			if (excel && (dot = memchr(v, '.', n)) != NULL)
				p[dot - v] = ',';
			p += n;
			break;
		case REPORT_BOOL:
			p = put_bool(p, v);
			break;
		case REPORT_TEXT:
		case REPORT_LIST:
			p = csv_text(p, v, n, delim);
			break;
		}
	}
	*p++ = '\n';
	return p;
}

static const char hexdigit[] = "0123456789abcdef";

/* A JSON string of n bytes: at most 6 × n + 2. */
static char *json_text(char *p, const char *v, size_t n)
{
	size_t i;

	*p++ = '"';
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c >= 0x20 && c != '"' && c != '\\') {
			*p++ = (char)c;
			continue;
		}
		*p++ = '\\';
		switch (c) {
		case '"':
		case '\\':
			*p++ = (char)c;
			break;
		case '\n':
			*p++ = 'n';
			break;
		case '\r':
			*p++ = 'r';
			break;
		case '\t':
			*p++ = 't';
			break;
		default:
			memcpy(p, "u00", 3);
			p[3] = hexdigit[c >> 4];
			p[4] = hexdigit[c & 15];
			p += 5;
			break;
		}
	}
	*p++ = '"';
	return p;
}

/* Codes joined by spaces as an array of strings: at most 6 × n + 2 (a space: '", "'). */
static char *json_list(char *p, const char *v, size_t n)
{
	size_t i = 0, j;

	*p++ = '[';
	while (i < n) {
		for (j = i; j < n && v[j] != ' '; j++)
			;
		if (i > 0) {
			memcpy(p, ", ", 2);
			p += 2;
		}
		p = json_text(p, v + i, j - i);
		for (i = j; i < n && v[i] == ' '; i++)
			;
	}
	*p++ = ']';
	return p;
}

/* Row r's JSON object: keys (each column's '"key": ') and at most 6 × its bytes + 8 per field. */
static char *json_row(char *p, const struct report_table *t, const struct field *fl,
                      const char *keys, const size_t *key_at, int last)
{
	size_t c;

	memcpy(p, "    {", 5);
	p += 5;
	for (c = 0; c < t->ncolumns; c++) {
		const char *v = fl[c].v;
		size_t n = fl[c].n;

		memcpy(p, keys + key_at[c], key_at[c + 1] - key_at[c]);
		p += key_at[c + 1] - key_at[c];
		if (v == NULL) {
			memcpy(p, "null", 4);
			p += 4;
			continue;
		}
		switch (t->columns[c].kind) {
		case REPORT_INT:
		case REPORT_NUM:
			memcpy(p, v, n);
			p += n;
			break;
		case REPORT_BOOL:
			p = put_bool(p, v);
			break;
		case REPORT_TEXT:
			p = json_text(p, v, n);
			break;
		case REPORT_LIST:
			p = json_list(p, v, n);
			break;
		}
	}
	memcpy(p, last ? "}\n" : "},\n", last ? 2 : 3);
	return p + (last ? 2 : 3);
}

/* Write what o's batch holds once it is full (or, with all, whatever it holds). */
static int flush(struct out *o, int all, struct hx_error *err)
{
	if (o->f == NULL || (!all && o->b.len < REPORT_PUT_BATCH))
		return 0;
	if (report_put(o->f, o->path, o->b.data, o->b.len, o->sha, err) < 0)
		return -1;
	hx_buf_reset(&o->b);
	return 0;
}

int report_rows_write(FILE *csv, const char *csv_path, struct hx_sha256 *csv_sha, FILE *json,
                      const char *json_path, struct hx_sha256 *json_sha,
                      const struct report_table *t, const PGresult *res, const int *order,
                      int excel, const struct report_status *st, struct hx_error *err)
{
	struct out oc = {csv, csv_path, csv_sha, {0}}, oj = {json, json_path, json_sha, {0}};
	const char *first_path = csv != NULL ? csv_path : json_path;
	struct field *fl = hx_calloc(t->ncolumns + 1, sizeof *fl);
	unsigned char *verify = hx_calloc(t->ncolumns + 1, 1);
	size_t *key_at = hx_calloc(t->ncolumns + 1, sizeof *key_at);
	struct hx_buf keys;
	int r, nrows = PQntuples(res), rc = -1;
	size_t c;

	hx_buf_init(&oc.b, BUF_MAX);
	hx_buf_init(&oj.b, BUF_MAX);
	hx_buf_init(&keys, ROW_MAX);
	/* CSV: the byte order mark for Excel, the header of column names. */
	if (csv != NULL) {
		if (excel && hx_buf_append(&oc.b, utf8_bom, sizeof utf8_bom) < 0)
			goto too_long;
		for (c = 0; c < t->ncolumns; c++)
			if ((c > 0 && hx_buf_putc(&oc.b, excel ? ';' : ',') < 0) ||
			    hx_buf_puts(&oc.b, t->columns[c].name) < 0)
				goto too_long;
		if (hx_buf_putc(&oc.b, '\n') < 0)
			goto too_long;
	}
	/* JSON: the header, and each column's '"key": ' (after ", " but the first) once. */
	if (json != NULL) {
		for (c = 0; c < t->ncolumns; c++) {
			key_at[c] = keys.len;
			if ((c > 0 && hx_buf_puts(&keys, ", ") < 0) ||
			    report_json_string(&keys, t->columns[c].name) < 0 ||
			    hx_buf_puts(&keys, ": ") < 0)
				goto too_long;
		}
		key_at[c] = keys.len;
		if (hx_buf_puts(&oj.b, "{\n") < 0 ||
		    report_json_time(&oj.b, "generated_at", st->generated_at) < 0 ||
		    report_json_time(&oj.b, "data_as_of", st->data_as_of) < 0 ||
		    hx_buf_puts(&oj.b, nrows > 0 ? "  \"rows\": [\n" : "  \"rows\": []\n") < 0)
			goto too_long;
	}
	/*
	 * A number column's text is checked to be a plain decimal, unless the
	 * server sent it as smallint, integer or bigint, whose text is nothing
	 * else (a numeric can be NaN or Infinity).
	 */
	for (c = 0; c < t->ncolumns; c++) {
		Oid type = PQftype(res, (int)c);

		verify[c] = (t->columns[c].kind == REPORT_INT || t->columns[c].kind == REPORT_NUM) &&
		            !(PQfformat(res, (int)c) == 0 &&
		              (type == INT2_OID || type == INT4_OID || type == INT8_OID));
	}
	for (r = 0; r < nrows; r++) {
		int src = order != NULL ? order[r] : r;
		size_t total = 0, need;
		char *p;

		for (c = 0; c < t->ncolumns; c++) {
			fl[c].v = PQgetvalue(res, src, (int)c);
			fl[c].n = (size_t)PQgetlength(res, src, (int)c);
			/* (a NULL is an empty value: only those are asked) */
			if (fl[c].n == 0 && PQgetisnull(res, src, (int)c)) {
				fl[c].v = NULL;
				continue;
			}
			total += fl[c].n;
			if (verify[c] && report_check_number(fl[c].v, t->columns[c].kind, err) < 0) {
				hx_error_prefix(err, t->columns[c].name);
				hx_error_detail(err, "writing %s, row %d", first_path, r + 1);
				goto done;
			}
		}
		if (total > ROW_MAX)
			goto too_long;
		if (csv != NULL) {
			need = 2 * total + 3 * t->ncolumns + 1;
			if (hx_buf_reserve(&oc.b, need) < 0)
				goto too_long;
			p = csv_row(oc.b.data + oc.b.len, t, fl, excel);
			if ((size_t)(p - (oc.b.data + oc.b.len)) > ROW_MAX)
				goto too_long;
			oc.b.len = (size_t)(p - oc.b.data);
			oc.b.data[oc.b.len] = '\0';
			if (flush(&oc, 0, err) < 0)
				goto done;
		}
		if (json != NULL) {
			need = keys.len + 6 * total + 8 * t->ncolumns + 8;
			if (hx_buf_reserve(&oj.b, need) < 0)
				goto too_long;
			p = json_row(oj.b.data + oj.b.len, t, fl, keys.data, key_at, r + 1 == nrows);
			if ((size_t)(p - (oj.b.data + oj.b.len)) > ROW_MAX)
				goto too_long;
			oj.b.len = (size_t)(p - oj.b.data);
			oj.b.data[oj.b.len] = '\0';
			if (flush(&oj, 0, err) < 0)
				goto done;
		}
	}
	if (json != NULL && hx_buf_puts(&oj.b, nrows > 0 ? "  ]\n}\n" : "}\n") < 0)
		goto too_long;
	if (flush(&oc, 1, err) < 0 || flush(&oj, 1, err) < 0)
		goto done;
	rc = 0;
	goto done;

too_long:
	hx_error_set(err, HX_SOFTWARE, "%s: a row is longer than %u bytes", first_path, ROW_MAX);
done:
	hx_buf_free(&oc.b);
	hx_buf_free(&oj.b);
	hx_buf_free(&keys);
	free(key_at);
	free(fl);
	free(verify);
	return rc;
}
