/*
 * test_vnenc.c — legacy Vietnamese encodings (common/vnenc.h) and NFC
 * (common/nfc.h), from tables of cases: every Vietnamese letter, both
 * cases, every tone, round-tripped through VNI-Windows (the published
 * table, written out below independently of vnenc.c's rules), TCVN3 and
 * Windows-1258 (encoded by glibc iconv); detection with its explanation;
 * the streaming converter read in pieces; bad bytes named by offset.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <stdio.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"
#include "lengthof.h"
#include "nfc.h"
#include "vnenc.h"

#define B(lit) lit, sizeof(lit) - 1

static void setup(void)
{
	hx_i18n_init("en");
}

/* Every letter of Vietnamese as NFC UTF-8 and as VNI-Windows bytes. */
struct vni_case {
	const char *utf8;
	const char *vni;
};

static const struct vni_case vni_letters[] = {
	{"a", "a"},
	{"â", "a\xE2"},
	{"ă", "a\xEA"},
	{"e", "e"},
	{"ê", "e\xE2"},
	{"o", "o"},
	{"ô", "o\xE2"},
	{"ơ", "\xF4"},
	{"u", "u"},
	{"ư", "\xF6"},
	{"i", "i"},
	{"y", "y"},
	{"á", "a\xF9"},
	{"ấ", "a\xE1"},
	{"ắ", "a\xE9"},
	{"é", "e\xF9"},
	{"ế", "e\xE1"},
	{"ó", "o\xF9"},
	{"ố", "o\xE1"},
	{"ớ", "\xF4\xF9"},
	{"ú", "u\xF9"},
	{"ứ", "\xF6\xF9"},
	{"í", "\xED"},
	{"ý", "y\xF9"},
	{"à", "a\xF8"},
	{"ầ", "a\xE0"},
	{"ằ", "a\xE8"},
	{"è", "e\xF8"},
	{"ề", "e\xE0"},
	{"ò", "o\xF8"},
	{"ồ", "o\xE0"},
	{"ờ", "\xF4\xF8"},
	{"ù", "u\xF8"},
	{"ừ", "\xF6\xF8"},
	{"ì", "\xEC"},
	{"ỳ", "y\xF8"},
	{"ả", "a\xFB"},
	{"ẩ", "a\xE5"},
	{"ẳ", "a\xFA"},
	{"ẻ", "e\xFB"},
	{"ể", "e\xE5"},
	{"ỏ", "o\xFB"},
	{"ổ", "o\xE5"},
	{"ở", "\xF4\xFB"},
	{"ủ", "u\xFB"},
	{"ử", "\xF6\xFB"},
	{"ỉ", "\xE6"},
	{"ỷ", "y\xFB"},
	{"ã", "a\xF5"},
	{"ẫ", "a\xE3"},
	{"ẵ", "a\xFC"},
	{"ẽ", "e\xF5"},
	{"ễ", "e\xE3"},
	{"õ", "o\xF5"},
	{"ỗ", "o\xE3"},
	{"ỡ", "\xF4\xF5"},
	{"ũ", "u\xF5"},
	{"ữ", "\xF6\xF5"},
	{"ĩ", "\xF3"},
	{"ỹ", "y\xF5"},
	{"ạ", "a\xEF"},
	{"ậ", "a\xE4"},
	{"ặ", "a\xEB"},
	{"ẹ", "e\xEF"},
	{"ệ", "e\xE4"},
	{"ọ", "o\xEF"},
	{"ộ", "o\xE4"},
	{"ợ", "\xF4\xEF"},
	{"ụ", "u\xEF"},
	{"ự", "\xF6\xEF"},
	{"ị", "\xF2"},
	{"ỵ", "\xEE"},
	{"đ", "\xF1"},
	{"A", "A"},
	{"Â", "A\xC2"},
	{"Ă", "A\xCA"},
	{"E", "E"},
	{"Ê", "E\xC2"},
	{"O", "O"},
	{"Ô", "O\xC2"},
	{"Ơ", "\xD4"},
	{"U", "U"},
	{"Ư", "\xD6"},
	{"I", "I"},
	{"Y", "Y"},
	{"Á", "A\xD9"},
	{"Ấ", "A\xC1"},
	{"Ắ", "A\xC9"},
	{"É", "E\xD9"},
	{"Ế", "E\xC1"},
	{"Ó", "O\xD9"},
	{"Ố", "O\xC1"},
	{"Ớ", "\xD4\xD9"},
	{"Ú", "U\xD9"},
	{"Ứ", "\xD6\xD9"},
	{"Í", "\xCD"},
	{"Ý", "Y\xD9"},
	{"À", "A\xD8"},
	{"Ầ", "A\xC0"},
	{"Ằ", "A\xC8"},
	{"È", "E\xD8"},
	{"Ề", "E\xC0"},
	{"Ò", "O\xD8"},
	{"Ồ", "O\xC0"},
	{"Ờ", "\xD4\xD8"},
	{"Ù", "U\xD8"},
	{"Ừ", "\xD6\xD8"},
	{"Ì", "\xCC"},
	{"Ỳ", "Y\xD8"},
	{"Ả", "A\xDB"},
	{"Ẩ", "A\xC5"},
	{"Ẳ", "A\xDA"},
	{"Ẻ", "E\xDB"},
	{"Ể", "E\xC5"},
	{"Ỏ", "O\xDB"},
	{"Ổ", "O\xC5"},
	{"Ở", "\xD4\xDB"},
	{"Ủ", "U\xDB"},
	{"Ử", "\xD6\xDB"},
	{"Ỉ", "\xC6"},
	{"Ỷ", "Y\xDB"},
	{"Ã", "A\xD5"},
	{"Ẫ", "A\xC3"},
	{"Ẵ", "A\xDC"},
	{"Ẽ", "E\xD5"},
	{"Ễ", "E\xC3"},
	{"Õ", "O\xD5"},
	{"Ỗ", "O\xC3"},
	{"Ỡ", "\xD4\xD5"},
	{"Ũ", "U\xD5"},
	{"Ữ", "\xD6\xD5"},
	{"Ĩ", "\xD3"},
	{"Ỹ", "Y\xD5"},
	{"Ạ", "A\xCF"},
	{"Ậ", "A\xC4"},
	{"Ặ", "A\xCB"},
	{"Ẹ", "E\xCF"},
	{"Ệ", "E\xC4"},
	{"Ọ", "O\xCF"},
	{"Ộ", "O\xC4"},
	{"Ợ", "\xD4\xCF"},
	{"Ụ", "U\xCF"},
	{"Ự", "\xD6\xCF"},
	{"Ị", "\xD2"},
	{"Ỵ", "\xCE"},
	{"Đ", "\xD1"},
};
#define NLETTERS lengthof(vni_letters)

