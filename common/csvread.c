/*
 * csvread.c — the streaming CSV reader (see csvread.h).
 *
 * libcsv does the RFC 4180 state machine; this file does what libcsv does
 * not: it cuts the input into physical lines (LF, CRLF or CR) and feeds
 * them one at a time, so it knows on which line each record starts and
 * ends; it detects the delimiter; and it caps every buffer.  libcsv's
 * callbacks cannot fail, so they record problems in the reader, which
 * hx_csv_next checks after each line (andybug/predcfb src/csvparse.c).
 *
 * A line without a quote needs no state machine: its fields are what lies
 * between delimiters, trimmed of blanks, as libcsv reads them too.  Such a
 * line, whole in the chunk, is split here (split_line), at a few
 * instructions a byte instead of libcsv's fifty, since it spends a call
 * and a dozen tests on each byte: it was a quarter of hoctap-ingest's
 * work on a register.  Every other line goes to libcsv.
 */
#include <csv.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"
#include "csvread.h"

#define CHUNK_SIZE ((size_t)64 * 1024)
/* libcsv's parser states (struct csv_parser.pstate, libcsv.c). */
#define LIBCSV_ROW_NOT_BEGUN 0
#define LIBCSV_FIELD_BEGUN 2

struct hx_csv_reader {
	hx_csv_read_fn read_fn;
	void *ctx;
	size_t max_field, max_record;
	char delimiter;

	char *chunk;            /* CHUNK_SIZE bytes read from the source */
	size_t chunk_len, chunk_pos;
	size_t next_lf;         /* offset in chunk of the first LF at or after chunk_pos, */
	int next_lf_known;      /* (chunk_len: none) once looked for in this chunk */
	int eof, started, finished, had_bom;
	unsigned long long bytes;

	struct csv_parser parser;
	long line;              /* physical line being fed (0 before the first) */
	int at_line_start;      /* the next byte fed begins a new physical line */
	int pending_cr;         /* the last byte fed was CR: a following LF belongs to it */
	long rec_line;          /* line where the record being parsed started */

	struct hx_buf raw;      /* raw bytes of the record being parsed */
	const char *split;      /* or, for a line split here, its bytes in the chunk */
	size_t split_len;
	struct hx_buf data;     /* its fields, each followed by a NUL */
	size_t offsets[HX_CSV_MAX_FIELDS];
	size_t lens[HX_CSV_MAX_FIELDS];
	const char *ptrs[HX_CSV_MAX_FIELDS];
	size_t nfields;
	size_t too_long_field;
	int too_many_fields;
	int rec_ready;
};

static int space_only(unsigned char c)
{
	return c == ' ';
}

/* hx_buf_append without a call when the bytes fit (the common case, per field). */
static inline int buf_add(struct hx_buf *b, const void *p, size_t n)
{
	if (b->data != NULL && b->len + n < b->cap && b->len + n <= b->max) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
		return 0;
	}
	return hx_buf_append(b, p, n);
}

/*
 * Keep a field of the record: its first max_field bytes (too_long_field
 * says so when cut), NUL-terminated in data, where the caller made room for
 * len + 1 bytes (a record's fields never hold more bytes than its raw text,
 * which is capped, so data's cap of max_record + HX_CSV_MAX_FIELDS + 1 is
 * never passed).  Past HX_CSV_MAX_FIELDS fields, only too_many_fields.
 */
static void add_field(struct hx_csv_reader *r, const char *s, size_t len)
{
	if (r->nfields >= HX_CSV_MAX_FIELDS) {
		r->too_many_fields = 1;
		return;
	}
	if (len > r->max_field) {
		len = r->max_field;
		if (r->too_long_field == 0)
			r->too_long_field = r->nfields + 1;
	}
	r->offsets[r->nfields] = r->data.len;
	r->lens[r->nfields] = len;
	memcpy(r->data.data + r->data.len, s, len);
	r->data.len += len;
	r->data.data[r->data.len++] = '\0';
	r->nfields++;
}

