/*
 * labels.c — what the columns of the outputs are called in the documents
 * and how their values are shown.  One entry per column key, shared by
 * every output that has the column: a new output or column is one line
 * here (tests/unit/test_report_doc.c fails for a column without one).
 * Columns ending in _a / _b (comparison) take their base column's label
 * and the year.  The labels are English source strings; po/vi.po holds
 * the Vietnamese the documents show by default.
 */
#include <stdio.h>
#include <string.h>

#include "doc.h"
#include "i18n.h"
#include "lengthof.h"


static const struct report_label labels[] = {
	{"scope_level", N_("Level"), STYLE_ENUM},
	{"scope_code", N_("Code"), STYLE_CODE},
	{"scope_name", N_("Name"), STYLE_TEXT},
	{"province_code", N_("Province code"), STYLE_CODE},
	{"district_code", N_("District code"), STYLE_CODE},
	{"unit_code", N_("Unit code"), STYLE_CODE},
	{"year", N_("Year"), STYLE_YEAR},
	{"year_a", N_("First year"), STYLE_YEAR},
	{"year_b", N_("Last year"), STYLE_YEAR},
	{"title", N_("Title"), STYLE_ENUM},
	{"level", N_("Recognition level"), STYLE_TEXT},
	{"group", N_("Citizen group"), STYLE_ENUM},
	{"headline", N_("Headline rate over"), STYLE_ENUM},
	{"eligible", N_("Eligible"), STYLE_COUNT},
	{"registered", N_("Registered"), STYLE_COUNT},
	{"recognized", N_("Recognized"), STYLE_COUNT},
	{"exemplary", N_("Exemplary"), STYLE_COUNT},
	{"rate_eligible", N_("Rate of eligible (%)"), STYLE_PERCENT},
	{"rate_eligible_num", N_("Numerator, rate of eligible"), STYLE_COUNT},
	{"rate_eligible_den", N_("Denominator, rate of eligible"), STYLE_COUNT},
	{"rate_registered", N_("Rate of registered (%)"), STYLE_PERCENT},
	{"rate_registered_num", N_("Numerator, rate of registered"), STYLE_COUNT},
	{"rate_registered_den", N_("Denominator, rate of registered"), STYLE_COUNT},
	{"units_reporting", N_("Units reporting"), STYLE_COUNT},
	{"units_expected", N_("Units expected"), STYLE_COUNT},
	{"source_level", N_("Summed from level"), STYLE_TEXT},
	{"merged_from", N_("Merged from"), STYLE_LIST},
	{"split_from", N_("Moved in parts from"), STYLE_LIST},
	{"approximate", N_("Approximate (a unit moved in parts)"), STYLE_BOOL},
	{"delta_eligible", N_("Change in eligible"), STYLE_DELTA},
	{"delta_registered", N_("Change in registered"), STYLE_DELTA},
	{"delta_recognized", N_("Change in recognized"), STYLE_DELTA},
	{"delta_exemplary", N_("Change in exemplary"), STYLE_DELTA},
	{"delta_pp_eligible", N_("Change, rate of eligible (points)"), STYLE_PP},
	{"delta_pp_registered", N_("Change, rate of registered (points)"), STYLE_PP},
	{"delta_pp", N_("Change, headline rate (points)"), STYLE_PP},
	{"growth_percent", N_("Growth of recognized (%)"), STYLE_PP},
	{"mobilized_vnd", N_("Fund mobilised (VND)"), STYLE_VND},
	{"mobilized_million_vnd", N_("Fund mobilised (million VND)"), STYLE_MILLION},
	{"cumulative_vnd", N_("Cumulative since the first year (VND)"), STYLE_VND},
	{"scholarships", N_("Scholarships"), STYLE_COUNT},
	{"scholarship_vnd", N_("Scholarships' value (VND)"), STYLE_VND},
	{"period_years", N_("Years with a fund figure in the period"), STYLE_COUNT},
	{"period_mobilized_vnd", N_("Fund over the period (VND)"), STYLE_VND},
	{"period_mobilized_million_vnd", N_("Fund over the period (million VND)"), STYLE_MILLION},
	{"period_scholarships", N_("Scholarships over the period"), STYLE_COUNT},
	{"period_scholarship_vnd", N_("Scholarships' value over the period (VND)"), STYLE_VND},
	{"percent", N_("Reported (%)"), STYLE_PERCENT},
	{"missing", N_("Not reported (codes)"), STYLE_LIST},
	{"target_percent", N_("Target (%)"), STYLE_PERCENT},
	{"actual_percent", N_("Actual (%)"), STYLE_PERCENT},
	{"numerator", N_("Numerator"), STYLE_COUNT},
	{"denominator", N_("Denominator"), STYLE_COUNT},
	{"gap_pp", N_("Gap to target (points)"), STYLE_PP},
	{"met", N_("Target met"), STYLE_BOOL},
	{"source", N_("Target set by"), STYLE_TEXT},
	{"provisional", N_("Provisional (not every unit reported)"), STYLE_BOOL},
	{"rank", N_("Rank"), STYLE_LINE},
	{"unit_level", N_("Unit level"), STYLE_ENUM},
	{"unit_name", N_("Unit name"), STYLE_TEXT},
	{"rate", N_("Headline rate (%)"), STYLE_PERCENT},
	{"code", N_("Rule"), STYLE_TEXT},
	{"severity", N_("Severity"), STYLE_ENUM},
	{"message", N_("What is wrong"), STYLE_TEXT},
	{"file", N_("File"), STYLE_TEXT},
	{"line", N_("Line"), STYLE_LINE},
};