static char *decode(enum hx_enc enc, const char *s, size_t n, struct hx_error *err)
{
	struct hx_buf out;
	char *r;

	hx_buf_init(&out, 1 << 20);
	if (hx_enc_decode(enc, s, n, &out, err) < 0) {
		hx_buf_free(&out);
		return NULL;
	}
	r = strdup(hx_buf_str(&out));
	hx_buf_free(&out);
	return r;
}

/* s encoded by glibc iconv into code (a new string, *len its length). */
static char *iconv_encode(const char *code, const char *s, size_t *len)
{
	iconv_t cd = iconv_open(code, "UTF-8");
	size_t il = strlen(s), ol = il * 4 + 16;
	char *copy = strdup(s), *out = calloc(1, ol), *op = out, *ip = copy;

	cr_assert(cd != (iconv_t)-1);
	cr_assert(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1, "iconv %s of \"%s\": %s", code, s,
	          strerror(errno));
	(void)iconv(cd, NULL, NULL, &op, &ol);
	iconv_close(cd);
	free(copy);
	*len = (size_t)(op - out);
	return out;
}

TestSuite(vnenc, .init = setup);

Test(vnenc, vni_every_letter_round_trips)
{
	cr_assert(eq(sz, NLETTERS, 146)); /* 73 letters (66 vowels with marks, 6 plain, đ), 2 cases */
	for (size_t i = 0; i < NLETTERS; i++) {
		struct hx_error err;
		char word[32];
		char *got;

		got = decode(HX_ENC_VNI, vni_letters[i].vni, strlen(vni_letters[i].vni), &err);
		cr_assert(got != NULL, "letter %s: %s", vni_letters[i].utf8, err.msg);
		cr_expect(eq(str, got, vni_letters[i].utf8), "VNI letter %zu", i);
		free(got);
		/* inside a word, between consonants: "t" + letter + "n" */
		snprintf(word, sizeof word, "t%sn", vni_letters[i].vni);
		got = decode(HX_ENC_VNI, word, strlen(word), &err);
		cr_assert(got != NULL);
		snprintf(word, sizeof word, "t%sn", vni_letters[i].utf8);
		cr_expect(eq(str, got, word), "VNI letter %zu in a word", i);
		free(got);
	}
}

