/*
 * zipahead.c — a ZIP entry inflated ahead of its reader (see zipahead.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "zipahead.h"

/* Chunks in the ring: enough that the thread rarely waits on a short scan. */
#define SLOTS 4

struct hx_zipahead {
	zip_file_t *zf;
	pthread_mutex_t *zlock;
	pthread_t thread;
	pthread_mutex_t m;
	pthread_cond_t cv;          /* a chunk filled, a slot freed, or stop */
	size_t chunk;
	char *ring;                 /* SLOTS chunks */
	long len[SLOTS];            /* each filled chunk's bytes; 0 the end, -1 an error */
	size_t head;                /* the chunk being read */
	size_t filled;              /* chunks filled and not yet read through, from head */
	size_t off;                 /* bytes of the head chunk already read */
	int stop;
	char why[256];
};

static void *inflate_ahead(void *arg)
{
	struct hx_zipahead *a = arg;

	for (;;) {
		size_t slot;
		zip_int64_t n;

		pthread_mutex_lock(&a->m);
		while (a->filled == SLOTS && !a->stop)
			pthread_cond_wait(&a->cv, &a->m);
		if (a->stop) {
			pthread_mutex_unlock(&a->m);
			return NULL;
		}
		slot = (a->head + a->filled) % SLOTS;
		pthread_mutex_unlock(&a->m);

		/* the slot is the thread's alone until it is counted as filled */
		pthread_mutex_lock(a->zlock);
		n = zip_fread(a->zf, a->ring + slot * a->chunk, a->chunk);
		if (n < 0)
			snprintf(a->why, sizeof a->why, "%s", zip_file_strerror(a->zf));
		pthread_mutex_unlock(a->zlock);

		pthread_mutex_lock(&a->m);
		a->len[slot] = n < 0 ? -1 : (long)n;
		a->filled++;
		pthread_cond_broadcast(&a->cv);
		pthread_mutex_unlock(&a->m);
		if (n <= 0)
			return NULL;
	}
}

struct hx_zipahead *hx_zipahead_start(zip_file_t *zf, pthread_mutex_t *zlock, size_t chunk)
{
	struct hx_zipahead *a = hx_calloc(1, sizeof *a);
	pthread_attr_t attr;
	int rc;

	a->zf = zf;
	a->zlock = zlock;
	a->chunk = chunk;
	a->ring = hx_malloc(SLOTS * chunk);
	pthread_mutex_init(&a->m, NULL);
	pthread_cond_init(&a->cv, NULL);
	/* zip_fread and zlib need little stack; the default 8 MiB is address space only */
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, (size_t)256 * 1024);
	rc = pthread_create(&a->thread, &attr, inflate_ahead, a);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		pthread_cond_destroy(&a->cv);
		pthread_mutex_destroy(&a->m);
		free(a->ring);
		free(a);
		return NULL;
	}
	return a;
}

long hx_zipahead_read(struct hx_zipahead *a, void *buf, size_t cap, const char **why)
{
	long len;
	size_t k;

	pthread_mutex_lock(&a->m);
	while (a->filled == 0)
		pthread_cond_wait(&a->cv, &a->m);
	len = a->len[a->head];
	pthread_mutex_unlock(&a->m);
	/* the end and an error stay at the head: every later read says them again */
	if (len < 0) {
		*why = a->why;
		return -1;
	}
	if (len == 0)
		return 0;
	/* the head chunk is the reader's alone while it is counted as filled */
	k = (size_t)len - a->off < cap ? (size_t)len - a->off : cap;
	memcpy(buf, a->ring + a->head * a->chunk + a->off, k);
	a->off += k;
	if (a->off == (size_t)len) {
		pthread_mutex_lock(&a->m);
		a->head = (a->head + 1) % SLOTS;
		a->filled--;
		a->off = 0;
		pthread_cond_broadcast(&a->cv);
		pthread_mutex_unlock(&a->m);
	}
	return (long)k;
}

void hx_zipahead_stop(struct hx_zipahead *a)
{
	if (a == NULL)
		return;
	pthread_mutex_lock(&a->m);
	a->stop = 1;
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->m);
	pthread_join(a->thread, NULL);
	pthread_cond_destroy(&a->cv);
	pthread_mutex_destroy(&a->m);
	free(a->ring);
	free(a);
}
