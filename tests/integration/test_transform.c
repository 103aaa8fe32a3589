/*
 * hoctap-transform against a real database (docs/design.md §5, docs/rules.md):
 * staging rows are inserted directly with SQL (one staging.files row per
 * "file"), the program is run, and the marts are read back.  The reference
 * units are tests/data/transform/units.sql: Bình Thuận (60) with districts
 * 595 (communes 22246 Liên Hương, 22249, 22252) and 596 (22255, and 22258
 * merged into 22255 at the end of 2019), and Hà Tĩnh (42) alone.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "db.h"
#include "testsupport.h"

#define TALLY                                                                                  \
	"INSERT INTO staging.tally (file_id, line, year, unit_code, title, eligible, registered, " \
	"recognized, exemplary, reported_rate, submitted_at) VALUES "
#define FUND                                                                                   \
	"INSERT INTO staging.fund (file_id, line, year, unit_code, mobilized_vnd, scholarships, "  \
	"scholarship_vnd, submitted_at) VALUES "
#define REGISTER                                                                               \
	"INSERT INTO staging.register (file_id, line, year, unit_code, title_no, entity_id, "      \
	"registered, recognized, exemplary) VALUES "

struct env {
	char *db;
	char dflag[256];
	PGconn *conn;
};

static void env_open(struct env *e)
{
	char *path, *sql;

	e->db = hx_test_db_create(1);
	snprintf(e->dflag, sizeof e->dflag, "-d%s", e->db);
	e->conn = hx_test_db_connect(e->db);
	path = hx_test_src("tests/data/transform/units.sql");
	sql = hx_test_read_file(path, NULL);
	cr_assert(sql != NULL, "cannot read %s", path);
	hx_test_db_exec(e->conn, sql);
	free(sql);
	free(path);
}

static void env_close(struct env *e)
{
	PQfinish(e->conn);
	e->conn = NULL;
	hx_test_db_discard(&e->db);
}

/* Each test's database, opened by setup and closed by teardown whatever the test reached. */
static struct env env;

static void setup(void)
{
	env_open(&env);
}

static void teardown(void)
{
	env_close(&env);
}

TestSuite(transform, .init = setup, .fini = teardown);

