/*
 * The documents of hoctap-report against the test marts of
 * tests/data/report/marts.sql: hoctap.xlsx read back by openpyxl (an
 * implementation independent of libxlsxwriter: sheet names, Vietnamese
 * labels with the CSV key in a comment, typed numbers with their formats,
 * frozen header, filters, the provisional column), index.html's figures in
 * Vietnamese style, --lang en, --facts' sentences and sources, and exit 65
 * with nothing written when there is nothing to show.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "lengthof.h"
#include "testsupport.h"

static char *marts_db(void)
{
	char *db = hx_test_db_create(1);
	char *path = hx_test_src("tests/data/report/marts.sql");
	char *sql = hx_test_read_file(path, NULL);
	PGconn *conn;

	cr_assert(sql != NULL, "cannot read %s", path);
	conn = hx_test_db_connect(db);
	hx_test_db_exec(conn, sql);
	PQfinish(conn);
	free(sql);
	free(path);
	return db;
}

/*
 * What each test works on, made by setup and removed by teardown whatever
 * the test reached (a failed assertion leaves the test at once; .fini
 * still runs): the marts database and an empty output directory.
 */
static char *db, *out;

static void setup(void)
{
	db = marts_db();
	out = hx_test_tempdir();
}

static void teardown(void)
{
	hx_test_db_discard(&db);
	hx_test_dir_discard(&out);
}

TestSuite(report_documents, .init = setup, .fini = teardown);

/* hoctap-report -dDB ARGS... with extra environment (both NULL-terminated). */
static void report(const char *conninfo, const char *const *args, const char *const *env,
                   struct hx_test_output *o)
{
	const char *argv[16];
	char bin[4096], dflag[512];
	size_t n = 0;

