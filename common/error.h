/*
 * error.h — the error model shared by all library code.
 *
 * A library function that can fail returns -1 (or NULL) and fills the
 * caller's struct hx_error: an exit-code category, a primary message, and
 * optional detail and hint lines in the style of PostgreSQL's messages.
 * It never prints and never exits; main() logs the error and picks the exit
 * code from err->code.
 */
#ifndef HOCTAP_ERROR_H
#define HOCTAP_ERROR_H

#include <stddef.h>

#include "exitcode.h"

#define HX_ERRMSG_MAX 1024

struct hx_error {
	int code;                    /* enum hx_exit; HX_OK when nothing failed */
	char msg[HX_ERRMSG_MAX];     /* primary message, no trailing newline */
	char detail[HX_ERRMSG_MAX];  /* optional, "" when absent */
	char hint[HX_ERRMSG_MAX];    /* optional, "" when absent */
};

/* Reset to "no error". */
void hx_error_clear(struct hx_error *err);

/*
 * Set code and primary message (printf-style); clears detail and hint.
 * Returns -1 so that callers can write "return hx_error_set(...);".
 * err may be NULL (the error is then dropped).
 */
int hx_error_set(struct hx_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Set the detail or hint line of an error already set (printf-style). */
void hx_error_detail(struct hx_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void hx_error_hint(struct hx_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prefix the primary message with "PREFIX: " (e.g. a file name). */
void hx_error_prefix(struct hx_error *err, const char *prefix);

#endif
