/*
 * test_security.c — what a security reviewer asks of hoctap (issue 8,
 * docs/design.md §4.3, §5, §7), against the real programs and real roles:
 *
 *   injection   strings that would break SQL built from input, or a COPY
 *               stream written without escaping ('); DROP ..., \., \N,
 *               TAB, newlines, CR, backslashes, $$ quoting, format
 *               directives) in every text field — tally note, register
 *               entity_id / village, the same in JSON, unit names in
 *               --units — arrive in the database byte for byte (and
 *               entity_name, read but not stored, never breaks a row);
 *   roles       hoctap_report reads marts and nothing else, writes nothing;
 *               hoctap_ingest writes staging and cannot touch marts (SQLSTATE
 *               42501 from real LOGIN roles; the programs run as them);
 *   passwords   a password in -d (conninfo or URI, parseable or not, bad
 *               host, refused port) or PGPASSWORD never appears in anything
 *               any of the three programs prints;
 *   file names  inbox names with leading dashes, newlines, quotes, spaces,
 *               Vietnamese, shell syntax, "..." or a trailing ".error.txt"
 *               land inside archive/ or rejected/ under their own name; a
 *               symlink does not drag its target along; a FIFO or a hidden
 *               file (a name starting with '.', "..csv" too) is left alone;
 *               nothing is created anywhere else;
 *   modes       hoctap-report's outputs are 0644 whatever the umask (0, 022,
 *               077), and nothing it leaves in out/ is group- or
 *               world-writable; hoctap-ingest's error.txt and --summary are
 *               0644 under umask 000.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"
#include "lengthof.h"
#include "testsupport.h"

/* Text that must reach the database exactly as written. */
static const char *const inject[] = {
	"'); DROP TABLE staging.files; --",
	"\\.",
	"a\\.b",
	"x\tTAB\ty",
	"first line\nsecond line",
	"CR\rinside",
	"CRLF\r\ninside",
	"back\\slash \\\\ double \\N \\t \\n \\r \\",
	"\\N",
	"$$; DROP TABLE staging.files; $$",
	"$q$ SELECT pg_sleep(10) $q$",
	"\"double\" 'single' `back`",
	"%s%s%n%x %1$s",
	"Robert'); DELETE FROM staging.tally WHERE ('1'='1",
	"Nguyễn Văn Ất – \"Thôn 1\"; họ Đặng",
	"E'\\x27' || chr(39) || ';'",
	"\\copy staging.files to '/tmp/hoctap-pwned'",
	"--\n\\.\nCOPY staging.files FROM PROGRAM 'touch /tmp/hoctap-pwned'",
};
#define NINJECT (lengthof(inject))

static char *bin_ingest, *bin_transform, *bin_report;

static void bins(void)
{
	bin_ingest = hx_strdup(hx_test_bin("hoctap-ingest"));
	bin_transform = hx_strdup(hx_test_bin("hoctap-transform"));
	bin_report = hx_strdup(hx_test_bin("hoctap-report"));
}

static void free_bins(void)
{
	free(bin_ingest);
	free(bin_transform);
	free(bin_report);
}

/*
 * What each test of the suite security works on, made by setup and removed
 * by teardown whatever the test reached: a migrated database, a temporary
 * directory, and the LOGIN roles a test made (cluster-wide: dropped too).
 */
static char *conninfo, *dir;
static char *roles[3];

static void setup(void)
{
	bins();
	conninfo = hx_test_db_create(1);
	dir = hx_test_tempdir();
}

static void teardown(void)
{
	hx_test_db_discard(&conninfo);
	for (size_t i = 0; i < lengthof(roles); i++) {
		if (roles[i] != NULL) {
			PGconn *a = hx_test_db_connect("dbname=postgres");
			char *sql = hx_asprintf("DROP ROLE IF EXISTS %s", roles[i]);

			hx_test_db_exec(a, sql);
			PQfinish(a);
			free(sql);
			free(roles[i]);
			roles[i] = NULL;
		}
	}
	hx_test_dir_discard(&dir);
	free_bins();
}

TestSuite(security, .init = setup, .fini = teardown, .timeout = 300);

/* A CSV field, quoted (RFC 4180: quotes doubled). */
static void csv_field(struct hx_buf *b, const char *s)
{
	hx_buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			hx_buf_putc(b, '"');
		hx_buf_putc(b, *s);
	}
	hx_buf_putc(b, '"');
}

static int run(const char *const *argv, struct hx_test_output *o)
{
	hx_test_run(argv, NULL, o);
	return o->status;
}

