/*
 * hoctap-ingest against the real database: the sample inbox end to end
 * (statuses, counts, rejects with their lines and messages, the duplicate,
 * the UTF-16 file, moves), re-ingesting an archived file, a non-UTF-8 file,
 * --dry-run, --strict, --max-rejects, --summary, exit codes (0 empty inbox,
 * 65, 66, 69, 75), leading zeros, JSON shapes.  Large registers and a
 * kill during a load: test_ingest_large.c.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"
#include "db.h"
#include "lengthof.h"
#include "testsupport.h"

#define INGEST(db, ...) \
	hx_test_program("hoctap-ingest", (db), (const char *const[]){__VA_ARGS__, NULL})

/* Short names for the shared helpers of tests/support, used on most lines here. */
#define qlong hx_test_db_long
#define make_dirs hx_test_dirs_make
#define put hx_test_put
#define qstr hx_test_db_text
#define count_files hx_test_count_files
#define exists hx_test_exists
#define small_db hx_test_small_db

/* A migrated database with the sample units and targets. */
static char *sample_db(void)
{
	char *db = hx_test_db_create(1);
	char *units = hx_test_src("samples/units.csv");
	char *targets = hx_test_src("samples/targets.csv");
	struct hx_test_output o = INGEST(db, "--units", units);

	cr_assert(eq(int, o.status, 0), "--units: %s", o.err);
	hx_test_output_free(&o);
	o = INGEST(db, "--targets", targets);
	cr_assert(eq(int, o.status, 0), "--targets: %s", o.err);
	hx_test_output_free(&o);
	free(units);
	free(targets);
	return db;
}

/*
 * What each test works on, made by setup and removed by teardown whatever
 * the test reached: a failed assertion leaves the test at once, and the
 * suite's .fini still runs.
 */
static char *db;              /* hx_test_small_db, or sample_db in ingest_samples */
static struct hx_test_dirs d; /* inbox/, archive/, rejected/ and a summary path */
static char role[64];         /* a LOGIN role a test made, or "" */

static void setup(void)
{
	db = small_db();
	d = make_dirs();
}

static void setup_samples(void)
{
	db = sample_db();
	d = make_dirs();
}

static void teardown(void)
{
	if (role[0] != '\0') {
		PGconn *c = hx_test_db_connect(db);

		hx_test_drop_role(c, role);
		PQfinish(c);
		role[0] = '\0';
	}
	hx_test_dirs_free(&d);
	hx_test_db_discard(&db);
}

TestSuite(ingest, .init = setup, .fini = teardown);
TestSuite(ingest_samples, .init = setup_samples, .fini = teardown, .timeout = 120);

/* For a test of several cases, each on its own: a new small database and directories. */
static void fresh(void)
{
	teardown();
	setup();
}

/* hoctap-ingest on the suite's inbox, with --summary and one more option (or NULL). */
static struct hx_test_output run_inbox(const char *extra)
{
	if (extra != NULL)
		return INGEST(db, "--inbox", d.inbox, "--archive", d.archive, "--rejected", d.rejected,
		              "--summary", d.summary, extra);
	return INGEST(db, "--inbox", d.inbox, "--archive", d.archive, "--rejected", d.rejected,
	              "--summary", d.summary);
}

static json_t *summary_file(const json_t *summary, const char *name)
{
	size_t i;
	json_t *f;

	json_array_foreach(json_object_get(summary, "files"), i, f)
		if (strcmp(json_string_value(json_object_get(f, "name")), name) == 0)
			return f;
	cr_assert(0, "no file %s in the summary", name);
	return NULL;
}

static long jint(const json_t *o, const char *key)
{
	return (long)json_integer_value(json_object_get(o, key));
}

