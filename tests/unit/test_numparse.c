/*
 * test_numparse.c — the number parsers of common/numparse.c, from tables
 * of cases: input, style, and the value expected or a substring of the
 * message expected (docs/design.md §4.2).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdint.h>
#include <string.h>

#include "lengthof.h"
#include "numparse.h"

#define NBSP "\xC2\xA0"        /* U+00A0 NO-BREAK SPACE */
#define NNBSP "\xE2\x80\xAF"   /* U+202F NARROW NO-BREAK SPACE */
#define THIN "\xE2\x80\x89"    /* U+2009 THIN SPACE */
#define MINUS "\xE2\x88\x92"   /* U+2212 MINUS SIGN */

#define VI HX_NUM_VI
#define EN HX_NUM_EN
#define OK HX_NUM_OK
#define ABSENT HX_NUM_ABSENT
#define ERR HX_NUM_ERROR

/* Check that msg holds every non-NULL substring of want[]. */
static void expect_msg(const char *what, const char *in, const char *msg,
                       const char *const *want, size_t nwant)
{
	size_t i;

	for (i = 0; i < nwant; i++)
		if (want[i] != NULL)
			cr_expect(strstr(msg, want[i]) != NULL,
			          "%s(\"%s\"): message \"%s\" lacks \"%s\"", what, in, msg, want[i]);
}

/* ---- Decimals ------------------------------------------------------------- */

struct decimal_case {
	const char *in;
	enum hx_num_style st;
	int rc;
	const char *value;   /* hx_decimal_format of the result, when OK */
	int scale;
	const char *err[3];  /* substrings of the message, when ERR */
};

