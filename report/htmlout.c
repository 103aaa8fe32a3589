/*
 * htmlout.c — index.html (--format html): one self-contained page for the
 * steering committee (docs/design.md §9.5), printable on A4.
 *
 * For each province with figures in year B of --compare A:B, one section
 * (a new printed page): the headline rate of each title against its
 * target; the province's districts (from 2025, when there are none, its
 * communes) ranked by each title's headline rate;
 * the change from year A to year B; who has not reported, year by year;
 * the error findings that kept figures out; the education fund per year
 * and over A..B.  Every chart (svg.c) stands beside a real table of the
 * same figures.  Inline CSS and SVG only: no script, no font or file from
 * the network.  Numbers in the documents' style (69,88%, 44.060); every
 * text from the data is escaped, and long names wrap.
 *
 * Everything comes from the outputs' own rows (the same snapshot as the
 * CSV files), so the page can never disagree with them.  Rankings are
 * derived here from the rates (ties share a rank); when the outputs gain a
 * rankings file and provisional columns, those should be read instead.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "doc.h"
#include "i18n.h"
#include "lengthof.h"

/* The page is built in memory first: far below this for a whole country (2 MB is the aim). */
#define PAGE_MAX (64u << 20)
/* Findings listed per province; the rest are counted and left to findings.csv. */
#define FINDINGS_SHOWN 25
/* Missing units named per year; the rest are counted. */
#define MISSING_SHOWN 40

static const char *const titles[] = {"family", "clan", "community", "commune", "unit", "citizen"};
#define NTITLES lengthof(titles)

/*
 * The first row of a result for each (scope_code, year, title): the page
 * looks figures up by that key for every unit it shows, and a scan of the
 * rates per lookup made a country's page quadratic (minutes).  Open
 * addressing over row numbers; the key's strings stay in the result.
 */
struct row_index {
	const PGresult *res;
	int *slot; /* row + 1; 0 is empty */
	size_t mask;
	int scope, year, title; /* column numbers */
};

/*
 * The rows of a result whose column col holds a given code (a scope's rows of
 * comparison, completeness and funds, a province's findings), in the
 * result's order: row numbers sorted by (value, row), found by bisection.
 * Each province's section read these tables whole, once per province.
 */
struct row_groups {
	const PGresult *res;
	int *rows;
	int n, col;
};

struct page {
	struct hx_buf *b;
	const struct report_data *d;
	PGresult *rates, *cmp, *funds, *compl, *targets, *findings;
	struct row_index rate_ix, target_ix; /* a title's first row per scope, year, title */
	struct row_groups cmp_g, compl_g, funds_g; /* by scope_code */
	struct row_groups findings_g;              /* by province_code */
	int rlo, rhi; /* the rows of rates of the province being written */
	int ya, yb;
	int compared; /* the comparison's rows are of ya and yb */
	int full;     /* the buffer's cap was reached */
};

/* ---- small writers ---------------------------------------------------- */

static void put(struct page *p, const char *s)
{
	if (hx_buf_puts(p->b, s) < 0)
		p->full = 1;
}

