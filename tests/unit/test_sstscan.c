/*
 * test_sstscan.c — the .xlsx reader's scanner of sharedStrings.xml
 * (hx_scan_sst_head, hx_scan_si in common/sheetscan.h) against expat's
 * reading of the same part.
 *
 * Every shared-strings part of the table is put in a workbook whose sheet
 * uses each string in a row of its own, read twice — as the reader does it
 * and with HX_XLSX_EXPAT_ONLY — and the two transcripts must be equal, hold
 * the strings the case expects, and the scanner must have read the part
 * (or left it to expat, as the case says).  The scanner is also driven
 * alone over each part split in two at every byte, as the reader's window
 * may split it: the strings must be the same wherever the split falls.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "buf.h"
#include "i18n.h"
#include "lengthof.h"
#include "sheetscan.h"
#include "xlsx.h"

#define NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define SST(items) DECL "<sst xmlns=\"" NS "\" count=\"9\" uniqueCount=\"9\">" items "</sst>"

static const char rels[] =
	"<Relationships><Relationship Id=\"rId1\" Type=\"x/officeDocument\" "
	"Target=\"xl/workbook.xml\"/></Relationships>";
static const char workbook[] =
	"<workbook><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char wb_rels[] =
	"<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" "
	"Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId3\" Type=\"x/sharedStrings\" "
	"Target=\"sharedStrings.xml\"/></Relationships>";

/*
 * A workbook (deflated) of sst and a sheet whose row i is string i-1 and
 * the number i (no strings: one row of an inline string "h").
 */
static void *book(const char *sst, size_t nsst, size_t count, size_t *len)
{
	struct hx_buf sheet;
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	zip_stat_t st;
	void *out;

	hx_buf_init(&sheet, (size_t)64 << 20);
	hx_buf_puts(&sheet, "<worksheet><sheetData>");
	for (size_t i = 1; i <= count; i++)
		hx_buf_printf(&sheet, "<row r=\"%zu\"><c r=\"A%zu\" t=\"s\"><v>%zu</v></c><c r=\"B%zu\">"
		              "<v>%zu</v></c></row>", i, i, i - 1, i, i);
	if (count == 0)
		hx_buf_puts(&sheet, "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>h</t></is></c>"
		            "<c r=\"B1\"><v>1</v></c></row>");
	hx_buf_puts(&sheet, "</sheetData></worksheet>");
	{
		const struct {
			const char *name, *data;
			size_t n;
		} parts[] = {
			{"_rels/.rels", rels, sizeof rels - 1},
			{"xl/workbook.xml", workbook, sizeof workbook - 1},
			{"xl/_rels/workbook.xml.rels", wb_rels, sizeof wb_rels - 1},
			{"xl/sharedStrings.xml", sst, nsst},
			{"xl/worksheets/sheet1.xml", hx_buf_str(&sheet), sheet.len},
		};

		zip_error_init(&ze);
		src = zip_source_buffer_create(NULL, 0, 0, &ze);
		cr_assert(src != NULL);
		za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
		cr_assert(za != NULL);
		zip_error_fini(&ze);
		zip_source_keep(src);
		for (size_t i = 0; i < lengthof(parts); i++) {
			zip_source_t *s = zip_source_buffer(za, parts[i].data, parts[i].n, 0);

			cr_assert(zip_file_add(za, parts[i].name, s, 0) >= 0);
		}
		cr_assert(zip_close(za) == 0);
	}
	hx_buf_free(&sheet);
	cr_assert(zip_source_stat(src, &st) == 0 && zip_source_open(src) == 0);
	out = malloc(st.size);
	cr_assert(zip_source_read(src, out, st.size) == (zip_int64_t)st.size);
	zip_source_close(src);
	zip_source_free(src);
	*len = st.size;
	return out;
}

/*
 * What the reader gives: the strings of column A joined by '|' (a row's
 * cut flag as '~' after it), then "end" and the last word's message.
 * *scanned, *why: what hx_xlsx_sst_scanned says.
 */
static void transcript(const void *data, size_t len, unsigned flags, size_t max_field,
                       struct hx_buf *out, int *scanned, const char **why)
{
	struct hx_sheet_options o = {.max_field = max_field};
	struct hx_error err;
	struct hx_row row;
	struct hx_xlsx *x = hx_xlsx_open_flags(NULL, data, len, &o, flags, &err);
	int rc;

