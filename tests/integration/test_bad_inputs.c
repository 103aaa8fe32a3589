/*
 * test_bad_inputs.c — hoctap-ingest against malformed files (issue 8,
 * docs/design.md §4.3): every file of tests/bad/ is put alone in an inbox and
 * ingested (with -v) into a migrated database holding samples/units.csv,
 * under timeout(1) so a hang fails the test instead of stalling it.  For
 * each file, tests/bad/EXPECTED.tsv gives the exit code, where the file
 * must end (archive/, or rejected/ with NAME.error.txt beside it), its
 * ledger status and rows loaded, and the message that must follow the
 * file's path in stderr.  Beyond the table every run must not crash (exit
 * below 124: no signal, no timeout), print no sanitizer report, leave the
 * file in exactly one place, and load nothing of a rejected file.
 *
 * Files too large to commit (a 20 MB field, 20,000 columns, JSON 200,000
 * levels deep) are generated here.  HOCTAP_BAD_DIR=DIR runs a held-out
 * corpus of files nobody has seen through the same generic checks: exit 0
 * or 65, a message naming each file, the file archived or rejected.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"
#include "lengthof.h"
#include "testsupport.h"

/* Seconds one file may take: a hang fails the test, not the suite.  A
 * Debug build under AddressSanitizer reads a 20 MB file several times
 * slower (GCC defines __SANITIZE_ADDRESS__ there). */
#ifdef __SANITIZE_ADDRESS__
#define RUN_TIMEOUT "120"
#else
#define RUN_TIMEOUT "20"
#endif

struct expect {
	char file[128];
	int exit_code;
	char place[16];   /* "archive" or "rejected" */
	char status[16];  /* staging.files.status */
	long loaded;      /* rows loaded; -1: not checked */
	char message[512];
};

struct env {
	char *conninfo;
	PGconn *conn;
};

static int exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static void env_open(struct env *e)
{
	char *units = hx_test_src("samples/units.csv");
	const char *argv[] = {hx_test_bin("hoctap-ingest"), "-q", "-d", NULL, "--units", units, NULL};
	struct hx_test_output o;

	e->conninfo = hx_test_db_create(1);
	argv[3] = e->conninfo;
	hx_test_run(argv, NULL, &o);
	cr_assert(eq(int, o.status, 0), "--units: %s", o.err);
	hx_test_output_free(&o);
	free(units);
	e->conn = hx_test_db_connect(e->conninfo);
}

static void env_close(struct env *e)
{
	PQfinish(e->conn);
	hx_test_db_drop(e->conninfo);
	free(e->conninfo);
}

/* One value of a parameterised query, as a new string (NULL if no row). */
static char *query1(PGconn *conn, const char *sql, const char *param)
{
	const char *params[1] = {param};
	PGresult *res = PQexecParams(conn, sql, 1, NULL, params, NULL, NULL, 0);
	char *v = NULL;

	cr_assert(PQresultStatus(res) == PGRES_TUPLES_OK, "%s: %s", sql, PQresultErrorMessage(res));
	if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0))
		v = hx_strdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return v;
}

struct outcome {
	int status;
	char place[16];
	char *err;
	char *path;     /* the file in the inbox as the program named it */
	double seconds;
};

/*
 * Put the file (bytes) alone in a fresh inbox, ingest it, and check what
 * every file must satisfy, whatever it holds.
 */
static void run_file(struct env *e, const char *name, const void *data, size_t len,
                     struct outcome *out)
{
	char *dir = hx_test_tempdir();
	char *inbox = hx_asprintf("%s/inbox", dir), *archive = hx_asprintf("%s/archive", dir);
	char *rejected = hx_asprintf("%s/rejected", dir);
	char *in_path = hx_asprintf("%s/%s", inbox, name);
	char *ar_path = hx_asprintf("%s/%s", archive, name);
	char *rj_path = hx_asprintf("%s/%s", rejected, name);
	char *err_txt = hx_asprintf("%s/%s.error.txt", rejected, name);
	const char *argv[] = {"/usr/bin/timeout", "-s", "KILL", RUN_TIMEOUT,
	                      NULL, "-v", "-d", e->conninfo, "--inbox", inbox, "--archive", archive,
	                      "--rejected", rejected, NULL};
	struct hx_test_output o;
	struct timespec t0, t1;
	int places;

