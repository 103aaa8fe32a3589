/*
 * COPY text rows as ingest/copy.c writes them: integers (two digits a step),
 * escaped text, NULL, single bytes, the fields a row records, and a row
 * abandoned half way — from tables of cases, read back from a keeping sink.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "copy.h"
#include "lengthof.h"

/* The rows a keeping sink holds (all in memory: far below its 128 KiB spill). */
static const char *rows(const struct copy_sink *s)
{
	return s->buf.data != NULL ? s->buf.data : "";
}

Test(copy, integers_in_every_length_and_sign)
{
	static const struct {
		int64_t v;
		const char *text;
	} cases[] = {
		{0, "0"}, {7, "7"}, {10, "10"}, {99, "99"}, {100, "100"}, {101, "101"},
		{4096, "4096"}, {123456, "123456"}, {1000000, "1000000"}, {-1, "-1"}, {-10, "-10"},
		{-1234567, "-1234567"}, {INT64_MAX, "9223372036854775807"},
		{INT64_MIN, "-9223372036854775808"},
	};

	for (size_t i = 0; i < lengthof(cases); i++) {
		struct copy_sink s;
		char want[64];

		copy_sink_tmp(&s);
		copy_int(&s, cases[i].v);
		copy_row_end(&s);
		snprintf(want, sizeof want, "%s\n", cases[i].text);
		cr_assert_str_eq(rows(&s), want, "case %zu", i);
		copy_sink_close(&s);
	}
}

/* Around every power of ten, both signs: each one's digits as printf writes them. */
Test(copy, integers_around_every_power_of_ten)
{
	int64_t p = 1;

	for (int k = 0; k <= 18; k++, p = k <= 18 ? p * 10 : p) {
		const int64_t vs[] = {p - 1, p, p + 1, -(p - 1), -p, -(p + 1)};

		for (size_t i = 0; i < lengthof(vs); i++) {
			struct copy_sink s;
			char want[32];

			copy_sink_tmp(&s);
			copy_int(&s, vs[i]);
			copy_row_end(&s);
			snprintf(want, sizeof want, "%" PRId64 "\n", vs[i]);
			cr_assert_str_eq(rows(&s), want, "10^%d, case %zu", k, i);
			copy_sink_close(&s);
		}
	}
}

Test(copy, text_is_escaped_and_fields_are_recorded)
{
	struct copy_sink s;

	copy_sink_tmp(&s);
	copy_text(&s, "a\\b\tc\nd\re", 9);
	copy_null(&s);
	copy_char(&s, 't');
	copy_raw(&s, "12", 2);
	copy_text(&s, "", 0);
	cr_assert(eq(int, s.row_fields, 5));
	cr_assert(eq(u32, s.field_at[0], 0));
	cr_assert(eq(u32, s.field_at[1], 14));
	cr_assert(eq(u32, s.field_at[2], 17));
	cr_assert(eq(u32, s.field_at[3], 19));
	cr_assert(eq(u32, s.field_at[4], 22));
	copy_row_end(&s);
	cr_assert_str_eq(rows(&s), "a\\\\b\\tc\\nd\\re\t\\N\tt\t12\t\n");
	cr_assert(eq(u64, s.rows, 1));
	copy_sink_close(&s);
}

Test(copy, a_row_abandoned_or_cut_leaves_the_rows_before_it)
{
	struct copy_sink s;

	copy_sink_tmp(&s);
	copy_int(&s, 1);
	copy_text(&s, "x", 1);
	copy_row_end(&s);
	copy_int(&s, 2);
	copy_text(&s, "y", 1);
	copy_row_abort(&s);
	copy_int(&s, 3);
	copy_text(&s, "z", 1);
	copy_text(&s, "cut", 3);
	copy_row_keep(&s, 2);
	copy_row_end(&s);
	cr_assert_str_eq(rows(&s), "1\tx\n3\tz\n");
	cr_assert(eq(u64, s.rows, 2));
	copy_sink_close(&s);
}

/*
 * copy_text passes eight bytes a step while none needs escaping: a byte
 * to escape (or a control byte that only looks like one) in every place
 * of texts of every length from 1 to 40, Vietnamese letters around it,
 * must come out as escaping byte by byte writes it.
 */
Test(copy, text_escapes_a_byte_in_every_place)
{
	static const char marks[] = {'\\', '\t', '\n', '\r', '\x01', '\x0D', '\x0E', '\x1F', '['};
	static const char fill[] = "Tổ dân phố 12, Nguyễn Xuân Phúc; 00001-00002";

	for (size_t m = 0; m < lengthof(marks); m++) {
		for (size_t len = 1; len <= 40; len++) {
			for (size_t at = 0; at < len; at++) {
				struct copy_sink s;
				char in[48], want[100];
				size_t k = 0;

				memcpy(in, fill, len);
				in[at] = marks[m];
				for (size_t i = 0; i < len; i++) {
					const char *e = in[i] == '\\' ? "\\\\" : in[i] == '\t' ? "\\t"
					                : in[i] == '\n' ? "\\n" : in[i] == '\r' ? "\\r" : NULL;

					if (e != NULL) {
						memcpy(want + k, e, 2);
						k += 2;
					} else {
						want[k++] = in[i];
					}
				}
				want[k++] = '\n';
				want[k] = '\0';
				copy_sink_tmp(&s);
				copy_text(&s, in, len);
				copy_row_end(&s);
				cr_assert_str_eq(rows(&s), want, "mark %zu at %zu of %zu", m, at, len);
				copy_sink_close(&s);
			}
		}
	}
}
