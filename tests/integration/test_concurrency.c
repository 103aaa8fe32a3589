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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lengthof.h"
#include "site.h"
#include "testsupport.h"

/* Open a site, asserting that the samples are enough to overlap runs over. */
static void site_open(struct hx_site *s)
{
	hx_site_open(s);
	cr_assert(s->nnames >= 20, "samples/inbox holds only %zu files", s->nnames);
}

/*
 * Each test's two sites, opened by setup and closed by teardown whatever
 * the test reached: ref runs clean and in sequence, site overlaps its runs.
 */
static struct hx_site ref, site;

static void setup(void)
{
	site_open(&ref);
	site_open(&site);
}

static void teardown(void)
{
	hx_site_close(&ref);
	hx_site_close(&site);
}

TestSuite(concurrency, .init = setup, .fini = teardown, .timeout = 300);

/* Staging counts, and how many files went in twice (must be 0). */
static char *staging_counts(const struct hx_site *s)
{
	PGconn *conn = hx_test_db_connect(s->db);
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

Test(concurrency, simultaneous_ingests_never_double_count)
{
	pid_t pids[3];
	int rc[3], ran = 0, locked = 0;
	char *want, *got;

	hx_site_fill(&ref, 0, ref.nnames);
	rc[0] = hx_site_run(&ref, HX_INGEST, NULL);
	cr_assert(rc[0] == 0 || rc[0] == 65, "reference ingest: exit %d", rc[0]);
	want = staging_counts(&ref);

	hx_site_fill(&site, 0, site.nnames);
	for (int i = 0; i < 3; i++)
		pids[i] = hx_site_spawn(&site, HX_INGEST);
	for (int i = 0; i < 3; i++) {
		rc[i] = hx_test_wait(pids[i]);
		cr_assert(rc[i] == 0 || rc[i] == 65 || rc[i] == 75, "ingest %d: exit %d", i, rc[i]);
		ran += rc[i] != 75;
		locked += rc[i] == 75;
	}
	cr_assert(ran >= 1, "every ingest found the lock held");
	hx_site_check_places(&site, "after 3 simultaneous ingests", 0);
	/* Whatever is left (nothing, if one run did it all) goes in now. */
	rc[0] = hx_site_run(&site, HX_INGEST, NULL);
	cr_assert(rc[0] == 0 || rc[0] == 65, "last ingest: exit %d", rc[0]);
	hx_site_check_places(&site, "after the last ingest", 0);
	got = staging_counts(&site);
	cr_assert(eq(str, got, want), "staging after 3 simultaneous ingests (%d ran, %d locked out): "
	          "%s, one clean ingest: %s (tally|fund|register|rejects|files|doubled)",
	          ran, locked, got, want);
	free(want);
	free(got);
}

Test(concurrency, ingest_during_transform_equals_a_sequential_run)
{
	static const int offsets_ms[] = {0, 60, 200};
	size_t half = ref.nnames / 2;
	char *want;
	int rc;

	/* The clean sequential run: everything ingested, then one transform. */
	hx_site_fill(&ref, 0, ref.nnames);
	rc = hx_site_run(&ref, HX_INGEST, NULL);
	cr_assert(rc == 0 || rc == 65, "reference ingest: exit %d", rc);
	/* The samples plant two error findings: the first transform says so (65). */
	cr_assert(eq(int, hx_site_run(&ref, HX_TRANSFORM, NULL), 65));
	want = hx_site_figures(&ref);

	for (size_t k = 0; k < lengthof(offsets_ms); k++) {
		char when[64];
		pid_t tp, ip;
		int trc, irc;
		char *got;

		if (k > 0) { /* a new site for each offset */
			hx_site_close(&site);
			site_open(&site);
		}
		hx_site_fill(&site, 0, half);
		rc = hx_site_run(&site, HX_INGEST, NULL);
		cr_assert(rc == 0 || rc == 65, "first half: exit %d", rc);
		/* The second half arrives while the transform of the first runs. */
		hx_site_fill(&site, half, site.nnames);
		tp = hx_site_spawn(&site, HX_TRANSFORM);
		usleep((useconds_t)offsets_ms[k] * 1000);
		ip = hx_site_spawn(&site, HX_INGEST);
		trc = hx_test_wait(tp);
		irc = hx_test_wait(ip);
		cr_assert(trc == 0 || trc == 65, "offset %dms: transform exit %d", offsets_ms[k], trc);
		cr_assert(irc == 0 || irc == 65, "offset %dms: ingest exit %d", offsets_ms[k], irc);
		snprintf(when, sizeof when, "offset %dms", offsets_ms[k]);
		hx_site_check_places(&site, when, 0);
		/* The next night's transform takes what arrived meanwhile (and says 65
		 * if the errors came with it). */
		rc = hx_site_run(&site, HX_TRANSFORM, NULL);
		cr_assert(rc == 0 || rc == 65, "offset %dms: next transform exit %d", offsets_ms[k], rc);
		got = hx_site_figures(&site);
		cr_assert(strcmp(got, want) == 0,
		          "offset %dms: figures differ from a sequential run\n--- want\n%s\n--- got\n%s",
		          offsets_ms[k], want, got);
		free(got);
	}
	free(want);
}

Test(concurrency, two_transforms_at_once_count_once)
{
	pid_t a, b;
	int ra, rb, rc, ok;
	char *want, *got;

	hx_site_fill(&ref, 0, ref.nnames);
	rc = hx_site_run(&ref, HX_INGEST, NULL);
	cr_assert(rc == 0 || rc == 65);
	/* The samples plant two error findings: the first transform says so (65). */
	cr_assert(eq(int, hx_site_run(&ref, HX_TRANSFORM, NULL), 65));
	want = hx_site_figures(&ref);

	hx_site_fill(&site, 0, site.nnames);
	rc = hx_site_run(&site, HX_INGEST, NULL);
	cr_assert(rc == 0 || rc == 65);
	a = hx_site_spawn(&site, HX_TRANSFORM);
	b = hx_site_spawn(&site, HX_TRANSFORM);
	ra = hx_test_wait(a);
	rb = hx_test_wait(b);
	/* One takes the files in, and says 65 for the two planted error findings;
	 * the other found the lock held (75) or nothing left to tell (0). */
	ok = (ra == 65 && (rb == 0 || rb == 75)) || (rb == 65 && (ra == 0 || ra == 75));
	cr_assert(eq(int, ok, 1), "transforms exited %d and %d", ra, rb);
	got = hx_site_figures(&site);
	cr_assert(strcmp(got, want) == 0, "figures after two simultaneous transforms differ\n"
	          "--- want\n%s\n--- got\n%s", want, got);
	free(want);
	free(got);
}