static void exec_f(struct env *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void exec_f(struct env *e, const char *fmt, ...)
{
	char sql[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	hx_test_db_exec(e->conn, sql);
}

/* The first value of a query, or "NULL" (caller frees). */
static char *value_f(struct env *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *value_f(struct env *e, const char *fmt, ...)
{
	char sql[8192];
	va_list ap;
	char *v;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	v = hx_test_db_value(e->conn, sql);
	return v != NULL ? v : hx_strdup("NULL");
}

#define assert_value(e, want, ...) hx_test_assert_value((e)->conn, (want), __VA_ARGS__)

/* A staging.files row; returns its file_id. */
static long add_file(struct env *e, const char *name, const char *status)
{
	char *v = value_f(e,
	                  "INSERT INTO staging.files (name, size_bytes, sha256, kind, status, "
	                  "rows_read, rows_loaded) VALUES ('%s', 1, "
	                  "encode(sha256(convert_to('%s', 'UTF8')), 'hex'), 'tally', '%s', 0, 0) "
	                  "RETURNING file_id",
	                  name, name, status);
	long id = atol(v);

	free(v);
	return id;
}

static int transform(struct env *e, const char *a1, const char *a2, char **err_out)
{
	char path[4096];
	const char *argv[5] = {path, e->dflag, a1, a2, NULL};
	struct hx_test_output o;
	int status;

	snprintf(path, sizeof path, "%s", hx_test_bin("hoctap-transform"));
	if (a1 == NULL)
		argv[2] = NULL;
	hx_test_run(argv, NULL, &o);
	status = o.status;
	if (err_out != NULL)
		*err_out = hx_strdup(o.err);
	else /* 65: new error findings, the rest built (their own tests: test_loud_nights.c) */
		cr_assert(status == 0 || status == 65, "hoctap-transform %s: %s", a1 ? a1 : "", o.err);
	hx_test_output_free(&o);
	return status;
}

static void run_ok(struct env *e)
{
	transform(e, NULL, NULL, NULL);
}

/* The seed figures: Liên Hương 2016 and 2019, Hà Tĩnh 2016 -> 2020. */
Test(transform, seed_figures_lien_huong_and_ha_tinh)
{
	long f1, f2, f3;

	f1 = add_file(&env, "lienhuong-2016.csv", "loaded");
	f2 = add_file(&env, "hatinh-tonghop.csv", "loaded");
	f3 = add_file(&env, "lienhuong-2019.json", "loaded");
	exec_f(&env,
	       TALLY "(%ld, 2, 2016, '22246', 'family', 7105, 6540, 2631, NULL, 37.28, NULL),"
	             "(%ld, 3, 2016, '22246', 'clan', NULL, 3, 2, 0, 66.67, NULL),"
	             "(%ld, 4, 2016, '22246', 'community', 14, 9, 3, NULL, 21.42, NULL),"
	             "(%ld, 2, 2016, '42', 'family', NULL, NULL, 179701, NULL, NULL, NULL),"
	             "(%ld, 3, 2020, '42', 'family', NULL, NULL, 309845, 5850, NULL, NULL),"
	             "(%ld, 1, 2019, '22246', 'family', 7862, 7500, 5557, 20, 70.68,"
	             " '2020-01-15 08:00+07')",
	       f1, f1, f1, f2, f2, f3);
	run_ok(&env);

	/* Liên Hương alone in its district: the district rates are its own. */
	assert_value(&env, "2631/7105=37.03",
	             "SELECT recognized || '/' || eligible || '=' || rate_eligible FROM mart.rates "
	             "WHERE scope_code = '595' AND year = 2016 AND title = 'family'");
	assert_value(&env, "5557/7862=70.68",
	             "SELECT recognized || '/' || eligible || '=' || rate_eligible FROM mart.rates "
	             "WHERE scope_code = '595' AND year = 2019 AND title = 'family'");
	assert_value(&env, "2/3=66.67",
	             "SELECT recognized || '/' || registered || '=' || rate_registered FROM mart.rates "
	             "WHERE scope_code = '60' AND year = 2016 AND title = 'clan'");
	assert_value(&env, "3/14=21.43",
	             "SELECT recognized || '/' || eligible || '=' || rate_eligible FROM mart.rates "
	             "WHERE scope_code = '60' AND year = 2016 AND title = 'community'");
	/* 37,28 is a finding; 21,42 (a truncation), 66,67 and 70,68 are not. */
	assert_value(&env, "1", "SELECT count(*) FROM mart.findings");
	assert_value(&env,
	             "reported_rate_mismatch|warning|22246|2016|family|lienhuong-2016.csv|2|"
	             "lienhuong-2016.csv:2: 22246 Thị trấn Liên Hương, 2016, family: reported 37,28% "
	             "but recognized/eligible = 2631/7105 = 37.03%",
	             "SELECT concat_ws('|', code, severity, unit_code, year, title, file, line, message)"
	             " FROM mart.findings");
	/* Hà Tĩnh: province-level tallies only; the province counts itself. */
	assert_value(&env, "179701|309845|130144|1|1|province",
	             "SELECT concat_ws('|', a.recognized, b.recognized, b.recognized - a.recognized, "
	             "b.units_reporting, b.units_expected, b.source_level) "
	             "FROM mart.rates a JOIN mart.rates b ON b.scope_code = a.scope_code "
	             "AND b.title = a.title AND b.year = 2020 "
	             "WHERE a.scope_code = '42' AND a.year = 2016 AND a.title = 'family'");
	assert_value(&env, "NULL",
	             "SELECT rate_eligible FROM mart.rates WHERE scope_code = '42' AND year = 2020");
}

/* Four communes' family tallies of 2016, one of them without eligible households. */
static void tuy_phong_2016(void)
{
	long f = add_file(&env, "tuyphong-2016.csv", "loaded");

	exec_f(&env,
	       TALLY "(%ld, 2, 2016, '22246', 'family', 7105, NULL, 2631, NULL, NULL, NULL),"
	             "(%ld, 3, 2016, '22249', 'family', 3000, NULL, 1200, NULL, NULL, NULL),"
	             "(%ld, 4, 2016, '22255', 'family', 2000, NULL, 1000, NULL, NULL, NULL),"
	             /* a unit with no eligible: summed, but not in rate_eligible's base */
	             "(%ld, 5, 2016, '22252', 'family', NULL, NULL, 500, NULL, NULL, NULL)",
	       f, f, f, f);
	run_ok(&env);
}

/* A district's rate is a ratio of sums, never a mean of rates. */
Test(transform, rates_are_ratios_of_sums_with_units_reporting)
{
	tuy_phong_2016();
	/* (2631 + 1200) / (7105 + 3000) = 37.91 (the mean of rates would be 38.52). */
	assert_value(&env, "10105|4331|37.91|3831|10105|3|3",
	             "SELECT concat_ws('|', eligible, recognized, rate_eligible, rate_eligible_num, "
	             "rate_eligible_den, units_reporting, units_expected) FROM mart.rates "
	             "WHERE scope_code = '595' AND year = 2016 AND title = 'family'");
	/* Province: 2 districts; 22258 is valid in 2016, so 5 communes expected. */
	/* (3831 + 1000) / (10105 + 2000): 22252's 500 has no base, so it is not in the rate. */
	assert_value(&env, "12105|5331|39.91|4831|4|5",
	             "SELECT concat_ws('|', eligible, recognized, rate_eligible, rate_eligible_num, "
	             "units_reporting, units_expected) FROM mart.rates "
	             "WHERE scope_code = '60' AND year = 2016 AND title = 'family'");
}

/* Completeness counts the units expected that year and those that sent anything usable. */
Test(transform, completeness_counts_every_unit_that_sent_anything_usable)
{
	long f;

	tuy_phong_2016();
	assert_value(&env, "5|4|80.00|{22258}",
	             "SELECT concat_ws('|', units_expected, units_reporting, percent, missing) "
	             "FROM mart.completeness WHERE scope_code = '60' AND year = 2016");
	assert_value(&env, "2|1|50.00|{22258}",
	             "SELECT concat_ws('|', units_expected, units_reporting, percent, missing) "
	             "FROM mart.completeness WHERE scope_code = '596' AND year = 2016");
	/* 22258 then sends its fund only: it sent something usable, it reports. */
	f = add_file(&env, "22258-quy-2016.csv", "loaded");
	exec_f(&env, FUND "(%ld, 2, 2016, '22258', 50000000, NULL, NULL, NULL)", f);
	run_ok(&env);
	assert_value(&env, "5|5|100.00|{}",
	             "SELECT concat_ws('|', units_expected, units_reporting, percent, missing) "
	             "FROM mart.completeness WHERE scope_code = '60' AND year = 2016");
	assert_value(&env, "2|2|100.00|{}",
	             "SELECT concat_ws('|', units_expected, units_reporting, percent, missing) "
	             "FROM mart.completeness WHERE scope_code = '596' AND year = 2016");
}

/* Latest submitted_at wins, then ingest order; eligible and counts separately. */
Test(transform, supersession_by_submitted_at_then_ingest_order)
{
	long a, b, c, d;

	a = add_file(&env, "a.csv", "loaded");
	b = add_file(&env, "b.json", "loaded");
	c = add_file(&env, "c.csv", "loaded");
	d = add_file(&env, "d.csv", "loaded");
	exec_f(&env,
	       /* 22246: b has the latest submitted_at although c came later */
	       TALLY "(%ld, 2, 2016, '22246', 'family', 7000, NULL, 2000, NULL, NULL, "
	             " '2017-01-10 10:00+07'),"
	             "(%ld, 1, 2016, '22246', 'family', 7105, NULL, 2631, NULL, NULL, "
	             " '2017-01-20 10:00+07'),"
	             "(%ld, 2, 2016, '22246', 'family', 7200, NULL, 2700, NULL, NULL, "
	             " '2017-01-15 10:00+07'),"
	             /* 22249: no submitted_at is older than any; then file, then line */
	             "(%ld, 3, 2016, '22249', 'family', 100, NULL, 10, NULL, NULL, "
	             " '2017-01-01 00:00+07'),"
	             "(%ld, 3, 2016, '22249', 'family', 200, NULL, 20, NULL, NULL, NULL),"
	             "(%ld, 3, 2016, '22252', 'family', 300, NULL, 30, NULL, NULL, NULL),"
	             "(%ld, 4, 2016, '22252', 'family', 400, NULL, 40, NULL, NULL, NULL),"
	             "(%ld, 5, 2016, '22252', 'family', 500, NULL, 50, NULL, NULL, NULL),"
	             /* 22255: a later row with eligible only keeps the counts */
	             "(%ld, 2, 2016, '22255', 'family', 900, NULL, 450, NULL, NULL, NULL),"
	             "(%ld, 6, 2016, '22255', 'family', 1000, NULL, NULL, NULL, NULL, NULL)",
	       a, b, c, a, c, c, d, c, a, d);
	run_ok(&env);
	assert_value(&env, "7105|2631|b.json:1",
	             "SELECT concat_ws('|', eligible, recognized, counts_file || ':' || counts_line) "
	             "FROM mart.facts WHERE unit_code = '22246' AND year = 2016 AND title = 'family'");
	assert_value(&env, "100|10",
	             "SELECT concat_ws('|', eligible, recognized) FROM mart.facts "
	             "WHERE unit_code = '22249' AND year = 2016");
	assert_value(&env, "400|40|d.csv:4",
	             "SELECT concat_ws('|', eligible, recognized, counts_file || ':' || counts_line) "
	             "FROM mart.facts WHERE unit_code = '22252' AND year = 2016");
	assert_value(&env, "1000|450|d.csv:6|a.csv:2",
	             "SELECT concat_ws('|', eligible, recognized, eligible_file || ':' || "
	             "eligible_line, counts_file || ':' || counts_line) FROM mart.facts "
	             "WHERE unit_code = '22255' AND year = 2016");
	/* The history stays queryable: every row, and which one is current. */
	assert_value(&env, "a.csv:2:false,b.json:1:true,c.csv:2:false",
	             "SELECT string_agg(file || ':' || line || ':' || current_counts, ',' "
	             "ORDER BY file) FROM core.tally_history WHERE unit_code = '22246'");
}

/*
 * Commune 22249's 2019 tally, then two register lists of it: the first of
 * 3 households, the second of 6 rows (H5 twice) that replaces it.
 */
static void tally_and_two_lists(void)
{
	long t = add_file(&env, "tally.csv", "loaded");
	long l1 = add_file(&env, "list-1.csv", "loaded");
	long l2 = add_file(&env, "list-2.csv", "loaded");

	exec_f(&env, TALLY "(%ld, 2, 2019, '22249', 'family', 10, 6, 4, 1, NULL, NULL)", t);
	/* The first list: 3 households, all recognized. */
	exec_f(&env,
	       REGISTER "(%ld, 2, 2019, '22249', 1, 'H1', true, true, NULL),"
	                "(%ld, 3, 2019, '22249', 1, 'H2', true, true, NULL),"
	                "(%ld, 4, 2019, '22249', 1, 'H3', true, true, NULL)",
	       l1, l1, l1);
	/* The second replaces it whole: 6 rows, H5 twice. */
	exec_f(&env,
	       REGISTER "(%ld, 2, 2019, '22249', 1, 'H1', true, true, true),"
	                "(%ld, 3, 2019, '22249', 1, 'H2', true, true, false),"
	                "(%ld, 4, 2019, '22249', 1, 'H4', true, false, false),"
	                "(%ld, 5, 2019, '22249', 1, 'H5', true, true, false),"
	                "(%ld, 6, 2019, '22249', 1, 'H6', false, false, NULL),"
	                "(%ld, 9, 2019, '22249', 1, 'H5', true, true, false)",
	       l2, l2, l2, l2, l2, l2);
	run_ok(&env);
}

/* Register lists beat tallies; a later list replaces an earlier one whole. */
Test(transform, the_latest_register_list_gives_the_counts)
{
	tally_and_two_lists();
	assert_value(&env, "10|5|4|1|register|list-2.csv:2|tally.csv:2",
	             "SELECT concat_ws('|', eligible, registered, recognized, exemplary, counts_source, "
	             "counts_file || ':' || counts_line, eligible_file || ':' || eligible_line) "
	             "FROM mart.facts WHERE unit_code = '22249' AND year = 2019");
	assert_value(&env, "40.00|80.00",
	             "SELECT rate_eligible || '|' || rate_registered FROM mart.rates "
	             "WHERE scope_code = '595' AND year = 2019");
}

/* An entity listed twice in one list is a finding, and every line of it counts. */
Test(transform, an_entity_listed_twice_is_found)
{
	tally_and_two_lists();
	assert_value(&env, "list-2.csv|5|1 entity listed more than once: \"H5\" 2 times (lines 5 and 9); "
	                 "every line is counted",
	             "SELECT file || '|' || line || '|' || substring(message from 'family: (.*)$') "
	             "FROM mart.findings WHERE code = 'duplicate_entity'");
}

/* A tally that differs from the list used instead is a warning naming both. */
Test(transform, a_tally_differing_from_its_list_is_a_warning)
{
	tally_and_two_lists();
	/* The tally (6 registered, 4 recognized, 1 exemplary) differs in registered only. */
	assert_value(&env, "warning|tally.csv|2|the register list (list-2.csv:2) gives registered 5, "
	                 "the tally gives registered 6; the list is used",
	             "SELECT severity || '|' || file || '|' || line || '|' || "
	             "substring(message from 'family: (.*)$') FROM mart.findings "
	             "WHERE code = 'register_tally_mismatch'");
}

/*
 * A file whose lists ingest could not count keeps no submitted_at per row
 * (migration 034): its lists take the file's latest, and that orders them
 * against another file's list as a row's own date did.
 */
Test(transform, uncounted_file_lists_take_the_files_submitted_at)
{
	long l1, l2;

	l1 = add_file(&env, "sent-late.csv", "loaded");
	l2 = add_file(&env, "sent-early.csv", "loaded");
	exec_f(&env, "UPDATE staging.files SET submitted_at = '2020-01-20 08:00+07' WHERE file_id = %ld",
	       l1);
	exec_f(&env, "UPDATE staging.files SET submitted_at = '2020-01-05 08:00+07' WHERE file_id = %ld",
	       l2);
	exec_f(&env,
	       REGISTER "(%ld, 2, 2019, '22249', 1, 'H1', true, true, NULL),"
	                "(%ld, 3, 2019, '22249', 1, 'H2', true, false, NULL)",
	       l1, l1);
	/* Loaded after it (a larger file_id), but submitted earlier: it loses. */
	exec_f(&env,
	       REGISTER "(%ld, 2, 2019, '22249', 1, 'K1', true, true, NULL),"
	                "(%ld, 3, 2019, '22249', 1, 'K2', true, true, NULL),"
	                "(%ld, 4, 2019, '22249', 1, 'K3', true, true, NULL)",
	       l2, l2, l2);
	run_ok(&env);
	assert_value(&env, "2|1|sent-late.csv:2|t",
	             "SELECT concat_ws('|', registered, recognized, counts_file || ':' || counts_line, "
	             "(SELECT submitted_at = '2020-01-20 08:00+07' FROM core.register_lists "
	             "WHERE file_id = %ld)) "
	             "FROM mart.facts WHERE unit_code = '22249' AND year = 2019", l1);
	/* --recount counts the rows again and keeps the same dates. */
	transform(&env, "--full", "--recount", NULL);
	assert_value(&env, "2|1|sent-late.csv:2",
	             "SELECT concat_ws('|', registered, recognized, counts_file || ':' || counts_line) "
	             "FROM mart.facts WHERE unit_code = '22249' AND year = 2019");
}

static char *mart_digest(struct env *e);

#define REGISTER_DUP                                                                           \
	"INSERT INTO staging.register_dups (file_id, unit_code, year, title, entity_id, n, "       \
	"first_line, last_line) VALUES "

/*
 * A list ingest checked (staging.files.entities_checked): its duplicates
 * are the ones ingest recorded in staging.register_dups, and its rows are
 * not grouped by entity again — H5, staged twice but not recorded, is no
 * finding, on an incremental night nor on --full.
 */
Test(transform, duplicate_entities_of_a_checked_list_come_from_ingest)
{
	long l, j;

	l = add_file(&env, "checked.csv", "loaded");
	exec_f(&env, "UPDATE staging.files SET entities_checked = true WHERE file_id = %ld", l);
	exec_f(&env,
	       REGISTER "(%ld, 4, 2019, '22252', 1, 'H7', true, true, NULL),"
	                "(%ld, 5, 2019, '22252', 1, 'H5', true, false, NULL),"
	                "(%ld, 6, 2019, '22252', 1, 'H7', true, true, NULL),"
	                "(%ld, 8, 2019, '22252', 1, 'H7', false, false, NULL),"
	                "(%ld, 9, 2019, '22252', 1, 'H5', true, false, NULL)",
	       l, l, l, l, l);
	exec_f(&env, REGISTER_DUP "(%ld, '22252', 2019, 'family', 'H7', 3, 4, 8)", l);
	/* A JSON submission's items share its line: J1 twice in the one at line 1. */
	j = add_file(&env, "sub.json", "loaded");
	exec_f(&env, "UPDATE staging.files SET entities_checked = true WHERE file_id = %ld", j);
	exec_f(&env,
	       REGISTER "(%ld, 1, 2019, '22246', 1, 'J1', true, true, NULL),"
	                "(%ld, 1, 2019, '22246', 1, 'J2', true, false, NULL),"
	                "(%ld, 1, 2019, '22246', 1, 'J1', true, true, NULL)",
	       j, j, j);
	exec_f(&env, REGISTER_DUP "(%ld, '22246', 2019, 'family', 'J1', 2, 1, 1)", j);
	run_ok(&env);
	assert_value(&env, "4|2|register|checked.csv:4",
	             "SELECT concat_ws('|', registered, recognized, counts_source, "
	             "counts_file || ':' || counts_line) FROM mart.facts "
	             "WHERE unit_code = '22252' AND year = 2019");
	assert_value(&env, "checked.csv|4|1 entity listed more than once: \"H7\" 3 times (lines 4 to 8); "
	                 "every line is counted,"
	                 "sub.json|1|1 entity listed more than once: \"J1\" 2 times (all in the "
	                 "submission at line 1); every line is counted",
	             "SELECT string_agg(file || '|' || line || '|' || "
	             "substring(message from 'family: (.*)$'), ',' ORDER BY file) "
	             "FROM mart.findings WHERE code = 'duplicate_entity'");
	transform(&env, "--full", NULL, NULL);
	assert_value(&env, "2|1|H7:3:4:8,J1:2:1:1",
	             "SELECT count(*) || '|' || min(f.line) || '|' || "
	             "(SELECT string_agg(entity_id || ':' || n || ':' || first_line || ':' || last_line, "
	             "',' ORDER BY entity_id) FROM core.register_dups) "
	             "FROM mart.findings f WHERE f.code = 'duplicate_entity'");
}

/*
 * A list ingest did not check (loaded before migration 021, or too large
 * for its memory) is still checked from its staged rows, beside a checked
 * one in the same run; incremental and --full agree.
 */
Test(transform, duplicate_entities_of_an_unchecked_list_are_found_from_its_rows)
{
	long c, u;
	char *incremental, *full;

	c = add_file(&env, "checked.csv", "loaded");
	exec_f(&env, "UPDATE staging.files SET entities_checked = true WHERE file_id = %ld", c);
	exec_f(&env,
	       REGISTER "(%ld, 2, 2019, '22246', 1, 'A1', true, true, NULL),"
	                "(%ld, 3, 2019, '22246', 1, 'A2', true, false, NULL)",
	       c, c);
	u = add_file(&env, "unchecked.csv", "partial");
	exec_f(&env,
	       REGISTER "(%ld, 2, 2019, '22249', 1, 'B1', true, true, NULL),"
	                "(%ld, 3, 2019, '22249', 1, 'B2', true, true, NULL),"
	                "(%ld, 5, 2019, '22249', 1, 'B1', true, true, NULL),"
	                "(%ld, 7, 2019, '22249', 1, 'B2', true, true, NULL),"
	                "(%ld, 8, 2019, '22249', 1, 'B2', true, true, NULL),"
	                "(%ld, 9, 2019, '22249', 2, 'B1', true, true, NULL)",
	       u, u, u, u, u, u);
	run_ok(&env);
	assert_value(&env, "unchecked.csv|2|22249|2 entities listed more than once: \"B1\" 2 times "
	                 "(lines 2 and 5), \"B2\" 3 times (lines 3 to 8); every line is counted",
	             "SELECT string_agg(file || '|' || line || '|' || unit_code || '|' || "
	             "substring(message from 'family: (.*)$'), ',') "
	             "FROM mart.findings WHERE code = 'duplicate_entity'");
	incremental = mart_digest(&env);
	transform(&env, "--full", NULL, NULL);
	full = mart_digest(&env);
	cr_assert(eq(str, incremental, full));
	assert_value(&env, "2", "SELECT count(*) FROM core.register_dups");
	free(incremental);
	free(full);
}

/* An error finding keeps the value out; a missing value is no breach. */
Test(transform, invariant_breach_excludes_the_value)
{
	long f;

	f = add_file(&env, "bacbinh-2017.csv", "loaded");
	exec_f(&env,
	       TALLY "(%ld, 2, 2017, '22255', 'clan', NULL, 6, 7, NULL, NULL, NULL),"
	             "(%ld, 3, 2017, '22258', 'clan', NULL, 10, 5, NULL, NULL, NULL),"
	             /* registered unknown: recognized <= eligible still checked, and holds */
	             "(%ld, 4, 2017, '22255', 'family', 900, NULL, 450, 500, NULL, NULL)",
	       f, f, f);
	run_ok(&env);
	assert_value(&env, "2",
	             "SELECT count(*) FROM mart.findings WHERE code = 'invariant_breach'");
	assert_value(&env, "error|bacbinh-2017.csv:2: 22255 Xã Bình Thạnh, 2017, clan: recognized 7 > "
	                 "registered 6: exemplary <= recognized <= registered <= eligible must hold",
	             "SELECT severity || '|' || message FROM mart.findings "
	             "WHERE code = 'invariant_breach' AND title = 'clan'");
	assert_value(&env, "false|invariant_breach",
	             "SELECT included || '|' || excluded_by FROM mart.facts "
	             "WHERE unit_code = '22255' AND title = 'clan'");
	/* Only 22258 is summed: 5/10, one of two communes reporting. */
	assert_value(&env, "10|5|50.00|1|2",
	             "SELECT concat_ws('|', registered, recognized, rate_registered, units_reporting, "
	             "units_expected) FROM mart.rates WHERE scope_code = '596' AND title = 'clan'");
	/* exemplary 500 > recognized 450 is the family's breach: that fact is out too. */
	assert_value(&env, "NULL",
	             "SELECT recognized FROM mart.rates WHERE scope_code = '596' AND title = 'family'");
}

/* Rounding or truncation to the decimals written passes; nothing else does. */
Test(transform, reported_rate_accepts_rounding_or_truncation)
{
	long f;

	f = add_file(&env, "rates.csv", "loaded");
	exec_f(&env,
	       TALLY "(%ld, 2, 2016, '22246', 'community', 14, NULL, 3, NULL, 21.43, NULL),"
	             "(%ld, 3, 2016, '22249', 'community', 14, NULL, 3, NULL, 21.42, NULL),"
	             "(%ld, 4, 2016, '22252', 'community', 14, NULL, 3, NULL, 21.4, NULL),"
	             "(%ld, 5, 2016, '22255', 'community', 14, NULL, 3, NULL, 21, NULL),"
	             "(%ld, 6, 2016, '22258', 'community', 14, NULL, 3, NULL, 21.44, NULL),"
	             /* clan: the headline base is registered (2 of 3 = 66.67) */
	             "(%ld, 7, 2016, '22246', 'clan', NULL, 3, 2, NULL, 66.67, NULL),"
	             "(%ld, 8, 2016, '22249', 'clan', NULL, 3, 2, NULL, 66.66, NULL),"
	             "(%ld, 9, 2016, '22252', 'clan', NULL, 3, 2, NULL, 66.6, NULL),"
	             "(%ld, 10, 2016, '22255', 'clan', NULL, 3, 2, NULL, 67.67, NULL),"
	             /* no base known: no finding, and no 0%% rate */
	             "(%ld, 11, 2016, '22258', 'clan', NULL, NULL, 2, NULL, 50, NULL)",
	       f, f, f, f, f, f, f, f, f, f);
	run_ok(&env);
	assert_value(&env, "6:21,44,10:67,67",
	             "SELECT string_agg(line || ':' || substring(message from 'reported ([0-9,]+)%%'), "
	             "',' ORDER BY line) FROM mart.findings WHERE code = 'reported_rate_mismatch'");
	assert_value(&env, "rates.csv:6: 22258 Xã Hải Ninh, 2016, community: reported 21,44% but "
	                 "recognized/eligible = 3/14 = 21.43%",
	             "SELECT substring(message from 'rates.csv:6: .*') FROM mart.findings "
	             "WHERE code = 'reported_rate_mismatch' AND line = 6");
	/* A later eligible-only row changes 22249's base: the finding still points at
	 * the row that wrote 21,42, and names the row the new base came from. */
	f = add_file(&env, "dinhchinh.csv", "loaded");
	exec_f(&env, TALLY "(%ld, 2, 2016, '22249', 'community', 15, NULL, NULL, NULL, NULL, NULL)", f);
	run_ok(&env);
	assert_value(&env, "rates.csv:3: reported 21,42% but recognized/eligible = 3/15 = 20.00% "
	                 "(eligible 15 from dinhchinh.csv:2)",
	             "SELECT file || ':' || line || ': ' || substring(message from 'reported .*') "
	             "FROM mart.findings WHERE code = 'reported_rate_mismatch' AND unit_code = '22249'");
}

/* The lowest level reported; higher tallies are cross-checks, never added. */
Test(transform, rollup_from_lowest_level_and_cross_checks)
{
	long f;

	f = add_file(&env, "districts.csv", "loaded");
	exec_f(&env,
	       /* 595: communes report; its district tally disagrees on recognized */
	       TALLY "(%ld, 2, 2018, '22246', 'family', 7564, NULL, 4480, NULL, NULL, NULL),"
	             "(%ld, 3, 2018, '22249', 'family', 3000, NULL, 1500, NULL, NULL, NULL),"
	             "(%ld, 4, 2018, '595', 'family', 10564, NULL, 6070, NULL, NULL, NULL),"
	             /* 596: only its district tally: that is its figure */
	             "(%ld, 5, 2018, '596', 'family', 4000, NULL, 2000, NULL, NULL, NULL),"
	             /* 596 clans: district tally equal to its commune: no finding */
	             "(%ld, 6, 2018, '22255', 'clan', NULL, 4, 3, NULL, NULL, NULL),"
	             "(%ld, 7, 2018, '596', 'clan', NULL, 4, 3, NULL, NULL, NULL),"
	             /* the province tally is a cross-check of the districts */
	             "(%ld, 8, 2018, '60', 'family', 14564, NULL, 7980, NULL, NULL, NULL)",
	       f, f, f, f, f, f, f);
	run_ok(&env);
	assert_value(&env, "10564|5980|56.61|commune",
	             "SELECT concat_ws('|', eligible, recognized, rate_eligible, source_level) "
	             "FROM mart.rates WHERE scope_code = '595' AND year = 2018 AND title = 'family'");
	assert_value(&env, "4000|2000|0|2|district",
	             "SELECT concat_ws('|', eligible, recognized, units_reporting, units_expected, "
	             "source_level) FROM mart.rates WHERE scope_code = '596' AND title = 'family'");
	assert_value(&env, "14564|7980|54.79|commune+district",
	             "SELECT concat_ws('|', eligible, recognized, rate_eligible, source_level) "
	             "FROM mart.rates WHERE scope_code = '60' AND year = 2018 AND title = 'family'");
	assert_value(&env, "595:districts.csv:4",
	             "SELECT string_agg(unit_code || ':' || file || ':' || line, ',') "
	             "FROM mart.findings WHERE code = 'rollup_mismatch'");
	assert_value(&env, "595 Huyện Tuy Phong, 2018, family: the district tally gives recognized "
	                 "6,070, its 2 reporting communes sum to recognized 5,980; the sum is used",
	             "SELECT substring(message from '595 .*') FROM mart.findings "
	             "WHERE code = 'rollup_mismatch'");
	assert_value(&env, "595:false:cross_check,596:true:NULL,60:false:cross_check",
	             "SELECT string_agg(unit_code || ':' || included || ':' || "
	             "coalesce(excluded_by, 'NULL'), ',' ORDER BY unit_code) FROM mart.facts "
	             "WHERE unit_level <> 'commune' AND title = 'family'");
}

/* Households changing by more than 25% from one year to the next. */
Test(transform, eligible_jump_over_25_percent)
{
	long f;

	f = add_file(&env, "years.csv", "loaded");
	exec_f(&env,
	       TALLY "(%ld, 2, 2018, '22246', 'family', 1904, NULL, 900, NULL, NULL, NULL),"
	             "(%ld, 3, 2019, '22246', 'family', 2486, NULL, 1000, NULL, NULL, NULL),"
	             "(%ld, 4, 2018, '22249', 'family', 1000, NULL, 500, NULL, NULL, NULL),"
	             "(%ld, 5, 2019, '22249', 'family', 1250, NULL, 500, NULL, NULL, NULL),"
	             "(%ld, 6, 2018, '22252', 'community', 6, NULL, 3, NULL, NULL, NULL),"
	             "(%ld, 7, 2019, '22252', 'community', 9, NULL, 3, NULL, NULL, NULL)",
	       f, f, f, f, f, f);
	run_ok(&env);
	assert_value(&env, "warning|years.csv:3: 22246 Thị trấn Liên Hương, 2019, family: households "
	                 "1,904 in 2018 -> 2,486 in 2019 (+30.57 %)",
	             "SELECT string_agg(severity || '|' || message, ',') FROM mart.findings "
	             "WHERE code = 'eligible_jump'");
}

/* A commune merged away reporting afterwards: error, kept out. */
Test(transform, unit_not_valid_that_year)
{
	long f;

	f = add_file(&env, "bacbinh.csv", "loaded");
	exec_f(&env,
	       TALLY "(%ld, 2, 2019, '22258', 'community', 6, NULL, 3, NULL, NULL, NULL),"
	             "(%ld, 3, 2020, '22258', 'community', 6, NULL, 4, NULL, NULL, NULL),"
	             "(%ld, 4, 2020, '22255', 'community', 9, NULL, 5, NULL, NULL, NULL)",
	       f, f, f);
	exec_f(&env, FUND "(%ld, 5, 2020, '22258', 1000000, NULL, NULL, NULL)", f);
	run_ok(&env);
	assert_value(&env, "error|bacbinh.csv|3|bacbinh.csv:3: 22258 Xã Hải Ninh, 2020, community: "
	                 "Xã Hải Ninh (22258) was not valid in 2020 (valid to 2019-12-31, successor "
	                 "22255 Xã Bình Thạnh)",
	             "SELECT concat_ws('|', severity, file, line, message) FROM mart.findings "
	             "WHERE code = 'unit_not_valid' AND title IS NOT NULL");
	assert_value(&env, "1", "SELECT count(*) FROM mart.findings WHERE code = 'unit_not_valid' "
	                      "AND title IS NULL AND line = 5");
	assert_value(&env, "9|5|1|1",
	             "SELECT concat_ws('|', eligible, recognized, units_reporting, units_expected) "
	             "FROM mart.rates WHERE scope_code = '596' AND year = 2020");
	assert_value(&env, "6|3|1|2",
	             "SELECT concat_ws('|', eligible, recognized, units_reporting, units_expected) "
	             "FROM mart.rates WHERE scope_code = '596' AND year = 2019");
	assert_value(&env, "0", "SELECT count(*) FROM mart.funds WHERE year = 2020");
}

/* Funds: the latest row wins, sums per scope, cumulative from the first year. */
Test(transform, funds_with_cumulative_sum)
{
	long a, b;

	a = add_file(&env, "quy.csv", "loaded");
	b = add_file(&env, "quy-dieuchinh.json", "loaded");
	exec_f(&env,
	       FUND "(%ld, 2, 2016, '22246', 142500000, 50, 60000000, NULL),"
	            "(%ld, 3, 2016, '22249', 100000000, 10, 20000000, NULL),"
	            "(%ld, 4, 2017, '22246', 150000000, 55, 65000000, '2018-01-12 15:00+07'),"
	            "(%ld, 5, 2017, '22255', 50000000, NULL, NULL, NULL),"
	            "(%ld, 1, 2017, '22246', 186500000, 64, 96000000, '2018-01-18 09:30+07'),"
	            "(%ld, 6, 2016, '42', 58214000000, NULL, NULL, NULL),"
	            "(%ld, 7, 2017, '42', 63507000000, NULL, NULL, NULL)",
	       a, a, a, a, b, a, a);
	run_ok(&env);
	assert_value(&env, "2016:242500000:242500000:60:2,2017:186500000:429000000:64:1",
	             "SELECT string_agg(concat_ws(':', year, mobilized_vnd, cumulative_vnd, "
	             "scholarships, units_reporting), ',' ORDER BY year) FROM mart.funds "
	             "WHERE scope_code = '595'");
	assert_value(&env, "2016:242500000:242500000,2017:236500000:479000000",
	             "SELECT string_agg(concat_ws(':', year, mobilized_vnd, cumulative_vnd), ',' "
	             "ORDER BY year) FROM mart.funds WHERE scope_code = '60'");
	assert_value(&env, "121721000000:1",
	             "SELECT cumulative_vnd || ':' || units_reporting FROM mart.funds "
	             "WHERE scope_code = '42' AND year = 2017");
}


/*
 * A correction of the mobilized amount alone leaves the scholarships of the
 * earlier submission; a later row with scholarships replaces both of them.
 */
Test(transform, fund_amount_and_scholarships_supersede_apart)
{
	long a, b, c;

	a = add_file(&env, "quy-2016.csv", "loaded");
	b = add_file(&env, "quy-2016-dinhchinh.csv", "loaded");
	exec_f(&env,
	       FUND "(%ld, 2, 2016, '22246', 100000000, 41, 52000000, '2017-01-10'),"
	            "(%ld, 3, 2016, '22249', 80000000, 10, 20000000, '2017-01-10'),"
	            /* the correction: the amount only (no scholarship columns) */
	            "(%ld, 2, 2016, '22246', 150000000, NULL, NULL, '2021-03-02')",
	       a, a, b);
	run_ok(&env);
	assert_value(&env, "150000000:41:52000000:quy-2016-dinhchinh.csv:2:quy-2016.csv:2",
	             "SELECT concat_ws(':', d.mobilized_vnd, d.scholarships, d.scholarship_vnd, "
	             "f.name, d.line, s.name, d.scholarship_line) FROM core.funds d "
	             "JOIN staging.files f ON f.file_id = d.file_id "
	             "JOIN staging.files s ON s.file_id = d.scholarship_file_id "
	             "WHERE d.unit_code = '22246'");
	assert_value(&env, "230000000:51:72000000",
	             "SELECT concat_ws(':', mobilized_vnd, scholarships, scholarship_vnd) "
	             "FROM mart.funds WHERE scope_code = '595' AND year = 2016");
	/* a later row with a scholarship count replaces count and value together */
	c = add_file(&env, "quy-2016-hocbong.csv", "loaded");
	exec_f(&env, FUND "(%ld, 2, 2016, '22246', NULL, 45, NULL, '2021-04-01')", c);
	run_ok(&env);
	assert_value(&env, "230000000:55:20000000",
	             "SELECT concat_ws(':', mobilized_vnd, scholarships, scholarship_vnd) "
	             "FROM mart.funds WHERE scope_code = '595' AND year = 2016");
}

/*
 * A district's own fund row, once a commune below it reports a fund, is a
 * cross-check of the communes' sum, as a tally is: a difference is a
 * fund_rollup_mismatch naming the district's file and line, never silence.
 */
Test(transform, fund_rollup_from_lowest_level_and_cross_checks)
{
	long f;

	f = add_file(&env, "quy-2016.csv", "loaded");
	exec_f(&env,
	       /* 595: one commune reports; the district's own total is far above it */
	       FUND "(%ld, 2, 2016, '22246', 100000000, 5, 10000000, NULL),"
	            "(%ld, 3, 2016, '595', 1250000000, 120, 10000000, NULL),"
	            /* 596: only the district: its row is its figure, no finding */
	            "(%ld, 4, 2016, '596', 300000000, NULL, NULL, NULL),"
	            /* the province row equals its districts' sum: no finding */
	            "(%ld, 5, 2016, '60', 400000000, NULL, NULL, NULL)",
	       f, f, f, f);
	run_ok(&env);
	assert_value(&env, "595:100000000:1,596:300000000:1,60:400000000:2",
	             "SELECT string_agg(concat_ws(':', scope_code, mobilized_vnd, units_reporting), "
	             "',' ORDER BY scope_code) FROM mart.funds WHERE year = 2016");
	assert_value(&env, "595:quy-2016.csv:3",
	             "SELECT string_agg(unit_code || ':' || file || ':' || line, ',') "
	             "FROM mart.findings WHERE code = 'fund_rollup_mismatch'");
	assert_value(&env, "595 Huyện Tuy Phong, 2016: the district fund gives mobilized VND "
	                 "1,250,000,000, scholarships 120, its 1 reporting communes sum to "
	                 "mobilized VND 100,000,000, scholarships 5; the sum is used",
	             "SELECT substring(message from '595 .*') FROM mart.findings "
	             "WHERE code = 'fund_rollup_mismatch'");
	/* what --explain ... fund reads: each unit's row, its source, and why it is out */
	assert_value(&env,
	             "22246:t:quy-2016.csv:2,595:f:cross_check:quy-2016.csv:3,"
	             "596:t:quy-2016.csv:4,60:f:cross_check:quy-2016.csv:5",
	             "SELECT string_agg(concat_ws(':', unit_code, included, excluded_by, "
	             "amount_file, amount_line), ',' ORDER BY unit_code) FROM mart.fund_facts");
}
/* Targets against the headline rate: met, missed, unknown. */
Test(transform, targets_met_and_missed)
{
	long f;

	exec_f(&env, "INSERT INTO ref.targets VALUES ('60', 'family', 2020, 70), "
	           "('595', 'clan', 2020, 40), ('595', 'commune', 2020, 30), "
	           "('42', 'family', 2020, 70), ('22246', 'family', 2020, 75)");
	f = add_file(&env, "2020.csv", "loaded");
	exec_f(&env,
	       TALLY "(%ld, 2, 2020, '22246', 'family', 7905, 7640, 5812, NULL, NULL, NULL),"
	             "(%ld, 3, 2020, '22255', 'family', 5486, 4707, 3690, NULL, NULL, NULL),"
	             "(%ld, 4, 2020, '22246', 'clan', NULL, 3, 2, NULL, NULL, NULL),"
	             "(%ld, 5, 2020, '22246', 'commune', 1, 1, 0, NULL, NULL, NULL),"
	             "(%ld, 6, 2020, '22249', 'commune', 1, 1, 1, NULL, NULL, NULL),"
	             "(%ld, 7, 2020, '42', 'family', NULL, NULL, 309845, NULL, NULL, NULL)",
	       f, f, f, f, f, f);
	run_ok(&env);
	/* family: (5812 + 3690) / (7905 + 5486) = 70.96 >= 70 */
	/* each actual rate beside its exact fraction; a commune's from its own
	 * figures (22246 family: 5812 / 7905 = 73.52 < 75); the national targets
	 * of 281/QĐ-TTg for 2020 (family 70, clan 50) for every other scope that
	 * reported the title */
	assert_value(&env,
	             "22246:clan:50.00:66.67:16.67:true:2/3,"
	             "22246:family:75.00:73.52:-1.48:false:5812/7905,"
	             "22255:family:70.00:67.26:-2.74:false:3690/5486,"
	             "42:family:70.00:NULL:NULL:NULL:NULL/NULL,"
	             "595:clan:40.00:66.67:26.67:true:2/3,"
	             "595:commune:30.00:50.00:20.00:true:1/2,"
	             "595:family:70.00:73.52:3.52:true:5812/7905,"
	             "596:family:70.00:67.26:-2.74:false:3690/5486,"
	             "60:clan:50.00:66.67:16.67:true:2/3,"
	             "60:family:70.00:70.96:0.96:true:9502/13391",
	             "SELECT string_agg(concat_ws(':', scope_code, title, target_percent, "
	             "coalesce(actual_percent::text, 'NULL'), coalesce(gap_pp::text, 'NULL'), "
	             "coalesce(met::text, 'NULL'), coalesce(numerator::text, 'NULL') || '/' || "
	             "coalesce(denominator::text, 'NULL')), ',' ORDER BY scope_code, title) "
	             "FROM mart.targets");
	exec_f(&env, "UPDATE ref.targets SET target_percent = 71 WHERE scope_code = '60'");
	run_ok(&env);
	assert_value(&env, "-0.04:false",
	             "SELECT gap_pp || ':' || met FROM mart.targets WHERE scope_code = '60' "
	             "AND title = 'family'");
}

/* Files that were rejected or duplicates never count. */
Test(transform, only_loaded_and_partial_files_count)
{
	long ok, part, rej;

	ok = add_file(&env, "ok.csv", "loaded");
	part = add_file(&env, "part.csv", "partial");
	rej = add_file(&env, "rej.csv", "rejected");
	exec_f(&env,
	       TALLY "(%ld, 2, 2016, '22246', 'family', 100, NULL, 10, NULL, NULL, NULL),"
	             "(%ld, 2, 2016, '22249', 'family', 100, NULL, 20, NULL, NULL, NULL),"
	             "(%ld, 2, 2016, '22252', 'family', 100, NULL, 40, NULL, NULL, NULL)",
	       ok, part, rej);
	run_ok(&env);
	assert_value(&env, "200|30|2",
	             "SELECT concat_ws('|', eligible, recognized, units_reporting) FROM mart.rates "
	             "WHERE scope_code = '595'");
	/* The inputs are the files whose rows count: not the rejected one (issue 22). */
	assert_value(&env, "ok.csv part.csv",
	             "SELECT string_agg(name, ' ' ORDER BY file_id) FROM mart.inputs");
	/* data_as_of is the newest file the marts take in: not the rejected one. */
	exec_f(&env, "UPDATE staging.files SET ingested_at = CASE file_id WHEN %ld THEN "
	           "'2020-01-01T00:00:00Z'::timestamptz WHEN %ld THEN '2020-01-02T00:00:00Z' "
	           "ELSE '2020-01-09T00:00:00Z' END", ok, part);
	run_ok(&env);
	assert_value(&env, "2020-01-02 00:00:00+00",
	             "SELECT data_as_of AT TIME ZONE 'UTC' || '+00' FROM mart.status");
	/* A night of only a duplicate and a rejected file leaves it as it was. */
	add_file(&env, "dup.csv", "duplicate");
	add_file(&env, "rej2.csv", "rejected");
	exec_f(&env, "UPDATE staging.files SET ingested_at = '2020-01-10T00:00:00Z' "
	           "WHERE name IN ('dup.csv', 'rej2.csv')");
	run_ok(&env);
	assert_value(&env, "2020-01-02 00:00:00+00",
	             "SELECT data_as_of AT TIME ZONE 'UTC' || '+00' FROM mart.status");
}

/* Closing a year freezes it; later submissions are findings until reopened. */
Test(transform, close_and_reopen_a_year)
{
	long a, b;
	char *err = NULL;

	a = add_file(&env, "2016.csv", "loaded");
	exec_f(&env, TALLY "(%ld, 2, 2016, '22246', 'family', 7105, NULL, 2631, NULL, NULL, NULL)", a);
	run_ok(&env);
	cr_assert(eq(int, transform(&env, "--close=2016", NULL, &err), 0), "%s", err);
	free(err);
	b = add_file(&env, "2016-late.csv", "loaded");
	exec_f(&env,
	       TALLY "(%ld, 2, 2016, '22246', 'family', 7105, NULL, 3000, NULL, NULL, "
	             " '2030-01-01 00:00+07'),"
	             "(%ld, 3, 2016, '22249', 'family', 1000, NULL, 500, NULL, NULL, NULL),"
	             "(%ld, 4, 2017, '22249', 'family', 1000, NULL, 600, NULL, NULL, NULL)",
	       b, b, b);
	run_ok(&env);
	assert_value(&env, "2631|7105|1",
	             "SELECT concat_ws('|', recognized, eligible, units_reporting) FROM mart.rates "
	             "WHERE scope_code = '595' AND year = 2016");
	assert_value(&env, "600", "SELECT recognized FROM mart.rates WHERE scope_code = '595' "
	                        "AND year = 2017");
	assert_value(&env, "2:3",
	             "SELECT string_agg(line::text, ':' ORDER BY line) FROM mart.findings "
	             "WHERE code = 'closed_year' AND file = '2016-late.csv'");
	assert_value(&env, "info|2016-late.csv:2: 22246 Thị trấn Liên Hương, 2016, family: year 2016 "
	                 "is closed: this submission is held out of the figures until "
	                 "hoctap-transform --reopen 2016",
	             "SELECT severity || '|' || message FROM mart.findings "
	             "WHERE code = 'closed_year' AND line = 2");
	/* A full rebuild keeps the year frozen. */
	run_ok(&env);
	transform(&env, "--full", NULL, NULL);
	assert_value(&env, "2631", "SELECT recognized FROM mart.rates WHERE scope_code = '595' "
	                         "AND year = 2016");
	/* Closing twice changes nothing; reopening lets the late file in. */
	cr_assert(eq(int, transform(&env, "--close=2016", NULL, &err), 0));
	cr_assert(strstr(err, "already closed") != NULL, "%s", err);
	free(err);
	transform(&env, "--reopen=2016", NULL, NULL);
	assert_value(&env, "3500|8105|2",
	             "SELECT concat_ws('|', recognized, eligible, units_reporting) FROM mart.rates "
	             "WHERE scope_code = '595' AND year = 2016");
	assert_value(&env, "0", "SELECT count(*) FROM mart.findings WHERE code = 'closed_year'");
	assert_value(&env, "0", "SELECT count(*) FROM audit.closed_years");
}

/* A digest of every mart (but status) and of core.facts. */
static char *mart_digest(struct env *e)
{
	return value_f(e,
	               "SELECT string_agg(d, ',' ORDER BY n) FROM ("
	               "SELECT 1 n, md5(string_agg(t::text, '|' ORDER BY t::text)) d FROM mart.rates t "
	               "UNION ALL SELECT 2, md5(string_agg(t::text, '|' ORDER BY t::text)) "
	               "FROM mart.funds t "
	               "UNION ALL SELECT 3, md5(string_agg(t::text, '|' ORDER BY t::text)) "
	               "FROM mart.completeness t "
	               "UNION ALL SELECT 4, md5(string_agg(t::text, '|' ORDER BY t::text)) "
	               "FROM mart.targets t "
	               "UNION ALL SELECT 5, md5(string_agg(t::text, '|' ORDER BY t::text)) "
	               "FROM mart.findings t "
	               "UNION ALL SELECT 6, md5(string_agg(t::text, '|' ORDER BY t::text)) "
	               "FROM mart.facts t "
	               "UNION ALL SELECT 7, md5(string_agg(t::text, '|' ORDER BY t::text)) "
	               "FROM core.facts t) x");
}

/* Night by night, then --full: the same marts; only touched pairs recomputed. */
Test(transform, incremental_equals_full_rebuild)
{
	long f1, f2, f3, f4;
	char *incremental, *full;

	exec_f(&env, "INSERT INTO ref.targets VALUES ('60', 'family', 2017, 50)");
	f1 = add_file(&env, "n1.csv", "loaded");
	exec_f(&env,
	       TALLY "(%ld, 2, 2016, '22246', 'family', 7105, NULL, 2631, NULL, 37.28, NULL),"
	             "(%ld, 3, 2016, '595', 'family', 9000, NULL, 4000, NULL, NULL, NULL),"
	             "(%ld, 4, 2016, '42', 'family', NULL, NULL, 179701, NULL, NULL, NULL)",
	       f1, f1, f1);
	exec_f(&env, FUND "(%ld, 5, 2016, '22246', 1000, 1, 10, NULL)", f1);
	run_ok(&env);
	f2 = add_file(&env, "n2.csv", "loaded");
	exec_f(&env,
	       TALLY "(%ld, 2, 2017, '22246', 'family', 9000, NULL, 3000, NULL, NULL, NULL),"
	             "(%ld, 3, 2017, '22249', 'family', 1000, NULL, 1500, NULL, NULL, NULL),"
	             "(%ld, 4, 2016, '22249', 'family', 2000, NULL, 1000, NULL, NULL, NULL)",
	       f2, f2, f2);
	exec_f(&env, FUND "(%ld, 5, 2017, '22246', 2000, 1, 10, NULL)", f2);
	exec_f(&env,
	       REGISTER "(%ld, 7, 2017, '22252', 1, 'A', true, true, NULL),"
	                "(%ld, 8, 2017, '22252', 1, 'A', true, false, NULL)",
	       f2, f2);
	run_ok(&env);
	/* The second night touched Bình Thuận 2016, 2017 (and 2018 for the jump rule). */
	assert_value(&env, "3", "SELECT pairs FROM audit.runs ORDER BY run_id DESC LIMIT 1");
	f3 = add_file(&env, "n3.csv", "loaded");
	exec_f(&env,
	       TALLY "(%ld, 2, 2016, '22246', 'family', 7105, NULL, 2700, NULL, NULL, NULL),"
	             "(%ld, 3, 2020, '42', 'family', NULL, NULL, 309845, NULL, NULL, NULL)",
	       f3, f3);
	f4 = add_file(&env, "n4.csv", "rejected");
	exec_f(&env, TALLY "(%ld, 2, 2017, '22255', 'family', 5, NULL, 5, NULL, NULL, NULL)", f4);
	run_ok(&env);
	incremental = mart_digest(&env);
	transform(&env, "--full", NULL, NULL);
	full = mart_digest(&env);
	cr_assert(eq(str, incremental, full));
	assert_value(&env, "full", "SELECT mode FROM audit.runs ORDER BY run_id DESC LIMIT 1");
	/* Sanity: the figures are the ones of all four files. */
	assert_value(&env, "9105|3700", "SELECT eligible || '|' || recognized FROM mart.rates "
	                              "WHERE scope_code = '595' AND year = 2016");
	free(incremental);
	free(full);
}

/* A changed ref.units forces a full rebuild (the hierarchy may have moved). */
Test(transform, changed_reference_units_rebuild_in_full)
{
	long f;

	f = add_file(&env, "a.csv", "loaded");
	exec_f(&env, TALLY "(%ld, 2, 2016, '22252', 'family', 100, NULL, 50, NULL, NULL, NULL)", f);
	run_ok(&env);
	exec_f(&env, "UPDATE ref.units SET parent_code = '596', district_code = '596' "
	           "WHERE code = '22252'");
	run_ok(&env);
	assert_value(&env, "full", "SELECT mode FROM audit.runs ORDER BY run_id DESC LIMIT 1");
	assert_value(&env, "596", "SELECT string_agg(scope_code, ',') FROM mart.rates "
	                        "WHERE scope_level = 'district'");
}

/*
 * ref.units written to without a change (a reload of the same units) moves
 * ref.versions.units, is hashed, and stays a night; a unit added in psql,
 * or the table emptied and refilled, is a change and rebuilds in full.
 */
Test(transform, units_written_unchanged_stay_incremental_changed_rebuild)
{
	long f;
	const char *last = "SELECT mode || ':' || units_version || ':' || "
	                   "(ref_hash = (SELECT ref_hash FROM audit.runs WHERE run_id = 1)) "
	                   "FROM audit.runs ORDER BY run_id DESC LIMIT 1";

	f = add_file(&env, "a.csv", "loaded");
	exec_f(&env, TALLY "(%ld, 2, 2016, '22252', 'family', 100, NULL, 50, NULL, NULL, NULL)", f);
	run_ok(&env);
	assert_value(&env, "incremental:2:true", "%s", last);
	exec_f(&env, "UPDATE ref.units SET name = name");
	f = add_file(&env, "b.csv", "loaded");
	exec_f(&env, TALLY "(%ld, 2, 2017, '42', 'family', 10, NULL, 5, NULL, NULL, NULL)", f);
	run_ok(&env);
	assert_value(&env, "incremental:3:true", "%s", last);
	assert_value(&env, "2", "SELECT pairs FROM audit.runs ORDER BY run_id DESC LIMIT 1");
	run_ok(&env);
	assert_value(&env, "incremental:3:true", "%s", last);
	exec_f(&env, "INSERT INTO ref.units VALUES ('22261', 'Xã Mới', 'commune', '595', "
	           "NULL, NULL, NULL, '60', '595')");
	run_ok(&env);
	assert_value(&env, "full:4:false", "%s", last);
	assert_value(&env, "4", "SELECT units_expected FROM mart.completeness "
	                      "WHERE scope_code = '595' AND year = 2016");
	exec_f(&env, "DELETE FROM ref.units WHERE code = '22261'");
	run_ok(&env);
	assert_value(&env, "full:5:true", "%s", last);
	assert_value(&env, "3", "SELECT units_expected FROM mart.completeness "
	                      "WHERE scope_code = '595' AND year = 2016");
}

/* Targets of 40% for Bình Thuận (60) and Hà Tĩnh (42), and a night with figures of both. */
static void targets_and_a_night(void)
{
	long f;

	exec_f(&env, "INSERT INTO ref.targets VALUES ('60', 'family', 2016, 40), "
	           "('42', 'family', 2016, 40)");
	f = add_file(&env, "a.csv", "loaded");
	exec_f(&env,
	       TALLY "(%ld, 2, 2016, '22246', 'family', 100, NULL, 50, NULL, NULL, NULL),"
	             "(%ld, 3, 2016, '42', 'family', 1000, NULL, 300, NULL, NULL, NULL)",
	       f, f);
	run_ok(&env);
}

/* A night recomputes the targets of its pairs only. */
Test(transform, targets_follow_their_pairs)
{
	long f;

	targets_and_a_night();
	assert_value(&env, "42:30.00:f,60:50.00:t",
	             "SELECT string_agg(concat_ws(':', scope_code, actual_percent, met), ',' "
	             "ORDER BY scope_code) FROM mart.targets");
	/* A night of Hà Tĩnh: Bình Thuận's target is left as it was. */
	f = add_file(&env, "b.csv", "loaded");
	exec_f(&env, TALLY "(%ld, 2, 2016, '42', 'family', 1000, NULL, 450, NULL, NULL, NULL)", f);
	run_ok(&env);
	assert_value(&env, "42:45.00:t,60:50.00:t",
	             "SELECT string_agg(concat_ws(':', scope_code, actual_percent, met), ',' "
	             "ORDER BY scope_code) FROM mart.targets");
}

/* A target changed in ref.targets is recomputed whatever pair it is of, and one deleted goes. */
Test(transform, targets_follow_ref_targets)
{
	targets_and_a_night();
	/* Bình Thuận's target raised, and Hà Tĩnh's deleted, with no new data. */
	exec_f(&env, "UPDATE ref.targets SET target_percent = 60 WHERE scope_code = '60'");
	exec_f(&env, "DELETE FROM ref.targets WHERE scope_code = '42'");
	run_ok(&env);
	assert_value(&env, "60:60.00:50.00:f",
	             "SELECT string_agg(concat_ws(':', scope_code, target_percent, actual_percent, "
	             "met), ',' ORDER BY scope_code) FROM mart.targets");
	assert_value(&env, "0", "SELECT pairs FROM audit.runs ORDER BY run_id DESC LIMIT 1");
}

Test(transform, another_run_holding_the_lock_is_75)
{
	char *err = NULL;
	PGconn *holder;
	char *lock;

	holder = hx_test_db_connect(env.db);
	lock = hx_asprintf("SELECT pg_advisory_lock(%d, %d)", HX_LOCK_CLASS, HX_LOCK_TRANSFORM);
	hx_test_db_exec(holder, lock);
	free(lock);
	cr_assert(eq(int, transform(&env, NULL, NULL, &err), 75));
	cr_assert(strstr(err, "another hoctap-transform run holds the lock") != NULL, "%s", err);
	free(err);
	assert_value(&env, "0", "SELECT count(*) FROM audit.runs");
	PQfinish(holder);
	cr_assert(eq(int, transform(&env, NULL, NULL, &err), 0), "%s", err);
	cr_assert(eq(str, err, ""), "quiet on success");
	free(err);
}

/* Reaching no database, in a suite that makes none. */
Test(transform_unavailable, a_database_out_of_reach_is_69)
{
	char path[4096];
	const char *argv[3] = {path, "-dhost=/nonexistent/socket dbname=x", NULL};
	struct hx_test_output o;

	snprintf(path, sizeof path, "%s", hx_test_bin("hoctap-transform"));
	hx_test_run(argv, NULL, &o);
	cr_assert(eq(int, o.status, 69));
	hx_test_output_free(&o);
}

/* Comparisons across a merger are made on the successor: district 596
 * ends in 2019 into 595, so 595's 2016 figures for comparison include 596's. */
Test(transform, comparison_across_a_merger_uses_the_successor)
{
	long f;

	exec_f(&env, "UPDATE ref.units SET valid_to = '2019-12-31', successor_code = '595' "
	           "WHERE code = '596'");
	f = add_file(&env, "years.csv", "loaded");
	exec_f(&env,
	       TALLY "(%ld, 2, 2016, '22246', 'family', 1000, NULL, 300, NULL, NULL, NULL),"
	             "(%ld, 3, 2016, '22255', 'family', 3000, NULL, 900, NULL, NULL, NULL),"
	             "(%ld, 4, 2020, '22246', 'family', 4100, NULL, 2050, NULL, NULL, NULL)",
	       f, f, f);
	run_ok(&env);
	assert_value(&env, "596|district|595|district",
	             "SELECT concat_ws('|', unit_code, unit_level, successor_code, successor_level) "
	             "FROM mart.successors WHERE unit_level = 'district'");
	/* As published: 595 alone in 2016. */
	assert_value(&env, "1000|300|30.00",
	             "SELECT concat_ws('|', eligible, recognized, rate_eligible) FROM mart.rates "
	             "WHERE scope_code = '595' AND year = 2016");
	/* On the successor: 595 + 596 in 2016, against 595 in 2020. */
	assert_value(&env, "2016:4000:1200:30.00:595,596 2020:4100:2050:50.00:595",
	             "SELECT string_agg(concat_ws(':', year, eligible, recognized, rate_eligible, "
	             "scopes), ' ' ORDER BY year) FROM mart.rates_on_successors "
	             "WHERE scope_code = '595'");
	assert_value(&env, "2", "SELECT count(*) FROM mart.rates_on_successors "
	                      "WHERE scope_level = 'province'");
}
