/*
 * copy.c — COPY text rows out through libpq, or kept aside in memory and a
 * temporary file to be copied later (see copy.h).  The COPY loop follows
 * psql's handleCopyIn: rows sent 128 KiB at a time (as CopyData messages of
 * 16 KiB), PQputCopyEnd (with a reason to abort), then PQgetResult until
 * NULL, checking each status exactly.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "copy.h"
#include "db.h"

#define SEND_AT ((size_t)128 * 1024)   /* send once this much is buffered */
#define BUF_MAX ((size_t)16 * 1024 * 1024) /* a row is at most ~2 MiB escaped */
#define MSG_MAX ((size_t)16 * 1024)   /* bytes in one CopyData message */

/*
 * Queue n bytes as CopyData messages of at most MSG_MAX bytes (rows may span
 * messages: the server reads COPY data as a stream).  The server takes in a
 * whole message before it parses any of it, so one message per 128 KiB piece
 * kept a backend waiting (bench/RESULTS.md).  1, or -1 (PQerrorMessage says
 * why).
 */
static int put_messages(PGconn *conn, const char *p, size_t n)
{
	while (n > 0) {
		size_t k = n < MSG_MAX ? n : MSG_MAX;

		if (PQputCopyData(conn, p, (int)k) != 1)
			return -1;
		p += k;
		n -= k;
	}
	return 1;
}

void copy_tune_connection(PGconn *conn)
{
	struct sockaddr_storage addr;
	socklen_t len = sizeof addr;
	int fd = PQsocket(conn), size = COPY_SNDBUF;

	/* Unix sockets only: on TCP a fixed size would stop the kernel's own tuning. */
	if (fd < 0 || getsockname(fd, (struct sockaddr *)&addr, &len) != 0 ||
	    addr.ss_family != AF_UNIX)
		return;
	/* A failure leaves the default: slower, never wrong. */
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
}

static void init(struct copy_sink *s)
{
	memset(s, 0, sizeof *s);
	hx_buf_init(&s->buf, BUF_MAX);
	hx_error_clear(&s->err);
}

void copy_sink_tmp(struct copy_sink *s)
{
	init(s);
	s->to_tmp = 1;
}

int copy_sink_start(struct copy_sink *s, PGconn *conn, const char *sql, struct hx_error *err)
{
	PGresult *res;
	int rc = 0;

	init(s);
	res = PQexec(conn, sql);
	if (PQresultStatus(res) != PGRES_COPY_IN)
		rc = hx_db_error_from_result(err, HX_SOFTWARE, res, "could not start COPY");
	else
		s->conn = conn;
	PQclear(res);
	return rc;
}

/* Send or write everything before offset upto; keep the rest. */
static void drain(struct copy_sink *s, size_t upto)
{
	if (s->failed || upto == 0)
		return;
	if (s->conn != NULL) {
		if (put_messages(s->conn, s->buf.data, upto) != 1) {
			s->failed = 1;
			hx_error_set(&s->err, HX_UNAVAILABLE, "could not send COPY data: %s",
			             PQerrorMessage(s->conn));
		}
	} else if (s->tmp == NULL && (s->tmp = tmpfile()) == NULL) {
		s->failed = 1;
		hx_error_set(&s->err, HX_SOFTWARE, "could not create a temporary file: %s",
		             strerror(errno));
	} else if (fwrite(s->buf.data, 1, upto, s->tmp) != upto) {
		s->failed = 1;
		hx_error_set(&s->err, HX_SOFTWARE, "could not write a temporary file: %s",
		             strerror(errno));
	}
	if (s->failed)
		return;
	memmove(s->buf.data, s->buf.data + upto, s->buf.len - upto);
	s->buf.len -= upto;
	s->buf.data[s->buf.len] = '\0';
	s->row_start -= upto;
}

char *copy_field_grow(struct copy_sink *s, size_t n)
{
	if (hx_buf_reserve(&s->buf, n + 1) < 0) {
		s->failed = 1;
		hx_error_set(&s->err, HX_SOFTWARE, "a COPY row exceeds %zu bytes", BUF_MAX);
		return NULL;
	}
	return copy_field(s, n);
}


/* What COPY text format writes after a backslash for the bytes it escapes; 0: as is. */
static const char escape[256] = {['\\'] = '\\', ['\t'] = 't', ['\n'] = 'n', ['\r'] = 'r'};

/*
 * Might one of the eight bytes of v need escaping?  A byte below 0x0E
 * (TAB, LF and CR among them: the rest cost only the byte-by-byte path)
 * or a backslash: exact tests for "some byte below" and "some byte zero".
 */
static inline int may_escape(uint64_t v)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t x = v ^ (ones * '\\');

	return ((((v - ones * 0x0E) & ~v) | ((x - ones) & ~x)) & highs) != 0;
}

