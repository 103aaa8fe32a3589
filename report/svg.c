/*
 * svg.c — the page's charts, drawn as inline SVG from the figures
 * themselves: no chart library, no script, no font from the network.
 *
 * Three shapes cover the page: horizontal bars (rates, ranked units) with
 * a tick at the target, vertical columns (the fund per year) and pairs (a
 * rate in year A and in year B).  Geometry is integer arithmetic on
 * hundredths, printed in tenths of a pixel, so the same figures always
 * draw the same bytes.  Every chart has an accessible name (<title>) and
 * stands beside a real table with the same figures; a label too long for
 * the chart is cut with "…" there and whole in the table and in its
 * bar's tooltip.
 */
#include <stdio.h>
#include <string.h>

#include "doc.h"

#define WIDTH 640
#define LABEL_W 210      /* px for the labels left of the bars */
#define BAR_W 320        /* px of the longest bar */
#define ROW_H 22
#define LABEL_CHARS 30   /* characters of a label drawn; the rest is cut */

/*
 * Colours by class, set by the page's style sheet (htmlout.c), so that a
 * country's thousands of bars do not each repeat them: b a bar, e a bar
 * emphasised, k the target mark, m muted text; other text is dark.
 */
#define C_BAR "#4a7fb5"
#define C_BAR_EM "#1d4f80"

/* Position of v on a 0..max scale of len px, in tenths of a px, clamped. */
static long long scale10(long long v, long long max, long long len)
{
	if (max <= 0 || v <= 0)
		return 0;
	if (v >= max)
		return len * 10;
	return (v * len * 10 + max / 2) / max;
}

/* Append tenths of a px as "12.3". */
static int px(struct hx_buf *b, long long tenths)
{
	return hx_buf_printf(b, "%lld.%lld", tenths / 10, tenths % 10);
}

static int open_svg(struct hx_buf *b, const char *title, int height)
{
	if (hx_buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" "
	                     "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\">"
	                     "<title>", WIDTH, height, WIDTH, height) < 0 ||
	    report_html_escape(b, title) < 0)
		return -1;
	return hx_buf_puts(b, "</title>");
}

/* The largest value or mark of bars (hundredths), at least 1. */
static long long largest(const struct svg_bar *bars, size_t n)
{
	long long m = 1;
	size_t i;

	for (i = 0; i < n; i++) {
		if (bars[i].have && bars[i].value > m)
			m = bars[i].value;
		if (bars[i].has_mark && bars[i].mark > m)
			m = bars[i].mark;
	}
	return m;
}

/* A label at (x, y) right-aligned, cut to LABEL_CHARS, with the whole text as a tooltip. */
static int label_text(struct hx_buf *b, int x, int y, const char *label)
{
	if (hx_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", x, y) < 0 ||
	    report_html_escape_cut(b, label, LABEL_CHARS) < 0)
		return -1;
	if (report_utf8_len(label) > LABEL_CHARS &&
	    (hx_buf_puts(b, "<title>") < 0 || report_html_escape(b, label) < 0 ||
	     hx_buf_puts(b, "</title>") < 0))
		return -1;
	return hx_buf_puts(b, "</text>");
}

int svg_hbars(struct hx_buf *b, const char *title, const struct svg_bar *bars, size_t n,
              long long max)
{
	int height = (int)n * ROW_H + 8;
	size_t i;

	if (max <= 0)
		max = largest(bars, n);
	if (open_svg(b, title, height) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		const struct svg_bar *r = &bars[i];
		int y = 4 + (int)i * ROW_H;
		long long w = r->have ? scale10(r->value, max, BAR_W) : 0;

		if (label_text(b, LABEL_W - 8, y + 15, r->label) < 0)
			return -1;
		if (r->have) {
			if (hx_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"", LABEL_W, y + 3) < 0 ||
			    px(b, w) < 0 ||
			    hx_buf_printf(b, "\" height=\"%d\" class=\"%s\"/>", ROW_H - 6,
			                  r->emphasis ? "e" : "b") < 0)
				return -1;
		}
		if (r->has_mark) {
			long long m = LABEL_W * 10 + scale10(r->mark, max, BAR_W);

			if (hx_buf_puts(b, "<line x1=\"") < 0 || px(b, m) < 0 ||
			    hx_buf_printf(b, "\" y1=\"%d\" x2=\"", y) < 0 || px(b, m) < 0 ||
			    hx_buf_printf(b, "\" y2=\"%d\" class=\"k\"/>", y + ROW_H) < 0)
				return -1;
		}
		if (hx_buf_puts(b, "<text x=\"") < 0 || px(b, LABEL_W * 10 + w + 60) < 0 ||
		    hx_buf_printf(b, "\" y=\"%d\"%s>", y + 15, r->have ? "" : " class=\"m\"") < 0 ||
		    report_html_escape(b, r->text != NULL ? r->text : "") < 0 ||
		    hx_buf_puts(b, "</text>") < 0)
			return -1;
	}
	return hx_buf_puts(b, "</svg>");
}

