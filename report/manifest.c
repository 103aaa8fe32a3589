/*
 * manifest.c — manifest.json: what a run was made from and what it wrote
 * (docs/design.md §6), so that a reader can check every file: the hoctap and
 * schema versions, when, the data's age, the years compared, every input
 * file with its sha256 (mart.inputs) and every output with its row count
 * and sha256.  Written like the other JSON files: exact text, fixed key
 * order, one list entry per line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "lengthof.h"
#include "report.h"
#include "sha256.h"
#include "sqlfiles.h"

#ifndef HOCTAP_VERSION
#error "HOCTAP_VERSION must be defined by the build"
#endif

#define MANIFEST_MAX (64u << 20)

int report_sha256_file(const char *path, char hex[65], struct hx_error *err)
{
	unsigned char block[65536];
	struct hx_sha256 s;
	FILE *f = fopen(path, "rb");
	size_t n;
	int rc = 0;

	if (f == NULL)
		return hx_error_set(err, HX_CANTCREAT, "cannot read back \"%s\": %s", path,
		                    strerror(errno));
	hx_sha256_init(&s);
	while ((n = fread(block, 1, sizeof block, f)) > 0)
		hx_sha256_update(&s, block, n);
	if (ferror(f))
		rc = hx_error_set(err, HX_CANTCREAT, "cannot read back \"%s\": %s", path,
		                  strerror(errno));
	fclose(f);
	hx_sha256_final_hex(&s, hex);
	return rc;
}

/* The inputs list from mart.inputs, one object per line. */
static int put_inputs(PGconn *conn, struct hx_buf *b, struct hx_error *err)
{
	static const struct report_column cols[] = {
		{"file_id", REPORT_INT}, {"name", REPORT_TEXT},   {"sha256", REPORT_TEXT},
		{"size_bytes", REPORT_INT}, {"status", REPORT_TEXT}, {"ingested_at", REPORT_TEXT},
	};
	const char *sql = hx_sql_script("report/inputs.sql");
	PGresult *res;
	int r, n, rc = -1;
	size_t c;

	if (sql == NULL)
		return hx_error_set(err, HX_SOFTWARE, "sql/report/inputs.sql is missing from this build");
	res = hx_db_query(conn, err, sql, 0, NULL);
	if (res == NULL)
		return -1;
	if ((size_t)PQnfields(res) != lengthof(cols)) {
		hx_error_set(err, HX_SOFTWARE, "sql/report/inputs.sql returns %d columns",
		             PQnfields(res));
		goto done;
	}
	n = PQntuples(res);
	if (hx_buf_puts(b, n > 0 ? "  \"inputs\": [\n" : "  \"inputs\": [],\n") < 0)
		goto too_long;
	for (r = 0; r < n; r++) {
		if (hx_buf_puts(b, "    {") < 0)
			goto too_long;
		for (c = 0; c < lengthof(cols); c++) {
			const char *v = PQgetisnull(res, r, (int)c) ? NULL : PQgetvalue(res, r, (int)c);

			if (hx_buf_printf(b, "%s\"%s\": ", c > 0 ? ", " : "", cols[c].name) < 0)
				goto too_long;
			if (report_json_value(b, v, cols[c].kind, err) < 0)
				goto done;
		}
		if (hx_buf_puts(b, r + 1 < n ? "},\n" : "}\n  ],\n") < 0)
			goto too_long;
	}
	rc = 0;
	goto done;

too_long:
	hx_error_set(err, HX_SOFTWARE, "manifest.json would exceed %u bytes", MANIFEST_MAX);
done:
	PQclear(res);
	return rc;
}

int report_manifest_write(PGconn *conn, FILE *f, const char *path,
                          const struct report_status *st, const struct report_opts *opts,
                          const struct report_written *out, size_t nout, struct hx_error *err)
{
	struct hx_buf b;
	size_t i;
	int rc = -1;

	hx_buf_init(&b, MANIFEST_MAX);
	if (hx_buf_puts(&b, "{\n  \"version\": ") < 0 || report_json_string(&b, HOCTAP_VERSION) < 0 ||
	    hx_buf_printf(&b, ",\n  \"schema_version\": %d,\n", st->schema_version) < 0 ||
	    report_json_time(&b, "generated_at", st->generated_at) < 0 ||
	    report_json_time(&b, "data_as_of", st->data_as_of) < 0 ||
	    report_json_time(&b, "transformed_at", st->transformed_at) < 0 ||
	    hx_buf_printf(&b, "  \"compare\": {\"year_a\": %d, \"year_b\": %d},\n", opts->year_a,
	                  opts->year_b) < 0)
		goto too_long;
	if (put_inputs(conn, &b, err) < 0)
		goto done;
	if (hx_buf_puts(&b, nout > 0 ? "  \"outputs\": [\n" : "  \"outputs\": []\n") < 0)
		goto too_long;
	for (i = 0; i < nout; i++) {
		if (hx_buf_puts(&b, "    {\"name\": ") < 0 || report_json_string(&b, out[i].name) < 0 ||
		    hx_buf_printf(&b, ", \"format\": \"%s\", \"rows\": %d, \"sha256\": \"%s\"}%s\n",
		                  out[i].format, out[i].rows, out[i].sha256,
		                  i + 1 < nout ? "," : "") < 0)
			goto too_long;
	}
	if (hx_buf_puts(&b, nout > 0 ? "  ]\n}\n" : "}\n") < 0)
		goto too_long;
	rc = report_put(f, path, b.data, b.len, NULL, err);
	goto done;

too_long:
	hx_error_set(err, HX_SOFTWARE, "manifest.json would exceed %u bytes", MANIFEST_MAX);
done:
	hx_buf_free(&b);
	return rc;
}
