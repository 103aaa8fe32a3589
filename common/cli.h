/*
 * cli.h — the command-line contract shared by the three programs
 * (docs/design.md §7, STYLE.md "Command line"):
 *
 *   --help      usage on stdout, exit 0
 *   --version   "hoctap-ingest (hoctap) 0.1.0" on stdout, exit 0
 *   -q / -v     quieter / more verbose (-vv for debug)
 *   -d CONNINFO connection string or URI
 *   --lang vi|en  the language of messages (else HOCTAP_LANG, else the locale)
 *   bad option  one line, then 'Try "PROG --help" for more information.', exit 64
 *
 * Each program uses getopt_long with HX_CLI_COMMON_LONGOPTS and
 * HX_CLI_COMMON_SHORTOPTS appended to its own, and passes every option to
 * hx_cli_common() first.
 */
#ifndef HOCTAP_CLI_H
#define HOCTAP_CLI_H

#include <getopt.h>
#include <stdint.h>

#include "error.h"

#define HX_CLI_OPT_HELP 0x1001
#define HX_CLI_OPT_VERSION 0x1002
#define HX_CLI_OPT_LANG 0x1003

#define HX_CLI_COMMON_SHORTOPTS "d:qv"
/* Short options that take an argument, in any program (for messages). */
#define HX_CLI_ALL_SHORTOPTS_WITH_ARG "do"
#define HX_CLI_COMMON_LONGOPTS                                  \
	{"dbname", required_argument, NULL, 'd'},                   \
	{"quiet", no_argument, NULL, 'q'},                          \
	{"verbose", no_argument, NULL, 'v'},                        \
	{"help", no_argument, NULL, HX_CLI_OPT_HELP},               \
	{"version", no_argument, NULL, HX_CLI_OPT_VERSION},          \
	{"lang", required_argument, NULL, HX_CLI_OPT_LANG}

struct hx_cli_common {
	const char *conninfo; /* from -d; NULL: libpq's PG* variables and service file */
	int verbosity;        /* 0 default, -1 quiet, 1 verbose, 2 debug */
	int want_help;
	int want_version;
	const char *bad_lang; /* --lang named a language hoctap has no messages for */
};

/*
 * Handle option c (as returned by getopt_long) if it is a common one.
 * Returns 1 if handled, 0 if the caller must handle it.  '?' (an unknown
 * option, already reported by getopt) is not handled here.
 */
int hx_cli_common(int c, const char *arg, struct hx_cli_common *common);

/*
 * Report the option getopt_long rejected (call with opterr = 0 when it
 * returns '?'): "PROG: unrecognized option '--x'" or "PROG: option '--x'
 * requires an argument", then the Try hint.  Returns HX_USAGE.
 */
int hx_cli_bad_option(char **argv, const struct option *longopts);

/*
 * After parsing: a --lang that named no language hoctap speaks is a usage
 * error (printed here; returns HX_USAGE), else 0.
 */
int hx_cli_check_lang(const struct hx_cli_common *common);

/* Apply verbosity to the logger (call after parsing). */
void hx_cli_apply_verbosity(const struct hx_cli_common *common);

/* Print "PROG (hoctap) VERSION" on stdout. */
void hx_cli_print_version(void);

/*
 * After parsing: print the program's help (usage) or its version when
 * asked.  Returns 1 if it printed either (the program then exits 0).
 */
int hx_cli_help_or_version(const struct hx_cli_common *common, void (*usage)(void));

/*
 * Print the standard "General options" and "Connection options" help blocks
 * on stdout, then "Exit status: " and the program's own list of codes.
 */
void hx_cli_print_common_help(const char *exit_status);

/*
 * Report a usage error: "PROG: MESSAGE" (if fmt is not NULL) and the Try hint,
 * on stderr.  Returns HX_USAGE for "return hx_cli_usage_error(...)".
 */
int hx_cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Parse a whole decimal integer in [min, max] strictly (no sign games, no
 * trailing text).  Returns 0, or -1 with a message in err naming option.
 */
int hx_cli_parse_int(const char *s, const char *option, int64_t min, int64_t max,
                     int64_t *out, struct hx_error *err);

#endif
