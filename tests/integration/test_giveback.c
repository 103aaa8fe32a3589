/*
 * The bad rows of a partly loaded file given back to the clerk
 * (ingest/giveback.h): a tally CSV loaded by the real hoctap-ingest into a
 * real database, three of its rows rejected, then its NAME.rejects.csv
 * written in Vietnamese and in English and compared byte for byte; and a
 * workbook's rejected rows (as the loader will record them) written as
 * NAME.rejects.xlsx and read back with the project's .xlsx reader.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "csvread.h"
#include "giveback.h"
#include "i18n.h"
#include "testsupport.h"
#include "xlsx.h"

#define INGEST(db, ...) \
	hx_test_program("hoctap-ingest", (db), (const char *const[]){__VA_ARGS__, NULL})

static char *db;

static void setup(void)
{
	db = hx_test_small_db();
}

static void teardown(void)
{
	hx_i18n_init("en");
	hx_test_db_drop(db);
	free(db);
}

TestSuite(giveback, .init = setup, .fini = teardown, .timeout = 120);

/*
 * A commune's tally as Excel in Vietnamese settings saves it: ';', a value
 * quoted for its ';'.  Line 3 names a unit that does not exist, line 4
 * holds a letter O in a count, line 5 (a short row) a title that is none.
 */
static const char tally[] =
	"Năm;Mã đơn vị;Danh hiệu;Tổng số;Đăng ký;Được công nhận;Ghi chú\n"
	"2020;00004;Gia đình học tập;100;90;80;tốt\n"
	"2020;00099;Gia đình học tập;10;9;8;\n"
	"2020;00007;Gia đình học tập;7.9O5;6;5;\"hộ; thôn 2\"\n"
	"2020;00007;Gia đình hạnh phúc;5\n"
	"2020;00004;Dòng họ học tập;12;10;9;\n";

static char want_vi[] =
	"\xEF\xBB\xBF"
	"Năm;Mã đơn vị;Danh hiệu;Tổng số;Đăng ký;Được công nhận;Ghi chú;Dòng;Cột;Lý do\r\n"
	"2020;00099;Gia đình học tập;10;9;8;;3;Mã đơn vị;\"\"\"00099\"\": không có đơn vị nào "
	"trong danh mục mang mã này: hãy dùng mã của cơ quan thống kê cho đơn vị đó\"\r\n"
	"2020;00007;Gia đình học tập;7.9O5;6;5;\"hộ; thôn 2\";4;Tổng số;\"\"\"7.9O5\"\": số "
	"lượng, số tiền hoặc tỷ lệ không phải là số, hoặc đọc được theo hai cách (1,213): hãy sửa "
	"lại, hoặc khai báo số kiểu tiếng Anh bằng --numbers=en\"\r\n"
	"2020;00007;Gia đình hạnh phúc;5;;;;5;Danh hiệu;\"\"\"Gia đình hạnh phúc\"\": không phải "
	"danh hiệu: hãy dùng một trong các tên ở mục 8\"\r\n";

static char want_en[] =
	"\xEF\xBB\xBF"
	"Năm;Mã đơn vị;Danh hiệu;Tổng số;Đăng ký;Được công nhận;Ghi chú;line;column;reason\r\n"
	"2020;00099;Gia đình học tập;10;9;8;;3;Mã đơn vị;\"\"\"00099\"\": no unit of the reference "
	"list has this code: use the statistics office code of the unit\"\r\n"
	"2020;00007;Gia đình học tập;7.9O5;6;5;\"hộ; thôn 2\";4;Tổng số;\"\"\"7.9O5\"\": a count, "
	"amount or rate that is not a number, or reads two ways (1,213): correct it, or declare "
	"English numbers with --numbers=en\"\r\n"
	"2020;00007;Gia đình hạnh phúc;5;;;;5;Danh hiệu;\"\"\"Gia đình hạnh phúc\"\": not a title: "
	"use one of the names of section 8\"\r\n";

/* The header as the loader's CSV reader gives it: the first record. */
struct header {
	int fd;
	struct hx_csv_reader *r;
	struct hx_csv_record rec;
	struct hx_row row;
	char delimiter;
};

