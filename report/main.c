/*
 * hoctap-report — marts into out/ (docs/design.md §6, §7).
 * Command line only: options, connection, exit code.  The work is in
 * outputs.c (the files) and explain.c (--explain); see report.h.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "doc.h"
#include "i18n.h"
#include "log.h"
#include "report.h"

enum { OPT_FORMAT = 0x2001, OPT_COMPARE, OPT_EXCEL, OPT_EXPLAIN, OPT_FACTS };

#define YEAR_MIN 2000
#define YEAR_MAX 2100

static void usage(void)
{
	printf("%s writes the committee's figures: CSV, JSON, a workbook, a page.\n\n",
	       hx_log_progname());
	printf("Usage:\n"
	       "  %s [OPTION]...\n"
	       "  %s [OPTION]... --explain SCOPE_CODE YEAR TITLE\n"
	       "  %s [OPTION]... --facts SCOPE_CODE YEAR|A:B\n",
	       hx_log_progname(), hx_log_progname(), hx_log_progname());
	printf("\nOptions:\n"
	       "  -o, --output=DIR          write the files into DIR (default: out)\n"
	       "      --format=LIST         any of csv, json, xlsx (hoctap.xlsx), html\n"
	       "                            (index.html), comma-separated\n"
	       "                            (default: csv,json)\n"
	       "      --compare=A:B         years compared (default 2016:2020)\n"
	       "      --excel               CSV for a Vietnamese Excel: a BOM, \";\"\n"
	       "                            between fields, \",\" as the decimal mark\n"
	       "      --explain             print how one figure was made: the units\n"
	       "                            summed, the file:line of each value, and\n"
	       "                            what was left out by which finding;\n"
	       "                            TITLE \"fund\" explains the education fund;\n"
	       "                            with --compare A:B and YEAR the earlier,\n"
	       "                            also the units re-added onto the later\n"
	       "                            year's units\n"
	       "      --facts               print quotable sentences about a scope in a\n"
	       "                            year or a period, each with its source\n"
	       "The workbook, the page and --facts are in Vietnamese unless --lang en\n"
	       "(or HOCTAP_LANG=en) asks for English.\n");
	hx_cli_print_common_help("0 ok, 64 usage (an unknown title for --explain too), 65 no\n"
	                         "figures of a --compare year, for the page or for --facts, 66 no\n"
	                         "such figure (--explain), 69 database unavailable, or\n"
	                         "the marts do not hold every file ingested (no transform took\n"
	                         "them in), 70 internal error, 73 an output not writable, 75 a\n"
	                         "transform is running (nothing written).");
}

/* --format=csv,json,xlsx,html: a comma-separated set. */
static int parse_format(const char *arg, int *formats)
{
	const char *p = arg;

	*formats = 0;
	for (;;) {
		size_t n = strcspn(p, ",");
		int bit;

		if (n == 3 && strncmp(p, "csv", 3) == 0)
			bit = REPORT_CSV;
		else if (n == 4 && strncmp(p, "json", 4) == 0)
			bit = REPORT_JSON;
		else if (n == 4 && strncmp(p, "xlsx", 4) == 0)
			bit = REPORT_XLSX;
		else if (n == 4 && strncmp(p, "html", 4) == 0)
			bit = REPORT_HTML;
		else
			return hx_cli_usage_error("invalid --format \"%s\": give csv, json, xlsx or html, "
			                          "separated by commas", arg);
		if (*formats & bit)
			return hx_cli_usage_error("invalid --format \"%s\": %.*s is named twice", arg,
			                          (int)n, p);
		*formats |= bit;
		if (p[n] == '\0')
			return 0;
		p += n + 1;
	}
}

/* --compare=A:B, two different years. */
static int parse_compare(const char *arg, int *a, int *b)
{
	const char *colon = strchr(arg, ':');
	struct hx_error err;
	int64_t ya, yb;
	char left[32];

	if (colon == NULL || (size_t)(colon - arg) >= sizeof left)
		return hx_cli_usage_error("invalid --compare \"%s\": give two years as A:B, "
		                          "e.g. 2016:2020", arg);
	memcpy(left, arg, (size_t)(colon - arg));
	left[colon - arg] = '\0';
	if (hx_cli_parse_int(left, "--compare", YEAR_MIN, YEAR_MAX, &ya, &err) < 0 ||
	    hx_cli_parse_int(colon + 1, "--compare", YEAR_MIN, YEAR_MAX, &yb, &err) < 0)
		return hx_cli_usage_error("invalid --compare \"%s\": years A:B between %d and %d", arg,
		                          YEAR_MIN, YEAR_MAX);
	if (ya == yb)
		return hx_cli_usage_error("invalid --compare \"%s\": the two years are the same", arg);
	*a = (int)ya;
	*b = (int)yb;
	return 0;
}

/* --facts' YEAR or A:B (A before B); a single year gives *a == *b. */
static int parse_period(const char *arg, int *a, int *b)
{
	struct hx_error err;
	int64_t y;

	if (strchr(arg, ':') == NULL) {
		if (hx_cli_parse_int(arg, "YEAR", YEAR_MIN, YEAR_MAX, &y, &err) < 0)
			return hx_cli_usage_error("%s", err.msg);
		*a = *b = (int)y;
		return 0;
	}
	if (parse_compare(arg, a, b) != 0)
		return -1;
	if (*a > *b)
		return hx_cli_usage_error("invalid period \"%s\": give the earlier year first", arg);
	return 0;
}

