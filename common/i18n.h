/*
 * i18n.h — messages in the reader's language (gettext, domain "hoctap").
 *
 * Source strings are English; po/vi.po holds their Vietnamese.  Wrap every
 * message a clerk or a committee reads in _() (or N_() where the string is
 * data in a table, translated where it is printed).  The language is, in
 * order: the program's --lang option, HOCTAP_LANG, then the locale
 * (LC_ALL, LC_MESSAGES, LANG), so that `--lang vi` works on a machine whose
 * vi_VN locale was never generated.  Output is UTF-8 whatever the locale's
 * character set (cron runs with LANG unset, the "C" locale).
 */
#ifndef HOCTAP_I18N_H
#define HOCTAP_I18N_H

#include <libintl.h>

#define HX_TEXTDOMAIN "hoctap"

/* The translation of msgid, or msgid itself in English.  Borrowed, static. */
#define _(msgid) hx_gettext(msgid)
/* Marks a string for translation where it is printed later (a table's text). */
#define N_(msgid) (msgid)
/* Singular or plural by n. */
#define P_(one, many, n) hx_ngettext(one, many, n)

enum hx_lang { HX_LANG_EN = 0, HX_LANG_VI };

/*
 * Choose the language: lang is "vi", "en" (or a locale name such as
 * "vi_VN.UTF-8"), or NULL for HOCTAP_LANG, then the locale.  Returns 0,
 * or -1 when lang names a language hoctap has no messages for (the caller
 * reports a usage error; English is then in force).  Call once from main,
 * before the first message; calling again switches (tests do).
 */
int hx_i18n_init(const char *lang);
/* The language in force. */
enum hx_lang hx_i18n_lang(void);
/* "vi" or "en". */
const char *hx_i18n_lang_code(void);
/* Where the catalogue was looked for ("" before hx_i18n_init). */
const char *hx_i18n_localedir(void);

const char *hx_gettext(const char *msgid) __attribute__((format_arg(1)));
const char *hx_ngettext(const char *one, const char *many, unsigned long n)
	__attribute__((format_arg(1))) __attribute__((format_arg(2)));

#endif
