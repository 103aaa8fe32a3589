/*
 * values.c — one cell into one COPY field (see values.h).  The parsing of
 * numbers, titles and booleans belongs to common/numparse and common/vocab;
 * this file only picks the parser, caches what repeats row after row, and
 * phrases the reason.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "i18n.h"
#include "lengthof.h"
#include "numparse.h"
#include "values.h"
#include "vocab.h"

void val_trim_blanks(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t'))
		(*s)++, (*n)--;
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/* Quote a value for a message, cut at 60 bytes on a character boundary. */
static void quoted(char *dst, size_t cap, const char *s, size_t n)
{
	size_t max = 60;

	if (n > max) {
		while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
			max--;
		snprintf(dst, cap, "\"%.*s…\"", (int)max, s);
	} else {
		snprintf(dst, cap, "\"%.*s\"", (int)n, s);
	}
}

static int put_unit(struct val_ctx *c, const char *s, size_t n, struct copy_sink *out,
                    struct val_error *e)
{
	struct val_cache *k = &c->cache;
	char q[96];
	enum unit_resolve r;

	if (val_put_unit_cached(c, s, n, out))
		return 0;
	r = units_resolve(c->units, s, n, k->unit_out);
	quoted(q, sizeof q, s, n);
	switch (r) {
	case UNIT_OK:
		k->unit_out_len = strlen(k->unit_out);
		if (n < sizeof k->unit_in) {
			memcpy(k->unit_in, s, n);
			k->unit_in_len = n;
		}
		copy_raw(out, k->unit_out, k->unit_out_len);
		return 0;
	case UNIT_EMPTY:
		return 1;
	case UNIT_MALFORMED:
		e->reason = REASON_BAD_UNIT_CODE;
		snprintf(e->msg, sizeof e->msg, _("%s is not a unit code (2 to 5 digits)"), q);
		break;
	case UNIT_UNKNOWN:
		e->reason = REASON_UNKNOWN_UNIT;
		snprintf(e->msg, sizeof e->msg, _("unknown unit code %s"), q);
		break;
	case UNIT_AMBIGUOUS:
		e->reason = REASON_AMBIGUOUS_UNIT;
		snprintf(e->msg, sizeof e->msg,
		         _("unit code %s lost its leading zeros and matches several units: %s"), q,
		         k->unit_out);
		break;
	}
	k->unit_in_len = 0;
	return -1;
}

static int put_title(struct val_ctx *c, int number, const char *s, size_t n,
                     struct copy_sink *out, struct val_error *e)
{
	struct val_cache *k = &c->cache;
	enum hx_title t;
	int rc;

	if (val_put_title_cached(c, number, s, n, out))
		return 0;
	c->has_title = 0;
	rc = hx_vocab_title(s, n, &t, e->msg, sizeof e->msg);
	if (rc != 0) {
		e->reason = REASON_UNKNOWN_TITLE;
		return rc;
	}
	c->has_title = 1;
	c->last_title = t;
	if (n < sizeof k->title_in) {
		memcpy(k->title_in, s, n);
		k->title_in_len = n;
		k->title_key = hx_vocab_title_key(t);
		k->title = t;
	}
	val_write_title(t, number, out);
	return 0;
}

/*
 * The two cache slots a decimal's text may be in (FNV-1a of its bytes
 * picks the pair): a register's scores take several hundred values, and
 * with one slot each, two of them that hash alike kept replacing each
 * other.
 */
static struct val_number *number_slots(struct val_cache *k, const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return &k->numbers[h % (VAL_NUMBERS_CACHED / 2) * 2];
}

static int number_is(const struct val_number *slot, const char *s, size_t n, unsigned char type,
                     unsigned char style)
{
	return slot->in_len == n && slot->type == type && slot->style == style &&
	       hx_same_bytes(slot->in, s, n);
}

/*
 * A decimal or percent: its text read as before when it was read before
 * in the same number style (a register's scores take a few hundred
 * values), else parsed, and kept when it fits: in the pair's empty slot,
 * else in the first, whose text moves to the second.
 */
static int put_decimal(struct val_ctx *c, int percent, const char *s, size_t n,
                       struct copy_sink *out, struct val_error *e)
{
	struct val_number *pair = n > 0 && n < VAL_NUMBER_TEXT ? number_slots(&c->cache, s, n) : NULL;
	unsigned char type = percent ? VT_PERCENT : VT_DECIMAL, style = (unsigned char)c->numbers;
	struct hx_decimal d;
	char buf[HX_DECIMAL_BUFSZ];
	size_t len;
	int rc;