static const struct decimal_case decimal_cases[] = {
	/* Vietnamese: '.' groups thousands, ',' marks decimals */
	{"7.105", VI, OK, "7105", 0, {NULL}},
	{"346.458", VI, OK, "346458", 0, {NULL}},
	{"1.234.567", VI, OK, "1234567", 0, {NULL}},
	{"2.631", VI, OK, "2631", 0, {NULL}},
	{"37,28", VI, OK, "37.28", 2, {NULL}},
	{"21,40", VI, OK, "21.40", 2, {NULL}},
	{"70,68", VI, OK, "70.68", 2, {NULL}},
	{"12,5", VI, OK, "12.5", 1, {NULL}},
	{"1.234,5", VI, OK, "1234.5", 1, {NULL}},
	{"7.105,00", VI, OK, "7105.00", 2, {NULL}},
	{"0,500", VI, OK, "0.500", 3, {NULL}},
	{",5", VI, OK, "0.5", 1, {NULL}},
	{"1,2345", VI, OK, "1.2345", 4, {NULL}},
	/* a machine decimal point where it cannot group thousands */
	{"37.28", VI, OK, "37.28", 2, {NULL}},
	{"0.5", VI, OK, "0.5", 1, {NULL}},
	{"1.2345", VI, OK, "1.2345", 4, {NULL}},
	{"1234.567", VI, OK, "1234.567", 3, {NULL}},
	{"0.500", VI, OK, "0.500", 3, {NULL}},
	{".5", VI, OK, "0.5", 1, {NULL}},
	{"1 234.5", VI, OK, "1234.5", 1, {NULL}},
	/* only the English reading exists */
	{"1,234,567", VI, OK, "1234567", 0, {NULL}},
	{"1,234.5", VI, OK, "1234.5", 1, {NULL}},
	/* spaces as thousands separators; trimming */
	{"1 234", VI, OK, "1234", 0, {NULL}},
	{"1" NBSP "234" NBSP "567", VI, OK, "1234567", 0, {NULL}},
	{"1" NNBSP "234,5", VI, OK, "1234.5", 1, {NULL}},
	{"12" THIN "345", VI, OK, "12345", 0, {NULL}},
	{"  42  ", VI, OK, "42", 0, {NULL}},
	{"\t7.105\r\n", VI, OK, "7105", 0, {NULL}},
	{NBSP "42" NBSP, VI, OK, "42", 0, {NULL}},
	/* signs */
	{"+5", VI, OK, "5", 0, {NULL}},
	{"-5", VI, OK, "-5", 0, {NULL}},
	{"-0", VI, OK, "0", 0, {NULL}},
	{"-0,00", VI, OK, "0.00", 2, {NULL}},
	{MINUS "3,5", VI, OK, "-3.5", 1, {NULL}},
	{"-1.234,5", VI, OK, "-1234.5", 1, {NULL}},
	{"007", VI, OK, "7", 0, {NULL}},
	{"0", VI, OK, "0", 0, {NULL}},
	/* limits */
	{"9223372036854775807", VI, OK, "9223372036854775807", 0, {NULL}},
	{"9.223.372.036.854.775.807", VI, OK, "9223372036854775807", 0, {NULL}},
	{"0,123456789012345678", VI, OK, "0.123456789012345678", 18, {NULL}},
	{"1234567890,123456789", VI, OK, "1234567890.123456789", 9, {NULL}},
	/* empty is absent, not an error */
	{"", VI, ABSENT, NULL, 0, {NULL}},
	{"   ", VI, ABSENT, NULL, 0, {NULL}},
	{NBSP "\t", EN, ABSENT, NULL, 0, {NULL}},
	/* ambiguous: both readings named */
	{"1,213", VI, ERR, NULL, 0, {"\"1,213\" is ambiguous", "1.213", "1213"}},
	{"-1,213", VI, ERR, NULL, 0, {"ambiguous", "-1.213", "-1213"}},
	{"1,000", VI, ERR, NULL, 0, {"ambiguous", "1.000", "1000"}},
	{"12,345", VI, ERR, NULL, 0, {"ambiguous", "12.345", "12345"}},
	{"999,999", VI, ERR, NULL, 0, {"declare the file English", NULL}},
	/* not numbers */
	{"7.9O5", VI, ERR, NULL, 0, {"\"7.9O5\" is not a number", "\"O\" is not a digit"}},
	{"abc", VI, ERR, NULL, 0, {"\"abc\" is not a number", NULL}},
	{"12a", EN, ERR, NULL, 0, {"\"a\" is not a digit", NULL}},
	{"5đ", VI, ERR, NULL, 0, {"\"đ\" is not a digit", NULL}},
	{"37%", VI, ERR, NULL, 0, {"\"%\" is not a digit", NULL}},
	{"--5", VI, ERR, NULL, 0, {"more than one sign", NULL}},
	{"+-5", VI, ERR, NULL, 0, {"more than one sign", NULL}},
	{"5-", VI, ERR, NULL, 0, {"a sign may only come first", NULL}},
	{"1-2", VI, ERR, NULL, 0, {"a sign may only come first", NULL}},
	{"-", VI, ERR, NULL, 0, {"\"-\" is not a number", NULL}},
	{"1.23.4", VI, ERR, NULL, 0, {"\"1.23.4\" is not a number", "groups of three"}},
	{"12.34.567", VI, ERR, NULL, 0, {"groups of three", NULL}},
	{"1 23", VI, ERR, NULL, 0, {"groups of three", NULL}},
	{"1.234 567", VI, ERR, NULL, 0, {"is not a number", NULL}},
	{"0.500.000", VI, ERR, NULL, 0, {"groups of three", NULL}},
	{"1,2,3", VI, ERR, NULL, 0, {"is not a number", NULL}},
	{"1,234,5", VI, ERR, NULL, 0, {"is not a number", NULL}},
	{"1,5.5", VI, ERR, NULL, 0, {"is not a number", NULL}},
	{"1..5", VI, ERR, NULL, 0, {"two separators in a row", NULL}},
	{"12  345", VI, ERR, NULL, 0, {"two separators in a row", NULL}},
	{"5.", VI, ERR, NULL, 0, {"ends with a separator", NULL}},
	{"5,", VI, ERR, NULL, 0, {"ends with a separator", NULL}},
	{"1,5E+07", VI, ERR, NULL, 0, {"scientific notation", NULL}},
	{"2.5e3", EN, ERR, NULL, 0, {"scientific notation", NULL}},
	{"1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1", VI, ERR,
	 NULL, 0, {"too many separators", NULL}},
	/* too large */
	{"9223372036854775808", VI, ERR, NULL, 0, {"\"9223372036854775808\" is too large", NULL}},
	{"99.999.999.999.999.999.999", VI, ERR, NULL, 0, {"is too large", NULL}},
	{"-99999999999999999999", EN, ERR, NULL, 0, {"is too large", NULL}},
	{"0,1234567890123456789", VI, ERR, NULL, 0, {"too many digits", NULL}},
	{"12345678901,123456789", VI, ERR, NULL, 0, {"too many digits", NULL}},
	/* English, declared */
	{"1,213", EN, OK, "1213", 0, {NULL}},
	{"1,234.5", EN, OK, "1234.5", 1, {NULL}},
	{"1,234,567", EN, OK, "1234567", 0, {NULL}},
	{"7.105", EN, OK, "7.105", 3, {NULL}},
	{"37.28", EN, OK, "37.28", 2, {NULL}},
	{"21.40", EN, OK, "21.40", 2, {NULL}},
	{"1 234.5", EN, OK, "1234.5", 1, {NULL}},
	{"0.5", EN, OK, "0.5", 1, {NULL}},
	{"-1,234", EN, OK, "-1234", 0, {NULL}},
	{"37,28", EN, ERR, NULL, 0, {"\"37,28\" is not a number in the English style", NULL}},
	{"1.234,5", EN, ERR, NULL, 0, {"English style", NULL}},
	{"1.234.567", EN, ERR, NULL, 0, {"English style", NULL}},
	{"0,500", EN, ERR, NULL, 0, {"English style", NULL}},
};