	cr_assert(mkdir(inbox, 0755) == 0 && mkdir(archive, 0755) == 0 && mkdir(rejected, 0755) == 0);
	hx_test_write_file(in_path, data, len);
	argv[4] = hx_test_bin("hoctap-ingest");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	hx_test_run(argv, NULL, &o);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	out->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	cr_assert(o.status < 124, "%s: crashed, hung or was killed (status %d after %.1fs): %s",
	          name, o.status, out->seconds, o.err);
	cr_assert(strstr(o.err, "Sanitizer") == NULL && strstr(o.err, "runtime error:") == NULL,
	          "%s: sanitizer report: %s", name, o.err);
	/* Never lost, never in two places. */
	places = exists(in_path) + exists(ar_path) + exists(rj_path);
	cr_assert(eq(int, places, 1), "%s: in %d places (inbox %d, archive %d, rejected %d)", name,
	          places, exists(in_path), exists(ar_path), exists(rj_path));
	snprintf(out->place, sizeof out->place, "%s",
	         exists(ar_path) ? "archive" : exists(rj_path) ? "rejected" : "inbox");
	if (exists(rj_path))
		cr_assert(exists(err_txt), "%s: rejected without %s.error.txt beside it", name, name);
	else
		cr_assert(exists(err_txt) == 0, "%s: an error.txt for a file that was not rejected", name);
	/* Every message is about this file: it is named. */
	cr_assert(strstr(o.err, in_path) != NULL, "%s: no message names the file: %s", name, o.err);
	out->status = o.status;
	out->err = o.err;
	out->path = in_path;
	o.err = NULL;
	hx_test_output_free(&o);
	free(inbox);
	free(archive);
	free(rejected);
	free(ar_path);
	free(rj_path);
	free(err_txt);
	free(dir);
}

static void outcome_free(struct outcome *o)
{
	free(o->err);
	free(o->path);
}

/* Check an outcome against its expectation, and the ledger and staging rows. */
static void check(struct env *e, const char *name, const struct outcome *o, const struct expect *x)
{
	char *want = hx_asprintf("%s%s", o->path, x->message);
	char *status, *loaded, *file_id, *rows, *message, *read;

	cr_assert(eq(int, o->status, x->exit_code), "%s: exit %d, want %d: %s", name, o->status,
	          x->exit_code, o->err);
	cr_assert(strcmp(o->place, x->place) == 0, "%s: ended in %s, want %s", name,
	          o->place, x->place);
	cr_assert(strstr(o->err, want) != NULL, "%s: want the message\n  %s\ngot\n%s", name, want,
	          o->err);
	status = query1(e->conn, "SELECT status FROM staging.files WHERE path = $1 "
	                         "ORDER BY file_id DESC LIMIT 1", o->path);
	loaded = query1(e->conn, "SELECT rows_loaded FROM staging.files WHERE path = $1 "
	                         "ORDER BY file_id DESC LIMIT 1", o->path);
	file_id = query1(e->conn, "SELECT file_id FROM staging.files WHERE path = $1 "
	                          "ORDER BY file_id DESC LIMIT 1", o->path);
	message = query1(e->conn, "SELECT message FROM staging.files WHERE path = $1 "
	                          "ORDER BY file_id DESC LIMIT 1", o->path);
	read = query1(e->conn, "SELECT rows_read FROM staging.files WHERE path = $1 "
	                       "ORDER BY file_id DESC LIMIT 1", o->path);
	cr_assert(status != NULL, "%s: no ledger entry", name);
	cr_assert(strcmp(status, x->status) == 0, "%s: status %s, want %s", name, status,
	          x->status);
	if (x->loaded >= 0)
		cr_assert(eq(long, strtol(loaded, NULL, 10), x->loaded), "%s: %s rows loaded, want %ld",
		          name, loaded, x->loaded);
	/* The rows in staging are exactly those the ledger counts (none for a rejected file). */
	rows = query1(e->conn,
	              "SELECT (SELECT count(*) FROM staging.tally WHERE file_id = $1::bigint)"
	              " + (SELECT count(*) FROM staging.fund WHERE file_id = $1::bigint)"
	              " + (SELECT count(*) FROM staging.register WHERE file_id = $1::bigint)",
	              file_id);
	cr_assert(eq(str, rows, loaded), "%s: %s rows in staging, ledger says %s", name, rows, loaded);
	/*
	 * A rejected file's reason is said once, as its reason ("line 1: " aside,
	 * which a row's warning writes ":1:"); with no row read, no row is said
	 * to be "not loaded".
	 */
	if (strcmp(status, "rejected") == 0) {
		const char *why = message, *at;
		int said = 0;

		cr_assert(why != NULL, "%s: rejected without a reason", name);
		if (strncmp(why, "line ", 5) == 0 && strstr(why, ": ") != NULL)
			why = strstr(why, ": ") + 2;
		for (at = strstr(o->err, why); at != NULL; at = strstr(at + 1, why))
			said++;
		cr_assert(eq(int, said, 1), "%s: its reason \"%s\" said %d times: %s", name, why, said,
		          o->err);
		if (strcmp(read, "0") == 0)
			cr_assert(strstr(o->err, "not loaded)") == NULL, "%s: no row read, yet: %s", name,
			          o->err);
	}
	free(want);
	free(message);
	free(read);
	free(status);
	free(loaded);
	free(file_id);
	free(rows);
}

