/*
 * test_report_rows.c — the CSV and JSON of a table's rows, written in one
 * pass (report/rowsout.c), from a table of cases: each value kind, quoting
 * and escaping, NULL, --excel's decimal comma and ";", a list of codes
 * with stray spaces, and a number PostgreSQL may print that no file can
 * hold.  The rows are a PGresult made in memory.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "lengthof.h"
#include "report.h"
#include "testsupport.h"

static const struct report_column columns[] = {
	{"name", REPORT_TEXT}, {"codes", REPORT_LIST}, {"rate", REPORT_NUM},
	{"flag", REPORT_BOOL}, {"n", REPORT_INT},
};
static const struct report_table table = {"t", "report/t.sql", columns, lengthof(columns), 0,
                                          REPORT_ORDER_SQL};

struct row_case {
	const char *v[5];  /* NULL: SQL NULL */
	int excel;
	const char *csv;   /* the row's CSV line, without its LF */
	const char *json;  /* the row's JSON object */
};

static const struct row_case cases[] = {
	{{"plain", "22969 22972", "70.68", "t", "5"}, 0, "plain,22969 22972,70.68,true,5",
	 "{\"name\": \"plain\", \"codes\": [\"22969\", \"22972\"], \"rate\": 70.68, \"flag\": true, "
	 "\"n\": 5}"},
	{{"a \"q\", b", "", "0.10", "f", "-3"}, 0, "\"a \"\"q\"\", b\",,0.10,false,-3",
	 "{\"name\": \"a \\\"q\\\", b\", \"codes\": [], \"rate\": 0.10, \"flag\": false, "
	 "\"n\": -3}"},
	{{"tab\there\nline\rcr\x01 back\\slash", NULL, NULL, NULL, NULL}, 0,
	 "\"tab\there\nline\rcr\x01 back\\slash\",,,,",
	 "{\"name\": \"tab\\there\\nline\\rcr\\u0001 back\\\\slash\", \"codes\": null, "
	 "\"rate\": null, \"flag\": null, \"n\": null}"},
	{{"Xã Liên Hương", "  22969   22972 ", "100.00", "t", "0"}, 0,
	 "Xã Liên Hương,  22969   22972 ,100.00,true,0",
	 "{\"name\": \"Xã Liên Hương\", \"codes\": [\"\", \"22969\", \"22972\"], "
	 "\"rate\": 100.00, \"flag\": true, \"n\": 0}"},
	{{"a, b; c", "22969", "70.68", "t", "7105"}, 1, "\"a, b; c\";22969;70,68;true;7105",
	 "{\"name\": \"a, b; c\", \"codes\": [\"22969\"], \"rate\": 70.68, \"flag\": true, "
	 "\"n\": 7105}"},
	{{"a, b", "22969", "5", "t", "1"}, 1, "a, b;22969;5;true;1",
	 "{\"name\": \"a, b\", \"codes\": [\"22969\"], \"rate\": 5, \"flag\": true, \"n\": 1}"},
};

static PGresult *make(const struct row_case *rc, int n)
{
	const char *names[lengthof(columns)];
	PGresult *res;

	for (size_t c = 0; c < lengthof(columns); c++)
		names[c] = columns[c].name;
	res = hx_test_result(names, (int)lengthof(columns));
	for (int r = 0; r < n; r++)
		hx_test_result_row(res, r, rc[r].v, (int)lengthof(columns));
	return res;
}

/* Write one case's row both ways; CSV and JSON as written, or -1 with err. */
static int write_case(const struct row_case *rc, char **csv, char **json, struct hx_error *err)
{
	struct report_status st;
	PGresult *res = make(rc, 1);
	size_t nc = 0, nj = 0;
	FILE *fc = open_memstream(csv, &nc), *fj = open_memstream(json, &nj);
	int ret;

	cr_assert(fc != NULL && fj != NULL);
	memset(&st, 0, sizeof st);
	snprintf(st.generated_at, sizeof st.generated_at, "2026-12-07T00:00:00Z");
	ret = report_rows_write(fc, "t.csv", NULL, fj, "t.json", NULL, &table, res, NULL, rc->excel,
	                        &st, err);
	fclose(fc);
	fclose(fj);
	PQclear(res);
	return ret;
}

