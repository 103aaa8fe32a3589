/*
 * testsupport.h — helpers shared by the tests: throwaway databases on the
 * test cluster (scripts/pg-local; PGHOST and friends in the environment),
 * running the built programs and capturing what they print, and temporary
 * directories.  Failures abort the test with cr_assert.
 */
#ifndef HOCTAP_TESTSUPPORT_H
#define HOCTAP_TESTSUPPORT_H

#include <libpq-fe.h>
#include <stddef.h>
#include <sys/types.h>

/* Path of a built program, e.g. hx_test_bin("hoctap-ingest"). Static buffer. */
const char *hx_test_bin(const char *program);
/* Path under the source tree, e.g. hx_test_src("samples/units.csv"); the caller frees it. */
char *hx_test_src(const char *relpath);

/*
 * Create an empty database with a unique name on the test cluster; with
 * migrate != 0 also apply the migrations.  Returns its conninfo
 * ("dbname=hoctap_test_..."), which the caller frees after hx_test_db_drop.
 */
char *hx_test_db_create(int migrate);
void hx_test_db_drop(const char *conninfo);
/* Apply the migrations to the database conninfo names (asserting success). */
void hx_test_db_migrate(const char *conninfo);
/*
 * For a suite's .fini, whatever its test reached: drop the database
 * *conninfo names, free the string and set it NULL; nothing when NULL.
 */
void hx_test_db_discard(char **conninfo);
/* Connect (asserting success) with an empty search_path, like the programs. */
PGconn *hx_test_db_connect(const char *conninfo);
/* Run SQL (asserting success); returns the first column of the first row as a new string, or NULL. */
char *hx_test_db_value(PGconn *conn, const char *sql);
/* Run SQL that returns no rows, asserting success. */
void hx_test_db_exec(PGconn *conn, const char *sql);
/* Assert that the first value of a query (printf-style) is want ("NULL" for none). */
void hx_test_assert_value(PGconn *conn, const char *want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The first value of a query as a number (-1 when NULL or no row). */
long hx_test_db_long(PGconn *conn, const char *sql);
/* The first value of a query as a new string ("(null)" when NULL or no row). */
char *hx_test_db_text(PGconn *conn, const char *sql);

/*
 * A result of ncols named columns and no rows, made in memory
 * (PQmakeEmptyPGresult), as the report's writers and checks receive one;
 * hx_test_result_row sets row r: values[0..n) (NULL: SQL NULL), NULL in
 * every column after them.
 */
PGresult *hx_test_result(const char *const *names, int ncols);
void hx_test_result_row(PGresult *res, int r, const char *const *values, int n);

/*
 * A LOGIN role named prefix_PID holding hoctap_ingest's rights alone (role
 * receives the name); returns conninfo with user= that role, freed by the
 * caller.  hx_test_drop_role removes it and what it owns.
 */
char *hx_test_ingest_role(PGconn *admin, const char *conninfo, const char *prefix, char *role,
                          size_t rolesize);
void hx_test_drop_role(PGconn *admin, const char *role);

struct hx_test_output {
	int status;   /* exit code, or 128+signal */
	char *out;    /* stdout, NUL-terminated */
	char *err;    /* stderr, NUL-terminated */
};

/* Run a built program: PROGRAM -d conninfo ARGS... (args NULL-terminated, at most 28). */
struct hx_test_output hx_test_program(const char *program, const char *conninfo,
                                      const char *const *args);
/*
 * A migrated database holding four units (province 01, district 001,
 * communes 00004 and 00007), loaded by hoctap-ingest --units.  Its
 * conninfo, freed by the caller after hx_test_db_drop.
 */
char *hx_test_small_db(void);

/*
 * Run argv (argv[0] a path) with extra environment assignments ("K=V", NULL
 * terminated, may be NULL), stdin from /dev/null; capture stdout and stderr.
 */
void hx_test_run(const char *const *argv, const char *const *env, struct hx_test_output *o);
void hx_test_output_free(struct hx_test_output *o);

/*
 * Start argv (argv[0] a path) in the background, stdin from /dev/null,
 * stdout and stderr appended to logpath, with a fast commit
 * (PGOPTIONS=-c synchronous_commit=off: these tests kill clients, never the
 * server).  hx_test_wait returns its exit code, or 128+signal.
 */
pid_t hx_test_spawn(const char *const *argv, const char *logpath);
int hx_test_wait(pid_t pid);

/*
 * A new empty directory under this process's temporary root (see
 * hx_test_temp_root); caller frees the string.
 */
char *hx_test_tempdir(void);
/* For a suite's .fini: remove the tree *dir names, free it and set it NULL; nothing when NULL. */
void hx_test_dir_discard(char **dir);
/*
 * The directory under $TMPDIR (or /tmp) that holds this process's
 * temporary directories; it is removed, with all it holds, when the
 * process exits.  Borrowed.
 */
const char *hx_test_temp_root(void);
/* Remove path and all it holds (asserting success); a path that does not exist is no error. */
void hx_test_rmtree(const char *path);
/* Write a file (asserting success). */
void hx_test_write_file(const char *path, const void *data, size_t len);
/* Copy the file from to the path to (asserting success). */
void hx_test_copy_file(const char *from, const char *to);
/* Read a whole file into a new NUL-terminated string (NULL if it does not exist). */
char *hx_test_read_file(const char *path, size_t *len);
/* Does path exist?  How many entries does directory dir hold (dot files included)? */
int hx_test_exists(const char *path);
int hx_test_count_files(const char *dir);
/* The names in dir but "." and "..", sorted, *n of them; freed by hx_test_free_names. */
char **hx_test_list_dir(const char *dir, size_t *n);
void hx_test_free_names(char **names, size_t n);

/* A new temp dir holding inbox/, archive/ and rejected/, and a summary path in it. */
struct hx_test_dirs {
	char *top, *inbox, *archive, *rejected, *summary;
};
struct hx_test_dirs hx_test_dirs_make(void);
/* Remove the whole tree and free the paths; d is zeroed.  Nothing when d was never made. */
void hx_test_dirs_free(struct hx_test_dirs *d);
/* Write text to dir/name (asserting success). */
void hx_test_put(const char *dir, const char *name, const char *text);
/* Write text to dir/name and load it with hoctap-ingest into conninfo (asserting exit 0). */
void hx_test_ingest_text(const char *conninfo, const char *dir, const char *name,
                         const char *text);

/* Seconds on the monotonic clock, to time a run by. */
double hx_test_now(void);
/* Sleep s seconds (a fraction too), whatever signal comes meanwhile. */
void hx_test_sleep(double s);

/*
 * A Criterion suite NAME whose every test gets, in .init, a fresh small
 * database (hx_test_small_db), a temporary directory and a connection to
 * the database as its owner: the statics db, dir and conn, removed in .fini
 * whatever the test reached.  The file includes <criterion/criterion.h>.
 */
#define HX_TEST_SMALL_SUITE(name)                                                            \
	static char *db;                                                                     \
	static char *dir;                                                                    \
	static PGconn *conn;                                                                 \
	static void name##_setup(void)                                                       \
	{                                                                                    \
		db = hx_test_small_db();                                                     \
		dir = hx_test_tempdir();                                                     \
		conn = hx_test_db_connect(db);                                               \
	}                                                                                    \
	static void name##_teardown(void)                                                    \
	{                                                                                    \
		PQfinish(conn);                                                              \
		hx_test_dir_discard(&dir);                                                   \
		hx_test_db_discard(&db);                                                     \
	}                                                                                    \
	TestSuite(name, .init = name##_setup, .fini = name##_teardown)

#endif
