/*
 * test_rowsrc.c — the row interface shared by CSV and workbooks
 * (common/rowsrc.h), from tables of cases: column letters, where a field
 * is in the clerk's words (English and Vietnamese), a workbook row written
 * back as a CSV line, typed numbers as machine text, a CSV record as a row.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"
#include "lengthof.h"
#include "rowsrc.h"

Test(rowsrc, column_letters)
{
	static const struct {
		size_t i;
		const char *want;
	} cases[] = {
		{0, "A"}, {3, "D"}, {25, "Z"}, {26, "AA"}, {27, "AB"}, {51, "AZ"}, {52, "BA"},
		{701, "ZZ"}, {702, "AAA"}, {16383, "XFD"},
	};

	for (size_t k = 0; k < lengthof(cases); k++) {
		char out[HX_ROW_COLNAME_SZ];

		cr_expect(eq(str, hx_row_column_letters(cases[k].i, out), cases[k].want),
		          "column %zu", cases[k].i);
	}
}

struct where_case {
	const char *lang;
	const char *sheet;
	size_t col;
	const char *header;
	const char *want;
};

static const struct where_case where_cases[] = {
	{"en", "Báo cáo", 3, "Số hộ", "sheet \"Báo cáo\", row 14, column D (\"Số hộ\")"},
	{"en", "Báo cáo", 3, NULL, "sheet \"Báo cáo\", row 14, column D"},
	{"en", "Báo cáo", (size_t)-1, NULL, "sheet \"Báo cáo\", row 14"},
	{"en", NULL, 3, "Số hộ", "line 14, column \"Số hộ\""},
	{"en", NULL, 3, "", "line 14, column 4"},
	{"en", NULL, (size_t)-1, NULL, "line 14"},
	{"vi", "Báo cáo", 3, "Số hộ", "trang tính \"Báo cáo\", hàng 14, cột D (\"Số hộ\")"},
	{"vi", NULL, 3, "Năm", "dòng 14, cột \"Năm\""},
};

Test(rowsrc, where_in_the_clerks_words)
{
	for (size_t k = 0; k < lengthof(where_cases); k++) {
		const struct where_case *c = &where_cases[k];
		struct hx_row row;
		char out[256];

		memset(&row, 0, sizeof row);
		row.line = 14;
		row.sheet = c->sheet;
		cr_assert(eq(int, hx_i18n_init(c->lang), 0));
		cr_expect(eq(str, hx_row_where(&row, c->col, c->header, out, sizeof out),
		             c->want), "case %zu", k);
	}
	hx_i18n_init("en");
}

Test(rowsrc, where_is_cut_on_a_character)
{
	struct hx_row row;
	char out[24];

	memset(&row, 0, sizeof row);
	row.line = 14;
	row.sheet = "Báo cáo tháng";
	hx_i18n_init("en");
	hx_row_where(&row, 3, "Số hộ", out, sizeof out);
	cr_expect(strlen(out) < sizeof out);
	cr_expect(strncmp(out, "sheet \"Báo cáo th", 18) == 0, "%s", out);
}

Test(rowsrc, workbook_row_as_csv)
{
	static const char *const fields[] = {"2019", "Gia đình, \"hiếu học\"", "", "a\nb", "x"};
	size_t lens[5];
	struct hx_row row;
	struct hx_buf b;

	for (size_t i = 0; i < 5; i++)
		lens[i] = strlen(fields[i]);
	memset(&row, 0, sizeof row);
	row.nfields = 5;
	row.fields = fields;
	row.lens = lens;
	row.sheet = "S";
	hx_buf_init(&b, 1024);
	cr_assert(eq(int, hx_row_to_csv(&row, &b), 0));
	cr_expect(eq(str, hx_buf_str(&b), "2019,\"Gia đình, \"\"hiếu học\"\"\",,\"a\nb\",x"));
	hx_buf_free(&b);
	/* past the cap */
	hx_buf_init(&b, 10);
	cr_expect(eq(int, hx_row_to_csv(&row, &b), -1));
	hx_buf_free(&b);
}

Test(rowsrc, csv_record_as_row)
{
	static const char *const fields[] = {"a", "b"};
	static const size_t lens[] = {1, 1};
	struct hx_csv_record rec = {2, fields, lens, 7, 8, "a,b", 3, 0, 0};
	struct hx_row row;

	hx_row_from_csv(&row, &rec);
	cr_expect(eq(sz, row.nfields, 2));
	cr_expect(eq(long, row.line, 7));
	cr_expect(eq(long, row.last_line, 8));
	cr_expect(row.sheet == NULL);
	cr_expect(row.types == NULL);
	cr_expect(eq(int, (int)hx_row_type(&row, 1), (int)HX_CELL_TEXT));
	cr_expect(eq(sz, row.raw_len, 3));
	cr_expect(eq(int, hx_row_blank(&row), 0));
}

Test(rowsrc, blank_rows)
{
	static const char *const empty[] = {"", "", ""};
	static const size_t zero[] = {0, 0, 0}, one[] = {0, 1, 0};
	struct hx_row row;

	memset(&row, 0, sizeof row);
	row.fields = empty;
	row.lens = zero;
	cr_expect(eq(int, hx_row_blank(&row), 1)); /* no field at all */
	row.nfields = 3;
	cr_expect(eq(int, hx_row_blank(&row), 1));
	row.too_many_fields = 1;
	cr_expect(eq(int, hx_row_blank(&row), 0));
	row.too_many_fields = 0;
	row.lens = one;
	cr_expect(eq(int, hx_row_blank(&row), 0));
}

Test(rowsrc, number_machine_text)
{
	static const struct {
		double v;
		const char *want;
	} cases[] = {
		{0, "0"},
		{7105, "7105"},
		{37.28, "37.28"},
		{-0.5, "-0.5"},
		{0.1 + 0.2, "0.30000000000000004"},
		{150000000, "150000000"},
		{1e20, "100000000000000000000"},
		{1.5e-7, "0.00000015"},
		{123456789012345678.0, "123456789012345680"},
		{2019, "2019"},
		{0.3728 * 100, "37.28"},
	};

	for (size_t k = 0; k < lengthof(cases); k++) {
		char out[HX_ROW_NUMBER_SZ];
		size_t n = hx_row_format_number(cases[k].v, out);

		cr_expect(eq(str, out, cases[k].want), "case %zu", k);
		cr_expect(eq(sz, n, strlen(cases[k].want)), "case %zu", k);
	}
	{
		char out[HX_ROW_NUMBER_SZ];

		cr_expect(eq(sz, hx_row_format_number(NAN, out), 0));
		cr_expect(eq(sz, hx_row_format_number(INFINITY, out), 0));
		/* the smallest and largest doubles still fit */
		cr_expect(hx_row_format_number(4.9e-324, out) > 300);
		cr_expect(hx_row_format_number(-1.7976931348623157e308, out) == 310);
	}
}
