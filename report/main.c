/*
 * hoctap-report — marts into out/ (DESIGN.md §6, §7).
 * Command line only: options, connection, exit code.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "log.h"

enum { OPT_FORMAT = 0x2001, OPT_COMPARE, OPT_EXCEL, OPT_EXPLAIN };

static void usage(void)
{
	printf("%s writes the committee's figures as CSV and JSON.\n\n", hx_log_progname());
	printf("Usage:\n"
	       "  %s [OPTION]...\n"
	       "  %s [OPTION]... --explain SCOPE_CODE YEAR TITLE\n",
	       hx_log_progname(), hx_log_progname());
	printf("\nOptions:\n"
	       "  -o, --output=DIR          write the files into DIR (default: out)\n"
	       "      --format=LIST         csv, json or csv,json (default)\n"
	       "      --compare=A:B         years compared (default 2016:2020)\n"
	       "      --excel               start CSV files with a BOM for Excel\n"
	       "      --explain             print how one figure was made\n");
	hx_cli_print_common_help();
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"format", required_argument, NULL, OPT_FORMAT},
		{"compare", required_argument, NULL, OPT_COMPARE},
		{"excel", no_argument, NULL, OPT_EXCEL},
		{"explain", no_argument, NULL, OPT_EXPLAIN},
		HX_CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0}};
	struct hx_cli_common common = {0};
	struct hx_error err;
	PGconn *conn;
	const char *outdir = "out";
	int c, rc = HX_OK;

	hx_log_init(argv[0]);
	hx_error_clear(&err);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:" HX_CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (hx_cli_common(c, optarg, &common))
			continue;
		switch (c) {
		case 'o':
			outdir = optarg;
			break;
		case OPT_FORMAT:
		case OPT_COMPARE:
		case OPT_EXCEL:
		case OPT_EXPLAIN:
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
	conn = hx_db_connect(common.conninfo, "hoctap-report", &err);
	if (conn == NULL) {
		hx_log_hx_error(&err);
		return err.code;
	}
	if (hx_db_require_schema(conn, &err) < 0) {
		hx_log_hx_error(&err);
		rc = err.code;
	}
	(void)outdir;
	PQfinish(conn);
	return rc;
}