Test(vnenc, tcvn3_and_cp1258_every_letter_round_trip)
{
	static const enum hx_enc encs[] = {HX_ENC_TCVN3, HX_ENC_CP1258};
	static const char *const codes[] = {"TCVN5712-1", "CP1258"};

	for (size_t e = 0; e < 2; e++) {
		for (size_t i = 0; i < NLETTERS; i++) {
			struct hx_error err;
			size_t n;
			char *bytes = iconv_encode(codes[e], vni_letters[i].utf8, &n);
			char *got = decode(encs[e], bytes, n, &err);

			cr_assert(got != NULL, "%s letter %s: %s", codes[e], vni_letters[i].utf8, err.msg);
			cr_expect(eq(str, got, vni_letters[i].utf8), "%s letter %zu", codes[e], i);
			free(got);
			free(bytes);
		}
	}
}

Test(vnenc, decomposed_utf8_becomes_nfc)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{"Vie\xCC\x82\xCC\xA3t Nam", "Việt Nam"},      /* e + circumflex + dot below */
		{"Vie\xCC\xA3\xCC\x82t", "Việt"},              /* marks in the other order */
		{"Gia \xC4\x91i\xCC\x80nh", "Gia đình"},
		{"Ho\xCC\x9B\xCC\x81" "c", "Hớc"},                /* o + horn + acute */
		{"plain ascii", "plain ascii"},
		{"Đã NFC", "Đã NFC"},
	};

	for (size_t i = 0; i < lengthof(cases); i++) {
		struct hx_error err;
		char *got = decode(HX_ENC_UTF8, cases[i].in, strlen(cases[i].in), &err);

		cr_assert(got != NULL);
		cr_expect(eq(str, got, cases[i].want), "case %zu", i);
		free(got);
	}
}

/* ---- Detection ---------------------------------------------------------- */

struct detect_case {
	const char *in;
	size_t len;
	int rc;
	enum hx_enc enc;
	const char *explain;  /* expected explanation (prefix) */
};

static const struct detect_case detect_cases[] = {
	/* tests/bad/tcvn3.csv: "Năm,Mã đơn vị,Danh hiệu,Tổng số" / "Gia đình học tập" */
	{B("N\xA8m,M\xB8 \xAE\xA1n v\xFB,Danh hi\xD6u,T\xE5ng s\xE8\n2016,22915,Gia \xAE\xDCnh h\xE4"
	   "c t\xB9p,100\n"), 0, HX_ENC_TCVN3, "read as TCVN3: 12 letters decoded"},
	/* tests/bad/vni.csv, the same text in VNI-Windows */
	{B("Na\xEAm,Ma\xF5 \xF1\xF4n v\xF2,Danh hie\xE4u,To\xE5ng so\xE1\n2016,22915,Gia \xF1\xECnh "
	   "ho\xEF" "c ta\xE4p,100\n"), 0, HX_ENC_VNI, "read as VNI-Windows: 12 letters decoded"},
	/* Windows-1258: "Việt Nam" with a combining dot below, "Hà Nội" */
	{B("Vi\xEA\xF2t Nam,Ha\xCC N\xF4\xF2i\n"), 0, HX_ENC_CP1258,
	 "read as Windows-1258: 3 letters decoded"},
	{B("Năm,Mã đơn vị\n"), 0, HX_ENC_UTF8, "read as UTF-8: 5 letters with diacritics"},
	{B("Vie\xCC\x82\xCC\xA3t\n"), 0, HX_ENC_UTF8,
	 "read as UTF-8 with decomposed letters (normalised to NFC): 1 letters"},
	{B("year,unit_code\n"), 0, HX_ENC_UTF8, "read as UTF-8: 0 letters"},
	/* tests/bad/latin1.csv: French, not Vietnamese: nothing reads it */
	{B("year,unit_code,title,note\n2016,22915,family,caf\xE9 na\xEFve\n"), -1, HX_ENC_UTF8,
	 "not valid UTF-8 at byte offset 47 (byte 0xE9), and no legacy Vietnamese encoding"},
	/* binary */
	{B("\x01\x02\xFF\xFE\x00\x00\x10"), -1, HX_ENC_UTF8,
	 "not valid UTF-8 at byte offset 2 (byte 0xFF)"},
};

Test(vnenc, detect_table)
{
	for (size_t i = 0; i < lengthof(detect_cases); i++) {
		const struct detect_case *c = &detect_cases[i];
		struct hx_enc_guess g;
		int rc = hx_enc_detect(c->in, c->len, 1, &g);

		cr_expect(eq(int, rc, c->rc), "case %zu: %s", i, g.explain);
		if (rc == 0)
			cr_expect(eq(int, (int)g.enc, (int)c->enc), "case %zu: %s", i, g.explain);
		cr_expect(strncmp(g.explain, c->explain, strlen(c->explain)) == 0,
		          "case %zu: \"%s\" does not start with \"%s\"", i, g.explain, c->explain);
	}
}