/* Reference units into the suite's database. */
static void load_units(const char *path)
{
	const char *argv[] = {bin_ingest, "-q", "-d", conninfo, "--units", path, NULL};
	struct hx_test_output o;

	cr_assert(eq(int, run(argv, &o), 0), "--units %s: %s", path, o.err);
	hx_test_output_free(&o);
}

/* Rows of a one-column query, in order. */
static char **column(PGconn *conn, const char *sql, int *n)
{
	PGresult *res = PQexec(conn, sql);
	char **v;

	cr_assert(PQresultStatus(res) == PGRES_TUPLES_OK, "%s: %s", sql, PQresultErrorMessage(res));
	*n = PQntuples(res);
	v = hx_calloc((size_t)*n + 1, sizeof *v);
	for (int i = 0; i < *n; i++)
		v[i] = PQgetisnull(res, i, 0) ? NULL : hx_strdup(PQgetvalue(res, i, 0));
	PQclear(res);
	return v;
}

static void free_column(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void assert_verbatim(PGconn *conn, const char *what, const char *sql)
{
	int n;
	char **v = column(conn, sql, &n);

	cr_assert(eq(int, n, (int)NINJECT), "%s: %d rows, want %zu", what, n, NINJECT);
	for (int i = 0; i < n; i++) {
		cr_assert(v[i] != NULL, "%s row %d: NULL, want \"%s\"", what, i, inject[i]);
		cr_assert(strcmp(v[i], inject[i]) == 0, "%s row %d: got\n[%s]\nwant\n[%s]", what, i,
		          v[i], inject[i]);
	}
	free_column(v, n);
}

Test(security, injection_strings_round_trip_verbatim)
{
	char *units_src = hx_test_src("samples/units.csv"), *units_text;
	char *units = hx_asprintf("%s/units.csv", dir), *inbox = hx_asprintf("%s/inbox", dir);
	char *tally = hx_asprintf("%s/inbox/a-tally.csv", dir);
	char *reg = hx_asprintf("%s/inbox/b-register.csv", dir);
	char *js = hx_asprintf("%s/inbox/c-submission.json", dir);
	const char *argv[] = {NULL, "-d", conninfo, "--inbox", inbox, "--archive", dir, "--rejected",
	                      dir, NULL};
	struct hx_buf b;
	struct hx_test_output o;
	json_t *subs, *tallies, *regs;
	char *text, *v;
	PGconn *conn;

	argv[0] = bin_ingest;
	cr_assert(mkdir(inbox, 0755) == 0);
	/* Unit names through --units. */
	hx_buf_init(&b, (size_t)1 << 24);
	units_text = hx_test_read_file(units_src, NULL);
	hx_buf_puts(&b, units_text);
	for (size_t i = 0; i < NINJECT; i++) {
		hx_buf_printf(&b, "%d,", 23100 + (int)i);
		csv_field(&b, inject[i]);
		hx_buf_puts(&b, ",commune,593,,,\n");
	}
	hx_test_write_file(units, b.data, b.len);
	load_units(units);

	/* A tally: the note (a year a row: two rows of one tally would conflict). */
	hx_buf_reset(&b);
	hx_buf_puts(&b, "year,unit_code,title,eligible,note\n");
	for (size_t i = 0; i < NINJECT; i++) {
		hx_buf_printf(&b, "%d,22915,family,%d,", 2000 + (int)i, 100 + (int)i);
		csv_field(&b, inject[i]);
		hx_buf_puts(&b, "\n");
	}
	hx_test_write_file(tally, b.data, b.len);
	/* A register: entity_id, village, entity_name. */
	hx_buf_reset(&b);
	hx_buf_puts(&b, "year;unit_code;title;entity_id;registered;recognized;village;entity_name\r\n");
	for (size_t i = 0; i < NINJECT; i++) {
		hx_buf_puts(&b, "2019;22975;family;");
		csv_field(&b, inject[i]);
		hx_buf_puts(&b, ";có;x;");
		csv_field(&b, inject[i]);
		hx_buf_puts(&b, ";");
		csv_field(&b, inject[i]);
		hx_buf_puts(&b, "\r\n");
	}
	hx_test_write_file(reg, b.data, b.len);
	/* JSON: the same fields, escaped by jansson; a submission a tally, one a year. */
	subs = json_array();
	regs = json_array();
	for (size_t i = 0; i < NINJECT; i++) {
		tallies = json_pack("[{s:s, s:i, s:s}]", "title", "clan", "registered", (int)i + 1,
		                    "note", inject[i]);
		json_array_append_new(subs, json_pack("{s:s, s:i, s:o}", "unit_code", "22936", "year",
		                                      2000 + (int)i, "tallies", tallies));
		json_array_append_new(regs, json_pack("{s:s, s:s, s:b, s:b, s:s, s:s}", "title", "family",
		                                      "entity_id", inject[i], "registered", 1,
		                                      "recognized", 0, "village", inject[i],
		                                      "entity_name", inject[i]));
	}
	json_array_append_new(subs, json_pack("{s:s, s:i, s:o}", "unit_code", "22936", "year", 2020,
	                                      "register", regs));
	text = json_dumps(subs, JSON_INDENT(1));
	hx_test_write_file(js, text, strlen(text));
	free(text);
	json_decref(subs);

	hx_test_run(argv, NULL, &o);
	cr_assert(eq(int, o.status, 0), "ingest: exit %d: %s", o.status, o.err);
	hx_test_output_free(&o);

	conn = hx_test_db_connect(conninfo);
	v = hx_test_db_value(conn, "SELECT count(*) FROM staging.files WHERE status = 'loaded'");
	cr_assert(eq(str, v, "3"), "loaded files: %s", v);
	free(v);
	assert_verbatim(conn, "ref.units.name",
	                "SELECT name FROM ref.units WHERE code >= '23100' AND code < '23200' "
	                "ORDER BY code");
	assert_verbatim(conn, "tally note",
	                "SELECT t.note FROM staging.tally t JOIN staging.files f USING (file_id) "
	                "WHERE f.name = 'a-tally.csv' ORDER BY t.line");
	assert_verbatim(conn, "register entity_id",
	                "SELECT r.entity_id FROM staging.register r JOIN staging.files f USING "
	                "(file_id) WHERE f.name = 'b-register.csv' ORDER BY r.line");
	assert_verbatim(conn, "register village",
	                "SELECT r.village FROM staging.register r JOIN staging.files f USING "
	                "(file_id) WHERE f.name = 'b-register.csv' ORDER BY r.line");
	/* JSON rows share one line (the submission's): order by insertion. */
	assert_verbatim(conn, "JSON tally note",
	                "SELECT t.note FROM staging.tally t JOIN staging.files f USING (file_id) "
	                "WHERE f.name = 'c-submission.json' ORDER BY t.registered");
	assert_verbatim(conn, "JSON entity_id",
	                "SELECT r.entity_id FROM staging.register r JOIN staging.files f USING "
	                "(file_id) WHERE f.name = 'c-submission.json' ORDER BY r.ctid");
	assert_verbatim(conn, "JSON village",
	                "SELECT r.village FROM staging.register r JOIN staging.files f USING "
	                "(file_id) WHERE f.name = 'c-submission.json' ORDER BY r.ctid");
	/* entity_name, last of the rows written, is read and cut before they are
	 * sent (migration 034): whatever it held, every row arrived whole. */
	v = hx_test_db_value(conn, "SELECT count(*) FROM staging.register");
	cr_assert(eq(long, atol(v), (long)(2 * NINJECT)), "register rows: %s", v);
	free(v);
	cr_assert(access("/tmp/hoctap-pwned", F_OK) != 0, "/tmp/hoctap-pwned exists");
	PQfinish(conn);

	hx_buf_free(&b);
	free(units_text);
	free(units_src);
	free(units);
	free(inbox);
	free(tally);
	free(reg);
	free(js);
}

/* ---- roles ------------------------------------------------------------------ */

static PGconn *admin(void)
{
	return hx_test_db_connect("dbname=postgres");
}

/* Run sql; return its SQLSTATE ("" on success). */
static char *sqlstate_of(PGconn *conn, const char *sql)
{
	PGresult *res = PQexec(conn, sql);
	const char *st = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	char *v = hx_strdup(PQresultStatus(res) == PGRES_COMMAND_OK ||
	                            PQresultStatus(res) == PGRES_TUPLES_OK
	                        ? ""
	                        : st != NULL ? st : "?");

	PQclear(res);
	return v;
}

static void expect_state(PGconn *conn, const char *who, const char *sql, const char *want)
{
	char *got = sqlstate_of(conn, sql);

	cr_assert(strcmp(got, want) == 0, "as %s: %s\n  SQLSTATE \"%s\", want \"%s\" (%s)", who, sql,
	          got, want, PQerrorMessage(conn));
	free(got);
}

static const char *const mart_writes[] = {
	"INSERT INTO mart.rates (scope_level, scope_code, scope_name, province_code, year, title, "
	"units_reporting, units_expected) VALUES ('province', '99', 'x', '99', 2016, 'family', 0, 0)",
	"UPDATE mart.rates SET eligible = 0",
	"DELETE FROM mart.findings",
	"TRUNCATE mart.rates",
	"CREATE TABLE mart.evil (x integer)",
	"INSERT INTO mart.funds (scope_level, scope_code, scope_name, province_code, year, "
	"units_reporting) VALUES ('province', '99', 'x', '99', 2016, 0)",
};

Test(security, roles_report_reads_marts_only_ingest_never_touches_marts)
{
	char *units = hx_test_src("samples/units.csv"), *inbox_src = hx_test_src("samples/inbox");
	/* Owned by roles[], which teardown drops after the database. */
	char *rep_user = roles[0] = hx_asprintf("hx8_report_%ld", (long)getpid());
	char *ing_user = roles[1] = hx_asprintf("hx8_ingest_%ld", (long)getpid());
	char *pub_user = roles[2] = hx_asprintf("hx8_public_%ld", (long)getpid());
	char *rep_ci = hx_asprintf("%s user=%s", conninfo, rep_user);
	char *ing_ci = hx_asprintf("%s user=%s", conninfo, ing_user);
	char *pub_ci = hx_asprintf("%s user=%s", conninfo, pub_user);
	char *file = hx_asprintf("%s/2017-01-10-phanthiet-2016.csv", inbox_src);
	char *out = hx_asprintf("%s/out", dir), *sql, *before, *after;
	PGconn *a = admin(), *owner, *rep, *ing, *pub;
	struct hx_test_output o;

	sql = hx_asprintf("CREATE ROLE %s LOGIN IN ROLE hoctap_report; "
	                  "CREATE ROLE %s LOGIN IN ROLE hoctap_ingest; CREATE ROLE %s LOGIN",
	                  rep_user, ing_user, pub_user);
	hx_test_db_exec(a, sql);
	free(sql);
	load_units(units);

	/* The ingest role runs hoctap-ingest (positive control: it may write staging). */
	{
		const char *argv[] = {bin_ingest, "-d", ing_ci, file, NULL};

		cr_assert(eq(int, run(argv, &o), 0), "ingest as %s: %s", ing_user, o.err);
		hx_test_output_free(&o);
	}
	/* The owner transforms, so that the marts hold figures. */
	{
		const char *argv[] = {bin_transform, "-d", conninfo, NULL};

		cr_assert(eq(int, run(argv, &o), 0), "transform: %s", o.err);
		hx_test_output_free(&o);
	}
	owner = hx_test_db_connect(conninfo);
	before = hx_test_db_value(owner, "SELECT count(*) || '/' || sum(recognized) FROM mart.rates");
	cr_assert(before != NULL && strcmp(before, "0/") != 0, "no figures in mart.rates");

	rep = hx_test_db_connect(rep_ci);
	ing = hx_test_db_connect(ing_ci);
	pub = hx_test_db_connect(pub_ci);
	/* hoctap_report: reads marts, nothing else; writes nothing. */
	expect_state(rep, rep_user, "SELECT count(*) FROM mart.rates", "");
	for (size_t i = 0; i < lengthof(mart_writes); i++)
		expect_state(rep, rep_user, mart_writes[i], "42501");
	expect_state(rep, rep_user, "SELECT count(*) FROM staging.files", "42501");
	expect_state(rep, rep_user, "SELECT count(*) FROM staging.tally", "42501");
	expect_state(rep, rep_user,
	             "INSERT INTO staging.rejects (file_id, reason, message) VALUES (1, 'x', 'x')",
	             "42501");
	expect_state(rep, rep_user, "UPDATE ref.units SET name = 'x'", "42501");
	expect_state(rep, rep_user, "CREATE TABLE staging.evil (x integer)", "42501");
	expect_state(rep, rep_user, "DELETE FROM audit.schema_migrations", "42501");
	/* hoctap_ingest: cannot read or write marts, nor change reference data. */
	for (size_t i = 0; i < lengthof(mart_writes); i++)
		expect_state(ing, ing_user, mart_writes[i], "42501");
	expect_state(ing, ing_user, "SELECT count(*) FROM mart.rates", "42501");
	expect_state(ing, ing_user, "UPDATE ref.units SET name = 'x'", "42501");
	expect_state(ing, ing_user, "DELETE FROM ref.units", "42501");
	expect_state(ing, ing_user, "CREATE TABLE staging.evil (x integer)", "42501");
	expect_state(ing, ing_user, "SELECT count(*) FROM staging.files", "");
	/* A login with no hoctap role reads nothing. */
	expect_state(pub, pub_user, "SELECT count(*) FROM mart.rates", "42501");
	expect_state(pub, pub_user, "SELECT count(*) FROM staging.files", "42501");
	expect_state(pub, pub_user, "SELECT count(*) FROM ref.units", "42501");
	PQfinish(rep);
	PQfinish(ing);
	PQfinish(pub);

	/* The programs as those roles: transform as ingest fails and leaves the marts be. */
	{
		const char *argv[] = {bin_transform, "-d", ing_ci, "--full", NULL};

		cr_assert(run(argv, &o) != 0, "transform as %s succeeded: %s", ing_user, o.err);
		cr_assert(o.status < 128, "transform as %s crashed: %d", ing_user, o.status);
		hx_test_output_free(&o);
	}
	after = hx_test_db_value(owner, "SELECT count(*) || '/' || sum(recognized) FROM mart.rates");
	cr_assert(eq(str, after, before), "mart.rates changed: %s -> %s", before, after);
	{
		const char *argv[] = {bin_report, "-d", rep_ci, "-o", out, NULL};

		cr_assert(eq(int, run(argv, &o), 0), "report as %s: %s", rep_user, o.err);
		hx_test_output_free(&o);
	}
	PQfinish(owner);
	PQfinish(a);
	free(before);
	free(after);
	free(units);
	free(inbox_src);
	free(rep_ci);
	free(ing_ci);
	free(pub_ci);
	free(file);
	free(out);
}

/* ---- passwords -------------------------------------------------------------- */

#define PW "Pw-h8SECRETh8-7x"

/* The passwords' suite works on no database: its programs never reach one. */
static void passwords_setup(void)
{
	bins();
	dir = hx_test_tempdir();
}

TestSuite(passwords, .init = passwords_setup, .fini = teardown, .timeout = 300);

Test(passwords, never_printed)
{
	static const char *const forms[] = {
		"host=/nonexistent/hx8 dbname=hoctap user=u password=" PW,
		"host=127.0.0.1 port=1 connect_timeout=3 dbname=hoctap user=u password=" PW,
		"password=" PW " bogus_option=1",
		"password='" PW " dbname=x",
		"dbname=hoctap password = '" PW " with space' host=/nonexistent/hx8",
		"postgresql://u:" PW "@/hoctap?host=/nonexistent/hx8",
		"postgresql://u:" PW "@127.0.0.1:1/hoctap?connect_timeout=3",
		"postgresql://u:" PW "@[::1/hoctap",
		"postgresql://u:" PW "@localhost/hoctap?bogus=1",
		"postgres://u:" PW "@/hoctap?host=/nonexistent/hx8&password=" PW,
		"postgresql://u@/hoctap?host=/nonexistent/hx8&password=" PW,
		"postgresql://u:" PW "@%zz/hoctap",
	};
	char *out = hx_asprintf("%s/out", dir), *file = hx_asprintf("%s/x.csv", dir);
	int checked = 0;

	hx_test_write_file(file, "year,unit_code,title,eligible\n2016,22915,family,1\n", 48);
	for (size_t i = 0; i < lengthof(forms); i++) {
		for (int prog = 0; prog < 3; prog++) {
			for (int verbose = 0; verbose < 2; verbose++) {
				const char *argv[9];
				const char *env[] = {"PGPASSWORD=" PW "-env", NULL};
				struct hx_test_output o;
				int k = 0;

				argv[k++] = prog == 0 ? bin_ingest : prog == 1 ? bin_transform : bin_report;
				if (verbose)
					argv[k++] = "-v";
				argv[k++] = "-d";
				argv[k++] = forms[i];
				if (prog == 0)
					argv[k++] = file;
				if (prog == 2) {
					argv[k++] = "-o";
					argv[k++] = out;
				}
				argv[k] = NULL;
				hx_test_run(argv, verbose ? env : NULL, &o);
				cr_assert(o.status == 64 || o.status == 69, "%s -d '%s': exit %d: %s", argv[0],
				          forms[i], o.status, o.err);
				cr_assert(o.err[0] != '\0', "%s -d '%s': no message", argv[0], forms[i]);
				cr_assert(strstr(o.err, "h8SECRETh8") == NULL && strstr(o.out, "h8SECRETh8") == NULL,
				          "%s -d '%s' printed the password:\n%s%s", argv[0], forms[i], o.out,
				          o.err);
				hx_test_output_free(&o);
				checked++;
			}
		}
	}
	cr_assert(eq(int, checked, 72));
	free(out);
	free(file);
}

/* ---- file names ------------------------------------------------------------- */

struct named {
	const char *name;
	int good;          /* 1: a valid tally (archived); 0: empty (rejected); 2: a valid
	                      tally whose name starts with '.': hidden, left in the inbox */
};

static const struct named odd_names[] = {
	{"-rf.csv", 1},
	{"--help.csv", 1},
	{"-d.csv", 0},
	{"with space.csv", 1},
	{"new\nline.csv", 1},
	{"tab\tname.csv", 0},
	{"Gia đình học tập – Tuy Phong 2019.csv", 1},
	{"..csv", 2},
	{"...", 2},
	{"x.csv.error.txt", 1},
	{"quote\"name'.csv", 1},
	{"$(touch hx8-pwned).csv", 1},
	{";rm -rf ~;.csv", 0},
	{"back\\slash.csv", 1},
	{"%s%n.csv", 0},
	{"collide.csv", 1},
};
#define NODD (lengthof(odd_names))

static int count_entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	cr_assert(d != NULL, "opendir %s", path);
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static int file_equals(const char *path, const char *data, size_t len)
{
	size_t got;
	char *s = hx_test_read_file(path, &got);
	int eq = s != NULL && got == len && memcmp(s, data, len) == 0;

	free(s);
	return eq;
}

Test(security, odd_file_names_stay_inside_archive_and_rejected)
{
	char *cwd = hx_test_tempdir();
	char *units = hx_test_src("samples/units.csv");
	char *inbox = hx_asprintf("%s/inbox", dir), *archive = hx_asprintf("%s/archive", dir);
	char *rejected = hx_asprintf("%s/rejected", dir), *outside = hx_asprintf("%s/outside.csv", dir);
	char *path, *content[NODD];
	const char *outside_text = "year,unit_code,title,eligible\n2016,22936,clan,77\n";
	const char *old = "an older collide.csv, already archived\n";
	const char *argv[] = {"/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", cwd, NULL, "-d", conninfo,
	                      "--inbox", inbox, "--archive", archive, "--rejected", rejected, NULL};
	struct hx_test_output o;

	argv[4] = bin_ingest;
	load_units(units);
	cr_assert(mkdir(inbox, 0755) == 0 && mkdir(archive, 0755) == 0 && mkdir(rejected, 0755) == 0);
	for (size_t i = 0; i < NODD; i++) {
		content[i] = odd_names[i].good
		                 ? hx_asprintf("year,unit_code,title,eligible\n2016,22915,family,%zu\n",
		                               1000 + i)
		                 : hx_strdup("");
		path = hx_asprintf("%s/%s", inbox, odd_names[i].name);
		hx_test_write_file(path, content[i], strlen(content[i]));
		free(path);
	}
	/* A name already taken in archive/: the new file gets NAME.1, the old one stays. */
	path = hx_asprintf("%s/collide.csv", archive);
	hx_test_write_file(path, old, strlen(old));
	free(path);
	/* A symlink to a file outside the inbox, a FIFO and a hidden file. */
	hx_test_write_file(outside, outside_text, strlen(outside_text));
	path = hx_asprintf("%s/link.csv", inbox);
	cr_assert(symlink(outside, path) == 0, "symlink: %s", strerror(errno));
	free(path);
	path = hx_asprintf("%s/fifo.csv", inbox);
	cr_assert(mkfifo(path, 0644) == 0, "mkfifo: %s", strerror(errno));
	free(path);
	path = hx_asprintf("%s/.hidden.csv", inbox);
	hx_test_write_file(path, "year,unit_code,title,eligible\n2016,22915,clan,3\n", 47);
	free(path);

	hx_test_run(argv, NULL, &o);
	cr_assert(eq(int, o.status, 65), "ingest: exit %d: %s", o.status, o.err);

	for (size_t i = 0; i < NODD; i++) {
		const char *n = odd_names[i].name;
		int collide = strcmp(n, "collide.csv") == 0;
		char *in = hx_asprintf("%s/%s", inbox, n);
		char *ar = hx_asprintf("%s/%s%s", archive, n, collide ? ".1" : "");
		char *rj = hx_asprintf("%s/%s", rejected, n);
		char *et = hx_asprintf("%s/%s.error.txt", rejected, n);

		if (odd_names[i].good == 2)
			cr_assert(file_equals(in, content[i], strlen(content[i])),
			          "[%s] a hidden name was not left alone", n);
		else
			cr_assert(access(in, F_OK) != 0, "[%s] left in the inbox", n);
		if (odd_names[i].good == 2) {
			cr_assert(access(ar, F_OK) != 0 && access(rj, F_OK) != 0, "[%s] moved", n);
		} else if (odd_names[i].good) {
			cr_assert(file_equals(ar, content[i], strlen(content[i])),
			          "[%s] not archived whole as [%s]: %s", n, ar, o.err);
		} else {
			cr_assert(file_equals(rj, content[i], strlen(content[i])), "[%s] not in rejected/", n);
			cr_assert(access(et, F_OK) == 0, "[%s] rejected without its .error.txt", n);
		}
		free(in);
		free(ar);
		free(rj);
		free(et);
		free(content[i]);
	}
	path = hx_asprintf("%s/collide.csv", archive);
	cr_assert(file_equals(path, old, strlen(old)), "archive/collide.csv was overwritten");
	free(path);
	/* The symlink was never followed: rejected/ holds the link itself, its
	 * target is untouched and nothing of it loaded. */
	cr_assert(file_equals(outside, outside_text, strlen(outside_text)), "outside.csv was touched");
	path = hx_asprintf("%s/link.csv", rejected);
	{
		struct stat st;

		cr_assert(lstat(path, &st) == 0 && S_ISLNK(st.st_mode), "rejected/link.csv is no symlink");
	}
	free(path);
	{
		PGconn *c = hx_test_db_connect(conninfo);
		char *v = hx_test_db_value(c, "SELECT count(*) FROM staging.tally WHERE eligible = 77");

		cr_assert(eq(str, v, "0"), "the link's target was loaded");
		free(v);
		PQfinish(c);
	}
	/* The FIFO was moved unopened (nothing hung on it); the hidden file is left alone. */
	path = hx_asprintf("%s/fifo.csv", rejected);
	{
		struct stat st;

		cr_assert(lstat(path, &st) == 0 && S_ISFIFO(st.st_mode), "the FIFO was not rejected");
	}
	free(path);
	path = hx_asprintf("%s/.hidden.csv", inbox);
	cr_assert(access(path, F_OK) == 0, "the hidden file was moved");
	free(path);
	/* Exactly what was expected and nothing more, anywhere. */
	{
		int good = 0, bad = 0, hidden = 0;

		for (size_t i = 0; i < NODD; i++) {
			good += odd_names[i].good == 1;
			bad += odd_names[i].good == 0;
			hidden += odd_names[i].good == 2;
		}
		cr_assert(eq(int, count_entries(archive), good + 1 /* old collide */));
		/* each with its .error.txt, the link and the FIFO too */
		cr_assert(eq(int, count_entries(rejected), 2 * bad + 2 + 2), "rejected/ holds %d entries",
		          count_entries(rejected));
		cr_assert(eq(int, count_entries(inbox), 1 + hidden), "inbox holds %d entries",
		          count_entries(inbox));
		cr_assert(eq(int, count_entries(dir), 4), "%s holds %d entries", dir, count_entries(dir));
		cr_assert(eq(int, count_entries(cwd), 0), "the working directory holds %d entries",
		          count_entries(cwd));
	}
	hx_test_output_free(&o);
	free(cwd);
	free(units);
	free(inbox);
	free(archive);
	free(rejected);
	free(outside);
}

/*
 * A file name is data too: one with a newline must not be able to start a
 * line of its own in the log (a forged "hoctap-ingest: error: ..." line
 * that log watchers or cron mail readers would believe).
 */
/* Found by this test; fixed in ee6ffa5 (paths in messages escape control
 * characters). */
Test(security, file_name_cannot_forge_a_log_line)
{
	char *units = hx_test_src("samples/units.csv");
	char *inbox = hx_asprintf("%s/inbox", dir);
	char *path = hx_asprintf("%s/x\nhoctap-ingest: error: FORGED.csv", inbox);
	const char *argv[] = {NULL, "-v", "-d", conninfo, "--inbox", inbox, "--archive", dir,
	                      "--rejected", dir, NULL};
	struct hx_test_output o;

	argv[0] = bin_ingest;
	load_units(units);
	cr_assert(mkdir(inbox, 0755) == 0);
	hx_test_write_file(path, "", 0);
	hx_test_run(argv, NULL, &o);
	cr_assert(eq(int, o.status, 65), "exit %d: %s", o.status, o.err);
	cr_assert(strstr(o.err, "\nhoctap-ingest: error: FORGED") == NULL &&
	          strncmp(o.err, "hoctap-ingest: error: FORGED", 28) != 0,
	          "a file name forged a log line:\n%s", o.err);
	hx_test_output_free(&o);
	free(units);
	free(inbox);
	free(path);
}

/* ---- output modes ----------------------------------------------------------- */

/*
 * Every regular file hoctap-report leaves in out/ is mode 0644 under umask
 * 000, 022 and 077 (outputs are published to readers: readable by all,
 * writable by the owner only, whatever the caller's umask), and no entry
 * left in out/ is group- or world-writable.
 */
/* Found by this test (outputs were 0666 & ~umask); fixed in 99a2fb4. */
Test(security, report_outputs_0644_whatever_the_umask)
{
	static const char *const masks[] = {"000", "022", "077"};
	char *units = hx_test_src("samples/units.csv");
	char *file = hx_test_src("samples/inbox/2017-01-10-phanthiet-2016.csv");
	struct hx_test_output o;

	load_units(units);
	{
		const char *ingest[] = {bin_ingest, "-q", "-d", conninfo, file, NULL};
		const char *transform[] = {bin_transform, "-q", "-d", conninfo, NULL};

		cr_assert(eq(int, run(ingest, &o), 0), "ingest: %s", o.err);
		hx_test_output_free(&o);
		cr_assert(eq(int, run(transform, &o), 0), "transform: %s", o.err);
		hx_test_output_free(&o);
	}
	for (size_t m = 0; m < lengthof(masks); m++) {
		char *out = hx_asprintf("%s/out-%s", dir, masks[m]);
		char *script = hx_asprintf("umask %s && exec \"$@\"", masks[m]);
		const char *argv[] = {"/bin/sh", "-c", script, "sh", bin_report, "-q", "-d", conninfo,
		                      "-o", out, NULL};
		DIR *d;
		struct dirent *e;
		int files = 0;

		cr_assert(eq(int, run(argv, &o), 0), "report under umask %s: %s", masks[m], o.err);
		hx_test_output_free(&o);
		d = opendir(out);
		cr_assert(d != NULL, "no %s", out);
		while ((e = readdir(d)) != NULL) {
			char *p;
			struct stat st;

			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			p = hx_asprintf("%s/%s", out, e->d_name);
			cr_assert(lstat(p, &st) == 0);
			cr_assert(eq(int, (int)(st.st_mode & 022), 0), "umask %s: %s is mode %04o (group/world-writable)",
			          masks[m], e->d_name, (unsigned)(st.st_mode & 07777));
			if (S_ISREG(st.st_mode)) {
				cr_assert(eq(int, (int)(st.st_mode & 07777), 0644), "umask %s: %s is mode %04o, want 0644",
				          masks[m], e->d_name, (unsigned)(st.st_mode & 07777));
				files++;
			}
			free(p);
		}
		closedir(d);
		cr_assert(files >= 7, "umask %s: only %d files in out/", masks[m], files);
		free(out);
		free(script);
	}
	free(units);
	free(file);
}

/*
 * hoctap-ingest's own files — NAME.error.txt beside a rejected file and the
 * --summary JSON — are 0644 even under umask 000 (never group- or
 * world-writable).  Each has its own writer (ingest/inbox.c,
 * ingest/summary.c), so each its own test.
 */
/* Found by these tests (they were 0666 & ~umask); fixed in ee6ffa5. */

/* Ingest an empty file under umask 000, with --summary dir/summary.json: 65. */
static void ingest_empty_under_umask_000(void)
{
	char *units = hx_test_src("samples/units.csv");
	char *inbox = hx_asprintf("%s/inbox", dir), *summary = hx_asprintf("%s/summary.json", dir);
	char *empty = hx_asprintf("%s/empty.csv", inbox);
	const char *argv[] = {"/bin/sh", "-c", "umask 000 && exec \"$@\"", "sh", NULL, "-q", "-d",
	                      conninfo, "--inbox", inbox, "--archive", dir, "--rejected", dir,
	                      "--summary", summary, NULL};
	struct hx_test_output o;

	argv[4] = bin_ingest;
	load_units(units);
	cr_assert(mkdir(inbox, 0755) == 0);
	hx_test_write_file(empty, "", 0);
	hx_test_run(argv, NULL, &o);
	cr_assert(eq(int, o.status, 65), "exit %d: %s", o.status, o.err);
	hx_test_output_free(&o);
	free(units);
	free(inbox);
	free(summary);
	free(empty);
}

/* The mode of dir/name, asserting that it exists. */
static unsigned mode_of(const char *name)
{
	char *path = hx_asprintf("%s/%s", dir, name);
	struct stat st;

	cr_assert(stat(path, &st) == 0, "no %s", path);
	free(path);
	return (unsigned)(st.st_mode & 07777);
}

Test(security, ingest_error_txt_not_world_writable)
{
	unsigned mode;

	ingest_empty_under_umask_000();
	mode = mode_of("empty.csv.error.txt");
	cr_assert(eq(int, (int)mode, 0644), "error.txt is mode %04o under umask 000", mode);
}

Test(security, ingest_summary_not_world_writable)
{
	unsigned mode;

	ingest_empty_under_umask_000();
	mode = mode_of("summary.json");
	cr_assert(eq(int, (int)mode, 0644), "the summary is mode %04o under umask 000", mode);
}
