/* site.c — see site.h. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "alloc.h"
#include "site.h"
#include "testsupport.h"

void hx_site_open(struct hx_site *s)
{
	char *units = hx_test_src("samples/units.csv"), *src = hx_test_src("samples/inbox");
	struct hx_test_output o;

	memset(s, 0, sizeof *s);
	s->names = hx_test_list_dir(src, &s->nnames);
	s->db = hx_test_db_create(1);
	o = hx_test_program("hoctap-ingest", s->db, (const char *const[]){"-q", "--units", units, NULL});
	cr_assert(eq(int, o.status, 0), "--units: %s", o.err);
	hx_test_output_free(&o);
	s->dir = hx_test_tempdir();
	s->inbox = hx_asprintf("%s/inbox", s->dir);
	s->archive = hx_asprintf("%s/archive", s->dir);
	s->rejected = hx_asprintf("%s/rejected", s->dir);
	s->out = hx_asprintf("%s/out", s->dir);
	s->log = hx_asprintf("%s/log", s->dir);
	cr_assert(mkdir(s->inbox, 0755) == 0 && mkdir(s->archive, 0755) == 0 &&
	          mkdir(s->rejected, 0755) == 0);
	free(src);
	free(units);
}

void hx_site_close(struct hx_site *s)
{
	if (s->db != NULL)
		hx_test_db_drop(s->db);
	if (s->dir != NULL)
		hx_test_rmtree(s->dir);
	hx_test_free_names(s->names, s->nnames);
	free(s->db);
	free(s->dir);
	free(s->inbox);
	free(s->archive);
	free(s->rejected);
	free(s->out);
	free(s->log);
	memset(s, 0, sizeof *s);
}

void hx_site_fill(const struct hx_site *s, size_t from, size_t to)
{
	char *src = hx_test_src("samples/inbox");

	for (size_t i = from; i < to; i++) {
		char *a = hx_asprintf("%s/%s", src, s->names[i]);
		char *b = hx_asprintf("%s/%s", s->inbox, s->names[i]);

		hx_test_copy_file(a, b);
		free(a);
		free(b);
	}
	free(src);
}

const char *hx_step_name(enum hx_step step)
{
	switch (step) {
	case HX_INGEST:
		return "ingest";
	case HX_TRANSFORM:
		return "transform";
	case HX_REPORT:
		return "report";
	}
	return "?";
}

pid_t hx_site_spawn(const struct hx_site *s, enum hx_step step)
{
	char bin[4096];
	const char *argv[12];
	size_t n = 0;

	/* hx_test_bin's buffer is shared: the path is copied before anything else calls it. */
	snprintf(bin, sizeof bin, "%s", hx_test_bin(step == HX_INGEST      ? "hoctap-ingest"
	                                            : step == HX_TRANSFORM ? "hoctap-transform"
	                                                                   : "hoctap-report"));
	argv[n++] = bin;
	argv[n++] = "-d";
	argv[n++] = s->db;
	if (step == HX_INGEST) {
		argv[n++] = "--inbox";
		argv[n++] = s->inbox;
		argv[n++] = "--archive";
		argv[n++] = s->archive;
		argv[n++] = "--rejected";
		argv[n++] = s->rejected;
	} else if (step == HX_REPORT) {
		argv[n++] = "-o";
		argv[n++] = s->out;
	}
	argv[n] = NULL;
	return hx_test_spawn(argv, s->log);
}

int hx_site_run(const struct hx_site *s, enum hx_step step, double *seconds)
{
	double t0 = hx_test_now();
	int rc = hx_test_wait(hx_site_spawn(s, step));

	if (seconds != NULL)
		*seconds = hx_test_now() - t0;
	return rc;
}

int hx_site_run_and_kill(const struct hx_site *s, enum hx_step step, double delay, int *rc)
{
	pid_t pid = hx_site_spawn(s, step);
	int st;

	hx_test_sleep(delay);
	if (waitpid(pid, &st, WNOHANG) == 0) {
		kill(pid, SIGKILL);
		*rc = hx_test_wait(pid);
		return 1;
	}
	*rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return 0;
}