/* libcsv's field callback. */
static void on_field(void *s, size_t len, void *data)
{
	struct hx_csv_reader *r = data;

	if (hx_buf_reserve(&r->data, len + 1) == 0)
		add_field(r, s, len);
}

static void on_record(int c, void *data)
{
	struct hx_csv_reader *r = data;

	(void)c;
	r->rec_ready = 1;
}

struct hx_csv_reader *hx_csv_new(hx_csv_read_fn read_fn, void *ctx,
                                 const struct hx_csv_options *opts)
{
	struct hx_csv_reader *r = hx_calloc(1, sizeof *r);

	r->read_fn = read_fn;
	r->ctx = ctx;
	r->max_field = opts != NULL && opts->max_field > 0 ? opts->max_field
	                                                   : HX_CSV_MAX_FIELD_DEFAULT;
	r->max_record = opts != NULL && opts->max_record > 0 ? opts->max_record
	                                                     : HX_CSV_MAX_RECORD_DEFAULT;
	r->delimiter = opts != NULL ? opts->delimiter : 0;
	r->chunk = hx_malloc(CHUNK_SIZE);
	r->at_line_start = 1;
	hx_buf_init(&r->raw, r->max_record + 2);
	hx_buf_init(&r->data, r->max_record + HX_CSV_MAX_FIELDS + 1);
	/* libcsv cannot fail to initialise with valid options. */
	(void)csv_init(&r->parser, 0);
	/* libcsv grows its field buffer by blk_size (128 bytes by default): a long
	 * field would mean thousands of reallocations. */
	csv_set_blk_size(&r->parser, 16384);
	return r;
}

static ssize_t read_fd(void *ctx, char *buf, size_t cap, struct hx_error *err)
{
	int fd = *(int *)ctx;
	ssize_t n;

	do
		n = read(fd, buf, cap);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return hx_error_set(err, HX_NOINPUT, "could not read: %s", strerror(errno));
	return n;
}

struct hx_csv_reader *hx_csv_new_fd(int fd, const struct hx_csv_options *opts)
{
	struct hx_csv_reader *r = hx_csv_new(read_fd, NULL, opts);
	int *fdp = hx_malloc(sizeof *fdp);

	/* The context is ours: hx_csv_free releases it (read_fn == read_fd). */
	*fdp = fd;
	r->ctx = fdp;
	return r;
}

/* Bytes still to be read from memory. */
struct mem_source {
	const char *p;
	size_t left;
};

static ssize_t read_mem(void *ctx, char *buf, size_t cap, struct hx_error *err)
{
	struct mem_source *m = ctx;
	size_t n = m->left < cap ? m->left : cap;

	(void)err;
	if (n > 0)
		memcpy(buf, m->p, n);
	m->p += n;
	m->left -= n;
	return (ssize_t)n;
}

struct hx_csv_reader *hx_csv_new_mem(const char *p, size_t n, const struct hx_csv_options *opts)
{
	struct hx_csv_reader *r = hx_csv_new(read_mem, NULL, opts);
	struct mem_source *m = hx_malloc(sizeof *m);

	/* The context is ours, as hx_csv_new_fd's. */
	m->p = p;
	m->left = n;
	r->ctx = m;
	return r;
}

void hx_csv_free(struct hx_csv_reader *r)
{
	if (r == NULL)
		return;
	if (r->read_fn == read_fd || r->read_fn == read_mem)
		free(r->ctx);
	csv_free(&r->parser);
	hx_buf_free(&r->raw);
	hx_buf_free(&r->data);
	free(r->chunk);
	free(r);
}

int hx_csv_record_blank(const struct hx_csv_record *rec)
{
	/* libcsv has trimmed the blanks around each unquoted field already. */
	if (rec->too_many_fields)
		return 0;
	for (size_t i = 0; i < rec->nfields; i++)
		if (rec->lens[i] > 0)
			return 0;
	return 1;
}