static void putf(struct page *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(struct page *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (hx_buf_vprintf(p->b, fmt, ap) < 0)
		p->full = 1;
	va_end(ap);
}

static void esc(struct page *p, const char *s)
{
	if (report_html_escape(p->b, s != NULL ? s : "") < 0)
		p->full = 1;
}

/* A number in the documents' style, or a dash for NULL. */
static void num(struct page *p, const char *v, unsigned flags)
{
	if (v == NULL)
		put(p, "–");
	else if (report_fmt_num(p->b, v, flags) < 0)
		esc(p, v);
}

static void pct(struct page *p, const char *v, unsigned flags)
{
	if (report_fmt_percent(p->b, v, flags) < 0)
		esc(p, v);
}

/* A <td class="n"> with a number. */
static void td_num(struct page *p, const char *v, unsigned flags)
{
	put(p, "<td class=\"n\">");
	num(p, v, flags);
	put(p, "</td>");
}

static void td_pct(struct page *p, const char *v, unsigned flags)
{
	put(p, "<td class=\"n\">");
	pct(p, v, flags);
	put(p, "</td>");
}

static void td_text(struct page *p, const char *s)
{
	put(p, "<td>");
	esc(p, s);
	put(p, "</td>");
}

static void th(struct page *p, const char *label, int numeric)
{
	putf(p, "<th scope=\"col\"%s>", numeric ? " class=\"n\"" : "");
	esc(p, label);
	put(p, "</th>");
}

/*
 * Column widths in percent ("24 12 12 …"): the tables are laid out fixed,
 * so that a name of any length wraps inside its column instead of pushing
 * the table off the page.
 */
static void colgroup(struct page *p, const char *widths)
{
	const char *q = widths;

	put(p, "<colgroup>");
	while (*q) {
		int w = atoi(q);

		putf(p, "<col style=\"width:%d%%\">", w);
		q += strspn(q, "0123456789");
		q += strspn(q, " ");
	}
	put(p, "</colgroup>");
}

/* A styled value into a new string (chart labels). */
static char *styled(const char *v, unsigned flags, int percent)
{
	struct hx_buf t;
	char *s;

	hx_buf_init(&t, 256);
	if (v == NULL)
		hx_buf_puts(&t, report_tr(N_("no figure")));
	else if ((percent ? report_fmt_percent(&t, v, flags) : report_fmt_num(&t, v, flags)) < 0)
		hx_buf_puts(&t, v);
	s = hx_strdup(hx_buf_str(&t));
	hx_buf_free(&t);
	return s;
}

#define V(res, r, key) report_data_val((res), (r), report_data_col((res), (key)))

static int is(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static int year_is(const char *v, int year)
{
	return v != NULL && atoi(v) == year;
}

/* The headline rate of a rates row and its numerator and denominator. */
static const char *headline_rate(const PGresult *res, int r, const char **numr, const char **den)
{
	const char *base = report_headline_base(V(res, r, "title"));

	if (is(base, "registered")) {
		*numr = V(res, r, "rate_registered_num");
		*den = V(res, r, "rate_registered_den");
		return V(res, r, "rate_registered");
	}
	*numr = V(res, r, "rate_eligible_num");
	*den = V(res, r, "rate_eligible_den");
	return V(res, r, "rate_eligible");
}

static size_t row_key_hash(const char *scope, int year, const char *title)
{
	size_t h = 2166136261u;
	const char *c;

	for (c = scope; *c; c++)
		h = (h ^ (unsigned char)*c) * 16777619u;
	h = (h ^ (size_t)(unsigned)year) * 16777619u;
	for (c = title; *c; c++)
		h = (h ^ (unsigned char)*c) * 16777619u;
	return h;
}

/* Row r's key, or 0 when a part of it is null. */
static int row_key(const struct row_index *ix, int r, const char **scope, int *year,
                   const char **title)
{
	const char *y;

	*scope = report_data_val(ix->res, r, ix->scope);
	*title = report_data_val(ix->res, r, ix->title);
	y = report_data_val(ix->res, r, ix->year);
	if (*scope == NULL || *title == NULL || y == NULL)
		return 0;
	*year = atoi(y);
	return 1;
}

/* The slot of (scope, year, title): its row + 1, or the empty slot where it would go. */
static int *row_slot(const struct row_index *ix, const char *scope, int year, const char *title)
{
	size_t i = row_key_hash(scope, year, title) & ix->mask;

	for (;; i = (i + 1) & ix->mask) {
		const char *s, *t;
		int y;

		if (ix->slot[i] == 0)
			return &ix->slot[i];
		if (row_key(ix, ix->slot[i] - 1, &s, &y, &t) && y == year && strcmp(s, scope) == 0 &&
		    strcmp(t, title) == 0)
			return &ix->slot[i];
	}
}

static void row_index_build(struct row_index *ix, const PGresult *res)
{
	int n = PQntuples(res), r;
	size_t cap = 16;

	while (cap < 2 * (size_t)n + 1)
		cap *= 2;
	ix->res = res;
	ix->slot = hx_calloc(cap, sizeof *ix->slot);
	ix->mask = cap - 1;
	ix->scope = report_data_col(res, "scope_code");
	ix->year = report_data_col(res, "year");
	ix->title = report_data_col(res, "title");
	for (r = 0; r < n; r++) {
		const char *scope, *title;
		int year, *slot;

		if (!row_key(ix, r, &scope, &year, &title))
			continue;
		slot = row_slot(ix, scope, year, title);
		if (*slot == 0) /* the first row of the key: a title's own row comes first */
			*slot = r + 1;
	}
}

/* The first row of res for scope, year and title, or -1. */
static int row_find(const struct row_index *ix, const char *scope, int year, const char *title)
{
	if (scope == NULL || title == NULL)
		return -1;
	return *row_slot(ix, scope, year, title) - 1;
}

/* The row of rates for scope, year and title, or -1. */
static int find_rate(const struct page *p, const char *scope, int year, const char *title)
{
	return row_find(&p->rate_ix, scope, year, title);
}

static int find_target(const struct page *p, const char *scope, int year, const char *title)
{
	return row_find(&p->target_ix, scope, year, title);
}

static const PGresult *groups_res; /* the result qsort's comparison reads */
static int groups_col;

static int cmp_group_rows(const void *a, const void *b)
{
	int ra = *(const int *)a, rb = *(const int *)b;
	int c = strcmp(PQgetvalue(groups_res, ra, groups_col), PQgetvalue(groups_res, rb, groups_col));

	return c != 0 ? c : (ra > rb) - (ra < rb);
}

/* Index the rows of res by column key (rows where it is NULL are in no group). */
static void row_groups_build(struct row_groups *g, const PGresult *res, const char *key)
{
	int n = PQntuples(res), r;

	g->res = res;
	g->col = report_data_col(res, key);
	g->rows = hx_calloc((size_t)n + 1, sizeof *g->rows);
	g->n = 0;
	for (r = 0; r < n && g->col >= 0; r++)
		if (!PQgetisnull(res, r, g->col))
			g->rows[g->n++] = r;
	groups_res = res;
	groups_col = g->col;
	qsort(g->rows, (size_t)g->n, sizeof *g->rows, cmp_group_rows);
}

/* The rows whose key is code: g->rows[*lo .. *hi), in the result's order. */
static void row_groups_find(const struct row_groups *g, const char *code, int *lo, int *hi)
{
	int a = 0, b = g->n;

	if (code == NULL) {
		*lo = *hi = 0;
		return;
	}
	while (a < b) { /* the first row >= code */
		int mid = a + (b - a) / 2;

		if (strcmp(PQgetvalue(g->res, g->rows[mid], g->col), code) < 0)
			a = mid + 1;
		else
			b = mid;
	}
	*lo = a;
	for (b = a; b < g->n && strcmp(PQgetvalue(g->res, g->rows[b], g->col), code) == 0; b++)
		;
	*hi = b;
}

/* The name of code in year (unit_names.sql), else in the latest year named; NULL if none. */
static const char *unit_name(const struct page *p, const char *code, int year)
{
	const PGresult *nm = p->d->names;
	int lo = 0, hi = nm != NULL ? PQntuples(nm) - 1 : -1, first = -1, r;
	const char *latest = NULL;

	/* unit_names.sql sorts by code bytewise, then year: the code's first row. */
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2, c = strcmp(PQgetvalue(nm, mid, 0), code);

		if (c == 0)
			first = mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	for (r = first; r >= 0 && r < PQntuples(nm) && strcmp(PQgetvalue(nm, r, 0), code) == 0; r++) {
		latest = PQgetvalue(nm, r, 2);
		if (atoi(PQgetvalue(nm, r, 1)) == year)
			return latest;
	}
	return latest;
}

/* ---- the sections ------------------------------------------------------ */

/* 1. The headline rate of each title against its target. */
static void headline(struct page *p, const char *scope, int year)
{
	struct svg_bar bars[NTITLES];
	char *texts[NTITLES];
	int rows[NTITLES];
	size_t i, n = 0;
	struct hx_buf title;

	for (i = 0; i < NTITLES; i++) {
		int r = find_rate(p, scope, year, titles[i]), t = find_target(p, scope, year, titles[i]);
		const char *nu, *de, *rate;
		long long h;

		if (r < 0)
			continue;
		rate = headline_rate(p->rates, r, &nu, &de);
		memset(&bars[n], 0, sizeof bars[n]);
		bars[n].label = report_enum_label("title", titles[i]);
		bars[n].have = report_hundredths(rate, &bars[n].value) == 0;
		if (t >= 0 && report_hundredths(V(p->targets, t, "target_percent"), &h) == 0) {
			bars[n].mark = h;
			bars[n].has_mark = 1;
		}
		texts[n] = styled(rate, 0, 1);
		bars[n].text = texts[n];
		rows[n++] = r;
	}
	putf(p, "<h3>%s</h3>\n", report_tr(N_("Headline rate of each title, against its target")));
	if (n == 0) {
		putf(p, "<p>%s</p>\n", report_tr(N_("No title has a figure this year.")));
		return;
	}
	hx_buf_init(&title, 1024);
	hx_buf_printf(&title, report_tr(N_("Headline rate of each title in %d; a red line marks "
	                                   "the target")), year);
	put(p, "<div class=\"figure\">");
	if (svg_hbars(p->b, hx_buf_str(&title), bars, n, 10000) < 0)
		p->full = 1;
	put(p, "</div>\n<table class=\"headline\">");
	colgroup(p, "24 13 17 11 11 12 12");
	put(p, "<thead><tr>");
	th(p, report_tr(N_("Title")), 0);
	th(p, report_tr(N_("Recognized")), 1);
	th(p, report_tr(N_("Base")), 1);
	th(p, report_tr(N_("Rate")), 1);
	th(p, report_tr(N_("Target")), 1);
	th(p, report_tr(N_("Gap (points)")), 1);
	th(p, report_tr(N_("Units reporting")), 1);
	put(p, "</tr></thead><tbody>\n");
	for (i = 0; i < n; i++) {
		int r = rows[i];
		const char *ti = V(p->rates, r, "title"), *nu, *de, *rate = headline_rate(p->rates, r, &nu,
		                                                                          &de);
		int t = find_target(p, scope, year, ti);

		put(p, "<tr><th scope=\"row\">");
		esc(p, report_enum_label("title", ti));
		put(p, "</th>");
		td_num(p, nu != NULL ? nu : V(p->rates, r, "recognized"), 0);
		put(p, "<td class=\"n\">");
		num(p, de, 0);
		putf(p, " <span class=\"base\">%s</span></td>",
		     report_enum_label("headline", report_headline_base(ti)));
		td_pct(p, rate, 0);
		td_pct(p, t >= 0 ? V(p->targets, t, "target_percent") : NULL, 0);
		td_num(p, t >= 0 ? V(p->targets, t, "gap_pp") : NULL, FMT_SIGN | FMT_DEC2);
		put(p, "<td class=\"n\">");
		num(p, V(p->rates, r, "units_reporting"), 0);
		put(p, "/");
		num(p, V(p->rates, r, "units_expected"), 0);
		put(p, "</td></tr>\n");
		free(texts[i]);
	}
	put(p, "</tbody></table>\n");
	hx_buf_free(&title);
}

struct ranked {
	int row;          /* in rates */
	long long value;  /* hundredths */
	int have;
	int rank;
};

static int cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->have != y->have)
		return y->have - x->have;
	if (x->have && x->value != y->value)
		return x->value < y->value ? 1 : -1;
	return x->row - y->row; /* rates are sorted by code: ties by code */
}

