/*
 * test_sheetscan.c — the .xlsx reader's row scanner (common/sheetscan.h)
 * against expat's reading of the same sheets.
 *
 * The scanner is a fast path that must never change what the reader
 * gives: every sheet in the table is read twice, by the reader as it is
 * (expat up to <sheetData>, the scanner for the rows, expat again after)
 * and with HX_XLSX_EXPAT_ONLY, and the two transcripts — rows, cells,
 * types, positions, flags, the last word and its message — must be equal.
 * The table holds what spreadsheet programs write and odd but valid XML
 * (attributes in any order and quote, entities and character references,
 * whitespace, namespace prefixes, shared formulas), what the scanner
 * leaves to expat (CDATA, comments, rich text, a carriage return, another
 * encoding), and broken sheets, whose messages must be expat's.  Each case
 * also says whether the scanner read its rows, so a fast path that quietly
 * stopped being taken fails here too.
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
#define SHEET(rows) "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>" \
	"<worksheet xmlns=\"" NS "\"><dimension ref=\"A1:D9\"/><sheetData>" rows \
	"</sheetData></worksheet>"

static const char rels[] =
	"<Relationships><Relationship Id=\"rId1\" Type=\"x/officeDocument\" "
	"Target=\"xl/workbook.xml\"/></Relationships>";
static const char workbook[] =
	"<workbook><sheets><sheet name=\"Báo cáo\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char wb_rels[] =
	"<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" "
	"Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"x/styles\" "
	"Target=\"styles.xml\"/><Relationship Id=\"rId3\" Type=\"x/sharedStrings\" "
	"Target=\"sharedStrings.xml\"/></Relationships>";
/* styles: 0 General, 1 a date, 2 a percentage */
static const char styles[] =
	"<styleSheet><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"10\"/>"
	"</cellXfs></styleSheet>";
/* shared strings: 0 Năm, 1 Mã đơn vị, 2 "A & B", 3 Thôn 1 */
static const char sst[] =
	"<sst xmlns=\"" NS "\"><si><t>Năm</t></si><si><t>Mã đơn vị</t></si>"
	"<si><t>A &amp; B</t></si><si><t>Thôn 1</t></si></sst>";

/* A workbook (deflated, as spreadsheet programs write it) around sheet: malloc'd, *len its size. */
static void *book(const char *sheet, size_t nsheet, size_t *len)
{
	const struct {
		const char *name, *data;
		size_t n;
	} parts[] = {
		{"_rels/.rels", rels, sizeof rels - 1},
		{"xl/workbook.xml", workbook, sizeof workbook - 1},
		{"xl/_rels/workbook.xml.rels", wb_rels, sizeof wb_rels - 1},
		{"xl/styles.xml", styles, sizeof styles - 1},
		{"xl/sharedStrings.xml", sst, sizeof sst - 1},
		{"xl/worksheets/sheet1.xml", sheet, nsheet},
	};
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	zip_stat_t st;
	void *out;

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
	cr_assert(zip_source_stat(src, &st) == 0 && zip_source_open(src) == 0);
	out = malloc(st.size);
	cr_assert(zip_source_read(src, out, st.size) == (zip_int64_t)st.size);
	zip_source_close(src);
	zip_source_free(src);
	*len = st.size;
	return out;
}

/*
 * Everything the reader gives for the workbook: each row (its place, its
 * cells with their types, its flags), then how it ended.  *scanned and *why
 * say what the scanner did.
 */
static void transcript(const void *data, size_t len, unsigned flags, size_t max_field,
                       struct hx_buf *out, size_t *scanned, const char **why)
{
	static const char tc[] = "TNPDBE";
	struct hx_sheet_options o = {.max_field = max_field};
	struct hx_error err;
	struct hx_row row;
	struct hx_xlsx *x = hx_xlsx_open_flags(NULL, data, len, &o, flags, &err);
	int rc;

	hx_buf_init(out, (size_t)64 << 20);
	*scanned = 0;
	*why = NULL;
	if (x == NULL) {
		hx_buf_printf(out, "open: %d %s\n", err.code, err.msg);
		return;
	}
	while ((rc = hx_xlsx_next(x, &row, &err)) == 1) {
		hx_buf_printf(out, "%s %ld-%ld long=%zu many=%d:", row.sheet, row.line, row.last_line,
		              row.too_long_field, row.too_many_fields);
		for (size_t i = 0; i < row.nfields; i++) {
			cr_assert(row.fields[i][row.lens[i]] == '\0');
			hx_buf_printf(out, " [%s]%c", row.fields[i], tc[hx_row_type(&row, i)]);
		}
		hx_buf_putc(out, '\n');
	}
	hx_buf_printf(out, "end %d %s\n", rc, rc < 0 ? err.msg : "");
	*scanned = hx_xlsx_scanned_rows(x, why);
	hx_xlsx_close(x);
}