/* Read tests/bad/EXPECTED.tsv. */
static struct expect *read_table(size_t *n)
{
	char *path = hx_test_src("tests/bad/EXPECTED.tsv");
	char *text = hx_test_read_file(path, NULL), *line, *save = NULL;
	struct expect *t = NULL;
	size_t cap = 0;

	cr_assert(text != NULL, "cannot read %s", path);
	*n = 0;
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		struct expect x;
		char *f[6], *p = line;
		int k;

		if (line[0] == '#' || line[0] == '\0')
			continue;
		for (k = 0; k < 6; k++) {
			f[k] = p;
			p = k < 5 ? strchr(p, '\t') : NULL;
			if (k < 5) {
				cr_assert(p != NULL, "EXPECTED.tsv: fewer than 6 columns in: %s", line);
				*p++ = '\0';
			}
		}
		memset(&x, 0, sizeof x);
		snprintf(x.file, sizeof x.file, "%s", f[0]);
		x.exit_code = atoi(f[1]);
		snprintf(x.place, sizeof x.place, "%s", f[2]);
		snprintf(x.status, sizeof x.status, "%s", f[3]);
		x.loaded = strtol(f[4], NULL, 10);
		snprintf(x.message, sizeof x.message, "%s", f[5]);
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			t = hx_realloc(t, cap * sizeof *t);
		}
		t[(*n)++] = x;
	}
	free(text);
	free(path);
	return t;
}

static int in_table(const struct expect *t, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].file, name) == 0)
			return 1;
	return 0;
}

TestSuite(bad_inputs, .timeout = 600);

Test(bad_inputs, every_committed_file_as_expected)
{
	struct env e;
	size_t n, nfiles;
	struct expect *t = read_table(&n);
	char *dir = hx_test_src("tests/bad");
	char **files = hx_test_list_dir(dir, &nfiles);

	cr_assert(n >= 40, "only %zu files in tests/bad/EXPECTED.tsv", n);
	/* Every committed file has its row (and every row its file). */
	for (size_t i = 0; i < nfiles; i++)
		cr_assert(strcmp(files[i], "EXPECTED.tsv") == 0 || in_table(t, n, files[i]),
		          "tests/bad/%s has no row in EXPECTED.tsv", files[i]);
	env_open(&e);
	for (size_t i = 0; i < n; i++) {
		char *path = hx_asprintf("%s/%s", dir, t[i].file);
		size_t len;
		char *data = hx_test_read_file(path, &len);
		struct outcome o;

		cr_assert(data != NULL, "EXPECTED.tsv names %s, which is missing", path);
		run_file(&e, t[i].file, data, len, &o);
		check(&e, t[i].file, &o, &t[i]);
		outcome_free(&o);
		free(data);
		free(path);
	}
	env_close(&e);
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	free(dir);
	free(t);
}

