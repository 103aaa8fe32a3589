/*
 * fuzz_xlsx.c — libFuzzer target for common/xlsx.h, the .xlsx reader.
 * The first byte picks the mode; the rest is the data:
 *   bit 0 clear  the data is the workbook file itself (libzip's container
 *                parsing, OLE sniffing, every refusal on the way);
 *   bit 0 set    the data is XML: up to the first NUL the sheet, after it
 *                the shared strings, put by the harness into a stored
 *                (uncompressed) workbook with a fixed workbook.xml, .rels
 *                and styles.xml, so the mutations reach the XML parsing,
 *                the cells, the header search and the merge scan;
 *   bit 1        a header predicate (a row whose first cell is "Năm") or
 *                none (the first non-blank row);
 *   bit 2        a field cap of 16 bytes instead of 64 KiB.
 * Oracles beyond "no crash, no leak, no UB": an open or read that fails
 * has an error code and a one-line message; every row has a sheet name,
 * at most HX_CSV_MAX_FIELDS fields, each NUL-terminated at its length and
 * no longer than the cap, a type in range, and text fields valid UTF-8;
 * row numbers only grow after the header.  And the row scanner
 * (common/sheetscan.h) changes nothing: the workbook read again with
 * HX_XLSX_EXPAT_ONLY gives the same rows, cells, types and flags, and
 * ends the same way with the same message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "buf.h"
#include "i18n.h"
#include "lengthof.h"
#include "text.h"
#include "xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char rels[] =
	"<Relationships><Relationship Id=\"rId1\" Type=\"x/officeDocument\" "
	"Target=\"xl/workbook.xml\"/></Relationships>";
static const char workbook[] =
	"<workbook><workbookPr date1904=\"0\"/><sheets><sheet name=\"Báo cáo\" sheetId=\"1\" "
	"r:id=\"rId1\"/></sheets></workbook>";
static const char wb_rels[] =
	"<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" "
	"Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"x/styles\" "
	"Target=\"styles.xml\"/><Relationship Id=\"rId3\" Type=\"x/sharedStrings\" "
	"Target=\"sharedStrings.xml\"/></Relationships>";
static const char styles[] =
	"<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/></numFmts>"
	"<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"10\"/>"
	"<xf numFmtId=\"164\"/></cellXfs></styleSheet>";

/* A stored workbook around sheet and sst: a malloc'd buffer, *len its size. */
static void *wrap(const uint8_t *sheet, size_t nsheet, const uint8_t *sst, size_t nsst,
                  size_t *len)
{
	const struct {
		const char *name;
		const void *data;
		size_t n;
	} parts[] = {
		{"_rels/.rels", rels, sizeof rels - 1},
		{"xl/workbook.xml", workbook, sizeof workbook - 1},
		{"xl/_rels/workbook.xml.rels", wb_rels, sizeof wb_rels - 1},
		{"xl/styles.xml", styles, sizeof styles - 1},
		{"xl/worksheets/sheet1.xml", sheet, nsheet},
		{"xl/sharedStrings.xml", sst, nsst},
	};
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	zip_stat_t st;
	void *out = NULL;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	za = src != NULL ? zip_open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
	zip_error_fini(&ze);
	if (za == NULL)
		abort();
	zip_source_keep(src);
	for (size_t i = 0; i < lengthof(parts); i++) {
		zip_source_t *s = zip_source_buffer(za, parts[i].data, parts[i].n, 0);
		zip_int64_t k = zip_file_add(za, parts[i].name, s, 0);

		if (k < 0 || zip_set_file_compression(za, (zip_uint64_t)k, ZIP_CM_STORE, 0) < 0)
			abort();
	}
	if (zip_close(za) < 0 || zip_source_stat(src, &st) < 0 || zip_source_open(src) < 0)
		abort();
	out = malloc(st.size > 0 ? st.size : 1);
	if (zip_source_read(src, out, st.size) != (zip_int64_t)st.size)
		abort();
	zip_source_close(src);
	zip_source_free(src);
	*len = st.size;
	return out;
}

