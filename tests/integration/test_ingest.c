/*
 * hoctap-ingest against the real database: the sample inbox end to end
 * (statuses, counts, rejects with their lines and messages, the duplicate,
 * the UTF-16 file, moves), re-ingesting an archived file, a non-UTF-8 file,
 * --dry-run, --strict, --max-rejects, --summary, exit codes (0 empty inbox,
 * 65, 66, 69, 75), leading zeros, JSON shapes, and a kill during a load.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "db.h"
#include "testsupport.h"

/* Run hoctap-ingest -d db ARGS... (NULL-terminated). */
static struct hx_test_output ingest_v(const char *db, const char *const *args)
{
	const char *argv[32];
	char bin[4096];
	struct hx_test_output o;
	size_t n = 0;

	snprintf(bin, sizeof bin, "%s", hx_test_bin("hoctap-ingest"));
	argv[n++] = bin;
	argv[n++] = "-d";
	argv[n++] = db;
	for (; *args != NULL && n < 31; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	hx_test_run(argv, NULL, &o);
	return o;
}

#define INGEST(db, ...) ingest_v((db), (const char *const[]){__VA_ARGS__, NULL})

static long qlong(PGconn *c, const char *sql)
{
	char *v = hx_test_db_value(c, sql);
	long n = v != NULL ? atol(v) : -1;

	free(v);
	return n;
}

static char *qstr(PGconn *c, const char *sql)
{
	char *v = hx_test_db_value(c, sql);

	return v != NULL ? v : hx_strdup("(null)");
}

static int count_files(const char *dir)
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

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

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

struct dirs {
	char *top, *inbox, *archive, *rejected, *summary;
};

static struct dirs make_dirs(void)
{
	struct dirs d;

