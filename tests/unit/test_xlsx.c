/*
 * test_xlsx.c — the .xlsx reader (common/xlsx.h), the header search it
 * shares with .xls (common/sheet.h) and the shared-strings table
 * (common/strstore.h).  Every workbook is made here, with libzip, from XML
 * written in the test: a clerk's report (a cover sheet, a hidden sheet,
 * title rows, a two-row header under merged cells, typed numbers, dates,
 * percentages, formulas), and a table of bad workbooks, each refused with
 * its one-line reason.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "buf.h"
#include "i18n.h"
#include "lengthof.h"
#include "strstore.h"
#include "xlsx.h"

struct zpart {
	const char *name;
	const char *data;   /* NULL: the end of the list */
	size_t len;         /* 0: strlen(data) */
};

/* A workbook of parts, written to a temporary file: its path (free it). */
static char *make_zip(const struct zpart *parts, int encrypt)
{
	char *path = strdup("/tmp/hoctap-test-xlsx-XXXXXX");
	int fd = mkstemp(path), zerr = 0;
	zip_t *za;

	cr_assert(fd >= 0);
	close(fd);
	za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	cr_assert(za != NULL);
	for (const struct zpart *p = parts; p->data != NULL; p++) {
		size_t n = p->len > 0 ? p->len : strlen(p->data);
		zip_source_t *s = zip_source_buffer(za, p->data, n, 0);
		zip_int64_t i = zip_file_add(za, p->name, s, ZIP_FL_ENC_UTF_8);

		cr_assert(i >= 0, "%s: %s", p->name, zip_strerror(za));
		if (encrypt)
			cr_assert(zip_file_set_encryption(za, (zip_uint64_t)i, ZIP_EM_AES_256, "secret") == 0);
	}
	cr_assert(zip_close(za) == 0);
	return path;
}

static const char rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	"relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";

#define WB_HEAD "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/" \
	"spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/" \
	"2006/relationships\">"
#define REL(id, type, target) "<Relationship Id=\"" id "\" Type=\"http://schemas." \
	"openxmlformats.org/officeDocument/2006/relationships/" type "\" Target=\"" target "\"/>"
#define RELS_HEAD "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas." \
	"openxmlformats.org/package/2006/relationships\">"
#define SHEET_HEAD "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats." \
	"org/spreadsheetml/2006/main\"><sheetData>"

/* Styles: 0 General, 1 a date (14), 2 a percentage (10), 3 "dd/mm/yyyy",
 * 4 '[Blue]0.0%;[Red]"-"0.0%' (a custom percentage), 5 '"Ngày" 0' (a number: the
 * date letters are quoted text). */
static const char styles[] =
	"<?xml version=\"1.0\"?><styleSheet xmlns=\"http://schemas.openxmlformats.org/"
	"spreadsheetml/2006/main\"><numFmts count=\"3\">"
	"<numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/>"
	"<numFmt numFmtId=\"165\" formatCode=\"[Blue]0.0%;[Red]&quot;-&quot;0.0%\"/>"
	"<numFmt numFmtId=\"166\" formatCode=\"&quot;Ngày&quot; 0\"/></numFmts>"
	"<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
	"<cellXfs count=\"6\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"10\"/>"
	"<xf numFmtId=\"164\"/><xf numFmtId=\"165\"/><xf numFmtId=\"166\"/></cellXfs></styleSheet>";

static const char wb_rels[] = RELS_HEAD
	REL("rId1", "worksheet", "worksheets/sheet1.xml")
	REL("rId2", "worksheet", "worksheets/sheet2.xml")
	REL("rId3", "worksheet", "/xl/worksheets/sheet3.xml")
	REL("rId7", "styles", "styles.xml")
	REL("rId8", "sharedStrings", "sharedStrings.xml")
	"</Relationships>";

static const char workbook[] = WB_HEAD "<workbookPr/><sheets>"
	"<sheet name=\"Bìa\" sheetId=\"1\" r:id=\"rId1\"/>"
	"<sheet name=\"Ẩn\" sheetId=\"2\" state=\"hidden\" r:id=\"rId2\"/>"
	"<sheet name=\"Báo cáo\" sheetId=\"3\" r:id=\"rId3\"/></sheets></workbook>";

/* 0 Năm, 1 Mã đơn vị, 2 Danh hiệu, 3 Số hộ, 4 Đăng ký, 5 Công nhận,
 * 6 Gia đình học tập, 7 BÁO CÁO ..., 8 "  Thôn 3  ", 9 a rich-text run
 * with a phonetic part, 10 decomposed "Việt" */
static const char sst[] =
	"<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"
	"2006/main\" count=\"11\" uniqueCount=\"11\">"
	"<si><t>Năm</t></si><si><t>Mã đơn vị</t></si><si><t>Danh hiệu</t></si>"
	"<si><t>Số hộ</t></si><si><t>Đăng ký</t></si><si><t>Công nhận</t></si>"
	"<si><t>Gia đình học tập</t></si><si><t>BÁO CÁO KẾT QUẢ NĂM 2019</t></si>"
	"<si><t xml:space=\"preserve\">  Thôn 3  </t></si>"
	"<si><r><rPr><b/></rPr><t>Xóm </t></r><r><t>Bãi</t></r><rPh><t>PHONETIC</t></rPh></si>"
	"<si><t>Vie\xCC\x82\xCC\xA3t</t></si></sst>";