enum scan_expect {
	SCANNED,      /* the scanner read every row */
	LEFT,         /* the scanner left the sheet, or part of it, to expat (why: a substring) */
	EITHER        /* a broken sheet: only the transcripts' equality matters */
};

struct diff_case {
	const char *name;
	const char *sheet;
	enum scan_expect expect;
	const char *why;        /* LEFT: what hx_xlsx_scanned_rows says */
	const char *golden;     /* a piece of the transcript, so the case checks values too */
	size_t max_field;
};

static const struct diff_case diff_cases[] = {
	{"as Excel writes it",
	 SHEET("<row r=\"1\" spans=\"1:4\" x14ac:dyDescent=\"0.25\"><c r=\"A1\" s=\"0\" t=\"s\"><v>0</v>"
	       "</c><c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"inlineStr\"><is><t>Ngày</t></is>"
	       "</c><c r=\"D1\" t=\"s\"><v>3</v></c></row>"
	       "<row r=\"2\"><c r=\"A2\"><v>2019</v></c><c r=\"B2\"><v>22915</v></c>"
	       "<c r=\"C2\" s=\"1\"><v>43831</v></c><c r=\"D2\" s=\"2\"><v>0.3728</v></c></row>"
	       "<row r=\"3\"><c r=\"A3\"><f>A2+0</f><v>2019</v></c><c r=\"B3\"><f>B2*2</f></c>"
	       "<c r=\"C3\" t=\"b\"><v>1</v></c><c r=\"D3\" t=\"e\"><v>#DIV/0!</v></c></row>"),
	 SCANNED, NULL, "[=B2*2]E", 0},
	{"as LibreOffice writes it",
	 SHEET("<row r=\"1\" customFormat=\"false\" ht=\"12.8\" hidden=\"false\" customHeight=\"false\" "
	       "outlineLevel=\"0\" collapsed=\"false\"><c r=\"A1\" s=\"0\" t=\"s\"><v>0</v></c>"
	       "<c r=\"B1\" s=\"0\" t=\"n\"><v>7105</v></c><c r=\"C1\" s=\"0\" t=\"str\"><f>C2&amp;\"x\""
	       "</f><v>Thôn 2x</v></c></row>"),
	 SCANNED, NULL, "[Thôn 2x]T", 0},
	{"attributes in another order, single quotes",
	 SHEET("<row spans='1:2' r='4'><c t='s' s=\"0\" r='A4'><v>2</v></c><c s='1' r='B4'>"
	       "<v>43831.5</v></c></row>"),
	 SCANNED, NULL, "[A & B]T [2020-01-01T12:00:00]D", 0},
	{"entities and character references",
	 SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>A &amp; B &lt;C&gt; &quot;x&quot; "
	       "&apos;y&apos; &#x1EA1;&#7841;&#x0041;&#9;|</t></is></c><c r=\"B1\">"
	       "<f>IF(A1&lt;&gt;\"\",1,0)</f></c><c r=\"C1\" t=\"inlineStr\"><is><t>]]&gt;]x]</t></is>"
	       "</c></row>"),
	 SCANNED, NULL, "[A & B <C> \"x\" 'y' ạạA\t|]T [=IF(A1<>\"\",1,0)]E []]>]x]]T", 0},
	{"whitespace between elements and in tags",
	 SHEET("\n  <row r=\"1\" >\n\t<c r=\"A1\"\tt=\"s\" ><v>0</v></c >\r\n  <c r = \"B1\" t= 's'>"
	       " <v>1</v> </c></row >\r\n<row\nr=\"2\"><c r=\"A2\"><v> 12 </v></c></row>\n"),
	 SCANNED, NULL, "[ 12 ]E", 0},
	{"namespace prefixes",
	 "<x:worksheet xmlns:x=\"" NS "\"><x:sheetData><x:row r=\"1\"><x:c r=\"A1\" t=\"s\">"
	 "<x:v>0</x:v></x:c><x:c r=\"B1\" t=\"inlineStr\"><x:is><x:t>y</x:t></x:is></x:c></x:row>"
	 "</x:sheetData></x:worksheet>",
	 SCANNED, NULL, "[Năm]T [y]T", 0},
	{"inline strings with xml:space, empty and NFC",
	 SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t xml:space=\"preserve\">  Thôn 3  </t>"
	       "</is></c><c r=\"B1\" t=\"inlineStr\"><is/></c><c r=\"C1\" t=\"inlineStr\"><is><t/>"
	       "</is></c><c r=\"D1\" t=\"inlineStr\"><is><t>Vie\xCC\x82\xCC\xA3t</t></is></c></row>"),
	 SCANNED, NULL, "[Thôn 3]T []T []T [Việt]T", 0},
	{"shared formulas, empty values, styled empty cells",
	 SHEET("<row r=\"2\"><c r=\"A2\"><v>2</v></c><c r=\"B2\"><f t=\"shared\" ref=\"B2:B3\" si=\"0\">"
	       "A2*2</f><v>4</v></c><c r=\"C2\" s=\"1\"/><c r=\"D2\"><v/></c></row>"
	       "<row r=\"3\"><c r=\"A3\"><v>3</v></c><c r=\"B3\"><f t=\"shared\" si=\"0\"/><v>6</v></c>"
	       "</row><row r=\"5\"/>"),
	 SCANNED, NULL, "[6]N", 0},
	{"rows and cells without r",
	 SHEET("<row><c t=\"s\"><v>0</v></c><c><v>1</v></c></row><row><c/><c><v>2</v></c></row>"
	       "<row r=\"7\"><c r=\"C7\"><v>3</v></c><c><v>4</v></c></row>"),
	 SCANNED, NULL, "Báo cáo 7-7 long=0 many=0: []T []T [3]N [4]N", 0},
	{"numbers as a sheet may hold them",
	 SHEET("<row r=\"1\"><c r=\"A1\"><v>1E3</v></c><c r=\"B1\"><v>-0.5</v></c><c r=\"C1\">"
	       "<v>+5</v></c><c r=\"D1\"><v>0.1e-6</v></c><c r=\"E1\" t=\"n\"><v>x</v></c>"
	       "<c r=\"F1\" t=\"d\"><v>2020-01-15</v></c><c r=\"G1\" t=\"zz\"><v>7</v></c></row>"),
	 SCANNED, NULL, "[1000]N [-0.5]N [5]N [0.0000001]N [x]E [2020-01-15]D [7]N", 0},
	{"row numbers with zeros and a sign",
	 SHEET("<row r=\"+3\"><c r=\"A3\"><v>1</v></c></row><row r=\"004\"><c r=\"A004\"><v>2</v>"
	       "</c></row>"),
	 SCANNED, NULL, "Báo cáo 4-4", 0},
	{"two sheetData",
	 SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row></sheetData><sheetData><row r=\"2\">"
	       "<c r=\"A2\"><v>2</v></c></row>"),
	 SCANNED, NULL, "Báo cáo 2-2", 0},
	{"cut at a small field cap, in the middle of a letter",
	 SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Nguyễn Văn Bình Thị Hoà</t></is></c>"
	       "<c r=\"B1\"><f>CONCATENATE(\"Nguyễn Văn Bình Thị Hoà Nguyễn Văn Bình Thị Hoà Nguyễn Văn "
	       "Bình Thị Hoà Nguyễn Văn Bình Thị Hoà Nguyễn Văn Bình Thị Hoà Nguyễn Văn Bình Thị Hoà "
	       "Nguyễn Văn Bình Thị Hoà Nguyễn Văn Bình\")</f></c><c r=\"C1\"><v>123456789012345678"
	       "</v></c></row>"),
	 SCANNED, NULL, "long=1", 16},

	/* what the scanner leaves to expat, mid-sheet too: rows before are not repeated */
	{"CDATA",
	 SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\" t=\"str\">"
	       "<v><![CDATA[a<b]]></v></c></row><row r=\"3\"><c r=\"A3\"><v>3</v></c></row>"),
	 LEFT, "CDATA", "[a<b]T", 0},
	{"a comment between rows",
	 SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><!-- Thôn 2 --><row r=\"2\">"
	       "<c r=\"A2\"><v>2</v></c></row>"),
	 LEFT, "comment", "Báo cáo 2-2", 0},
	{"a processing instruction",
	 SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><?pi x?><row r=\"2\"><c r=\"A2\"><v>2</v>"
	       "</c></row>"),
	 LEFT, "processing", "[2]N", 0},
	{"rich text in an inline string",
	 SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><r><rPr><b/></rPr><t>Xóm </t></r><r>"
	       "<t>Bãi</t></r></is></c></row>"),
	 LEFT, "inline string", "[Xóm Bãi]T", 0},
	{"a carriage return in text",
	 SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a\r\nb&#13;c</t></is></c></row>"),
	 LEFT, "carriage return", "[a\nb\rc]T", 0},
	{"a tab in an attribute",
	 SHEET("<row r=\"1\"><c r=\"A1\" s=\"\t1\"><v>43831</v></c></row>"),
	 LEFT, "attribute value", "[2020-01-01]D", 0},
	{"an entity in an attribute",
	 SHEET("<row r=\"1\"><c r=\"&#65;1\"><v>1</v></c></row>"),
	 LEFT, "attribute value", "[1]N", 0},
	{"a prefixed r",
	 SHEET("<row r=\"1\"><c x:r=\"B1\"><v>1</v></c></row>"),
	 LEFT, "prefixed", "[]T [1]N", 0},
	{"a value before its formula",
	 SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v><f>1</f></c></row>"),
	 LEFT, "cell's element", "[1]N", 0},
	{"an element the scanner does not know",
	 SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v><extLst/></c></row>"),
	 LEFT, "cell's element", "[1]N", 0},
	{"text between cells",
	 SHEET("<row r=\"1\">x<c r=\"A1\"><v>1</v></c></row>"),
	 LEFT, "text between", "[1]N", 0},
	{"a C1 control",
	 SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a\xC2\x85</t></is></c></row>"),
	 LEFT, "UTF-8", "[a\xC2\x85]T", 0},
	{"an r too long to be a row's",
	 SHEET("<row r=\"000000000000000000000000000000000001\"><c><v>1</v></c></row>"),
	 LEFT, "too long", "Báo cáo 1-1", 0},
	{"declared in ISO-8859-1",
	 "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><worksheet><sheetData><row r=\"1\">"
	 "<c r=\"A1\" t=\"inlineStr\"><is><t>\xE9\xA9\xA9</t></is></c></row></sheetData></worksheet>",
	 LEFT, NULL, "[é©©]T", 0},
	{"XML 1.1",
	 "<?xml version=\"1.1\"?><worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"
	 "</sheetData></worksheet>",
	 LEFT, NULL, NULL, 0},

	/* broken: the message is expat's, rows before it the same */
	{"an entity XML does not define",
	 SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\" t=\"str\">"
	       "<v>&nbsp;</v></c></row>"),
	 EITHER, NULL, "undefined entity", 0},
	{"]]> in text",
	 SHEET("<row r=\"1\"><c r=\"A1\" t=\"str\"><v>a]]>b</v></c></row>"), EITHER, NULL,
	 "invalid token", 0},
	{"an attribute given twice",
	 SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\" r=\"A2\"><v>1</v>"
	       "</c></row>"),
	 EITHER, NULL, "duplicate attribute", 0},
	{"another attribute given twice",
	 SHEET("<row r=\"1\" ht=\"1\" ht=\"2\"><c r=\"A1\"><v>1</v></c></row>"), EITHER, NULL, NULL, 0},
	{"an end tag of another element",
	 SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\"><v>1</v></x></row>"),
	 EITHER, NULL, "mismatched tag", 0},
	{"no space between attributes",
	 SHEET("<row r=\"1\"><c r=\"A1\"t=\"s\"><v>1</v></c></row>"), EITHER, NULL, NULL, 0},
	{"a byte that is not UTF-8",
	 SHEET("<row r=\"1\"><c r=\"A1\" t=\"str\"><v>\xC0\x80</v></c></row>"), EITHER, NULL, NULL, 0},
	{"a surrogate",
	 SHEET("<row r=\"1\"><c r=\"A1\" t=\"str\"><v>\xED\xA0\x80</v></c></row>"), EITHER, NULL, NULL,
	 0},
	{"U+FFFF",
	 SHEET("<row r=\"1\"><c r=\"A1\" t=\"str\"><v>\xEF\xBF\xBF</v></c></row>"), EITHER, NULL, NULL,
	 0},
	{"references to no character",
	 SHEET("<row r=\"1\"><c r=\"A1\" t=\"str\"><v>&#0;</v></c></row>"), EITHER, NULL, NULL, 0},
	{"a reference to a surrogate",
	 SHEET("<row r=\"1\"><c r=\"A1\" t=\"str\"><v>&#xD800;</v></c></row>"), EITHER, NULL, NULL, 0},
	{"a reference past U+10FFFF",
	 SHEET("<row r=\"1\"><c r=\"A1\" t=\"str\"><v>&#x110000;</v></c></row>"), EITHER, NULL, NULL, 0},
	{"rows out of order",
	 SHEET("<row r=\"3\"><c r=\"A3\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\"><v>1</v></c></row>"),
	 EITHER, NULL, "rows out of order", 0},
	{"a cell past XFD",
	 SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"XFE1\"><v>1</v></c></row>"), EITHER, NULL,
	 NULL, 0},
	{"a cell of another row",
	 SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"B2\"><v>1</v></c></row>"), EITHER, NULL,
	 "out of place", 0},
	{"a shared string the workbook does not have",
	 SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\" t=\"s\"><v>99</v>"
	       "</c></row>"),
	 EITHER, NULL, "shared string", 0},
	{"cut short",
	 "<?xml version=\"1.0\"?><worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"
	 "<row r=\"2\"><c r=\"A2\"><v>2",
	 EITHER, NULL, "no element found", 0},
	{"broken after the rows",
	 SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>\n<row r=\"2\"><c r=\"A2\"><v>2</v></c></row>"
	       "</sheetData><mergeCells><mergeCell ref=\"A1:B1\"></mergeCells><sheetData>"),
	 EITHER, NULL, "line 2", 0},
};

