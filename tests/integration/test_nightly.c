/*
 * The nightly chain schedules/hoctap-nightly (docs/design.md §7, docs/nightly.md)
 * run as cron runs it: settings in the environment or a HOCTAP_ENV file, the
 * built programs, a throwaway migrated database.  It must stay silent on a
 * good night, leave at once with 75 while another chain holds the lock, stop
 * with 69 in one line when the database is down (files left in the inbox,
 * out/ as it was), go on after 65 and say what was rejected, replace out/
 * only as a whole, leave nothing half done when killed, read its settings
 * file without running it, and find the programs when installed.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h"
#include "lengthof.h"
#include "testsupport.h"

#define NIGHT_MAX_ENV 24
/* Sessions of the programs (not of this test) in the night's database. */
#define PROGRAM_SESSIONS                                                             \
	"SELECT count(*) FROM pg_catalog.pg_stat_activity "                              \
	"WHERE datname = pg_catalog.current_database() AND application_name IN "         \
	"('hoctap-ingest', 'hoctap-transform', 'hoctap-report')"

/* One night's directories, database and settings. */
struct night {
	char *dir; /* the temporary directory holding everything below */
	char *inbox, *archive, *rejected, *out, *log;
	char *db;  /* conninfo of a migrated database, or NULL */
	char *env[NIGHT_MAX_ENV + 1];
	size_t nenv;
};

static void night_env(struct night *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Append one "KEY=VALUE" to the chain's environment (later ones win). */
static void night_env(struct night *n, const char *fmt, ...)
{
	va_list ap;
	char buf[4096];

	cr_assert(n->nenv < NIGHT_MAX_ENV);
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	n->env[n->nenv++] = hx_strdup(buf);
	n->env[n->nenv] = NULL;
}

static char *path_in(const char *dir, const char *name)
{
	return hx_asprintf("%s/%s", dir, name);
}

/*
 * A night with an empty inbox (the other directories created by the chain)
 * and, with with_db, a migrated database.  Settings a developer may have
 * exported are blanked, so only the test's own apply.
 */
static void night_init(struct night *n, int with_db)
{
	memset(n, 0, sizeof *n);
	n->dir = hx_test_tempdir();
	n->inbox = path_in(n->dir, "inbox");
	n->archive = path_in(n->dir, "archive");
	n->rejected = path_in(n->dir, "rejected");
	n->out = path_in(n->dir, "out");
	n->log = path_in(n->dir, "nightly.log");
	cr_assert(mkdir(n->inbox, 0755) == 0);
	n->db = with_db ? hx_test_db_create(1) : NULL;
	night_env(n, "HOCTAP_ENV=");
	night_env(n, "HOCTAP_LOCK=");
	night_env(n, "HOCTAP_SUMMARY=");
	night_env(n, "HOCTAP_DB=%s", n->db != NULL ? n->db : "");
	night_env(n, "HOCTAP_INBOX=%s", n->inbox);
	night_env(n, "HOCTAP_ARCHIVE=%s", n->archive);
	night_env(n, "HOCTAP_REJECTED=%s", n->rejected);
	night_env(n, "HOCTAP_OUT=%s", n->out);
	night_env(n, "HOCTAP_LOG=%s", n->log);
	/* The programs of this build (build/ or build-asan/), not an installed copy. */
	night_env(n, "HOCTAP_BINDIR=%s", HOCTAP_BIN_DIR);
}

static void night_free(struct night *n)
{
	hx_test_db_discard(&n->db);
	hx_test_dir_discard(&n->dir);
	for (size_t i = 0; i < n->nenv; i++)
		free(n->env[i]);
	free(n->inbox);
	free(n->archive);
	free(n->rejected);
	free(n->out);
	free(n->log);
}

/* Run the chain and wait for it. */
static void night_run(struct night *n, struct hx_test_output *o)
{
	char *script = hx_test_src("schedules/hoctap-nightly");
	const char *argv[] = {script, NULL};

	hx_test_run(argv, (const char *const *)n->env, o);
	free(script);
}

/* Start the chain in the background, its output into files of the night's directory. */
static pid_t night_start(struct night *n, const char *name)
{
	char *script = hx_test_src("schedules/hoctap-nightly");
	char *outpath = hx_asprintf("%s/%s.stdout", n->dir, name);
	char *errpath = hx_asprintf("%s/%s.stderr", n->dir, name);
	pid_t pid;

	fflush(NULL);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int out = open(outpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int err = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (in < 0 || out < 0 || err < 0)
			_exit(127);
		setpgid(0, 0); /* its own process group, as systemd kills a unit's */
		dup2(in, 0);
		dup2(out, 1);
		dup2(err, 2);
		for (size_t i = 0; i < n->nenv; i++)
			putenv(n->env[i]);
		execl(script, script, (char *)NULL);
		_exit(127);
	}
	setpgid(pid, pid);
	free(script);
	free(outpath);
	free(errpath);
	return pid;
}

/* Copy a file of the source tree into dir. */
static void copy_in(const char *relpath, const char *dir)
{
	char *src = hx_test_src(relpath);
	const char *base = strrchr(relpath, '/') != NULL ? strrchr(relpath, '/') + 1 : relpath;
	char *dst = path_in(dir, base);

	hx_test_copy_file(src, dst);
	free(dst);
	free(src);
}

/* Entries of dir but . and .. (hidden ones only if hidden != 0); -1 if it does not exist. */
static int count_entries(const char *dir, int hidden)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (e->d_name[0] == '.' && !hidden)
			continue;
		n++;
	}
	closedir(d);
	return n;
}

