/*
 * hoctap-transform — staging into core and marts (docs/design.md §5, §7).
 * Command line only: options, connection, exit code.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "i18n.h"
#include "db.h"
#include "log.h"
#include "run.h"

enum { OPT_FULL = 0x2001, OPT_RECOUNT, OPT_CLOSE, OPT_REOPEN };

static void usage(void)
{
	printf("%s validates, supersedes and rolls up the ingested figures.\n\n",
	       hx_log_progname());
	printf("Usage:\n  %s [OPTION]...\n", hx_log_progname());
	printf("\nOptions:\n"
	       "      --full                rebuild every year and province (register lists\n"
	       "                            as hoctap-ingest counted them while loading)\n"
	       "      --recount             --full, every register list recounted from its\n"
	       "                            rows; fails if a count ingest made differs\n"
	       "      --close=YEAR          freeze YEAR's published figures\n"
	       "      --reopen=YEAR         let later submissions into YEAR again\n");
	hx_cli_print_common_help("0 ok, 64 usage, 65 new error findings keep values out of the\n"
	                         "figures (listed; the rest was built), 66 --close of a year without\n"
	                         "figures, 69 database unavailable, 70 internal error (or --recount\n"
	                         "found a count that differs), 75 another run holds the lock.");
}

/*
 * Values this run newly kept out of the figures, one line each, then their
 * count: errors (they are error findings, and -q still shows them), and
 * the exit code 65 says the rest was built.  A night is never silently
 * wrong (docs/design.md §9.6).
 */
static void report_new_errors(const struct tf_result *res)
{
	int shown = 0;

	for (; res->new_error_lines[shown] != NULL; shown++)
		hx_log_error("%s", res->new_error_lines[shown]);
	if (res->new_errors > shown)
		hx_log_error(_("... and %d more"), res->new_errors - shown);
	hx_log_error(P_("%d new error finding keeps a value out of the figures; the rest was built "
	                "(every finding: findings.csv of hoctap-report)",
	                "%d new error findings keep values out of the figures; the rest was built "
	                "(every finding: findings.csv of hoctap-report)",
	                (unsigned long)res->new_errors),
	             res->new_errors);
}

/* What the run did, at -v (cron stays quiet on success). */
static void report(const struct tf_options *opt, const struct tf_result *res)
{
	char holder[256];

	if (res->lock.waited_ms > 0)
		hx_log_info(_("waited %ld.%01ld s for the lock held by %s"), res->lock.waited_ms / 1000,
		            res->lock.waited_ms % 1000 / 100,
		            hx_db_holder_text(&res->lock, holder, sizeof holder));
	if (opt->close_year) {
		if (res->changed)
			hx_log_info("year %d closed: later submissions are held out until --reopen %d",
			            opt->close_year, opt->close_year);
		else
			hx_log_warning("year %d was already closed; nothing changed", opt->close_year);
		return;
	}
	if (opt->reopen_year && !res->changed)
		hx_log_warning("year %d was not closed", opt->reopen_year);
	if (res->ref_changed && !opt->full)
		hx_log_info("reference units changed since the last run: rebuilt in full");
	if (res->bounds_changed && !opt->full)
		hx_log_info("plausibility bounds or households changed since the last run: "
		            "rebuilt in full");
	hx_log_info("run %lld (%s): %d new file%s, %d (province, year) pair%s recomputed, "
	            "%d finding%s",
	            res->run_id, res->mode, res->files_taken, res->files_taken == 1 ? "" : "s",
	            res->pairs, res->pairs == 1 ? "" : "s", res->findings,
	            res->findings == 1 ? "" : "s");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"full", no_argument, NULL, OPT_FULL},
		{"recount", no_argument, NULL, OPT_RECOUNT},
		{"close", required_argument, NULL, OPT_CLOSE},
		{"reopen", required_argument, NULL, OPT_REOPEN},
		HX_CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0}};
	struct hx_cli_common common = {0};
	struct tf_options opt = {0};
	struct tf_result res = {0};
	struct hx_error err;
	PGconn *conn;
	int64_t year = 0;
	int c, full = 0, recount = 0, close_year = 0, reopen_year = 0, rc = HX_OK;

	hx_log_init(argv[0]);
	hx_i18n_init(NULL);
	hx_error_clear(&err);
	opterr = 0;
	while ((c = getopt_long(argc, argv, HX_CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (hx_cli_common(c, optarg, &common))
			continue;
		switch (c) {
		case OPT_FULL:
			full = 1;
			break;
		case OPT_RECOUNT:
			full = recount = 1;
			break;
		case OPT_CLOSE:
		case OPT_REOPEN:
			if (close_year || reopen_year)
				return hx_cli_usage_error("--close and --reopen take one year, once");
			if (hx_cli_parse_int(optarg, c == OPT_CLOSE ? "--close" : "--reopen", 2000, 2100,
			                     &year, &err) < 0)
				return hx_cli_usage_error("%s", err.msg);
			if (c == OPT_CLOSE)
				close_year = 1;
			else
				reopen_year = 1;
			break;
		default:
			return hx_cli_bad_option(argv, longopts);
		}
	}
	if (hx_cli_check_lang(&common) != 0)
		return HX_USAGE;
	if (hx_cli_help_or_version(&common, usage))
		return HX_OK;
	if (optind < argc)
		return hx_cli_usage_error("unexpected argument \"%s\"", argv[optind]);
	if (full && (close_year || reopen_year))
		return hx_cli_usage_error("--%s cannot be combined with --close or --reopen",
		                          recount ? "recount" : "full");
	hx_cli_apply_verbosity(&common);

	conn = hx_db_connect(common.conninfo, "hoctap-transform", &err);
	if (conn == NULL) {
		hx_log_hx_error(&err);
		return err.code;
	}
	opt.full = full;
	opt.recount = recount;
	opt.close_year = close_year ? (int)year : 0;
	opt.reopen_year = reopen_year ? (int)year : 0;
	opt.lock_wait_ms = HX_LOCK_ORPHAN_WAIT_MS;
	if (hx_db_require_schema(conn, &err) < 0 || tf_run(conn, &opt, &res, &err) < 0) {
		hx_log_hx_error(&err);
		rc = err.code;
	} else {
		report(&opt, &res);
		if (res.new_errors > 0) {
			report_new_errors(&res);
			rc = HX_DATAERR;
		}
	}
	tf_result_free(&res);
	PQfinish(conn);
	return rc;
}
