/*
 * strstore.c — strings by index within a memory budget (see strstore.h).
 *
 * Each string is a record: a 4-byte header (length, and the flag in the
 * top bit), its bytes and a NUL, so that a look-up hands out the string
 * where it lies, without a copy.  The first records live in one growing block
 * with their offsets in an array; once the two pass the budget, records
 * are appended to a temporary data file and their 8-byte offsets to a
 * temporary index file, both read back through forward-moving windows.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "i18n.h"
#include "strstore.h"

#define FLAG_BIT 0x80000000u
#define DATA_WINDOW ((size_t)64 * 1024)
#define INDEX_WINDOW ((size_t)4096) /* offsets */
#define WRITE_BUF ((size_t)64 * 1024) /* records gathered before a write */
#define INDEX_BUF ((size_t)8192)      /* offsets gathered before a write */

struct hx_strstore {
	size_t budget;
	/* in memory */
	char *mem;
	size_t mem_len, mem_cap;
	uint32_t *offs;
	size_t nmem, offs_cap;
	/* spilled */
	FILE *data, *index;
	unsigned long long data_len;
	size_t nspill;
	/* spilled records and offsets not yet written (one fwrite per buffer, not three a string) */
	char *wbuf;
	size_t wlen;
	uint64_t *ibuf;
	size_t ilen;
	/* read windows over the files */
	char *dwin;
	size_t dwin_cap;
	unsigned long long dwin_start;
	size_t dwin_len;
	uint64_t *iwin;
	size_t iwin_first, iwin_len;
	char *big;  /* a string larger than the data window, read on its own */
	size_t big_cap;
};

struct hx_strstore *hx_strstore_new(size_t budget)
{
	struct hx_strstore *s = hx_calloc(1, sizeof *s);

	s->budget = budget > 0 ? budget : HX_STRSTORE_BUDGET_DEFAULT;
	return s;
}

void hx_strstore_free(struct hx_strstore *s)
{
	if (s == NULL)
		return;
	if (s->data != NULL)
		fclose(s->data);
	if (s->index != NULL)
		fclose(s->index);
	free(s->mem);
	free(s->offs);
	free(s->wbuf);
	free(s->ibuf);
	free(s->dwin);
	free(s->iwin);
	free(s->big);
	free(s);
}

size_t hx_strstore_count(const struct hx_strstore *s)
{
	return s->nmem + s->nspill;
}

size_t hx_strstore_in_memory(const struct hx_strstore *s)
{
	return s->nmem;
}

/* what: "create", "write" or "read". */
static int io_error(struct hx_error *err, const char *what)
{
	const char *fmt = what[0] == 'c' ? _("could not create the temporary file of shared strings: %s")
	                  : what[0] == 'w' ? _("could not write the temporary file of shared strings: %s")
	                                   : _("could not read the temporary file of shared strings: %s");

	return hx_error_set(err, HX_CANTCREAT, fmt, strerror(errno));
}

/* Write the gathered records and offsets to their files.  0, or -1 err. */
static int flush_writes(struct hx_strstore *s, struct hx_error *err)
{
	if ((s->wlen > 0 && fwrite(s->wbuf, s->wlen, 1, s->data) != 1) ||
	    (s->ilen > 0 && fwrite(s->ibuf, s->ilen * sizeof *s->ibuf, 1, s->index) != 1))
		return io_error(err, "write");
	s->wlen = s->ilen = 0;
	return 0;
}

static int spill(struct hx_strstore *s, const char *p, size_t n, uint32_t head,
                 struct hx_error *err)
{
	size_t rec = sizeof head + n + 1;

	if (s->data == NULL) {
		s->data = tmpfile();
		s->index = tmpfile();
		if (s->data == NULL || s->index == NULL)
			return io_error(err, "create");
		s->wbuf = hx_malloc(WRITE_BUF);
		s->ibuf = hx_malloc(INDEX_BUF * sizeof *s->ibuf);
	}
	if ((s->wlen + rec > WRITE_BUF || s->ilen == INDEX_BUF) && flush_writes(s, err) < 0)
		return -1;
	s->ibuf[s->ilen++] = s->data_len;
	if (rec <= WRITE_BUF) {
		memcpy(s->wbuf + s->wlen, &head, sizeof head);
		memcpy(s->wbuf + s->wlen + sizeof head, p, n);
		s->wbuf[s->wlen + sizeof head + n] = '\0';
		s->wlen += rec;
	} else if (fwrite(&head, sizeof head, 1, s->data) != 1 || fwrite(p, n, 1, s->data) != 1 ||
	           fputc('\0', s->data) == EOF) {
		return io_error(err, "write");
	}
	s->data_len += rec;
	s->nspill++;
	return 0;
}

int hx_strstore_add(struct hx_strstore *s, const char *p, size_t n, int flag,
                    struct hx_error *err)
{
	uint32_t head;

