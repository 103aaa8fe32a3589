/*
 * hoctap-ingest — submission files into PostgreSQL staging (docs/design.md §4, §7).
 * This file is the command line only: it parses options, connects, and hands
 * the work to the ingest modules; it alone picks the exit code.
 */
#include <getopt.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "i18n.h"
#include "db.h"
#include "inbox.h"
#include "ingest.h"
#include "log.h"
#include "migrate.h"
#include "refdata.h"

enum {
	OPT_INBOX = 0x2001,
	OPT_ARCHIVE,
	OPT_REJECTED,
	OPT_STRICT,
	OPT_MAX_REJECTS,
	OPT_DRY_RUN,
	OPT_SUMMARY,
	OPT_SUMMARY_LINES,
	OPT_MIGRATE,
	OPT_UNITS,
	OPT_TARGETS,
	OPT_NUMBERS,
	OPT_SHEET,
	OPT_ENCODING
};

static void usage(void)
{
	printf("%s loads lifelong-learning submission files into PostgreSQL.\n\n",
	       hx_log_progname());
	printf("Usage:\n"
	       "  %s [OPTION]... [FILE]...\n"
	       "  %s [OPTION]... --inbox DIR --archive DIR --rejected DIR\n"
	       "  %s [OPTION]... --migrate | --units UNITS | --targets FILE\n",
	       hx_log_progname(), hx_log_progname(), hx_log_progname());
	printf("\nOptions:\n"
	       "      --inbox=DIR           ingest every file of DIR, in name order\n"
	       "      --archive=DIR         move loaded files here after commit\n"
	       "      --rejected=DIR        move unreadable files here, with .error.txt\n"
	       "      --strict              load a file all or nothing\n"
	       "      --max-rejects=N|P%%    reject a whole file past N (or P%%) bad rows\n"
	       "      --dry-run             check everything, write nothing\n"
	       "      --summary=FILE        write a JSON import summary to FILE\n"
	       "      --summary-lines=FILE  write one line per file to FILE, TAB-separated:\n"
	       "                            status, rows read, loaded, rejected, name\n"
	       "      --numbers=vi|en       number style of the files (default vi)\n"
	       "      --sheet=NAME          the sheet of a workbook to read (default: the\n"
	       "                            first visible one with a header)\n"
	       "      --encoding=NAME       read text files as utf-8, tcvn3, vni or\n"
	       "                            windows-1258 (default: guessed from each file)\n"
	       "      --migrate             apply pending database migrations\n"
	       "      --units=builtin|builtin,FILE|FILE\n"
	       "                            replace the administrative units: the\n"
	       "                            shipped lists of both eras, with a\n"
	       "                            province's additions, or its own list\n"
	       "      --targets=FILE        replace the plan targets\n");
	hx_cli_print_common_help("0 ok (an empty inbox too), 64 usage, 65 some input rejected\n"
	                         "(the rest loaded), 66 a named file not found, 69 database unavailable,\n"
	                         "70 internal error, 73 the summary or archive not writable,\n"
	                         "75 another hoctap-ingest holds the lock.");
}

/* "N" or "P%" for --max-rejects. */
static int parse_max_rejects(const char *s, struct ingest_opts *o, struct hx_error *err)
{
	size_t n = strlen(s);
	char buf[32];

	if (n > 0 && n < sizeof buf && s[n - 1] == '%') {
		memcpy(buf, s, n - 1);
		buf[n - 1] = '\0';
		o->max_rejects_percent = 1;
		return hx_cli_parse_int(buf, "--max-rejects", 0, 100, &o->max_rejects, err);
	}
	o->max_rejects_percent = 0;
	return hx_cli_parse_int(s, "--max-rejects", 0, INT64_C(1) << 40, &o->max_rejects, err);
}

/* What --units (or --migrate on an empty database) loaded, and the shipped lists' notes. */
static void report_units(const struct refdata_units_result *r)
{
	hx_log_info(_("loaded %ld units (%ld periods, %ld lineage pairs)"), r->codes, r->periods,
	            r->lineage);
	for (size_t i = 0; i < r->nnotes; i++) {
		const struct ref_note *n = &r->notes[i];

		if (n->flaw)
			hx_log_warning("%s", n->text);
		else
			hx_log_info("%s", n->text);
		if (n->examples[0] != '\0')
			hx_log_detail(_("e.g. %s"), n->examples);
	}
}