/* Whether row r of rates is a title's own row (not a level's or a group's). */
static int title_row(const PGresult *rates, int r)
{
	return V(rates, r, "level") == NULL && V(rates, r, "group") == NULL;
}

/* Whether row r of rates is a unit ranked in province's year: a title's row of level. */
static int ranked_unit(const struct page *p, int r, const char *level, const char *province,
                       int year)
{
	return is(V(p->rates, r, "scope_level"), level) &&
	       is(V(p->rates, r, "province_code"), province) && year_is(V(p->rates, r, "year"), year) &&
	       title_row(p->rates, r);
}

/*
 * 2. The units one level below the province ranked by each title's headline
 * rate — its districts, or in a year without districts (from the 2025
 * reform) its communes: a chart per title, then one table of every rate with
 * its rank.
 */
static void ranking(struct page *p, const char *province, int year)
{
	/* (the province's rows of rates: its units are among them) */
	int lo = p->rlo, hi = p->rhi, n = hi - lo, r;
	struct ranked *rk = hx_calloc((size_t)n + 1, sizeof *rk);
	struct svg_bar *bars = hx_calloc((size_t)n + 1, sizeof *bars);
	char **texts = hx_calloc((size_t)n + 1, sizeof *texts);
	int *rank = hx_calloc(NTITLES * ((size_t)n + 1), sizeof *rank); /* 0: no rank */
	int ranked_title[NTITLES] = {0};
	struct hx_buf title;
	size_t i, k, shown = 0;
	const char *level = "commune";

	for (r = lo; r < hi; r++)
		if (ranked_unit(p, r, "district", province, year)) {
			level = "district";
			break;
		}
	hx_buf_init(&title, 1024);
	for (i = 0; i < NTITLES; i++) {
		size_t m = 0;

		for (r = lo; r < hi; r++) {
			const char *nu, *de;

			if (!ranked_unit(p, r, level, province, year) ||
			    !is(V(p->rates, r, "title"), titles[i]))
				continue;
			rk[m].row = r;
			rk[m].have = report_hundredths(headline_rate(p->rates, r, &nu, &de),
			                               &rk[m].value) == 0;
			m++;
		}
		if (m < 2)
			continue; /* one unit is no ranking */
		ranked_title[i] = 1;
		qsort(rk, m, sizeof *rk, cmp_ranked);
		for (k = 0; k < m; k++) {
			rk[k].rank = k > 0 && rk[k].have && rk[k - 1].have && rk[k].value == rk[k - 1].value
			                     ? rk[k - 1].rank
			                     : (int)k + 1;
			if (rk[k].have)
				rank[i * ((size_t)n + 1) + (size_t)(rk[k].row - lo)] = rk[k].rank;
		}
		if (shown++ == 0)
			putf(p, "<h3>%s</h3>\n", is(level, "district")
			                            ? report_tr(N_("Districts ranked by headline rate"))
			                            : report_tr(N_("Communes ranked by headline rate")));
		for (k = 0; k < m; k++) {
			const char *nu, *de, *rate = headline_rate(p->rates, rk[k].row, &nu, &de);

			memset(&bars[k], 0, sizeof bars[k]);
			bars[k].label = V(p->rates, rk[k].row, "scope_name");
			bars[k].have = rk[k].have;
			bars[k].value = rk[k].value;
			texts[k] = styled(rate, 0, 1);
			bars[k].text = texts[k];
		}
		hx_buf_reset(&title);
		hx_buf_printf(&title,
		              is(level, "district")
		                      ? report_tr(N_("%s: districts ranked by headline rate, %d"))
		                      : report_tr(N_("%s: communes ranked by headline rate, %d")),
		              report_enum_label("title", titles[i]), year);
		putf(p, "<h4>%s</h4>\n<div class=\"figure\">", report_enum_label("title", titles[i]));
		if (svg_hbars(p->b, hx_buf_str(&title), bars, m, 10000) < 0)
			p->full = 1;
		put(p, "</div>\n");
		for (k = 0; k < m; k++)
			free(texts[k]);
	}
	if (shown > 0) {
		/* The table behind the charts: each district's rate and rank per title. */
		const char *prev = NULL;

		put(p, "<table class=\"rank\"><thead><tr>");
		th(p, is(level, "district") ? report_tr(N_("District")) : report_tr(N_("Commune")), 0);
		for (i = 0; i < NTITLES; i++)
			if (ranked_title[i]) {
				putf(p, "<th scope=\"col\" class=\"n\">");
				esc(p, report_enum_label("title", titles[i]));
				put(p, "</th>");
			}
		put(p, "</tr></thead><tbody>\n");
		for (r = lo; r < hi; r++) {
			const char *code = V(p->rates, r, "scope_code");

			if (!ranked_unit(p, r, level, province, year) || is(code, prev))
				continue;
			prev = code;
			put(p, "<tr><th scope=\"row\">");
			esc(p, V(p->rates, r, "scope_name"));
			put(p, "</th>");
			for (i = 0; i < NTITLES; i++) {
				int t = find_rate(p, code, year, titles[i]), rk_ = 0;
				const char *nu, *de;

				if (!ranked_title[i])
					continue;
				put(p, "<td class=\"n\">");
				if (t >= lo && t < hi) {
					pct(p, headline_rate(p->rates, t, &nu, &de), 0);
					rk_ = rank[i * ((size_t)n + 1) + (size_t)(t - lo)];
				} else {
					put(p, "–");
				}
				if (rk_ > 0)
					putf(p, " <span class=\"rk\">(%d)</span>", rk_);
				put(p, "</td>");
			}
			put(p, "</tr>\n");
		}
		put(p, "</tbody></table>\n<p class=\"meta\">");
		put(p, is(level, "district")
		               ? report_tr(N_("Each cell: the headline rate and, in brackets, the "
		                              "district's rank for that title; the numerators and "
		                              "denominators are in rates.csv."))
		               : report_tr(N_("Each cell: the headline rate and, in brackets, the "
		                              "commune's rank for that title; the numerators and "
		                              "denominators are in rates.csv.")));
		put(p, "</p>\n");
	}
	hx_buf_free(&title);
	free(rank);
	free(texts);
	free(bars);
	free(rk);
}

