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
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "db.h"
#include "doc.h"
#include "i18n.h"
#include "lengthof.h"
#include "log.h"
#include "report.h"
#include "sha256.h"
#include "sqlfiles.h"

/*
 * The work of one run, shared by the threads of its connections: the
 * queries not yet taken, and the files they write into (the list of files
 * in od is the one thing they change together).
 */
struct run {
	struct report_outdir *od;
	const struct report_opts *opts;
	const struct report_status *st;
	struct report_data *data;
	/* Each table's published order (report_order), NULL for its own. */
	int *order[REPORT_MAX_TABLES];
	int rows[REPORT_MAX_TABLES]; /* each table's, once written */
	struct report_check check[REPORT_MAX_TABLES]; /* each table's figures rechecked */
	/* Two per table, its CSV then its JSON; set: which were written. */
	struct report_written written[2 * REPORT_MAX_TABLES];
	unsigned char set[2 * REPORT_MAX_TABLES];
	pthread_mutex_t lock; /* guards the members below and od's list */
	pthread_cond_t ready_cv; /* a table received, a connection done, or a failure */
	size_t next;          /* the first job of jobs not yet taken */
	int failed;           /* a job failed: no other is started */
	struct hx_error err;  /* the first failure's */
	/* The tables received and not yet written (ready[taken..nready-1]). */
	int ready[REPORT_MAX_TABLES];
	size_t nready, taken;
	int receiving;        /* connections still receiving */
};

/*
 * Table job's CSV and JSON, as the run's formats ask, into the temporary
 * directory, in one pass over its rows.
 */