static void setup(void)
{
	hx_i18n_init("en");
}

TestSuite(sheetscan, .init = setup);

/* Read sheet[0..n) both ways and compare; returns the default transcript (free it). */
static char *differ(const char *name, const char *sheet, size_t n, size_t max_field,
                    enum scan_expect expect, const char *why_want)
{
	struct hx_buf fast, slow;
	size_t len, scanned, scanned_slow;
	const char *why, *why_slow;
	void *data = book(sheet, n, &len);
	char *out;

	transcript(data, len, 0, max_field, &fast, &scanned, &why);
	transcript(data, len, HX_XLSX_EXPAT_ONLY, max_field, &slow, &scanned_slow, &why_slow);
	free(data);
	if (strcmp(fast.data, slow.data) != 0) {
		/* the first line that differs (a transcript may be long) */
		const char *a = fast.data, *b = slow.data, *line = fast.data;

		for (; *a == *b; a++, b++)
			if (*a == '\n')
				line = a + 1;
		cr_expect(0, "%s: the scanner's reading differs from expat's at\n  %.200s\nexpat:\n  "
		          "%.200s", name, line, slow.data + (line - fast.data));
	}
	cr_expect(scanned_slow == 0 && why_slow == NULL, "%s: expat alone scanned", name);
	if (expect == SCANNED)
		cr_expect(scanned > 0 && why == NULL, "%s: %zu rows scanned, then %s", name, scanned,
		          why != NULL ? why : "(nothing)");
	if (expect == LEFT && why_want != NULL)
		cr_expect(why != NULL && strstr(why, why_want) != NULL, "%s: %s", name,
		          why != NULL ? why : "(not left)");
	if (expect == LEFT && why_want == NULL)
		cr_expect(scanned == 0 && why == NULL, "%s: the scanner ran", name);
	out = strdup(hx_buf_str(&fast));
	hx_buf_free(&fast);
	hx_buf_free(&slow);
	return out;
}

