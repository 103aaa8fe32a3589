/* error.c — filling struct hx_error (see error.h for the model). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

void hx_error_clear(struct hx_error *err)
{
	if (err == NULL)
		return;
	err->code = HX_OK;
	err->msg[0] = err->detail[0] = err->hint[0] = '\0';
}

int hx_error_set(struct hx_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	hx_error_clear(err);
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

void hx_error_detail(struct hx_error *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(err->detail, sizeof err->detail, fmt, ap);
	va_end(ap);
}

void hx_error_hint(struct hx_error *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(err->hint, sizeof err->hint, fmt, ap);
	va_end(ap);
}

void hx_error_prefix(struct hx_error *err, const char *prefix)
{
	char tmp[HX_ERRMSG_MAX];
	size_t plen;

	if (err == NULL || prefix == NULL || prefix[0] == '\0')
		return;
	/* Build "PREFIX: " then as much of the old message as fits. */
	plen = strnlen(prefix, sizeof tmp - 3);
	memcpy(tmp, prefix, plen);
	tmp[plen++] = ':';
	tmp[plen++] = ' ';
	tmp[plen] = '\0';
	strncat(tmp, err->msg, sizeof tmp - plen - 1);
	memcpy(err->msg, tmp, sizeof err->msg);
}
