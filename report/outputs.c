/*
 * outputs.c — one report run: every file of DESIGN.md §6 in every format
 * asked for, from one snapshot, published all together or not at all.
 *
 * Order of work: open the snapshot; recheck every rate of the marts against
 * its fraction (check.c); for each table run its query and write
 * its CSV and JSON into the run's temporary directory, hashing each file
 * as written to disk; write manifest.json last; then rename everything into
 * the output directory (manifest.json last, so a reader who finds a new
 * manifest finds the files it describes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "report.h"

/* Write one table's result as format fmt into the temporary directory. */
static int write_one(struct report_outdir *od, const struct report_table *t, const PGresult *res,
                     int fmt, const struct report_opts *opts, const struct report_status *st,
                     struct report_written *w, struct hx_error *err)
{
	const char *path = NULL;
	FILE *f;
	int rc;

	memset(w, 0, sizeof *w);
	snprintf(w->name, sizeof w->name, "%s.%s", t->name, fmt == REPORT_CSV ? "csv" : "json");
	w->format = fmt == REPORT_CSV ? "csv" : "json";
	w->rows = PQntuples(res);
	f = report_outdir_create(od, w->name, &path, err);
	if (f == NULL)
		return -1;
	if (fmt == REPORT_CSV)
		rc = report_csv_write(f, path, t, res, opts->excel, err);
	else
		rc = report_json_write(f, path, t, res, st, err);
	if (report_outdir_close(f, path, rc < 0 ? NULL : err) < 0)
		rc = -1;
	if (rc == 0)
		rc = report_sha256_file(path, w->sha256, err);
	return rc;
}

int report_write_all(PGconn *conn, const struct report_opts *opts, struct hx_error *err)
{
	struct report_written written[16];
	struct report_outdir od;
	struct report_status st;
	size_t nwritten = 0, i;
	PGresult *res = NULL;
	const char *path = NULL;
	FILE *f;
	int in_snapshot = 0, rc = -1;

	memset(&od, 0, sizeof od);
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
	if (2 * report_ntables > sizeof written / sizeof written[0]) {
		hx_error_set(err, HX_SOFTWARE, "more output files than the manifest can list");
		goto done;
	}
	for (i = 0; i < report_ntables; i++) {
		const struct report_table *t = &report_tables[i];

		res = report_table_query(conn, t, opts, err);
		if (res == NULL)
			goto done;
		hx_log_debug("%s: %d rows", t->name, PQntuples(res));
		if ((opts->formats & REPORT_CSV) &&
		    write_one(&od, t, res, REPORT_CSV, opts, &st, &written[nwritten++], err) < 0)
			goto done;
		if ((opts->formats & REPORT_JSON) &&
		    write_one(&od, t, res, REPORT_JSON, opts, &st, &written[nwritten++], err) < 0)
			goto done;
		PQclear(res);
		res = NULL;
	}
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
	PQclear(res);
	if (in_snapshot)
		report_snapshot_end(conn);
	if (rc < 0)
		report_outdir_discard(&od);
	return rc;
}
