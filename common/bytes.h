/*
 * bytes.h — comparing the short keys the per-row path looks up (a unit
 * code, a title, a boolean or a year as written), inline: for a handful of
 * bytes a call to memcmp costs more than the comparison.
 */
#ifndef HOCTAP_BYTES_H
#define HOCTAP_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * Do a and b hold the same n bytes?  Meant for n of a few bytes to a few
 * dozen (a clerk's title, "Gia đình học tập", is 20): eight at a time,
 * then one at a time.
 */
static inline int hx_same_bytes(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t u, v;

		memcpy(&u, x + i, sizeof u);
		memcpy(&v, y + i, sizeof v);
		if (u != v)
			return 0;
	}
	for (; i < n; i++)
		if (x[i] != y[i])
			return 0;
	return 1;
}

#endif
