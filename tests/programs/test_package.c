/*
 * The Debian package: cpack -G DEB builds it from this build tree, and
 * unpacked (dpkg-deb -x) into a temporary directory it holds the programs
 * under usr/bin, the chain, its units naming the installed path, the
 * manual pages, the docs and the catalogue, declares its library
 * dependencies, and its programs run from where they were unpacked (in
 * Vietnamese too: they find the catalogue beside them).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lengthof.h"
#include "testsupport.h"

static char *sh(const char *cmd, int *status)
{
	const char *argv[] = {"/bin/sh", "-c", cmd, NULL};
	struct hx_test_output o;
	char *out;

	hx_test_run(argv, NULL, &o);
	*status = o.status;
	if (o.status != 0)
		fprintf(stderr, "%s\n%s", cmd, o.err);
	out = o.out;
	free(o.err);
	return out;
}

Test(package, the_deb_holds_the_installation_and_its_programs_run, .timeout = 300)
{
	static const char *const files[] = {
		"./usr/bin/hoctap-ingest", "./usr/bin/hoctap-transform", "./usr/bin/hoctap-report",
		"./usr/bin/hoctap-nightly", "./usr/share/man/man1/hoctap-ingest.1",
		"./usr/share/man/man1/hoctap-nightly.1",
		"./usr/share/locale/vi/LC_MESSAGES/hoctap.mo",
		"./usr/share/hoctap/schedules/hoctap-nightly.service",
		"./usr/share/hoctap/schedules/hoctap.cron",
		"./usr/share/hoctap/schedules/hoctap-nightly.timer",
		"./usr/share/hoctap/schedules/hoctap.env.example",
		"./usr/share/hoctap/sql/migrations/100_baseline.sql",
		"./usr/share/doc/hoctap/README.md", "./usr/share/doc/hoctap/formats.md"};
	static const char *const programs[] = {"hoctap-ingest", "hoctap-transform", "hoctap-report"};
	char *dir = hx_test_tempdir();
	char cmd[8192];
	char *out, *list, *info, *unit;
	int st;

	snprintf(cmd, sizeof cmd, "cpack -G DEB -B '%s' --config '%s/CPackConfig.cmake' >/dev/null",
	         dir, HOCTAP_BIN_DIR);
	free(sh(cmd, &st));
	cr_assert(eq(int, st, 0), "cpack failed");
	snprintf(cmd, sizeof cmd, "cd '%s' && ls hoctap_*.deb", dir);
	out = sh(cmd, &st);
	cr_assert(eq(int, st, 0), "no .deb in %s", dir);
	out[strcspn(out, "\n")] = '\0';

	snprintf(cmd, sizeof cmd, "dpkg-deb -c '%s/%s' | awk '{print $6}'", dir, out);
	list = sh(cmd, &st);
	cr_assert(eq(int, st, 0));
	for (size_t i = 0; i < lengthof(files); i++) {
		char line[512];

		snprintf(line, sizeof line, "%s\n", files[i]);
		cr_expect(strstr(list, line) != NULL, "the package lacks %s", files[i]);
	}
	cr_expect(strstr(list, "./usr/local/") == NULL, "files outside /usr:\n%s", list);

	snprintf(cmd, sizeof cmd, "dpkg-deb -f '%s/%s' Package Depends", dir, out);
	info = sh(cmd, &st);
	cr_assert(eq(int, st, 0));
	cr_expect(strstr(info, "Package: hoctap") != NULL, "%s", info);
	cr_expect(strstr(info, "libpq5") != NULL && strstr(info, "libjansson4") != NULL &&
	          strstr(info, "util-linux") != NULL, "Depends: %s", info);

	snprintf(cmd, sizeof cmd, "dpkg-deb -x '%s/%s' '%s/root'", dir, out, dir);
	free(sh(cmd, &st));
	cr_assert(eq(int, st, 0));
	snprintf(cmd, sizeof cmd, "%s/root/usr/share/hoctap/schedules/hoctap-nightly.service", dir);
	unit = hx_test_read_file(cmd, NULL);
	cr_assert(unit != NULL);
	cr_expect(strstr(unit, "ExecStart=/usr/bin/hoctap-nightly\n") != NULL, "%s", unit);
	free(unit);

	for (size_t i = 0; i < lengthof(programs); i++) {
		char want[128];

		snprintf(cmd, sizeof cmd, "'%s/root/usr/bin/%s' --version", dir, programs[i]);
		free(out);
		out = sh(cmd, &st);
		snprintf(want, sizeof want, "%s (hoctap) %s\n", programs[i], HOCTAP_VERSION);
		cr_expect(eq(int, st, 0));
		cr_expect(eq(str, out, want));
		/* The catalogue found beside the unpacked program, not in the build tree. */
		snprintf(cmd, sizeof cmd,
		         "LC_ALL=C HOCTAP_LOCALEDIR= '%s/root/usr/bin/%s' --lang vi --nope 2>&1; true",
		         dir, programs[i]);
		free(out);
		out = sh(cmd, &st);
		cr_expect(strstr(out, "để xem hướng dẫn") != NULL, "%s", out);
	}
	free(out);
	free(list);
	free(info);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	free(sh(cmd, &st));
	free(dir);
}