/* The outputs' sheet names (at most 31 characters: Excel's limit). */
static const struct {
	const char *name, *label;
} table_labels[] = {
	{"rates", N_("Rates")},
	{"comparison", N_("Comparison")},
	{"funds", N_("Education fund")},
	{"completeness", N_("Reporting")},
	{"targets", N_("Targets")},
	{"rankings", N_("Rankings")},
	{"findings", N_("Findings")},
};

/* Keys shown by their names, by the column that holds them. */
static const struct {
	const char *column, *key, *label;
} enum_labels[] = {
	{"title", "family", N_("Learning families")},
	{"title", "clan", N_("Learning clans")},
	{"title", "community", N_("Learning communities (village)")},
	{"title", "commune", N_("Learning communities (commune)")},
	{"title", "unit", N_("Learning units")},
	{"title", "citizen", N_("Learning citizens")},
	{"scope_level", "province", N_("province")},
	{"scope_level", "district", N_("district")},
	{"scope_level", "commune", N_("commune")},
	{"unit_level", "province", N_("province")},
	{"unit_level", "district", N_("district")},
	{"unit_level", "commune", N_("commune")},
	{"group", "adult", N_("adults")},
	{"group", "official", N_("officials")},
	{"headline", "eligible", N_("eligible")},
	{"headline", "registered", N_("registered")},
	{"severity", "error", N_("error")},
	{"severity", "warning", N_("warning")},
	{"severity", "info", N_("note")},
};

static const struct report_label *find(const char *key)
{
	size_t i;

	for (i = 0; i < lengthof(labels); i++)
		if (strcmp(labels[i].key, key) == 0)
			return &labels[i];
	return NULL;
}

/* The base key of "recognized_a" ("recognized") and its side, or 0. */
static int side_of(const char *key, char *base, size_t size)
{
	size_t n = strlen(key);

	if (n < 3 || key[n - 2] != '_' || (key[n - 1] != 'a' && key[n - 1] != 'b') ||
	    n - 2 >= size)
		return 0;
	memcpy(base, key, n - 2);
	base[n - 2] = '\0';
	return key[n - 1];
}

const char *report_column_label(struct hx_buf *b, const char *key, int year_a, int year_b)
{
	const struct report_label *l = find(key);
	char base[64];
	int side;

	hx_buf_reset(b);
	if (l != NULL) {
		hx_buf_puts(b, report_tr(l->label));
		return hx_buf_str(b);
	}
	side = side_of(key, base, sizeof base);
	if (side == 0 || (l = find(base)) == NULL)
		return NULL;
	/* TRANSLATORS: a column of the comparison: "Recognized, 2016". */
	hx_buf_printf(b, report_tr(N_("%s, %d")), report_tr(l->label),
	              side == 'a' ? year_a : year_b);
	return hx_buf_str(b);
}

enum report_style report_column_style(const char *key, enum report_kind kind)
{
	const struct report_label *l = find(key);
	char base[64];

	if (l == NULL && side_of(key, base, sizeof base) != 0)
		l = find(base);
	if (l != NULL)
		return l->style;
	switch (kind) {
	case REPORT_INT:
		return STYLE_COUNT;
	case REPORT_NUM:
		return STYLE_PERCENT;
	case REPORT_BOOL:
		return STYLE_BOOL;
	case REPORT_LIST:
		return STYLE_LIST;
	case REPORT_TEXT:
		break;
	}
	return STYLE_TEXT;
}

int report_column_known(const char *key)
{
	char base[64];

	return find(key) != NULL || (side_of(key, base, sizeof base) != 0 && find(base) != NULL);
}

const char *report_table_label(const char *name)
{
	size_t i;

	for (i = 0; i < lengthof(table_labels); i++)
		if (strcmp(table_labels[i].name, name) == 0)
			return report_tr(table_labels[i].label);
	return NULL;
}

const char *report_enum_label(const char *column, const char *value)
{
	size_t i;

	if (value == NULL)
		return "";
	for (i = 0; i < lengthof(enum_labels); i++)
		if (strcmp(enum_labels[i].column, column) == 0 && strcmp(enum_labels[i].key, value) == 0)
			return report_tr(enum_labels[i].label);
	return value;
}

const char *report_headline_base(const char *title)
{
	return title != NULL && (strcmp(title, "clan") == 0 || strcmp(title, "unit") == 0)
	               ? "registered"
	               : "eligible";
}
