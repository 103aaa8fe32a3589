/*
 * source.c — a file's bytes as UTF-8 (see source.h).  The byte order mark
 * is skipped here, so the readers above see text only; UTF-16 is converted
 * by common/text.h chunk by chunk, input it could not finish (an odd byte,
 * half a surrogate pair) kept for the next call.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "source.h"
#include "text.h"

int source_init(struct byte_source *s, int fd, const struct file_scan *scan,
                struct hx_error *err)
{
	off_t bom = 0;

	memset(s, 0, sizeof *s);
	s->fd = fd;
	s->encoding = scan->encoding;
	if (scan->bom)
		bom = scan->encoding == ENC_UTF8 ? 3 : 2;
	if (lseek(fd, bom, SEEK_SET) < 0)
		return hx_error_set(err, HX_NOINPUT, "could not seek: %s", strerror(errno));
	s->raw_bytes = (unsigned long long)bom;
	hx_text_utf16_init(&s->conv, scan->encoding == ENC_UTF16BE, (size_t)bom);
	return 0;
}

static ssize_t read_some(struct byte_source *s, void *buf, size_t cap, struct hx_error *err)
{
	ssize_t n;

	do
		n = read(s->fd, buf, cap);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return hx_error_set(err, HX_NOINPUT, "could not read: %s", strerror(errno));
	s->raw_bytes += (unsigned long long)n;
	return n;
}

ssize_t source_read(void *ctx, char *buf, size_t cap, struct hx_error *err)
{
	struct byte_source *s = ctx;

	if (s->encoding == ENC_UTF8)
		return read_some(s, buf, cap, err);
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
		if (hx_text_utf16_to_utf8(&s->conv, s->in, s->in_len, s->eof, buf, cap) < 0)
			return hx_error_set(err, HX_DATAERR, "not valid UTF-16 at byte offset %zu: %s",
			                    s->conv.bad_offset, s->conv.error);
		memmove(s->in, s->in + s->conv.in_used, s->in_len - s->conv.in_used);
		s->in_len -= s->conv.in_used;
		if (s->conv.out_len > 0)
			return (ssize_t)s->conv.out_len;
		if (s->eof)
			return 0;
	}
}