Test(ingest_samples, sample_inbox_end_to_end)
{
	char *cmd = hx_asprintf("cp %s/samples/inbox/* '%s'/", HOCTAP_SOURCE_DIR, d.inbox);
	PGconn *c;
	struct hx_test_output o;
	json_t *s, *f, *cause;
	json_error_t je;
	char *v;
	size_t i;
	long read = 0, loaded = 0, rejected = 0;

	cr_assert(system(cmd) == 0);
	o = run_inbox(NULL);
	cr_assert(eq(int, o.status, 65), "stderr: %s", o.err);
	/* Each cause once, with file and lines, as a clerk reads it. */
	cr_assert(strstr(o.err, "2018-01-15-tuyphong-2017.csv:7: column \"Được công nhận\" [recognized]: "
	                        "\"4.O90\" is not a number: \"O\" is not a digit (row not loaded)") !=
	              NULL, "%s", o.err);
	cr_assert(strstr(o.err, "2019-01-11-phanthiet-2018.csv:19,20: column \"Mã đơn vị\" [unit_code]: "
	                        "unknown unit code \"22906\" (rows not loaded)") != NULL, "%s", o.err);
	/* The file sent twice: a note in an inbox run, quiet at the default level (cron). */
	cr_assert(strstr(o.err, "duplicate of") == NULL, "%s", o.err);
	hx_test_output_free(&o);

	c = hx_test_db_connect(db);
	cr_assert(eq(long, qlong(c, "SELECT count(*) FROM staging.files"), 38));
	v = qstr(c, "SELECT string_agg(status || ':' || n, ',' ORDER BY status) FROM (SELECT "
	            "status, count(*) n FROM staging.files GROUP BY status) s");
	cr_assert(eq(str, v, "duplicate:1,loaded:35,partial:2"));
	free(v);
	v = qstr(c, "SELECT d.name || '<' || o.name FROM staging.files d JOIN staging.files o "
	            "ON o.file_id = d.duplicate_of WHERE d.status = 'duplicate'");
	cr_assert(eq(str, v, "2017-01-13-tuyphong-lienhuong-2016-gui-lai.csv<"
	                     "2017-01-12-tuyphong-lienhuong-2016.csv"));
	free(v);
	cr_assert(eq(long, qlong(c, "SELECT sum(rows_read) FROM staging.files"), 1013));
	cr_assert(eq(long, qlong(c, "SELECT count(*) FROM staging.files WHERE "
	                            "rows_read <> rows_loaded + rows_rejected"), 0));
	cr_assert(eq(long, qlong(c, "SELECT count(*) FROM staging.tally"), 496));
	cr_assert(eq(long, qlong(c, "SELECT count(*) FROM staging.fund"), 84));
	cr_assert(eq(long, qlong(c, "SELECT count(*) FROM staging.register"), 430));
	/* Rows loaded equal rows in staging, file by file. */
	cr_assert(eq(long, qlong(c, "SELECT count(*) FROM staging.files f WHERE rows_loaded <> "
	                            "(SELECT count(*) FROM staging.tally t WHERE t.file_id = f.file_id)"
	                            " + (SELECT count(*) FROM staging.fund t WHERE t.file_id = f.file_id)"
	                            " + (SELECT count(*) FROM staging.register t WHERE "
	                            "t.file_id = f.file_id)"), 0));
	v = qstr(c, "SELECT string_agg(f.name || ':' || r.line || ':' || r.col || ':' || r.value || "
	            "':' || r.reason, ' | ' ORDER BY f.name, r.line) FROM staging.rejects r "
	            "JOIN staging.files f USING (file_id)");
	cr_assert(eq(str, v,
	             "2018-01-15-tuyphong-2017.csv:7:Được công nhận:4.O90:not_a_number | "
	             "2019-01-11-phanthiet-2018.csv:19:Mã đơn vị:22906:unknown_unit | "
	             "2019-01-11-phanthiet-2018.csv:20:Mã đơn vị:22906:unknown_unit"));
	free(v);
	v = qstr(c, "SELECT raw FROM staging.rejects WHERE line = 7");
	cr_assert(eq(str, v, "2017;22972;Gia đình hiếu học;9.305;5.206;4.O90;18;;"));
	free(v);
	/* Values as the clerk meant them: Vietnamese numbers, titles, the rate as written. */
	v = qstr(c, "SELECT t.eligible || '/' || t.recognized || '/' || t.reported_rate || '/' || "
	            "t.title FROM staging.tally t JOIN staging.files f USING (file_id) WHERE f.name = "
	            "'2017-01-12-tuyphong-lienhuong-2016.csv' AND t.line = 2");
	cr_assert(eq(str, v, "7105/2631/37.28/family"));
	free(v);
	v = qstr(c, "SELECT t.reported_rate::text FROM staging.tally t JOIN staging.files f "
	            "USING (file_id) WHERE f.name = '2017-01-12-tuyphong-lienhuong-2016.csv' "
	            "AND t.line = 4");
	cr_assert(eq(str, v, "21.42"));
	free(v);
	/* The UTF-16 file: lines and values as in the UTF-8 ones. */
	v = qstr(c, "SELECT count(*) || ':' || min(t.line) || '-' || max(t.line) || ':' || "
	            "sum(t.eligible) FILTER (WHERE t.title = 'family') FROM staging.tally t JOIN "
	            "staging.files f USING (file_id) WHERE f.name = '2021-01-07-phanthiet-2020.csv'");
	cr_assert(eq(str, v, "20:2-21:16220"));
	free(v);
	/* Money: million VND with a decimal comma, whole VND with dots, JSON in VND. */
	cr_assert(eq(long, qlong(c, "SELECT mobilized_vnd FROM staging.fund WHERE unit_code = '42' "
	                            "AND year = 2020"), 80710000000L));
	cr_assert(eq(long, qlong(c, "SELECT sum(mobilized_vnd) FROM staging.fund f JOIN "
	                            "staging.files USING (file_id) WHERE kind = 'json'"), 186500000));
	/* The ledger's sha256, computed while the rows streamed, is the file's. */
	{
		char *sum = hx_asprintf("sha256sum '%s/2020-01-14-tuyphong-phandung-2019-danhsach-hgd.csv'",
		                        d.archive);
		FILE *p;
		char hex[65] = "";

		v = NULL;
		p = popen(sum, "r");
		cr_assert(p != NULL && fscanf(p, "%64s", hex) == 1);
		pclose(p);
		free(sum);
		v = qstr(c, "SELECT sha256 FROM staging.files WHERE name = "
		            "'2020-01-14-tuyphong-phandung-2019-danhsach-hgd.csv'");
		cr_assert(eq(str, v, hex));
		free(v);
	}
	v = qstr(c, "SELECT message FROM staging.file_warnings");
	cr_assert(eq(str, v, "unknown column \"note\" in a fund file, ignored"));
	free(v);
	v = qstr(c, "SELECT count(*) FILTER (WHERE registered) || '/' || count(*) FILTER (WHERE "
	            "recognized) || '/' || count(*) FILTER (WHERE exemplary) FROM staging.register");
	cr_assert(eq(str, v, "410/352/7"));
	free(v);
	PQfinish(c);

	/* Every file moved: 38 in archive/, none left, none rejected; the bad rows
	 * of the two partly loaded files given back beside them. */
	cr_assert(eq(int, count_files(d.inbox), 0));
	cr_assert(eq(int, count_files(d.archive), 38));
	cr_assert(eq(int, count_files(d.rejected), 2));
	v = hx_asprintf("%s/2018-01-15-tuyphong-2017.csv.rejects.csv", d.rejected);
	cr_assert(hx_test_exists(v), "%s", v);
	free(v);

	/* The summary adds up and groups the rejects by cause. */
	s = json_load_file(d.summary, 0, &je);
	cr_assert(s != NULL, "%s", je.text);
	{
		char *text = hx_test_read_file(d.summary, NULL);

		/* Vietnamese in UTF-8, as a text editor shows it, not as \u escapes. */
		cr_assert(strstr(text, "\"Được công nhận\"") != NULL && strstr(text, "\\u") == NULL,
		          "%s", text);
		free(text);
	}
	json_array_foreach(json_object_get(s, "files"), i, f) {
		cr_assert(eq(long, jint(f, "rows_read"), jint(f, "rows_loaded") + jint(f, "rows_rejected")));
		read += jint(f, "rows_read");
		loaded += jint(f, "rows_loaded");
		rejected += jint(f, "rows_rejected");
	}
	cr_assert(eq(long, read, 1013));
	cr_assert(eq(long, loaded, 1010));
	cr_assert(eq(long, rejected, 3));
	cr_assert(eq(long, jint(json_object_get(s, "totals"), "rows_rejected"), 3));
	f = summary_file(s, "2019-01-11-phanthiet-2018.csv");
	cr_assert(eq(int, (int)json_array_size(json_object_get(f, "rejects")), 1));
	cause = json_array_get(json_object_get(f, "rejects"), 0);
	cr_assert(eq(str, json_string_value(json_object_get(cause, "reason")), "unknown_unit"));
	cr_assert(eq(str, json_string_value(json_object_get(cause, "value")), "22906"));
	cr_assert(eq(long, (long)json_integer_value(json_array_get(json_object_get(cause, "lines"), 0)), 19));
	cr_assert(eq(long, (long)json_integer_value(json_array_get(json_object_get(cause, "lines"), 1)), 20));
	/* Each bad row with its line and text; raw is the first one's. */
	cr_assert(eq(str, json_string_value(json_object_get(cause, "raw")),
	             "2018;22906;Cộng đồng học tập;5;3;2;0"));
	{
		json_t *rows = json_object_get(cause, "rows");

		cr_assert(eq(int, (int)json_array_size(rows), 2));
		cr_assert(eq(long, jint(json_array_get(rows, 1), "line"), 20));
		cr_assert(eq(str, json_string_value(json_object_get(json_array_get(rows, 1), "raw")),
		             "2018;22906;Cộng đồng học tập cấp xã;1;1;0;"));
	}
	f = summary_file(s, "2017-01-13-tuyphong-lienhuong-2016-gui-lai.csv");
	cr_assert(eq(str, json_string_value(json_object_get(f, "status")), "duplicate"));
	cr_assert(eq(str, json_string_value(json_object_get(f, "duplicate_of")),
	             "2017-01-12-tuyphong-lienhuong-2016.csv"));
	f = summary_file(s, "2021-01-07-phanthiet-2020.csv");
	cr_assert(eq(str, json_string_value(json_object_get(f, "encoding")), "utf-16le BOM"));
	json_decref(s);

	/* Re-ingesting an archived file changes no figure: a duplicate, exit 0. */
	free(cmd);
	cmd = hx_asprintf("cp '%s/2020-01-15-tuyphong-2019.csv' '%s/again.csv'", d.archive, d.inbox);
	cr_assert(system(cmd) == 0);
	o = run_inbox(NULL);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	c = hx_test_db_connect(db);
	cr_assert(eq(long, qlong(c, "SELECT count(*) FROM staging.tally"), 496));
	v = qstr(c, "SELECT status FROM staging.files WHERE name = 'again.csv'");
	cr_assert(eq(str, v, "duplicate"));
	free(v);
	PQfinish(c);
	free(cmd);
	cmd = hx_asprintf("%s/again.csv", d.archive);
	cr_assert(exists(cmd));
	/* Named on the command line, a duplicate is said at the default level. */
	o = INGEST(db, cmd);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	cr_assert(strstr(o.err, "again.csv: duplicate of 2020-01-15-tuyphong-2019.csv (the same "
	                        "bytes were loaded before): nothing loaded again") != NULL,
	          "%s", o.err);
	hx_test_output_free(&o);
	free(cmd);
}

static const char tally_4_rows[] = "year;unit_code;title;eligible;recognized\n"
                                   "2019;00004;Gia đình học tập;1.200;800\n"
                                   "2019;00004;Dòng họ học tập;;3\n"
                                   "2019;00099;Gia đình học tập;100;50\n"
                                   "2019;00007;Gia đình học tập;7.9O5;5\n";

Test(ingest, not_utf8_is_rejected_with_its_byte_offset)
{
	/* Latin-1 ("café naïve"), which no encoding read here makes Vietnamese of
	 * (TCVN3, VNI and Windows-1258 text is converted: test_ingest_encodings). */
	const char latin1[] = "year,unit_code,title,eligible\n2019,00004,Gia caf\xE9 na\xEFve,5\n";
	struct hx_test_output o;
	char *txt, *p;
	PGconn *c;

	put(d.inbox, "latin1.csv", latin1);
	o = run_inbox(NULL);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	cr_assert(strstr(o.err, "latin1.csv: rejected, nothing loaded") != NULL, "%s", o.err);
	cr_assert(strstr(o.err, "byte offset 48") != NULL, "%s", o.err);
	hx_test_output_free(&o);
	{
		/* The summary names no encoding for bytes that are not text in any. */
		json_t *sum = json_load_file(d.summary, 0, NULL), *f;
		int no_encoding;

		cr_assert(sum != NULL);
		f = summary_file(sum, "latin1.csv");
		no_encoding = json_is_null(json_object_get(f, "encoding"));
		cr_assert(no_encoding, "encoding: %s", json_string_value(json_object_get(f, "encoding")));
		json_decref(sum);
	}
	p = hx_asprintf("%s/latin1.csv", d.rejected);
	cr_assert(exists(p));
	free(p);
	p = hx_asprintf("%s/latin1.csv.error.txt", d.rejected);
	txt = hx_test_read_file(p, NULL);
	cr_assert(txt != NULL);
	cr_assert(strstr(txt, "byte offset 48") != NULL, "%s", txt);
	cr_assert(strstr(txt, "TCVN3") != NULL, "%s", txt);
	free(txt);
	free(p);
	c = hx_test_db_connect(db);
	cr_assert(eq(long, qlong(c, "SELECT count(*) FROM staging.files WHERE status = 'rejected' "
	                            "AND message LIKE '%byte offset 48%'"), 1));
	cr_assert(eq(long, qlong(c, "SELECT count(*) FROM staging.rejects WHERE reason = 'not_text'"), 1));
	PQfinish(c);
}

/* A dry run of a.csv (two rows rejected) and b.csv, the same bytes: 65. */
static void dry_run_two_files(void)
{
	struct hx_test_output o;

	put(d.inbox, "a.csv", tally_4_rows);
	put(d.inbox, "b.csv", tally_4_rows); /* the same bytes: a duplicate even in a dry run */
	o = run_inbox("--dry-run");
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	hx_test_output_free(&o);
}

/* Nothing in the database, nothing moved. */
Test(ingest, dry_run_writes_nothing)
{
	PGconn *c;

	dry_run_two_files();
	c = hx_test_db_connect(db);
	cr_assert(eq(long, qlong(c, "SELECT (SELECT count(*) FROM staging.files) + (SELECT count(*) "
	                            "FROM staging.tally) + (SELECT count(*) FROM staging.rejects)"), 0));
	PQfinish(c);
	cr_assert(eq(int, count_files(d.inbox), 2));
	cr_assert(eq(int, count_files(d.archive), 0));
}

