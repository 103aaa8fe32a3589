/*
 * conflicts.c — rows of one file about the same thing (see conflicts.h).
 *
 * Each key (the row's key columns as written into the COPY row: the unit
 * with its zeros restored, the title as its key, so "Gia đình học tập" and
 * "family" are one title) is kept once, in an open-addressing table, with a
 * hash of the row's values, its line and its index in the sink; its bytes
 * and the first row's label and raw text are kept in two arenas.  Keys are
 * compared byte for byte, never by hash alone: two keys that merely hash
 * alike never conflict.  Rows whose values hash alike are taken for the
 * same: the same values loaded once, not a choice between two figures.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "conflicts.h"
#include "i18n.h"
#include "text.h"

struct entry {
	uint64_t hash;             /* of the kind and the key; 0: an empty slot */
	uint64_t row_hash;         /* of the row's values */
	uint32_t key_off;          /* the key's bytes in keys */
	uint16_t key_len;
	uint16_t raw_len;          /* the first row's raw text, after its label, in notes */
	uint32_t note_off;
	uint32_t sink_row;         /* the first row's index in its sink */
	int32_t line;              /* the first row's line */
	uint8_t label_len;         /* 0 and raw_len 0: no note kept */
	uint8_t kind;
	uint8_t conflicting;       /* a later row conflicts with the first: it is left out */
	uint8_t has_note;
};

struct dropped {
	unsigned long long *rows;
	size_t n, cap;
	int sorted;
};

struct conflicts {
	struct entry *slots;
	size_t nslots, nkeys;
	char *keys;
	size_t keys_len, keys_cap;
	char *notes;
	size_t notes_len, notes_cap;
	int checked;
	struct dropped dropped[2]; /* tally, fund */
};

struct conflicts *conflicts_new(void)
{
	struct conflicts *c = hx_calloc(1, sizeof *c);

	c->checked = 1;
	return c;
}

void conflicts_free(struct conflicts *c)
{
	if (c == NULL)
		return;
	free(c->slots);
	free(c->keys);
	free(c->notes);
	free(c->dropped[0].rows);
	free(c->dropped[1].rows);
	free(c);
}

int conflicts_checked(const struct conflicts *c)
{
	return c->checked;
}

/* FNV-1a, 64 bits: a tally or fund row is some tens of bytes, and few a file. */
static uint64_t hash_bytes(uint64_t h, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 0x100000001b3ULL;
	return h;
}

/* Append n bytes to an arena (at most max bytes): their offset, or -1 past max. */
static long arena_add(char **a, size_t *len, size_t *cap, size_t max, const char *p, size_t n)
{
	size_t off = *len;

	if (n > max || *len > max - n)
		return -1;
	if (*len + n > *cap) {
		size_t want = *cap ? *cap : 4096;

		while (want < *len + n)
			want *= 2;
		*a = hx_realloc(*a, want);
		*cap = want;
	}
	if (n > 0)
		memcpy(*a + off, p, n);
	*len += n;
	return (long)off;
}

static void grow(struct conflicts *c)
{
	size_t size = c->nslots ? c->nslots * 2 : 64;
	struct entry *slots = hx_calloc(size, sizeof *slots);

	for (size_t i = 0; i < c->nslots; i++) {
		size_t j;

		if (c->slots[i].hash == 0)
			continue;
		for (j = c->slots[i].hash & (size - 1); slots[j].hash != 0; j = (j + 1) & (size - 1))
			;
		slots[j] = c->slots[i];
	}
	free(c->slots);
	c->slots = slots;
	c->nslots = size;
}

/* Where field i of the row being written in s starts, and its length. */
static const char *field_of(const struct copy_sink *s, int i, size_t *n)
{
	const char *row = s->buf.data + s->row_start;
	size_t start = s->field_at[i];
	size_t end = i + 1 < s->row_fields ? s->field_at[i + 1] - 1 : s->buf.len - s->row_start;

	*n = end - start;
	return row + start;
}

