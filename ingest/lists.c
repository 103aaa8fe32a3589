/*
 * lists.c — count a register file's lists and find the entities a list
 * names twice, as the rows stream by (see lists.h).
 *
 * Lists are found by an open-addressing table of their keys (unit, year,
 * title); a file's rows nearly always come list after list, so a row is
 * first compared with the list of the row before it and the table is only
 * consulted when the list changes.  The entities of the list being read go
 * into a second table of 64-bit hashes whose slots carry a generation
 * number: starting the next list is one increment, not a clearing of the
 * table.  A lookup reads only an array of 8 bytes a slot (the generation
 * and 32 bits of the hash), a quarter of the table: one lookup a row in a
 * table sized for the file's longest list missed the CPU's first cache
 * more often than not.  A hash that matches is confirmed by comparing the
 * entity's bytes (kept in an arena), so a duplicate is never a hash
 * collision.  Nothing is allocated per row.
 *
 * Most lists name their entities in increasing order (a register is kept
 * by id).  While each id is greater than the one before, none can repeat
 * an earlier one, so the ids only go to the arena, with their line, and
 * nothing is hashed; the first id that is not greater puts the ids so far
 * into the table, and the list goes on through it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "bytes.h"
#include "lengthof.h"
#include "lists.h"
#include "vocab.h"

#define UNIT_MAX 15          /* bytes of a unit code kept (codes are 2–5 digits) */
#define TITLE_MAX 15         /* bytes of a title kept (a title_no: one digit) */
#define TS_MAX 25            /* "2020-01-15 08:00:00+07:00", as values.c writes it */
#define SLOTS_MIN 1024u
#define SLOTS_MAX (2u * ENTITIES_MAX)
#define ARENA_MAX ((size_t)1024 * 1024) /* entity bytes of one list */

/* One list: about 100 bytes, so LISTS_MAX of them stay within a few MiB. */
struct list {
	char unit[UNIT_MAX + 1];
	char title[TITLE_MAX + 1];
	uint8_t unit_len, title_len;
	int16_t year;
	int32_t first_line, last_line;   /* lines are int4 in staging.register too */
	int32_t entities, registered, recognized, exemplary, exemplary_given;
	int64_t submitted_epoch;
	char submitted[TS_MAX + 1];      /* the latest submitted_at as written, "" if none */
};

/* What a lookup reads of a slot. */
struct entity_probe {
	uint32_t gen;                 /* live when equal to the tracker's generation */
	uint32_t tag;                 /* the hash's low 32 bits */
};

/* The rest of it, read when the tag matches: 32 bytes a slot in all, as before the split. */
struct entity_slot {
	uint32_t hash_hi;             /* the hash's high 32 bits */
	uint32_t off, len;            /* its bytes in the arena */
	int32_t n, first, last;       /* rows naming it, their first and last line */
};

/* An id of an ascending list: its bytes in the arena and its line. */
struct entity_seen {
	uint32_t off, len;
	int32_t line;
};

struct list_tracker {
	char *file_id;                /* as text, first field of every row written */
	int counted, checked;
	struct list *lists;
	size_t nlists, caplists;
	uint32_t *map;                /* list index + 1, 0: empty */
	size_t mapsize;
	long cur;                     /* list of the row before, -1 none */
	/* the current list's entities */
	struct entity_probe *probes;  /* nslots of each */
	struct entity_slot *slots;
	uint32_t nslots, nlive, gen;
	char *arena;
	size_t arena_len, arena_cap;
	int ascending;                /* every id of the list so far greater than the one before */
	struct entity_seen *seq;      /* those ids while ascending (not in the table) */
	size_t nseq, capseq;
	uint32_t *dup_slots;          /* slots whose entity repeated (n reached 2) */
	size_t ndups, capdups;
	struct copy_sink dups;        /* staging.register_dups rows, file_id filled at the end */
	long long ndup_rows;
	int64_t submitted_epoch;      /* the latest submitted_at of any row, counted or not */
	char submitted[TS_MAX + 1];
	int64_t earliest_epoch;       /* and the earliest, to tell whether the rows' dates differ */
	int dated, undated;           /* rows with a date seen, rows without one */
	/* Where a sink row's fields are, for the layout last seen (lists_sink_row). */
	int seen_layout;              /* the fields below are set */
	unsigned seen_sent;
	int seen_year;
	int nsent;                    /* fields the layout's rows carry */
	int8_t at[LISTS_COLUMNS];     /* each column's field in the row, -1: left out */
	size_t year_len;              /* of the layout's year, when left out */
};

