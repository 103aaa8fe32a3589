/*
 * vnenc.c — legacy Vietnamese encodings to UTF-8 in NFC (see vnenc.h).
 *
 * TCVN3 and Windows-1258 go through glibc iconv (TCVN5712-1, CP1258); the
 * same converters, asked one byte at a time, give the per-byte tables the
 * detector scores with, so the guess and the conversion cannot disagree.
 *
 * VNI-Windows has no iconv converter.  Its table below is built from the
 * published VNI-Windows mapping (VNI Software Company's VNI fonts, as
 * tabulated e.g. in the "VNI" column of the Vietnamese Unicode FAQ's
 * encoding tables and in Dao Hai Lam's xvnkb keyboard, vni.h, 2002): a
 * letter is its ASCII base vowel followed by one mark byte carrying the
 * shape (circumflex, breve) and the tone together, and seven letters are
 * single bytes (ơ ư đ and the i/y forms í ì ỉ ĩ ị ỵ).  Upper-case mark and
 * letter bytes are the lower-case ones less 0x20, as in Latin-1.  The table
 * is written here from those rules, not copied; tests/unit/test_vnenc.c
 * round-trips every Vietnamese letter, both cases, every tone, through it.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "alloc.h"
#include "buf.h"
#include "i18n.h"
#include "lengthof.h"
#include "nfc.h"
#include "text.h"
#include "vnenc.h"

#define NO_CP 0xFFFFFFFFul
#define IN_SZ ((size_t)64 * 1024)
#define DEC_FORCE_CUT ((size_t)1024 * 1024) /* normalise even without a starter past this */

/* Shapes and tones of a Vietnamese letter. */
enum { SH_NONE = 0, SH_CIRC, SH_BREVE, SH_HORN, SH_STROKE };
enum { TN_NONE = 0, TN_GRAVE, TN_ACUTE, TN_HOOK, TN_TILDE, TN_DOT };

static const unsigned long shape_mark[] = {0, 0x0302, 0x0306, 0x031B, 0};
static const unsigned long tone_mark[] = {0, 0x0300, 0x0301, 0x0309, 0x0303, 0x0323};

static const char *const enc_names[HX_ENC_COUNT] = {"UTF-8", "TCVN3", "VNI-Windows",
                                                    "Windows-1258"};

const char *hx_enc_name(enum hx_enc enc)
{
	return (unsigned)enc < HX_ENC_COUNT ? enc_names[enc] : "?";
}

int hx_enc_from_name(const char *name, enum hx_enc *out)
{
	static const struct {
		const char *name;
		enum hx_enc enc;
	} names[] = {
		{"utf-8", HX_ENC_UTF8},         {"utf8", HX_ENC_UTF8},
		{"tcvn3", HX_ENC_TCVN3},        {"tcvn", HX_ENC_TCVN3},
		{"abc", HX_ENC_TCVN3},          {"tcvn5712-1", HX_ENC_TCVN3},
		{"vni", HX_ENC_VNI},            {"vni-windows", HX_ENC_VNI},
		{"windows-1258", HX_ENC_CP1258}, {"cp1258", HX_ENC_CP1258},
		{"1258", HX_ENC_CP1258},
	};

	for (size_t i = 0; i < lengthof(names); i++) {
		if (strcasecmp(name, names[i].name) == 0) {
			*out = names[i].enc;
			return 0;
		}
	}
	return -1;
}

const char *hx_enc_names_help(void)
{
	return "utf-8, tcvn3 (abc), vni, windows-1258";
}

/* ---- VNI-Windows ----------------------------------------------------------- */

/* A lower-case mark byte: the shape and tone it puts on the vowel before it. */
struct vni_mark {
	unsigned char byte;
	unsigned char shape, tone;
};

static const struct vni_mark vni_marks[] = {
	{0xF9, SH_NONE, TN_ACUTE},  {0xF8, SH_NONE, TN_GRAVE},  {0xFB, SH_NONE, TN_HOOK},
	{0xF5, SH_NONE, TN_TILDE},  {0xEF, SH_NONE, TN_DOT},
	{0xE2, SH_CIRC, TN_NONE},   {0xE1, SH_CIRC, TN_ACUTE},  {0xE0, SH_CIRC, TN_GRAVE},
	{0xE5, SH_CIRC, TN_HOOK},   {0xE3, SH_CIRC, TN_TILDE},  {0xE4, SH_CIRC, TN_DOT},
	{0xEA, SH_BREVE, TN_NONE},  {0xE9, SH_BREVE, TN_ACUTE}, {0xE8, SH_BREVE, TN_GRAVE},
	{0xFA, SH_BREVE, TN_HOOK},  {0xFC, SH_BREVE, TN_TILDE}, {0xEB, SH_BREVE, TN_DOT},
};

