/*
 * sha256.h — SHA-256 (FIPS 180-4), streaming, for the file ledger: a file's
 * identity is the sha256 of its bytes, computed while it is read, so that
 * the same bytes ingested twice are recognised whatever their name.
 * No library of the allowed set (libpq, libcsv, jansson) offers a digest,
 * hence this small implementation.
 */
#ifndef HOCTAP_SHA256_H
#define HOCTAP_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define HX_SHA256_LEN 32
#define HX_SHA256_HEXLEN 64

struct hx_sha256 {
	uint32_t h[8];
	uint64_t nbytes;     /* total bytes fed */
	unsigned char block[64];
	size_t fill;         /* bytes waiting in block */
};

/* Start a new digest. */
void hx_sha256_init(struct hx_sha256 *s);
/* Feed n bytes (n may be 0; p may be NULL then). */
void hx_sha256_update(struct hx_sha256 *s, const void *p, size_t n);
/* Finish: the 32-byte digest into out.  s must be re-initialised before reuse. */
void hx_sha256_final(struct hx_sha256 *s, unsigned char out[HX_SHA256_LEN]);
/* Finish into 64 lowercase hex digits and a NUL (hex has room for 65 bytes). */
void hx_sha256_final_hex(struct hx_sha256 *s, char hex[HX_SHA256_HEXLEN + 1]);
/* The hex digest of one buffer. */
void hx_sha256_hex(const void *p, size_t n, char hex[HX_SHA256_HEXLEN + 1]);

/* Tests: on != 0 uses the portable code even where the SHA extensions exist. */
void hx_sha256_use_portable(int on);

#endif