/* Entries of dir whose name ends in suffix. */
static int count_suffix(const char *dir, const char *suffix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t k = strlen(suffix);
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (len > k && strcmp(e->d_name + len - k, suffix) == 0)
			n++;
	}
	closedir(d);
	return n;
}

static int exists(const char *dir, const char *name)
{
	char *p = path_in(dir, name);
	int r = access(p, F_OK) == 0;

	free(p);
	return r;
}

static char *read_in(const char *dir, const char *name)
{
	char *p = path_in(dir, name);
	char *s = hx_test_read_file(p, NULL);

	free(p);
	return s;
}

static int count_char(const char *s, char c)
{
	int n = 0;

	for (; *s != '\0'; s++)
		n += *s == c;
	return n;
}

/* Nothing the chain works in may stay behind beside out/ (.out.new.*, .out.old.*). */
static void assert_no_leftovers(const struct night *n)
{
	DIR *d = opendir(n->dir);
	struct dirent *e;

	cr_assert(d != NULL);
	while ((e = readdir(d)) != NULL)
		cr_assert(strncmp(e->d_name, ".out.", 5) != 0, "left behind: %s/%s", n->dir, e->d_name);
	closedir(d);
}

/* Load the sample province's units (and targets) the documented way. */
static void load_reference(const struct night *n, int targets)
{
	char *dflag = hx_asprintf("--dbname=%s", n->db);
	char *units = hx_test_src("samples/units.csv");
	char *tfile = hx_test_src("samples/targets.csv");
	char prog[4096];
	const char *argv1[] = {prog, dflag, "--units", units, NULL};
	const char *argv2[] = {prog, dflag, "--targets", tfile, NULL};
	struct hx_test_output o;

	snprintf(prog, sizeof prog, "%s", hx_test_bin("hoctap-ingest"));
	hx_test_run(argv1, NULL, &o);
	cr_assert(eq(int, o.status, 0), "--units: %s", o.err);
	hx_test_output_free(&o);
	if (targets) {
		hx_test_run(argv2, NULL, &o);
		cr_assert(eq(int, o.status, 0), "--targets: %s", o.err);
		hx_test_output_free(&o);
	}
	free(dflag);
	free(units);
	free(tfile);
}

/*
 * The night each test runs: made by its suite's .init (with a migrated
 * database, or without one for the tests that never reach it), removed
 * with its database by .fini whatever the test reached.
 */
static struct night night;

static void setup(void)
{
	night_init(&night, 1);
}

static void setup_without_db(void)
{
	night_init(&night, 0);
}

static void teardown(void)
{
	night_free(&night);
}

TestSuite(nightly, .init = setup, .fini = teardown);
TestSuite(nightly_without_db, .init = setup_without_db, .fini = teardown);

