/*
 * test_text.c — encodings and folding of common/text.c, from tables of
 * cases: UTF-8 validity and offsets, BOM and UTF-16 sniffing, UTF-16
 * conversion, legacy TCVN3/VNI detection, folding (docs/design.md §4.2).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <string.h>

#include "lengthof.h"
#include "text.h"

/* Byte strings with embedded NULs need their length: B("...") gives both. */
#define B(lit) lit, sizeof(lit) - 1

/* ---- UTF-8 validity ------------------------------------------------------- */

struct utf8_case {
	const char *in;
	size_t len;
	int rc;
	size_t bad;
};

static const struct utf8_case utf8_cases[] = {
	{B(""), 0, 0},
	{B("year,unit_code,title"), 0, 0},
	{B("Mã đơn vị,Năm,Danh hiệu"), 0, 0},
	{B("\xEF\xBB\xBFyear"), 0, 0},                  /* a BOM is valid UTF-8 */
	{B("\xF0\x9F\x98\x80 ok"), 0, 0},               /* 4-byte sequence */
	{B("\xF4\x8F\xBF\xBF"), 0, 0},                  /* U+10FFFF */
	{B("abc\xFF" "def"), -1, 3},
	{B("ab\xC3"), -1, 2},                           /* cut off by the end */
	{B("ab\xC3(x"), -1, 2},                         /* bad continuation */
	{B("\x80"), -1, 0},                             /* stray continuation */
	{B("\xC0\xAF"), -1, 0},                         /* overlong '/' */
	{B("\xE0\x80\xAF"), -1, 0},                     /* overlong */
	{B("\xF0\x80\x80\xAF"), -1, 0},                 /* overlong */
	{B("\xED\xA0\x80"), -1, 0},                     /* UTF-16 surrogate D800 */
	{B("\xF4\x90\x80\x80"), -1, 0},                 /* above U+10FFFF */
	{B("\xF5\x80\x80\x80"), -1, 0},
	{B("ab\0cd"), -1, 2},                           /* NUL is never text */
	/* past the eight-bytes-at-a-time fast path */
	{B("0123456789abcdefg\xB8h"), -1, 17},
	{B("01234567\0" "9abcdefgh"), -1, 8},
	{B("0123456789abcdefghij\xC3\xA3xyz"), 0, 0},
	{B("Gia \xAE\xD7nh h\xE4" "c"), -1, 4},         /* TCVN3 "Gia đình học" */
};

Test(text, utf8_check_table)
{
	size_t i;

	for (i = 0; i < lengthof(utf8_cases); i++) {
		const struct utf8_case *c = &utf8_cases[i];
		size_t bad = 9999;
		int rc = hx_text_utf8_check(c->in, c->len, &bad);

		cr_expect(eq(int, rc, c->rc), "case %zu", i);
		if (c->rc < 0)
			cr_expect(eq(sz, bad, c->bad), "case %zu", i);
		else
			cr_expect(eq(sz, bad, 9999), "case %zu: offset set on success", i);
	}
	cr_expect(eq(int, hx_text_utf8_check("\xFF", 1, NULL), -1));
}

struct tail_case {
	const char *in;
	size_t len;
	size_t tail;
};

static const struct tail_case tail_cases[] = {
	{B(""), 0},
	{B("ab"), 0},
	{B("ab\xC3"), 1},
	{B("ab\xE1\xBA"), 2},
	{B("ab\xE1"), 1},
	{B("ab\xF0\x9F\x98"), 3},
	{B("ab\xC3\xA3"), 0},
	{B("ab\xE1\xBA\xA1"), 0},
	{B("ab\xFF"), 0},
	{B("\x80"), 0},
	{B("ab\xE0\x80"), 0},    /* not a valid beginning (overlong) */
};

Test(text, utf8_incomplete_tail_table)
{
	size_t i;

	for (i = 0; i < lengthof(tail_cases); i++)
		cr_expect(eq(sz, hx_text_utf8_incomplete_tail(tail_cases[i].in, tail_cases[i].len),
		             tail_cases[i].tail), "case %zu", i);
}

