/*
 * hx_text_utf8_check on inputs long enough for its block check (16 bytes
 * a step with SSSE3; the portable build, test_utf8check_portable, runs the
 * byte-at-a-time check on the same cases): every verdict and every bad
 * offset must be those of a plain reading of RFC 3629 written here, for a
 * bad byte in every place of a block and across blocks, a sequence cut by
 * the end, a NUL, and thousands of random mixes of Vietnamese text and
 * bad bytes.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdint.h>
#include <string.h>

#include "lengthof.h"
#include "text.h"

/* The length of the sequence at p[0..n) by RFC 3629's table, 0 if malformed or cut. */
static size_t ref_seq(const unsigned char *p, size_t n)
{
	static const struct {
		unsigned char lead_lo, lead_hi, second_lo, second_hi;
		size_t len;
	} rows[] = {
		{0x01, 0x7F, 0, 0, 1},       {0xC2, 0xDF, 0x80, 0xBF, 2}, {0xE0, 0xE0, 0xA0, 0xBF, 3},
		{0xE1, 0xEC, 0x80, 0xBF, 3}, {0xED, 0xED, 0x80, 0x9F, 3}, {0xEE, 0xEF, 0x80, 0xBF, 3},
		{0xF0, 0xF0, 0x90, 0xBF, 4}, {0xF1, 0xF3, 0x80, 0xBF, 4}, {0xF4, 0xF4, 0x80, 0x8F, 4},
	};

	for (size_t r = 0; r < lengthof(rows); r++) {
		if (p[0] < rows[r].lead_lo || p[0] > rows[r].lead_hi)
			continue;
		if (rows[r].len > n)
			return 0;
		if (rows[r].len > 1 && (p[1] < rows[r].second_lo || p[1] > rows[r].second_hi))
			return 0;
		for (size_t k = 2; k < rows[r].len; k++)
			if (p[k] < 0x80 || p[k] > 0xBF)
				return 0;
		return rows[r].len;
	}
	return 0; /* NUL, a continuation, C0, C1, F5..FF */
}

/* -1 and the first bad offset, or 0. */
static int ref_check(const unsigned char *p, size_t n, size_t *bad)
{
	for (size_t i = 0; i < n;) {
		size_t k = ref_seq(p + i, n - i);

		if (k == 0) {
			*bad = i;
			return -1;
		}
		i += k;
	}
	return 0;
}

static void same_verdict(const unsigned char *p, size_t n, const char *what, size_t at)
{
	size_t want_bad = 0, got_bad = 0;
	int want = ref_check(p, n, &want_bad);
	int got = hx_text_utf8_check(p, n, &got_bad);

	cr_assert(eq(int, got, want), "%s at %zu (%zu bytes)", what, at, n);
	if (want < 0)
		cr_assert(eq(sz, got_bad, want_bad), "%s at %zu (%zu bytes)", what, at, n);
}

/* Good text with one of these put in each place of 80 bytes (five blocks). */
Test(utf8check, a_bad_sequence_is_found_in_every_place)
{
	static const struct {
		const char *bytes;
		const char *what;
	} bad[] = {
		{"\x80", "a lone continuation"},      {"\xBF", "a lone continuation"},
		{"\xC0\xAF", "an overlong 2"},       {"\xC1\xBF", "an overlong 2"},
		{"\xC3", "a lead without its end"},  {"\xE1\xBA", "a 3 cut after 2"},
		{"\xE0\x9F\xBF", "an overlong 3"},   {"\xED\xA0\x80", "a surrogate"},
		{"\xF0\x8F\xBF\xBF", "an overlong 4"}, {"\xF4\x90\x80\x80", "above U+10FFFF"},
		{"\xF5\x80\x80\x80", "an F5 lead"},  {"\xFF", "an FF"},
		{"\xE1\xBA\xA1\xA1", "a continuation too many"}, {"\xF0\x9F\x98", "a 4 cut after 3"},
		{"", "a NUL"},
	};
	static const char fill[] = "Nguy\xE1\xBB\x85n Xu\xC3\xA2n Ph\xC3\xBA" "c,T\xE1\xBB\x95 "
	                           "d\xC3\xA2n ph\xE1\xBB\x91 12,2020,00001-00002,true,false,"
	                           "72.5,abcdefghijklmnop";

	for (size_t b = 0; b < lengthof(bad); b++) {
		size_t blen = bad[b].bytes[0] != '\0' ? strlen(bad[b].bytes) : 1;

		for (size_t at = 0; at + blen <= 80; at++) {
			unsigned char text[96];

			memcpy(text, fill, 80);
			memcpy(text + at, bad[b].bytes, blen); /* "" puts its NUL */
			same_verdict(text, 80, bad[b].what, at);
			/* the same as the last bytes of the data */
			same_verdict(text, at + blen, bad[b].what, at);
		}
	}
}

/* Clean text of every length from 0 to 300: no verdict but 0. */
Test(utf8check, clean_text_of_every_length_passes)
{
	static const char word[] = "Gia \xC4\x91\xC3\xACnh h\xE1\xBB\x8D" "c t\xE1\xBA\xAD" "p;"
	                           "\xF0\x9F\x98\x80;ascii only here;";
	unsigned char text[320];
	size_t n = 0;

	while (n + sizeof word - 1 <= sizeof text) {
		memcpy(text + n, word, sizeof word - 1);
		n += sizeof word - 1;
	}
	for (size_t len = 0; len <= 300; len++) {
		size_t bad;

		if (ref_check(text, len, &bad) == 0)
			cr_assert(eq(int, hx_text_utf8_check(text, len, NULL), 0), "%zu bytes", len);
		else
			same_verdict(text, len, "a cut", len);
	}
}

Test(utf8check, random_mixes_read_as_rfc_3629_says)
{
	static const char *const pieces[] = {
		"a", "Tổ", "ễ", "đ", "Ư", " ", "0123456789abcdef", "😀", "\xE2\x82\xAC",
		"\xEF\xBF\xBD", "\xF4\x8F\xBF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80"};
	static const char *const wrong[] = {"\x80", "\xC2", "\xE1\x80", "\xED\xA0\x80", "\xF8",
	                                    "\xC0\x80", "\xF0\x80\x80\x80", ""};
	unsigned char text[2048];
	uint64_t x = 0x9e3779b97f4a7c15ULL;

	for (int round = 0; round < 4000; round++) {
		size_t n = 0, len;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		len = x % (sizeof text - 16);
		while (n < len) {
			const char *p;
			size_t k;

			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			if (x % 211 == 0) {
				p = wrong[(x >> 8) % lengthof(wrong)];
				k = p[0] != '\0' ? strlen(p) : 1;
			} else {
				p = pieces[(x >> 8) % lengthof(pieces)];
				k = strlen(p);
			}
			memcpy(text + n, p, k);
			n += k;
		}
		same_verdict(text, n, "random", (size_t)round);
	}
}
