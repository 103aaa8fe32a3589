/*
 * test_ingest_large.c — register files of 130,000 rows and more (past
 * 8 MiB: many COPY pieces and CopyData messages), checked against
 * docs/design.md §4.3: every row loaded once or rejected with a reason, in the
 * file's one transaction; a stop at any instant leaves the file committed
 * and archived or untouched in the inbox; never a row of an unrecorded file
 * seen by a reader.
 *
 *   - the client killed in the middle of the load, the backend ended then
 *     or as the file commits: the file untouched, nothing staged; the next
 *     run loads it once; a commit refused: 70, the same;
 *   - the database refusing rows: that file is rejected, nothing of it
 *     staged, and the next large file of the run still loads;
 *   - --strict on a large file, --max-rejects on one, --dry-run on one;
 *   - a register over several years and a year without a partition.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "db.h"
#include "testsupport.h"

/* Rows of a file past 8 MiB (about 72 bytes a row). */
#define BIG_ROWS 130000L

#define INGEST(db, ...) \
	hx_test_program("hoctap-ingest", (db), (const char *const[]){__VA_ARGS__, NULL})
#define TRANSFORM(db, ...) \
	hx_test_program("hoctap-transform", (db), (const char *const[]){__VA_ARGS__, NULL})

/* Short names for the shared helpers of tests/support, used on most lines here. */
#define qlong hx_test_db_long
#define put hx_test_put
#define qstr hx_test_db_text
#define count_files hx_test_count_files
#define exists hx_test_exists

static void pause_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000 * 1000};

	nanosleep(&ts, NULL);
}

/* What each test works on, made by setup and removed by teardown, whatever the test reached. */
static char *db;              /* hx_test_small_db */
static struct hx_test_dirs d; /* inbox/, archive/, rejected/ */
static PGconn *c;             /* to db, as its owner */
static char role[64];         /* a LOGIN role a test made, or "" */

static void setup(void)
{
	db = hx_test_small_db();
	d = hx_test_dirs_make();
	c = hx_test_db_connect(db);
}

static void teardown(void)
{
	if (role[0] != '\0')
		hx_test_drop_role(c, role);
	PQfinish(c);
	hx_test_dirs_free(&d);
	hx_test_db_discard(&db);
}

TestSuite(large, .init = setup, .fini = teardown, .timeout = 120);

static struct hx_test_output run_inbox(void)
{
	return INGEST(db, "--inbox", d.inbox, "--archive", d.archive, "--rejected", d.rejected);
}

/*
 * A register file of n rows for commune 00004: entity ids prefix + number,
 * the years in consecutive blocks of equal size, 4 in 5 recognized.  The
 * rows at the lines in bad[] (nbad of them) say "maybe" for recognized,
 * which hoctap-ingest rejects (bad_boolean).
 */
static void write_reg(const char *path, long n, char prefix, const int *years, int nyears,
                      const long *bad, int nbad)
{
	FILE *f = fopen(path, "w");
	struct stat st;

	cr_assert(f != NULL);
	fputs("year,unit_code,title,entity_id,village,entity_name,registered,recognized,score\n", f);
	for (long i = 0; i < n; i++) {
		const char *rec = i % 5 ? "x" : "";

		for (int k = 0; k < nbad; k++)
			if (bad[k] == i + 2)
				rec = "maybe";
		fprintf(f, "%d,00004,Gia đình học tập,%c%07ld,Thôn %ld,Nguyễn Văn %ld,có,%s,\"%ld,5\"\n",
		        years[i * nyears / n], prefix, i, i % 12, i, rec, 50 + i % 50);
	}
	cr_assert(fclose(f) == 0);
	cr_assert(stat(path, &st) == 0 && st.st_size >= 8L * 1024 * 1024, "%s: past 8 MiB", path);
}

static const int y2019[] = {2019};

/*
 * At the commit of the file's transaction (a deferred trigger on the
 * update of its ledger row, which a file's load inserts first and updates
 * at its end), do what: e.g. end this very backend, as a kill or a lost
 * connection at that instant would.
 */
static void on_ledger_commit(const char *name, const char *what)
{
	char *sql = hx_asprintf(
	    "CREATE FUNCTION public.test_at_commit() RETURNS trigger LANGUAGE plpgsql "
	    "SECURITY DEFINER AS $$BEGIN IF NEW.status IN ('loaded', 'partial') AND "
	    "NEW.name = '%s' THEN %s; END IF; RETURN NULL; END$$; "
	    "CREATE CONSTRAINT TRIGGER test_at_commit AFTER UPDATE ON staging.files "
	    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.test_at_commit()",
	    name, what);

	hx_test_db_exec(c, sql);
	free(sql);
}

