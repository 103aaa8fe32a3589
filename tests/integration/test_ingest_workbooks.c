/*
 * test_ingest_workbooks.c — a clerk's workbook through hoctap-ingest into
 * the real database (issue 20, docs/design.md §9.4): an .xlsx with title rows, a
 * two-row header under merged cells, typed numbers, a percentage, a date
 * and a formula loads the same figures as its CSV twin written the
 * Vietnamese way, down the small files' group and down the general path;
 * an .xls does too; its rows keep their row numbers as lines and the file
 * its sheet; a bad cell is rejected naming the sheet, row and column as
 * the clerk wrote it, with its row given back as a CSV line; hidden sheets
 * are read only when named (--sheet).  Workbooks are written here with
 * libzip, from XML as Excel writes it.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "alloc.h"
#include "buf.h"
#include "testsupport.h"

#define INGEST(db, ...) \
	hx_test_program("hoctap-ingest", (db), (const char *const[]){__VA_ARGS__, NULL})

static char *db;

static void setup(void)
{
	db = hx_test_small_db();
}

static void teardown(void)
{
	hx_test_db_drop(db);
	free(db);
}

TestSuite(ingest_workbooks, .init = setup, .fini = teardown, .timeout = 120);

/* ---- Writing a workbook -------------------------------------------------- */

#define NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define RT "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

struct sheet {
	const char *name;
	const char *state;   /* NULL, "hidden" */
	const char *rows;    /* the <row> elements */
	const char *merges;  /* the <mergeCell> elements, or NULL */
};

/* Styles: 0 General, 1 a date (built-in 14), 2 a percentage (built-in 10). */
static const char styles[] =
	"<?xml version=\"1.0\"?><styleSheet xmlns=\"" NS "\"><cellXfs count=\"3\">"
	"<xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"10\"/></cellXfs></styleSheet>";

static void add(zip_t *za, const char *name, const char *text)
{
	char *copy = hx_strdup(text);
	zip_source_t *s = zip_source_buffer(za, copy, strlen(copy), 1);

	cr_assert(s != NULL && zip_file_add(za, name, s, ZIP_FL_ENC_UTF_8) >= 0, "%s: %s", name,
	          zip_strerror(za));
}

/* Write dir/name: a workbook of n sheets; its path (free it). */
static char *workbook(const char *dir, const char *name, const struct sheet *sheets, size_t n)
{
	char *path = hx_asprintf("%s/%s", dir, name);
	struct hx_buf wb, rels;
	int zerr = 0;
	zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);

	cr_assert(za != NULL, "%s", path);
	hx_buf_init(&wb, 1 << 20);
	hx_buf_init(&rels, 1 << 20);
	hx_buf_puts(&wb, "<?xml version=\"1.0\"?><workbook xmlns=\"" NS "\" xmlns:r=\"http://schemas."
	                 "openxmlformats.org/officeDocument/2006/relationships\"><sheets>");
	hx_buf_puts(&rels, "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas."
	                   "openxmlformats.org/package/2006/relationships\">"
	                   "<Relationship Id=\"rIdS\" Type=\"" RT "styles\" Target=\"styles.xml\"/>");
	for (size_t i = 0; i < n; i++) {
		char part[64];
		struct hx_buf x;

		hx_buf_printf(&wb, "<sheet name=\"%s\" sheetId=\"%zu\"%s%s%s r:id=\"rId%zu\"/>",
		              sheets[i].name, i + 1, sheets[i].state ? " state=\"" : "",
		              sheets[i].state ? sheets[i].state : "", sheets[i].state ? "\"" : "", i + 1);
		hx_buf_printf(&rels, "<Relationship Id=\"rId%zu\" Type=\"" RT "worksheet\" "
		                     "Target=\"worksheets/sheet%zu.xml\"/>", i + 1, i + 1);
		hx_buf_init(&x, 16 << 20);
		hx_buf_printf(&x, "<?xml version=\"1.0\"?><worksheet xmlns=\"" NS "\"><sheetData>%s"
		                  "</sheetData>", sheets[i].rows);
		if (sheets[i].merges != NULL)
			hx_buf_printf(&x, "<mergeCells>%s</mergeCells>", sheets[i].merges);
		hx_buf_puts(&x, "</worksheet>");
		snprintf(part, sizeof part, "xl/worksheets/sheet%zu.xml", i + 1);
		add(za, part, hx_buf_str(&x));
		hx_buf_free(&x);
	}
	hx_buf_puts(&wb, "</sheets></workbook>");
	hx_buf_puts(&rels, "</Relationships>");
	add(za, "[Content_Types].xml", "<?xml version=\"1.0\"?><Types/>");
	add(za, "_rels/.rels",
	    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/"
	    "package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"" RT "officeDocument\" "
	    "Target=\"xl/workbook.xml\"/></Relationships>");
	add(za, "xl/workbook.xml", hx_buf_str(&wb));
	add(za, "xl/_rels/workbook.xml.rels", hx_buf_str(&rels));
	add(za, "xl/styles.xml", styles);
	cr_assert(zip_close(za) == 0);
	hx_buf_free(&wb);
	hx_buf_free(&rels);
	return path;
}

