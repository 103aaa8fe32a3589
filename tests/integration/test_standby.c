/*
 * test_standby.c — hoctap-report on a PostgreSQL hot standby (issue 22
 * item 5, docs/design.md §9.7, docs/nightly.md "Reporting from a standby").
 *
 * A throwaway primary of its own (initdb in a temporary directory, unix
 * socket only, no TCP; run as the postgres user through runuser when the
 * test runs as root, as scripts/pg-local does) and a standby made from it
 * with pg_basebackup -R, streaming.  The samples are ingested and
 * transformed on the primary; once the standby has replayed that, the
 * report run against each, at one stated time (SOURCE_DATE_EPOCH), must
 * give the same files byte for byte, and --explain the same text.  A report on the standby never
 * writes (its transaction is READ ONLY, and a standby refuses writes).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <fcntl.h>
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h"
#include "testsupport.h"

#define PRIMARY_PORT "5432"
#define STANDBY_PORT "5433"

static char bindir[1024]; /* the newest /usr/lib/postgresql/N/bin */
static char *base;        /* the temporary directory of both servers */
static int as_postgres;   /* run the server programs through runuser */

static void find_bindir(void)
{
	glob_t g;

	cr_assert(glob("/usr/lib/postgresql/*/bin/pg_basebackup", 0, NULL, &g) == 0,
	          "pg_basebackup not found (scripts/bootstrap installs the server)");
	/* The list is sorted: the last is the newest of equal-length versions. */
	snprintf(bindir, sizeof bindir, "%s", g.gl_pathv[g.gl_pathc - 1]);
	*strrchr(bindir, '/') = '\0';
	globfree(&g);
}

static const char *runuser_path(void)
{
	return access("/usr/sbin/runuser", X_OK) == 0 ? "/usr/sbin/runuser" : "/sbin/runuser";
}

/*
 * Run argv with its output into base/pg.out and no other descriptor open:
 * pg_ctl's server lives on, and must not hold this process's pipes (a
 * reader waiting for their end would wait for the server's).  Its exit
 * status, or 128 + signal.
 */