Test(nightly, empty_night_exits_0_and_prints_nothing)
{
	struct hx_test_output o;
	char *log;

	night_run(&night, &o);
	cr_assert(eq(int, o.status, 0), "stderr: %s", o.err);
	cr_assert(eq(str, o.out, ""));
	cr_assert(eq(str, o.err, ""));
	/* Every step logged its exit code; the reports are in place. */
	log = hx_test_read_file(night.log, NULL);
	cr_assert(log != NULL);
	cr_assert(strstr(log, "ingest: exit 0 (ok)") != NULL, "%s", log);
	cr_assert(strstr(log, "transform: exit 0 (ok)") != NULL, "%s", log);
	cr_assert(strstr(log, "report: exit 0 (ok)") != NULL, "%s", log);
	cr_assert(strstr(log, "end: exit 0 (ok)") != NULL, "%s", log);
	free(log);
	cr_assert(count_entries(night.out, 1) >= 0, "no out/ after a good night");
	cr_assert(eq(int, count_entries(night.archive, 1), 0));
	cr_assert(eq(int, count_entries(night.rejected, 1), 0));
	assert_no_leftovers(&night);
	hx_test_output_free(&o);
}

Test(nightly, a_good_night_replaces_out_as_a_whole_keeping_its_mode)
{
	struct hx_test_output o;
	char *stale;
	struct stat st;

	cr_assert(mkdir(night.out, 0750) == 0);
	cr_assert(chmod(night.out, 0750) == 0);
	stale = path_in(night.out, "from-an-older-version.csv");
	hx_test_write_file(stale, "x\n", 2);
	night_run(&night, &o);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	cr_assert(eq(int, access(stale, F_OK), -1), "out/ was written into, not replaced");
	cr_assert(stat(night.out, &st) == 0 && S_ISDIR(st.st_mode));
	cr_assert(eq(int, (int)(st.st_mode & 07777), 0750));
	assert_no_leftovers(&night);
	free(stale);
	hx_test_output_free(&o);
}

/* Hold the chain's lock from this process, as a running chain would. */
static int hold_lock(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT, 0644);

	cr_assert(fd >= 0, "open %s: %s", path, strerror(errno));
	cr_assert(flock(fd, LOCK_EX | LOCK_NB) == 0, "flock %s: %s", path, strerror(errno));
	return fd;
}

static void assert_leaves_at_once_with_75(struct night *n, const char *lockpath)
{
	struct hx_test_output o;
	double t0 = hx_test_now(), elapsed;

	night_run(n, &o);
	elapsed = hx_test_now() - t0;
	cr_assert(eq(int, o.status, 75), "stderr: %s", o.err);
	cr_assert(eq(int, count_char(o.err, '\n'), 1), "one line expected: %s", o.err);
	cr_assert(strstr(o.err, "hoctap-nightly: another nightly chain") != NULL, "%s", o.err);
	cr_assert(strstr(o.err, lockpath) != NULL, "the lock file is not named: %s", o.err);
	cr_assert(lt(dbl, elapsed, 3.0), "took %.1fs: it must leave at once", elapsed);
	/* It touched nothing: the new file waits, no out/ appeared. */
	cr_assert(exists(n->inbox, "2020-01-15-good.csv"));
	cr_assert(eq(int, count_entries(n->out, 1), -1));
	cr_assert(eq(int, count_entries(n->archive, 1), -1));
	hx_test_output_free(&o);
}

Test(nightly_without_db, second_chain_exits_75_at_once_default_lock_beside_the_inbox)
{
	char *lockpath;
	int fd;

	night_env(&night, "HOCTAP_DB=host=/nonexistent dbname=x");
	copy_in("tests/data/nightly/2020-01-15-good.csv", night.inbox);
	lockpath = path_in(night.dir, ".hoctap-nightly.lock");
	fd = hold_lock(lockpath);
	assert_leaves_at_once_with_75(&night, lockpath);
	close(fd);
	free(lockpath);
}