static int write_files(struct run *run, int job, struct hx_error *err)
{
	static const char *const ext[2] = {"csv", "json"};
	static const int fmt[2] = {REPORT_CSV, REPORT_JSON};
	const struct report_table *t = &report_tables[job];
	const PGresult *res = run->data->res[job];
	struct report_written *w[2] = {NULL, NULL};
	const char *path[2] = {NULL, NULL};
	struct hx_sha256 sha[2];
	FILE *f[2] = {NULL, NULL};
	int i, rc = -1;

	for (i = 0; i < 2; i++) {
		if (!(run->opts->formats & fmt[i]))
			continue;
		w[i] = &run->written[2 * (size_t)job + (size_t)i];
		memset(w[i], 0, sizeof *w[i]);
		snprintf(w[i]->name, sizeof w[i]->name, "%s.%s", t->name, ext[i]);
		w[i]->format = ext[i];
		w[i]->rows = PQntuples(res);
		pthread_mutex_lock(&run->lock);
		f[i] = report_outdir_create(run->od, w[i]->name, &path[i], err);
		pthread_mutex_unlock(&run->lock);
		if (f[i] == NULL)
			goto done;
		hx_sha256_init(&sha[i]);
	}
	rc = report_rows_write(f[0], path[0], f[0] != NULL ? &sha[0] : NULL, f[1], path[1],
	                       f[1] != NULL ? &sha[1] : NULL, t, res, run->order[job],
	                       run->opts->excel, run->st, err);
done:
	for (i = 0; i < 2; i++) {
		if (f[i] == NULL)
			continue;
		if (report_outdir_close(f[i], path[i], rc < 0 ? NULL : err) < 0)
			rc = -1;
		/* The digest of the bytes as written: the file is not read back. */
		hx_sha256_final_hex(&sha[i], w[i]->sha256);
	}
	for (i = 0; i < 2 && rc == 0; i++)
		run->set[2 * (size_t)job + (size_t)i] = f[i] != NULL;
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

/*
 * The tables in the order their jobs are taken, most work first (the
 * server's query and the client's writing, measured on the country's
 * data, bench/units), so that the two connections end together.  A table
 * missing here is taken last.
 */
#define JOB_NONE (-1)
static const char *const job_order[] = {"rankings", "rates", "comparison", "completeness",
                                        "targets", "findings", "funds"};

/* Place of table j in job_order (lengthof(job_order) when it is not there). */
static size_t job_place(size_t j)
{
	size_t i;

	for (i = 0; i < lengthof(job_order); i++)
		if (strcmp(report_tables[j].name, job_order[i]) == 0)
			break;
	return i;
}

/* The table of the k-th job: the k-th in job_order's order, report_tables' among equals. */
static int job_at(size_t k)
{
	size_t p, j, n = 0;

	for (p = 0; p <= lengthof(job_order); p++)
		for (j = 0; j < report_ntables; j++)
			if (job_place(j) == p && n++ == k)
				return (int)j;
	return JOB_NONE;
}

/* The next job not yet taken, or JOB_NONE when none is left (or one failed). */
static int take_job(struct run *run)
{
	int job = JOB_NONE;

	pthread_mutex_lock(&run->lock);
	if (!run->failed && run->next < report_ntables)
		job = job_at(run->next++);
	pthread_mutex_unlock(&run->lock);
	return job;
}

static void fail_run(struct run *run, const struct hx_error *err)
{
	pthread_mutex_lock(&run->lock);
	if (!run->failed) {
		run->failed = 1;
		run->err = *err;
	}
	pthread_cond_broadcast(&run->ready_cv);
	pthread_mutex_unlock(&run->lock);
}

/* Table job is received: a writer may take it. */
static void put_ready(struct run *run, int job)
{
	pthread_mutex_lock(&run->lock);
	run->ready[run->nready++] = job;
	pthread_cond_signal(&run->ready_cv);
	pthread_mutex_unlock(&run->lock);
}

/* A connection has received all it will. */
static void end_receiving(struct run *run)
{
	pthread_mutex_lock(&run->lock);
	run->receiving--;
	pthread_cond_broadcast(&run->ready_cv);
	pthread_mutex_unlock(&run->lock);
}

/*
 * The next table to write, waiting for one while a connection is still
 * receiving; JOB_NONE when every table is written or the run failed.
 */
static int take_ready(struct run *run)
{
	int job = JOB_NONE;

	pthread_mutex_lock(&run->lock);
	while (!run->failed && run->taken == run->nready && run->receiving > 0)
		pthread_cond_wait(&run->ready_cv, &run->lock);
	if (!run->failed && run->taken < run->nready)
		job = run->ready[run->taken++];
	pthread_mutex_unlock(&run->lock);
	return job;
}

static int send_job(PGconn *conn, struct run *run, int job, struct hx_error *err)
{
	return report_table_send(conn, &report_tables[job], run->opts, err);
}

/* Wait for job's result, kept in run->data. */
static int receive_job(PGconn *conn, struct run *run, int job, struct hx_error *err)
{
	run->data->res[job] = report_table_receive(conn, &report_tables[job], err);
	return run->data->res[job] != NULL ? 0 : -1;
}

/*
 * A table received: recheck the figures it publishes (run->check), find
 * its published order (run->order), then write its CSV and JSON, as the
 * run's formats ask.
 */
static int write_job(struct run *run, int job, struct hx_error *err)
{
	const struct report_table *t = &report_tables[job];

	if (report_check_table(t, run->data->res[job], &run->check[job], err) < 0 ||
	    report_order(run->data->res[job], t, &run->order[job], err) < 0)
		return -1;
	if ((run->opts->formats & (REPORT_CSV | REPORT_JSON)) && write_files(run, job, err) < 0)
		return -1;
	run->rows[job] = PQntuples(run->data->res[job]);
	/*
	 * Without a document to write, the rows are done with: their memory
	 * goes to the next result (a country's are hundreds of megabytes).
	 */
	if (!(run->opts->formats & (REPORT_XLSX | REPORT_HTML))) {
		PQclear(run->data->res[job]);
		run->data->res[job] = NULL;
		free(run->order[job]);
		run->order[job] = NULL;
	}
	return 0;
}

struct worker {
	struct run *run;
	PGconn *conn; /* a receiver's; NULL for a writer */
};

/*
 * One connection's share of the run: take a job, send the next one as
 * soon as this one's rows are in, and leave the rest to the writers (the
 * recheck, the order, the files), so that the server never waits for the
 * client's work on a table.
 */
static void *receive_all(void *arg)
{
	struct worker *w = arg;
	struct run *run = w->run;
	struct hx_error err;
	int cur, next;

	hx_error_clear(&err);
	cur = take_job(run);
	if (cur != JOB_NONE && send_job(w->conn, run, cur, &err) < 0)
		goto fail;
	while (cur != JOB_NONE) {
		if (receive_job(w->conn, run, cur, &err) < 0)
			goto fail;
		next = take_job(run);
		if (next != JOB_NONE && send_job(w->conn, run, next, &err) < 0)
			goto fail;
		put_ready(run, cur);
		cur = next;
	}
	end_receiving(run);
	return NULL;

fail:
	fail_run(run, &err);
	end_receiving(run);
	return NULL;
}

/* Write the tables' files as they come in. */
static void *write_all(void *arg)
{
	struct worker *w = arg;
	struct run *run = w->run;
	struct hx_error err;
	int job;

	hx_error_clear(&err);
	while ((job = take_ready(run)) != JOB_NONE)
		if (write_job(run, job, &err) < 0) {
			fail_run(run, &err);
			break;
		}
	return NULL;
}

/*
 * A second connection in the run's snapshot, or NULL (then everything runs
 * on the first: the files are the same, only slower).
 */
static PGconn *second_connection(PGconn *conn, const struct report_opts *opts)
{
	struct hx_error err;
	char id[64];
	PGconn *c2;

	hx_error_clear(&err);
	if (report_snapshot_export(conn, id, sizeof id, &err) < 0) {
		hx_log_debug("one connection: %s", err.msg);
		return NULL;
	}
	c2 = hx_db_connect(opts->conninfo, "hoctap-report", &err);
	if (c2 == NULL || report_snapshot_import(c2, id, &err) < 0) {
		hx_log_debug("one connection: %s", err.msg);
		PQfinish(c2);
		return NULL;
	}
	return c2;
}

int report_write_all(PGconn *conn, const struct report_opts *opts, struct hx_error *err)
{
	struct report_written written[2 * REPORT_MAX_TABLES + 2];
	struct report_data data;
	struct report_outdir od;
	struct report_status st;
	struct run *run = NULL;
	struct worker r1, r2, wr;
	pthread_t threads[3];
	int nthreads = 0, k;
	PGconn *conn2 = NULL;
	size_t nwritten = 0, i;
	const char *path = NULL;
	FILE *f;
	int in_snapshot = 0, rc = -1;

	memset(&od, 0, sizeof od);
	memset(&data, 0, sizeof data);
	data.opts = opts;
	data.st = &st;
	if (report_outdir_open(&od, opts->outdir, err) < 0)
		return -1;
	if (report_snapshot_begin(conn, &st, err) < 0)
		goto done;
	in_snapshot = 1;
	/*
	 * The tables' queries and the recheck of the marts run on two
	 * connections in one exported snapshot, and other threads write a
	 * table's files while the servers work on the next jobs: for a whole
	 * country, seconds on each side.  Every result is kept: the workbook
	 * and the page need them all at once.
	 */
	conn2 = second_connection(conn, opts);
	if (conn2 == NULL) {
		/* The export may have aborted the transaction: begin it again. */
		report_snapshot_end(conn);
		in_snapshot = 0;
		if (report_snapshot_begin(conn, &st, err) < 0)
			goto done;
		in_snapshot = 1;
	}
	if (report_check_ready(conn, opts, err) < 0)
		goto done;
	if (st.data_as_of[0] == '\0' && st.transformed_at[0] == '\0')
		hx_log_warning("the marts have never been built: the files will be empty");
	if (report_ntables > REPORT_MAX_TABLES) {
		hx_error_set(err, HX_SOFTWARE, "more output files than the manifest can list");
		goto done;
	}
	run = hx_calloc(1, sizeof *run);
	run->od = &od;
	run->opts = opts;
	run->st = &st;
	run->data = &data;
	pthread_mutex_init(&run->lock, NULL);
	pthread_cond_init(&run->ready_cv, NULL);
	data.ntables = report_ntables;
	/*
	 * A receiver per connection (this thread receives on the first) and a
	 * writer per connection: while one table's files are written, the
	 * servers already run and send the next ones.  Whatever thread cannot
	 * be started, the run goes on with those that are (at least this one
	 * receiving and one writer).
	 */
	r1.run = r2.run = wr.run = run;
	r1.conn = conn;
	r2.conn = conn2;
	wr.conn = NULL;
	run->receiving = 1;
	if (conn2 != NULL) {
		run->receiving = 2;
		if (pthread_create(&threads[nthreads], NULL, receive_all, &r2) == 0) {
			nthreads++;
		} else {
			run->receiving = 1;
			PQfinish(conn2);
			conn2 = NULL;
		}
	}
	for (k = 0; k < (conn2 != NULL ? 2 : 1); k++)
		if (pthread_create(&threads[nthreads], NULL, write_all, &wr) == 0)
			nthreads++;
	receive_all(&r1);
	/* No writer could be started: this thread writes after receiving. */
	if (nthreads == (conn2 != NULL ? 1 : 0))
		write_all(&wr);
	for (k = 0; k < nthreads; k++)
		pthread_join(threads[k], NULL);
	PQfinish(conn2);
	conn2 = NULL;
	if (run->failed) {
		*err = run->err;
		goto done;
	}
	/* A figure that disagrees with its fraction: nothing is published. */
	if (report_check_result(run->check, report_ntables, err) < 0)
		goto done;
	for (i = 0; i < report_ntables; i++)
		hx_log_debug("%s: %d rows", report_tables[i].name, run->rows[i]);
	for (i = 0; i < 2 * report_ntables; i++)
		if (run->set[i])
			written[nwritten++] = run->written[i];
	if (opts->formats & (REPORT_XLSX | REPORT_HTML)) {
		/* The documents read rows by number: give them the rows in order. */
		for (i = 0; i < report_ntables; i++) {
			PGresult *ordered;

			if (run->order[i] == NULL)
				continue;
			ordered = report_order_apply(data.res[i], &report_tables[i], run->order[i], err);
			if (ordered == NULL)
				goto done;
			PQclear(data.res[i]);
			data.res[i] = ordered;
		}
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
	PQfinish(conn2);
	if (run != NULL) {
		pthread_mutex_destroy(&run->lock);
		pthread_cond_destroy(&run->ready_cv);
		for (i = 0; i < report_ntables; i++)
			free(run->order[i]);
	}
	free(run);
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
