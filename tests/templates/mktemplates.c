/*
 * mktemplates.c — hoctap-mktemplates DIR: write the Excel templates a
 * commune's clerk fills in (samples/templates/, docs/vi/formats.md):
 *
 *   DIR/mau-so-lieu-tong-hop.xlsx   a tally (số liệu tổng hợp)
 *   DIR/mau-danh-sach.xlsx          a register (danh sách hộ gia đình)
 *
 * Each is a sheet as clerks make them — a title row and a line for the
 * commune's name above the table, a header of two rows whose upper cells
 * are merged (across a group of columns, or down over both rows), the
 * Vietnamese column names hoctap-ingest recognises (common/vocab.c: a
 * group's upper cell and a column's name read together name the column,
 * "Số hộ" + "Đăng ký" = "Số hộ đăng ký") — one example row with typed
 * numbers, codes kept as text, and in the tally a formula with its value;
 * then a sheet of instructions.  The same bytes every run (the creation
 * date is fixed), so the committed files can be checked against this
 * program (tests/unit/test_templates.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>

#include "alloc.h"
#include "lengthof.h"

#define PROG "hoctap-mktemplates"

/* 2024-01-01T00:00:00Z: the date written into the files, whatever the day they are made. */
#define MADE_AT ((time_t)1704067200)

struct formats {
	lxw_format *title, *sub, *head, *text, *count, *decimal, *note;
};

static void die(const char *what, const char *path)
{
	fprintf(stderr, "%s: %s: %s\n", PROG, path, what);
	exit(1);
}

static void check(lxw_error e, const char *path)
{
	if (e != LXW_NO_ERROR)
		die(lxw_strerror(e), path);
}

static void make_formats(lxw_workbook *wb, struct formats *f)
{
	f->title = workbook_add_format(wb);
	format_set_bold(f->title);
	format_set_font_size(f->title, 14);
	format_set_align(f->title, LXW_ALIGN_CENTER);
	format_set_align(f->title, LXW_ALIGN_VERTICAL_CENTER);
	f->sub = workbook_add_format(wb);
	format_set_italic(f->sub);
	format_set_align(f->sub, LXW_ALIGN_CENTER);
	f->head = workbook_add_format(wb);
	format_set_bold(f->head);
	format_set_text_wrap(f->head);
	format_set_align(f->head, LXW_ALIGN_CENTER);
	format_set_align(f->head, LXW_ALIGN_VERTICAL_CENTER);
	format_set_border(f->head, LXW_BORDER_THIN);
	format_set_bg_color(f->head, 0xDDEBF7);
	/* codes are text, so that 00123 keeps its zeros */
	f->text = workbook_add_format(wb);
	format_set_num_format(f->text, "@");
	format_set_border(f->text, LXW_BORDER_THIN);
	f->count = workbook_add_format(wb);
	format_set_num_format(f->count, "#,##0");
	format_set_border(f->count, LXW_BORDER_THIN);
	f->decimal = workbook_add_format(wb);
	format_set_num_format(f->decimal, "0.00");
	format_set_border(f->decimal, LXW_BORDER_THIN);
	f->note = workbook_add_format(wb);
	format_set_text_wrap(f->note);
	format_set_align(f->note, LXW_ALIGN_VERTICAL_TOP);
}

static lxw_workbook *open_book(const char *path, const char *title, struct formats *f)
{
	lxw_workbook_options wo = {LXW_FALSE, NULL, LXW_FALSE};
	lxw_doc_properties props;
	lxw_workbook *wb = workbook_new_opt(path, &wo);

	if (wb == NULL)
		die("cannot create the workbook", path);
	memset(&props, 0, sizeof props);
	/* libxlsxwriter's fields are not const; it does not write to them */
	props.title = (char *)(uintptr_t)title;
	props.author = (char *)(uintptr_t)"hoctap";
	props.created = MADE_AT;
	check(workbook_set_properties(wb, &props), path);
	make_formats(wb, f);
	return wb;
}

/* A column of the header: its name over both rows (merged down), or a group's part. */
struct col {
	const char *upper;   /* a group's name (merged across), or the column's (merged down) */
	const char *lower;   /* the column's name under its group, NULL when merged down */
	double width;
	int kind;            /* 0 text, 1 code (text format), 2 count, 3 decimal */
};