Test(vnenc, detect_confidence_and_decoding_agree)
{
	/* A longer VNI text: the detector's choice decodes to the right words. */
	static const char vni[] = "Danh hie\xE4u Gia \xF1\xECnh ho\xEF" "c ta\xE4p, "
	                          "Co\xE2ng nha\xE4n, Tie\xE2u bie\xE5u, Tho\xE2n 3, Xa\xF5 "
	                          "\xD1" "a\xEFi Ph\xF6\xF4\xF9" "c\n";
	struct hx_enc_guess g;
	struct hx_error err;
	char *got;

	cr_assert(eq(int, hx_enc_detect(vni, sizeof vni - 1, 1, &g), 0), "%s", g.explain);
	cr_expect(eq(int, (int)g.enc, (int)HX_ENC_VNI));
	cr_expect(eq(long, g.odd, 0));
	cr_expect(g.confidence >= 90, "confidence %d: %s", g.confidence, g.explain);
	got = decode(g.enc, vni, sizeof vni - 1, &err);
	cr_assert(got != NULL);
	cr_expect(eq(str, got, "Danh hiệu Gia đình học tập, Công nhận, Tiêu biểu, Thôn 3, Xã "
	                       "Đại Phước\n"));
	free(got);
}

Test(vnenc, encoding_names)
{
	static const struct {
		const char *name;
		int rc;
		enum hx_enc enc;
	} cases[] = {
		{"utf-8", 0, HX_ENC_UTF8}, {"UTF8", 0, HX_ENC_UTF8},     {"tcvn3", 0, HX_ENC_TCVN3},
		{"ABC", 0, HX_ENC_TCVN3},  {"vni", 0, HX_ENC_VNI},       {"VNI-Windows", 0, HX_ENC_VNI},
		{"cp1258", 0, HX_ENC_CP1258}, {"windows-1258", 0, HX_ENC_CP1258},
		{"latin1", -1, HX_ENC_UTF8}, {"", -1, HX_ENC_UTF8},
	};

	for (size_t i = 0; i < lengthof(cases); i++) {
		enum hx_enc e = HX_ENC_UTF8;

		cr_expect(eq(int, hx_enc_from_name(cases[i].name, &e), cases[i].rc), "%s",
		          cases[i].name);
		if (cases[i].rc == 0)
			cr_expect(eq(int, (int)e, (int)cases[i].enc), "%s", cases[i].name);
	}
	cr_expect(eq(str, hx_enc_name(HX_ENC_VNI), "VNI-Windows"));
}

/* ---- Bad bytes -------------------------------------------------------------- */

struct bad_case {
	enum hx_enc enc;
	const char *in;
	size_t len;
	const char *msg;
};

static const struct bad_case bad_cases[] = {
	{HX_ENC_VNI, B("abc,\xF9x"), "not valid VNI-Windows at byte offset 4 (byte 0xF9)"},
	{HX_ENC_VNI, B("ok\xFF"), "not valid VNI-Windows at byte offset 2 (byte 0xFF)"},
	{HX_ENC_CP1258, B("Vi\xEA\xF2t \x81"), "not valid Windows-1258 at byte offset 6 (byte 0x81)"},
	{HX_ENC_TCVN3, B("N\xA8m\0x"), "is not a text file: it contains a NUL byte at byte offset 3"},
	{HX_ENC_UTF8, B("N\xC4\x83m\xB8"), "not valid UTF-8 at byte offset 4 (byte 0xB8)"},
	{HX_ENC_UTF8, B("ab\xC3"), "not valid UTF-8 at byte offset 2 (byte 0xC3)"},
};

Test(vnenc, bad_bytes_named_by_offset)
{
	for (size_t i = 0; i < lengthof(bad_cases); i++) {
		struct hx_error err;
		char *got = decode(bad_cases[i].enc, bad_cases[i].in, bad_cases[i].len, &err);

		cr_expect(got == NULL, "case %zu decoded", i);
		free(got);
		cr_expect(eq(int, err.code, HX_DATAERR), "case %zu", i);
		cr_expect(eq(str, err.msg, bad_cases[i].msg), "case %zu", i);
	}
}

/* ---- Streaming -------------------------------------------------------------- */