/*
 * A 64-bit hash of n bytes, eight at a time (entity ids are hashed once
 * per row).  The last few bytes of data of eight or more are read in the
 * word that ends it, shifted: a copy of a variable length was a call to
 * memcpy every row.
 */
static inline uint64_t hash_bytes(const char *p, size_t n, uint64_t h)
{
	const char *end = p + n;
	uint64_t w = 0;
	int whole = n >= 8;

	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	w = 0;
	if (n > 0 && whole) {
		memcpy(&w, end - 8, 8);
		w >>= 8 * (8 - n);
	} else {
		for (size_t i = 0; i < n; i++)
			w |= (uint64_t)(unsigned char)p[i] << (8 * i);
	}
	h = (h ^ w ^ (uint64_t)n << 56) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 32);
}

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

/* The key of a title_no as a row writes it ("1": "family"), NULL if it is none. */
static const char *title_key(const char *no, size_t n)
{
	if (n != 1 || no[0] < '1' || no[0] >= '1' + HX_TITLE_COUNT)
		return NULL;
	return hx_vocab_title_key((enum hx_title)(no[0] - '1'));
}

struct list_tracker *lists_new(const char *file_id)
{
	struct list_tracker *t = hx_calloc(1, sizeof *t);

	t->file_id = hx_strdup(file_id);
	t->counted = t->checked = 1;
	t->cur = -1;
	t->gen = 1;
	t->ascending = 1;
	copy_sink_tmp(&t->dups);
	return t;
}

static void stop_checking(struct list_tracker *t)
{
	t->checked = 0;
	free(t->probes);
	free(t->slots);
	free(t->arena);
	free(t->dup_slots);
	free(t->seq);
	t->seq = NULL;
	t->nseq = t->capseq = 0;
	t->probes = NULL;
	t->slots = NULL;
	t->arena = NULL;
	t->dup_slots = NULL;
	t->nslots = t->nlive = 0;
	t->arena_len = t->arena_cap = 0;
	t->ndups = t->capdups = 0;
}

void lists_free(struct list_tracker *t)
{
	if (t == NULL)
		return;
	stop_checking(t);
	free(t->lists);
	free(t->map);
	copy_sink_close(&t->dups);
	free(t->file_id);
	free(t);
}

int lists_counted(const struct list_tracker *t)
{
	return t->counted;
}

