/*
 * sheet.c — the header search the workbook readers share (see sheet.h).
 */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "sheet.h"

static const char empty[] = "";

/* Copy fields[0..n) with their types into s (which owns the copies). */
static void save(struct hx_sheet_saved *s, const struct hx_row *src, size_t n,
                 const char *const *fields, const size_t *lens, const unsigned char *types)
{
	memset(s, 0, sizeof *s);
	s->text = hx_calloc(n > 0 ? n : 1, sizeof *s->text);
	s->lens = hx_calloc(n > 0 ? n : 1, sizeof *s->lens);
	s->types = hx_calloc(n > 0 ? n : 1, 1);
	for (size_t i = 0; i < n; i++) {
		s->text[i] = hx_strndup(fields[i], lens[i]);
		s->lens[i] = lens[i];
		s->types[i] = types != NULL ? types[i] : HX_CELL_TEXT;
		s->bytes += lens[i] + 1 + sizeof(char *) + sizeof(size_t) + 1;
	}
	s->row = *src;
	s->row.nfields = n;
	s->row.fields = (const char *const *)s->text;
	s->row.lens = s->lens;
	s->row.types = s->types;
}

static void unsave(struct hx_sheet_saved *s)
{
	for (size_t i = 0; i < s->row.nfields; i++)
		free(s->text[i]);
	free(s->text);
	free(s->lens);
	free(s->types);
	memset(s, 0, sizeof *s);
}

int hx_sheet_window_add(struct hx_sheet_window *w, const struct hx_row *row)
{
	size_t need = 0;

	for (size_t i = 0; i < row->nfields; i++)
		need += row->lens[i] + 1 + sizeof(char *) + sizeof(size_t) + 1;
	if (w->n >= HX_SHEET_HEADER_ROWS || w->bytes + need > HX_SHEET_WINDOW_BYTES)
		return -1;
	save(&w->rows[w->n], row, row->nfields, row->fields, row->lens, row->types);
	w->bytes += w->rows[w->n].bytes;
	w->n++;
	return 0;
}

void hx_sheet_window_free(struct hx_sheet_window *w)
{
	for (size_t i = 0; i < w->n; i++)
		unsave(&w->rows[i]);
	w->n = 0;
	w->bytes = 0;
}

void hx_sheet_header_free(struct hx_sheet_header *h)
{
	if (h->joined)
		unsave(&h->joined_row);
	h->joined = 0;
}

static const struct hx_sheet_merge *merge_at(const struct hx_sheet_merge *m, size_t nm, long r,
                                             long c)
{
	for (size_t k = 0; k < nm; k++)
		if (r >= m[k].r1 && r <= m[k].r2 && c >= m[k].c1 && c <= m[k].c2)
			return &m[k];
	return NULL;
}

static int cell_empty(const struct hx_row *row, long c)
{
	return c < 0 || (size_t)c >= row->nfields || row->lens[c] == 0;
}

/*
 * Does the row up span columns (a merge within its own row, across two or
 * more columns) over cells of low that have names?
 */
static int joinable(const struct hx_row *up, const struct hx_row *low,
                    const struct hx_sheet_merge *m, size_t nm)
{
	for (size_t k = 0; k < nm; k++) {
		if (m[k].r1 != up->line || m[k].r2 != up->line || m[k].c2 <= m[k].c1)
			continue;
		for (long c = m[k].c1; c <= m[k].c2; c++)
			if (!cell_empty(low, c))
				return 1;
	}
	return 0;
}

/* The two rows joined: each column "upper lower", the upper from its merge. */
static void join(const struct hx_row *up, const struct hx_row *low,
                 const struct hx_sheet_merge *m, size_t nm, struct hx_sheet_saved *out)
{
	size_t n = up->nfields > low->nfields ? up->nfields : low->nfields;
	char **fields = hx_calloc(n > 0 ? n : 1, sizeof *fields);
	size_t *lens = hx_calloc(n > 0 ? n : 1, sizeof *lens);
	struct hx_row r = *up;

	for (size_t c = 0; c < n; c++) {
		const struct hx_sheet_merge *mu = merge_at(m, nm, up->line, (long)c);
		const struct hx_sheet_merge *ml = merge_at(m, nm, low->line, (long)c);
		long uc = mu != NULL && mu->r1 == up->line ? mu->c1 : (long)c;
		const char *us = cell_empty(up, uc) ? empty : up->fields[uc];
		size_t ul = cell_empty(up, uc) ? 0 : up->lens[uc];
		const char *ls = cell_empty(low, (long)c) ? empty : low->fields[c];
		size_t ll = cell_empty(low, (long)c) ? 0 : low->lens[c];
		char *t;

		/* Below a cell merged down over both rows there is nothing of its own. */
		if (ml != NULL && ml->r1 <= up->line)
			ll = 0;
		t = hx_malloc(ul + ll + 2);
		memcpy(t, us, ul);
		lens[c] = ul;
		if (ul > 0 && ll > 0)
			t[lens[c]++] = ' ';
		memcpy(t + lens[c], ls, ll);
		lens[c] += ll;
		t[lens[c]] = '\0';
		fields[c] = t;
	}
	r.last_line = low->line;
	save(out, &r, n, (const char *const *)fields, lens, NULL);
	for (size_t c = 0; c < n; c++)
		free(fields[c]);
	free(fields);
	free(lens);
}

static int is_header(const struct hx_sheet_options *o, const struct hx_row *row)
{
	if (hx_row_blank(row))
		return 0;
	return o->is_header == NULL || o->is_header(o->header_ctx, row);
}

int hx_sheet_find_header(const struct hx_sheet_window *w, const struct hx_sheet_merge *m,
                         size_t nm, const struct hx_sheet_options *o, struct hx_sheet_header *h)
{
	memset(h, 0, sizeof *h);
	for (size_t i = 0; i < w->n; i++) {
		const struct hx_row *up = &w->rows[i].row;
		const struct hx_row *low = i + 1 < w->n ? &w->rows[i + 1].row : NULL;

		if (hx_row_blank(up))
			continue;
		if (low != NULL && low->line == up->line + 1 && joinable(up, low, m, nm)) {
			join(up, low, m, nm, &h->joined_row);
			if (is_header(o, &h->joined_row.row)) {
				h->index = i;
				h->data_from = i + 2;
				h->joined = 1;
				return 0;
			}
			unsave(&h->joined_row);
		}
		if (is_header(o, up)) {
			h->index = i;
			h->data_from = i + 1;
			return 0;
		}
	}
	return -1;
}

size_t hx_sheet_guess_merges(const struct hx_sheet_window *w, size_t i, struct hx_sheet_merge *m,
                             size_t cap)
{
	const struct hx_row *up, *low;
	size_t n = 0, across = 0;

	if (i + 1 >= w->n)
		return 0;
	up = &w->rows[i].row;
	low = &w->rows[i + 1].row;
	if (low->line != up->line + 1)
		return 0;
	for (long c = 0; (size_t)c < up->nfields && n < cap; c++) {
		long end = c;

		if (cell_empty(up, c))
			continue;
		while ((size_t)(end + 1) < low->nfields && cell_empty(up, end + 1) &&
		       !cell_empty(low, end + 1))
			end++;
		if (end > c && !cell_empty(low, c)) {
			m[n++] = (struct hx_sheet_merge){up->line, up->line, c, end};
			across++;
		} else if (cell_empty(low, c)) {
			m[n++] = (struct hx_sheet_merge){up->line, low->line, c, c};
		}
		c = end;
	}
	return across > 0 ? n : 0;
}