static void header_read(struct header *h, const char *path)
{
	struct hx_error err;

	h->fd = open(path, O_RDONLY);
	cr_assert(h->fd >= 0, "%s", path);
	h->r = hx_csv_new_fd(h->fd, NULL);
	cr_assert(eq(int, hx_csv_next(h->r, &h->rec, &err), 1));
	hx_row_from_csv(&h->row, &h->rec);
	h->delimiter = hx_csv_delimiter(h->r);
}

static void header_free(struct header *h)
{
	hx_csv_free(h->r);
	close(h->fd);
}

/* Replace the first from in s by to, of the same length or shorter. */
static void replace(char *s, const char *from, const char *to)
{
	char *p = strstr(s, from);
	size_t nf = strlen(from), nt = strlen(to);

	cr_assert(p != NULL && nt <= nf, "%s", from);
	memcpy(p, to, nt);
	memmove(p + nt, p + nf, strlen(p + nf) + 1);
}

static long long file_id(PGconn *conn, const char *name)
{
	char *sql = hx_asprintf("SELECT file_id FROM staging.files WHERE name = '%s' AND status = "
	                        "'partial'", name);
	long long id = hx_test_db_long(conn, sql);

	free(sql);
	cr_assert(id > 0, "no partial file %s", name);
	return id;
}

Test(giveback, a_partly_loaded_csv_comes_back_with_its_bad_rows_in_the_clerk_s_language)
{
	struct hx_test_dirs d = hx_test_dirs_make();
	struct hx_test_output o;
	struct header h;
	struct giveback g;
	struct hx_error err;
	PGconn *conn;
	char *path = NULL, *archived, *text, *want;
	size_t len;

	hx_test_put(d.inbox, "2020-truc-bach.csv", tally);
	o = INGEST(db, "--inbox", d.inbox, "--archive", d.archive, "--rejected", d.rejected,
	           "--summary", d.summary);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	hx_test_output_free(&o);
	conn = hx_test_db_connect(db);
	hx_test_assert_value(conn, "5 2 3", "SELECT rows_read || ' ' || rows_loaded || ' ' || "
	                     "rows_rejected FROM staging.files WHERE name = '2020-truc-bach.csv'");
	/* The inbox run gave the bad rows back itself, in its language, and says so. */
	want = hx_asprintf("%s/2020-truc-bach.csv.rejects.csv", d.rejected);
	text = hx_test_read_file(want, &len);
	cr_assert(text != NULL, "the run gave nothing back");
	cr_assert(eq(str, text, want_en));
	free(text);
	free(want);
	text = hx_test_read_file(d.summary, &len);
	cr_assert(strstr(text, "\"rejects_file\": \"2020-truc-bach.csv.rejects.csv\"") != NULL, "%s",
	          text);
	free(text);

	archived = hx_asprintf("%s/2020-truc-bach.csv", d.archive);
	header_read(&h, archived);
	cr_assert(eq(int, h.delimiter, ';'));
	g = (struct giveback){file_id(conn, "2020-truc-bach.csv"), "2020-truc-bach.csv", d.rejected,
	                      0, &h.row, h.delimiter};

	/* again, in Vietnamese: the first is kept, the second takes .1 */
	cr_assert(eq(int, hx_i18n_init("vi"), 0));
	cr_assert(eq(long, giveback_write(conn, &g, &path, &err), 3), "%s", err.msg);
	want = hx_asprintf("%s/2020-truc-bach.csv.rejects.1.csv", d.rejected);
	cr_assert(eq(str, path, want));
	text = hx_test_read_file(path, &len);
	cr_assert(eq(str, text, want_vi));
	free(text);
	free(path);
	free(want);
	cr_assert(eq(int, hx_i18n_init("en"), 0));
	/* only the two files: no temporary left behind */
	cr_assert(eq(int, hx_test_count_files(d.rejected), 2));

	/* the Vietnamese file, its three values corrected in place, loads alone, its
	 * three added columns ignored without a word */
	want = hx_asprintf("%s/2020-truc-bach.csv.rejects.1.csv", d.rejected);
	text = hx_test_read_file(want, &len);
	replace(text, ";00099;", ";00004;");
	replace(text, ";7.9O5;", ";7.905;");
	replace(text, ";Gia đình hạnh phúc;", ";Dòng họ học tập;");
	hx_test_put(d.inbox, "2020-truc-bach.csv.rejects.csv", text);
	o = INGEST(db, "--inbox", d.inbox, "--archive", d.archive, "--rejected", d.rejected);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	cr_assert(eq(str, o.err, ""), "the corrected file was not taken in silence: %s", o.err);
	hx_test_output_free(&o);
	hx_test_assert_value(conn, "loaded 3 3 0", "SELECT status || ' ' || rows_read || ' ' || "
	                     "rows_loaded || ' ' || rows_rejected FROM staging.files WHERE name = "
	                     "'2020-truc-bach.csv.rejects.csv'");
	hx_test_assert_value(conn, "7905", "SELECT eligible FROM staging.tally t JOIN staging.files f "
	                     "USING (file_id) WHERE f.name = '2020-truc-bach.csv.rejects.csv' AND "
	                     "t.registered = 6");
	free(want);
	free(text);
	header_free(&h);
	free(archived);
	PQfinish(conn);
	hx_test_dirs_free(&d);
}