int svg_columns(struct hx_buf *b, const char *title, const struct svg_bar *bars, size_t n)
{
	const int height = 200, top = 24, base = 170;
	long long max = largest(bars, n), slot, colw;
	size_t i;

	if (n == 0)
		return 0;
	slot = (long long)(WIDTH - 20) * 10 / (long long)n;  /* tenths of a px per column */
	colw = slot * 6 / 10 > 600 ? 600 : slot * 6 / 10;
	if (open_svg(b, title, height) < 0)
		return -1;
	if (hx_buf_printf(b, "<line x1=\"10\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"a\"/>",
	                  base, WIDTH - 10, base) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		const struct svg_bar *r = &bars[i];
		long long h = r->have ? scale10(r->value, max, base - top) : 0;
		long long cx = 100 + slot * (long long)i + slot / 2; /* centre, tenths */

		if (r->have && (hx_buf_puts(b, "<rect x=\"") < 0 || px(b, cx - colw / 2) < 0 ||
		                hx_buf_puts(b, "\" y=\"") < 0 || px(b, base * 10 - h) < 0 ||
		                hx_buf_puts(b, "\" width=\"") < 0 || px(b, colw) < 0 ||
		                hx_buf_puts(b, "\" height=\"") < 0 || px(b, h) < 0 ||
		                hx_buf_printf(b, "\" class=\"%s\"/>", r->emphasis ? "e" : "b") < 0))
			return -1;
		if (hx_buf_puts(b, "<text x=\"") < 0 || px(b, cx) < 0 || hx_buf_puts(b, "\" y=\"") < 0 ||
		    px(b, base * 10 - h - 60) < 0 ||
		    hx_buf_printf(b, "\" text-anchor=\"middle\"%s>", r->have ? "" : " class=\"m\"") < 0 ||
		    report_html_escape(b, r->text != NULL ? r->text : "") < 0 ||
		    hx_buf_puts(b, "</text><text x=\"") < 0 || px(b, cx) < 0 ||
		    hx_buf_printf(b, "\" y=\"%d\" text-anchor=\"middle\">", base + 18) < 0 ||
		    report_html_escape_cut(b, r->label, 12) < 0 || hx_buf_puts(b, "</text>") < 0)
			return -1;
	}
	return hx_buf_puts(b, "</svg>");
}

int svg_change(struct hx_buf *b, const char *title, const struct svg_bar *bars, size_t n,
               long long max, const char *label_a, const char *label_b)
{
	int height = (int)n * ROW_H + 30;
	size_t i;

	if (max <= 0)
		max = largest(bars, n);
	if (open_svg(b, title, height) < 0)
		return -1;
	/* A legend: a hollow dot is year A, a filled one year B. */
	if (hx_buf_printf(b, "<circle cx=\"%d\" cy=\"10\" r=\"5\" fill=\"#fff\" stroke=\"" C_BAR_EM
	                     "\" stroke-width=\"2\"/><text x=\"%d\" y=\"14\">",
	                  LABEL_W + 6, LABEL_W + 16) < 0 ||
	    report_html_escape(b, label_a) < 0 ||
	    hx_buf_printf(b, "</text><circle cx=\"%d\" cy=\"10\" r=\"5\" fill=\"" C_BAR_EM "\"/>"
	                     "<text x=\"%d\" y=\"14\">",
	                  LABEL_W + 96, LABEL_W + 106) < 0 ||
	    report_html_escape(b, label_b) < 0 || hx_buf_puts(b, "</text>") < 0)
		return -1;
	for (i = 0; i < n; i++) {
		const struct svg_bar *r = &bars[i];
		int y = 26 + (int)i * ROW_H, cy = y + 11;
		long long xa = LABEL_W * 10 + scale10(r->mark, max, BAR_W);
		long long xb = LABEL_W * 10 + scale10(r->value, max, BAR_W);

		if (label_text(b, LABEL_W - 8, y + 15, r->label) < 0)
			return -1;
		if (r->has_mark && r->have &&
		    (hx_buf_puts(b, "<line x1=\"") < 0 || px(b, xa) < 0 ||
		     hx_buf_printf(b, "\" y1=\"%d\" x2=\"", cy) < 0 || px(b, xb) < 0 ||
		     hx_buf_printf(b, "\" y2=\"%d\" stroke=\"" C_BAR "\" stroke-width=\"3\"/>", cy) < 0))
			return -1;
		if (r->has_mark &&
		    (hx_buf_puts(b, "<circle cx=\"") < 0 || px(b, xa) < 0 ||
		     hx_buf_printf(b, "\" cy=\"%d\" r=\"5\" fill=\"#fff\" stroke=\"" C_BAR_EM
		                      "\" stroke-width=\"2\"/>", cy) < 0))
			return -1;
		if (r->have && (hx_buf_puts(b, "<circle cx=\"") < 0 || px(b, xb) < 0 ||
		                hx_buf_printf(b, "\" cy=\"%d\" r=\"5\" fill=\"" C_BAR_EM "\"/>", cy) < 0))
			return -1;
		if (hx_buf_printf(b, "<text x=\"%d\" y=\"%d\">", LABEL_W + BAR_W + 14, y + 15) < 0 ||
		    report_html_escape(b, r->text != NULL ? r->text : "") < 0 ||
		    hx_buf_puts(b, "</text>") < 0)
			return -1;
	}
	return hx_buf_puts(b, "</svg>");
}