/* A lower-case single-byte letter: its base, shape and tone. */
struct vni_letter {
	unsigned char byte;
	char base;
	unsigned char shape, tone;
};

static const struct vni_letter vni_letters[] = {
	{0xF4, 'o', SH_HORN, TN_NONE},   {0xF6, 'u', SH_HORN, TN_NONE},
	{0xF1, 'd', SH_STROKE, TN_NONE}, {0xED, 'i', SH_NONE, TN_ACUTE},
	{0xEC, 'i', SH_NONE, TN_GRAVE},  {0xE6, 'i', SH_NONE, TN_HOOK},
	{0xF3, 'i', SH_NONE, TN_TILDE},  {0xF2, 'i', SH_NONE, TN_DOT},
	{0xEE, 'y', SH_NONE, TN_DOT},
};

/* Windows-1252's punctuation in 0x80..0x9F, which VNI fonts keep. */
static const unsigned short cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0, 0x2039, 0, 0, 0, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0, 0x203A, 0, 0, 0, 0,
};

static const struct vni_mark *vni_mark_of(unsigned char b)
{
	unsigned char lower = b >= 0xC0 && b <= 0xDF ? (unsigned char)(b + 0x20) : b;

	for (size_t i = 0; i < lengthof(vni_marks); i++)
		if (vni_marks[i].byte == lower)
			return &vni_marks[i];
	return NULL;
}

static const struct vni_letter *vni_letter_of(unsigned char b)
{
	unsigned char lower = b >= 0xC0 && b <= 0xDF ? (unsigned char)(b + 0x20) : b;

	for (size_t i = 0; i < lengthof(vni_letters); i++)
		if (vni_letters[i].byte == lower)
			return &vni_letters[i];
	return NULL;
}