Test(nightly_without_db, second_chain_exits_75_at_once_with_HOCTAP_LOCK)
{
	struct hx_test_output o;
	char *lockpath;
	int fd;

	night_env(&night, "HOCTAP_DB=host=/nonexistent dbname=x");
	copy_in("tests/data/nightly/2020-01-15-good.csv", night.inbox);
	lockpath = path_in(night.dir, "elsewhere.lock");
	night_env(&night, "HOCTAP_LOCK=%s", lockpath);
	fd = hold_lock(lockpath);
	assert_leaves_at_once_with_75(&night, lockpath);
	close(fd);
	/* Released, the same chain runs (and stops at the database, 69). */
	night_run(&night, &o);
	cr_assert(eq(int, o.status, 69), "%s", o.err);
	hx_test_output_free(&o);
	free(lockpath);
}

/* Wait until a program of the chain started as pid is blocked on a lock in the night's database. */
static void wait_blocked(const struct night *n, PGconn *watcher, pid_t pid)
{
	int waiting = 0, status;
	double t0;
	char *v;

	for (t0 = hx_test_now(); hx_test_now() - t0 < 30.0; usleep(50000)) {
		v = hx_test_db_value(watcher, PROGRAM_SESSIONS " AND wait_event_type = 'Lock'");
		waiting = atoi(v);
		free(v);
		if (waiting > 0)
			break;
		if (waitpid(pid, &status, WNOHANG) == pid) {
			char *err = read_in(n->dir, "first.stderr");

			cr_fatal("the chain ended before blocking: status %d, stderr: %s", status, err);
		}
	}
	cr_assert(eq(int, waiting, 1), "the chain never reached the database");
}

/*
 * The "done when": a chain is running (held inside a program by a
 * table lock this test takes, so the timing is deterministic), a second
 * chain exits 75 at once, and the first then exits 0 and writes the reports.
 */
Test(nightly, second_chain_during_a_running_chain_exits_75_and_the_first_finishes)
{
	struct hx_test_output o;
	PGconn *locker, *watcher;
	pid_t first;
	double t0;
	int status;
	char *v;

	load_reference(&night, 0);
	copy_in("tests/data/nightly/2020-01-15-good.csv", night.inbox);
	locker = hx_test_db_connect(night.db);
	watcher = hx_test_db_connect(night.db);
	hx_test_db_exec(locker, "BEGIN");
	hx_test_db_exec(locker, "LOCK TABLE audit.schema_migrations IN ACCESS EXCLUSIVE MODE");
	first = night_start(&night, "first");
	wait_blocked(&night, watcher, first);

	t0 = hx_test_now();
	night_run(&night, &o);
	cr_assert(eq(int, o.status, 75), "second chain: %s", o.err);
	cr_assert(lt(dbl, hx_test_now() - t0, 3.0), "the second chain did not leave at once");
	cr_assert(strstr(o.err, "another nightly chain (pid ") != NULL, "%s", o.err);
	hx_test_output_free(&o);

	hx_test_db_exec(locker, "COMMIT");
	status = hx_test_wait(first);
	v = read_in(night.dir, "first.stderr");
	cr_assert(eq(int, status, 0), "first chain: %s", v);
	cr_assert(eq(str, v, ""));
	free(v);
	cr_assert(exists(night.archive, "2020-01-15-good.csv"));
	cr_assert(eq(int, count_entries(night.inbox, 1), 0));
	cr_assert(exists(night.out, "rates.csv"), "the first chain wrote no reports");
	PQfinish(locker);
	PQfinish(watcher);
}

Test(nightly_without_db, database_down_is_69_in_one_line_and_changes_nothing)
{
	struct hx_test_output o;
	char *rates, *lockpath;

	night_env(&night, "HOCTAP_DB=host=/nonexistent dbname=x");
	copy_in("tests/data/nightly/2020-01-15-good.csv", night.inbox);
	cr_assert(mkdir(night.out, 0755) == 0);
	rates = path_in(night.out, "rates.csv");
	hx_test_write_file(rates, "last good reports\n", 18);
	night_run(&night, &o);
	cr_assert(eq(int, o.status, 69), "stderr: %s", o.err);
	cr_assert(eq(str, o.out, ""));
	cr_assert(eq(int, count_char(o.err, '\n'), 1), "one line expected: %s", o.err);
	cr_assert(strstr(o.err, "hoctap-nightly: ingest exited 69 (database unavailable): "
	                        "cannot connect to the database") != NULL,
	          "%s", o.err);
	cr_assert(strstr(o.err, "1 file(s) wait in ") != NULL, "%s", o.err);
	/* The file waits in the inbox; out/ is exactly as it was. */
	cr_assert(exists(night.inbox, "2020-01-15-good.csv"));
	cr_assert(eq(int, count_entries(night.archive, 1), 0));
	cr_assert(eq(int, count_entries(night.rejected, 1), 0));
	cr_assert(eq(int, count_entries(night.out, 1), 1));
	free(rates);
	rates = read_in(night.out, "rates.csv");
	cr_assert(eq(str, rates, "last good reports\n"));
	assert_no_leftovers(&night);
	/* The lock is free again (the pid in it cleared). */
	lockpath = path_in(night.dir, ".hoctap-nightly.lock");
	close(hold_lock(lockpath));
	free(lockpath);
	free(rates);
	hx_test_output_free(&o);
}

