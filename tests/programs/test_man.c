/*
 * The manual pages (docs/man/, mdoc, configured into build/man/): each
 * renders with man -l without a warning, carries the version, and names
 * every long option its program's --help lists, so a page cannot fall
 * behind its program unnoticed.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lengthof.h"
#include "testsupport.h"

static const char *const env[] = {"LC_ALL=C.UTF-8", "MANWIDTH=80", "MANPAGER=cat", "PAGER=cat",
                                  "MAN_KEEP_FORMATTING=", NULL};

static void render(const char *page, struct hx_test_output *o)
{
	char path[4096];
	const char *argv[] = {"/usr/bin/man", "-l", path, NULL};

	snprintf(path, sizeof path, "%s/man/%s.1", HOCTAP_BIN_DIR, page);
	hx_test_run(argv, env, o);
}

/* Every "--name" of text, each once, into names (a NUL-separated list). */
static size_t long_options(const char *text, char names[][48], size_t cap)
{
	size_t n = 0;

	for (const char *p = strstr(text, "--"); p != NULL; p = strstr(p + 2, "--")) {
		size_t len = 2;
		size_t i;

		if (p > text && p[-1] != ' ' && p[-1] != ',')
			continue;
		while (p[len] == '-' || (p[len] >= 'a' && p[len] <= 'z'))
			len++;
		if (len <= 2 || len >= 48)
			continue;
		for (i = 0; i < n; i++)
			if (strncmp(names[i], p, len) == 0 && names[i][len] == '\0')
				break;
		if (i == n && n < cap) {
			memcpy(names[n], p, len);
			names[n++][len] = '\0';
		}
	}
	return n;
}

Test(man, each_program_page_renders_and_names_every_option_of_its_help)
{
	static const char *const programs[] = {"hoctap-ingest", "hoctap-transform", "hoctap-report"};

	for (size_t i = 0; i < lengthof(programs); i++) {
		char path[4096], names[64][48];
		const char *argv[] = {path, "--help", NULL};
		struct hx_test_output help, page;
		size_t n;

		snprintf(path, sizeof path, "%s", hx_test_bin(programs[i]));
		hx_test_run(argv, NULL, &help);
		cr_assert(eq(int, help.status, 0));
		render(programs[i], &page);
		cr_assert(eq(int, page.status, 0), "man -l %s: %s", programs[i], page.err);
		cr_assert(eq(str, page.err, ""), "man -l %s warns: %s", programs[i], page.err);
		cr_assert(strstr(page.out, "NAME") != NULL && strstr(page.out, "EXIT STATUS") != NULL);
		cr_assert(strstr(page.out, "hoctap " HOCTAP_VERSION) != NULL,
		          "%s: the version is not filled in", programs[i]);
		n = long_options(help.out, names, 64);
		cr_assert(n >= 8, "%s --help lists %zu long options", programs[i], n);
		for (size_t k = 0; k < n; k++)
			cr_expect(strstr(page.out, names[k]) != NULL,
			          "the manual page of %s does not name %s", programs[i], names[k]);
		hx_test_output_free(&help);
		hx_test_output_free(&page);
	}
}

Test(man, the_chain_page_names_every_setting)
{
	static const char *const settings[] = {"HOCTAP_ENV", "HOCTAP_DB", "HOCTAP_INBOX",
	                                       "HOCTAP_ARCHIVE", "HOCTAP_REJECTED", "HOCTAP_OUT",
	                                       "HOCTAP_LOG", "HOCTAP_LOCK", "HOCTAP_SUMMARY",
	                                       "HOCTAP_BINDIR", "HOCTAP_FORMATS", "HOCTAP_LANG"};
	struct hx_test_output page;

	render("hoctap-nightly", &page);
	cr_assert(eq(int, page.status, 0), "%s", page.err);
	cr_assert(eq(str, page.err, ""), "man -l warns: %s", page.err);
	for (size_t k = 0; k < lengthof(settings); k++)
		cr_expect(strstr(page.out, settings[k]) != NULL, "hoctap-nightly(1) lacks %s",
		          settings[k]);
	hx_test_output_free(&page);
}