/* ---- generated: too large to commit ------------------------------------- */

#define TALLY_HEADER "year,unit_code,title,eligible,registered,recognized,exemplary,note\n"

static void gen_field_20mb(struct hx_buf *b, int quoted)
{
	static char x[65536];

	memset(x, quoted ? 'x' : 'y', sizeof x);
	hx_buf_puts(b, TALLY_HEADER "2016,22915,family,100,90,80,1,");
	if (quoted)
		hx_buf_puts(b, "\"");
	for (int i = 0; i < 20 * 16; i++)
		hx_buf_append(b, x, sizeof x);
	hx_buf_puts(b, quoted ? "\"\n" : "\n");
	hx_buf_puts(b, "2016,22936,family,50,40,30,0,ok\n");
}

/* A header of columns cells (the tally's four, then x4, x5...), a row of row_columns fields,
 * and a row of four. */
static void gen_columns(struct hx_buf *b, int columns, int row_columns)
{
	char cell[32];

	hx_buf_puts(b, "year,unit_code,title,eligible");
	for (int i = 4; i < columns; i++) {
		snprintf(cell, sizeof cell, ",x%d", i);
		hx_buf_puts(b, cell);
	}
	hx_buf_puts(b, "\n2016,22915,family,100");
	for (int i = 4; i < row_columns; i++) {
		snprintf(cell, sizeof cell, ",%d", i);
		hx_buf_puts(b, cell);
	}
	hx_buf_puts(b, "\n2016,22936,family,50\n");
}

/*
 * A tally of rows rows of 22 bytes (23 with CRLF) after a header of 30 (31),
 * its byte 13 of row nul_row ('m' of "family") a NUL: the NUL is at byte
 * offset 30 + 22 * (nul_row - 1) + 13 (CRLF: 31 + 23 * ...), on line
 * nul_row + 1.
 */
static void gen_nul(struct hx_buf *b, int rows, int nul_row, int crlf)
{
	const char *eol = crlf ? "\r\n" : "\n";

	hx_buf_printf(b, "year,unit_code,title,eligible%s", eol);
	for (int i = 1; i <= rows; i++) {
		if (i == nul_row)
			hx_buf_append(b, "2016,22915,fa\0ily,100", 21);
		else
			hx_buf_puts(b, "2016,22915,family,100");
		hx_buf_puts(b, eol);
	}
}

static void gen_deep(struct hx_buf *b, const char *before, const char *open, const char *mid,
                     const char *close, const char *after, int depth)
{
	hx_buf_puts(b, before);
	for (int i = 0; i < depth; i++)
		hx_buf_puts(b, open);
	hx_buf_puts(b, mid);
	for (int i = 0; i < depth; i++)
		hx_buf_puts(b, close);
	hx_buf_puts(b, after);
}

