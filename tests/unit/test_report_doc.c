/*
 * test_report_doc.c — the documents' small parts, from tables of cases:
 * numbers restyled digit for digit (69,88%, 44.060, 1.357,5), hundredths
 * for ordering and drawing, VND into exact million VND, HTML escaping and
 * cutting, the SVG charts' geometry (a 69.88% bar on a 100% scale is
 * 223.6 px of 320), and a label for every column of every output.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "i18n.h"
#include "lengthof.h"

struct fmt_case {
	int vi;
	const char *in;
	unsigned flags;
	const char *want; /* NULL: rejected */
};

Test(report_doc, numbers_in_the_documents_style)
{
	static const struct fmt_case cases[] = {
		{1, "44060", 0, "44.060"},
		{0, "44060", 0, "44,060"},
		{1, "69.88", 0, "69,88"},
		{0, "69.88", 0, "69.88"},
		{1, "1357.5", 0, "1.357,5"},
		{1, "346458", 0, "346.458"},
		{1, "346458000000", 0, "346.458.000.000"},
		{1, "0.000001", 0, "0,000001"},
		{1, "-0.12", 0, "-0,12"},
		{1, "33.64", FMT_SIGN, "+33,64"},
		{1, "0.00", FMT_SIGN, "0,00"},
		{1, "-22509", FMT_SIGN, "-22.509"},
		{1, "2020", FMT_NOGROUP, "2020"},
		{1, "70", FMT_DEC2, "70,00"},
		{1, "0.1", FMT_DEC2, "0,10"},
		{1, "999", 0, "999"},
		{1, "1000", 0, "1.000"},
		{1, "", 0, NULL},
		{1, "7.9O5", 0, NULL},
		{1, "1e5", 0, NULL},
		{1, "NaN", 0, NULL},
		{1, "12.", 0, NULL},
		{1, "-", 0, NULL},
	};

	for (size_t i = 0; i < lengthof(cases); i++) {
		struct hx_buf b;
		int rc;

		report_doc_init(cases[i].vi);
		hx_buf_init(&b, 256);
		rc = report_fmt_num(&b, cases[i].in, cases[i].flags);
		if (cases[i].want == NULL) {
			cr_expect(rc < 0, "\"%s\" was accepted as \"%s\"", cases[i].in, hx_buf_str(&b));
			cr_expect(b.len == 0, "\"%s\": something was appended", cases[i].in);
		} else {
			cr_expect(rc == 0, "\"%s\" was rejected", cases[i].in);
			cr_expect(strcmp(hx_buf_str(&b), cases[i].want) == 0, "\"%s\" (vi %d) gave \"%s\", want \"%s\"",
			          cases[i].in, cases[i].vi, hx_buf_str(&b), cases[i].want);
		}
		hx_buf_free(&b);
	}
	report_doc_init(1);
}

Test(report_doc, percent_and_null)
{
	struct hx_buf b;

	report_doc_init(1);
	hx_buf_init(&b, 64);
	cr_assert(report_fmt_percent(&b, "69.88", 0) == 0);
	cr_assert(strcmp(hx_buf_str(&b), "69,88%") == 0, "%s", hx_buf_str(&b));
	hx_buf_reset(&b);
	cr_assert(report_fmt_percent(&b, NULL, 0) == 0);
	cr_assert(strcmp(hx_buf_str(&b), "–") == 0, "%s", hx_buf_str(&b));
	hx_buf_free(&b);
}

Test(report_doc, hundredths_for_ordering)
{
	static const struct {
		const char *in;
		long long want;
		int ok;
	} cases[] = {
		{"69.88", 6988, 1}, {"100.00", 10000, 1}, {"0.10", 10, 1}, {"-0.5", -50, 1},
		{"70", 7000, 1},    {"1357.567", 135756, 1}, {NULL, 0, 0}, {"x", 0, 0},
	};

	for (size_t i = 0; i < lengthof(cases); i++) {
		long long v = -1;
		int rc = report_hundredths(cases[i].in, &v);

		cr_expect(eq(int, rc == 0, cases[i].ok), "%s", cases[i].in ? cases[i].in : "NULL");
		if (cases[i].ok)
			cr_expect(eq(i64, v, cases[i].want), "%s", cases[i].in);
	}
}

