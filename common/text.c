/*
 * text.c — encodings of submission files and folding for matching (see
 * text.h).  Byte-level and allocation-free: the UTF-8 check runs over every
 * byte of files of gigabytes, so it judges sixteen bytes at a time where
 * the CPU allows (SSSE3), and skips ASCII eight bytes at a time elsewhere.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "text.h"

/* ---- UTF-8 ---------------------------------------------------------------- */

/*
 * Length of the well-formed UTF-8 sequence at p[0..n) (RFC 3629, Table 3-7
 * of the Unicode standard), or 0 if it is malformed.  *cut is set when the
 * bytes so far are a valid beginning that the end of the data cuts off.
 * p[0] == 0 is returned as a valid 1-byte sequence: callers decide on NUL.
 */
static size_t utf8_seq(const unsigned char *p, size_t n, int *cut)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xBF;
	size_t need, i;

	*cut = 0;
	if (c < 0x80)
		return 1;
	if (c < 0xC2)
		return 0;              /* continuation byte, or overlong C0/C1 */
	if (c < 0xE0) {
		need = 2;
	} else if (c < 0xF0) {
		need = 3;
		if (c == 0xE0)
			lo = 0xA0;         /* overlong */
		else if (c == 0xED)
			hi = 0x9F;         /* surrogates */
	} else if (c < 0xF5) {
		need = 4;
		if (c == 0xF0)
			lo = 0x90;         /* overlong */
		else if (c == 0xF4)
			hi = 0x8F;         /* above U+10FFFF */
	} else {
		return 0;
	}
	for (i = 1; i < need; i++) {
		if (i >= n) {
			*cut = 1;
			return 0;
		}
		if (p[i] < lo || p[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xBF;
	}
	return need;
}

/* The code point of the well-formed sequence of length k at p. */
static uint32_t utf8_decode(const unsigned char *p, size_t k)
{
	switch (k) {
	case 1:
		return p[0];
	case 2:
		return (uint32_t)(p[0] & 0x1F) << 6 | (uint32_t)(p[1] & 0x3F);
	case 3:
		return (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 |
		       (uint32_t)(p[2] & 0x3F);
	default:
		return (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 |
		       (uint32_t)(p[2] & 0x3F) << 6 | (uint32_t)(p[3] & 0x3F);
	}
}

/*
 * The byte-at-a-time check, with its ASCII eight bytes at a time: the
 * reference, and what finds the offset of a bad byte the block check saw.
 */
static int utf8_check_bytes(const void *data, size_t len, size_t *bad_offset)
{
	const unsigned char *p = data;
	size_t i = 0, k;
	int cut;

	while (i < len) {
		if (len - i >= 8) {
			uint64_t v, odd;

			/*
			 * Eight bytes at a time: the bytes that are not ASCII, or are
			 * NUL, have their high bit set in odd (exactly: no false
			 * positives).  Eight plain ASCII bytes, the common case, pass
			 * at once; else the ASCII before the first odd byte does.
			 */
			memcpy(&v, p + i, sizeof v);
			odd = (v | ~(((v & 0x7F7F7F7F7F7F7F7FULL) + 0x7F7F7F7F7F7F7F7FULL) | v)) &
			      0x8080808080808080ULL;
			if (odd == 0) {
				i += 8;
				continue;
			}
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			i += (size_t)__builtin_ctzll(odd) / 8;
#endif
		}
		if (p[i] == 0)
			break;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		/* Two bytes (U+0080..U+07FF: ư, ơ, đ...) and three from E1 to EC
		 * (U+1000..U+CFFF: ạ, ễ, ộ... of U+1Exx), the usual cases, inline;
		 * the lead bytes with narrower second bytes go to utf8_seq. */
		if (p[i] >= 0xC2 && p[i] <= 0xDF && i + 1 < len && (p[i + 1] & 0xC0) == 0x80) {
			i += 2;
			continue;
		}
		if (p[i] >= 0xE1 && p[i] <= 0xEC && i + 2 < len && (p[i + 1] & 0xC0) == 0x80 &&
		    (p[i + 2] & 0xC0) == 0x80) {
			i += 3;
			continue;
		}
		k = utf8_seq(p + i, len - i, &cut);
		if (k == 0)
			break;
		i += k;
	}
	if (i >= len)
		return 0;
	if (bad_offset != NULL)
		*bad_offset = i;
	return -1;
}

#if defined(__SSE2__) && defined(__GNUC__)
/*
 * Sixteen bytes a step with SSSE3's byte shuffle, where the CPU has it:
 * the method of J. Keiser and D. Lemire ("Validating UTF-8 in less than
 * one instruction per byte", 2021).  Each byte is judged with the byte
 * before it by three lookups of 16 entries (the high nibble of the byte
 * before, its low nibble, the high nibble of the byte), whose AND says
 * which rule the pair breaks, if any; the bytes that must be the second
 * or third continuation of a 3- or 4-byte sequence are told apart by the
 * bytes two and three before.  A step whose bytes are all ASCII only
 * checks that the step before did not end in the middle of a sequence.
 * The file's bytes are mostly Vietnamese letters in ASCII (two and three
 * bytes each, every few bytes): the byte-at-a-time check branched on
 * each of them.
 */
#include <tmmintrin.h>

/* What a pair of bytes breaks: the bits of the lookup tables. */
#define U8_TOO_SHORT 0x01   /* a lead byte, then no continuation */
#define U8_TOO_LONG 0x02    /* ASCII, then a continuation */
#define U8_OVERLONG_3 0x04  /* E0 80..9F */
#define U8_TOO_LARGE 0x08   /* F4 90..BF, F5..FF */
#define U8_SURROGATE 0x10   /* ED A0..BF */
#define U8_OVERLONG_2 0x20  /* C0..C1 */
#define U8_TOO_LARGE_1000 0x40 /* F5..FF 80..8F */
#define U8_OVERLONG_4 0x40  /* F0 80..8F */
#define U8_TWO_CONTS 0x80   /* two continuations: right only as a 3rd or 4th byte */
#define U8_CARRY (U8_TOO_SHORT | U8_TOO_LONG | U8_TWO_CONTS)

__attribute__((target("ssse3"))) static inline __m128i
u8_lookup(__m128i table, __m128i nibbles)
{
	return _mm_shuffle_epi8(table, nibbles);
}

/* The errors of block in, whose 16 bytes before were prev. */
__attribute__((target("ssse3"))) static inline __m128i u8_block_errors(__m128i in, __m128i prev)
{
	const __m128i low4 = _mm_set1_epi8(0x0F);
	const __m128i byte_1_high = _mm_setr_epi8(
		U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG,
		U8_TOO_LONG, U8_TOO_LONG, (char)U8_TWO_CONTS, (char)U8_TWO_CONTS,
		(char)U8_TWO_CONTS, (char)U8_TWO_CONTS, U8_TOO_SHORT | U8_OVERLONG_2, U8_TOO_SHORT,
		U8_TOO_SHORT | U8_OVERLONG_3 | U8_SURROGATE,
		U8_TOO_SHORT | U8_TOO_LARGE | U8_TOO_LARGE_1000 | U8_OVERLONG_4);
	const __m128i byte_1_low = _mm_setr_epi8(
		(char)(U8_CARRY | U8_OVERLONG_3 | U8_OVERLONG_2 | U8_OVERLONG_4),
		(char)(U8_CARRY | U8_OVERLONG_2), (char)U8_CARRY, (char)U8_CARRY,
		(char)(U8_CARRY | U8_TOO_LARGE), (char)(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000),
		(char)(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000),
		(char)(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000),
		(char)(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000),
		(char)(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000),
		(char)(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000),
		(char)(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000),
		(char)(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000),
		(char)(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000 | U8_SURROGATE),
		(char)(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000),
		(char)(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000));
	const __m128i byte_2_high = _mm_setr_epi8(
		U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT,
		U8_TOO_SHORT, U8_TOO_SHORT,
		(char)(U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_OVERLONG_3 |
		       U8_TOO_LARGE_1000 | U8_OVERLONG_4),
		(char)(U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_OVERLONG_3 | U8_TOO_LARGE),
		(char)(U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_SURROGATE | U8_TOO_LARGE),
		(char)(U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_SURROGATE | U8_TOO_LARGE),
		U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT);
	__m128i prev1 = _mm_alignr_epi8(in, prev, 15); /* each byte's byte before */
	__m128i prev2 = _mm_alignr_epi8(in, prev, 14);
	__m128i prev3 = _mm_alignr_epi8(in, prev, 13);
	__m128i sc = _mm_and_si128(
		_mm_and_si128(u8_lookup(byte_1_high, _mm_and_si128(_mm_srli_epi16(prev1, 4), low4)),
		              u8_lookup(byte_1_low, _mm_and_si128(prev1, low4))),
		u8_lookup(byte_2_high, _mm_and_si128(_mm_srli_epi16(in, 4), low4)));
	/* The third byte after E0..EF, the third or fourth after F0..FF: high bit set. */
	__m128i third = _mm_subs_epu8(prev2, _mm_set1_epi8((char)(0xE0 - 0x80)));
	__m128i fourth = _mm_subs_epu8(prev3, _mm_set1_epi8((char)(0xF0 - 0x80)));
	__m128i must23 = _mm_and_si128(_mm_or_si128(third, fourth), _mm_set1_epi8((char)0x80));

	return _mm_xor_si128(must23, sc);
}

/*
 * Whether data[0..len) is well-formed and has no NUL, a block at a time:
 * 0 or -1, no offset.  The bytes after the last block are checked padded
 * with spaces, so a sequence the data cuts off is malformed, as it is for
 * utf8_check_bytes.
 */
__attribute__((target("ssse3"))) static int utf8_check_blocks(const unsigned char *p, size_t len)
{
	const __m128i zero = _mm_setzero_si128();
	/* Nonzero in the last 3 bytes when they begin a sequence the block cuts off. */
	const __m128i incomplete_max = _mm_setr_epi8(
		-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, (char)(0xF0 - 1),
		(char)(0xE0 - 1), (char)(0xC0 - 1));
	__m128i prev = zero, err = zero, incomplete = zero;
	unsigned char last[16];
	size_t i = 0;

	for (;; i += 16) {
		__m128i in;

		if (i + 16 <= len) {
			in = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		} else {
			memset(last, ' ', sizeof last);
			if (len > i)
				memcpy(last, p + i, len - i);
			in = _mm_loadu_si128((const __m128i *)(const void *)last);
		}
		err = _mm_or_si128(err, _mm_cmpeq_epi8(in, zero));
		if (_mm_movemask_epi8(in) == 0) {
			/* ASCII: only a sequence the block before left open is an error. */
			err = _mm_or_si128(err, incomplete);
		} else {
			err = _mm_or_si128(err, u8_block_errors(in, prev));
			incomplete = _mm_subs_epu8(in, incomplete_max);
		}
		prev = in;
		if (i + 16 > len)
			break;
	}
	return _mm_movemask_epi8(_mm_cmpeq_epi8(err, zero)) == 0xFFFF ? 0 : -1;
}
#endif

int hx_text_utf8_check(const void *data, size_t len, size_t *bad_offset)
{
#if defined(__SSE2__) && defined(__GNUC__)
	static int ssse3 = -1;

	if (ssse3 < 0)
		ssse3 = __builtin_cpu_supports("ssse3") != 0;
	/* Clean text, the usual case, passes here; a bad byte is found again
	 * byte by byte, for its offset. */
	if (len >= 64 && ssse3 && utf8_check_blocks(data, len) == 0)
		return 0;
#endif
	return utf8_check_bytes(data, len, bad_offset);
}

size_t hx_text_utf8_incomplete_tail(const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t back;
	int cut;

	for (back = 1; back <= 3 && back <= len; back++) {
		unsigned char c = p[len - back];

		if ((c & 0xC0) != 0x80) {      /* the last lead byte (or ASCII) */
			if (c < 0xC2)
				return 0;
			(void)utf8_seq(p + len - back, back, &cut);
			return cut ? back : 0;
		}
	}
	return 0;
}

/* ---- What the file is ---------------------------------------------------- */

/* NUL bytes in a sample this long tell UTF-16 from binary well enough. */
#define SNIFF_MAX 4096

enum hx_text_encoding hx_text_sniff(const void *head, size_t len, size_t *bom_len)
{
	static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
	const unsigned char *p = head;
	size_t i, n, even = 0, odd = 0;

	if (bom_len != NULL)
		*bom_len = 0;
	/* UTF-32LE's BOM starts with UTF-16LE's: test it first. */
	if (len >= 4 && ((p[0] == 0xFF && p[1] == 0xFE && p[2] == 0 && p[3] == 0) ||
	                 (p[0] == 0 && p[1] == 0 && p[2] == 0xFE && p[3] == 0xFF)))
		return HX_TEXT_UTF32;
	if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
		if (bom_len != NULL)
			*bom_len = 3;
		return HX_TEXT_UTF8_BOM;
	}
	if (len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) {
		if (bom_len != NULL)
			*bom_len = 2;
		return p[0] == 0xFF ? HX_TEXT_UTF16LE_BOM : HX_TEXT_UTF16BE_BOM;
	}
	if (len >= 4 && memcmp(p, "PK\3\4", 4) == 0)
		return HX_TEXT_ZIP;
	if (len >= sizeof ole && memcmp(p, ole, sizeof ole) == 0)
		return HX_TEXT_OLE;
	n = len < SNIFF_MAX ? len : SNIFF_MAX;
	for (i = 0; i < n; i++)
		if (p[i] == 0) {
			if (i % 2 == 0)
				even++;
			else
				odd++;
		}
	if (even == 0 && odd == 0)
		return HX_TEXT_UTF8;
	/*
	 * CSV is mostly ASCII (digits, separators, codes), whose UTF-16 form has
	 * a NUL in every other byte: the high byte, second in little-endian.
	 */
	if (odd >= n / 8 && even * 8 <= odd)
		return HX_TEXT_UTF16LE_NOBOM;
	if (even >= n / 8 && odd * 8 <= even)
		return HX_TEXT_UTF16BE_NOBOM;
	return HX_TEXT_BINARY;
}

const char *hx_text_encoding_name(enum hx_text_encoding enc)
{
	switch (enc) {
	case HX_TEXT_UTF8:
		return "UTF-8";
	case HX_TEXT_UTF8_BOM:
		return "UTF-8 with BOM";
	case HX_TEXT_UTF16LE_BOM:
		return "UTF-16LE";
	case HX_TEXT_UTF16BE_BOM:
		return "UTF-16BE";
	case HX_TEXT_UTF16LE_NOBOM:
		return "UTF-16LE without BOM";
	case HX_TEXT_UTF16BE_NOBOM:
		return "UTF-16BE without BOM";
	case HX_TEXT_UTF32:
		return "UTF-32";
	case HX_TEXT_ZIP:
		return "ZIP";
	case HX_TEXT_OLE:
		return "OLE2";
	case HX_TEXT_BINARY:
		break;
	}
	return "binary";
}

const char *hx_text_encoding_problem(enum hx_text_encoding enc)
{
	switch (enc) {
	case HX_TEXT_UTF8:
	case HX_TEXT_UTF8_BOM:
	case HX_TEXT_UTF16LE_BOM:
	case HX_TEXT_UTF16BE_BOM:
		return NULL;
	case HX_TEXT_UTF16LE_NOBOM:
	case HX_TEXT_UTF16BE_NOBOM:
		return _("looks like UTF-16 without a byte-order mark; save it as UTF-8 "
		         "(in Excel: CSV UTF-8)");
	case HX_TEXT_UTF32:
		return _("is UTF-32, which is not read; save it as UTF-8 (in Excel: CSV UTF-8)");
	case HX_TEXT_ZIP:
		return _("is a ZIP archive, probably an Excel .xlsx workbook; save the sheet "
		         "as CSV UTF-8");
	case HX_TEXT_OLE:
		return _("is an Excel .xls workbook (or another Office file); save the sheet "
		         "as CSV UTF-8");
	case HX_TEXT_BINARY:
		break;
	}
	return _("is not a text file (it contains NUL bytes); save it as UTF-8 "
	         "(in Excel: CSV UTF-8)");
}

/* ---- UTF-16 --------------------------------------------------------------- */

void hx_text_utf16_init(struct hx_text_utf16 *c, int big_endian, size_t start_offset)
{
	memset(c, 0, sizeof *c);
	c->big_endian = big_endian;
	c->offset = start_offset;
	c->error = NULL;
}

static unsigned utf16_unit(const unsigned char *p, int big_endian)
{
	return big_endian ? (unsigned)p[0] << 8 | p[1] : (unsigned)p[1] << 8 | p[0];
}

/* Write code point cp (< 0x110000, not a surrogate) as UTF-8; returns its length. */
static size_t utf8_encode(uint32_t cp, char *o)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

int hx_text_utf16_to_utf8(struct hx_text_utf16 *c, const void *in, size_t inlen,
                          int final, char *out, size_t outcap)
{
	const unsigned char *p = in;
	size_t i = 0, o = 0;
	int full = 0;

	c->error = NULL;
	while (inlen - i >= 2) {
		unsigned u = utf16_unit(p + i, c->big_endian);
		uint32_t cp = u;
		size_t used = 2, need;

		if (u >= 0xD800 && u <= 0xDBFF) {
			unsigned u2;

			if (inlen - i < 4) {
				if (final)
					c->error = N_("a UTF-16 high surrogate at the end of the file");
				break;
			}
			u2 = utf16_unit(p + i + 2, c->big_endian);
			if (u2 < 0xDC00 || u2 > 0xDFFF) {
				c->error = N_("a lone UTF-16 high surrogate");
				break;
			}
			cp = 0x10000 + ((uint32_t)(u - 0xD800) << 10) + (u2 - 0xDC00);
			used = 4;
		} else if (u >= 0xDC00 && u <= 0xDFFF) {
			c->error = N_("a lone UTF-16 low surrogate");
			break;
		} else if (u == 0) {
			c->error = N_("a NUL character, which is never text");
			break;
		}
		need = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
		if (outcap - o < need) {
			full = 1;
			break;
		}
		o += utf8_encode(cp, out + o);
		i += used;
	}
	if (c->error == NULL && !full && final && i < inlen)
		c->error = N_("an odd number of bytes, which UTF-16 never has");
	c->in_used = i;
	c->out_len = o;
	if (c->error != NULL)
		c->bad_offset = c->offset + i;
	c->offset += i;
	return c->error != NULL ? -1 : 0;
}

/* ---- Legacy Vietnamese encodings ------------------------------------------ */

static int is_ascii_letter(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_ascii_vowel(unsigned char c)
{
	return c != 0 && strchr("aeiouyAEIOUY", c) != NULL;
}

/* VNI's tone and shape bytes, written after the base vowel ("aø" = à). */
static int is_vni_accent(unsigned char c)
{
	static const unsigned char accents[] = {
		/* lower case: sắc huyền hỏi ngã nặng, â ă, â+tones, ă+tones */
		0xF9, 0xF8, 0xFB, 0xF5, 0xEF, 0xE2, 0xEA, 0xE1, 0xE0, 0xE5, 0xE3, 0xE4,
		0xE9, 0xE8, 0xFA, 0xFC, 0xEB,
		/* the same for capitals */
		0xD9, 0xD8, 0xDB, 0xD5, 0xCF, 0xC2, 0xCA, 0xC1, 0xC0, 0xC5, 0xC3, 0xC4,
		0xC9, 0xC8, 0xDA, 0xDC, 0xCB,
	};

	return memchr(accents, c, sizeof accents) != NULL;
}

enum hx_text_legacy hx_text_legacy_guess(const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i = 0, bad = 0, tcvn = 0, vni = 0;

	while (i < len) {
		unsigned char c = p[i], prev, next;
		size_t k;
		int cut;

		if (c < 0x80) {
			i++;
			continue;
		}
		k = utf8_seq(p + i, len - i, &cut);
		if (k > 0) {
			i += k;
			continue;
		}
		bad++;
		prev = i > 0 ? p[i - 1] : 0;
		next = i + 1 < len ? p[i + 1] : 0;
		if (is_vni_accent(c) && (is_ascii_vowel(prev) || prev == 0xF4 || prev == 0xF6 ||
		                         prev == 0xD4 || prev == 0xD6))
			vni++;          /* "aø", "oâ", "ôù" (ớ) */
		else if ((c == 0xF1 || c == 0xD1 || c == 0xF4 || c == 0xF6 || c == 0xD4 ||
		          c == 0xD6) && (is_ascii_letter(next) || is_vni_accent(next)))
			vni++;          /* "ñoàn" (đoàn), "nöôùc" (nước) */
		else if (c >= 0xA1 && c <= 0xBF &&
		         (is_ascii_letter(prev) || is_ascii_letter(next) ||
		          prev >= 0xA1 || next >= 0xA1))
			tcvn++;         /* "®×nh" (đình), "Hµ" (Hà) */
		i++;
	}
	/*
	 * Legacy text has marked letters all over; a Windows-1252 file has a
	 * curly quote here and a "naïve" there.  A sample of one or two bad
	 * bytes (a short header) needs half of them to look legacy.
	 */
	if (tcvn + vni == 0 || (tcvn + vni) * 4 < bad ||
	    (tcvn + vni < 3 && (tcvn + vni) * 2 < bad))
		return HX_TEXT_LEGACY_NONE;
	return tcvn >= vni ? HX_TEXT_LEGACY_TCVN3 : HX_TEXT_LEGACY_VNI;
}

void hx_text_explain_invalid(const void *data, size_t len, size_t bad_offset,
                             unsigned char bad_byte, char *msg, size_t msglen)
{
	enum hx_text_legacy legacy;

	if (msg == NULL || msglen == 0)
		return;
	if (bad_byte == 0) {
		hx_text_explain_nul(bad_offset, 0, msg, msglen);
		return;
	}
	legacy = hx_text_legacy_guess(data, len);
	if (legacy != HX_TEXT_LEGACY_NONE)
		snprintf(msg, msglen, _("not valid UTF-8 at byte offset %zu (byte 0x%02X): it "
		                        "looks like a legacy TCVN3 (ABC) or VNI font encoding (most "
		                        "likely %s); name its encoding with --encoding, or save it "
		                        "as UTF-8"), bad_offset, bad_byte,
		         legacy == HX_TEXT_LEGACY_TCVN3 ? "TCVN3" : "VNI");
	else
		snprintf(msg, msglen, _("not valid UTF-8 at byte offset %zu (byte 0x%02X); "
		                        "save it as UTF-8 (in Excel: CSV UTF-8)"), bad_offset, bad_byte);
}

void hx_text_explain_nul(size_t bad_offset, long line, char *msg, size_t msglen)
{
	char where[48] = "";

	if (msg == NULL || msglen == 0)
		return;
	if (line > 0)
		snprintf(where, sizeof where, _(" (line %ld)"), line);
	/* UTF-16 without a BOM is told apart by hx_text_sniff before this is said. */
	snprintf(msg, msglen, _("is not a text file: it contains a NUL byte at byte offset %zu%s, "
	                        "which text never holds; save it as UTF-8 (in Excel: CSV UTF-8)"),
	         bad_offset, where);
}

/* ---- Folding -------------------------------------------------------------- */

/* fold_cp results that are not a letter to write. */
#define FOLD_KEEP  0   /* copy the character unchanged */
#define FOLD_DROP  1   /* write nothing */
#define FOLD_SPACE 2   /* a separator: runs become one space */

/*
 * Base letters of U+00C0..U+00FF and U+0100..U+017F; '*' keeps the
 * character (Æ, ×, ß, Œ, ...).  Ð/ð become d: people type Ð for Đ.
 */
static const char latin1_base[] =
	"aaaaaa*ceeeeiiiidnooooo*ouuuuy**"   /* U+00C0..U+00DF */
	"aaaaaa*ceeeeiiiidnooooo*ouuuuy*y";  /* U+00E0..U+00FF */
static const char latin_ext_a_base[] =
	"aaaaaaccccccccddddeeeeeeeeeegggggggg"   /* U+0100..U+0123 */
	"hhhhiiiiiiiiii**jjkk*llllllllllnnnnnn"  /* U+0124..U+0148 */
	"***oooooo**rrrrrrsssssssstttttt"        /* U+0149..U+0167 */
	"uuuuuuuuuuuuwwyyyzzzzzzs";              /* U+0168..U+017F */

_Static_assert(sizeof latin1_base == 0x40 + 1, "one letter per U+00C0..U+00FF");
_Static_assert(sizeof latin_ext_a_base == 0x80 + 1, "one letter per U+0100..U+017F");

/*
 * How to fold code point cp: an ASCII letter to write (>= 'a'), or
 * FOLD_KEEP, FOLD_DROP, FOLD_SPACE.
 */
static int fold_cp(uint32_t cp)
{
	if (cp < 0x80) {
		if (cp >= 'A' && cp <= 'Z')
			return (int)(cp - 'A' + 'a');
		if (cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == '_' || cp == '-')
			return FOLD_SPACE;
		return FOLD_KEEP;
	}
	if (cp >= 0xC0 && cp <= 0xFF)
		return latin1_base[cp - 0xC0] == '*' ? FOLD_KEEP : latin1_base[cp - 0xC0];
	if (cp >= 0x100 && cp <= 0x17F)
		return latin_ext_a_base[cp - 0x100] == '*' ? FOLD_KEEP :
		       latin_ext_a_base[cp - 0x100];
	/* Vietnamese letters from Latin Extended Additional, in Unicode's order. */
	if (cp >= 0x1EA0 && cp <= 0x1EF9) {
		if (cp <= 0x1EB7)
			return 'a';            /* ạ ả ấ ầ ẩ ẫ ậ ắ ằ ẳ ẵ ặ */
		if (cp <= 0x1EC7)
			return 'e';            /* ẹ ẻ ẽ ế ề ể ễ ệ */
		if (cp <= 0x1ECB)
			return 'i';            /* ỉ ị */
		if (cp <= 0x1EE3)
			return 'o';            /* ọ ỏ ố ồ ổ ỗ ộ ớ ờ ở ỡ ợ */
		if (cp <= 0x1EF1)
			return 'u';            /* ụ ủ ứ ừ ử ữ ự */
		return 'y';                /* ỳ ỵ ỷ ỹ */
	}
	switch (cp) {
	case 0x01A0: case 0x01A1:      /* Ơ ơ */
		return 'o';
	case 0x01AF: case 0x01B0:      /* Ư ư */
		return 'u';
	case 0x0189:                   /* Ɖ, typed for Đ */
		return 'd';
	case 0x00A0: case 0x1680: case 0x2028: case 0x2029: case 0x202F:
	case 0x205F: case 0x2212: case 0x3000:
		return FOLD_SPACE;
	case 0x00AD: case 0x2060: case 0xFEFF:
		return FOLD_DROP;
	default:
		break;
	}
	if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
	    (cp >= 0x200B && cp <= 0x200D))
		return FOLD_DROP;          /* combining marks (NFD), zero-width */
	if ((cp >= 0x2000 && cp <= 0x200A) || (cp >= 0x2010 && cp <= 0x2015))
		return FOLD_SPACE;         /* spaces, hyphens and dashes */
	return FOLD_KEEP;
}

size_t hx_text_fold_n(const char *s, size_t len, char *out, size_t outlen)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, total = 0, o = 0;
	int pending = 0, full = outlen == 0;

	while (i < len) {
		const unsigned char *src = p + i;
		size_t k = 1, n;
		int f, cut;
		char letter;

		if (p[i] < 0x80) {
			f = fold_cp(p[i]);
		} else if ((k = utf8_seq(src, len - i, &cut)) == 0) {
			k = 1;                 /* not UTF-8: copied as it is */
			f = FOLD_KEEP;
		} else {
			f = fold_cp(utf8_decode(src, k));
		}
		i += k;
		if (f == FOLD_DROP)
			continue;
		if (f == FOLD_SPACE) {
			pending = total > 0;
			continue;
		}
		/* Write the pending space and the character, or only count them. */
		letter = (char)f;
		if (f != FOLD_KEEP) {
			src = (const unsigned char *)&letter;
			k = 1;
		}
		n = k + (size_t)pending;
		if (!full && o + n < outlen) {
			if (pending)
				out[o++] = ' ';
			memcpy(out + o, src, k);
			o += k;
		} else {
			full = 1;              /* keep the written part a clean prefix */
		}
		total += n;
		pending = 0;
	}
	if (outlen > 0)
		out[o] = '\0';
	return total;
}

size_t hx_text_fold(const char *utf8, char *out, size_t outlen)
{
	return hx_text_fold_n(utf8, strlen(utf8), out, outlen);
}

/* ---- Quoting values in messages ------------------------------------------- */

const char *hx_text_excerpt(const char *s, size_t len, char *out, size_t outlen)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, o = 0, budget, k;
	int cut;

	if (outlen < 4) {
		if (outlen > 0)
			out[0] = '\0';
		return out;
	}
	/* Every byte becomes one byte, so the value fits exactly when len does. */
	budget = len <= outlen - 1 ? len : outlen - 4;
	while (i < len) {
		k = p[i] < 0x80 ? 1 : utf8_seq(p + i, len - i, &cut);
		if (k == 0)
			k = 1;                 /* not UTF-8: shown as '?' */
		if (o + k > budget)
			break;
		if (k == 1)
			out[o] = (p[i] < 0x20 || p[i] >= 0x7F) ? '?' : (char)p[i];
		else
			memcpy(out + o, p + i, k);
		i += k;
		o += k;
	}
	if (i < len) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

void hx_text_msgf(char *msg, size_t msglen, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (msg == NULL || msglen == 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(msg, msglen, fmt, ap);
	va_end(ap);
	/* A message cut to fit must not end in half a character. */
	if (n >= 0 && (size_t)n >= msglen) {
		size_t len = strlen(msg);

		msg[len - hx_text_utf8_incomplete_tail(msg, len)] = '\0';
	}
}