Test(bad_inputs, generated_large_and_deep)
{
	struct gen {
		const char *name;
		int kind;
		struct expect x;
	} gens[] = {
		{"field_20mb_quoted.csv", 0,
		 {"", 65, "rejected", "rejected", 0,
		  ": rejected, nothing loaded: line 2: a record longer than 1048576 bytes starts here"}},
		{"field_20mb_unquoted.csv", 1,
		 {"", 65, "rejected", "rejected", 0,
		  ": rejected, nothing loaded: line 2: a record longer than 1048576 bytes starts here"}},
		{"columns_20000.csv", 2,
		 {"", 65, "rejected", "rejected", 0,
		  ": rejected, nothing loaded: line 1: the header has more than 512 columns"}},
		/* The most a file may have, and one more. */
		{"columns_512.csv", 8,
		 {"", 0, "archive", "loaded", 2, ": loaded, 2 rows read, 2 loaded, 0 rejected"}},
		{"columns_513.csv", 9,
		 {"", 65, "rejected", "rejected", 0,
		  ": rejected, nothing loaded: line 1: the header has more than 512 columns, the most a "
		  "file may have: column 513 and those after it cannot be read"}},
		{"row_of_20000_fields.csv", 10,
		 {"", 65, "archive", "partial", 1, ":2: more fields than any header could have"}},
		{"deep_array.json", 3,
		 {"", 65, "rejected", "rejected", 0,
		  ": rejected, nothing loaded: line 1: not valid JSON (column 2049): maximum parsing "
		  "depth reached"}},
		{"deep_object.json", 4,
		 {"", 65, "rejected", "rejected", 0,
		  ": rejected, nothing loaded: line 1: not valid JSON (column 10241): maximum parsing "
		  "depth reached"}},
		{"deep_in_tally.json", 5,
		 {"", 65, "rejected", "rejected", 0,
		  ": rejected, nothing loaded: line 1: not valid JSON (column 2091): maximum parsing "
		  "depth reached"}},
		/* Past the first 4 KiB, which tell a binary file at once: a small file
		 * (hashed before it loads) and one of 330 KB (checked as it loads). */
		{"nul_at_line_301.csv", 6,
		 {"", 65, "rejected", "rejected", 0,
		  ": rejected, nothing loaded: is not a text file: it contains a NUL byte at byte "
		  "offset 6621 (line 301)"}},
		{"nul_at_line_14001_crlf.csv", 7,
		 {"", 65, "rejected", "rejected", 0,
		  ": rejected, nothing loaded: is not a text file: it contains a NUL byte at byte "
		  "offset 322021 (line 14001)"}},
	};
	struct env e;

	env_open(&e);
	for (size_t i = 0; i < lengthof(gens); i++) {
		struct hx_buf b;
		struct outcome o;

		hx_buf_init(&b, (size_t)64 << 20);
		switch (gens[i].kind) {
		case 0: gen_field_20mb(&b, 1); break;
		case 1: gen_field_20mb(&b, 0); break;
		case 2: gen_columns(&b, 20000, 20000); break;
		case 3: gen_deep(&b, "", "[", "", "]", "\n", 200000); break;
		case 4: gen_deep(&b, "", "{\"a\":", "1", "}", "\n", 200000); break;
		case 5:
			gen_deep(&b, "{\"unit_code\":\"22915\",\"year\":2016,\"tallies\":[", "[", "", "]",
			         "]}\n", 200000);
			break;
		case 6: gen_nul(&b, 400, 300, 0); break;
		case 7: gen_nul(&b, 15000, 14000, 1); break;
		case 8: gen_columns(&b, 512, 512); break;
		case 9: gen_columns(&b, 513, 513); break;
		case 10: gen_columns(&b, 4, 20000); break;
		default:
			cr_assert(0, "no generator %d", gens[i].kind);
		}
		if (gens[i].kind <= 1)
			cr_assert(b.len > (size_t)20 << 20, "generated only %zu bytes", b.len);
		run_file(&e, gens[i].name, b.data, b.len, &o);
		check(&e, gens[i].name, &o, &gens[i].x);
		outcome_free(&o);
		hx_buf_free(&b);
	}
	env_close(&e);
}

/*
 * Not a bad input: a valid JSON submission larger than the reader's 64 KiB
 * chunks (a commune's register of 40,000 households, about 4 MB) must load
 * whole, within the time limit, wherever the chunks end.
 *
 * Found by this test and fuzz_jsonsub: the window re-read only on "premature
 * end of input", and a chunk ending inside "true" gave "invalid token near
 * 'tr'", rejecting the valid file; each retry also re-parsed the window
 * (quadratic).  Fixed in b56374c.
 */

/*
 * One submission with n register entries, padded with blanks (valid JSON
 * whitespace) so that a "true" straddles every multiple of 64 KiB: "tr"
 * before the boundary, "ue" after it.
 */
static void gen_straddling_json(struct hx_buf *b, int n)
{
	size_t next = 65536;

	hx_buf_puts(b, "{\"unit_code\":\"22975\",\"year\":2019,\"register\":[");
	for (int i = 0; i < n; i++) {
		char e[200];
		int len = snprintf(e, sizeof e,
		                   "%s{\"title\":\"family\",\"entity_id\":\"H%06d\",\"registered\":true,"
		                   "\"recognized\":%s}",
		                   i ? "," : "", i, i % 3 == 0 ? "true" : "false");
		size_t t = (size_t)(strstr(e, "true") - e);

		/* Within 200 bytes of the boundary (entries are shorter): pad now. */
		if (b->len + (size_t)len + 200 > next) {
			for (size_t pad = next - (b->len + t + 2); pad > 0; pad--)
				hx_buf_putc(b, ' ');
			next += 65536;
		}
		hx_buf_puts(b, e);
	}
	hx_buf_puts(b, "]}\n");
}

