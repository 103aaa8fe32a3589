/*
 * Messages in the reader's language: the language chosen by --lang,
 * HOCTAP_LANG or the locale, the catalogue found in the build tree, and
 * po/vi.po translating every message the sources mark (a message without
 * its Vietnamese fails here, not in front of a clerk).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "lengthof.h"
#include "testsupport.h"

static const char try_en[] = "Try \"%s --help\" for more information.\n";

Test(i18n, lang_option_picks_vietnamese_or_english)
{
	cr_assert(eq(int, hx_i18n_init("vi"), 0));
	cr_assert_str_eq(hx_i18n_lang_code(), "vi");
	cr_assert_str_eq(_(try_en), "Chạy \"%s --help\" để xem hướng dẫn.\n");
	cr_assert(eq(int, hx_i18n_init("en"), 0));
	cr_assert_str_eq(_(try_en), try_en);
	cr_assert(eq(int, hx_i18n_init("vi_VN.UTF-8"), 0));
	cr_assert(eq(int, hx_i18n_lang(), HX_LANG_VI));
}

Test(i18n, unknown_language_is_refused_and_english_stays)
{
	cr_assert(eq(int, hx_i18n_init("fr"), -1));
	cr_assert(eq(int, hx_i18n_lang(), HX_LANG_EN));
	cr_assert_str_eq(_(try_en), try_en);
}

Test(i18n, environment_order_lang_variable_then_locale)
{
	setenv("LANG", "vi_VN.UTF-8", 1);
	unsetenv("LC_ALL");
	unsetenv("LC_MESSAGES");
	unsetenv("HOCTAP_LANG");
	unsetenv("LANGUAGE");
	cr_assert(eq(int, hx_i18n_init(NULL), 0));
	cr_assert(eq(int, hx_i18n_lang(), HX_LANG_VI), "LANG=vi_VN.UTF-8 without the locale generated");
	setenv("HOCTAP_LANG", "en", 1);
	cr_assert(eq(int, hx_i18n_init(NULL), 0));
	cr_assert(eq(int, hx_i18n_lang(), HX_LANG_EN), "HOCTAP_LANG overrides the locale");
	unsetenv("HOCTAP_LANG");
	setenv("LC_ALL", "C", 1);
	cr_assert(eq(int, hx_i18n_init(NULL), 0));
	cr_assert(eq(int, hx_i18n_lang(), HX_LANG_EN), "LC_ALL comes before LANG");
}

Test(i18n, programs_answer_in_the_language_asked)
{
	static const char *const programs[] = {"hoctap-ingest", "hoctap-transform", "hoctap-report"};

	for (size_t i = 0; i < lengthof(programs); i++) {
		char path[4096];
		const char *argv[] = {path, "--lang", "vi", "--no-such-option", NULL};
		const char *env[] = {"LC_ALL=C", "LANGUAGE=", "HOCTAP_LANG=", NULL};
		struct hx_test_output o;
		char want[256];

		snprintf(path, sizeof path, "%s", hx_test_bin(programs[i]));
		hx_test_run(argv, env, &o);
		cr_assert(eq(int, o.status, 64));
		snprintf(want, sizeof want, "Chạy \"%s --help\" để xem hướng dẫn.", programs[i]);
		cr_assert(strstr(o.err, want) != NULL, "%s in the C locale: %s", programs[i], o.err);
		hx_test_output_free(&o);

		argv[2] = "xx";
		argv[3] = NULL;
		hx_test_run(argv, env, &o);
		cr_assert(eq(int, o.status, 64));
		cr_assert(strstr(o.err, "\"xx\" for option --lang") != NULL, "%s", o.err);
		hx_test_output_free(&o);
	}
}

/* xgettext over the sources, then msgcmp: each message needs a translation. */
Test(i18n, every_message_of_the_sources_has_a_vietnamese_translation)
{
	char *dir = hx_test_tempdir();
	char cmd[8192];
	int rc;

	snprintf(cmd, sizeof cmd,
	         "cd '%s' && xgettext --language=C --from-code=UTF-8 --keyword=_ --keyword=N_ "
	         "--keyword=P_:1,2 --output='%s/hoctap.pot' common/*.[ch] ingest/*.[ch] "
	         "transform/*.[ch] report/*.[ch] && msgcmp po/vi.po '%s/hoctap.pot' 2>'%s/msgcmp.txt'",
	         HOCTAP_SOURCE_DIR, dir, dir, dir);
	rc = system(cmd);
	if (rc != 0) {
		char path[4096];
		char *why;

		snprintf(path, sizeof path, "%s/msgcmp.txt", dir);
		why = hx_test_read_file(path, NULL);
		cr_assert(rc == 0, "po/vi.po lacks translations:\n%s", why ? why : "(no output)");
	}
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert(eq(int, system(cmd), 0));
	free(dir);
}