/* Every check of a real run is made: the summary says what the real run then does. */
Test(ingest, dry_run_checks_everything)
{
	struct hx_test_output o;
	json_t *s, *f;
	char *p;

	dry_run_two_files();
	s = json_load_file(d.summary, 0, NULL);
	cr_assert(s != NULL);
	cr_assert(json_object_get(s, "dry_run") == json_true());
	f = summary_file(s, "a.csv");
	cr_assert(eq(str, json_string_value(json_object_get(f, "status")), "partial"));
	cr_assert(eq(long, jint(f, "rows_read"), 4));
	cr_assert(eq(long, jint(f, "rows_loaded"), 2));
	cr_assert(eq(long, jint(f, "rows_rejected"), 2));
	f = summary_file(s, "b.csv");
	cr_assert(eq(str, json_string_value(json_object_get(f, "status")), "duplicate"));
	json_decref(s);

	/* The real run gives the same summary for a.csv. */
	p = hx_asprintf("%s/b.csv", d.inbox);
	unlink(p);
	free(p);
	o = run_inbox(NULL);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	hx_test_output_free(&o);
	s = json_load_file(d.summary, 0, NULL);
	f = summary_file(s, "a.csv");
	cr_assert(eq(str, json_string_value(json_object_get(f, "status")), "partial"));
	cr_assert(eq(long, jint(f, "rows_loaded"), 2));
	json_decref(s);
}

Test(ingest, a_reject_limit_rejects_the_whole_file)
{
	static const struct {
		const char *opt;
		const char *status;
		long tally_rows;
	} cases[] = {{"--strict", "rejected", 0},
	             {"--max-rejects=1", "rejected", 0},
	             {"--max-rejects=2", "partial", 2},
	             {"--max-rejects=50%", "partial", 2},
	             {"--max-rejects=49%", "rejected", 0}};

	for (size_t i = 0; i < lengthof(cases); i++) {
		struct hx_test_output o;
		PGconn *c;
		char *v, *p;

		if (i > 0) /* each case on a database and directories of its own */
			fresh();
		put(d.inbox, "t.csv", tally_4_rows);
		o = run_inbox(cases[i].opt);
		cr_assert(eq(int, o.status, 65), "%s: %s", cases[i].opt, o.err);
		hx_test_output_free(&o);
		c = hx_test_db_connect(db);
		v = qstr(c, "SELECT status || ':' || rows_read || ':' || rows_loaded || ':' || "
		            "rows_rejected FROM staging.files");
		if (strcmp(cases[i].status, "rejected") == 0)
			cr_assert(eq(str, v, "rejected:4:0:4"), "%s", cases[i].opt);
		else
			cr_assert(eq(str, v, "partial:4:2:2"), "%s", cases[i].opt);
		free(v);
		cr_assert(eq(long, qlong(c, "SELECT count(*) FROM staging.tally"), cases[i].tally_rows),
		          "%s", cases[i].opt);
		/* The bad rows are listed either way, with their lines. */
		v = qstr(c, "SELECT string_agg(line || ':' || reason, ',' ORDER BY line) FROM "
		            "staging.rejects WHERE line IS NOT NULL");
		cr_assert(eq(str, v, "4:unknown_unit,5:not_a_number"), "%s", cases[i].opt);
		free(v);
		PQfinish(c);
		p = hx_asprintf("%s/t.csv", strcmp(cases[i].status, "rejected") == 0 ? d.rejected
		                                                                     : d.archive);
		cr_assert(exists(p), "%s: %s", cases[i].opt, p);
		free(p);
	}
}

Test(ingest, exit_codes_empty_inbox_missing_file_db_down_lock)
{
	struct hx_test_output o;
	PGconn *c;
	PGresult *r;
	char *missing = hx_asprintf("%s/nope.csv", d.top);
	char *lock;

	o = run_inbox(NULL);
	cr_assert(eq(int, o.status, 0), "empty inbox: %s", o.err);
	cr_assert(eq(str, o.err, ""));
	hx_test_output_free(&o);

	o = INGEST(db, missing);
	cr_assert(eq(int, o.status, 66), "%s", o.err);
	cr_assert(strstr(o.err, "nope.csv") != NULL, "%s", o.err);
	hx_test_output_free(&o);

	o = INGEST("host=/nonexistent/socket dbname=x", missing);
	cr_assert(eq(int, o.status, 69), "%s", o.err);
	hx_test_output_free(&o);

	c = hx_test_db_connect(db);
	lock = hx_asprintf("SELECT pg_advisory_lock(%d, %d)", HX_LOCK_CLASS, HX_LOCK_INGEST);
	r = PQexec(c, lock);
	free(lock);
	cr_assert(eq(int, PQresultStatus(r), PGRES_TUPLES_OK));
	PQclear(r);
	o = run_inbox(NULL);
	cr_assert(eq(int, o.status, 75), "%s", o.err);
	cr_assert(strstr(o.err, "another hoctap-ingest is running") != NULL, "%s", o.err);
	hx_test_output_free(&o);
	PQfinish(c);
	free(missing);
}

Test(ingest, leading_zeros_restored_only_when_one_unit_matches)
{
	struct hx_test_output o;
	PGconn *c;
	char *v, *path;

	put(d.top, "z.csv", "year,unit_code,title,eligible\n"
	                    "2019,4,family,10\n"    /* 00004 */
	                    "2019,7,family,20\n"    /* 00007 */
	                    "2019,1,family,30\n"    /* 01 or 001: ambiguous */
	                    "2019,12.5,family,40\n" /* not a code */
	                    "2019,,family,50\n");   /* missing */
	path = hx_asprintf("%s/z.csv", d.top);
	o = INGEST(db, path);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	hx_test_output_free(&o);
	cr_assert(exists(path), "a named file is never moved");
	c = hx_test_db_connect(db);
	v = qstr(c, "SELECT string_agg(unit_code || '=' || eligible, ',' ORDER BY line) FROM staging.tally");
	cr_assert(eq(str, v, "00004=10,00007=20"));
	free(v);
	v = qstr(c, "SELECT string_agg(line || ':' || reason || ':' || message, ' | ' ORDER BY line) "
	            "FROM staging.rejects");
	cr_assert(eq(str, v,
	             "4:ambiguous_unit:column \"unit_code\": unit code \"1\" lost its leading zeros "
	             "and matches several units: 01 or 001 | "
	             "5:bad_unit_code:column \"unit_code\": \"12.5\" is not a unit code (2 to 5 digits) | "
	             "6:missing_value:column \"unit_code\": a value is required"));
	free(v);
	PQfinish(c);
	free(path);
}

Test(ingest, every_json_shape_keeps_its_line_numbers)
{
	struct hx_test_output o;
	PGconn *c;
	char *v;

	put(d.inbox, "1-object.json",
	    "{\"unit_code\": \"00004\", \"year\": 2019, \"submitted_at\": \"2020-01-15\",\n"
	    " \"tallies\": [{\"title\": \"Gia đình hiếu học\", \"eligible\": 100, \"recognized\": \"7.105\"}],\n"
	    " \"fund\": {\"mobilized_million_vnd\": 162.7, \"scholarships\": 5},\n"
	    " \"register\": [{\"title\": \"family\", \"entity_id\": \"H1\", \"registered\": \"có\", "
	    "\"recognized\": true, \"score\": \"85,5\"}]}\n");
	put(d.inbox, "2-array.json",
	    "[\n {\"unit_code\": \"00004\", \"year\": 2020, \"tallies\": [{\"title\": \"clan\", \"registered\": 3}]},\n"
	    "\n {\"unit_code\": \"00099\", \"year\": 2020, \"tallies\": [{\"title\": \"clan\", \"registered\": 3}]}\n]\n");
	put(d.inbox, "3-lines.ndjson",
	    "{\"unit_code\": \"00007\", \"year\": 2021, \"tallies\": [{\"title\": \"unit\", \"registered\": 4}]}\n"
	    "{\"unit_code\": \"00007\", \"year\": 2021, \"tallies\": [{\"title\": \"unit\", \"registered\": \"x4\"}]}\n"
	    "{\"unit_code\": \"00007\", \"year\": 2021, \"tallies\": [{\"title\": \"citizen\", \"eligible\": 9}]}\n");
	put(d.inbox, "4-bad.json", "{\"unit_code\": \"00007\",\n \"year\": 2021,\n \"year\": 2022}\n");
	o = run_inbox(NULL);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	hx_test_output_free(&o);
	c = hx_test_db_connect(db);
	v = qstr(c, "SELECT string_agg(f.name || ':' || f.status || ':' || f.rows_read || '/' || "
	            "f.rows_loaded || '/' || f.rows_rejected, ' ' ORDER BY f.name) FROM staging.files f");
	cr_assert(eq(str, v, "1-object.json:loaded:3/3/0 2-array.json:partial:2/1/1 "
	                     "3-lines.ndjson:partial:3/2/1 4-bad.json:rejected:0/0/0"));
	free(v);
	v = qstr(c, "SELECT t.recognized || ',' || t.submitted_at || ',' || fu.mobilized_vnd || ',' || "
	            "r.score || ',' || r.registered FROM staging.tally t JOIN staging.fund fu USING "
	            "(file_id) JOIN staging.register r USING (file_id) WHERE t.year = 2019");
	cr_assert(eq(str, v, "7105,2020-01-14 17:00:00+00,162700000,85.5,true"));
	free(v);
	v = qstr(c, "SELECT string_agg(f.name || ':' || coalesce(r.line::text, '-') || ':' || "
	            "coalesce(r.col, '-') || ':' || r.reason, ' | ' ORDER BY f.name) FROM staging.rejects r "
	            "JOIN staging.files f USING (file_id)");
	cr_assert(eq(str, v, "2-array.json:4:unit_code:unknown_unit | "
	                     "3-lines.ndjson:2:tallies[0].registered:not_a_number | "
	                     "4-bad.json:-:-:bad_json"));
	free(v);
	/* A whole-file cause is no row (line NULL): its message has the line. */
	hx_test_assert_value(c,
	                     "line 3: not valid JSON (column 7): duplicate object key near '\"year\"'",
	                     "SELECT message FROM staging.rejects WHERE reason = 'bad_json'");
	v = qstr(c, "SELECT string_agg(t.line::text, ',' ORDER BY t.line) FROM staging.tally t JOIN "
	            "staging.files f USING (file_id) WHERE f.name = '3-lines.ndjson'");
	cr_assert(eq(str, v, "1,3"));
	free(v);
	PQfinish(c);
}

