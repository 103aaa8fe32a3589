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
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "testsupport.h"

#define INGEST(db, ...) \
	hx_test_program("hoctap-ingest", (db), (const char *const[]){__VA_ARGS__, NULL})

/* What each test works on, made by setup and removed by teardown, whatever the test reached. */
static char *db;              /* hx_test_small_db */
static struct hx_test_dirs d; /* inbox/, archive/, rejected/ */

static void setup(void)
{
	db = hx_test_small_db();
	d = hx_test_dirs_make();
}

static void teardown(void)
{
	hx_test_dirs_free(&d);
	hx_test_db_discard(&db);
}

TestSuite(ingest_rejects, .init = setup, .fini = teardown, .timeout = 120);

/* The error.txt beside a rejected file, as a new string. */
static char *error_txt(const char *name)
{
	char *path = hx_asprintf("%s/%s.error.txt", d.rejected, name);
	char *text = hx_test_read_file(path, NULL);

	cr_assert(text != NULL, "no %s", path);
	free(path);
	return text;
}

Test(ingest_rejects, error_txt_says_what_the_file_s_reason_means_in_the_reader_s_language)
{
	struct hx_test_output o;
	char *text;

	hx_test_put(d.inbox, "a.csv", "year,title,recognized\n2020,family,3\n");
	o = INGEST(db, "--inbox", d.inbox, "--archive", d.archive, "--rejected", d.rejected);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	hx_test_output_free(&o);
	text = error_txt("a.csv");
	cr_assert(strstr(text, "reason: line 1: a tally file needs a \"unit_code\" column\n"
	                       "what to do: a column the kind of file needs is missing\n") != NULL,
	          "%s", text);
	free(text);

	hx_test_put(d.inbox, "b.csv", "");
	o = INGEST(db, "--lang", "vi", "--inbox", d.inbox, "--archive", d.archive, "--rejected",
	           d.rejected);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	hx_test_output_free(&o);
	text = error_txt("b.csv");
	cr_assert(strstr(text, "cách xử lý: tệp trống\n") != NULL, "%s", text);
	free(text);
}

/* Run hoctap-ingest on the named file of dir (the inbox not used); its result. */
static struct hx_test_output ingest_file(const char *dir, const char *name)
{
	char *path = hx_asprintf("%s/%s", dir, name);
	struct hx_test_output o = INGEST(db, path);

	free(path);
	return o;
}

static char *qtext(const char *sql)
{
	PGconn *c = hx_test_db_connect(db);
	char *v = hx_test_db_text(c, sql);

	PQfinish(c);
	return v;
}

/*
 * A commune-level community recognised at levels 1 and 2 in one file gives
 * a row per level: the level is part of what a row is about, so the two
 * load, and only two rows of one level conflict (named with their level).
 */
Test(ingest_rejects, rows_of_two_levels_do_not_conflict_rows_of_one_level_do)
{
	struct hx_test_output o;
	char *v;

	hx_test_put(d.top, "l.csv",
	            "year,unit_code,title,level,eligible,recognized\n"
	            "2020,00004,commune,1,1,1\n"
	            "2020,00004,commune,2,1,1\n"
	            "2020,00007,commune,1,1,1\n"
	            "2020,00007,commune,1,1,0\n");
	o = ingest_file(d.top, "l.csv");
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	cr_assert(strstr(o.err, "line 4 and line 5 give different values for year 2020, unit_code "
	                        "00007, title commune, level 1: neither is loaded") != NULL,
	          "%s", o.err);
	hx_test_output_free(&o);
	v = qtext("SELECT string_agg(unit_code || ':' || level, ' ' ORDER BY line) FROM staging.tally");
	cr_assert(eq(str, v, "00004:1 00004:2"));
	free(v);
}

/*
 * Two rows of a tally file for one unit, year and title with different
 * figures (recognized 2.200, then 2.250): neither loads, each reject names
 * both lines, the other rows load, and read = loaded + rejected.  The
 * title written two ways is one title.
 */