/* The key of the row (its key columns' COPY text, TAB between) and its description. */
static size_t make_key(const struct staging_table *t, const struct copy_sink *out, char *key,
                       size_t cap, struct conflict_info *info)
{
	size_t len = 0, dlen = 0, vlen = 0;

	info->key[0] = info->values[0] = '\0';
	for (size_t j = 0; j < t->ncols && 2 + (int)j < out->row_fields; j++) {
		size_t n;
		const char *f;

		if (!t->cols[j].key)
			continue;
		f = field_of(out, 2 + (int)j, &n);
		if (len + n + 1 > cap)
			n = cap - len - 1; /* cannot happen: keys are short values */
		memcpy(key + len, f, n);
		len += n;
		key[len++] = '\t';
		if (n == 2 && memcmp(f, "\\N", 2) == 0)
			continue; /* no level or group: part of the key, not of its description */
		if (dlen < sizeof info->key)
			dlen += (size_t)snprintf(info->key + dlen, sizeof info->key - dlen, "%s%s %.*s",
			                         dlen ? ", " : "", t->cols[j].name, (int)n, f);
		if (vlen < sizeof info->values)
			vlen += (size_t)snprintf(info->values + vlen, sizeof info->values - vlen, "%s%.*s",
			                         vlen ? ", " : "", (int)n, f);
	}
	return len;
}

static void drop(struct conflicts *c, enum file_kind kind, unsigned long long row)
{
	struct dropped *d = &c->dropped[kind == KIND_FUND];

	d->rows = hx_grow(d->rows, &d->cap, d->n, sizeof *d->rows, 16);
	d->rows[d->n++] = row;
	d->sorted = 0;
}

enum conflict conflicts_check(struct conflicts *c, const struct staging_table *t,
                              const struct copy_sink *out, unsigned long scope, long line,
                              const char *label, const char *raw, size_t raw_len,
                              struct conflict_info *info)
{
	char key[4 * CONFLICT_KEY_TEXT];
	size_t klen, vlen, j;
	const char *values;
	uint64_t h, rh;
	struct entry *e;
	long off;

	if (!c->checked || out->row_fields < 3 || out->row_fields > COPY_FIELDS_MAX)
		return CONFLICT_NONE;
	memset(info, 0, sizeof *info);
	/* The scope first: keys of two scopes never meet. */
	memcpy(key, &scope, sizeof scope);
	klen = sizeof scope + make_key(t, out, key + sizeof scope, sizeof key - sizeof scope, info);
	h = hash_bytes(0xcbf29ce484222325ULL ^ (uint64_t)t->kind, key, klen);
	h |= 1; /* 0 marks an empty slot */
	values = field_of(out, 2, &vlen);
	vlen = out->buf.len - out->row_start - out->field_at[2];
	rh = hash_bytes(0xcbf29ce484222325ULL, values, vlen);
	if ((c->nkeys + 1) * 2 > c->nslots)
		grow(c);
	for (j = h & (c->nslots - 1); c->slots[j].hash != 0; j = (j + 1) & (c->nslots - 1)) {
		e = &c->slots[j];
		if (e->hash != h || e->kind != (uint8_t)t->kind || e->key_len != klen ||
		    memcmp(c->keys + e->key_off, key, klen) != 0)
			continue;
		info->first_line = e->line;
		info->first_label = e->has_note ? c->notes + e->note_off : "";
		info->first_raw = e->has_note ? c->notes + e->note_off + e->label_len + 1 : NULL;
		info->first_raw_len = e->raw_len;
		if (!e->conflicting && e->row_hash == rh)
			return CONFLICT_REPEAT;
		if (!e->conflicting) {
			e->conflicting = 1;
			info->first_newly = 1;
			drop(c, (enum file_kind)t->kind, e->sink_row);
		}
		return CONFLICT_FOUND;
	}
	/* The first row of its key. */
	if (c->nkeys == CONFLICT_ROWS_MAX) {
		c->checked = 0;
		return CONFLICT_NONE;
	}
	off = arena_add(&c->keys, &c->keys_len, &c->keys_cap, (size_t)UINT32_MAX, key, klen);
	e = &c->slots[j];
	memset(e, 0, sizeof *e);
	e->hash = h;
	e->row_hash = rh;
	e->key_off = (uint32_t)off;
	e->key_len = (uint16_t)klen;
	e->sink_row = (uint32_t)out->rows;
	e->line = (int32_t)line;
	e->kind = (uint8_t)t->kind;
	/* Its label and raw text, NUL after each, while the notes' bound allows. */
	if (raw != NULL) {
		size_t llen = label != NULL ? strnlen(label, 255) : 0;
		size_t rlen = raw_len < UINT16_MAX ? raw_len : UINT16_MAX;
		size_t start = c->notes_len;

		if (llen + rlen + 2 <= CONFLICT_NOTES_MAX - c->notes_len) {
			(void)arena_add(&c->notes, &c->notes_len, &c->notes_cap, CONFLICT_NOTES_MAX,
			                label != NULL ? label : "", llen);
			(void)arena_add(&c->notes, &c->notes_len, &c->notes_cap, CONFLICT_NOTES_MAX, "", 1);
			(void)arena_add(&c->notes, &c->notes_len, &c->notes_cap, CONFLICT_NOTES_MAX, raw,
			                rlen);
			(void)arena_add(&c->notes, &c->notes_len, &c->notes_cap, CONFLICT_NOTES_MAX, "", 1);
			e->has_note = 1;
			e->note_off = (uint32_t)start;
			e->label_len = (uint8_t)llen;
			e->raw_len = (uint16_t)rlen;
		}
	}
	c->nkeys++;
	return CONFLICT_NONE;
}