static void drop_on_ledger_commit(void)
{
	hx_test_db_exec(c, "DROP TRIGGER test_at_commit ON staging.files; "
	                   "DROP FUNCTION public.test_at_commit()");
}

/*
 * The backend ends as the file commits (the ingest role alone): 69, the
 * file stays in the inbox, unrecorded, and nothing of it is staged; the
 * next run finds nothing to delete and loads the file once.
 */
Test(large, a_backend_ended_as_the_file_commits_leaves_it_untouched)
{
	char *path = hx_asprintf("%s/big.csv", d.inbox);
	char *conninfo, *v;
	static const int years[] = {2019, 2020};
	struct hx_test_output o;

	conninfo = hx_test_ingest_role(c, db, "hx_test_large", role, sizeof role);
	write_reg(path, BIG_ROWS, 'H', years, 2, NULL, 0);
	on_ledger_commit("big.csv",
	                 "PERFORM pg_catalog.pg_terminate_backend(pg_catalog.pg_backend_pid()); "
	                 "PERFORM pg_catalog.pg_sleep(10)");
	o = INGEST(conninfo, "--inbox", d.inbox, "--archive", d.archive, "--rejected", d.rejected);
	cr_assert(eq(int, o.status, 69), "a lost connection is 69: %s", o.err);
	hx_test_output_free(&o);
	cr_assert(exists(path), "the file must still be in the inbox");
	cr_assert(eq(int, count_files(d.archive) + count_files(d.rejected), 0));
	v = qstr(c, "SELECT (SELECT count(*) FROM staging.files) || ' ' || "
	            "(SELECT count(*) FROM staging.register) || ' ' || "
	            "(SELECT count(*) FROM staging.register_lists)");
	cr_assert(eq(str, v, "0 0 0"), "%s", v);
	free(v);

	drop_on_ledger_commit();
	o = INGEST(conninfo, "--inbox", d.inbox, "--archive", d.archive, "--rejected", d.rejected);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	cr_assert(strstr(o.err, "staged rows") == NULL, "nothing to delete: %s", o.err);
	hx_test_output_free(&o);
	cr_assert(eq(int, exists(path), 0));
	cr_assert(eq(int, count_files(d.archive), 1));
	/* Every row once, of the one recorded file, in one transaction. */
	v = qstr(c, "SELECT count(*) || ' ' || count(DISTINCT line) || ' ' || min(line) || '-' || "
	            "max(line) || ' ' || count(*) FILTER (WHERE r.year = 2020) || ' ' || "
	            "count(*) FILTER (WHERE f.file_id IS NULL) || ' ' || "
	            "count(DISTINCT r.xmin::text) FROM staging.register r "
	            "LEFT JOIN staging.files f USING (file_id)");
	cr_assert(eq(str, v, "130000 130000 2-130001 65000 0 1"), "%s", v);
	free(v);
	v = qstr(c, "SELECT string_agg(l.year || ':' || l.entities || ':' || l.recognized, ' ' "
	            "ORDER BY l.year) FROM staging.register_lists l");
	cr_assert(eq(str, v, "2019:65000:52000 2020:65000:52000"), "%s", v);
	free(v);
	free(conninfo);
	free(path);
}

/*
 * The database refuses rows (a check the test adds: every thousandth line
 * of the "A" file, from line 1000):
 * that file is rejected with the server's reason, nothing of it is staged;
 * the next large file of the same run loads whole, in one transaction.
 */