/* One submission of commune 00004 with one tally of title family, or one fund object. */
#define TALLY(year, fields) \
	"{\"unit_code\": \"00004\", \"year\": " year ", \"tallies\": [{\"title\": \"family\", " \
	fields "}]}"
#define FUND(fields) "{\"unit_code\": \"00004\", \"year\": 2019, \"fund\": {" fields "}}"

/* A submission on one line of an NDJSON file, and what must become of it. */
struct json_case {
	const char *json;
	const char *want; /* its row in staging ("tally YEAR ELIGIBLE REGISTERED RATE", "fund VND
	                     SCHOLARSHIPS", "register ENTITY") or "reject MESSAGE" */
};

/* Ingest the cases as the lines of one NDJSON file and check each line's outcome. */
static void check_json_lines(const struct json_case *cases, size_t n)
{
	struct hx_test_output o;
	struct hx_buf text;
	PGconn *c;

	hx_buf_init(&text, 1 << 20);
	for (size_t i = 0; i < n; i++)
		hx_buf_printf(&text, "%s\n", cases[i].json);
	put(d.inbox, "cases.ndjson", hx_buf_str(&text));
	o = run_inbox(NULL);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	hx_test_output_free(&o);
	c = hx_test_db_connect(db);
	for (size_t i = 0; i < n; i++)
		hx_test_assert_value(
		    c, cases[i].want,
		    "SELECT coalesce((SELECT 'tally ' || year || ' ' || coalesce(eligible::text, '-') || "
		    "' ' || coalesce(registered::text, '-') || ' ' || coalesce(reported_rate::text, '-') "
		    "FROM staging.tally WHERE line = %zu), (SELECT 'fund ' || mobilized_vnd || ' ' || "
		    "coalesce(scholarships::text, '-') FROM staging.fund WHERE line = %zu), "
		    "(SELECT 'register ' || entity_id FROM staging.register WHERE line = %zu), "
		    "(SELECT 'reject ' || message FROM staging.rejects WHERE line = %zu))",
		    i + 1, i + 1, i + 1, i + 1);
	PQfinish(c);
	hx_buf_free(&text);
}

/*
 * A JSON number is a machine number: '.' is its decimal point, whatever the
 * number style (2.016 is not the year 2016), and an exponent is a number
 * like any other where the value is an exact whole number.  Strings are
 * read the Vietnamese way as CSV cells are ("7.105" is 7105).
 */
static const struct json_case json_numbers[] = {
	{TALLY("2.016", "\"eligible\": 100"),
	 "reject \"year\": \"2.016\" is not a year: in a JSON number '.' is the decimal point, never "
	 "a thousands separator; write the year in four digits (2016)"},
	{TALLY("2016.0", "\"eligible\": 100"), "tally 2016 100 - -"},
	{TALLY("2.019e3", "\"eligible\": 100"), "tally 2019 100 - -"},
	{TALLY("\"2.019\"", "\"eligible\": \"7.105\""), "tally 2019 7105 - -"},
	{TALLY("2019", "\"eligible\": 7.105"),
	 "reject \"tallies[0].eligible\": \"7.105\" is not a whole number; a count has no decimals"},
	{TALLY("2019", "\"eligible\": 1e15"), "tally 2019 1000000000000000 - -"},
	{TALLY("2019", "\"eligible\": 2.5e3, \"registered\": 1E+2"), "tally 2019 2500 100 -"},
	{TALLY("2019", "\"eligible\": 9007199254740992.0"), "tally 2019 9007199254740992 - -"},
	{TALLY("2019", "\"eligible\": 1e16"),
	 "reject \"tallies[0].eligible\": \"1e+16\" is too large to be exact as a JSON number with a "
	 "decimal point or an exponent: write it as a whole number, in digits only"},
	{TALLY("2019", "\"eligible\": 2.5e-1"),
	 "reject \"tallies[0].eligible\": \"0.25\" is not a whole number; a count has no decimals"},
	{TALLY("2019", "\"eligible\": 100, \"reported_rate\": 7e-5"), "tally 2019 100 - 0.00007"},
	{TALLY("2019", "\"eligible\": 100, \"reported_rate\": 1.5e-17"),
	 "tally 2019 100 - 0.000000000000000015"},
	{TALLY("2019", "\"eligible\": 100, \"reported_rate\": 70.68"), "tally 2019 100 - 70.68"},
	{FUND("\"mobilized_vnd\": 1e15"), "fund 1000000000000000 -"},
	{FUND("\"mobilized_million_vnd\": 1.425e2, \"scholarships\": 1.2e1"), "fund 142500000 12"},
	{FUND("\"mobilized_vnd\": 1.5e0"), "reject \"fund.mobilized_vnd\": \"1.5\" is not a whole "
	                                   "number of VND"},
};

Test(ingest, json_numbers_are_machine_numbers)
{
	check_json_lines(json_numbers, lengthof(json_numbers));
}

/*
 * null is absent: for a value, and for each of tallies, fund and register
 * alike (each optional; a submission needs one of them).
 */
static const struct json_case json_nulls[] = {
	{"{\"unit_code\": \"00004\", \"year\": 2019, \"tallies\": null, "
	 "\"fund\": {\"mobilized_vnd\": 5}}", "fund 5 -"},
	{"{\"unit_code\": \"00004\", \"year\": 2019, \"tallies\": [{\"title\": \"family\", "
	 "\"eligible\": 1, \"registered\": null}], \"fund\": null, \"register\": null}",
	 "tally 2019 1 - -"},
	{"{\"unit_code\": \"00004\", \"year\": 2019, \"submitted_at\": null, \"tallies\": null, "
	 "\"register\": [{\"title\": \"family\", \"entity_id\": \"H1\", \"registered\": true, "
	 "\"recognized\": false}]}", "register H1"},
	{"{\"unit_code\": \"00004\", \"year\": 2019, \"fund\": {\"mobilized_vnd\": 7, "
	 "\"scholarships\": null}, \"register\": null}", "fund 7 -"},
	{"{\"unit_code\": \"00004\", \"year\": 2019, \"tallies\": null, \"fund\": null, "
	 "\"register\": null}", "reject the submission has no tallies, fund or register"},
	{"{\"unit_code\": null, \"year\": 2019, \"fund\": {\"mobilized_vnd\": 7}}",
	 "reject \"unit_code\": a value is required"},
};

Test(ingest, json_null_is_absent)
{
	check_json_lines(json_nulls, lengthof(json_nulls));
}

/*
 * One NDJSON file: line 1 with "recognised", a Vietnamese key, a misspelt
 * key twice and fund in mobilised_vnd; line 2 with a figure under two keys.
 * What the run printed (its exit asserted: 65).
 */
static struct hx_test_output ingest_keys(void)
{
	struct hx_test_output o;

	put(d.inbox, "1-keys.ndjson",
	    /* Line 1: "recognised", a Vietnamese key, a misspelt key (said once), fund in mobilised_vnd. */
	    "{\"unit_code\": \"00004\", \"year\": 2019, \"tallies\": [{\"title\": \"family\", "
	    "\"eligible\": 100, \"recognised\": 80, \"exemplery\": 3}, {\"Danh hiệu\": \"Dòng họ hiếu học\", "
	    "\"Số đăng ký\": \"12\", \"exemplery\": 1}], \"fund\": {\"mobilised_vnd\": 5000000, "
	    "\"scholarship\": 4}}\n"
	    /* Line 2: one figure under two keys, money in VND and million VND: both rows out. */
	    "{\"unit_code\": \"00007\", \"year\": 2019, \"tallies\": [{\"title\": \"family\", "
	    "\"recognized\": 5000, \"recognised\": 4000}], \"fund\": {\"mobilized_vnd\": 5000000, "
	    "\"mobilized_million_vnd\": 7}}\n");
	o = run_inbox(NULL);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	return o;
}