static int is_vowel_base(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* Can a mark of this shape follow this base (lower-case, with its own shape)? */
static int vni_mark_fits(char base, int base_shape, const struct vni_mark *m)
{
	if (m->shape == SH_CIRC)
		return base_shape == SH_NONE && (base == 'a' || base == 'e' || base == 'o');
	if (m->shape == SH_BREVE)
		return base_shape == SH_NONE && base == 'a';
	/* A tone alone: any vowel, ơ and ư included (not one that has a tone). */
	return is_vowel_base(base) && base_shape != SH_STROKE;
}

/* One decoded VNI unit: a letter (base, shape, tone, case) or another code point. */
struct vni_unit {
	size_t used;         /* bytes consumed: 1 or 2; 0: the byte cannot be read */
	char base;           /* lower-case ASCII base letter, 0 for a non-letter */
	unsigned char shape, tone;
	int upper;
	unsigned long cp;    /* the code point when base == 0 */
};

/*
 * Decode the unit at s[0..n).  more: bytes may follow in a later call, so
 * a vowel at the very end is not decoded yet (its mark may come next).
 * Returns 1 (u filled), 0 (wait for more input), -1 (s[0] is no VNI text).
 */
static int vni_unit(const unsigned char *s, size_t n, int more, struct vni_unit *u)
{
	unsigned char b = s[0];
	const struct vni_letter *l;
	const struct vni_mark *m;

	memset(u, 0, sizeof *u);
	if (b == 0)
		return -1;
	if (b < 0x80) {
		char lower = (char)(b >= 'A' && b <= 'Z' ? b + 32 : b);

		if (lower < 'a' || lower > 'z') {
			u->used = 1;
			u->cp = b;
			return 1;
		}
		u->base = lower;
		u->upper = b >= 'A' && b <= 'Z';
	} else if ((l = vni_letter_of(b)) != NULL) {
		u->base = l->base;
		u->shape = l->shape;
		u->tone = l->tone;
		u->upper = b < 0xE0;
	} else if (b >= 0x80 && b <= 0x9F) {
		if (cp1252_high[b - 0x80] == 0)
			return -1;
		u->used = 1;
		u->cp = cp1252_high[b - 0x80];
		return 1;
	} else if (b >= 0xA0 && b <= 0xBF) {
		/* Latin-1 symbols (NBSP, «, °, ©...): VNI fonts keep them. */
		u->used = 1;
		u->cp = b;
		return 1;
	} else {
		return -1; /* a mark with no vowel before it, or a byte VNI does not use */
	}
	u->used = 1;
	if (u->tone != TN_NONE)
		return 1;
	if (!is_vowel_base(u->base))
		return 1;
	if (n < 2)
		return more ? 0 : 1;
	m = vni_mark_of(s[1]);
	if (m != NULL && vni_mark_fits(u->base, u->shape, m)) {
		if (m->shape != SH_NONE)
			u->shape = m->shape;
		u->tone = m->tone;
		u->used = 2;
	}
	return 1;
}

/* Append a letter as base + combining marks (NFC composes them later). */
static int put_letter(struct hx_buf *out, char base, int upper, int shape, int tone)
{
	char enc[4];
	unsigned long cp;

	if (shape == SH_STROKE)
		cp = upper ? 0x0110 : 0x0111;
	else
		cp = (unsigned long)(unsigned char)(upper ? base - 32 : base);
	if (hx_buf_append(out, enc, hx_utf8_encode(cp, enc)) < 0)
		return -1;
	if (shape != SH_NONE && shape != SH_STROKE &&
	    hx_buf_append(out, enc, hx_utf8_encode(shape_mark[shape], enc)) < 0)
		return -1;
	if (tone != TN_NONE && hx_buf_append(out, enc, hx_utf8_encode(tone_mark[tone], enc)) < 0)
		return -1;
	return 0;
}

/* ---- Tables from iconv ------------------------------------------------------ */

static const char *iconv_code(enum hx_enc enc)
{
	return enc == HX_ENC_TCVN3 ? "TCVN5712-1" : "CP1258";
}

/*
 * map[b]: the code point iconv makes of byte b alone, NO_CP if none.  Made
 * once a process per encoding (the programs are single-threaded).
 */
static int iconv_map(enum hx_enc enc, unsigned long map[256])
{
	static unsigned long cache[HX_ENC_COUNT][256];
	static int cached[HX_ENC_COUNT];
	iconv_t cd;

	if (cached[enc]) {
		memcpy(map, cache[enc], sizeof cache[enc]);
		return 0;
	}
	cd = iconv_open("UTF-32LE", iconv_code(enc));
	if (cd == (iconv_t)-1)
		return -1;
	for (int b = 0; b < 256; b++) {
		char in[1] = {(char)b}, out[16];
		char *ip = in, *op = out;
		size_t il = 1, ol = sizeof out;

		map[b] = NO_CP;
		(void)iconv(cd, NULL, NULL, NULL, NULL);
		if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 && errno == EILSEQ)
			continue;
		(void)iconv(cd, NULL, NULL, &op, &ol); /* flush a held-back base letter */
		if (op - out >= 4)
			map[b] = (unsigned long)(unsigned char)out[0] |
			         (unsigned long)(unsigned char)out[1] << 8 |
			         (unsigned long)(unsigned char)out[2] << 16 |
			         (unsigned long)(unsigned char)out[3] << 24;
	}
	iconv_close(cd);
	memcpy(cache[enc], map, sizeof cache[enc]);
	cached[enc] = 1;
	return 0;
}

/* ---- Letters, words and syllables (the detector's yardstick) ---------------- */

struct unit {
	enum { U_LETTER, U_MARK, U_OTHER } kind;
	char base;               /* U_LETTER: lower-case a..z */
	unsigned char shape, tone;
	int nonascii;            /* U_LETTER: written with a diacritic or outside ASCII */
	int foreign;             /* U_OTHER: a letter or symbol Vietnamese text never has */
	size_t off;              /* byte offset of the unit in the sample */
};

static int tone_of_mark(unsigned long cp)
{
	for (int t = 1; t <= TN_DOT; t++)
		if (tone_mark[t] == cp)
			return t;
	return 0;
}

static int shape_of_mark(unsigned long cp)
{
	for (int s = SH_CIRC; s <= SH_HORN; s++)
		if (shape_mark[s] == cp)
			return s;
	return 0;
}

