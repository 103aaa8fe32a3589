/*
 * source.h — a file's bytes as UTF-8, read in chunks: UTF-8 is checked
 * as it passes (a bad byte stops the file, naming its offset), UTF-16
 * (with BOM) is converted while read, and every byte read is hashed, so
 * the file's sha256 costs no pass of its own.  In raw mode the bytes pass
 * unchecked, for a converter from a legacy encoding (common/vnenc.h) that
 * reads them and says itself which byte it cannot read.  A file the scan read whole
 * already (hashed, every byte checked) is only read again.  Its read
 * function fits hx_csv_read_fn, so the CSV reader and the JSON reader
 * share it.
 */
#ifndef HOCTAP_INGEST_SOURCE_H
#define HOCTAP_INGEST_SOURCE_H

#include <sys/types.h>

#include "error.h"
#include "scan.h"
#include "sha256.h"
#include "text.h"

struct byte_source {
	int fd;
	enum scan_encoding encoding;
	unsigned long long raw_bytes; /* bytes read from the file so far (all hashed) */
	unsigned char in[16384];      /* UTF-16 input not yet converted; UTF-8: a cut-off sequence */
	size_t in_len;
	int eof;
	struct hx_text_utf16 conv;
	int scanned;                  /* the scan hashed and checked every byte already */
	int raw;                      /* UTF-8 bytes passed unchecked (source_raw) */
	struct hx_sha256 sha;         /* (not scanned) */
	int bad;                      /* not valid text: bad_message says where */
	char bad_message[512];
};

/*
 * Read fd from its start as the scan found it; scanned: the scan read the
 * whole file (scan_fd), so its bytes need no hashing or checking again.
 * 0, or -1 (err: cannot seek).  source_close releases it in any case.
 */
int source_init(struct byte_source *s, int fd, const struct file_scan *scan, int scanned,
                struct hx_error *err);
/*
 * Pass the bytes after the byte order mark unchecked (a file read as UTF-8
 * only): the caller converts them, and a byte its encoding cannot read is
 * told by setting bad and bad_message, as source_read does for UTF-8.
 */
void source_raw(struct byte_source *s);
/*
 * Fill buf with up to cap bytes of UTF-8 (cap >= 16): count, 0 at end, -1
 * with err (HX_DATAERR and s->bad set when the bytes are not valid text).
 */
ssize_t source_read(void *ctx, char *buf, size_t cap, struct hx_error *err);
/*
 * Not scanned: read (and hash) the rest of the file, then write its sha256
 * in hex (scanned: the scan has it; hex is left alone).  0, or -1 (err).
 */
int source_finish(struct byte_source *s, char hex[HX_SHA256_HEXLEN + 1], struct hx_error *err);
void source_close(struct byte_source *s);

#endif
