/*
 * numparse.c — exact parsing of numbers, counts, money, percentages and
 * years in the Vietnamese and English conventions (see numparse.h).
 *
 * A value is split once into digit groups and the separators between them.
 * Each convention is then a "reading" of that split, which lets the
 * Vietnamese mode compare its reading with the English one and reject a
 * value that means two different things.  Nothing here allocates or uses
 * floating point: these run for every field of millions of rows, and the
 * figures they produce are published.
 */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "lengthof.h"
#include "numparse.h"
#include "text.h"

/* More separators than this cannot be a number that fits in int64_t. */
#define MAX_GROUPS 32

enum sep { SEP_NONE, SEP_DOT, SEP_COMMA, SEP_SPACE };

/* A value cut into digit groups: group i is preceded by separator sep[i]. */
struct split {
	const char *text;  /* the trimmed value, for messages */
	size_t len;
	int negative;
	int has_comma;
	int ngroups;
	const char *gp[MAX_GROUPS];
	size_t gl[MAX_GROUPS]; /* only group 0 may be empty (".5", ",5") */
	enum sep sep[MAX_GROUPS];
};

enum reading { RD_OK, RD_INVALID, RD_TOO_LARGE, RD_TOO_PRECISE };

static const int64_t pow10_tab[HX_DECIMAL_MAX_SCALE + 1] = {
	1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL,
	100000000LL, 1000000000LL, 10000000000LL, 100000000000LL,
	1000000000000LL, 10000000000000LL, 100000000000000LL,
	1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
	1000000000000000000LL
};

/* The value quoted in messages (see hx_text_excerpt). */
static const char *quote(const char *s, size_t len, char *out)
{
	return hx_text_excerpt(s, len, out, HX_TEXT_EXCERPT_SZ);
}

/*
 * Length of the space character at p (0 if none).  inner != 0 asks for the
 * characters that may separate thousands; otherwise tab, CR and LF count too
 * (for trimming).
 */
static size_t space_at(const unsigned char *p, size_t n, int inner)
{
	if (n >= 1 && (p[0] == ' ' || (!inner && (p[0] == '\t' || p[0] == '\r' ||
	                                          p[0] == '\n'))))
		return 1;
	if (n >= 2 && p[0] == 0xC2 && p[1] == 0xA0)              /* U+00A0 */
		return 2;
	if (n >= 3 && p[0] == 0xE2 && p[1] == 0x80 &&
	    (p[2] == 0x87 || p[2] == 0x89 || p[2] == 0xAF))      /* U+2007 2009 202F */
		return 3;
	return 0;
}

/* Length of the space character that ends p[0..n) (0 if none). */
static size_t space_before(const unsigned char *p, size_t n)
{
	if (n >= 1 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' ||
	               p[n - 1] == '\n'))
		return 1;
	if (n >= 2 && space_at(p + n - 2, 2, 1) == 2)
		return 2;
	if (n >= 3 && space_at(p + n - 3, 3, 1) == 3)
		return 3;
	return 0;
}

/* Trim whitespace at both ends of s[0..*len); returns the new start. */
static const char *trim(const char *s, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = s == NULL ? 0 : *len, k;

	while (n > 0 && (k = space_at(p, n, 0)) > 0) {
		p += k;
		n -= k;
	}
	while (n > 0 && (k = space_before(p, n)) > 0)
		n -= k;
	*len = n;
	return (const char *)p;
}

/* Length of a sign at p: '+', '-' or U+2212 MINUS SIGN (Word likes it). */
static size_t sign_at(const unsigned char *p, size_t n, int *negative)
{
	if (n >= 1 && (p[0] == '+' || p[0] == '-')) {
		*negative = p[0] == '-';
		return 1;
	}
	if (n >= 3 && p[0] == 0xE2 && p[1] == 0x88 && p[2] == 0x92) {
		*negative = 1;
		return 3;
	}
	return 0;
}

/*
 * Byte length of the character at p, for naming it in a message: its UTF-8
 * length when the continuation bytes are there, else 1 (hx_text_excerpt
 * then shows the byte as '?').
 */