Test(large, rows_refused_by_the_database_reject_that_file_alone)
{
	char *a = hx_asprintf("%s/a-big.csv", d.inbox), *b = hx_asprintf("%s/b-big.csv", d.inbox);
	char *err_txt = hx_asprintf("%s/a-big.csv.error.txt", d.rejected);
	struct hx_test_output o;
	char *v;

	write_reg(a, BIG_ROWS, 'A', y2019, 1, NULL, 0);
	write_reg(b, BIG_ROWS, 'B', y2019, 1, NULL, 0);
	hx_test_db_exec(c, "CREATE FUNCTION public.test_refuse() RETURNS trigger LANGUAGE plpgsql "
	                   "AS $$BEGIN IF NEW.line % 1000 = 0 AND NEW.entity_id LIKE 'A%' THEN "
	                   "RAISE check_violation USING MESSAGE = 'test refuses line ' || NEW.line; "
	                   "END IF; RETURN NEW; END$$; "
	                   "CREATE TRIGGER test_refuse BEFORE INSERT ON staging.register_2019 "
	                   "FOR EACH ROW EXECUTE FUNCTION public.test_refuse()");
	o = run_inbox();
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	cr_assert(strstr(o.err, "a-big.csv") != NULL && strstr(o.err, "test refuses line") != NULL,
	          "%s", o.err);
	hx_test_output_free(&o);
	v = qstr(c, "SELECT string_agg(name || ':' || status || ':' || rows_loaded, ' ' "
	            "ORDER BY name) FROM staging.files");
	cr_assert(eq(str, v, "a-big.csv:rejected:0 b-big.csv:loaded:130000"), "%s", v);
	free(v);
	v = qstr(c, "SELECT r.reason FROM staging.rejects r JOIN staging.files f USING (file_id) "
	            "WHERE f.name = 'a-big.csv'");
	cr_assert(eq(str, v, "database_refused"), "%s", v);
	free(v);
	/* Nothing of a-big.csv; b-big.csv whole, from one transaction. */
	v = qstr(c, "SELECT count(*) || ' ' || count(*) FILTER (WHERE entity_id LIKE 'A%') || ' ' || "
	            "count(DISTINCT line) || ' ' || count(DISTINCT xmin::text) FROM staging.register");
	cr_assert(eq(str, v, "130000 0 130000 1"), "%s", v);
	free(v);
	cr_assert(eq(int, count_files(d.archive), 1));
	cr_assert(exists(err_txt), "a-big.csv goes to rejected/ with its .error.txt");
	free(a);
	free(b);
	free(err_txt);
}

/* A named register past 8 MiB with bad rows at lines 10, 70000 and 129999 (caller frees). */
static char *bad_big_file(void)
{
	static const long bad[] = {10, 70000, 129999};
	char *path = hx_asprintf("%s/big.csv", d.top);

	write_reg(path, BIG_ROWS, 'H', y2019, 1, bad, 3);
	return path;
}

/* Nothing of the file staged, and its ledger row rejected: all of its rows read, none loaded. */
static void assert_rejected_whole(void)
{
	char *v;

	cr_assert(eq(long, qlong(c, "SELECT count(*) FROM staging.register"), 0));
	cr_assert(eq(long, qlong(c, "SELECT count(*) FROM staging.register_lists"), 0));
	v = qstr(c, "SELECT string_agg(status || ':' || rows_read || ':' || rows_loaded || ':' || "
	            "rows_rejected, ' ' ORDER BY file_id) FROM staging.files");
	cr_assert(eq(str, v, "rejected:130000:0:130000"), "%s", v);
	free(v);
}

/*
 * --strict decides about a large file only after most of its rows went to
 * the server: rejected, nothing of it stays.  Named files: never moved.
 */
Test(large, strict_rejects_a_large_file_with_a_bad_row)
{
	char *path = bad_big_file();
	struct hx_test_output o;

	o = INGEST(db, "--strict", path);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	cr_assert(strstr(o.err, "--strict") != NULL, "%s", o.err);
	hx_test_output_free(&o);
	assert_rejected_whole();
	cr_assert(exists(path));
	free(path);
}

/*
 * --max-rejects likewise: past the limit the file is rejected and nothing of
 * it stays; within the limit it loads, its rejects with their lines.
 */
Test(large, max_rejects_decides_a_large_file_by_its_bad_rows)
{
	char *path = bad_big_file();
	struct hx_test_output o;
	char *v;

	o = INGEST(db, "--max-rejects", "2", path);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	cr_assert(strstr(o.err, "--max-rejects") != NULL, "%s", o.err);
	hx_test_output_free(&o);
	assert_rejected_whole();

	o = INGEST(db, "--max-rejects", "3", path);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	cr_assert(strstr(o.err, "big.csv:10,70000,129999: column \"recognized\"") != NULL, "%s",
	          o.err);
	hx_test_output_free(&o);
	v = qstr(c, "SELECT status || ':' || rows_read || ':' || rows_loaded || ':' || rows_rejected "
	            "FROM staging.files WHERE status <> 'rejected'");
	cr_assert(eq(str, v, "partial:130000:129997:3"), "%s", v);
	free(v);
	v = qstr(c, "SELECT count(*) || ' ' || count(DISTINCT line) || ' ' || "
	            "count(*) FILTER (WHERE line IN (10, 70000, 129999)) || ' ' || "
	            "count(DISTINCT xmin::text) FROM staging.register");
	cr_assert(eq(str, v, "129997 129997 0 1"), "%s", v);
	free(v);
	v = qstr(c, "SELECT string_agg(r.line || ':' || r.col || ':' || r.value, ',' ORDER BY r.line) "
	            "FROM staging.rejects r JOIN staging.files f USING (file_id) "
	            "WHERE f.status = 'partial'");
	cr_assert(eq(str, v, "10:recognized:maybe,70000:recognized:maybe,129999:recognized:maybe"),
	          "%s", v);
	free(v);
	cr_assert(exists(path));
	free(path);
}

