/*
 * test_bytes.c — hx_same_bytes (common/bytes.h), the comparison behind
 * every per-row cache of ingest (units, titles, booleans, numbers): true
 * for the same bytes, false for a difference at any position, whatever
 * the length (the word loop, the overlapping last word, the two words of
 * four, the bytes one by one) and the alignment.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <string.h>

#include "bytes.h"

Test(bytes, every_length_every_position_every_alignment)
{
	unsigned char a[80], b[80];

	for (size_t i = 0; i < sizeof a; i++)
		a[i] = (unsigned char)(i * 37 + 11);
	for (size_t off = 0; off < 8; off++) {
		for (size_t n = 0; n <= 64; n++) {
			memcpy(b + off, a + off, n);
			cr_assert(eq(int, hx_same_bytes(a + off, b + off, n), 1), "n %zu, off %zu", n,
			          off);
			for (size_t p = 0; p < n; p++) {
				b[off + p] ^= 0x80;
				cr_assert(eq(int, hx_same_bytes(a + off, b + off, n), 0),
				          "n %zu, off %zu, byte %zu differs", n, off, p);
				b[off + p] ^= 0x80;
			}
			/* a difference just past the n bytes is none of theirs */
			b[off + n] = (unsigned char)~a[off + n];
			cr_assert(eq(int, hx_same_bytes(a + off, b + off, n), 1), "n %zu, off %zu", n,
			          off);
		}
	}
}

Test(bytes, the_keys_the_caches_compare)
{
	static const struct {
		const char *x, *y;
		int same;
	} cases[] = {
		{"true", "true", 1},   {"true", "trUe", 0},     {"false", "falsE", 0},
		{"72.5", "72.6", 0},   {"00001", "00001", 1},   {"00001", "00002", 0},
		{"có", "có", 1},       {"không", "khong", 0},   {"family", "familY", 0},
		{"Gia đình học tập", "Gia đình học tập", 1},    {"Gia đình học tập", "Gia đình học tậP", 0},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		cr_assert(eq(int, hx_same_bytes(cases[i].x, cases[i].y, strlen(cases[i].x)),
		             cases[i].same), "%s vs %s", cases[i].x, cases[i].y);
}