static int count_in(char **v, size_t n, const char *name)
{
	int c = 0;

	for (size_t i = 0; i < n; i++)
		c += strcmp(v[i], name) == 0;
	return c;
}

/* name is BASE + suffix, BASE one of the site's files; if want_in, BASE is also in the inbox. */
static int beside(const struct hx_site *s, const char *name, const char *suffix, char **in,
                  size_t ni, int want_in)
{
	size_t len = strlen(name), slen = strlen(suffix);
	char *base;
	int ok;

	if (len <= slen || strcmp(name + len - slen, suffix) != 0)
		return 0;
	base = hx_strndup(name, len - slen);
	ok = count_in(s->names, s->nnames, base) == 1 && (!want_in || count_in(in, ni, base) == 1);
	free(base);
	return ok;
}

/* name is BASE.rejects.SOMETHING, BASE one of the site's files: its bad rows given back. */
static int rejects_of(const struct hx_site *s, const char *name)
{
	const char *at = strstr(name, ".rejects.");
	char *base;
	int ok;

	if (at == NULL)
		return 0;
	base = hx_strndup(name, (size_t)(at - name));
	ok = count_in(s->names, s->nnames, base) == 1;
	free(base);
	return ok;
}

void hx_site_check_places(const struct hx_site *s, const char *when, unsigned flags)
{
	size_t ni, na, nr;
	char **in = hx_test_list_dir(s->inbox, &ni), **ar = hx_test_list_dir(s->archive, &na);
	char **rj = hx_test_list_dir(s->rejected, &nr);

	for (size_t i = 0; i < s->nnames; i++) {
		int pin = count_in(in, ni, s->names[i]), par = count_in(ar, na, s->names[i]);
		int prj = count_in(rj, nr, s->names[i]);

		cr_assert(eq(int, pin + par + prj, 1),
		          "%s: %s is in %d places (inbox %d, archive %d, rejected %d)", when, s->names[i],
		          pin + par + prj, pin, par, prj);
	}
	for (size_t i = 0; i < na; i++)
		cr_assert(eq(int, count_in(s->names, s->nnames, ar[i]), 1), "%s: unexpected archive/%s",
		          when, ar[i]);
	for (size_t i = 0; (flags & HX_PLACES_NOTHING_ELSE) && i < ni; i++)
		cr_assert(eq(int, count_in(s->names, s->nnames, in[i]), 1), "%s: unexpected inbox/%s",
		          when, in[i]);
	for (size_t i = 0; (flags & HX_PLACES_NOTHING_ELSE) && i < nr; i++) {
		int ok = count_in(s->names, s->nnames, rj[i]) == 1 ||
		         beside(s, rj[i], ".error.txt", in, ni, 0) || rejects_of(s, rj[i]) ||
		         ((flags & HX_PLACES_AFTER_KILL) && beside(s, rj[i], ".error.txt.tmp", in, ni, 1));

		cr_assert(ok, "%s: unexpected rejected/%s", when, rj[i]);
	}
	hx_test_free_names(in, ni);
	hx_test_free_names(ar, na);
	hx_test_free_names(rj, nr);
}

char *hx_site_figures(const struct hx_site *s)
{
	char *path = hx_test_src("tests/data/site/figures.sql");
	char *sql = hx_test_read_file(path, NULL);
	PGconn *conn = hx_test_db_connect(s->db);
	char *v;

	cr_assert(sql != NULL, "read %s", path);
	v = hx_test_db_value(conn, sql);
	PQfinish(conn);
	cr_assert(v != NULL && strlen(v) > 100, "no figures: %s", v != NULL ? v : "(null)");
	free(sql);
	free(path);
	return v;
}

uint64_t hx_rng_seed(uint64_t fallback)
{
	const char *env = getenv("HOCTAP_FAULT_SEED");
	uint64_t seed = env != NULL ? strtoull(env, NULL, 10) : 0;

	return seed != 0 ? seed : fallback;
}

uint64_t hx_rng(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * UINT64_C(2685821657736338717);
}
