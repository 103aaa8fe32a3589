/*
 * source.h — a file's bytes as UTF-8, read in chunks: UTF-8 passes
 * through, UTF-16 (with BOM) is converted while read.  Its read function
 * fits hx_csv_read_fn, so the CSV reader and the JSON reader share it.
 */
#ifndef HOCTAP_INGEST_SOURCE_H
#define HOCTAP_INGEST_SOURCE_H

#include <sys/types.h>

#include "error.h"
#include "scan.h"
#include "text.h"

struct byte_source {
	int fd;
	enum scan_encoding encoding;
	unsigned long long raw_bytes; /* bytes read from the file so far */
	unsigned char in[16384];      /* UTF-16 input not yet converted */
	size_t in_len;
	int eof;
	struct hx_text_utf16 conv;
};

/* Read fd from its start as the scan found it.  0, or -1 (err: cannot seek). */
int source_init(struct byte_source *s, int fd, const struct file_scan *scan,
                struct hx_error *err);
/* Fill buf with up to cap bytes of UTF-8 (cap >= 4): count, 0 at end, -1 (err). */
ssize_t source_read(void *ctx, char *buf, size_t cap, struct hx_error *err);

#endif
