/*
 * test_concurrency.c — runs that overlap never double-count (issue 8):
 *
 *   - three hoctap-ingest runs started at once on one inbox and database:
 *     one takes the lock, the others exit 75 (or, started after it ended,
 *     find nothing to do); every file ends in one place, each file's rows
 *     are in staging once, and the staging counts equal one clean ingest's;
 *   - hoctap-ingest running while hoctap-transform runs (the second half
 *     of the inbox arriving mid-transform, at several offsets): after both
 *     finish and a last transform, every figure equals that of a clean
 *     sequential run over all the files;
 *   - two hoctap-transform runs at once: one waits out or exits 75, and
 *     the figures are those of one run.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "lengthof.h"
#include "testsupport.h"

struct site {
	char *conninfo;
	char *dir, *inbox, *archive, *rejected, *log;
};

static char **names;
static size_t nnames;
static char *ingest_bin, *transform_bin;

static void setup(void)
{
	char *src = hx_test_src("samples/inbox");

	names = hx_test_list_dir(src, &nnames);
	free(src);
	cr_assert(nnames >= 20, "samples/inbox holds only %zu files", nnames);
	ingest_bin = hx_strdup(hx_test_bin("hoctap-ingest"));
	transform_bin = hx_strdup(hx_test_bin("hoctap-transform"));
}

static void teardown(void)
{
	hx_test_free_names(names, nnames);
	free(ingest_bin);
	free(transform_bin);
}

TestSuite(concurrency, .init = setup, .fini = teardown, .timeout = 300);

/* Put samples/inbox files [from, to) into the site's inbox. */
static void fill(const struct site *s, size_t from, size_t to)
{
	char *src = hx_test_src("samples/inbox");

	for (size_t i = from; i < to; i++) {
		char *a = hx_asprintf("%s/%s", src, names[i]), *b = hx_asprintf("%s/%s", s->inbox, names[i]);
		size_t len;
		char *data = hx_test_read_file(a, &len);

		hx_test_write_file(b, data, len);
		free(data);
		free(a);
		free(b);
	}
	free(src);
}

static void site_open(struct site *s)
{
	char *units = hx_test_src("samples/units.csv");
	const char *argv[] = {ingest_bin, "-q", "-d", NULL, "--units", units, NULL};
	struct hx_test_output o;

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

static int ingest_now(const struct site *s)
{
	const char *argv[10];

	ingest_argv(s, argv);
	return hx_test_wait(spawn(s, argv));
}

static int transform_now(const struct site *s)
{
	const char *argv[] = {transform_bin, "-d", s->conninfo, NULL};

	return hx_test_wait(spawn(s, argv));
}

static int count_in(char **v, size_t n, const char *name)
{
	int c = 0;

	for (size_t i = 0; i < n; i++)
		c += strcmp(v[i], name) == 0;
	return c;
}

/* Files [0, upto) each in exactly one place; archive/ holds no NAME.1. */
static void check_places(const struct site *s, size_t upto)
{
	size_t ni, na, nr;
	char **in = hx_test_list_dir(s->inbox, &ni), **ar = hx_test_list_dir(s->archive, &na);
	char **rj = hx_test_list_dir(s->rejected, &nr);

	for (size_t i = 0; i < upto; i++) {
		int p = count_in(in, ni, names[i]) + count_in(ar, na, names[i]) +
		        count_in(rj, nr, names[i]);

		cr_assert(eq(int, p, 1), "%s is in %d places", names[i], p);
	}
	for (size_t i = 0; i < na; i++)
		cr_assert(eq(int, count_in(names, nnames, ar[i]), 1), "unexpected archive/%s", ar[i]);
	hx_test_free_names(in, ni);
	hx_test_free_names(ar, na);
	hx_test_free_names(rj, nr);
}

/* Staging counts, and how many files went in twice (must be 0). */
static char *staging_counts(const struct site *s)
{
	PGconn *conn = hx_test_db_connect(s->conninfo);
	char *v = hx_test_db_value(
		conn, "SELECT concat_ws('|', (SELECT count(*) FROM staging.tally),"
		      " (SELECT count(*) FROM staging.fund), (SELECT count(*) FROM staging.register),"
		      " (SELECT count(*) FROM staging.rejects WHERE line IS NOT NULL),"
		      " (SELECT count(*) FROM staging.files WHERE status IN ('loaded', 'partial')),"
		      " (SELECT count(*) FROM (SELECT sha256 FROM staging.files"
		      "   WHERE status IN ('loaded', 'partial') GROUP BY sha256 HAVING count(*) > 1) d))");

	PQfinish(conn);
	return v;
}

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
		"   unit_code, year, title, file, line) AS x FROM mart.findings) f))";
	PGconn *conn = hx_test_db_connect(s->conninfo);
	char *v = hx_test_db_value(conn, sql);

	PQfinish(conn);
	cr_assert(v != NULL && strlen(v) > 100, "no figures");
	return v;
}