/* A file with no rejected row gives nothing back. */
Test(giveback, nothing_back_for_a_file_without_rejects)
{
	struct hx_test_dirs d = hx_test_dirs_make();
	struct hx_test_output o;
	struct header h;
	struct giveback g;
	struct hx_error err;
	PGconn *conn;
	char *path = NULL, *archived;
	long long id;

	hx_test_put(d.inbox, "good.csv", "year,unit_code,title,recognized\n2020,00004,family,3\n");
	o = INGEST(db, "--inbox", d.inbox, "--archive", d.archive, "--rejected", d.rejected);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	conn = hx_test_db_connect(db);
	id = hx_test_db_long(conn, "SELECT file_id FROM staging.files WHERE name = 'good.csv'");
	archived = hx_asprintf("%s/good.csv", d.archive);
	header_read(&h, archived);
	g = (struct giveback){id, "good.csv", d.rejected, 0, &h.row, 0};
	cr_assert(eq(long, giveback_write(conn, &g, &path, &err), 0), "%s", err.msg);
	cr_assert(path == NULL);
	cr_assert(eq(int, hx_test_count_files(d.rejected), 0));
	header_free(&h);
	free(archived);
	PQfinish(conn);
	hx_test_dirs_free(&d);
}

/* "text:type|..." of a row read back, types as T N P D B E. */
static void render(const struct hx_row *row, char *out, size_t cap)
{
	static const char tc[] = "TNPDBE";
	size_t k = 0;

	out[0] = '\0';
	for (size_t i = 0; i < row->nfields && k < cap; i++)
		k += (size_t)snprintf(out + k, cap - k, "%s%s:%c", i > 0 ? "|" : "", row->fields[i],
		                      tc[hx_row_type(row, i)]);
}

/*
 * A workbook's rejected rows, as the loader records them (the raw line of a
 * sheet's row is the row as CSV, typed numbers in machine text), come back
 * as an .xlsx: the header, the cells (a figure's plain number a number, a
 * code text with its zeros), the row, the columns and the reasons.
 */
