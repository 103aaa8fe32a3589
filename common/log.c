/* log.c — leveled diagnostics on stderr with the program name as prefix. */
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

static const char *progname = "hoctap";
static enum hx_log_level current = HX_LOG_WARNING;
/* Level of the last primary message, so detail/hint lines follow it or not. */
static enum hx_log_level last = HX_LOG_WARNING;

void hx_log_init(const char *name)
{
	const char *p;

	if (name == NULL)
		return;
	for (p = name; *p; p++)
		if (*p == '/')
			name = p + 1;
	progname = name;
}

const char *hx_log_progname(void)
{
	return progname;
}

void hx_log_set_level(enum hx_log_level level)
{
	current = level;
}

enum hx_log_level hx_log_get_level(void)
{
	return current;
}

static const char *level_word(enum hx_log_level level)
{
	switch (level) {
	case HX_LOG_DEBUG: return "debug: ";
	case HX_LOG_INFO: return "";
	case HX_LOG_WARNING: return "warning: ";
	case HX_LOG_ERROR: return "error: ";
	default: return "";
	}
}

static void vline(enum hx_log_level level, const char *word, const char *fmt, va_list ap)
{
	if (level < current)
		return;
	fprintf(stderr, "%s: %s", progname, word);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void hx_log_msg(enum hx_log_level level, const char *fmt, ...)
{
	va_list ap;

	last = level;
	va_start(ap, fmt);
	vline(level, level_word(level), fmt, ap);
	va_end(ap);
}

void hx_log_detail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(last, "detail: ", fmt, ap);
	va_end(ap);
}

void hx_log_hint(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(last, "hint: ", fmt, ap);
	va_end(ap);
}

void hx_log_hx_error(const struct hx_error *err)
{
	hx_log_error("%s", err->msg[0] ? err->msg : hx_exit_name(err->code));
	if (err->detail[0])
		hx_log_detail("%s", err->detail);
	if (err->hint[0])
		hx_log_hint("%s", err->hint);
}
