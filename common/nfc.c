/*
 * nfc.c — NFC through utf8proc, with a fast path for text that is NFC by
 * construction (see nfc.h).  Nearly every cell of a clerk's file is ASCII
 * or precomposed Vietnamese, so utf8proc (which allocates its result) is
 * called only for the rest.
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "nfc.h"

size_t hx_utf8_decode(const char *s, size_t n, unsigned long *cp)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t k;

	if (n == 0)
		return 0;
	if ((unsigned char)s[0] < 0x80) {
		*cp = (unsigned char)s[0];
		return 1;
	}
	k = utf8proc_iterate((const utf8proc_uint8_t *)s, n > 4 ? 4 : (utf8proc_ssize_t)n, &c);
	if (k <= 0 || c < 0)
		return 0;
	*cp = (unsigned long)c;
	return (size_t)k;
}

size_t hx_utf8_encode(unsigned long cp, char out[4])
{
	return (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)out);
}

int hx_nfc_quick(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned long cp;
		size_t k;

		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		k = hx_utf8_decode(s + i, n - i, &cp);
		if (k == 0)
			return 0;
		if (!(cp < 0x300 || (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x2002 && cp <= 0x20CF)))
			return 0;
		i += k;
	}
	return 1;
}

int hx_nfc_append(const char *s, size_t n, struct hx_buf *out)
{
	utf8proc_uint8_t *dst = NULL;
	utf8proc_ssize_t len;
	int rc;

	if (hx_nfc_quick(s, n))
		return hx_buf_append(out, s, n);
	len = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &dst,
	                   UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (len < 0)
		return -1;
	rc = hx_buf_append(out, dst, (size_t)len);
	free(dst);
	return rc;
}

size_t hx_nfc_safe_cut(const char *s, size_t n)
{
	size_t i = n;

	while (i > 0) {
		unsigned long cp;
		size_t start = i - 1;

		while (start > 0 && ((unsigned char)s[start] & 0xC0) == 0x80 && i - start < 4)
			start--;
		if (hx_utf8_decode(s + start, i - start, &cp) == 0 ||
		    utf8proc_get_property((utf8proc_int32_t)cp)->combining_class == 0)
			return start;
		i = start;
	}
	return 0;
}