/* 3. The change between year A and year B, per title (comparison rows). */
static void change(struct page *p, const char *scope)
{
	int lo, hi, k, r, rows[NTITLES];
	struct svg_bar bars[NTITLES];
	char *texts[NTITLES], la[16], lb[16];
	struct hx_buf t;
	size_t i, m = 0;

	if (!p->compared)
		return; /* the comparison's rows are of other years than the page's */
	row_groups_find(&p->cmp_g, scope, &lo, &hi);
	for (i = 0; i < NTITLES; i++)
		for (k = lo; k < hi; k++) {
			const char *base;
			struct hx_buf s;

			r = p->cmp_g.rows[k];
			if (!is(V(p->cmp, r, "scope_code"), scope) || !is(V(p->cmp, r, "title"), titles[i]))
				continue;
			base = report_headline_base(titles[i]);
			memset(&bars[m], 0, sizeof bars[m]);
			bars[m].label = report_enum_label("title", titles[i]);
			hx_buf_init(&t, 64);
			hx_buf_printf(&t, "rate_%s_a", base);
			bars[m].has_mark = report_hundredths(V(p->cmp, r, hx_buf_str(&t)), &bars[m].mark) == 0;
			hx_buf_reset(&t);
			hx_buf_printf(&t, "rate_%s_b", base);
			bars[m].have = report_hundredths(V(p->cmp, r, hx_buf_str(&t)), &bars[m].value) == 0;
			hx_buf_init(&s, 128);
			if (report_fmt_num(&s, V(p->cmp, r, "delta_pp"), FMT_SIGN | FMT_DEC2) == 0)
				hx_buf_printf(&s, " %s", report_tr(N_("points")));
			else
				hx_buf_puts(&s, "–");
			texts[m] = hx_strdup(hx_buf_str(&s));
			bars[m].text = texts[m];
			hx_buf_free(&s);
			hx_buf_free(&t);
			rows[m++] = r;
			break;
		}
	if (m == 0)
		return;
	putf(p, "<h3>");
	putf(p, report_tr(N_("Change from %d to %d")), p->ya, p->yb);
	put(p, "</h3>\n<div class=\"figure\">");
	snprintf(la, sizeof la, "%d", p->ya);
	snprintf(lb, sizeof lb, "%d", p->yb);
	hx_buf_init(&t, 512);
	hx_buf_printf(&t, report_tr(N_("Headline rate of each title in %d and in %d")), p->ya, p->yb);
	if (svg_change(p->b, hx_buf_str(&t), bars, m, 10000, la, lb) < 0)
		p->full = 1;
	hx_buf_free(&t);
	put(p, "</div>\n<table class=\"change\">");
	colgroup(p, "20 10 10 10 12 12 12 14");
	put(p, "<thead><tr>");
	th(p, report_tr(N_("Title")), 0);
	putf(p, "<th scope=\"col\" class=\"n\">%s %d</th>", report_tr(N_("Rate")), p->ya);
	putf(p, "<th scope=\"col\" class=\"n\">%s %d</th>", report_tr(N_("Rate")), p->yb);
	th(p, report_tr(N_("Change (points)")), 1);
	putf(p, "<th scope=\"col\" class=\"n\">%s %d</th>", report_tr(N_("Recognized")), p->ya);
	putf(p, "<th scope=\"col\" class=\"n\">%s %d</th>", report_tr(N_("Recognized")), p->yb);
	th(p, report_tr(N_("Change")), 1);
	th(p, report_tr(N_("Growth")), 1);
	put(p, "</tr></thead><tbody>\n");
	for (i = 0; i < m; i++) {
		int row = rows[i];
		const char *base = report_headline_base(V(p->cmp, row, "title"));
		char ka[32], kb[32];

		snprintf(ka, sizeof ka, "rate_%s_a", base);
		snprintf(kb, sizeof kb, "rate_%s_b", base);
		put(p, "<tr><th scope=\"row\">");
		esc(p, bars[i].label);
		put(p, "</th>");
		td_pct(p, V(p->cmp, row, ka), 0);
		td_pct(p, V(p->cmp, row, kb), 0);
		td_num(p, V(p->cmp, row, "delta_pp"), FMT_SIGN | FMT_DEC2);
		td_num(p, V(p->cmp, row, "recognized_a"), 0);
		td_num(p, V(p->cmp, row, "recognized_b"), 0);
		td_num(p, V(p->cmp, row, "delta_recognized"), FMT_SIGN);
		td_pct(p, V(p->cmp, row, "growth_percent"), FMT_SIGN);
		put(p, "</tr>\n");
		free(texts[i]);
	}
	put(p, "</tbody></table>\n");
}