static const char cover[] = SHEET_HEAD
	"<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Trang bìa</t></is></c></row>"
	"</sheetData></worksheet>";

static const char hidden[] = SHEET_HEAD
	"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>"
	"<row r=\"2\"><c r=\"A2\"><v>1999</v></c></row></sheetData></worksheet>";

/* Title rows 1-2 (merged across), an empty row 3, a header in rows 4-5
 * (A4:A5, B4:B5, C4:C5 merged down; D4:E4 merged across over "Đăng ký",
 * "Công nhận"), then data. */
static const char report[] = SHEET_HEAD
	"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>7</v></c></row>"
	"<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>Xã Đại Phước</t></is></c></row>"
	"<row r=\"3\"><c r=\"A3\" s=\"1\"/></row>"
	"<row r=\"4\"><c r=\"A4\" t=\"s\"><v>0</v></c><c r=\"B4\" t=\"s\"><v>1</v></c>"
	"<c r=\"C4\" t=\"s\"><v>2</v></c><c r=\"D4\" t=\"s\"><v>3</v></c><c r=\"E4\"/>"
	"<c r=\"F4\" t=\"inlineStr\"><is><t>Ngày nộp</t></is></c>"
	"<c r=\"G4\" t=\"inlineStr\"><is><t>Tỉ lệ</t></is></c></row>"
	"<row r=\"5\"><c r=\"D5\" t=\"s\"><v>4</v></c><c r=\"E5\" t=\"s\"><v>5</v></c></row>"
	/* typed numbers, a shared string, a date, a percentage */
	"<row r=\"6\"><c r=\"A6\"><v>2019</v></c><c r=\"B6\"><v>22915</v></c>"
	"<c r=\"C6\" t=\"s\"><v>6</v></c><c r=\"D6\"><v>7105</v></c><c r=\"E6\"><v>1.5E-7</v></c>"
	"<c r=\"F6\" s=\"1\"><v>43831</v></c><c r=\"G6\" s=\"2\"><v>0.3728</v></c></row>"
	/* a formula with its saved value, a custom date style with a time, a
	 * custom percentage, a number in a quoted-text format */
	"<row r=\"8\"><c r=\"A8\"><v>2019</v></c><c r=\"B8\" t=\"s\"><v>8</v></c>"
	"<c r=\"C8\" t=\"s\"><v>9</v></c><c r=\"D8\"><f>SUM(D6:D7)</f><v>7105</v></c>"
	"<c r=\"E8\" s=\"5\"><v>12</v></c><c r=\"F8\" s=\"3\"><v>43831.5</v></c>"
	"<c r=\"G8\" s=\"4\"><v>0.5</v></c></row>"
	/* a formula with no saved value, an error, a boolean, a string result */
	"<row r=\"9\"><c r=\"A9\"><f>A8+0</f></c><c r=\"B9\" t=\"e\"><v>#DIV/0!</v></c>"
	"<c r=\"C9\" t=\"b\"><v>1</v></c><c r=\"D9\" t=\"str\"><f>C6&amp;\"\"</f><v>x</v></c>"
	"<c r=\"E9\" t=\"s\"><v>10</v></c></row>"
	"<row r=\"10\"><c r=\"A10\" s=\"3\"/><c r=\"B10\" t=\"inlineStr\"><is><t></t></is></c></row>"
	"</sheetData><mergeCells count=\"5\"><mergeCell ref=\"A1:G1\"/><mergeCell ref=\"A4:A5\"/>"
	"<mergeCell ref=\"B4:B5\"/><mergeCell ref=\"C4:C5\"/><mergeCell ref=\"D4:E4\"/>"
	"</mergeCells></worksheet>";

static const struct zpart clerk_parts[] = {
	{"[Content_Types].xml", "<?xml version=\"1.0\"?><Types/>", 0},
	{"_rels/.rels", rels, 0},
	{"xl/workbook.xml", workbook, 0},
	{"xl/_rels/workbook.xml.rels", wb_rels, 0},
	{"xl/styles.xml", styles, 0},
	{"xl/sharedStrings.xml", sst, 0},
	{"xl/worksheets/sheet1.xml", cover, 0},
	{"xl/worksheets/sheet2.xml", hidden, 0},
	{"xl/worksheets/sheet3.xml", report, 0},
	{NULL, NULL, 0},
};

/* A header names the year ("Năm") and a unit ("Mã đơn vị"). */
static int header_pred(void *ctx, const struct hx_row *row)
{
	int year = 0, unit = 0;

	(void)ctx;
	for (size_t i = 0; i < row->nfields; i++) {
		year |= strcmp(row->fields[i], "Năm") == 0;
		unit |= strcmp(row->fields[i], "Mã đơn vị") == 0;
	}
	return year && unit;
}

static void setup(void)
{
	hx_i18n_init("en");
}

TestSuite(xlsx, .init = setup);