/* What code point cp is to the detector. */
static void classify(unsigned long cp, size_t off, struct unit *u)
{
	utf8proc_int32_t d[8];
	utf8proc_ssize_t nd;
	const utf8proc_property_t *p;

	memset(u, 0, sizeof *u);
	u->off = off;
	u->kind = U_OTHER;
	if (cp < 0x80) {
		if ((cp | 32) >= 'a' && (cp | 32) <= 'z') {
			u->kind = U_LETTER;
			u->base = (char)(cp | 32);
		}
		return;
	}
	if (cp == 0x0110 || cp == 0x0111) {
		u->kind = U_LETTER;
		u->base = 'd';
		u->shape = SH_STROKE;
		u->nonascii = 1;
		return;
	}
	if (tone_of_mark(cp) || shape_of_mark(cp)) {
		u->kind = U_MARK;
		u->tone = (unsigned char)tone_of_mark(cp);
		u->shape = (unsigned char)shape_of_mark(cp);
		return;
	}
	p = utf8proc_get_property((utf8proc_int32_t)cp);
	nd = utf8proc_decompose_char((utf8proc_int32_t)cp, d, 8, UTF8PROC_DECOMPOSE, NULL);
	if (nd >= 2 && nd <= 3 && d[0] < 0x80 && ((d[0] | 32) >= 'a' && (d[0] | 32) <= 'z')) {
		int shape = 0, tone = 0, ok = 1;

		for (utf8proc_ssize_t k = 1; k < nd; k++) {
			if (tone_of_mark((unsigned long)d[k]) && !tone)
				tone = tone_of_mark((unsigned long)d[k]);
			else if (shape_of_mark((unsigned long)d[k]) && !shape)
				shape = shape_of_mark((unsigned long)d[k]);
			else
				ok = 0;
		}
		if (ok) {
			u->kind = U_LETTER;
			u->base = (char)(d[0] | 32);
			u->shape = (unsigned char)shape;
			u->tone = (unsigned char)tone;
			u->nonascii = 1;
			return;
		}
	}
	/* Not a Vietnamese letter: fine as punctuation or space between words,
	 * odd as a letter or a symbol (what a wrong guess mostly produces). */
	u->foreign = p->category == UTF8PROC_CATEGORY_LU || p->category == UTF8PROC_CATEGORY_LL ||
	             p->category == UTF8PROC_CATEGORY_LO || p->category == UTF8PROC_CATEGORY_SO ||
	             p->category == UTF8PROC_CATEGORY_SC || p->category == UTF8PROC_CATEGORY_SM ||
	             p->category == UTF8PROC_CATEGORY_SK || p->category == UTF8PROC_CATEGORY_CC ||
	             p->category == UTF8PROC_CATEGORY_CO || p->category == UTF8PROC_CATEGORY_CN ||
	             p->category == UTF8PROC_CATEGORY_MN;
}

#define is_vowel is_vowel_base

/* A vowel with its shape as one character of the groups below. */
static char vowel_code(const struct unit *u)
{
	if (u->shape == SH_NONE)
		return u->base;
	if (u->base == 'a')
		return u->shape == SH_BREVE ? '1' : u->shape == SH_CIRC ? '2' : '?';
	if (u->base == 'e')
		return u->shape == SH_CIRC ? '3' : '?';
	if (u->base == 'o')
		return u->shape == SH_CIRC ? '4' : u->shape == SH_HORN ? '5' : '?';
	if (u->base == 'u')
		return u->shape == SH_HORN ? '6' : '?';
	return '?';
}

/*
 * The vowel groups of Vietnamese syllables: a, ă=1, â=2, e, ê=3, i, o, ô=4,
 * ơ=5, u, ư=6, y.  "qu" and "gi" take their u and i as initials.
 */
static const char *const vowel_groups[] = {
	"a", "1", "2", "e", "3", "i", "o", "4", "5", "u", "6", "y",
	"ai", "ao", "au", "ay", "2u", "2y", "eo", "3u", "ia", "i3", "iu", "oa", "o1", "oe",
	"oi", "4i", "5i", "oo", "44", "ua", "u2", "u3", "ui", "u4", "u5", "uy", "6a", "6i",
	"6u", "65", "y3", "i3u", "y3u", "oai", "oay", "oao", "oeo", "u2y", "u4i", "65i",
	"65u", "uya", "uy3", "uyu", "ue", "uo", "u1",
};

static const char *const initials[] = {
	"", "b", "c", "ch", "d", "\x01", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng",
	"ngh", "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
};

static const char *const finals[] = {"", "c", "ch", "k", "m", "n", "ng", "nh", "p", "t"};

static int in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