Test(sheetscan, same_rows_as_expat)
{
	for (size_t i = 0; i < lengthof(diff_cases); i++) {
		const struct diff_case *c = &diff_cases[i];
		char *got = differ(c->name, c->sheet, strlen(c->sheet), c->max_field, c->expect, c->why);

		if (c->golden != NULL)
			cr_expect(strstr(got, c->golden) != NULL, "%s: no \"%s\" in\n%.500s", c->name,
			          c->golden, got);
		free(got);
	}
}

/*
 * Past the header's window (the first 30 rows, read at open), a sheet that
 * breaks is read again by expat alone: the rows before the break are
 * handed out once each, and the message is expat's, with its line.
 */
Test(sheetscan, broken_after_rows_handed_out)
{
	static const char *const tails[] = {
		"<row r=\"41\"><c r=\"A41\" t=\"str\"><v>&nbsp;</v></c></row></sheetData></worksheet>",
		"<row r=\"41\"><c r=\"A41\"><v>1</v></x></row></sheetData></worksheet>",
		"<row r=\"41\"><c r=\"A41\"><v>1</v></c></row></sheetData><mergeCells>"
		"</mergeCell></worksheet>",
		"<row r=\"40\"><c r=\"A40\"><v>1</v></c></row></sheetData></worksheet>",
		"<row r=\"41\"><c r=\"A41\" t=\"s\"><v>4</v></c></row></sheetData></worksheet>",
		"<row r=\"41\"><c r=\"A41\"><v>1</v></c></row><row r=\"42\"><c r=\"A42\"><v>2",
	};
	/* row r is on line r + 1 */
	static const char *const says[] = {
		"(line 42): undefined entity", "(line 42): mismatched tag", "(line 42): mismatched tag",
		"row 41: rows out of order (row 40 after row 40)", "row 41: cell A41 refers to a shared",
		"(line 42): no element found",
	};
	static const int last[] = {40, 40, 41, 40, 40, 41};

	for (size_t i = 0; i < lengthof(tails); i++) {
		struct hx_buf s;
		char *got, want[80];

		hx_buf_init(&s, (size_t)1 << 20);
		hx_buf_puts(&s, "<worksheet><sheetData>\n");
		for (int r = 1; r <= 40; r++)
			hx_buf_printf(&s, "<row r=\"%d\"><c r=\"A%d\"><v>%d</v></c></row>\n", r, r, r);
		hx_buf_puts(&s, tails[i]);
		got = differ(says[i], hx_buf_str(&s), s.len, 0, EITHER, NULL);
		snprintf(want, sizeof want, "Báo cáo %d-%d long=0 many=0: [%d]N\nend -1 ", last[i], last[i],
		         last[i] == 41 ? 1 : 40);
		cr_expect(strstr(got, want) != NULL, "%.300s", strstr(got, "Báo cáo 39-39"));
		cr_expect(strstr(got, says[i]) != NULL, "%s: %.300s", says[i], strstr(got, "end "));
		cr_expect(strstr(got, "Báo cáo 1-1 long=0 many=0: [1]N\nBáo cáo 2-2") == got, "%.80s", got);
		free(got);
		hx_buf_free(&s);
	}
}

