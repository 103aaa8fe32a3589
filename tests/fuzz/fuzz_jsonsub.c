/*
 * fuzz_jsonsub.c — libFuzzer target for the JSON submission reader
 * (ingest/jsonsub.c) as the loader drives it: the bytes are scanned first
 * (ingest/scan.c: sha256, encoding; a file that is not text stops there, as
 * in a real run), then read through ingest/source.c (UTF-16 converted) by
 * jsonsub_load into rows and rejects.
 *
 * Seam: jsonsub_load writes rows to temporary files and copies them into
 * PostgreSQL at the end; the harness passes no connection (conn NULL), so
 * that final COPY fails cleanly with -1 whenever some row was accepted.
 * Everything before it (the window over the file, jansson, every value
 * conversion, rejects and warnings) runs as in production.
 *
 * Oracles: jsonsub_load returns 0 or -1; a rejected file has a reason and a
 * message; every staging.rejects row written is one COPY row of exactly 7
 * fields and every staging.file_warnings row of 3 (an input can never add
 * a field or a row to COPY); rows loaded and rejected are never negative;
 * and, differentially, a UTF-8 file that jansson reads whole as one valid
 * JSON object or array (with the same duplicate-key rule) is never rejected
 * as "bad_json" by the windowed reader.
 *
 * The window reads 64 KiB at a time, so only inputs over 64 KiB reach a
 * chunk boundary: run with -max_len=200000 and a large seed to test it
 * (scripts/fuzz uses 64 KiB inputs).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "alloc.h"
#include "ingest.h"
#include "lengthof.h"
#include "scan.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct unit_set *units;

/*
 * Every row the sink kept has exactly fields-1 TABs: the rows in its
 * temporary file, if it made one (past 128 KiB), then those still in memory.
 */
static void check_copy_rows(struct copy_sink *s, int fields)
{
	FILE *f = s->tmp;
	int c, tabs = 0;

	if (f != NULL) {
		if (s->buf.len > 0 && fwrite(s->buf.data, 1, s->buf.len, f) != s->buf.len)
			abort();
		if (fflush(f) != 0 || fseek(f, 0, SEEK_SET) != 0)
			abort();
	} else if (s->buf.len == 0) {
		return;
	} else if ((f = fmemopen(s->buf.data, s->buf.len, "r")) == NULL) {
		abort();
	}
	while ((c = fgetc(f)) != EOF) {
		if (c == '\t') {
			tabs++;
		} else if (c == '\n') {
			if (tabs != fields - 1)
				abort();
			tabs = 0;
		} else if (c == '\r' || c == '\0') {
			abort();
		}
	}
	if (tabs != 0)
		abort();
	if (f != s->tmp)
		fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const codes[] = {"60", "593", "594", "22246", "22249", "22258", "01"};
	struct ingest_opts opts;
	struct file_result res;
	struct file_job job;
	struct file_scan scan;
	struct byte_source src;
	struct hx_error err;
	int fd, rc;

	if (units == NULL)
		units = units_from_codes(codes, lengthof(codes));
	fd = memfd_create("fuzz.json", MFD_CLOEXEC);
	if (fd < 0)
		abort();
	if (size > 0 && write(fd, data, size) != (ssize_t)size)
		abort();
	memset(&opts, 0, sizeof opts);
	memset(&res, 0, sizeof res);
	memset(&job, 0, sizeof job);
	hx_error_clear(&err);
	opts.max_rejects = -1;
	res.name = hx_strdup("fuzz.json");
	res.path = hx_strdup("inbox/fuzz.json");
	res.causes = json_array();
	res.warnings = json_array();
	job.opts = &opts;
	job.units = units;
	job.res = &res;
	job.display = res.path;
	job.numbers = HX_NUM_VI;
	snprintf(job.file_id_text, sizeof job.file_id_text, "1");
	copy_sink_tmp(&job.rejects);
	copy_sink_tmp(&job.warnings);
	if (scan_fd(fd, &scan, &err) < 0)
		abort();
	if (!scan.bad) {
		if (source_init(&src, fd, &scan, 0, &err) < 0)
			abort();
		rc = jsonsub_load(&job, &src, &err);
		if (rc != 0 && rc != -1)
			abort();
		if (rc < 0 && err.msg[0] == '\0')
			abort();
		if (job.file_failed && (job.file_reason == REASON_NONE || res.message == NULL))
			abort();
		if (res.rows_loaded < 0 || res.rows_rejected < 0)
			abort();
		if (job.file_failed && job.file_reason == REASON_BAD_JSON &&
		    scan.encoding == ENC_UTF8) {
			size_t skip = scan.bom ? 3 : 0;
			json_error_t je;
			json_t *whole = json_loadb((const char *)data + skip, size - skip,
			                           JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);

			if (whole != NULL && (json_is_object(whole) || json_is_array(whole))) {
				fprintf(stderr, "valid JSON rejected: %s\n", res.message);
				abort();
			}
			json_decref(whole);
		}
		check_copy_rows(&job.rejects, 7);
		check_copy_rows(&job.warnings, 3);
		source_close(&src);
	}
	close(fd);
	copy_sink_close(&job.rejects);
	copy_sink_close(&job.warnings);
	file_result_free(&res);
	return 0;
}
