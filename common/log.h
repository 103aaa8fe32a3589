/*
 * log.h — diagnostics on stderr, in the manner of PostgreSQL's
 * src/include/common/logging.h:
 *
 *   hoctap-ingest: error: inbox/x.csv:14: column "recognized": "7.9O5" is not a number
 *   hoctap-ingest: detail: ...
 *   hoctap-ingest: hint: ...
 *
 * Data goes to stdout, diagnostics to stderr.  hx_log_debug() costs one
 * comparison when debug output is off.
 */
#ifndef HOCTAP_LOG_H
#define HOCTAP_LOG_H

#include "error.h"

enum hx_log_level {
	HX_LOG_DEBUG = 1,
	HX_LOG_INFO,
	HX_LOG_WARNING,
	HX_LOG_ERROR,
	HX_LOG_OFF
};

/* Call once from main: the program name becomes the prefix of every line. */
void hx_log_init(const char *progname);
const char *hx_log_progname(void);
/* Lowest level printed.  Default: HX_LOG_WARNING (-q: ERROR, -v: INFO, -vv: DEBUG). */
void hx_log_set_level(enum hx_log_level level);
enum hx_log_level hx_log_get_level(void);

void hx_log_msg(enum hx_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A "detail:" or "hint:" line following the last message (printed at its level). */
void hx_log_detail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void hx_log_hint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print an error filled by library code: message, then detail and hint if set. */
void hx_log_hx_error(const struct hx_error *err);

#define hx_log_error(...) hx_log_msg(HX_LOG_ERROR, __VA_ARGS__)
#define hx_log_warning(...) hx_log_msg(HX_LOG_WARNING, __VA_ARGS__)
#define hx_log_info(...) hx_log_msg(HX_LOG_INFO, __VA_ARGS__)
#define hx_log_debug(...)                                   \
	do {                                                    \
		if (hx_log_get_level() <= HX_LOG_DEBUG)             \
			hx_log_msg(HX_LOG_DEBUG, __VA_ARGS__);          \
	} while (0)

#endif
