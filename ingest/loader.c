/*
 * loader.c — one file from bytes to a committed ledger entry (DESIGN.md
 * §4.3): scan (sha256, encoding), duplicate check, then one transaction in
 * which the rows are copied, the rejects recorded and the file's status
 * and counts set.  When the whole file must be rejected (unreadable,
 * malformed, --strict, --max-rejects) that transaction is rolled back and a
 * second one records only the ledger entry and the rejects, so nothing of
 * the file loads.  The file_id is drawn from the sequence before either
 * transaction, so the rejects written during the load keep it.
 *
 * A small CSV file (INGEST_SMALL_MAX) is hashed and parsed whole first,
 * its rows kept in memory.  When all of them are good it waits in the
 * run's group, and the group — up to INGEST_GROUP_FILES clean files —
 * commits in one transaction: their rows stream into one COPY per kind
 * while the next file is read, their ledger rows follow in one COPY at the
 * end (ingest_flush), where each file on its own would cost eight round
 * trips and a commit.  Each file is still all or nothing, and a file with
 * any reject, warning or problem is never in a group: it takes the general
 * path, in its own transaction, so one bad file never holds back another.
 * A group the database refuses — a row it will not take, or bytes the
 * ledger has already (the unique index on sha256) — is rolled back and its
 * files ingested again one by one, which sorts out which file was at fault.
 *
 * Moving the file (archive/, rejected/) is the caller's, after this returns:
 * a crash before the move leaves the file in the inbox with its sha256 in
 * the ledger, so the next run records it as a duplicate and archives it.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "db.h"
#include "ingest.h"
#include "source.h"
#include "sqlfiles.h"
#include "text.h"

#define COPY_REJECTS \
	"COPY staging.rejects (file_id, line, col, value, reason, message, raw) FROM STDIN"
#define COPY_WARNINGS "COPY staging.file_warnings (file_id, line, message) FROM STDIN"

const char *file_kind_name(enum file_kind k)
{
	switch (k) {
	case KIND_TALLY: return "tally";
	case KIND_FUND: return "fund";
	case KIND_REGISTER: return "register";
	case KIND_JSON: return "json";
	case KIND_NONE: break;
	}
	return NULL;
}

const char *file_status_name(enum file_status s)
{
	switch (s) {
	case STATUS_LOADED: return "loaded";
	case STATUS_PARTIAL: return "partial";
	case STATUS_REJECTED: return "rejected";
	case STATUS_DUPLICATE: return "duplicate";
	case STATUS_PENDING: return "pending";
	case STATUS_WAIT: return "wait";
	case STATUS_NONE: break;
	}
	return NULL;
}

void file_result_free(struct file_result *res)
{
	free(res->name);
	free(res->path);
	free(res->duplicate_of_name);
	free(res->message);
	json_decref(res->causes);
	json_decref(res->warnings);
	memset(res, 0, sizeof *res);
}

static void group_clear(struct ingest_run *run);

void ingest_run_free(struct ingest_run *run)
{
	group_clear(run);
	for (size_t i = 0; i < run->nseen; i++)
		free(run->seen[i].name);
	free(run->seen);
	run->seen = NULL;
	run->nseen = run->capseen = 0;
}

/* Cut s to at most max bytes without splitting a UTF-8 character. */
/*
 * The first bytes of s[0..n), at most max, that end on a whole character.
 * Text cut to fit (here, or by a caller's fixed buffer) may end in a
 * character cut in two; the database refuses such text, and with it the
 * file's whole load.
 */
static size_t utf8_cut(const char *s, size_t n, size_t max)
{
	if (n > max)
		n = max;
	return n - hx_text_utf8_incomplete_tail(s, n);
}

static void trim_cut_char(char *msg)
{
	msg[utf8_cut(msg, strlen(msg), HX_ERRMSG_MAX)] = '\0';
}

void job_reject(struct file_job *job, long line, const char *col, const char *value, size_t vlen,
                const char *reason, const char *message, const char *raw, size_t rawlen)
{
	struct copy_sink *s = &job->rejects;

	copy_raw(s, job->file_id_text, strlen(job->file_id_text));
	if (line > 0)
		copy_int(s, line);
	else
		copy_null(s);
	if (col != NULL)
		copy_text(s, col, strlen(col));
	else
		copy_null(s);
	if (value != NULL)
		copy_text(s, value, utf8_cut(value, vlen, INGEST_RAW_MAX));
	else
		copy_null(s);
	copy_text(s, reason, strlen(reason));
	copy_text(s, message, utf8_cut(message, strlen(message), HX_ERRMSG_MAX));
	if (raw != NULL)
		copy_text(s, raw, utf8_cut(raw, rawlen, INGEST_RAW_MAX));
	else
		copy_null(s);
	copy_row_end(s);
	if (line > 0)
		job->res->rows_rejected++;
}

