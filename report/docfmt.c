/*
 * docfmt.c — the documents' language, and numbers written in its style.
 *
 * Numbers arrive as PostgreSQL's exact text ("1357.5", "69.88") and are
 * restyled character by character — grouped by three, with the decimal
 * mark of the language — so no figure passes through binary floating
 * point on its way to the page (docs/design.md §6).
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "i18n.h"

static int doc_vi = 1;

void report_doc_init(int vi)
{
	doc_vi = vi != 0;
	/*
	 * Messages in English, documents in Vietnamese: hx_gettext answers
	 * English without looking at the catalogue, so making the catalogue
	 * reachable (a locale other than "C" and LANGUAGE=vi, as i18n.c does
	 * for Vietnamese messages) changes the documents only.
	 */
	if (doc_vi && hx_i18n_lang() != HX_LANG_VI) {
		const char *m = setlocale(LC_MESSAGES, "");

		if (m == NULL || strcmp(m, "C") == 0 || strcmp(m, "POSIX") == 0)
			setlocale(LC_MESSAGES, "C.UTF-8");
		setenv("LANGUAGE", "vi", 1);
	}
}

int report_doc_vi(void)
{
	return doc_vi;
}

const char *report_doc_lang(void)
{
	return doc_vi ? "vi" : "en";
}

const char *report_tr(const char *msgid)
{
	if (!doc_vi || msgid == NULL || *msgid == '\0')
		return msgid;
	return dgettext(HX_TEXTDOMAIN, msgid);
}

/* -?digits(.digits)? : the lengths of the integer and fraction parts. */
static int split_number(const char *s, int *neg, size_t *nint, const char **frac, size_t *nfrac)
{
	const char *p = s;

	*neg = *p == '-';
	if (*neg)
		p++;
	*nint = strspn(p, "0123456789");
	if (*nint == 0)
		return -1;
	*frac = NULL;
	*nfrac = 0;
	if (p[*nint] == '.') {
		*frac = p + *nint + 1;
		*nfrac = strspn(*frac, "0123456789");
		if (*nfrac == 0 || (*frac)[*nfrac] != '\0')
			return -1;
	} else if (p[*nint] != '\0') {
		return -1;
	}
	return 0;
}

int report_fmt_num(struct hx_buf *b, const char *value, unsigned flags)
{
	const char *digits, *frac;
	char group = doc_vi ? '.' : ',', point = doc_vi ? ',' : '.';
	char tmp[128];
	size_t nint, nfrac, i, n = 0;
	int neg, zero;

	if (value == NULL || split_number(value, &neg, &nint, &frac, &nfrac) < 0 || nint > 40 ||
	    nfrac > 40)
		return -1;
	digits = value + neg;
	zero = strspn(digits, "0.") == strlen(digits);
	if (neg && !zero)
		tmp[n++] = '-';
	else if ((flags & FMT_SIGN) && !zero)
		tmp[n++] = '+';
	for (i = 0; i < nint; i++) {
		if (i > 0 && (nint - i) % 3 == 0 && !(flags & FMT_NOGROUP))
			tmp[n++] = group;
		tmp[n++] = digits[i];
	}
	if (flags & FMT_DEC2) {
		tmp[n++] = point;
		for (i = 0; i < 2; i++)
			tmp[n++] = i < nfrac ? frac[i] : '0';
	} else if (nfrac > 0) {
		tmp[n++] = point;
		memcpy(tmp + n, frac, nfrac);
		n += nfrac;
	}
	return hx_buf_append(b, tmp, n);
}

int report_fmt_ll(struct hx_buf *b, long long v, unsigned flags)
{
	char s[32];

	snprintf(s, sizeof s, "%lld", v);
	return report_fmt_num(b, s, flags);
}

int report_fmt_percent(struct hx_buf *b, const char *value, unsigned flags)
{
	if (value == NULL)
		return hx_buf_puts(b, "–");
	if (report_fmt_num(b, value, flags | FMT_DEC2) < 0)
		return -1;
	return hx_buf_putc(b, '%');
}

int report_hundredths(const char *value, long long *out)
{
	const char *frac;
	size_t nint, nfrac, i;
	long long v = 0;
	int neg;

	if (value == NULL || split_number(value, &neg, &nint, &frac, &nfrac) < 0 || nint > 15)
		return -1;
	for (i = 0; i < nint; i++)
		v = v * 10 + (value[(size_t)neg + i] - '0');
	for (i = 0; i < 2; i++)
		v = v * 10 + (i < nfrac ? frac[i] - '0' : 0);
	*out = neg ? -v : v;
	return 0;
}

int report_vnd_to_million(const char *vnd, char *dst, size_t size)
{
	const char *frac;
	size_t nint, nfrac, len, i;
	char digits[48];
	int neg, n;

	if (vnd == NULL || split_number(vnd, &neg, &nint, &frac, &nfrac) < 0 || frac != NULL ||
	    nint > 40)
		return -1;
	/* Left-pad to at least 7 digits, so that the point has a digit before it. */
	len = nint < 7 ? 7 : nint;
	memset(digits, '0', len - nint);
	memcpy(digits + len - nint, vnd + neg, nint);
	digits[len] = '\0';
	for (i = len; i > len - 6 && digits[i - 1] == '0'; i--)
		;
	n = snprintf(dst, size, "%s%.*s%s%.*s", neg ? "-" : "", (int)(len - 6), digits,
	             i > len - 6 ? "." : "", (int)(i - (len - 6)), digits + len - 6);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

static int escape_n(struct hx_buf *b, const char *s, size_t len)
{
	size_t i, from = 0;
	int rc = 0;

	for (i = 0; i < len && rc == 0; i++) {
		const char *e = NULL;

		switch (s[i]) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '"': e = "&quot;"; break;
		case '\'': e = "&#39;"; break;
		default:
			/* Controls other than tab and line ends are not allowed in HTML text. */
			if ((unsigned char)s[i] < 0x20 && s[i] != '\t' && s[i] != '\n')
				e = " ";
		}
		if (e == NULL)
			continue;
		rc = hx_buf_append(b, s + from, i - from);
		if (rc == 0)
			rc = hx_buf_puts(b, e);
		from = i + 1;
	}
	if (rc == 0)
		rc = hx_buf_append(b, s + from, len - from);
	return rc;
}

int report_html_escape(struct hx_buf *b, const char *s)
{
	return escape_n(b, s, strlen(s));
}

size_t report_utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

int report_html_escape_cut(struct hx_buf *b, const char *s, size_t max)
{
	size_t chars = 0, i;

	if (report_utf8_len(s) <= max)
		return report_html_escape(b, s);
	/* Cut before the character that would be the max-th, keeping room for "…". */
	for (i = 0; s[i]; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80 && ++chars == max)
			break;
	}
	if (escape_n(b, s, i) < 0)
		return -1;
	return hx_buf_puts(b, "…");
}