/* Cells: text (inline), a number, a number in style s, a formula with its saved value. */
#define T(ref, text) "<c r=\"" ref "\" t=\"inlineStr\"><is><t>" text "</t></is></c>"
#define N(ref, num) "<c r=\"" ref "\"><v>" num "</v></c>"
#define S(ref, s, num) "<c r=\"" ref "\" s=\"" s "\"><v>" num "</v></c>"
#define F(ref, f, num) "<c r=\"" ref "\"><f>" f "</f><v>" num "</v></c>"

/* A commune's tally as a clerk lays it out: two title rows, a header in
 * rows 4-5 ("Số hộ" merged over E4:G4), typed figures, the rate a
 * percentage, the date a date, one count a formula. */
#define CLERK_HEADER                                                                          \
	"<row r=\"1\">" T("A1", "BÁO CÁO KẾT QUẢ XÂY DỰNG XÃ HỘI HỌC TẬP NĂM 2020") "</row>"       \
	"<row r=\"2\">" T("A2", "Phường Trúc Bạch") "</row>"                                       \
	"<row r=\"4\">" T("A4", "STT") T("B4", "Năm") T("C4", "Mã đơn vị") T("D4", "Danh hiệu")     \
	T("E4", "Số hộ") "<c r=\"F4\"/><c r=\"G4\"/>" T("H4", "Tỷ lệ (%)") T("I4", "Ngày gửi")      \
	"</row>"                                                                                   \
	"<row r=\"5\">" T("E5", "Tổng số") T("F5", "Đăng ký") T("G5", "Công nhận") "</row>"
#define CLERK_MERGES                                                                          \
	"<mergeCell ref=\"A1:I1\"/><mergeCell ref=\"A4:A5\"/><mergeCell ref=\"B4:B5\"/>"            \
	"<mergeCell ref=\"C4:C5\"/><mergeCell ref=\"D4:D5\"/><mergeCell ref=\"E4:G4\"/>"            \
	"<mergeCell ref=\"H4:H5\"/><mergeCell ref=\"I4:I5\"/>"

static const char clerk_rows[] =
	CLERK_HEADER
	"<row r=\"6\">" N("A6", "1") N("B6", "2020") T("C6", "00004") T("D6", "Gia đình học tập")
	N("E6", "7105") N("F6", "6540") F("G6", "ROUND(E6*0.3703,0)", "2631") S("H6", "2", "0.3703")
	S("I6", "1", "43845") "</row>"
	"<row r=\"7\">" N("A7", "2") N("B7", "2020") N("C7", "7") T("D7", "Dòng họ học tập")
	N("E7", "12") N("F7", "10") N("G7", "8") S("H7", "2", "0.6667") "</row>"
	"<row r=\"8\">" N("A8", "3") N("B8", "2020") T("C8", "00004") T("D8", "Cộng đồng học tập")
	N("E8", "14") N("F8", "9") N("G8", "3") S("H8", "2", "0.2142") "</row>";