Test(giveback, a_workbook_s_rows_come_back_as_a_workbook)
{
	static const char *const names[] = {"Năm", "Mã đơn vị", "Danh hiệu", "Mã hộ", "Đăng ký",
	                                    "Được công nhận", "Điểm", "Thôn"};
	size_t lens[8];
	struct hx_row header = {0};
	struct hx_test_dirs d = hx_test_dirs_make();
	struct giveback g;
	struct hx_error err;
	struct hx_xlsx *x;
	struct hx_row row;
	PGconn *conn = hx_test_db_connect(db);
	char *path = NULL, *sql, got[2048];
	long long id;

	for (size_t i = 0; i < 8; i++)
		lens[i] = strlen(names[i]);
	header.nfields = 8;
	header.fields = names;
	header.lens = lens;
	id = hx_test_db_long(conn, "INSERT INTO staging.files (name, size_bytes, sha256, kind, status, "
	                           "rows_read, rows_loaded, rows_rejected) VALUES ('dai-phuoc.xlsx', 1, "
	                           "repeat('a', 64), 'register', 'partial', 4, 2, 2) RETURNING file_id");
	sql = hx_asprintf(
		"INSERT INTO staging.rejects (file_id, line, col, value, reason, message, raw) VALUES "
		"(%lld, 17, 'Được công nhận', 'x', 'flags_contradict', 'm', "
		" '2020,00004,Gia đình học tập,00124,0,x,77,Thôn 4'),"
		"(%lld, 14, 'Đăng ký', 'co', 'bad_boolean', 'm', "
		" '2020,00004,Gia đình học tập,00123,co,,1.5,\"Thôn 3, ấp 2\"'),"
		"(%lld, 17, 'Điểm', '77', 'not_a_number', 'm', "
		" '2020,00004,Gia đình học tập,00124,0,x,77,Thôn 4'),"
		"(%lld, NULL, NULL, NULL, 'missing_column', 'm', NULL)",
		id, id, id, id);
	hx_test_db_exec(conn, sql);
	free(sql);
	g = (struct giveback){id, "dai-phuoc.xlsx", d.rejected, 1, &header, 0};
	cr_assert(eq(int, hx_i18n_init("vi"), 0));
	cr_assert(eq(long, giveback_write(conn, &g, &path, &err), 2), "%s", err.msg);
	cr_assert(strstr(path, "/dai-phuoc.xlsx.rejects.xlsx") != NULL, "%s", path);

	x = hx_xlsx_open(path, NULL, &err);
	cr_assert(x != NULL, "%s", err.msg);
	cr_assert(strcmp(hx_xlsx_sheet_name(x), "Các dòng bị từ chối") == 0, "%s",
	          hx_xlsx_sheet_name(x));
	cr_assert(eq(int, hx_xlsx_next(x, &row, &err), 1));
	render(&row, got, sizeof got);
	cr_assert(eq(str, got, "Năm:T|Mã đơn vị:T|Danh hiệu:T|Mã hộ:T|Đăng ký:T|Được công nhận:T|"
	                       "Điểm:T|Thôn:T|Hàng:T|Cột:T|Lý do:T"));
	cr_assert(eq(int, hx_xlsx_next(x, &row, &err), 1));
	render(&row, got, sizeof got);
	cr_assert(eq(str, got, "2020:N|00004:T|Gia đình học tập:T|00123:T|co:T|:T|1.5:N|"
	                       "Thôn 3, ấp 2:T|14:N|Đăng ký:T|\"co\": không phải có hoặc không: hãy "
	                       "viết 1/0, x/để trống, có/không hoặc đạt/không đạt:T"));
	cr_assert(eq(long, row.line, 2));
	cr_assert(eq(int, hx_xlsx_next(x, &row, &err), 1));
	render(&row, got, sizeof got);
	cr_assert(eq(str, got, "2020:N|00004:T|Gia đình học tập:T|00124:T|0:N|x:T|77:N|Thôn 4:T|"
	                       "17:N|Được công nhận, Điểm:T|\"x\": một dòng danh sách được công nhận nhưng "
	                       "không đăng ký, hoặc tiêu biểu nhưng không được công nhận: hãy sửa một "
	                       "trong hai; \"77\": số lượng, số tiền hoặc tỷ lệ không phải là số, hoặc "
	                       "đọc được theo hai cách (1,213): hãy sửa lại, hoặc khai báo số kiểu tiếng "
	                       "Anh bằng --numbers=en:T"));
	cr_assert(eq(int, hx_xlsx_next(x, &row, &err), 0));
	hx_xlsx_close(x);
	free(path);
	PQfinish(conn);
	hx_test_dirs_free(&d);
}
