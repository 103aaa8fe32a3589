/*
 * strstore.h — a table of strings by index whose memory stays bounded
 * however many strings it holds: an .xlsx workbook's shared strings
 * (sharedStrings.xml), which for a register of 400,000 households holds a
 * string per household name — more than the ingest's 16 MiB memory bound
 * allows if kept whole.
 *
 * Strings are kept in memory up to a budget; those added after it go to an
 * unlinked temporary file (tmpfile(3)), with their offsets in a second
 * one.  A workbook writes its shared strings in the order cells first use
 * them, so the strings that repeat (a village, a title) come early and stay
 * in memory, and the rows that use the rest use them mostly in increasing
 * order: look-ups read the files through windows that move forward, a read
 * per window rather than per string.
 */
#ifndef HOCTAP_STRSTORE_H
#define HOCTAP_STRSTORE_H

#include <stddef.h>

#include "error.h"

/* The default budget in memory (strings and their offsets). */
#define HX_STRSTORE_BUDGET_DEFAULT ((size_t)3 * 1024 * 1024)
/* The most strings a table holds (sharedStrings.xml of Excel's largest
 * sheet, 1,048,576 rows x a few text columns, has fewer). */
#define HX_STRSTORE_MAX_COUNT ((size_t)16 * 1024 * 1024)
/* The longest string kept: longer ones are kept cut, with a flag. */
#define HX_STRSTORE_MAX_LEN ((size_t)1 << 30)

struct hx_strstore;

/* A new, empty table; budget 0 is the default.  Never NULL. */
struct hx_strstore *hx_strstore_new(size_t budget);
void hx_strstore_free(struct hx_strstore *s);

/*
 * Add s[0..n) as the next string (index hx_strstore_count() before the
 * call), with flag (0 or 1: the caller's mark, e.g. "cut at the field
 * cap").  Returns 0, or -1 with err filled (the temporary file could not be
 * written, or HX_STRSTORE_MAX_COUNT reached).
 */
int hx_strstore_add(struct hx_strstore *s, const char *p, size_t n, int flag,
                    struct hx_error *err);

size_t hx_strstore_count(const struct hx_strstore *s);
/* Strings kept in memory (the rest are in the temporary file). */
size_t hx_strstore_in_memory(const struct hx_strstore *s);

/*
 * String i: *p (NUL-terminated, borrowed until the next call on s), *n, and
 * *flag as added.  Returns 0, or -1 with err filled (i out of range, or a
 * read of the temporary file failed).
 */
int hx_strstore_get(struct hx_strstore *s, size_t i, const char **p, size_t *n, int *flag,
                    struct hx_error *err);

#endif