/* Every column name is a key; one figure under two keys is refused, naming both. */
Test(ingest, json_keys_take_every_column_name)
{
	struct hx_test_output o = ingest_keys();
	PGconn *c;

	cr_assert(strstr(o.err, "1-keys.ndjson:2: \"tallies[0]\": keys \"recognized\" and "
	                        "\"recognised\" both give recognized: keep one (row not loaded)") !=
	              NULL, "%s", o.err);
	cr_assert(strstr(o.err, "1-keys.ndjson:2: \"fund\": keys \"mobilized_vnd\" and "
	                        "\"mobilized_million_vnd\" both give mobilized_vnd: keep one") != NULL,
	          "%s", o.err);
	hx_test_output_free(&o);
	c = hx_test_db_connect(db);
	hx_test_assert_value(c, "2019 00004 family 100 - 80 - | 2019 00004 clan - 12 - -",
	                     "SELECT string_agg(concat_ws(' ', year, unit_code, title, "
	                     "coalesce(eligible::text, '-'), coalesce(registered::text, '-'), "
	                     "coalesce(recognized::text, '-'), coalesce(exemplary::text, '-')), ' | ' "
	                     "ORDER BY line, title DESC) FROM staging.tally");
	hx_test_assert_value(c, "00004 5000000", "SELECT unit_code || ' ' || mobilized_vnd FROM staging.fund");
	hx_test_assert_value(c, "2 1-keys.ndjson:partial:5/3/2",
	                     "SELECT (SELECT count(*) FROM staging.file_warnings) || ' ' || name || ':' "
	                     "|| status || ':' || rows_read || '/' || rows_loaded || '/' || "
	                     "rows_rejected FROM staging.files");
	PQfinish(c);
}

/* An ignored key is said on stderr, with the file and line, once a file: it may have held a figure. */
Test(ingest, ignored_json_keys_are_said)
{
	struct hx_test_output o = ingest_keys();

	cr_assert(strstr(o.err, "1-keys.ndjson: line 1: unknown key \"exemplery\" in a tally "
	                        "object, ignored\n") != NULL, "%s", o.err);
	cr_assert(strstr(o.err, "1-keys.ndjson: line 1: unknown key \"scholarship\" in a fund "
	                        "object, ignored\n") != NULL, "%s", o.err);
	cr_assert(strstr(strstr(o.err, "\"exemplery\"") + 1, "\"exemplery\"") == NULL, "%s", o.err);
	hx_test_output_free(&o);
}

/*
 * Text cut to fit (a reject's raw text at 4 KiB, a message at its buffer)
 * never ends inside a character: the database refused such text, and the
 * run stopped with 70 at that file every night.
 */
Test(ingest, cut_text_keeps_whole_characters)
{
	struct hx_test_output o;
	PGconn *c;
	char big[8192], key[1300];
	const char *head = "{\"unit_code\": \"00004\", \"year\": 2019, \"tallies\": [{\"title\": "
	                   "\"family\", \"eligible\": \"x4\"}, {\"title\": \"clan\", \"eligible\": 3, "
	                   "\"note\": \"";
	size_t n = strlen(head), i;

	/* A bad row whose submission's 4096th byte is inside "ệ". */
	memcpy(big, head, n);
	memset(big + n, 'a', 4095 - n);
	snprintf(big + 4095, sizeof big - 4095, "ệệ\"}]}\n");
	put(d.inbox, "1-long.json", big);
	/* An unknown key of 400 "ệ": its warning is cut to fit. */
	for (i = 0; i < 400; i++)
		memcpy(key + 3 * i, "ệ", 3);
	key[3 * i] = '\0';
	snprintf(big, sizeof big, "{\"unit_code\": \"00004\", \"year\": 2020, \"tallies\": [{\"%s\": 1, "
	         "\"title\": \"clan\", \"eligible\": 3}]}\n", key);
	put(d.inbox, "2-key.json", big);
	o = run_inbox(NULL);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	hx_test_output_free(&o);
	c = hx_test_db_connect(db);
	hx_test_assert_value(c, "1-long.json:partial:2/1/1 2-key.json:loaded:1/1/0",
	                     "SELECT string_agg(name || ':' || status || ':' || rows_read || '/' || "
	                     "rows_loaded || '/' || rows_rejected, ' ' ORDER BY name) FROM staging.files");
	/* The raw text stops before the cut character. */
	hx_test_assert_value(c, "4095", "SELECT octet_length(raw) FROM staging.rejects r JOIN "
	                                "staging.files f USING (file_id) WHERE f.name = '1-long.json'");
	hx_test_assert_value(c, "clan clan", "SELECT string_agg(title, ' ' ORDER BY title) FROM "
	                                     "staging.tally");
	PQfinish(c);
}

/* An array inside the array of submissions is one bad element, not the end of the file. */
Test(ingest, an_inner_array_is_one_bad_element)
{
	struct hx_test_output o;
	PGconn *c;

	put(d.inbox, "3-inner.json",
	    "[{\"unit_code\": \"00007\", \"year\": 2019, \"tallies\": [{\"title\": \"family\", "
	    "\"eligible\": 5}]}, [], {\"unit_code\": \"00007\", \"year\": 2019, \"tallies\": "
	    "[{\"title\": \"unit\", \"eligible\": 2}]}]\n");
	o = run_inbox(NULL);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	hx_test_output_free(&o);
	c = hx_test_db_connect(db);
	hx_test_assert_value(c, "3-inner.json:partial:3/2/1",
	                     "SELECT string_agg(name || ':' || status || ':' || rows_read || '/' || "
	                     "rows_loaded || '/' || rows_rejected, ' ' ORDER BY name) FROM staging.files");
	hx_test_assert_value(c, "family unit", "SELECT string_agg(title, ' ' ORDER BY title) FROM "
	                                       "staging.tally");
	PQfinish(c);
}

/*
 * A value under an empty header cell is not loaded: it is said once a file,
 * at its first row, with the column's number.  Empty cells under it (the
 * trailing separators of most exports) say nothing.
 */
static const struct {
	const char *name, *csv;
	const char *want; /* the file's rows read/loaded, then its warnings */
} unnamed_columns[] = {
	{"a-value-under-an-empty-cell.csv",
	 "year,unit_code,title,eligible,,recognized\n2019,00004,family,100,,80\n"
	 "2019,00007,family,50,12,40\n2019,00007,clan,5,7,3\n",
	 "3/3 line 3: column 5 has no name in the header, so its values (here \"12\") are not "
	 "loaded; name the column, or delete it"},
	{"b-trailing-separators.csv", "year,unit_code,title,eligible,,\n2019,00004,family,100,,\n",
	 "1/1"},
	{"c-two-unnamed-columns.csv",
	 "year,,unit_code,title,eligible,\n2019,,00004,family,100,Ghi chú\n2019,9,00007,family,1,\n",
	 "2/2 line 2: column 6 has no name in the header, so its values (here \"Ghi chú\") are not "
	 "loaded; name the column, or delete it"},
};

Test(ingest, a_value_under_an_empty_header_cell_is_said_once_a_file)
{
	struct hx_test_output o;
	PGconn *c;

	for (size_t i = 0; i < lengthof(unnamed_columns); i++)
		put(d.inbox, unnamed_columns[i].name, unnamed_columns[i].csv);
	o = run_inbox(NULL);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	/* On stderr as FILE: line N: message, once. */
	cr_assert(strstr(o.err, "a-value-under-an-empty-cell.csv: line 3: column 5 has no name") !=
	              NULL, "%s", o.err);
	cr_assert(strstr(strstr(o.err, "column 5 has no name") + 1, "column 5 has no name") == NULL,
	          "%s", o.err);
	hx_test_output_free(&o);
	c = hx_test_db_connect(db);
	for (size_t i = 0; i < lengthof(unnamed_columns); i++)
		hx_test_assert_value(c, unnamed_columns[i].want,
		                     "SELECT concat_ws(' ', f.rows_read || '/' || f.rows_loaded, "
		                     "(SELECT string_agg('line ' || w.line || ': ' || w.message, ' | ' "
		                     "ORDER BY w.line) FROM staging.file_warnings w "
		                     "WHERE w.file_id = f.file_id)) FROM staging.files f WHERE f.name = '%s'",
		                     unnamed_columns[i].name);
	PQfinish(c);
}

Test(ingest, quoted_newlines_keep_physical_line_numbers)
{
	struct hx_test_output o;
	PGconn *c;
	char *v;

	put(d.inbox, "r.csv",
	    "year;unit_code;title;entity_id;entity_name;registered;recognized\r\n"
	    "2019;00004;family;H1;\"Nguyễn Văn A\r\n(chủ hộ)\";có;x\r\n"
	    "2019;00004;family;H2;\"Trần\r\nThị\r\nB\";có;maybe\r\n"
	    "2019;00004;family;H3;Lê C;không;\r\n");
	o = run_inbox(NULL);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	cr_assert(strstr(o.err, "r.csv:4: column \"recognized\": ") != NULL, "%s", o.err);
	hx_test_output_free(&o);
	c = hx_test_db_connect(db);
	v = qstr(c, "SELECT string_agg(line || ':' || entity_id || ':' || registered || recognized, ',' "
	            "ORDER BY line) FROM staging.register");
	cr_assert(eq(str, v, "2:H1:truetrue,7:H3:falsefalse"));
	free(v);
	v = qstr(c, "SELECT line || ':' || value || ':' || reason FROM staging.rejects");
	cr_assert(eq(str, v, "4:maybe:bad_boolean"));
	free(v);
	PQfinish(c);
}