/* Rows the scanner read before it stopped are handed out once, in order. */
Test(sheetscan, left_mid_sheet_without_repeating_rows)
{
	char *got = differ("comment", diff_cases[14].sheet, strlen(diff_cases[14].sheet), 0, LEFT,
	                   "comment");

	cr_expect(eq(str, got, "Báo cáo 1-1 long=0 many=0: [1]N\nBáo cáo 2-2 long=0 many=0: [2]N\n"
	                       "end 0 \n"));
	free(got);
}

/* A row longer than the scanner's window is read by expat, the rows before by the scanner. */
Test(sheetscan, row_longer_than_the_window)
{
	struct hx_buf s;
	char *got;

	hx_buf_init(&s, (size_t)8 << 20);
	hx_buf_puts(&s, "<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"
	                "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>");
	for (int i = 0; i < 300 * 1024; i++)
		hx_buf_putc(&s, (char)('a' + i % 26));
	hx_buf_puts(&s, "</t></is></c><c r=\"B2\"><v>2</v></c></row><row r=\"3\"><c r=\"A3\"><v>3</v>"
	                "</c></row></sheetData></worksheet>");
	got = differ("a long row", hx_buf_str(&s), s.len, 0, LEFT, "longer than");
	cr_expect(strstr(got, "Báo cáo 2-2 long=1") != NULL);
	cr_expect(strstr(got, "Báo cáo 3-3 long=0 many=0: [3]N") != NULL);
	free(got);
	hx_buf_free(&s);
}