	snprintf(bin, sizeof bin, "%s", hx_test_bin("hoctap-report"));
	argv[n++] = bin;
	snprintf(dflag, sizeof dflag, "-d%s", conninfo);
	argv[n++] = dflag;
	for (; *args != NULL && n < 15; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	hx_test_run(argv, env, o);
}

static void assert_has(const char *text, const char *want, const char *where)
{
	cr_assert(strstr(text, want) != NULL, "%s lacks\n%s\n--- it has:\n%s", where, want, text);
}

/* The text of dir/name (asserting it exists). */
static char *read_in(const char *dir, const char *name)
{
	char *path = hx_asprintf("%s/%s", dir, name), *text = hx_test_read_file(path, NULL);

	cr_assert(text != NULL, "%s does not exist", path);
	free(path);
	return text;
}

/* tests/data/report/dump_xlsx.py's lines for a workbook. */
static char *dump_xlsx(const char *path)
{
	char *script = hx_test_src("tests/data/report/dump_xlsx.py");
	const char *argv[] = {"/usr/bin/python3", script, path, NULL};
	struct hx_test_output o;
	char *lines;

	hx_test_run(argv, NULL, &o);
	cr_assert(eq(int, o.status, 0), "dump_xlsx.py: %s", o.err);
	lines = o.out;
	o.out = NULL;
	hx_test_output_free(&o);
	free(script);
	return lines;
}

Test(report_documents, the_workbook_has_labelled_typed_sheets_and_says_what_it_is)
{
	char *path, *dump, *manifest;
	const char *args[] = {"-o", out, "--format", "xlsx", NULL};
	struct hx_test_output o;

	report(db, args, NULL, &o);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	path = hx_asprintf("%s/hoctap.xlsx", out);
	dump = dump_xlsx(path);
	assert_has(dump, "sheets: Giới thiệu|Tỷ lệ|So sánh|Quỹ khuyến học|Tình hình báo cáo|Chỉ tiêu|"
	                 "Xếp hạng|Lỗi và cảnh báo\n", "the workbook");
	/* What it is, when, from which files. */
	assert_has(dump, "Giới thiệu!B5=s:2026-11-22T18:00:00Z [@]\n", "the first sheet");
	assert_has(dump, "Giới thiệu!B7=s:2016–2020 [@]\n", "the first sheet");
	assert_has(dump, "=s:inbox/445_2020.csv [@]\n", "the first sheet");
	/* Labels in Vietnamese, the key in a comment, header frozen, filters on. */
	assert_has(dump, "Tỷ lệ!freeze=A2 filter=A1:W15\n", "rates");
	assert_has(dump, "Tỷ lệ!E1=s:Mã quận/huyện {district_code}\n", "rates");
	assert_has(dump, "Tỷ lệ!N1=s:Tỷ lệ trên tổng số (%) {rate_eligible}\n", "rates");
	assert_has(dump, "So sánh!T1=s:Được công nhận, năm 2020 {recognized_b}\n", "comparison");
	assert_has(dump, "So sánh!L1=s:Gần đúng (có đơn vị nhập một phần) {approximate}\n",
	           "comparison");
	/* Thị xã Hồng Lĩnh 2020 family: 70.68% = 5557 / 7862, numbers with their formats (the
	 * test marts give no district_code: E7 is empty). */
	assert_has(dump, "Tỷ lệ!C7=s:Thị xã Hồng Lĩnh [@]\nTỷ lệ!D7=s:42 [@]\nTỷ lệ!F7=n:2020 [0]\n"
	                 "Tỷ lệ!G7=s:Gia đình học tập [@]\nTỷ lệ!J7=n:7862 [#,##0]\n", "rates");
	assert_has(dump, "Tỷ lệ!N7=n:70.68 [0.00]\n", "rates");
	/* Province 42's 2020 is provisional: 3 of 4 communes reported. */
	assert_has(dump, "Tỷ lệ!W3=s:có [@]\n", "rates");
	cr_assert(strstr(dump, "Tỷ lệ!W2=s:không [@]\n") != NULL, "2016 (4 of 4 reported) marked provisional");
	/* 346,458 million VND stays exact; the period sum of 2016..2020. */
	assert_has(dump, "Quỹ khuyến học!F3=n:346458000000 [#,##0]\n", "funds");
	assert_has(dump, "Quỹ khuyến học!G3=n:346458 [#,##0]\n", "funds");
	assert_has(dump, "Quỹ khuyến học!N3=n:346458.000001 [#,##0.0#####]\n", "funds");
	assert_has(dump, "So sánh!AO2=n:27.89 [+0.00;-0.00;0.00]\n", "comparison");
	assert_has(dump, "Chỉ tiêu!O2=s:có [@]\n", "targets");
	assert_has(dump, "Lỗi và cảnh báo!B2=s:lỗi [@]\n", "findings");
	/* The manifest lists the workbook with its rows: 14 + 9 + 3 + 4 + 3 + 16 + 3. */
	manifest = read_in(out, "manifest.json");
	assert_has(manifest, "{\"name\": \"hoctap.xlsx\", \"format\": \"xlsx\", \"rows\": 52,",
	           "manifest.json");
	free(manifest);
	free(dump);
	free(path);
}

Test(report_documents, the_page_shows_the_figures_in_vietnamese_style)
{
	char *page;
	const char *args[] = {"-o", out, "--format", "html", NULL};
	struct hx_test_output o;

	report(db, args, NULL, &o);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	page = read_in(out, "index.html");
	cr_assert(page != NULL);
	assert_has(page, "<html lang=\"vi\">", "index.html");
	assert_has(page, "<h1>Xây dựng xã hội học tập: số liệu năm 2020</h1>", "index.html");
	assert_has(page, "<h2>Tỉnh Hà Tĩnh (42), 2020</h2>", "index.html");
	/* The headline: 309.845 of 438.400, 70,68% against a 70% target, +0,68 points. */
	assert_has(page, "<tr><th scope=\"row\">Gia đình học tập</th><td class=\"n\">309.845</td>"
	                 "<td class=\"n\">438.400 <span class=\"base\">tổng số</span></td>"
	                 "<td class=\"n\">70,68%</td><td class=\"n\">70,00%</td>"
	                 "<td class=\"n\">+0,68</td><td class=\"n\">3/4</td></tr>", "index.html");
	/* The change 2016 -> 2020: 42,79% to 70,68%, +27,89 points, +130.144. */
	assert_has(page, "<td class=\"n\">42,79%</td><td class=\"n\">70,68%</td>"
	                 "<td class=\"n\">+27,89</td><td class=\"n\">179.701</td>"
	                 "<td class=\"n\">309.845</td><td class=\"n\">+130.144</td>", "index.html");
	/* Who has not reported, by name; what was kept out; the fund over the period. */
	assert_has(page, "Xã Thạch Trị (18109)", "index.html");
	assert_has(page, "recognized 1200 exceeds registered 900 (&quot;đạt&quot; &gt; "
	                 "&quot;đăng ký&quot;)", "index.html");
	assert_has(page, "Vận động giai đoạn 2016–2020: 346.458,000001 triệu đồng.", "index.html");
	assert_has(page, "<p class=\"note\">Số liệu tạm tính:", "index.html");
	/*
	 * Districts ranked per title: families Hà Tĩnh city 76,83% (1), Hồng Lĩnh
	 * 70,68% (2); communities 50,00% twice share rank 1; Kỳ Anh has no base,
	 * so no rate and no rank.
	 */
	assert_has(page, "<th scope=\"row\">Thị xã Hồng Lĩnh</th><td class=\"n\">70,68% "
	                 "<span class=\"rk\">(2)</span></td><td class=\"n\">–</td>", "index.html");
	assert_has(page, "<th scope=\"row\">Huyện Thạch Hà</th><td class=\"n\">68,00% "
	                 "<span class=\"rk\">(3)</span></td><td class=\"n\">50,00% "
	                 "<span class=\"rk\">(1)</span></td>", "index.html");
	assert_has(page, "<th scope=\"row\">Thị xã Kỳ Anh</th><td class=\"n\">–</td>",
	           "index.html");
	cr_assert(strstr(page, "<script") == NULL, "the page has a script");
	cr_assert(strstr(page, "http://") == NULL || strstr(page, "http://www.w3.org/2000/svg"),
	          "the page refers to the network");
	cr_assert(strstr(page, "src=") == NULL && strstr(page, "@import") == NULL &&
	          strstr(page, "url(") == NULL, "the page loads a file");
	free(page);
}

Test(report_documents, lang_en_makes_the_documents_english)
{
	char *page;
	const char *args[] = {"-o", out, "--format", "html", "--lang", "en", NULL};
	const char *fargs[] = {"--facts", "42", "2020", NULL};
	const char *env[] = {"HOCTAP_LANG=en", NULL};
	struct hx_test_output o;

	report(db, args, NULL, &o);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	page = read_in(out, "index.html");
	assert_has(page, "<html lang=\"en\">", "index.html");
	assert_has(page, "<td class=\"n\">309,845</td>", "index.html");
	assert_has(page, "<td class=\"n\">70.68%</td>", "index.html");
	free(page);
	report(db, fargs, env, &o);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	assert_has(o.out, "- In 2020, Tỉnh Hà Tĩnh: Learning families, 309,845 recognized out of "
	                  "438,400 eligible, a rate of 70.68%. Provisional: 3 of 4 units have "
	                  "reported.\n", "--facts");
	hx_test_output_free(&o);
}

Test(report_documents, facts_quote_figures_with_their_sources)
{
	const char *one[] = {"--facts", "437", "2020", NULL};
	const char *period[] = {"--facts", "42", "2016:2020", NULL};
	struct hx_test_output o;

	report(db, one, NULL, &o);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	assert_has(o.out, "Thị xã Hồng Lĩnh (437), 2020\n", "--facts");
	assert_has(o.out, "- Năm 2020, Thị xã Hồng Lĩnh: Gia đình học tập, 5.557 được công nhận trên "
	                  "tổng số 7.862, đạt tỷ lệ 70,68%.\n  Nguồn: rates.csv (437, 2020, family); "
	                  "tệp: inbox/437_2020.csv; hoctap-report --explain 437 2020 family\n",
	           "--facts");
	hx_test_output_free(&o);
	report(db, period, NULL, &o);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	assert_has(o.out, "- Từ năm 2016 đến năm 2020, Tỉnh Hà Tĩnh: tỷ lệ Gia đình học tập tăng từ "
	                  "42,79% lên 70,68%, tăng 27,89 điểm phần trăm; số được công nhận từ "
	                  "179.701 lên 309.845 (+130.144).\n", "--facts");
	assert_has(o.out, "- Giai đoạn 2016–2020, Tỉnh Hà Tĩnh vận động được 346.458,000001 triệu "
	                  "đồng cho quỹ khuyến học. Chỉ 2 trong 5 năm có số liệu quỹ (2016 2020).\n",
	           "--facts");
	assert_has(o.out, "tệp: inbox/436_quy_2020.csv, inbox/437_quy_2020.csv, "
	                  "inbox/445_hocbong_2020.csv và 1 tệp khác;", "--facts");
	assert_has(o.out, "- Học bổng 2016–2020, Tỉnh Hà Tĩnh: 1.203 suất, trị giá 953 triệu đồng.\n",
	           "--facts");
	hx_test_output_free(&o);
}

Test(report_documents, no_figures_is_65_with_nothing_written)
{
	const char *page[] = {"-o", out, "--format", "csv,html", "--compare", "2016:2019", NULL};
	const char *noscope[] = {"--lang=vi", "--facts", "99", "2020", NULL};
	const char *noyear[] = {"--lang=en", "--facts", "437", "2016:2018", NULL};
	struct hx_test_output o;

	report(db, page, NULL, &o);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	assert_has(o.err, "--compare 2016:2019: the marts hold no figures of 2019", "stderr");
	hx_test_output_free(&o);
	cr_assert(eq(int, hx_test_count_files(out), 0), "files were written though the page failed");
	report(db, noscope, NULL, &o);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	assert_has(o.err, "không có số liệu của đơn vị 99", "stderr");
	cr_assert(eq(int, (int)strlen(o.out), 0), "printed: %s", o.out);
	hx_test_output_free(&o);
	report(db, noyear, NULL, &o);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	assert_has(o.err, "no figures for Thị xã Hồng Lĩnh (437) in 2016–2018: it has figures for 2020 "
	                  "to 2020", "stderr");
	hx_test_output_free(&o);
}

/* --facts without a year, or with years backwards or not a year, and an unknown format: 64. */
Test(report_documents, bad_facts_or_format_arguments_are_64)
{
	const char *bad[][4] = {{"--facts", "42", NULL, NULL},
	                        {"--facts", "42", "2020:2016", NULL},
	                        {"--facts", "42", "20x0", NULL},
	                        {"--format", "pdf", NULL, NULL}};
	struct hx_test_output o;

	for (size_t i = 0; i < lengthof(bad); i++) {
		report(db, bad[i], NULL, &o);
		cr_assert(eq(int, o.status, 64), "%s: %s", bad[i][0], o.err);
		hx_test_output_free(&o);
	}
}

/*
 * Without --compare (the nightly chain's run), the page falls back to the
 * latest year a province has figures for, saying it has no comparison, and
 * a database with no province figure at all gets every file but the page,
 * with a warning: a first night is not an error.
 */
Test(report_documents, without_compare_the_page_shows_the_latest_year_or_is_skipped)
{
	char *page;
	const char *args[] = {"-o", out, "--format", "csv,html", NULL};
	struct hx_test_output o;
	PGconn *conn = hx_test_db_connect(db);

	hx_test_db_exec(conn, "DELETE FROM mart.rates WHERE year = 2020");
	report(db, args, NULL, &o);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	page = read_in(out, "index.html");
	assert_has(page, "<h1>Xây dựng xã hội học tập: số liệu năm 2016</h1>", "index.html");
	assert_has(page, "Hai năm so sánh mặc định, 2016 và 2020, không có số liệu", "index.html");
	cr_assert(strstr(page, "Thay đổi từ năm") == NULL, "a change shown without a comparison");
	free(page);

	hx_test_db_exec(conn, "DELETE FROM mart.rates");
	hx_test_rmtree(out);
	report(db, args, NULL, &o);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	assert_has(o.err, "no province has figures yet: index.html is not written", "stderr");
	hx_test_output_free(&o);
	page = hx_asprintf("%s/index.html", out);
	cr_assert(hx_test_exists(page) == 0, "a page was written without figures");
	free(page);
	page = read_in(out, "manifest.json");
	cr_assert(page != NULL && strstr(page, "index.html") == NULL, "the manifest lists a page");
	free(page);
	PQfinish(conn);
}