/* 4. Who has not reported, year by year. */
static void completeness(struct page *p, const char *scope)
{
	int lo, hi, k, any = 0;

	row_groups_find(&p->compl_g, scope, &lo, &hi);
	for (k = lo; k < hi; k++) {
		int r = p->compl_g.rows[k];
		const char *missing;
		size_t shown = 0, total = 0;
		const char *q;

		if (!is(V(p->compl, r, "scope_code"), scope))
			continue;
		if (!any++) {
			putf(p, "<h3>%s</h3>\n<table class=\"compl\">", report_tr(N_("Who has reported")));
			colgroup(p, "10 22 68");
			put(p, "<thead><tr>");
			th(p, report_tr(N_("Year")), 0);
			th(p, report_tr(N_("Reported")), 1);
			th(p, report_tr(N_("Not reported")), 0);
			put(p, "</tr></thead><tbody>\n");
		}
		putf(p, "<tr><th scope=\"row\">%s</th><td class=\"n\">", V(p->compl, r, "year"));
		num(p, V(p->compl, r, "units_reporting"), 0);
		put(p, "/");
		num(p, V(p->compl, r, "units_expected"), 0);
		put(p, " (");
		pct(p, V(p->compl, r, "percent"), 0);
		put(p, ")</td><td class=\"missing\">");
		missing = V(p->compl, r, "missing");
		for (q = missing != NULL ? missing : ""; *q;) {
			size_t len = strcspn(q, " ");
			char code[64];

			if (len > 0 && len < sizeof code) {
				total++;
				if (shown < MISSING_SHOWN) {
					const char *name;

					memcpy(code, q, len);
					code[len] = '\0';
					name = unit_name(p, code,
					                 atoi(V(p->compl, r, "year") ? V(p->compl, r, "year")
					                                             : "0"));
					if (shown++ > 0)
						put(p, ", ");
					if (name != NULL) {
						esc(p, name);
						put(p, " (");
						esc(p, code);
						put(p, ")");
					} else {
						esc(p, code);
					}
				}
			}
			q += len;
			q += strspn(q, " ");
		}
		if (total > shown) {
			put(p, ", ");
			putf(p, report_tr(N_("and %zu more (completeness.csv)")), total - shown);
		}
		if (total == 0)
			put(p, "–");
		put(p, "</td></tr>\n");
	}
	if (any)
		put(p, "</tbody></table>\n");
}

