/*
 * test_faults.c — SIGKILL during ingest and transform (issue 8, docs/design.md
 * §4.3: "a crash at any point leaves every file either committed and
 * archived or untouched in the inbox").
 *
 * A copy of samples/inbox is ingested and transformed once without
 * interruption (the reference).  A second database then gets the same inbox
 * in rounds: each round starts hoctap-ingest and kills it with SIGKILL after
 * a random delay, then starts hoctap-transform and kills it too, the delays
 * drawn from a seeded generator (HOCTAP_FAULT_SEED, default 8) within a
 * quarter of an uninterrupted ingest and within a whole transform, until at least MIN_KILLS
 * processes were killed while running.  After every kill each input file
 * must be in exactly one of inbox/, archive/, rejected/ (never lost, never
 * in two places, never processed twice).  Then ingest and transform run to
 * completion, and every figure (mart.rates, funds, completeness, findings)
 * and the staging row counts must equal the reference's: a killed run
 * loses nothing and counts nothing twice.
 *
 * A killed client's session may hold its advisory lock until its backend
 * notices, so a run started right after a kill may exit 75 (another run
 * holds the lock): it is retried, as cron would the next night.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <fcntl.h>
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
#include "testsupport.h"

#define MIN_KILLS 20
#define MAX_ROUNDS 40

struct site {
	char *conninfo;
	char *dir, *inbox, *archive, *rejected, *log;
};

static char **names;   /* the files of samples/inbox */
static size_t nnames;

static uint64_t rng_state;

/* xorshift64*: reproducible from the seed. */
static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(2685821657736338717);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void copy_file(const char *from, const char *to)
{
	size_t len;
	char *data = hx_test_read_file(from, &len);

	cr_assert(data != NULL, "read %s", from);
	hx_test_write_file(to, data, len);
	free(data);
}

static void site_open(struct site *s)
{
	char *units = hx_test_src("samples/units.csv");
	const char *argv[] = {hx_test_bin("hoctap-ingest"), "-q", "-d", NULL, "--units", units, NULL};
	struct hx_test_output o;
	char *src = hx_test_src("samples/inbox");

	s->conninfo = hx_test_db_create(1);
	argv[3] = s->conninfo;
	hx_test_run(argv, NULL, &o);
	cr_assert(eq(int, o.status, 0), "--units: %s", o.err);
	hx_test_output_free(&o);
	s->dir = hx_test_tempdir();
	s->inbox = hx_asprintf("%s/inbox", s->dir);
	s->archive = hx_asprintf("%s/archive", s->dir);
	s->rejected = hx_asprintf("%s/rejected", s->dir);
	s->log = hx_asprintf("%s/log", s->dir);
	cr_assert(mkdir(s->inbox, 0755) == 0 && mkdir(s->archive, 0755) == 0 &&
	          mkdir(s->rejected, 0755) == 0);
	for (size_t i = 0; i < nnames; i++) {
		char *from = hx_asprintf("%s/%s", src, names[i]);
		char *to = hx_asprintf("%s/%s", s->inbox, names[i]);

		copy_file(from, to);
		free(from);
		free(to);
	}
	free(src);
	free(units);
}

static void site_close(struct site *s)
{
	hx_test_db_drop(s->conninfo);
	free(s->conninfo);
	free(s->dir);
	free(s->inbox);
	free(s->archive);
	free(s->rejected);
	free(s->log);
}

/* Start a program, its output appended to the site's log. */
static pid_t spawn(const struct site *s, const char *const *argv)
{
	return hx_test_spawn(argv, s->log);
}

static char *ingest_bin, *transform_bin; /* hx_test_bin's buffer is shared */

static void ingest_argv(const struct site *s, const char **argv)
{
	argv[0] = ingest_bin;
	argv[1] = "-d";
	argv[2] = s->conninfo;
	argv[3] = "--inbox";
	argv[4] = s->inbox;
	argv[5] = "--archive";
	argv[6] = s->archive;
	argv[7] = "--rejected";
	argv[8] = s->rejected;
	argv[9] = NULL;
}

static void transform_argv(const struct site *s, const char **argv)
{
	argv[0] = transform_bin;
	argv[1] = "-d";
	argv[2] = s->conninfo;
	argv[3] = NULL;
}

/* Run to completion, retrying while a killed run's lock lingers (75). */
static int run_to_end(const struct site *s, const char *const *argv, double *seconds)
{
	for (int tries = 0; tries < 100; tries++) {
		double t0 = now();
		int rc = hx_test_wait(spawn(s, argv));

		if (seconds != NULL)
			*seconds = now() - t0;
		if (rc != 75)
			return rc;
		usleep(100000);
	}
	cr_fatal("%s still finds the lock held after 100 tries", argv[0]);
	return -1;
}