static int load_units(PGconn *conn, const char *spec)
{
	struct refdata_units_result r;
	struct hx_error err;

	hx_error_clear(&err);
	if (refdata_units(conn, spec, &r, &err) < 0) {
		hx_log_hx_error(&err);
		return err.code;
	}
	report_units(&r);
	refdata_units_result_free(&r);
	return HX_OK;
}

/* --migrate: the migrations, then the shipped units into a database that has none. */
static int migrate(PGconn *conn)
{
	struct hx_migrate_result mres;
	struct hx_error err;
	int empty;

	hx_error_clear(&err);
	if (hx_migrate_apply(conn, &mres, &err) < 0) {
		hx_log_hx_error(&err);
		return err.code;
	}
	if (mres.baselined)
		hx_log_info("schema at migration %03d marked as at the baseline %03d", mres.from,
		            HX_MIGRATE_BASELINE);
	if (mres.applied > 0)
		hx_log_info("applied %d migration(s); schema is at version %d", mres.applied,
		            mres.to);
	else
		hx_log_info("schema is up to date (version %d)", mres.to);
	empty = refdata_units_empty(conn, &err);
	if (empty < 0) {
		hx_log_hx_error(&err);
		return err.code;
	}
	if (!empty)
		return HX_OK;
	hx_log_info("%s", _("no units are loaded: loading the shipped lists of both eras "
	                    "(--units builtin)"));
	return load_units(conn, "builtin");
}

/* Files: take the lock, read the reference codes, run. */
static int run_files(PGconn *conn, const struct ingest_opts *o, char **files, int nfiles)
{
	struct ingest_run run = {0};
	struct hx_lock_holder holder;
	struct hx_error err;
	char who[256];
	int locked, rc;

	hx_error_clear(&err);
	locked = hx_db_take_lock(conn, HX_LOCK_INGEST, HX_LOCK_ORPHAN_WAIT_MS, &holder, &err);
	if (locked < 0) {
		hx_log_hx_error(&err);
		return err.code;
	}
	if (locked == 0) {
		hx_log_error(_("another hoctap-ingest is running on this database (%s); try again later"),
		             hx_db_holder_text(&holder, who, sizeof who));
		return HX_TEMPFAIL;
	}
	if (holder.waited_ms > 0)
		hx_log_info(_("waited %ld.%01ld s for the lock held by %s"), holder.waited_ms / 1000,
		            holder.waited_ms % 1000 / 100, hx_db_holder_text(&holder, who, sizeof who));
	run.conn = conn;
	run.opts = o;
	run.units = units_load(conn, &err);
	if (run.units == NULL) {
		hx_log_hx_error(&err);
		hx_db_unlock(conn, HX_LOCK_INGEST);
		return err.code;
	}
	if (units_count(run.units) == 0) {
		hx_log_warning("no reference units are loaded: every row will be rejected");
		hx_log_hint("load them with \"hoctap-ingest --units builtin\"");
	}
	rc = inbox_run(&run, files, nfiles, &err);
	if (rc != HX_OK && rc != HX_DATAERR)
		hx_log_hx_error(&err);
	units_free(run.units);
	ingest_run_free(&run);
	hx_db_unlock(conn, HX_LOCK_INGEST);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"inbox", required_argument, NULL, OPT_INBOX},
		{"archive", required_argument, NULL, OPT_ARCHIVE},
		{"rejected", required_argument, NULL, OPT_REJECTED},
		{"strict", no_argument, NULL, OPT_STRICT},
		{"max-rejects", required_argument, NULL, OPT_MAX_REJECTS},
		{"dry-run", no_argument, NULL, OPT_DRY_RUN},
		{"summary", required_argument, NULL, OPT_SUMMARY},
		{"summary-lines", required_argument, NULL, OPT_SUMMARY_LINES},
		{"numbers", required_argument, NULL, OPT_NUMBERS},
		{"sheet", required_argument, NULL, OPT_SHEET},
		{"encoding", required_argument, NULL, OPT_ENCODING},
		{"migrate", no_argument, NULL, OPT_MIGRATE},
		{"units", required_argument, NULL, OPT_UNITS},
		{"targets", required_argument, NULL, OPT_TARGETS},
		HX_CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0}};
	struct hx_cli_common common = {0};
	struct ingest_opts o = {0};
	struct hx_error err;
	PGconn *conn = NULL;
	const char *units = NULL, *targets = NULL;
	int c, do_migrate = 0, rc = HX_OK, modes;
	long count = 0;

	hx_log_init(argv[0]);
	hx_i18n_init(NULL);
