/*
 * The Excel templates a commune's clerk fills in (samples/templates/,
 * written by tests/templates/mktemplates.c): each read with the project's
 * own .xlsx reader (common/xlsx.h) as hoctap-ingest will read it — the
 * title rows skipped, the two-row header under merged cells joined, every
 * header cell a column the vocabulary knows (common/vocab.h), the example
 * row's values typed — and the committed files the very bytes the
 * generator writes, so that they can be made again.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "i18n.h"
#include "lengthof.h"
#include "testsupport.h"
#include "vocab.h"
#include "xlsx.h"

/* A header as ingest's will be: at least three cells name known columns. */
static int known_columns(void *ctx, const struct hx_row *row)
{
	int n = 0;

	(void)ctx;
	for (size_t i = 0; i < row->nfields; i++) {
		enum hx_col c;

		n += hx_vocab_column(row->fields[i], row->lens[i], HX_VOCAB_SUBMISSION, &c) == 0;
	}
	return n >= 3;
}

/* "text:type|..." of a row, types as T N P D B E. */
static void render(const struct hx_row *row, char *out, size_t cap)
{
	static const char tc[] = "TNPDBE";
	size_t k = 0;

	out[0] = '\0';
	for (size_t i = 0; i < row->nfields && k < cap; i++)
		k += (size_t)snprintf(out + k, cap - k, "%s%s:%c", i > 0 ? "|" : "", row->fields[i],
		                      tc[hx_row_type(row, i)]);
}

#define ROWNO (-1) /* the row-number column (STT), known and ignored */

static const struct template {
	const char *file, *sheet;
	enum hx_col cols[12];   /* each header cell's column, in order; ROWNO for STT */
	size_t ncols;
	const char *header;     /* the joined header as read */
	const char *example;    /* the example row as read */
} templates[] = {
	{"mau-so-lieu-tong-hop.xlsx", "Báo cáo",
	 {(enum hx_col)ROWNO, HX_COL_YEAR, HX_COL_UNIT_CODE, HX_COL_TITLE, HX_COL_ELIGIBLE,
	  HX_COL_REGISTERED, HX_COL_RECOGNIZED, HX_COL_EXEMPLARY, HX_COL_REPORTED_RATE, HX_COL_NOTE},
	 10,
	 "STT:T|Năm:T|Mã đơn vị:T|Danh hiệu:T|Tổng số hộ:T|Số hộ Đăng ký:T|Số hộ Được công nhận:T|"
	 "Số hộ Tiêu biểu:T|Tỷ lệ (%):T|Ghi chú:T",
	 /* the rate is a formula: its saved value, a number */
	 "1:N|2024:N|22975:T|Gia đình học tập:T|536:N|410:N|352:N|7:N|65.67:N|"
	 "Dòng ví dụ: sửa hoặc xóa:T"},
	{"mau-danh-sach.xlsx", "Danh sách",
	 {(enum hx_col)ROWNO, HX_COL_YEAR, HX_COL_UNIT_CODE, HX_COL_ENTITY_ID, HX_COL_TITLE,
	  HX_COL_VILLAGE, HX_COL_ENTITY_NAME, HX_COL_REGISTERED, HX_COL_RECOGNIZED, HX_COL_EXEMPLARY,
	  HX_COL_SCORE},
	 11,
	 "STT:T|Năm:T|Mã Đơn vị:T|Mã Hộ:T|Danh hiệu:T|Thôn:T|Họ tên chủ hộ:T|Đăng ký:T|"
	 "Được công nhận:T|Tiêu biểu:T|Điểm:T",
	 "1:N|2024:N|22975:T|PD-T1-001:T|Gia đình học tập:T|Thôn 1:T|Mang Đình Bình:T|x:T|x:T|:T|"
	 "85.5:N"},
};

static void setup(void)
{
	hx_i18n_init("en");
}

TestSuite(templates, .init = setup);

