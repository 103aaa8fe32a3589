/*
 * sha256.c — SHA-256 through libcrypto's EVP interface (see sha256.h).
 * The algorithm is fetched once; libcrypto failing to start, feed or end
 * a digest can only be its running out of memory, which ends the process
 * as alloc.c's wrappers do.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

#include "exitcode.h"
#include "log.h"
#include "sha256.h"

static void fatal(const char *what)
{
	fprintf(stderr, "%s: fatal: libcrypto could not %s a SHA-256 digest\n", hx_log_progname(),
	        what);
	exit(HX_SOFTWARE);
}

static const EVP_MD *sha256(void)
{
	static EVP_MD *md;

	if (md == NULL && (md = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL)
		fatal("find");
	return md;
}

void hx_sha256_init(struct hx_sha256 *s)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (ctx == NULL || EVP_DigestInit_ex(ctx, sha256(), NULL) != 1)
		fatal("start");
	s->ctx = ctx;
}

void hx_sha256_update(struct hx_sha256 *s, const void *p, size_t n)
{
	if (n > 0 && EVP_DigestUpdate(s->ctx, p, n) != 1)
		fatal("feed");
}

void hx_sha256_final_hex(struct hx_sha256 *s, char hex[HX_SHA256_HEXLEN + 1])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char out[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (EVP_DigestFinal_ex(s->ctx, out, &len) != 1 || len * 2 != HX_SHA256_HEXLEN)
		fatal("finish");
	for (unsigned int i = 0; i < len; i++) {
		hex[2 * i] = digits[out[i] >> 4];
		hex[2 * i + 1] = digits[out[i] & 15];
	}
	hex[HX_SHA256_HEXLEN] = '\0';
	hx_sha256_free(s);
}

void hx_sha256_free(struct hx_sha256 *s)
{
	EVP_MD_CTX_free(s->ctx);
	s->ctx = NULL;
}

void hx_sha256_hex(const void *p, size_t n, char hex[HX_SHA256_HEXLEN + 1])
{
	struct hx_sha256 s;

	hx_sha256_init(&s);
	hx_sha256_update(&s, p, n);
	hx_sha256_final_hex(&s, hex);
}