char hx_csv_delimiter(const struct hx_csv_reader *r)
{
	return r->delimiter;
}

unsigned long long hx_csv_bytes(const struct hx_csv_reader *r)
{
	return r->bytes;
}

long hx_csv_lines(const struct hx_csv_reader *r)
{
	return r->line;
}

int hx_csv_had_bom(const struct hx_csv_reader *r)
{
	return r->had_bom;
}

/* Refill the chunk.  Returns 1 with bytes, 0 at end of input, -1 on error. */
static int refill(struct hx_csv_reader *r, struct hx_error *err)
{
	ssize_t n;

	if (r->eof)
		return 0;
	n = r->read_fn(r->ctx, r->chunk, CHUNK_SIZE, err);
	if (n < 0)
		return -1;
	r->chunk_len = (size_t)n;
	r->chunk_pos = 0;
	r->next_lf_known = 0;
	r->bytes += (unsigned long long)n;
	if (n == 0) {
		r->eof = 1;
		return 0;
	}
	return 1;
}

/*
 * The delimiter of the header line: the most frequent of TAB, ';' and ','
 * outside quotes in the first line (as much of it as the first chunk
 * holds); ',' when none occurs (a one-column file).
 */
static char detect_delimiter(const char *p, size_t n)
{
	size_t tabs = 0, semis = 0, commas = 0, i;
	int quoted = 0;

	for (i = 0; i < n; i++) {
		char c = p[i];

		if (c == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (c == '\n' || c == '\r')
			break;
		else if (c == '\t')
			tabs++;
		else if (c == ';')
			semis++;
		else if (c == ',')
			commas++;
	}
	if (tabs > semis && tabs > commas)
		return '\t';
	if (semis > commas)
		return ';';
	return ',';
}

/*
 * Does p[0..n) hold the end of the header line: a line end outside quotes,
 * by the rule detect_delimiter uses?  Until it does, the delimiter cannot be
 * told, however the reads split the file.
 */
static int header_ends(const char *p, size_t n)
{
	int quoted = 0;

	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"')
			quoted = !quoted;
		else if (!quoted && (p[i] == '\n' || p[i] == '\r'))
			return 1;
	}
	return 0;
}

/* First call: fill the first chunk, skip a BOM, set the delimiter. */
static int start(struct hx_csv_reader *r, struct hx_error *err)
{
	size_t got = 0;

	r->started = 1;
	/*
	 * Read until the first line end is in the chunk, or the chunk has no
	 * room for another read of HX_CSV_MIN_READ bytes: a reader converting
	 * text may need that many to make progress (a UTF-8 sequence held back
	 * across reads, UTF-16 converted to up to three bytes a unit).
	 */
	for (;;) {
		ssize_t n = r->read_fn(r->ctx, r->chunk + got, CHUNK_SIZE - got, err);

		if (n < 0)
			return -1;
		got += (size_t)n;
		r->bytes += (unsigned long long)n;
		if (n == 0) {
			r->eof = 1;
			break;
		}
		if (header_ends(r->chunk, got) || CHUNK_SIZE - got < HX_CSV_MIN_READ)
			break;
	}
	r->chunk_len = got;
	r->chunk_pos = 0;
	r->next_lf_known = 0;
	if (got >= 3 && memcmp(r->chunk, "\xEF\xBB\xBF", 3) == 0) {
		r->had_bom = 1;
		r->chunk_pos = 3;
	}
	if (r->delimiter == 0)
		r->delimiter = detect_delimiter(r->chunk + r->chunk_pos, got - r->chunk_pos);
	csv_set_delim(&r->parser, (unsigned char)r->delimiter);
	/* libcsv's built-in test (space or TAB) is inlined; TAB-delimited files need one
	 * that leaves TAB alone. */
	csv_set_space_func(&r->parser, r->delimiter == '\t' ? space_only : NULL);
	return 0;
}

