/*
 * test_ingest_vietnamese.c — hoctap-ingest answering a clerk in Vietnamese
 * (issue 20, deliverable 4): with --lang vi (or HOCTAP_LANG=vi, as the
 * nightly chain sets it) a rejected row's reason, the message stored in
 * staging.rejects, a rejected file's NAME.error.txt, a workbook row's
 * place and a converted file's note are in Vietnamese, a column named as
 * the clerk wrote it with its key in brackets.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
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

TestSuite(ingest_vietnamese, .init = setup, .fini = teardown, .timeout = 120);

static char *qtext(const char *sql)
{
	PGconn *c = hx_test_db_connect(db);
	char *v = hx_test_db_text(c, sql);

	PQfinish(c);
	return v;
}

static void expect_in(const char *text, const char *want)
{
	cr_expect(strstr(text, want) != NULL, "want\n  %s\nin\n%s", want, text);
}

Test(ingest_vietnamese, a_rejected_row_is_told_and_stored_in_vietnamese)
{
	struct hx_test_dirs d = hx_test_dirs_make();
	char *path = hx_asprintf("%s/xa.csv", d.top), *msg;
	struct hx_test_output o;

	hx_test_put(d.top, "xa.csv",
	            "Năm;Mã đơn vị;Danh hiệu;Tổng số;Được công nhận\n"
	            "2020;00004;Gia đình học tập;120;80\n"
	            "1999;00004;Dòng họ học tập;12;9\n"
	            "2020;00007;Gia đình học tập;1,213;5\n"
	            "2020;00009;Gia đình học tập;10;5\n");
	/* In English (a dry run, which records nothing) the column is named the same way. */
	o = INGEST(db, "--lang", "en", "--dry-run", path);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	expect_in(o.err, "xa.csv:3: column \"Năm\" [year]: \"1999\" is not a year between 2000 and "
	                 "2100 (row not loaded)");
	hx_test_output_free(&o);
	o = INGEST(db, "--lang", "vi", path);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	expect_in(o.err, "xa.csv:3: cột \"Năm\" [year]: \"1999\" không phải là năm trong khoảng "
	                 "2000 đến 2100 (dòng không được nạp)");
	expect_in(o.err, "xa.csv:4: cột \"Tổng số\" [eligible]: \"1,213\" có thể hiểu hai cách: là "
	                 "1.213 (',' là dấu thập phân) hoặc là 1213 (',' ngăn cách hàng nghìn)");
	expect_in(o.err, "xa.csv:5: cột \"Mã đơn vị\" [unit_code]: mã đơn vị \"00009\" không có "
	                 "trong danh mục (dòng không được nạp)");
	hx_test_output_free(&o);
	/* Stored in the language of the run, for the summary and the rejects given back. */
	msg = qtext("SELECT message FROM staging.rejects WHERE line = 3");
	cr_expect(eq(str, msg, "cột \"Năm\" [year]: \"1999\" không phải là năm trong khoảng 2000 "
	                       "đến 2100"));
	free(msg);
	free(path);
	hx_test_dirs_free(&d);
}

