/*
 * How hoctap-ingest tells a clerk what was rejected and why, against the
 * real database: the reason's meaning in NAME.error.txt, in the reader's
 * language; two rows of one file that give one list different figures
 * (conflicting rows); and what the inbox takes (regular files only).
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

TestSuite(ingest_rejects, .init = setup, .fini = teardown, .timeout = 120);

/* The error.txt beside a rejected file, as a new string. */
static char *error_txt(const struct hx_test_dirs *d, const char *name)
{
	char *path = hx_asprintf("%s/%s.error.txt", d->rejected, name);
	char *text = hx_test_read_file(path, NULL);

	cr_assert(text != NULL, "no %s", path);
	free(path);
	return text;
}

Test(ingest_rejects, error_txt_says_what_the_file_s_reason_means_in_the_reader_s_language)
{
	struct hx_test_dirs d = hx_test_dirs_make();
	struct hx_test_output o;
	char *text;

	hx_test_put(d.inbox, "a.csv", "year,title,recognized\n2020,family,3\n");
	o = INGEST(db, "--inbox", d.inbox, "--archive", d.archive, "--rejected", d.rejected);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	hx_test_output_free(&o);
	text = error_txt(&d, "a.csv");
	cr_assert(strstr(text, "reason: line 1: a tally file needs a \"unit_code\" column\n"
	                       "what to do: a column the kind of file needs is missing\n") != NULL,
	          "%s", text);
	free(text);

	hx_test_put(d.inbox, "b.csv", "");
	o = INGEST(db, "--lang", "vi", "--inbox", d.inbox, "--archive", d.archive, "--rejected",
	           d.rejected);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	hx_test_output_free(&o);
	text = error_txt(&d, "b.csv");
	cr_assert(strstr(text, "cách xử lý: tệp trống\n") != NULL, "%s", text);
	free(text);
	hx_test_dirs_free(&d);
}

/*
 * An empty JSON key names no column: ignored with a warning, as an unknown
 * key is (fuzz_jsonsub found it read past the object's keys, c400dd5).
 */
Test(ingest_rejects, an_empty_json_key_is_ignored_with_a_warning)
{
	struct hx_test_dirs d = hx_test_dirs_make();
	struct hx_test_output o;

	hx_test_put(d.inbox, "e.json",
	            "{\"unit_code\": \"00004\", \"year\": 2020, \"fund\": "
	            "{\"mobilized_vnd\": 5, \"\": 3}}\n");
	o = INGEST(db, "--inbox", d.inbox, "--archive", d.archive, "--rejected", d.rejected);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	cr_assert(strstr(o.err, "unknown key \"\" in a fund object, ignored") != NULL, "%s", o.err);
	hx_test_output_free(&o);
	hx_test_dirs_free(&d);
}