static void begin_record(struct hx_csv_reader *r)
{
	hx_buf_reset(&r->raw);
	r->split = NULL;
	hx_buf_reset(&r->data);
	r->nfields = 0;
	r->too_long_field = 0;
	r->too_many_fields = 0;
	r->rec_line = r->line;
}

/* Feed n bytes of one physical line (or its end) to libcsv. */
static int feed(struct hx_csv_reader *r, const char *p, size_t n, struct hx_error *err)
{
	if (buf_add(&r->raw, p, n) < 0)
		return hx_error_set(err, HX_DATAERR,
		                    "line %ld: a record longer than %zu bytes starts here "
		                    "(a quote that is never closed?)",
		                    r->rec_line, r->max_record);
	if (csv_parse(&r->parser, p, n, on_field, on_record, r) != n)
		return hx_error_set(err, HX_DATAERR, "line %ld: malformed CSV: %s", r->line,
		                    csv_strerror(csv_error(&r->parser)));
	return 0;
}

/*
 * What scan_line found at the start of a physical line: where it stops (at
 * its line end, at a quote, or at the end of the bytes given), the
 * delimiters before that, and whether a blank lies among them.
 */
struct line_marks {
	size_t len;     /* bytes before the stop */
	int ended;      /* the stop is a line end (CR or LF): the line is whole */
	int blanks;     /* a blank (a space, a TAB that does not delimit) next to a
	                   delimiter or at either end: some field needs trimming */
	size_t nd;      /* delimiters before the stop; cap + 1: more than cap (not recorded) */
};

#if defined(__SSE2__)
/*
 * Sixteen bytes a step, one bit per byte in each mask (SSE2 is part of
 * x86-64): a register line of 80 bytes is five steps.
 */
#include <emmintrin.h>
#define BLOCK 16
#define BYTE_BITS 1            /* bits a byte takes in a mask */
#define FIRST_BYTE 1u          /* the mask bit of a block's first byte */
#define LAST_BYTE 0x8000u      /* and of its last */
typedef unsigned block_mask;

struct block_consts {
	__m128i lf, cr, quote, delim, space, tab;
};

static void block_init(struct block_consts *k, char delim, int tab_blank)
{
	k->lf = _mm_set1_epi8('\n');
	k->cr = _mm_set1_epi8('\r');
	k->quote = _mm_set1_epi8('"');
	k->delim = _mm_set1_epi8(delim);
	k->space = _mm_set1_epi8(' ');
	/* A TAB that delimits is no blank: look for a space twice instead. */
	k->tab = _mm_set1_epi8(tab_blank ? '\t' : ' ');
}

static inline void block_scan(const struct block_consts *k, const char *p, block_mask *stop,
                              block_mask *delim, block_mask *blank)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i ends = _mm_or_si128(_mm_cmpeq_epi8(v, k->lf), _mm_cmpeq_epi8(v, k->cr));

	*stop = (unsigned)_mm_movemask_epi8(_mm_or_si128(ends, _mm_cmpeq_epi8(v, k->quote)));
	*delim = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, k->delim));
	*blank = (unsigned)_mm_movemask_epi8(
		_mm_or_si128(_mm_cmpeq_epi8(v, k->space), _mm_cmpeq_epi8(v, k->tab)));
}

static inline size_t block_pos(block_mask m)
{
	return (size_t)__builtin_ctz(m);
}
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* Eight bytes a step in a 64-bit word: the high bit of each byte that matches. */
#define BLOCK 8
#define BYTE_BITS 8
#define FIRST_BYTE 0x80ULL
#define LAST_BYTE 0x8000000000000000ULL
typedef uint64_t block_mask;

struct block_consts {
	uint64_t lf, cr, quote, delim, space, tab;
};