Test(nightly_without_db, out_left_missing_by_an_interrupted_swap_is_restored)
{
	struct hx_test_output o;
	char *old, *f, *s;

	night_env(&night, "HOCTAP_DB=host=/nonexistent dbname=x");
	/* A chain killed between its two renames: no out/, its old copy beside it. */
	old = path_in(night.dir, ".out.old.4242");
	cr_assert(mkdir(old, 0755) == 0);
	f = path_in(old, "rates.csv");
	hx_test_write_file(f, "restored\n", 9);
	night_run(&night, &o);
	cr_assert(eq(int, o.status, 69), "%s", o.err);
	s = read_in(night.out, "rates.csv");
	cr_assert(s != NULL, "out/ was not restored");
	cr_assert(eq(str, s, "restored\n"));
	assert_no_leftovers(&night);
	free(s);
	free(f);
	free(old);
	hx_test_output_free(&o);
}

Test(nightly, env_file_is_read_and_nothing_in_it_runs)
{
	struct hx_test_output o;
	char *envfile, *marker, *text, *log;

	envfile = path_in(night.dir, "hoctap.env");
	marker = path_in(night.dir, "marker");
	text = hx_asprintf("# hoctap settings\n"
	                   "\n"
	                   "HOCTAP_DB=\"%s\"\n"
	                   "  HOCTAP_INBOX = %s\n"
	                   "HOCTAP_ARCHIVE='%s'\r\n"
	                   "HOCTAP_REJECTED=%s\n"
	                   "HOCTAP_OUT=%s/\n"
	                   "; a value is never run or expanded\n"
	                   "PGAPPNAME=$(touch %s)`touch %s`\n"
	                   "HOCTAP_LOG=%s/from-env-file.log",
	                   night.db, night.inbox, night.archive, night.rejected, night.out, marker, marker, night.dir);
	hx_test_write_file(envfile, text, strlen(text));
	/* Only HOCTAP_ENV (and the build's programs) in the environment. */
	for (size_t i = 0; i < night.nenv; i++) {
		if (strncmp(night.env[i], "HOCTAP_BINDIR=", 14) != 0) {
			char *sep = strchr(night.env[i], '=');

			sep[1] = '\0';
		}
	}
	night_env(&night, "HOCTAP_ENV=%s", envfile);
	night_run(&night, &o);
	cr_assert(eq(int, o.status, 0), "stderr: %s", o.err);
	cr_assert(eq(str, o.err, ""));
	cr_assert(eq(int, access(marker, F_OK), -1), "a value of the env file was run");
	log = read_in(night.dir, "from-env-file.log");
	cr_assert(log != NULL, "HOCTAP_LOG from the file was not used");
	cr_assert(strstr(log, "report: exit 0 (ok)") != NULL, "%s", log);
	cr_assert(count_entries(night.out, 1) >= 0, "HOCTAP_OUT from the file was not used");
	free(log);
	hx_test_output_free(&o);

	/* The environment wins over the file. */
	night_env(&night, "HOCTAP_DB=host=/nonexistent dbname=x");
	night_run(&night, &o);
	cr_assert(eq(int, o.status, 69), "%s", o.err);
	hx_test_output_free(&o);
	free(text);
	free(marker);
	free(envfile);
}