/* Checking in chunks of every size, carrying the tail, agrees with one check. */
Test(text, utf8_check_in_chunks)
{
	static const char text[] = "Mã đơn vị,Năm: Cộng đồng học tập cấp xã 😀 ỹ";
	size_t len = sizeof text - 1, chunk;

	for (chunk = 1; chunk <= len; chunk++) {
		char buf[sizeof text];
		size_t carry = 0, pos = 0, bad;

		while (pos < len) {
			size_t n = len - pos < chunk ? len - pos : chunk, have, tail;

			memcpy(buf + carry, text + pos, n);
			have = carry + n;
			pos += n;
			tail = pos < len ? hx_text_utf8_incomplete_tail(buf, have) : 0;
			cr_assert(eq(int, hx_text_utf8_check(buf, have - tail, &bad), 0),
			          "chunk %zu at %zu", chunk, pos);
			memmove(buf, buf + have - tail, tail);
			carry = tail;
		}
	}
}

/* ---- Sniffing ------------------------------------------------------------- */

struct sniff_case {
	const char *in;
	size_t len;
	enum hx_text_encoding enc;
	size_t bom;
};

static const struct sniff_case sniff_cases[] = {
	{B("year,unit_code"), HX_TEXT_UTF8, 0},
	{B(""), HX_TEXT_UTF8, 0},
	{B("\xEF\xBB\xBFyear"), HX_TEXT_UTF8_BOM, 3},
	{B("\xEF\xBB\xBF"), HX_TEXT_UTF8_BOM, 3},
	{B("\xFF\xFEy\0e\0"), HX_TEXT_UTF16LE_BOM, 2},
	{B("\xFE\xFF\0y\0e"), HX_TEXT_UTF16BE_BOM, 2},
	{B("\xFF\xFE\0\0y\0\0\0"), HX_TEXT_UTF32, 0},
	{B("\0\0\xFE\xFF\0\0\0y"), HX_TEXT_UTF32, 0},
	{B("y\0e\0a\0r\0,\0u\0n\0i\0t\0"), HX_TEXT_UTF16LE_NOBOM, 0},
	{B("\0y\0e\0a\0r\0,\0u\0n\0i\0t"), HX_TEXT_UTF16BE_NOBOM, 0},
	/* Vietnamese letters have non-NUL high bytes; the ASCII still tells */
	{B("G\0i\0a\0 \0\x11\x01\xEC\0n\0h\0 \0h\0\xCD\x1E" "c\0"), HX_TEXT_UTF16LE_NOBOM, 0},
	{B("PK\3\4\x14\0\6\0"), HX_TEXT_ZIP, 0},
	{B("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0"), HX_TEXT_OLE, 0},
	{B("a\0\0b\0\0c\0\0d"), HX_TEXT_BINARY, 0},
};

Test(text, sniff_table)
{
	size_t i;

	for (i = 0; i < lengthof(sniff_cases); i++) {
		const struct sniff_case *c = &sniff_cases[i];
		size_t bom = 99;

		cr_expect(eq(int, hx_text_sniff(c->in, c->len, &bom), c->enc), "case %zu (%s)", i,
		          hx_text_encoding_name(hx_text_sniff(c->in, c->len, NULL)));
		cr_expect(eq(sz, bom, c->bom), "case %zu", i);
	}
}

