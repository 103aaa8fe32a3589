/*
 * progress.c — rows and MB/s of the file being loaded, on stderr, when it
 * is a terminal and -q was not given (main decides).  At most a few
 * updates a second; the line is rewritten in place and ended when the file
 * is done.
 */
#include <stdio.h>
#include <time.h>

#include "ingest.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_update(const char *name, unsigned long long rows, unsigned long long bytes,
                     unsigned long long total, int final)
{
	static double start, last;
	static const char *current;
	double t = now(), mbps;

	if (name != current) {
		current = name;
		start = last = t;
	}
	if (!final && t - last < 0.25)
		return;
	last = t;
	if (!final && t - start < 1.0)
		return; /* small files: no progress line at all */
	mbps = t > start ? (double)bytes / 1e6 / (t - start) : 0;
	if (total > 0 && !final) {
		double eta = mbps > 0 ? ((double)(total - (bytes < total ? bytes : total)) / 1e6) / mbps : 0;

		fprintf(stderr, "\r%s: %llu rows, %.1f MB/s, %.0f%%, ETA %.0fs   ", name, rows, mbps,
		        100.0 * (double)bytes / (double)total, eta);
	} else if (final && t - start >= 1.0) {
		fprintf(stderr, "\r%s: %llu rows, %.1f MB/s, done in %.1fs          \n", name, rows,
		        mbps, t - start);
	}
	fflush(stderr);
}