void job_fail(struct file_job *job, long line, const char *reason, const char *fmt, ...)
{
	va_list ap;
	char msg[HX_ERRMSG_MAX];

	if (job->file_failed)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	trim_cut_char(msg);
	job->file_failed = 1;
	job->file_reason = hx_strdup(reason);
	free(job->res->message);
	job->res->message = line > 0 ? hx_asprintf("line %ld: %s", line, msg) : hx_strdup(msg);
}

void job_warn(struct file_job *job, long line, const char *fmt, ...)
{
	va_list ap;
	char msg[HX_ERRMSG_MAX];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	trim_cut_char(msg);
	copy_raw(&job->warnings, job->file_id_text, strlen(job->file_id_text));
	if (line > 0)
		copy_int(&job->warnings, line);
	else
		copy_null(&job->warnings);
	copy_text(&job->warnings, msg, strlen(msg));
	copy_row_end(&job->warnings);
	if (line > 0) {
		char *at = hx_asprintf("line %ld: %s", line, msg);

		json_array_append_new(job->res->warnings, json_string(at));
		free(at);
	} else {
		json_array_append_new(job->res->warnings, json_string(msg));
	}
}

void job_progress(struct file_job *job, unsigned long long bytes)
{
	if (job->opts->progress)
		progress_update(job->res->name,
		                (unsigned long long)(job->res->rows_loaded + job->res->rows_rejected),
		                bytes, job->bytes_total, 0);
}

static enum file_kind kind_from_name(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (dot != NULL && (strcasecmp(dot, ".json") == 0 || strcasecmp(dot, ".ndjson") == 0 ||
	                    strcasecmp(dot, ".jsonl") == 0))
		return KIND_JSON;
	return KIND_NONE;
}

/* The ledger entry of a loaded file with these bytes (local: of this run only): 1, 0, -1. */
static int find_loaded(struct ingest_run *run, const char *sha, int64_t *file_id, char **name,
                       int local, struct hx_error *err)
{
	const char *params[1] = {sha};
	PGresult *res;
	int found = 0;

	for (size_t i = 0; i < run->nseen; i++) {
		if (strcmp(run->seen[i].sha256, sha) == 0) {
			*file_id = run->seen[i].file_id;
			*name = hx_strdup(run->seen[i].name);
			return 1;
		}
	}
	if (local)
		return 0;
	res = hx_db_query(run->conn, err,
	                  "SELECT file_id, name FROM staging.files WHERE sha256 = $1 "
	                  "AND status IN ('loaded', 'partial') ORDER BY file_id LIMIT 1",
	                  1, params);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		*file_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		*name = hx_strdup(PQgetvalue(res, 0, 1));
		found = 1;
	}
	PQclear(res);
	return found;
}

/* Has a file of this size been loaded (in the ledger or this run)?  Only then can
 * this one be a duplicate, and only then is it hashed before loading. 1, 0, -1. */
static int size_seen(struct ingest_run *run, long long size, struct hx_error *err)
{
	char text[24];
	const char *params[1] = {text};
	PGresult *res;
	int found;

	for (size_t i = 0; i < run->nseen; i++)
		if (run->seen[i].size == size)
			return 1;
	snprintf(text, sizeof text, "%lld", size);
	res = hx_db_query(run->conn, err,
	                  "SELECT 1 FROM staging.files WHERE size_bytes = $1 "
	                  "AND status IN ('loaded', 'partial') LIMIT 1",
	                  1, params);
	if (res == NULL)
		return -1;
	found = PQntuples(res) > 0;
	PQclear(res);
	return found;
}

static void remember(struct ingest_run *run, const struct file_result *res)
{
	if (run->nseen == run->capseen) {
		run->capseen = run->capseen ? run->capseen * 2 : 16;
		run->seen = hx_realloc(run->seen, run->capseen * sizeof *run->seen);
	}
	memcpy(run->seen[run->nseen].sha256, res->sha256, sizeof res->sha256);
	run->seen[run->nseen].file_id = res->file_id;
	run->seen[run->nseen].size = res->size;
	run->seen[run->nseen].name = hx_strdup(res->name);
	run->nseen++;
}

