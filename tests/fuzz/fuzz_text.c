/*
 * fuzz_text.c — libFuzzer target for common/text.h: what a file's bytes
 * are.  The first byte picks the check; the rest is the data.  Oracles:
 *   - hx_text_utf8_check agrees with a plain reference validator written
 *     here from RFC 3629 (and NUL is refused), including the bad offset;
 *   - checking in chunks, holding back hx_text_utf8_incomplete_tail bytes,
 *     gives the same verdict as checking the whole;
 *   - UTF-16 conversion yields valid UTF-8, and converting in small chunks
 *     gives exactly the bytes converting at once gives;
 *   - hx_text_excerpt and hx_text_explain_invalid NUL-terminate within
 *     their buffers, and an excerpt of valid UTF-8 is valid UTF-8.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reference: offset of the first malformed sequence, or len if none. */
static size_t ref_utf8(const uint8_t *p, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint8_t c = p[i];
		uint32_t cp;
		size_t k, need;

		if (c == 0)
			return i;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			need = 1, cp = c & 0x1Fu;
		else if (c >= 0xE0 && c <= 0xEF)
			need = 2, cp = c & 0x0Fu;
		else if (c >= 0xF0 && c <= 0xF4)
			need = 3, cp = c & 0x07u;
		else
			return i;
		if (i + need >= len)
			return i;
		for (k = 1; k <= need; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (p[i + k] & 0x3Fu);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += need + 1;
	}
	return len;
}

static void check_utf8(const uint8_t *p, size_t len, size_t step)
{
	size_t want = ref_utf8(p, len), bad = 0, pos = 0, held;
	int rc = hx_text_utf8_check(p, len, &bad);

	if ((rc == 0) != (want == len) || (rc < 0 && bad != want))
		abort();
	/* The same in chunks of step bytes. */
	held = 0;
	while (pos < len) {
		size_t end = pos + step < len ? pos + step : len;
		size_t start = pos - held, tail = end < len ? hx_text_utf8_incomplete_tail(p + start, end - start) : 0;

		if (tail > 3 || tail > end - start)
			abort();
		if (hx_text_utf8_check(p + start, end - start - tail, &bad) < 0) {
			if (want == len || start + bad != want)
				abort();
			return;
		}
		held = tail;
		pos = end;
	}
	if (want != len)
		abort();
}

static void check_utf16(const uint8_t *p, size_t len, int big_endian, size_t step)
{
	struct hx_text_utf16 c;
	size_t cap = len / 2 * 3 + 4;
	char *whole = malloc(cap + 1), *part = malloc(cap + 8);
	size_t whole_len, part_len = 0, used = 0;
	int rc_whole, rc_part = 0;

	hx_text_utf16_init(&c, big_endian, 0);
	rc_whole = hx_text_utf16_to_utf8(&c, p, len, 1, whole, cap);
	whole_len = c.out_len;
	if (whole_len > cap)
		abort();
	if (rc_whole == 0) {
		if (c.in_used != len || hx_text_utf8_check(whole, whole_len, NULL) < 0)
			abort();
	} else if (c.error == NULL || c.bad_offset > len) {
		abort();
	}
	/* In chunks: at most step bytes a call; what a call leaves over is passed again. */
	hx_text_utf16_init(&c, big_endian, 0);
	for (;;) {
		size_t avail = len - used, feed = avail < step ? avail : step;
		int final = feed == avail;

		rc_part = hx_text_utf16_to_utf8(&c, p + used, feed, final, part + part_len,
		                                cap + 8 - part_len);
		if (rc_part < 0)
			break;
		if (c.in_used > feed)
			abort();
		part_len += c.out_len;
		used += c.in_used;
		if (final) {
			if (used != len)
				abort();
			break;
		}
		if (c.in_used == 0)
			step++; /* a surrogate pair needs 4 bytes at once */
	}
	if ((rc_part == 0) != (rc_whole == 0))
		abort();
	if (rc_whole == 0 && (part_len != whole_len || memcmp(part, whole, whole_len) != 0))
		abort();
	free(whole);
	free(part);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p;
	size_t n, bom = 9;
	char msg[300], ex[HX_TEXT_EXCERPT_SZ];
	enum hx_text_encoding enc;

	if (size < 1)
		return 0;
	p = data + 1;
	n = size - 1;
	switch (data[0] & 7) {
	case 0:
	case 1:
		check_utf8(p, n, (size_t)(data[0] >> 3) + 1);
		break;
	case 2:
	case 3:
		check_utf16(p, n, data[0] & 1, (size_t)(data[0] >> 3) + 1);
		break;
	case 4:
		enc = hx_text_sniff(p, n, &bom);
		if (bom != 0 && bom != 2 && bom != 3)
			abort();
		if (hx_text_encoding_name(enc) == NULL)
			abort();
		(void)hx_text_encoding_problem(enc);
		(void)hx_text_legacy_guess(p, n);
		break;
	case 5:
		if (n > 0) {
			size_t off = data[0] % n;

			memset(msg, 'X', sizeof msg);
			hx_text_explain_invalid(p, n, off, p[off], msg, sizeof msg);
			if (strnlen(msg, sizeof msg) == sizeof msg ||
			    hx_text_utf8_check(msg, strlen(msg), NULL) < 0)
				abort();
		}
		break;
	default:
		memset(ex, 'X', sizeof ex);
		hx_text_excerpt((const char *)p, n, ex, sizeof ex);
		if (strnlen(ex, sizeof ex) == sizeof ex)
			abort();
		if (ref_utf8(p, n) == n && hx_text_utf8_check(ex, strlen(ex), NULL) < 0)
			abort();
		break;
	}
	return 0;
}
