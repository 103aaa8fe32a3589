/*
 * order.c — the published order of the tables, made by the client: rates
 * (a row per scope, year, title, level and group), the comparison (per
 * scope and title), completeness (per scope and year), rankings (a row per
 * unit ranked, with its rank), targets and findings.  Their scripts return
 * the rows unsorted, with the columns the order needs; the client sorts
 * small keys, ranks, and builds the result the files are written from,
 * in the order docs/outputs.md gives (the same as the scripts' ORDER BY
 * used to: every text key compared bytewise, as COLLATE "C" does).
 *
 * Why: sorting the whole country's 600,000 wide rows and ranking them
 * took the server ~4 s of CPU of the report's ~9 s (bench/RESULTS-units.md);
 * the client sorts the same rows' keys in a small fraction of that.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "lengthof.h"
#include "doc.h"
#include "report.h"

/* The titles in the order of ref.titles; any other sorts after them, by name. */
static const char *const title_order[] = {"family", "clan", "community", "commune", "unit",
                                          "citizen"};
/* The groups of a title, after its levels; any other sorts by name. */
static const char *const group_order[] = {"adult", "official"};

/* 1-based place of s in list, or 0 when it is not there. */
static int place(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return (int)i + 1;
	return 0;
}

/* One row's sort key. */
struct key {
	const char *scope;  /* the scope's place: see rates_key and rankings_key */
	const char *name;   /* a title (rates) */
	const char *grp;    /* a group (rates), NULL when empty */
	const char *unit;   /* the unit ranked (rankings) */
	long long rate;     /* the rate in hundredths (rankings) */
	int row;            /* the row of the server's result */
	int year;
	int level;          /* a level (rates) */
	short title;        /* place in title_order, 7 when not there */
	unsigned char has_level; /* 0 when empty: before every level */
	unsigned char no_scope;  /* the scope's place is NULL (no province or code): last */
	short group;        /* place in group_order; 0 when empty or not there */
	unsigned char has_rate;
};

static int cmp_str(const char *a, const char *b)
{
	/* strcmp compares as unsigned char: bytewise, like COLLATE "C" */
	return strcmp(a, b);
}

static int cmp_int(long long a, long long b)
{
	return (a > b) - (a < b);
}

/*
 * rates: the scope's place (province, the communes directly under it,
 * then each district followed by its communes), year, title, the title's
 * own row before its levels (1, 2) and groups; an unknown group sorts
 * among the title's own row's NULL group, then by name (as NULLS FIRST
 * then name, NULLS LAST did in SQL).
 */
static int rates_cmp(const void *pa, const void *pb)
{
	const struct key *a = pa, *b = pb;
	int c;

	if ((c = cmp_int(a->no_scope, b->no_scope)) != 0 || (c = cmp_str(a->scope, b->scope)) != 0 ||
	    (c = cmp_int(a->year, b->year)) != 0 || (c = cmp_int(a->title, b->title)) != 0 ||
	    (c = cmp_str(a->name, b->name)) != 0 || (c = cmp_int(a->has_level, b->has_level)) != 0 ||
	    (c = cmp_int(a->level, b->level)) != 0 || (c = cmp_int(a->group, b->group)) != 0)
		return c;
	if (a->grp == NULL || b->grp == NULL)
		return (a->grp == NULL) - (b->grp == NULL);
	return cmp_str(a->grp, b->grp);
}

/* rankings: the ranking's scope, year and title; rate high to low, none last; unit code. */
static int rankings_cmp(const void *pa, const void *pb)
{
	const struct key *a = pa, *b = pb;
	int c;

	if ((c = cmp_int(a->no_scope, b->no_scope)) != 0)
		return c;
	/* (rows without a place were one NULL key in SQL: ranked together) */
	if (!a->no_scope &&
	    ((c = cmp_str(a->scope, b->scope)) != 0 || (c = cmp_int(a->year, b->year)) != 0 ||
	     (c = cmp_int(a->title, b->title)) != 0 || (c = cmp_str(a->name, b->name)) != 0))
		return c;
	if ((c = cmp_int(b->has_rate, a->has_rate)) != 0 || (c = cmp_int(b->rate, a->rate)) != 0)
		return c;
	return cmp_str(a->unit, b->unit);
}

int report_hundredths_exact(const char *s, long long *out)
{
	const char *dot = strchr(s, '.');

	if (dot != NULL && strlen(dot + 1) > 2)
		return -1;
	return report_hundredths(s, out);
}

