/*
 * facts.c — hoctap-report --facts SCOPE YEAR|A:B: sentences a reporter
 * can quote, each with its figures and where they come from (docs/design.md
 * §9.5): per title the recognized count and the headline rate with its
 * base; for a period the change between its first and last year (as
 * comparison.csv computes it); the education fund over the period in
 * million VND ("346.458 triệu đồng"), as the period_ columns of funds.csv
 * sum it; scholarships.  Each sentence is followed by its source: the
 * output file and row, the submission files summed into it, and the
 * --explain command that accounts for it unit by unit.
 *
 * Reads the marts in the report's snapshot, like every output.  A scope
 * with no figure in those years is HX_DATAERR (exit 65), never an empty
 * answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "db.h"
#include "doc.h"
#include "i18n.h"
#include "sqlfiles.h"

/* Files named per source line; the rest are counted. */
#define FILES_NAMED 3

static PGresult *run(PGconn *conn, const char *script, int nparams, const char *const *params,
                     struct hx_error *err)
{
	const char *sql = hx_sql_script(script);
	PGresult *res;

	if (sql == NULL) {
		hx_error_set(err, HX_SOFTWARE, "sql/%s is missing from this build", script);
		return NULL;
	}
	res = hx_db_query(conn, err, sql, nparams, params);
	if (res == NULL)
		hx_error_prefix(err, script);
	return res;
}

/* A figure in the documents' style into a new string; "–" for NULL. */
static char *fig(const char *v, int percent, unsigned flags)
{
	struct hx_buf b;
	char *s;

	hx_buf_init(&b, 256);
	if (v == NULL)
		hx_buf_puts(&b, "–");
	else if ((percent ? report_fmt_percent(&b, v, flags) : report_fmt_num(&b, v, flags)) < 0)
		hx_buf_puts(&b, v);
	s = hx_strdup(hx_buf_str(&b));
	hx_buf_free(&b);
	return s;
}

#define V(res, r, key) report_data_val((res), (r), report_data_col((res), (key)))

/* "  Source: …; files: a.csv, b.csv and 4 more; hoctap-report --explain …" */
static void source_line(FILE *out, const PGresult *src, const char *title, const char *where,
                        const char *explain)
{
	int r, n = src != NULL ? PQntuples(src) : 0, named = 0, total = 0;

	fprintf(out, "  %s %s", report_tr(N_("Source:")), where);
	for (r = 0; r < n; r++) {
		if (strcmp(PQgetvalue(src, r, 0), title) != 0)
			continue;
		if (total++ == 0)
			fprintf(out, "; %s ", report_tr(N_("files:")));
		if (named < FILES_NAMED)
			fprintf(out, "%s%s", named++ > 0 ? ", " : "", PQgetvalue(src, r, 1));
	}
	if (total > named)
		fprintf(out, report_tr(N_(" and %d more")), total - named);
	fprintf(out, "; %s\n", explain);
}

static void rate_sentence(FILE *out, const PGresult *res, int r, const char *scope_name,
                          const PGresult *src, const char *scope)
{
	const char *title = V(res, r, "title"), *base = report_headline_base(title);
	int registered = strcmp(base, "registered") == 0;
	const char *rate = V(res, r, registered ? "rate_registered" : "rate_eligible");
	const char *den = V(res, r, registered ? "rate_registered_den" : "rate_eligible_den");
	const char *nu = V(res, r, registered ? "rate_registered_num" : "rate_eligible_num");
	int year = atoi(V(res, r, "year"));
	char *f_rec = fig(nu != NULL ? nu : V(res, r, "recognized"), 0, 0), *f_den = fig(den, 0, 0);
	char *f_rate = fig(rate, 1, 0);
	char where[256], explain[256];
	const char *ur = V(res, r, "units_reporting"), *ue = V(res, r, "units_expected");

	fputs("- ", out);
	if (rate == NULL)
		fprintf(out, report_tr(N_("In %d, %s: %s, %s recognized (no base was reported, so "
		                          "there is no rate).")),
		        year, scope_name, report_enum_label("title", title), f_rec);
	else if (registered)
		fprintf(out, report_tr(N_("In %d, %s: %s, %s recognized out of %s registered, a rate "
		                          "of %s.")),
		        year, scope_name, report_enum_label("title", title), f_rec, f_den, f_rate);
	else
		fprintf(out, report_tr(N_("In %d, %s: %s, %s recognized out of %s eligible, a rate "
		                          "of %s.")),
		        year, scope_name, report_enum_label("title", title), f_rec, f_den, f_rate);
	if (ur != NULL && ue != NULL && atoll(ur) < atoll(ue)) {
		fputc(' ', out);
		fprintf(out, report_tr(N_("Provisional: %s of %s units have reported.")), ur, ue);
	}
	fputc('\n', out);
	snprintf(where, sizeof where, "rates.csv (%s, %d, %s)", scope, year, title);
	snprintf(explain, sizeof explain, "hoctap-report --explain %s %d %s", scope, year, title);
	source_line(out, src, title, where, explain);
	free(f_rec);
	free(f_den);
	free(f_rate);
}

