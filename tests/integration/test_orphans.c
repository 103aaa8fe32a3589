/*
 * test_orphans.c — orphaned work cannot block the next run, and stale
 * marts are never published (issue 22 item 4), against a real database:
 *
 *   - a run finding its lock held by a live session names the holder
 *     (backend pid, application, client pid, since when) and exits 75 at once;
 *   - a session whose client was killed (kill -9) while its backend works
 *     on is waited for — the backend stops within the connection's
 *     client_connection_check_interval — and the run goes on (ingest and
 *     transform);
 *   - hoctap-report refuses, in one line and writing nothing, marts that
 *     do not hold every file ingest committed: 69 when no transform took
 *     them in (none ran, or one failed: killed, even while its orphaned
 *     backend still holds the lock), 75 while a transform runs;
 *   - ingest, transform and report killed at random points over rounds,
 *     each rerun at once (no retry on 75): no run ever exits 75 (a killed
 *     run is no running one), a report that publishes publishes marts
 *     holding every committed file, and the last night's outputs equal those of an
 *     uninterrupted night (but for generated_at and data_as_of).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h"
#include "db.h"
#include "site.h"
#include "testsupport.h"

#define RUN(program, db, ...) \
	hx_test_program((program), (db), (const char *const[]){__VA_ARGS__, NULL})

/*
 * A child process that connects as the programs do, takes lock key and
 * then works on in a statement (pg_sleep) until killed: a program killed
 * mid-statement.  Its backend does not check for the dead client
 * (client_connection_check_interval 0: that check, every 2 s, may come at
 * once after the kill), so it holds the lock until its 4 s statement ends:
 * a run started at once surely finds it held.  Returns once the lock is
 * seen held and the backend in that statement.
 */
static pid_t start_holder(const char *conninfo, enum hx_lock_key key)
{
	PGconn *watch = hx_test_db_connect(conninfo);
	char sql[512];
	pid_t pid;

	fflush(NULL);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		struct hx_error err;
		PGconn *holder = hx_db_connect(conninfo, "orphan-to-be", &err);

		if (holder == NULL || hx_db_try_lock(holder, key, &err) != 1)
			_exit(3);
		PQclear(PQexec(holder, "SET client_connection_check_interval = 0"));
		PQclear(PQexec(holder, "SELECT pg_catalog.pg_sleep(8)"));
		_exit(0);
	}
	/* Held, and its backend in the statement (killed before, it would end at once). */
	snprintf(sql, sizeof sql,
	         "SELECT count(*) FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a "
	         "USING (pid) WHERE l.locktype = 'advisory' AND l.granted AND l.classid = %d "
	         "AND l.objid = %d AND l.objsubid = 2 AND a.state = 'active' "
	         "AND a.query LIKE '%%pg_sleep%%' AND a.datname = pg_catalog.current_database()",
	         HX_LOCK_CLASS, (int)key);
	for (int i = 0; i < 200 && hx_test_db_long(watch, sql) == 0; i++)
		usleep(25000);
	cr_assert(eq(long, hx_test_db_long(watch, sql), 1), "the holder never took the lock");
	PQfinish(watch);
	return pid;
}

/* kill -9 and reap: the client is gone, its backend still sleeps. */
static void kill_holder(pid_t pid)
{
	int st;

	cr_assert(kill(pid, SIGKILL) == 0);
	cr_assert(waitpid(pid, &st, 0) == pid);
}

/* Each test: a fresh small database, a temporary directory, a connection (db, dir, conn). */
HX_TEST_SMALL_SUITE(orphans);

Test(orphans, a_live_holder_is_named_and_the_run_leaves_at_once)
{
	struct hx_lock_holder h;
	struct hx_error err;
	struct hx_test_output o;
	char want[256];
	double t0;

	cr_assert(eq(int, hx_db_take_lock(conn, HX_LOCK_TRANSFORM, 0, &h, &err), 1));
	t0 = hx_test_now();
	o = RUN("hoctap-transform", db, "-q");
	cr_assert(eq(int, o.status, 75), "%s", o.err);
	cr_assert(hx_test_now() - t0 < 5.0, "took %.1fs", hx_test_now() - t0);
	snprintf(want, sizeof want, "backend pid %d (hoctap-tests, client pid %ld on this machine), "
	         "since ", PQbackendPID(conn), (long)getpid());
	cr_assert(strstr(o.err, want) != NULL, "want \"%s\" in:\n%s", want, o.err);
	hx_test_output_free(&o);
	hx_db_unlock(conn, HX_LOCK_TRANSFORM);

	cr_assert(eq(int, hx_db_take_lock(conn, HX_LOCK_INGEST, 0, &h, &err), 1));
	o = RUN("hoctap-ingest", db, "/dev/null");
	cr_assert(eq(int, o.status, 75), "%s", o.err);
	cr_assert(strstr(o.err, "another hoctap-ingest is running on this database (backend pid") !=
	          NULL, "%s", o.err);
	hx_test_output_free(&o);
}