static size_t char_len(const unsigned char *p, size_t avail)
{
	size_t n = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC0 ? 2 : 1, i;

	if (n > avail)
		return 1;
	for (i = 1; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 1;
	return n;
}

/* Does p[0..n) look like the exponent part "E+07" of scientific notation? */
static int is_exponent(const unsigned char *p, size_t n)
{
	size_t i = 1;

	if (n < 2 || (p[0] != 'E' && p[0] != 'e'))
		return 0;
	if (p[i] == '+' || p[i] == '-')
		i++;
	if (i == n)
		return 0;
	for (; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

/*
 * Cut s[0..len) into sign, digit groups and separators.  Returns HX_NUM_OK,
 * HX_NUM_ABSENT for empty text, or HX_NUM_ERROR with a message for text that
 * no convention could read (a letter, a misplaced sign, separators together).
 */
static int split_number(const char *s, size_t len, struct split *sp,
                        char *msg, size_t msglen)
{
	char q[HX_TEXT_EXCERPT_SZ];
	const unsigned char *p, *end;
	size_t k;
	int neg2, digits_seen = 0;

	s = trim(s, &len);
	if (len == 0)
		return HX_NUM_ABSENT;
	sp->text = s;
	sp->len = len;
	sp->negative = 0;
	sp->has_comma = 0;
	p = (const unsigned char *)s;
	end = p + len;
	p += sign_at(p, len, &sp->negative);
	if (sign_at(p, (size_t)(end - p), &neg2) > 0) {
		hx_text_msgf(msg, msglen, _("\"%s\" is not a number: it has more than one sign"),
		       quote(s, len, q));
		return HX_NUM_ERROR;
	}
	sp->ngroups = 1;
	sp->gp[0] = (const char *)p;
	sp->gl[0] = 0;
	sp->sep[0] = SEP_NONE;
	while (p < end) {
		enum sep sep = SEP_NONE;

		if (*p >= '0' && *p <= '9') {
			sp->gl[sp->ngroups - 1]++;
			digits_seen = 1;
			p++;
			continue;
		}
		k = 1;
		if (*p == '.')
			sep = SEP_DOT;
		else if (*p == ',')
			sep = SEP_COMMA;
		else if ((k = space_at(p, (size_t)(end - p), 1)) > 0)
			sep = SEP_SPACE;
		if (sep == SEP_COMMA)
			sp->has_comma = 1;
		if (sep == SEP_NONE) {
			size_t cl;

			if (sign_at(p, (size_t)(end - p), &neg2) > 0) {
				hx_text_msgf(msg, msglen,
				       _("\"%s\" is not a number: a sign may only come first"),
				       quote(s, len, q));
			} else if (digits_seen && is_exponent(p, (size_t)(end - p))) {
				hx_text_msgf(msg, msglen,
				       _("\"%s\" is in scientific notation, which loses digits; "
				          "format the column as Number and save the file again"),
				       quote(s, len, q));
			} else {
				char ch[8];

				cl = char_len(p, (size_t)(end - p));
				hx_text_msgf(msg, msglen, _("\"%s\" is not a number: \"%s\" is not a digit"),
				       quote(s, len, q),
				       hx_text_excerpt((const char *)p, cl, ch, sizeof ch));
			}
			return HX_NUM_ERROR;
		}
		if (sp->ngroups == MAX_GROUPS) {
			hx_text_msgf(msg, msglen, _("\"%s\" is not a number: too many separators"),
			       quote(s, len, q));
			return HX_NUM_ERROR;
		}
		if (sp->ngroups > 1 && sp->gl[sp->ngroups - 1] == 0) {
			hx_text_msgf(msg, msglen, _("\"%s\" is not a number: two separators in a row"),
			       quote(s, len, q));
			return HX_NUM_ERROR;
		}
		p += k;
		sp->gp[sp->ngroups] = (const char *)p;
		sp->gl[sp->ngroups] = 0;
		sp->sep[sp->ngroups] = sep;
		sp->ngroups++;
	}
	if (!digits_seen) {
		hx_text_msgf(msg, msglen, _("\"%s\" is not a number"), quote(s, len, q));
		return HX_NUM_ERROR;
	}
	if (sp->gl[sp->ngroups - 1] == 0) {
		hx_text_msgf(msg, msglen, _("\"%s\" is not a number: it ends with a separator"),
		       quote(s, len, q));
		return HX_NUM_ERROR;
	}
	return HX_NUM_OK;
}

/* Append the digits of a group to *acc; 0, or -1 if int64_t overflows. */
static int accumulate(int64_t *acc, const char *g, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int d = g[i] - '0';

		if (*acc > (INT64_MAX - d) / 10)
			return -1;
		*acc = *acc * 10 + d;
	}
	return 0;
}

/*
 * Read the split with thousands separator thou (or spaces) and decimal mark
 * dec.  Thousands groups: the first of 1 to 3 digits and not starting with 0
 * ("0.500" is never five hundred), the others of exactly 3, one kind of
 * separator throughout; without separators the whole part may be any length.
 */
static enum reading read_as(const struct split *sp, enum sep thou, enum sep dec,
                            struct hx_decimal *out)
{
	int n = sp->ngroups, whole = n, frac = 0, i;
	enum sep kind = SEP_NONE;
	int64_t acc = 0;

	if (n >= 2 && sp->sep[n - 1] == dec) {
		frac = 1;
		whole = n - 1;
	}
	for (i = 1; i < whole; i++) {
		if (sp->sep[i] != thou && sp->sep[i] != SEP_SPACE)
			return RD_INVALID;
		if (kind != SEP_NONE && sp->sep[i] != kind)
			return RD_INVALID;
		kind = sp->sep[i];
	}
	if (whole > 1) {
		if (sp->gl[0] < 1 || sp->gl[0] > 3 || sp->gp[0][0] == '0')
			return RD_INVALID;
		for (i = 1; i < whole; i++)
			if (sp->gl[i] != 3)
				return RD_INVALID;
	} else if (sp->gl[0] == 0 && !frac) {
		return RD_INVALID;
	}
	for (i = 0; i < whole; i++)
		if (accumulate(&acc, sp->gp[i], sp->gl[i]) < 0)
			return RD_TOO_LARGE;
	if (frac) {
		if (sp->gl[n - 1] > HX_DECIMAL_MAX_SCALE ||
		    accumulate(&acc, sp->gp[n - 1], sp->gl[n - 1]) < 0)
			return RD_TOO_PRECISE;
	}
	out->digits = acc;
	out->scale = frac ? (int)sp->gl[n - 1] : 0;
	out->negative = sp->negative && acc != 0;
	return RD_OK;
}

static int same_decimal(const struct hx_decimal *a, const struct hx_decimal *b)
{
	return a->digits == b->digits && a->scale == b->scale &&
	       a->negative == b->negative;
}

/* Message for a value that no reading accepted. */
static int reading_error(const struct split *sp, enum reading r,
                         enum hx_num_style st, char *msg, size_t msglen)
{
	char q[HX_TEXT_EXCERPT_SZ];

	quote(sp->text, sp->len, q);
	if (r == RD_TOO_LARGE)
		hx_text_msgf(msg, msglen, _("\"%s\" is too large"), q);
	else if (r == RD_TOO_PRECISE)
		hx_text_msgf(msg, msglen, _("\"%s\" has too many digits to be kept exactly "
		          "(at most 18)"), q);
	else if (st == HX_NUM_EN)
		hx_text_msgf(msg, msglen, _("\"%s\" is not a number in the English style declared "
		          "for this file (',' separates thousands in groups of three, "
		          "'.' marks decimals)"), q);
	else
		hx_text_msgf(msg, msglen, _("\"%s\" is not a number: digits between thousands "
		          "separators come in groups of three"), q);
	return HX_NUM_ERROR;
}

/*
 * The parser behind every public one: split, read, and in the Vietnamese
 * style settle between the Vietnamese and English readings.
 */
static int parse_split(const char *s, size_t len, enum hx_num_style st,
                       struct split *sp, struct hx_decimal *out,
                       char *msg, size_t msglen)
{
	struct hx_decimal vi, en;
	enum reading rv, re;
	size_t i;
	int rc;

	/* Fast path: plain digits, as machines write counts, read one way. */
	if (s != NULL && len > 0 && len <= 18) {
		int64_t acc = 0;

		for (i = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			acc = acc * 10 + (s[i] - '0');
		if (i == len) {
			sp->text = s;
			sp->len = len;
			out->digits = acc;
			out->scale = 0;
			out->negative = 0;
			return HX_NUM_OK;
		}
	}
	rc = split_number(s, len, sp, msg, msglen);
	if (rc != HX_NUM_OK)
		return rc;
	re = read_as(sp, SEP_COMMA, SEP_DOT, &en);
	if (st == HX_NUM_EN) {
		if (re != RD_OK)
			return reading_error(sp, re, st, msg, msglen);
		*out = en;
		return HX_NUM_OK;
	}
	rv = read_as(sp, SEP_DOT, SEP_COMMA, &vi);
	if (rv == RD_OK && re == RD_OK && !same_decimal(&vi, &en) && sp->has_comma) {
		char q[HX_TEXT_EXCERPT_SZ], a[HX_DECIMAL_BUFSZ], b[HX_DECIMAL_BUFSZ];

		hx_decimal_format(&vi, a, sizeof a);
		hx_decimal_format(&en, b, sizeof b);
		hx_text_msgf(msg, msglen, _("\"%s\" is ambiguous: it reads as %s (',' as decimal "
		          "mark) or as %s (',' as thousands separator); write %s for the "
		          "whole number, or declare the file English"),
		       quote(sp->text, sp->len, q), a, b, b);
		return HX_NUM_ERROR;
	}
	if (rv == RD_OK) {
		*out = vi;             /* "7.105" = 7105: the documented default */
		return HX_NUM_OK;
	}
	if (re == RD_OK) {
		*out = en;             /* "37.28", "0.5", "1,234,567": one reading */
		return HX_NUM_OK;
	}
	if (rv == RD_TOO_LARGE || re == RD_TOO_LARGE)
		return reading_error(sp, RD_TOO_LARGE, st, msg, msglen);
	if (rv == RD_TOO_PRECISE || re == RD_TOO_PRECISE)
		return reading_error(sp, RD_TOO_PRECISE, st, msg, msglen);
	return reading_error(sp, RD_INVALID, st, msg, msglen);
}

int hx_num_parse_decimal(const char *s, size_t len, enum hx_num_style st,
                         struct hx_decimal *out, char *msg, size_t msglen)
{
	struct split sp;

	return parse_split(s, len, st, &sp, out, msg, msglen);
}

int hx_num_parse_count(const char *s, size_t len, enum hx_num_style st,
                       int64_t *out, char *msg, size_t msglen)
{
	struct split sp;
	struct hx_decimal d;
	char q[HX_TEXT_EXCERPT_SZ];
	int rc;

	rc = parse_split(s, len, st, &sp, &d, msg, msglen);
	if (rc != HX_NUM_OK)
		return rc;
	if (d.negative) {
		hx_text_msgf(msg, msglen, _("\"%s\" is negative; a count cannot be below 0"),
		       quote(sp.text, sp.len, q));
		return HX_NUM_ERROR;
	}
	if (d.digits % pow10_tab[d.scale] != 0) {
		hx_text_msgf(msg, msglen, _("\"%s\" is not a whole number; a count has no decimals"),
		       quote(sp.text, sp.len, q));
		return HX_NUM_ERROR;
	}
	*out = d.digits / pow10_tab[d.scale];
	return HX_NUM_OK;
}

static int64_t gcd64(int64_t a, int64_t b)
{
	while (b != 0) {
		int64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* " million VND" and the like, for messages about a scaled amount. */
static const char *unit_words(int64_t multiplier)
{
	switch (multiplier) {
	case 1:
		return "";
	case 1000:
		return _(" thousand VND");
	case 1000000:
		return _(" million VND");
	case 1000000000:
		return " billion VND";
	default:
		return " (scaled)";
	}
}

int hx_num_parse_money_vnd(const char *s, size_t len, enum hx_num_style st,
                           int64_t multiplier, int64_t *out_vnd,
                           char *msg, size_t msglen)
{
	struct split sp;
	struct hx_decimal d;
	char q[HX_TEXT_EXCERPT_SZ];
	int64_t p, g, num, den;
	int rc;

	if (multiplier <= 0) {
		hx_text_msgf(msg, msglen, _("internal error: money multiplier %lld is not positive"),
		       (long long)multiplier);
		return HX_NUM_ERROR;
	}
	rc = parse_split(s, len, st, &sp, &d, msg, msglen);
	if (rc != HX_NUM_OK)
		return rc;
	if (d.negative) {
		hx_text_msgf(msg, msglen, _("\"%s\"%s is negative; an amount of money cannot be "
		          "below 0"), quote(sp.text, sp.len, q), unit_words(multiplier));
		return HX_NUM_ERROR;
	}
	/*
	 * digits * multiplier / 10^scale must be whole.  Reduce digits / 10^scale
	 * to lowest terms num / den first: the result is whole exactly when den
	 * divides multiplier, and no intermediate product can overflow.
	 */
	p = pow10_tab[d.scale];
	g = d.digits == 0 ? p : gcd64(d.digits, p);
	num = d.digits / g;
	den = p / g;
	if (multiplier % den != 0) {
		hx_text_msgf(msg, msglen, _("\"%s\"%s is not a whole number of VND"),
		       quote(sp.text, sp.len, q), unit_words(multiplier));
		return HX_NUM_ERROR;
	}
	if (num != 0 && multiplier / den > INT64_MAX / num) {
		hx_text_msgf(msg, msglen, _("\"%s\"%s is too large"), quote(sp.text, sp.len, q),
		       unit_words(multiplier));
		return HX_NUM_ERROR;
	}
	*out_vnd = num * (multiplier / den);
	return HX_NUM_OK;
}

int hx_num_parse_percent(const char *s, size_t len, enum hx_num_style st,
                         struct hx_decimal *out, char *msg, size_t msglen)
{
	struct split sp;
	struct hx_decimal d;
	char q[HX_TEXT_EXCERPT_SZ];
	const char *t;
	size_t n = len;
	int rc;

	t = trim(s, &n);
	if (n > 0 && t[n - 1] == '%') {
		size_t body = n - 1;

		(void)trim(t, &body);   /* "37,28 %": the space belongs to the sign */
		if (body == 0) {
			hx_text_msgf(msg, msglen, _("\"%s\" is not a number"), quote(t, n, q));
			return HX_NUM_ERROR;
		}
		n = body;
	}
	rc = parse_split(t, n, st, &sp, &d, msg, msglen);
	if (rc != HX_NUM_OK)
		return rc;
	if (d.negative) {
		hx_text_msgf(msg, msglen, _("\"%s\" is negative; a percentage cannot be below 0"),
		       quote(sp.text, sp.len, q));
		return HX_NUM_ERROR;
	}
	*out = d;
	return HX_NUM_OK;
}

int hx_num_parse_year(const char *s, size_t len, int *out, char *msg, size_t msglen)
{
	char q[HX_TEXT_EXCERPT_SZ];
	const unsigned char *p, *end;
	int year = 0, ndigits = 0, seps = 0;

	s = trim(s, &len);
	if (len == 0)
		return HX_NUM_ABSENT;
	p = (const unsigned char *)s;
	end = p + len;
	while (p < end) {
		size_t k;

		if (*p >= '0' && *p <= '9' && ndigits < 4) {
			year = year * 10 + (*p - '0');
			ndigits++;
			p++;
			continue;
		}
		/* One separator, right after the first digit: "2.019" as Excel shows it. */
		k = (*p == '.' || *p == ',') ? 1 : space_at(p, (size_t)(end - p), 1);
		if (k == 0 || ndigits != 1 || seps++ > 0)
			break;
		p += k;
	}
	if (p != end || ndigits != 4) {
		hx_text_msgf(msg, msglen, _("\"%s\" is not a year: write four digits, e.g. 2019"),
		       quote(s, len, q));
		return HX_NUM_ERROR;
	}
	if (year < HX_YEAR_MIN || year > HX_YEAR_MAX) {
		hx_text_msgf(msg, msglen, _("\"%s\" is not a year between %d and %d"),
		       quote(s, len, q), HX_YEAR_MIN, HX_YEAR_MAX);
		return HX_NUM_ERROR;
	}
	*out = year;
	return HX_NUM_OK;
}

size_t hx_decimal_format(const struct hx_decimal *d, char *buf, size_t len)
{
	char digits[24], text[HX_DECIMAL_BUFSZ];
	uint64_t v = d->digits < 0 ? 0 : (uint64_t)d->digits;
	size_t nd = 0, n = 0, i, scale;

	scale = d->scale < 0 ? 0 : d->scale > HX_DECIMAL_MAX_SCALE ?
	        HX_DECIMAL_MAX_SCALE : (size_t)d->scale;
	do {
		digits[nd++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	/* digits[] holds them least significant first. */
	if (d->negative && d->digits != 0)
		text[n++] = '-';
	if (nd <= scale) {
		text[n++] = '0';
		if (scale > 0)
			text[n++] = '.';
		for (i = nd; i < scale; i++)
			text[n++] = '0';
		for (i = nd; i > 0; i--)
			text[n++] = digits[i - 1];
	} else {
		for (i = nd; i > 0; i--) {
			text[n++] = digits[i - 1];
			if (i - 1 == scale && scale > 0)
				text[n++] = '.';
		}
	}
	text[n] = '\0';
	if (buf != NULL && len > 0) {
		size_t c = n < len ? n : len - 1;

		memcpy(buf, text, c);
		buf[c] = '\0';
	}
	return n;
}

int hx_num_style_from_name(const char *name, enum hx_num_style *out)
{
	static const struct {
		const char *name;
		enum hx_num_style st;
	} names[] = {
		{"vi", HX_NUM_VI}, {"vn", HX_NUM_VI}, {"vietnamese", HX_NUM_VI},
		{"en", HX_NUM_EN}, {"english", HX_NUM_EN},
	};
	size_t i, j;

	if (name == NULL)
		return -1;
	for (i = 0; i < lengthof(names); i++) {
		const char *a = names[i].name;

		for (j = 0; a[j] != '\0'; j++) {
			char c = name[j];

			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (c != a[j])
				break;
		}
		if (a[j] == '\0' && name[j] == '\0') {
			*out = names[i].st;
			return 0;
		}
	}
	return -1;
}

const char *hx_num_style_name(enum hx_num_style st)
{
	return st == HX_NUM_EN ? "en" : "vi";
}
