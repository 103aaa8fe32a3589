/*
 * values.h — one cell of a submission into one COPY field, by type: the
 * conversions CSV rows and JSON submissions share.  Numbers go through
 * common/numparse, titles and booleans through common/vocab; dates are
 * read here (ISO 8601 date, or date-time with or without offset: Vietnam's
 * +07:00 when none is written).
 */
#ifndef HOCTAP_INGEST_VALUES_H
#define HOCTAP_INGEST_VALUES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bytes.h"
#include "copy.h"
#include "numparse.h"
#include "reasons.h"
#include "units.h"
#include "vocab.h"

enum val_type {
	VT_YEAR,     /* smallint */
	VT_UNIT,     /* a ref.units code, leading zeros restored */
	VT_TITLE,    /* a ref.titles key */
	VT_TITLE_NO, /* the same title as its ref.titles.sort_order (staging.register) */
	VT_COUNT,    /* bigint >= 0 */
	VT_PERCENT,  /* numeric, scale as written */
	VT_DECIMAL,  /* numeric */
	VT_MONEY,    /* bigint whole VND (times the column's multiplier) */
	VT_BOOL,     /* empty is false */
	VT_TIME,     /* timestamptz */
	VT_TEXT,     /* text as written (trimmed by the CSV reader) */
	VT_LEVEL,    /* smallint: a recognition level of the row's title */
	VT_GROUP     /* a group key of the row's title ("adult") */
};

/* Why a value was refused: a reason and a message without file/line/column. */
struct val_error {
	enum reason reason;   /* REASON_NOT_A_NUMBER, REASON_UNKNOWN_UNIT, ... */
	char msg[512];
};

/* Per-file caches, so that a register of a million rows of one commune and
 * title resolves them once. */
#define VAL_NUMBERS_CACHED 2048 /* decimals kept, text to value, two a hash (a register's scores repeat) */
#define VAL_NUMBER_TEXT 15     /* bytes of a cached decimal's text, and of its value */

struct val_cache {
	char unit_in[16];
	size_t unit_in_len;
	char unit_out[UNIT_RESOLVE_OUT];
	size_t unit_out_len;
	char title_in[96];
	size_t title_in_len;
	const char *title_key;
	enum hx_title title;     /* the same, as a title */
	/* Decimals and percents read before, by a hash of their text: each as
	 * written, how it was read (type, number style), and its COPY text. */
	struct val_number {
		char in[VAL_NUMBER_TEXT], out[VAL_NUMBER_TEXT];
		unsigned char in_len, out_len, type, style; /* in_len 0: empty slot */
	} numbers[VAL_NUMBERS_CACHED];
	/* Booleans as written in the file ("có", "x", "true"...): a file uses a few. */
	struct val_bool {
		char in[12];
		unsigned char len;
		unsigned char known;     /* 0: empty slot; else the value + 1 */
	} bools[4];
	unsigned next_bool;          /* the slot the next new spelling takes */
};

struct val_ctx {
	enum hx_num_style numbers;
	const struct unit_set *units;
	struct val_cache cache;
	int last_bool;        /* the value val_put last wrote for a VT_BOOL: 1 or 0 */
	/* The title val_put last wrote (VT_TITLE, VT_TITLE_NO): a VT_LEVEL or
	 * VT_GROUP is checked against it, so a row's title column must come
	 * before its level and group columns. */
	int has_title;
	enum hx_title last_title;
};

/*
 * val_put below, for the types other than text and booleans (it takes
 * those too): out of line.
 */
int val_put_other(struct val_ctx *c, enum val_type t, const char *s, size_t n,
                  int64_t multiplier, struct copy_sink *out, struct val_error *e);

/* A boolean spelling the file has not used before (or not lately): read, and kept. */
int val_bool_new(struct val_cache *k, const char *s, size_t n, int *v, struct val_error *e);

/* The blanks around s cut off (s[0..n) has one at an end: val_trim looked). */
void val_trim_blanks(const char **s, size_t *n);

/*
 * Trim s: the CSV reader has trimmed most cells already, so look first (a
 * blank is <= ' ').
 */
static inline void val_trim(const char **s, size_t *n)
{
	if (*n > 0 && ((unsigned char)(*s)[0] <= ' ' || (unsigned char)(*s)[*n - 1] <= ' '))
		val_trim_blanks(s, n);
}

/* val_put of a VT_TEXT value. */
static inline int val_put_text(const char *s, size_t n, struct copy_sink *out,
                               struct val_error *e)
{
	e->reason = REASON_NOT_A_NUMBER;
	e->msg[0] = '\0';
	val_trim(&s, &n);
	if (n == 0)
		return 1;
	copy_text(out, s, n);
	return 0;
}

