/*
 * group.c — the group commit of small clean files (see group.h).  The
 * group's state is this file's alone: the transaction it holds open on
 * the connection while it has files, the COPY in progress there, the
 * ledger rows that wait for the commit and the sha256 of each file (so a
 * second copy of the same bytes waits for the commit, and then is a
 * duplicate).
 */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "db.h"
#include "group.h"
#include "ledger.h"

struct group {
	PGconn *conn;
	size_t nfiles, bytes;
	char sha[INGEST_GROUP_FILES][HX_SHA256_HEXLEN + 1];
	struct copy_sink ledger;  /* the files' staging.files rows, copied at the commit */
	struct copy_sink copy;    /* the COPY in progress in the group's transaction */
	const char *copy_sql;     /* its statement (the kind's table), NULL if none */
	int failed;               /* a send failed: the group cannot commit */
};

struct group *group_new(PGconn *conn)
{
	struct group *g = hx_calloc(1, sizeof *g);

	g->conn = conn;
	return g;
}

/* End the COPY in progress, if any, without committing anything of it. */
static void abandon_copy(struct group *g, const char *why)
{
	if (g->copy_sql != NULL) {
		struct hx_error ignore;

		g->copy_sql = NULL;
		(void)copy_sink_finish(&g->copy, why, &ignore);
	}
	copy_sink_close(&g->copy);
}

/* Empty the group (its transaction is over, or never to be committed). */
static void clear(struct group *g)
{
	abandon_copy(g, "the group is not committed");
	copy_sink_close(&g->ledger);
	g->nfiles = 0;
	g->bytes = 0;
	g->failed = 0;
}

void group_free(struct group *g)
{
	if (g == NULL)
		return;
	if (g->nfiles > 0) {
		abandon_copy(g, "the run stopped");
		hx_db_rollback(g->conn);
	}
	clear(g);
	free(g);
}

size_t group_files(const struct group *g)
{
	return g->nfiles;
}

int group_full(const struct group *g)
{
	return g->nfiles == INGEST_GROUP_FILES || g->bytes >= INGEST_GROUP_BYTES;
}

int group_has(const struct group *g, const char *sha)
{
	for (size_t i = 0; i < g->nfiles; i++)
		if (strcmp(g->sha[i], sha) == 0)
			return 1;
	return 0;
}

/*
 * Send a file's rows into the group's transaction, in the COPY of its
 * kind (one open per kind in turn).  0, or -1 (err).
 */
static int send_rows(struct group *g, struct copy_sink *rows, const char *copy_sql,
                     struct hx_error *err)
{
	if (g->nfiles == 0 && hx_db_begin(g->conn, err) < 0)
		return -1;
	if (g->copy_sql != copy_sql) {
		if (g->copy_sql != NULL) {
			g->copy_sql = NULL;
			if (copy_sink_finish(&g->copy, NULL, err) < 0)
				return -1;
			copy_sink_close(&g->copy);
		}
		if (copy_sink_start(&g->copy, g->conn, copy_sql, err) < 0)
			return -1;
		g->copy_sql = copy_sql;
	}
	return copy_sink_append(&g->copy, rows, err);
}

void group_add(struct group *g, const struct file_job *job, const struct stat *st,
               struct copy_sink *rows, const char *copy_sql)
{
	struct hx_error err;

	if (g->nfiles == 0)
		copy_sink_tmp(&g->ledger);
	ledger_copy_row(&g->ledger, job, st);
	memcpy(g->sha[g->nfiles], job->res->sha256, sizeof g->sha[0]);
	/* A failed send (the file itself is in no transaction yet) is sorted
	 * out by the commit, this file included. */
	if (!g->failed && send_rows(g, rows, copy_sql, &err) < 0)
		g->failed = 1;
	g->nfiles++;
	g->bytes += (size_t)job->res->size;
}

/* The commit itself: 0, 1 (refused, rolled back) or -1 (err, rolled back). */
static int commit(struct group *g, struct hx_error *err)
{
	struct copy_sink out;
	int refused;

	if (g->failed)
		goto refused;
	if (g->copy_sql != NULL) {
		g->copy_sql = NULL;
		if (copy_sink_finish(&g->copy, NULL, err) < 0) {
			refused = copy_refused_data(&g->copy);
			copy_sink_close(&g->copy);
			if (refused)
				goto refused;
			goto fail;
		}
		copy_sink_close(&g->copy);
	}
	if (copy_sink_start(&out, g->conn, ledger_copy_sql(), err) < 0)
		goto fail;
	if (copy_sink_append(&out, &g->ledger, err) < 0) {
		struct hx_error ignore;

		(void)copy_sink_finish(&out, "the client could not send all rows", &ignore);
		copy_sink_close(&out);
		goto fail;
	}
	if (copy_sink_finish(&out, NULL, err) < 0) {
		/* A unique violation of files_sha256_loaded_idx: bytes loaded before. */
		refused = copy_refused_data(&out);
		copy_sink_close(&out);
		if (refused)
			goto refused;
		goto fail;
	}
	copy_sink_close(&out);
	return hx_db_commit(g->conn, err) < 0 ? -1 : 0;
refused:
	abandon_copy(g, "the group is not committed");
	hx_error_clear(err);
	hx_db_rollback(g->conn);
	return 1;
fail:
	hx_db_rollback(g->conn);
	return -1;
}

int group_commit(struct group *g, struct hx_error *err)
{
	int rc = g->nfiles > 0 ? commit(g, err) : 0;

	clear(g);
	return rc;
}
