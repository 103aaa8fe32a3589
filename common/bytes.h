/*
 * bytes.h — comparing the short keys the per-row path looks up (a unit
 * code, a title, a boolean or a year as written), inline: for a handful of
 * bytes a call to memcmp costs more than the comparison.
 */
#ifndef HOCTAP_BYTES_H
#define HOCTAP_BYTES_H

#include <stddef.h>

/* Do a and b hold the same n bytes?  Meant for n of a few bytes. */
static inline int hx_same_bytes(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return 0;
	return 1;
}

#endif