static const char *val(const PGresult *res, int r, int c)
{
	return PQgetisnull(res, r, c) ? NULL : PQgetvalue(res, r, c);
}

/* Column number of name in res, or -1 with err. */
static int col(const PGresult *res, const struct report_table *t, const char *name,
               struct hx_error *err)
{
	int c = PQfnumber(res, name);

	if (c < 0)
		hx_error_set(err, HX_SOFTWARE, "sql/%s has no column \"%s\", which its order needs",
		             t->script, name);
	return c;
}

/*
 * The scope's place in rates, comparison and completeness: province
 * "68  68", a commune without a district "68..22969", a district
 * "68.680 680", its commune "68.680.22969".  Rates have every key; a
 * comparison has no year, level nor group, completeness no title either
 * (a column not there compares equal).
 */
static int rates_keys(const PGresult *res, const struct report_table *t, struct key *k,
                      struct hx_buf *text, size_t *offs, struct hx_error *err)
{
	int level = col(res, t, "scope_level", err), code = col(res, t, "scope_code", err),
	    prov = col(res, t, "province_code", err), dist = col(res, t, "district_code", err),
	    all = t->order == REPORT_ORDER_RATES;
	int year = all ? col(res, t, "year", err) : PQfnumber(res, "year"),
	    title = all ? col(res, t, "title", err) : PQfnumber(res, "title"),
	    lv = all ? col(res, t, "level", err) : PQfnumber(res, "level"),
	    grp = all ? col(res, t, "group", err) : PQfnumber(res, "group");
	int r, n = PQntuples(res);

	if (level < 0 || code < 0 || prov < 0 || dist < 0 ||
	    (all && (year < 0 || title < 0 || lv < 0 || grp < 0)))
		return -1;
	for (r = 0; r < n; r++) {
		const char *sl = PQgetvalue(res, r, level), *d = val(res, r, dist);
		const char *g = grp >= 0 ? val(res, r, grp) : NULL;
		const char *l = lv >= 0 ? val(res, r, lv) : NULL;
		int p;

		offs[r] = text->len;
		if (hx_buf_puts(text, PQgetvalue(res, r, prov)) < 0 ||
		    hx_buf_putc(text, strcmp(sl, "province") == 0 ? ' ' : '.') < 0 ||
		    hx_buf_puts(text, d != NULL ? d : "") < 0 ||
		    hx_buf_putc(text, strcmp(sl, "commune") == 0 ? '.' : ' ') < 0 ||
		    hx_buf_puts(text, PQgetvalue(res, r, code)) < 0 || hx_buf_putc(text, '\0') < 0)
			return hx_error_set(err, HX_SOFTWARE, "out of memory ordering %s", t->name);
		k[r].row = r;
		/* (SQL's key was NULL then: || of NULL, sorted last) */
		k[r].no_scope = PQgetisnull(res, r, prov) || PQgetisnull(res, r, code);
		k[r].year = year >= 0 ? atoi(PQgetvalue(res, r, year)) : 0;
		k[r].name = title >= 0 ? PQgetvalue(res, r, title) : "";
		p = title >= 0 ? place(k[r].name, title_order, lengthof(title_order)) : 1;
		k[r].title = (short)(p > 0 ? p : 7);
		k[r].has_level = l != NULL;
		k[r].level = l != NULL ? atoi(l) : 0;
		k[r].grp = g;
		k[r].group = (short)(g != NULL ? place(g, group_order, lengthof(group_order)) : 0);
	}
	return 0;
}

/*
 * A commune's rate in the rankings, which the script leaves to the client:
 * recognized / base, rounded half away from zero to 2 decimals, from the
 * numerator and denominator the row publishes beside it (none without a
 * base); written into the row as the server would have printed it.
 */
