/*
 * hoctap-ingest — submission files into PostgreSQL staging (DESIGN.md §4, §7).
 * This file is the command line only: it parses options, connects, and hands
 * the work to the ingest modules; it alone picks the exit code.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "log.h"
#include "migrate.h"

enum {
	OPT_INBOX = 0x2001,
	OPT_ARCHIVE,
	OPT_REJECTED,
	OPT_STRICT,
	OPT_MAX_REJECTS,
	OPT_DRY_RUN,
	OPT_SUMMARY,
	OPT_MIGRATE,
	OPT_UNITS,
	OPT_TARGETS
};

static void usage(void)
{
	printf("%s loads lifelong-learning submission files into PostgreSQL.\n\n",
	       hx_log_progname());
	printf("Usage:\n"
	       "  %s [OPTION]... [FILE]...\n"
	       "  %s [OPTION]... --inbox DIR --archive DIR --rejected DIR\n"
	       "  %s [OPTION]... --migrate | --units FILE | --targets FILE\n",
	       hx_log_progname(), hx_log_progname(), hx_log_progname());
	printf("\nOptions:\n"
	       "      --inbox=DIR           ingest every file of DIR, in name order\n"
	       "      --archive=DIR         move loaded files here after commit\n"
	       "      --rejected=DIR        move unreadable files here, with .error.txt\n"
	       "      --strict              load a file all or nothing\n"
	       "      --max-rejects=N|P%%    reject a whole file past N (or P%%) bad rows\n"
	       "      --dry-run             check everything, write nothing\n"
	       "      --summary=FILE        write a JSON import summary to FILE\n"
	       "      --migrate             apply pending database migrations\n"
	       "      --units=FILE          replace the administrative units\n"
	       "      --targets=FILE        replace the plan targets\n");
	hx_cli_print_common_help();
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
		{"migrate", no_argument, NULL, OPT_MIGRATE},
		{"units", required_argument, NULL, OPT_UNITS},
		{"targets", required_argument, NULL, OPT_TARGETS},
		HX_CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0}};
	struct hx_cli_common common = {0};
	struct hx_error err;
	PGconn *conn = NULL;
	int c, migrate = 0, applied = 0, rc = HX_OK;

	hx_log_init(argv[0]);
	hx_error_clear(&err);
	opterr = 0;
	while ((c = getopt_long(argc, argv, HX_CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (hx_cli_common(c, optarg, &common))
			continue;
		switch (c) {
		case OPT_MIGRATE:
			migrate = 1;
			break;
		default:
			return hx_cli_bad_option(argv, longopts);
		}
	}
	if (common.want_help) {
		usage();
		return HX_OK;
	}
	if (common.want_version) {
		hx_cli_print_version();
		return HX_OK;
	}
	hx_cli_apply_verbosity(&common);
	if (!migrate)
		return hx_cli_usage_error("nothing to do: name files, --inbox, or --migrate");

	conn = hx_db_connect(common.conninfo, "hoctap-ingest", &err);
	if (conn == NULL) {
		hx_log_hx_error(&err);
		return err.code;
	}
	if (hx_migrate_apply(conn, &applied, &err) < 0) {
		hx_log_hx_error(&err);
		rc = err.code;
	} else if (applied > 0) {
		hx_log_info("applied %d migration(s); schema is at version %d", applied,
		            hx_migrate_latest());
	} else {
		hx_log_info("schema is up to date (version %d)", hx_migrate_latest());
	}
	PQfinish(conn);
	return rc;
}