Test(text, encoding_problems)
{
	cr_expect(hx_text_encoding_problem(HX_TEXT_UTF8) == NULL);
	cr_expect(hx_text_encoding_problem(HX_TEXT_UTF8_BOM) == NULL);
	cr_expect(hx_text_encoding_problem(HX_TEXT_UTF16LE_BOM) == NULL);
	cr_expect(hx_text_encoding_problem(HX_TEXT_UTF16BE_BOM) == NULL);
	cr_expect(strstr(hx_text_encoding_problem(HX_TEXT_UTF16LE_NOBOM),
	                 "UTF-16 without a byte-order mark; save it as UTF-8") != NULL);
	cr_expect(strstr(hx_text_encoding_problem(HX_TEXT_UTF16BE_NOBOM), "UTF-16") != NULL);
	cr_expect(strstr(hx_text_encoding_problem(HX_TEXT_ZIP), ".xlsx") != NULL);
	cr_expect(strstr(hx_text_encoding_problem(HX_TEXT_OLE), ".xls") != NULL);
	cr_expect(strstr(hx_text_encoding_problem(HX_TEXT_UTF32), "UTF-32") != NULL);
	cr_expect(strstr(hx_text_encoding_problem(HX_TEXT_BINARY), "not a text file") != NULL);
	cr_expect(eq(str, hx_text_encoding_name(HX_TEXT_UTF16LE_BOM), "UTF-16LE"));
}

/* ---- UTF-16 --------------------------------------------------------------- */

struct utf16_case {
	const char *in;
	size_t len;
	int big_endian;
	int rc;
	const char *out;      /* when rc == 0 */
	size_t bad;           /* when rc == -1: file offset, the input starting at 2 */
	const char *why;
};

static const struct utf16_case utf16_cases[] = {
	{B("y\0e\0a\0r\0"), 0, 0, "year", 0, NULL},
	{B("\0y\0e\0a\0r"), 1, 0, "year", 0, NULL},
	{B("G\0i\0a\0 \0\x11\x01\xEC\0n\0h\0 \0h\0\xCD\x1E" "c\0 \0t\0\xAD\x1Ep\0"), 0, 0,
	 "Gia đình học tập", 0, NULL},
	{B("\x01\x11\0\xEC"), 1, 0, "đì", 0, NULL},
	{B("\x3D\xD8\x00\xDE"), 0, 0, "😀", 0, NULL},          /* U+1F600, a pair */
	{B("\x3D\xD8" "A\0"), 0, -1, NULL, 2, "lone UTF-16 high surrogate"},
	{B("a\0\x00\xDE"), 0, -1, NULL, 4, "lone UTF-16 low surrogate"},
	{B("a\0b"), 0, -1, NULL, 4, "odd number of bytes"},
	{B("a\0\x3D\xD8"), 0, -1, NULL, 4, "high surrogate at the end"},
	{B("a\0\0\0"), 0, -1, NULL, 4, "NUL"},
	{B(""), 0, 0, "", 0, NULL},
};

Test(text, utf16_table)
{
	size_t i;

	for (i = 0; i < lengthof(utf16_cases); i++) {
		const struct utf16_case *c = &utf16_cases[i];
		struct hx_text_utf16 conv;
		char out[64];
		int rc;

		hx_text_utf16_init(&conv, c->big_endian, 2);
		rc = hx_text_utf16_to_utf8(&conv, c->in, c->len, 1, out, sizeof out);
		cr_expect(eq(int, rc, c->rc), "case %zu: %s", i, conv.error ? conv.error : "");
		if (rc == 0 && c->rc == 0) {
			cr_expect(eq(sz, conv.in_used, c->len), "case %zu", i);
			cr_expect(eq(sz, conv.out_len, strlen(c->out)), "case %zu", i);
			out[conv.out_len] = '\0';
			cr_expect(eq(str, out, c->out), "case %zu", i);
		}
		if (rc < 0 && c->rc < 0) {
			cr_expect(eq(sz, conv.bad_offset, c->bad), "case %zu", i);
			cr_expect(strstr(conv.error, c->why) != NULL, "case %zu: %s", i, conv.error);
		}
	}
}

Test(text, utf16_be_pair_then_odd_byte)
{
	struct hx_text_utf16 conv;
	char out[16];

	hx_text_utf16_init(&conv, 1, 0);
	cr_assert(eq(int, hx_text_utf16_to_utf8(&conv, "\xD8\x3D\xDE\x00!", 5, 1, out,
	                                        sizeof out), -1));
	cr_expect(eq(sz, conv.bad_offset, 4));
	cr_expect(eq(sz, conv.out_len, 4));
	cr_expect(eq(int, memcmp(out, "\xF0\x9F\x98\x80", 4), 0));
}