static void block_init(struct block_consts *k, char delim, int tab_blank)
{
	const uint64_t ones = 0x0101010101010101ULL;

	k->lf = ones * '\n';
	k->cr = ones * '\r';
	k->quote = ones * '"';
	k->delim = ones * (unsigned char)delim;
	k->space = ones * ' ';
	k->tab = ones * (tab_blank ? '\t' : ' ');
}

/*
 * The bytes of v equal to the byte of c8 (that byte eight times): the high
 * bit of each set, and no other bit (the exact form of the zero-byte test,
 * with no false positives).
 */
static inline uint64_t bytes_equal(uint64_t v, uint64_t c8)
{
	uint64_t x = v ^ c8;
	uint64_t t = (x & 0x7F7F7F7F7F7F7F7FULL) + 0x7F7F7F7F7F7F7F7FULL;

	return ~(t | x | 0x7F7F7F7F7F7F7F7FULL);
}

static inline void block_scan(const struct block_consts *k, const char *p, block_mask *stop,
                              block_mask *delim, block_mask *blank)
{
	uint64_t v;

	memcpy(&v, p, sizeof v);
	*stop = bytes_equal(v, k->lf) | bytes_equal(v, k->cr) | bytes_equal(v, k->quote);
	*delim = bytes_equal(v, k->delim);
	*blank = bytes_equal(v, k->space) | bytes_equal(v, k->tab);
}

static inline size_t block_pos(block_mask m)
{
	return (size_t)__builtin_ctzll(m) / 8;
}
#endif

/*
 * Scan p[0..n), the start of a physical line, once: up to its first CR,
 * LF or quote (a line with a quote is libcsv's), the offsets of its
 * delimiters into at (at most cap; past that only the count, cap + 1) and
 * whether a blank lies next to a delimiter or at an end of the line (a
 * blank inside a value, as in "Tổ dân phố 12", trims nothing).  A block
 * at a time where the bytes allow.
 */
static void scan_line(const char *p, size_t n, char delim, int tab_blank, uint32_t *at,
                      size_t cap, struct line_marks *m)
{
	size_t i = 0, nd = 0;
	int blanks = 0, last_delim = 1, last_blank = 0; /* the byte before: the line's start */
#ifdef BLOCK
	struct block_consts k;

	block_init(&k, delim, tab_blank);
	for (; i + BLOCK <= n; i += BLOCK) {
		block_mask stop, dm, bm;

		block_scan(&k, p + i, &stop, &dm, &bm);
		if (stop != 0) {
			block_mask before = (stop & (0 - stop)) - 1; /* the bytes before the first */

			dm &= before;
			bm &= before;
		}
		/* A blank after a delimiter, or before one; across the block's edge too. */
		blanks |= (bm & (dm << BYTE_BITS | dm >> BYTE_BITS)) != 0 ||
		          ((bm & FIRST_BYTE) && last_delim) || ((dm & FIRST_BYTE) && last_blank);
		last_delim = (dm & LAST_BYTE) != 0;
		last_blank = (bm & LAST_BYTE) != 0;
		for (; dm != 0; dm &= dm - 1) {
			if (nd >= cap) {
				nd = cap + 1;
				break;
			}
			at[nd++] = (uint32_t)(i + block_pos(dm));
		}
		if (stop != 0) {
			i += block_pos(stop);
			goto stopped;
		}
	}
#endif
	for (; i < n; i++) {
		char c = p[i];
		int is_delim = c == delim, is_blank = c == ' ' || (c == '\t' && tab_blank);

		if (c == '\n' || c == '\r' || c == '"')
			goto stopped;
		if (is_delim) {
			if (nd < cap)
				at[nd++] = (uint32_t)i;
			else
				nd = cap + 1;
		}
		blanks |= (is_blank && last_delim) || (is_delim && last_blank);
		last_delim = is_delim;
		last_blank = is_blank;
	}
stopped:
	m->len = i;
	m->ended = i < n && p[i] != '"';
	/* and a blank that ends the line */
	m->blanks = blanks || (i > 0 && (p[i - 1] == ' ' || (p[i - 1] == '\t' && tab_blank)));
	m->nd = nd;
}