/* The next file_id: drawn from the sequence a pool at a time, in increasing order. */
static int next_file_id(struct ingest_run *run, int64_t *id, struct hx_error *err)
{
	char n[16];
	const char *params[1] = {n};
	PGresult *res;

	snprintf(n, sizeof n, "%zu", sizeof run->ids / sizeof run->ids[0]);
	if (run->next_id == run->nids) {
		res = hx_db_query(run->conn, err,
		                  "SELECT pg_catalog.nextval(pg_catalog.pg_get_serial_sequence("
		                  "'staging.files', 'file_id')) FROM pg_catalog.generate_series(1, $1)",
		                  1, params);
		if (res == NULL)
			return -1;
		run->nids = (size_t)PQntuples(res);
		if (run->nids > sizeof run->ids / sizeof run->ids[0])
			run->nids = sizeof run->ids / sizeof run->ids[0];
		for (size_t i = 0; i < run->nids; i++)
			run->ids[i] = strtoll(PQgetvalue(res, (int)i, 0), NULL, 10);
		run->next_id = 0;
		PQclear(res);
		if (run->nids == 0)
			return hx_error_set(err, HX_SOFTWARE, "no file_id drawn from the sequence");
	}
	*id = run->ids[run->next_id++];
	return 0;
}

#define INSERT_FILE_SQL                                                                    \
	"INSERT INTO staging.files (file_id, name, path, size_bytes, sha256, kind, number_style, " \
	"received_at, status, rows_read, rows_loaded, rows_rejected, duplicate_of, message, "      \
	"lists_counted, entities_checked, submitted_at) OVERRIDING SYSTEM VALUE "                 \
	"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
#define INSERT_FILE_NPARAMS 17

/* The ledger row's values as text parameters; v holds their storage. */
struct ledger_values {
	char size[24], mtime[64], read[24], loaded[24], rejected[24], dup[24];
	const char *params[INSERT_FILE_NPARAMS];
};

static void ledger_values(struct file_job *job, const struct file_scan *scan,
                          const struct stat *st, struct ledger_values *v)
{
	struct file_result *r = job->res;
	struct tm tm;

	snprintf(v->size, sizeof v->size, "%lld", scan->size);
	gmtime_r(&st->st_mtime, &tm);
	strftime(v->mtime, sizeof v->mtime, "%Y-%m-%d %H:%M:%S+00", &tm);
	snprintf(v->read, sizeof v->read, "%lld", r->rows_read);
	snprintf(v->loaded, sizeof v->loaded, "%lld", r->rows_loaded);
	snprintf(v->rejected, sizeof v->rejected, "%lld", r->rows_rejected);
	snprintf(v->dup, sizeof v->dup, "%" PRId64, r->duplicate_of);
	v->params[0] = job->file_id_text;
	v->params[1] = r->name;
	v->params[2] = r->path;
	v->params[3] = v->size;
	v->params[4] = r->sha256;
	v->params[5] = file_kind_name(r->kind);
	v->params[6] = r->kind != KIND_NONE ? hx_num_style_name(job->numbers) : NULL;
	v->params[7] = v->mtime;
	v->params[8] = file_status_name(r->status);
	v->params[9] = v->read;
	v->params[10] = v->loaded;
	v->params[11] = v->rejected;
	v->params[12] = r->duplicate_of > 0 ? v->dup : NULL;
	v->params[13] = r->message;
	v->params[14] = job->lists_counted ? "true" : "false";
	v->params[15] = job->entities_checked ? "true" : "false";
	/* Only a loaded file's rows count: a rejected one keeps none. */
	v->params[16] = r->status == STATUS_LOADED || r->status == STATUS_PARTIAL
	                    ? lists_latest_submitted(job->lists)
	                    : NULL;
}

/* Insert the ledger row with its final status and counts. */
static int insert_file_row(struct file_job *job, const struct file_scan *scan,
                           const struct stat *st, struct hx_error *err)
{
	struct ledger_values v;

	ledger_values(job, scan, st, &v);
	return hx_db_command(job->conn, err, INSERT_FILE_SQL, INSERT_FILE_NPARAMS, v.params);
}

