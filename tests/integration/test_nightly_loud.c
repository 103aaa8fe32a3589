/*
 * test_nightly_loud.c — the nightly chain on a night that kept a commune
 * out of the figures (issue 22 item 1), its --help (item 7), and the plain
 * lines hoctap-ingest writes for it (issue 24 item 6), against a real
 * database.
 *
 * The night of the issue: one file whose only row says recognized 4.200 >
 * registered 4.100 for commune 23231 exited 0 and printed nothing, while
 * the commune vanished from every figure.  Now the chain exits 65 and its
 * message lists the value kept out — unit, year, title, reason, file:line —
 * as it lists rejected files; the next night, with nothing new, is silent.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"
#include "testsupport.h"

/* The chain's settings for one night in dir, on database db. */
struct night {
	char *dir, *inbox, *out, *env[12];
};

static void night_init(struct night *n, const char *db)
{
	n->dir = hx_test_tempdir();
	n->inbox = hx_asprintf("%s/inbox", n->dir);
	n->out = hx_asprintf("%s/out", n->dir);
	cr_assert(mkdir(n->inbox, 0755) == 0);
	n->env[0] = hx_strdup("HOCTAP_ENV=");
	n->env[1] = hx_strdup("HOCTAP_LOCK=");
	n->env[2] = hx_strdup("HOCTAP_SUMMARY=");
	n->env[3] = hx_asprintf("HOCTAP_DB=%s", db != NULL ? db : "");
	n->env[4] = hx_asprintf("HOCTAP_INBOX=%s", n->inbox);
	n->env[5] = hx_asprintf("HOCTAP_ARCHIVE=%s/archive", n->dir);
	n->env[6] = hx_asprintf("HOCTAP_REJECTED=%s/rejected", n->dir);
	n->env[7] = hx_asprintf("HOCTAP_OUT=%s", n->out);
	n->env[8] = hx_asprintf("HOCTAP_LOG=%s/nightly.log", n->dir);
	n->env[9] = hx_asprintf("HOCTAP_BINDIR=%s", HOCTAP_BIN_DIR);
	n->env[10] = NULL;
}

static void night_free(struct night *n)
{
	for (size_t i = 0; n->env[i] != NULL; i++)
		free(n->env[i]);
	hx_test_dir_discard(&n->dir);
	free(n->inbox);
	free(n->out);
}

static void night_run(const struct night *n, const char *arg, struct hx_test_output *o)
{
	char *script = hx_test_src("schedules/hoctap-nightly");
	const char *argv[] = {script, arg, NULL};

	hx_test_run(argv, (const char *const *)n->env, o);
	free(script);
}

/* A migrated database with the sample units. */
static char *sample_db(void)
{
	char *db = hx_test_db_create(1), *units = hx_test_src("samples/units.csv");
	struct hx_test_output o =
		hx_test_program("hoctap-ingest", db, (const char *const[]){"--units", units, NULL});

	cr_assert(eq(int, o.status, 0), "--units: %s", o.err);
	hx_test_output_free(&o);
	free(units);
	return db;
}

/*
 * Each test's database (for the suite nightly_loud) and night, made by
 * setup and removed by teardown whatever the test reached.
 */
static char *db;
static struct night night;

static void setup(void)
{
	db = sample_db();
	night_init(&night, db);
}

static void setup_without_db(void)
{
	night_init(&night, NULL);
}

static void teardown(void)
{
	night_free(&night);
	hx_test_db_discard(&db);
}

TestSuite(nightly_loud, .init = setup, .fini = teardown);
TestSuite(nightly_help, .init = setup_without_db, .fini = teardown);

