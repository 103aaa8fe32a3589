/*
 * The CSV reader from tables of cases: delimiters, line ends, RFC 4180
 * quoting with newlines inside quotes, physical line numbers, the BOM,
 * blank lines, caps on fields and records, and input arriving in pieces
 * of every size (a chunk boundary anywhere must change nothing).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csvread.h"
#include "lengthof.h"

/* A source that hands out at most `piece` bytes per read. */
struct source {
	const char *p;
	size_t len, pos, piece;
	size_t small_reads; /* calls with a cap under HX_CSV_MIN_READ */
};

static ssize_t read_piece(void *ctx, char *buf, size_t cap, struct hx_error *err)
{
	struct source *s = ctx;
	size_t n = s->len - s->pos;

	(void)err;
	if (cap < HX_CSV_MIN_READ)
		s->small_reads++;
	if (n > cap)
		n = cap;
	if (n > s->piece)
		n = s->piece;
	memcpy(buf, s->p + s->pos, n);
	s->pos += n;
	return (ssize_t)n;
}

/*
 * Render every record as "LINE-LAST:f1|f2|...;" (fields with '|' between,
 * newlines inside fields as '/'), or "ERR:message" at the first error.
 */
static char *render(const char *input, size_t len, size_t piece, const struct hx_csv_options *o)
{
	struct source s = {input, len, 0, piece, 0};
	struct hx_csv_reader *r = hx_csv_new(read_piece, &s, o);
	struct hx_csv_record rec;
	struct hx_error err;
	struct hx_buf out;
	int rc;

	hx_buf_init(&out, 1 << 20);
	while ((rc = hx_csv_next(r, &rec, &err)) == 1) {
		hx_buf_printf(&out, "%ld-%ld:", rec.line, rec.last_line);
		for (size_t i = 0; i < rec.nfields; i++) {
			if (i > 0)
				hx_buf_putc(&out, '|');
			for (size_t j = 0; j < rec.lens[i]; j++) {
				char c = rec.fields[i][j];
				hx_buf_putc(&out, c == '\n' ? '/' : c == '\r' ? '^' : c);
			}
		}
		if (rec.too_long_field)
			hx_buf_printf(&out, "!long%zu", rec.too_long_field);
		hx_buf_putc(&out, ';');
	}
	if (rc < 0)
		hx_buf_printf(&out, "ERR:%s", err.msg);
	hx_csv_free(r);
	char *res = strdup(hx_buf_str(&out));
	hx_buf_free(&out);
	return res;
}

struct csv_case {
	const char *name;
	const char *input;
	const char *want;
};

static const struct csv_case cases[] = {
	{"comma LF", "a,b\n1,2\n", "1-1:a|b;2-2:1|2;"},
	{"semicolon CRLF (Excel vi-VN)", "a;b\r\n1,5;2\r\n", "1-1:a|b;2-2:1,5|2;"},
	{"TAB", "a\tb\n\t2\n", "1-1:a|b;2-2:|2;"},
	{"CR only (old Mac)", "a,b\r1,2\r3,4", "1-1:a|b;2-2:1|2;3-3:3|4;"},
	{"no final line end", "a,b\n1,2", "1-1:a|b;2-2:1|2;"},
	{"blank lines count but yield nothing", "a,b\n\n1,2\n\r\n3,4\n", "1-1:a|b;3-3:1|2;5-5:3|4;"},
	{"quoted delimiter and doubled quote", "a,b\n\"x,y\",\"say \"\"hi\"\"\"\n",
	 "1-1:a|b;2-2:x,y|say \"hi\";"},
	{"quoted newline: physical lines", "a,b\n\"two\nlines\",1\n3,4\n", "1-1:a|b;2-3:two/lines|1;4-4:3|4;"},
	{"quoted CRLF inside a CRLF file", "a,b\r\n\"x\r\ny\r\nz\",1\r\n2,3\r\n",
	 "1-1:a|b;2-4:x^/y^/z|1;5-5:2|3;"},
	{"UTF-8 BOM skipped", "\xEF\xBB\xBFnăm,mã\n2019,22246\n", "1-1:năm|mã;2-2:2019|22246;"},
	{"semicolon header with commas in quotes", "\"a,1\";b;c\n1;2;3\n", "1-1:a,1|b|c;2-2:1|2|3;"},
	{"empty fields", "a,b,c\n,,\n", "1-1:a|b|c;2-2:||;"},
	{"spaces around unquoted fields trimmed", "a , b\n 1 ,2 \n", "1-1:a|b;2-2:1|2;"},
	{"unclosed quote at end", "a,b\n1,\"oops\n2,3\n", "1-1:a|b;ERR:line 3: the quote opened in the record of line 2 is never closed"},
	{"empty input", "", ""},
	{"only a BOM", "\xEF\xBB\xBF", ""},
};