static int first_is_year(void *ctx, const struct hx_row *row)
{
	(void)ctx;
	return row->nfields > 0 && strcmp(row->fields[0], "Năm") == 0;
}

static void check_error(const struct hx_error *err)
{
	if (err->code == 0 || err->msg[0] == '\0' || strchr(err->msg, '\n') != NULL)
		abort();
}

/* Read every row of data as the reader would with flags, checking each; the transcript into t. */
static void run(const void *data, size_t len, const struct hx_sheet_options *o, unsigned flags,
                struct hx_buf *t)
{
	struct hx_error err;
	struct hx_xlsx *x;
	struct hx_row row;
	size_t cap = o->max_field > 0 ? o->max_field : HX_CSV_MAX_FIELD_DEFAULT;
	long last = 0;
	int rc, first = 1;

	x = hx_xlsx_open_flags(NULL, data, len, o, flags, &err);
	if (x == NULL) {
		check_error(&err);
		hx_buf_printf(t, "open %d %s\n", err.code, err.msg);
		return;
	}
	while ((rc = hx_xlsx_next(x, &row, &err)) == 1) {
		if (row.sheet == NULL || row.nfields > HX_CSV_MAX_FIELDS)
			abort();
		if (!first && row.line <= last)
			abort();
		hx_buf_printf(t, "%s %ld %ld %zu %d:", row.sheet, row.line, row.last_line,
		              row.too_long_field, row.too_many_fields);
		for (size_t i = 0; i < row.nfields; i++) {
			enum hx_cell_type ty = hx_row_type(&row, i);

			if (row.fields[i][row.lens[i]] != '\0' || (unsigned)ty > HX_CELL_ERROR)
				abort();
			if (row.lens[i] > cap + 2 && ty == HX_CELL_TEXT)
				abort();
			if (hx_text_utf8_check(row.fields[i], row.lens[i], NULL) < 0 &&
			    memchr(row.fields[i], 0, row.lens[i]) == NULL)
				abort();
			hx_buf_printf(t, " %d:", (int)ty);
			hx_buf_append(t, row.fields[i], row.lens[i]);
		}
		hx_buf_putc(t, '\n');
		if (!first)
			last = row.line;
		else
			last = row.last_line;
		first = 0;
	}
	if (rc < 0)
		check_error(&err);
	hx_buf_printf(t, "end %d %s\n", rc, rc < 0 ? err.msg : "");
	hx_xlsx_close(x);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hx_sheet_options o;
	struct hx_buf fast, slow;
	const void *wb = data;
	void *book = NULL;
	size_t len;
	int mode;
	static int init;

	if (!init) {
		hx_i18n_init("en");
		init = 1;
	}
	if (size < 1)
		return 0;
	mode = data[0];
	data++, size--;
	memset(&o, 0, sizeof o);
	o.is_header = (mode & 2) ? first_is_year : NULL;
	o.max_field = (mode & 4) ? 16 : 0;
	wb = data;
	len = size;
	if (mode & 1) {
		const uint8_t *nul = memchr(data, 0, size);
		size_t nsheet = nul != NULL ? (size_t)(nul - data) : size;

		book = wrap(data, nsheet, nul != NULL ? nul + 1 : data + size,
		            nul != NULL ? size - nsheet - 1 : 0, &len);
		wb = book;
	}
	hx_buf_init(&fast, (size_t)256 << 20);
	hx_buf_init(&slow, (size_t)256 << 20);
	run(wb, len, &o, 0, &fast);
	run(wb, len, &o, HX_XLSX_EXPAT_ONLY, &slow);
	if (fast.len != slow.len || memcmp(hx_buf_str(&fast), hx_buf_str(&slow), fast.len) != 0)
		abort(); /* the scanner read the sheet otherwise than expat */
	hx_buf_free(&fast);
	hx_buf_free(&slow);
	free(book);
	return 0;
}
