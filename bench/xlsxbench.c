/*
 * xlsxbench.c — hoctap-bench-xlsx: the .xlsx reader's speed and memory
 * beside the CSV reader's, on the same register (issue 20).
 *
 *   hoctap-bench-xlsx gen DIR [ROWS]   write DIR/register.xlsx and the same
 *                                      rows as DIR/register.csv (default
 *                                      400,000 rows; generated, never
 *                                      committed)
 *   hoctap-bench-xlsx read [--expat] FILE
 *                                      read every row (.xlsx through
 *                                      common/xlsx.h, anything else through
 *                                      common/csvread.h) and print
 *                                      "ROWS SECONDS ROWS_PER_S MAXRSS_KIB";
 *                                      --expat: the .xlsx rows through expat
 *                                      alone, not the row scanner
 *
 * The register is shaped as a clerk's: a title row, Vietnamese headers,
 * typed numbers for year, unit, flags and score, and a household name and
 * id per row, which Excel keeps as shared strings (two per row: the table
 * passes its 4 MiB in memory and the rest is read from the temporary file).
 * Only the readers are timed: no database.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "csvread.h"
#include "i18n.h"
#include "vocab.h"
#include "xlsx.h"

#define PROG "hoctap-bench-xlsx"

static const char *const cols[] = {"Năm", "Mã đơn vị", "Danh hiệu", "Mã hộ", "Đăng ký",
                                   "Được công nhận", "Tiêu biểu", "Điểm", "Thôn", "Tên chủ hộ"};
static const char *const villages[] = {"Thôn 1", "Thôn 2", "Thôn Đông", "Thôn Đoài", "Xóm Bãi",
                                       "Ấp Mỹ Lợi", "Bản Nà", "Tổ dân phố 5"};
static const char *const family[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan",
                                     "Vũ", "Võ", "Đặng"};
static const char *const given[] = {"Văn An", "Thị Bình", "Văn Cường", "Thị Dung", "Hữu Đức",
                                    "Thị Hà", "Minh Khoa", "Thị Lan", "Quốc Việt", "Thị Yến"};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "%s: %s\n", PROG, what);
	exit(1);
}

/* Row i's values (deterministic). */
struct reg {
	int year, unit, reg, rec, ex, score;
	char id[32], name[64];
	const char *village;
};

static void row_of(long i, struct reg *r)
{
	unsigned long h = (unsigned long)i * 2654435761u;

	r->year = 2019;
	r->unit = 22915 + (int)(i / 4000);
	snprintf(r->id, sizeof r->id, "HH%07ld", i);
	r->reg = (h >> 3) % 10 != 0;
	r->rec = r->reg && (h >> 7) % 4 != 0;
	r->ex = r->rec && (h >> 11) % 10 == 0;
	r->score = 50 + (int)((h >> 13) % 50);
	r->village = villages[(h >> 17) % 8];
	snprintf(r->name, sizeof r->name, "%s %s %ld", family[(h >> 19) % 10],
	         given[(h >> 23) % 10], i);
}

static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '<')
			fputs("&lt;", f);
		else
			fputc(*s, f);
	}
}

static void add_file(zip_t *za, const char *name, const char *path)
{
	zip_source_t *s = zip_source_file(za, path, 0, -1);

	if (s == NULL || zip_file_add(za, name, s, ZIP_FL_ENC_UTF_8) < 0)
		die(zip_strerror(za));
}

static void add_text(zip_t *za, const char *name, const char *text)
{
	zip_source_t *s = zip_source_buffer(za, text, strlen(text), 0);

	if (s == NULL || zip_file_add(za, name, s, ZIP_FL_ENC_UTF_8) < 0)
		die(zip_strerror(za));
}

