/*
 * Hostile names in the documents: a province, a district and a finding
 * whose names hold <script>, &, both quotes, and a name of 1,000
 * characters with no space.  The page escapes them (no element comes from
 * data, the browser's DOM shows the text as written); the long name fits
 * the page (cut in charts, wrapped in tables); outside the page they are
 * kept whole: the workbook keeps every character (read back by openpyxl)
 * and --facts prints them as text.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "testsupport.h"

#define EVIL "Tỉnh <script>alert('x')</script> & \"Bến Tre\""

static void assert_has(const char *text, const char *want, const char *where)
{
	cr_assert(strstr(text, want) != NULL, "%s lacks\n%.300s\n--- it has:\n%.3000s", where, want,
	          text);
}

/* Each test's database and output directory, made by setup, removed by teardown whatever it reached. */
static char *db, *out;
static char longname[1100]; /* "Huyện" and 995 letters: 1,000 characters, no space */

static void setup(void)
{
	db = hx_test_db_create(1);
	out = hx_test_tempdir();
}

static void teardown(void)
{
	hx_test_dir_discard(&out);
	hx_test_db_discard(&db);
}

TestSuite(security_documents, .init = setup, .fini = teardown, .timeout = 300);

/* Run hoctap-report with args (NULL-terminated, at most 8) on the suite's database. */
static struct hx_test_output report(const char *const *args)
{
	char bin[4096], dflag[256];
	const char *argv[12];
	size_t n = 0;
	struct hx_test_output o;

	snprintf(bin, sizeof bin, "%s", hx_test_bin("hoctap-report"));
	snprintf(dflag, sizeof dflag, "-d%s", db);
	argv[n++] = bin;
	argv[n++] = dflag;
	for (; *args != NULL && n < 11; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	hx_test_run(argv, NULL, &o);
	return o;
}

/*
 * The marts of tests/data/report/marts.sql, with the hostile names: EVIL
 * for province 42, the long name for district 437, markup in a finding of
 * 18109; the documents written into out/ (csv, xlsx, html).
 */
static void hostile_documents(void)
{
	char *marts = hx_test_src("tests/data/report/marts.sql"), *sql = hx_test_read_file(marts, NULL);
	char *update;
	struct hx_test_output o;
	PGconn *conn;

	memset(longname, 0, sizeof longname);
	memcpy(longname, "Huyện", strlen("Huyện"));
	/* "Huyện" (5 characters, 7 bytes) and 995 letters: 1,000 characters. */
	for (size_t i = strlen(longname); i < 1002; i++)
		longname[i] = (char)('a' + i % 26);
	conn = hx_test_db_connect(db);
	hx_test_db_exec(conn, sql);
	update = hx_asprintf("UPDATE mart.rates SET scope_name = $$%s$$ WHERE scope_code = '42';"
	                     "UPDATE mart.funds SET scope_name = $$%s$$ WHERE scope_code = '42';"
	                     "UPDATE mart.rates SET scope_name = '%s' WHERE scope_code = '437';"
	                     "UPDATE mart.findings SET message = $$<img src=x onerror=alert(1)> "
	                     "\"quoted\" & 'single'$$ WHERE unit_code = '18109';",
	                     EVIL, EVIL, longname);
	hx_test_db_exec(conn, update);
	PQfinish(conn);
	o = report((const char *const[]){"-o", out, "--format", "csv,xlsx,html", NULL});
	cr_assert(eq(int, o.status, 0), "report: %s", o.err);
	hx_test_output_free(&o);
	free(update);
	free(sql);
	free(marts);
}

/* out/index.html, as a new string. */
static char *page_text(void)
{
	char *path = hx_asprintf("%s/index.html", out), *page = hx_test_read_file(path, NULL);

	cr_assert(page != NULL, "no %s", path);
	free(path);
	return page;
}

Test(security_documents, names_are_escaped_in_the_page)
{
	char *page;

	hostile_documents();
	page = page_text();
	cr_assert(strstr(page, "<script") == NULL, "a name became a script element");
	cr_assert(strstr(page, "<img") == NULL, "a message became an element");
	assert_has(page, "<h2>Tỉnh &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
	                 "&quot;Bến Tre&quot; (42), 2020</h2>", "index.html");
	assert_has(page, "&lt;img src=x onerror=alert(1)&gt; &quot;quoted&quot; &amp; &#39;single&#39;",
	           "index.html");
	free(page);
	if (access("/usr/bin/chromium", X_OK) == 0) {
		/* The browser's own reading: the names are text, not markup. */
		char *profile = hx_test_tempdir(), *udd = hx_asprintf("--user-data-dir=%s", profile);
		char *url = hx_asprintf("file://%s/index.html", out);
		const char *c[] = {"/usr/bin/chromium", "--headless", geteuid() == 0 ? "--no-sandbox"
		                                                                     : "--disable-gpu",
		                   "--disable-gpu", "--no-first-run", "--disable-background-networking",
		                   "--disable-component-update", "--disable-sync", udd, "--dump-dom",
		                   url, NULL};
		struct hx_test_output o;

		hx_test_run(c, NULL, &o);
		cr_assert(eq(int, o.status, 0), "chromium: %s", o.err);
		cr_assert(strstr(o.out, "<script") == NULL && strstr(o.out, "<img") == NULL,
		          "the browser built an element from data");
		assert_has(o.out, "Tỉnh &lt;script&gt;alert('x')&lt;/script&gt; &amp; \"Bến Tre\"",
		           "the DOM");
		hx_test_output_free(&o);
		hx_test_rmtree(profile);
		free(profile);
		free(udd);
		free(url);
	}
}

Test(security_documents, a_long_name_fits_the_page)
{
	char *page;

	hostile_documents();
	page = page_text();
	/* In a chart the long name is cut to 30 characters, whole in its tooltip and table. */
	assert_has(page, ">Huyệnhijklmnopqrstuvwxyzabcde…<title>Huyện", "index.html");
	assert_has(page, "<tr><th scope=\"row\">Huyện", "index.html");
	/* Fixed table layout with wrapping: a long name cannot push a table off the page. */
	assert_has(page, "table-layout:fixed", "index.html");
	assert_has(page, "overflow-wrap:break-word", "index.html");
	free(page);
}

Test(security_documents, names_are_kept_whole_outside_the_page)
{
	char *dump_py = hx_test_src("tests/data/report/dump_xlsx.py");
	char *xlsx = hx_asprintf("%s/hoctap.xlsx", out);
	char *want;
	struct hx_test_output o;

	hostile_documents();
	{
		const char *d[] = {"/usr/bin/python3", dump_py, xlsx, NULL};

		want = hx_asprintf("=s:%s [@]\n", longname);
		hx_test_run(d, NULL, &o);
		cr_assert(eq(int, o.status, 0), "%s", o.err);
		assert_has(o.out, "Tỷ lệ!C2=s:" EVIL " [@]\n", "the workbook");
		assert_has(o.out, want, "the workbook (1,000 characters kept)");
		assert_has(o.out, "=s:<img src=x onerror=alert(1)> \"quoted\" & 'single' [@]",
		           "the workbook");
		free(want);
		hx_test_output_free(&o);
	}
	o = report((const char *const[]){"--facts", "42", "2020", NULL});
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	assert_has(o.out, EVIL " (42), 2020\n", "--facts");
	hx_test_output_free(&o);
	free(dump_py);
	free(xlsx);
}
