/*
 * test_loud_nights.c — a night is never silently wrong (issue 22, docs/design.md
 * §9.6), against a real database: a transform whose error findings newly
 * keep values out of the figures exits 65 and lists them (unit, year,
 * title, reason, file:line), once; the report's findings list the rows
 * ingest rejected; the manifest lists only the files the marts hold; a
 * negative count is "negative", not "not_a_number"; --explain with an
 * unknown title, --compare and --close on years without figures are
 * refused; -d takes a bare database name; connections set
 * client_connection_check_interval; and the test suite's temporary
 * directories go away with the process that made them.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h"
#include "testsupport.h"

#define RUN(program, db, ...) \
	hx_test_program((program), (db), (const char *const[]){__VA_ARGS__, NULL})

/* Each test: a fresh small database, a temporary directory, a connection (db, dir, conn). */
HX_TEST_SMALL_SUITE(loud);

/* A file in the suite's directory, written, its path returned (caller frees). */
static char *put_file(const char *name, const char *text)
{
	hx_test_put(dir, name, text);
	return hx_asprintf("%s/%s", dir, name);
}

/* Ingest one named file, asserting the exit status. */
static void ingest(const char *path, int want)
{
	struct hx_test_output o = RUN("hoctap-ingest", db, path);

	cr_assert(eq(int, o.status, want), "ingest %s: %s", path, o.err);
	hx_test_output_free(&o);
}

static int count_lines_with(const char *text, const char *needle)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

Test(loud, a_new_exclusion_is_listed_and_exits_65_once)
{
	char *a = put_file("2021-01-15-a.csv",
	                   "year,unit_code,title,eligible,registered,recognized\n"
	                   "2020,00004,family,5000,4100,4200\n"
	                   "2020,00007,family,3000,2000,1500\n");
	char *b = put_file("2021-01-16-b.csv",
	                   "year,unit_code,title,eligible,registered,recognized\n"
	                   "2020,00007,clan,,10,12\n");
	struct hx_test_output o;

	ingest(a, 0);
	o = RUN("hoctap-transform", db, "-q");
	cr_assert(eq(int, o.status, 65), "transform: %s", o.err);
	/* Unit, name, year, title, reason and file:line, on one line. */
	cr_assert(strstr(o.err, "2021-01-15-a.csv:2: 00004 Phường Trúc Bạch, 2020, family: "
	                        "recognized 4,200 > registered 4,100: exemplary <= recognized <= "
	                        "registered <= eligible must hold (invariant_breach)") != NULL,
	          "%s", o.err);
	cr_assert(strstr(o.err, "hoctap-transform: error: 1 new error finding keeps a value out "
	                        "of the figures") != NULL, "%s", o.err);
	hx_test_output_free(&o);
	/* The commune is out of the district's figure, and the rest is built. */
	hx_test_assert_value(conn, "1500|3000|1",
	                     "SELECT concat_ws('|', recognized, eligible, units_reporting) "
	                     "FROM mart.rates WHERE scope_code = '001' AND year = 2020 "
	                     "AND title = 'family'");

	/* Nothing new: 0 and silent, however often it runs, --full too. */
	o = RUN("hoctap-transform", db, "-q");
	cr_assert(eq(int, o.status, 0), "second transform: %s", o.err);
	cr_assert(eq(str, o.err, ""));
	hx_test_output_free(&o);
	o = RUN("hoctap-transform", db, "--full");
	cr_assert(eq(int, o.status, 0), "--full: %s", o.err);
	cr_assert(eq(str, o.err, ""));
	hx_test_output_free(&o);

	/* A later night's new exclusion is listed alone. */
	ingest(b, 0);
	o = RUN("hoctap-transform", db, "-v");
	cr_assert(eq(int, o.status, 65), "third transform: %s", o.err);
	cr_assert(strstr(o.err, "2021-01-16-b.csv:2: 00007 Phường Vĩnh Phúc, 2020, clan: "
	                        "recognized 12 > registered 10") != NULL, "%s", o.err);
	cr_assert(eq(int, count_lines_with(o.err, "(invariant_breach)"), 1), "%s", o.err);
	cr_assert(strstr(o.err, "00004") == NULL, "the old exclusion is told again: %s", o.err);
	hx_test_output_free(&o);

	free(a);
	free(b);
}

/*
 * A night of three files — one with a row rejected, a duplicate of it, one
 * rejected whole — transformed and reported into dir/out; the path of one
 * of its outputs (caller frees).
 */