Test(orphans, a_killed_programs_lock_is_waited_for_not_failed_on)
{
	char *file = hx_asprintf("%s/x.csv", dir);
	struct hx_test_output o;
	pid_t holder;
	double t0;

	hx_test_put(dir, "x.csv", "year,unit_code,title,eligible,registered,recognized\n"
	                          "2020,00004,family,5000,4100,4000\n");
	holder = start_holder(db, HX_LOCK_INGEST);
	kill_holder(holder);
	t0 = hx_test_now();
	o = RUN("hoctap-ingest", db, "-v", file);
	cr_assert(eq(int, o.status, 0), "ingest right after a killed one: %s", o.err);
	cr_assert(strstr(o.err, "waited ") != NULL && strstr(o.err, "(orphan-to-be, client pid") &&
	          strstr(o.err, "on this machine, gone), since "), "%s", o.err);
	cr_assert(hx_test_now() - t0 < 45.0, "took %.1fs", hx_test_now() - t0);
	hx_test_output_free(&o);

	holder = start_holder(db, HX_LOCK_TRANSFORM);
	kill_holder(holder);
	t0 = hx_test_now();
	o = RUN("hoctap-transform", db, "-v");
	cr_assert(eq(int, o.status, 0), "transform right after a killed one: %s", o.err);
	cr_assert(strstr(o.err, "waited ") != NULL, "%s", o.err);
	cr_assert(hx_test_now() - t0 < 45.0, "took %.1fs", hx_test_now() - t0);
	hx_test_output_free(&o);
	free(file);
}

Test(orphans, a_report_refuses_marts_older_than_the_last_ingest)
{
	char *a = hx_asprintf("%s/a.csv", dir), *b = hx_asprintf("%s/b.csv", dir);
	char *out = hx_asprintf("%s/out", dir), *rates = hx_asprintf("%s/out/rates.csv", dir);
	char *before, *after;
	struct hx_lock_holder h;
	struct hx_error err;
	struct hx_test_output o;

	hx_test_put(dir, "a.csv", "year,unit_code,title,eligible,registered,recognized\n"
	                          "2020,00004,family,5000,4100,4000\n");
	hx_test_put(dir, "b.csv", "year,unit_code,title,eligible,registered,recognized\n"
	                          "2020,00007,family,3000,2000,1500\n");
	o = RUN("hoctap-ingest", db, a);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	/* Never transformed: no empty files presented as figures. */
	o = RUN("hoctap-report", db, "-o", out);
	cr_assert(eq(int, o.status, 69), "%s", o.err);
	cr_assert(strstr(o.err, "hoctap-report: error: the marts do not hold 1 file ingested since ") ==
	          o.err, "%s", o.err);
	cr_assert(strstr(o.err, "nothing written (run hoctap-transform first)\n") != NULL &&
	          strchr(o.err, '\n')[1] == '\0', "not one line:\n%s", o.err);
	hx_test_output_free(&o);
	cr_assert(eq(int, hx_test_count_files(out), 0));

	o = RUN("hoctap-transform", db, "-q");
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	o = RUN("hoctap-report", db, "-o", out);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	before = hx_test_read_file(rates, NULL);
	cr_assert(before != NULL && strstr(before, ",4000,") != NULL);

	/* A second file while a transform runs (its lock held): 75, the files stay. */
	o = RUN("hoctap-ingest", db, b);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	cr_assert(eq(int, hx_db_take_lock(conn, HX_LOCK_TRANSFORM, 0, &h, &err), 1));
	o = RUN("hoctap-report", db, "-o", out);
	cr_assert(eq(int, o.status, 75), "%s", o.err);
	cr_assert(strstr(o.err, "hoctap-report: error: a transform is running: the marts do not "
	                        "hold yet 1 file ingested since ") == o.err, "%s", o.err);
	/* the live holder is named, as ingest and transform name theirs */
	cr_assert(strstr(o.err, "hoctap-report: detail: the transform's lock is held by backend pid ")
	          != NULL, "%s", o.err);
	hx_test_output_free(&o);
	after = hx_test_read_file(rates, NULL);
	cr_assert(eq(str, before, after));
	free(after);
	hx_db_unlock(conn, HX_LOCK_TRANSFORM);
	/* ... and after it failed (killed: its backend may hold the lock a while): 69. */
	kill_holder(start_holder(db, HX_LOCK_TRANSFORM));
	o = RUN("hoctap-report", db, "-o", out);
	cr_assert(eq(int, o.status, 69), "%s", o.err);
	cr_assert(strstr(o.err, "no transform has taken it in (one failed, or none ran)") != NULL,
	          "%s", o.err);
	hx_test_output_free(&o);
	after = hx_test_read_file(rates, NULL);
	cr_assert(eq(str, before, after));
	free(after);
	o = RUN("hoctap-transform", db, "-q");
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	o = RUN("hoctap-report", db, "-o", out);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	after = hx_test_read_file(rates, NULL);
	cr_assert(strstr(after, ",5500,") != NULL, "%s", after);
	free(after);

	free(before);
	free(a);
	free(b);
	free(out);
	free(rates);
}