/*
 * A physical line p[0..n) that starts a record, holds no quote and ends
 * in the chunk, as scan_line marked it: its fields, split on the
 * delimiters and trimmed of blanks, as libcsv would give them.  A line of
 * blanks only is no record, as for libcsv.  Returns 1 with the record
 * ready, 0 for a blank line.
 */
static int split_line(struct hx_csv_reader *r, const char *p, size_t n, const uint32_t *at,
                      const struct line_marks *m)
{
	size_t nd = m->nd, start = 0, base, nf, max_field = r->max_field;
	int tab_blank = r->delimiter != '\t', blanks = m->blanks;
	char *copy;

	if (nd == 0 && (n == 0 || blanks)) {
		size_t i;

		for (i = 0; i < n && (p[i] == ' ' || (p[i] == '\t' && tab_blank)); i++)
			;
		if (i == n)
			return 0;
	}
	/*
	 * The line is copied once; each field is its trimmed part of the copy,
	 * ended by a NUL written over the blank or delimiter after it.  (Kept
	 * in locals: stores through copy could alias the reader.)
	 */
	if (hx_buf_reserve(&r->data, n + 1) < 0)
		return 0; /* cannot happen: the caller passes lines within max_record */
	base = r->data.len;
	copy = r->data.data + base;
	memcpy(copy, p, n);
	copy[n] = '\0';
	nf = r->nfields;
	if (nf == 0 && !blanks && nd < HX_CSV_MAX_FIELDS && n <= max_field) {
		/* The usual line: nothing to trim, no field past a cap. */
		for (size_t k = 0; k < nd; k++) {
			copy[at[k]] = '\0';
			r->ptrs[k] = copy + start;
			r->lens[k] = at[k] - start;
			start = at[k] + 1;
		}
		r->ptrs[nd] = copy + start;
		r->lens[nd] = n - start;
		nf = nd + 1;
	} else {
		for (size_t k = 0; k <= nd; k++) {
			/* Field k ends at delimiter k; the last (or, past the cap, the rest) at n. */
			size_t end = k < nd && k < HX_CSV_MAX_FIELDS ? at[k] : n, a = start, b = end;

			start = end + 1;
			if (nf >= HX_CSV_MAX_FIELDS) {
				r->too_many_fields = 1;
				break;
			}
			if (blanks) {
				while (a < b && (p[a] == ' ' || (p[a] == '\t' && tab_blank)))
					a++;
				while (b > a && (p[b - 1] == ' ' || (p[b - 1] == '\t' && tab_blank)))
					b--;
			}
			if (b - a > max_field) {
				b = a + max_field;
				if (r->too_long_field == 0)
					r->too_long_field = nf + 1;
			}
			copy[b] = '\0';
			r->ptrs[nf] = copy + a; /* data does not move until the next record */
			r->lens[nf] = b - a;
			nf++;
		}
	}
	r->nfields = nf;
	r->data.len = base + n + 1;
	r->split = p;
	r->split_len = n;
	r->rec_ready = 1;
	return 1;
}

static void finish_record(struct hx_csv_reader *r, struct hx_csv_record *rec)
{
	rec->nfields = r->nfields;
	rec->fields = r->ptrs;
	rec->lens = r->lens;
	rec->line = r->rec_line;
	rec->last_line = r->line;
	if (r->split != NULL) {
		/* split_line set the pointers; the raw text is the line in the chunk */
		rec->raw = r->split;
		rec->raw_len = r->split_len;
	} else {
		size_t rawlen = r->raw.len;

		while (rawlen > 0 &&
		       (r->raw.data[rawlen - 1] == '\n' || r->raw.data[rawlen - 1] == '\r'))
			rawlen--;
		for (size_t i = 0; i < r->nfields; i++)
			r->ptrs[i] = r->data.data + r->offsets[i];
		rec->raw = r->raw.data != NULL ? r->raw.data : "";
		rec->raw_len = rawlen;
	}
	rec->too_long_field = r->too_long_field;
	rec->too_many_fields = r->too_many_fields;
	r->rec_ready = 0;
}

