/* testsupport.c — see testsupport.h. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"
#include "db.h"
#include "migrate.h"
#include "testsupport.h"

const char *hx_test_bin(const char *program)
{
	static char path[4096];
	const char *dir = "ingest";

	if (strstr(program, "transform") != NULL)
		dir = "transform";
	else if (strstr(program, "report") != NULL)
		dir = "report";
	snprintf(path, sizeof path, "%s/%s/%s", HOCTAP_BIN_DIR, dir, program);
	return path;
}

char *hx_test_src(const char *relpath)
{
	return hx_asprintf("%s/%s", HOCTAP_SOURCE_DIR, relpath);
}

static PGconn *admin_connect(void)
{
	struct hx_error err;
	PGconn *conn = hx_db_connect("dbname=postgres", "hoctap-tests", &err);

	cr_assert(conn != NULL, "cannot reach the test cluster (run tests through scripts/test): %s",
	          err.msg);
	return conn;
}

char *hx_test_db_create(int migrate)
{
	static unsigned counter;
	char name[96], sql[160];
	struct timespec ts;
	PGconn *admin = admin_connect();
	PGresult *res;
	char *conninfo;

	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(name, sizeof name, "hoctap_test_%ld_%u_%ld", (long)getpid(), counter++,
	         (long)(ts.tv_nsec % 100000));
	snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8'", name);
	res = PQexec(admin, sql);
	cr_assert(PQresultStatus(res) == PGRES_COMMAND_OK, "create database: %s",
	          PQresultErrorMessage(res));
	PQclear(res);
	PQfinish(admin);
	conninfo = hx_asprintf("dbname=%s", name);
	if (migrate)
		hx_test_db_migrate(conninfo);
	return conninfo;
}

void hx_test_db_migrate(const char *conninfo)
{
	struct hx_error err;
	struct hx_migrate_result mres;
	PGconn *conn = hx_test_db_connect(conninfo);

	cr_assert(hx_migrate_apply(conn, &mres, &err) == 0, "migrate: %s", err.msg);
	PQfinish(conn);
}

void hx_test_db_drop(const char *conninfo)
{
	char sql[160];
	PGconn *admin = admin_connect();

	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)",
	         conninfo + strlen("dbname="));
	PQclear(PQexec(admin, sql));
	PQfinish(admin);
}

void hx_test_db_discard(char **conninfo)
{
	if (*conninfo == NULL)
		return;
	hx_test_db_drop(*conninfo);
	free(*conninfo);
	*conninfo = NULL;
}

PGconn *hx_test_db_connect(const char *conninfo)
{
	struct hx_error err;
	PGconn *conn = hx_db_connect(conninfo, "hoctap-tests", &err);

	cr_assert(conn != NULL, "connect %s: %s", conninfo, err.msg);
	return conn;
}

char *hx_test_db_value(PGconn *conn, const char *sql)
{
	PGresult *res = PQexec(conn, sql);
	char *v = NULL;

	cr_assert(PQresultStatus(res) == PGRES_TUPLES_OK, "%s: %s", sql, PQresultErrorMessage(res));
	if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0))
		v = hx_strdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return v;
}

void hx_test_assert_value(PGconn *conn, const char *want, const char *fmt, ...)
{
	char sql[8192];
	va_list ap;
	char *got;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	got = hx_test_db_value(conn, sql);
	cr_assert(strcmp(got != NULL ? got : "NULL", want) == 0, "query: %s\n  got: %s\n want: %s",
	          sql, got != NULL ? got : "NULL", want);
	free(got);
}

void hx_test_db_exec(PGconn *conn, const char *sql)
{
	PGresult *res = PQexec(conn, sql);

	cr_assert(PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK,
	          "%s: %s", sql, PQresultErrorMessage(res));
	PQclear(res);
}

/* Read both pipes until both close, so neither can fill and block the child. */
static void drain(int fdout, int fderr, struct hx_buf *out, struct hx_buf *err)
{
	struct pollfd p[2] = {{fdout, POLLIN, 0}, {fderr, POLLIN, 0}};
	char chunk[8192];
	int open = 2;

	while (open > 0) {
		int i;

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < 2; i++) {
			ssize_t n;

			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(p[i].fd, chunk, sizeof chunk);
			if (n <= 0) {
				close(p[i].fd);
				p[i].fd = -1;
				open--;
				continue;
			}
			hx_buf_append(i == 0 ? out : err, chunk, (size_t)n);
		}
	}
}

