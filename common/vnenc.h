/*
 * vnenc.h — text in the encodings Vietnamese offices still write, converted
 * to UTF-8 in NFC (docs/design.md §9.4):
 *
 *   UTF-8          checked; decomposed letters (NFD, as some input methods
 *                  and Macs type them) are normalised to NFC;
 *   TCVN3 (ABC)    the .VnTime fonts' one-byte letters: glibc iconv's
 *                  TCVN5712-1 (TCVN 5712:1993, of which TCVN3 is the part
 *                  the ABC fonts use);
 *   VNI-Windows    the VNI fonts' base letter followed by a mark byte; no
 *                  iconv knows it, so this file holds the table (vnenc.c);
 *   Windows-1258   Microsoft's code page: glibc iconv's CP1258, whose
 *                  combining tone marks are composed.
 *
 * hx_enc_detect guesses which one a file is from a sample (its header and
 * first rows), with a confidence and an explanation a clerk can read
 * ("read as VNI-Windows: 41 letters decoded"); hx_enc_from_name is the
 * override (--encoding).  hx_enc_reader converts a stream: it is an
 * hx_csv_read_fn, so a loader puts it between the file and the CSV reader.
 */
#ifndef HOCTAP_VNENC_H
#define HOCTAP_VNENC_H

#include <stddef.h>
#include <sys/types.h>

#include "csvread.h"
#include "error.h"

enum hx_enc {
	HX_ENC_UTF8 = 0,
	HX_ENC_TCVN3,
	HX_ENC_VNI,
	HX_ENC_CP1258
};
#define HX_ENC_COUNT 4

/* "UTF-8", "TCVN3", "VNI-Windows", "Windows-1258".  Static, never NULL. */
const char *hx_enc_name(enum hx_enc enc);

/*
 * The encoding a name means, case-insensitively: utf-8 utf8; tcvn3 tcvn
 * abc tcvn5712-1; vni vni-windows; windows-1258 cp1258 1258.  0, or -1 for
 * a name it does not know.
 */
int hx_enc_from_name(const char *name, enum hx_enc *out);

/* The names hx_enc_from_name knows, for a usage message.  Static. */
const char *hx_enc_names_help(void);

#define HX_ENC_EXPLAIN_SZ 400

struct hx_enc_guess {
	enum hx_enc enc;      /* the encoding chosen */
	int confidence;       /* 1..100: how clearly it beat the others */
	long letters;         /* Vietnamese letters with diacritics read in the sample */
	long odd;             /* words that read as no Vietnamese syllable in it */
	int decomposed;       /* UTF-8 with combining marks (normalised to NFC) */
	size_t bad_offset;    /* when nothing reads it: the first bad byte's offset */
	unsigned char bad_byte;
	char explain[HX_ENC_EXPLAIN_SZ]; /* in the clerk's language, no file name */
};

/*
 * Guess the encoding of sample[0..len) (the start of a file, without a
 * byte order mark: a few KiB to 64 KiB, the header and first rows).
 * final: the sample is the whole file (otherwise a character cut at its
 * end is not held against it).
 *
 * Valid UTF-8 is UTF-8 (text written in a legacy encoding is, in practice,
 * never valid UTF-8).  Otherwise each legacy encoding decodes the sample
 * and every word holding a decoded letter is checked against the shape of
 * a Vietnamese syllable (initial consonants, a known vowel group, a final
 * consonant, at most one tone mark); a byte that decodes to no letter
 * glued to letters counts as an odd word too.  The encoding reading the
 * most letters wins, if its odd words are at most a tenth of its letters;
 * the confidence says by how much it beat the runner-up.
 *
 * Returns 0 with g filled, or -1 when no encoding reads the sample
 * cleanly: g->bad_offset and g->bad_byte name the first byte that is not
 * UTF-8 and g->explain says so and what each legacy encoding made of it.
 */
int hx_enc_detect(const void *sample, size_t len, int final, struct hx_enc_guess *g);

/* ---- Converting a stream -------------------------------------------------- */

struct hx_enc_reader;

/*
 * A converter from enc to UTF-8 in NFC over read_fn(ctx), which gives the
 * file's bytes (after any byte order mark).  start_offset is the file
 * offset of its first byte (for messages).  Free with hx_enc_reader_free
 * (the inner source is not closed).
 */
struct hx_enc_reader *hx_enc_reader_new(enum hx_enc enc, hx_csv_read_fn read_fn, void *ctx,
                                        unsigned long long start_offset);
void hx_enc_reader_free(struct hx_enc_reader *r);

/*
 * An hx_csv_read_fn: ctx is a struct hx_enc_reader.  Fills buf with
 * converted text (never a UTF-8 sequence cut in two).  A byte the encoding
 * cannot read — a NUL, a byte outside UTF-8 or Windows-1258, a VNI byte
 * that is no letter or mark — is an HX_DATAERR naming its file offset:
 * "not valid VNI-Windows at byte offset 1234 (byte 0xA5)".
 */
ssize_t hx_enc_read(void *ctx, char *buf, size_t cap, struct hx_error *err);

/* Bytes of the source consumed so far (for progress). */
unsigned long long hx_enc_reader_bytes(const struct hx_enc_reader *r);

/*
 * Decode s[0..n) from enc into out (UTF-8, NFC) in one go: the converter
 * for a cell or a test.  Returns 0, or -1 with err filled as hx_enc_read
 * does (offsets counted from s).
 */
struct hx_buf;
int hx_enc_decode(enum hx_enc enc, const char *s, size_t n, struct hx_buf *out,
                  struct hx_error *err);

#endif
