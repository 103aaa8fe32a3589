/*
 * test_xls.c — the .xls reader (common/xls.h) on tests/data/workbooks/
 * clerk.xls (written by make_xls.py beside it: a cover sheet, title rows,
 * a two-row header under merged cells, typed numbers, a date, a boolean,
 * a formula), and the refusals it shares with .xlsx.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "lengthof.h"
#include "testsupport.h"
#include "xls.h"

static int header_pred(void *ctx, const struct hx_row *row)
{
	int year = 0, unit = 0;

	(void)ctx;
	for (size_t i = 0; i < row->nfields; i++) {
		year |= strcmp(row->fields[i], "Năm") == 0;
		unit |= strcmp(row->fields[i], "Mã đơn vị") == 0;
	}
	return year && unit;
}

static void render(const struct hx_row *row, char *out, size_t cap)
{
	static const char tc[] = "TNPDBE";
	size_t k = 0;

	out[0] = '\0';
	for (size_t i = 0; i < row->nfields && k < cap; i++)
		k += (size_t)snprintf(out + k, cap - k, "%s%s:%c", i > 0 ? "|" : "", row->fields[i],
		                      tc[hx_row_type(row, i)]);
}

static void setup(void)
{
	hx_i18n_init("en");
}

TestSuite(xls, .init = setup);

Test(xls, clerks_report)
{
	static const struct {
		long line;
		const char *cells;
	} want[] = {
		{3, "Năm:T|Mã đơn vị:T|Danh hiệu:T|Số hộ Đăng ký:T|Số hộ Công nhận:T|Ngày nộp:T"},
		{5, "2019:N|22915:N|Gia đình học tập:T|7105:N|37.28:N|2020-01-15:D"},
		/* FreeXL: a boolean reads as 1, a formula as empty */
		{7, "2019:N|Thôn 3:T|1:N|:T|:T|:T"},
	};
	struct hx_sheet_options o = {NULL, header_pred, NULL, 0};
	struct hx_error err;
	char *path = hx_test_src("tests/data/workbooks/clerk.xls");
	struct hx_xls *x = hx_xls_open(path, &o, &err);
	struct hx_row row;
	size_t k = 0;
	int rc;

	cr_assert(x != NULL, "%s", err.msg);
	cr_expect(eq(str, hx_xls_sheet_name(x), "Báo cáo"));
	cr_expect(eq(long, hx_xls_header_line(x), 3));
	cr_expect(eq(int, hx_xls_header_joined(x), 1));
	while ((rc = hx_xls_next(x, &row, &err)) == 1) {
		char got[1024];

		cr_assert(k < lengthof(want), "an extra row %ld", row.line);
		render(&row, got, sizeof got);
		cr_expect(eq(str, got, want[k].cells), "row %ld", row.line);
		cr_expect(eq(long, row.line, want[k].line));
		cr_expect(eq(str, row.sheet, "Báo cáo"));
		k++;
	}
	cr_expect(eq(int, rc, 0));
	cr_expect(eq(sz, k, lengthof(want)));
	hx_xls_close(x);

	o.sheet = "Không có";
	cr_expect(hx_xls_open(path, &o, &err) == NULL);
	cr_expect(eq(str, err.msg, "the workbook has no sheet \"Không có\" (its sheets: \"Bìa\", "
	                           "\"Báo cáo\")"));
	o.sheet = NULL;
	o.is_header = NULL;
	x = hx_xls_open(path, &o, &err);
	cr_assert(x != NULL, "%s", err.msg);
	cr_expect(eq(str, hx_xls_sheet_name(x), "Bìa"));
	hx_xls_close(x);
	free(path);
}

Test(xls, not_an_xls)
{
	static const struct {
		const char *bytes;
		size_t len;
		const char *want;
	} cases[] = {
		{"year,unit_code\n2019,22915\n", 26,
		 "is not an .xls workbook (not an Excel 97-2003 file)"},
		{"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 and then nothing", 25,
		 "is damaged or not an Excel 97-2003 workbook (FreeXL error -8)"},
		{"PK\3\4rest of a zip", 18, "this is an .xlsx workbook, not .xls: name it .xlsx"},
		{"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 E\0n\0c\0r\0y\0p\0t\0i\0o\0n\0I\0n\0f\0o\0", 37,
		 "the workbook is encrypted (protected by a password): remove the password in Excel "
		 "and send it again"},
	};

	for (size_t i = 0; i < lengthof(cases); i++) {
		char path[] = "/tmp/hoctap-test-xls-XXXXXX";
		int fd = mkstemp(path);
		struct hx_error err;

		cr_assert(write(fd, cases[i].bytes, cases[i].len) == (ssize_t)cases[i].len);
		close(fd);
		cr_expect(hx_xls_open(path, NULL, &err) == NULL);
		cr_expect(eq(str, err.msg, cases[i].want), "case %zu", i);
		unlink(path);
	}
}
