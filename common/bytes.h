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
 * the last few as the word that ends them (overlapping the one before);
 * below eight, as two words of four that overlap (a unit code, "true",
 * "72.5"): a comparison or two, not one a byte.
 */
static inline int hx_same_bytes(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	if (n >= 8) {
		uint64_t u, v;

		for (size_t i = 0; i + 8 < n; i += 8) {
			memcpy(&u, x + i, sizeof u);
			memcpy(&v, y + i, sizeof v);
			if (u != v)
				return 0;
		}
		memcpy(&u, x + n - 8, sizeof u);
		memcpy(&v, y + n - 8, sizeof v);
		return u == v;
	}
	if (n >= 4) {
		uint32_t u0, v0, u1, v1;

		memcpy(&u0, x, sizeof u0);
		memcpy(&v0, y, sizeof v0);
		memcpy(&u1, x + n - 4, sizeof u1);
		memcpy(&v1, y + n - 4, sizeof v1);
		return u0 == v0 && u1 == v1;
	}
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return 0;
	return 1;
}

#endif
