/*
 * fuzz_csvread.c — libFuzzer target for the streaming CSV reader
 * (common/csvread.h).  The first byte of the input picks the options (read
 * sizes from 1 byte up, small field and record caps, a fixed or detected
 * delimiter); the rest is the file.  Beyond "no crash, no leak, no
 * undefined behaviour" it checks the reader's promises on every record:
 * physical lines only grow, a record never ends before it starts, fields
 * are NUL-terminated at their length and never longer than the cap, and an
 * error says what it is.
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t steps[8] = {0, 1, 2, 3, 7, 64, 4096, 65536};
	static const char delims[4] = {0, ',', ';', '\t'};
	struct hx_csv_options opts = {0, 0, 0};
	struct mem_src src;
	struct hx_csv_reader *r;
	struct hx_csv_record rec;
	struct hx_error err;
	long prev_line = 0;
	size_t max_field;
	int rc;

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
	src.p = data + 1;
	src.len = size - 1;
	r = hx_csv_new(mem_read, &src, &opts);
	hx_error_clear(&err);
	while ((rc = hx_csv_next(r, &rec, &err)) == 1) {
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
		prev_line = rec.last_line;
		if (hx_csv_lines(r) < rec.last_line)
			abort();
	}
	if (rc < 0 && (err.code == HX_OK || err.msg[0] == '\0'))
		abort();
	if (hx_csv_bytes(r) > src.len)
		abort();
	hx_csv_free(r);
	return 0;
}
