/*
 * outputs.c — one report run: every file of docs/design.md §6 in every format
 * asked for, from one snapshot, published all together or not at all.
 *
 * Order of work: open the snapshot; recheck every rate of the marts against
 * its fraction (check.c); run every table's query, writing each table's CSV
 * and JSON while the next one runs, then the workbook and the page (which
 * need every table at once) into the run's temporary directory, hashing
 * each file's bytes as they are written (the workbook, which libxlsxwriter
 * writes, once it is on disk); write manifest.json last; then rename
 * everything into the output directory (manifest.json last, so a reader
 * who finds a new manifest finds the files it describes).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "doc.h"
#include "i18n.h"
#include "lengthof.h"
#include "log.h"
#include "report.h"
#include "sha256.h"
#include "sqlfiles.h"

/* Write one table's result as format fmt into the temporary directory. */
static int write_one(struct report_outdir *od, const struct report_table *t, const PGresult *res,
                     int fmt, const struct report_opts *opts, const struct report_status *st,
                     struct report_written *w, struct hx_error *err)
{
	const char *path = NULL;
	struct hx_sha256 sha;
	FILE *f;
	int rc;

	memset(w, 0, sizeof *w);
	snprintf(w->name, sizeof w->name, "%s.%s", t->name, fmt == REPORT_CSV ? "csv" : "json");
	w->format = fmt == REPORT_CSV ? "csv" : "json";
	w->rows = PQntuples(res);
	f = report_outdir_create(od, w->name, &path, err);
	if (f == NULL)
		return -1;
	hx_sha256_init(&sha);
	if (fmt == REPORT_CSV)
		rc = report_csv_write(f, path, t, res, opts->excel, &sha, err);
	else
		rc = report_json_write(f, path, t, res, st, &sha, err);
	if (report_outdir_close(f, path, rc < 0 ? NULL : err) < 0)
		rc = -1;
	/* The digest of the bytes as written: the file is not read back. */
	hx_sha256_final_hex(&sha, w->sha256);
	return rc;
}

PGresult *report_data_table(const struct report_data *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->ntables; i++)
		if (strcmp(report_tables[i].name, name) == 0)
			return d->res[i];
	return NULL;
}

int report_data_col(const PGresult *res, const char *key)
{
	/*
	 * The page looks columns up by name row after row; PQfnumber copies and
	 * folds the name each time, so remember the last answers (a whole
	 * country's page spent seconds there).  A run's results live until
	 * its end, so an address names one result while it is looked up.
	 */
	static struct {
		const PGresult *res;
		char key[48];
		int col;
	} cache[64];
	size_t h = ((size_t)(uintptr_t)res >> 4), n = strlen(key);
	const char *k;

	if (res == NULL)
		return -1;
	for (k = key; *k; k++)
		h = h * 31 + (unsigned char)*k;
	h %= lengthof(cache);
	if (cache[h].res == res && strcmp(cache[h].key, key) == 0)
		return cache[h].col;
	if (n >= sizeof cache[h].key)
		return PQfnumber(res, key);
	cache[h].res = res;
	memcpy(cache[h].key, key, n + 1);
	cache[h].col = PQfnumber(res, key);
	return cache[h].col;
}

const char *report_data_val(const PGresult *res, int r, int col)
{
	if (res == NULL || col < 0 || PQgetisnull(res, r, col))
		return NULL;
	return PQgetvalue(res, r, col);
}

/* A query of the documents (no parameters), or NULL with err. */
static PGresult *doc_query(PGconn *conn, const char *script, struct hx_error *err)
{
	const char *sql = hx_sql_script(script);
	PGresult *res;

	if (sql == NULL) {
		hx_error_set(err, HX_SOFTWARE, "sql/%s is missing from this build", script);
		return NULL;
	}
	res = hx_db_query(conn, err, sql, 0, NULL);
	if (res == NULL)
		hx_error_prefix(err, script);
	return res;
}

/* hoctap.xlsx into the temporary directory. */
static int write_xlsx(struct report_outdir *od, const struct report_data *d,
                      struct report_written *w, struct hx_error *err)
{
	const char *path = NULL;
	FILE *f;

	memset(w, 0, sizeof *w);
	snprintf(w->name, sizeof w->name, "hoctap.xlsx");
	w->format = "xlsx";
	/* Created here (mode 0644, listed for the rename), then written by libxlsxwriter. */
	f = report_outdir_create(od, w->name, &path, err);
	if (f == NULL)
		return -1;
	if (report_outdir_close(f, path, err) < 0 ||
	    report_xlsx_write(path, od->tmpdir, d, &w->rows, err) < 0)
		return -1;
	return report_sha256_file(path, w->sha256, err);
}