Test(bad_inputs, large_valid_json_submission_loads)
{
	struct expect x = {"", 0, "archive", "loaded", 40000,
	                   ": loaded, 40000 rows read, 40000 loaded, 0 rejected"};
	struct outcome o;
	struct env e;
	struct hx_buf b;

	hx_buf_init(&b, (size_t)64 << 20);
	gen_straddling_json(&b, 40000);
	for (size_t at = 65536; at + 2 < b.len; at += 65536)
		cr_assert(strncmp(b.data + at - 2, "true", 4) == 0, "no \"true\" across byte %zu", at);
	env_open(&e);
	run_file(&e, "register_40000.json", b.data, b.len, &o);
	check(&e, "register_40000.json", &o, &x);
	outcome_free(&o);
	env_close(&e);
	hx_buf_free(&b);
}

/*
 * A record of 1.9 MB made of short quoted lines must be refused like any
 * record over the 1 MiB cap (the file rejected, naming its line).
 *
 * Found by fuzz_csvread's differential oracle: the fast path of the
 * reader's buffer checked its allocation, not its cap, so once a record
 * passed 1 MiB in small steps it was taken up to 2 MiB.  Fixed in fe4ba9c.
 */
Test(bad_inputs, record_cap_holds_for_many_short_lines)
{
	struct expect x = {"", 65, "rejected", "rejected", 0,
	                   ": rejected, nothing loaded: line 2: a record longer than 1048576 bytes"};
	struct outcome o;
	struct env e;
	struct hx_buf b;

	hx_buf_init(&b, (size_t)8 << 20);
	hx_buf_puts(&b, "year,unit_code,title,eligible,note\n2016,22915,family,100,\"");
	for (int i = 0; i < 950000; i++)
		hx_buf_puts(&b, "x\n");
	hx_buf_puts(&b, "end\"\n2016,22936,family,50,ok\n");
	env_open(&e);
	run_file(&e, "short_lines_1900kb.csv", b.data, b.len, &o);
	check(&e, "short_lines_1900kb.csv", &o, &x);
	outcome_free(&o);
	env_close(&e);
	hx_buf_free(&b);
}

/*
 * A held-out corpus (HOCTAP_BAD_DIR): nobody wrote expectations for it, so
 * only what holds for every file is asserted — no crash or hang, exit 0 or
 * 65, the file archived or rejected (never lost, never in two places), a
 * message naming it.
 */
Test(bad_inputs, held_out_corpus)
{
	const char *dir = getenv("HOCTAP_BAD_DIR");
	size_t nfiles, checked = 0;
	char **files;
	struct env e;

	if (dir == NULL || dir[0] == '\0')
		cr_skip_test("set HOCTAP_BAD_DIR to a directory of files to run a held-out corpus");
	files = hx_test_list_dir(dir, &nfiles);
	env_open(&e);
	for (size_t i = 0; i < nfiles; i++) {
		char *path = hx_asprintf("%s/%s", dir, files[i]);
		struct stat st;
		size_t len;
		char *data;
		struct outcome o;

		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
			free(path);
			free(files[i]);
			continue;
		}
		data = hx_test_read_file(path, &len);
		run_file(&e, files[i], data, len, &o);
		cr_assert(o.status == 0 || o.status == 65, "%s: exit %d: %s", files[i], o.status, o.err);
		cr_assert(strcmp(o.place, "inbox") != 0, "%s: left in the inbox", files[i]);
		cr_log_info("%s: exit %d, %s, %.2fs", files[i], o.status, o.place, o.seconds);
		checked++;
		outcome_free(&o);
		free(data);
		free(path);
		free(files[i]);
	}
	cr_assert(checked > 0, "HOCTAP_BAD_DIR=%s holds no file", dir);
	env_close(&e);
	free(files);
}
