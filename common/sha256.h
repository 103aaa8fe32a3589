/*
 * sha256.h — SHA-256 of a stream, for the file ledger: a file's identity
 * is the sha256 of its bytes, computed while it is read, so that the same
 * bytes ingested twice are recognised whatever their name.  A thin wrapper
 * over OpenSSL's libcrypto (EVP), which libpq loads anyway and which uses
 * the processor's SHA instructions where it has them.
 */
#ifndef HOCTAP_SHA256_H
#define HOCTAP_SHA256_H

#include <stddef.h>

#define HX_SHA256_HEXLEN 64

/* A digest in progress.  Holds libcrypto's context: finish or free it. */
struct hx_sha256 {
	void *ctx;   /* EVP_MD_CTX, NULL when finished or freed */
};

/* Start a new digest (libcrypto failing to is fatal, as running out of memory is). */
void hx_sha256_init(struct hx_sha256 *s);
/* Feed n bytes (n may be 0; p may be NULL then). */
void hx_sha256_update(struct hx_sha256 *s, const void *p, size_t n);
/* Finish into 64 lowercase hex digits and a NUL; releases what init took. */
void hx_sha256_final_hex(struct hx_sha256 *s, char hex[HX_SHA256_HEXLEN + 1]);
/* Release a digest never finished (does nothing after final or a free). */
void hx_sha256_free(struct hx_sha256 *s);
/* The hex digest of one buffer. */
void hx_sha256_hex(const void *p, size_t n, char hex[HX_SHA256_HEXLEN + 1]);

#endif