	hx_buf_init(out, (size_t)64 << 20);
	*scanned = 0;
	*why = NULL;
	if (x == NULL) {
		hx_buf_printf(out, "open: %s", err.msg);
		return;
	}
	while ((rc = hx_xlsx_next(x, &row, &err)) == 1) {
		cr_assert(row.nfields == 2);
		hx_buf_printf(out, "%s%s|", row.fields[0], row.too_long_field ? "~" : "");
	}
	hx_buf_printf(out, "end %d %s", rc, rc < 0 ? err.msg : "");
	*scanned = hx_xlsx_sst_scanned(x, why);
	hx_xlsx_close(x);
}

struct sst_case {
	const char *name;
	const char *sst;
	size_t count;          /* strings the sheet uses */
	int fast;              /* 1: the scanner reads the part; 0: it is left to expat */
	const char *want;      /* the transcript (its start when it ends with an error) */
	size_t max_field;
};

static const struct sst_case cases[] = {
	{"plain, as Excel writes it",
	 SST("<si><t>Nguyễn Văn An</t></si><si><t>Thôn 1</t></si>"), 2, 1,
	 "Nguyễn Văn An|Thôn 1|end 0 ", 0},
	{"xml:space=\"preserve\", trimmed as expat's are",
	 SST("<si><t xml:space=\"preserve\">  Trần  Thị Bình </t></si><si><t> x</t></si>"), 2, 1,
	 "Trần  Thị Bình|x|end 0 ", 0},
	{"rich text runs, their properties skipped",
	 SST("<si><r><t>Lê </t></r><r><rPr><b/><sz val=\"11\"/><color rgb=\"FFFF0000\"/>"
	     "<rFont val=\"Calibri\"/><family val=\"2\"/><scheme val=\"minor\"/></rPr>"
	     "<t xml:space=\"preserve\">Văn </t></r><r><rPr><i/></rPr><t>Cường</t></r></si>"
	     "<si><t>Hộ </t><r><t>2</t></r></si>"),
	 2, 1, "Lê Văn Cường|Hộ 2|end 0 ", 0},
	{"phonetic runs and their properties skipped",
	 SST("<si><t>東京</t><rPh sb=\"0\" eb=\"2\"><t>トウキョウ</t></rPh>"
	     "<phoneticPr fontId=\"1\" type=\"noConversion\"/></si><si><r><t>大</t></r>"
	     "<rPh sb=\"0\" eb=\"1\"><t/></rPh></si>"),
	 2, 1, "東京|大|end 0 ", 0},
	{"entities and character references",
	 SST("<si><t>A &amp; B &lt;C&gt; &quot;D&quot; &apos;E&apos;</t></si>"
	     "<si><t>&#7889;&#x1EA1;&#x41;&#9;|]]&gt;</t></si>"),
	 2, 1, "A & B <C> \"D\" 'E'|ốạA\t|]]>|end 0 ", 0},
	{"empty strings",
	 SST("<si/><si><t/></si><si><t></t></si><si></si><si><t>  </t></si><si><t>z</t></si>"), 6, 1,
	 "|||||z|end 0 ", 0},
	{"normalised to NFC",
	 SST("<si><t>Vie\xCC\x82\xCC\xA3t</t></si>"), 1, 1, "Việt|end 0 ", 0},
	{"cut at the field cap, on a character",
	 SST("<si><t>Nguyễn Văn An</t></si><si><r><t>abc</t></r><r><t>ễfgh</t></r></si>"
	     "<si><t>12345678</t></si>"),
	 3, 1, "Nguyễn~|abcễfg~|12345678|end 0 ", 8},
	{"namespace prefixes, no declaration",
	 "<x:sst xmlns:x=\"" NS "\"><x:si><x:t>a</x:t></x:si><x:si><x:r><x:rPr><x:b/></x:rPr>"
	 "<x:t>b</x:t></x:r></x:si></x:sst>",
	 2, 1, "a|b|end 0 ", 0},
	{"single quotes, whitespace in tags and after the root",
	 "<?xml version='1.0' encoding='utf-8'?>\r\n<sst \n count='1'\t>\n <si >\n <t a='1' >a</t >"
	 "\n</si >\n</sst >\n\n",
	 1, 1, "a|end 0 ", 0},
	{"tab and line feed in text",
	 SST("<si><t>a\tb\nc</t></si>"), 1, 1, "a\tb\nc|end 0 ", 0},
	{"an empty root",
	 DECL "<sst/>", 0, 1, "h|end 0 ", 0},
	/* left to expat */
	{"CDATA", SST("<si><t>x</t></si><si><t><![CDATA[a<b]]></t></si>"), 2, 0,
	 "x|a<b|end 0 ", 0},
	{"a comment", SST("<si><t>x</t></si><!-- a comment --><si><t>a</t></si>"), 2, 0,
	 "x|a|end 0 ", 0},
	{"a comment in text", SST("<si><t>x<!-- c -->y</t></si>"), 1, 0, "xy|end 0 ", 0},
	{"a DOCTYPE",
	 "<?xml version=\"1.0\"?><!DOCTYPE sst><sst><si><t>a</t></si></sst>", 1, 0,
	 "open: workbook part xl/sharedStrings.xml declares a DTD", 0},
	{"a processing instruction", SST("<si><t>a</t></si><?pi x?>"), 1, 0, "a|end 0 ", 0},
	{"a comment after the root", SST("<si><t>a</t></si>") "<!-- end -->", 1, 0, "a|end 0 ", 0},
	{"a carriage return in text", SST("<si><t>a\r\nb</t></si>"), 1, 0, "a\nb|end 0 ", 0},
	{"an element the scanner does not know",
	 SST("<si><t>a</t></si><si><t>b</t><extLst/></si>"), 2, 0, "a|b|end 0 ", 0},
	{"text between a string's elements", SST("<si>x<t>a</t></si>"), 1, 0, "a|end 0 ", 0},
	{"another encoding",
	 "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><sst><si><t>\xE9</t></si></sst>", 1, 0,
	 "é|end 0 ", 0},
	{"a byte order mark", "\xEF\xBB\xBF<sst><si><t>a</t></si></sst>", 1, 0, "a|end 0 ", 0},
	/* broken: expat's message */
	{"an end tag of another element", SST("<si><t>a</t></si><si><t>b</t></x>"), 2, 0,
	 "open: workbook part xl/sharedStrings.xml is not well-formed XML (line 2): mismatched tag",
	 0},
	{"an entity XML does not predefine", SST("<si><t>a&nbsp;</t></si>"), 1, 0,
	 "open: workbook part xl/sharedStrings.xml is not well-formed XML (line 2): undefined entity",
	 0},
	{"an attribute given twice", SST("<si><t a=\"1\" a=\"2\">a</t></si>"), 1, 0,
	 "open: workbook part xl/sharedStrings.xml is not well-formed XML (line 2): duplicate "
	 "attribute", 0},
	{"cut short", SST("<si><t>a</t></si><si><t>b"), 2, 0,
	 "open: workbook part xl/sharedStrings.xml is not well-formed XML", 0},
	{"a byte that is not UTF-8", SST("<si><t>\xC0\x80</t></si>"), 1, 0,
	 "open: workbook part xl/sharedStrings.xml is not well-formed XML", 0},
};