/* Set the final kind, status and counts of a ledger row inserted at the start of a load. */
static int update_file_row(struct file_job *job, struct hx_error *err)
{
	struct file_result *r = job->res;
	char read[24], loaded[24], rejected[24];
	const char *params[11];

	snprintf(read, sizeof read, "%lld", r->rows_read);
	snprintf(loaded, sizeof loaded, "%lld", r->rows_loaded);
	snprintf(rejected, sizeof rejected, "%lld", r->rows_rejected);
	params[0] = job->file_id_text;
	params[1] = file_kind_name(r->kind);
	params[2] = r->kind != KIND_NONE ? hx_num_style_name(job->numbers) : NULL;
	params[3] = file_status_name(r->status);
	params[4] = read;
	params[5] = loaded;
	params[6] = rejected;
	params[7] = r->sha256;
	params[8] = job->entities_checked ? "true" : "false";
	params[9] = job->lists_counted ? "true" : "false";
	params[10] = lists_latest_submitted(job->lists);
	return hx_db_command(job->conn, err,
	                     "UPDATE staging.files SET kind = $2, number_style = $3, status = $4, "
	                     "rows_read = $5, rows_loaded = $6, rows_rejected = $7, sha256 = $8, "
	                     "entities_checked = $9, lists_counted = $10, submitted_at = $11 "
	                     "WHERE file_id = $1",
	                     11, params);
}

/* The rejects of the file grouped by cause, into res->causes. */
static int collect_causes(struct file_job *job, struct hx_error *err)
{
	const char *params[1] = {job->file_id_text};
	PGresult *res = hx_db_query(job->conn, err, hx_sql_script("ingest/rejects_by_cause.sql"), 1,
	                            params);
	int i;

	if (res == NULL)
		return -1;
	for (i = 0; i < PQntuples(res); i++) {
		json_t *c = json_object();
		json_t *lines = NULL, *rows = NULL;

		json_object_set_new(c, "reason", json_string(PQgetvalue(res, i, 0)));
		json_object_set_new(c, "column", PQgetisnull(res, i, 1) ? json_null()
		                                                        : json_string(PQgetvalue(res, i, 1)));
		json_object_set_new(c, "value", PQgetisnull(res, i, 2) ? json_null()
		                                                       : json_string(PQgetvalue(res, i, 2)));
		json_object_set_new(c, "message", json_string(PQgetvalue(res, i, 3)));
		json_object_set_new(c, "count", json_integer(strtoll(PQgetvalue(res, i, 4), NULL, 10)));
		if (!PQgetisnull(res, i, 5))
			lines = json_loads(PQgetvalue(res, i, 5), 0, NULL);
		json_object_set_new(c, "lines", lines != NULL ? lines : json_array());
		json_object_set_new(c, "raw", PQgetisnull(res, i, 6) ? json_null()
		                                                     : json_string(PQgetvalue(res, i, 6)));
		if (!PQgetisnull(res, i, 7))
			rows = json_loads(PQgetvalue(res, i, 7), 0, NULL);
		json_object_set_new(c, "rows", rows != NULL ? rows : json_array());
		json_array_append_new(job->res->causes, c);
	}
	PQclear(res);
	return 0;
}

PGresult *ingest_drop_orphans(PGconn *conn, struct hx_error *err)
{
	return hx_db_query(conn, err,
	                   "SELECT orphan_file_id, file_name, rows_deleted "
	                   "FROM staging.drop_orphan_rows()",
	                   0, NULL);
}

/* Commit, or roll back in a dry run. */
static int finish_tx(struct file_job *job, struct hx_error *err)
{
	if (job->opts->dry_run) {
		hx_db_rollback(job->conn);
		return 0;
	}
	return hx_db_commit(job->conn, err);
}

/*
 * Record the ledger entry (insert it, or in_tx: update the one the load
 * inserted), the rejects and warnings, then commit.
 */
static int record(struct file_job *job, const struct file_scan *scan, const struct stat *st,
                  int in_tx, struct hx_error *err)
{
	if (!in_tx && hx_db_begin(job->conn, err) < 0)
		return -1;
	if ((in_tx ? update_file_row(job, err) : insert_file_row(job, scan, st, err)) < 0 ||
	    (job->rejects.rows > 0 &&
	     (copy_sink_replay(&job->rejects, job->conn, COPY_REJECTS, err) < 0 ||
	      collect_causes(job, err) < 0)) ||
	    (job->warnings.rows > 0 &&
	     copy_sink_replay(&job->warnings, job->conn, COPY_WARNINGS, err) < 0)) {
		hx_db_rollback(job->conn);
		return -1;
	}
	return finish_tx(job, err);
}

/* Is this many rejects past --max-rejects? */
static int too_many_rejects(const struct ingest_opts *o, long long read, long long rejected)
{
	if (o->max_rejects < 0)
		return 0;
	if (o->max_rejects_percent)
		return rejected * 100 > o->max_rejects * read;
	return rejected > o->max_rejects;
}

/*
 * Load the rows in a transaction.  Returns 0 with res->status set, or -1
 * (fatal).  On a whole-file rejection the transaction is rolled back and
 * the caller records the file as rejected.
 */