Test(numparse, decimal_table)
{
	size_t i;

	for (i = 0; i < lengthof(decimal_cases); i++) {
		const struct decimal_case *c = &decimal_cases[i];
		struct hx_decimal d = {-1, -1, -1};
		char msg[256] = "", text[HX_DECIMAL_BUFSZ];
		int rc;

		rc = hx_num_parse_decimal(c->in, strlen(c->in), c->st, &d, msg, sizeof msg);
		cr_expect(eq(int, rc, c->rc), "parse_decimal(\"%s\", %s): %s", c->in,
		          hx_num_style_name(c->st), msg);
		if (rc != c->rc)
			continue;
		if (rc == OK) {
			hx_decimal_format(&d, text, sizeof text);
			cr_expect(eq(str, text, c->value), "parse_decimal(\"%s\")", c->in);
			cr_expect(eq(int, d.scale, c->scale), "scale of \"%s\"", c->in);
			cr_expect(d.digits >= 0, "digits of \"%s\" are a magnitude", c->in);
		} else if (rc == ERR) {
			expect_msg("parse_decimal", c->in, msg, c->err, 3);
			/* The output is left alone on error. */
			cr_expect(eq(i64, d.digits, -1), "\"%s\": out changed on error", c->in);
		} else {
			cr_expect(eq(i64, d.digits, -1), "\"%s\": out changed when absent", c->in);
		}
	}
}

Test(numparse, decimal_exact_fields)
{
	struct hx_decimal d;

	cr_assert(eq(int, hx_num_parse_decimal("37,28", 5, VI, &d, NULL, 0), OK));
	cr_expect(eq(i64, d.digits, 3728));
	cr_expect(eq(int, d.scale, 2));
	cr_expect(eq(int, d.negative, 0));
	cr_assert(eq(int, hx_num_parse_decimal("-21,40", 6, VI, &d, NULL, 0), OK));
	cr_expect(eq(i64, d.digits, 2140));
	cr_expect(eq(int, d.scale, 2));
	cr_expect(eq(int, d.negative, 1));
	/* Only len bytes are read: no NUL needed. */
	cr_assert(eq(int, hx_num_parse_decimal("7.105xyz", 5, VI, &d, NULL, 0), OK));
	cr_expect(eq(i64, d.digits, 7105));
	cr_expect(eq(int, hx_num_parse_decimal(NULL, 0, VI, &d, NULL, 0), ABSENT));
}