Test(nightly_without_db, bad_settings_are_78_naming_the_line)
{
	static const struct {
		const char *file;
		const char *message;
	} cases[] = {
		{"HOCTAP_INBOX=/x\nrm -rf /\n", "hoctap.env:2: not a KEY=VALUE line"},
		{"HOCTAP_INBUX=/x\n", "hoctap.env:1: unknown setting HOCTAP_INBUX"},
		{"PATH=/tmp\n", "hoctap.env:1: unknown setting PATH"},
		{"# nothing\n", "HOCTAP_INBOX is not set"},
	};

	for (size_t i = 0; i < night.nenv; i++) {
		if (strncmp(night.env[i], "HOCTAP_BINDIR=", 14) != 0)
			strchr(night.env[i], '=')[1] = '\0';
	}
	for (size_t i = 0; i < lengthof(cases); i++) {
		char *envfile = path_in(night.dir, "hoctap.env");
		struct hx_test_output o;

		hx_test_write_file(envfile, cases[i].file, strlen(cases[i].file));
		night_env(&night, "HOCTAP_ENV=%s", envfile);
		night_run(&night, &o);
		cr_assert(eq(int, o.status, 78), "%s: %s", cases[i].file, o.err);
		cr_assert(strstr(o.err, cases[i].message) != NULL, "%s: %s", cases[i].file, o.err);
		cr_assert(eq(int, count_char(o.err, '\n'), 1), "%s", o.err);
		hx_test_output_free(&o);
		free(night.env[--night.nenv]);
		night.env[night.nenv] = NULL;
		free(envfile);
	}
}

/* Some input rejected: the chain goes on, exits 65 and says what and where. */
Test(nightly, partial_input_is_65_the_chain_goes_on_and_says_what_was_rejected)
{
	static const char first[] = "hoctap-nightly: ingest exited 65 (some input rejected); the rest "
	                            "was loaded, transformed and reported in ";
	struct hx_test_output o;
	char *summary, *log;

	load_reference(&night, 0);
	copy_in("tests/data/nightly/2020-01-15-good.csv", night.inbox);
	copy_in("tests/data/nightly/2020-01-16-badrow.csv", night.inbox);
	copy_in("tests/data/nightly/2020-01-17-latin1.csv", night.inbox);
	night_run(&night, &o);
	cr_assert(eq(int, o.status, 65), "stderr: %s", o.err);
	cr_assert(eq(str, o.out, ""));
	cr_assert(strncmp(o.err, first, strlen(first)) == 0, "%s", o.err);
	/* The unreadable file is named, with where its reason is. */
	cr_assert(strstr(o.err, "moved to ") != NULL && strstr(o.err, "2020-01-17-latin1.csv") != NULL,
	          "%s", o.err);
	/* The file with a bad row is named with its counts, from ingest's summary. */
	cr_assert(strstr(o.err, "rows rejected, the rest of the file loaded: ") != NULL &&
	              strstr(o.err, "2020-01-16-badrow.csv (1 of 2 rows)") != NULL,
	          "%s", o.err);
	cr_assert(exists(night.rejected, "2020-01-17-latin1.csv"));
	cr_assert(exists(night.rejected, "2020-01-17-latin1.csv.error.txt"));
	/* The rest was loaded and archived, and the reports written. */
	cr_assert(exists(night.archive, "2020-01-15-good.csv"));
	cr_assert(exists(night.archive, "2020-01-16-badrow.csv"));
	cr_assert(eq(int, count_entries(night.inbox, 1), 0));
	cr_assert(exists(night.out, "rates.csv"));
	/* The summary is named and holds the file with the bad row. */
	summary = path_in(night.dir, "ingest-summary.json");
	cr_assert(strstr(o.err, summary) != NULL, "%s", o.err);
	free(summary);
	summary = read_in(night.dir, "ingest-summary.json");
	cr_assert(summary != NULL);
	cr_assert(strstr(summary, "2020-01-16-badrow.csv") != NULL, "%s", summary);
	free(summary);
	log = hx_test_read_file(night.log, NULL);
	cr_assert(strstr(log, "ingest: exit 65 (some input rejected)") != NULL, "%s", log);
	cr_assert(strstr(log, "archived 2, rejected 1") != NULL, "%s", log);
	cr_assert(strstr(log, "transform: exit 0 (ok)") != NULL, "%s", log);
	cr_assert(strstr(log, "report: exit 0 (ok)") != NULL, "%s", log);
	free(log);
	hx_test_output_free(&o);
}