	for (int w = 0; pair != NULL && w < 2; w++) {
		if (number_is(&pair[w], s, n, type, style)) {
			copy_raw(out, pair[w].out, pair[w].out_len);
			return HX_NUM_OK;
		}
	}
	rc = percent ? hx_num_parse_percent(s, n, c->numbers, &d, e->msg, sizeof e->msg)
	             : hx_num_parse_decimal(s, n, c->numbers, &d, e->msg, sizeof e->msg);
	if (rc != HX_NUM_OK)
		return rc;
	len = hx_decimal_format(&d, buf, sizeof buf);
	copy_raw(out, buf, len);
	if (pair != NULL && len < VAL_NUMBER_TEXT) {
		struct val_number *slot = &pair[0];

		if (pair[0].in_len != 0 && pair[1].in_len == 0)
			slot = &pair[1];
		else if (pair[0].in_len != 0)
			pair[1] = pair[0];
		memcpy(slot->in, s, n);
		memcpy(slot->out, buf, len);
		slot->in_len = (unsigned char)n;
		slot->out_len = (unsigned char)len;
		slot->type = type;
		slot->style = style;
	}
	return rc;
}

/* A recognition level or a group, checked against the row's title. */
static int put_level_or_group(struct val_ctx *c, int level, const char *s, size_t n,
                              struct copy_sink *out, struct val_error *e)
{
	enum hx_group g;
	int v, rc;

	e->reason = level ? REASON_BAD_LEVEL : REASON_BAD_GROUP;
	if (!c->has_title) {
		/* The title column comes first in every kind (csvsub.c, jsonsub.c). */
		snprintf(e->msg, sizeof e->msg, "%s", level ? _("a level needs the row's title")
		                                            : _("a group needs the row's title"));
		return -1;
	}
	if (level) {
		rc = hx_vocab_recognition_level(s, n, c->last_title, &v, e->msg, sizeof e->msg);
		if (rc == 0)
			copy_int(out, v);
	} else {
		rc = hx_vocab_group(s, n, c->last_title, &g, e->msg, sizeof e->msg);
		if (rc == 0)
			copy_text(out, hx_vocab_group_key(g), strlen(hx_vocab_group_key(g)));
	}
	return rc;
}

int val_bool_new(struct val_cache *k, const char *s, size_t n, int *v, struct val_error *e)
{
	struct val_bool *b;
	int rc = hx_vocab_bool(s, n, v, e->msg, sizeof e->msg);

	if (rc >= 0 && n < sizeof b->in) {
		b = &k->bools[k->next_bool++ % lengthof(k->bools)];
		memcpy(b->in, s, n);
		b->len = (unsigned char)n;
		b->known = (unsigned char)(*v + 1);
	}
	return rc;
}

int val_year(const char *s, size_t n, int *year, struct val_error *e)
{
	int rc;

	e->msg[0] = '\0';
	val_trim(&s, &n);
	if (n == 0)
		return 1;
	rc = hx_num_parse_year(s, n, year, e->msg, sizeof e->msg);
	e->reason = REASON_BAD_YEAR;
	return rc < 0 ? -1 : rc;
}

/*
 * A number the parser refused may be a good number below 0: its reason is
 * then REASON_NEGATIVE, not REASON_NOT_A_NUMBER, so that the summary and findings
 * group it truthfully (a clerk fixes a sign, not a typo).  Read again only
 * on this failure path.
 */
static enum reason number_reason(const struct val_ctx *c, const char *s, size_t n)
{
	struct hx_decimal d;
	char msg[8];

	if (n > 0 && s[n - 1] == '%')
		n--;
	if (hx_num_parse_decimal(s, n, c->numbers, &d, msg, sizeof msg) == HX_NUM_OK && d.negative)
		return REASON_NEGATIVE;
	return REASON_NOT_A_NUMBER;
}