void hx_test_run(const char *const *argv, const char *const *env, struct hx_test_output *o)
{
	int po[2], pe[2], status = 0;
	pid_t pid;
	struct hx_buf out, err;

	hx_buf_init(&out, (size_t)1 << 30);
	hx_buf_init(&err, (size_t)1 << 30);
	cr_assert(pipe(po) == 0 && pipe(pe) == 0);
	fflush(NULL);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		dup2(devnull, 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		for (; env != NULL && *env != NULL; env++)
			putenv((char *)(uintptr_t)*env);
		execv(argv[0], (char *const *)(uintptr_t)argv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	drain(po[0], pe[0], &out, &err);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	o->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	o->out = hx_strdup(hx_buf_str(&out));
	o->err = hx_strdup(hx_buf_str(&err));
	hx_buf_free(&out);
	hx_buf_free(&err);
}

void hx_test_output_free(struct hx_test_output *o)
{
	free(o->out);
	free(o->err);
	o->out = o->err = NULL;
}

pid_t hx_test_spawn(const char *const *argv, const char *logpath)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int out = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0644);

		dup2(in, 0);
		dup2(out, 1);
		dup2(out, 2);
		setenv("PGOPTIONS", "-c synchronous_commit=off", 1);
		execv(argv[0], (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	return pid;
}

int hx_test_wait(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		cr_assert(errno == EINTR, "waitpid: %s", strerror(errno));
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/*
 * Every temporary directory of a test process is made inside one root of
 * that process, removed when it exits (a test that fails an assertion
 * exits too), so that a run of the suite leaves nothing in /tmp whatever
 * each test frees.  Criterion runs each test in a process of its own: the
 * root belongs to the process that made it, never to one forked from it.
 */
static char *temp_root;
static pid_t temp_root_pid;
static char *parent_root; /* the root of the process this one was forked from */

static void remove_temp_root(void)
{
	char *cmd;

	if (temp_root == NULL || temp_root_pid != getpid())
		return;
	cmd = hx_asprintf("rm -rf '%s'", temp_root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", temp_root);
	free(cmd);
	free(temp_root);
	temp_root = NULL;
}

const char *hx_test_temp_root(void)
{
	if (temp_root == NULL || temp_root_pid != getpid()) {
		const char *base = getenv("TMPDIR");
		char *path = hx_asprintf("%s/hoctap-test-XXXXXX", base != NULL ? base : "/tmp");

		cr_assert(mkdtemp(path) != NULL, "mkdtemp: %s", strerror(errno));
		/* A root inherited from the parent is the parent's: kept, not removed. */
		if (temp_root != NULL)
			parent_root = temp_root;
		temp_root = path;
		temp_root_pid = getpid();
		atexit(remove_temp_root);
	}
	return temp_root;
}

char *hx_test_tempdir(void)
{
	char *path = hx_asprintf("%s/XXXXXX", hx_test_temp_root());

	cr_assert(mkdtemp(path) != NULL, "mkdtemp: %s", strerror(errno));
	return path;
}

void hx_test_dir_discard(char **dir)
{
	if (*dir == NULL)
		return;
	hx_test_rmtree(*dir);
	free(*dir);
	*dir = NULL;
}

void hx_test_rmtree(const char *path)
{
	char *cmd = hx_asprintf("rm -rf '%s'", path);

	cr_assert(system(cmd) == 0, "%s failed", cmd);
	free(cmd);
}

void hx_test_write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	cr_assert(f != NULL, "open %s: %s", path, strerror(errno));
	cr_assert(fwrite(data, 1, len, f) == len);
	cr_assert(fclose(f) == 0);
}

char *hx_test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct hx_buf b;
	char chunk[65536];
	size_t n;
	char *s;

	if (f == NULL)
		return NULL;
	hx_buf_init(&b, (size_t)1 << 31);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		hx_buf_append(&b, chunk, n);
	fclose(f);
	if (len != NULL)
		*len = b.len;
	s = hx_malloc(b.len + 1);
	if (b.len > 0)
		memcpy(s, b.data, b.len);
	s[b.len] = '\0';
	hx_buf_free(&b);
	return s;
}

void hx_test_copy_file(const char *from, const char *to)
{
	size_t len = 0;
	char *data = hx_test_read_file(from, &len);

	cr_assert(data != NULL, "cannot read %s", from);
	hx_test_write_file(to, data, len);
	free(data);
}

long hx_test_db_long(PGconn *conn, const char *sql)
{
	char *v = hx_test_db_value(conn, sql);
	long n = v != NULL ? atol(v) : -1;

	free(v);
	return n;
}

char *hx_test_db_text(PGconn *conn, const char *sql)
{
	char *v = hx_test_db_value(conn, sql);

	return v != NULL ? v : hx_strdup("(null)");
}

PGresult *hx_test_result(const char *const *names, int ncols)
{
	PGresAttDesc *att = hx_calloc((size_t)ncols + 1, sizeof *att);
	PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);

	cr_assert_not_null(res);
	for (int c = 0; c < ncols; c++)
		att[c].name = (char *)(uintptr_t)names[c];
	cr_assert(PQsetResultAttrs(res, ncols, att));
	free(att);
	return res;
}

void hx_test_result_row(PGresult *res, int r, const char *const *values, int n)
{
	for (int c = 0; c < PQnfields(res); c++) {
		const char *v = c < n ? values[c] : NULL;

		cr_assert(PQsetvalue(res, r, c, (char *)(uintptr_t)v, v != NULL ? (int)strlen(v) : -1));
	}
}

struct hx_test_output hx_test_program(const char *program, const char *conninfo,
                                      const char *const *args)
{
	const char *argv[32];
	char bin[4096];
	struct hx_test_output o;
	size_t n = 0;

	snprintf(bin, sizeof bin, "%s", hx_test_bin(program));
	argv[n++] = bin;
	argv[n++] = "-d";
	argv[n++] = conninfo;
	for (; *args != NULL && n < 31; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	hx_test_run(argv, NULL, &o);
	return o;
}

char *hx_test_small_db(void)
{
	static const char units[] = "code,name,level,parent_code\n"
	                            "01,Thành phố Hà Nội,province,\n"
	                            "001,Quận Ba Đình,district,01\n"
	                            "00004,Phường Trúc Bạch,commune,001\n"
	                            "00007,Phường Vĩnh Phúc,commune,001\n";
	char *db = hx_test_db_create(1);
	char *dir = hx_test_tempdir();
	char *path = hx_asprintf("%s/units.csv", dir);
	struct hx_test_output o;

	hx_test_write_file(path, units, strlen(units));
	o = hx_test_program("hoctap-ingest", db, (const char *const[]){"--units", path, NULL});
	cr_assert(o.status == 0, "--units: %s", o.err);
	hx_test_output_free(&o);
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
	return db;
}

int hx_test_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

int hx_test_count_files(const char *dir)
{
	char *cmd = hx_asprintf("ls -A '%s' | wc -l", dir);
	FILE *p = popen(cmd, "r");
	int n = -1;

	cr_assert(p != NULL);
	cr_assert(fscanf(p, "%d", &n) == 1);
	pclose(p);
	free(cmd);
	return n;
}

char **hx_test_list_dir(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t cap = 0;

	cr_assert(d != NULL, "opendir %s: %s", dir, strerror(errno));
	*n = 0;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			v = hx_realloc(v, cap * sizeof *v);
		}
		v[(*n)++] = hx_strdup(e->d_name);
	}
	closedir(d);
	for (size_t i = 1; i < *n; i++)
		for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			char *t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v;
}