Test(concurrency, simultaneous_ingests_never_double_count)
{
	struct site ref, s;
	const char *argv[10];
	pid_t pids[3];
	int rc[3], ran = 0, locked = 0;
	char *want, *got;

	site_open(&ref);
	fill(&ref, 0, nnames);
	rc[0] = ingest_now(&ref);
	cr_assert(rc[0] == 0 || rc[0] == 65, "reference ingest: exit %d", rc[0]);
	want = staging_counts(&ref);

	site_open(&s);
	fill(&s, 0, nnames);
	ingest_argv(&s, argv);
	for (int i = 0; i < 3; i++)
		pids[i] = spawn(&s, argv);
	for (int i = 0; i < 3; i++) {
		rc[i] = hx_test_wait(pids[i]);
		cr_assert(rc[i] == 0 || rc[i] == 65 || rc[i] == 75, "ingest %d: exit %d", i, rc[i]);
		ran += rc[i] != 75;
		locked += rc[i] == 75;
	}
	cr_assert(ran >= 1, "every ingest found the lock held");
	check_places(&s, nnames);
	/* Whatever is left (nothing, if one run did it all) goes in now. */
	rc[0] = ingest_now(&s);
	cr_assert(rc[0] == 0 || rc[0] == 65, "last ingest: exit %d", rc[0]);
	check_places(&s, nnames);
	got = staging_counts(&s);
	cr_assert(eq(str, got, want), "staging after 3 simultaneous ingests (%d ran, %d locked out): "
	          "%s, one clean ingest: %s (tally|fund|register|rejects|files|doubled)",
	          ran, locked, got, want);
	free(want);
	free(got);
	site_close(&ref);
	site_close(&s);
}

Test(concurrency, ingest_during_transform_equals_a_sequential_run)
{
	static const int offsets_ms[] = {0, 60, 200};
	struct site ref;
	size_t half = nnames / 2;
	char *want;
	int rc;

	/* The clean sequential run: everything ingested, then one transform. */
	site_open(&ref);
	fill(&ref, 0, nnames);
	rc = ingest_now(&ref);
	cr_assert(rc == 0 || rc == 65, "reference ingest: exit %d", rc);
	/* The samples plant two error findings: the first transform says so (65). */
	cr_assert(eq(int, transform_now(&ref), 65));
	want = figures(&ref);

	for (size_t k = 0; k < lengthof(offsets_ms); k++) {
		struct site s;
		const char *iargv[10];
		const char *targv[4];
		pid_t tp, ip;
		int trc, irc;
		char *got;

		site_open(&s);
		fill(&s, 0, half);
		rc = ingest_now(&s);
		cr_assert(rc == 0 || rc == 65, "first half: exit %d", rc);
		/* The second half arrives while the transform of the first runs. */
		fill(&s, half, nnames);
		targv[0] = transform_bin;
		targv[1] = "-d";
		targv[2] = s.conninfo;
		targv[3] = NULL;
		ingest_argv(&s, iargv);
		tp = spawn(&s, targv);
		usleep((useconds_t)offsets_ms[k] * 1000);
		ip = spawn(&s, iargv);
		trc = hx_test_wait(tp);
		irc = hx_test_wait(ip);
		cr_assert(trc == 0 || trc == 65, "offset %dms: transform exit %d", offsets_ms[k], trc);
		cr_assert(irc == 0 || irc == 65, "offset %dms: ingest exit %d", offsets_ms[k], irc);
		check_places(&s, nnames);
		/* The next night's transform takes what arrived meanwhile (and says 65
		 * if the errors came with it). */
		rc = transform_now(&s);
		cr_assert(rc == 0 || rc == 65, "offset %dms: next transform exit %d", offsets_ms[k], rc);
		got = figures(&s);
		cr_assert(strcmp(got, want) == 0,
		          "offset %dms: figures differ from a sequential run\n--- want\n%s\n--- got\n%s",
		          offsets_ms[k], want, got);
		free(got);
		site_close(&s);
	}
	free(want);
	site_close(&ref);
}

Test(concurrency, two_transforms_at_once_count_once)
{
	struct site ref, s;
	const char *argv[4];
	pid_t a, b;
	int ra, rb, rc, ok;
	char *want, *got;

	site_open(&ref);
	fill(&ref, 0, nnames);
	rc = ingest_now(&ref);
	cr_assert(rc == 0 || rc == 65);
	/* The samples plant two error findings: the first transform says so (65). */
	cr_assert(eq(int, transform_now(&ref), 65));
	want = figures(&ref);

	site_open(&s);
	fill(&s, 0, nnames);
	rc = ingest_now(&s);
	cr_assert(rc == 0 || rc == 65);
	argv[0] = transform_bin;
	argv[1] = "-d";
	argv[2] = s.conninfo;
	argv[3] = NULL;
	a = spawn(&s, argv);
	b = spawn(&s, argv);
	ra = hx_test_wait(a);
	rb = hx_test_wait(b);
	/* One takes the files in, and says 65 for the two planted error findings;
	 * the other found the lock held (75) or nothing left to tell (0). */
	ok = (ra == 65 && (rb == 0 || rb == 75)) || (rb == 65 && (ra == 0 || ra == 75));
	cr_assert(eq(int, ok, 1), "transforms exited %d and %d", ra, rb);
	got = figures(&s);
	cr_assert(strcmp(got, want) == 0, "figures after two simultaneous transforms differ\n"
	          "--- want\n%s\n--- got\n%s", want, got);
	free(want);
	free(got);
	site_close(&ref);
	site_close(&s);
}
