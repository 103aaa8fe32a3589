/*
 * csvread.h — a streaming CSV reader for spreadsheets as communes export
 * them (docs/design.md §4.2): RFC 4180 quoting (with newlines inside quotes),
 * ',' ';' or TAB detected from the header line, LF / CRLF / CR line ends,
 * an optional UTF-8 byte order mark, and *physical* line numbers for every
 * record (libcsv counts records, not lines: this reader feeds libcsv one
 * physical line at a time and counts them itself).
 *
 * Memory is bounded whatever the input: the reader holds one read chunk,
 * the record being parsed (at most max_record bytes) and its fields.  A
 * field longer than max_field is truncated and flagged (the caller rejects
 * the row naming the column); a record longer than max_record is an error
 * for the whole file (an unclosed quote usually causes it), never an
 * allocation of whatever the input asks for.
 *
 * Text encoding is not checked here: the caller validates the bytes (or
 * converts UTF-16) before or while they are read.
 */
#ifndef HOCTAP_CSVREAD_H
#define HOCTAP_CSVREAD_H

#include <stddef.h>
#include <sys/types.h>

#include "error.h"

#define HX_CSV_MAX_FIELD_DEFAULT ((size_t)64 * 1024)
#define HX_CSV_MAX_RECORD_DEFAULT ((size_t)1024 * 1024)
#define HX_CSV_MAX_FIELDS 512

/*
 * Where the bytes come from: fill buf with up to cap bytes (cap is at least
 * HX_CSV_MIN_READ); return the count, 0 at end of input, or -1 with err
 * filled.
 */
#define HX_CSV_MIN_READ 16
typedef ssize_t (*hx_csv_read_fn)(void *ctx, char *buf, size_t cap, struct hx_error *err);

struct hx_csv_options {
	size_t max_field;   /* 0: HX_CSV_MAX_FIELD_DEFAULT */
	size_t max_record;  /* 0: HX_CSV_MAX_RECORD_DEFAULT (raw bytes of one record) */
	char delimiter;     /* 0: detect from the first line (',' ';' or TAB) */
};

/* One record, borrowed from the reader until the next hx_csv_next call. */
struct hx_csv_record {
	size_t nfields;
	const char *const *fields;  /* NUL-terminated (a field may contain NULs: use lens) */
	const size_t *lens;
	long line;                  /* physical line (1-based) where the record starts */
	long last_line;             /* physical line where it ends (> line: quoted newlines) */
	const char *raw;            /* the record's bytes as in the file, without its line end */
	size_t raw_len;
	size_t too_long_field;      /* 1-based index of the first field longer than max_field
	                               (stored truncated), 0 if none */
	int too_many_fields;        /* more than HX_CSV_MAX_FIELDS: the rest were dropped */
};

struct hx_csv_reader;

/*
 * A reader over read_fn(ctx).  opts may be NULL for the defaults.  The
 * caller frees it with hx_csv_free (the source is not closed).
 */
struct hx_csv_reader *hx_csv_new(hx_csv_read_fn read_fn, void *ctx,
                                 const struct hx_csv_options *opts);
/* A reader over a file descriptor (read(2)); the fd stays the caller's. */
struct hx_csv_reader *hx_csv_new_fd(int fd, const struct hx_csv_options *opts);
/* A reader over n bytes at p, which must outlive it (a line, an embedded file). */
struct hx_csv_reader *hx_csv_new_mem(const char *p, size_t n, const struct hx_csv_options *opts);
void hx_csv_free(struct hx_csv_reader *r);

/*
 * The next record: 1 with rec filled, 0 at end of input, -1 with err
 * filled (err->code HX_DATAERR for malformed input — "line 7: the quote
 * opened on line 5 is never closed" —, or the read function's error).
 * Blank lines are skipped (they still count as lines).  A UTF-8 BOM at the
 * start of the input is skipped.
 */
int hx_csv_next(struct hx_csv_reader *r, struct hx_csv_record *rec, struct hx_error *err);

/*
 * Does rec hold no value at all: only delimiters and the blanks around them
 * (";;;;" or ", , ,", which Excel writes below the data of a sheet)?  Such
 * a row says as little as a blank line, and callers skip it the same way.
 * A record whose fields past HX_CSV_MAX_FIELDS were dropped is never blank:
 * what was dropped is not known.
 */
int hx_csv_record_blank(const struct hx_csv_record *rec);

/* The delimiter in use (detected after the first hx_csv_next call). */
char hx_csv_delimiter(const struct hx_csv_reader *r);
/* Bytes consumed from the source so far (for progress). */
unsigned long long hx_csv_bytes(const struct hx_csv_reader *r);
/* Physical lines seen so far. */
long hx_csv_lines(const struct hx_csv_reader *r);
/* 1 if the input began with a UTF-8 byte order mark. */
int hx_csv_had_bom(const struct hx_csv_reader *r);

#endif