Test(nightly_loud, a_night_that_kept_a_commune_out_says_so_and_exits_65)
{
	char *rates, *text;
	struct hx_test_output o;

	hx_test_put(night.inbox, "2021-01-12-lagi-phuochoi-2020.csv",
	            "Năm;Mã đơn vị;Danh hiệu;Tổng số;Đăng ký;Được công nhận\n"
	            "2020;23231;Gia đình học tập;6.000;4.100;4.200\n");
	night_run(&night, NULL, &o);
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	cr_assert(strstr(o.err, "hoctap-nightly: transform exited 65 (new error findings): the "
	                        "values below are kept out of the figures; the rest was transformed "
	                        "and reported in ") != NULL, "%s", o.err);
	cr_assert(strstr(o.err, "\n  hoctap-transform: error: 2021-01-12-lagi-phuochoi-2020.csv:2: "
	                        "23231 Phường Phước Hội, 2020, family: recognized 4,200 > registered "
	                        "4,100: exemplary <= recognized <= registered <= eligible must hold "
	                        "(invariant_breach)\n") != NULL, "%s", o.err);
	cr_assert(strstr(o.err, "hoctap-nightly: details: ") != NULL, "%s", o.err);
	cr_log_info("the chain said:\n%s", o.err);
	hx_test_output_free(&o);
	/* The reports were published, the commune's value out of them and in findings. */
	rates = hx_asprintf("%s/findings.csv", night.out);
	text = hx_test_read_file(rates, NULL);
	cr_assert(text != NULL && strstr(text, "invariant_breach,error,60,23231,2020,family,") != NULL,
	          "%s", text != NULL ? text : "(no findings.csv)");
	free(text);
	free(rates);

	/* The next night, nothing new: silent, 0. */
	night_run(&night, NULL, &o);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	cr_assert(eq(str, o.err, ""));
	hx_test_output_free(&o);
}

Test(nightly_help, help_is_0_and_needs_no_settings)
{
	struct hx_test_output o;

	free(night.env[4]);
	night.env[4] = hx_strdup("HOCTAP_INBOX="); /* unset: --help must not need it */
	night_run(&night, "--help", &o);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	cr_assert(strstr(o.out, "Usage:\n  hoctap-nightly [--help | --version]\n") != NULL, "%s",
	          o.out);
	cr_assert(strstr(o.out, "HOCTAP_INBOX") != NULL && strstr(o.out, "65 some input rejected") != NULL,
	          "%s", o.out);
	cr_assert(eq(str, o.err, ""));
	hx_test_output_free(&o);
	night_run(&night, "--version", &o);
	cr_assert(eq(int, o.status, 0), "%s", o.err);
	cr_assert(strstr(o.out, "hoctap-nightly: hoctap-ingest") != NULL, "%s", o.out);
	hx_test_output_free(&o);
	night_run(&night, "--bogus", &o);
	cr_assert(eq(int, o.status, 64), "%s", o.err);
	cr_assert(strstr(o.err, "Try \"hoctap-nightly --help\" for more information.") != NULL, "%s",
	          o.err);
	hx_test_output_free(&o);
}

Test(nightly_loud, ingest_writes_the_chain_one_plain_line_a_file)
{
	const char *inbox = night.inbox;
	char *archive = hx_asprintf("%s/archive", night.dir);
	char *rejected = hx_asprintf("%s/rejected", night.dir);
	char *lines = hx_asprintf("%s/files.tsv", night.dir);
	char *text;
	struct hx_test_output o;

	cr_assert(mkdir(archive, 0755) == 0 && mkdir(rejected, 0755) == 0);
	hx_test_put(inbox, "a good.csv", "year,unit_code,title,recognized\n2020,23231,family,10\n");
	hx_test_put(inbox, "b\tpart.csv", "year,unit_code,title,recognized\n2020,23231,clan,1\n"
	                                  "2020,99999,clan,1\n");
	hx_test_put(inbox, "c-copy.csv", "year,unit_code,title,recognized\n2020,23231,family,10\n");
	hx_test_put(inbox, "d-bad.csv", "year;unit_code\n2020;23231\n");
	o = hx_test_program("hoctap-ingest", db,
	                    (const char *const[]){"--inbox", inbox, "--archive", archive, "--rejected",
	                                          rejected, "--summary-lines", lines, NULL});
	cr_assert(eq(int, o.status, 65), "%s", o.err);
	hx_test_output_free(&o);
	text = hx_test_read_file(lines, NULL);
	cr_assert(eq(str, text, "loaded\t1\t1\t0\ta good.csv\n"
	                        "partial\t2\t1\t1\tb\\tpart.csv\tb\\tpart.csv.rejects.csv\n"
	                        "duplicate\t0\t0\t0\tc-copy.csv\n"
	                        "rejected\t0\t0\t0\td-bad.csv\n"));
	free(text);
	free(archive);
	free(rejected);
	free(lines);
}
