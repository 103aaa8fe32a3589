/*
 * alloc.c — allocation wrappers: out of memory ends the process with one
 * clear line and exit code 70, so no call site has an untested NULL path.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "exitcode.h"
#include "log.h"

static void oom(size_t size)
{
	fprintf(stderr, "%s: fatal: out of memory (asked for %zu bytes)\n", hx_log_progname(), size);
	exit(HX_SOFTWARE);
}

void *hx_malloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (p == NULL)
		oom(size);
	return p;
}

void *hx_calloc(size_t n, size_t size)
{
	void *p;

	if (size != 0 && n > SIZE_MAX / size)
		oom(SIZE_MAX);
	p = calloc(n ? n : 1, size ? size : 1);
	if (p == NULL)
		oom(n * size);
	return p;
}

void *hx_realloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);

	if (q == NULL)
		oom(size);
	return q;
}

void *hx_grow(void *p, size_t *cap, size_t n, size_t size, size_t first)
{
	size_t c;

	if (n < *cap)
		return p;
	c = *cap ? *cap * 2 : first;
	if (c <= *cap || c > SIZE_MAX / size)
		oom(SIZE_MAX);
	*cap = c;
	return hx_realloc(p, c * size);
}

char *hx_strdup(const char *s)
{
	return hx_strndup(s, strlen(s));
}

char *hx_strndup(const char *s, size_t n)
{
	char *p;
	size_t len = strnlen(s, n);

	p = hx_malloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *hx_asprintf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom(0);
	p = hx_malloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
