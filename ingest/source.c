/*
 * source.c — a file's bytes as UTF-8 (see source.h).  The byte order mark
 * is hashed and skipped here, so the readers above see text only.  UTF-8 is
 * checked by common/text.h chunk by chunk, a sequence cut by the chunk end
 * held back for the next call; UTF-16 is converted the same way.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "source.h"
#include "text.h"

static ssize_t read_some(struct byte_source *s, void *buf, size_t cap, struct hx_error *err)
{
	ssize_t n;

	do
		n = read(s->fd, buf, cap);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return hx_error_set(err, HX_NOINPUT, "could not read: %s", strerror(errno));
	if (!s->scanned)
		hx_sha256_update(&s->sha, buf, (size_t)n);
	s->raw_bytes += (unsigned long long)n;
	return n;
}

int source_init(struct byte_source *s, int fd, const struct file_scan *scan, int scanned,
                struct hx_error *err)
{
	unsigned char bom[3];
	size_t nbom = 0;

	memset(s, 0, sizeof *s);
	s->fd = fd;
	s->encoding = scan->encoding;
	s->scanned = scanned;
	if (!scanned)
		hx_sha256_init(&s->sha);
	if (scan->bom)
		nbom = scan->encoding == ENC_UTF8 ? 3 : 2;
	if (lseek(fd, 0, SEEK_SET) < 0)
		return hx_error_set(err, HX_NOINPUT, "could not seek: %s", strerror(errno));
	if (nbom > 0 && read_some(s, bom, nbom, err) != (ssize_t)nbom)
		return hx_error_set(err, HX_NOINPUT, "could not read the byte order mark");
	hx_text_utf16_init(&s->conv, scan->encoding == ENC_UTF16BE, nbom);
	return 0;
}

void source_raw(struct byte_source *s)
{
	s->raw = 1;
}

static int fail(struct byte_source *s, struct hx_error *err)
{
	s->bad = 1;
	return hx_error_set(err, HX_DATAERR, "%s", s->bad_message);
}

static ssize_t read_utf8(struct byte_source *s, char *buf, size_t cap, struct hx_error *err)
{
	for (;;) {
		size_t carry = s->in_len, total, tail, bad;
		unsigned long long start = s->raw_bytes - carry; /* file offset of buf[0] */
		ssize_t n;

		memcpy(buf, s->in, carry);
		n = read_some(s, buf + carry, cap - carry, err);
		if (n < 0)
			return -1;
		if (s->scanned || s->raw) {
			if (n == 0)
				s->eof = 1;
			return n; /* checked by the scan already, or by the converter */
		}
		total = carry + (size_t)n;
		tail = n == 0 ? 0 : hx_text_utf8_incomplete_tail(buf, total);
		if (hx_text_utf8_check(buf, total - tail, &bad) < 0) {
			if (buf[bad] == '\0')
				scan_explain_nul(s->fd, (long long)(start + bad), s->bad_message,
				                 sizeof s->bad_message);
			else
				hx_text_explain_invalid(buf, total, (size_t)start + bad,
				                        (unsigned char)buf[bad], s->bad_message,
				                        sizeof s->bad_message);
			return fail(s, err);
		}
		memcpy(s->in, buf + total - tail, tail);
		s->in_len = tail;
		if (n == 0) {
			s->eof = 1;
			return (ssize_t)total;
		}
		if (total > tail)
			return (ssize_t)(total - tail);
	}
}

ssize_t source_read(void *ctx, char *buf, size_t cap, struct hx_error *err)
{
	struct byte_source *s = ctx;

	if (s->bad)
		return fail(s, err);
	if (s->encoding == ENC_UTF8)
		return s->eof ? 0 : read_utf8(s, buf, cap, err);
	for (;;) {
		size_t want;

		if (!s->eof && s->in_len < sizeof s->in) {
			/* Room for input whose UTF-8 surely fits in cap. */
			want = sizeof s->in - s->in_len;
			if (want > (cap - 4) / 3 * 2)
				want = (cap - 4) / 3 * 2;
			if (want > 0) {
				ssize_t n = read_some(s, s->in + s->in_len, want, err);

				if (n < 0)
					return -1;
				if (n == 0)
					s->eof = 1;
				s->in_len += (size_t)n;
			}
		}
		if (s->in_len == 0 && s->eof)
			return 0;
		if (hx_text_utf16_to_utf8(&s->conv, s->in, s->in_len, s->eof, buf, cap) < 0) {
			snprintf(s->bad_message, sizeof s->bad_message,
			         _("not valid UTF-16 at byte offset %zu: %s"), s->conv.bad_offset,
			         _(s->conv.error));
			return fail(s, err);
		}
		memmove(s->in, s->in + s->conv.in_used, s->in_len - s->conv.in_used);
		s->in_len -= s->conv.in_used;
		if (s->conv.out_len > 0)
			return (ssize_t)s->conv.out_len;
		if (s->eof)
			return 0;
	}
}

int source_finish(struct byte_source *s, char hex[HX_SHA256_HEXLEN + 1], struct hx_error *err)
{
	char chunk[65536];
	ssize_t n;

	if (s->scanned)
		return 0;
	while ((n = read_some(s, chunk, sizeof chunk, err)) > 0)
		;
	if (n < 0)
		return -1;
	hx_sha256_final_hex(&s->sha, hex);
	return 0;
}

void source_close(struct byte_source *s)
{
	hx_sha256_free(&s->sha);
}