/*
 * samples/ end to end, as scripts/demo runs it: 65 (the samples hold rows a
 * clerk must fix), every file archived, the reports written; then the
 * restore procedure of docs/nightly.md (archive/ back into the inbox) is a
 * quiet night of duplicates that changes no figure.
 */
Test(nightly, samples_end_to_end_then_restoring_the_archive_changes_no_figure)
{
	static const char *const reports[] = {"rates.csv", "comparison.csv", "funds.csv",
	                                      "completeness.csv", "targets.csv", "findings.csv",
	                                      "rates.json", "manifest.json"};
	static const char *const rate_columns[] = {
		"scope_level", "scope_code", "scope_name", "year", "title", "eligible", "registered",
		"recognized", "exemplary", "rate_eligible", "rate_registered", "units_reporting",
		"units_expected"};
	struct hx_test_output o;
	char *sdir = hx_test_src("samples/inbox");
	char *rates1, *rates2, *cmd;
	DIR *d;
	struct dirent *e;
	int nsamples = 0;

	load_reference(&night, 1);
	d = opendir(sdir);
	cr_assert(d != NULL);
	while ((e = readdir(d)) != NULL) {
		char *rel;

		if (e->d_name[0] == '.')
			continue;
		rel = hx_asprintf("samples/inbox/%s", e->d_name);
		copy_in(rel, night.inbox);
		free(rel);
		nsamples++;
	}
	closedir(d);
	cr_assert(gt(int, nsamples, 0));

	night_run(&night, &o);
	cr_assert(eq(int, o.status, 65), "stderr: %s", o.err);
	cr_assert(strstr(o.err, "hoctap-nightly: ingest exited 65 (some input rejected)") != NULL,
	          "%s", o.err);
	/* The partly loaded samples' bad rows are given back beside nothing else. */
	cr_assert(strstr(o.err, "hoctap-nightly: their bad rows, for the clerks to correct and send "
	                        "again, are in ") != NULL, "%s", o.err);
	hx_test_output_free(&o);
	cr_assert(eq(int, count_entries(night.inbox, 1), 0));
	cr_assert(eq(int, count_entries(night.archive, 0), nsamples));
	cr_assert(gt(int, count_suffix(night.rejected, ".rejects.csv"), 0));
	cr_assert(eq(int, count_entries(night.rejected, 0), count_suffix(night.rejected, ".rejects.csv")));
	for (size_t i = 0; i < lengthof(reports); i++)
		cr_assert(exists(night.out, reports[i]), "out/%s missing", reports[i]);
	rates1 = read_in(night.out, "rates.csv");
	/* The columns of docs/design.md §6 are there, and rows below them. */
	for (size_t i = 0; i < lengthof(rate_columns); i++) {
		char *field = hx_asprintf(",%s,", rate_columns[i]);
		char *header = hx_asprintf(",%.*s,", (int)strcspn(rates1, "\n"), rates1);

		cr_assert(strstr(header, field) != NULL, "rates.csv has no column %s: %s",
		          rate_columns[i], header);
		free(header);
		free(field);
	}
	cr_assert(gt(int, count_char(rates1, '\n'), 1), "no rates: %s", rates1);

	/* Restore: every archived file back into the inbox. */
	cmd = hx_asprintf("mv '%s'/* '%s'/", night.archive, night.inbox);
	cr_assert(system(cmd) == 0);
	free(cmd);
	night_run(&night, &o);
	cr_assert(eq(int, o.status, 0), "restoring duplicates: %s", o.err);
	cr_assert(eq(str, o.err, ""));
	hx_test_output_free(&o);
	cr_assert(eq(int, count_entries(night.archive, 0), nsamples));
	rates2 = read_in(night.out, "rates.csv");
	cr_assert(eq(str, rates2, rates1), "a restore changed the figures");
	free(rates1);
	free(rates2);
	free(sdir);
}

/*
 * A chain killed in the middle of a step (systemd stopping the unit kills
 * its whole process group): the status says so, nothing is half done — the
 * file waits in the inbox, out/ is as it was, nothing is left behind — and
 * the next night picks everything up.
 */