Test(ingest_rejects, two_rows_of_one_tally_with_different_figures_are_both_rejected)
{
	struct hx_test_output o;
	char *v;

	hx_test_put(d.top, "t.csv",
	            "year;unit_code;title;registered;recognized\n"
	            "2020;00004;family;3000;2.200\n"
	            "2020;00007;family;3000;2.100\n"
	            "2020;00004;Gia đình học tập;3000;2.250\n"
	            "2020;00004;clan;40;30\n");
	o = ingest_file(d.top, "t.csv");
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	cr_assert(strstr(o.err, "t.csv:2,4: line 2 and line 4 give different values for year 2020, "
	                        "unit_code 00004, title family: neither is loaded; keep the right "
	                        "one (rows not loaded)") != NULL,
	          "%s", o.err);
	hx_test_output_free(&o);
	v = qtext("SELECT string_agg(unit_code || ' ' || title || ' ' || recognized, ', ' "
	          "ORDER BY line) FROM staging.tally");
	cr_assert(eq(str, v, "00007 family 2100, 00004 clan 30"));
	free(v);
	v = qtext("SELECT string_agg(line || ' ' || reason || ' ' || value || ' ' || raw, '; ' "
	          "ORDER BY line) FROM staging.rejects");
	cr_assert(eq(str, v, "2 conflicting_rows 2020, 00004, family 2020;00004;family;3000;2.200; "
	                     "4 conflicting_rows 2020, 00004, family "
	                     "2020;00004;Gia đình học tập;3000;2.250"));
	free(v);
	v = qtext("SELECT status || ' ' || rows_read || ' ' || rows_loaded || ' ' || rows_rejected "
	          "FROM staging.files");
	cr_assert(eq(str, v, "partial 4 2 2"));
	free(v);
}

/* A third row for the key is rejected too, even when it repeats the first. */
Test(ingest_rejects, every_row_of_a_conflicting_key_is_rejected)
{
	struct hx_test_output o;
	char *v;

	hx_test_put(d.top, "f.csv",
	            "year,unit_code,mobilized_vnd\n"
	            "2020,00004,5000000\n"
	            "2020,00004,6000000\n"
	            "2020,00007,1000000\n"
	            "2020,00004,5000000\n");
	o = ingest_file(d.top, "f.csv");
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	hx_test_output_free(&o);
	v = qtext("SELECT string_agg(unit_code || ' ' || mobilized_vnd, ', ') FROM staging.fund");
	cr_assert(eq(str, v, "00007 1000000"));
	free(v);
	v = qtext("SELECT string_agg(line::text, ',' ORDER BY line) || ' ' || min(message) "
	          "FROM staging.rejects WHERE reason = 'conflicting_rows'");
	cr_assert(eq(str, v, "2,3,5 line 2 and line 3 give different values for year 2020, "
	                     "unit_code 00004: neither is loaded; keep the right one"));
	free(v);
}

/* A row that repeats an earlier one exactly is read once, with a warning; the file loads. */
Test(ingest_rejects, a_row_repeated_exactly_is_read_once_with_a_warning)
{
	struct hx_test_output o;
	char *v;

	hx_test_put(d.top, "r.csv",
	            "year,unit_code,title,registered,recognized\n"
	            "2020,00004,family,3000,2200\n"
	            "2020,00004,family,3000,2200\n"
	            "2020,00007,family,10,5\n");
	o = ingest_file(d.top, "r.csv");
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	cr_assert(strstr(o.err, "r.csv: line 3: the same values as line 2 (year 2020, unit_code "
	                        "00004, title family): read once") != NULL,
	          "%s", o.err);
	hx_test_output_free(&o);
	v = qtext("SELECT count(*) || ' ' || sum(recognized) FROM staging.tally");
	cr_assert(eq(str, v, "2 2205"));
	free(v);
	v = qtext("SELECT status || ' ' || rows_read || ' ' || rows_loaded || ' ' || rows_rejected "
	          "FROM staging.files");
	cr_assert(eq(str, v, "loaded 2 2 0"));
	free(v);
}

/*
 * A large tally file (its rows kept in a temporary file past 128 KiB): the
 * first of two conflicting rows, thousands of rows before the second, is
 * left out of the COPY, and every other row loads.
 */