/*
 * Much before <sheetData> (columns, a comment naming it): expat reads it in
 * pieces, and the scanner starts where the start tag ends, whatever the
 * buffer's boundaries.
 */
Test(sheetscan, start_found_past_the_first_chunk)
{
	for (size_t pad = 65536 - 200; pad < 65536 + 40; pad += 7) {
		struct hx_buf s;
		char *got;

		hx_buf_init(&s, (size_t)1 << 20);
		hx_buf_puts(&s, "<worksheet><!-- <sheetData> -->");
		while (s.len < pad)
			hx_buf_puts(&s, "<col min=\"1\" max=\"1\" width=\"9\"/>");
		hx_buf_puts(&s, "<sheetData>\n<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
		                "</sheetData></worksheet>");
		got = differ("a long prologue", hx_buf_str(&s), s.len, 0, SCANNED, NULL);
		cr_expect(strstr(got, "[Năm]T") != NULL);
		free(got);
		hx_buf_free(&s);
	}
}

/* A register's rows, enough to cross the scanner's window many times. */
Test(sheetscan, many_rows_across_windows)
{
	struct hx_buf s;
	char *got;
	size_t scanned_rows = 0;

	hx_buf_init(&s, (size_t)16 << 20);
	hx_buf_puts(&s, SHEET(""));
	s.len -= strlen("</sheetData></worksheet>");
	for (int r = 1; r <= 20000; r++)
		hx_buf_printf(&s, "<row r=\"%d\"><c r=\"A%d\" t=\"s\"><v>%d</v></c><c r=\"B%d\" s=\"%d\">"
		                  "<v>%d.%d</v></c><c r=\"C%d\" t=\"inlineStr\"><is><t>Hộ %d &amp; con</t>"
		                  "</is></c></row>",
		              r, r, r % 4, r, r % 3, r, r % 7, r, r);
	hx_buf_puts(&s, "</sheetData></worksheet>");
	got = differ("20,000 rows", hx_buf_str(&s), s.len, 0, SCANNED, NULL);
	for (const char *p = got; (p = strchr(p, '\n')) != NULL; p++)
		scanned_rows++;
	cr_expect(eq(sz, scanned_rows, 20001));
	/* row 20000: shared string 0, 20000.1 in style 2 (a percentage), an inline string */
	cr_expect(strstr(got, "Báo cáo 20000-20000 long=0 many=0: [Năm]T [2000010]P [Hộ 20000 & con]T")
	          != NULL, "%.200s", got + strlen(got) - 200);
	free(got);
	hx_buf_free(&s);
}