/* Fed in chunks of every size, the conversion carries odd bytes and pairs over. */
Test(text, utf16_in_chunks)
{
	static const char in[] = "G\0i\0a\0 \0\x11\x01\xEC\0n\0h\0 \0\x3D\xD8\x00\xDE!\0";
	static const char want[] = "Gia đình 😀!";
	size_t len = sizeof in - 1, chunk;

	for (chunk = 1; chunk <= len; chunk++) {
		struct hx_text_utf16 conv;
		char buf[64], out[64];
		size_t carry = 0, pos = 0, outlen = 0;

		hx_text_utf16_init(&conv, 0, 0);
		while (pos < len || carry > 0) {
			size_t n = len - pos < chunk ? len - pos : chunk;
			int final;

			memcpy(buf + carry, in + pos, n);
			pos += n;
			final = pos == len;
			cr_assert(eq(int, hx_text_utf16_to_utf8(&conv, buf, carry + n, final,
			                                        out + outlen, sizeof out - outlen), 0),
			          "chunk %zu: %s", chunk, conv.error);
			outlen += conv.out_len;
			carry = carry + n - conv.in_used;
			memmove(buf, buf + conv.in_used, carry);
			if (final)
				cr_assert(eq(sz, carry, 0));
		}
		out[outlen] = '\0';
		cr_expect(eq(str, out, want), "chunk %zu", chunk);
		cr_expect(eq(sz, conv.offset, len), "chunk %zu", chunk);
	}
}

/* A full output buffer stops the conversion cleanly between characters. */
Test(text, utf16_output_full)
{
	struct hx_text_utf16 conv;
	char out[3];

	hx_text_utf16_init(&conv, 0, 2);
	cr_assert(eq(int, hx_text_utf16_to_utf8(&conv, "a\0\xEC\0" "b\0", 6, 1, out, sizeof out), 0));
	cr_expect(eq(sz, conv.in_used, 4));      /* "a" and "ì" fit, "b" waits */
	cr_expect(eq(sz, conv.out_len, 3));
	cr_expect(eq(sz, conv.offset, 6));
}

/* ---- Legacy encodings ----------------------------------------------------- */

struct legacy_case {
	const char *in;
	size_t len;
	enum hx_text_legacy want;
};

static const struct legacy_case legacy_cases[] = {
	/* TCVN3 (ABC, .VnTime): "Mã đơn vị,Năm,Gia đình học tập,Hà Nội" */
	{B("M\xB7 \xAE\xACn v\xDE,N\xA8m,Gia \xAE\xD7nh h\xE4" "c t\xCBp,H\xB5 N\xE9i"),
	 HX_TEXT_LEGACY_TCVN3},
	/* one TCVN3 header cell: "Mã" */
	{B("M\xB7"), HX_TEXT_LEGACY_TCVN3},
	/* TCVN3 "Dòng họ hiếu học;Đạt" */
	{B("D\xDFng h\xE4 hi\xD5u h\xE4" "c;\xA7\xB9t"), HX_TEXT_LEGACY_TCVN3},
	/* VNI (VNI-Times): "Mã đơn vị,Năm,Gia đình học tập,nước" */
	{B("Ma\xF5 \xF1\xF4n v\xF2,Na\xEAm,Gia \xF1\xECnh ho\xEF" "c ta\xE4p,n\xF6\xF4\xF9" "c"),
	 HX_TEXT_LEGACY_VNI},
	/* VNI "Hà Nội, Đoàn" */
	{B("Ha\xF8 No\xE4i, \xD1oa\xF8n"), HX_TEXT_LEGACY_VNI},
	/* Windows-1252 with a curly quote and a "naïve": not Vietnamese */
	{B("Caf\xE9 na\xEFve \x93quoted\x94 r\xE9sum\xE9"), HX_TEXT_LEGACY_NONE},
	/* valid UTF-8 Vietnamese with one stray byte */
	{B("Mã đơn vị,Năm\xFF,Gia đình"), HX_TEXT_LEGACY_NONE},
	{B("plain ascii"), HX_TEXT_LEGACY_NONE},
	{B(""), HX_TEXT_LEGACY_NONE},
};