static int cmp_rows(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

const unsigned long long *conflicts_dropped(struct conflicts *c, enum file_kind kind, size_t *n)
{
	struct dropped *d = &c->dropped[kind == KIND_FUND];

	if (!d->sorted && d->n > 1)
		qsort(d->rows, d->n, sizeof *d->rows, cmp_rows);
	d->sorted = 1;
	*n = d->n;
	return d->rows;
}

/*
 * How a message names a row: "line 9", "tallies[2] at line 3", or in a
 * workbook "row 9" (the message says the sheet).
 */
static void where(const struct file_job *job, char *out, size_t cap, long line, const char *label)
{
	if (label != NULL && label[0] != '\0')
		snprintf(out, cap, _("%s at line %ld"), label, line);
	else if (job->sheet != NULL)
		snprintf(out, cap, _("row %ld"), line);
	else
		snprintf(out, cap, _("line %ld"), line);
}

void conflicts_report(struct file_job *job, enum conflict what, long line, const char *label,
                      const char *raw, size_t raw_len, const struct conflict_info *ci)
{
	char here[128], there[128], msg[700], sheet[HX_TEXT_EXCERPT_SZ + 16] = "";

	where(job, here, sizeof here, line, label);
	where(job, there, sizeof there, ci->first_line, ci->first_label);
	if (job->sheet != NULL) {
		/* A workbook's row numbers are its sheet's. */
		char name[HX_TEXT_EXCERPT_SZ];

		hx_text_excerpt(job->sheet, strlen(job->sheet), name, sizeof name);
		snprintf(sheet, sizeof sheet, _("sheet \"%s\": "), name);
	}
	if (what == CONFLICT_REPEAT) {
		job_warn(job, line, _("the same values as %s (%s): read once"), there, ci->key);
		return;
	}
	if (what != CONFLICT_FOUND)
		return;
	snprintf(msg, sizeof msg, "%s", sheet);
	snprintf(msg + strlen(msg), sizeof msg - strlen(msg),
	         _("%s and %s give different values for %s: neither is loaded; keep the right one"),
	         there, here, ci->key);
	job_reject(job, line, NULL, ci->values, strlen(ci->values), REASON_CONFLICTING_ROWS, msg,
	           raw, raw_len);
	if (ci->first_newly) {
		job_reject(job, ci->first_line, NULL, ci->values, strlen(ci->values),
		           REASON_CONFLICTING_ROWS, msg, ci->first_raw, ci->first_raw_len);
		job->res->rows_loaded--;
	}
}