#ifdef __GLIBC__
	/* Each file's reader and buffers are freed and made again for the
	 * next: keep the freed memory instead of giving it back to the kernel
	 * and faulting it in again per file (a tenth of a small file's cost).
	 * The peak is what it was. */
	(void)mallopt(M_TRIM_THRESHOLD, 32 * 1024 * 1024);
#endif
	hx_error_clear(&err);
	o.max_rejects = -1;
	o.numbers = HX_NUM_VI;
	opterr = 0;
	while ((c = getopt_long(argc, argv, HX_CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (hx_cli_common(c, optarg, &common))
			continue;
		switch (c) {
		case OPT_INBOX: o.inbox = optarg; break;
		case OPT_ARCHIVE: o.archive = optarg; break;
		case OPT_REJECTED: o.rejected = optarg; break;
		case OPT_STRICT: o.strict = 1; break;
		case OPT_DRY_RUN: o.dry_run = 1; break;
		case OPT_SUMMARY: o.summary = optarg; break;
		case OPT_SUMMARY_LINES: o.summary_lines = optarg; break;
		case OPT_MIGRATE: do_migrate = 1; break;
		case OPT_UNITS: units = optarg; break;
		case OPT_TARGETS: targets = optarg; break;
		case OPT_SHEET: o.sheet = optarg; break;
		case OPT_ENCODING:
			if (hx_enc_from_name(optarg, &o.encoding) < 0)
				return hx_cli_usage_error("invalid value \"%s\" for option --encoding (%s)",
				                          optarg, hx_enc_names_help());
			o.encoding_forced = 1;
			break;
		case OPT_MAX_REJECTS:
			if (parse_max_rejects(optarg, &o, &err) < 0)
				return hx_cli_usage_error("%s", err.msg);
			break;
		case OPT_NUMBERS:
			if (hx_num_style_from_name(optarg, &o.numbers) < 0)
				return hx_cli_usage_error("invalid value \"%s\" for option --numbers "
				                          "(vi or en)", optarg);
			break;
		default:
			return hx_cli_bad_option(argv, longopts);
		}
	}
	if (hx_cli_check_lang(&common) != 0)
		return HX_USAGE;
	if (hx_cli_help_or_version(&common, usage))
		return HX_OK;
	hx_cli_apply_verbosity(&common);
	modes = do_migrate + (units != NULL) + (targets != NULL) + (o.inbox != NULL || optind < argc);
	if (modes == 0)
		return hx_cli_usage_error("nothing to do: name files, --inbox, or --migrate");
	if (modes > 1)
		return hx_cli_usage_error("--migrate, --units, --targets and files/--inbox "
		                          "go in separate runs");
	if (o.inbox != NULL && optind < argc)
		return hx_cli_usage_error("name files or --inbox, not both");
	if (o.inbox != NULL && (o.archive == NULL || o.rejected == NULL))
		return hx_cli_usage_error("--inbox needs --archive and --rejected");
	if (o.inbox == NULL && (o.archive != NULL || o.rejected != NULL))
		return hx_cli_usage_error("--archive and --rejected go with --inbox "
		                          "(named files are never moved)");
	if (o.sheet != NULL && o.sheet[0] == '\0')
		return hx_cli_usage_error("--sheet needs the name of a sheet");
	if (o.strict && o.max_rejects >= 0)
		return hx_cli_usage_error("--strict and --max-rejects cannot be combined");
	o.progress = common.verbosity >= 0 && isatty(STDERR_FILENO);

	conn = hx_db_connect(common.conninfo, "hoctap-ingest", &err);
	if (conn == NULL) {
		hx_log_hx_error(&err);
		return err.code;
	}
	copy_tune_connection(conn);
	if (do_migrate) {
		rc = migrate(conn);
	} else if (hx_db_require_schema(conn, &err) < 0) {
		hx_log_hx_error(&err);
		rc = err.code;
	} else if (units != NULL) {
		rc = load_units(conn, units);
	} else if (targets != NULL) {
		if (refdata_targets(conn, targets, &count, &err) < 0) {
			hx_log_hx_error(&err);
			rc = err.code;
		} else {
			hx_log_info("loaded %ld targets", count);
		}
	} else {
		rc = run_files(conn, &o, argv + optind, argc - optind);
	}
	PQfinish(conn);
	return rc;
}
