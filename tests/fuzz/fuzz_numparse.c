/*
 * fuzz_numparse.c — libFuzzer target for the number parsers
 * (common/numparse.h).  The first byte picks the parser and the number
 * style; the rest is the cell.  Oracles beyond the sanitizers:
 *   - *out is untouched unless HX_NUM_OK, as the header promises;
 *   - a count and an amount are never negative, a year is in range;
 *   - a decimal formatted by hx_decimal_format reads back, in the English
 *     style, as exactly the same decimal (digits, scale, sign);
 *   - an error message is NUL-terminated inside its buffer and, when the
 *     cell was valid UTF-8 and the buffer large, is valid UTF-8 too (it is
 *     stored in PostgreSQL).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "numparse.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_msg(const char *msg, size_t cap, int input_utf8)
{
	size_t n = strnlen(msg, cap);

	if (n == cap)
		abort();
	if (input_utf8 && hx_text_utf8_check(msg, n, NULL) < 0)
		abort();
}

static void roundtrip(const struct hx_decimal *d)
{
	char text[HX_DECIMAL_BUFSZ], msg[256];
	struct hx_decimal back;
	size_t n = hx_decimal_format(d, text, sizeof text);

	if (n >= sizeof text)
		abort();
	if (hx_num_parse_decimal(text, n, HX_NUM_EN, &back, msg, sizeof msg) != HX_NUM_OK)
		abort();
	if (back.digits != d->digits || back.scale != d->scale || back.negative != d->negative)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s;
	size_t n, cap;
	enum hx_num_style st;
	struct hx_decimal d, sentinel = {-7, -7, -7};
	int64_t v = INT64_C(-777);
	int year = -777, rc = 0, utf8;
	char msg[160];

	if (size < 1)
		return 0;
	st = (data[0] & 1) ? HX_NUM_EN : HX_NUM_VI;
	s = (const char *)data + 1;
	n = size - 1;
	/* A small message buffer sometimes, to exercise truncation. */
	cap = (data[0] & 0x80) ? 12 : sizeof msg;
	utf8 = hx_text_utf8_check(s, n, NULL) == 0;
	memset(msg, 'X', sizeof msg);
	d = sentinel;
	switch ((data[0] >> 1) & 7) {
	case 0:
		rc = hx_num_parse_decimal(s, n, st, &d, msg, cap);
		if (rc == HX_NUM_OK) {
			if (d.digits < 0 || d.scale < 0 || d.scale > HX_DECIMAL_MAX_SCALE ||
			    (d.digits == 0 && d.negative))
				abort();
			roundtrip(&d);
		}
		break;
	case 1:
		rc = hx_num_parse_count(s, n, st, &v, msg, cap);
		if (rc == HX_NUM_OK ? v < 0 : v != INT64_C(-777))
			abort();
		break;
	case 2:
		rc = hx_num_parse_money_vnd(s, n, st, 1, &v, msg, cap);
		if (rc == HX_NUM_OK ? v < 0 : v != INT64_C(-777))
			abort();
		break;
	case 3:
		rc = hx_num_parse_money_vnd(s, n, st, 1000000, &v, msg, cap);
		if (rc == HX_NUM_OK ? v < 0 : v != INT64_C(-777))
			abort();
		break;
	case 4:
		rc = hx_num_parse_percent(s, n, st, &d, msg, cap);
		if (rc == HX_NUM_OK) {
			if (d.negative || d.digits < 0 || d.scale < 0 || d.scale > HX_DECIMAL_MAX_SCALE)
				abort();
			roundtrip(&d);
		}
		break;
	case 5:
		rc = hx_num_parse_year(s, n, &year, msg, cap);
		if (rc == HX_NUM_OK ? year < HX_YEAR_MIN || year > HX_YEAR_MAX : year != -777)
			abort();
		break;
	default: {
		/* The style names, and a NULL message buffer. */
		char name[32];
		enum hx_num_style got = HX_NUM_EN;

		if (n < sizeof name) {
			memcpy(name, s, n);
			name[n] = '\0';
			(void)hx_num_style_from_name(name, &got);
			(void)hx_num_style_name(got);
		}
		(void)hx_num_parse_decimal(s, n, st, &d, NULL, 0);
		return 0;
	}
	}
	if (rc != HX_NUM_OK && rc != HX_NUM_ABSENT && rc != HX_NUM_ERROR)
		abort();
	if (rc != HX_NUM_OK && memcmp(&d, &sentinel, sizeof d) != 0)
		abort();
	if (rc == HX_NUM_ERROR)
		check_msg(msg, cap, utf8 && cap == sizeof msg);
	return 0;
}