Test(ingest_rejects, the_first_of_two_conflicting_rows_far_apart_is_never_loaded)
{
	struct hx_test_output o;
	FILE *f;
	char *path = hx_asprintf("%s/big.csv", d.top);
	static const char *const units[] = {"00004", "00007"};
	static const char *const titles[] = {"family", "clan", "community", "commune", "unit"};
	long rows = 0;
	char *v;

	f = fopen(path, "w");
	cr_assert(f != NULL);
	fprintf(f, "year,unit_code,title,registered,note\n");
	for (int y = 2000; y <= 2100; y++)
		for (size_t u = 0; u < 2; u++)
			for (size_t t = 0; t < 5; t++, rows++)
				fprintf(f, "%d,%s,%s,%d,a note long enough to make the rows of this file pass "
				        "the sink's spill to a temporary file at 128 KiB: %0160d\n",
				        y, units[u], titles[t], y - 1999, 0);
	fprintf(f, "2001,00004,family,7,a different figure for the key of line 12\n");
	fclose(f);
	o = ingest_file(d.top, "big.csv");
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	hx_test_output_free(&o);
	v = qtext("SELECT count(*) || ' ' || count(*) FILTER (WHERE year = 2001 AND unit_code = "
	          "'00004' AND title = 'family') FROM staging.tally");
	cr_assert(eq(str, v, "1009 0"), "rows %ld", rows);
	free(v);
	v = qtext("SELECT string_agg(line::text, ',' ORDER BY line) FROM staging.rejects");
	cr_assert(eq(str, v, "12,1012"));
	free(v);
	free(path);
}

/*
 * In JSON the rows of one submission conflict as a file's do, named by
 * their place in it; two submissions of one file are two reports.
 */
Test(ingest_rejects, two_tallies_of_one_json_submission_conflict_two_submissions_do_not)
{
	struct hx_test_output o;
	char *v;

	hx_test_put(d.top, "s.json",
	            "[{\"unit_code\": \"00004\", \"year\": 2020, \"tallies\": [\n"
	            "   {\"title\": \"family\", \"recognized\": 2200},\n"
	            "   {\"title\": \"clan\", \"recognized\": 3},\n"
	            "   {\"title\": \"family\", \"recognized\": 2250}]},\n"
	            " {\"unit_code\": \"00007\", \"year\": 2020, \"fund\": {\"mobilized_vnd\": 5}},\n"
	            " {\"unit_code\": \"00007\", \"year\": 2020, \"fund\": {\"mobilized_vnd\": 6}}]\n");
	o = ingest_file(d.top, "s.json");
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	cr_assert(strstr(o.err, "tallies[0] at line 1 and tallies[2] at line 1 give different "
	                        "values for year 2020, unit_code 00004, title family") != NULL,
	          "%s", o.err);
	hx_test_output_free(&o);
	v = qtext("SELECT (SELECT string_agg(title || ' ' || recognized, ',') FROM staging.tally) "
	          "|| ' / ' || (SELECT string_agg(mobilized_vnd::text, ',' ORDER BY line) FROM "
	          "staging.fund) || ' / ' || (SELECT count(*) FROM staging.rejects)");
	cr_assert(eq(str, v, "clan 3 / 5,6 / 2"));
	free(v);
}

/*
 * An empty JSON key names no column: ignored with a warning, as an unknown
 * key is (fuzz_jsonsub found it read past the object's keys when the
 * columns of each staging table were first listed once, in tables.h).
 */
Test(ingest_rejects, an_empty_json_key_is_ignored_with_a_warning)
{
	struct hx_test_output o;

	hx_test_put(d.inbox, "e.json",
	            "{\"unit_code\": \"00004\", \"year\": 2020, \"fund\": "
	            "{\"mobilized_vnd\": 5, \"\": 3}}\n");
	o = INGEST(db, "--inbox", d.inbox, "--archive", d.archive, "--rejected", d.rejected);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	cr_assert(strstr(o.err, "unknown key \"\" in a fund object, ignored") != NULL, "%s", o.err);
	hx_test_output_free(&o);
}

/* What lstat says path is: 'f' regular, 'l' link, 'd' directory, 'p' pipe, '-' none. */
static char kind_of(const char *dir, const char *name)
{
	char *path = hx_asprintf("%s/%s", dir, name);
	struct stat st;
	char k = '-';

	if (lstat(path, &st) == 0)
		k = S_ISREG(st.st_mode) ? 'f' : S_ISLNK(st.st_mode) ? 'l' : S_ISDIR(st.st_mode) ? 'd'
		    : S_ISFIFO(st.st_mode)                         ? 'p'
		                                                    : '?';
	free(path);
	return k;
}

/*
 * A symbolic link in the inbox to a private file outside it is not
 * followed: nothing of the target loads, the link (not a copy) goes to
 * rejected/ with its reason, the target is untouched, and the regular
 * file beside it loads and is archived.  A pipe and a directory go the
 * same way, never opened (a pipe opened for reading would hold the run).
 */