static int commune_rate(PGresult *res, const struct report_table *t, int r, int rate, int num,
                        int den, struct hx_error *err)
{
	int64_t n, d, h;
	char text[32];
	int has;

	if (PQgetisnull(res, r, num) || PQgetisnull(res, r, den))
		return 0;
	if (report_parse_int(PQgetvalue(res, r, num), &n) < 0 ||
	    report_parse_int(PQgetvalue(res, r, den), &d) < 0)
		return hx_error_set(err, HX_SOFTWARE, "sql/%s: numerator \"%s\" or denominator \"%s\" "
		                    "is not an integer", t->script, PQgetvalue(res, r, num),
		                    PQgetvalue(res, r, den));
	has = report_fraction_hundredths(n, d, &h);
	if (has < 0)
		return hx_error_set(err, HX_SOFTWARE, "%s: %" PRId64 " / %" PRId64 " is too large for "
		                    "a rate", t->name, n, d);
	if (has == 0)
		return 0;
	report_put_hundredths(text, sizeof text, h);
	if (!PQsetvalue(res, r, rate, text, (int)strlen(text)))
		return hx_error_set(err, HX_SOFTWARE, "out of memory ranking %s", t->name);
	return 0;
}

/* The ranking's place: "68 68" (the province's own), "68.680" (a district's). */
static int rankings_keys(PGresult *res, const struct report_table *t, struct key *k,
                         struct hx_buf *text, size_t *offs, struct hx_error *err)
{
	int level = col(res, t, "scope_level", err), code = col(res, t, "scope_code", err),
	    prov = col(res, t, "province_code", err), year = col(res, t, "year", err),
	    title = col(res, t, "title", err), unit = col(res, t, "unit_code", err),
	    rate = col(res, t, "rate", err), ulevel = col(res, t, "unit_level", err),
	    num = col(res, t, "numerator", err), den = col(res, t, "denominator", err);
	int r, n = PQntuples(res);

	if (level < 0 || code < 0 || prov < 0 || year < 0 || title < 0 || unit < 0 || rate < 0 ||
	    ulevel < 0 || num < 0 || den < 0)
		return -1;
	for (r = 0; r < n; r++) {
		const char *rt;
		int p;

		if (PQgetisnull(res, r, rate) && strcmp(PQgetvalue(res, r, ulevel), "commune") == 0 &&
		    commune_rate(res, t, r, rate, num, den, err) < 0)
			return -1;
		rt = val(res, r, rate);
		offs[r] = text->len;
		if (hx_buf_puts(text, PQgetvalue(res, r, prov)) < 0 ||
		    hx_buf_putc(text, strcmp(PQgetvalue(res, r, level), "province") == 0 ? ' ' : '.') <
		        0 ||
		    hx_buf_puts(text, PQgetvalue(res, r, code)) < 0 || hx_buf_putc(text, '\0') < 0)
			return hx_error_set(err, HX_SOFTWARE, "out of memory ordering %s", t->name);
		k[r].row = r;
		k[r].no_scope = PQgetisnull(res, r, prov) || PQgetisnull(res, r, code);
		k[r].year = atoi(PQgetvalue(res, r, year));
		k[r].name = PQgetvalue(res, r, title);
		p = place(k[r].name, title_order, lengthof(title_order));
		k[r].title = (short)(p > 0 ? p : 7);
		k[r].unit = PQgetvalue(res, r, unit);
		k[r].has_rate = rt != NULL;
		if (rt != NULL && report_hundredths_exact(rt, &k[r].rate) < 0)
			return hx_error_set(err, HX_SOFTWARE, "sql/%s: rate \"%s\" of unit %s is not a "
			                    "number with 2 decimals", t->script, rt, k[r].unit);
	}
	return 0;
}

/* Whether a and b are rows of the same ranking (scope, year, title). */
static int same_ranking(const struct key *a, const struct key *b)
{
	if (a->no_scope || b->no_scope)
		return a->no_scope == b->no_scope;
	return strcmp(a->scope, b->scope) == 0 && a->year == b->year && a->title == b->title &&
	       strcmp(a->name, b->name) == 0;
}

PGresult *report_order_apply(const PGresult *res, const struct report_table *t, const int *order,
                             struct hx_error *err)
{
	PGresAttDesc *attrs = hx_calloc(t->ncolumns, sizeof *attrs);
	PGresult *out = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
	int r, n = PQntuples(res), c, nc = (int)t->ncolumns;