Test(numparse, messages_are_bounded)
{
	char big[300], msg[512], tiny[8];
	struct hx_decimal d;
	size_t i;

	/* A long bad value is quoted cut short, at a character boundary. */
	for (i = 0; i + 2 < sizeof big; i += 2)
		memcpy(big + i, "\xC4\x91", 2);      /* đđđ... */
	big[i] = '\0';
	cr_assert(eq(int, hx_num_parse_decimal(big, strlen(big), VI, &d, msg, sizeof msg), ERR));
	cr_expect(strstr(msg, "...\" is not a number") != NULL, "%s", msg);
	cr_expect(strlen(msg) < 200, "%s", msg);
	/* A small buffer is filled and terminated, a NULL one ignored. */
	cr_assert(eq(int, hx_num_parse_decimal("7.9O5", 5, VI, &d, tiny, sizeof tiny), ERR));
	cr_expect(eq(str, tiny, "\"7.9O5\""));
	cr_expect(eq(int, hx_num_parse_decimal("7.9O5", 5, VI, &d, NULL, 0), ERR));
	/* Control characters and bytes that are not UTF-8 are not copied into
	 * messages, which must stay valid UTF-8 for PostgreSQL. */
	cr_assert(eq(int, hx_num_parse_decimal("1\x01", 2, VI, &d, msg, sizeof msg), ERR));
	cr_expect(eq(str, msg, "\"1?\" is not a number: \"?\" is not a digit"));
	cr_assert(eq(int, hx_num_parse_decimal("1\xFF" "23", 4, VI, &d, msg, sizeof msg), ERR));
	cr_expect(eq(str, msg, "\"1?23\" is not a number: \"?\" is not a digit"));
	cr_assert(eq(int, hx_num_parse_decimal("1\xE1\xBA", 3, VI, &d, msg, sizeof msg), ERR));
	cr_expect(eq(str, msg, "\"1??\" is not a number: \"?\" is not a digit"));
}

/* ---- Counts --------------------------------------------------------------- */

struct count_case {
	const char *in;
	enum hx_num_style st;
	int rc;
	int64_t value;
	const char *err;
};

static const struct count_case count_cases[] = {
	{"7.105", VI, OK, 7105, NULL},
	{"7.862", VI, OK, 7862, NULL},
	{"5557", VI, OK, 5557, NULL},
	{"0", VI, OK, 0, NULL},
	{"-0", VI, OK, 0, NULL},
	{"12,0", VI, OK, 12, NULL},
	{"7.105,00", VI, OK, 7105, NULL},
	{"1 234", VI, OK, 1234, NULL},
	{"1" NBSP "234", VI, OK, 1234, NULL},
	{"26.870.079", VI, OK, 26870079, NULL},
	{"9.223.372.036.854.775.807", VI, OK, INT64_MAX, NULL},
	{"1,213", EN, OK, 1213, NULL},
	{"26,870,079", EN, OK, 26870079, NULL},
	{"12.0", EN, OK, 12, NULL},
	{"", VI, ABSENT, 0, NULL},
	{" ", EN, ABSENT, 0, NULL},
	{"-5", VI, ERR, 0, "\"-5\" is negative; a count cannot be below 0"},
	{"12,5", VI, ERR, 0, "\"12,5\" is not a whole number"},
	{"12.5", VI, ERR, 0, "is not a whole number"},
	{"0,001", VI, ERR, 0, "is not a whole number"},
	{"1,213", VI, ERR, 0, "ambiguous"},
	{"7.9O5", VI, ERR, 0, "is not a number"},
	{"x", VI, ERR, 0, "is not a number"},
	{"9.223.372.036.854.775.808", VI, ERR, 0, "is too large"},
};

