/*
 * ledger.c — the file ledger, staging.files (see ledger.h).  Its columns
 * are listed once, in LEDGER_COLUMNS: the INSERT of a file's row, the
 * UPDATE that sets its final counts and the COPY of a group's rows are
 * made from that list, and ledger_values fills the parameters by the same
 * names, so a column added to the table is added here once.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "db.h"
#include "ledger.h"
#include "lengthof.h"
#include "lists.h"

/* staging.files, in the order of every statement below (file_id first). */
#define LEDGER_COLUMNS(X)                                                              \
	X(FILE_ID, "file_id") X(NAME, "name") X(PATH, "path") X(SIZE_BYTES, "size_bytes")     \
	X(SHA256, "sha256") X(KIND, "kind") X(NUMBER_STYLE, "number_style")                   \
	X(RECEIVED_AT, "received_at") X(STATUS, "status") X(ROWS_READ, "rows_read")           \
	X(ROWS_LOADED, "rows_loaded") X(ROWS_REJECTED, "rows_rejected")                       \
	X(DUPLICATE_OF, "duplicate_of") X(MESSAGE, "message") X(LISTS_COUNTED, "lists_counted") \
	X(ENTITIES_CHECKED, "entities_checked") X(SUBMITTED_AT, "submitted_at")               \
	X(SHEET, "sheet") X(ENCODING, "encoding") X(ENCODING_NOTE, "encoding_note")            \
	X(HEADER, "header")

enum ledger_col {
#define LEDGER_ENUM(id, name) COL_##id,
	LEDGER_COLUMNS(LEDGER_ENUM)
#undef LEDGER_ENUM
	LEDGER_NCOLS
};

static const char *const column_names[LEDGER_NCOLS] = {
#define LEDGER_NAME(id, name) name,
	LEDGER_COLUMNS(LEDGER_NAME)
#undef LEDGER_NAME
};

struct ledger {
	PGconn *conn;
	/* Files taken in during this run (a dry run writes no ledger, yet a
	 * second copy of the same bytes must still show as a duplicate). */
	struct seen_file {
		char sha256[HX_SHA256_HEXLEN + 1];
		int64_t file_id;
		long long size;
		char *name;
	} *seen;
	size_t nseen, capseen;
	/* file_ids drawn from the sequence ahead, a group's worth per round
	 * trip: a group of small files numbers its files from this pool while
	 * its transaction holds the connection. */
	int64_t ids[INGEST_GROUP_FILES];
	size_t nids, next_id;
};

struct ledger *ledger_new(PGconn *conn)
{
	struct ledger *l = hx_calloc(1, sizeof *l);

	l->conn = conn;
	return l;
}

void ledger_free(struct ledger *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->nseen; i++)
		free(l->seen[i].name);
	free(l->seen);
	free(l);
}

enum statement { SQL_INSERT, SQL_UPDATE, SQL_COPY };

/* The statement, made from column_names on first use.  Borrowed, static. */
static const char *statement(enum statement which)
{
	static char sql[3][1024];
	char *s = sql[which];
	size_t n = 0;

	if (s[0] != '\0')
		return s;
#define ADD(...) (n += (size_t)snprintf(s + n, sizeof sql[0] - n, __VA_ARGS__))
	switch (which) {
	case SQL_INSERT:
	case SQL_COPY:
		ADD("%s staging.files (", which == SQL_COPY ? "COPY" : "INSERT INTO");
		for (size_t i = 0; i < LEDGER_NCOLS; i++)
			ADD("%s%s", i ? ", " : "", column_names[i]);
		if (which == SQL_COPY) {
			ADD(") FROM STDIN");
			break;
		}
		ADD(") OVERRIDING SYSTEM VALUE VALUES (");
		for (size_t i = 0; i < LEDGER_NCOLS; i++)
			ADD("%s$%zu", i ? ", " : "", i + 1);
		ADD(")");
		break;
	case SQL_UPDATE:
		/* Every column but file_id, set to what the file has become. */
		ADD("UPDATE staging.files SET (");
		for (size_t i = 1; i < LEDGER_NCOLS; i++)
			ADD("%s%s", i > 1 ? ", " : "", column_names[i]);
		ADD(") = ROW(");
		for (size_t i = 1; i < LEDGER_NCOLS; i++)
			ADD("%s$%zu", i > 1 ? ", " : "", i + 1);
		ADD(") WHERE %s = $1", column_names[COL_FILE_ID]);
		break;
	}
#undef ADD
	return s;
}

const char *ledger_copy_sql(void)
{
	return statement(SQL_COPY);
}

/* A file's ledger row as text parameters, in column order; v holds their storage. */
struct ledger_row {
	char size[24], mtime[64], read[24], loaded[24], rejected[24], dup[24];
	const char *params[LEDGER_NCOLS];
};

static void ledger_values(const struct file_job *job, const struct stat *st,
                          struct ledger_row *v)
{
	const struct file_result *r = job->res;
	const char **p = v->params;
	struct tm tm;

