/*
 * zipahead.h — a ZIP entry inflated ahead of its reader, by a thread.
 *
 * A workbook's sheet and shared strings are most of its bytes, and zlib's
 * inflate and CRC are a quarter of what reading them costs.  The thread
 * calls zip_fread into a ring of a few chunks while the caller scans the
 * chunks before them, so on a machine with a core to spare the inflating
 * costs the reader no time.  Memory stays bounded: the thread waits when
 * the ring is full, whatever the entry's size.
 *
 * libzip's archive is not safe for use by two threads at once: every
 * libzip call on the archive, by the caller too while a ring runs, holds
 * zlock (the thread holds it around each zip_fread only).
 */
#ifndef HOCTAP_ZIPAHEAD_H
#define HOCTAP_ZIPAHEAD_H

#include <pthread.h>
#include <stddef.h>
#include <zip.h>

struct hx_zipahead;

/*
 * Start inflating zf (opened, nothing read yet) ahead in chunks of chunk
 * bytes.  NULL when no thread can be started: the caller reads zf itself.
 */
struct hx_zipahead *hx_zipahead_start(zip_file_t *zf, pthread_mutex_t *zlock, size_t chunk);

/*
 * Up to cap inflated bytes into buf, in order: the count (less than cap
 * at a chunk's end), 0 at the entry's end, -1 when zip_fread failed
 * (*why: libzip's message, valid until hx_zipahead_stop).
 */
long hx_zipahead_read(struct hx_zipahead *a, void *buf, size_t cap, const char **why);

/* Stop the thread (it may be inflating: it ends after that chunk) and free the ring. */
void hx_zipahead_stop(struct hx_zipahead *a);

#endif