static void change_sentence(FILE *out, const PGresult *cmp, int r, const char *scope_name,
                            const char *scope, int ya, int yb)
{
	const char *title = V(cmp, r, "title"), *base = report_headline_base(title);
	char ka[32], kb[32], where[256];
	const char *dpp = V(cmp, r, "delta_pp");
	long long d = 0;
	char *fa, *fb, *fd, *ra, *rb, *dr;

	snprintf(ka, sizeof ka, "rate_%s_a", base);
	snprintf(kb, sizeof kb, "rate_%s_b", base);
	fa = fig(V(cmp, r, ka), 1, 0);
	fb = fig(V(cmp, r, kb), 1, 0);
	fd = fig(dpp != NULL && dpp[0] == '-' ? dpp + 1 : dpp, 0, FMT_DEC2);
	ra = fig(V(cmp, r, "recognized_a"), 0, 0);
	rb = fig(V(cmp, r, "recognized_b"), 0, 0);
	dr = fig(V(cmp, r, "delta_recognized"), 0, FMT_SIGN);
	fputs("- ", out);
	if (dpp == NULL || report_hundredths(dpp, &d) < 0)
		fprintf(out, report_tr(N_("From %d to %d, %s: %s, recognized %s in %d and %s in %d "
		                          "(%s); the rates cannot be compared (%s, %s).")),
		        ya, yb, scope_name, report_enum_label("title", title), ra, ya, rb, yb, dr, fa,
		        fb);
	else if (d > 0)
		fprintf(out, report_tr(N_("From %d to %d, %s: the rate of %s rose from %s to %s, by %s "
		                          "percentage points; recognized %s, then %s (%s).")),
		        ya, yb, scope_name, report_enum_label("title", title), fa, fb, fd, ra, rb, dr);
	else if (d < 0)
		fprintf(out, report_tr(N_("From %d to %d, %s: the rate of %s fell from %s to %s, by %s "
		                          "percentage points; recognized %s, then %s (%s).")),
		        ya, yb, scope_name, report_enum_label("title", title), fa, fb, fd, ra, rb, dr);
	else
		fprintf(out, report_tr(N_("From %d to %d, %s: the rate of %s stayed at %s; recognized "
		                          "%s, then %s (%s).")),
		        ya, yb, scope_name, report_enum_label("title", title), fb, ra, rb, dr);
	fputc('\n', out);
	snprintf(where, sizeof where, "comparison.csv (%s, %s; hoctap-report --compare %d:%d)",
	         scope, title, ya, yb);
	fprintf(out, "  %s %s\n", report_tr(N_("Source:")), where);
	free(fa);
	free(fb);
	free(fd);
	free(ra);
	free(rb);
	free(dr);
}

static void fund_sentences(FILE *out, const PGresult *fu, const char *scope_name,
                           const PGresult *src, const char *scope, int ya, int yb)
{
	char period[32], where[256], explain[256];
	char *m = fig(V(fu, 0, "mobilized_million_vnd"), 0, 0);
	int years = atoi(V(fu, 0, "years_with_fund") ? V(fu, 0, "years_with_fund") : "0");

	if (ya == yb)
		snprintf(period, sizeof period, "%d", ya);
	else
		snprintf(period, sizeof period, "%d–%d", ya, yb);
	if (V(fu, 0, "mobilized_million_vnd") != NULL) {
		fputs("- ", out);
		if (ya == yb)
			fprintf(out, report_tr(N_("In %s, %s mobilised %s million VND for the education "
			                          "promotion fund.")),
			        period, scope_name, m);
		else
			fprintf(out, report_tr(N_("Over %s, %s mobilised %s million VND for the education "
			                          "promotion fund.")),
			        period, scope_name, m);
		if (years < yb - ya + 1) {
			fputc(' ', out);
			fprintf(out, report_tr(N_("Only %d of the %d years have a fund figure (%s).")), years,
			        yb - ya + 1, V(fu, 0, "years") != NULL ? V(fu, 0, "years") : "");
		}
		fputc('\n', out);
		if (ya == yb)
			snprintf(where, sizeof where, "funds.csv (%s, %d, mobilized_million_vnd)", scope, yb);
		else
			snprintf(where, sizeof where,
			         "funds.csv (%s, %d, period_mobilized_million_vnd; hoctap-report "
			         "--compare %d:%d)", scope, yb, ya, yb);
		snprintf(explain, sizeof explain, "hoctap-report --explain %s YEAR fund", scope);
		if (ya == yb)
			snprintf(explain, sizeof explain, "hoctap-report --explain %s %d fund", scope, yb);
		source_line(out, src, "fund", where, explain);
	}
	if (V(fu, 0, "scholarships") != NULL) {
		char *n = fig(V(fu, 0, "scholarships"), 0, 0);
		char *v = fig(V(fu, 0, "scholarship_million_vnd"), 0, 0);

		fputs("- ", out);
		fprintf(out, report_tr(N_("Scholarships in %s, %s: %s, worth %s million VND.")), period,
		        scope_name, n, v);
		fputc('\n', out);
		snprintf(where, sizeof where, "funds.csv (%s, %s, period_scholarships, "
		         "period_scholarship_vnd)", scope, period);
		if (ya == yb)
			snprintf(where, sizeof where, "funds.csv (%s, %d, scholarships, scholarship_vnd)",
			         scope, yb);
		fprintf(out, "  %s %s\n", report_tr(N_("Source:")), where);
		free(n);
		free(v);
	}
	free(m);
}