/* val_put of a VT_BOOL value: from the spellings the file used before when it is one of them. */
static inline int val_put_bool(struct val_ctx *c, const char *s, size_t n, struct copy_sink *out,
                               struct val_error *e)
{
	int v = -1;

	e->reason = REASON_BAD_BOOLEAN;
	e->msg[0] = '\0';
	val_trim(&s, &n);
	for (size_t i = 0; i < sizeof c->cache.bools / sizeof c->cache.bools[0]; i++) {
		const struct val_bool *b = &c->cache.bools[i];

		if (b->known && b->len == n && hx_same_bytes(b->in, s, n)) {
			v = b->known - 1;
			break;
		}
	}
	if (v < 0 && val_bool_new(&c->cache, s, n, &v, e) < 0)
		return -1;
	copy_char(out, v ? 't' : 'f');
	c->last_bool = v;
	return 0;
}

_Static_assert(HX_TITLE_COUNT <= 9, "a title's number is one digit");

/* A title as its key, or (number) as its ref.titles.sort_order. */
static inline void val_write_title(enum hx_title t, int number, struct copy_sink *out)
{
	const char *key;

	if (number) {
		copy_char(out, (char)('1' + (int)t)); /* HX_TITLE_COUNT <= 9: one digit */
		return;
	}
	key = hx_vocab_title_key(t);
	copy_text(out, key, strlen(key));
}

/* A unit code the cache holds (the last one resolved): written as then, 1; else 0. */
static inline int val_put_unit_cached(struct val_ctx *c, const char *s, size_t n,
                                      struct copy_sink *out)
{
	const struct val_cache *k = &c->cache;

	if (n == 0 || n != k->unit_in_len || !hx_same_bytes(s, k->unit_in, n))
		return 0;
	copy_raw(out, k->unit_out, k->unit_out_len); /* digits: nothing to escape */
	return 1;
}

/* A title the cache holds (the last one read): written as then (number: its number), 1; else 0. */
static inline int val_put_title_cached(struct val_ctx *c, int number, const char *s, size_t n,
                                       struct copy_sink *out)
{
	const struct val_cache *k = &c->cache;

	if (n == 0 || k->title_key == NULL || n != k->title_in_len ||
	    !hx_same_bytes(s, k->title_in, n))
		return 0;
	val_write_title(k->title, number, out);
	c->has_title = 1;
	c->last_title = k->title;
	return 1;
}

/*
 * Convert s[0..n) of type t and append it to the row being written in out.
 * multiplier applies to VT_MONEY.  Returns 0 (appended), 1 (empty: nothing
 * appended — the caller writes NULL or refuses a required value), or -1
 * (refused: e filled, nothing appended).  Text and booleans, five of a
 * register row's eight values, inline: a call each cost more than them.
 */
static inline int val_put(struct val_ctx *c, enum val_type t, const char *s, size_t n,
                          int64_t multiplier, struct copy_sink *out, struct val_error *e)
{
	if (t == VT_TEXT)
		return val_put_text(s, n, out, e);
	if (t == VT_BOOL)
		return val_put_bool(c, s, n, out, e);
	/* The unit and the title of the row before, as trimmed cells nearly
	 * always are (a register's rows come list by list): written as then. */
	if (t == VT_UNIT && val_put_unit_cached(c, s, n, out))
		return 0;
	if ((t == VT_TITLE || t == VT_TITLE_NO) &&
	    val_put_title_cached(c, t == VT_TITLE_NO, s, n, out))
		return 0;
	return val_put_other(c, t, s, n, multiplier, out, e);
}

/*
 * A register row's flags must nest: only a registered household (clan,
 * village, unit) can be recognized, and only a recognized one exemplary.
 * flags: registered, recognized, exemplary, each 1, 0 or -1 (not given).
 * Returns 0, or -1 with e filled and *bad the index of the flag at fault
 * (1: recognized, 2: exemplary).
 */
int val_flags_nest(const int flags[3], int *bad, struct val_error *e);

/*
 * A VT_YEAR value read as val_put reads it, without writing it anywhere (a
 * row copied into its year's partition leaves the year to the partition's
 * default).  0 (year set), 1 (empty) or -1 (refused: e filled).
 */
int val_year(const char *s, size_t n, int *year, struct val_error *e);

/*
 * An ISO 8601 date ("2020-01-15") or date-time ("2020-01-15T08:00:00+07:00",
 * "2020-01-15 08:00", "...Z") into PostgreSQL timestamptz text (out, at
 * least 40 bytes).  0, 1 (empty) or -1 with msg.
 */
int val_timestamp(const char *s, size_t n, char *out, size_t outlen, char *msg, size_t msglen);

#endif