Test(ingest_rejects, the_inbox_takes_regular_files_only)
{
	struct hx_test_output o;
	char *target = hx_asprintf("%s/private.csv", d.top);
	char *link = hx_asprintf("%s/b-link.csv", d.inbox);
	char *fifo = hx_asprintf("%s/c-pipe.csv", d.inbox);
	char *sub = hx_asprintf("%s/d-folder", d.inbox);
	char *v, *text, *summary;

	hx_test_put(d.top, "private.csv", "year,unit_code,title,recognized\n2020,00007,clan,99\n");
	hx_test_put(d.inbox, "a.csv", "year,unit_code,title,recognized\n2020,00004,family,3\n");
	cr_assert(symlink(target, link) == 0);
	cr_assert(mkfifo(fifo, 0644) == 0);
	cr_assert(mkdir(sub, 0755) == 0);
	o = INGEST(db, "--inbox", d.inbox, "--archive", d.archive, "--rejected", d.rejected,
	           "--summary", d.summary);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	cr_assert(strstr(o.err, "b-link.csv: rejected, nothing loaded: not a regular file but a "
	                        "symbolic link: never read") != NULL,
	          "%s", o.err);
	cr_assert(strstr(o.err, "c-pipe.csv: rejected, nothing loaded: not a regular file but a "
	                        "named pipe: never read") != NULL,
	          "%s", o.err);
	cr_assert(strstr(o.err, "d-folder: rejected, nothing loaded: not a regular file but a "
	                        "directory: never read") != NULL,
	          "%s", o.err);
	hx_test_output_free(&o);

	v = qtext("SELECT string_agg(unit_code || ' ' || title, ',') FROM staging.tally");
	cr_assert(eq(str, v, "00004 family"), "only the regular file loads");
	free(v);
	v = qtext("SELECT string_agg(name, ',') FROM staging.files");
	cr_assert(eq(str, v, "a.csv"));
	free(v);
	cr_assert(eq(int, kind_of(d.archive, "a.csv"), 'f'));
	cr_assert(eq(int, kind_of(d.rejected, "b-link.csv"), 'l'), "the link itself moved");
	cr_assert(eq(int, kind_of(d.rejected, "c-pipe.csv"), 'p'));
	cr_assert(eq(int, kind_of(d.rejected, "d-folder"), 'd'));
	cr_assert(eq(int, hx_test_count_files(d.inbox), 0));
	cr_assert(eq(int, kind_of(d.top, "private.csv"), 'f'), "the link's target is untouched");
	text = error_txt("b-link.csv");
	cr_assert(strstr(text, "reason: not a regular file but a symbolic link: never read\n"
	                       "what to do: not a regular file") != NULL,
	          "%s", text);
	cr_assert(strstr(text, "sha256:") == NULL, "nothing of it was read: %s", text);
	free(text);
	summary = hx_test_read_file(d.summary, NULL);
	cr_assert(strstr(summary, "\"reason\": \"not_regular_file\"") != NULL, "%s", summary);
	free(summary);
	free(target);
	free(link);
	free(fifo);
	free(sub);
}

/*
 * An entry that cannot be moved is left in the inbox and named, and the run
 * goes on: here a directory holding the rejected/ directory itself.
 */
Test(ingest_rejects, an_entry_that_cannot_be_moved_is_left_and_named)
{
	struct hx_test_output o;
	char *box = hx_asprintf("%s/box", d.inbox);
	char *rejected = hx_asprintf("%s/box/rejected", d.inbox);

	cr_assert(mkdir(box, 0755) == 0);
	cr_assert(mkdir(rejected, 0755) == 0);
	hx_test_put(d.inbox, "z.csv", "year,unit_code,title,recognized\n2020,00004,family,3\n");
	o = INGEST(db, "--inbox", d.inbox, "--archive", d.archive, "--rejected", rejected);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	cr_assert(strstr(o.err, "box: left in the inbox, not moved to ") != NULL, "%s", o.err);
	hx_test_output_free(&o);
	cr_assert(eq(int, kind_of(d.inbox, "box"), 'd'));
	cr_assert(eq(int, hx_test_count_files(rejected), 0), "no reason beside nothing");
	cr_assert(eq(int, kind_of(d.archive, "z.csv"), 'f'), "the run went on");
	free(box);
	free(rejected);
}