Test(text, legacy_table)
{
	size_t i;

	for (i = 0; i < lengthof(legacy_cases); i++)
		cr_expect(eq(int, hx_text_legacy_guess(legacy_cases[i].in, legacy_cases[i].len),
		             legacy_cases[i].want), "case %zu", i);
}

Test(text, explain_invalid)
{
	static const char tcvn[] = "M\xB7 \xAE\xACn v\xDE,N\xA8m";
	static const char latin[] = "abc\xFF" "def";
	char msg[512];
	size_t bad;

	cr_assert(eq(int, hx_text_utf8_check(tcvn, sizeof tcvn - 1, &bad), -1));
	hx_text_explain_invalid(tcvn, sizeof tcvn - 1, bad, (unsigned char)tcvn[bad], msg, sizeof msg);
	cr_expect(strstr(msg, "not valid UTF-8 at byte offset 1 (byte 0xB7)") != NULL, "%s", msg);
	cr_expect(strstr(msg, "looks like a legacy TCVN3 (ABC) or VNI font encoding") != NULL,
	          "%s", msg);
	cr_expect(strstr(msg, "save it as UTF-8") != NULL, "%s", msg);

	cr_assert(eq(int, hx_text_utf8_check(latin, sizeof latin - 1, &bad), -1));
	hx_text_explain_invalid(latin, sizeof latin - 1, bad, (unsigned char)latin[bad], msg,
	                        sizeof msg);
	cr_expect(strstr(msg, "not valid UTF-8 at byte offset 3 (byte 0xFF)") != NULL, "%s", msg);
	cr_expect(strstr(msg, "TCVN3") == NULL, "%s", msg);

	hx_text_explain_invalid("ab\0", 3, 2, 0, msg, sizeof msg);
	cr_expect(eq(str, msg, "is not a text file: it contains a NUL byte at byte offset 2, which "
	                       "text never holds; save it as UTF-8 (in Excel: CSV UTF-8)"));
	/* With its line, when the caller knows it. */
	hx_text_explain_nul(106, 3, msg, sizeof msg);
	cr_expect(eq(str, msg, "is not a text file: it contains a NUL byte at byte offset 106 "
	                       "(line 3), which text never holds; save it as UTF-8 (in Excel: CSV "
	                       "UTF-8)"));

	/* Offsets are those of the file, not of the sample. */
	hx_text_explain_invalid(tcvn, sizeof tcvn - 1, 1048577, 0xB7, msg, sizeof msg);
	cr_expect(strstr(msg, "byte offset 1048577 (byte 0xB7)") != NULL, "%s", msg);
}

/* ---- Folding -------------------------------------------------------------- */

struct fold_case {
	const char *in;
	size_t len;
	const char *out;
};

