/*
 * buf.h — a growable byte buffer with a hard cap.
 *
 * Every buffer that grows with input has a maximum size: appending past it
 * fails (returns -1) instead of allocating whatever the input asks for
 * (curl's docs/internals/DYNBUF.md).  The contents are always NUL-terminated.
 */
#ifndef HOCTAP_BUF_H
#define HOCTAP_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct hx_buf {
	char *data;   /* NUL-terminated; NULL until the first append */
	size_t len;   /* bytes used, excluding the terminator */
	size_t cap;   /* bytes allocated */
	size_t max;   /* cap on len; appends beyond it fail */
};

/* Initialise an empty buffer that may hold at most max bytes. No allocation. */
void hx_buf_init(struct hx_buf *b, size_t max);
/*
 * Make room for n more bytes and the terminator, so that writing them at
 * data + len needs no check.  Returns 0, or -1 (buffer unchanged) if len
 * would exceed max.
 */
int hx_buf_reserve(struct hx_buf *b, size_t n);
/* Append n bytes.  Returns 0, or -1 (buffer unchanged) if len would exceed max. */
int hx_buf_append(struct hx_buf *b, const void *p, size_t n);
int hx_buf_putc(struct hx_buf *b, char c);
int hx_buf_puts(struct hx_buf *b, const char *s);
int hx_buf_printf(struct hx_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int hx_buf_vprintf(struct hx_buf *b, const char *fmt, va_list ap);
/* Forget the contents, keep the allocation. */
void hx_buf_reset(struct hx_buf *b);
/* The contents as a C string ("" when empty); borrowed, valid until the next append. */
const char *hx_buf_str(const struct hx_buf *b);
/* Release the allocation; the buffer is empty and reusable afterwards. */
void hx_buf_free(struct hx_buf *b);

#endif
