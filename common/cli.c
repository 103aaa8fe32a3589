/* cli.c — the command-line contract shared by the three programs (see cli.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exitcode.h"
#include "i18n.h"
#include "log.h"

#ifndef HOCTAP_VERSION
#error "HOCTAP_VERSION must be defined by the build"
#endif

int hx_cli_common(int c, const char *arg, struct hx_cli_common *common)
{
	switch (c) {
	case 'd':
		common->conninfo = arg;
		return 1;
	case 'q':
		common->verbosity = -1;
		return 1;
	case 'v':
		if (common->verbosity < 0)
			common->verbosity = 0;
		common->verbosity++;
		return 1;
	case HX_CLI_OPT_HELP:
		common->want_help = 1;
		return 1;
	case HX_CLI_OPT_VERSION:
		common->want_version = 1;
		return 1;
	case HX_CLI_OPT_LANG:
		common->bad_lang = hx_i18n_init(arg) < 0 ? arg : NULL;
		return 1;
	default:
		return 0;
	}
}

int hx_cli_bad_option(char **argv, const struct option *longopts)
{
	const char *arg = argv[optind - 1];
	const struct option *o;
	size_t n;

	if (optopt != 0 && optopt < 0x100 && arg[0] == '-' && arg[1] != '-') {
		/* A short option: unknown, or its argument is missing. */
		if (strchr(HX_CLI_ALL_SHORTOPTS_WITH_ARG, optopt) != NULL && arg[2] == '\0')
			return hx_cli_usage_error("option requires an argument -- '%c'", optopt);
		return hx_cli_usage_error("invalid option -- '%c'", optopt);
	}
	if (arg[0] == '-' && arg[1] == '-') {
		n = strcspn(arg + 2, "=");
		for (o = longopts; o->name != NULL; o++)
			if (strlen(o->name) == n && strncmp(o->name, arg + 2, n) == 0) {
				if (o->has_arg == required_argument && arg[2 + n] == '\0')
					return hx_cli_usage_error("option '--%s' requires an argument",
					                          o->name);
				if (o->has_arg == no_argument && arg[2 + n] == '=')
					return hx_cli_usage_error("option '--%s' doesn't allow an argument",
					                          o->name);
			}
	}
	return hx_cli_usage_error("unrecognized option '%s'", arg);
}

int hx_cli_check_lang(const struct hx_cli_common *common)
{
	if (common->bad_lang == NULL)
		return 0;
	return hx_cli_usage_error(_("invalid value \"%s\" for option --lang (vi or en)"),
	                          common->bad_lang);
}

void hx_cli_apply_verbosity(const struct hx_cli_common *common)
{
	if (common->verbosity < 0)
		hx_log_set_level(HX_LOG_ERROR);
	else if (common->verbosity == 1)
		hx_log_set_level(HX_LOG_INFO);
	else if (common->verbosity >= 2)
		hx_log_set_level(HX_LOG_DEBUG);
	else
		hx_log_set_level(HX_LOG_WARNING);
}

void hx_cli_print_version(void)
{
	printf("%s (hoctap) %s\n", hx_log_progname(), HOCTAP_VERSION);
}

int hx_cli_help_or_version(const struct hx_cli_common *common, void (*usage)(void))
{
	if (common->want_help) {
		usage();
		return 1;
	}
	if (common->want_version) {
		hx_cli_print_version();
		return 1;
	}
	return 0;
}

void hx_cli_print_common_help(const char *exit_status)
{
	printf("\nGeneral options:\n"
	       "  -q, --quiet               print errors only\n"
	       "  -v, --verbose             print progress notes (-vv: debug)\n"
	       "      --help                show this help, then exit\n"
	       "      --version             show the version, then exit\n"
	       "      --lang=vi|en          language of messages (default: HOCTAP_LANG,\n"
	       "                            then the locale)\n"
	       "\nConnection options:\n"
	       "  -d, --dbname=CONNINFO     database name, connection string or URI;\n"
	       "                            without it the PG* environment and service\n"
	       "                            file are used\n"
	       "\nExit status: %s\n",
	       exit_status);
}

int hx_cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	if (fmt != NULL) {
		fprintf(stderr, "%s: ", hx_log_progname());
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	fprintf(stderr, _("Try \"%s --help\" for more information.\n"), hx_log_progname());
	return HX_USAGE;
}

int hx_cli_parse_int(const char *s, const char *option, int64_t min, int64_t max,
                     int64_t *out, struct hx_error *err)
{
	char *end = NULL;
	long long v;

	if (s == NULL || *s == '\0' || *s == ' ')
		return hx_error_set(err, HX_USAGE, "invalid value \"%s\" for option %s", s ? s : "",
		                    option);
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return hx_error_set(err, HX_USAGE, "invalid value \"%s\" for option %s", s, option);
	if (v < min || v > max)
		return hx_error_set(err, HX_USAGE, "%s must be in range %lld..%lld", option,
		                    (long long)min, (long long)max);
	*out = (int64_t)v;
	return 0;
}