/* ---- The scanner alone -------------------------------------------------------- */

struct calls {
	char log[512];
	size_t n;
	int refuse_cell;
};

static int on_row(void *ctx, const char *r, size_t n)
{
	struct calls *c = ctx;

	c->n += (size_t)snprintf(c->log + c->n, sizeof c->log - c->n, "row(%.*s)",
	                         (int)(r != NULL ? n : 1), r != NULL ? r : "-");
	return 0;
}

static int on_cell(void *ctx, const struct hx_scan_cell *k)
{
	struct calls *c = ctx;

	c->n += (size_t)snprintf(c->log + c->n, sizeof c->log - c->n, " c(%.*s,%.*s,%.*s%s%s,%s)",
	                         (int)(k->r ? k->r_len : 1), k->r ? k->r : "-",
	                         (int)(k->t ? k->t_len : 1), k->t ? k->t : "-",
	                         (int)(k->s ? k->s_len : 1), k->s ? k->s : "-", k->has_f ? ",=" : "",
	                         k->has_f ? k->f : "", k->has_v ? k->v : "-");
	return c->refuse_cell ? -1 : 0;
}

static int on_row_end(void *ctx)
{
	struct calls *c = ctx;

	c->n += (size_t)snprintf(c->log + c->n, sizeof c->log - c->n, " end");
	return 0;
}

static enum hx_scan_status scan(const char *text, size_t n, struct calls *c, size_t *used)
{
	struct hx_scan sc;
	struct hx_scan_ops ops = {on_row, on_cell, on_row_end, c};
	char *buf = malloc(n + 1);
	enum hx_scan_status st;

	memcpy(buf, text, n);
	buf[n] = '\0';
	c->n = 0;
	c->log[0] = '\0';
	hx_scan_init(&sc, 4096);
	st = hx_scan_row(&sc, buf, n, &ops, used);
	hx_scan_free(&sc);
	free(buf);
	return st;
}

static const struct {
	const char *row;
	const char *calls;
} rows[] = {
	{"<row r=\"1\"><c r=\"A1\" t=\"s\" s=\"3\"><v>12</v></c></row>",
	 "row(1) c(A1,s,3,12) end"},
	{"  <x:row r='2'/>", "row(2) end"},
	{"<row><c/><c r=\"B9\"><f>A1&amp;B1</f><v>x&lt;</v></c></row>",
	 "row(-) c(-,-,-,-) c(B9,-,-,=A1&B1,x<) end"},
	{"<row r=\"3\" ht=\"12.8\" x14ac:dyDescent=\"0.25\"><c r=\"C3\" t=\"inlineStr\"><is><t>Ấp "
	 "&#x1EA1;</t></is></c></row>",
	 "row(3) c(C3,inlineStr,-,Ấp ạ) end"},
	{"<row r=\"4\"><c r=\"D4\"><f t=\"shared\" si=\"0\"/><v>6</v></c></row>",
	 "row(4) c(D4,-,-,=,6) end"},
};