/* ------------------------------------------------------------ random kills */

#define MIN_KILLS_EACH 4
/* Files ingest committed that no transform has taken in (read from the ledger). */
#define PENDING_FILES                                                                  \
	"SELECT count(*) FROM staging.files f WHERE f.status IN ('loaded', 'partial') " \
	"AND NOT EXISTS (SELECT FROM core.file_runs r WHERE r.file_id = f.file_id)"
#define MAX_ROUNDS 40

/* The site's log, for a failure message (new string). */
static char *site_log(const struct hx_site *s)
{
	char *text = hx_test_read_file(s->log, NULL);

	return text != NULL ? text : hx_strdup("");
}

/*
 * An output file as compared: the JSON header lines that tell when
 * (generated_at, data_as_of: the ingest times) removed.
 */
static char *comparable(const char *outdir, const char *name)
{
	char *path = hx_asprintf("%s/%s", outdir, name), *text = hx_test_read_file(path, NULL);
	char *out, *o;
	const char *p;

	cr_assert(text != NULL, "no %s", path);
	out = o = hx_malloc(strlen(text) + 1);
	for (p = text; *p != '\0';) {
		const char *end = strchr(p, '\n');
		size_t len = end != NULL ? (size_t)(end - p) + 1 : strlen(p);

		if (strncmp(p, "  \"generated_at\": ", 18) != 0 &&
		    strncmp(p, "  \"data_as_of\": ", 16) != 0) {
			memcpy(o, p, len);
			o += len;
		}
		p += len;
	}
	*o = '\0';
	free(text);
	free(path);
	return out;
}

/*
 * The random kills' two sites, opened by sites_setup and closed by
 * sites_teardown whatever the test reached: ref has an uninterrupted night,
 * site nights cut short.
 */
static struct hx_site ref, site;

static void sites_setup(void)
{
	hx_site_open(&ref);
	hx_site_fill(&ref, 0, ref.nnames);
	hx_site_open(&site);
	hx_site_fill(&site, 0, site.nnames);
}

static void sites_teardown(void)
{
	hx_site_close(&ref);
	hx_site_close(&site);
}

TestSuite(random_kills, .init = sites_setup, .fini = sites_teardown, .timeout = 600);