/*
 * The documents' language: Vietnamese unless English was asked for by
 * name (--lang en, or HOCTAP_LANG=en).  The locale alone does not make
 * them English: cron runs in "C", and the committee reads Vietnamese.
 */
static int documents_in_vietnamese(const char *lang_option)
{
	const char *lang = lang_option != NULL ? lang_option : getenv("HOCTAP_LANG");

	if (lang == NULL || *lang == '\0')
		return 1;
	return !(strncmp(lang, "en", 2) == 0 || strcmp(lang, "C") == 0 || strcmp(lang, "POSIX") == 0);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"format", required_argument, NULL, OPT_FORMAT},
		{"compare", required_argument, NULL, OPT_COMPARE},
		{"excel", no_argument, NULL, OPT_EXCEL},
		{"explain", no_argument, NULL, OPT_EXPLAIN},
		{"facts", no_argument, NULL, OPT_FACTS},
		HX_CLI_COMMON_LONGOPTS,
		{NULL, 0, NULL, 0}};
	struct report_opts opts = {"out", REPORT_CSV | REPORT_JSON, 2016, 2020, 0, 0, NULL};
	struct hx_cli_common common = {0};
	struct hx_error err;
	PGconn *conn;
	const char *lang_option = NULL;
	int64_t year = 0;
	int c, explain = 0, facts = 0, fa = 0, fb = 0, later = 0, rc = HX_OK;

	hx_log_init(argv[0]);
	hx_i18n_init(NULL);
	hx_error_clear(&err);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:" HX_CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (c == HX_CLI_OPT_LANG)
			lang_option = optarg;
		if (hx_cli_common(c, optarg, &common))
			continue;
		switch (c) {
		case 'o':
			opts.outdir = optarg;
			break;
		case OPT_FORMAT:
			if (parse_format(optarg, &opts.formats) != 0)
				return HX_USAGE;
			break;
		case OPT_COMPARE:
			if (parse_compare(optarg, &opts.year_a, &opts.year_b) != 0)
				return HX_USAGE;
			opts.compare_given = 1;
			break;
		case OPT_EXCEL:
			opts.excel = 1;
			break;
		case OPT_EXPLAIN:
			explain = 1;
			break;
		case OPT_FACTS:
			facts = 1;
			break;
		default:
			return hx_cli_bad_option(argv, longopts);
		}
	}
	if (hx_cli_check_lang(&common) != 0)
		return HX_USAGE;
	if (hx_cli_help_or_version(&common, usage))
		return HX_OK;
	if (explain && facts)
		return hx_cli_usage_error("--explain and --facts cannot be given together");
	if (facts) {
		if (argc - optind != 2)
			return hx_cli_usage_error("--facts needs SCOPE_CODE YEAR or SCOPE_CODE A:B");
		if (parse_period(argv[optind + 1], &fa, &fb) != 0)
			return HX_USAGE;
	} else if (explain) {
		if (argc - optind != 3)
			return hx_cli_usage_error("--explain needs SCOPE_CODE YEAR TITLE");
		if (hx_cli_parse_int(argv[optind + 1], "YEAR", YEAR_MIN, YEAR_MAX, &year, &err) < 0)
			return hx_cli_usage_error("%s", err.msg);
	} else if (optind < argc) {
		return hx_cli_usage_error("unexpected argument \"%s\"", argv[optind]);
	}
	if (opts.outdir[0] == '\0')
		return hx_cli_usage_error("the output directory name is empty");
	hx_cli_apply_verbosity(&common);
	report_doc_init(documents_in_vietnamese(lang_option));
	opts.conninfo = common.conninfo;
	conn = hx_db_connect(common.conninfo, "hoctap-report", &err);
	if (conn == NULL) {
		hx_log_hx_error(&err);
		return err.code;
	}
	if (hx_db_require_schema(conn, &err) < 0)
		goto fail;
	if (facts) {
		if (report_facts(conn, stdout, argv[optind], fa, fb, &err) < 0)
			goto fail;
		if (fflush(stdout) != 0) {
			hx_error_set(&err, HX_SOFTWARE, "cannot write to standard output");
			goto fail;
		}
	} else if (explain) {
		/* --compare A:B and YEAR the earlier: the figure on the later year's units too. */
		if (opts.compare_given &&
		    year == (opts.year_a < opts.year_b ? opts.year_a : opts.year_b))
			later = opts.year_a < opts.year_b ? opts.year_b : opts.year_a;
		if (report_explain(conn, stdout, argv[optind], (int)year, later, argv[optind + 2],
		                   &err) < 0)
			goto fail;
		if (fflush(stdout) != 0) {
			hx_error_set(&err, HX_SOFTWARE, "cannot write to standard output");
			goto fail;
		}
	} else if (report_write_all(conn, &opts, &err) < 0) {
		goto fail;
	}
	PQfinish(conn);
	return rc;

fail:
	hx_log_hx_error(&err);
	rc = err.code != HX_OK ? err.code : HX_SOFTWARE;
	PQfinish(conn);
	return rc;
}