Test(csvread, table_of_cases_in_pieces_of_every_size)
{
	for (size_t i = 0; i < lengthof(cases); i++) {
		size_t len = strlen(cases[i].input);

		for (size_t piece = 1; piece <= len + 1; piece++) {
			char *got = render(cases[i].input, len, piece, NULL);

			cr_assert(eq(str, got, cases[i].want), "case \"%s\", pieces of %zu",
			          cases[i].name, piece);
			free(got);
		}
	}
}

Test(csvread, detects_the_delimiter)
{
	static const struct {
		const char *input;
		char want;
	} d[] = {{"a,b,c\n", ','}, {"a;b;c\n", ';'}, {"a\tb\tc\n", '\t'}, {"a\n", ','},
	         {"\"x;y\",b,c\n", ','}, {"a;b,c;d\n", ';'}};

	for (size_t i = 0; i < lengthof(d); i++) {
		struct source s = {d[i].input, strlen(d[i].input), 0, 1000, 0};
		struct hx_csv_reader *r = hx_csv_new(read_piece, &s, NULL);
		struct hx_csv_record rec;
		struct hx_error err;

		cr_assert(eq(int, hx_csv_next(r, &rec, &err), 1));
		cr_assert(eq(chr, hx_csv_delimiter(r), d[i].want), "input %s", d[i].input);
		hx_csv_free(r);
	}
}

Test(csvread, a_field_over_the_cap_is_truncated_and_flagged)
{
	struct hx_csv_options o = {.max_field = 4, .max_record = 64, .delimiter = 0};
	char *got = render("a,b\n12345,1\n1,2\n", 16, 3, &o);

	cr_assert(eq(str, got, "1-1:a|b;2-2:1234|1!long1;3-3:1|2;"));
	free(got);
}

Test(csvread, a_record_over_the_cap_is_an_error_naming_its_line)
{
	struct hx_csv_options o = {.max_field = 1024, .max_record = 100, .delimiter = 0};
	struct hx_buf in;
	char *got;

	hx_buf_init(&in, 1 << 20);
	hx_buf_puts(&in, "a,b\n1,2\n\"");
	for (int i = 0; i < 50; i++)
		hx_buf_puts(&in, "xxxx\n");
	got = render(in.data, in.len, 7, &o);
	cr_assert(eq(str, got,
	             "1-1:a|b;2-2:1|2;ERR:line 3: a record longer than 100 bytes starts here "
	             "(a quote that is never closed?)"));
	free(got);
	hx_buf_free(&in);
}

Test(csvread, a_20_mb_field_does_not_allocate_20_mb)
{
	/* The default caps: the 20 MB quoted field fails at 1 MiB. */
	size_t len = (size_t)20 << 20;
	char *big = malloc(len + 16);
	char *got;

	memcpy(big, "a\n\"", 3);
	memset(big + 3, 'x', len - 3);
	got = render(big, len, 1 << 16, NULL);
	cr_assert(strstr(got, "ERR:line 2: a record longer than 1048576 bytes") != NULL, "%s",
	          got);
	free(got);
	free(big);
}

Test(csvread, raw_text_and_line_counts)
{
	const char *in = "a;b\r\n\"x\r\ny\";2\r\n";
	struct source s = {in, strlen(in), 0, 5, 0};
	struct hx_csv_reader *r = hx_csv_new(read_piece, &s, NULL);
	struct hx_csv_record rec;
	struct hx_error err;

	cr_assert(eq(int, hx_csv_next(r, &rec, &err), 1));
	cr_assert(eq(int, hx_csv_next(r, &rec, &err), 1));
	cr_assert(eq(int, (int)rec.raw_len, 8));
	cr_assert(eq(int, memcmp(rec.raw, "\"x\r\ny\";2", 8), 0));
	cr_assert(eq(int, hx_csv_next(r, &rec, &err), 0));
	cr_assert(eq(long, hx_csv_lines(r), 3));
	cr_assert(eq(ulong, (unsigned long)hx_csv_bytes(r), (unsigned long)strlen(in)));
	hx_csv_free(r);
}