/* 5. The error findings that kept figures of the province out. */
static void findings(struct page *p, const char *province)
{
	int lo, hi, k, r, total = 0, shown = 0;

	row_groups_find(&p->findings_g, province, &lo, &hi);
	for (k = lo; k < hi; k++) {
		r = p->findings_g.rows[k];
		if (is(V(p->findings, r, "severity"), "error") &&
		    is(V(p->findings, r, "province_code"), province))
			total++;
	}
	putf(p, "<h3>%s</h3>\n", report_tr(N_("Figures kept out by errors in the data")));
	if (total == 0) {
		putf(p, "<p>%s</p>\n", report_tr(N_("None: no figure was kept out.")));
		return;
	}
	put(p, "<table class=\"findings\">");
	colgroup(p, "8 20 14 40 18");
	put(p, "<thead><tr>");
	th(p, report_tr(N_("Year")), 0);
	th(p, report_tr(N_("Unit")), 0);
	th(p, report_tr(N_("Title")), 0);
	th(p, report_tr(N_("What is wrong")), 0);
	th(p, report_tr(N_("Where")), 0);
	put(p, "</tr></thead><tbody>\n");
	for (k = lo; k < hi && shown < FINDINGS_SHOWN; k++) {
		const char *unit, *name;

		r = p->findings_g.rows[k];
		if (!is(V(p->findings, r, "severity"), "error") ||
		    !is(V(p->findings, r, "province_code"), province))
			continue;
		shown++;
		put(p, "<tr>");
		td_text(p, V(p->findings, r, "year"));
		unit = V(p->findings, r, "unit_code");
		/* named as the unit was in the finding's year */
		name = unit != NULL ? unit_name(p, unit,
		                                atoi(V(p->findings, r, "year") ? V(p->findings, r, "year")
		                                                               : "0"))
		                    : NULL;
		put(p, "<td>");
		if (name != NULL) {
			esc(p, name);
			put(p, " (");
		}
		esc(p, unit);
		if (name != NULL)
			put(p, ")");
		put(p, "</td>");
		td_text(p, V(p->findings, r, "title") != NULL
		                   ? report_enum_label("title", V(p->findings, r, "title"))
		                   : "–");
		td_text(p, V(p->findings, r, "message"));
		put(p, "<td class=\"where\">");
		esc(p, V(p->findings, r, "file"));
		if (V(p->findings, r, "line") != NULL)
			putf(p, ":%s", V(p->findings, r, "line"));
		put(p, "</td></tr>\n");
	}
	put(p, "</tbody></table>\n");
	if (total > shown) {
		put(p, "<p>");
		putf(p, report_tr(N_("%d more in findings.csv.")), total - shown);
		put(p, "</p>\n");
	}
}

/* 6. The education fund per year and over the period A..B. */
static void fund(struct page *p, const char *scope)
{
	int lo, hi, k, r, m = 0, last = -1;
	struct svg_bar *bars;
	char **texts;
	struct hx_buf t;
	int i;

	row_groups_find(&p->funds_g, scope, &lo, &hi);
	bars = hx_calloc((size_t)(hi - lo) + 1, sizeof *bars);
	texts = hx_calloc((size_t)(hi - lo) + 1, sizeof *texts);
	for (k = lo; k < hi; k++) {
		const char *y;

		r = p->funds_g.rows[k];
		y = V(p->funds, r, "year");

		if (!is(V(p->funds, r, "scope_code"), scope))
			continue;
		memset(&bars[m], 0, sizeof bars[m]);
		bars[m].label = y;
		bars[m].have = report_hundredths(V(p->funds, r, "mobilized_million_vnd"),
		                                 &bars[m].value) == 0;
		texts[m] = styled(V(p->funds, r, "mobilized_million_vnd"), 0, 0);
		bars[m].text = texts[m];
		if (y != NULL && atoi(y) >= p->ya && atoi(y) <= p->yb &&
		    V(p->funds, r, "period_mobilized_vnd") != NULL)
			last = r;
		m++;
	}
	if (m == 0)
		goto done;
	putf(p, "<h3>%s</h3>\n", report_tr(N_("Education promotion fund")));
	if (last >= 0) {
		char *sum = styled(V(p->funds, last, "period_mobilized_million_vnd"), 0, 0);
		char *sch = styled(V(p->funds, last, "period_scholarships"), 0, 0);

		put(p, "<p class=\"total\"><strong>");
		putf(p, report_tr(N_("Mobilised over %d–%s: %s million VND.")), p->ya,
		     V(p->funds, last, "year"), sum);
		put(p, "</strong>");
		if (V(p->funds, last, "period_scholarships") != NULL) {
			put(p, " ");
			putf(p, report_tr(N_("Scholarships over %d–%s: %s.")), p->ya,
			     V(p->funds, last, "year"), sch);
		}
		put(p, "</p>\n");
		free(sum);
		free(sch);
	}
	hx_buf_init(&t, 512);
	hx_buf_printf(&t, "%s", report_tr(N_("Education promotion fund mobilised each year, "
	                                     "million VND")));
	put(p, "<div class=\"figure\">");
	if (svg_columns(p->b, hx_buf_str(&t), bars, (size_t)m) < 0)
		p->full = 1;
	hx_buf_free(&t);
	put(p, "</div>\n<table class=\"fund\">");
	colgroup(p, "12 24 20 24 20");
	put(p, "<thead><tr>");
	th(p, report_tr(N_("Year")), 0);
	th(p, report_tr(N_("Mobilised (million VND)")), 1);
	th(p, report_tr(N_("Scholarships")), 1);
	th(p, report_tr(N_("Scholarships' value (million VND)")), 1);
	th(p, report_tr(N_("Units reporting")), 1);
	put(p, "</tr></thead><tbody>\n");
	for (k = lo; k < hi; k++) {
		const char *sv;
		char mil[64];

		r = p->funds_g.rows[k];
		if (!is(V(p->funds, r, "scope_code"), scope))
			continue;
		putf(p, "<tr><th scope=\"row\">%s</th>", V(p->funds, r, "year"));
		td_num(p, V(p->funds, r, "mobilized_million_vnd"), 0);
		td_num(p, V(p->funds, r, "scholarships"), 0);
		sv = V(p->funds, r, "scholarship_vnd");
		td_num(p, sv != NULL && report_vnd_to_million(sv, mil, sizeof mil) == 0 ? mil : NULL, 0);
		td_num(p, V(p->funds, r, "units_reporting"), 0);
		put(p, "</tr>\n");
	}
	put(p, "</tbody></table>\n");
done:
	for (i = 0; i < m; i++)
		free(texts[i]);
	free(texts);
	free(bars);
}

/* ---- the page ----------------------------------------------------------- */