/* A row is read whole; every cut of it asks for more, never reads it wrong. */
Test(sheetscan, rows_and_every_cut_of_them)
{
	for (size_t i = 0; i < lengthof(rows); i++) {
		struct calls c = {0};
		size_t n = strlen(rows[i].row), used = 0;

		cr_expect(eq(int, scan(rows[i].row, n, &c, &used), HX_SCAN_ROW), "%s", rows[i].row);
		char want[512];

		snprintf(want, sizeof want, "%s", rows[i].calls);
		cr_expect(eq(str, c.log, want));
		cr_expect(eq(sz, used, n));
		for (size_t k = 0; k < n; k++)
			cr_expect(eq(int, scan(rows[i].row, k, &c, &used), HX_SCAN_MORE), "%s cut at %zu",
			          rows[i].row, k);
	}
}

Test(sheetscan, end_of_sheet_data_and_refusals)
{
	static const struct {
		const char *text;
		size_t len;   /* 0: strlen(text) */
		enum hx_scan_status want;
		const char *why;
	} cases[] = {
		{"\n </sheetData>", 0, HX_SCAN_END, NULL},
		{"<row r=\"1\"><c r=\"A1\"><v>1\0</v></c></row>", 40, HX_SCAN_GIVE_UP, "control"},
		{"<row r=\"1\"><c r=\"A1\">\0<v>1</v></c></row>", 40, HX_SCAN_GIVE_UP, "between"},
		{"<rows/>", 0, HX_SCAN_GIVE_UP, "other than <row>"},
		{"<row r=\"1\"><d/></row>", 0, HX_SCAN_GIVE_UP, "other than <c>"},
		{"<row r=\"1\" r=\"1\"/>", 0, HX_SCAN_GIVE_UP, "twice"},
		{"<row a=\"1\" b=\"2\" a=\"3\"/>", 0, HX_SCAN_GIVE_UP, "twice"},
		{"<row r=1/>", 0, HX_SCAN_GIVE_UP, "not quoted"},
		{"<row r=\"1\"><c><v>1</c></row>", 0, HX_SCAN_GIVE_UP, "another element"},
		{"<row r=\"1\"><c><v>&foo;</v></c></row>", 0, HX_SCAN_GIVE_UP, "predefine"},
		{"<row r=\"1\"><c><v>&#x;</v></c></row>", 0, HX_SCAN_GIVE_UP, "empty"},
		{"<row r=\"1\"><c><v>&#1a;</v></c></row>", 0, HX_SCAN_GIVE_UP, "decimal"},
		{"<row r=\"1\"><c><v>&#xFFFE;</v></c></row>", 0, HX_SCAN_GIVE_UP, "no XML character"},
		{"<row r=\"1\"><c><v>&#12345678901;</v></c></row>", 0, HX_SCAN_GIVE_UP, "too long"},
	};

	for (size_t i = 0; i < lengthof(cases); i++) {
		struct calls c = {0};
		size_t n = cases[i].len > 0 ? cases[i].len : strlen(cases[i].text), used = 0;
		struct hx_scan sc;
		struct hx_scan_ops ops = {on_row, on_cell, on_row_end, &c};
		char buf[256];
		enum hx_scan_status st;

		memcpy(buf, cases[i].text, n);
		buf[n] = '\0';
		hx_scan_init(&sc, 4096);
		st = hx_scan_row(&sc, buf, n, &ops, &used);
		cr_expect(eq(int, st, cases[i].want), "%s", cases[i].text);
		if (cases[i].why != NULL)
			cr_expect(strstr(hx_scan_why(&sc), cases[i].why) != NULL, "%s: %s", cases[i].text,
			          hx_scan_why(&sc));
		if (st == HX_SCAN_END)
			cr_expect(eq(sz, used, 2));
		hx_scan_free(&sc);
	}
}

/* A cell the caller refuses stops the scan (the reader then reads the sheet with expat). */
Test(sheetscan, refused_by_the_caller)
{
	struct calls c = {.refuse_cell = 1};
	size_t used;

	cr_expect(eq(int, scan(rows[0].row, strlen(rows[0].row), &c, &used), HX_SCAN_GIVE_UP));
}