int val_put_other(struct val_ctx *c, enum val_type t, const char *s, size_t n,
                  int64_t multiplier, struct copy_sink *out, struct val_error *e)
{
	int64_t v;
	int iv, rc = -1;
	char ts[64];

	e->reason = REASON_NOT_A_NUMBER;
	e->msg[0] = '\0';
	val_trim(&s, &n);
	if (n == 0 && t != VT_BOOL)
		return 1;
	switch (t) {
	case VT_YEAR:
		rc = val_year(s, n, &iv, e);
		if (rc != 0)
			return rc;
		copy_int(out, iv);
		return 0;
	case VT_UNIT:
		return put_unit(c, s, n, out, e);
	case VT_TITLE:
	case VT_TITLE_NO:
		return put_title(c, t == VT_TITLE_NO, s, n, out, e);
	case VT_COUNT:
		rc = hx_num_parse_count(s, n, c->numbers, &v, e->msg, sizeof e->msg);
		if (rc == HX_NUM_OK)
			copy_int(out, v);
		break;
	case VT_PERCENT:
		rc = put_decimal(c, 1, s, n, out, e);
		break;
	case VT_DECIMAL:
		rc = put_decimal(c, 0, s, n, out, e);
		break;
	case VT_MONEY:
		rc = hx_num_parse_money_vnd(s, n, c->numbers, multiplier, &v, e->msg, sizeof e->msg);
		if (rc == HX_NUM_OK)
			copy_int(out, v);
		break;
	case VT_BOOL:
		return val_put_bool(c, s, n, out, e);
	case VT_TIME:
		e->reason = REASON_BAD_DATE;
		rc = val_timestamp(s, n, ts, sizeof ts, e->msg, sizeof e->msg);
		if (rc == 0)
			copy_raw(out, ts, strlen(ts));
		break;
	case VT_TEXT:
		return val_put_text(s, n, out, e);
	case VT_LEVEL:
	case VT_GROUP:
		return put_level_or_group(c, t == VT_LEVEL, s, n, out, e);
	}
	if (rc < 0 && (t == VT_COUNT || t == VT_PERCENT || t == VT_DECIMAL || t == VT_MONEY))
		e->reason = number_reason(c, s, n);
	return rc < 0 ? -1 : rc;
}

int val_flags_nest(const int flags[3], int *bad, struct val_error *e)
{
	e->reason = REASON_FLAGS_CONTRADICT;
	if (flags[1] == 1 && flags[0] == 0) {
		*bad = 1;
		snprintf(e->msg, sizeof e->msg, "%s",
		         _("recognized is yes but registered is no: only a registered household "
		           "(clan, village, unit) can be recognized; correct one of the two"));
		return -1;
	}
	if (flags[2] == 1 && flags[1] == 0) {
		*bad = 2;
		snprintf(e->msg, sizeof e->msg, "%s",
		         _("exemplary is yes but recognized is no: only a recognized household "
		           "(clan, village, unit) can be exemplary; correct one of the two"));
		return -1;
	}
	return 0;
}

/* Read exactly w digits at s[*i]. */
static int digits(const char *s, size_t n, size_t *i, int w, int *out)
{
	int v = 0;

	for (int k = 0; k < w; k++, (*i)++) {
		if (*i >= n || s[*i] < '0' || s[*i] > '9')
			return -1;
		v = v * 10 + (s[*i] - '0');
	}
	*out = v;
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

int val_timestamp(const char *s, size_t n, char *out, size_t outlen, char *msg, size_t msglen)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, oh = 7, om = 0, sign = 1;
	size_t i = 0;
	char q[96];

	val_trim(&s, &n);
	if (n == 0)
		return 1;
	quoted(q, sizeof q, s, n);
	if (digits(s, n, &i, 4, &y) < 0 || i >= n || s[i++] != '-' || digits(s, n, &i, 2, &mo) < 0 ||
	    i >= n || s[i++] != '-' || digits(s, n, &i, 2, &d) < 0)
		goto bad;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || y < 1900 || y > 2200)
		goto bad;
	if (i < n) {
		if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
			goto bad;
		i++;
		if (digits(s, n, &i, 2, &h) < 0 || i >= n || s[i++] != ':' ||
		    digits(s, n, &i, 2, &mi) < 0)
			goto bad;
		if (i < n && s[i] == ':') {
			i++;
			if (digits(s, n, &i, 2, &sec) < 0)
				goto bad;
			if (i < n && (s[i] == '.' || s[i] == ',')) /* fractions of a second: dropped */
				for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
					;
		}
		if (h > 23 || mi > 59 || sec > 59)
			goto bad;
		if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
			oh = om = 0;
			i++;
		} else if (i < n && (s[i] == '+' || s[i] == '-')) {
			sign = s[i++] == '-' ? -1 : 1;
			if (digits(s, n, &i, 2, &oh) < 0)
				goto bad;
			if (i < n && s[i] == ':')
				i++;
			if (i < n && digits(s, n, &i, 2, &om) < 0)
				goto bad;
			if (oh > 14 || om > 59)
				goto bad;
		}
		if (i != n)
			goto bad;
	}
	snprintf(out, outlen, "%04d-%02d-%02d %02d:%02d:%02d%c%02d:%02d", y, mo, d, h, mi, sec,
	         sign < 0 ? '-' : '+', oh, om);
	return 0;
bad:
	snprintf(msg, msglen,
	         _("%s is not a date: write 2020-01-15 or 2020-01-15T08:00:00+07:00 (ISO 8601)"), q);
	return -1;
}