static int load_rows(struct file_job *job, int fd, const struct file_scan *scan,
                     const struct stat *st, struct hx_error *err)
{
	struct byte_source src;
	struct hx_csv_reader *reader = NULL;
	int rc = -1, hashed = job->res->sha256[0] != '\0';

	if (source_init(&src, fd, scan, err) < 0)
		return -1;
	if (hx_db_begin(job->conn, err) < 0)
		return -1;
	lists_free(job->lists);
	job->lists = lists_new(job->file_id_text);
	job->rows_seen = -1;
	/* The sha256 is known at the end of the stream; the row needs one now. */
	if (!hashed)
		memset(job->res->sha256, '0', HX_SHA256_HEXLEN);
	/* The rows refer to their ledger row: it comes first, counts set at the end. */
	job->res->status = STATUS_LOADED;
	if (insert_file_row(job, scan, st, err) < 0) {
		hx_db_rollback(job->conn);
		return -1;
	}
	if (job->res->kind == KIND_JSON) {
		rc = jsonsub_load(job, &src, err);
	} else {
		reader = hx_csv_new(source_read, &src, NULL);
		rc = csvsub_load(job, reader, err);
		job->res->delimiter = hx_csv_delimiter(reader);
		hx_csv_free(reader);
	}
	if (rc < 0 && src.bad)
		rc = 0; /* not text: the file is rejected below, the run goes on */
	if (rc == 0 && source_finish(&src, job->res->sha256, err) < 0)
		rc = -1;
	if (rc < 0) {
		hx_db_rollback(job->conn);
		return -1;
	}
	if (src.bad) {
		/* Whatever the reader made of it, the cause is the bytes: no encoding. */
		job->res->encoding = NULL;
		free(job->file_reason);
		free(job->res->message);
		job->file_failed = 1;
		job->file_reason = hx_strdup("not_text");
		job->res->message = hx_strdup(src.bad_message);
	}
	if (job->opts->progress)
		progress_update(job->res->name,
		                (unsigned long long)(job->res->rows_loaded + job->res->rows_rejected),
		                src.raw_bytes, job->bytes_total, 1);
	job->res->rows_read = job->res->rows_loaded + job->res->rows_rejected;
	if (!job->file_failed && job->rows_seen >= 0 && job->rows_seen != job->res->rows_read)
		job_fail(job, 0, "count_mismatch",
		         "%lld rows were read but %lld loaded and %lld rejected: a bug in "
		         "hoctap-ingest (please report it)",
		         job->rows_seen, job->res->rows_loaded, job->res->rows_rejected);
	if (!job->file_failed && job->res->rows_rejected > 0 &&
	    (job->opts->strict ||
	     too_many_rejects(job->opts, job->res->rows_read, job->res->rows_rejected))) {
		if (job->opts->strict)
			job_fail(job, 0, "strict",
			         "%lld of %lld rows rejected and --strict loads a file all or nothing",
			         job->res->rows_rejected, job->res->rows_read);
		else
			job_fail(job, 0, "max_rejects",
			         "%lld of %lld rows rejected, more than --max-rejects %" PRId64 "%s",
			         job->res->rows_rejected, job->res->rows_read, job->opts->max_rejects,
			         job->opts->max_rejects_percent ? "%" : "");
	}
	if (!job->file_failed && job->res->rows_loaded == 0 && job->res->rows_rejected > 0)
		job_fail(job, 0, "all_rows_rejected", "all %lld rows were rejected",
		         job->res->rows_rejected);
	if (job->file_failed) {
		hx_db_rollback(job->conn);
		return 0;
	}
	if (!job->opts->dry_run) {
		if (lists_copy(job->lists, job->conn, err) < 0) {
			hx_db_rollback(job->conn);
			return -1;
		}
		job->lists_counted = lists_counted(job->lists);
		job->entities_checked = lists_checked(job->lists);
	}
	/* The rows keep no date (migration 034): lists counted keep their own;
	 * those of a file too large to count take the file's latest. */
	if (job->lists != NULL && !lists_counted(job->lists) && lists_dates_differ(job->lists))
		job_warn(job, 0, "the file's register lists are too many to count one by one (more "
		         "than %d) and their submitted_at differ: each list is dated %s, the "
		         "file's latest, when lists supersede one another; send lists of different "
		         "dates in separate files", LISTS_MAX, lists_latest_submitted(job->lists));
	job->res->status = job->res->rows_rejected > 0 ? STATUS_PARTIAL : STATUS_LOADED;
	return 0;
}

/*
 * Forget what a first reading of the file left in job and res, so that it
 * can be read again from its first byte down the general path.
 */
