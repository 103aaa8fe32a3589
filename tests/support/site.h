/*
 * site.h — a throwaway installation for the tests that start the programs
 * as processes, overlap them and kill them (test_concurrency, test_faults,
 * test_orphans): a migrated database holding samples/units.csv, and a
 * temporary directory with inbox/, archive/, rejected/, the path of an
 * out/ for the report and a log that every program started on the site
 * appends to.  The inbox is filled from samples/inbox.
 *
 * A site that is zeroed and never opened, or already closed, may be closed
 * again: a suite's .fini closes its sites whatever the test reached.
 */
#ifndef HOCTAP_TEST_SITE_H
#define HOCTAP_TEST_SITE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct hx_site {
	char *db;     /* conninfo */
	char *dir;    /* the temporary directory holding what follows */
	char *inbox, *archive, *rejected;
	char *out;    /* not made: hoctap-report makes it */
	char *log;    /* what the programs started by hx_site_spawn print */
	char **names; /* the files of samples/inbox, sorted */
	size_t nnames;
};

/* Open s (its fields overwritten): the database, the directories, an empty inbox. */
void hx_site_open(struct hx_site *s);
/* Drop the database, remove the directory, free the paths; s is zeroed. */
void hx_site_close(struct hx_site *s);
/* Copy the samples s->names[from, to) into the site's inbox. */
void hx_site_fill(const struct hx_site *s, size_t from, size_t to);

/* The programs, each started on the site with its directories. */
enum hx_step { HX_INGEST, HX_TRANSFORM, HX_REPORT };
/* "ingest", "transform", "report". */
const char *hx_step_name(enum hx_step step);

/*
 * Start a step in the background, its output appended to the site's log:
 * hoctap-ingest --inbox --archive --rejected, hoctap-transform,
 * hoctap-report -o out; each with -d the site's database.
 */
pid_t hx_site_spawn(const struct hx_site *s, enum hx_step step);
/* Run a step to its end: its exit status (128+signal if killed); *seconds (may be NULL) how long. */
int hx_site_run(const struct hx_site *s, enum hx_step step, double *seconds);
/*
 * Start a step and SIGKILL it after delay seconds, unless it ended first.
 * Returns 1 if it was killed while running, else 0; *rc its exit status.
 */
int hx_site_run_and_kill(const struct hx_site *s, enum hx_step step, double delay, int *rc);

/*
 * Assert that each of s->names is in exactly one of inbox/, archive/ and
 * rejected/, and that archive/ holds nothing else (a NAME.1 would mean a
 * file went through twice).  With HX_PLACES_NOTHING_ELSE, inbox/ and
 * rejected/ hold nothing else either, but NAME.error.txt beside a rejected
 * file and NAME.rejects.* (a partly loaded file's bad rows given back, or,
 * killed while they were written, their temporary file); with
 * HX_PLACES_AFTER_KILL also NAME.error.txt.tmp of a NAME still in the inbox
 * (the kill came while its report was written).  when names the moment in
 * the failure message.
 */
#define HX_PLACES_NOTHING_ELSE 1u
#define HX_PLACES_AFTER_KILL 2u
void hx_site_check_places(const struct hx_site *s, const char *when, unsigned flags);

/*
 * Every figure the report reads — mart.rates, mart.funds,
 * mart.completeness and mart.findings — as one text
 * (tests/data/site/figures.sql), to compare two sites by; a new string.
 */
char *hx_site_figures(const struct hx_site *s);

/*
 * The seed of a test's random delays: HOCTAP_FAULT_SEED from the
 * environment, or fallback when it is unset or 0.  hx_rng draws the next
 * number of the sequence it starts (xorshift64*: the same seed, the same
 * delays).
 */
uint64_t hx_rng_seed(uint64_t fallback);
uint64_t hx_rng(uint64_t *state);

#endif