int hx_csv_next(struct hx_csv_reader *r, struct hx_csv_record *rec, struct hx_error *err)
{
	uint32_t at[HX_CSV_MAX_FIELDS + 1]; /* a line's delimiters (scan_line) */

	if (!r->started && start(r, err) < 0)
		return -1;
	if (r->finished)
		return 0;
	while (!r->rec_ready) {
		const char *p, *end, *q;
		int rc;

		if (r->chunk_pos >= r->chunk_len) {
			rc = refill(r, err);
			if (rc < 0)
				return -1;
			if (rc == 0) {
				/* End of input: a last record without a line end. */
				if (r->parser.pstate == LIBCSV_FIELD_BEGUN && r->parser.quoted)
					return hx_error_set(err, HX_DATAERR,
					                    "line %ld: the quote opened in the record of "
					                    "line %ld is never closed",
					                    r->line, r->rec_line);
				(void)csv_fini(&r->parser, on_field, on_record, r);
				r->finished = 1;
				if (!r->rec_ready)
					return 0;
				break;
			}
		}
		p = r->chunk + r->chunk_pos;
		end = r->chunk + r->chunk_len;
		if (r->pending_cr) {
			r->pending_cr = 0;
			if (*p == '\n') {
				/* CR LF: the LF ends the line the CR ended (libcsv ignores it
				 * between records). */
				if (r->parser.pstate != LIBCSV_ROW_NOT_BEGUN && feed(r, p, 1, err) < 0)
					return -1;
				r->chunk_pos++;
				continue;
			}
		}
		if (r->at_line_start) {
			r->line++;
			r->at_line_start = 0;
			if (r->parser.pstate == LIBCSV_ROW_NOT_BEGUN) {
				struct line_marks m;

				/* The line starts a record: split here when it is whole in
				 * the chunk and holds no quote. */
				begin_record(r);
				scan_line(p, (size_t)(end - p), r->delimiter, r->delimiter != '\t', at,
				          HX_CSV_MAX_FIELDS, &m);
				if (m.ended && m.len + 2 <= r->max_record) {
					r->pending_cr = p[m.len] == '\r';
					r->at_line_start = 1;
					r->chunk_pos += m.len + 1;
					if (r->pending_cr && p + m.len + 1 < end && p[m.len + 1] == '\n') {
						r->pending_cr = 0; /* CR LF, whole in the chunk */
						r->chunk_pos++;
					}
					(void)split_line(r, p, m.len, at, &m);
					continue;
				}
			}
		}
		/*
		 * The line ends at the first CR or LF.  memchr finds the next LF
		 * once per line (remembered, so a file of CR line ends scans its
		 * chunk for LF once); a CR is looked for only before it.
		 */
		if (!r->next_lf_known || r->next_lf < r->chunk_pos) {
			const char *lf = memchr(p, '\n', (size_t)(end - p));

			r->next_lf = lf != NULL ? (size_t)(lf - r->chunk) : r->chunk_len;
			r->next_lf_known = 1;
		}
		q = memchr(p, '\r', r->next_lf - r->chunk_pos);
		if (q == NULL)
			q = r->chunk + r->next_lf;
		if (q < end) {
			r->pending_cr = *q == '\r';
			r->at_line_start = 1;
			q++;
		}
		if (feed(r, p, (size_t)(q - p), err) < 0)
			return -1;
		r->chunk_pos += (size_t)(q - p);
	}
	finish_record(r, rec);
	return 1;
}