int lists_checked(const struct list_tracker *t)
{
	return t->checked && t->counted;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static int num(const char *p, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + (p[i] - '0');
	return v;
}

/* Seconds since the epoch of "YYYY-MM-DD HH:MM:SS+HH:MM" (values.c writes every time so). */
static long long epoch_of(const char *s, size_t n)
{
	long long t;
	int off;

	if (n != 25)
		return 0;
	t = days_from_civil(num(s, 4), (unsigned)num(s + 5, 2), (unsigned)num(s + 8, 2)) * 86400 +
	    num(s + 11, 2) * 3600 + num(s + 14, 2) * 60 + num(s + 17, 2);
	off = num(s + 20, 2) * 3600 + num(s + 23, 2) * 60;
	return s[19] == '-' ? t + off : t - off;
}

static uint64_t list_hash(const char *unit, size_t ulen, int year, const char *title, size_t tlen)
{
	uint64_t h = hash_bytes(unit, ulen, 0xcbf29ce484222325ULL);

	h = hash_bytes("\t", 1, h);
	h ^= (uint64_t)year;
	h *= 0x100000001b3ULL;
	return mix(hash_bytes(title, tlen, h));
}

static int same_list(const struct list *l, const char *unit, size_t ulen, int year,
                     const char *title, size_t tlen)
{
	return l->year == year && l->unit_len == ulen && hx_same_bytes(l->unit, unit, ulen) &&
	       l->title_len == tlen && hx_same_bytes(l->title, title, tlen);
}

static void map_grow(struct list_tracker *t)
{
	size_t size = t->mapsize ? t->mapsize * 2 : 1024;
	uint32_t *map = hx_calloc(size, sizeof *map);

	for (size_t i = 0; i < t->nlists; i++) {
		const struct list *l = &t->lists[i];
		size_t j = list_hash(l->unit, l->unit_len, l->year, l->title, l->title_len) & (size - 1);

		while (map[j] != 0)
			j = (j + 1) & (size - 1);
		map[j] = (uint32_t)i + 1;
	}
	free(t->map);
	t->map = map;
	t->mapsize = size;
}

/*
 * The list of this key: its index, with *fresh set when it is new.  -1
 * when there are too many lists to count (the tracker stops).
 */
static long find_list(struct list_tracker *t, const char *unit, size_t ulen, int year,
                      const char *title, size_t tlen, int *fresh)
{
	size_t j;
	struct list *l;

	*fresh = 0;
	if (ulen > UNIT_MAX || tlen > TITLE_MAX || t->nlists >= LISTS_MAX) {
		t->counted = 0;
		return -1;
	}
	if ((t->nlists + 1) * 2 > t->mapsize)
		map_grow(t);
	j = list_hash(unit, ulen, year, title, tlen) & (t->mapsize - 1);
	while (t->map[j] != 0) {
		if (same_list(&t->lists[t->map[j] - 1], unit, ulen, year, title, tlen))
			return (long)t->map[j] - 1;
		j = (j + 1) & (t->mapsize - 1);
	}
	t->lists = hx_grow(t->lists, &t->caplists, t->nlists, sizeof *t->lists, 64);
	l = &t->lists[t->nlists];
	memset(l, 0, sizeof *l);
	memcpy(l->unit, unit, ulen);
	memcpy(l->title, title, tlen);
	l->unit_len = (uint8_t)ulen;
	l->title_len = (uint8_t)tlen;
	l->year = (int16_t)year;
	t->map[j] = (uint32_t)t->nlists + 1;
	*fresh = 1;
	return (long)t->nlists++;
}

/* Write the current list's duplicates to the dups sink and forget its entities. */
static void end_list(struct list_tracker *t)
{
	const struct list *l;
	const char *title;

	if (t->cur < 0 || !t->checked)
		return;
	l = &t->lists[t->cur];
	title = title_key(l->title, l->title_len); /* checked when the list began */
	for (size_t i = 0; i < t->ndups; i++) {
		const struct entity_slot *e = &t->slots[t->dup_slots[i]];

		copy_raw(&t->dups, t->file_id, strlen(t->file_id));
		copy_text(&t->dups, l->unit, strlen(l->unit));
		copy_int(&t->dups, l->year);
		copy_text(&t->dups, title, strlen(title));
		copy_raw(&t->dups, t->arena + e->off, e->len); /* already in COPY text form */
		copy_int(&t->dups, e->n);
		copy_int(&t->dups, e->first);
		copy_int(&t->dups, e->last);
		copy_row_end(&t->dups);
		t->ndup_rows++;
	}
	t->ndups = 0;
	t->nseq = 0;
	t->arena_len = 0;
	if (t->ascending) {
		/* nothing went to the table */
		return;
	}
	t->ascending = 1;
	t->nlive = 0;
	if (++t->gen == 0) { /* wrapped: every slot must read as empty again */
		memset(t->probes, 0, t->nslots * sizeof *t->probes);
		t->gen = 1;
	}
}

static void slots_grow(struct list_tracker *t)
{
	uint32_t size = t->nslots ? t->nslots * 2 : SLOTS_MIN;
	struct entity_probe *p = hx_calloc(size, sizeof *p);
	struct entity_slot *s = hx_calloc(size, sizeof *s);

	for (uint32_t i = 0; i < t->nslots; i++) {
		const struct entity_slot *e = &t->slots[i];
		uint32_t j;

		if (t->probes[i].gen != t->gen)
			continue;
		j = t->probes[i].tag & (size - 1);
		while (p[j].gen == t->gen)
			j = (j + 1) & (size - 1);
		p[j] = t->probes[i];
		s[j] = *e;
	}
	/* The dup list holds slot numbers: find them again in the new table. */
	for (size_t d = 0; d < t->ndups; d++) {
		const struct entity_slot *e = &t->slots[t->dup_slots[d]];
		uint32_t j = t->probes[t->dup_slots[d]].tag & (size - 1);

		while (s[j].off != e->off || p[j].gen != t->gen)
			j = (j + 1) & (size - 1);
		t->dup_slots[d] = j;
	}
	free(t->probes);
	free(t->slots);
	t->probes = p;
	t->slots = s;
	t->nslots = size;
}

/* Room in the arena for n more bytes: 0, or -1 past ARENA_MAX (the tracker stops). */
static int arena_room(struct list_tracker *t, size_t n)
{
	if (t->arena_len + n > ARENA_MAX) {
		stop_checking(t);
		return -1;
	}
	if (t->arena_len + n > t->arena_cap) {
		size_t cap = t->arena_cap ? t->arena_cap : 64 * 1024;

		while (cap < t->arena_len + n)
			cap *= 2;
		t->arena = hx_realloc(t->arena, cap);
		t->arena_cap = cap;
	}
	return 0;
}

/* Room in the table for one more entity: 0, or -1 past ENTITIES_MAX (the tracker stops). */
static int table_room(struct list_tracker *t)
{
	if ((t->nlive + 1) * 2 > t->nslots) {
		if (t->nslots >= SLOTS_MAX) {
			stop_checking(t);
			return -1;
		}
		slots_grow(t);
	}
	return 0;
}

/* Take the arena's n bytes at off, of hash h, first named at line, into empty slot j. */
static void table_fill(struct list_tracker *t, uint32_t j, uint64_t h, size_t off, size_t n,
                       long line)
{
	struct entity_slot *e = &t->slots[j];

	t->probes[j].gen = t->gen;
	t->probes[j].tag = (uint32_t)h;
	e->hash_hi = (uint32_t)(h >> 32);
	e->off = (uint32_t)off;
	e->len = (uint32_t)n;
	e->n = 1;
	e->first = e->last = (int32_t)line;
	t->nlive++;
}

/*
 * The list stops ascending: its ids so far go into the table, each once
 * (ascending, they are all different).  -1 when the tracker stopped.
 */
static int leave_ascending(struct list_tracker *t)
{
	t->ascending = 0;
	for (size_t i = 0; i < t->nseq; i++) {
		const struct entity_seen *s = &t->seq[i];
		uint64_t h;
		uint32_t j;

		if (table_room(t) < 0)
			return -1;
		h = mix(hash_bytes(t->arena + s->off, s->len, 0xcbf29ce484222325ULL));
		j = (uint32_t)h & (t->nslots - 1);
		while (t->probes[j].gen == t->gen)
			j = (j + 1) & (t->nslots - 1);
		table_fill(t, j, h, s->off, s->len, s->line);
	}
	t->nseq = 0;
	return 0;
}

/* Whether id (n bytes) is greater, byte by byte, than the list's last id. */
static int after_last(const struct list_tracker *t, const char *id, size_t n)
{
	const struct entity_seen *last = &t->seq[t->nseq - 1];
	int c = memcmp(id, t->arena + last->off, n < last->len ? n : last->len);

	return c > 0 || (c == 0 && n > last->len);
}

/* One entity of the current list. */
static void add_entity(struct list_tracker *t, const char *id, size_t n, long line)
{
	uint64_t h;
	uint32_t j;
	struct entity_slot *e;

	if (t->ascending) {
		if (t->nseq == 0 || after_last(t, id, n)) {
			if (t->nseq >= ENTITIES_MAX) {
				stop_checking(t);
				return;
			}
			if (arena_room(t, n) < 0)
				return;
			t->seq = hx_grow(t->seq, &t->capseq, t->nseq, sizeof *t->seq, 1024);
			t->seq[t->nseq].off = (uint32_t)t->arena_len;
			t->seq[t->nseq].len = (uint32_t)n;
			t->seq[t->nseq++].line = (int32_t)line;
			memcpy(t->arena + t->arena_len, id, n);
			t->arena_len += n;
			return;
		}
		if (leave_ascending(t) < 0)
			return;
	}
	if (table_room(t) < 0)
		return;
	h = mix(hash_bytes(id, n, 0xcbf29ce484222325ULL));
	j = (uint32_t)h & (t->nslots - 1);
	while (t->probes[j].gen == t->gen) {
		e = &t->slots[j];
		if (t->probes[j].tag == (uint32_t)h && e->hash_hi == (uint32_t)(h >> 32) &&
		    e->len == n && memcmp(t->arena + e->off, id, n) == 0) {
			if (++e->n == 2) {
				t->dup_slots = hx_grow(t->dup_slots, &t->capdups, t->ndups,
				                       sizeof *t->dup_slots, 16);
				t->dup_slots[t->ndups++] = j;
			}
			e->last = (int32_t)line;
			return;
		}
		j = (j + 1) & (t->nslots - 1);
	}
	if (arena_room(t, n) < 0)
		return;
	memcpy(t->arena + t->arena_len, id, n);
	table_fill(t, j, h, t->arena_len, n, line);
	t->arena_len += n;
}

#define NFIELDS LISTS_COLUMNS

/* A row's submitted_at field (n bytes, COPY text): 1 and its instant, or 0 (\\N, none). */
static int row_date(const char *s, size_t n, int64_t *ep)
{
	if ((n == 2 && s[0] == '\\') || n > TS_MAX)
		return 0;
	*ep = epoch_of(s, n);
	return 1;
}

/* Keep s (n bytes, instant ep) in latest when it is later than what latest holds. */
static void note_latest(char latest[TS_MAX + 1], int64_t *epoch, const char *s, size_t n,
                        int64_t ep)
{
	if (latest[0] == '\0' || ep > *epoch) {
		memcpy(latest, s, n);
		latest[n] = '\0';
		*epoch = ep;
	}
}

/* The file's latest and earliest submitted_at, and whether some row had none. */
static void note_file_date(struct list_tracker *t, const char *s, size_t n, int dated,
                           int64_t ep)
{
	if (!dated) {
		t->undated = 1;
		return;
	}
	note_latest(t->submitted, &t->submitted_epoch, s, n, ep);
	if (!t->dated || ep < t->earliest_epoch)
		t->earliest_epoch = ep;
	t->dated = 1;
}

/* Count one row, given as its NFIELDS fields; dated, ep: its submitted_at (row_date). */
static void count_row(struct list_tracker *t, const char *const f[NFIELDS], const size_t fl[NFIELDS],
                      int dated, int64_t ep)
{
	struct list *l;
	long line;
	int year, fresh;

	line = num(f[1], fl[1]);
	year = num(f[2], fl[2]);
	if (title_key(f[4], fl[4]) == NULL) {
		t->counted = 0; /* not a title_no: not a staging.register row */
		stop_checking(t);
		return;
	}
	if (t->cur < 0 ||
	    !same_list(&t->lists[t->cur], f[3], fl[3], year, f[4], fl[4])) {
		long idx = find_list(t, f[3], fl[3], year, f[4], fl[4], &fresh);

		if (idx < 0) {
			stop_checking(t);
			return;
		}
		end_list(t);
		if (!fresh) /* the list's rows are not together: its entities were forgotten */
			stop_checking(t);
		t->cur = idx;
	}
	l = &t->lists[t->cur];
	if (l->entities == 0)
		l->first_line = (int32_t)line;
	l->last_line = (int32_t)line;
	l->entities++;
	l->registered += fl[6] == 1 && f[6][0] == 't';
	l->recognized += fl[7] == 1 && f[7][0] == 't';
	if (!(fl[8] == 2 && f[8][0] == '\\')) {
		l->exemplary_given++;
		l->exemplary += fl[8] == 1 && f[8][0] == 't';
	}
	if (dated)
		note_latest(l->submitted, &l->submitted_epoch, f[12], fl[12], ep);
	if (t->checked)
		add_entity(t, f[5], fl[5], line);
}

/*
 * A row split into its NFIELDS fields (whole: it had exactly those): its
 * date for the file, and its count and entity for its list.
 */
static void take_row(struct list_tracker *t, int whole, const char *const f[NFIELDS],
                     const size_t fl[NFIELDS])
{
	int64_t ep = 0;
	int dated;

	if (!whole) {
		t->counted = t->checked = 0; /* not a staging.register row: count nothing */
		return;
	}
	dated = row_date(f[12], fl[12], &ep);
	note_file_date(t, f[12], fl[12], dated, ep);
	if (t->counted)
		count_row(t, f, fl, dated, ep);
}

void lists_row(struct list_tracker *t, const char *row, size_t len)
{
	const char *f[NFIELDS];
	size_t fl[NFIELDS], k = 0, start = 0;

	if (t == NULL)
		return;
	/* One pass over the row's bytes: its fields are short, a call per field costs more. */
	for (size_t i = 0; i < len && k < NFIELDS; i++)
		if (row[i] == '\t') {
			f[k] = row + start;
			fl[k++] = i - start;
			start = i + 1;
		}
	if (k == NFIELDS - 1) {
		f[k] = row + start;
		fl[k++] = len - start;
	} else {
		k = 0; /* too few fields, or too many */
	}
	take_row(t, k == NFIELDS, f, fl);
}

/* The columns take_row reads of a row, in the order of lists.h. */
static const int read_columns[] = {1, 2, 3, 4, 5, 6, 7, 8, 12};

/* Where the fields of lay's rows are (t->at), worked out once a layout. */
static void learn_layout(struct list_tracker *t, const struct lists_layout *lay, unsigned sent)
{
	int i = 0;

	for (int k = 0; k < NFIELDS; k++)
		t->at[k] = (int8_t)(sent & (1u << k) ? i++ : -1);
	t->nsent = i;
	t->seen_sent = sent;
	t->seen_year = lay != NULL ? lay->year_num : 0;
	t->year_len = lay != NULL ? strlen(lay->year) : 0;
	t->seen_layout = 1;
}

void lists_sink_row(struct list_tracker *t, const struct copy_sink *s,
                    const struct lists_layout *lay)
{
	const char *row = s->buf.data + s->row_start, *f[NFIELDS];
	size_t fl[NFIELDS], len = s->buf.len - s->row_start;
	unsigned sent = lay != NULL ? lay->sent : LISTS_ALL_SENT;
	int nf = s->row_fields;

	if (t == NULL)
		return;
	if (!t->seen_layout || sent != t->seen_sent || (lay != NULL && lay->year_num != t->seen_year))
		learn_layout(t, lay, sent);
	if (nf != t->nsent || nf > COPY_FIELDS_MAX) {
		take_row(t, 0, f, fl); /* not a row of this layout: counts nothing */
		return;
	}
	/* The sink knows where each field starts: no pass over the bytes again.
	 * Only the columns take_row reads (not file_id, score, village,
	 * entity_name). */
	for (size_t u = 0; u < lengthof(read_columns); u++) {
		int k = read_columns[u], i = t->at[k];

		if (i >= 0) {
			size_t end = i + 1 < nf ? s->field_at[i + 1] - 1 : len;

			f[k] = row + s->field_at[i];
			fl[k] = end - s->field_at[i];
		} else if (k == LISTS_YEAR) {
			/* Left out of the COPY: the partition's year, or NULL. */
			f[k] = lay->year;
			fl[k] = t->year_len;
		} else {
			f[k] = "\\N";
			fl[k] = 2;
		}
	}
	take_row(t, 1, f, fl);
}

int lists_stored_fields(const struct lists_layout *lay)
{
	unsigned sent = lay != NULL ? lay->sent : LISTS_ALL_SENT;

	return __builtin_popcount(sent & ((1u << LISTS_STORED) - 1));
}

const char *lists_latest_submitted(const struct list_tracker *t)
{
	return t != NULL && t->submitted[0] != '\0' ? t->submitted : NULL;
}

int lists_dates_differ(const struct list_tracker *t)
{
	return t != NULL && t->dated && (t->undated || t->earliest_epoch != t->submitted_epoch);
}

void lists_totals(const struct list_tracker *t, struct lists_totals *out)
{
	memset(out, 0, sizeof *out);
	out->lists = (long)t->nlists;
	out->duplicates = t->ndup_rows + (long long)t->ndups;
	for (size_t i = 0; i < t->nlists; i++) {
		out->entities += t->lists[i].entities;
		out->registered += t->lists[i].registered;
		out->recognized += t->lists[i].recognized;
		out->exemplary += t->lists[i].exemplary;
		out->exemplary_given += t->lists[i].exemplary_given;
	}
}

int lists_copy(struct list_tracker *t, PGconn *conn, struct hx_error *err)
{
	struct copy_sink out;
	int rc;

	end_list(t);
	if (!t->counted)
		return 0;
	if (copy_sink_start(&out, conn,
	                    "COPY staging.register_lists (file_id, unit_code, year, title, "
	                    "first_line, last_line, entities, registered, recognized, exemplary, "
	                    "submitted_at) FROM STDIN",
	                    err) < 0)
		return -1;
	for (size_t i = 0; i < t->nlists; i++) {
		const struct list *l = &t->lists[i];
		const char *key = title_key(l->title, l->title_len);

		copy_raw(&out, t->file_id, strlen(t->file_id));
		copy_text(&out, l->unit, strlen(l->unit));
		copy_int(&out, l->year);
		copy_text(&out, key, strlen(key));
		copy_int(&out, l->first_line);
		copy_int(&out, l->last_line);
		copy_int(&out, l->entities);
		copy_int(&out, l->registered);
		copy_int(&out, l->recognized);
		if (l->exemplary_given > 0)
			copy_int(&out, l->exemplary);
		else
			copy_null(&out);
		if (l->submitted[0] != '\0')
			copy_raw(&out, l->submitted, strlen(l->submitted));
		else
			copy_null(&out);
		copy_row_end(&out);
	}
	rc = copy_sink_finish(&out, NULL, err);
	copy_sink_close(&out);
	if (rc < 0 || !t->checked || t->ndup_rows == 0)
		return rc;
	return copy_sink_replay(&t->dups, conn,
	                        "COPY staging.register_dups (file_id, unit_code, year, title, "
	                        "entity_id, n, first_line, last_line) FROM STDIN",
	                        err);
}