struct pieces {
	const char *s;
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

Test(vnenc, streaming_in_pieces_equals_whole)
{
	static const struct {
		enum hx_enc enc;
		const char *in;
	} cases[] = {
		{HX_ENC_VNI, "Gia \xF1\xECnh ho\xEF" "c ta\xE4p, Tha\xF4n \xD1o\xE2ng, NGUYE\xC3N"},
		{HX_ENC_TCVN3, "Gia \xAE\xDCnh h\xE4" "c t\xB9p, Th\xABn \xA7\xABng"},
		{HX_ENC_CP1258, "Vi\xEA\xF2t Nam, Ha\xCC N\xF4\xF2i, Hu\xEA\xCC"},
		{HX_ENC_UTF8, "Vie\xCC\x82\xCC\xA3t Nam, Ha\xCC\x80 N\xC3\xB4\xCC\xA3i"},
	};
	static const size_t sizes[] = {1, 2, 3, 5, 16, 4096};

	for (size_t i = 0; i < lengthof(cases); i++) {
		struct hx_error err;
		char *whole = decode(cases[i].enc, cases[i].in, strlen(cases[i].in), &err);

		cr_assert(whole != NULL, "case %zu: %s", i, err.msg);
		for (size_t s = 0; s < lengthof(sizes); s++) {
			struct pieces p = {cases[i].in, strlen(cases[i].in), 0, sizes[s]};
			struct hx_enc_reader *r = hx_enc_reader_new(cases[i].enc, read_pieces, &p, 0);
			char got[512], buf[HX_CSV_MIN_READ];
			size_t len = 0;
			ssize_t n;

			/* the smallest buffer a CSV reader may pass */
			while ((n = hx_enc_read(r, buf, sizeof buf, &err)) > 0) {
				cr_assert(len + (size_t)n < sizeof got);
				memcpy(got + len, buf, (size_t)n);
				len += (size_t)n;
			}
			cr_assert(eq(int, (int)n, 0), "case %zu pieces of %zu: %s", i, sizes[s], err.msg);
			got[len] = '\0';
			cr_expect(eq(str, got, whole), "case %zu, pieces of %zu", i, sizes[s]);
			cr_expect(eq(u64, hx_enc_reader_bytes(r), strlen(cases[i].in)));
			hx_enc_reader_free(r);
		}
		free(whole);
	}
}

Test(vnenc, nfc_quick_and_cut)
{
	cr_expect(eq(int, hx_nfc_quick(B("Mã đơn vị")), 1));
	cr_expect(eq(int, hx_nfc_quick(B("Vie\xCC\x82t")), 0));
	/* "ab" + e + combining circumflex: the cut is before the 'e' */
	cr_expect(eq(sz, hx_nfc_safe_cut(B("abe\xCC\x82")), 2));
	cr_expect(eq(sz, hx_nfc_safe_cut(B("abc")), 2));
	cr_expect(eq(sz, hx_nfc_safe_cut(B("\xCC\x82\xCC\x82")), 0));
}

/* The converter between a file and the CSV reader: records come out in NFC
 * UTF-8 with the file's physical lines. */
Test(vnenc, converter_feeds_the_csv_reader)
{
	static const char vni[] = "Na\xEAm,Ma\xF5 \xF1\xF4n v\xF2,Danh hie\xE4u\r\n"
	                          "2019,22915,\"Gia \xF1\xECnh ho\xEF" "c ta\xE4p\"\r\n"
	                          "2019,22916,Tho\xE2n \xD1" "o\xE2ng\r\n";
	struct pieces p = {vni, sizeof vni - 1, 0, 7};
	struct hx_enc_reader *r = hx_enc_reader_new(HX_ENC_VNI, read_pieces, &p, 0);
	struct hx_csv_reader *c = hx_csv_new(hx_enc_read, r, NULL);
	struct hx_csv_record rec;
	struct hx_error err;

	cr_assert(eq(int, hx_csv_next(c, &rec, &err), 1), "%s", err.msg);
	cr_expect(eq(str, rec.fields[1], "Mã đơn vị"));
	cr_expect(eq(str, rec.fields[2], "Danh hiệu"));
	cr_assert(eq(int, hx_csv_next(c, &rec, &err), 1));
	cr_expect(eq(str, rec.fields[2], "Gia đình học tập"));
	cr_expect(eq(long, rec.line, 2));
	cr_assert(eq(int, hx_csv_next(c, &rec, &err), 1));
	cr_expect(eq(str, rec.fields[2], "Thôn Đông"));
	cr_expect(eq(long, rec.line, 3));
	cr_expect(eq(int, hx_csv_next(c, &rec, &err), 0));
	hx_csv_free(c);
	hx_enc_reader_free(r);
}