static void job_restart(struct file_job *job)
{
	struct file_result *r = job->res;

	r->rows_read = r->rows_loaded = r->rows_rejected = 0;
	free(r->message);
	r->message = NULL;
	json_array_clear(r->warnings);
	json_array_clear(r->causes);
	r->kind = kind_from_name(r->name);
	free(job->file_reason);
	job->file_reason = NULL;
	job->file_failed = 0;
	job->copy_sql = NULL;
	job->lists_counted = 0;
	job->entities_checked = 0;
	copy_sink_close(&job->rejects);
	copy_sink_close(&job->warnings);
	copy_sink_tmp(&job->rejects);
	copy_sink_tmp(&job->warnings);
}

/* The COPY of the ledger rows of a group, in the order ledger_values gives them. */
#define COPY_FILES                                                                       \
	"COPY staging.files (file_id, name, path, size_bytes, sha256, kind, number_style, "   \
	"received_at, status, rows_read, rows_loaded, rows_rejected, duplicate_of, message, " \
	"lists_counted, entities_checked, submitted_at) FROM STDIN"

int ingest_group_full(const struct ingest_run *run)
{
	return run->ngroup == INGEST_GROUP_FILES || run->group_bytes >= INGEST_GROUP_BYTES;
}

static int group_has(const struct ingest_run *run, const char *sha)
{
	for (size_t i = 0; i < run->ngroup; i++)
		if (strcmp(run->group_sha[i], sha) == 0)
			return 1;
	return 0;
}

/*
 * Send a clean small file's rows into the group's transaction: begun with
 * the group's first file, one COPY open per kind in turn, so the server
 * loads these rows while the next file is read.  0, or -1 (err: the COPY
 * failed; the caller decides whether the run can go on).
 */
static int group_send(struct ingest_run *run, struct copy_sink *rows, const char *copy_sql,
                      struct hx_error *err)
{
	if (run->ngroup == 0 && hx_db_begin(run->conn, err) < 0)
		return -1;
	if (run->group_sql != copy_sql) {
		if (run->group_sql != NULL) {
			run->group_sql = NULL;
			if (copy_sink_finish(&run->group_copy, NULL, err) < 0)
				return -1;
			copy_sink_close(&run->group_copy);
		}
		if (copy_sink_start(&run->group_copy, run->conn, copy_sql, err) < 0)
			return -1;
		run->group_sql = copy_sql;
	}
	return copy_sink_append(&run->group_copy, rows, err);
}

/*
 * The small-file path: parse the whole file, keeping its rows; a clean one
 * joins the group.  Returns 1 (res->status "pending"; if the group's COPY
 * broke, the flush finds out), 0 (not clean: job restarted, take the
 * general path), or -1 (err).
 */
static int load_small(struct ingest_run *run, struct file_job *job, int fd,
                      const struct file_scan *scan, const struct stat *st, struct hx_error *err)
{
	struct ledger_values v;
	struct byte_source src;
	struct hx_csv_reader *reader;
	struct copy_sink rows;
	int rc;

	copy_sink_tmp(&rows);
	if (source_init(&src, fd, scan, err) < 0)
		goto fail;
	job->rows = &rows;
	job->rows_seen = -1;
	reader = hx_csv_new(source_read, &src, NULL);
	rc = csvsub_load(job, reader, err);
	job->res->delimiter = hx_csv_delimiter(reader);
	hx_csv_free(reader);
	job->rows = NULL;
	if (rc < 0 && !src.bad)
		goto fail;
	if (src.bad || job->file_failed || job->rejects.rows > 0 || job->warnings.rows > 0 ||
	    job->copy_sql == NULL || rows.failed || job->res->rows_loaded == 0 ||
	    job->rows_seen != job->res->rows_loaded || job->res->kind == KIND_REGISTER) {
		/* Anything but a clean file takes the general path, and so does a
		 * register list, whose lists are counted there. */
		copy_sink_close(&rows);
		job_restart(job);
		return 0;
	}
	job->res->rows_read = job->res->rows_loaded;
	job->res->status = STATUS_LOADED; /* as its ledger row says; "pending" until committed */
	job->lists_counted = job->entities_checked = 1; /* it has no register rows */
	ledger_values(job, scan, st, &v);
	if (run->ngroup == 0)
		copy_sink_tmp(&run->group_ledger);
	for (size_t i = 0; i < INSERT_FILE_NPARAMS; i++) {
		if (v.params[i] == NULL)
			copy_null(&run->group_ledger);
		else
			copy_text(&run->group_ledger, v.params[i], strlen(v.params[i]));
	}
	copy_row_end(&run->group_ledger);
	memcpy(run->group_sha[run->ngroup], job->res->sha256, sizeof run->group_sha[0]);
	if (group_send(run, &rows, job->copy_sql, err) < 0) {
		/* The group's COPY broke (the file itself is in no transaction yet):
		 * the flush sorts it out, this file included. */
		run->group_failed = 1;
		hx_error_clear(err);
	}
	copy_sink_close(&rows);
	run->ngroup++;
	run->group_bytes += (size_t)scan->size;
	job->res->status = STATUS_PENDING;
	return 1;
fail:
	copy_sink_close(&rows);
	return -1;
}