/* Is the word u[0..n) (letters and their marks) a Vietnamese syllable? */
static int syllable_ok(const struct unit *u, size_t n)
{
	char init[8] = "", vow[8] = "", fin[8] = "";
	size_t i = 0, k;
	int tones = 0;

	for (size_t j = 0; j < n; j++)
		tones += u[j].tone != TN_NONE;
	if (tones > 1)
		return 0;
	for (k = 0; i < n && !is_vowel(u[i].base); i++) {
		if (k >= sizeof init - 1 || (u[i].shape != SH_NONE && u[i].shape != SH_STROKE))
			return 0;
		init[k++] = u[i].shape == SH_STROKE ? '\x01' : u[i].base;
		init[k] = '\0';
	}
	/* "qu" and "gi" before another vowel */
	if (i + 1 < n && ((strcmp(init, "q") == 0 && u[i].base == 'u' && u[i].shape == SH_NONE) ||
	                  (strcmp(init, "g") == 0 && u[i].base == 'i' && is_vowel(u[i + 1].base)))) {
		init[k++] = u[i].base;
		init[k] = '\0';
		i++;
	}
	for (k = 0; i < n && is_vowel(u[i].base); i++) {
		if (k >= sizeof vow - 1)
			return 0;
		vow[k++] = vowel_code(&u[i]);
		vow[k] = '\0';
	}
	for (k = 0; i < n; i++) {
		if (k >= sizeof fin - 1 || is_vowel(u[i].base) || u[i].shape != SH_NONE)
			return 0;
		fin[k++] = u[i].base;
		fin[k] = '\0';
	}
	if (vow[0] == '\0')
		return strcmp(init, "gi") == 0 && in_list(fin, finals, lengthof(finals));
	return in_list(init, initials, lengthof(initials)) &&
	       in_list(vow, vowel_groups, lengthof(vowel_groups)) &&
	       in_list(fin, finals, lengthof(finals));
}

#define WORD_MAX 16

struct score {
	long letters, odd;
	size_t first_odd;
	int have_odd;
	int decomposed;
	int unreadable;          /* a byte the encoding cannot decode at all */
	size_t bad_offset;
	/* the word being read */
	struct unit word[WORD_MAX];
	size_t nword;
	int word_long, word_foreign, word_nonascii;
	size_t word_first_nonascii;
};

static void odd_at(struct score *sc, size_t off)
{
	sc->odd++;
	if (!sc->have_odd) {
		sc->have_odd = 1;
		sc->first_odd = off;
	}
}

static void end_word(struct score *sc)
{
	if (sc->nword > 0 && (sc->word_nonascii || sc->word_foreign)) {
		if (!sc->word_foreign && !sc->word_long && syllable_ok(sc->word, sc->nword)) {
			for (size_t i = 0; i < sc->nword; i++)
				sc->letters += sc->word[i].nonascii;
		} else {
			odd_at(sc, sc->word_first_nonascii);
		}
	}
	sc->nword = 0;
	sc->word_long = sc->word_foreign = sc->word_nonascii = 0;
}

static void feed(struct score *sc, const struct unit *u)
{
	if (u->kind == U_MARK) {
		struct unit *last = sc->nword > 0 ? &sc->word[sc->nword - 1] : NULL;

		sc->decomposed = 1;
		if (last == NULL || (u->tone && last->tone) || (u->shape && last->shape)) {
			/* a mark on nothing, or a second tone on one letter */
			if (last != NULL) {
				sc->word_foreign = 1;
				if (!sc->word_nonascii)
					sc->word_first_nonascii = u->off;
				sc->word_nonascii = 1;
			} else {
				odd_at(sc, u->off);
			}
			return;
		}
		if (u->tone)
			last->tone = u->tone;
		if (u->shape)
			last->shape = u->shape;
		if (!last->nonascii && !sc->word_nonascii)
			sc->word_first_nonascii = u->off;
		last->nonascii = 1;
		sc->word_nonascii = 1;
		return;
	}
	if (u->kind == U_LETTER || u->foreign) {
		if (u->kind == U_LETTER && sc->nword < WORD_MAX)
			sc->word[sc->nword++] = *u;
		else if (u->kind == U_LETTER)
			sc->word_long = 1;
		if ((u->nonascii || u->foreign) && !sc->word_nonascii)
			sc->word_first_nonascii = u->off;
		if (u->nonascii || u->foreign)
			sc->word_nonascii = 1;
		if (u->foreign)
			sc->word_foreign = 1;
		return;
	}
	end_word(sc);
}

static void unreadable(struct score *sc, size_t off)
{
	if (!sc->unreadable) {
		sc->unreadable = 1;
		sc->bad_offset = off;
	}
}

