/*
 * explain.c — hoctap-report --explain SCOPE_CODE YEAR TITLE: how one
 * published figure was made, for a reporter who asks "where does 309,845
 * come from?".  It prints the figure (each rate with its numerator and
 * denominator), every unit whose values were summed into it with the file
 * and line each value came from, the sums (which must give the figure), the
 * units left out and the finding that left each out, and the findings about
 * these units.  A value read from a workbook is placed by its sheet and row
 * ('file.xlsx, sheet "Báo cáo", row 14'), as the clerk sees it.  Everything
 * is read from the marts in one snapshot.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "lengthof.h"
#include "i18n.h"
#include "report.h"
#include "sqlfiles.h"
#include "text.h"
#include "vocab.h"

/* Columns of explain_figure.sql, explain_units.sql, explain_findings.sql. */
enum { F_LEVEL, F_CODE, F_NAME, F_YEAR, F_TITLE, F_ELIGIBLE, F_REGISTERED, F_RECOGNIZED,
       F_EXEMPLARY, F_RATE_E, F_RATE_E_NUM, F_RATE_E_DEN, F_RATE_R, F_RATE_R_NUM, F_RATE_R_DEN,
       F_REPORTING, F_EXPECTED, F_SOURCE_LEVEL, F_NCOLS };
enum { U_CODE, U_NAME, U_LEVEL, U_ELIGIBLE, U_REGISTERED, U_RECOGNIZED, U_EXEMPLARY, U_SOURCE,
       U_ELIGIBLE_FILE, U_ELIGIBLE_LINE, U_COUNTS_FILE, U_COUNTS_LINE, U_INCLUDED,
       U_EXCLUDED_BY, U_NCOLS };
enum { G_CODE, G_SEVERITY, G_UNIT, G_MESSAGE, G_FILE, G_LINE, G_NCOLS };
/* Columns of explain_lineage.sql. */
enum { L_CODE, L_NAME, L_LEVEL, L_HOW, L_CARRIED, L_APPROX, L_ELIGIBLE, L_REGISTERED,
       L_RECOGNIZED, L_EXEMPLARY, L_SOURCE, L_ELIGIBLE_FILE, L_ELIGIBLE_LINE, L_COUNTS_FILE,
       L_COUNTS_LINE, L_NCOLS };
/* Columns of explain_fund_figure.sql and explain_fund_units.sql. */
enum { FF_LEVEL, FF_CODE, FF_NAME, FF_YEAR, FF_MOBILIZED, FF_CUMULATIVE, FF_SCHOLARSHIPS,
       FF_SCHOLARSHIP_VND, FF_REPORTING, FF_NCOLS };
enum { FU_CODE, FU_NAME, FU_LEVEL, FU_MOBILIZED, FU_SCHOLARSHIPS, FU_SCHOLARSHIP_VND,
       FU_AMOUNT_FILE, FU_AMOUNT_LINE, FU_SCHOLARSHIP_FILE, FU_SCHOLARSHIP_LINE, FU_INCLUDED,
       FU_EXCLUDED_BY, FU_NCOLS };