/*
 * End the group's COPY, COPY its ledger rows and commit.  0 committed; 1
 * not committed but the run can go on (rolled back: the database refused
 * the rows, or the same bytes are in the ledger); -1 (err).
 */
static int group_commit(struct ingest_run *run, struct hx_error *err)
{
	struct copy_sink out;
	int refused;

	if (run->group_failed)
		goto refused;
	if (run->group_sql != NULL) {
		run->group_sql = NULL;
		if (copy_sink_finish(&run->group_copy, NULL, err) < 0) {
			refused = copy_refused_data(&run->group_copy);
			copy_sink_close(&run->group_copy);
			if (refused)
				goto refused;
			goto fail;
		}
		copy_sink_close(&run->group_copy);
	}
	if (copy_sink_start(&out, run->conn, COPY_FILES, err) < 0)
		goto fail;
	if (copy_sink_append(&out, &run->group_ledger, err) < 0) {
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
	return hx_db_commit(run->conn, err) < 0 ? -1 : 0;
refused:
	if (run->group_sql != NULL) {
		/* A send failed while the COPY was open: end it before the rollback. */
		struct hx_error ignore;

		run->group_sql = NULL;
		(void)copy_sink_finish(&run->group_copy, "the group is not committed", &ignore);
	}
	hx_error_clear(err);
	hx_db_rollback(run->conn);
	return 1;
fail:
	hx_db_rollback(run->conn);
	return -1;
}

static void group_clear(struct ingest_run *run)
{
	if (run->group_sql != NULL) {
		struct hx_error ignore;

		(void)copy_sink_finish(&run->group_copy, "the run stopped", &ignore);
		run->group_sql = NULL;
	}
	copy_sink_close(&run->group_copy);
	copy_sink_close(&run->group_ledger);
	run->ngroup = 0;
	run->group_bytes = 0;
	run->group_failed = 0;
}

int ingest_flush(struct ingest_run *run, struct pending_file *pend, size_t n,
                 struct hx_error *err)
{
	int rc = -1, refused;
	size_t i;

	if (n != run->ngroup)
		return hx_error_set(err, HX_SOFTWARE, "%zu results for a group of %zu files", n,
		                    run->ngroup);
	if (n == 0)
		return 0;
	refused = group_commit(run, err);
	group_clear(run);
	if (refused < 0)
		return -1;
	if (refused == 0) {
		for (i = 0; i < n; i++) {
			pend[i].res.status = STATUS_LOADED;
			remember(run, &pend[i].res);
		}
		return 0;
	}
	/* Not committed: each file on its own, as if it had never been in a group. */
	run->no_small = 1;
	for (i = 0; i < n; i++) {
		file_result_free(&pend[i].res);
		if (ingest_file(run, pend[i].path, pend[i].display, &pend[i].res, err) < 0)
			goto done;
	}
	rc = 0;
done:
	run->no_small = 0;
	return rc;
}

int ingest_file(struct ingest_run *run, const char *path, const char *display,
                struct file_result *res, struct hx_error *err)
{
	struct file_job job;
	struct file_scan scan;
	struct stat st;
	const char *slash = strrchr(path, '/');
	int fd = -1, rc = -1, found, small;

	memset(res, 0, sizeof *res);
	memset(&job, 0, sizeof job);
	res->name = hx_strdup(slash != NULL ? slash + 1 : path);
	res->path = hx_strdup(path);
	res->causes = json_array();
	res->warnings = json_array();
	job.conn = run->conn;
	job.opts = run->opts;
	job.units = run->units;
	job.res = res;
	job.display = display;
	job.numbers = run->opts->numbers;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		hx_error_set(err, HX_NOINPUT, "%s: could not open: %s", display, strerror(errno));
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		hx_error_set(err, HX_NOINPUT, "%s: not a regular file", display);
		goto done;
	}
	/*
	 * Only a file of a size already loaded can be a duplicate: such a file
	 * (and one that is no text at all) is hashed first; any other is hashed
	 * while its rows load, saving a pass over a large register.  A small
	 * file is always hashed first: its duplicate check is the ledger
	 * insert's own (load_small), so it costs no query.
	 */
	if (scan_head(fd, &scan, err) < 0)
		goto fail_prefix;
	small = !run->opts->dry_run && !run->no_small && !scan.bad &&
	        (size_t)st.st_size <= INGEST_SMALL_MAX && kind_from_name(res->name) == KIND_NONE;
	/* The group's transaction holds the connection: anything else waits for it. */
	if (run->ngroup > 0 && (!small || run->next_id == run->nids))
		goto wait;
	found = small ? 0 : size_seen(run, (long long)st.st_size, err);
	if (found < 0)
		goto fail_prefix;
	if ((small || found || scan.bad) && scan_fd(fd, &scan, err) < 0)
		goto fail_prefix;
	scan.size = (long long)st.st_size;
	if (small || found || scan.bad)
		memcpy(res->sha256, scan.sha256, sizeof res->sha256);
	res->size = scan.size;
	res->encoding = scan_encoding_name(&scan);
	job.bytes_total = (unsigned long long)scan.size;

	if (small && scan.bad) {
		/* Not text after all (the head looked fine): rejected on its own. */
		small = 0;
		if (run->ngroup > 0)
			goto wait;
	}
	if (small && group_has(run, scan.sha256))
		goto wait; /* the same bytes are in the group: once it commits, a duplicate */
	if (small || found)
		found = find_loaded(run, scan.sha256, &res->duplicate_of, &res->duplicate_of_name,
		                    small, err);
	if (found < 0)
		goto done;
	if (found && run->ngroup > 0)
		goto wait;
	if (next_file_id(run, &res->file_id, err) < 0)
		goto done;
	snprintf(job.file_id_text, sizeof job.file_id_text, "%" PRId64, res->file_id);
	copy_sink_tmp(&job.rejects);
	copy_sink_tmp(&job.warnings);

	if (found) {
		res->status = STATUS_DUPLICATE;
		/* A dry run may have found it among files it did not keep: no ledger row. */
		rc = run->opts->dry_run ? 0 : record(&job, &scan, &st, 0, err);
		if (run->opts->dry_run)
			res->file_id = 0;
		goto done;
	}
	res->kind = kind_from_name(res->name);
	if (scan.bad) {
		res->status = STATUS_REJECTED;
		res->encoding = NULL; /* not text in any encoding read here */
		res->message = hx_strdup(scan.bad_message);
		job_reject(&job, 0, NULL, NULL, 0, "not_text", scan.bad_message, NULL, 0);
		rc = record(&job, &scan, &st, 0, err);
		goto done;
	}
	if (small) {
		found = load_small(run, &job, fd, &scan, &st, err);
		if (found != 0) {
			rc = found < 0 ? -1 : 0;
			goto done;
		}
		if (run->ngroup > 0)
			goto wait; /* not clean: on its own, once the group is done */
		/* Not clean: the general path, after the ledger check a group makes itself. */
		found = find_loaded(run, scan.sha256, &res->duplicate_of, &res->duplicate_of_name, 0,
		                    err);
		if (found < 0)
			goto done;
		if (found) {
			res->kind = KIND_NONE;
			res->status = STATUS_DUPLICATE;
			rc = record(&job, &scan, &st, 0, err);
			goto done;
		}
	}
	if (load_rows(&job, fd, &scan, &st, err) < 0)
		goto done;
	if (job.file_failed) {
		/* Nothing of the file loads: every row read counts as rejected. */
		res->status = STATUS_REJECTED;
		res->rows_loaded = 0;
		res->rows_rejected = res->rows_read;
		/*
		 * The file's cause is no row: recorded without a line of its own
		 * (staging.rejects.line is NULL for whole-file causes), its line in
		 * the message, so it is said once, as the file's reason, never also
		 * as a row "not loaded".
		 */
		job_reject(&job, 0, NULL, NULL, 0, job.file_reason, res->message, NULL, 0);
		rc = record(&job, &scan, &st, 0, err);
	} else {
		rc = record(&job, &scan, &st, 1, err);
		if (rc == 0)
			remember(run, res);
	}
	goto done;
wait:
	/* Nothing of this file was sent: it is ingested again after the flush. */
	res->status = STATUS_WAIT;
	rc = 0;
	goto done;
fail_prefix:
	hx_error_prefix(err, display);
done:
	if (fd >= 0)
		close(fd);
	copy_sink_close(&job.rejects);
	copy_sink_close(&job.warnings);
	lists_free(job.lists);
	free(job.file_reason);
	return rc;
}
