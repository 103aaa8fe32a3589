/*
 * The benchmark never rots: `bench/run --smoke` (tiny scale, one
 * repetition) runs every step end to end against the test cluster with the
 * programs of this build, and must measure each of B1..B6 (met or MISSED:
 * the verdict at this scale means nothing, a step that cannot run does).
 * bench/run itself checks each hoctap figure before reporting it (the rows
 * staged are the rows generated; an incremental night gives the marts a
 * full rebuild gives) and exits 1 when a check fails.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lengthof.h"
#include "testsupport.h"

/* The table line of bench `name` ("B1 ..."), copied into line; 0 if absent. */
static int table_line(const char *out, const char *name, char *line, size_t cap)
{
	const char *p = out;
	size_t n = strlen(name);

	while (p != NULL && *p != '\0') {
		const char *end = strchr(p, '\n');
		size_t len = end != NULL ? (size_t)(end - p) : strlen(p);

		if (len > n && strncmp(p, name, n) == 0 && p[n] == ' ') {
			snprintf(line, cap, "%.*s", (int)len, p);
			return 1;
		}
		p = end != NULL ? end + 1 : NULL;
	}
	return 0;
}

/* Measured, whatever the verdict: the smoke run proves the steps work, not the speed. */
static int has_verdict(const char *line)
{
	return strstr(line, "not measured") == NULL &&
	       (strstr(line, " met") != NULL || strstr(line, "MISSED") != NULL);
}

/* The run's work directory, made by setup and removed by teardown whatever the test reached. */
static char *tmp;

static void setup(void)
{
	tmp = hx_test_tempdir();
}

static void teardown(void)
{
	hx_test_dir_discard(&tmp);
}

TestSuite(bench, .init = setup, .fini = teardown, .timeout = 600);

Test(bench, smoke_run_prints_every_benchmark)
{
	static const char *const benches[] = {"B1", "B2", "B3", "B4", "B5", "B6"};
	char run[4096], work[4096], line[2048];
	struct hx_test_output o;
	const char *argv[8];
	size_t i;

	{
		char *src = hx_test_src("bench/run");

		snprintf(run, sizeof run, "%s", src);
		free(src);
	}
	snprintf(work, sizeof work, "%s/work", tmp);
	argv[0] = run;
	argv[1] = "--smoke";
	argv[2] = "--bin";
	argv[3] = HOCTAP_BIN_DIR;
	argv[4] = "--work";
	argv[5] = work;
	argv[6] = NULL;
	hx_test_run(argv, NULL, &o);
	cr_assert(eq(int, o.status, 0), "bench/run --smoke exit %d\nstdout:\n%s\nstderr:\n%s", o.status,
	          o.out, o.err);

	for (i = 0; i < lengthof(benches); i++) {
		cr_assert(table_line(o.out, benches[i], line, sizeof line), "no %s line in:\n%s",
		          benches[i], o.out);
		cr_assert(has_verdict(line), "%s not measured: %s\nstderr:\n%s", benches[i], line, o.err);
	}
	/* B1 on both clusters: every cluster, state and file, and the goal's verdict. */
	{
		static const char *const rows[] = {
			"B1   tuned cluster, fresh database, plain file, vs psql",
			"B1   tuned cluster, database holding 2 earlier years, clerk file, vs psql",
			"B1   stock cluster, fresh database, clerk file, vs psql",
			"B1   stock cluster, database holding 2 earlier years, plain file, vs psql",
			"B1   client CPU of hoctap-ingest per million rows (stock cluster, earlier years, "
			"clerk file)",
		};

		for (i = 0; i < lengthof(rows); i++)
			cr_assert(strstr(o.out, rows[i]) != NULL, "no \"%s\" in:\n%s\nstderr:\n%s", rows[i],
			          o.out, o.err);
		{
			const char *goal = strstr(o.out, rows[3]);
			const char *end = strchr(goal, '\n');

			snprintf(line, sizeof line, "%.*s", (int)(end != NULL ? end - goal : 200), goal);
			cr_assert(strstr(line, "≥ 1.2×") != NULL && has_verdict(line),
			          "the goal's row without its verdict: %s", line);
		}
	}
	/* The baselines need only psql, so they are always measured. */
	cr_assert(table_line(o.out, "B1", line, sizeof line));
	cr_assert(strstr(line, "rows/s") != NULL, "B1 without the psql rate: %s", line);
	cr_assert(table_line(o.out, "B2", line, sizeof line));
	cr_assert(strstr(line, "ms/file") != NULL, "B2 without the psql time: %s", line);

	{
		char results[4200];
		size_t len = 0;
		char *md;

		snprintf(results, sizeof results, "%s/RESULTS.md", work);
		md = hx_test_read_file(results, &len);
		cr_assert(md != NULL, "no %s", results);
		cr_assert(strstr(md, "| B1 ") != NULL && strstr(md, "| B5 ") != NULL);
		cr_assert(strstr(md, "PostgreSQL ") != NULL, "machine facts missing:\n%s", md);
		free(md);
	}
	hx_test_output_free(&o);
}