int report_facts(PGconn *conn, FILE *out, const char *scope, int ya, int yb,
                 struct hx_error *err)
{
	struct report_status st;
	char a[16], b[16];
	const char *p3[3] = {scope, a, b}, *p2[2] = {a, b}, *p1[1] = {scope};
	PGresult *rates = NULL, *fund = NULL, *src = NULL, *cmp = NULL, *sc = NULL;
	const char *name = NULL;
	int r, rc = -1, said = 0;

	snprintf(a, sizeof a, "%d", ya);
	snprintf(b, sizeof b, "%d", yb);
	if (report_snapshot_begin(conn, &st, err) < 0)
		return -1;
	if ((rates = run(conn, "report/facts_rates.sql", 3, p3, err)) == NULL ||
	    (fund = run(conn, "report/facts_fund.sql", 3, p3, err)) == NULL ||
	    (src = run(conn, "report/facts_sources.sql", 3, p3, err)) == NULL)
		goto done;
	if (ya != yb && (cmp = run(conn, "report/comparison.sql", 2, p2, err)) == NULL)
		goto done;
	if (PQntuples(rates) > 0)
		name = V(rates, 0, "scope_name");
	else if (PQntuples(fund) > 0)
		name = V(fund, 0, "scope_name");
	if (name == NULL) {
		sc = run(conn, "report/facts_scope.sql", 1, p1, err);
		if (sc == NULL)
			goto done;
		if (V(sc, 0, "first_year") == NULL)
			hx_error_set(err, HX_DATAERR, _("no figures for scope %s: no such scope in the marts"),
			             scope);
		else
			hx_error_set(err, HX_DATAERR, _("no figures for %s (%s) in %s%s%s: it has figures "
			                                          "for %s to %s"), V(sc, 0, "scope_name"), scope, a, ya != yb ? "–" : "",
			             ya != yb ? b : "", V(sc, 0, "first_year"), V(sc, 0, "last_year"));
		goto done;
	}
	if (ya == yb)
		fprintf(out, "%s (%s), %d\n", name, scope, yb);
	else
		fprintf(out, "%s (%s), %d–%d\n", name, scope, ya, yb);
	fprintf(out, report_tr(N_("Data as of %s (UTC); figures of hoctap-report, rates as ratios "
	                          "of sums rounded half away from zero.")),
	        st.data_as_of[0] ? st.data_as_of : "–");
	fputs("\n\n", out);
	for (r = 0; r < PQntuples(rates); r++)
		if (atoi(V(rates, r, "year")) == yb) {
			rate_sentence(out, rates, r, name, src, scope);
			said++;
		}
	if (cmp != NULL)
		for (r = 0; r < PQntuples(cmp); r++)
			if (strcmp(PQgetvalue(cmp, r, report_data_col(cmp, "scope_code")), scope) == 0) {
				change_sentence(out, cmp, r, name, scope, ya, yb);
				said++;
			}
	if (PQntuples(fund) > 0) {
		fund_sentences(out, fund, name, src, scope, ya, yb);
		said++;
	}
	if (said == 0) {
		hx_error_set(err, HX_DATAERR, _("no figures for %s (%s) in %d"), name, scope, yb);
		goto done;
	}
	rc = 0;
done:
	PQclear(rates);
	PQclear(fund);
	PQclear(src);
	PQclear(cmp);
	PQclear(sc);
	report_snapshot_end(conn);
	return rc;
}