/* Title, commune line, blank row, the two-row header; the data starts on row 6 (index 5). */
static void write_top(lxw_worksheet *ws, const char *title, const struct col *cols, int n,
                      const struct formats *f, const char *path)
{
	lxw_col_t last = (lxw_col_t)(n - 1);

	check(worksheet_merge_range(ws, 0, 0, 0, last, title, f->title), path);
	check(worksheet_set_row(ws, 0, 30, NULL), path);
	check(worksheet_merge_range(ws, 1, 0, 1, last,
	                            "Xã/phường/thị trấn: ........................   Huyện: "
	                            "........................   Tỉnh: ........................",
	                            f->sub),
	      path);
	for (int c = 0; c < n;) {
		lxw_format *fmt = cols[c].kind == 1   ? f->text
		                  : cols[c].kind == 2 ? f->count
		                  : cols[c].kind == 3 ? f->decimal
		                                      : NULL;

		check(worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, cols[c].width, fmt), path);
		if (cols[c].lower == NULL) {
			check(worksheet_merge_range(ws, 3, (lxw_col_t)c, 4, (lxw_col_t)c, cols[c].upper,
			                            f->head),
			      path);
			c++;
			continue;
		}
		/* a group: its name merged across, each column's name below */
		{
			int end = c;

			while (end + 1 < n && cols[end + 1].lower != NULL &&
			       strcmp(cols[end + 1].upper, cols[c].upper) == 0)
				end++;
			if (end > c)
				check(worksheet_merge_range(ws, 3, (lxw_col_t)c, 3, (lxw_col_t)end,
				                            cols[c].upper, f->head),
				      path);
			else
				check(worksheet_write_string(ws, 3, (lxw_col_t)c, cols[c].upper, f->head),
				      path);
			for (int k = c; k <= end; k++) {
				check(worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, cols[k].width,
				                           cols[k].kind == 1   ? f->text
				                           : cols[k].kind == 2 ? f->count
				                           : cols[k].kind == 3 ? f->decimal
				                                               : NULL),
				      path);
				check(worksheet_write_string(ws, 4, (lxw_col_t)k, cols[k].lower, f->head), path);
			}
			c = end + 1;
		}
	}
	check(worksheet_set_row(ws, 3, 30, NULL), path);
	check(worksheet_set_row(ws, 4, 30, NULL), path);
	worksheet_freeze_panes(ws, 5, 0);
}

static void write_help(lxw_workbook *wb, const char *const *lines, const struct formats *f,
                       const char *path)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Hướng dẫn");

	if (ws == NULL)
		die("cannot add a sheet", path);
	check(worksheet_set_column(ws, 0, 0, 100, f->note), path);
	for (int r = 0; lines[r] != NULL; r++)
		check(worksheet_write_string(ws, (lxw_row_t)r, 0, lines[r], r == 0 ? f->head : f->note),
		      path);
}

static void close_book(lxw_workbook *wb, const char *path)
{
	check(workbook_close(wb), path);
}

static void tally(const char *dir)
{
	static const struct col cols[] = {
		{"STT", NULL, 5, 0},
		{"Năm", NULL, 7, 0},
		{"Mã đơn vị", NULL, 11, 1},
		{"Danh hiệu", NULL, 22, 0},
		{"Tổng số hộ", NULL, 11, 2},
		{"Số hộ", "Đăng ký", 11, 2},
		{"Số hộ", "Được công nhận", 11, 2},
		{"Số hộ", "Tiêu biểu", 11, 2},
		{"Tỷ lệ (%)", NULL, 9, 3},
		{"Ghi chú", NULL, 24, 0},
	};
	static const char *const help[] = {
		"Cách điền mẫu số liệu tổng hợp",
		"Mỗi dòng là một đơn vị, một năm và một danh hiệu. Điền từ dòng 6, ngay dưới tiêu đề; "
		"dòng 6 là dòng ví dụ: sửa hoặc xóa trước khi gửi.",
		"Mã đơn vị: mã thống kê của xã/phường/thị trấn (5 chữ số, giữ số 0 ở đầu). Cột này định "
		"dạng Văn bản (Text) để không mất số 0.",
		"Danh hiệu: Gia đình học tập, Dòng họ học tập, Cộng đồng học tập cấp thôn, Cộng đồng học "
		"tập cấp xã, Đơn vị học tập, Công dân học tập. Với dòng họ, thôn, đơn vị: các cột số hộ "
		"ghi số dòng họ, số thôn, số đơn vị.",
		"Số: gõ số (7105 hoặc 7.105), không gõ chữ. Tỷ lệ (%) được tính bằng công thức; có thể "
		"để trống.",
		"Không đổi tên các cột, không thêm dòng giữa tiêu đề và bảng. Xem hướng dẫn đầy đủ: "
		"docs/vi/formats.md.",
		NULL,
	};
	char *path = hx_asprintf("%s/mau-so-lieu-tong-hop.xlsx", dir);
	struct formats f;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	int n = (int)lengthof(cols);

	wb = open_book(path, "Báo cáo kết quả xây dựng mô hình học tập", &f);
	ws = workbook_add_worksheet(wb, "Báo cáo");
	if (ws == NULL)
		die("cannot add a sheet", path);
	write_top(ws, "BÁO CÁO KẾT QUẢ XÂY DỰNG MÔ HÌNH GIA ĐÌNH HỌC TẬP NĂM 2024", cols, n, &f,
	          path);
	/* the example row: Xã Phan Dũng's households (samples/units.csv) */
	check(worksheet_write_number(ws, 5, 0, 1, NULL), path);
	check(worksheet_write_number(ws, 5, 1, 2024, NULL), path);
	check(worksheet_write_string(ws, 5, 2, "22975", f.text), path);
	check(worksheet_write_string(ws, 5, 3, "Gia đình học tập", NULL), path);
	check(worksheet_write_number(ws, 5, 4, 536, f.count), path);
	check(worksheet_write_number(ws, 5, 5, 410, f.count), path);
	check(worksheet_write_number(ws, 5, 6, 352, f.count), path);
	check(worksheet_write_number(ws, 5, 7, 7, f.count), path);
	/* the rate as the commune computes it, with its value saved as Excel saves it */
	check(worksheet_write_formula_num(ws, 5, 8, "=ROUND(G6/E6*100,2)", f.decimal, 65.67), path);
	check(worksheet_write_string(ws, 5, 9, "Dòng ví dụ: sửa hoặc xóa", NULL), path);
	write_help(wb, help, &f, path);
	close_book(wb, path);
	printf("%s\n", path);
	free(path);
}