Test(report_doc, vnd_to_exact_million)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{"346458000000", "346458"}, {"1357500000", "1357.5"}, {"950000000", "950"},
		{"1", "0.000001"},          {"0", "0"},                {"150500000", "150.5"},
		{"346458000001", "346458.000001"}, {"-2500000", "-2.5"}, {"12.5", NULL},
	};

	for (size_t i = 0; i < lengthof(cases); i++) {
		char out[64];
		int rc = report_vnd_to_million(cases[i].in, out, sizeof out);

		if (cases[i].want == NULL) {
			cr_expect(rc < 0, "%s accepted", cases[i].in);
			continue;
		}
		cr_expect(rc == 0, "%s rejected", cases[i].in);
		cr_expect(strcmp(out, cases[i].want) == 0, "%s gave %s, want %s", cases[i].in, out,
		          cases[i].want);
	}
}

Test(report_doc, html_escaping_and_cutting)
{
	struct hx_buf b;
	char longname[1200];

	hx_buf_init(&b, 1 << 16);
	cr_assert(report_html_escape(&b, "<script>alert(\"x\")</script> & 'Xã'") == 0);
	cr_assert(strcmp(hx_buf_str(&b), "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "
	                                 "&#39;Xã&#39;") == 0, "%s", hx_buf_str(&b));
	hx_buf_reset(&b);
	/* Cut by characters, never inside a UTF-8 sequence. */
	cr_assert(report_html_escape_cut(&b, "Phường Hà Huy Tập", 7) == 0);
	cr_assert(strcmp(hx_buf_str(&b), "Phường…") == 0, "%s", hx_buf_str(&b));
	hx_buf_reset(&b);
	cr_assert(report_html_escape_cut(&b, "Xã A", 7) == 0);
	cr_assert(strcmp(hx_buf_str(&b), "Xã A") == 0, "%s", hx_buf_str(&b));
	hx_buf_reset(&b);
	memset(longname, 'x', 1000);
	strcpy(longname + 1000, "<&>");
	cr_assert(report_html_escape_cut(&b, longname, 30) == 0);
	cr_assert(eq(sz, report_utf8_len(hx_buf_str(&b)), 30));
	hx_buf_free(&b);
}

/* Does the chart hold this exact fragment? */
static void expect_has(const char *svg, const char *want)
{
	cr_expect(strstr(svg, want) != NULL, "the chart lacks\n%s\n--- it is:\n%s", want, svg);
}

Test(report_doc, bars_are_drawn_to_scale_with_the_target_tick)
{
	struct svg_bar bars[3];
	struct hx_buf b;

	memset(bars, 0, sizeof bars);
	bars[0].label = "Gia đình học tập";
	bars[0].value = 6988;
	bars[0].have = 1;
	bars[0].mark = 7000;
	bars[0].has_mark = 1;
	bars[0].text = "69,88%";
	bars[1].label = "Dòng họ <học> tập & \"x\"";
	bars[1].value = 10000;
	bars[1].have = 1;
	bars[1].text = "100,00%";
	bars[2].label = "Công dân học tập";
	bars[2].text = "chưa có số liệu";
	hx_buf_init(&b, 1 << 16);
	cr_assert(svg_hbars(&b, "Tỷ lệ <2020>", bars, 3, 10000) == 0);
	/* 69.88% of 320 px is 223.6 px; the 70% target at 210 + 224 = 434 px. */
	expect_has(hx_buf_str(&b), "<rect x=\"210\" y=\"7\" width=\"223.6\" height=\"16\"");
	expect_has(hx_buf_str(&b), "<line x1=\"434.0\" y1=\"4\" x2=\"434.0\" y2=\"26\" class=\"k\"/>");
	expect_has(hx_buf_str(&b), "<rect x=\"210\" y=\"29\" width=\"320.0\"");
	expect_has(hx_buf_str(&b), "Dòng họ &lt;học&gt; tập &amp; &quot;x&quot;");
	expect_has(hx_buf_str(&b), "<title>Tỷ lệ &lt;2020&gt;</title>");
	expect_has(hx_buf_str(&b), ">chưa có số liệu</text>");
	/* Three rows of 22 px and 8 px of margin; no bar for the missing figure. */
	expect_has(hx_buf_str(&b), "viewBox=\"0 0 640 74\"");
	cr_expect(strstr(hx_buf_str(&b), "y=\"51\" width") == NULL, "a bar for a missing figure");
	cr_expect(strstr(hx_buf_str(&b), "<script") == NULL);
	hx_buf_free(&b);
}

Test(report_doc, a_value_beyond_the_scale_is_clamped_and_a_negative_one_drawn_empty)
{
	struct svg_bar bars[2];
	struct hx_buf b;

	memset(bars, 0, sizeof bars);
	bars[0].label = "a";
	bars[0].value = 25000;
	bars[0].have = 1;
	bars[1].label = "b";
	bars[1].value = -300;
	bars[1].have = 1;
	hx_buf_init(&b, 1 << 16);
	cr_assert(svg_hbars(&b, "t", bars, 2, 10000) == 0);
	expect_has(hx_buf_str(&b), "width=\"320.0\"");
	expect_has(hx_buf_str(&b), "width=\"0.0\"");
	hx_buf_free(&b);
}

