/*
 * numparse.h — numbers as Vietnamese spreadsheets write them (docs/design.md §4.2).
 *
 * Two conventions:
 *   HX_NUM_VI (the default): '.' or a space separates thousands in groups of
 *     exactly three digits ("7.105" = 7105, "1.234.567"), ',' is the decimal
 *     mark ("37,28" = 37.28).  Because many files come from machines, a '.'
 *     that cannot be a thousands separator is read as a decimal point
 *     ("37.28", "0.5", "1.2345", "1234.567"), and a value that only reads the
 *     English way ("1,234,567", "1,234.5") is read that way.  A value that
 *     reads both ways with different values is handled so:
 *       - "7.105": 7105 (the documented default: '.' groups thousands);
 *       - "1,213": rejected, naming both readings (1.213 or 1213), since
 *         English exports write counts that way and a decimal comma with
 *         exactly three decimals is rare; declaring the file English settles it.
 *   HX_NUM_EN (declared by option or header hint): ',' or a space separates
 *     thousands, '.' is the decimal mark.  Strict: "37,28" is an error.
 *
 * Spaces used as thousands separators may be ASCII, U+00A0 (no-break),
 * U+202F (narrow no-break), U+2009 (thin) or U+2007 (figure space); the same
 * characters, tab, CR and LF are trimmed at both ends.  Empty text is
 * "absent", which is not an error: the caller decides whether the column
 * may be empty.
 *
 * Every parser here:
 *   - reads s[0..len) (no NUL needed; s may be NULL when len is 0);
 *   - returns HX_NUM_OK (0), HX_NUM_ABSENT (1) or HX_NUM_ERROR (-1);
 *   - on error writes an English sentence a clerk can act on into
 *     msg[0..msglen) (always NUL-terminated and valid UTF-8, cut at a
 *     character if msglen is short; msg may be NULL), quoting the
 *     value, e.g. "\"7.9O5\" is not a number: \"O\" is not a digit".  The
 *     caller prefixes file, line and column;
 *   - leaves *out unchanged unless it returns HX_NUM_OK;
 *   - allocates nothing and keeps no state (safe from any thread).
 * Input text is assumed to be UTF-8 (the readers check files first); quoted
 * values are cut at a character boundary so messages stay valid UTF-8.
 */
#ifndef HOCTAP_NUMPARSE_H
#define HOCTAP_NUMPARSE_H

#include <stddef.h>
#include <stdint.h>

enum hx_num_style {
	HX_NUM_VI = 0, /* '.' thousands, ',' decimal (default) */
	HX_NUM_EN      /* ',' thousands, '.' decimal */
};

enum hx_num_status {
	HX_NUM_OK = 0,
	HX_NUM_ABSENT = 1, /* empty or only whitespace */
	HX_NUM_ERROR = -1  /* message in msg */
};

/*
 * An exact decimal: value = (negative ? -1 : 1) * digits / 10^scale.
 * scale is the number of decimals as written ("21,40" has digits 2140,
 * scale 2): a finding compares a reported rate with the rate rounded or
 * truncated to the decimals the submitter wrote, so trailing zeros count.
 * digits >= 0; 0 <= scale <= HX_DECIMAL_MAX_SCALE; zero is never negative.
 */
struct hx_decimal {
	int64_t digits;
	int scale;
	int negative;
};

#define HX_DECIMAL_MAX_SCALE 18
/* Enough for any struct hx_decimal formatted by hx_decimal_format. */
#define HX_DECIMAL_BUFSZ 48

/* Years accepted by hx_num_parse_year. */
#define HX_YEAR_MIN 2000
#define HX_YEAR_MAX 2100

/*
 * Parse a number of the given style exactly (never through binary floating
 * point).  Errors: not a number, ambiguous ("1,213" in HX_NUM_VI), more than
 * 18 significant digits ("too large" when the whole part alone does not fit
 * int64_t).
 */
int hx_num_parse_decimal(const char *s, size_t len, enum hx_num_style st,
                         struct hx_decimal *out, char *msg, size_t msglen);

/*
 * A count (households, clans, scholarships): a whole number >= 0.  Decimals
 * that are all zero ("12,0", "7.105,00") are accepted; "12,5" and "-5" are
 * errors.
 */
int hx_num_parse_count(const char *s, size_t len, enum hx_num_style st,
                       int64_t *out, char *msg, size_t msglen);

/*
 * An amount of money in whole VND: the value written times multiplier
 * (1 for a VND column, 1000000 for a million-VND column).  "346.458" with
 * multiplier 1000000 is 346458000000; "1,5" is 1500000.  A negative amount,
 * an amount that is not a whole number of VND, or one beyond int64_t is an
 * error.  multiplier must be > 0 (otherwise HX_NUM_ERROR).
 */
int hx_num_parse_money_vnd(const char *s, size_t len, enum hx_num_style st,
                           int64_t multiplier, int64_t *out_vnd,
                           char *msg, size_t msglen);

/*
 * A percentage as submitters write it, with or without a trailing '%'
 * ("37,28", "37,28%", "37,28 %"); the value and scale are those written
 * (37.28, scale 2).  A negative percentage is an error; one above 100 is not
 * (the transform's findings judge it).
 */
int hx_num_parse_percent(const char *s, size_t len, enum hx_num_style st,
                         struct hx_decimal *out, char *msg, size_t msglen);

/*
 * A year: four digits in HX_YEAR_MIN..HX_YEAR_MAX.  A year that a
 * spreadsheet formatted as a number ("2.019", "2,019", "2 019") is read as
 * 2019: no year is a fraction, so this is never ambiguous.
 */
int hx_num_parse_year(const char *s, size_t len, int *out,
                      char *msg, size_t msglen);

/*
 * Canonical machine text of d for PostgreSQL numeric input: '.' decimal
 * point, no grouping, the scale kept ("21.40", "0.05", "-3", "7105").
 * Writes at most len bytes including the NUL; HX_DECIMAL_BUFSZ always
 * suffices.  Returns the length of the full text (as snprintf does).
 */
size_t hx_decimal_format(const struct hx_decimal *d, char *buf, size_t len);

/*
 * The number style named by an option or header hint: "vi", "vn",
 * "vietnamese" or "en", "english" (any case).  Returns 0, or -1 if the name
 * is none of these (*out unchanged).
 */
int hx_num_style_from_name(const char *name, enum hx_num_style *out);

/* "vi" or "en", as stored in staging.files.number_style. */
const char *hx_num_style_name(enum hx_num_style st);

#endif