/* --dry-run on a large file: checked, nothing written, nothing moved. */
Test(large, a_dry_run_on_a_large_file_writes_nothing)
{
	char *path = hx_asprintf("%s/big.csv", d.inbox);
	static const long bad[] = {500};
	struct hx_test_output o;

	write_reg(path, BIG_ROWS, 'H', y2019, 1, bad, 1);
	o = INGEST(db, "--dry-run", "--inbox", d.inbox, "--archive", d.archive, "--rejected",
	           d.rejected);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	cr_assert(strstr(o.err, "big.csv:500: column \"recognized\"") != NULL, "%s", o.err);
	hx_test_output_free(&o);
	cr_assert(exists(path));
	cr_assert(eq(int, count_files(d.archive) + count_files(d.rejected), 0));
	cr_assert(eq(long, qlong(c, "SELECT (SELECT count(*) FROM staging.files) + "
	                            "(SELECT count(*) FROM staging.register) + "
	                            "(SELECT count(*) FROM staging.rejects)"),
	          0));
	free(path);
}

/*
 * A register over three years, one of them (2005) without a partition of
 * its own (its rows go through the parent to staging.register_other):
 * every row once in the partition of its year, all in the file's one
 * transaction, the lists counted per year; small files of the same run,
 * committed in a group, load beside it.
 */
Test(large, a_register_over_several_years_and_a_year_without_a_partition)
{
	char *path = hx_asprintf("%s/big.csv", d.inbox);
	static const int years[] = {2019, 2005, 2020};
	struct hx_test_output o;
	char *v;

	write_reg(path, 129999, 'H', years, 3, NULL, 0);
	/* Small clean files before and after it: their group commits on the first connection. */
	put(d.inbox, "a.csv", "year,unit_code,title,eligible\n2019,00007,family,10\n");
	put(d.inbox, "z.csv", "year,unit_code,title,eligible\n2020,00007,family,12\n");
	o = run_inbox();
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	v = qstr(c, "SELECT string_agg(name || ':' || status, ' ' ORDER BY name) FROM staging.files");
	cr_assert(eq(str, v, "a.csv:loaded big.csv:loaded z.csv:loaded"), "%s", v);
	free(v);
	cr_assert(eq(long, qlong(c, "SELECT sum(eligible) FROM staging.tally"), 22));
	v = qstr(c, "SELECT string_agg(p, ' ' ORDER BY p) FROM (SELECT tableoid::regclass || ':' || "
	            "min(year) || ':' || max(year) || ':' || count(*) || ':' || "
	            "count(DISTINCT xmin::text) AS p FROM staging.register GROUP BY tableoid) x");
	cr_assert(eq(str, v, "staging.register_2019:2019:2019:43333:1 "
	                     "staging.register_2020:2020:2020:43333:1 "
	                     "staging.register_other:2005:2005:43333:1"),
	          "%s", v);
	free(v);
	cr_assert(eq(long, qlong(c, "SELECT count(DISTINCT line) FROM staging.register"), 129999));
	v = qstr(c, "SELECT string_agg(l.year || ':' || l.entities || ':' || l.first_line || '-' || "
	            "l.last_line, ' ' ORDER BY l.year) FROM staging.register_lists l");
	cr_assert(eq(str, v, "2005:43333:43335-86667 2019:43333:2-43334 2020:43333:86668-130000"),
	          "%s", v);
	free(v);
	/* The audit of those counts: every list recounted from its rows agrees. */
	o = TRANSFORM(db, "-q", "--recount");
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	v = qstr(c, "SELECT string_agg(l.year || ':' || l.entities || ':' || l.recognized, ' ' "
	            "ORDER BY l.year) FROM core.register_lists l");
	cr_assert(eq(str, v, "2005:43333:34666 2019:43333:34666 2020:43333:34667"), "%s", v);
	free(v);
	cr_assert(eq(long, qlong(c, "SELECT count(DISTINCT xmin::text) FROM staging.register"), 1));
	cr_assert(eq(int, count_files(d.archive), 3));
	free(path);
}

/*
 * A load stopped in the middle, once its COPY has run a while: the client
 * killed (SIGKILL; its status 128 + 9), or its backend terminated as a lost
 * connection would (69, database unavailable).  The server rolls the file's
 * transaction back: the file stays in the inbox, nothing of it is staged;
 * the next run loads it once, in one transaction.
 */
