/*
 * test_report_batches.c — the CSV and JSON writers gather rows into writes of
 * REPORT_PUT_BATCH bytes and feed the manifest's digest the same bytes: for
 * a table several batches long, and for an empty one, the digest they give
 * is the sha256 of the file on disk, and the file holds every row once.
 * The rows are a PGresult made in memory (libpq's PQmakeEmptyPGresult), so
 * no server is needed for what is only the writers' bookkeeping.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "sha256.h"

static const struct report_column columns[] = {
	{"scope_code", REPORT_TEXT},
	{"scope_name", REPORT_TEXT},
	{"recognized", REPORT_INT},
	{"rate_eligible", REPORT_NUM},
};
static const struct report_table table = {"rates", "report/rates.sql", columns, 4, 0,
                                          REPORT_ORDER_SQL};

/* nrows rows: a code, a name with a comma and a quote (quoted in CSV, escaped in JSON), numbers. */
static PGresult *make_rows(int nrows)
{
	PGresAttDesc att[4];
	PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
	int r, c;

	cr_assert_not_null(res);
	memset(att, 0, sizeof att);
	for (c = 0; c < 4; c++) {
		att[c].name = (char *)(uintptr_t)columns[c].name;
		att[c].format = 0;
	}
	cr_assert(PQsetResultAttrs(res, 4, att));
	for (r = 0; r < nrows; r++) {
		char code[16], name[96], n[16], rate[16];

		snprintf(code, sizeof code, "%05d", r);
		snprintf(name, sizeof name, "Xã \"Số %d\", huyện Một Hai Ba Bốn Năm Sáu Bảy Tám", r);
		snprintf(n, sizeof n, "%d", r * 7);
		snprintf(rate, sizeof rate, "%d.%02d", r % 100, r % 97);
		cr_assert(PQsetvalue(res, r, 0, code, (int)strlen(code)));
		cr_assert(PQsetvalue(res, r, 1, name, (int)strlen(name)));
		cr_assert(PQsetvalue(res, r, 2, n, (int)strlen(n)));
		/* every tenth rate NULL: an empty CSV field, a JSON null */
		cr_assert(PQsetvalue(res, r, 3, r % 10 == 0 ? NULL : rate,
		                     r % 10 == 0 ? -1 : (int)strlen(rate)));
	}
	return res;
}

/* Write res in format json (0: CSV) to a temporary file; the streamed digest, the file's, lines. */
static void write_and_hash(const PGresult *res, int json, int excel, char streamed[65],
                           char on_disk[65], size_t *bytes, size_t *lines)
{
	static const struct report_status st = {"2026-11-23T09:00:00Z", "2026-11-22T18:00:00Z",
	                                        "2026-11-22T23:00:00Z", 1};
	struct hx_sha256 sha;
	struct hx_error err;
	FILE *f = tmpfile();
	char *data;
	long size;
	size_t i;
	int rc;

	cr_assert_not_null(f);
	memset(&err, 0, sizeof err);
	hx_sha256_init(&sha);
	rc = json ? report_json_write(f, "t.json", &table, res, NULL, &st, &sha, &err)
	          : report_csv_write(f, "t.csv", &table, res, NULL, excel, &sha, &err);
	cr_assert_eq(rc, 0);
	hx_sha256_final_hex(&sha, streamed);
	cr_assert_eq(fflush(f), 0);
	size = ftell(f);
	cr_assert_geq(size, 0);
	rewind(f);
	data = malloc((size_t)size + 1);
	cr_assert_not_null(data);
	cr_assert_eq(fread(data, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	hx_sha256_hex(data, (size_t)size, on_disk);
	*bytes = (size_t)size;
	*lines = 0;
	for (i = 0; i < (size_t)size; i++)
		*lines += data[i] == '\n';
	free(data);
}

Test(report_batches, a_table_of_many_batches_hashes_as_written)
{
	PGresult *res = make_rows(6000);
	char streamed[65], on_disk[65];
	size_t bytes, lines;

	write_and_hash(res, 0, 0, streamed, on_disk, &bytes, &lines);
	cr_assert_gt(bytes, 4 * (size_t)REPORT_PUT_BATCH, "CSV of %zu bytes", bytes);
	cr_assert_str_eq(streamed, on_disk);
	cr_assert_eq(lines, 6001); /* the header and each row once */

	write_and_hash(res, 0, 1, streamed, on_disk, &bytes, &lines); /* --excel: BOM first */
	cr_assert_str_eq(streamed, on_disk);
	cr_assert_eq(lines, 6001);

	write_and_hash(res, 1, 0, streamed, on_disk, &bytes, &lines);
	cr_assert_gt(bytes, 8 * (size_t)REPORT_PUT_BATCH, "JSON of %zu bytes", bytes);
	cr_assert_str_eq(streamed, on_disk);
	cr_assert_eq(lines, 6000 + 6); /* {, two times, "rows": [, each row, ], } */
	PQclear(res);
}

Test(report_batches, an_empty_table_hashes_as_written)
{
	PGresult *res = make_rows(0);
	char streamed[65], on_disk[65];
	size_t bytes, lines;

	write_and_hash(res, 0, 0, streamed, on_disk, &bytes, &lines);
	cr_assert_str_eq(streamed, on_disk);
	cr_assert_eq(lines, 1);
	cr_assert_eq(bytes, strlen("scope_code,scope_name,recognized,rate_eligible\n"));
	write_and_hash(res, 1, 0, streamed, on_disk, &bytes, &lines);
	cr_assert_str_eq(streamed, on_disk);
	cr_assert_eq(lines, 5); /* {, two times, "rows": [], } */
	PQclear(res);
}