/* The nightly chain sets HOCTAP_LANG=vi: a rejected file's error.txt is the clerk's to read. */
Test(ingest_vietnamese, error_txt_is_in_vietnamese)
{
	struct hx_test_dirs d = hx_test_dirs_make();
	const char *argv[] = {NULL, "-d", db, "--inbox", d.inbox, "--archive", d.archive,
	                      "--rejected", d.rejected, NULL};
	const char *env[] = {"HOCTAP_LANG=vi", NULL};
	char *bin = hx_strdup(hx_test_bin("hoctap-ingest"));
	char *txt_path = hx_asprintf("%s/2020-xa.csv.error.txt", d.rejected), *txt;
	struct hx_test_output o;

	argv[0] = bin;
	hx_test_put(d.inbox, "2020-xa.csv", "Năm;Danh hiệu;Được công nhận\n2020;Gia đình học tập;80\n");
	hx_test_run(argv, env, &o);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	expect_in(o.err, "2020-xa.csv: bị từ chối, không nạp gì: dòng 1: tệp số liệu tổng hợp cần "
	                 "có cột \"Mã đơn vị\" [unit_code]");
	hx_test_output_free(&o);
	txt = hx_test_read_file(txt_path, NULL);
	cr_assert(txt != NULL, "no %s", txt_path);
	{
		static const char head[] =
			"2020-xa.csv bị từ chối: không nạp được gì từ tệp này.\n\n"
			"lý do: dòng 1: tệp số liệu tổng hợp cần có cột \"Mã đơn vị\" [unit_code]\n"
			"cách xử lý: thiếu một cột mà loại tệp này cần\n"
			"sha256: ";

		cr_expect(strncmp(txt, head, strlen(head)) == 0, "want\n%s\ngot\n%s", head, txt);
	}
	expect_in(txt, "\nHãy sửa tệp rồi đặt lại vào hộp thư đến;");
	cr_expect(strstr(txt, "reason:") == NULL && strstr(txt, "Correct the file") == NULL, "%s",
	          txt);
	free(txt);
	free(txt_path);
	free(bin);
	hx_test_dirs_free(&d);
}

/* A workbook of which nothing loads: its error.txt names each cell in Vietnamese. */
Test(ingest_vietnamese, workbook_rows_are_placed_in_vietnamese)
{
	struct hx_test_dirs d = hx_test_dirs_make();
	char *xls = hx_test_src("tests/data/workbooks/clerk.xls");
	char *in = hx_asprintf("%s/clerk.xls", d.inbox), *data, *txt, *txt_path;
	size_t len;
	struct hx_test_output o;

	data = hx_test_read_file(xls, &len);
	hx_test_write_file(in, data, len);
	free(data);
	o = INGEST(db, "--lang", "vi", "--inbox", d.inbox, "--archive", d.archive, "--rejected",
	           d.rejected);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	expect_in(o.err, "clerk.xls, trang tính \"Báo cáo\", hàng 5, cột B (\"Mã đơn vị\") "
	                 "[unit_code]: mã đơn vị \"22915\" không có trong danh mục (hàng 5 không "
	                 "được nạp)");
	hx_test_output_free(&o);
	txt_path = hx_asprintf("%s/clerk.xls.error.txt", d.rejected);
	txt = hx_test_read_file(txt_path, NULL);
	cr_assert(txt != NULL, "no %s", txt_path);
	expect_in(txt, "lý do: cả 2 dòng đều bị từ chối\n");
	expect_in(txt, "trang tính: Báo cáo\n");
	expect_in(txt, "\ntrang tính \"Báo cáo\", hàng 7, cột B (\"Mã đơn vị\") [unit_code]: "
	               "\"Thôn 3\" không phải là mã đơn vị (2 đến 5 chữ số) (hàng 7)\n");
	free(txt);
	free(txt_path);
	free(in);
	free(xls);
	hx_test_dirs_free(&d);
}

/* How a legacy file was read is said in Vietnamese too. */
Test(ingest_vietnamese, encoding_note_is_in_vietnamese)
{
	struct hx_test_dirs d = hx_test_dirs_make();
	char *vni = hx_test_src("tests/bad/vni.csv"), *data, *path, *note;
	size_t len;
	struct hx_test_output o;

	data = hx_test_read_file(vni, &len);
	path = hx_asprintf("%s/vni.csv", d.top);
	hx_test_write_file(path, data, len);
	free(data);
	o = INGEST(db, "--lang", "vi", "-v", path);
	/* Its unit, 22915, is not in this database: rejected, but read. */
	expect_in(o.err, "vni.csv: bị từ chối, không nạp gì: cả 1 dòng đều bị từ chối");
	hx_test_output_free(&o);
	note = qtext("SELECT encoding_note FROM staging.files");
	cr_expect(eq(str, note, "đọc theo VNI-Windows: giải mã được 12 chữ"));
	free(note);
	free(path);
	free(vni);
	hx_test_dirs_free(&d);
}
