/*
 * rss.c — hoctap-bench-rss: run a command and report its wall time and peak
 * resident set size, as /usr/bin/time -f %M would, without that package.
 *
 *   hoctap-bench-rss [-o FILE] -- COMMAND [ARG]...
 *
 * Writes one line "WALL_SECONDS MAXRSS_KIB EXIT USER_SECONDS SYS_SECONDS"
 * (the command's own CPU time, its children included) to FILE (or stderr) and
 * exits with the command's exit code (128+signal if it was killed).
 * ru_maxrss of wait4() is the child's own peak, in KiB on Linux.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROG "hoctap-bench-rss"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *outpath = NULL;
	struct rusage ru;
	FILE *out = stderr;
	double t0, t1;
	int i = 1, status = 0, code;
	pid_t pid;

	if (i + 1 < argc && strcmp(argv[i], "-o") == 0) {
		outpath = argv[i + 1];
		i += 2;
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i >= argc) {
		fprintf(stderr, "usage: %s [-o FILE] -- COMMAND [ARG]...\n", PROG);
		return 64;
	}
	t0 = now();
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "%s: fork: %s\n", PROG, strerror(errno));
		return 71;
	}
	if (pid == 0) {
		execvp(argv[i], argv + i);
		fprintf(stderr, "%s: cannot run \"%s\": %s\n", PROG, argv[i], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "%s: wait4: %s\n", PROG, strerror(errno));
			return 71;
		}
	}
	t1 = now();
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (outpath != NULL) {
		out = fopen(outpath, "w");
		if (out == NULL) {
			fprintf(stderr, "%s: cannot write \"%s\": %s\n", PROG, outpath, strerror(errno));
			return 73;
		}
	}
	fprintf(out, "%.3f %ld %d %.3f %.3f\n", t1 - t0, ru.ru_maxrss, code,
	        (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
	        (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6);
	if (out != stderr && fclose(out) != 0)
		return 74;
	return code;
}
