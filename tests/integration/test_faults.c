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
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "site.h"
#include "testsupport.h"

#define MIN_KILLS 20
#define MAX_ROUNDS 40

/* Run to completion, retrying while a killed run's lock lingers (75). */
static int run_to_end(const struct hx_site *s, enum hx_step step, double *seconds)
{
	for (int tries = 0; tries < 100; tries++) {
		int rc = hx_site_run(s, step, seconds);

		if (rc != 75)
			return rc;
		usleep(100000);
	}
	cr_fatal("hoctap-%s still finds the lock held after 100 tries", hx_step_name(step));
	return -1;
}

/* Every figure the report reads, and the staging counts, as one text. */
static char *figures(const struct hx_site *s)
{
	char *marts = hx_site_figures(s), *staging, *v;
	PGconn *conn = hx_test_db_connect(s->db);

	staging = hx_test_db_value(
		conn, "SELECT concat_ws('|', (SELECT count(*) FROM staging.tally),"
		      " (SELECT count(*) FROM staging.fund), (SELECT count(*) FROM staging.register),"
		      " (SELECT count(DISTINCT name) FROM staging.files"
		      "   WHERE status IN ('loaded', 'partial')),"
		      " (SELECT count(*) FROM staging.files WHERE status IN ('loaded', 'partial')))");
	PQfinish(conn);
	v = hx_asprintf("%s\n--\n%s", marts, staging);
	free(marts);
	free(staging);
	return v;
}

/* Open a site with every sample in its inbox. */
static void site_open(struct hx_site *s)
{
	hx_site_open(s);
	cr_assert(s->nnames >= 20, "samples/inbox holds only %zu files", s->nnames);
	hx_site_fill(s, 0, s->nnames);
}

/*
 * The test's two sites, opened by setup and closed by teardown whatever it
 * reached: ref runs uninterrupted, site is killed in rounds.
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

TestSuite(faults, .init = setup, .fini = teardown, .timeout = 600);

Test(faults, sigkill_ingest_and_transform_lose_nothing)
{
	uint64_t seed = hx_rng_seed(8), rng = seed;
	double t_ingest, t_transform, t0 = hx_test_now();
	char *want, *got;
	int killed = 0, rounds, rc, kills_ingest = 0, kills_transform = 0;

	/* The reference: one uninterrupted ingest and transform. */
	rc = run_to_end(&ref, HX_INGEST, &t_ingest);
	cr_assert(rc == 0 || rc == 65, "reference ingest: exit %d", rc);
	rc = run_to_end(&ref, HX_TRANSFORM, &t_transform);
	/* 65: the samples plant two error findings, which a first transform lists. */
	cr_assert(eq(int, rc, 65), "reference transform: exit %d", rc);
	hx_site_check_places(&ref, "reference", HX_PLACES_NOTHING_ELSE);
	want = figures(&ref);

	/* Rounds of killed runs. */
	for (rounds = 0; rounds < MAX_ROUNDS && killed < MIN_KILLS; rounds++) {
		/* Up to a quarter of a whole ingest: several rounds before the inbox is empty. */
		double d = t_ingest * (double)(hx_rng(&rng) % 1000) / 4000.0;
		char when[96];

		if (hx_site_run_and_kill(&site, HX_INGEST, d, &rc)) {
			killed++;
			kills_ingest++;
			cr_assert(eq(int, rc, 128 + SIGKILL));
		} else {
			cr_assert(rc == 0 || rc == 65 || rc == 75, "round %d: ingest exit %d", rounds, rc);
		}
		snprintf(when, sizeof when, "after ingest of round %d (killed at %.3fs)", rounds, d);
		hx_site_check_places(&site, when, HX_PLACES_NOTHING_ELSE | HX_PLACES_AFTER_KILL);
		d = t_transform * (double)(hx_rng(&rng) % 1000) / 1000.0;
		if (hx_site_run_and_kill(&site, HX_TRANSFORM, d, &rc)) {
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
	rc = run_to_end(&site, HX_INGEST, NULL);
	cr_assert(rc == 0 || rc == 65, "final ingest: exit %d", rc);
	hx_site_check_places(&site, "at the end", HX_PLACES_NOTHING_ELSE);
	cr_assert(eq(int, hx_test_count_files(site.inbox), 0),
	          "files left in the inbox after a clean run");
	rc = run_to_end(&site, HX_TRANSFORM, NULL);
	/* 65 unless a round's transform finished and listed the errors already. */
	cr_assert(rc == 0 || rc == 65, "final transform: exit %d", rc);
	got = figures(&site);
	cr_assert(strcmp(got, want) == 0,
	          "figures after %d kills differ from an uninterrupted run's\n--- want\n%s\n--- got\n%s",
	          killed, want, got);
	cr_log_info("seed %llu: %d kills (%d ingest, %d transform) in %d rounds, %.1fs "
	            "(ingest %.2fs, transform %.2fs uninterrupted)",
	            (unsigned long long)seed, killed, kills_ingest, kills_transform, rounds,
	            hx_test_now() - t0, t_ingest, t_transform);
	free(want);
	free(got);
}
