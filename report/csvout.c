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
	return report_rows_write(f, path, sha, NULL, NULL, NULL, t, res, order, excel, NULL, err);
}
