/*
 * text.h — what bytes a submission file holds, and text folding for
 * matching (docs/design.md §4.2).
 *
 * Files must be UTF-8 (a BOM is allowed); UTF-16 with a BOM is converted.
 * Anything else is refused with a message that names the first bad byte and,
 * where it can tell, what the file probably is: UTF-16 without a BOM, an
 * Excel workbook, or text typed with a legacy Vietnamese font encoding
 * (TCVN3/ABC or VNI), which offices still produce.
 *
 * Nothing here allocates: every function writes into the caller's buffers,
 * so readers can check and convert a file chunk by chunk.
 */
#ifndef HOCTAP_TEXT_H
#define HOCTAP_TEXT_H

#include <stddef.h>

/* ---- What the file is ---------------------------------------------------- */

enum hx_text_encoding {
	HX_TEXT_UTF8,          /* no BOM; still to be checked with hx_text_utf8_check */
	HX_TEXT_UTF8_BOM,      /* EF BB BF */
	HX_TEXT_UTF16LE_BOM,   /* FF FE: convert with hx_text_utf16_to_utf8 */
	HX_TEXT_UTF16BE_BOM,   /* FE FF */
	HX_TEXT_UTF16LE_NOBOM, /* guessed from NUL bytes at odd offsets: refused */
	HX_TEXT_UTF16BE_NOBOM, /* guessed from NUL bytes at even offsets: refused */
	HX_TEXT_UTF32,         /* a UTF-32 BOM: refused */
	HX_TEXT_ZIP,           /* "PK\3\4": an .xlsx workbook or another ZIP file */
	HX_TEXT_OLE,           /* D0 CF 11 E0: an .xls workbook or another Office file */
	HX_TEXT_BINARY         /* NUL bytes in no UTF-16 pattern */
};

/*
 * Look at the first bytes of a file (a few KiB are plenty; fewer work) and
 * say what it is.  *bom_len (may be NULL) is set to the length of the BOM to
 * skip (0, 2 or 3).  Only BOMs, magic numbers and NUL bytes are looked at:
 * HX_TEXT_UTF8 means "no reason to think it is anything else".
 */
enum hx_text_encoding hx_text_sniff(const void *head, size_t len, size_t *bom_len);

/* "UTF-8", "UTF-16LE", ... for logs and file records.  Never NULL. */
const char *hx_text_encoding_name(enum hx_text_encoding enc);

/*
 * For an encoding the readers refuse, a message a clerk can act on (without
 * the file name, which the caller prefixes), e.g. "looks like UTF-16 without
 * a byte-order mark; save it as UTF-8".  NULL for the encodings that are
 * read (UTF-8 with or without BOM, UTF-16 with BOM).  Static text.
 */
const char *hx_text_encoding_problem(enum hx_text_encoding enc);

/* ---- UTF-8 ---------------------------------------------------------------- */

/*
 * Check that data[0..len) is well-formed UTF-8 (RFC 3629: no overlong forms,
 * no surrogates, nothing above U+10FFFF) with no NUL byte (a NUL is never
 * text, and PostgreSQL text cannot hold one).  Returns 0 if it is; otherwise
 * -1 with *bad_offset (may be NULL) the offset of the first byte of the
 * first malformed sequence.  A sequence cut off by the end of the data is
 * malformed: to check a file in chunks, hold back the last
 * hx_text_utf8_incomplete_tail() bytes of each chunk for the next one.
 */
int hx_text_utf8_check(const void *data, size_t len, size_t *bad_offset);

/*
 * How many bytes at the end of data[0..len) are the valid beginning of a
 * UTF-8 sequence that the data cuts off (0 to 3).
 */
size_t hx_text_utf8_incomplete_tail(const void *data, size_t len);

/* ---- UTF-16 --------------------------------------------------------------- */

/*
 * State of one UTF-16 to UTF-8 conversion, chunk by chunk.  Initialise with
 * hx_text_utf16_init; each call of hx_text_utf16_to_utf8 then reports
 * through it.
 */
struct hx_text_utf16 {
	int big_endian;
	size_t offset;      /* file offset of the next input byte (for messages) */
	size_t in_used;     /* input bytes consumed by the last call */
	size_t out_len;     /* output bytes written by the last call */
	size_t bad_offset;  /* on error: file offset of the offending code unit */
	const char *error;  /* on error: what is wrong, static English text */
};

/* Start a conversion; start_offset is the file offset of the first byte that
 * will be passed in (the BOM length when the caller skipped the BOM). */
void hx_text_utf16_init(struct hx_text_utf16 *c, int big_endian, size_t start_offset);

/*
 * Convert as much of in[0..inlen) as fits into out[0..outcap) and as is
 * complete: c->in_used bytes of input become c->out_len bytes of UTF-8 (no
 * NUL is appended).  Input left over (an odd last byte, a high surrogate
 * whose partner is in the next chunk, or no room in out) is the caller's to
 * pass again at the start of the next call.  outcap >= inlen / 2 * 3 + 4
 * always consumes everything complete.  With final != 0 there is no next
 * chunk, and a left-over odd byte or high surrogate is an error.
 * Returns 0, or -1 with c->error and c->bad_offset set: a lone surrogate,
 * an odd number of bytes, or U+0000 (never text).
 */
int hx_text_utf16_to_utf8(struct hx_text_utf16 *c, const void *in, size_t inlen,
                          int final, char *out, size_t outcap);