/* Score the sample as enc.  map: the byte table for TCVN3 and CP1258. */
static void score_as(enum hx_enc enc, const unsigned char *s, size_t len, int final,
                     const unsigned long *map, struct score *sc)
{
	struct unit u;
	size_t i = 0;

	memset(sc, 0, sizeof *sc);
	while (i < len) {
		if (enc == HX_ENC_UTF8) {
			unsigned long cp;
			size_t k = hx_utf8_decode((const char *)s + i, len - i, &cp);

			if (k == 0 || cp == 0) {
				if (!final && len - i < 4 &&
				    hx_text_utf8_incomplete_tail(s + i, len - i) == len - i)
					break;
				unreadable(sc, i);
				odd_at(sc, i);
				i++;
				continue;
			}
			classify(cp, i, &u);
			feed(sc, &u);
			i += k;
		} else if (enc == HX_ENC_VNI) {
			struct vni_unit v;
			int rc = vni_unit(s + i, len - i, !final, &v);

			if (rc == 0)
				break;
			if (rc < 0) {
				unreadable(sc, i);
				odd_at(sc, i);
				i++;
				continue;
			}
			if (v.base != 0) {
				memset(&u, 0, sizeof u);
				u.kind = U_LETTER;
				u.base = v.base;
				u.shape = v.shape;
				u.tone = v.tone;
				u.nonascii = s[i] >= 0x80 || v.used == 2;
				u.off = i;
			} else {
				classify(v.cp, i, &u);
			}
			feed(sc, &u);
			i += v.used;
		} else {
			unsigned long cp = map[s[i]];

			if (cp == NO_CP || cp == 0) {
				unreadable(sc, i);
				odd_at(sc, i);
			} else {
				classify(cp, i, &u);
				feed(sc, &u);
			}
			i++;
		}
	}
	end_word(sc);
}

int hx_enc_detect(const void *sample, size_t len, int final, struct hx_enc_guess *g)
{
	const unsigned char *s = sample;
	struct score sc[HX_ENC_COUNT];
	unsigned long map[256];
	size_t bad = 0, check_len = len;
	int best = -1, second = -1;

	memset(g, 0, sizeof *g);
	if (!final)
		check_len -= hx_text_utf8_incomplete_tail(s, len);
	if (hx_text_utf8_check(s, check_len, &bad) == 0) {
		score_as(HX_ENC_UTF8, s, check_len, 1, NULL, &sc[0]);
		g->enc = HX_ENC_UTF8;
		g->confidence = 100;
		g->letters = sc[0].letters;
		g->odd = sc[0].odd;
		g->decomposed = sc[0].decomposed;
		if (g->decomposed)
			hx_text_msgf(g->explain, sizeof g->explain,
			             _("read as UTF-8 with decomposed letters (normalised to NFC): "
			               "%ld letters with diacritics"), g->letters);
		else
			hx_text_msgf(g->explain, sizeof g->explain,
			             _("read as UTF-8: %ld letters with diacritics"), g->letters);
		return 0;
	}
	g->bad_offset = bad;
	g->bad_byte = s[bad];
	for (int e = HX_ENC_TCVN3; e < HX_ENC_COUNT; e++) {
		if (e != HX_ENC_VNI && iconv_map((enum hx_enc)e, map) < 0) {
			memset(&sc[e], 0, sizeof sc[e]);
			sc[e].unreadable = 1;
			continue;
		}
		score_as((enum hx_enc)e, s, len, final, map, &sc[e]);
	}
	for (int e = HX_ENC_TCVN3; e < HX_ENC_COUNT; e++) {
		int clean = !sc[e].unreadable && sc[e].letters > 0 && sc[e].odd * 10 <= sc[e].letters;

		if (clean && (best < 0 || sc[e].letters > sc[best].letters)) {
			second = best;
			best = e;
		} else if (second < 0 || sc[e].letters > sc[second].letters) {
			second = e;
		}
	}
	if (best < 0) {
		char b[3][120];

		for (int e = HX_ENC_TCVN3; e < HX_ENC_COUNT; e++) {
			struct score *x = &sc[e];

			if (x->unreadable)
				hx_text_msgf(b[e - 1], sizeof b[e - 1], _("%s cannot read byte offset %zu"),
				             hx_enc_name((enum hx_enc)e), x->bad_offset);
			else
				hx_text_msgf(b[e - 1], sizeof b[e - 1],
				             _("%s reads %ld letters but %ld odd words, the first at byte "
				               "offset %zu"), hx_enc_name((enum hx_enc)e), x->letters, x->odd,
				             x->have_odd ? x->first_odd : 0);
		}
		hx_text_msgf(g->explain, sizeof g->explain,
		             _("not valid UTF-8 at byte offset %zu (byte 0x%02X), and no legacy "
		               "Vietnamese encoding reads it cleanly (%s; %s; %s); save it as UTF-8 "
		               "or name its encoding with --encoding"),
		             bad, (unsigned)s[bad], b[0], b[1], b[2]);
		return -1;
	}
	g->enc = (enum hx_enc)best;
	g->letters = sc[best].letters;
	g->odd = sc[best].odd;
	{
		long rival = second >= 0 ? sc[second].letters : 0;
		long c = 100 * g->letters / (g->letters + rival + 2 * g->odd);

		g->confidence = c < 1 ? 1 : (int)c;
	}
	if (g->odd > 0)
		hx_text_msgf(g->explain, sizeof g->explain,
		             _("read as %s: %ld letters decoded, %ld words odd (the first at byte "
		               "offset %zu)"), hx_enc_name(g->enc), g->letters, g->odd,
		             sc[best].first_odd);
	else
		hx_text_msgf(g->explain, sizeof g->explain, _("read as %s: %ld letters decoded"),
		             hx_enc_name(g->enc), g->letters);
	return 0;
}