static char *report_three_files(const char *output)
{
	char *good = put_file("2021-01-15-good.csv",
	                      "year,unit_code,title,eligible,registered,recognized\n"
	                      "2020,00004,family,5000,4100,4000\n"
	                      "2020,00007,family,3000,2000,1O00\n");
	char *dup = put_file("2021-01-16-copy.csv",
	                     "year,unit_code,title,eligible,registered,recognized\n"
	                     "2020,00004,family,5000,4100,4000\n"
	                     "2020,00007,family,3000,2000,1O00\n");
	char *bad = put_file("2021-01-17-bad.csv", "year;unit_code\n2020;00004\n");
	char *out = hx_asprintf("%s/out", dir), *path = hx_asprintf("%s/%s", out, output);
	struct hx_test_output o;

	ingest(good, 65);
	ingest(dup, 0);
	ingest(bad, 65);
	o = RUN("hoctap-transform", db, "-q");
	cr_assert(eq(int, o.status, 0), "transform: %s", o.err);
	hx_test_output_free(&o);
	o = RUN("hoctap-report", db, "-o", out);
	cr_assert(eq(int, o.status, 0), "report: %s", o.err);
	hx_test_output_free(&o);
	free(good);
	free(dup);
	free(bad);
	free(out);
	return path;
}

Test(loud, findings_list_rejected_rows)
{
	char *path = report_three_files("findings.csv"), *text = hx_test_read_file(path, NULL);

	cr_assert(text != NULL);
	cr_assert(strstr(text, "not_a_number,error,,,,,\"2021-01-15-good.csv:3: column "
	                       "\"\"recognized\"\": \"\"1O00\"\" is not a number") != NULL,
	          "findings.csv:\n%s", text);
	cr_assert(strstr(text, ",2021-01-15-good.csv,3\n") != NULL, "%s", text);
	free(text);
	free(path);
}

Test(loud, the_manifest_lists_only_the_files_read)
{
	char *path = report_three_files("manifest.json"), *text = hx_test_read_file(path, NULL);

	cr_assert(strstr(text, "\"2021-01-15-good.csv\"") != NULL, "%s", text);
	cr_assert(strstr(text, "\"status\": \"partial\"") != NULL, "%s", text);
	cr_assert(strstr(text, "2021-01-16-copy.csv") == NULL, "a duplicate listed: %s", text);
	cr_assert(strstr(text, "2021-01-17-bad.csv") == NULL, "a rejected file listed: %s", text);
	free(text);
	free(path);
}

Test(loud, a_negative_number_is_negative_not_not_a_number)
{
	char *tally = put_file("t.csv",
	                       "year,unit_code,title,eligible,registered,recognized,reported_rate\n"
	                       "2020,00004,family,100,90,-5,\n"
	                       "2020,00007,family,100,90,50,-80\n"
	                       "2020,00007,clan,,9,-5O\n");
	char *fund = put_file("f.csv", "year,unit_code,mobilized_vnd\n2020,00004,-150.000.000\n");

	ingest(tally, 65);
	ingest(fund, 65);
	hx_test_assert_value(conn, "2:recognized:negative 3:reported_rate:negative "
	                           "4:recognized:not_a_number",
	                     "SELECT string_agg(r.line || ':' || r.col || ':' || r.reason, ' ' "
	                     "ORDER BY r.line) FROM staging.rejects r JOIN staging.files f "
	                     "USING (file_id) WHERE f.name = 't.csv'");
	hx_test_assert_value(conn, "2:mobilized_vnd:negative",
	                     "SELECT string_agg(r.line || ':' || r.col || ':' || r.reason, ' ') "
	                     "FROM staging.rejects r JOIN staging.files f USING (file_id) "
	                     "WHERE f.name = 'f.csv'");
	free(tally);
	free(fund);
}

/* Figures of 2020 and 2021 only, in the suite's database. */
static void figures_2020_2021(void)
{
	char *f = put_file("x.csv",
	                   "year,unit_code,title,eligible,registered,recognized\n"
	                   "2020,00004,family,5000,4100,4000\n"
	                   "2021,00004,family,5000,4200,4100\n");
	struct hx_test_output o;

	ingest(f, 0);
	o = RUN("hoctap-transform", db, "-q");
	cr_assert(eq(int, o.status, 0), "transform: %s", o.err);
	hx_test_output_free(&o);
	free(f);
}