Test(numparse, count_table)
{
	size_t i;

	for (i = 0; i < lengthof(count_cases); i++) {
		const struct count_case *c = &count_cases[i];
		int64_t v = -42;
		char msg[256] = "";
		int rc;

		rc = hx_num_parse_count(c->in, strlen(c->in), c->st, &v, msg, sizeof msg);
		cr_expect(eq(int, rc, c->rc), "parse_count(\"%s\"): %s", c->in, msg);
		if (rc == OK && c->rc == OK)
			cr_expect(eq(i64, v, c->value), "parse_count(\"%s\")", c->in);
		if (rc == ERR && c->rc == ERR)
			expect_msg("parse_count", c->in, msg, &c->err, 1);
		if (rc != OK)
			cr_expect(eq(i64, v, -42), "parse_count(\"%s\") changed out", c->in);
	}
}

/* ---- Money ---------------------------------------------------------------- */

struct money_case {
	const char *in;
	enum hx_num_style st;
	int64_t multiplier;
	int rc;
	int64_t vnd;
	const char *err;
};

#define MIL 1000000

static const struct money_case money_cases[] = {
	{"346.458", VI, MIL, OK, 346458000000LL, NULL},
	{"1,5", VI, MIL, OK, 1500000, NULL},
	{"1,50", VI, MIL, OK, 1500000, NULL},
	{"0,000001", VI, MIL, OK, 1, NULL},
	{"12,345678", VI, MIL, OK, 12345678, NULL},
	{"0", VI, MIL, OK, 0, NULL},
	{"150.000.000", VI, 1, OK, 150000000, NULL},
	{"150 000 000", VI, 1, OK, 150000000, NULL},
	{"150000000", VI, 1, OK, 150000000, NULL},
	{"150,000,000", VI, 1, OK, 150000000, NULL},
	{"150.000.000,00", VI, 1, OK, 150000000, NULL},
	{"346,458", EN, MIL, OK, 346458000000LL, NULL},
	{"1.5", EN, MIL, OK, 1500000, NULL},
	{"2,5", VI, 1000, OK, 2500, NULL},
	{"9.223.372.036.854", VI, MIL, OK, 9223372036854000000LL, NULL},
	{"", VI, MIL, ABSENT, 0, NULL},
	{"0,0000005", VI, MIL, ERR, 0, "\"0,0000005\" million VND is not a whole number of VND"},
	{"1,5", VI, 1, ERR, 0, "\"1,5\" is not a whole number of VND"},
	{"-5", VI, 1, ERR, 0, "negative"},
	{"-1,5", VI, MIL, ERR, 0, "million VND is negative"},
	{"9.223.372.036.855", VI, MIL, ERR, 0, "million VND is too large"},
	{"1,213", VI, MIL, ERR, 0, "ambiguous"},
	{"7.9O5", VI, 1, ERR, 0, "is not a number"},
	{"5", VI, 0, ERR, 0, "multiplier"},
};

Test(numparse, money_table)
{
	size_t i;

	for (i = 0; i < lengthof(money_cases); i++) {
		const struct money_case *c = &money_cases[i];
		int64_t v = -42;
		char msg[256] = "";
		int rc;

		rc = hx_num_parse_money_vnd(c->in, strlen(c->in), c->st, c->multiplier, &v,
		                            msg, sizeof msg);
		cr_expect(eq(int, rc, c->rc), "parse_money(\"%s\" x %lld): %s", c->in,
		          (long long)c->multiplier, msg);
		if (rc == OK && c->rc == OK)
			cr_expect(eq(i64, v, c->vnd), "parse_money(\"%s\" x %lld)", c->in,
			          (long long)c->multiplier);
		if (rc == ERR && c->rc == ERR)
			expect_msg("parse_money", c->in, msg, &c->err, 1);
		if (rc != OK)
			cr_expect(eq(i64, v, -42), "parse_money(\"%s\") changed out", c->in);
	}
}