/* "text:type|text:type|..." of a row, types as T N P D B E. */
static void render(const struct hx_row *row, char *out, size_t cap)
{
	static const char tc[] = "TNPDBE";
	size_t k = 0;

	out[0] = '\0';
	for (size_t i = 0; i < row->nfields && k < cap; i++)
		k += (size_t)snprintf(out + k, cap - k, "%s%s:%c", i > 0 ? "|" : "", row->fields[i],
		                      tc[hx_row_type(row, i)]);
}

Test(xlsx, clerks_report)
{
	static const struct {
		long line;
		const char *cells;
	} want[] = {
		{4, "Năm:T|Mã đơn vị:T|Danh hiệu:T|Số hộ Đăng ký:T|Số hộ Công nhận:T|Ngày nộp:T|"
		    "Tỉ lệ:T"},
		{6, "2019:N|22915:N|Gia đình học tập:T|7105:N|0.00000015:N|2020-01-01:D|37.28:P"},
		{8, "2019:N|Thôn 3:T|Xóm Bãi:T|7105:N|12:N|2020-01-01T12:00:00:D|50:P"},
		{9, "=A8+0:E|#DIV/0!:E|TRUE:B|x:T|Việt:T"},
	};
	struct hx_sheet_options o = {NULL, header_pred, NULL, 0};
	struct hx_error err;
	char *path = make_zip(clerk_parts, 0);
	struct hx_xlsx *x = hx_xlsx_open(path, &o, &err);
	struct hx_row row;
	size_t k = 0;
	int rc;

	cr_assert(x != NULL, "%s", err.msg);
	cr_expect(eq(str, hx_xlsx_sheet_name(x), "Báo cáo"));
	cr_expect(eq(long, hx_xlsx_header_line(x), 4));
	cr_expect(eq(int, hx_xlsx_header_joined(x), 1));
	while ((rc = hx_xlsx_next(x, &row, &err)) == 1) {
		char got[1024];

		cr_assert(k < lengthof(want), "an extra row %ld", row.line);
		render(&row, got, sizeof got);
		cr_expect(eq(str, got, want[k].cells), "row %ld", row.line);
		cr_expect(eq(long, row.line, want[k].line));
		cr_expect(eq(str, row.sheet, "Báo cáo"));
		if (k == 0)
			cr_expect(eq(long, row.last_line, 5));
		k++;
	}
	cr_expect(eq(int, rc, 0), "%s", err.msg);
	cr_expect(eq(sz, k, lengthof(want)));
	cr_expect(hx_xlsx_bytes(x) > strlen(report));
	hx_xlsx_close(x);
	unlink(path);
	free(path);
}

Test(xlsx, named_sheet_hidden_or_missing)
{
	struct hx_sheet_options o = {"Ẩn", header_pred, NULL, 0};
	struct hx_error err;
	char *path = make_zip(clerk_parts, 0);
	struct hx_xlsx *x = hx_xlsx_open(path, &o, &err);
	struct hx_row row;

	cr_assert(x != NULL, "%s", err.msg);
	cr_expect(eq(str, hx_xlsx_sheet_name(x), "Ẩn"));
	cr_assert(eq(int, hx_xlsx_next(x, &row, &err), 1));
	cr_expect(eq(long, row.line, 1));
	cr_assert(eq(int, hx_xlsx_next(x, &row, &err), 1));
	cr_expect(eq(str, row.fields[0], "1999"));
	cr_expect(eq(int, hx_xlsx_next(x, &row, &err), 0));
	hx_xlsx_close(x);

	o.sheet = "Sheet9";
	cr_expect(hx_xlsx_open(path, &o, &err) == NULL);
	cr_expect(eq(str, err.msg, "the workbook has no sheet \"Sheet9\" (its sheets: \"Bìa\", "
	                           "\"Ẩn\", \"Báo cáo\")"));
	o.sheet = "Bìa";
	cr_expect(hx_xlsx_open(path, &o, &err) == NULL);
	cr_expect(eq(str, err.msg, "sheet \"Bìa\" has no header in its first 30 rows"));
	/* No predicate: the first row with a value is the header. */
	o.sheet = NULL;
	o.is_header = NULL;
	x = hx_xlsx_open(path, &o, &err);
	cr_assert(x != NULL, "%s", err.msg);
	cr_expect(eq(str, hx_xlsx_sheet_name(x), "Bìa"));
	hx_xlsx_close(x);
	unlink(path);
	free(path);
}

Test(xlsx, no_sheet_with_a_header_names_them_all)
{
	static const char wb[] = WB_HEAD "<sheets><sheet name=\"Bìa\" sheetId=\"1\" r:id=\"rId1\"/>"
		"<sheet name=\"Ẩn\" sheetId=\"2\" state=\"veryHidden\" r:id=\"rId2\"/></sheets>"
		"</workbook>";
	struct zpart parts[lengthof(clerk_parts)];
	struct hx_sheet_options o = {NULL, header_pred, NULL, 0};
	struct hx_error err;
	char *path;

	memcpy(parts, clerk_parts, sizeof parts);
	parts[2].data = wb;
	path = make_zip(parts, 0);
	cr_expect(hx_xlsx_open(path, &o, &err) == NULL);
	cr_expect(eq(str, err.msg, "no visible sheet has a header in its first 30 rows (\"Bìa\" (no "
	                           "header), \"Ẩn\" (hidden, skipped)); name the sheet to read with "
	                           "--sheet"));
	unlink(path);
	free(path);
}