Test(report_doc, columns_scale_to_the_largest_year)
{
	struct svg_bar bars[2];
	struct hx_buf b;

	memset(bars, 0, sizeof bars);
	bars[0].label = "2016";
	bars[0].value = 5821400; /* 58,214 million VND in hundredths */
	bars[0].have = 1;
	bars[0].text = "58.214";
	bars[1].label = "2020";
	bars[1].value = 8071000;
	bars[1].have = 1;
	bars[1].text = "80.710";
	hx_buf_init(&b, 1 << 16);
	cr_assert(svg_columns(&b, "Quỹ", bars, 2) == 0);
	/* The largest column is the full 146 px; 58,214 / 80,710 of it is 105.3 px. */
	expect_has(hx_buf_str(&b), "height=\"146.0\"");
	expect_has(hx_buf_str(&b), "height=\"105.3\"");
	expect_has(hx_buf_str(&b), ">80.710</text>");
	hx_buf_free(&b);
}

Test(report_doc, a_change_is_drawn_from_year_a_to_year_b)
{
	struct svg_bar bars[1];
	struct hx_buf b;

	memset(bars, 0, sizeof bars);
	bars[0].label = "Gia đình học tập";
	bars[0].mark = 3624; /* 2016 */
	bars[0].has_mark = 1;
	bars[0].value = 6988; /* 2020 */
	bars[0].have = 1;
	bars[0].text = "+33,64 điểm %";
	hx_buf_init(&b, 1 << 16);
	cr_assert(svg_change(&b, "Thay đổi", bars, 1, 10000, "2016", "2020") == 0);
	/* 36.24% at 210 + 116.0 px, 69.88% at 210 + 223.6 px. */
	expect_has(hx_buf_str(&b), "<line x1=\"326.0\" y1=\"37\" x2=\"433.6\" y2=\"37\"");
	expect_has(hx_buf_str(&b), ">2016</text>");
	expect_has(hx_buf_str(&b), ">+33,64 điểm %</text>");
	hx_buf_free(&b);
}

Test(report_doc, every_column_of_every_output_has_a_label_and_vietnamese)
{
	struct hx_buf b;

	hx_buf_init(&b, 4096);
	for (size_t t = 0; t < report_ntables; t++) {
		cr_expect(report_table_label(report_tables[t].name) != NULL, "output %s has no sheet name",
		          report_tables[t].name);
		for (size_t c = 0; c < report_tables[t].ncolumns; c++)
			cr_expect(report_column_known(report_tables[t].columns[c].name),
			          "%s.%s has no label in report/labels.c", report_tables[t].name,
			          report_tables[t].columns[c].name);
	}
	/* The _a / _b columns of the comparison are named with their years. */
	report_doc_init(0);
	cr_assert(strcmp(report_column_label(&b, "recognized_a", 2016, 2020), "Recognized, 2016") == 0,
	          "%s", hx_buf_str(&b));
	cr_assert(report_column_label(&b, "no_such_column", 2016, 2020) == NULL);
	cr_assert(strcmp(report_enum_label("title", "family"), "Learning families") == 0);
	cr_assert(strcmp(report_enum_label("scope_level", "commune"), "commune") == 0);
	cr_assert(strcmp(report_enum_label("title", "unknown"), "unknown") == 0);
	cr_assert(strcmp(report_headline_base("clan"), "registered") == 0);
	cr_assert(strcmp(report_headline_base("family"), "eligible") == 0);
	hx_buf_free(&b);
}

Test(report_doc, vietnamese_labels_come_from_the_catalogue_whatever_the_messages)
{
	struct hx_buf b;

	/* Messages in English (as under cron), documents in Vietnamese. */
	cr_assert(hx_i18n_init("en") == 0);
	report_doc_init(1);
	hx_buf_init(&b, 4096);
	cr_assert(strcmp(report_tr("Learning families"), "Gia đình học tập") == 0, "%s",
	          report_tr("Learning families"));
	cr_assert(strcmp(report_column_label(&b, "recognized_b", 2016, 2020),
	                 "Được công nhận, năm 2020") == 0, "%s", hx_buf_str(&b));
	cr_assert(strcmp(report_table_label("funds"), "Quỹ khuyến học") == 0);
	cr_assert(strcmp(hx_gettext("Learning families"), "Learning families") == 0,
	          "the messages turned Vietnamese");
	hx_buf_free(&b);
}
