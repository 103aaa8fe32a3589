/*
 * fuzz_values.c — libFuzzer target for ingest/values.h: one cell of a
 * submission, of any type, into one COPY text field.  The first byte picks
 * the type and the number style; the rest is the cell.  Oracles:
 *   - val_put returns 0 (something appended), 1 (nothing appended) or -1
 *     (nothing appended, a reason and a NUL-terminated message, valid
 *     UTF-8 when the cell was);
 *   - what it appends is one COPY field: no raw TAB, LF or CR, and no
 *     backslash that does not start an escape (a cell can never add a
 *     column or a row to the COPY stream);
 *   - a unit code written is one of the reference codes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "copy.h"
#include "lengthof.h"
#include "text.h"
#include "units.h"
#include "values.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct unit_set *units;
static struct copy_sink sink;

static void setup(void)
{
	static const char *const codes[] = {"60", "593", "594", "22246", "22249", "01",
	                                    "001", "00001", "22258", "42"};
	units = units_from_codes(codes, lengthof(codes));
	copy_sink_tmp(&sink);
}

static void check_field(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\t' || p[i] == '\n' || p[i] == '\r')
			abort();
		if (p[i] == '\\') {
			if (i + 1 >= n || strchr("\\tnrN", p[i + 1]) == NULL)
				abort();
			i++;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum val_type types[16] = {
		VT_YEAR, VT_UNIT, VT_TITLE, VT_COUNT, VT_PERCENT, VT_DECIMAL, VT_MONEY, VT_BOOL,
		VT_TIME, VT_TEXT, VT_MONEY, VT_UNIT, VT_TITLE_NO, VT_TEXT, VT_TIME, VT_DECIMAL};
	struct val_ctx vc;
	struct val_error e;
	const char *s;
	size_t n, before;
	enum val_type t;
	int rc;

	if (units == NULL)
		setup();
	if (size < 1)
		return 0;
	memset(&vc, 0, sizeof vc);
	vc.numbers = (data[0] & 0x10) ? HX_NUM_EN : HX_NUM_VI;
	vc.units = units;
	t = types[data[0] & 15];
	s = (const char *)data + 1;
	n = size - 1;
	copy_row_abort(&sink);
	copy_raw(&sink, "1", 1); /* the row's first field, so the cell follows a TAB */
	before = sink.buf.len;
	memset(&e, 0, sizeof e);
	rc = val_put(&vc, t, s, n, (data[0] & 0x20) ? 1000000 : 1, &sink, &e);
	if (rc == 0) {
		if (sink.buf.len < before + 1 || sink.buf.data[before] != '\t')
			abort();
		check_field(sink.buf.data + before + 1, sink.buf.len - before - 1);
		if (t == VT_UNIT) {
			char code[16];
			size_t len = sink.buf.len - before - 1;

			if (len >= sizeof code)
				abort();
			memcpy(code, sink.buf.data + before + 1, len);
			code[len] = '\0';
			if (!units_contains(units, code))
				abort();
		}
	} else if (rc == 1 || rc == -1) {
		if (sink.buf.len != before)
			abort();
		if (rc == -1) {
			size_t m = strnlen(e.msg, sizeof e.msg);

			if (e.reason == REASON_NONE || m == 0 || m == sizeof e.msg)
				abort();
			if (hx_text_utf8_check(s, n, NULL) == 0 && hx_text_utf8_check(e.msg, m, NULL) < 0)
				abort();
		}
	} else {
		abort();
	}
	/* The same cell as a date on its own. */
	{
		char ts[64], msg[200];

		if (val_timestamp(s, n, ts, sizeof ts, msg, sizeof msg) == 0)
			check_field(ts, strlen(ts));
	}
	copy_row_abort(&sink);
	return 0;
}