Test(ingest, structural_problems_reject_the_file)
{
	struct hx_test_output o;
	PGconn *c;
	char *v;

	put(d.inbox, "a-nokind.csv", "year,unit_code,eligible\n2019,00004,5\n");
	put(d.inbox, "b-nounit.csv", "year,title,eligible\n2019,family,5\n");
	put(d.inbox, "c-quote.csv", "year,unit_code,title,eligible\n2019,00004,\"family,5\n2019,00004,clan,5\n");
	put(d.inbox, "d-empty.csv", "");
	o = run_inbox(NULL);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	hx_test_output_free(&o);
	c = hx_test_db_connect(db);
	v = qstr(c, "SELECT string_agg(name || ':' || status || ':' || message, ' | ' ORDER BY name) "
	            "FROM staging.files");
	cr_assert(eq(str, v,
	             "a-nokind.csv:rejected:line 1: cannot tell what this file holds: its header has "
	             "no title (Danh hiệu), entity_id (Mã hộ) or mobilized_vnd (Quỹ khuyến học (đồng)) "
	             "column; see docs/formats.md | "
	             "b-nounit.csv:rejected:line 1: a tally file needs a \"unit_code\" column | "
	             "c-quote.csv:rejected:line 3: the quote opened in the record of line 2 is never "
	             "closed | "
	             "d-empty.csv:rejected:the file is empty: not even a header line"));
	free(v);
	PQfinish(c);
	cr_assert(eq(int, count_files(d.rejected), 8)); /* each with its .error.txt */
}

Test(ingest, committed_but_not_moved_is_archived_as_a_duplicate_on_the_next_run)
{
	char *path = hx_asprintf("%s/t.csv", d.inbox);
	struct hx_test_output o;
	PGconn *c;
	char *v;

	put(d.inbox, "t.csv", "year,unit_code,title,eligible\n2019,00004,family,10\n");
	/* As if a run committed and died before its rename: load it without moving it. */
	o = INGEST(db, path);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	o = INGEST(db, "--inbox", d.inbox, "--archive", d.archive, "--rejected", d.rejected);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	cr_assert(eq(int, exists(path), 0));
	cr_assert(eq(int, count_files(d.archive), 1));
	c = hx_test_db_connect(db);
	v = qstr(c, "SELECT string_agg(status, ',' ORDER BY file_id) FROM staging.files");
	cr_assert(eq(str, v, "loaded,duplicate"));
	free(v);
	cr_assert(eq(long, qlong(c, "SELECT count(*) FROM staging.tally"), 1));
	PQfinish(c);
	free(path);
}

/*
 * A units file is validated before it replaces the list: a bad one (a code
 * a submission uses missing among them) changes nothing; then a good one,
 * adding a unit and renaming one, is taken.
 */
Test(ingest, units_are_validated_before_they_replace_the_list)
{
	static const struct {
		const char *csv;
		const char *message;
	} bad[] = {
		/* a commune may sit under a province (from 2025), not under a commune */
		{"code,name,level,parent_code\n01,A,province,\n00007,C,commune,01\n"
		 "00004,B,commune,00007\n",
		 "units.csv:4: parent 00007 of commune 00004 is a commune, not a district or province"},
		{"code,name,level,parent_code\n01,A,province,\n001,B,district,01\n001,C,district,01\n",
		 "units.csv:4: code 001 is also on line 3"},
		{"code,name,level,parent_code\n01,A,province,\n001,B,district,09\n",
		 "units.csv:3: parent_code 09 of 001 is not in the file"},
		{"code,name,level,parent_code\n01,A,tỉnh,\n001,B,village,01\n",
		 "units.csv:3: level \"village\" is not province, district or commune"},
		/* 00007 is used by a loaded tally row */
		{"code,name,level,parent_code\n01,A,province,\n001,B,district,01\n00004,C,commune,001\n",
		 "unit 00007 is missing, but submissions use it (t.csv:3)"},
	};
	char *units = hx_asprintf("%s/units.csv", d.top);
	char *t = hx_asprintf("%s/t.csv", d.top);
	struct hx_test_output o;
	PGconn *c;
	char *v;

	put(d.top, "t.csv", "year,unit_code,title,eligible\n2019,00004,family,10\n2019,7,family,10\n");
	o = INGEST(db, t);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	c = hx_test_db_connect(db);
	v = qstr(c, "SELECT string_agg(code || ':' || province_code || ':' || coalesce(district_code, "
	            "'-'), ',' ORDER BY code) FROM ref.units");
	cr_assert(eq(str, v, "00004:01:001,00007:01:001,001:01:001,01:01:-"));
	free(v);
	for (size_t i = 0; i < lengthof(bad); i++) {
		put(d.top, "units.csv", bad[i].csv);
		o = INGEST(db, "--units", units);
		cr_assert(eq(int, o.status, 65), "case %zu: %s", i, o.err);
		cr_assert(strstr(o.err, bad[i].message) != NULL, "case %zu: %s", i, o.err);
		hx_test_output_free(&o);
		cr_assert(eq(long, qlong(c, "SELECT count(*) FROM ref.units"), 4), "case %zu", i);
	}
	/* Adding a unit and renaming one is fine. */
	put(d.top, "units.csv", "code,name,level,parent_code,valid_from,valid_to,successor_code\n"
	                        "01,Hà Nội,province,,,,\n001,Ba Đình,district,01,,,\n"
	                        "00004,Trúc Bạch,commune,001,,2025-06-30,00008\n"
	                        "00007,Vĩnh Phúc,commune,001,,,\n00008,Ba Đình,commune,001,2025-07-01,,\n");
	o = INGEST(db, "--units", units);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	v = qstr(c, "SELECT name || ':' || valid_to || ':' || successor_code FROM ref.units WHERE code = '00004'");
	cr_assert(eq(str, v, "Trúc Bạch:2025-06-30:00008"));
	free(v);
	cr_assert(eq(long, qlong(c, "SELECT count(*) FROM ref.units"), 5));
	PQfinish(c);
	free(units);
	free(t);
}

Test(ingest, runs_with_the_ingest_role_alone)
{
	char *conninfo, *v;
	struct hx_test_output o;
	PGconn *c = hx_test_db_connect(db);

	conninfo = hx_test_ingest_role(c, db, "hx_test_loader", role, sizeof role);
	put(d.inbox, "t.csv", tally_4_rows);
	put(d.inbox, "t.json", "{\"unit_code\": \"00007\", \"year\": 2020, \"fund\": {\"mobilized_vnd\": 5}}");
	put(d.inbox, "u.csv", "year,unit_code,title,entity_id,registered,recognized\n"
	                      "2019,00004,family,A,1,1\n2020,00004,family,B,1,0\n");
	o = INGEST(conninfo, "--inbox", d.inbox, "--archive", d.archive, "--rejected", d.rejected);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	hx_test_output_free(&o);
	v = qstr(c, "SELECT string_agg(name || ':' || status, ',' ORDER BY name) FROM staging.files");
	cr_assert(eq(str, v, "t.csv:partial,t.json:loaded,u.csv:loaded"));
	free(v);
	/* ...and may not touch the reference data. */
	put(d.top, "targets.csv", "scope_code,title,year,target_percent\n01,family,2020,70\n");
	v = hx_asprintf("%s/targets.csv", d.top);
	o = INGEST(conninfo, "--targets", v);
	free(v);
	cr_assert(ne(int, o.status, 0));
	cr_assert(strstr(o.err, "SQLSTATE 42501") != NULL, "%s", o.err);
	hx_test_output_free(&o);
	cr_assert(eq(long, qlong(c, "SELECT count(*) FROM ref.targets"), 0));
	cr_assert(eq(long, qlong(c, "SELECT count(*) FROM ref.units"), 4));
	PQfinish(c);
	free(conninfo);
}

Test(ingest, rows_the_database_refuses_reject_that_file_only)
{
	struct hx_test_output o;
	PGconn *c = hx_test_db_connect(db);
	char *v;

	/* A rule the database has and the reader does not know about. */
	hx_test_db_exec(c, "ALTER TABLE staging.tally ADD CONSTRAINT test_cap CHECK (eligible < 1000000)");
	put(d.inbox, "1-big.csv", "year,unit_code,title,eligible\n2019,00004,family,2.000.000\n");
	put(d.inbox, "2-big.json", "{\"unit_code\": \"00004\", \"year\": 2019, \"tallies\": "
	                           "[{\"title\": \"clan\", \"eligible\": 5000000}]}");
	put(d.inbox, "3-fine.csv", "year,unit_code,title,eligible\n2019,00007,family,20\n");
	o = run_inbox(NULL);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	hx_test_output_free(&o);
	v = qstr(c, "SELECT string_agg(name || ':' || status || ':' || coalesce((message LIKE '%test_cap%')::text, '-'), "
	            "',' ORDER BY name) FROM staging.files");
	cr_assert(eq(str, v, "1-big.csv:rejected:true,2-big.json:rejected:true,3-fine.csv:loaded:-"));
	free(v);
	cr_assert(eq(long, qlong(c, "SELECT count(*) FROM staging.tally"), 1));
	cr_assert(eq(int, count_files(d.rejected), 4));
	PQfinish(c);
}

Test(ingest, a_register_of_several_years_lands_in_each_year_partition)
{
	struct hx_test_output o;
	PGconn *c = hx_test_db_connect(db);
	char *v;

	put(d.inbox, "r.csv", "year,unit_code,title,entity_id,registered,recognized\n"
	                      "2019,00004,family,A,1,1\n2019,00004,family,B,1,0\n"
	                      "2020,00004,family,C,1,1\n"
	                      "2.019,00004,family,D,1,1\n"    /* back to 2019 */
	                      "2045,00004,family,E,1,1\n"     /* no partition of its own */
	                      "20x9,00004,family,F,1,1\n"     /* rejected */
	                      "2020,00004,family,G,0,0\n");
	o = run_inbox(NULL);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	hx_test_output_free(&o);
	v = qstr(c, "SELECT string_agg(tableoid::regclass::text || ':' || entity_id || ':' || line, ',' "
	            "ORDER BY line) FROM staging.register");
	cr_assert(eq(str, v, "staging.register_2019:A:2,staging.register_2019:B:3,"
	                     "staging.register_2020:C:4,staging.register_2019:D:5,"
	                     "staging.register_other:E:6,staging.register_2020:G:8"));
	free(v);
	v = qstr(c, "SELECT status || ':' || rows_read || '/' || rows_loaded || '/' || rows_rejected "
	            "FROM staging.files");
	cr_assert(eq(str, v, "partial:7/6/1"));
	free(v);
	PQfinish(c);
}