static int run_detached(const char *const *argv)
{
	char *log = hx_asprintf("%s/pg.out", base);
	pid_t pid;
	int st;

	fflush(NULL);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY), out = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		long max = sysconf(_SC_OPEN_MAX);

		if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
			_exit(126);
		for (long fd = 3; fd < (max > 0 && max < 65536 ? max : 65536); fd++)
			close((int)fd);
		execv(argv[0], (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	cr_assert(waitpid(pid, &st, 0) == pid);
	free(log);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Run a PostgreSQL server program (as postgres when root), asserting exit 0. */
static void pg(const char *program, const char *const *args)
{
	const char *argv[40];
	char path[1200];
	int rc;
	size_t n = 0;

	snprintf(path, sizeof path, "%s/%s", bindir, program);
	if (as_postgres) {
		argv[n++] = runuser_path();
		argv[n++] = "-u";
		argv[n++] = "postgres";
		argv[n++] = "--";
		/* From "/": postgres may not be able to enter the test's directory. */
		argv[n++] = "/usr/bin/env";
		argv[n++] = "-C";
		argv[n++] = "/";
	}
	argv[n++] = path;
	for (; *args != NULL && n < 39; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	rc = run_detached(argv);
	if (rc != 0) {
		char *log = hx_asprintf("%s/pg.out", base), *text = hx_test_read_file(log, NULL);

		cr_fatal("%s: exit %d: %s", program, rc, text != NULL ? text : "");
	}
}

static char *conninfo(const char *port)
{
	return hx_asprintf("host=%s/sock port=%s dbname=hoctap user=postgres", base, port);
}

/* hoctap-PROGRAM -d conninfo ARGS..., asserting the exit status is one of want, want2. */
static struct hx_test_output program(const char *prog, const char *db, const char *const *args,
                                     int want, int want2)
{
	struct hx_test_output o = hx_test_program(prog, db, args);

	cr_assert(o.status == want || o.status == want2, "%s: exit %d: %s", prog, o.status, o.err);
	return o;
}

static void append(const char *path, const char *text)
{
	FILE *f = fopen(path, "a");

	cr_assert(f != NULL, "%s", path);
	fputs(text, f);
	cr_assert(fclose(f) == 0);
}

static void start_servers(void)
{
	char *primary = hx_asprintf("%s/primary", base), *standby = hx_asprintf("%s/standby", base);
	char *sock = hx_asprintf("%s/sock", base), *conf;
	char *plog = hx_asprintf("%s/primary.log", base), *slog = hx_asprintf("%s/standby.log", base);

	cr_assert(mkdir(sock, 0755) == 0);
	if (as_postgres) {
		char *cmd = hx_asprintf("chown postgres: '%s' '%s'", base, sock);

		cr_assert(system(cmd) == 0);
		free(cmd);
	}
	pg("initdb", (const char *const[]){"-D", primary, "-U", "postgres", "-A", "trust", "-E",
	                                    "UTF8", "--locale=C.UTF-8", "-N", "--no-instructions",
	                                    NULL});
	conf = hx_asprintf("listen_addresses = ''\nunix_socket_directories = '%s'\n"
	                   "port = " PRIMARY_PORT "\nfsync = off\nsynchronous_commit = off\n"
	                   "full_page_writes = off\nwal_level = replica\nmax_wal_senders = 4\n"
	                   "shared_buffers = 32MB\nlog_min_messages = warning\n", sock);
	{
		char *path = hx_asprintf("%s/postgresql.conf", primary);

		append(path, conf);
		free(path);
	}
	pg("pg_ctl", (const char *const[]){"-D", primary, "-l", plog, "-w", "-t", "60", "start",
	                                    NULL});
	/* -R: standby.signal and primary_conninfo, through the same socket. */
	pg("pg_basebackup", (const char *const[]){"-D", standby, "-R", "-X", "stream", "-c", "fast",
	                                           "-h", sock, "-p", PRIMARY_PORT, "-U", "postgres",
	                                           "--no-sync", NULL});
	{
		char *path = hx_asprintf("%s/postgresql.conf", standby);

		append(path, "port = " STANDBY_PORT "\nhot_standby = on\n");
		free(path);
	}
	pg("pg_ctl", (const char *const[]){"-D", standby, "-l", slog, "-w", "-t", "60", "start",
	                                    NULL});
	free(conf);
	free(primary);
	free(standby);
	free(sock);
	free(plog);
	free(slog);
}

/* The test's .fini, failed or not: stop both servers, remove everything. */
static void stop_servers(void)
{
	static const char *const names[] = {"standby", "primary"};
	char path[1200], *cmd;

	if (base == NULL)
		return;
	for (size_t i = 0; i < 2; i++) {
		const char *argv[16];
		size_t n = 0;

		snprintf(path, sizeof path, "%s/%s", bindir, "pg_ctl");
		if (as_postgres) {
			argv[n++] = runuser_path();
			argv[n++] = "-u";
			argv[n++] = "postgres";
			argv[n++] = "--";
			argv[n++] = "/usr/bin/env";
			argv[n++] = "-C";
			argv[n++] = "/";
		}
		argv[n++] = path;
		argv[n++] = "-D";
		argv[n++] = hx_asprintf("%s/%s", base, names[i]);
		argv[n++] = "-m";
		argv[n++] = "immediate";
		argv[n++] = "-w";
		argv[n++] = "stop";
		argv[n] = NULL;
		/* A server that never started: pg_ctl says so, nothing to do. */
		(void)run_detached(argv);
		free((char *)(uintptr_t)argv[n - 5]);
	}
	cmd = hx_asprintf("rm -rf '%s'", base);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", base);
	free(cmd);
	free(base);
	base = NULL;
}

/* Wait until the standby has replayed everything the primary has written. */
static void wait_replayed(const char *pconn, const char *sconn)
{
	PGconn *p = hx_test_db_connect(pconn), *s = hx_test_db_connect(sconn);
	char *lsn = hx_test_db_value(p, "SELECT pg_catalog.pg_current_wal_lsn()::text");
	char sql[256];
	int i;

	hx_test_assert_value(s, "t", "SELECT pg_catalog.pg_is_in_recovery()");
	snprintf(sql, sizeof sql,
	         "SELECT pg_catalog.pg_last_wal_replay_lsn() >= '%s'::pg_lsn", lsn);
	for (i = 0; i < 400; i++) {
		char *v = hx_test_db_value(s, sql);
		int done = v != NULL && strcmp(v, "t") == 0;

		free(v);
		if (done)
			break;
		usleep(25000);
	}
	cr_assert(i < 400, "the standby did not replay up to %s in 10 s", lsn);
	free(lsn);
	PQfinish(p);
	PQfinish(s);
}

/* A file's whole text. */
static char *read_in(const char *dir, const char *name)
{
	char *path = hx_asprintf("%s/%s", dir, name), *text = hx_test_read_file(path, NULL);

	cr_assert(text != NULL, "no %s", path);
	free(path);
	return text;
}

Test(standby, the_report_of_a_hot_standby_equals_the_primarys, .fini = stop_servers,
     .timeout = 120)
{
	char *pconn, *sconn, *out_p, *out_s, *units = hx_test_src("samples/units.csv");
	char *targets = hx_test_src("samples/targets.csv"), *inbox = hx_test_src("samples/inbox");
	char *work, *archive, *rejected;
	char **files, **names_p, **names_s;
	size_t nfiles, np, ns;
	struct hx_test_output o;

	find_bindir();
	as_postgres = geteuid() == 0;
	/* Short: a unix socket's path has room for about 100 bytes. */
	base = hx_strdup("/tmp/hoctap-standby-XXXXXX");
	cr_assert(mkdtemp(base) != NULL);
	cr_assert(chmod(base, 0755) == 0);
	start_servers();
	pconn = conninfo(PRIMARY_PORT);
	sconn = conninfo(STANDBY_PORT);
	{
		char *admin = hx_asprintf("host=%s/sock port=" PRIMARY_PORT " dbname=postgres "
		                          "user=postgres", base);
		PGconn *c = hx_test_db_connect(admin);

		hx_test_db_exec(c, "CREATE DATABASE hoctap");
		PQfinish(c);
		free(admin);
	}

	/* The night, on the primary. */
	o = program("hoctap-ingest", pconn, (const char *const[]){"-q", "--migrate", NULL}, 0, 0);
	hx_test_output_free(&o);
	o = program("hoctap-ingest", pconn, (const char *const[]){"-q", "--units", units, NULL}, 0, 0);
	hx_test_output_free(&o);
	o = program("hoctap-ingest", pconn, (const char *const[]){"-q", "--targets", targets, NULL},
	            0, 0);
	hx_test_output_free(&o);
	work = hx_asprintf("%s/inbox", base);
	archive = hx_asprintf("%s/archive", base);
	rejected = hx_asprintf("%s/rejected", base);
	cr_assert(mkdir(work, 0755) == 0 && mkdir(archive, 0755) == 0 && mkdir(rejected, 0755) == 0);
	files = hx_test_list_dir(inbox, &nfiles);
	for (size_t i = 0; i < nfiles; i++) {
		char *from = hx_asprintf("%s/%s", inbox, files[i]), *data;
		size_t len;

		data = hx_test_read_file(from, &len);
		{
			char *to = hx_asprintf("%s/%s", work, files[i]);

			hx_test_write_file(to, data, len);
			free(to);
		}
		free(data);
		free(from);
	}
	o = program("hoctap-ingest", pconn,
	            (const char *const[]){"-q", "--inbox", work, "--archive", archive, "--rejected",
	                                  rejected, NULL}, 65, 65);
	hx_test_output_free(&o);
	o = program("hoctap-transform", pconn, (const char *const[]){"-q", NULL}, 65, 65);
	hx_test_output_free(&o);
	wait_replayed(pconn, sconn);

	/* The reports, from each, at one stated time (SOURCE_DATE_EPOCH): byte for byte. */
	setenv("SOURCE_DATE_EPOCH", "1767225600", 1);
	out_p = hx_asprintf("%s/out-primary", base);
	out_s = hx_asprintf("%s/out-standby", base);
	o = program("hoctap-report", pconn, (const char *const[]){"-o", out_p, NULL}, 0, 0);
	hx_test_output_free(&o);
	o = program("hoctap-report", sconn, (const char *const[]){"-o", out_s, NULL}, 0, 0);
	cr_assert(eq(str, o.err, ""), "the standby's report said: %s", o.err);
	hx_test_output_free(&o);
	names_p = hx_test_list_dir(out_p, &np);
	names_s = hx_test_list_dir(out_s, &ns);
	cr_assert(eq(sz, np, ns));
	cr_assert(np >= 13, "only %zu files", np);
	for (size_t i = 0; i < np; i++) {
		char *a, *b;
		size_t len = strlen(names_p[i]);

		cr_assert(eq(str, names_p[i], names_s[i]));
		a = read_in(out_p, names_p[i]);
		b = read_in(out_s, names_s[i]);
		if (len > 5 && strcmp(names_p[i] + len - 5, ".json") == 0)
			cr_assert(strstr(a, "\"generated_at\": \"2026-01-01T00:00:00Z\"") != NULL,
			          "%s: SOURCE_DATE_EPOCH not taken: %s", names_p[i], a);
		cr_assert(strcmp(a, b) == 0, "%s differs:\n--- primary\n%s\n--- standby\n%s",
		          names_p[i], a, b);
		cr_assert(strlen(a) > 40, "%s is empty: %s", names_p[i], a);
		free(a);
		free(b);
	}
	{
		char *rates = hx_asprintf("%s/rates.csv", out_s), *text = hx_test_read_file(rates, NULL);

		/* The figures, not empty files: Bình Thuận's 2020 learning families (51,807 of
		 * 74,501 households since the supplementary Tuy Phong file of 2020). */
		cr_assert(strstr(text, ",60,,2020,family,,,74501,60115,51807,") != NULL, "%s", text);
		free(text);
		free(rates);
	}
	/* --explain reads the same snapshot of the same marts. */
	{
		struct hx_test_output a = program("hoctap-report", pconn,
		                                  (const char *const[]){"--explain", "60", "2020",
		                                                        "family", NULL}, 0, 0);
		struct hx_test_output b = program("hoctap-report", sconn,
		                                  (const char *const[]){"--explain", "60", "2020",
		                                                        "family", NULL}, 0, 0);

		cr_assert(eq(str, a.out, b.out));
		hx_test_output_free(&a);
		hx_test_output_free(&b);
	}

	hx_test_free_names(names_p, np);
	hx_test_free_names(names_s, ns);
	hx_test_free_names(files, nfiles);
	free(work);
	free(archive);
	free(rejected);
	free(out_p);
	free(out_s);
	free(pconn);
	free(sconn);
	free(units);
	free(targets);
	free(inbox);
}