	snprintf(v->size, sizeof v->size, "%lld", r->size);
	gmtime_r(&st->st_mtime, &tm);
	strftime(v->mtime, sizeof v->mtime, "%Y-%m-%d %H:%M:%S+00", &tm);
	snprintf(v->read, sizeof v->read, "%lld", r->rows_read);
	snprintf(v->loaded, sizeof v->loaded, "%lld", r->rows_loaded);
	snprintf(v->rejected, sizeof v->rejected, "%lld", r->rows_rejected);
	snprintf(v->dup, sizeof v->dup, "%" PRId64, r->duplicate_of);
	p[COL_FILE_ID] = job->file_id_text;
	p[COL_NAME] = r->name;
	p[COL_PATH] = r->path;
	p[COL_SIZE_BYTES] = v->size;
	p[COL_SHA256] = r->sha256;
	p[COL_KIND] = file_kind_name(r->kind);
	p[COL_NUMBER_STYLE] = r->kind != KIND_NONE ? hx_num_style_name(job->numbers) : NULL;
	p[COL_RECEIVED_AT] = v->mtime;
	p[COL_STATUS] = file_status_name(r->status);
	p[COL_ROWS_READ] = v->read;
	p[COL_ROWS_LOADED] = v->loaded;
	p[COL_ROWS_REJECTED] = v->rejected;
	p[COL_DUPLICATE_OF] = r->duplicate_of > 0 ? v->dup : NULL;
	p[COL_MESSAGE] = r->message;
	p[COL_LISTS_COUNTED] = job->lists_counted ? "true" : "false";
	p[COL_ENTITIES_CHECKED] = job->entities_checked ? "true" : "false";
	/* Only a loaded file's rows count: a rejected one keeps none. */
	p[COL_SUBMITTED_AT] = r->status == STATUS_LOADED || r->status == STATUS_PARTIAL
	                          ? lists_latest_submitted(job->lists)
	                          : NULL;
	p[COL_SHEET] = r->sheet;
	p[COL_ENCODING] = r->encoding;
	p[COL_ENCODING_NOTE] = r->encoding_note;
	p[COL_HEADER] = r->header;
}

int ledger_insert(PGconn *conn, const struct file_job *job, const struct stat *st,
                  struct hx_error *err)
{
	struct ledger_row v;

	ledger_values(job, st, &v);
	return hx_db_command(conn, err, statement(SQL_INSERT), LEDGER_NCOLS, v.params);
}

int ledger_update(PGconn *conn, const struct file_job *job, const struct stat *st,
                  struct hx_error *err)
{
	struct ledger_row v;

	ledger_values(job, st, &v);
	return hx_db_command(conn, err, statement(SQL_UPDATE), LEDGER_NCOLS, v.params);
}

void ledger_copy_row(struct copy_sink *s, const struct file_job *job, const struct stat *st)
{
	struct ledger_row v;

	ledger_values(job, st, &v);
	for (size_t i = 0; i < LEDGER_NCOLS; i++) {
		if (v.params[i] == NULL)
			copy_null(s);
		else
			copy_text(s, v.params[i], strlen(v.params[i]));
	}
	copy_row_end(s);
}

int ledger_find_loaded(struct ledger *l, const char *sha, int64_t *file_id, char **name,
                       int local, struct hx_error *err)
{
	const char *params[1] = {sha};
	PGresult *res;
	int found = 0;

	for (size_t i = 0; i < l->nseen; i++) {
		if (strcmp(l->seen[i].sha256, sha) == 0) {
			*file_id = l->seen[i].file_id;
			*name = hx_strdup(l->seen[i].name);
			return 1;
		}
	}
	if (local)
		return 0;
	res = hx_db_query(l->conn, err,
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

int ledger_size_seen(struct ledger *l, long long size, struct hx_error *err)
{
	char text[24];
	const char *params[1] = {text};
	PGresult *res;
	int found;

	for (size_t i = 0; i < l->nseen; i++)
		if (l->seen[i].size == size)
			return 1;
	snprintf(text, sizeof text, "%lld", size);
	res = hx_db_query(l->conn, err,
	                  "SELECT 1 FROM staging.files WHERE size_bytes = $1 "
	                  "AND status IN ('loaded', 'partial') LIMIT 1",
	                  1, params);
	if (res == NULL)
		return -1;
	found = PQntuples(res) > 0;
	PQclear(res);
	return found;
}

void ledger_remember(struct ledger *l, const struct file_result *res)
{
	struct seen_file *f;

	l->seen = hx_grow(l->seen, &l->capseen, l->nseen, sizeof *l->seen, 16);
	f = &l->seen[l->nseen++];
	memcpy(f->sha256, res->sha256, sizeof f->sha256);
	f->file_id = res->file_id;
	f->size = res->size;
	f->name = hx_strdup(res->name);
}

int ledger_next_id(struct ledger *l, int64_t *id, struct hx_error *err)
{
	char n[16];
	const char *params[1] = {n};
	PGresult *res;

	if (l->next_id == l->nids) {
		snprintf(n, sizeof n, "%zu", lengthof(l->ids));
		res = hx_db_query(l->conn, err,
		                  "SELECT pg_catalog.nextval(pg_catalog.pg_get_serial_sequence("
		                  "'staging.files', 'file_id')) FROM pg_catalog.generate_series(1, $1)",
		                  1, params);
		if (res == NULL)
			return -1;
		l->nids = (size_t)PQntuples(res);
		if (l->nids > lengthof(l->ids))
			l->nids = lengthof(l->ids);
		for (size_t i = 0; i < l->nids; i++)
			l->ids[i] = strtoll(PQgetvalue(res, (int)i, 0), NULL, 10);
		l->next_id = 0;
		PQclear(res);
		if (l->nids == 0)
			return hx_error_set(err, HX_SOFTWARE, "no file_id drawn from the sequence");
	}
	*id = l->ids[l->next_id++];
	return 0;
}

size_t ledger_ids_left(const struct ledger *l)
{
	return l->nids - l->next_id;
}