	if (out == NULL)
		goto oom;
	for (c = 0; c < nc; c++) {
		attrs[c].name = PQfname(res, c);
		attrs[c].tableid = PQftable(res, c);
		attrs[c].columnid = PQftablecol(res, c);
		attrs[c].format = PQfformat(res, c);
		attrs[c].typid = PQftype(res, c);
		attrs[c].typlen = PQfsize(res, c);
		attrs[c].atttypmod = PQfmod(res, c);
	}
	if (!PQsetResultAttrs(out, nc, attrs))
		goto oom;
	for (r = 0; r < n; r++) {
		int src = order != NULL ? order[r] : r;

		for (c = 0; c < nc; c++) {
			int null = PQgetisnull(res, src, c);

			/* (PQsetvalue copies the value; its parameter is not const) */
			if (!PQsetvalue(out, r, c,
			                null ? NULL : (char *)(uintptr_t)PQgetvalue(res, src, c),
			                null ? -1 : PQgetlength(res, src, c)))
				goto oom;
		}
	}
	free(attrs);
	return out;

oom:
	free(attrs);
	PQclear(out);
	hx_error_set(err, HX_SOFTWARE, "out of memory ordering %s", t->name);
	return NULL;
}

/* Each row's rank (rank_rows) into column rank_col of res, at the row it came from. */
static int put_ranks(PGresult *res, const struct report_table *t, const struct key *k, int n,
                     struct hx_error *err)
{
	int rank_col = PQfnumber(res, "rank"), r, start = 0, first = 0;
	char text[16];

	if (rank_col < 0)
		return hx_error_set(err, HX_SOFTWARE, "sql/%s has no column \"rank\"", t->script);
	for (r = 0; r < n; r++) {
		if (r == 0 || !same_ranking(&k[r - 1], &k[r]))
			start = first = r;
		else if (k[r].has_rate != k[r - 1].has_rate || k[r].rate != k[r - 1].rate)
			first = r;
		if (!k[r].has_rate)
			continue; /* the script's NULL stays */
		if (!PQsetvalue(res, k[r].row, rank_col, text,
		                snprintf(text, sizeof text, "%d", first - start + 1)))
			return hx_error_set(err, HX_SOFTWARE, "out of memory ranking %s", t->name);
	}
	return 0;
}

/* ---- tables sorted column by column: targets, findings ---------------- */

/* One key of such an order: a column bytewise, as an integer, or by its place in a list. */
struct col_key {
	const char *col;
	enum { KEY_TEXT, KEY_INT, KEY_PLACE } kind;
	const char *const *list; /* KEY_PLACE: not in the list is NULL, as array_position gives */
	size_t nlist;
	int nulls_first;         /* else NULLS LAST, SQL's default for ASC */
};

static const char *const level_order[] = {"province", "district", "commune"};
static const char *const severity_order[] = {"error", "warning", "info"};

/*
 * targets: each province, then its districts, then its communes, by code;
 * titles in the order of ref.titles, the title before its groups; years.
 */
static const struct col_key targets_keys[] = {
	{"province_code", KEY_TEXT, NULL, 0, 0},
	{"scope_level", KEY_PLACE, level_order, lengthof(level_order), 0},
	{"scope_code", KEY_TEXT, NULL, 0, 0},
	{"title", KEY_PLACE, title_order, lengthof(title_order), 0},
	{"title", KEY_TEXT, NULL, 0, 0},
	{"group", KEY_PLACE, group_order, lengthof(group_order), 1},
	{"group", KEY_TEXT, NULL, 0, 0},
	{"year", KEY_INT, NULL, 0, 0},
};
/*
 * findings: errors, warnings, notes; then province, unit, year, title,
 * rule, file, line and message: every column, so that equal data gives
 * the same bytes.
 */
static const struct col_key findings_keys[] = {
	{"severity", KEY_PLACE, severity_order, lengthof(severity_order), 0},
	{"severity", KEY_TEXT, NULL, 0, 0},
	{"province_code", KEY_TEXT, NULL, 0, 0},
	{"unit_code", KEY_TEXT, NULL, 0, 0},
	{"year", KEY_INT, NULL, 0, 0},
	{"title", KEY_TEXT, NULL, 0, 0},
	{"code", KEY_TEXT, NULL, 0, 0},
	{"file", KEY_TEXT, NULL, 0, 0},
	{"line", KEY_INT, NULL, 0, 0},
	{"message", KEY_TEXT, NULL, 0, 0},
};

/* A key's value in one row. */
struct kv {
	const char *s;
	long long i;
	unsigned char null;
};

/* The sort in progress on this thread (qsort takes no context; each thread sorts its own). */
static _Thread_local struct {
	const struct col_key *keys;
	size_t nkeys;
	const struct kv *kv;
} cols_sort;

