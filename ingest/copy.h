/*
 * copy.h — rows out in PostgreSQL's COPY text format, either straight into
 * a COPY FROM STDIN in progress or into a temporary file to be copied
 * later (rejects, and the several tables a JSON submission feeds).
 *
 * Rows are assembled in one reused buffer and sent in large pieces, never
 * one round trip per row (PostgreSQL src/bin/psql/copy.c, handleCopyIn).
 * A row being written can be abandoned (copy_row_abort) when a later value
 * of it turns out bad, so converters write values as they parse them.
 */
#ifndef HOCTAP_INGEST_COPY_H
#define HOCTAP_INGEST_COPY_H

#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "error.h"

/* Fields of a row whose starts a sink records (a register row is written with 13). */
#define COPY_FIELDS_MAX 16

struct copy_sink {
	PGconn *conn;        /* sending to a COPY in progress, or NULL */
	int to_tmp;          /* or kept: in memory, spilling to a temporary file */
	FILE *tmp;           /* that file, made when the rows pass 128 KiB */
	struct hx_buf buf;
	size_t row_start;    /* offset in buf of the row being written */
	int row_fields;      /* fields written in that row */
	uint32_t field_at[COPY_FIELDS_MAX]; /* where its first fields start, from row_start */
	unsigned long long rows;  /* complete rows written */
	int failed;          /* a send or write failed: err holds why */
	struct hx_error err;
	char sqlstate[6];    /* of the server's refusal of the COPY, "" if none */
};

/*
 * Ask that conn's socket hold COPY_SNDBUF bytes on their way to the server,
 * when it is a unix socket, so that a client faster than the backend does
 * not sleep on a full send buffer at every turn.  Linux doubles the request
 * and caps it at twice net.core.wmem_max.  bench/RESULTS.md has the
 * measurements behind the size.
 */
#define COPY_SNDBUF (1024 * 1024)
void copy_tune_connection(PGconn *conn);

/* Did the server refuse the rows themselves (SQLSTATE class 22 data or 23 constraint)? */
int copy_refused_data(const struct copy_sink *s);

/*
 * A sink keeping rows to be copied later: in memory, spilling to an
 * anonymous temporary file past 128 KiB (made only then, so the usual file
 * with no rejects and no warnings costs none).  Errors show at replay.
 */
void copy_sink_tmp(struct copy_sink *s);
/*
 * Start "COPY sql FROM STDIN" on conn (sql: the COPY statement, e.g.
 * "COPY staging.tally (...) FROM STDIN") and make s send to it.
 */
int copy_sink_start(struct copy_sink *s, PGconn *conn, const char *sql, struct hx_error *err);

/* Append one field: text (escaped), NULL, or an integer. */
void copy_text(struct copy_sink *s, const char *p, size_t n);
void copy_null(struct copy_sink *s);
void copy_int(struct copy_sink *s, int64_t v);

/* copy_field when the buffer has no room: make it, or fail the sink (NULL). */
char *copy_field_grow(struct copy_sink *s, size_t n);

/*
 * Start a field of at most n bytes: the tab before it (none before a row's
 * first) and where it starts.  Returns where its bytes go, with room for
 * them and a NUL, or NULL when the row would pass the sink's cap (the
 * sink fails; only a row of megabytes gets there: rows are capped far
 * below by the readers).  Inline with one check, as copy_raw and
 * copy_char below: the converters write a dozen fields a row, and a call
 * each cost more than the bytes.  copy_field_end ends it before w.
 */
static inline char *copy_field(struct copy_sink *s, size_t n)
{
	struct hx_buf *b = &s->buf;

	if (b->data == NULL || b->cap - b->len < n + 2)
		return copy_field_grow(s, n);
	if (s->row_fields > 0)
		b->data[b->len++] = '\t';
	if (s->row_fields < COPY_FIELDS_MAX)
		s->field_at[s->row_fields] = (uint32_t)(b->len - s->row_start);
	s->row_fields++;
	return b->data + b->len;
}

static inline void copy_field_end(struct copy_sink *s, char *w)
{
	s->buf.len = (size_t)(w - s->buf.data);
	*w = '\0';
}

/* Append a field already in COPY text form (digits, "t"/"f"): no escaping. */
static inline void copy_raw(struct copy_sink *s, const char *p, size_t n)
{
	char *w = copy_field(s, n);

	if (w == NULL)
		return;
	memcpy(w, p, n);
	copy_field_end(s, w + n);
}

/* The same, of one byte. */
static inline void copy_char(struct copy_sink *s, char c)
{
	char *w = copy_field(s, 1);

	if (w == NULL)
		return;
	*w = c;
	copy_field_end(s, w + 1);
}
/* Finish the row (sends when enough is buffered) / forget the row. */
void copy_row_end(struct copy_sink *s);
void copy_row_abort(struct copy_sink *s);
/*
 * Keep only the first n fields (1 ≤ n < COPY_FIELDS_MAX) of the row being
 * written: those after them were written for a reader of the whole row
 * (lists.c), not for the table.
 */
void copy_row_keep(struct copy_sink *s, int n);

/*
 * Finish a COPY in progress: send what is buffered, PQputCopyEnd (with
 * failure_reason if not NULL, which aborts the COPY), and drain the
 * results.  Returns 0, or -1 with err (the server's message and SQLSTATE).
 */
int copy_sink_finish(struct copy_sink *s, const char *failure_reason, struct hx_error *err);

/* Send a keeping sink's rows into "COPY sql FROM STDIN" on conn (start to finish). */
int copy_sink_replay(struct copy_sink *kept, PGconn *conn, const char *sql, struct hx_error *err);
/*
 * The same, leaving out the rows whose indexes (0 the first row kept) are
 * in skip[0..nskip), ascending.
 */
int copy_sink_replay_except(struct copy_sink *kept, PGconn *conn, const char *sql,
                            const unsigned long long *skip, size_t nskip, struct hx_error *err);
/*
 * Send a keeping sink's complete rows into out's COPY in progress, after
 * what out holds (several files' rows into one COPY).  0, or -1 (err); the
 * kept rows stay, so they can be sent again.
 */
int copy_sink_append(struct copy_sink *out, struct copy_sink *kept, struct hx_error *err);

/* Release the buffer and close a temporary file. */
void copy_sink_close(struct copy_sink *s);

#endif