Test(xlsx, date_system_1904_and_memory_open)
{
	static const char wb[] = WB_HEAD "<workbookPr date1904=\"1\"/><sheets>"
		"<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
	static const char sheet[] = SHEET_HEAD
		"<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Ngày</t></is></c></row>"
		"<row r=\"2\"><c r=\"A2\" s=\"1\"><v>0</v></c></row>"
		"<row r=\"3\"><c r=\"A3\" s=\"1\"><v>42369</v></c></row></sheetData></worksheet>";
	static const char wrels[] = RELS_HEAD REL("rId1", "worksheet", "worksheets/sheet1.xml")
		REL("rId7", "styles", "styles.xml") "</Relationships>";
	const struct zpart parts[] = {
		{"_rels/.rels", rels, 0}, {"xl/workbook.xml", wb, 0},
		{"xl/_rels/workbook.xml.rels", wrels, 0}, {"xl/styles.xml", styles, 0},
		{"xl/worksheets/sheet1.xml", sheet, 0}, {NULL, NULL, 0},
	};
	char *path = make_zip(parts, 0);
	FILE *f = fopen(path, "rb");
	char *data = malloc(65536);
	size_t n = fread(data, 1, 65536, f);
	struct hx_error err;
	struct hx_xlsx *x;
	struct hx_row row;

	fclose(f);
	x = hx_xlsx_open_memory(data, n, NULL, &err);
	cr_assert(x != NULL, "%s", err.msg);
	cr_expect(eq(int, hx_xlsx_date1904(x), 1));
	cr_assert(eq(int, hx_xlsx_next(x, &row, &err), 1));
	cr_assert(eq(int, hx_xlsx_next(x, &row, &err), 1));
	cr_expect(eq(str, row.fields[0], "1904-01-01"));
	cr_assert(eq(int, hx_xlsx_next(x, &row, &err), 1));
	cr_expect(eq(str, row.fields[0], "2020-01-01"));
	hx_xlsx_close(x);
	free(data);
	unlink(path);
	free(path);
}

/* ---- Bad workbooks ---------------------------------------------------------- */

/* A workbook of one sheet "S" whose sheet XML (or shared strings) is given. */
static char *one_sheet(const char *sheet_xml, size_t sheet_len, const char *sst_xml,
                       int encrypt)
{
	static const char wb[] = WB_HEAD "<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"
		"</sheets></workbook>";
	static const char wrels[] = RELS_HEAD REL("rId1", "worksheet", "worksheets/sheet1.xml")
		REL("rId8", "sharedStrings", "sharedStrings.xml") "</Relationships>";
	struct zpart parts[] = {
		{"_rels/.rels", rels, 0}, {"xl/workbook.xml", wb, 0},
		{"xl/_rels/workbook.xml.rels", wrels, 0},
		{"xl/worksheets/sheet1.xml", sheet_xml, sheet_len},
		{"xl/sharedStrings.xml", sst_xml, 0}, {NULL, NULL, 0},
	};

	if (sst_xml == NULL)
		parts[4].name = NULL;
	return make_zip(parts, encrypt);
}

/* Open path and read every row: the first error's message ("" if none). */
static void read_all(const char *path, char *msg, size_t cap, struct hx_row *last)
{
	struct hx_error err;
	struct hx_xlsx *x = hx_xlsx_open(path, NULL, &err);
	struct hx_row row;
	int rc;

	msg[0] = '\0';
	if (x == NULL) {
		snprintf(msg, cap, "%s", err.msg);
		return;
	}
	while ((rc = hx_xlsx_next(x, &row, &err)) == 1) {
		if (last != NULL && (row.too_long_field || row.too_many_fields)) {
			*last = row;
			last->fields = NULL; /* borrowed: only the flags and line are kept */
		}
	}
	if (rc < 0)
		snprintf(msg, cap, "%s", err.msg);
	hx_xlsx_close(x);
}

static void expect_refused(const char *path, const char *want)
{
	char msg[1024];

	read_all(path, msg, sizeof msg, NULL);
	cr_expect(eq(str, msg, want));
}

