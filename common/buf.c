/* buf.c — the capped growable buffer (see buf.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"

void hx_buf_init(struct hx_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

/* Make room for len + extra bytes plus the terminator; -1 past the cap. */
static int reserve(struct hx_buf *b, size_t extra)
{
	size_t need, cap;

	if (extra > b->max || b->len > b->max - extra)
		return -1;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	b->data = hx_realloc(b->data, cap);
	b->cap = cap;
	return 0;
}

int hx_buf_reserve(struct hx_buf *b, size_t n)
{
	return reserve(b, n);
}

int hx_buf_append(struct hx_buf *b, const void *p, size_t n)
{
	if (reserve(b, n) < 0)
		return -1;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int hx_buf_putc(struct hx_buf *b, char c)
{
	return hx_buf_append(b, &c, 1);
}

int hx_buf_puts(struct hx_buf *b, const char *s)
{
	return hx_buf_append(b, s, strlen(s));
}

int hx_buf_vprintf(struct hx_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || reserve(b, (size_t)n) < 0)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int hx_buf_printf(struct hx_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = hx_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void hx_buf_reset(struct hx_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

const char *hx_buf_str(const struct hx_buf *b)
{
	return b->data != NULL ? b->data : "";
}

void hx_buf_free(struct hx_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