static void reg(const char *dir)
{
	static const struct col cols[] = {
		{"STT", NULL, 5, 0},
		{"Năm", NULL, 7, 0},
		{"Mã", "Đơn vị", 10, 1},
		{"Mã", "Hộ", 12, 1},
		{"Danh hiệu", NULL, 20, 0},
		{"Thôn", NULL, 12, 0},
		{"Họ tên chủ hộ", NULL, 24, 0},
		{"Đăng ký", NULL, 9, 0},
		{"Được công nhận", NULL, 11, 0},
		{"Tiêu biểu", NULL, 9, 0},
		{"Điểm", NULL, 8, 3},
	};
	static const char *const help[] = {
		"Cách điền mẫu danh sách hộ gia đình",
		"Mỗi dòng là một hộ. Điền từ dòng 6, ngay dưới tiêu đề; dòng 6 là dòng ví dụ: sửa hoặc "
		"xóa trước khi gửi.",
		"Mã đơn vị: mã thống kê của xã/phường/thị trấn (5 chữ số). Mã hộ: mã của hộ trong xã, "
		"không trùng nhau. Hai cột này định dạng Văn bản (Text) để giữ số 0 ở đầu.",
		"Đăng ký, Được công nhận, Tiêu biểu: đánh x (hoặc có/không, 1/0); để trống là không. Hộ "
		"được công nhận phải có đăng ký; hộ tiêu biểu phải được công nhận.",
		"Điểm: gõ số, ví dụ 85,5. Không đổi tên các cột. Xem hướng dẫn đầy đủ: "
		"docs/vi/formats.md.",
		NULL,
	};
	char *path = hx_asprintf("%s/mau-danh-sach.xlsx", dir);
	struct formats f;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	int n = (int)lengthof(cols);

	wb = open_book(path, "Danh sách hộ gia đình học tập", &f);
	ws = workbook_add_worksheet(wb, "Danh sách");
	if (ws == NULL)
		die("cannot add a sheet", path);
	write_top(ws, "DANH SÁCH HỘ GIA ĐÌNH ĐĂNG KÝ, ĐƯỢC CÔNG NHẬN GIA ĐÌNH HỌC TẬP NĂM 2024", cols,
	          n, &f, path);
	check(worksheet_write_number(ws, 5, 0, 1, NULL), path);
	check(worksheet_write_number(ws, 5, 1, 2024, NULL), path);
	check(worksheet_write_string(ws, 5, 2, "22975", f.text), path);
	check(worksheet_write_string(ws, 5, 3, "PD-T1-001", f.text), path);
	check(worksheet_write_string(ws, 5, 4, "Gia đình học tập", NULL), path);
	check(worksheet_write_string(ws, 5, 5, "Thôn 1", NULL), path);
	check(worksheet_write_string(ws, 5, 6, "Mang Đình Bình", NULL), path);
	check(worksheet_write_string(ws, 5, 7, "x", NULL), path);
	check(worksheet_write_string(ws, 5, 8, "x", NULL), path);
	check(worksheet_write_number(ws, 5, 10, 85.5, f.decimal), path);
	write_help(wb, help, &f, path);
	close_book(wb, path);
	printf("%s\n", path);
	free(path);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", PROG);
		return 64;
	}
	tally(argv[1]);
	reg(argv[1]);
	return 0;
}