/*
 * A register's COPY leaves out what the server need not read: the year
 * where its partition's default is that year (migration 028), the columns
 * the file does not have.  What lands is the same: each row's year, NULL
 * for the columns absent, and the lists counted with their years.  A
 * partition whose default is not its year (here dropped for 2020, wrong
 * for 2021) gets the year on every row instead.  A row whose year is bad
 * or missing, while the rows go to a partition that would give one, is
 * refused, never given the partition's year.
 */
Test(ingest, a_register_copy_leaves_out_the_year_its_partition_gives)
{
	struct hx_test_output o;
	PGconn *c = hx_test_db_connect(db);

	cr_assert(eq(long, qlong(c, "SELECT count(*) FROM pg_catalog.pg_inherits AS i "
	                            "JOIN pg_catalog.pg_attrdef AS a ON a.adrelid = i.inhrelid "
	                            "WHERE i.inhparent = 'staging.register'::regclass "
	                            "AND pg_catalog.pg_get_expr(a.adbin, a.adrelid) = "
	                            "substr(i.inhrelid::regclass::text, 18)"), 26),
	          "2010 to 2035 each default to their year");
	hx_test_db_exec(c, "ALTER TABLE staging.register_2020 ALTER year DROP DEFAULT");
	hx_test_db_exec(c, "ALTER TABLE staging.register_2021 ALTER year SET DEFAULT 2019");
	put(d.inbox, "r.csv", "year,unit_code,entity_id,title,recognized,registered,score\n"
	                      ",00004,X1,family,1,1,1\n"       /* refused: empty, before any year */
	                      "2019,00004,A,family,1,1,80\n2019,00004,B,family,0,1,\n"
	                      "20x9,00004,X2,family,1,1,1\n"   /* bad, */
	                      ",00004,X3,family,1,1,1\n"       /* empty, */
	                      "\"  \",00004,X4,family,1,1,1\n" /* blank */
	                      "2020,00004,C,family,1,1,90.5\n"
	                      "2021,00004,D,family,1,1,70\n"
	                      " 2019 ,00004,E,family,0,0,60\n"
	                      "2045,00004,F,family,1,1,50\n");
	o = run_inbox("-vv");
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	/* The statements, in the order the rows asked for them. */
	cr_assert(strstr(o.err, "COPY staging.register_2019 (file_id, line, unit_code, title_no, "
	                        "entity_id, registered, recognized, score) FROM STDIN\n") != NULL,
	          "%s", o.err);
	cr_assert(strstr(o.err, "COPY staging.register_2020 (file_id, line, year, unit_code, title_no, "
	                        "entity_id, registered, recognized, score) FROM STDIN\n") != NULL,
	          "%s", o.err);
	cr_assert(strstr(o.err, "COPY staging.register_2021 (file_id, line, year, unit_code,") != NULL,
	          "%s", o.err);
	cr_assert(strstr(o.err, "COPY staging.register (file_id, line, year, unit_code,") != NULL,
	          "%s", o.err);
	hx_test_output_free(&o);
	hx_test_assert_value(c, "staging.register_2019:2019:A:t:t:80:t "
	                        "staging.register_2019:2019:B:t:f:-:t "
	                        "staging.register_2020:2020:C:t:t:90.5:t "
	                        "staging.register_2021:2021:D:t:t:70:t "
	                        "staging.register_2019:2019:E:f:f:60:t "
	                        "staging.register_other:2045:F:t:t:50:t",
	                     "SELECT string_agg(concat_ws(':', tableoid::regclass, year, entity_id, "
	                     "registered, recognized, coalesce(score::text, '-'), exemplary IS NULL AND "
	                     "village IS NULL), ' ' "
	                     "ORDER BY line) FROM staging.register");
	hx_test_assert_value(c, "2:missing_value 5:bad_year 6:missing_value 7:missing_value",
	                     "SELECT string_agg(line || ':' || reason, ' ' ORDER BY line) "
	                     "FROM staging.rejects");
	hx_test_assert_value(c, "2019:3:2:1:- 2020:1:1:1:- 2021:1:1:1:- 2045:1:1:1:-",
	                     "SELECT string_agg(concat_ws(':', year, entities, registered, recognized, "
	                     "coalesce(exemplary::text, '-')), ' ' ORDER BY year) "
	                     "FROM staging.register_lists");
	PQfinish(c);
}

/*
 * Clean small files commit in groups (loader.c): 300 tally and fund files
 * (a fund file every tenth) and two more — f301 the bytes of f002 again,
 * f302 one good row and one unknown unit — with a constraint the test adds
 * refusing eligible = 999, which f077 holds.  Ingested: 65; the sum of
 * eligible households that must load is *eligible_sum; a connection.
 */
static PGconn *ingest_302_small_files(long *eligible_sum)
{
	struct hx_test_output o;
	PGconn *c;
	char name[64], text[256];

	*eligible_sum = 0;
	for (int i = 1; i <= 300; i++) {
		int elig = i == 77 ? 999 : 1000 + i;

		snprintf(name, sizeof name, "f%03d.csv", i);
		if (i % 10 == 0) /* a fund file among the tallies */
			snprintf(text, sizeof text, "year,unit_code,mobilized_vnd\n2019,00004,%d\n", i);
		else
			snprintf(text, sizeof text,
			         "year,unit_code,title,eligible,recognized\n2019,00004,family,%d,%d\n"
			         "2019,00007,clan,,%d\n", elig, i, i);
		if (i % 10 != 0 && i != 77)
			*eligible_sum += elig;
		put(d.inbox, name, text);
	}
	snprintf(text, sizeof text, "year,unit_code,title,eligible,recognized\n2019,00004,family,%d,%d\n"
	                            "2019,00007,clan,,%d\n", 1002, 2, 2);
	put(d.inbox, "f301.csv", text);
	put(d.inbox, "f302.csv", "year,unit_code,title,eligible,recognized\n"
	                         "2019,00004,family,5,1\n2019,00099,family,5,1\n");
	*eligible_sum += 5;
	c = hx_test_db_connect(db);
	hx_test_db_exec(c, "ALTER TABLE staging.tally ADD CONSTRAINT test_refuse_999 "
	                   "CHECK (eligible IS DISTINCT FROM 999)");

	o = run_inbox(NULL);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	hx_test_output_free(&o);
	return c;
}

/*
 * 300 small files take two groups; a duplicate waits for the group holding
 * its bytes; a file with a reject goes on its own in between.  Every file
 * has its ledger row in name order, every good file's rows load with their
 * own file and line, and each file is moved.
 */
Test(ingest, small_files_commit_in_groups, .timeout = 120)
{
	long eligible_sum;
	PGconn *c = ingest_302_small_files(&eligible_sum);
	json_t *summary;
	char *v;

	v = qstr(c, "SELECT string_agg(status, ',' ORDER BY file_id) FILTER (WHERE status <> 'loaded') "
	            "|| ' ' || count(*) || ' ' || bool_and(ord = rk) FROM (SELECT status, file_id, "
	            "row_number() OVER (ORDER BY name) AS ord, row_number() OVER (ORDER BY file_id) "
	            "AS rk FROM staging.files) f");
	cr_assert(eq(str, v, "rejected,duplicate,partial 302 true"), "%s", v);
	free(v);
	v = qstr(c, "SELECT d.name || '=' || o.name FROM staging.files d "
	            "JOIN staging.files o ON o.file_id = d.duplicate_of");
	cr_assert(eq(str, v, "f301.csv=f002.csv"), "%s", v);
	free(v);
	/* The rows: every good file's, nothing of f077 or of the duplicate. */
	cr_assert(eq(long, qlong(c, "SELECT coalesce(sum(eligible), 0) FROM staging.tally"),
	             eligible_sum));
	cr_assert(eq(long, qlong(c, "SELECT count(*) FROM staging.tally"), 270 * 2 - 2 + 1));
	cr_assert(eq(long, qlong(c, "SELECT count(*) FROM staging.fund"), 30));
	/* Every row's provenance is its own file and line. */
	cr_assert(eq(long, qlong(c, "SELECT count(*) FROM staging.tally t JOIN staging.files f "
	                            "USING (file_id) WHERE f.status NOT IN ('loaded', 'partial') "
	                            "OR t.line NOT IN (2, 3) OR t.recognized::text <> "
	                            "ltrim(substr(f.name, 2, 3), '0') AND f.name NOT IN "
	                            "('f301.csv', 'f302.csv')"),
	             0));
	PQfinish(c);

	summary = json_load_file(d.summary, 0, NULL);
	cr_assert(summary != NULL);
	cr_assert(eq(long, jint(summary_file(summary, "f100.csv"), "rows_loaded"), 1));
	json_decref(summary);
	cr_assert(eq(int, count_files(d.inbox), 0));
	cr_assert(eq(int, count_files(d.archive), 301));
}

/*
 * A group the database refuses (f077's eligible = 999) is rolled back and
 * taken file by file, so only that file is lost, rejected with the
 * database's reason.
 */