/* ---- The streaming converter ------------------------------------------------ */

struct hx_enc_reader {
	enum hx_enc enc;
	hx_csv_read_fn read_fn;
	void *ctx;
	unsigned long long offset; /* file offset of in[0] */
	unsigned char in[IN_SZ];
	size_t in_len;
	int eof, failed;
	iconv_t cd;
	struct hx_buf dec;         /* decoded, not yet normalised */
	struct hx_buf out;         /* normalised, not yet handed out */
	size_t out_pos;
	struct hx_error fail;
};

struct hx_enc_reader *hx_enc_reader_new(enum hx_enc enc, hx_csv_read_fn read_fn, void *ctx,
                                        unsigned long long start_offset)
{
	struct hx_enc_reader *r = hx_calloc(1, sizeof *r);

	r->enc = enc;
	r->read_fn = read_fn;
	r->ctx = ctx;
	r->offset = start_offset;
	r->cd = (iconv_t)-1;
	if (enc == HX_ENC_TCVN3 || enc == HX_ENC_CP1258)
		r->cd = iconv_open("UTF-8", iconv_code(enc));
	/* IN_SZ bytes decode to at most 3 bytes each, plus a held-back part. */
	hx_buf_init(&r->dec, DEC_FORCE_CUT + 4 * IN_SZ);
	hx_buf_init(&r->out, 2 * (DEC_FORCE_CUT + 4 * IN_SZ));
	return r;
}

void hx_enc_reader_free(struct hx_enc_reader *r)
{
	if (r == NULL)
		return;
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	hx_buf_free(&r->dec);
	hx_buf_free(&r->out);
	free(r);
}

unsigned long long hx_enc_reader_bytes(const struct hx_enc_reader *r)
{
	return r->offset;
}

static int bad_byte(struct hx_enc_reader *r, size_t at, struct hx_error *err)
{
	unsigned char b = r->in[at];

	r->failed = 1;
	if (b == 0)
		hx_error_set(&r->fail, HX_DATAERR,
		             _("is not a text file: it contains a NUL byte at byte offset %llu"),
		             r->offset + at);
	else
		hx_error_set(&r->fail, HX_DATAERR, _("not valid %s at byte offset %llu (byte 0x%02X)"),
		             hx_enc_name(r->enc), r->offset + at, (unsigned)b);
	if (err != NULL)
		*err = r->fail;
	return -1;
}

/* Decode in[0..in_len) into dec; what is kept for the next call stays in in. */
static int decode_some(struct hx_enc_reader *r, struct hx_error *err)
{
	size_t used = 0;

	if (r->enc == HX_ENC_UTF8) {
		size_t tail = r->eof ? 0 : hx_text_utf8_incomplete_tail(r->in, r->in_len);
		size_t bad;

		if (hx_text_utf8_check(r->in, r->in_len - tail, &bad) < 0)
			return bad_byte(r, bad, err);
		(void)hx_buf_append(&r->dec, r->in, r->in_len - tail);
		used = r->in_len - tail;
	} else if (r->enc == HX_ENC_VNI) {
		while (used < r->in_len) {
			struct vni_unit v;
			int rc = vni_unit(r->in + used, r->in_len - used, !r->eof, &v);

			if (rc == 0)
				break;
			if (rc < 0)
				return bad_byte(r, used, err);
			if (v.base != 0)
				(void)put_letter(&r->dec, v.base, v.upper, v.shape, v.tone);
			else {
				char e[4];

				(void)hx_buf_append(&r->dec, e, hx_utf8_encode(v.cp, e));
			}
			used += v.used;
		}
	} else {
		char conv[4 * 1024];
		char *ip = (char *)r->in;
		size_t il = r->in_len;
		const void *nul = memchr(r->in, 0, r->in_len);

		if (r->cd == (iconv_t)-1) {
			r->failed = 1;
			hx_error_set(&r->fail, HX_SOFTWARE, _("this system's iconv cannot convert from %s"),
			             iconv_code(r->enc));
			if (err != NULL)
				*err = r->fail;
			return -1;
		}
		if (nul != NULL)
			il = (size_t)((const unsigned char *)nul - r->in);
		while (il > 0) {
			char *op = conv;
			size_t ol = sizeof conv;
			size_t rc = iconv(r->cd, &ip, &il, &op, &ol);
			int e = errno;

			(void)hx_buf_append(&r->dec, conv, (size_t)(op - conv));
			if (rc != (size_t)-1)
				break;
			if (e == E2BIG)
				continue;
			if (e == EILSEQ)
				return bad_byte(r, (size_t)(ip - (char *)r->in), err);
			break; /* EINVAL: a sequence the next read completes */
		}
		if (nul != NULL)
			return bad_byte(r, (size_t)((const unsigned char *)nul - r->in), err);
		used = (size_t)(ip - (char *)r->in);
		if (r->eof) {
			char *op = conv;
			size_t ol = sizeof conv;

			(void)iconv(r->cd, NULL, NULL, &op, &ol);
			(void)hx_buf_append(&r->dec, conv, (size_t)(op - conv));
		}
	}
	memmove(r->in, r->in + used, r->in_len - used);
	r->in_len -= used;
	r->offset += used;
	return 0;
}