/* ---- Percentages ---------------------------------------------------------- */

struct percent_case {
	const char *in;
	enum hx_num_style st;
	int rc;
	const char *value;
	const char *err;
};

static const struct percent_case percent_cases[] = {
	{"37,28", VI, OK, "37.28", NULL},
	{"37,28%", VI, OK, "37.28", NULL},
	{"37,28 %", VI, OK, "37.28", NULL},
	{" 70,68" NBSP "% ", VI, OK, "70.68", NULL},
	{"37.28", VI, OK, "37.28", NULL},
	{"21,40%", VI, OK, "21.40", NULL},
	{"100", VI, OK, "100", NULL},
	{"105,5", VI, OK, "105.5", NULL},
	{"37.28%", EN, OK, "37.28", NULL},
	{"", VI, ABSENT, NULL, NULL},
	{"%", VI, ERR, NULL, "\"%\" is not a number"},
	{"-5%", VI, ERR, NULL, "a percentage cannot be below 0"},
	{"37,2x%", VI, ERR, NULL, "\"x\" is not a digit"},
	{"37%%", VI, ERR, NULL, "is not a digit"},
};

Test(numparse, percent_table)
{
	size_t i;

	for (i = 0; i < lengthof(percent_cases); i++) {
		const struct percent_case *c = &percent_cases[i];
		struct hx_decimal d;
		char msg[256] = "", text[HX_DECIMAL_BUFSZ];
		int rc;

		rc = hx_num_parse_percent(c->in, strlen(c->in), c->st, &d, msg, sizeof msg);
		cr_expect(eq(int, rc, c->rc), "parse_percent(\"%s\"): %s", c->in, msg);
		if (rc == OK && c->rc == OK) {
			hx_decimal_format(&d, text, sizeof text);
			cr_expect(eq(str, text, c->value), "parse_percent(\"%s\")", c->in);
		}
		if (rc == ERR && c->rc == ERR)
			expect_msg("parse_percent", c->in, msg, &c->err, 1);
	}
}

/* ---- Years ---------------------------------------------------------------- */

struct year_case {
	const char *in;
	int rc;
	int year;
	const char *err;
};

static const struct year_case year_cases[] = {
	{"2019", OK, 2019, NULL},
	{" 2020 ", OK, 2020, NULL},
	{"2000", OK, 2000, NULL},
	{"2100", OK, 2100, NULL},
	{"2.019", OK, 2019, NULL},
	{"2,016", OK, 2016, NULL},
	{"2" NBSP "020", OK, 2020, NULL},
	{"", ABSENT, 0, NULL},
	{"19", ERR, 0, "\"19\" is not a year: write four digits"},
	{"20190", ERR, 0, "four digits"},
	{"2019.0", ERR, 0, "four digits"},
	{"20.19", ERR, 0, "four digits"},
	{"2.0.19", ERR, 0, "four digits"},
	{"năm 2019", ERR, 0, "four digits"},
	{"-2019", ERR, 0, "four digits"},
	{"1999", ERR, 0, "\"1999\" is not a year between 2000 and 2100"},
	{"2101", ERR, 0, "between 2000 and 2100"},
};

Test(numparse, year_table)
{
	size_t i;

	for (i = 0; i < lengthof(year_cases); i++) {
		const struct year_case *c = &year_cases[i];
		int y = -1;
		char msg[256] = "";
		int rc;

		rc = hx_num_parse_year(c->in, strlen(c->in), &y, msg, sizeof msg);
		cr_expect(eq(int, rc, c->rc), "parse_year(\"%s\"): %s", c->in, msg);
		if (rc == OK && c->rc == OK)
			cr_expect(eq(int, y, c->year), "parse_year(\"%s\")", c->in);
		if (rc == ERR && c->rc == ERR)
			expect_msg("parse_year", c->in, msg, &c->err, 1);
		if (rc != OK)
			cr_expect(eq(int, y, -1), "parse_year(\"%s\") changed out", c->in);
	}
}