static const char *val(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

static const char *or_dash(const char *s)
{
	return s != NULL ? s : "-";
}

static PGresult *run(PGconn *conn, const char *script, int ncols, const char *const *params,
                     int nparams, struct hx_error *err)
{
	const char *sql = hx_sql_script(script);
	PGresult *res;

	if (sql == NULL) {
		hx_error_set(err, HX_SOFTWARE, "sql/%s is missing from this build", script);
		return NULL;
	}
	res = hx_db_query(conn, err, sql, nparams, params);
	if (res != NULL && PQnfields(res) != ncols) {
		hx_error_set(err, HX_SOFTWARE, "sql/%s returns %d columns, not %d", script,
		             PQnfields(res), ncols);
		PQclear(res);
		res = NULL;
	}
	return res;
}

/* "rate_eligible    70.68% = 5557 / 7862 (recognized / eligible)" */
static void print_rate(FILE *out, const char *label, const char *rate, const char *num,
                       const char *den, const char *base)
{
	if (rate == NULL)
		fprintf(out, "  %-16s none: %s / %s (recognized / %s; no base, or a base of 0)\n",
		        label, or_dash(num), or_dash(den), base);
	else
		fprintf(out, "  %-16s %s%% = %s / %s (recognized / %s)\n", label, rate, or_dash(num),
		        or_dash(den), base);
}

static void print_figure(FILE *out, const PGresult *fig)
{
	fprintf(out, "%s (%s %s), %s, %s\n", val(fig, 0, F_NAME), val(fig, 0, F_LEVEL),
	        val(fig, 0, F_CODE), val(fig, 0, F_YEAR), val(fig, 0, F_TITLE));
	fprintf(out, "  %-16s %s\n", "recognized", or_dash(val(fig, 0, F_RECOGNIZED)));
	fprintf(out, "  %-16s %s\n", "eligible", or_dash(val(fig, 0, F_ELIGIBLE)));
	fprintf(out, "  %-16s %s\n", "registered", or_dash(val(fig, 0, F_REGISTERED)));
	fprintf(out, "  %-16s %s\n", "exemplary", or_dash(val(fig, 0, F_EXEMPLARY)));
	print_rate(out, "rate_eligible", val(fig, 0, F_RATE_E), val(fig, 0, F_RATE_E_NUM),
	           val(fig, 0, F_RATE_E_DEN), "eligible");
	print_rate(out, "rate_registered", val(fig, 0, F_RATE_R), val(fig, 0, F_RATE_R_NUM),
	           val(fig, 0, F_RATE_R_DEN), "registered");
	fprintf(out, "  %-16s %s of %s units", "units reporting", val(fig, 0, F_REPORTING),
	        val(fig, 0, F_EXPECTED));
	if (val(fig, 0, F_SOURCE_LEVEL) != NULL)
		fprintf(out, " (summed from %s figures)", val(fig, 0, F_SOURCE_LEVEL));
	fputc('\n', out);
}

/* The sheet a workbook input named file was read from (explain_sheets.sql), or NULL. */
static const char *sheet_of(const PGresult *sheets, const char *file)
{
	for (int i = 0; sheets != NULL && file != NULL && i < PQntuples(sheets); i++)
		if (strcmp(PQgetvalue(sheets, i, 0), file) == 0)
			return PQgetvalue(sheets, i, 1);
	return NULL;
}

/* Where a value came from: "FILE:LINE", or "FILE, sheet "S", row N" for a workbook's. */
static void print_place(FILE *out, const PGresult *sheets, const char *file, const char *line)
{
	const char *sheet = sheet_of(sheets, file);

	if (sheet != NULL)
		fprintf(out, _("%s, sheet \"%s\", row %s"), file, sheet, or_dash(line));
	else
		fprintf(out, "%s:%s", file, or_dash(line));
}

/*
 * Where a unit's two groups of values came from: "all values from
 * FILE:LINE" + suffix when one row gave both, else "A from FILE:LINE; B from
 * FILE:LINE" (a group without a source is left out).
 */
static void print_two_sources(FILE *out, const PGresult *sheets, const char *a, const char *af,
                              const char *al, const char *b, const char *bf, const char *bl,
                              const char *suffix)
{
	fprintf(out, "%14s", "");
	if (af != NULL && bf != NULL && strcmp(af, bf) == 0 && al != NULL && bl != NULL &&
	    strcmp(al, bl) == 0) {
		fputs("all values from ", out);
		print_place(out, sheets, af, al);
		fputs(suffix, out);
	} else {
		if (af != NULL) {
			fprintf(out, "%s from ", a);
			print_place(out, sheets, af, al);
		}
		if (af != NULL && bf != NULL)
			fputs("; ", out);
		if (bf != NULL) {
			fprintf(out, "%s from ", b);
			print_place(out, sheets, bf, bl);
		}
		if (af == NULL && bf == NULL)
			fputs("no source recorded", out);
	}
	fputc('\n', out);
}

/* The counts' and eligible's sources, the counts' kind (tally, register) named. */
static void print_sources(FILE *out, const PGresult *sheets, const PGresult *u, int r)
{
	const char *src = val(u, r, U_SOURCE);
	char counts[64] = "counts", suffix[48] = "";

	if (src != NULL) {
		snprintf(counts, sizeof counts, "counts (%s)", src);
		snprintf(suffix, sizeof suffix, " (%s)", src);
	}
	print_two_sources(out, sheets, counts, val(u, r, U_COUNTS_FILE), val(u, r, U_COUNTS_LINE),
	                  "eligible", val(u, r, U_ELIGIBLE_FILE), val(u, r, U_ELIGIBLE_LINE),
	                  suffix);
}

/*
 * A note for each of the n figure columns figcols whose included units'
 * values (sum, seen: at least one known) add up to something else.
 */
static void note_sums(FILE *out, const PGresult *fig, const int *figcols,
                      const char *const *names, const int64_t *sum, const int *seen, int n)
{
	if (fig == NULL || PQntuples(fig) == 0)
		return;
	for (int k = 0; k < n; k++) {
		const char *want = val(fig, 0, figcols[k]);

		if (want != NULL && seen[k] && strtoll(want, NULL, 10) != sum[k])
			fprintf(out, "  note: the included units' %s add up to %" PRId64
			        ", the figure says %s\n", names[k], sum[k], want);
	}
}

/* Add a count column's value to *sum; *seen notes that at least one was known. */
static void add(const char *v, int64_t *sum, int *seen)
{
	if (v != NULL) {
		*sum += strtoll(v, NULL, 10);
		*seen = 1;
	}
}

/*
 * A rate is over the included units that report both recognized and its
 * base (docs/rules.md): name those left out of it, at most 10.
 */
static void print_left_out(FILE *out, const PGresult *u, int included, const char *rate,
                           int base_col, const char *base)
{
	int r, shown = 0, more = 0;

	for (r = 0; r < included; r++) {
		const char *rec = val(u, r, U_RECOGNIZED), *b = val(u, r, base_col);

		if ((rec == NULL) == (b == NULL))
			continue;
		if (shown == 10) {
			more++;
			continue;
		}
		fprintf(out, "%s%s (recognized %s, %s %s)", shown++ == 0 ? "  note: " : ", ",
		        val(u, r, U_CODE), or_dash(rec), base, or_dash(b));
	}
	if (shown == 0)
		return;
	if (more > 0)
		fprintf(out, " and %d more", more);
	fprintf(out, ": left out of %s, which is over the units reporting both recognized and "
	             "%s\n", rate, base);
}

/* What the units listed are summed into: the figure, or for a commune (no figure) its district's. */
static const char *the_figure(const PGresult *fig)
{
	return PQntuples(fig) > 0 ? "the figure" : "the district's and province's figures";
}

/* The "sum" line under a list of units: the four counts summed, "-" where none was. */
static void print_sum_row(FILE *out, const int64_t sum[4], const int seen[4])
{
	fprintf(out, "  %-10s", "sum");
	for (int k = 0; k < 4; k++) {
		if (seen[k])
			fprintf(out, " %10" PRId64, sum[k]);
		else
			fprintf(out, " %10s", "-");
	}
	fputc('\n', out);
}

static void print_units(FILE *out, const PGresult *sheets, const PGresult *u,
                        const PGresult *fig)
{
	int n = PQntuples(u), r, included = 0;
	int64_t sum[4] = {0, 0, 0, 0};
	int seen[4] = {0, 0, 0, 0};
	const int cols[4] = {U_ELIGIBLE, U_REGISTERED, U_RECOGNIZED, U_EXEMPLARY};
	const int figcols[4] = {F_ELIGIBLE, F_REGISTERED, F_RECOGNIZED, F_EXEMPLARY};
	static const char *const names[4] = {"eligible", "registered", "recognized", "exemplary"};
	int k;

	for (r = 0; r < n; r++)
		if (strcmp(PQgetvalue(u, r, U_INCLUDED), "t") == 0)
			included++;
	fprintf(out, "\nIncluded: %d unit%s, whose values are summed into %s\n", included,
	        included == 1 ? "" : "s", the_figure(fig));
	fprintf(out, "  %-10s %10s %10s %10s %10s  %s\n", "unit", "eligible", "registered",
	        "recognized", "exemplary", "name");
	for (r = 0; r < n; r++) {
		int in = strcmp(PQgetvalue(u, r, U_INCLUDED), "t") == 0;

		if (r == included)
			fprintf(out, "\nExcluded: %d unit%s, left out of %s\n", n - included,
			        n - included == 1 ? "" : "s", the_figure(fig));
		fprintf(out, "  %-10s %10s %10s %10s %10s  %s (%s)\n", val(u, r, U_CODE),
		        or_dash(val(u, r, U_ELIGIBLE)), or_dash(val(u, r, U_REGISTERED)),
		        or_dash(val(u, r, U_RECOGNIZED)), or_dash(val(u, r, U_EXEMPLARY)),
		        val(u, r, U_NAME), val(u, r, U_LEVEL));
		print_sources(out, sheets, u, r);
		if (!in)
			fprintf(out, "%14sexcluded by %s\n", "", or_dash(val(u, r, U_EXCLUDED_BY)));
		for (k = 0; in && k < 4; k++)
			add(val(u, r, cols[k]), &sum[k], &seen[k]);
		if (r + 1 == included)
			print_sum_row(out, sum, seen);
	}
	print_left_out(out, u, included, "rate_eligible", U_ELIGIBLE, "eligible");
	print_left_out(out, u, included, "rate_registered", U_REGISTERED, "registered");
	note_sums(out, fig, figcols, names, sum, seen, 4);
}

static void print_findings(FILE *out, const PGresult *sheets, const PGresult *g,
                           const char *year, const char *title)
{
	int n = PQntuples(g), r;

	fprintf(out, "\nFindings about these units for %s (%s, or no title): %d\n", year, title, n);
	for (r = 0; r < n; r++) {
		fprintf(out, "  %-8s %s  %s", or_dash(val(g, r, G_SEVERITY)),
		        or_dash(val(g, r, G_CODE)), or_dash(val(g, r, G_UNIT)));
		if (val(g, r, G_FILE) != NULL) {
			fputs("  ", out);
			print_place(out, sheets, val(g, r, G_FILE), val(g, r, G_LINE));
		}
		fprintf(out, "\n           %s\n", or_dash(val(g, r, G_MESSAGE)));
	}
}

/*
 * --compare A:B --explain SCOPE A TITLE: the units of A whose figures
 * comparison.csv adds onto SCOPE, a unit of B (docs/outputs.md): the ones
 * carried, summed, then those that moved in parts and only touch it.
 */
static void print_lineage(FILE *out, const PGresult *sheets, const PGresult *l,
                          const char *scope_code, const char *ytext, int later_year)
{
	int n = PQntuples(l), carried = 0, approx = 0, r, k;
	int64_t sum[4] = {0, 0, 0, 0};
	int seen[4] = {0, 0, 0, 0};
	const int cols[4] = {L_ELIGIBLE, L_REGISTERED, L_RECOGNIZED, L_EXEMPLARY};

	for (r = 0; r < n; r++) {
		carried += strcmp(PQgetvalue(l, r, L_CARRIED), "t") == 0;
		approx += strcmp(PQgetvalue(l, r, L_APPROX), "t") == 0;
	}
	fprintf(out, "\nOn the units of %d (comparison.csv): %d unit%s of %s, whose values are "
	        "added onto %s before dividing\n", later_year, carried, carried == 1 ? "" : "s",
	        ytext, scope_code);
	if (n == 0)
		return;
	fprintf(out, "  %-10s %10s %10s %10s %10s  %s\n", "unit", "eligible", "registered",
	        "recognized", "exemplary", "name");
	for (r = 0; r < n; r++) {
		int in = strcmp(PQgetvalue(l, r, L_CARRIED), "t") == 0;

		if (r == carried)
			fprintf(out, "\nMoved in parts, touching %s: their values went to the successor "
			        "that kept their code, else the lowest code\n", scope_code);
		fprintf(out, "  %-10s %10s %10s %10s %10s  %s (%s; %s%s)\n", val(l, r, L_CODE),
		        or_dash(val(l, r, L_ELIGIBLE)), or_dash(val(l, r, L_REGISTERED)),
		        or_dash(val(l, r, L_RECOGNIZED)), or_dash(val(l, r, L_EXEMPLARY)),
		        val(l, r, L_NAME), val(l, r, L_LEVEL), val(l, r, L_HOW),
		        strcmp(PQgetvalue(l, r, L_APPROX), "t") == 0 ? ", moved in parts" : "");
		if (val(l, r, L_COUNTS_FILE) != NULL || val(l, r, L_ELIGIBLE_FILE) != NULL) {
			const char *src = val(l, r, L_SOURCE);
			char counts[64] = "counts", suffix[48] = "";

			if (src != NULL) {
				snprintf(counts, sizeof counts, "counts (%s)", src);
				snprintf(suffix, sizeof suffix, " (%s)", src);
			}
			print_two_sources(out, sheets, counts, val(l, r, L_COUNTS_FILE),
			                  val(l, r, L_COUNTS_LINE), "eligible", val(l, r, L_ELIGIBLE_FILE),
			                  val(l, r, L_ELIGIBLE_LINE), suffix);
		}
		for (k = 0; in && k < 4; k++)
			add(val(l, r, cols[k]), &sum[k], &seen[k]);
		if (r + 1 == carried)
			print_sum_row(out, sum, seen);
	}
	if (approx > 0)
		fprintf(out, "  note: approximate: a unit moved in parts touches this figure "
		             "(comparison.csv: approximate, split_from)\n");
}

/* Is title a name of the education fund ("fund", "Quỹ khuyến học", "quy")? */
static int is_fund(const char *title)
{
	static const char *const names[] = {"fund", "funds", "quy", "quy khuyen hoc",
	                                    "education fund", "quy hoc tap"};
	char k[64];

	if (hx_text_fold(title, k, sizeof k) >= sizeof k)
		return 0;
	for (size_t i = 0; i < lengthof(names); i++)
		if (strcmp(k, names[i]) == 0)
			return 1;
	return 0;
}

static void print_fund_figure(FILE *out, const PGresult *fig)
{
	fprintf(out, "%s (%s %s), %s, fund\n", val(fig, 0, FF_NAME), val(fig, 0, FF_LEVEL),
	        val(fig, 0, FF_CODE), val(fig, 0, FF_YEAR));
	fprintf(out, "  %-16s %s\n", "mobilized_vnd", or_dash(val(fig, 0, FF_MOBILIZED)));
	fprintf(out, "  %-16s %s (from the first year with funds)\n", "cumulative_vnd",
	        or_dash(val(fig, 0, FF_CUMULATIVE)));
	fprintf(out, "  %-16s %s\n", "scholarships", or_dash(val(fig, 0, FF_SCHOLARSHIPS)));
	fprintf(out, "  %-16s %s\n", "scholarship_vnd", or_dash(val(fig, 0, FF_SCHOLARSHIP_VND)));
	fprintf(out, "  %-16s %s\n", "units reporting", val(fig, 0, FF_REPORTING));
}

static void print_fund_units(FILE *out, const PGresult *sheets, const PGresult *u,
                             const PGresult *fig)
{
	int n = PQntuples(u), r, k, included = 0;
	int64_t sum[3] = {0, 0, 0};
	int seen[3] = {0, 0, 0};
	const int cols[3] = {FU_MOBILIZED, FU_SCHOLARSHIPS, FU_SCHOLARSHIP_VND};
	const int figcols[3] = {FF_MOBILIZED, FF_SCHOLARSHIPS, FF_SCHOLARSHIP_VND};
	static const char *const names[3] = {"mobilized_vnd", "scholarships", "scholarship_vnd"};

	for (r = 0; r < n; r++)
		if (strcmp(PQgetvalue(u, r, FU_INCLUDED), "t") == 0)
			included++;
	fprintf(out, "\nIncluded: %d unit%s, whose values are summed into %s\n", included,
	        included == 1 ? "" : "s", the_figure(fig));
	fprintf(out, "  %-10s %16s %12s %16s  %s\n", "unit", "mobilized_vnd", "scholarships",
	        "scholarship_vnd", "name");
	for (r = 0; r < n; r++) {
		int in = strcmp(PQgetvalue(u, r, FU_INCLUDED), "t") == 0;

		if (r == included)
			fprintf(out, "\nExcluded: %d unit%s, left out of %s\n", n - included,
			        n - included == 1 ? "" : "s", the_figure(fig));
		fprintf(out, "  %-10s %16s %12s %16s  %s (%s)\n", val(u, r, FU_CODE),
		        or_dash(val(u, r, FU_MOBILIZED)), or_dash(val(u, r, FU_SCHOLARSHIPS)),
		        or_dash(val(u, r, FU_SCHOLARSHIP_VND)), val(u, r, FU_NAME),
		        val(u, r, FU_LEVEL));
		print_two_sources(out, sheets, "mobilized", val(u, r, FU_AMOUNT_FILE),
		                  val(u, r, FU_AMOUNT_LINE), "scholarships",
		                  val(u, r, FU_SCHOLARSHIP_FILE), val(u, r, FU_SCHOLARSHIP_LINE), "");
		if (!in)
			fprintf(out, "%14sexcluded by %s\n", "", or_dash(val(u, r, FU_EXCLUDED_BY)));
		for (k = 0; in && k < 3; k++)
			add(val(u, r, cols[k]), &sum[k], &seen[k]);
		if (r + 1 == included) {
			fprintf(out, "  %-10s", "sum");
			for (k = 0; k < 3; k++) {
				int w = k == 1 ? 12 : 16;

				if (seen[k])
					fprintf(out, " %*" PRId64, w, sum[k]);
				else
					fprintf(out, " %*s", w, "-");
			}
			fputc('\n', out);
		}
	}
	note_sums(out, fig, figcols, names, sum, seen, 3);
}

/*
 * The line for a scope with no published figure.  A commune's code finds
 * its own row (units: code in column 0, level in column 2) but no figure:
 * rates and fund totals are published for provinces and districts.
 */
static void print_no_figure(FILE *out, const PGresult *units, const char *scope_code,
                            const char *ytext, const char *title)
{
	for (int i = 0; i < PQntuples(units); i++)
		if (strcmp(PQgetvalue(units, i, 0), scope_code) == 0 &&
		    strcmp(PQgetvalue(units, i, 2), "commune") == 0) {
			fprintf(out, "%s, %s, %s: no published figure: %s is a commune, and figures are "
			        "published for provinces and districts; its own row, which its district "
			        "sums:\n", scope_code, ytext, title, scope_code);
			return;
		}
	fprintf(out, "%s, %s, %s: no published figure (no unit was included)\n", scope_code, ytext,
	        title);
}

/* --explain SCOPE YEAR fund: mart.funds, mart.fund_facts, the findings of no title. */
static int explain_fund(PGconn *conn, FILE *out, const PGresult *sheets, const char *scope_code,
                        const char *ytext, struct hx_error *err)
{
	const char *params[2] = {scope_code, ytext};
	PGresult *fig = NULL, *units = NULL, *finds = NULL;
	int rc = -1;

	if ((fig = run(conn, "report/explain_fund_figure.sql", FF_NCOLS, params, 2, err)) == NULL ||
	    (units = run(conn, "report/explain_fund_units.sql", FU_NCOLS, params, 2, err)) ==
	            NULL ||
	    (finds = run(conn, "report/explain_fund_findings.sql", G_NCOLS, params, 2, err)) ==
	            NULL)
		goto done;
	if (PQntuples(fig) == 0 && PQntuples(units) == 0) {
		hx_error_set(err, HX_NOINPUT, "no fund figure for scope \"%s\", year %s", scope_code,
		             ytext);
		hx_error_hint(err, "give a province or district code as in funds.csv");
		goto done;
	}
	if (PQntuples(fig) > 0)
		print_fund_figure(out, fig);
	else
		print_no_figure(out, units, scope_code, ytext, "fund");
	print_fund_units(out, sheets, units, fig);
	print_findings(out, sheets, finds, ytext, "fund");
	rc = 0;
done:
	PQclear(fig);
	PQclear(units);
	PQclear(finds);
	return rc;
}

int report_explain(PGconn *conn, FILE *out, const char *scope_code, int year, int later_year,
                   const char *title, struct hx_error *err)
{
	struct report_status st;
	char ytext[16], ltext[16], msg[256];
	const char *params[4] = {scope_code, ytext, NULL, ltext};
	PGresult *fig = NULL, *units = NULL, *finds = NULL, *lineage = NULL, *sheets = NULL;
	enum hx_title t;
	int rc = -1;

	/* Any name of a title hoctap-ingest takes ("Gia đình học tập", "gia dinh
	 * hieu hoc"), as its key, or "fund"; anything else is no title at all,
	 * said as such (not as a figure that happens to be missing). */
	if (hx_vocab_title(title, strlen(title), &t, msg, sizeof msg) == 0) {
		title = hx_vocab_title_key(t);
	} else if (!is_fund(title)) {
		return hx_error_set(err, HX_USAGE,
		                    _("unknown title \"%s\": write family, clan, community, commune, "
		                      "unit or citizen (or a Vietnamese name of one, e.g. \"Gia đình "
		                      "học tập\"), or fund"),
		                    title);
	}
	params[2] = title;
	snprintf(ytext, sizeof ytext, "%d", year);
	snprintf(ltext, sizeof ltext, "%d", later_year);
	if (report_snapshot_begin(conn, &st, err) < 0)
		return -1;
	if ((sheets = run(conn, "report/explain_sheets.sql", 2, NULL, 0, err)) == NULL)
		goto done;
	if (is_fund(title)) {
		if (explain_fund(conn, out, sheets, scope_code, ytext, err) < 0)
			goto done;
		goto as_of;
	}
	if ((fig = run(conn, "report/explain_figure.sql", F_NCOLS, params, 3, err)) == NULL ||
	    (units = run(conn, "report/explain_units.sql", U_NCOLS, params, 3, err)) == NULL ||
	    (finds = run(conn, "report/explain_findings.sql", G_NCOLS, params, 3, err)) == NULL)
		goto done;
	if (later_year != 0 &&
	    (lineage = run(conn, "report/explain_lineage.sql", L_NCOLS, params, 4, err)) == NULL)
		goto done;
	if (lineage != NULL && PQntuples(fig) == 0 && PQntuples(units) == 0 &&
	    PQntuples(lineage) > 0) {
		/* A unit of the later year only (22924 in 2020): what was added onto it. */
		fprintf(out, "%s, %s, %s: no figure of its own that year\n", scope_code, ytext, title);
		print_lineage(out, sheets, lineage, scope_code, ytext, later_year);
		goto as_of;
	}
	if (PQntuples(fig) == 0 && PQntuples(units) == 0) {
		hx_error_set(err, HX_NOINPUT, "no figure for scope \"%s\", year %d, title \"%s\"",
		             scope_code, year, title);
		hx_error_hint(err, "give a province or district code as in rates.csv, and a title: "
		                   "family, clan, community, commune, unit or citizen");
		goto done;
	}
	if (PQntuples(fig) > 0)
		print_figure(out, fig);
	else
		print_no_figure(out, units, scope_code, ytext, title);
	print_units(out, sheets, units, fig);
	print_findings(out, sheets, finds, ytext, title);
	if (lineage != NULL)
		print_lineage(out, sheets, lineage, scope_code, ytext, later_year);
as_of:
	fprintf(out, "\nData as of %s (marts built %s).\n", st.data_as_of[0] ? st.data_as_of : "-",
	        st.transformed_at[0] ? st.transformed_at : "-");
	rc = 0;
done:
	PQclear(fig);
	PQclear(units);
	PQclear(finds);
	PQclear(lineage);
	PQclear(sheets);
	report_snapshot_end(conn);
	return rc;
}
