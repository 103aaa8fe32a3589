/*
 * docs/vi/formats.md, the page for a commune's clerk, against the
 * programs: every CSV example it gives for copying loads as is, with the
 * real hoctap-ingest and the sample units, every row of it; and its table
 * of reasons (§11) is, row for row, what hoctap-ingest --lang vi says
 * (ingest/reasons.h through po/vi.po).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "i18n.h"
#include "reasons.h"
#include "testsupport.h"

#define INGEST(db, ...) \
	hx_test_program("hoctap-ingest", (db), (const char *const[]){__VA_ARGS__, NULL})

static char *read_page(void)
{
	char *path = hx_test_src("docs/vi/formats.md");
	char *text = hx_test_read_file(path, NULL);

	cr_assert(text != NULL, "%s", path);
	free(path);
	return text;
}

/*
 * The test's database, made by setup and dropped by teardown whatever the
 * test reached (a failed assertion leaves the test at once; .fini still
 * runs).
 */
static char *db;

static void setup(void)
{
	db = hx_test_db_create(1);
}

static void teardown(void)
{
	hx_test_db_discard(&db);
}

TestSuite(docs_vi, .init = setup, .fini = teardown);

Test(docs_vi, every_csv_example_loads_as_is, .timeout = 120)
{
	/* in the page's order: a tally, a tally by level and group, a fund, a register */
	static const long rows[] = {5, 4, 2, 4};
	char *page = read_page(), *units = hx_test_src("samples/units.csv");
	struct hx_test_dirs d = hx_test_dirs_make();
	struct hx_test_output o;
	PGconn *conn;
	size_t n = 0;

	o = INGEST(db, "--units", units);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	for (char *p = page; (p = strstr(p, "```csv\n")) != NULL; n++) {
		char *end = strstr(p + 7, "```");
		char name[64];
		char *body;

		cr_assert(end != NULL);
		body = hx_strndup(p + 7, (size_t)(end - p - 7));
		snprintf(name, sizeof name, "2025-01-15-vi-%zu.csv", n);
		hx_test_put(d.inbox, name, body);
		free(body);
		p = end + 3;
	}
	cr_assert(eq(sz, n, 4), "the page gives two tallies, a fund and a register example");
	o = INGEST(db, "--inbox", d.inbox, "--archive", d.archive, "--rejected", d.rejected);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	conn = hx_test_db_connect(db);
	for (size_t i = 0; i < n; i++) {
		char *sql = hx_asprintf("SELECT status || ' ' || rows_loaded FROM staging.files WHERE "
		                        "name = '2025-01-15-vi-%zu.csv'", i);
		char want[32];

		snprintf(want, sizeof want, "loaded %ld", rows[i]);
		hx_test_assert_value(conn, want, "%s", sql);
		free(sql);
	}
	hx_test_assert_value(conn, "352", "SELECT recognized FROM staging.tally WHERE "
	                                  "unit_code = '22975' AND title = 'family'");
	hx_test_assert_value(conn, "142500000", "SELECT mobilized_vnd FROM staging.fund WHERE "
	                                        "unit_code = '22975'");
	PQfinish(conn);
	hx_test_dirs_free(&d);
	free(units);
	free(page);
}

Test(docs_vi, reasons_are_those_hoctap_ingest_says_in_vietnamese)
{
	char *page = read_page();
	char *sec = strstr(page, "\n## 11. "), *end, *at;

	cr_assert(sec != NULL, "docs/vi/formats.md has no section 11");
	end = strstr(sec + 1, "\n## ");
	cr_assert(end != NULL);
	*end = '\0';
	cr_assert(eq(int, hx_i18n_init("vi"), 0));
	at = sec;
	for (int r = REASON_NONE + 1; r < REASON_COUNT; r++) {
		char *row = hx_asprintf("\n| `%s` | %s |\n", reason_code((enum reason)r),
		                        reason_meaning((enum reason)r));
		char *hit = strstr(at, row);

		cr_expect(hit != NULL, "§11 has no row, after the previous one, %s", row);
		if (hit != NULL)
			at = hit + 1;
		free(row);
	}
	hx_i18n_init("en");
	free(page);
}
