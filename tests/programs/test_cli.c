/*
 * The command-line contract of all three programs (docs/design.md §7, STYLE.md):
 * --help on stdout with exit 0 and under 80 columns, --version, a bad option
 * giving one line, the Try hint and exit 64.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <string.h>

#include "lengthof.h"
#include "testsupport.h"

static const char *const programs[] = {"hoctap-ingest", "hoctap-transform", "hoctap-report"};

static void run1(const char *program, const char *arg, struct hx_test_output *o)
{
	char path[4096];
	const char *argv[3];

	snprintf(path, sizeof path, "%s", hx_test_bin(program));
	argv[0] = path;
	argv[1] = arg;
	argv[2] = NULL;
	hx_test_run(argv, NULL, o);
}

Test(cli, help_on_stdout_exit_0_under_80_columns)
{
	for (size_t i = 0; i < lengthof(programs); i++) {
		struct hx_test_output o;
		const char *line;

		run1(programs[i], "--help", &o);
		cr_assert(eq(int, o.status, 0), "%s --help", programs[i]);
		cr_assert(eq(str, o.err, ""));
		cr_assert(strstr(o.out, "Usage:") != NULL, "%s", o.out);
		cr_assert(strstr(o.out, "Connection options:") != NULL);
		cr_assert(strstr(o.out, "--version") != NULL);
		for (line = o.out; *line;) {
			const char *nl = strchr(line, '\n');
			size_t len = nl ? (size_t)(nl - line) : strlen(line);

			cr_assert(len < 80, "%s --help line too long: %.*s", programs[i], (int)len, line);
			line += len + (nl ? 1 : 0);
		}
		hx_test_output_free(&o);
	}
}

Test(cli, version)
{
	for (size_t i = 0; i < lengthof(programs); i++) {
		struct hx_test_output o;
		char want[128];

		run1(programs[i], "--version", &o);
		snprintf(want, sizeof want, "%s (hoctap) ", programs[i]);
		cr_assert(eq(int, o.status, 0));
		cr_assert(strncmp(o.out, want, strlen(want)) == 0, "got %s", o.out);
		hx_test_output_free(&o);
	}
}

Test(cli, bad_option_exits_64_with_try_hint)
{
	for (size_t i = 0; i < lengthof(programs); i++) {
		struct hx_test_output o;
		char want[160];

		run1(programs[i], "--no-such-option", &o);
		cr_assert(eq(int, o.status, 64), "%s", programs[i]);
		cr_assert(eq(str, o.out, ""));
		snprintf(want, sizeof want, "%s: unrecognized option '--no-such-option'\n"
		         "Try \"%s --help\" for more information.\n", programs[i], programs[i]);
		cr_assert(eq(str, o.err, want));
		hx_test_output_free(&o);
	}
}

Test(cli, transform_refuses_conflicting_options)
{
	const char *argv[] = {hx_test_bin("hoctap-transform"), "--full", "--close=2020", NULL};
	struct hx_test_output o;

	hx_test_run(argv, NULL, &o);
	cr_assert(eq(int, o.status, 64));
	cr_assert(strstr(o.err, "cannot be combined") != NULL, "%s", o.err);
	cr_assert(strstr(o.err, "Try \"hoctap-transform --help\"") != NULL);
	hx_test_output_free(&o);
}

Test(cli, transform_year_is_checked)
{
	const char *argv[] = {hx_test_bin("hoctap-transform"), "--close=20x0", NULL};
	struct hx_test_output o;

	hx_test_run(argv, NULL, &o);
	cr_assert(eq(int, o.status, 64));
	cr_assert(strstr(o.err, "invalid value \"20x0\" for option --close") != NULL, "%s", o.err);
	hx_test_output_free(&o);
}