	if (hx_strstore_count(s) >= HX_STRSTORE_MAX_COUNT)
		return hx_error_set(err, HX_DATAERR, _("more than %zu shared strings"),
		                    HX_STRSTORE_MAX_COUNT);
	if (n > HX_STRSTORE_MAX_LEN) {
		n = HX_STRSTORE_MAX_LEN;
		flag = 1;
	}
	head = (uint32_t)n | (flag ? FLAG_BIT : 0);
	if (s->nspill > 0 ||
	    s->mem_len + sizeof head + n + 1 + (s->nmem + 1) * sizeof *s->offs > s->budget)
		return spill(s, p, n, head, err);
	if (s->mem_len + sizeof head + n + 1 > s->mem_cap) {
		size_t cap = s->mem_cap > 0 ? s->mem_cap : 4096;

		while (cap < s->mem_len + sizeof head + n + 1)
			cap *= 2;
		s->mem = hx_realloc(s->mem, cap);
		s->mem_cap = cap;
	}
	if (s->nmem == s->offs_cap) {
		s->offs_cap = s->offs_cap > 0 ? s->offs_cap * 2 : 1024;
		s->offs = hx_realloc(s->offs, s->offs_cap * sizeof *s->offs);
	}
	s->offs[s->nmem++] = (uint32_t)s->mem_len;
	memcpy(s->mem + s->mem_len, &head, sizeof head);
	memcpy(s->mem + s->mem_len + sizeof head, p, n);
	s->mem[s->mem_len + sizeof head + n] = '\0';
	s->mem_len += sizeof head + n + 1;
	return 0;
}

static int read_at(FILE *f, unsigned long long off, void *buf, size_t n, size_t *got)
{
	ssize_t r;

	fflush(f);
	do
		r = pread(fileno(f), buf, n, (off_t)off);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -1;
	*got = (size_t)r;
	return 0;
}

/* Offset in the data file of spilled string k. */
static int spilled_offset(struct hx_strstore *s, size_t k, uint64_t *off, struct hx_error *err)
{
	if (s->iwin == NULL)
		s->iwin = hx_malloc(INDEX_WINDOW * sizeof *s->iwin);
	if (k < s->iwin_first || k >= s->iwin_first + s->iwin_len) {
		size_t got;

		/* A little before k too: look-ups mostly go forward, sometimes back a step. */
		s->iwin_first = k > 16 ? k - 16 : 0;
		if (read_at(s->index, (unsigned long long)s->iwin_first * sizeof *s->iwin, s->iwin,
		            INDEX_WINDOW * sizeof *s->iwin, &got) < 0)
			return io_error(err, "read");
		s->iwin_len = got / sizeof *s->iwin;
		if (k >= s->iwin_first + s->iwin_len)
			return hx_error_set(err, HX_CANTCREAT, _("the temporary file of shared strings is "
			                                     "shorter than written"));
	}
	*off = s->iwin[k - s->iwin_first];
	return 0;
}

int hx_strstore_get(struct hx_strstore *s, size_t i, const char **p, size_t *n, int *flag,
                    struct hx_error *err)
{
	uint32_t head;
	uint64_t off = 0;
	size_t len, got;

	if (i < s->nmem) {
		const char *rec = s->mem + s->offs[i];

		memcpy(&head, rec, sizeof head);
		*p = rec + sizeof head;
		*n = head & ~FLAG_BIT;
		*flag = (head & FLAG_BIT) != 0;
		return 0;
	}
	if (i >= hx_strstore_count(s))
		return hx_error_set(err, HX_DATAERR, _("shared string %zu does not exist (the workbook "
		                                       "has %zu)"), i, hx_strstore_count(s));
	if ((s->wlen > 0 || s->ilen > 0) && flush_writes(s, err) < 0)
		return -1;
	if (spilled_offset(s, i - s->nmem, &off, err) < 0)
		return -1;
	if (s->dwin == NULL) {
		s->dwin = hx_malloc(DATA_WINDOW + 1);
		s->dwin_cap = DATA_WINDOW;
	}
	/* The header, then the bytes: in the window if they are there. */
	if (off < s->dwin_start || off + sizeof head > s->dwin_start + s->dwin_len) {
		if (read_at(s->data, off, s->dwin, s->dwin_cap, &got) < 0)
			return io_error(err, "read");
		s->dwin_start = off;
		s->dwin_len = got;
		if (got < sizeof head)
			return hx_error_set(err, HX_CANTCREAT, _("the temporary file of shared strings is "
			                                     "shorter than written"));
	}
	memcpy(&head, s->dwin + (off - s->dwin_start), sizeof head);
	len = head & ~FLAG_BIT;
	*n = len;
	*flag = (head & FLAG_BIT) != 0;
	if (off + sizeof head + len + 1 <= s->dwin_start + s->dwin_len) {
		*p = s->dwin + (off - s->dwin_start) + sizeof head;
		return 0;
	}
	if (len + sizeof head + 1 <= s->dwin_cap) {
		if (read_at(s->data, off, s->dwin, s->dwin_cap, &got) < 0)
			return io_error(err, "read");
		s->dwin_start = off;
		s->dwin_len = got;
		if (got < sizeof head + len + 1)
			return hx_error_set(err, HX_CANTCREAT, _("the temporary file of shared strings is "
			                                     "shorter than written"));
		return hx_strstore_get(s, i, p, n, flag, err);
	}
	if (s->big_cap < len + 1) {
		s->big = hx_realloc(s->big, len + 1);
		s->big_cap = len + 1;
	}
	if (read_at(s->data, off + sizeof head, s->big, len, &got) < 0)
		return io_error(err, "read");
	if (got < len)
		return hx_error_set(err, HX_CANTCREAT, _("the temporary file of shared strings is shorter "
		                                     "than written"));
	s->big[len] = '\0';
	*p = s->big;
	return 0;
}