void hx_test_free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

struct hx_test_dirs hx_test_dirs_make(void)
{
	struct hx_test_dirs d;

	d.top = hx_test_tempdir();
	d.inbox = hx_asprintf("%s/inbox", d.top);
	d.archive = hx_asprintf("%s/archive", d.top);
	d.rejected = hx_asprintf("%s/rejected", d.top);
	d.summary = hx_asprintf("%s/summary.json", d.top);
	cr_assert(mkdir(d.inbox, 0755) == 0 && mkdir(d.archive, 0755) == 0 &&
	          mkdir(d.rejected, 0755) == 0);
	return d;
}

void hx_test_dirs_free(struct hx_test_dirs *d)
{
	if (d->top != NULL)
		hx_test_rmtree(d->top);
	free(d->top);
	free(d->inbox);
	free(d->archive);
	free(d->rejected);
	free(d->summary);
	memset(d, 0, sizeof *d);
}

void hx_test_put(const char *dir, const char *name, const char *text)
{
	char *p = hx_asprintf("%s/%s", dir, name);

	hx_test_write_file(p, text, strlen(text));
	free(p);
}

void hx_test_ingest_text(const char *conninfo, const char *dir, const char *name,
                         const char *text)
{
	char *path = hx_asprintf("%s/%s", dir, name);
	struct hx_test_output o;

	hx_test_put(dir, name, text);
	o = hx_test_program("hoctap-ingest", conninfo, (const char *const[]){path, NULL});
	cr_assert(o.status == 0, "ingest %s: exit %d: %s", name, o.status, o.err);
	hx_test_output_free(&o);
	free(path);
}

char *hx_test_ingest_role(PGconn *admin, const char *conninfo, const char *prefix, char *role,
                          size_t rolesize)
{
	char sql[512];

	snprintf(role, rolesize, "%s_%ld", prefix, (long)getpid());
	snprintf(sql, sizeof sql, "DROP ROLE IF EXISTS %s; CREATE ROLE %s LOGIN; "
	                          "GRANT hoctap_ingest TO %s", role, role, role);
	hx_test_db_exec(admin, sql);
	return hx_asprintf("%s user=%s", conninfo, role);
}

void hx_test_drop_role(PGconn *admin, const char *role)
{
	char sql[512];

	snprintf(sql, sizeof sql, "REASSIGN OWNED BY %s TO CURRENT_USER; DROP OWNED BY %s; "
	                          "DROP ROLE %s", role, role, role);
	hx_test_db_exec(admin, sql);
}

double hx_test_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void hx_test_sleep(double s)
{
	struct timespec ts;

	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}