static void stop_mid_load(int kill_client)
{
	char *path = hx_asprintf("%s/big.csv", d.inbox), *log = hx_asprintf("%s/ingest.log", d.top);
	char bin[4096], *text, *v;
	const char *argv[] = {bin, "-d", db, "--inbox", d.inbox, "--archive", d.archive,
	                      "--rejected", d.rejected, NULL};
	static const char copying[] =
	    "FROM pg_stat_activity a WHERE a.datname = current_database() "
	    "AND a.application_name = 'hoctap-ingest' AND a.state = 'active' "
	    "AND a.query LIKE 'COPY staging.register%'";
	char *seen = hx_asprintf("SELECT count(*) %s", copying);
	char *terminate = hx_asprintf("SELECT count(*) FROM (SELECT pg_terminate_backend(a.pid) %s) x",
	                              copying);
	struct hx_test_output o;
	pid_t pid;
	long stopped = 0;
	int i, status;

	write_reg(path, 400000, 'H', y2019, 1, NULL, 0);
	snprintf(bin, sizeof bin, "%s", hx_test_bin("hoctap-ingest"));
	pid = hx_test_spawn(argv, log);
	for (i = 0; i < 2000 && stopped == 0; i++) {
		pause_ms(5);
		stopped = qlong(c, seen);
	}
	cr_assert(eq(long, stopped, 1), "the load was never seen copying");
	pause_ms(200); /* let it load a while */
	if (kill_client)
		stopped = kill(pid, SIGKILL) == 0;
	else
		stopped = qlong(c, terminate);
	cr_assert(eq(long, stopped, 1), "the load ended before it could be stopped");
	status = hx_test_wait(pid);
	text = hx_test_read_file(log, NULL);
	cr_assert(eq(int, status, kill_client ? 128 + SIGKILL : 69),
	          "ended %d (a load that finished first: make the file larger)\n%s", status, text);
	free(text);
	/* The server rolls the transaction back once the connection is gone. */
	for (i = 0; i < 500 && qlong(c, "SELECT count(*) FROM pg_stat_activity WHERE "
	                                "application_name = 'hoctap-ingest'") > 0; i++)
		pause_ms(10);
	cr_assert(exists(path), "the file must still be in the inbox");
	cr_assert(eq(int, count_files(d.archive) + count_files(d.rejected), 0));
	v = qstr(c, "SELECT (SELECT count(*) FROM staging.files) || ' ' || "
	            "(SELECT count(*) FROM staging.register)");
	cr_assert(eq(str, v, "0 0"), "%s", v);
	free(v);

	o = run_inbox();
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	cr_assert(eq(int, exists(path), 0));
	cr_assert(eq(int, count_files(d.archive), 1));
	v = qstr(c, "SELECT count(*) || ' ' || count(DISTINCT line) || ' ' || max(line) || ' ' || "
	            "count(DISTINCT xmin::text) || ' ' || (SELECT rows_loaded FROM staging.files) "
	            "FROM staging.register");
	cr_assert(eq(str, v, "400000 400000 400001 1 400000"), "%s", v);
	free(v);
	free(seen);
	free(terminate);
	free(path);
	free(log);
}

Test(large, the_client_killed_mid_load_leaves_the_file_untouched)
{
	stop_mid_load(1);
}

Test(large, the_backend_lost_mid_load_leaves_the_file_untouched)
{
	stop_mid_load(0);
}

/*
 * The file's commit refused (a deferred check at its ledger row): 70,
 * nothing of it staged, the file still in the inbox.
 */
Test(large, a_refused_commit_leaves_no_row)
{
	char *path = hx_asprintf("%s/big.csv", d.inbox), *v;
	struct hx_test_output o;

	write_reg(path, BIG_ROWS, 'H', y2019, 1, NULL, 0);
	on_ledger_commit("big.csv", "RAISE EXCEPTION 'test refuses %', NEW.name");
	o = INGEST(db, "-q", "--inbox", d.inbox, "--archive", d.archive, "--rejected", d.rejected);
	cr_assert(eq(int, o.status, 70), "%s", o.err);
	cr_assert(strstr(o.err, "test refuses big.csv") != NULL, "%s", o.err);
	hx_test_output_free(&o);
	cr_assert(exists(path), "the file must still be in the inbox");
	v = qstr(c, "SELECT (SELECT count(*) FROM staging.files) || ' ' || "
	            "(SELECT count(*) FROM staging.register) || ' ' || "
	            "(SELECT count(*) FROM staging.register_lists)");
	cr_assert(eq(str, v, "0 0 0"), "%s", v);
	free(v);
	free(path);
}