static int cols_cmp(const void *pa, const void *pb)
{
	const struct kv *a = cols_sort.kv + (size_t)*(const int *)pa * cols_sort.nkeys;
	const struct kv *b = cols_sort.kv + (size_t)*(const int *)pb * cols_sort.nkeys;
	size_t i;
	int c;

	for (i = 0; i < cols_sort.nkeys; i++) {
		if (a[i].null || b[i].null) {
			if (a[i].null == b[i].null)
				continue;
			return (a[i].null ? 1 : -1) * (cols_sort.keys[i].nulls_first ? -1 : 1);
		}
		c = cols_sort.keys[i].kind == KEY_TEXT ? cmp_str(a[i].s, b[i].s)
		                                       : cmp_int(a[i].i, b[i].i);
		if (c != 0)
			return c;
	}
	return cmp_int(*(const int *)pa, *(const int *)pb);
}

/* order[] for res by keys: 0, or -1 with err (a column missing). */
static int cols_order(const PGresult *res, const struct report_table *t,
                      const struct col_key *keys, size_t nkeys, int *order, struct hx_error *err)
{
	int n = PQntuples(res), r, at[16];
	struct kv *kv;
	size_t i;

	if (nkeys > lengthof(at))
		return hx_error_set(err, HX_SOFTWARE, "%s: too many keys to order by", t->name);
	for (i = 0; i < nkeys; i++)
		if ((at[i] = col(res, t, keys[i].col, err)) < 0)
			return -1;
	kv = hx_calloc((size_t)n * nkeys + 1, sizeof *kv);
	for (r = 0; r < n; r++) {
		order[r] = r;
		for (i = 0; i < nkeys; i++) {
			struct kv *v = &kv[(size_t)r * nkeys + i];
			int p;

			v->null = (unsigned char)PQgetisnull(res, r, at[i]);
			if (v->null)
				continue;
			v->s = PQgetvalue(res, r, at[i]);
			if (keys[i].kind == KEY_INT) {
				v->i = atoll(v->s);
			} else if (keys[i].kind == KEY_PLACE) {
				p = place(v->s, keys[i].list, keys[i].nlist);
				v->i = p;
				v->null = p == 0;
			}
		}
	}
	cols_sort.keys = keys;
	cols_sort.nkeys = nkeys;
	cols_sort.kv = kv;
	qsort(order, (size_t)n, sizeof *order, cols_cmp);
	cols_sort.kv = NULL;
	free(kv);
	return 0;
}

int report_order(PGresult *res, const struct report_table *t, int **order, struct hx_error *err)
{
	int n = PQntuples(res), r, rc = -1;
	struct key *k = NULL;
	size_t *offs = NULL;
	struct hx_buf text;

	*order = NULL;
	if (t->order == REPORT_ORDER_SQL)
		return 0;
	if (t->order == REPORT_ORDER_TARGETS || t->order == REPORT_ORDER_FINDINGS) {
		*order = hx_calloc((size_t)n + 1, sizeof **order);
		rc = t->order == REPORT_ORDER_TARGETS
		         ? cols_order(res, t, targets_keys, lengthof(targets_keys), *order, err)
		         : cols_order(res, t, findings_keys, lengthof(findings_keys), *order, err);
		if (rc < 0) {
			free(*order);
			*order = NULL;
		}
		return rc;
	}
	hx_buf_init(&text, SIZE_MAX);
	k = hx_calloc((size_t)n + 1, sizeof *k);
	offs = hx_calloc((size_t)n + 1, sizeof *offs);
	if (t->order != REPORT_ORDER_RANKINGS)
		rc = rates_keys(res, t, k, &text, offs, err);
	else
		rc = rankings_keys(res, t, k, &text, offs, err);
	if (rc < 0)
		goto done;
	/* (pointers only now: the text may have moved while it grew) */
	for (r = 0; r < n; r++)
		k[r].scope = text.data + offs[r];
	qsort(k, (size_t)n, sizeof *k, t->order != REPORT_ORDER_RANKINGS ? rates_cmp : rankings_cmp);
	if (t->order == REPORT_ORDER_RANKINGS && (rc = put_ranks(res, t, k, n, err)) < 0)
		goto done;
	*order = hx_calloc((size_t)n + 1, sizeof **order);
	for (r = 0; r < n; r++)
		(*order)[r] = k[r].row;
	rc = 0;

done:
	free(k);
	free(offs);
	hx_buf_free(&text);
	return rc;
}