Test(templates, read_as_hoctap_reads_a_clerk_s_workbook)
{
	for (size_t t = 0; t < lengthof(templates); t++) {
		const struct template *tp = &templates[t];
		struct hx_sheet_options o = {.is_header = known_columns};
		char *rel = hx_asprintf("samples/templates/%s", tp->file);
		char *path = hx_test_src(rel);
		struct hx_error err;
		struct hx_xlsx *x = hx_xlsx_open(path, &o, &err);
		struct hx_row row;
		char got[1024];
		enum hx_title title;

		cr_assert(x != NULL, "%s: %s", tp->file, err.msg);
		cr_expect(strcmp(hx_xlsx_sheet_name(x), tp->sheet) == 0, "%s: sheet %s", tp->file,
		          hx_xlsx_sheet_name(x));
		cr_expect(eq(long, hx_xlsx_header_line(x), 4), "%s", tp->file);
		cr_expect(eq(int, hx_xlsx_header_joined(x), 1), "%s: the header is two rows joined",
		          tp->file);

		/* the header: every cell a column hoctap knows */
		cr_assert(eq(int, hx_xlsx_next(x, &row, &err), 1));
		render(&row, got, sizeof got);
		cr_expect(strcmp(got, tp->header) == 0, "%s: header %s", tp->file, got);
		cr_assert(eq(sz, row.nfields, tp->ncols), "%s", tp->file);
		for (size_t i = 0; i < row.nfields; i++) {
			enum hx_col c;

			if ((int)tp->cols[i] == ROWNO) {
				cr_expect(hx_vocab_row_number(row.fields[i], row.lens[i]), "%s: %s", tp->file,
				          row.fields[i]);
				continue;
			}
			cr_expect(eq(int, hx_vocab_column(row.fields[i], row.lens[i], HX_VOCAB_SUBMISSION,
			                                  &c), 0),
			          "%s: \"%s\" is no column", tp->file, row.fields[i]);
			cr_expect(eq(int, (int)c, (int)tp->cols[i]), "%s: \"%s\" is %s", tp->file,
			          row.fields[i], hx_vocab_column_name(c));
		}

		/* the example row, typed */
		cr_assert(eq(int, hx_xlsx_next(x, &row, &err), 1), "%s", tp->file);
		cr_expect(eq(long, row.line, 6), "%s", tp->file);
		render(&row, got, sizeof got);
		cr_expect(strcmp(got, tp->example) == 0, "%s: example %s", tp->file, got);
		cr_expect(eq(int, hx_vocab_title(row.fields[t == 0 ? 3 : 4], strlen(row.fields[t == 0 ? 3
		                                                                                     : 4]),
		                                 &title, NULL, 0),
		             0));
		cr_expect(eq(int, title, HX_TITLE_FAMILY));
		cr_expect(eq(int, hx_xlsx_next(x, &row, &err), 0), "%s: one example row", tp->file);
		hx_xlsx_close(x);
		free(path);
		free(rel);
	}
}

/* The committed templates are what hoctap-mktemplates writes (and small). */
Test(templates, made_again_byte_for_byte)
{
	char *dir = hx_test_tempdir();
	char *prog = hx_asprintf("%s/tests/hoctap-mktemplates", HOCTAP_BIN_DIR);
	const char *argv[] = {prog, dir, NULL};
	struct hx_test_output o;

	hx_test_run(argv, NULL, &o);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	for (size_t t = 0; t < lengthof(templates); t++) {
		char *made = hx_asprintf("%s/%s", dir, templates[t].file);
		char *rel = hx_asprintf("samples/templates/%s", templates[t].file);
		char *committed = hx_test_src(rel);
		size_t n1, n2;
		char *a = hx_test_read_file(made, &n1), *b = hx_test_read_file(committed, &n2);

		cr_assert(a != NULL && b != NULL, "%s", templates[t].file);
		cr_expect(n2 < 50 * 1024, "%s is %zu bytes", templates[t].file, n2);
		cr_expect(n1 == n2 && memcmp(a, b, n1) == 0,
		          "%s differs from what tests/templates/mktemplates.c writes: run "
		          "build/tests/hoctap-mktemplates samples/templates", templates[t].file);
		unlink(made);
		free(a);
		free(b);
		free(made);
		free(rel);
		free(committed);
	}
	rmdir(dir);
	free(dir);
	free(prog);
}