static const char css[] =
	"@page{size:A4;margin:14mm 13mm}"
	"*{box-sizing:border-box}"
	"body{font-family:'DejaVu Sans','Noto Sans',Arial,sans-serif;font-size:10pt;color:#1a1a1a;"
	"background:#fff;margin:0 auto;max-width:184mm;line-height:1.35}"
	"h1{font-size:16pt;margin:0 0 4pt}h2{font-size:13pt;margin:0 0 4pt;"
	"border-bottom:2px solid #1d4f80;padding-bottom:2pt}"
	"h3{font-size:11pt;margin:10pt 0 3pt;break-after:avoid}h4{font-size:10pt;margin:6pt 0 2pt;"
	"break-after:avoid}"
	"p{margin:3pt 0}.meta{color:#444}.note{background:#fff4d6;padding:3pt 5pt;"
	"border-left:3px solid #b26a00}"
	"section.province{break-before:page}section.province:first-of-type{break-before:auto}"
	"table{border-collapse:collapse;width:100%;margin:2pt 0 6pt;table-layout:fixed;"
	"break-inside:auto}"
	"th,td{border-bottom:1px solid #c8c8c8;padding:1.5pt 4pt;text-align:left;"
	"vertical-align:top;overflow-wrap:break-word}"
	"thead th{background:#e8eef4;font-weight:bold}tr{break-inside:avoid}"
	".n{text-align:right}.base{color:#555;font-size:8.5pt}"
	".figure{break-inside:avoid}svg.chart{display:block;max-width:100%;height:auto;"
	"font-size:11px;font-family:inherit}svg.chart text{fill:#1a1a1a}svg.chart .m{fill:#5a5a5a}"
	"svg.chart .b{fill:#4a7fb5}svg.chart .e{fill:#1d4f80}svg.chart .k{stroke:#b3261e;"
	"stroke-width:2}svg.chart .a{stroke:#5a5a5a}"
	".rk{color:#555;font-size:8.5pt}td.missing,td.where{font-size:8.5pt}.total{font-size:11pt}"
	"nav ul{margin:2pt 0;padding-left:14pt}footer{margin-top:10pt;font-size:8.5pt;color:#444}";

/* The province scopes of the rates, in their order; those with figures in year B first. */
static void sections(struct page *p, int *nsections)
{
	int n = PQntuples(p->rates), r, shown = 0;
	const char *prev = NULL;

	for (r = 0; r < n; r++) {
		const char *code = V(p->rates, r, "scope_code");
		const char *prov = V(p->rates, r, "province_code");
		int has_b = 0, k, incomplete = 0, c, g, lo, hi;

		if (!is(V(p->rates, r, "scope_level"), "province") || is(code, prev))
			continue;
		prev = code;
		for (k = r; k < n && is(V(p->rates, k, "scope_code"), code); k++)
			if (year_is(V(p->rates, k, "year"), p->yb))
				has_b = 1;
		if (!has_b)
			continue;
		/* The province's rows: rates are sorted by province first. */
		p->rlo = r;
		for (p->rhi = r; p->rhi < n; p->rhi++)
			if (!is(V(p->rates, p->rhi, "province_code"), prov != NULL ? prov : code) &&
			    !(is(V(p->rates, p->rhi, "scope_code"), code) &&
			      is(V(p->rates, p->rhi, "scope_level"), "province")))
				break;
		row_groups_find(&p->compl_g, code, &lo, &hi);
		for (g = lo; g < hi; g++) {
			c = p->compl_g.rows[g];
			if (is(V(p->compl, c, "scope_code"), code) && year_is(V(p->compl, c, "year"), p->yb) &&
			    atoll(V(p->compl, c, "units_reporting") ? V(p->compl, c, "units_reporting") : "0") <
			            atoll(V(p->compl, c, "units_expected") ? V(p->compl, c, "units_expected")
			                                                  : "0"))
				incomplete = 1;
		}
		shown++;
		putf(p, "<section class=\"province\" id=\"p-");
		esc(p, code);
		put(p, "\">\n<h2>");
		esc(p, V(p->rates, r, "scope_name"));
		put(p, " (");
		esc(p, code);
		putf(p, "), %d</h2>\n", p->yb);
		if (incomplete) {
			putf(p, "<p class=\"note\">%s</p>\n",
			     report_tr(N_("Provisional: not every unit expected to report has reported "
			                  "this year (see below).")));
		}
		headline(p, code, p->yb);
		ranking(p, prov != NULL ? prov : code, p->yb);
		change(p, code);
		completeness(p, code);
		findings(p, prov != NULL ? prov : code);
		fund(p, code);
		put(p, "</section>\n");
	}
	*nsections = shown;
}

/* Provinces with figures, but none for year B: named, so none is silently missing. */
static void without_year_b(struct page *p)
{
	int n = PQntuples(p->rates), r, k, any = 0;
	const char *prev = NULL;

	for (r = 0; r < n; r++) {
		const char *code = V(p->rates, r, "scope_code");
		int has_b = 0, last = 0;

		if (!is(V(p->rates, r, "scope_level"), "province") || is(code, prev))
			continue;
		prev = code;
		for (k = r; k < n && is(V(p->rates, k, "scope_code"), code); k++) {
			int y = atoi(V(p->rates, k, "year") ? V(p->rates, k, "year") : "0");

			has_b |= y == p->yb;
			last = y > last ? y : last;
		}
		if (has_b)
			continue;
		if (!any++) {
			put(p, "<p class=\"note\">");
			putf(p, report_tr(N_("No figures for %d: ")), p->yb);
		} else {
			put(p, "; ");
		}
		esc(p, V(p->rates, r, "scope_name"));
		putf(p, " (");
		putf(p, report_tr(N_("latest year %d")), last);
		put(p, ")");
	}
	if (any)
		put(p, ".</p>\n");
}

int report_html_build(struct hx_buf *b, const struct report_data *d, int *nsections,
                      struct hx_error *err)
{
	struct page p;
	int n, r;
	const char *prev = NULL;