/* The same rows as a clerk's CSV: ';', Vietnamese numbers. */
static const char clerk_csv[] =
	"STT;Năm;Mã đơn vị;Danh hiệu;Tổng số;Đăng ký;Công nhận;Tỷ lệ (%);Ngày gửi\n"
	"1;2020;00004;Gia đình học tập;7.105;6.540;2.631;37,03;2020-01-15\n"
	"2;2020;00007;Dòng họ học tập;12;10;8;66,67;\n"
	"3;2020;00004;Cộng đồng học tập;14;9;3;21,42;\n";

/* ---- Reading the database ------------------------------------------------- */

static char *qtext(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *qtext(const char *fmt, ...)
{
	char sql[2048];
	va_list ap;
	PGconn *c = hx_test_db_connect(db);
	char *v;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	v = hx_test_db_text(c, sql);
	PQfinish(c);
	return v;
}

/* The figures of a file's tallies, without its file_id and lines. */
static char *tallies_of(const char *name)
{
	return qtext("SELECT string_agg(concat_ws('|', t.year, t.unit_code, t.title, t.eligible, "
	             "t.registered, t.recognized, t.exemplary, t.reported_rate, t.submitted_at), "
	             "' / ' ORDER BY t.unit_code, t.title) FROM staging.tally t "
	             "JOIN staging.files f USING (file_id) WHERE f.name = '%s'", name);
}

static void expect_text(char *got, const char *want)
{
	cr_expect(strcmp(got, want) == 0, "got\n  %s\nwant\n  %s", got, want);
	free(got);
}

/* ---- Tests ------------------------------------------------------------------ */

Test(ingest_workbooks, clerk_workbook_loads_the_figures_of_its_csv_twin)
{
	struct hx_test_dirs d = hx_test_dirs_make();
	const struct sheet s[] = {{"Báo cáo", NULL, clerk_rows, CLERK_MERGES}};
	char *path = workbook(d.inbox, "2020-truc-bach.xlsx", s, 1);
	char *csv, *twin;
	struct hx_test_output o;

	hx_test_put(d.inbox, "2020-truc-bach-twin.csv", clerk_csv);
	/* Both small and clean: they commit together, as a group. */
	o = INGEST(db, "-v", "--inbox", d.inbox, "--archive", d.archive, "--rejected", d.rejected,
	           "--summary", d.summary);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	cr_expect(strstr(o.err, "2020-truc-bach.xlsx: loaded, 3 rows read, 3 loaded, 0 rejected") !=
	          NULL, "%s", o.err);
	hx_test_output_free(&o);
	csv = tallies_of("2020-truc-bach-twin.csv");
	twin = tallies_of("2020-truc-bach.xlsx");
	cr_expect(eq(str, twin, csv));
	cr_expect(eq(str, twin, "2020|00004|community|14|9|3|21.42 / "
	                        "2020|00004|family|7105|6540|2631|37.03|2020-01-14 17:00:00+00 / "
	                        "2020|00007|clan|12|10|8|66.67"),
	          "%s", twin);
	free(csv);
	free(twin);
	/* Lines are the sheet's row numbers; the file's record names its sheet. */
	expect_text(qtext("SELECT string_agg(t.line::text, ',' ORDER BY t.line) FROM staging.tally t "
	                  "JOIN staging.files f USING (file_id) WHERE f.name = '2020-truc-bach.xlsx'"),
	            "6,7,8");
	expect_text(qtext("SELECT concat_ws('|', sheet, kind, status) FROM staging.files "
	                  "WHERE name = '2020-truc-bach.xlsx'"),
	            "Báo cáo|tally|loaded");
	expect_text(qtext("SELECT coalesce(sheet, 'none') FROM staging.files "
	                  "WHERE name = '2020-truc-bach-twin.csv'"),
	            "none");
	{
		char *summary = hx_test_read_file(d.summary, NULL);

		cr_expect(strstr(summary, "\"sheet\": \"Báo cáo\"") != NULL, "%s", summary);
		free(summary);
	}
	free(path);
	hx_test_dirs_free(&d);
}

/*
 * A bad row sends the workbook down the general path: the good rows load
 * there, the same figures as the twin's, and each bad cell is named by its
 * sheet, row and column as the clerk wrote them, with the row given back
 * as a CSV line in staging.rejects.raw under the header kept in
 * staging.files.header.
 */
Test(ingest_workbooks, bad_cells_are_rejected_naming_sheet_row_and_column)
{
	static const char rows[] =
		CLERK_HEADER
		"<row r=\"6\">" N("A6", "1") N("B6", "2020") T("C6", "00004") T("D6", "Gia đình học tập")
		N("E6", "7105") N("F6", "6540") F("G6", "ROUND(E6*0.3703,0)", "2631")
		S("H6", "2", "0.3703") S("I6", "1", "43845") "</row>"
		/* text that is no number */
		"<row r=\"7\">" N("A7", "2") N("B7", "2020") N("C7", "7") T("D7", "Dòng họ học tập")
		T("E7", "1,213") N("F7", "10") N("G7", "8") "</row>"
		/* a formula never calculated */
		"<row r=\"9\">" N("A9", "3") N("B9", "2020") T("C9", "00004")
		T("D9", "Cộng đồng học tập") N("E9", "14") "<c r=\"F9\"><f>E9-5</f></c>" N("G9", "3")
		"</row>"
		/* an error value */
		"<row r=\"10\">" N("A10", "4") N("B10", "2020") T("C10", "00007")
		T("D10", "Gia đình học tập") N("E10", "50") N("F10", "40")
		"<c r=\"G10\" t=\"e\"><v>#DIV/0!</v></c>" "</row>"
		/* typed, 1213 is a number, not the ambiguous text "1,213" */
		"<row r=\"11\">" N("A11", "5") N("B11", "2020") N("C11", "7")
		T("D11", "Cộng đồng học tập") N("E11", "1213") N("F11", "900") N("G11", "0") "</row>";
	const struct sheet s[] = {{"Báo cáo", NULL, rows, CLERK_MERGES}};
	struct hx_test_dirs d = hx_test_dirs_make();
	char *path = workbook(d.top, "x.xlsx", s, 1);
	struct hx_test_output o = INGEST(db, path);

	cr_assert(eq(int, o.status, 65), "%s", o.err);
	cr_expect(strstr(o.err, "x.xlsx, sheet \"Báo cáo\", row 7, column E (\"Số hộ Tổng số\") "
	                        "[eligible]: \"1,213\" is ambiguous") != NULL, "%s", o.err);
	cr_expect(strstr(o.err, "x.xlsx, sheet \"Báo cáo\", row 9, column F (\"Số hộ Đăng ký\") "
	                        "[registered]: the formula =E9-5 has no saved value") != NULL,
	          "%s", o.err);
	cr_expect(strstr(o.err, "x.xlsx, sheet \"Báo cáo\", row 10, column G (\"Số hộ Công nhận\") "
	                        "[recognized]: the cell holds the error #DIV/0!: ") != NULL,
	          "%s", o.err);
	cr_expect(strstr(o.err, "(row 10 not loaded)") != NULL, "%s", o.err);
	hx_test_output_free(&o);
	expect_text(qtext("SELECT string_agg(concat_ws('|', line, col, value, reason, raw), ' / ' "
	                  "ORDER BY line) FROM staging.rejects"),
	            "7|Số hộ Tổng số|1,213|not_a_number|2,2020,7,Dòng họ học tập,\"1,213\",10,8 / "
	            "9|Số hộ Đăng ký|=E9-5|cell_error|3,2020,00004,Cộng đồng học tập,14,=E9-5,3 / "
	            "10|Số hộ Công nhận|#DIV/0!|cell_error|4,2020,00007,Gia đình học tập,50,40,"
	            "#DIV/0!");
	expect_text(qtext("SELECT concat_ws('|', sheet, status, rows_read, rows_loaded, "
	                  "rows_rejected) FROM staging.files"),
	            "Báo cáo|partial|5|2|3");
	/* What a rejects file given back to the clerk is made of: the header and the
	 * rows as written, each with its sheet, row, column and reason. */
	expect_text(qtext("SELECT header FROM staging.files"),
	            "STT,Năm,Mã đơn vị,Danh hiệu,Số hộ Tổng số,Số hộ Đăng ký,Số hộ Công nhận,"
	            "Tỷ lệ (%),Ngày gửi");
	expect_text(qtext("SELECT string_agg(concat_ws('|', line, unit_code, title, eligible), ' / ' "
	                  "ORDER BY line) FROM staging.tally"),
	            "6|00004|family|7105 / 11|00007|community|1213");
	free(path);
	hx_test_dirs_free(&d);
}

/* A workbook of which nothing loads goes to rejected/, its error.txt naming each cell. */
Test(ingest_workbooks, rejected_workbook_error_txt_names_the_cells)
{
	static const char rows[] =
		CLERK_HEADER
		"<row r=\"6\">" N("A6", "1") N("B6", "2020") T("C6", "99999") T("D6", "Gia đình học tập")
		N("E6", "10") "</row>"
		"<row r=\"7\">" N("A7", "2") N("B7", "2020") T("C7", "99999") T("D7", "Dòng họ học tập")
		N("E7", "10") "</row>";
	const struct sheet s[] = {{"Báo cáo", NULL, rows, CLERK_MERGES}};
	struct hx_test_dirs d = hx_test_dirs_make();
	char *path = workbook(d.inbox, "bad.xlsx", s, 1);
	char *txt_path = hx_asprintf("%s/bad.xlsx.error.txt", d.rejected), *txt;
	struct hx_test_output o = INGEST(db, "--inbox", d.inbox, "--archive", d.archive,
	                                 "--rejected", d.rejected);

	cr_assert(eq(int, o.status, 65), "%s", o.err);
	hx_test_output_free(&o);
	txt = hx_test_read_file(txt_path, NULL);
	cr_assert(txt != NULL);
	cr_expect(strstr(txt, "reason: all 2 rows were rejected\n") != NULL, "%s", txt);
	cr_expect(strstr(txt, "\nsheet \"Báo cáo\", row 6, column C (\"Mã đơn vị\") [unit_code]: "
	                      "unknown unit code \"99999\" (rows 6, 7)\n") != NULL, "%s", txt);
	free(txt);
	free(txt_path);
	free(path);
	hx_test_dirs_free(&d);
}

/* A register list as a workbook: typed booleans, x marks, typed ids; the general path. */
Test(ingest_workbooks, register_workbook_keeps_its_row_numbers)
{
	static const char rows[] =
		"<row r=\"1\">" T("A1", "DANH SÁCH HỘ GIA ĐÌNH HỌC TẬP") "</row>"
		"<row r=\"3\">" T("A3", "Năm") T("B3", "Mã đơn vị") T("C3", "Danh hiệu") T("D3", "Mã hộ")
		T("E3", "Chủ hộ") T("F3", "Đăng ký") T("G3", "Công nhận") T("H3", "Điểm") "</row>"
		"<row r=\"4\">" N("A4", "2020") T("B4", "00004") T("C4", "Gia đình học tập")
		N("D4", "1001") T("E4", "Nguyễn Văn An") "<c r=\"F4\" t=\"b\"><v>1</v></c>"
		"<c r=\"G4\" t=\"b\"><v>1</v></c>" N("H4", "90.5") "</row>"
		"<row r=\"5\">" N("A5", "2020") T("B5", "00004") T("C5", "Gia đình học tập")
		N("D5", "1002") T("E5", "Trần Thị Bình") T("F5", "x") "</row>"
		"<row r=\"6\">" N("A6", "2020") T("B6", "00004") T("C6", "Gia đình học tập")
		N("D6", "1003") T("E6", "Lê Văn Cường") T("F6", "x") T("G6", "x") N("H6", "75") "</row>";
	const struct sheet s[] = {{"Danh sách", NULL, rows, NULL}};
	struct hx_test_dirs d = hx_test_dirs_make();
	char *path = workbook(d.top, "ds.xlsx", s, 1);
	struct hx_test_output o = INGEST(db, path);

	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	expect_text(qtext("SELECT string_agg(concat_ws('|', line, entity_id, registered, recognized, "
	                  "score), ' / ' ORDER BY line) FROM staging.register"),
	            "4|1001|t|t|90.5 / 5|1002|t|f / 6|1003|t|t|75");
	expect_text(qtext("SELECT concat_ws('|', first_line, last_line, entities, registered, "
	                  "recognized) FROM staging.register_lists"),
	            "4|6|3|3|2");
	expect_text(qtext("SELECT concat_ws('|', sheet, kind) FROM staging.files"),
	            "Danh sách|register");
	free(path);
	hx_test_dirs_free(&d);
}

static const char hidden_rows[] =
	"<row r=\"1\">" T("A1", "Năm") T("B1", "Mã đơn vị") T("C1", "Danh hiệu") T("D1", "Tổng số")
	"</row><row r=\"2\">" N("A2", "2019") T("B2", "00007") T("C2", "family") N("D2", "99")
	"</row>";
static const char visible_rows[] =
	"<row r=\"1\">" T("A1", "Năm") T("B1", "Mã đơn vị") T("C1", "Danh hiệu") T("D1", "Tổng số")
	"</row><row r=\"2\">" N("A2", "2020") T("B2", "00004") T("C2", "family") N("D2", "42")
	"</row>";

/* A hidden sheet is the clerk's scratch: read only when --sheet names it. */
Test(ingest_workbooks, hidden_sheets_are_read_only_when_named)
{
	const struct sheet s[] = {{"Nháp", "hidden", hidden_rows, NULL},
	                          {"Báo cáo", NULL, visible_rows, NULL}};
	/* Another file (other bytes), the same hidden sheet. */
	const struct sheet s2[] = {{"Nháp", "hidden", hidden_rows, NULL},
	                           {"Báo cáo", NULL, CLERK_HEADER, NULL}};
	struct hx_test_dirs d = hx_test_dirs_make();
	char *path = workbook(d.top, "two.xlsx", s, 2);
	char *other = workbook(d.top, "two-b.xlsx", s2, 2);
	struct hx_test_output o = INGEST(db, path);

	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	expect_text(qtext("SELECT string_agg(concat_ws('|', year, unit_code, eligible), ' ') "
	                  "FROM staging.tally"), "2020|00004|42");
	o = INGEST(db, "--sheet", "Không có", other);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	cr_expect(strstr(o.err, "two-b.xlsx: rejected, nothing loaded: the workbook has no sheet "
	                        "\"Không có\" (its sheets: \"Nháp\", \"Báo cáo\")") != NULL,
	          "%s", o.err);
	hx_test_output_free(&o);
	expect_text(qtext("SELECT reason FROM staging.rejects"), "bad_workbook");
	o = INGEST(db, "--sheet", "Nháp", other);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	expect_text(qtext("SELECT string_agg(concat_ws('|', t.year, t.unit_code, t.eligible, f.sheet), "
	                  "' ' ORDER BY t.year) FROM staging.tally t JOIN staging.files f "
	                  "USING (file_id)"), "2019|00007|99|Nháp 2020|00004|42|Báo cáo");
	free(other);
	free(path);
	hx_test_dirs_free(&d);
}

/* Two rows of one tally in a workbook: named by their rows on the sheet. */
Test(ingest_workbooks, conflicting_rows_are_named_by_their_rows)
{
	static const char rows[] =
		"<row r=\"2\">" T("A2", "Năm") T("B2", "Mã đơn vị") T("C2", "Danh hiệu") T("D2", "Tổng số")
		"</row>"
		"<row r=\"3\">" N("A3", "2020") T("B3", "00004") T("C3", "family") N("D3", "42") "</row>"
		"<row r=\"4\">" N("A4", "2020") T("B4", "00007") T("C4", "family") N("D4", "5") "</row>"
		"<row r=\"5\">" N("A5", "2020") T("B5", "00004") T("C5", "family") N("D5", "43") "</row>";
	const struct sheet s[] = {{"Báo cáo", NULL, rows, NULL}};
	struct hx_test_dirs d = hx_test_dirs_make();
	char *path = workbook(d.top, "c.xlsx", s, 1);
	struct hx_test_output o = INGEST(db, path);

	cr_assert(eq(int, o.status, 65), "%s", o.err);
	cr_expect(strstr(o.err, "c.xlsx, sheet \"Báo cáo\": row 3 and row 5 give different values "
	                        "for year 2020, unit_code 00004, title family: neither is loaded") !=
	          NULL, "%s", o.err);
	hx_test_output_free(&o);
	expect_text(qtext("SELECT string_agg(line::text, ',' ORDER BY line) FROM staging.tally"), "4");
	free(path);
	hx_test_dirs_free(&d);
}

/* An Excel 97-2003 workbook (tests/data/workbooks/tally.xls) loads as its CSV twin does. */
Test(ingest_workbooks, xls_workbook_loads_the_figures_of_its_csv_twin)
{
	struct hx_test_dirs d = hx_test_dirs_make();
	char *xls = hx_test_src("tests/data/workbooks/tally.xls");
	char *csv, *twin;
	struct hx_test_output o;

	hx_test_put(d.top, "tally-twin.csv",
	            "Năm;Mã đơn vị;Danh hiệu;Tổng số;Đăng ký;Công nhận;Tỷ lệ\n"
	            "2020;00004;Gia đình học tập;7.105;6.540;2.631;37,03\n"
	            "2020;00007;Dòng họ học tập;12;10;8;66,67\n");
	o = INGEST(db, xls);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	{
		char *p = hx_asprintf("%s/tally-twin.csv", d.top);

		o = INGEST(db, p);
		free(p);
	}
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	csv = tallies_of("tally-twin.csv");
	twin = tallies_of("tally.xls");
	cr_expect(eq(str, twin, csv));
	cr_expect(eq(str, twin, "2020|00004|family|7105|6540|2631|37.03 / "
	                        "2020|00007|clan|12|10|8|66.67"), "%s", twin);
	free(csv);
	free(twin);
	expect_text(qtext("SELECT concat_ws('|', sheet, kind, status) FROM staging.files "
	                  "WHERE name = 'tally.xls'"),
	            "Báo cáo|tally|loaded");
	expect_text(qtext("SELECT string_agg(t.line::text, ',' ORDER BY t.line) FROM staging.tally t "
	                  "JOIN staging.files f USING (file_id) WHERE f.name = 'tally.xls'"),
	            "5,6");
	free(xls);
	hx_test_dirs_free(&d);
}

/* hoctap-report --explain places a value read from a workbook by its sheet and row. */
Test(ingest_workbooks, explain_names_the_sheet_and_row_of_a_value)
{
	struct hx_test_dirs d = hx_test_dirs_make();
	const struct sheet s[] = {{"Báo cáo", NULL, clerk_rows, CLERK_MERGES}};
	char *path = workbook(d.top, "2020-truc-bach.xlsx", s, 1);
	struct hx_test_output o = INGEST(db, path);

	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	o = hx_test_program("hoctap-transform", db, (const char *const[]){"-q", NULL});
	cr_assert(o.status == 0 || o.status == 65, "transform: %s", o.err);
	hx_test_output_free(&o);
	o = hx_test_program("hoctap-report", db,
	                    (const char *const[]){"--explain", "001", "2020", "family", NULL});
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	cr_expect(strstr(o.out, "all values from 2020-truc-bach.xlsx, sheet \"Báo cáo\", row 6") !=
	          NULL, "%s", o.out);
	hx_test_output_free(&o);
	free(path);
	hx_test_dirs_free(&d);
}