static int gen(const char *dir, long rows)
{
	char sheet[4096], sst[4096], csv[4096], xlsx[4096];
	FILE *fs, *fx, *fc;
	zip_t *za;
	int zerr;
	long nstr = 0;

	snprintf(sheet, sizeof sheet, "%s/sheet1.xml.tmp", dir);
	snprintf(sst, sizeof sst, "%s/sharedStrings.xml.tmp", dir);
	snprintf(csv, sizeof csv, "%s/register.csv", dir);
	snprintf(xlsx, sizeof xlsx, "%s/register.xlsx", dir);
	fs = fopen(sheet, "w");
	fx = fopen(sst, "w");
	fc = fopen(csv, "w");
	if (fs == NULL || fx == NULL || fc == NULL)
		die("cannot write in DIR");
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas."
	      "openxmlformats.org/spreadsheetml/2006/main\"><sheetData>", fs);
	/* shared strings: the title, the villages, the headers, then two per row */
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas."
	      "openxmlformats.org/spreadsheetml/2006/main\">", fx);
	fputs("<si><t>Gia đình học tập</t></si>", fx);
	nstr++;
	for (int v = 0; v < 8; v++, nstr++)
		fprintf(fx, "<si><t>%s</t></si>", villages[v]);
	fprintf(fs, "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>DANH SÁCH HỘ GIA ĐÌNH "
	            "ĐĂNG KÝ NĂM 2019</t></is></c></row><row r=\"2\">");
	for (int c = 0; c < 10; c++) {
		fprintf(fx, "<si><t>%s</t></si>", cols[c]);
		fprintf(fs, "<c r=\"%c2\" t=\"s\"><v>%ld</v></c>", 'A' + c, nstr++);
		fprintf(fc, "%s%s", c > 0 ? "," : "", cols[c]);
	}
	fputs("</row>", fs);
	fputc('\n', fc);
	for (long i = 0; i < rows; i++) {
		struct reg r;
		long line = i + 3;
		int v = 0;

		row_of(i, &r);
		for (int k = 0; k < 8; k++)
			if (strcmp(villages[k], r.village) == 0)
				v = k;
		fprintf(fx, "<si><t>%s</t></si><si><t>", r.id);
		xml_text(fx, r.name);
		fputs("</t></si>", fx);
		fprintf(fs, "<row r=\"%ld\"><c r=\"A%ld\"><v>%d</v></c><c r=\"B%ld\"><v>%d</v></c>"
		            "<c r=\"C%ld\" t=\"s\"><v>0</v></c><c r=\"D%ld\" t=\"s\"><v>%ld</v></c>"
		            "<c r=\"E%ld\"><v>%d</v></c><c r=\"F%ld\"><v>%d</v></c>"
		            "<c r=\"G%ld\"><v>%d</v></c><c r=\"H%ld\"><v>%d</v></c>"
		            "<c r=\"I%ld\" t=\"s\"><v>%d</v></c><c r=\"J%ld\" t=\"s\"><v>%ld</v></c></row>",
		        line, line, r.year, line, r.unit, line, line, nstr, line, r.reg, line, r.rec,
		        line, r.ex, line, r.score, line, 1 + v, line, nstr + 1);
		nstr += 2;
		fprintf(fc, "%d,%d,Gia đình học tập,%s,%d,%d,%d,%d,%s,%s\n", r.year, r.unit, r.id, r.reg,
		        r.rec, r.ex, r.score, r.village, r.name);
	}
	fputs("</sheetData></worksheet>", fs);
	fputs("</sst>", fx);
	if (fclose(fs) != 0 || fclose(fx) != 0 || fclose(fc) != 0)
		die("write failed");
	za = zip_open(xlsx, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	if (za == NULL)
		die("cannot create the workbook");
	add_text(za, "[Content_Types].xml", "<?xml version=\"1.0\"?><Types/>");
	add_text(za, "_rels/.rels",
	         "<?xml version=\"1.0\"?><Relationships><Relationship Id=\"rId1\" "
	         "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	         "officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
	add_text(za, "xl/workbook.xml",
	         "<?xml version=\"1.0\"?><workbook xmlns:r=\"r\"><sheets><sheet name=\"Danh sách\" "
	         "sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
	add_text(za, "xl/_rels/workbook.xml.rels",
	         "<?xml version=\"1.0\"?><Relationships>"
	         "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
	         "2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	         "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
	         "2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
	         "</Relationships>");
	add_file(za, "xl/worksheets/sheet1.xml", sheet);
	add_file(za, "xl/sharedStrings.xml", sst);
	if (zip_close(za) < 0)
		die("cannot write the workbook");
	unlink(sheet);
	unlink(sst);
	printf("%s\n%s\n", xlsx, csv);
	return 0;
}

/* A header names at least three known submission columns. */
static int known_columns(void *ctx, const struct hx_row *row)
{
	int n = 0;

	(void)ctx;
	for (size_t i = 0; i < row->nfields; i++) {
		enum hx_col c;

		n += hx_vocab_column(row->fields[i], row->lens[i], HX_VOCAB_SUBMISSION, &c) == 0;
	}
	return n >= 3;
}

static int read_file(const char *path, unsigned flags)
{
	struct hx_error err;
	struct rusage ru;
	unsigned long long bytes = 0;
	long rows = 0;
	double t0 = now(), dt;
	size_t n = strlen(path);

	if (n > 5 && strcmp(path + n - 5, ".xlsx") == 0) {
		struct hx_sheet_options o = {.is_header = known_columns};
		struct hx_xlsx *x = hx_xlsx_open_flags(path, NULL, 0, &o, flags, &err);
		struct hx_row row;
		int rc;

		if (x == NULL)
			die(err.msg);
		while ((rc = hx_xlsx_next(x, &row, &err)) == 1) {
			rows++;
			for (size_t i = 0; i < row.nfields; i++)
				bytes += row.lens[i];
		}
		if (rc < 0)
			die(err.msg);
		{
			size_t mem, all = hx_xlsx_shared_strings(x, &mem);
			const char *why;
			size_t scanned = hx_xlsx_scanned_rows(x, &why);

			fprintf(stderr, "%s: sheet \"%s\", %zu shared strings (%zu in memory), %zu rows "
			        "scanned%s%s\n", PROG, hx_xlsx_sheet_name(x), all, mem, scanned,
			        why != NULL ? ", then expat: " : "", why != NULL ? why : "");
		}
		hx_xlsx_close(x);
	} else {
		int fd = open(path, O_RDONLY);
		struct hx_csv_reader *r;
		struct hx_csv_record rec;
		int rc;

		if (fd < 0)
			die("cannot open the file");
		r = hx_csv_new_fd(fd, NULL);
		while ((rc = hx_csv_next(r, &rec, &err)) == 1) {
			rows++;
			for (size_t i = 0; i < rec.nfields; i++)
				bytes += rec.lens[i];
		}
		if (rc < 0)
			die(err.msg);
		hx_csv_free(r);
		close(fd);
	}
	dt = now() - t0;
	getrusage(RUSAGE_SELF, &ru);
	/* rows counts the header too, as a loader reads it */
	printf("%ld %.3f %.0f %ld\n", rows, dt, (double)rows / dt, ru.ru_maxrss);
	fprintf(stderr, "%s: %llu bytes of fields\n", PROG, bytes);
	return 0;
}

int main(int argc, char **argv)
{
	hx_i18n_init("en");
	if (argc >= 3 && strcmp(argv[1], "gen") == 0)
		return gen(argv[2], argc > 3 ? atol(argv[3]) : 400000);
	if (argc == 3 && strcmp(argv[1], "read") == 0)
		return read_file(argv[2], 0);
	if (argc == 4 && strcmp(argv[1], "read") == 0 && strcmp(argv[2], "--expat") == 0)
		return read_file(argv[3], HX_XLSX_EXPAT_ONLY);
	fprintf(stderr, "usage: %s gen DIR [ROWS] | read [--expat] FILE\n", PROG);
	return 64;
}