Test(xlsx, not_a_workbook)
{
	static const unsigned char ole_head[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
	static const char enc[] = "E\0n\0c\0r\0y\0p\0t\0i\0o\0n\0I\0n\0f\0o\0";
	static const struct {
		int kind;  /* 0 text, 1 OLE with EncryptionInfo, 2 OLE without, 3 a cut ZIP */
		const char *want;
	} cases[] = {
		{0, "is not an .xlsx workbook (not a ZIP file)"},
		{1, "the workbook is encrypted (protected by a password): remove the password in Excel "
		    "and send it again"},
		{2, "this is an Excel 97-2003 workbook (.xls), not .xlsx: name it .xls, or save it as "
		    ".xlsx"},
		{3, "the workbook is damaged: its ZIP container cannot be read (cut short, or not "
		    "saved whole)"},
	};

	for (size_t i = 0; i < lengthof(cases); i++) {
		char path[] = "/tmp/hoctap-test-notzip-XXXXXX";
		int fd = mkstemp(path);
		char buf[2048];
		struct hx_error err;

		memset(buf, 0, sizeof buf);
		if (cases[i].kind == 0) {
			snprintf(buf, sizeof buf, "year,unit_code\n2019,22915\n");
		} else if (cases[i].kind == 3) {
			memcpy(buf, "PK\3\4\x14\0\0\0\x08\0", 10);
		} else {
			memcpy(buf, ole_head, sizeof ole_head);
			if (cases[i].kind == 1)
				memcpy(buf + 1024 + 64, enc, sizeof enc - 1);
		}
		cr_assert(write(fd, buf, sizeof buf) == (ssize_t)sizeof buf);
		close(fd);
		cr_expect(hx_xlsx_open(path, NULL, &err) == NULL);
		cr_expect(eq(str, err.msg, cases[i].want), "case %zu", i);
		cr_expect(eq(int, err.code, HX_DATAERR));
		unlink(path);
	}
}

struct bad_case {
	const char *what;
	const char *sheet;     /* sheet XML */
	const char *sst;       /* shared strings XML, or NULL */
	const char *want;      /* the one-line reason */
};

#define ROW1 "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Năm</t></is></c></row>"

static const struct bad_case bad_cases[] = {
	{"billion laughs in the shared strings",
	 SHEET_HEAD ROW1 "</sheetData></worksheet>",
	 "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
	 "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
	 "<sst><si><t>&lol2;</t></si></sst>",
	 "workbook part xl/sharedStrings.xml declares a DTD (<!DOCTYPE>), which no workbook has: "
	 "refused (entities are never expanded)"},
	{"an external entity in the sheet",
	 "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
	 "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&x;</t></is></c>"
	 "</row></sheetData></worksheet>", NULL,
	 "workbook part xl/worksheets/sheet1.xml declares a DTD (<!DOCTYPE>), which no workbook "
	 "has: refused (entities are never expanded)"},
	{"a column past XFD",
	 SHEET_HEAD ROW1 "<row r=\"2\"><c r=\"XFE2\"><v>1</v></c></row></sheetData></worksheet>",
	 NULL, "sheet \"S\", row 2: cell \"XFE2\" is past Excel's last column XFD: refused"},
	{"a cell reference that is no cell",
	 SHEET_HEAD ROW1 "<row r=\"2\"><c r=\"A0\"><v>1</v></c></row></sheetData></worksheet>",
	 NULL, "sheet \"S\", row 2: cell reference \"A0\" is not a cell of Excel's grid (A1 to "
	       "XFD1048576): refused"},
	{"a row past 1048576",
	 SHEET_HEAD ROW1 "<row r=\"1048577\"><c><v>1</v></c></row></sheetData></worksheet>", NULL,
	 "sheet \"S\", row 2: a row number (\"1048577\") past Excel's limit of 1048576 rows: "
	 "refused"},
	{"rows out of order",
	 SHEET_HEAD "<row r=\"5\"><c r=\"A5\"><v>1</v></c></row><row r=\"3\"><c r=\"A3\"><v>1</v>"
	 "</c></row></sheetData></worksheet>", NULL,
	 "sheet \"S\", row 6: rows out of order (row 3 after row 5): the file is damaged"},
	{"a cell out of place",
	 SHEET_HEAD "<row r=\"1\"><c r=\"B1\"><v>1</v></c><c r=\"A1\"><v>1</v></c></row>"
	 "</sheetData></worksheet>", NULL,
	 "sheet \"S\", row 1: cell A1 is out of place: the file is damaged"},
	{"a shared string that does not exist",
	 SHEET_HEAD ROW1 "<row r=\"2\"><c r=\"C2\" t=\"s\"><v>5</v></c></row></sheetData>"
	 "</worksheet>", "<sst><si><t>a</t></si></sst>",
	 "sheet \"S\", row 2: cell C2 refers to a shared string the workbook does not have: the "
	 "file is damaged"},
	{"broken XML",
	 SHEET_HEAD ROW1 "<row r=\"2\"><c r=\"A2\"><v>1</c></row></sheetData></worksheet>", NULL,
	 "workbook part xl/worksheets/sheet1.xml is not well-formed XML (line 1): mismatched tag"},
};

Test(xlsx, bad_workbooks_refused_in_one_line)
{
	for (size_t i = 0; i < lengthof(bad_cases); i++) {
		char *path = one_sheet(bad_cases[i].sheet, 0, bad_cases[i].sst, 0);
		char msg[1024];

		read_all(path, msg, sizeof msg, NULL);
		cr_expect(eq(str, msg, bad_cases[i].want), "%s", bad_cases[i].what);
		cr_expect(strchr(msg, '\n') == NULL, "%s: one line", bad_cases[i].what);
		unlink(path);
		free(path);
	}
}

Test(xlsx, xml_nested_too_deep)
{
	struct hx_buf b;
	char *path;

	hx_buf_init(&b, 1 << 20);
	hx_buf_puts(&b, SHEET_HEAD ROW1 "</sheetData>");
	for (int i = 0; i < 100; i++)
		hx_buf_puts(&b, "<x>");
	for (int i = 0; i < 100; i++)
		hx_buf_puts(&b, "</x>");
	hx_buf_puts(&b, "</worksheet>");
	path = one_sheet(hx_buf_str(&b), b.len, NULL, 0);
	expect_refused(path, "workbook part xl/worksheets/sheet1.xml nests its XML more than 64 "
	                     "levels deep: refused");
	unlink(path);
	free(path);
	hx_buf_free(&b);
}

Test(xlsx, zip_bomb)
{
	/* 40 MB of spaces inside the sheet deflate to about 40 KB: a ratio of 1000. */
	size_t n = (size_t)40 << 20;
	char *xml = malloc(n + 256);
	char *path;

	strcpy(xml, SHEET_HEAD ROW1);
	memset(xml + strlen(xml), ' ', n);
	strcpy(xml + strlen(SHEET_HEAD ROW1) + n, "</sheetData></worksheet>");
	path = one_sheet(xml, strlen(xml), NULL, 0);
	expect_refused(path, "workbook part xl/worksheets/sheet1.xml inflates to more than 200 times "
	                     "its compressed size: refused as a zip bomb");
	unlink(path);
	free(path);
	free(xml);
}

/* Overwrite the CRC-32 that the local and central headers of entry name give. */
static void damage_crc(const char *path, const char *name)
{
	FILE *f = fopen(path, "r+b");
	size_t nlen = strlen(name), n, hits = 0;
	unsigned char *z;
	long size;

	cr_assert(f != NULL);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	z = malloc((size_t)size);
	rewind(f);
	n = fread(z, 1, (size_t)size, f);
	cr_assert(n == (size_t)size);
	for (size_t i = 0; i + 46 + nlen <= n; i++) {
		size_t at = 0;

		if (memcmp(z + i, "PK\3\4", 4) == 0 && memcmp(z + i + 30, name, nlen) == 0)
			at = i + 14;
		else if (memcmp(z + i, "PK\1\2", 4) == 0 && memcmp(z + i + 46, name, nlen) == 0)
			at = i + 16;
		if (at > 0) {
			z[at] ^= 0x5A;
			hits++;
		}
	}
	cr_assert(eq(sz, hits, 2));
	rewind(f);
	cr_assert(fwrite(z, 1, n, f) == n);
	fclose(f);
	free(z);
}

Test(xlsx, crc_error_far_into_the_sheet)
{
	/* 20,000 rows (~1 MB of XML): the thread inflating ahead meets the bad CRC at the end. */
	struct hx_buf b;
	char msg[1024];
	struct hx_error err;
	struct hx_xlsx *x;
	struct hx_row row;
	long rows = 0, last = 0;
	char *path;
	int rc;

	hx_buf_init(&b, 1 << 20);
	hx_buf_puts(&b, SHEET_HEAD ROW1);
	for (long r = 2; r <= 20001; r++)
		hx_buf_printf(&b, "<row r=\"%ld\"><c r=\"A%ld\"><v>%ld</v></c></row>", r, r,
		              (r * 7919) % 10007);
	hx_buf_puts(&b, "</sheetData></worksheet>");
	path = one_sheet(hx_buf_str(&b), b.len, NULL, 0);
	damage_crc(path, "xl/worksheets/sheet1.xml");
	x = hx_xlsx_open(path, NULL, &err);
	cr_assert(x != NULL, "%s", err.msg);
	while ((rc = hx_xlsx_next(x, &row, &err)) == 1) {
		rows++;
		last = row.line;
	}
	snprintf(msg, sizeof msg, "%s", rc < 0 ? err.msg : "");
	hx_xlsx_close(x);
	cr_expect(eq(int, rc, -1));
	cr_expect(eq(str, msg, "cannot read workbook part xl/worksheets/sheet1.xml: CRC error"));
	/* libzip checks the CRC at the entry's end: every row came out before the error */
	cr_expect(gt(long, rows, 20000));
	cr_expect(eq(long, last, 20001));
	unlink(path);
	free(path);
	hx_buf_free(&b);
}

Test(xlsx, encrypted_part)
{
	char *path;

	if (!zip_encryption_method_supported(ZIP_EM_AES_256, 1))
		cr_skip_test("this libzip cannot encrypt");
	path = one_sheet(SHEET_HEAD ROW1 "</sheetData></worksheet>", 0, NULL, 1);
	expect_refused(path, "the workbook is encrypted (part _rels/.rels): remove its password in "
	                     "Excel and send it again");
	unlink(path);
	free(path);
}

Test(xlsx, macro_only_workbook)
{
	static const char wb[] = WB_HEAD "<sheets><sheet name=\"Macro1\" sheetId=\"1\" "
		"r:id=\"rId1\"/></sheets></workbook>";
	static const char wrels[] = RELS_HEAD "<Relationship Id=\"rId1\" Type=\"http://schemas."
		"microsoft.com/office/2006/relationships/xlMacrosheet\" Target=\"macrosheets/sheet1.xml\"/>"
		"</Relationships>";
	const struct zpart parts[] = {
		{"_rels/.rels", rels, 0}, {"xl/workbook.xml", wb, 0},
		{"xl/_rels/workbook.xml.rels", wrels, 0},
		{"xl/macrosheets/sheet1.xml", "<xm:macrosheet/>", 0},
		{"xl/vbaProject.bin", "\xD0\xCF\x11\xE0", 4}, {NULL, NULL, 0},
	};
	char *path = make_zip(parts, 0);

	expect_refused(path, "the workbook has no worksheet, only macros or charts: save the data in "
	                     "a worksheet");
	unlink(path);
	free(path);
}

Test(xlsx, megabyte_string_cell_is_cut_and_flagged)
{
	/* 1 MB inline, and 1 MB as a shared string: each row kept, flagged at its
	 * column, the value cut at the 64 KiB field cap. */
	size_t big = (size_t)1 << 20;
	struct hx_buf sheet, sstx;
	struct hx_error err;
	struct hx_xlsx *x;
	struct hx_row row;
	char *path;

	hx_buf_init(&sheet, big * 2);
	hx_buf_init(&sstx, big * 2);
	hx_buf_puts(&sheet, SHEET_HEAD ROW1 "<row r=\"2\"><c r=\"A2\"><v>1</v></c>"
	                    "<c r=\"B2\" t=\"inlineStr\"><is><t>");
	for (size_t i = 0; i < big / 4; i++)
		hx_buf_puts(&sheet, "ộ x");
	hx_buf_puts(&sheet, "</t></is></c></row><row r=\"3\"><c r=\"A3\"><v>1</v></c><c r=\"B3\"/>"
	                    "<c r=\"C3\" t=\"s\"><v>0</v></c></row></sheetData></worksheet>");
	hx_buf_puts(&sstx, "<sst><si><t>");
	for (size_t i = 0; i < big; i++)
		hx_buf_putc(&sstx, 'a');
	hx_buf_puts(&sstx, "</t></si></sst>");
	path = one_sheet(hx_buf_str(&sheet), sheet.len, hx_buf_str(&sstx), 0);
	x = hx_xlsx_open(path, NULL, &err);
	cr_assert(x != NULL, "%s", err.msg);
	cr_assert(eq(int, hx_xlsx_next(x, &row, &err), 1)); /* header */
	cr_assert(eq(int, hx_xlsx_next(x, &row, &err), 1));
	cr_expect(eq(sz, row.too_long_field, 2));
	cr_expect(row.lens[1] <= HX_CSV_MAX_FIELD_DEFAULT && row.lens[1] > 65000, "%zu",
	          row.lens[1]);
	cr_assert(eq(int, hx_xlsx_next(x, &row, &err), 1));
	cr_expect(eq(long, row.line, 3));
	cr_expect(eq(sz, row.too_long_field, 3));
	cr_expect(eq(sz, row.lens[2], HX_CSV_MAX_FIELD_DEFAULT));
	cr_expect(eq(int, hx_xlsx_next(x, &row, &err), 0));
	hx_xlsx_close(x);
	unlink(path);
	free(path);
	hx_buf_free(&sheet);
	hx_buf_free(&sstx);
}

Test(xlsx, row_of_too_much_text_refused)
{
	struct hx_buf sheet;
	char *path;

	hx_buf_init(&sheet, (size_t)4 << 20);
	hx_buf_puts(&sheet, SHEET_HEAD ROW1 "<row r=\"2\">");
	for (int c = 0; c < 20; c++) {
		hx_buf_puts(&sheet, "<c t=\"inlineStr\"><is><t>");
		for (int i = 0; i < 60000; i++)
			hx_buf_putc(&sheet, 'x');
		hx_buf_puts(&sheet, "</t></is></c>");
	}
	hx_buf_puts(&sheet, "</row></sheetData></worksheet>");
	path = one_sheet(hx_buf_str(&sheet), sheet.len, NULL, 0);
	expect_refused(path, "sheet \"S\", row 2: the row holds more than 1 MiB of text (at column "
	                     "R): refused");
	unlink(path);
	free(path);
	hx_buf_free(&sheet);
}

Test(xlsx, more_columns_than_a_row_may_have)
{
	struct hx_buf sheet;
	struct hx_row last;
	char *path, msg[256];

	hx_buf_init(&sheet, (size_t)1 << 20);
	hx_buf_puts(&sheet, SHEET_HEAD ROW1 "<row r=\"2\">");
	for (int c = 0; c < 600; c++)
		hx_buf_puts(&sheet, "<c><v>1</v></c>");
	hx_buf_puts(&sheet, "</row></sheetData></worksheet>");
	path = one_sheet(hx_buf_str(&sheet), sheet.len, NULL, 0);
	memset(&last, 0, sizeof last);
	read_all(path, msg, sizeof msg, &last);
	cr_expect(eq(str, msg, ""));
	cr_expect(eq(int, last.too_many_fields, 1));
	cr_expect(eq(sz, last.nfields, HX_CSV_MAX_FIELDS));
	unlink(path);
	free(path);
	hx_buf_free(&sheet);
}

/* ---- The header search alone ---------------------------------------------- */

static void add_row(struct hx_sheet_window *w, long line, const char *const *cells, size_t n)
{
	size_t lens[16];
	struct hx_row r;

	for (size_t i = 0; i < n; i++)
		lens[i] = strlen(cells[i]);
	memset(&r, 0, sizeof r);
	r.nfields = n;
	r.fields = cells;
	r.lens = lens;
	r.line = r.last_line = line;
	r.sheet = "S";
	cr_assert(eq(int, hx_sheet_window_add(w, &r), 0));
}

Test(sheet, guessed_merges_join_a_two_row_header)
{
	static const char *const title[] = {"BÁO CÁO"};
	static const char *const up[] = {"Năm", "Mã đơn vị", "Số hộ", "", ""};
	static const char *const low[] = {"", "", "Đủ điều kiện", "Đăng ký", "Công nhận"};
	static const char *const data[] = {"2019", "22915", "10", "9", "8"};
	struct hx_sheet_window w;
	struct hx_sheet_merge m[16];
	struct hx_sheet_options o = {NULL, header_pred, NULL, 0};
	struct hx_sheet_header h;
	size_t nm;

	memset(&w, 0, sizeof w);
	add_row(&w, 1, title, 1);
	add_row(&w, 3, up, 5);
	add_row(&w, 4, low, 5);
	add_row(&w, 5, data, 5);
	cr_expect(eq(sz, hx_sheet_guess_merges(&w, 0, m, 16), 0)); /* rows 1 and 3: not adjacent */
	cr_expect(eq(sz, hx_sheet_guess_merges(&w, 2, m, 16), 0)); /* data below: nothing spans */
	nm = hx_sheet_guess_merges(&w, 1, m, 16);
	cr_assert(eq(sz, nm, 3));
	cr_expect(eq(long, m[2].c1, 2));
	cr_expect(eq(long, m[2].c2, 4));
	cr_assert(eq(int, hx_sheet_find_header(&w, m, nm, &o, &h), 0));
	cr_expect(eq(int, h.joined, 1));
	cr_expect(eq(sz, h.index, 1));
	cr_expect(eq(sz, h.data_from, 3));
	cr_expect(eq(str, h.joined_row.row.fields[0], "Năm"));
	cr_expect(eq(str, h.joined_row.row.fields[2], "Số hộ Đủ điều kiện"));
	cr_expect(eq(str, h.joined_row.row.fields[4], "Số hộ Công nhận"));
	hx_sheet_header_free(&h);
	/* Without merges the upper row alone is the header. */
	cr_assert(eq(int, hx_sheet_find_header(&w, NULL, 0, &o, &h), 0));
	cr_expect(eq(int, h.joined, 0));
	cr_expect(eq(sz, h.data_from, 2));
	hx_sheet_window_free(&w);
}

/* ---- Shared strings beyond their memory budget ---------------------------- */

Test(strstore, spills_and_reads_back_in_any_order)
{
	struct hx_strstore *s = hx_strstore_new(4096);
	struct hx_error err;
	char want[64];
	size_t n = 20000;

	for (size_t i = 0; i < n; i++) {
		snprintf(want, sizeof want, "Hộ gia đình %zu", i);
		cr_assert(eq(int, hx_strstore_add(s, want, strlen(want), i % 7 == 0, &err), 0));
	}
	cr_expect(eq(sz, hx_strstore_count(s), n));
	cr_expect(hx_strstore_in_memory(s) > 50 && hx_strstore_in_memory(s) < 400, "%zu",
	          hx_strstore_in_memory(s));
	/* forward, backward, and strided: every string reads back with its flag */
	for (size_t pass = 0; pass < 3; pass++) {
		for (size_t k = 0; k < n; k++) {
			size_t i = pass == 0 ? k : pass == 1 ? n - 1 - k : (k * 7919) % n;
			const char *p;
			size_t len;
			int flag;

			cr_assert(eq(int, hx_strstore_get(s, i, &p, &len, &flag, &err), 0), "%s", err.msg);
			snprintf(want, sizeof want, "Hộ gia đình %zu", i);
			cr_assert(eq(str, p, want));
			cr_assert(eq(sz, len, strlen(want)));
			cr_assert(eq(int, flag, i % 7 == 0));
		}
	}
	{
		const char *p;
		size_t len;
		int flag;

		cr_expect(eq(int, hx_strstore_get(s, n, &p, &len, &flag, &err), -1));
		cr_expect(eq(str, err.msg, "shared string 20000 does not exist (the workbook has "
		                           "20000)"));
	}
	hx_strstore_free(s);
}

Test(strstore, long_strings_past_the_window)
{
	struct hx_strstore *s = hx_strstore_new(16);
	struct hx_error err;
	size_t big = 200000;
	char *a = malloc(big);
	const char *p;
	size_t len;
	int flag;

	memset(a, 'q', big);
	cr_assert(eq(int, hx_strstore_add(s, "x", 1, 0, &err), 0));
	cr_assert(eq(int, hx_strstore_add(s, a, big, 0, &err), 0));
	cr_assert(eq(int, hx_strstore_add(s, "y", 1, 0, &err), 0));
	cr_assert(eq(int, hx_strstore_get(s, 1, &p, &len, &flag, &err), 0));
	cr_expect(eq(sz, len, big));
	cr_expect(p[0] == 'q' && p[big - 1] == 'q' && p[big] == '\0');
	cr_assert(eq(int, hx_strstore_get(s, 2, &p, &len, &flag, &err), 0));
	cr_expect(eq(str, p, "y"));
	cr_assert(eq(int, hx_strstore_get(s, 0, &p, &len, &flag, &err), 0));
	cr_expect(eq(str, p, "x"));
	hx_strstore_free(s);
	free(a);
}
