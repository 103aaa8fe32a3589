/*
 * fuzz_csvread.c — libFuzzer target for the streaming CSV reader
 * (common/csvread.h).  The first byte of the input picks the options (read
 * sizes from 1 byte up, small field and record caps, a fixed or detected
 * delimiter); the rest is the file.  Beyond "no crash, no leak, no
 * undefined behaviour" it checks the reader's promises on every record:
 * physical lines only grow, a record never ends before it starts, fields
 * are NUL-terminated at their length and never longer than the cap, and an
 * error says what it is, and no record is longer than the record cap.
 * Differentially, the same bytes read whole (64 KiB reads) give exactly the
 * same records, lines, delimiter and errors as read in small pieces: where
 * the reads end never changes what is read (this found the delimiter
 * detected from part of the header, and the record cap checked against the
 * allocation, both fixed in fe4ba9c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "csvread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct mem_src {
	const uint8_t *p;
	size_t len, pos, step;
};

static ssize_t mem_read(void *ctx, char *buf, size_t cap, struct hx_error *err)
{
	struct mem_src *m = ctx;
	size_t n = m->len - m->pos;

	(void)err;
	if (n > cap)
		n = cap;
	if (m->step > 0 && n > m->step)
		n = m->step;
	memcpy(buf, m->p + m->pos, n);
	m->pos += n;
	return (ssize_t)n;
}

/* The two readers agree on this step: same result, same record. */
static void same(int rc, const struct hx_csv_record *a, const struct hx_error *ea, int rc2,
                 const struct hx_csv_record *b, const struct hx_error *eb)
{
	if (rc != rc2)
		abort();
	if (rc < 0 && strcmp(ea->msg, eb->msg) != 0)
		abort();
	if (rc != 1)
		return;
	if (a->nfields != b->nfields || a->line != b->line || a->last_line != b->last_line ||
	    a->raw_len != b->raw_len || a->too_long_field != b->too_long_field ||
	    a->too_many_fields != b->too_many_fields || memcmp(a->raw, b->raw, a->raw_len) != 0)
		abort();
	for (size_t i = 0; i < a->nfields; i++)
		if (a->lens[i] != b->lens[i] || memcmp(a->fields[i], b->fields[i], a->lens[i]) != 0)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t steps[8] = {0, 1, 2, 3, 7, 64, 4096, 65536};
	static const char delims[4] = {0, ',', ';', '\t'};
	struct hx_csv_options opts = {0, 0, 0};
	struct mem_src src, src2;
	struct hx_csv_reader *r, *r2;
	struct hx_csv_record rec, rec2;
	struct hx_error err, err2;
	long prev_line = 0;
	size_t max_field, max_record;
	int rc, rc2;

	if (size < 1)
		return 0;
	memset(&src, 0, sizeof src);
	src.step = steps[data[0] & 7];
	opts.delimiter = delims[(data[0] >> 3) & 3];
	if (data[0] & 0x20) {
		opts.max_field = 8;
		opts.max_record = 64;
	}
	max_field = opts.max_field ? opts.max_field : HX_CSV_MAX_FIELD_DEFAULT;
	max_record = opts.max_record ? opts.max_record : HX_CSV_MAX_RECORD_DEFAULT;
	src.p = data + 1;
	src.len = size - 1;
	src2 = src;
	src2.step = 0;
	r = hx_csv_new(mem_read, &src, &opts);
	r2 = hx_csv_new(mem_read, &src2, &opts);
	hx_error_clear(&err);
	hx_error_clear(&err2);
	for (;;) {
		rc = hx_csv_next(r, &rec, &err);
		rc2 = hx_csv_next(r2, &rec2, &err2);
		same(rc, &rec, &err, rc2, &rec2, &err2);
		if (rc != 1)
			break;
		if (rec.line < 1 || rec.last_line < rec.line || rec.line <= prev_line)
			abort();
		if (rec.nfields > HX_CSV_MAX_FIELDS)
			abort();
		for (size_t i = 0; i < rec.nfields; i++) {
			if (rec.lens[i] > max_field || rec.fields[i][rec.lens[i]] != '\0')
				abort();
		}
		if (rec.too_long_field > rec.nfields)
			abort();
		/* The raw buffer holds max_record + 2 bytes (room for a CR LF). */
		if (rec.raw_len > max_record + 2)
			abort();
		prev_line = rec.last_line;
		if (hx_csv_lines(r) < rec.last_line)
			abort();
	}
	if (rc < 0 && (err.code == HX_OK || err.msg[0] == '\0'))
		abort();
	if (hx_csv_bytes(r) > src.len || hx_csv_delimiter(r) != hx_csv_delimiter(r2))
		abort();
	hx_csv_free(r);
	hx_csv_free(r2);
	return 0;
}
