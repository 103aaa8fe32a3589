/*
 * check.c — the report's last line of defence: every rate and percent a
 * file publishes is recomputed from the numerator and denominator beside
 * it, rounded half away from zero to 2 decimals in exact integer
 * arithmetic, null when the base is unknown or 0.  A disagreement means
 * the files would publish a wrong figure, so the run stops and the
 * previous files stay; the message names the figure, both values and the
 * fraction.
 *
 * The figures are checked in the rows the report has read anyway (rates,
 * with their levels and groups; targets; completeness: every row of the
 * marts that holds one), as each table arrives, instead of by a query of
 * its own that read the marts a second time.  Their types hold exactly 2
 * decimals, so the published text is the marts' value.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lengthof.h"
#include "report.h"

/* A figure of a table and the columns of its fraction. */
static const struct checked {
	const char *table, *col, *num, *den;
} checked[] = {
	{"rates", "rate_eligible", "rate_eligible_num", "rate_eligible_den"},
	{"rates", "rate_registered", "rate_registered_num", "rate_registered_den"},
	{"targets", "actual_percent", "numerator", "denominator"},
	{"completeness", "percent", "units_reporting", "units_expected"},
};

int report_parse_int(const char *s, int64_t *out)
{
	int neg = *s == '-';
	int64_t v = 0;

	s += neg;
	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (INT64_MAX - (*s - '0')) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (*s != '\0')
		return -1;
	*out = neg ? -v : v;
	return 0;
}

int report_fraction_hundredths(int64_t num, int64_t den, int64_t *out)
{
	uint64_t n, q, r;

	if (den <= 0)
		return 0;
	/* (|num| of INT64_MIN does not fit: no count comes near it) */
	if (num == INT64_MIN)
		return -1;
	n = (uint64_t)(num < 0 ? -num : num);
	q = n / (uint64_t)den;
	r = n % (uint64_t)den;
	if ((uint64_t)den > UINT64_MAX / 20001 || q > (uint64_t)(INT64_MAX / 10000) - 1)
		return -1;
	*out = (int64_t)(q * 10000 + (r * 20000 + (uint64_t)den) / (2 * (uint64_t)den));
	if (num < 0)
		*out = -*out;
	return 1;
}

void report_put_hundredths(char *out, size_t size, int64_t h)
{
	uint64_t a = (uint64_t)(h < 0 ? -h : h);

	snprintf(out, size, "%s%" PRIu64 ".%02" PRIu64, h < 0 ? "-" : "", a / 100, a % 100);
}

/*
 * The published value num / den should have, from their texts: 1 and
 * *out, 0 for none (a value missing, the base unknown or 0, or a negative
 * count), -1 for a fraction too large to check here.
 */
static int exact_hundredths(const char *num, const char *den, int64_t *out)
{
	int64_t n, d;

	if (num == NULL || den == NULL || report_parse_int(num, &n) < 0 || report_parse_int(den, &d) < 0 || n < 0)
		return 0;
	return report_fraction_hundredths(n, d, out);
}

/* Whether failure a comes before b in the order the message picks the first by. */
static int before(const struct report_check *a, const struct report_check *b)
{
	int c;

	if ((c = strcmp(a->file, b->file)) != 0)
		return c < 0;
	if ((c = strcmp(a->scope, b->scope)) != 0)
		return c < 0;
	if (a->year != b->year)
		return a->year < b->year;
	/* (completeness has no title: none sorts after any) */
	if (a->has_title != b->has_title)
		return a->has_title;
	if ((c = strcmp(a->title, b->title)) != 0)
		return c < 0;
	return strcmp(a->col, b->col) < 0;
}

int report_check_table(const struct report_table *t, const PGresult *res,
                       struct report_check *chk, struct hx_error *err)
{
	int scope = PQfnumber(res, "scope_code"), year = PQfnumber(res, "year"),
	    title = PQfnumber(res, "title"), level = PQfnumber(res, "level"),
	    grp = PQfnumber(res, "group");
	int r, n = PQntuples(res);
	size_t i;

