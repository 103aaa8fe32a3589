/*
 * jsonout.c — a query result as a JSON file.
 *
 * The JSON is written here, not through jansson, because jansson keeps real
 * numbers as doubles: 70.68 would come out as 70.680000000000007 or need a
 * precision that is wrong for other values.  Numbers are copied digit for
 * digit from PostgreSQL's text, exactly as in the CSV ("0.10" stays 0.10,
 * which is valid JSON), strings are escaped per RFC 8259 with UTF-8 kept as
 * is, and each row's keys come in the CSV's column order.  Layout: the
 * header keys, then one row object per line, so that files diff well.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "report.h"
#include "sha256.h"

#define ROW_MAX (4u << 20)

/* The escape of a byte JSON cannot hold as is (a quote, a backslash, a control character). */
static int json_escape(struct hx_buf *b, unsigned char c)
{
	switch (c) {
	case '"':
		return hx_buf_puts(b, "\\\"");
	case '\\':
		return hx_buf_puts(b, "\\\\");
	case '\n':
		return hx_buf_puts(b, "\\n");
	case '\r':
		return hx_buf_puts(b, "\\r");
	case '\t':
		return hx_buf_puts(b, "\\t");
	default:
		return hx_buf_printf(b, "\\u%04x", (unsigned)c);
	}
}

/* Runs of bytes that need no escape are copied whole: a country's files hold 330 MiB of them. */
int report_json_string(struct hx_buf *b, const char *s)
{
	const char *run = s, *p;
	int rc = hx_buf_putc(b, '"');

	for (p = s; *p && rc == 0; p++) {
		unsigned char c = (unsigned char)*p;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		rc = hx_buf_append(b, run, (size_t)(p - run));
		if (rc == 0)
			rc = json_escape(b, c);
		run = p + 1;
	}
	if (rc == 0)
		rc = hx_buf_append(b, run, (size_t)(p - run));
	return rc == 0 ? hx_buf_putc(b, '"') : -1;
}

/* Codes joined by single spaces, as a JSON array of strings ("" is []). */
static int json_list(struct hx_buf *b, const char *value)
{
	const char *p = value;
	int rc = hx_buf_putc(b, '[');

	while (rc == 0 && *p) {
		size_t n = strcspn(p, " ");
		char *item = hx_strndup(p, n);

		if (p != value)
			rc = hx_buf_puts(b, ", ");
		if (rc == 0)
			rc = report_json_string(b, item);
		free(item);
		p += n;
		while (*p == ' ')
			p++;
	}
	return rc == 0 ? hx_buf_putc(b, ']') : -1;
}

int report_json_value(struct hx_buf *b, const char *value, enum report_kind kind,
                      struct hx_error *err)
{
	int rc = 0;

	if (value == NULL)
		rc = hx_buf_puts(b, "null");
	else
		switch (kind) {
		case REPORT_INT:
		case REPORT_NUM:
			if (report_check_number(value, kind, err) < 0)
				return -1;
			rc = hx_buf_puts(b, value);
			break;
		case REPORT_BOOL:
			rc = hx_buf_puts(b, strcmp(value, "t") == 0 ? "true" : "false");
			break;
		case REPORT_TEXT:
			rc = report_json_string(b, value);
			break;
		case REPORT_LIST:
			rc = json_list(b, value);
			break;
		}
	if (rc < 0)
		return hx_error_set(err, HX_SOFTWARE, "a row is longer than %u bytes", ROW_MAX);
	return 0;
}

int report_json_time(struct hx_buf *b, const char *key, const char *ts)
{
	if (hx_buf_printf(b, "  \"%s\": ", key) < 0)
		return -1;
	if ((ts[0] ? report_json_string(b, ts) : hx_buf_puts(b, "null")) < 0)
		return -1;
	return hx_buf_puts(b, ",\n");
}

int report_json_write(FILE *f, const char *path, const struct report_table *t,
                      const PGresult *res, const int *order, const struct report_status *st,
                      struct hx_sha256 *sha, struct hx_error *err)
{
	return report_rows_write(NULL, NULL, NULL, f, path, sha, t, res, order, 0, st, err);
}