Test(random_kills, killed_at_random_and_rerun_at_once_the_outputs_are_an_uninterrupted_nights)
{
	uint64_t seed = hx_rng_seed(22), rng = seed;
	double took[3], t0 = hx_test_now();
	int kills[3] = {0, 0, 0}, rounds, rc;
	size_t nref, ngot;
	char **ref_names, **got_names;

	/* The uninterrupted night. */
	rc = hx_site_run(&ref, HX_INGEST, &took[HX_INGEST]);
	cr_assert(eq(int, rc, 65), "reference ingest: exit %d", rc);
	rc = hx_site_run(&ref, HX_TRANSFORM, &took[HX_TRANSFORM]);
	cr_assert(eq(int, rc, 65), "reference transform: exit %d", rc);
	rc = hx_site_run(&ref, HX_REPORT, &took[HX_REPORT]);
	cr_assert(eq(int, rc, 0), "reference report: exit %d", rc);

	/* Nights cut short: each step killed at a random point, the next started at once. */
	for (rounds = 0; rounds < MAX_ROUNDS; rounds++) {
		if (kills[HX_INGEST] >= MIN_KILLS_EACH && kills[HX_TRANSFORM] >= MIN_KILLS_EACH &&
		    kills[HX_REPORT] >= MIN_KILLS_EACH)
			break;
		for (int k = HX_INGEST; k <= HX_REPORT; k++) {
			/* Ingest within a third of its time: several rounds before the inbox is empty. */
			double d = took[k] * (double)(hx_rng(&rng) % 1000) /
			           (k == HX_INGEST ? 3000.0 : 1000.0);
			int killed = hx_site_run_and_kill(&site, (enum hx_step)k, d, &rc);

			if (killed) {
				kills[k]++;
				continue;
			}
			if (rc == 75) {
				char *log = site_log(&site);

				cr_fatal("round %d: %s found its lock held (killed at %.3fs)\n%s", rounds,
				         hx_step_name((enum hx_step)k), d, log);
			}
			if (k == HX_REPORT && rc == 0) {
				/* Published: then from marts holding every committed file. */
				PGconn *c = hx_test_db_connect(site.db);

				cr_assert(eq(long, hx_test_db_long(c, PENDING_FILES), 0),
				          "round %d: a report published marts that leave out files ingest "
				          "committed", rounds);
				PQfinish(c);
			} else {
				/* A report after a killed transform: 69, nothing written. */
				cr_assert(rc == 0 || rc == 65 || (k == HX_REPORT && rc == 69),
				          "round %d: %s exit %d", rounds, hx_step_name((enum hx_step)k), rc);
			}
		}
	}
	cr_assert(kills[HX_INGEST] >= MIN_KILLS_EACH && kills[HX_TRANSFORM] >= MIN_KILLS_EACH &&
	          kills[HX_REPORT] >= MIN_KILLS_EACH, "kills: %d ingest, %d transform, %d report",
	          kills[HX_INGEST], kills[HX_TRANSFORM], kills[HX_REPORT]);

	/* Then the night once more, each step at once after the last kill. */
	rc = hx_site_run(&site, HX_INGEST, NULL);
	cr_assert(rc == 0 || rc == 65, "last ingest: exit %d", rc);
	rc = hx_site_run(&site, HX_TRANSFORM, NULL);
	cr_assert(rc == 0 || rc == 65, "last transform: exit %d", rc);
	rc = hx_site_run(&site, HX_REPORT, NULL);
	cr_assert(eq(int, rc, 0), "last report: exit %d", rc);

	/* The same files (hidden ones are a killed report's leftovers), the same figures. */
	ref_names = hx_test_list_dir(ref.out, &nref);
	got_names = hx_test_list_dir(site.out, &ngot);
	for (size_t i = 0, j = 0; i < nref || j < ngot;) {
		if (j < ngot && got_names[j][0] == '.') {
			j++;
			continue;
		}
		cr_assert(i < nref && j < ngot && strcmp(ref_names[i], got_names[j]) == 0,
		          "the outputs differ in name at %s / %s", i < nref ? ref_names[i] : "-",
		          j < ngot ? got_names[j] : "-");
		if (strcmp(ref_names[i], "manifest.json") != 0) {
			char *want = comparable(ref.out, ref_names[i]), *got = comparable(site.out, got_names[j]);

			cr_assert(strcmp(want, got) == 0, "%s differs from the uninterrupted night's\n"
			          "--- want\n%s\n--- got\n%s", ref_names[i], want, got);
			free(want);
			free(got);
		}
		i++;
		j++;
	}
	cr_log_info("seed %llu: %d ingest, %d transform, %d report kills in %d rounds, %.1fs "
	            "(uninterrupted: ingest %.2fs, transform %.2fs, report %.2fs)",
	            (unsigned long long)seed, kills[HX_INGEST], kills[HX_TRANSFORM], kills[HX_REPORT],
	            rounds, hx_test_now() - t0, took[HX_INGEST], took[HX_TRANSFORM], took[HX_REPORT]);
	hx_test_free_names(ref_names, nref);
	hx_test_free_names(got_names, ngot);
}