static const struct fold_case fold_cases[] = {
	{B("Mã đơn vị"), "ma don vi"},
	{B("NĂM"), "nam"},
	{B("Gia  đình   Hiếu học"), "gia dinh hieu hoc"},
	{B("  Unit_Code  "), "unit code"},
	{B("unit-code"), "unit code"},
	{B("unit__ - _code"), "unit code"},
	{B("ĐƠN VỊ HỌC TẬP"), "don vi hoc tap"},
	{B("Cộng đồng học tập cấp xã"), "cong dong hoc tap cap xa"},
	{B("Tỷ lệ (%)"), "ty le (%)"},
	{B("Quỹ khuyến học (triệu đồng)"), "quy khuyen hoc (trieu dong)"},
	/* every Vietnamese letter, lower and upper case */
	{B("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"),
	 "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd"},
	{B("ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"),
	 "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd"},
	/* decomposed (NFD): combining marks dropped */
	{B("Ma\xCC\x83 \xC4\x91o\xCC\x9Bn vi\xCC\xA3 Hie\xCC\x82\xCC\x81u Ho\xCC\xA3" "c"),
	 "ma don vi hieu hoc"},
	{B("NA\xCC\x86M"), "nam"},
	/* Ð (U+00D0) and Ɖ (U+0189) typed for Đ */
	{B("\xC3\x90\xC6\xA0N V\xE1\xBB\x8A"), "don vi"},
	{B("\xC6\x89ie\xCC\x89m"), "diem"},
	/* other spaces, dashes, zero-width characters, a BOM in a header cell */
	{B("a\xC2\xA0" "b\xE2\x80\xAF" "c\xE3\x80\x80" "d"), "a b c d"},
	{B("Hà Nội \xE2\x80\x93 2019"), "ha noi 2019"},
	{B("x\xE2\x80\x8By\xC2\xAD" "z"), "xyz"},
	{B("\xEF\xBB\xBFyear"), "year"},
	{B("\t\r\nyear\n"), "year"},
	/* other text kept as it is */
	{B("Æsir ß"), "Æsir ß"},
	{B("日本 Hà"), "日本 ha"},
	{B("a\xFF" "B"), "a\xFF" "b"},
	{B("a\xC3"), "a\xC3"},
	{B("12,5%"), "12,5%"},
	{B(""), ""},
	{B("  _-  "), ""},
};

Test(text, fold_table)
{
	size_t i;

	for (i = 0; i < lengthof(fold_cases); i++) {
		const struct fold_case *c = &fold_cases[i];
		char out[512];
		size_t n = hx_text_fold_n(c->in, c->len, out, sizeof out);

		cr_expect(eq(str, out, c->out), "case %zu", i);
		cr_expect(eq(sz, n, strlen(c->out)), "case %zu", i);
		cr_expect(n <= c->len, "case %zu: folding lengthened the text", i);
	}
}

Test(text, fold_nul_terminated)
{
	char out[64];

	cr_expect(eq(sz, hx_text_fold("Mã đơn vị", out, sizeof out), 9));
	cr_expect(eq(str, out, "ma don vi"));
}

Test(text, fold_truncates_at_characters)
{
	char out[8];

	/* Like snprintf: the full length is returned, a clean prefix is written. */
	cr_expect(eq(sz, hx_text_fold("Mã đơn vị", out, 5), 9));
	cr_expect(eq(str, out, "ma d"));
	cr_expect(eq(sz, hx_text_fold("日本", out, 5), 6));
	cr_expect(eq(str, out, "日"));
	cr_expect(eq(sz, hx_text_fold("ab cd", out, 3), 5));
	cr_expect(eq(str, out, "ab"));
	cr_expect(eq(sz, hx_text_fold("ab", NULL, 0), 2));
}

/* ---- Excerpts ------------------------------------------------------------- */

Test(text, excerpt)
{
	char out[HX_TEXT_EXCERPT_SZ], tiny[8];
	char big[200];
	size_t i;

	cr_expect(eq(str, hx_text_excerpt("7.9O5", 5, out, sizeof out), "7.9O5"));
	cr_expect(eq(str, hx_text_excerpt("a\tb\x7F", 4, out, sizeof out), "a?b?"));
	cr_expect(eq(str, hx_text_excerpt("a\xFF\xC3" "xđ", 6, out, sizeof out), "a??xđ"));
	/* cut at a character boundary, marked with "..." */
	for (i = 0; i + 2 <= sizeof big - 1; i += 2)
		memcpy(big + i, "\xC4\x91", 2);
	hx_text_excerpt(big, i, out, sizeof out);
	cr_expect(eq(sz, strlen(out), 64 + 3));
	cr_expect(eq(int, hx_text_utf8_check(out, strlen(out), NULL), 0));
	cr_expect(eq(str, hx_text_excerpt("abcdefghij", 10, tiny, sizeof tiny), "abcd..."));
	cr_expect(eq(str, hx_text_excerpt("đđđđ", 8, tiny, sizeof tiny), "đđ..."));
}
