/*
 * alloc.h — allocation wrappers.  Out of memory is fatal here (the process
 * prints one line and exits 70), so call sites never check for NULL.
 * Modelled on PostgreSQL's src/common/fe_memutils.c.
 */
#ifndef HOCTAP_ALLOC_H
#define HOCTAP_ALLOC_H

#include <stddef.h>

void *hx_malloc(size_t size);              /* never NULL; size 0 gives a valid pointer */
void *hx_calloc(size_t n, size_t size);    /* zeroed; overflow of n*size is fatal */
void *hx_realloc(void *p, size_t size);
/*
 * Room for one more element in an array p of n elements of size bytes and
 * capacity *cap: p as it is, or moved to twice the room (first elements to
 * begin with), *cap updated.  As in buf.c; overflow is fatal.
 */
void *hx_grow(void *p, size_t *cap, size_t n, size_t size, size_t first);
char *hx_strdup(const char *s);            /* s must not be NULL */
char *hx_strndup(const char *s, size_t n);
/* printf into a new string the caller frees. */
char *hx_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