/* ---- Legacy Vietnamese encodings ------------------------------------------ */

enum hx_text_legacy {
	HX_TEXT_LEGACY_NONE,
	HX_TEXT_LEGACY_TCVN3,   /* TCVN 5712 "ABC" fonts (.VnTime): one byte a letter */
	HX_TEXT_LEGACY_VNI      /* VNI fonts (VNI-Times): letter + accent byte */
};

/*
 * Guess whether data (a sample of a file that is not valid UTF-8, e.g. its
 * first 64 KiB) was typed with a legacy Vietnamese font encoding.  A
 * heuristic over the bytes that are not valid UTF-8 (valid sequences are
 * skipped, so a file mixing both is judged by its bad part):
 *   TCVN3 puts each marked Vietnamese letter in one byte 0xA1..0xFE.  Those
 *     in 0xA1..0xBF (đ 0xAE, ư 0xAD, ơ 0xAC, ô 0xAB, à 0xB5, á 0xB8, ả 0xB6,
 *     ã 0xB7, ạ 0xB9, ...) are symbols in Latin-1 and can never follow an
 *     ASCII letter in UTF-8, so such a byte glued to a letter counts for TCVN3.
 *   VNI writes the base vowel in ASCII followed by an accent byte: "aø" (à),
 *     "aù" (á), "oâ" (ô), "eâ" (ê), "ö" (ư), "ñ" (đ).  An accent byte of
 *     VNI's set right after an ASCII vowel counts for VNI.
 * The file is judged legacy when such bytes are at least a quarter of its
 * bad bytes, and at least three of them or half (Windows-1252 text, with a
 * curly quote here and a "naïve" there, is not); the larger count names the
 * encoding.
 */
enum hx_text_legacy hx_text_legacy_guess(const void *data, size_t len);

/*
 * Explain bytes that hx_text_utf8_check refused, for a clerk: data is a
 * sample of the file (its start, or the chunk around the bad byte),
 * bad_offset the file offset of the bad byte, bad_byte its value.  Writes,
 * e.g., "not valid UTF-8 at byte offset 1234 (byte 0xB8): it looks like a
 * legacy TCVN3 (ABC) or VNI font encoding; save it as UTF-8 ..." into
 * msg[0..msglen) (NUL-terminated; no file name).
 */
void hx_text_explain_invalid(const void *data, size_t len, size_t bad_offset,
                             unsigned char bad_byte, char *msg, size_t msglen);

/*
 * Explain a NUL byte at file offset bad_offset, on physical line line (0:
 * not known), for a clerk: "is not a text file: it contains a NUL byte at
 * byte offset 106 (line 3); ...".  hx_text_explain_invalid says the same
 * (without the line) for a NUL.  Writes into msg[0..msglen) as it does.
 */
void hx_text_explain_nul(size_t bad_offset, long line, char *msg, size_t msglen);

/* ---- Folding for matching ------------------------------------------------- */

/*
 * Fold text for case- and diacritic-insensitive matching, as headers,
 * titles and booleans are matched:
 *   - ASCII letters are lowercased;
 *   - Latin letters with diacritics (all of Vietnamese: à á ả ã ạ ă ằ ... ỹ ỵ,
 *     upper and lower case, and the rest of Latin-1) become their base
 *     letter; đ, Đ (and Ð U+00D0, Ɖ U+0189, which people type for Đ) become d;
 *   - combining marks U+0300..U+036F (text that arrives decomposed, NFD) and
 *     zero-width characters (U+200B..U+200D, U+FEFF, U+00AD) are dropped;
 *   - runs of whitespace (including U+00A0, U+2000..U+200A, U+202F, U+3000),
 *     '_', '-' and dashes (U+2010..U+2015, U+2212) become one space, and
 *     the ends are trimmed;
 *   - everything else is copied unchanged (bytes that are not UTF-8 too).
 * "Mã đơn vị" -> "ma don vi", "NĂM" -> "nam", "Gia  đình   Hiếu học" ->
 * "gia dinh hieu hoc".
 * Folding never lengthens text, so outlen > len always suffices.  Writes at
 * most outlen bytes including the NUL (out is always NUL-terminated when
 * outlen > 0) and returns the length of the whole folded text: a result >=
 * outlen means it was cut (as snprintf does).
 */
size_t hx_text_fold_n(const char *s, size_t len, char *out, size_t outlen);

/* hx_text_fold_n of a NUL-terminated string. */
size_t hx_text_fold(const char *utf8, char *out, size_t outlen);

/* ---- Quoting values in messages ------------------------------------------- */

/* A buffer for hx_text_excerpt: 64 bytes of the value, "..." and the NUL. */
#define HX_TEXT_EXCERPT_SZ 68

/*
 * Copy s[0..len) into out[0..outlen) for quoting in a message: whole if it
 * fits, otherwise cut at a UTF-8 character boundary with "..." appended.
 * Control characters and bytes that are not UTF-8 are shown as '?', so the
 * result is always valid UTF-8 (messages are stored in PostgreSQL text
 * columns).  Returns out (always NUL-terminated; outlen must be at least 4).
 */
const char *hx_text_excerpt(const char *s, size_t len, char *out, size_t outlen);

/*
 * printf into a caller's message buffer of msglen bytes (msg may be NULL or
 * msglen 0: nothing is written).  A message cut to fit never ends in half a
 * UTF-8 character.  Used by the parsers for their error messages.
 */
void hx_text_msgf(char *msg, size_t msglen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