/* index.html into the temporary directory. */
static int write_html(struct report_outdir *od, const struct report_data *d,
                      struct report_written *w, struct hx_error *err)
{
	const char *path = NULL;
	struct hx_sha256 sha;
	FILE *f;
	int rc;

	memset(w, 0, sizeof *w);
	snprintf(w->name, sizeof w->name, "index.html");
	w->format = "html";
	f = report_outdir_create(od, w->name, &path, err);
	if (f == NULL)
		return -1;
	hx_sha256_init(&sha);
	rc = report_html_write(f, path, d, &w->rows, &sha, err);
	if (report_outdir_close(f, path, rc < 0 ? NULL : err) < 0)
		rc = -1;
	hx_sha256_final_hex(&sha, w->sha256);
	return rc;
}

int report_write_all(PGconn *conn, const struct report_opts *opts, struct hx_error *err)
{
	struct report_written written[24];
	struct report_data data;
	struct report_outdir od;
	struct report_status st;
	size_t nwritten = 0, i;
	const char *path = NULL;
	FILE *f;
	int in_snapshot = 0, pending = 0, rc = -1;

	memset(&od, 0, sizeof od);
	memset(&data, 0, sizeof data);
	data.opts = opts;
	data.st = &st;
	if (report_outdir_open(&od, opts->outdir, err) < 0)
		return -1;
	if (report_snapshot_begin(conn, &st, err) < 0)
		goto done;
	in_snapshot = 1;
	if (report_check_ready(conn, opts, err) < 0)
		goto done;
	if (st.data_as_of[0] == '\0' && st.transformed_at[0] == '\0')
		hx_log_warning("the marts have never been built: the files will be empty");
	if (report_check_marts(conn, err) < 0)
		goto done;
	if (2 * report_ntables + 2 > lengthof(written) || report_ntables > lengthof(data.res)) {
		hx_error_set(err, HX_SOFTWARE, "more output files than the manifest can list");
		goto done;
	}
	/*
	 * Each table's query runs on the server while the client writes the
	 * table before it (for a country, seconds on each side).  Every result
	 * is kept: the workbook and the page need them all at once.
	 */
	if (report_table_send(conn, &report_tables[0], opts, err) < 0)
		goto done;
	pending = 1;
	for (i = 0; i < report_ntables; i++) {
		const struct report_table *t = &report_tables[i];

		data.res[i] = report_table_receive(conn, t, err);
		pending = 0;
		if (data.res[i] == NULL)
			goto done;
		data.ntables = i + 1;
		hx_log_debug("%s: %d rows", t->name, PQntuples(data.res[i]));
		if (i + 1 < report_ntables) {
			if (report_table_send(conn, &report_tables[i + 1], opts, err) < 0)
				goto done;
			pending = 1;
		}
		if ((opts->formats & REPORT_CSV) &&
		    write_one(&od, t, data.res[i], REPORT_CSV, opts, &st, &written[nwritten++], err) < 0)
			goto done;
		if ((opts->formats & REPORT_JSON) &&
		    write_one(&od, t, data.res[i], REPORT_JSON, opts, &st, &written[nwritten++], err) < 0)
			goto done;
	}
	if (opts->formats & (REPORT_XLSX | REPORT_HTML)) {
		data.inputs = doc_query(conn, "report/inputs.sql", err);
		if (data.inputs == NULL)
			goto done;
		data.names = doc_query(conn, "report/unit_names.sql", err);
		if (data.names == NULL)
			goto done;
	}
	if ((opts->formats & REPORT_XLSX) && write_xlsx(&od, &data, &written[nwritten++], err) < 0)
		goto done;
	if ((opts->formats & REPORT_HTML) && !opts->compare_given &&
	    !report_html_has_figures(&data))
		hx_log_warning(_("no province has figures yet: index.html is not written"));
	else if ((opts->formats & REPORT_HTML) &&
	         write_html(&od, &data, &written[nwritten++], err) < 0)
		goto done;
	f = report_outdir_create(&od, "manifest.json", &path, err);
	if (f == NULL)
		goto done;
	rc = report_manifest_write(conn, f, path, &st, opts, written, nwritten, err);
	if (report_outdir_close(f, path, rc < 0 ? NULL : err) < 0 || rc < 0) {
		rc = -1;
		goto done;
	}
	report_snapshot_end(conn);
	in_snapshot = 0;
	rc = report_outdir_commit(&od, err);
	if (rc == 0)
		hx_log_info("wrote %zu files and manifest.json into %s", nwritten, opts->outdir);

done:
	if (pending)
		PQclear(hx_db_receive(conn, NULL));
	for (i = 0; i < data.ntables; i++)
		PQclear(data.res[i]);
	PQclear(data.inputs);
	PQclear(data.names);
	if (in_snapshot)
		report_snapshot_end(conn);
	if (rc < 0)
		report_outdir_discard(&od);
	return rc;
}
