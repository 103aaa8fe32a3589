/*
 * nfc.h — Unicode text in normalisation form C (precomposed), through
 * utf8proc.  Spreadsheets and legacy converters give Vietnamese letters
 * either precomposed ("ệ", U+1EC7) or decomposed ("e" U+0302 U+0323, as a
 * Mac or some input methods type them); folding, matching and PostgreSQL
 * comparisons need one form, and NFC is the one Vietnamese text uses.
 */
#ifndef HOCTAP_NFC_H
#define HOCTAP_NFC_H

#include <stddef.h>

#include "buf.h"

/*
 * 1 if s[0..n) is surely NFC without asking utf8proc: every code point is
 * below U+0300 or in U+1E00..U+1EFF (Latin Extended Additional, where
 * Vietnamese's precomposed letters live) or U+2002..U+20CF (punctuation,
 * currency).  These are all NFC-stable starters, so such text is already
 * in NFC.  0 when utf8proc must look (or when s is not valid UTF-8).
 */
int hx_nfc_quick(const char *s, size_t n);

/*
 * Append s[0..n) in NFC to out.  s must be valid UTF-8 (it may hold NULs).
 * Returns 0, or -1 when s is not valid UTF-8 or out's cap is reached (out
 * then holds what fitted).
 */
int hx_nfc_append(const char *s, size_t n, struct hx_buf *out);

/*
 * Where text being streamed may be cut so that normalising the two parts
 * apart equals normalising them whole: the offset of the last starter
 * (a code point of combining class 0) in s[0..n), which marks in the next
 * part may still attach to.  s holds whole UTF-8 code points.  0 when s
 * has no starter past its first byte.
 */
size_t hx_nfc_safe_cut(const char *s, size_t n);

/*
 * Decode one UTF-8 code point at s[0..n): returns its length (1-4) with
 * *cp set, or 0 when s does not start with a valid code point.
 */
size_t hx_utf8_decode(const char *s, size_t n, unsigned long *cp);
/* Encode cp (<= U+10FFFF, not a surrogate) into out[0..4); returns the length. */
size_t hx_utf8_encode(unsigned long cp, char out[4]);

#endif
