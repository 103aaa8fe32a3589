/*
 * Hostile names in the documents: a province, a district and a finding
 * whose names hold <script>, &, both quotes, and a name of 1,000
 * characters with no space.  The page escapes them (no element comes from
 * data, the browser's DOM shows the text as written), cuts the long name
 * in charts and wraps it in tables; the workbook keeps every character
 * (read back by openpyxl); --facts prints them as text.
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

/* The test's database and output directory, made by setup, removed by teardown whatever it reached. */
static char *db, *out;

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

Test(security_documents, names_are_escaped_wrapped_and_kept_whole)
{
	char *marts = hx_test_src("tests/data/report/marts.sql"), *sql = hx_test_read_file(marts, NULL);
	char *dump_py = hx_test_src("tests/data/report/dump_xlsx.py");
	char *page_path = hx_asprintf("%s/index.html", out), *xlsx = hx_asprintf("%s/hoctap.xlsx", out);
	char longname[1100], *update, report[4096], dflag[256], *page;
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
	snprintf(report, sizeof report, "%s", hx_test_bin("hoctap-report"));
	snprintf(dflag, sizeof dflag, "-d%s", db);
	{
		const char *r[] = {report, dflag, "-o", out, "--format", "csv,xlsx,html", NULL};

		hx_test_run(r, NULL, &o);
		cr_assert(eq(int, o.status, 0), "report: %s", o.err);
		hx_test_output_free(&o);
	}
	page = hx_test_read_file(page_path, NULL);
	cr_assert(page != NULL);
	cr_assert(strstr(page, "<script") == NULL, "a name became a script element");
	cr_assert(strstr(page, "<img") == NULL, "a message became an element");
	assert_has(page, "<h2>Tỉnh &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
	                 "&quot;Bến Tre&quot; (42), 2020</h2>", "index.html");
	assert_has(page, "&lt;img src=x onerror=alert(1)&gt; &quot;quoted&quot; &amp; &#39;single&#39;",
	           "index.html");
	/* In a chart the long name is cut to 30 characters, whole in its tooltip and table. */
	assert_has(page, ">Huyệnhijklmnopqrstuvwxyzabcde…<title>Huyện", "index.html");
	assert_has(page, "<tr><th scope=\"row\">Huyện", "index.html");
	/* Fixed table layout with wrapping: a long name cannot push a table off the page. */
	assert_has(page, "table-layout:fixed", "index.html");
	assert_has(page, "overflow-wrap:break-word", "index.html");
	{
		const char *d[] = {"/usr/bin/python3", dump_py, xlsx, NULL};
		char *want = hx_asprintf("=s:%s [@]\n", longname);

		hx_test_run(d, NULL, &o);
		cr_assert(eq(int, o.status, 0), "%s", o.err);
		assert_has(o.out, "Tỷ lệ!C2=s:" EVIL " [@]\n", "the workbook");
		assert_has(o.out, want, "the workbook (1,000 characters kept)");
		assert_has(o.out, "=s:<img src=x onerror=alert(1)> \"quoted\" & 'single' [@]",
		           "the workbook");
		free(want);
		hx_test_output_free(&o);
	}
	{
		const char *f[] = {report, dflag, "--facts", "42", "2020", NULL};

		hx_test_run(f, NULL, &o);
		cr_assert(eq(int, o.status, 0), "%s", o.err);
		assert_has(o.out, EVIL " (42), 2020\n", "--facts");
		hx_test_output_free(&o);
	}
	if (access("/usr/bin/chromium", X_OK) == 0) {
		/* The browser's own reading: the names are text, not markup. */
		char *profile = hx_test_tempdir(), *udd = hx_asprintf("--user-data-dir=%s", profile);
		char *url = hx_asprintf("file://%s", page_path);
		const char *c[] = {"/usr/bin/chromium", "--headless", geteuid() == 0 ? "--no-sandbox"
		                                                                     : "--disable-gpu",
		                   "--disable-gpu", "--no-first-run", "--disable-background-networking",
		                   "--disable-component-update", "--disable-sync", udd, "--dump-dom",
		                   url, NULL};

		hx_test_run(c, NULL, &o);
		cr_assert(eq(int, o.status, 0), "chromium: %s", o.err);
		cr_assert(strstr(o.out, "<script") == NULL && strstr(o.out, "<img") == NULL,
		          "the browser built an element from data");
		assert_has(o.out, "Tỉnh &lt;script&gt;alert('x')&lt;/script&gt; &amp; \"Bến Tre\"",
		           "the DOM");
		hx_test_output_free(&o);
		{
			const char *rm[] = {"/bin/rm", "-rf", profile, NULL};

			hx_test_run(rm, NULL, &o);
			hx_test_output_free(&o);
		}
		free(profile);
		free(udd);
		free(url);
	}
	free(page);
	free(update);
	free(sql);
	free(marts);
	free(dump_py);
	free(page_path);
	free(xlsx);
}
