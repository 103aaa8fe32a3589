/*
 * test_values.c — ingest/values.c's cache of decimals: a decimal read
 * again is written as it was read the first time, whatever else went
 * through the cache in between (values that share a pair of slots, the
 * same text as a percent or in another number style), and as it is
 * written without the cache.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <string.h>

#include "copy.h"
#include "numparse.h"
#include "values.h"

/* s as val_put writes it (type t, number style st) through c, into out (its text, NUL-ended). */
static void put(struct val_ctx *c, enum val_type t, enum hx_num_style st, const char *s,
                char *out, size_t cap)
{
	struct copy_sink k;
	struct val_error e;
	int rc;

	c->numbers = st;
	copy_sink_tmp(&k);
	rc = val_put(c, t, s, strlen(s), 1, &k, &e);
	copy_row_end(&k);
	snprintf(out, cap, "%d %s", rc, k.buf.data != NULL ? k.buf.data : "");
	copy_sink_close(&k);
}

Test(values, a_cached_decimal_is_written_as_it_was_read)
{
	static struct val_ctx cached, fresh; /* 70 KiB each: not on the stack */
	static const enum val_type types[] = {VT_DECIMAL, VT_PERCENT};
	static const enum hx_num_style styles[] = {HX_NUM_EN, HX_NUM_VI};
	char text[32], got[64], want[64];
	long checked = 0;

	memset(&cached, 0, sizeof cached);
	/* Three passes over 6,000 texts: far more than the cache's 2,048
	 * slots, so pairs fill, share and replace; each time in both number
	 * styles and as a decimal and a percent ("7.105" is 7.105 in English,
	 * 7105 in Vietnamese, where "," is the decimal mark). */
	for (int pass = 0; pass < 3; pass++) {
		for (int v = 0; v < 6000; v++) {
			snprintf(text, sizeof text, v % 3 == 0 ? "%d" : v % 3 == 1 ? "%d.%03d" : "%d,%03d",
			         v / 10, v % 10 * 111);
			for (size_t t = 0; t < 2; t++) {
				for (size_t st = 0; st < 2; st++) {
					memset(&fresh, 0, sizeof fresh);
					put(&fresh, types[t], styles[st], text, want, sizeof want);
					put(&cached, types[t], styles[st], text, got, sizeof got);
					cr_assert(eq(str, got, want), "%s as type %zu in style %zu, pass %d",
					          text, t, st, pass);
					checked++;
				}
			}
		}
	}
	cr_assert(eq(long, checked, 72000));
}