Test(csvread, the_delimiter_does_not_depend_on_how_reads_split_the_header)
{
	/* A header cell with a line break inside quotes (Excel's wrapped text). */
	const char *in = "\"Mã\nđơn vị\";Năm;Danh hiệu\n22969;2016;family\n";
	size_t len = strlen(in);

	for (size_t piece = 1; piece <= len; piece++) {
		struct source s = {in, len, 0, piece, 0};
		struct hx_csv_reader *r = hx_csv_new(read_piece, &s, NULL);
		struct hx_csv_record rec;
		struct hx_error err;

		cr_assert(eq(int, hx_csv_next(r, &rec, &err), 1));
		cr_assert(eq(chr, hx_csv_delimiter(r), ';'), "pieces of %zu", piece);
		cr_assert(eq(int, (int)rec.nfields, 3), "pieces of %zu", piece);
		hx_csv_free(r);
	}
}

/*
 * A quote left open in the header keeps the first read going to the end of
 * its chunk; it must not ask for fewer bytes than a converting reader needs
 * (a UTF-16 reader asked for 6 made no progress and looped for ever).
 */
Test(csvread, the_first_chunk_never_asks_for_fewer_than_the_minimum_read)
{
	size_t len = 70000;
	char *in = malloc(len);

	cr_assert(in != NULL);
	memset(in, 'a', len);
	memcpy(in, "year,note\"", 10);
	for (size_t piece = 65520; piece < 65536; piece++) {
		struct source s = {in, len, 0, piece, 0};
		struct hx_csv_reader *r = hx_csv_new(read_piece, &s, NULL);
		struct hx_csv_record rec;
		struct hx_error err;

		while (hx_csv_next(r, &rec, &err) > 0)
			;
		cr_assert(eq(sz, s.small_reads, 0), "pieces of %zu", piece);
		hx_csv_free(r);
	}
	free(in);
}

Test(csvread, the_record_cap_is_exact_even_for_many_short_lines)
{
	/* 120 bytes of short quoted lines against a cap of 100: an error, whatever
	 * the buffer's allocation has grown to. */
	struct hx_csv_options o = {.max_field = 1024, .max_record = 100, .delimiter = 0};
	struct hx_buf in;
	char *got;

	hx_buf_init(&in, 1 << 20);
	hx_buf_puts(&in, "a,b\n1,\"");
	for (int i = 0; i < 40; i++)
		hx_buf_puts(&in, "xx\n");
	hx_buf_puts(&in, "\"\n");
	for (size_t piece = 1; piece <= in.len; piece += 7) {
		got = render(in.data, in.len, piece, &o);
		cr_assert(strstr(got, "ERR:line 2: a record longer than 100 bytes") != NULL,
		          "pieces of %zu: %s", piece, got);
		free(got);
	}
	hx_buf_free(&in);
}

/*
 * Rows of delimiters only, as Excel writes below the data of a sheet: blank
 * (the ingest skips them like blank lines), whatever blanks surround the
 * delimiters; one value anywhere makes the row a row.
 */
Test(csvread, a_row_of_delimiters_only_is_blank)
{
	static const struct {
		const char *input; /* a header, then the row under test */
		int want;
	} c[] = {
		{"a;b;c;d\n;;;\n", 1},
		{"a,b,c,d,e\n,,,,\n", 1},
		{"a;b;c\n ; ;\t\n", 1},
		{"a\tb\tc\n \t \t \n", 1},
		{"a;b;c\n;x;\n", 0},
		{"a;b;c\n;;0\n", 0},
		{"a;b;c\n\" \";;\n", 0},   /* a quoted blank is a value as written */
		{"a,b,c\n;;;\n", 0},       /* one value ";;;" in a comma file */
	};

	for (size_t i = 0; i < lengthof(c); i++) {
		struct source s = {c[i].input, strlen(c[i].input), 0, 1000, 0};
		struct hx_csv_reader *r = hx_csv_new(read_piece, &s, NULL);
		struct hx_csv_record rec;
		struct hx_error err;

		cr_assert(eq(int, hx_csv_next(r, &rec, &err), 1));
		cr_assert(eq(int, hx_csv_record_blank(&rec), 0), "the header of case %zu", i);
		cr_assert(eq(int, hx_csv_next(r, &rec, &err), 1), "case %zu", i);
		cr_assert(eq(int, hx_csv_record_blank(&rec), c[i].want), "case %zu: %s", i,
		          c[i].input);
		hx_csv_free(r);
	}
}
