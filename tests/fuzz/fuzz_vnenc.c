/*
 * fuzz_vnenc.c — libFuzzer target for common/vnenc.h, the legacy
 * Vietnamese encodings.  The first byte picks the encoding (bits 0-1) and
 * the read size of the source (bits 2-4: 1, 2, 3, 7, 64, 1000, 4096 or 64
 * KiB bytes a read); the rest is the file.  Oracles:
 *   - hx_enc_detect returns 0 or -1, with a terminated, valid UTF-8
 *     explanation, a confidence in 1..100 when it chose, and a bad offset
 *     inside the sample when it did not;
 *   - converting through the streaming reader, source read in small pieces
 *     and output taken through the smallest buffer a CSV reader passes,
 *     gives exactly the bytes (or the error message) of converting at once;
 *   - the output is valid UTF-8 without NUL, and already NFC (normalising
 *     it again changes nothing);
 *   - an error names a byte offset inside the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"
#include "nfc.h"
#include "text.h"
#include "vnenc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct pieces {
	const uint8_t *s;
	size_t n, pos, piece;
};

static ssize_t read_pieces(void *ctx, char *buf, size_t cap, struct hx_error *err)
{
	struct pieces *p = ctx;
	size_t k = p->n - p->pos;

	(void)err;
	if (k > p->piece)
		k = p->piece;
	if (k > cap)
		k = cap;
	memcpy(buf, p->s + p->pos, k);
	p->pos += k;
	return (ssize_t)k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t pieces[] = {1, 2, 3, 7, 64, 1000, 4096, 65536};
	static int init;
	struct hx_enc_guess g;
	struct hx_error e1, e2;
	struct hx_buf whole, streamed, again;
	struct pieces p;
	struct hx_enc_reader *r;
	enum hx_enc enc;
	char buf[HX_CSV_MIN_READ];
	ssize_t n;
	int rc1, rc2 = 0;

	if (!init) {
		hx_i18n_init("en");
		init = 1;
	}
	if (size < 1)
		return 0;
	enc = (enum hx_enc)(data[0] & 3);
	p.piece = pieces[(data[0] >> 2) & 7];
	data++, size--;

	if (hx_enc_detect(data, size, 1, &g) == 0) {
		if (g.confidence < 1 || g.confidence > 100 || (unsigned)g.enc >= HX_ENC_COUNT)
			abort();
	} else if (g.bad_offset >= size) {
		abort();
	}
	if (memchr(g.explain, 0, sizeof g.explain) == NULL ||
	    hx_text_utf8_check(g.explain, strlen(g.explain), NULL) < 0)
		abort();

	hx_buf_init(&whole, size * 8 + 64);
	hx_buf_init(&streamed, size * 8 + 64);
	hx_buf_init(&again, size * 8 + 64);
	rc1 = hx_enc_decode(enc, (const char *)data, size, &whole, &e1);
	p.s = data;
	p.n = size;
	p.pos = 0;
	r = hx_enc_reader_new(enc, read_pieces, &p, 0);
	while ((n = hx_enc_read(r, buf, sizeof buf, &e2)) > 0)
		if (hx_buf_append(&streamed, buf, (size_t)n) < 0)
			abort();
	if (n < 0)
		rc2 = -1;
	hx_enc_reader_free(r);
	if (rc1 != rc2)
		abort();
	if (rc1 < 0) {
		if (strcmp(e1.msg, e2.msg) != 0 || e1.code != HX_DATAERR)
			abort();
	} else {
		if (whole.len != streamed.len || memcmp(hx_buf_str(&whole), hx_buf_str(&streamed),
		                                        whole.len) != 0)
			abort();
		if (hx_text_utf8_check(hx_buf_str(&whole), whole.len, NULL) < 0)
			abort();
		if (hx_nfc_append(hx_buf_str(&whole), whole.len, &again) < 0 || again.len != whole.len ||
		    memcmp(hx_buf_str(&again), hx_buf_str(&whole), whole.len) != 0)
			abort();
	}
	hx_buf_free(&whole);
	hx_buf_free(&streamed);
	hx_buf_free(&again);
	return 0;
}
