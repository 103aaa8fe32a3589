/*
 * The SHA-256 wrapper over libcrypto (common/sha256.c) against the FIPS
 * 180-4 / NIST test vectors, streaming in pieces of every size giving the
 * same digest as one call, and a digest abandoned half way released.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

#include "lengthof.h"
#include "sha256.h"

struct vector {
	const char *input;
	size_t repeat;
	const char *hex;
};

static const struct vector vectors[] = {
	{"", 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	{"abc", 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
	 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
	{"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqr"
	 "lmnopqrsmnopqrstnopqrstu", 1,
	 "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
	{"a", 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
	/* 55, 56 and 64 bytes: the padding edge cases. */
	{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1,
	 "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
	{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1,
	 "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
	{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1,
	 "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
};

static char *expand(const struct vector *v, size_t *len)
{
	size_t n = strlen(v->input);
	char *s = malloc(n * v->repeat + 1);

	for (size_t i = 0; i < v->repeat; i++)
		memcpy(s + i * n, v->input, n);
	*len = n * v->repeat;
	s[*len] = '\0';
	return s;
}

Test(sha256, nist_vectors_in_one_call)
{
	for (size_t i = 0; i < lengthof(vectors); i++) {
		size_t len;
		char *s = expand(&vectors[i], &len);
		char hex[HX_SHA256_HEXLEN + 1];

		hx_sha256_hex(s, len, hex);
		cr_assert(eq(str, hex, vectors[i].hex), "vector %zu", i);
		free(s);
	}
}

Test(sha256, streaming_in_pieces_of_every_size_gives_the_same_digest)
{
	const struct vector *v = &vectors[3];
	size_t len;
	char *s = expand(v, &len);

	for (size_t piece = 1; piece <= 130; piece++) {
		struct hx_sha256 st;
		char hex[HX_SHA256_HEXLEN + 1];

		hx_sha256_init(&st);
		for (size_t off = 0; off < len; off += piece)
			hx_sha256_update(&st, s + off, len - off < piece ? len - off : piece);
		hx_sha256_final_hex(&st, hex);
		cr_assert(eq(str, hex, v->hex), "piece size %zu", piece);
	}
	free(s);
}

/* Run under ASan (scripts/test --sanitize), a digest left unfinished leaks unless freed. */
Test(sha256, a_digest_abandoned_half_way_is_freed_and_a_new_one_starts_clean)
{
	struct hx_sha256 st;
	char hex[HX_SHA256_HEXLEN + 1];

	hx_sha256_init(&st);
	hx_sha256_update(&st, "abcdbcdecdefdefg", 16);
	hx_sha256_free(&st);
	cr_assert(st.ctx == NULL);
	hx_sha256_free(&st); /* a second free does nothing */
	hx_sha256_init(&st);
	hx_sha256_update(&st, "abc", 3);
	hx_sha256_update(&st, NULL, 0);
	hx_sha256_final_hex(&st, hex);
	cr_assert_str_eq(hex, vectors[1].hex);
	cr_assert(st.ctx == NULL, "final releases the context");
}
