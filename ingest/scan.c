/*
 * scan.c — sha256 and text encoding of a file in one pass (see scan.h).
 * What the bytes are is decided by common/text.h: the first chunk is
 * sniffed (BOM, UTF-16 without BOM, workbooks, binary), then every chunk is
 * checked as UTF-8 (holding back a sequence cut by the chunk end) or
 * converted as UTF-16 into a scratch buffer, so that a bad byte is found
 * before any row loads, with its offset.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "i18n.h"
#include "scan.h"
#include "text.h"

#define SCAN_CHUNK ((size_t)64 * 1024)

const char *scan_encoding_name(const struct file_scan *s)
{
	switch (s->encoding) {
	case ENC_UTF16LE: return "utf-16le BOM";
	case ENC_UTF16BE: return "utf-16be BOM";
	case ENC_UTF8: break;
	}
	return s->bom ? "utf-8 BOM" : "utf-8";
}

static ssize_t read_full(int fd, unsigned char *buf, size_t cap)
{
	size_t got = 0;

	while (got < cap) {
		ssize_t n = read(fd, buf + got, cap - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/*
 * The physical line of byte offset off (1-based; LF, CRLF or CR ends a line,
 * as the readers count), or 0 if the file cannot be read up to it.
 */
static long line_at(int fd, long long off)
{
	unsigned char buf[16384];
	long long pos = 0;
	long line = 1;
	int after_cr = 0;

	while (pos < off) {
		size_t want = off - pos < (long long)sizeof buf ? (size_t)(off - pos) : sizeof buf;
		ssize_t n = pread(fd, buf, want, (off_t)pos);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n' && !after_cr)
				line++;
			else if (buf[i] == '\r')
				line++;
			after_cr = buf[i] == '\r';
		}
		pos += n;
	}
	return line;
}

void scan_explain_nul(int fd, long long off, char *msg, size_t msglen)
{
	hx_text_explain_nul((size_t)off, line_at(fd, off), msg, msglen);
}

static void set_bad(struct file_scan *s, int fd, const unsigned char *sample, size_t len,
                    size_t bad_offset, unsigned char byte)
{
	s->bad = 1;
	s->bad_offset = (long long)bad_offset;
	if (byte == 0)
		scan_explain_nul(fd, s->bad_offset, s->bad_message, sizeof s->bad_message);
	else
		hx_text_explain_invalid(sample, len, bad_offset, byte, s->bad_message,
		                        sizeof s->bad_message);
}

/*
 * What the first bytes say the file is, into s: readable (encoding, BOM)
 * or not (bad, with the message).  A binary file is said with its first
 * NUL, which is in these bytes.
 */
static void sniffed(struct file_scan *s, int fd, const unsigned char *head, size_t len,
                    enum hx_text_encoding enc)
{
	const char *problem = hx_text_encoding_problem(enc);
	const unsigned char *nul;

	if (enc == HX_TEXT_ZIP)
		s->format = FORMAT_XLSX;
	else if (enc == HX_TEXT_OLE)
		s->format = FORMAT_XLS;
	if (enc == HX_TEXT_BINARY && (nul = memchr(head, 0, len)) != NULL) {
		set_bad(s, fd, head, len, (size_t)(nul - head), 0);
	} else if (problem != NULL) {
		s->bad = 1;
		snprintf(s->bad_message, sizeof s->bad_message, "%s", problem);
	} else if (enc == HX_TEXT_UTF16LE_BOM) {
		s->encoding = ENC_UTF16LE;
	} else if (enc == HX_TEXT_UTF16BE_BOM) {
		s->encoding = ENC_UTF16BE;
	}
}

int scan_head(int fd, struct file_scan *s, struct hx_error *err)
{
	unsigned char head[4096];
	enum hx_text_encoding enc;
	size_t bom = 0;
	ssize_t n;

	memset(s, 0, sizeof *s);
	if (lseek(fd, 0, SEEK_SET) < 0 || (n = read_full(fd, head, sizeof head)) < 0)
		return hx_error_set(err, HX_NOINPUT, "could not read: %s", strerror(errno));
	enc = hx_text_sniff(head, (size_t)n, &bom);
	s->bom = bom > 0;
	sniffed(s, fd, head, (size_t)n, enc);
	return 0;
}

int scan_fd(int fd, struct file_scan *s, struct hx_error *err)
{
	/* buf holds up to 3 held-back bytes, then a chunk. */
	unsigned char *buf = hx_malloc(SCAN_CHUNK + 8);
	char *scratch = NULL;
	struct hx_sha256 sha;
	struct hx_text_utf16 conv;
	enum hx_text_encoding enc = HX_TEXT_UTF8;
	size_t held = 0, offset = 0, bom = 0, chunk_start;
	int first = 1, rc = -1;

	memset(s, 0, sizeof *s);
	hx_sha256_init(&sha);
	if (lseek(fd, 0, SEEK_SET) < 0) {
		hx_error_set(err, HX_NOINPUT, "could not seek: %s", strerror(errno));
		goto done;
	}
	for (;;) {
		ssize_t n = read_full(fd, buf + held, SCAN_CHUNK);
		size_t len, start = 0, bad;
		int final;

		if (n < 0) {
			hx_error_set(err, HX_NOINPUT, "could not read: %s", strerror(errno));
			goto done;
		}
		hx_sha256_update(&sha, buf + held, (size_t)n);
		s->size += n;
		final = n == 0 || (size_t)n < SCAN_CHUNK;
		len = held + (size_t)n;
		chunk_start = offset - held;  /* file offset of buf[0] */
		offset += (size_t)n;
		if (first) {
			first = 0;
			enc = hx_text_sniff(buf, len, &bom);
			s->bom = bom > 0;
			sniffed(s, fd, buf, len, enc);
			if (s->encoding != ENC_UTF8) {
				hx_text_utf16_init(&conv, s->encoding == ENC_UTF16BE, bom);
				scratch = hx_malloc(SCAN_CHUNK / 2 * 3 + 16);
			}
			start = bom;
		}
		if (!s->bad && s->encoding == ENC_UTF8) {
			size_t tail = final ? 0 : hx_text_utf8_incomplete_tail(buf + start, len - start);

			if (hx_text_utf8_check(buf + start, len - start - tail, &bad) < 0)
				set_bad(s, fd, buf, len, chunk_start + start + bad, buf[start + bad]);
			held = tail;
		} else if (!s->bad) {
			if (hx_text_utf16_to_utf8(&conv, buf + start, len - start, final, scratch,
			                          SCAN_CHUNK / 2 * 3 + 16) < 0) {
				s->bad = 1;
				s->bad_offset = (long long)conv.bad_offset;
				snprintf(s->bad_message, sizeof s->bad_message,
				         _("not valid UTF-16 at byte offset %zu: %s"), conv.bad_offset,
				         _(conv.error));
			}
			held = len - start - conv.in_used;
		} else {
			held = 0;
		}
		if (held > 0)
			memmove(buf, buf + len - held, held);
		if (final)
			break;
	}
	hx_sha256_final_hex(&sha, s->sha256);
	rc = 0;
done:
	hx_sha256_free(&sha);
	free(buf);
	free(scratch);
	return rc;
}