	d.top = hx_test_tempdir();
	d.inbox = hx_asprintf("%s/inbox", d.top);
	d.archive = hx_asprintf("%s/archive", d.top);
	d.rejected = hx_asprintf("%s/rejected", d.top);
	d.summary = hx_asprintf("%s/summary.json", d.top);
	cr_assert(mkdir(d.inbox, 0755) == 0 && mkdir(d.archive, 0755) == 0 &&
	          mkdir(d.rejected, 0755) == 0);
	return d;
}

static void free_dirs(struct dirs *d)
{
	char *cmd = hx_asprintf("rm -rf '%s'", d->top);

	cr_assert(system(cmd) == 0);
	free(cmd);
	free(d->top);
	free(d->inbox);
	free(d->archive);
	free(d->rejected);
	free(d->summary);
}

__attribute__((unused)) static void put(const char *dir, const char *name, const char *text)
{
	char *p = hx_asprintf("%s/%s", dir, name);

	hx_test_write_file(p, text, strlen(text));
	free(p);
}

static struct hx_test_output run_inbox(const char *db, const struct dirs *d, const char *extra)
{
	if (extra != NULL)
		return INGEST(db, "--inbox", d->inbox, "--archive", d->archive, "--rejected",
		              d->rejected, "--summary", d->summary, extra);
	return INGEST(db, "--inbox", d->inbox, "--archive", d->archive, "--rejected", d->rejected,
	              "--summary", d->summary);
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

Test(ingest, sample_inbox_end_to_end, .timeout = 120)
{
	char *db = sample_db();
	struct dirs d = make_dirs();
	char *cmd = hx_asprintf("cp %s/samples/inbox/* '%s'/", HOCTAP_SOURCE_DIR, d.inbox);
	PGconn *c;
	struct hx_test_output o;
	json_t *s, *f, *cause;
	json_error_t je;
	char *v;
	size_t i;
	long read = 0, loaded = 0, rejected = 0;

	cr_assert(system(cmd) == 0);
	o = run_inbox(db, &d, NULL);
	cr_assert(eq(int, o.status, 65), "stderr: %s", o.err);
	/* Each cause once, with file and lines, as a clerk reads it. */
	cr_assert(strstr(o.err, "2018-01-15-tuyphong-2017.csv:7: column \"Được công nhận\": "
	                        "\"4.O90\" is not a number") != NULL, "%s", o.err);
	cr_assert(strstr(o.err, "2019-01-11-phanthiet-2018.csv:19,20: column \"Mã đơn vị\": "
	                        "unknown unit code \"22906\"") != NULL, "%s", o.err);
	hx_test_output_free(&o);

	c = hx_test_db_connect(db);
	cr_assert(eq(long, qlong(c, "SELECT count(*) FROM staging.files"), 32));
	v = qstr(c, "SELECT string_agg(status || ':' || n, ',' ORDER BY status) FROM (SELECT "
	            "status, count(*) n FROM staging.files GROUP BY status) s");
	cr_assert(eq(str, v, "duplicate:1,loaded:29,partial:2"));
	free(v);
	v = qstr(c, "SELECT d.name || '<' || o.name FROM staging.files d JOIN staging.files o "
	            "ON o.file_id = d.duplicate_of WHERE d.status = 'duplicate'");
	cr_assert(eq(str, v, "2017-01-13-tuyphong-lienhuong-2016-gui-lai.csv<"
	                     "2017-01-12-tuyphong-lienhuong-2016.csv"));
	free(v);
	cr_assert(eq(long, qlong(c, "SELECT sum(rows_read) FROM staging.files"), 914));
	cr_assert(eq(long, qlong(c, "SELECT count(*) FROM staging.files WHERE "
	                            "rows_read <> rows_loaded + rows_rejected"), 0));
	cr_assert(eq(long, qlong(c, "SELECT count(*) FROM staging.tally"), 397));
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
	v = qstr(c, "SELECT message FROM staging.file_warnings");
	cr_assert(eq(str, v, "unknown column \"note\" in a fund file, ignored"));
	free(v);
	v = qstr(c, "SELECT count(*) FILTER (WHERE registered) || '/' || count(*) FILTER (WHERE "
	            "recognized) || '/' || count(*) FILTER (WHERE exemplary) FROM staging.register");
	cr_assert(eq(str, v, "410/352/7"));
	free(v);
	PQfinish(c);

	/* Every file moved: 32 in archive/, none left, none rejected. */
	cr_assert(eq(int, count_files(d.inbox), 0));
	cr_assert(eq(int, count_files(d.archive), 32));
	cr_assert(eq(int, count_files(d.rejected), 0));

	/* The summary adds up and groups the rejects by cause. */
	s = json_load_file(d.summary, 0, &je);
	cr_assert(s != NULL, "%s", je.text);
	json_array_foreach(json_object_get(s, "files"), i, f) {
		cr_assert(eq(long, jint(f, "rows_read"), jint(f, "rows_loaded") + jint(f, "rows_rejected")));
		read += jint(f, "rows_read");
		loaded += jint(f, "rows_loaded");
		rejected += jint(f, "rows_rejected");
	}
	cr_assert(eq(long, read, 914));
	cr_assert(eq(long, loaded, 911));
	cr_assert(eq(long, rejected, 3));
	cr_assert(eq(long, jint(json_object_get(s, "totals"), "rows_rejected"), 3));
	f = summary_file(s, "2019-01-11-phanthiet-2018.csv");
	cr_assert(eq(int, (int)json_array_size(json_object_get(f, "rejects")), 1));
	cause = json_array_get(json_object_get(f, "rejects"), 0);
	cr_assert(eq(str, json_string_value(json_object_get(cause, "reason")), "unknown_unit"));
	cr_assert(eq(str, json_string_value(json_object_get(cause, "value")), "22906"));
	cr_assert(eq(long, (long)json_integer_value(json_array_get(json_object_get(cause, "lines"), 0)), 19));
	cr_assert(eq(long, (long)json_integer_value(json_array_get(json_object_get(cause, "lines"), 1)), 20));
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
	o = run_inbox(db, &d, NULL);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	hx_test_output_free(&o);
	c = hx_test_db_connect(db);
	cr_assert(eq(long, qlong(c, "SELECT count(*) FROM staging.tally"), 397));
	v = qstr(c, "SELECT status FROM staging.files WHERE name = 'again.csv'");
	cr_assert(eq(str, v, "duplicate"));
	free(v);
	PQfinish(c);
	free(cmd);
	cmd = hx_asprintf("%s/again.csv", d.archive);
	cr_assert(exists(cmd));
	free(cmd);
	free_dirs(&d);
	hx_test_db_drop(db);
	free(db);
}