/* ---- Formatting ----------------------------------------------------------- */

struct format_case {
	int64_t digits;
	int scale;
	int negative;
	const char *text;
};

static const struct format_case format_cases[] = {
	{3728, 2, 0, "37.28"},
	{2140, 2, 0, "21.40"},
	{5, 2, 0, "0.05"},
	{5, 1, 1, "-0.5"},
	{0, 2, 1, "0.00"},
	{0, 0, 0, "0"},
	{7105, 0, 0, "7105"},
	{7105, 4, 0, "0.7105"},
	{7105, 3, 0, "7.105"},
	{INT64_MAX, 18, 0, "9.223372036854775807"},
	{INT64_MAX, 0, 1, "-9223372036854775807"},
	{1, 18, 1, "-0.000000000000000001"},
};

Test(numparse, format_table)
{
	size_t i;

	for (i = 0; i < lengthof(format_cases); i++) {
		const struct format_case *c = &format_cases[i];
		struct hx_decimal d = {c->digits, c->scale, c->negative};
		char text[HX_DECIMAL_BUFSZ];
		size_t n;

		n = hx_decimal_format(&d, text, sizeof text);
		cr_expect(eq(str, text, c->text));
		cr_expect(eq(sz, n, strlen(c->text)));
	}
}

Test(numparse, format_truncates_like_snprintf)
{
	struct hx_decimal d = {3728, 2, 0};
	char small[4];

	cr_expect(eq(sz, hx_decimal_format(&d, small, sizeof small), 5));
	cr_expect(eq(str, small, "37."));
	cr_expect(eq(sz, hx_decimal_format(&d, NULL, 0), 5));
}

/* Every value formats to text that parses back to itself in both styles. */
Test(numparse, format_round_trips)
{
	size_t i;

	for (i = 0; i < lengthof(format_cases); i++) {
		const struct format_case *c = &format_cases[i];
		struct hx_decimal d = {c->digits, c->scale, c->negative}, back;
		char text[HX_DECIMAL_BUFSZ];

		hx_decimal_format(&d, text, sizeof text);
		cr_assert(eq(int, hx_num_parse_decimal(text, strlen(text), EN, &back, NULL, 0), OK),
		          "%s", text);
		cr_expect(eq(i64, back.digits, c->digits), "%s", text);
		cr_expect(eq(int, back.scale, c->scale), "%s", text);
	}
}

Test(numparse, style_names)
{
	enum hx_num_style st = HX_NUM_EN;

	cr_expect(eq(int, hx_num_style_from_name("vi", &st), 0));
	cr_expect(eq(int, st, HX_NUM_VI));
	cr_expect(eq(int, hx_num_style_from_name("English", &st), 0));
	cr_expect(eq(int, st, HX_NUM_EN));
	cr_expect(eq(int, hx_num_style_from_name("VN", &st), 0));
	cr_expect(eq(int, st, HX_NUM_VI));
	cr_expect(eq(int, hx_num_style_from_name("EN", &st), 0));
	cr_expect(eq(int, st, HX_NUM_EN));
	cr_expect(eq(int, hx_num_style_from_name("fr", &st), -1));
	cr_expect(eq(int, hx_num_style_from_name("e", &st), -1));
	cr_expect(eq(int, hx_num_style_from_name("english!", &st), -1));
	cr_expect(eq(int, hx_num_style_from_name(NULL, &st), -1));
	cr_expect(eq(int, st, HX_NUM_EN));
	cr_expect(eq(str, hx_num_style_name(HX_NUM_VI), "vi"));
	cr_expect(eq(str, hx_num_style_name(HX_NUM_EN), "en"));
}