static void setup(void)
{
	hx_i18n_init("en");
}

TestSuite(sstscan, .init = setup);

/* Read sst both ways; expect equal transcripts and c's.  The reader's transcript (free it). */
static char *differ(const char *name, const char *sst, size_t n, size_t count, size_t max_field,
                    int fast)
{
	struct hx_buf got, slow;
	int scanned, scanned_slow;
	const char *why, *why_slow;
	size_t len;
	void *data = book(sst, n, count, &len);
	char *out;

	transcript(data, len, 0, max_field, &got, &scanned, &why);
	transcript(data, len, HX_XLSX_EXPAT_ONLY, max_field, &slow, &scanned_slow, &why_slow);
	free(data);
	cr_expect(strcmp(hx_buf_str(&got), hx_buf_str(&slow)) == 0,
	          "%s: the reader gives\n  %.300s\nexpat alone:\n  %.300s", name, hx_buf_str(&got),
	          hx_buf_str(&slow));
	cr_expect(scanned_slow == 0 && why_slow == NULL, "%s: expat alone scanned", name);
	if (fast)
		cr_expect(scanned == 1 && why == NULL, "%s: left to expat (%s)", name,
		          why != NULL ? why : "no reason");
	else
		cr_expect(scanned == 0 && (why != NULL || strncmp(hx_buf_str(&got), "open:", 5) == 0),
		          "%s: the scanner read it", name);
	out = strdup(hx_buf_str(&got));
	hx_buf_free(&got);
	hx_buf_free(&slow);
	return out;
}