Test(ingest, a_refused_group_goes_file_by_file, .timeout = 120)
{
	long eligible_sum;
	PGconn *c = ingest_302_small_files(&eligible_sum);
	json_t *summary;
	char *v;

	v = qstr(c, "SELECT name || ':' || message FROM staging.files WHERE status = 'rejected'");
	cr_assert(strstr(v, "f077.csv:") == v && strstr(v, "test_refuse_999") != NULL, "%s", v);
	free(v);
	cr_assert(eq(long, qlong(c, "SELECT count(*) FROM staging.tally t JOIN staging.files f "
	                            "USING (file_id) WHERE f.name = 'f077.csv'"), 0));
	PQfinish(c);

	summary = json_load_file(d.summary, 0, NULL);
	cr_assert(summary != NULL);
	cr_assert(strcmp(json_string_value(json_object_get(summary_file(summary, "f077.csv"),
	                                                       "status")),
	                 "rejected") == 0);
	json_decref(summary);
	/* f077.csv and its .error.txt, and the bad rows of the file the group
	 * gave back to be loaded alone */
	cr_assert(eq(int, count_files(d.rejected), 3));
}

/*
 * Register lists are counted and checked while they load (ingest/lists.c).
 * Two files: a.csv with an entity three times in one list and another
 * twice, b.csv with a list whose rows come back after another list's.
 * Ingested: 65 (a rejected row); a connection to the database.
 */
static PGconn *load_two_lists(void)
{
	struct hx_test_output o;

	put(d.inbox, "a.csv",
	    "year,unit_code,title,entity_id,registered,recognized,exemplary,submitted_at\n"
	    "2019,00004,family,H1,true,true,,\n"                        /* 2 */
	    "2019,00004,family,\"x\\y\",true,false,false,2019-12-02T00:30:00Z\n" /* 3 */
	    "2019,00004,family,H1,true,true,true,\n"                    /* 4 */
	    "2019,00004,family,\"x\\y\",true,true,,\n"                  /* 5 */
	    "2019,00004,family,H1,true,false,,2019-12-01T20:00:00-05:00\n" /* 6: the later */
	    "2019,00004,clan,H1,true,true,,\n"                          /* 7: another list */
	    "2019,00007,family,H1,bad,true,,\n"                         /* 8: rejected row */
	    "2019,00007,family,H2,false,false,,\n");                    /* 9 */
	put(d.inbox, "b.csv",
	    "year,unit_code,title,entity_id,registered,recognized\n"
	    "2019,00004,family,K1,true,true\n"
	    "2019,00007,family,K1,true,true\n"
	    "2019,00004,family,K1,true,false\n"); /* 00004 again, after 00007 */
	o = run_inbox(NULL);
	cr_assert(eq(int, o.status, 65), "%s", o.err); /* line 8 of a.csv */
	hx_test_output_free(&o);
	return hx_test_db_connect(db);
}

/*
 * The counts equal the transform's own aggregate of the staged rows, every
 * list counted, even one whose entities could not be checked.
 */
Test(ingest, register_lists_are_counted_while_loading, .timeout = 60)
{
	PGconn *c = load_two_lists();
	char *v;

	v = qstr(c, "SELECT string_agg(name || ':' || lists_counted, ' ' ORDER BY name) "
	            "FROM staging.files");
	cr_assert(eq(str, v, "a.csv:true b.csv:true"), "%s", v);
	free(v);
	/* The counts, against the aggregate the transform makes of the rows. */
	cr_assert(eq(long, qlong(c, "SELECT count(*) FROM staging.register_lists"), 5));
	cr_assert(eq(long, qlong(c,
	        "SELECT count(*) FROM ((SELECT file_id, unit_code, year, t.key, min(line), max(line), "
	        "count(*), count(*) FILTER (WHERE registered), count(*) FILTER (WHERE recognized), "
	        "CASE WHEN count(exemplary) > 0 THEN count(*) FILTER (WHERE exemplary) END "
	        "FROM staging.register JOIN ref.titles t ON t.sort_order = title_no "
	        "GROUP BY 1, 2, 3, 4) "
	        "EXCEPT SELECT file_id, unit_code, year, title, first_line, last_line, entities, "
	        "registered, recognized, exemplary FROM staging.register_lists) x"), 0));
	v = qstr(c, "SELECT entities || ' ' || registered || ' ' || recognized || ' ' || exemplary "
	            "|| ' ' || first_line || '-' || last_line || ' ' || (l.submitted_at = "
	            "'2019-12-02 01:00:00+00') FROM staging.register_lists l JOIN staging.files f "
	            "USING (file_id) WHERE f.name = 'a.csv' AND unit_code = '00004' AND title = 'family'");
	cr_assert(eq(str, v, "5 5 3 1 2-6 true"), "%s", v);
	free(v);
	/* The file's latest, for lists that could not be counted: line 6's. */
	v = qstr(c, "SELECT string_agg(name || ':' || coalesce((submitted_at = "
	            "'2019-12-02 01:00:00+00')::text, '-'), ' ' ORDER BY name) FROM staging.files");
	cr_assert(eq(str, v, "a.csv:true b.csv:-"), "%s", v);
	free(v);
	PQfinish(c);
}

/*
 * An entity named three times in one list is one staging.register_dups row
 * with its first and last line (its bytes exact, a backslash included); a
 * list whose rows come back after another list's cannot be checked in
 * bounded memory, and its file says so (entities_checked false).
 */
Test(ingest, duplicate_entities_are_found_while_loading, .timeout = 60)
{
	PGconn *c = load_two_lists();
	char *v;

	v = qstr(c, "SELECT string_agg(name || ':' || entities_checked, ' ' ORDER BY name) "
	            "FROM staging.files");
	cr_assert(eq(str, v, "a.csv:true b.csv:false"), "%s", v);
	free(v);
	v = qstr(c, "SELECT string_agg(entity_id || ':' || n || ':' || first_line || '-' || last_line, "
	            "' ' ORDER BY entity_id) FROM staging.register_dups");
	cr_assert(eq(str, v, "H1:3:2-6 x\\y:2:3-5"), "%s", v);
	free(v);
	PQfinish(c);
}

/*
 * The row-number column a clerk's spreadsheet starts with (STT) is ignored
 * without a word; any other unknown column is still a warning, once a file.
 */
Test(ingest, a_row_number_column_is_ignored_quietly)
{
	struct hx_test_output o;
	PGconn *c;
	char *v;

	put(d.inbox, "a.csv",
	    "STT;Năm;Mã đơn vị;Danh hiệu;Tổng số hộ;Số hộ đạt\n"
	    "1;2019;00004;Gia đình học tập;1.200;900\n"
	    "2;2019;00007;Gia đình học tập;800;600\n");
	put(d.inbox, "b.csv",
	    "Số thứ tự,year,unit_code,title,eligible,recognized,Ghi chú của xã\n"
	    "1,2020,00004,family,1210,950,\n");
	o = run_inbox(NULL);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	cr_assert(strstr(o.err, "STT") == NULL && strstr(o.err, "thứ tự") == NULL, "%s", o.err);
	cr_assert(strstr(o.err, "b.csv: line 1: unknown column \"Ghi chú của xã\" in a tally file, "
	                        "ignored") != NULL, "%s", o.err);
	hx_test_output_free(&o);
	c = hx_test_db_connect(db);
	v = qstr(c, "SELECT string_agg(year || ':' || unit_code || ':' || eligible || ':' || "
	            "recognized, ' ' ORDER BY year, unit_code) FROM staging.tally");
	cr_assert(eq(str, v, "2019:00004:1200:900 2019:00007:800:600 2020:00004:1210:950"), "%s", v);
	free(v);
	cr_assert(eq(long, qlong(c, "SELECT count(*) FROM staging.file_warnings"), 1));
	PQfinish(c);
}

/*
 * A small file whose first bytes look like text but which is not (Latin-1
 * further in) arrives while clean small files wait in a group: it waits
 * for the group's commit and is then rejected on its own (found by the
 * review of the group commit: it used to stop the run with exit 70).
 */
Test(ingest, a_file_not_text_after_a_clean_group_is_rejected_on_its_own)
{
	struct hx_test_output o;
	PGconn *c;
	char *v;
	static const char bad[] = "year,unit_code,title,eligible,recognized,note\n"
	                          "2019,00004,family,10,5,caf\xe9\n";

	put(d.inbox, "a.csv", "year,unit_code,title,eligible,recognized\n2019,00004,family,100,50\n");
	put(d.inbox, "b.csv", bad);
	put(d.inbox, "c.csv", "year,unit_code,title,eligible,recognized\n2019,00007,family,200,70\n");
	o = run_inbox(NULL);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	cr_assert(strstr(o.err, "b.csv") != NULL && strstr(o.err, "byte") != NULL, "%s", o.err);
	hx_test_output_free(&o);
	c = hx_test_db_connect(db);
	v = qstr(c, "SELECT string_agg(name || ':' || status, ' ' ORDER BY file_id) FROM staging.files");
	cr_assert(eq(str, v, "a.csv:loaded b.csv:rejected c.csv:loaded"), "%s", v);
	free(v);
	cr_assert(eq(long, qlong(c, "SELECT sum(eligible) FROM staging.tally"), 300));
	PQfinish(c);
	cr_assert(eq(int, count_files(d.archive), 2));
	cr_assert(eq(int, count_files(d.rejected), 2)); /* b.csv and b.csv.error.txt */
}