Test(nightly, a_chain_killed_mid_step_leaves_everything_for_the_next_night)
{
	struct hx_test_output o;
	PGconn *locker, *watcher;
	pid_t chain;
	int status;
	char *s;

	load_reference(&night, 0);
	copy_in("tests/data/nightly/2020-01-15-good.csv", night.inbox);
	cr_assert(mkdir(night.out, 0755) == 0);
	s = path_in(night.out, "rates.csv");
	hx_test_write_file(s, "last good reports\n", 18);
	free(s);
	locker = hx_test_db_connect(night.db);
	watcher = hx_test_db_connect(night.db);
	hx_test_db_exec(locker, "BEGIN");
	hx_test_db_exec(locker, "LOCK TABLE audit.schema_migrations IN ACCESS EXCLUSIVE MODE");
	chain = night_start(&night, "first");
	wait_blocked(&night, watcher, chain);
	cr_assert(kill(-chain, SIGTERM) == 0);
	status = hx_test_wait(chain);
	hx_test_db_exec(locker, "COMMIT");
	cr_assert(eq(int, status, 143), "a killed chain must not exit as if it succeeded");
	cr_assert(exists(night.inbox, "2020-01-15-good.csv"));
	cr_assert(eq(int, count_entries(night.archive, 1), 0));
	s = read_in(night.out, "rates.csv");
	cr_assert(eq(str, s, "last good reports\n"));
	free(s);
	assert_no_leftovers(&night);
	/* The killed program's session ends once the server notices (its advisory lock with it). */
	for (double t0 = hx_test_now(); hx_test_now() - t0 < 30.0; usleep(50000)) {
		char *v = hx_test_db_value(watcher, PROGRAM_SESSIONS);
		int left = atoi(v);

		free(v);
		if (left == 0)
			break;
	}

	/* The lock went with the chain; the next night does the work. */
	night_run(&night, &o);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	cr_assert(eq(str, o.err, ""));
	cr_assert(exists(night.archive, "2020-01-15-good.csv"));
	cr_assert(exists(night.out, "rates.csv"));
	s = read_in(night.out, "rates.csv");
	cr_assert(strstr(s, "last good reports") == NULL);
	free(s);
	hx_test_output_free(&o);
	PQfinish(locker);
	PQfinish(watcher);
}

/*
 * Installed as PREFIX/share/hoctap/schedules/hoctap-nightly, the chain runs
 * the programs of PREFIX/bin, whatever cron's PATH holds.
 */
Test(nightly, installed_chain_finds_the_programs_in_prefix_bin)
{
	static const char *const programs[] = {"hoctap-ingest", "hoctap-transform", "hoctap-report"};
	struct hx_test_output o;
	char *prefix, *cmd, *log, *want;

	prefix = path_in(night.dir, "prefix");
	cmd = hx_asprintf("mkdir -p '%s/bin' '%s/share/hoctap/schedules' && "
	                  "cp '%s/schedules/hoctap-nightly' '%s/share/hoctap/schedules/'",
	                  prefix, prefix, HOCTAP_SOURCE_DIR, prefix);
	cr_assert(system(cmd) == 0);
	free(cmd);
	for (size_t i = 0; i < 3; i++) {
		char *link = hx_asprintf("%s/bin/%s", prefix, programs[i]);

		cr_assert(symlink(hx_test_bin(programs[i]), link) == 0, "%s", strerror(errno));
		free(link);
	}
	night_env(&night, "HOCTAP_BINDIR=");
	night_env(&night, "PATH=/usr/bin:/bin");
	{
		char *script = hx_asprintf("%s/share/hoctap/schedules/hoctap-nightly", prefix);
		const char *argv[] = {script, NULL};

		hx_test_run(argv, (const char *const *)night.env, &o);
		free(script);
	}
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	cr_assert(eq(str, o.err, ""));
	log = hx_test_read_file(night.log, NULL);
	want = hx_asprintf("; programs %s/bin\n", prefix);
	cr_assert(strstr(log, want) != NULL, "want \"%s\" in %s", want, log);
	free(want);
	free(log);
	hx_test_output_free(&o);
	free(prefix);
}