/* Normalise the part of dec no later text can change into out. */
static void normalise_some(struct hx_enc_reader *r)
{
	size_t cut = r->eof && r->in_len == 0 ? r->dec.len : hx_nfc_safe_cut(r->dec.data, r->dec.len);

	if (cut == 0 && r->dec.len > DEC_FORCE_CUT)
		cut = r->dec.len; /* a megabyte of marks with no letter: not text anyway */
	if (cut == 0)
		return;
	hx_buf_reset(&r->out);
	r->out_pos = 0;
	/* dec is valid UTF-8 (checked or produced here) and out is large enough. */
	(void)hx_nfc_append(r->dec.data, cut, &r->out);
	memmove(r->dec.data, r->dec.data + cut, r->dec.len - cut);
	r->dec.len -= cut;
	r->dec.data[r->dec.len] = '\0';
}

ssize_t hx_enc_read(void *ctx, char *buf, size_t cap, struct hx_error *err)
{
	struct hx_enc_reader *r = ctx;
	size_t n;

	if (r->failed) {
		if (err != NULL)
			*err = r->fail;
		return -1;
	}
	while (r->out.len - r->out_pos == 0) {
		if (r->eof && r->in_len == 0 && r->dec.len == 0)
			return 0;
		if (!r->eof) {
			ssize_t got = r->read_fn(r->ctx, (char *)r->in + r->in_len, IN_SZ - r->in_len, err);

			if (got < 0)
				return -1;
			if (got == 0)
				r->eof = 1;
			r->in_len += (size_t)got;
		}
		if (decode_some(r, err) < 0)
			return -1;
		if (r->eof && r->in_len > 0) {
			/* Only a cut UTF-8 sequence is ever left over at the end. */
			return bad_byte(r, 0, err);
		}
		normalise_some(r);
	}
	n = r->out.len - r->out_pos;
	if (n > cap) {
		n = cap;
		while (n > 0 && ((unsigned char)r->out.data[r->out_pos + n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(buf, r->out.data + r->out_pos, n);
	r->out_pos += n;
	return (ssize_t)n;
}

struct mem_source {
	const char *s;
	size_t n, pos;
};

static ssize_t mem_read(void *ctx, char *buf, size_t cap, struct hx_error *err)
{
	struct mem_source *m = ctx;
	size_t k = m->n - m->pos < cap ? m->n - m->pos : cap;

	(void)err;
	memcpy(buf, m->s + m->pos, k);
	m->pos += k;
	return (ssize_t)k;
}

int hx_enc_decode(enum hx_enc enc, const char *s, size_t n, struct hx_buf *out,
                  struct hx_error *err)
{
	struct mem_source m = {s, n, 0};
	struct hx_enc_reader *r = hx_enc_reader_new(enc, mem_read, &m, 0);
	char chunk[16384];
	ssize_t got;
	int rc = 0;

	while ((got = hx_enc_read(r, chunk, sizeof chunk, err)) > 0) {
		if (hx_buf_append(out, chunk, (size_t)got) < 0) {
			rc = hx_error_set(err, HX_DATAERR, _("the text is longer than %zu bytes"),
			                  out->max);
			break;
		}
	}
	if (got < 0)
		rc = -1;
	hx_enc_reader_free(r);
	return rc;
}
