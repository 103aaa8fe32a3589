/*
 * csvread.c splits a line without quotes itself and gives every other line
 * to libcsv: the two must read alike.  The same input read whole (lines
 * inside a chunk: split) and one byte per read (no line whole in a chunk:
 * libcsv) must give the same records, field for field, with the same
 * lines, raw text and flags — for lines chosen to be awkward (blanks around
 * fields, TAB as blank and as delimiter, lines of blanks, CR, CR LF) and
 * for thousands of random ones.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "lengthof.h"

struct mem {
	const char *p;
	size_t len, pos, step;
};

static ssize_t mem_read(void *ctx, char *buf, size_t cap, struct hx_error *err)
{
	struct mem *m = ctx;
	size_t n = m->len - m->pos;

	(void)err;
	if (n > cap)
		n = cap;
	if (n > m->step)
		n = m->step;
	memcpy(buf, m->p + m->pos, n);
	m->pos += n;
	return (ssize_t)n;
}

/* Read input whole and a byte at a time; assert the two agree throughout.  Records read. */
static int same_records(const char *input, size_t len, char delimiter, size_t max_field)
{
	struct hx_csv_options o = {max_field, 0, delimiter};
	struct mem whole = {input, len, 0, 1 << 20}, bytes = {input, len, 0, 1};
	struct hx_csv_reader *a = hx_csv_new(mem_read, &whole, &o);
	struct hx_csv_reader *b = hx_csv_new(mem_read, &bytes, &o);
	struct hx_csv_record ra, rb;
	struct hx_error ea, eb;
	int rc, n = 0;

	do {
		rc = hx_csv_next(a, &ra, &ea);
		cr_assert(eq(int, hx_csv_next(b, &rb, &eb), rc), "record %d of \"%s\"", n, input);
		if (rc != 1)
			break;
		n++;
		cr_assert(eq(long, ra.line, rb.line), "record %d of \"%s\"", n, input);
		cr_assert(eq(long, ra.last_line, rb.last_line));
		cr_assert(eq(sz, ra.nfields, rb.nfields), "record %d of \"%s\"", n, input);
		cr_assert(eq(sz, ra.too_long_field, rb.too_long_field));
		cr_assert(eq(int, ra.too_many_fields, rb.too_many_fields));
		cr_assert(eq(sz, ra.raw_len, rb.raw_len), "record %d of \"%s\"", n, input);
		cr_assert(memcmp(ra.raw, rb.raw, ra.raw_len) == 0);
		for (size_t i = 0; i < ra.nfields; i++) {
			cr_assert(eq(sz, ra.lens[i], rb.lens[i]), "field %zu of record %d of \"%s\"", i,
			          n, input);
			cr_assert(memcmp(ra.fields[i], rb.fields[i], ra.lens[i]) == 0,
			          "field %zu of record %d of \"%s\"", i, n, input);
			cr_assert(ra.fields[i][ra.lens[i]] == '\0');
		}
	} while (rc == 1);
	if (rc < 0)
		cr_assert(eq(str, ea.msg, eb.msg));
	cr_assert(eq(int, hx_csv_delimiter(a), hx_csv_delimiter(b)));
	hx_csv_free(a);
	hx_csv_free(b);
	return n;
}

Test(csvsplit, awkward_lines_read_as_libcsv_reads_them)
{
	static const struct {
		const char *input;
		char delimiter;
		int records;
	} cases[] = {
		{"a,b,c\n1,2,3\n", 0, 2},
		{"a,b\n  1 ,\t2\t\n", 0, 2},               /* blanks around fields trimmed */
		{"a,b\n \t \n1,2\n", 0, 2},                /* a line of blanks is no record */
		{"a,b\n,\n, ,\n", 0, 3},                   /* delimiters alone: empty fields */
		{"a\tb\n 1 \t 2 \n\t\n", '\t', 3},         /* TAB delimits, spaces are blanks */
		{"a;b\r\n1;2\r\n\r\n3;4\r\n", 0, 3},       /* CR LF, a blank line between */
		{"a,b\r1,2\r\r3,4", 0, 3},                 /* CR alone; no line end at the end */
		{"a,b\n1,\"x, y\"\n2,z\n", 0, 3},          /* a quoted field: libcsv's line */
		{"a,b\n1,x\"y\n2,z\n", 0, 3},              /* a quote inside an unquoted field */
		{"a,b\n1,2,,,\n", 0, 2},                   /* trailing delimiters */
		{"a,b\n1234567890,2\n", 0, 2},             /* longer than max_field (4): cut */
		{"\xEF\xBB\xBF" "a,b\n1,2\n", 0, 2},        /* a BOM */
	};

	for (size_t i = 0; i < lengthof(cases); i++)
		cr_assert(eq(int, same_records(cases[i].input, strlen(cases[i].input),
		                               cases[i].delimiter, i == 10 ? 4 : 0),
		             cases[i].records),
		          "case %zu", i);
}

Test(csvsplit, random_lines_read_as_libcsv_reads_them)
{
	static const char alphabet[] = "ab  \t\t,,;;\"\r\n\n";
	char text[600];
	uint64_t x = 0x9e3779b97f4a7c15ULL;

	for (int round = 0; round < 3000; round++) {
		size_t n = 0, len;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		len = 1 + x % (sizeof text - 1);
		memcpy(text, "h1,h2,h3\n", 9);
		for (n = 9; n < len; n++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			text[n] = alphabet[x % (sizeof alphabet - 1)];
		}
		text[n < 9 ? 9 : n] = '\0';
		(void)same_records(text, strlen(text), round % 3 == 0 ? '\t' : 0, 0);
	}
}