/* Start argv and SIGKILL it after delay seconds.  1 if it was killed while running. */
static int run_and_kill(const struct site *s, const char *const *argv, double delay, int *rc)
{
	pid_t pid = spawn(s, argv);
	struct timespec ts;
	int killed = 0, st;

	ts.tv_sec = (time_t)delay;
	ts.tv_nsec = (long)((delay - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	if (waitpid(pid, &st, WNOHANG) == 0) {
		kill(pid, SIGKILL);
		killed = 1;
		*rc = hx_test_wait(pid);
	} else {
		*rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	}
	return killed;
}

static int in_list(char **v, size_t n, const char *name)
{
	int count = 0;

	for (size_t i = 0; i < n; i++)
		count += strcmp(v[i], name) == 0;
	return count;
}

/*
 * Every input file is in exactly one place, and the archive and rejected
 * directories hold nothing else (a NAME.1 would mean a file went through
 * twice), apart from NAME.error.txt beside a rejected file — and, right
 * after a kill, NAME.error.txt.tmp (the kill came while it was written; the
 * file is still in the inbox, and its next rejection rewrites and renames
 * it, which the final check asserts).
 */
static void check_places(const struct site *s, const char *when, int final)
{
	size_t ni, na, nr;
	char **in = hx_test_list_dir(s->inbox, &ni), **ar = hx_test_list_dir(s->archive, &na);
	char **rj = hx_test_list_dir(s->rejected, &nr);

	for (size_t i = 0; i < nnames; i++) {
		int places = in_list(in, ni, names[i]) + in_list(ar, na, names[i]) +
		             in_list(rj, nr, names[i]);

		cr_assert(eq(int, places, 1), "%s: %s is in %d places (inbox %d, archive %d, rejected %d)",
		          when, names[i], places, in_list(in, ni, names[i]), in_list(ar, na, names[i]),
		          in_list(rj, nr, names[i]));
	}
	for (size_t i = 0; i < na; i++)
		cr_assert(in_list(names, nnames, ar[i]) == 1, "%s: unexpected archive/%s", when, ar[i]);
	for (size_t i = 0; i < ni; i++)
		cr_assert(in_list(names, nnames, in[i]) == 1, "%s: unexpected inbox/%s", when, in[i]);
	for (size_t i = 0; i < nr; i++) {
		size_t len = strlen(rj[i]);
		const char *suffix = ".error.txt";
		int ok = in_list(names, nnames, rj[i]) == 1;

		if (!ok && len > strlen(suffix) && strcmp(rj[i] + len - strlen(suffix), suffix) == 0) {
			char *base = hx_strndup(rj[i], len - strlen(suffix));

			ok = in_list(names, nnames, base) == 1;
			free(base);
		}
		if (!ok && !final && len > strlen(".error.txt.tmp") &&
		    strcmp(rj[i] + len - strlen(".error.txt.tmp"), ".error.txt.tmp") == 0) {
			char *base = hx_strndup(rj[i], len - strlen(".error.txt.tmp"));

			ok = in_list(names, nnames, base) == 1 && in_list(in, ni, base) == 1;
			free(base);
		}
		if (!ok && strstr(rj[i], ".rejects.") != NULL) {
			/* A partly loaded file's bad rows given back (or, killed while
			 * writing them, their temporary file). */
			char *base = hx_strndup(rj[i], (size_t)(strstr(rj[i], ".rejects.") - rj[i]));

			ok = in_list(names, nnames, base) == 1;
			free(base);
		}
		cr_assert(ok, "%s: unexpected rejected/%s", when, rj[i]);
	}
	hx_test_free_names(in, ni);
	hx_test_free_names(ar, na);
	hx_test_free_names(rj, nr);
}

/* Every figure the report reads, and the staging counts, as one text. */
static char *figures(const struct site *s)
{
	static const char *const sql =
		"SELECT concat_ws(E'\\n--\\n',"
		" (SELECT string_agg(concat_ws('|', scope_code, year, title, eligible, registered,"
		"   recognized, exemplary, rate_eligible, rate_registered, rate_eligible_num,"
		"   rate_eligible_den, rate_registered_num, rate_registered_den, units_reporting,"
		"   units_expected, source_level), E'\\n' ORDER BY scope_code, year, title)"
		"  FROM mart.rates),"
		" (SELECT string_agg(concat_ws('|', scope_code, year, mobilized_vnd, cumulative_vnd,"
		"   scholarships, scholarship_vnd, units_reporting), E'\\n' ORDER BY scope_code, year)"
		"  FROM mart.funds),"
		" (SELECT string_agg(concat_ws('|', scope_code, year, units_expected, units_reporting,"
		"   percent, missing::text), E'\\n' ORDER BY scope_code, year) FROM mart.completeness),"
		" (SELECT string_agg(x, E'\\n' ORDER BY x) FROM (SELECT concat_ws('|', code, severity,"
		"   unit_code, year, title, file, line) AS x FROM mart.findings) f),"
		" (SELECT concat_ws('|', (SELECT count(*) FROM staging.tally),"
		"   (SELECT count(*) FROM staging.fund), (SELECT count(*) FROM staging.register),"
		"   (SELECT count(DISTINCT name) FROM staging.files WHERE status IN ('loaded', 'partial')),"
		"   (SELECT count(*) FROM staging.files WHERE status IN ('loaded', 'partial')))))";
	PGconn *conn = hx_test_db_connect(s->conninfo);
	char *v = hx_test_db_value(conn, sql);

	PQfinish(conn);
	cr_assert(v != NULL && strlen(v) > 100, "no figures: %s", v ? v : "(null)");
	return v;
}

static void load_names(void)
{
	char *src = hx_test_src("samples/inbox");

	names = hx_test_list_dir(src, &nnames);
	free(src);
	cr_assert(nnames >= 20, "samples/inbox holds only %zu files", nnames);
}

Test(faults, sigkill_ingest_and_transform_lose_nothing, .timeout = 600)
{
	struct site ref, s;
	const char *ingest[10], *transform[4];
	const char *seed_env = getenv("HOCTAP_FAULT_SEED");
	double t_ingest, t_transform, t0 = now();
	char *want, *got;
	int killed = 0, rounds, rc, kills_ingest = 0, kills_transform = 0;

	rng_state = seed_env != NULL ? strtoull(seed_env, NULL, 10) : 8;
	if (rng_state == 0)
		rng_state = 8;
	load_names();
	ingest_bin = hx_strdup(hx_test_bin("hoctap-ingest"));
	transform_bin = hx_strdup(hx_test_bin("hoctap-transform"));

	/* The reference: one uninterrupted ingest and transform. */
	site_open(&ref);
	ingest_argv(&ref, ingest);
	transform_argv(&ref, transform);
	rc = run_to_end(&ref, ingest, &t_ingest);
	cr_assert(rc == 0 || rc == 65, "reference ingest: exit %d", rc);
	rc = run_to_end(&ref, transform, &t_transform);
	/* 65: the samples plant two error findings, which a first transform lists. */
	cr_assert(eq(int, rc, 65), "reference transform: exit %d", rc);
	check_places(&ref, "reference", 1);
	want = figures(&ref);

	/* Rounds of killed runs. */
	site_open(&s);
	ingest_argv(&s, ingest);
	transform_argv(&s, transform);
	for (rounds = 0; rounds < MAX_ROUNDS && killed < MIN_KILLS; rounds++) {
		/* Up to a quarter of a whole ingest: several rounds before the inbox is empty. */
		double d = t_ingest * (double)(rng() % 1000) / 4000.0;
		char when[96];

		if (run_and_kill(&s, ingest, d, &rc)) {
			killed++;
			kills_ingest++;
			cr_assert(eq(int, rc, 128 + SIGKILL));
		} else {
			cr_assert(rc == 0 || rc == 65 || rc == 75, "round %d: ingest exit %d", rounds, rc);
		}
		snprintf(when, sizeof when, "after ingest of round %d (killed at %.3fs)", rounds, d);
		check_places(&s, when, 0);
		d = t_transform * (double)(rng() % 1000) / 1000.0;
		if (run_and_kill(&s, transform, d, &rc)) {
			killed++;
			kills_transform++;
		} else {
			cr_assert(rc == 0 || rc == 65 || rc == 75, "round %d: transform exit %d", rounds, rc);
		}
	}
	cr_assert(killed >= MIN_KILLS, "only %d kills in %d rounds", killed, rounds);
	cr_assert(kills_ingest >= 3 && kills_transform >= 3,
	          "kills: %d ingest, %d transform", kills_ingest, kills_transform);

	/* Then to completion. */
	rc = run_to_end(&s, ingest, NULL);
	cr_assert(rc == 0 || rc == 65, "final ingest: exit %d", rc);
	check_places(&s, "at the end", 1);
	{
		size_t ni;
		char **in = hx_test_list_dir(s.inbox, &ni);

		cr_assert(eq(sz, ni, 0), "%zu files left in the inbox after a clean run", ni);
		hx_test_free_names(in, ni);
	}
	rc = run_to_end(&s, transform, NULL);
	/* 65 unless a round's transform finished and listed the errors already. */
	cr_assert(rc == 0 || rc == 65, "final transform: exit %d", rc);
	got = figures(&s);
	cr_assert(strcmp(got, want) == 0,
	          "figures after %d kills differ from an uninterrupted run's\n--- want\n%s\n--- got\n%s",
	          killed, want, got);
	cr_log_info("seed %llu: %d kills (%d ingest, %d transform) in %d rounds, %.1fs "
	            "(ingest %.2fs, transform %.2fs uninterrupted)",
	            (unsigned long long)(seed_env != NULL ? strtoull(seed_env, NULL, 10) : 8), killed,
	            kills_ingest, kills_transform, rounds, now() - t0, t_ingest, t_transform);
	free(want);
	free(got);
	site_close(&ref);
	site_close(&s);
	hx_test_free_names(names, nnames);
	free(ingest_bin);
	free(transform_bin);
}