	memset(chk, 0, sizeof *chk);
	for (i = 0; i < lengthof(checked); i++) {
		const struct checked *k = &checked[i];
		int col, num, den;

		if (strcmp(k->table, t->name) != 0)
			continue;
		col = PQfnumber(res, k->col);
		num = PQfnumber(res, k->num);
		den = PQfnumber(res, k->den);
		if (col < 0 || num < 0 || den < 0 || scope < 0 || year < 0)
			return hx_error_set(err, HX_SOFTWARE, "sql/%s has no column %s, %s or %s to "
			                    "check", t->script, k->col, k->num, k->den);
		for (r = 0; r < n; r++) {
			const char *pub = PQgetisnull(res, r, col) ? NULL : PQgetvalue(res, r, col);
			const char *nv = PQgetisnull(res, r, num) ? NULL : PQgetvalue(res, r, num);
			const char *dv = PQgetisnull(res, r, den) ? NULL : PQgetvalue(res, r, den);
			struct report_check f;
			int64_t want = 0;
			long long got = 0;
			int has = exact_hundredths(nv, dv, &want);

			if (has < 0)
				return hx_error_set(err, HX_SOFTWARE, "%s: %s / %s is too large to check",
				                    t->name, nv, dv);
			if (pub == NULL ? has == 0
			                : has == 1 && report_hundredths_exact(pub, &got) == 0 && got == want)
				continue;
			memset(&f, 0, sizeof f);
			snprintf(f.file, sizeof f.file, "%s", t->name);
			snprintf(f.scope, sizeof f.scope, "%s", PQgetvalue(res, r, scope));
			f.year = atoi(PQgetvalue(res, r, year));
			if (title >= 0 && !PQgetisnull(res, r, title)) {
				f.has_title = 1;
				/* a level's or group's figure, as the marts name it */
				if (level >= 0 && !PQgetisnull(res, r, level))
					snprintf(f.title, sizeof f.title, "%s level %s",
					         PQgetvalue(res, r, title), PQgetvalue(res, r, level));
				else if (grp >= 0 && !PQgetisnull(res, r, grp))
					snprintf(f.title, sizeof f.title, "%s group %s",
					         PQgetvalue(res, r, title), PQgetvalue(res, r, grp));
				else
					snprintf(f.title, sizeof f.title, "%s", PQgetvalue(res, r, title));
			}
			snprintf(f.col, sizeof f.col, "%s", k->col);
			snprintf(f.published, sizeof f.published, "%s", pub != NULL ? pub : "null");
			snprintf(f.num, sizeof f.num, "%s", nv != NULL ? nv : "null");
			snprintf(f.den, sizeof f.den, "%s", dv != NULL ? dv : "null");
			if (has == 1)
				report_put_hundredths(f.exact, sizeof f.exact, want);
			else
				snprintf(f.exact, sizeof f.exact, "null (no base)");
			f.count = chk->count + 1;
			if (chk->count == 0 || before(&f, chk))
				*chk = f;
			else
				chk->count = f.count;
		}
	}
	return 0;
}

int report_check_result(const struct report_check *chk, size_t n, struct hx_error *err)
{
	const struct report_check *first = NULL;
	size_t i;
	int count = 0;

	for (i = 0; i < n; i++) {
		if (chk[i].count == 0)
			continue;
		count += chk[i].count;
		if (first == NULL || before(&chk[i], first))
			first = &chk[i];
	}
	if (first == NULL)
		return 0;
	hx_error_set(err, HX_SOFTWARE, "%s: scope %s, %d%s%s: %s is %s in the marts, but %s / %s "
	             "gives %s", first->file, first->scope, first->year,
	             first->has_title ? ", " : "", first->title, first->col, first->published,
	             first->num, first->den, first->exact);
	hx_error_detail(err, "%d figure%s of the marts disagree%s with %s numerator and "
	                "denominator; nothing was written", count, count == 1 ? "" : "s",
	                count == 1 ? "s" : "", count == 1 ? "its" : "their");
	hx_error_hint(err, "rebuild the marts with \"hoctap-transform --full\"; if the figure "
	              "stays wrong, report it as a bug");
	return -1;
}
