/* i18n.c — the message language and its catalogue (see i18n.h). */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "lengthof.h"

#ifndef HOCTAP_LOCALEDIR
#error "HOCTAP_LOCALEDIR (the installed catalogue's directory) must be defined by the build"
#endif

static enum hx_lang current = HX_LANG_EN;
static const char *localedir = "";

/* "vi", "vi_VN", "vi_VN.UTF-8", "vi_VN.utf8@x" are Vietnamese. */
static int names_vi(const char *s)
{
	return s != NULL && strncmp(s, "vi", 2) == 0 &&
	       (s[2] == '\0' || s[2] == '_' || s[2] == '.' || s[2] == '@');
}

static int names_en(const char *s)
{
	return s != NULL && (strcmp(s, "C") == 0 || strcmp(s, "POSIX") == 0 ||
	                     strncmp(s, "C.", 2) == 0 ||
	                     (strncmp(s, "en", 2) == 0 &&
	                      (s[2] == '\0' || s[2] == '_' || s[2] == '.' || s[2] == '@')));
}

/* The locale's language as POSIX orders the variables (LANGUAGE is gettext's own list). */
static enum hx_lang from_environment(void)
{
	static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	const char *v, *lang;
	size_t i;

	for (i = 0; i < lengthof(vars); i++) {
		v = getenv(vars[i]);
		if (v != NULL && *v != '\0') {
			if (!names_vi(v))
				return HX_LANG_EN;
			lang = getenv("LANGUAGE");
			/* LANGUAGE=en:vi under a Vietnamese locale asks for English first. */
			if (lang != NULL && *lang != '\0' && !names_vi(lang))
				return HX_LANG_EN;
			return HX_LANG_VI;
		}
	}
	return HX_LANG_EN;
}

static int has_catalogue(const char *dir)
{
	char path[4096];
	size_t n = strlen(dir);

	if (n == 0 || n + 40 > sizeof path)
		return 0;
	memcpy(path, dir, n);
	memcpy(path + n, "/vi/LC_MESSAGES/" HX_TEXTDOMAIN ".mo", sizeof "/vi/LC_MESSAGES/" HX_TEXTDOMAIN ".mo");
	return access(path, R_OK) == 0;
}

/*
 * PREFIX/share/locale for a program installed as PREFIX/bin/NAME, so that
 * an installation moved elsewhere (a package's files under /usr, a tree
 * unpacked for a test) finds its own catalogue.  The build tree is laid
 * out the same way (build/ingest/hoctap-ingest, build/share/locale).  ""
 * when unknown.
 */
static const char *beside_program(void)
{
	static char dir[4096];
	char exe[4000];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *slash;

	if (n <= 0)
		return "";
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (slash == NULL)
		return "";
	*slash = '\0';
	snprintf(dir, sizeof dir, "%s/../share/locale", exe);
	return dir;
}

/*
 * HOCTAP_LOCALEDIR, else the catalogue beside the program, else where the
 * build installs it.
 */
static const char *find_localedir(void)
{
	const char *env = getenv("HOCTAP_LOCALEDIR");
	const char *near = beside_program();

	if (env != NULL && *env != '\0')
		return env;
	if (has_catalogue(near))
		return near;
	return HOCTAP_LOCALEDIR;
}

int hx_i18n_init(const char *lang)
{
	int rc = 0;

	if (lang == NULL || *lang == '\0')
		lang = getenv("HOCTAP_LANG");
	if (lang != NULL && *lang == '\0')
		lang = NULL;
	if (lang == NULL)
		current = from_environment();
	else if (names_vi(lang))
		current = HX_LANG_VI;
	else if (names_en(lang))
		current = HX_LANG_EN;
	else {
		current = HX_LANG_EN;
		rc = -1;
	}
	localedir = find_localedir();
	/*
	 * Only the categories messages need: LC_NUMERIC stays "C", so that
	 * printf and strtod keep the machine decimal point whatever the locale.
	 * The catalogue is chosen through LANGUAGE, which gettext honours in any
	 * locale but "C": C.UTF-8 (always present in glibc) stands in for a
	 * vi_VN locale that was never generated.
	 */
	if (setlocale(LC_CTYPE, "") == NULL)
		setlocale(LC_CTYPE, "C.UTF-8");
	if (current == HX_LANG_VI) {
		const char *m = setlocale(LC_MESSAGES, "");

		if (m == NULL || strcmp(m, "C") == 0 || strcmp(m, "POSIX") == 0)
			setlocale(LC_MESSAGES, "C.UTF-8");
		setenv("LANGUAGE", "vi", 1);
	}
	bindtextdomain(HX_TEXTDOMAIN, localedir);
	bind_textdomain_codeset(HX_TEXTDOMAIN, "UTF-8");
	return rc;
}

enum hx_lang hx_i18n_lang(void)
{
	return current;
}

const char *hx_i18n_lang_code(void)
{
	return current == HX_LANG_VI ? "vi" : "en";
}

const char *hx_i18n_localedir(void)
{
	return localedir;
}

const char *hx_gettext(const char *msgid)
{
	if (current == HX_LANG_EN || msgid == NULL || *msgid == '\0')
		return msgid;
	return dgettext(HX_TEXTDOMAIN, msgid);
}

const char *hx_ngettext(const char *one, const char *many, unsigned long n)
{
	if (current == HX_LANG_EN)
		return n == 1 ? one : many;
	return dngettext(HX_TEXTDOMAIN, one, many, n);
}