/* 512 fields are kept; the 513th and on only say there were too many. */
Test(csvsplit, the_field_cap_is_where_libcsv_has_it)
{
	static const size_t commas[] = {510, 511, 512, 513, 700};

	for (size_t c = 0; c < lengthof(commas); c++) {
		char text[2048];
		size_t n = 0;

		memcpy(text, "a\n", 2);
		n = 2;
		for (size_t i = 0; i < commas[c]; i++) {
			text[n++] = 'x';
			text[n++] = ',';
		}
		text[n++] = '\n';
		text[n] = '\0';
		cr_assert(eq(int, same_records(text, n, ',', 0), 2), "%zu delimiters", commas[c]);
	}
}

/*
 * The splitter looks at a line a block of bytes at a time (16 with SSE2,
 * 8 in the portable build): a delimiter, blank, quote or line end must
 * read alike in any byte of a block, and on either side of a block's edge.
 */
Test(csvsplit, a_mark_reads_alike_at_every_offset)
{
	static const char marks[] = ",; \t\"\r\n\xC3";

	for (size_t m = 0; m < sizeof marks - 1; m++) {
		for (size_t at = 0; at < 70; at++) {
			char text[160];
			size_t n = 0;

			memcpy(text, "h1,h2,h3\n", 9);
			n = 9;
			for (size_t i = 0; i < 72; i++)
				text[n++] = i == at ? marks[m] : (char)('a' + i % 26);
			if (marks[m] == '\xC3')
				text[n - 72 + at + 1] = '\xA1'; /* "á": two bytes, never a mark */
			memcpy(text + n, ",x\n", 3);
			n += 3;
			text[n] = '\0';
			(void)same_records(text, n, 0, 0);
			(void)same_records(text, n, '\t', 0);
			(void)same_records(text, n, ';', 0);
		}
	}
}

/* Register lines as the generator writes them, plain and as a clerk's: the fields themselves. */
Test(csvsplit, register_lines_give_their_fields)
{
	static const struct {
		const char *input;
		size_t nfields;
		const char *fields[10];
	} cases[] = {
		{"year,unit_code,title,entity_id,registered,recognized,exemplary,score,village,"
		 "entity_name\n2020,00001,family,00001-00002,true,false,false,72.5,Tổ dân phố 12,"
		 "Lê Thị Tuyết\n",
		 10,
		 {"2020", "00001", "family", "00001-00002", "true", "false", "false", "72.5",
		  "Tổ dân phố 12", "Lê Thị Tuyết"}},
		{"\xEF\xBB\xBF" "Năm;Mã đơn vị;Danh hiệu;Mã hộ\r\n2020;00001;Gia đình học tập;"
		 "00001-00001\r\n",
		 4,
		 {"2020", "00001", "Gia đình học tập", "00001-00001"}},
		{"a;b;c\r\n 2020 ; x y ;;\r\n", 4, {"2020", "x y", "", ""}},
		{"a,b,c\n1,\"Thôn 3, xã A\",\"say \"\"hi\"\"\"\n", 3, {"1", "Thôn 3, xã A", "say \"hi\""}},
		{"a,b\n1,\"two\nlines\"\n", 2, {"1", "two\nlines"}},
	};

	for (size_t c = 0; c < lengthof(cases); c++) {
		struct mem src = {cases[c].input, strlen(cases[c].input), 0, 1 << 20};
		struct hx_csv_reader *r = hx_csv_new(mem_read, &src, NULL);
		struct hx_csv_record rec;
		struct hx_error err;

		cr_assert(eq(int, hx_csv_next(r, &rec, &err), 1), "case %zu: header", c);
		cr_assert(eq(int, hx_csv_next(r, &rec, &err), 1), "case %zu: row", c);
		cr_assert(eq(long, rec.line, 2), "case %zu", c);
		cr_assert(eq(sz, rec.nfields, cases[c].nfields), "case %zu", c);
		for (size_t i = 0; i < rec.nfields; i++)
			cr_assert(strcmp(rec.fields[i], cases[c].fields[i]) == 0 &&
			          rec.lens[i] == strlen(cases[c].fields[i]),
			          "case %zu, field %zu: \"%s\", want \"%s\"", c, i, rec.fields[i],
			          cases[c].fields[i]);
		cr_assert(eq(int, hx_csv_next(r, &rec, &err), 0), "case %zu: end", c);
		hx_csv_free(r);
		(void)same_records(cases[c].input, strlen(cases[c].input), 0, 0);
	}
}

/* Long lines of text, Vietnamese letters included, with a rare quote or line end. */
Test(csvsplit, long_random_lines_read_as_libcsv_reads_them)
{
	static const char *const pieces[] = {"a", "bc", "Tổ", "ễ", " ", ",", ",", ";", "\t",
	                                     "0123456789", "Nguyễn Xuân Phúc", "\n", "\r\n"};
	char text[4096];
	uint64_t x = 0x2545f4914f6cdd1dULL;

	for (int round = 0; round < 2000; round++) {
		size_t n = 9, len;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		len = 10 + x % (sizeof text - 40);
		memcpy(text, "h1,h2,h3\n", 9);
		while (n < len) {
			const char *p;

			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			p = x % 97 == 0 ? "\"" : pieces[x % lengthof(pieces)];
			memcpy(text + n, p, strlen(p));
			n += strlen(p);
		}
		text[n] = '\0';
		(void)same_records(text, n, round % 3 == 0 ? '\t' : 0, round % 5 == 0 ? 7 : 0);
	}
}