Test(loud, explain_names_an_unknown_title)
{
	struct hx_test_output o;

	figures_2020_2021();
	o = RUN("hoctap-report", db, "--explain", "001", "2020", "dong-ho");

	cr_assert(eq(int, o.status, 64), "%s", o.err);
	cr_assert(strstr(o.err, "hoctap-report: error: unknown title \"dong-ho\"") != NULL, "%s",
	          o.err);
	cr_assert(strstr(o.err, "no figure") == NULL, "%s", o.err);
	hx_test_output_free(&o);
	/* Known titles, in any spelling, and fund still explain. */
	o = RUN("hoctap-report", db, "--explain", "001", "2020", "Gia đình học tập");
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	cr_assert(strstr(o.out, "4000") != NULL, "%s", o.out);
	hx_test_output_free(&o);
	o = RUN("hoctap-report", db, "--explain", "001", "2020", "dong ho hoc tap");
	cr_assert(eq(int, o.status, 66), "a known title without figures: %s", o.err);
	cr_assert(strstr(o.err, "no figure") != NULL, "%s", o.err);
	hx_test_output_free(&o);
}

Test(loud, compare_refuses_years_without_figures)
{
	char *out = hx_asprintf("%s/out", dir);
	struct hx_test_output o;

	figures_2020_2021();
	o = RUN("hoctap-report", db, "-o", out, "--compare", "2030:2040");
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	cr_assert(strstr(o.err, "--compare 2030:2040: the marts hold no figures of 2030 nor of "
	                        "2040") != NULL, "%s", o.err);
	cr_assert(strstr(o.err, "the years with figures are 2020, 2021") != NULL, "%s", o.err);
	hx_test_output_free(&o);
	cr_assert(eq(int, hx_test_count_files(out), 0), "files written for a refused --compare");
	o = RUN("hoctap-report", db, "-o", out, "--compare", "2016:2021");
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	cr_assert(strstr(o.err, "the marts hold no figures of 2016") != NULL, "%s", o.err);
	hx_test_output_free(&o);
	o = RUN("hoctap-report", db, "-o", out, "--compare", "2020:2021");
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	/* The default 2016:2020 is no request: a province that began in 2020 gets its files. */
	o = RUN("hoctap-report", db, "-o", out);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	free(out);
}

Test(loud, close_refuses_a_year_without_figures)
{
	struct hx_test_output o;

	figures_2020_2021();
	o = RUN("hoctap-transform", db, "--close", "2030");
	cr_assert(eq(int, o.status, 66), "%s", o.err);
	cr_assert(strstr(o.err, "no figures of 2030 were ever built: nothing to close") != NULL,
	          "%s", o.err);
	hx_test_output_free(&o);
	hx_test_assert_value(conn, "0", "SELECT count(*) FROM audit.closed_years");
	o = RUN("hoctap-transform", db, "--close", "2020");
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	hx_test_assert_value(conn, "2020", "SELECT string_agg(year::text, ',') FROM audit.closed_years");
}

Test(loud, a_bare_database_name_connects)
{
	const char *bare = db + strlen("dbname=");
	struct hx_test_output o;

	figures_2020_2021();
	o = RUN("hoctap-transform", bare, "-v");

	cr_assert(eq(int, o.status, 0), "-d %s: %s", bare, o.err);
	cr_assert(strstr(o.err, "run ") != NULL, "%s", o.err);
	hx_test_output_free(&o);
	o = RUN("hoctap-report", bare, "--explain", "001", "2021", "family");
	cr_assert(eq(int, o.status, 0), "-d %s: %s", bare, o.err);
	hx_test_output_free(&o);
	/* A malformed conninfo is still refused as such. */
	o = RUN("hoctap-report", "dbname='x", "--explain", "001", "2021", "family");
	cr_assert(eq(int, o.status, 64), "%s", o.err);
	cr_assert(strstr(o.err, "invalid connection string") != NULL, "%s", o.err);
	hx_test_output_free(&o);
}

Test(loud, connections_check_for_a_dead_client)
{
	hx_test_assert_value(conn, "2s", "SHOW client_connection_check_interval");
}

/* Of tests/support, and needing no database. */
Test(tempdirs, temporary_directories_go_with_their_process)
{
	int fds[2], status;
	char path[4096] = "";
	ssize_t n;
	pid_t pid;

	cr_assert(pipe(fds) == 0);
	fflush(NULL);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		char *made = hx_test_tempdir();

		hx_test_put(made, "left.txt", "x");
		if (write(fds[1], made, strlen(made)) < 0)
			_exit(2);
		free(made);
		exit(0); /* as a test process ends */
	}
	close(fds[1]);
	n = read(fds[0], path, sizeof path - 1);
	close(fds[0]);
	cr_assert(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	          WEXITSTATUS(status) == 0);
	cr_assert(n > 0);
	path[n] = '\0';
	cr_assert(eq(int, hx_test_exists(path), 0), "%s is left behind", path);
	{
		char *root = hx_strndup(path, (size_t)(strrchr(path, '/') - path));

		cr_assert(eq(int, hx_test_exists(root), 0), "%s is left behind", root);
		free(root);
	}
}