void copy_text(struct copy_sink *s, const char *p, size_t n)
{
	char *w = copy_field(s, 2 * n); /* every byte escaped, at worst */
	size_t i = 0;

	if (w == NULL)
		return;
	/* Text needs no escape nearly always: eight bytes a step while none does. */
	for (; i + 8 <= n; i += 8, w += 8) {
		uint64_t v;

		memcpy(&v, p + i, sizeof v);
		if (may_escape(v))
			break;
		memcpy(w, &v, sizeof v);
	}
	/* The last few bytes, when none needs escaping, as one word: the eight
	 * that end the text (some written again, the same), or below eight
	 * bytes in all, the first four and the last four. */
	if (i < n && i == (n & ~(size_t)7)) {
		uint64_t v;

		if (n >= 8) {
			memcpy(&v, p + n - 8, sizeof v);
			if (!may_escape(v)) {
				memcpy(w + (n - i) - 8, &v, sizeof v);
				copy_field_end(s, w + (n - i));
				return;
			}
		} else if (n >= 4) {
			uint32_t a, b;

			memcpy(&a, p, sizeof a);
			memcpy(&b, p + n - 4, sizeof b);
			if (!may_escape(a | (uint64_t)b << 32)) {
				memcpy(w, &a, sizeof a);
				memcpy(w + n - 4, &b, sizeof b);
				copy_field_end(s, w + n);
				return;
			}
		}
	}
	for (; i < n; i++) {
		char e = escape[(unsigned char)p[i]];

		if (e == 0) {
			*w++ = p[i];
		} else {
			*w++ = '\\';
			*w++ = e;
		}
	}
	copy_field_end(s, w);
}

void copy_null(struct copy_sink *s)
{
	copy_raw(s, "\\N", 2);
}


void copy_int(struct copy_sink *s, int64_t v)
{
	/* Two digits a step: every row starts with its line number. */
	static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930"
	                            "31323334353637383940414243444546474849505152535455565758596061"
	                            "62636465666768697071727374757677787980818283848586878889909192"
	                            "93949596979899";
	char tmp[24], *p = tmp + sizeof tmp;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	while (u >= 100) {
		p -= 2;
		memcpy(p, pairs + 2 * (u % 100), 2);
		u /= 100;
	}
	if (u >= 10) {
		p -= 2;
		memcpy(p, pairs + 2 * u, 2);
	} else {
		*--p = (char)('0' + u);
	}
	if (v < 0)
		*--p = '-';
	copy_raw(s, p, (size_t)(tmp + sizeof tmp - p));
}

void copy_row_end(struct copy_sink *s)
{
	struct hx_buf *b = &s->buf;

	if ((b->data == NULL || b->cap - b->len < 2) && hx_buf_reserve(b, 1) < 0) {
		s->failed = 1;
		hx_error_set(&s->err, HX_SOFTWARE, "a COPY row exceeds %zu bytes", BUF_MAX);
	} else {
		b->data[b->len++] = '\n';
		b->data[b->len] = '\0';
	}
	s->rows++;
	s->row_fields = 0;
	s->row_start = s->buf.len;
	if (s->buf.len >= SEND_AT)
		drain(s, s->buf.len);
}

void copy_row_keep(struct copy_sink *s, int n)
{
	if (n < 1 || n >= COPY_FIELDS_MAX || s->row_fields <= n)
		return;
	s->buf.len = s->row_start + s->field_at[n] - 1; /* and the tab before field n */
	s->buf.data[s->buf.len] = '\0';
	s->row_fields = n;
}

void copy_row_abort(struct copy_sink *s)
{
	s->buf.len = s->row_start;
	if (s->buf.data != NULL)
		s->buf.data[s->buf.len] = '\0';
	s->row_fields = 0;
}

/* End the COPY on conn and drain its results (the first error into err, unless aborted). */
static int end_copy(struct copy_sink *s, PGconn *conn, const char *failure_reason,
                    struct hx_error *err)
{
	PGresult *res;
	int rc = 0;

	if (PQputCopyEnd(conn, failure_reason) != 1)
		rc = hx_error_set(err, HX_UNAVAILABLE, "could not end COPY: %s", PQerrorMessage(conn));
	while ((res = PQgetResult(conn)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == 0 && failure_reason == NULL) {
			rc = hx_db_error_from_result(err, hx_db_failure_code(conn, res), res,
			                             "COPY failed");
			if (s->sqlstate[0] == '\0')
				snprintf(s->sqlstate, sizeof s->sqlstate, "%s", hx_db_sqlstate(res));
		}
		PQclear(res);
	}
	return rc;
}

int copy_refused_data(const struct copy_sink *s)
{
	return s->sqlstate[0] == '2' && (s->sqlstate[1] == '2' || s->sqlstate[1] == '3');
}