Test(sstscan, same_strings_as_expat)
{
	for (size_t i = 0; i < lengthof(cases); i++) {
		const struct sst_case *c = &cases[i];
		char *got = differ(c->name, c->sst, strlen(c->sst), c->count, c->max_field, c->fast);

		cr_expect(strncmp(got, c->want, strlen(c->want)) == 0, "%s: got\n  %s\nwanted\n  %s",
		          c->name, got, c->want);
		free(got);
	}
}

/*
 * The scanner alone over xml, its first k bytes given first and the rest
 * when it asks for more, as the reader's window may cut the part: the
 * strings joined by '|' into out.  1 read to the end, 0 gave up.
 */
static int scan_split(struct hx_scan *sc, const char *xml, size_t k, struct hx_buf *out)
{
	size_t n = strlen(xml), avail = k, pos = 0;
	char *buf = malloc(n + 1);
	int state = 0, ok = 0;

	hx_buf_reset(out);
	for (;;) {
		enum hx_scan_status st;
		size_t used = 0, len = 0;

		/* the window: what is given so far, after what was read, with its NUL */
		memcpy(buf, xml + pos, avail - pos);
		buf[avail - pos] = '\0';
		if (state == 0)
			st = hx_scan_sst_head(sc, buf, avail - pos, &used);
		else
			st = hx_scan_si(sc, buf, avail - pos, &used, &len);
		if (st == HX_SCAN_GIVE_UP)
			break;
		if (st == HX_SCAN_MORE) {
			if (avail == n)
				break;
			avail = n;
			continue;
		}
		pos += used;
		if (st == HX_SCAN_END || (state == 0 && sc->root_empty)) {
			ok = 1;
			break;
		}
		if (state == 1) {
			cr_assert(sc->v[len] == '\0');
			hx_buf_append(out, sc->v, len);
			hx_buf_putc(out, '|');
		}
		state = 1;
	}
	free(buf);
	return ok;
}

Test(sstscan, split_at_every_byte)
{
	static const char *const parts[] = {
		SST("<si><t>Nguyễn &amp; Văn&#x20;An</t></si><si><r><rPr><b/><sz val=\"11\"/></rPr>"
		    "<t xml:space=\"preserve\">Lê </t></r><r><t>Cường</t></r></si><si/><si><t/></si>"
		    "<si><t>東京</t><rPh sb=\"0\" eb=\"2\"><t>トウキョウ</t></rPh><phoneticPr fontId=\"1\"/>"
		    "</si>"),
		"<?xml version='1.0'?><x:sst xmlns:x='" NS "'><x:si><x:t>]]&gt;&#7889;</x:t></x:si>"
		"</x:sst>",
	};
	static const char *const want[] = {
		"Nguyễn & Văn An|Lê Cường|||東京|", "]]>ố|",
	};
	struct hx_scan sc;
	struct hx_buf whole, got;

	hx_scan_init(&sc, 4096);
	hx_buf_init(&whole, 1 << 16);
	hx_buf_init(&got, 1 << 16);
	for (size_t i = 0; i < lengthof(parts); i++) {
		size_t n = strlen(parts[i]);

		cr_assert(scan_split(&sc, parts[i], n, &whole) == 1, "part %zu: gave up: %s", i,
		          hx_scan_why(&sc));
		cr_expect(strcmp(hx_buf_str(&whole), want[i]) == 0, "part %zu: %s", i, hx_buf_str(&whole));
		for (size_t k = 0; k < n; k++) {
			cr_assert(scan_split(&sc, parts[i], k, &got) == 1, "part %zu cut at %zu: gave up: %s",
			          i, k, hx_scan_why(&sc));
			cr_expect(strcmp(hx_buf_str(&got), hx_buf_str(&whole)) == 0,
			          "part %zu cut at %zu: %s", i, k, hx_buf_str(&got));
		}
	}
	hx_buf_free(&whole);
	hx_buf_free(&got);
	hx_scan_free(&sc);
}