	memset(&p, 0, sizeof p);
	p.b = b;
	p.d = d;
	p.rates = report_data_table(d, "rates");
	p.cmp = report_data_table(d, "comparison");
	p.funds = report_data_table(d, "funds");
	p.compl = report_data_table(d, "completeness");
	p.targets = report_data_table(d, "targets");
	p.findings = report_data_table(d, "findings");
	p.ya = d->opts->year_a;
	p.yb = d->opts->year_b;
	*nsections = 0;
	if (p.rates == NULL || p.cmp == NULL || p.funds == NULL || p.compl == NULL ||
	    p.targets == NULL || p.findings == NULL)
		return hx_error_set(err, HX_SOFTWARE, "the page needs every output's rows");
	p.compared = 1;
	n = PQntuples(p.rates);
	for (r = 0; r < n && *nsections == 0; r++)
		if (is(V(p.rates, r, "scope_level"), "province") && year_is(V(p.rates, r, "year"), p.yb))
			*nsections = 1;
	/*
	 * The default years (no --compare) may be years a province never
	 * reported (a province that began in 2021): the nightly page then shows
	 * the latest year with figures, without a comparison, rather than none.
	 */
	if (*nsections == 0 && !d->opts->compare_given) {
		int latest = 0;

		for (r = 0; r < n; r++) {
			const char *y = V(p.rates, r, "year");

			if (is(V(p.rates, r, "scope_level"), "province") && y != NULL && atoi(y) > latest)
				latest = atoi(y);
		}
		if (latest > 0) {
			p.yb = latest;
			p.compared = 0;
			*nsections = 1;
		}
	}
	if (*nsections == 0) {
		hx_error_set(err, HX_DATAERR, _("no province has figures for %d: the page is not written"),
		             p.yb);
		hx_error_detail(err, _("the page shows year B of --compare %d:%d"), p.ya, p.yb);
		return -1;
	}
	putf(&p, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
	         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	         "<title>", report_doc_lang());
	putf(&p, report_tr(N_("Building a learning society: the figures of %d")), p.yb);
	putf(&p, "</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n<h1>", css);
	putf(&p, report_tr(N_("Building a learning society: the figures of %d")), p.yb);
	put(&p, "</h1>\n<p class=\"meta\">");
	if (p.compared)
		putf(&p, report_tr(N_("Compared with %d. Data as of %s (UTC); page made %s (UTC) by "
		                      "hoctap %s from the marts of %s.")),
		     p.ya, d->st->data_as_of[0] ? d->st->data_as_of : "–", d->st->generated_at,
		     HOCTAP_VERSION, d->st->transformed_at[0] ? d->st->transformed_at : "–");
	else
		putf(&p, report_tr(N_("Data as of %s (UTC); page made %s (UTC) by hoctap %s from the "
		                      "marts of %s. The default years compared, %d and %d, have no "
		                      "figures: this is the latest year that has, without a "
		                      "comparison (choose the years with --compare A:B).")),
		     d->st->data_as_of[0] ? d->st->data_as_of : "–", d->st->generated_at,
		     HOCTAP_VERSION, d->st->transformed_at[0] ? d->st->transformed_at : "–",
		     d->opts->year_a, d->opts->year_b);
	put(&p, "</p>\n");
	without_year_b(&p);
	put(&p, "<nav><ul>\n");
	for (r = 0; r < n; r++) {
		const char *code = V(p.rates, r, "scope_code");

		if (!is(V(p.rates, r, "scope_level"), "province") || is(code, prev) ||
		    !year_is(V(p.rates, r, "year"), p.yb))
			continue;
		prev = code;
		put(&p, "<li><a href=\"#p-");
		esc(&p, code);
		put(&p, "\">");
		esc(&p, V(p.rates, r, "scope_name"));
		put(&p, "</a></li>\n");
	}
	put(&p, "</ul></nav>\n</header>\n<main>\n");
	row_index_build(&p.rate_ix, p.rates);
	row_index_build(&p.target_ix, p.targets);
	row_groups_build(&p.cmp_g, p.cmp, "scope_code");
	row_groups_build(&p.compl_g, p.compl, "scope_code");
	row_groups_build(&p.funds_g, p.funds, "scope_code");
	row_groups_build(&p.findings_g, p.findings, "province_code");
	sections(&p, nsections);
	free(p.rate_ix.slot);
	free(p.target_ix.slot);
	free(p.cmp_g.rows);
	free(p.compl_g.rows);
	free(p.funds_g.rows);
	free(p.findings_g.rows);
	put(&p, "</main>\n<footer><p>");
	putf(&p, report_tr(N_("Rates are ratios of sums, rounded half away from zero to 2 "
	                      "decimals; the headline rate of families, communities and citizens "
	                      "is over the eligible, of clans and units over the registered. "
	                      "Sources: the %d input files listed in manifest.json; every figure "
	                      "is in the CSV files beside this page, and "
	                      "hoctap-report --explain CODE YEAR TITLE shows the units, files "
	                      "and lines behind it.")),
	     d->inputs != NULL ? PQntuples(d->inputs) : 0);
	put(&p, "</p></footer>\n</body>\n</html>\n");
	if (p.full)
		return hx_error_set(err, HX_SOFTWARE, "the page is larger than %u bytes", PAGE_MAX);
	return 0;
}

int report_html_has_figures(const struct report_data *d)
{
	PGresult *rates = report_data_table(d, "rates");
	int n = rates != NULL ? PQntuples(rates) : 0;

	for (int r = 0; r < n; r++)
		if (is(V(rates, r, "scope_level"), "province"))
			return 1;
	return 0;
}

int report_html_write(FILE *f, const char *path, const struct report_data *d, int *nsections,
                      struct hx_sha256 *sha, struct hx_error *err)
{
	struct hx_buf b;
	int rc;

	hx_buf_init(&b, PAGE_MAX);
	rc = report_html_build(&b, d, nsections, err);
	if (rc == 0)
		rc = report_put(f, path, b.data, b.len, sha, err);
	hx_buf_free(&b);
	return rc;
}