int copy_sink_finish(struct copy_sink *s, const char *failure_reason, struct hx_error *err)
{
	int rc;

	if (s->conn == NULL)
		return 0;
	s->buf.len = s->row_start; /* an unfinished row is never sent */
	drain(s, s->buf.len);
	if (s->failed && failure_reason == NULL)
		failure_reason = "the client could not send all rows";
	rc = end_copy(s, s->conn, failure_reason, err);
	if (rc == 0 && s->failed) {
		*err = s->err;
		rc = -1;
	}
	s->conn = NULL;
	return rc;
}

/* Send n bytes into the COPY in progress on out. */
static int send_raw(struct copy_sink *out, const char *p, size_t n)
{
	if (put_messages(out->conn, p, n) != 1) {
		out->failed = 1;
		hx_error_set(&out->err, HX_UNAVAILABLE, "could not send COPY data: %s",
		             PQerrorMessage(out->conn));
		return -1;
	}
	return 0;
}

/* Rows of a kept sink left out while it is sent: their indexes, ascending. */
struct skipping {
	const unsigned long long *rows;
	size_t n, k;             /* k: the next one to leave out */
	unsigned long long row;  /* the index of the row the bytes being sent are in */
};

/*
 * Send n bytes of a kept sink's rows into out, leaving out those sk names
 * (NULL: none).  A row may begin in one call and end in the next.
 */
static int send_rows(struct copy_sink *out, const char *p, size_t n, struct skipping *sk)
{
	size_t keep = 0, row_start = 0; /* keep: the first byte neither sent nor left out */
	int drop;

	if (sk == NULL || sk->k == sk->n)
		return send_raw(out, p, n);
	drop = sk->rows[sk->k] == sk->row;
	for (size_t i = 0; i < n && sk->k < sk->n; i++) {
		if (p[i] != '\n')
			continue;
		if (drop) {
			if (row_start > keep && send_raw(out, p + keep, row_start - keep) < 0)
				return -1;
			keep = i + 1;
			sk->k++;
		}
		sk->row++;
		row_start = i + 1;
		drop = sk->k < sk->n && sk->rows[sk->k] == sk->row;
	}
	if (drop)
		n = row_start; /* the rest is the start of a row left out */
	return n > keep ? send_raw(out, p + keep, n - keep) : 0;
}

/* copy_sink_append, leaving out the rows sk names (NULL: none). */
static int append(struct copy_sink *out, struct copy_sink *kept, struct skipping *sk,
                  struct hx_error *err)
{
	char chunk[64 * 1024];
	size_t n;

	if (kept->failed) {
		*err = kept->err;
		return -1;
	}
	drain(out, out->row_start); /* what out holds goes first, complete rows only */
	if (out->failed) {
		*err = out->err;
		return -1;
	}
	if (kept->tmp != NULL) {
		if (fflush(kept->tmp) != 0 || fseek(kept->tmp, 0, SEEK_SET) != 0)
			return hx_error_set(err, HX_SOFTWARE, "could not rewind a temporary file: %s",
			                    strerror(errno));
		while ((n = fread(chunk, 1, sizeof chunk, kept->tmp)) > 0)
			if (send_rows(out, chunk, n, sk) < 0)
				break;
		if (ferror(kept->tmp) && !out->failed) {
			out->failed = 1;
			hx_error_set(&out->err, HX_SOFTWARE, "could not read a temporary file");
		}
		/* Back to the end, so that more rows can follow. */
		(void)fseek(kept->tmp, 0, SEEK_END);
	}
	if (!out->failed)
		(void)send_rows(out, kept->buf.data, kept->row_start, sk);
	if (out->failed) {
		*err = out->err;
		return -1;
	}
	return 0;
}

int copy_sink_append(struct copy_sink *out, struct copy_sink *kept, struct hx_error *err)
{
	return append(out, kept, NULL, err);
}

int copy_sink_replay_except(struct copy_sink *kept, PGconn *conn, const char *sql,
                            const unsigned long long *skip, size_t nskip, struct hx_error *err)
{
	struct skipping sk = {skip, nskip, 0, 0};
	struct copy_sink out;
	int rc;

	if (copy_sink_start(&out, conn, sql, err) < 0)
		return -1;
	if (append(&out, kept, &sk, err) < 0) {
		struct hx_error ignore;

		(void)copy_sink_finish(&out, "the client could not send all rows", &ignore);
		copy_sink_close(&out);
		return -1;
	}
	rc = copy_sink_finish(&out, NULL, err);
	memcpy(kept->sqlstate, out.sqlstate, sizeof kept->sqlstate);
	copy_sink_close(&out);
	return rc;
}

int copy_sink_replay(struct copy_sink *kept, PGconn *conn, const char *sql, struct hx_error *err)
{
	return copy_sink_replay_except(kept, conn, sql, NULL, 0, err);
}

void copy_sink_close(struct copy_sink *s)
{
	if (s->tmp != NULL)
		fclose(s->tmp);
	s->tmp = NULL;
	hx_buf_free(&s->buf);
}