/* What the scanner leaves to expat, alone, whatever the split (the reader then reads the part again). */
Test(sstscan, gives_up)
{
	static const struct {
		const char *xml, *why;
	} bad[] = {
		{SST("<si><t><![CDATA[a]]></t></si>"), "CDATA"},
		{SST("<!-- c --><si><t>a</t></si>"), "comment"},
		{"<?xml version=\"1.0\"?><!DOCTYPE sst><sst/>", "comment or CDATA"},
		{SST("<?pi?><si><t>a</t></si>"), "processing instruction"},
		{SST("<si><t>a</t><extLst/></si>"), "does not know"},
		{SST("<si><rPr/></si>"), "does not know"},
		{SST("<si><r><rPr><b>1</b></rPr><t>a</t></r></si>"), "not empty"},
		{SST("<foo/>"), "other than <si>"},
		{"<?xml version=\"1.0\" encoding=\"UTF-16\"?><sst/>", "declaration"},
		{"<?xml version=\"1.1\"?><sst/>", "declaration"},
		{"<?xml encoding=\"UTF-8\"?><sst/>", "declaration"},
		{"<workbook/>", "root other than <sst>"},
	};
	struct hx_scan sc;
	struct hx_buf got;

	hx_scan_init(&sc, 4096);
	hx_buf_init(&got, 1 << 16);
	for (size_t i = 0; i < lengthof(bad); i++) {
		size_t n = strlen(bad[i].xml);

		for (size_t k = 0; k <= n; k++) {
			cr_expect(scan_split(&sc, bad[i].xml, k, &got) == 0, "%s cut at %zu: read",
			          bad[i].xml, k);
			cr_expect(strstr(hx_scan_why(&sc), bad[i].why) != NULL, "%s cut at %zu: %s",
			          bad[i].xml, k, hx_scan_why(&sc));
		}
	}
	hx_buf_free(&got);
	hx_scan_free(&sc);
}

/*
 * A part larger than the scanner's window (the reader inflates it 64 KiB
 * at a time into 256 KiB), its strings of every length from 0 to 97 bytes
 * so that they fall across the reads at every offset, some as rich text;
 * then the same with one string longer than the window, which the scanner
 * leaves to expat.
 */
Test(sstscan, large_part)
{
	for (int longer = 0; longer <= 1; longer++) {
		struct hx_buf sst;
		const size_t count = 12000;
		char *got;

		hx_buf_init(&sst, (size_t)8 << 20);
		hx_buf_puts(&sst, DECL "<sst xmlns=\"" NS "\">");
		for (size_t i = 0; i < count; i++) {
			size_t len = i % 98;

			if (longer && i == count / 2)
				len = 300 * 1024;
			if (i % 7 == 3)
				hx_buf_printf(&sst, "<si><r><rPr><b/></rPr><t>Hộ %zu </t></r><r><t>", i);
			else
				hx_buf_printf(&sst, "<si><t xml:space=\"preserve\">Hộ %zu &amp; ", i);
			for (size_t k = 0; k < len; k++)
				hx_buf_putc(&sst, (char)('a' + (i + k) % 26));
			hx_buf_puts(&sst, i % 7 == 3 ? "</t></r></si>" : "</t></si>");
		}
		hx_buf_puts(&sst, "</sst>");
		cr_assert(sst.len > (size_t)600 * 1024);
		got = differ(longer ? "a string longer than the window" : "a large part", hx_buf_str(&sst),
		             sst.len, count, 0, !longer);
		cr_expect(strstr(got, "Hộ 0 &|Hộ 1 & b|Hộ 2 & cd|Hộ 3 def|Hộ 4 & efgh|") != NULL,
		          "%.200s", got);
		free(got);
		hx_buf_free(&sst);
	}
}