Test(rows, each_case_as_csv_and_json)
{
	size_t i;

	for (i = 0; i < lengthof(cases); i++) {
		const struct row_case *rc = &cases[i];
		char *csv = NULL, *json = NULL, *want_csv, *want_json;
		struct hx_error err;

		hx_error_clear(&err);
		cr_assert_eq(write_case(rc, &csv, &json, &err), 0, "case %zu: %s", i, err.msg);
		want_csv = rc->excel ? hx_asprintf("\xEF\xBB\xBFname;codes;rate;flag;n\n%s\n", rc->csv)
		                     : hx_asprintf("name,codes,rate,flag,n\n%s\n", rc->csv);
		want_json = hx_asprintf("{\n  \"generated_at\": \"2026-12-07T00:00:00Z\",\n"
		                            "  \"data_as_of\": null,\n  \"rows\": [\n    %s\n  ]\n}\n",
		                            rc->json);
		cr_expect_str_eq(csv, want_csv, "case %zu", i);
		cr_expect_str_eq(json, want_json, "case %zu", i);
		free(want_csv);
		free(want_json);
		free(csv);
		free(json);
	}
}

/* Rows in the order given, the last without a comma; no rows: an empty array. */
Test(rows, several_rows_in_order_and_none)
{
	static const struct row_case two[] = {
		{{"b", NULL, NULL, NULL, "2"}, 0, NULL, NULL},
		{{"a", NULL, NULL, NULL, "1"}, 0, NULL, NULL},
	};
	const int order[2] = {1, 0};
	struct report_status st;
	PGresult *res = make(two, 2);
	char *csv = NULL, *json = NULL;
	size_t nc = 0, nj = 0;
	FILE *fc = open_memstream(&csv, &nc), *fj = open_memstream(&json, &nj);
	struct hx_error err;

	memset(&st, 0, sizeof st);
	hx_error_clear(&err);
	cr_assert_eq(report_rows_write(fc, "t.csv", NULL, fj, "t.json", NULL, &table, res, order, 0,
	                               &st, &err),
	             0, "%s", err.msg);
	fclose(fc);
	fclose(fj);
	cr_expect_str_eq(csv, "name,codes,rate,flag,n\na,,,,1\nb,,,,2\n");
	cr_expect(strstr(json, "\"n\": 1},\n    {\"name\": \"b\"") != NULL, "%s", json);
	cr_expect(strstr(json, "\"n\": 2}\n  ]\n}\n") != NULL, "%s", json);
	free(csv);
	free(json);
	PQclear(res);

	res = make(two, 0);
	csv = json = NULL;
	fc = open_memstream(&csv, &nc);
	fj = open_memstream(&json, &nj);
	cr_assert_eq(report_rows_write(fc, "t.csv", NULL, fj, "t.json", NULL, &table, res, NULL, 0,
	                               &st, &err),
	             0);
	fclose(fc);
	fclose(fj);
	cr_expect_str_eq(csv, "name,codes,rate,flag,n\n");
	cr_expect_str_eq(json, "{\n  \"generated_at\": null,\n  \"data_as_of\": null,\n"
	                       "  \"rows\": []\n}\n");
	free(csv);
	free(json);
	PQclear(res);
}

/* A numeric PostgreSQL prints as NaN has no place in either file: the column, file and row. */
Test(rows, a_number_no_file_can_hold_is_refused)
{
	static const struct row_case bad = {{"x", NULL, "NaN", NULL, NULL}, 0, NULL, NULL};
	char *csv = NULL, *json = NULL;
	struct hx_error err;

	hx_error_clear(&err);
	cr_assert_eq(write_case(&bad, &csv, &json, &err), -1);
	cr_expect_eq(err.code, HX_SOFTWARE);
	cr_expect_str_eq(err.msg, "rate: \"NaN\" is not a plain decimal number");
	cr_expect_str_eq(err.detail, "writing t.csv, row 1");
	free(csv);
	free(json);
}
