/*
 * test_vocab.c — titles, booleans, column headers and levels of
 * common/vocab.c, from tables of cases (docs/design.md §2, §4.1, §4.2).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <string.h>

#include "lengthof.h"
#include "vocab.h"

/* ---- Titles ---------------------------------------------------------------- */

struct title_case {
	const char *in;
	int rc;
	const char *key;     /* when rc == 0 */
};

static const struct title_case title_cases[] = {
	/* family */
	{"family", 0, "family"},
	{"Family", 0, "family"},
	{"FAMILY", 0, "family"},
	{"families", 0, "family"},
	{"Learning family", 0, "family"},
	{"Gia đình học tập", 0, "family"},
	{"gia dinh hoc tap", 0, "family"},
	{"GIA ĐÌNH HỌC TẬP", 0, "family"},
	{"Gia đình hiếu học", 0, "family"},
	{"  Gia  đình   Hiếu học  ", 0, "family"},
	{"Gia_đình_học_tập", 0, "family"},
	{"Gia \xC4\x91i\xCC\x80nh ho\xCC\xA3" "c t\xC3\xA2\xCC\xA3p", 0, "family"},   /* NFD */
	/* clan */
	{"clan", 0, "clan"},
	{"Dòng họ học tập", 0, "clan"},
	{"Dòng họ hiếu học", 0, "clan"},
	{"DÒNG HỌ HIẾU HỌC", 0, "clan"},
	{"dong ho hoc tap", 0, "clan"},
	/* community: village level */
	{"community", 0, "community"},
	{"Cộng đồng học tập", 0, "community"},
	{"Cộng đồng học tập cấp thôn", 0, "community"},
	{"Cộng đồng học tập cấp tổ dân phố", 0, "community"},
	{"Cộng đồng học tập cấp khu phố", 0, "community"},
	{"Cộng đồng học tập cấp thôn, tổ dân phố", 0, "community"},
	{"Cộng đồng học tập cấp thôn/bản", 0, "community"},
	{"Cộng đồng học tập cấp thôn và tổ dân phố", 0, "community"},
	{"cong dong hoc tap cap ap", 0, "community"},
	{"Cộng đồng học tập thôn", 0, "community"},
	/* commune */
	{"commune", 0, "commune"},
	{"Cộng đồng học tập cấp xã", 0, "commune"},
	{"CỘNG ĐỒNG HỌC TẬP CẤP XÃ", 0, "commune"},
	{"cong dong hoc tap cap xa", 0, "commune"},
	{"Cộng đồng học tập cấp phường", 0, "commune"},
	{"Cộng đồng học tập cấp thị trấn", 0, "commune"},
	{"Cộng đồng học tập cấp xã, phường, thị trấn", 0, "commune"},
	/* unit */
	{"unit", 0, "unit"},
	{"Đơn vị học tập", 0, "unit"},
	{"ĐƠN VỊ HỌC TẬP", 0, "unit"},
	{"don vi hoc tap", 0, "unit"},
	/* citizen */
	{"citizen", 0, "citizen"},
	{"Công dân học tập", 0, "citizen"},
	{"cong dan hoc tap", 0, "citizen"},
	/* not titles */
	{"", 1, NULL},
	{"   ", 1, NULL},
	{"Gia đình văn hóa", -1, NULL},
	{"Cộng đồng học tập cấp huyện", -1, NULL},
	{"Cộng đồng học tập cấp", -1, NULL},
	{"Cộng đồng học tập cấp thôn, xã", -1, NULL},
	{"Cộng đồng", -1, NULL},
	{"famly", -1, NULL},
	{"family x", -1, NULL},
};

Test(vocab, title_table)
{
	size_t i;

	for (i = 0; i < lengthof(title_cases); i++) {
		const struct title_case *c = &title_cases[i];
		enum hx_title t = HX_TITLE_COUNT;
		char msg[512] = "";
		int rc = hx_vocab_title(c->in, strlen(c->in), &t, msg, sizeof msg);

		cr_expect(eq(int, rc, c->rc), "title(\"%s\"): %s", c->in, msg);
		if (rc == 0 && c->rc == 0)
			cr_expect(eq(str, hx_vocab_title_key(t), c->key), "title(\"%s\")", c->in);
		if (rc != 0)
			cr_expect(eq(int, t, HX_TITLE_COUNT), "title(\"%s\") changed out", c->in);
		if (rc == -1 && c->rc == -1) {
			cr_expect(strstr(msg, "is not a title") != NULL, "%s", msg);
			cr_expect(strstr(msg, "family, clan, community, commune, unit, citizen") != NULL,
			          "%s", msg);
		}
	}
}

Test(vocab, title_message_quotes_the_value)
{
	char msg[512];
	enum hx_title t;

	cr_assert(eq(int, hx_vocab_title(" Gia đình văn hóa ", strlen(" Gia đình văn hóa "), &t, msg, sizeof msg), -1));
	cr_expect(strstr(msg, "\"Gia đình văn hóa\" is not a title") != NULL, "%s", msg);
	cr_expect(eq(int, hx_vocab_title("x", 1, &t, NULL, 0), -1));
	/* A short buffer gets a prefix that does not end in half a character. */
	cr_assert(eq(int, hx_vocab_title("đđđ", 6, &t, msg, 3), -1));
	cr_expect(eq(str, msg, "\""));
	cr_assert(eq(int, hx_vocab_title("đđđ", 6, &t, msg, 4), -1));
	cr_expect(eq(str, msg, "\"đ"));
	cr_assert(eq(int, hx_vocab_title("đđđ", 6, &t, msg, 5), -1));
	cr_expect(eq(str, msg, "\"đ"));
}

Test(vocab, title_keys_round_trip)
{
	static const char *const keys[HX_TITLE_COUNT] = {
		"family", "clan", "community", "commune", "unit", "citizen",
	};
	int t;

	for (t = 0; t < HX_TITLE_COUNT; t++) {
		enum hx_title got;

		cr_expect(eq(str, hx_vocab_title_key((enum hx_title)t), keys[t]));
		cr_expect(eq(int, hx_vocab_title(keys[t], strlen(keys[t]), &got, NULL, 0), 0));
		cr_expect(eq(int, got, t));
	}
	cr_expect(hx_vocab_title_key(HX_TITLE_COUNT) == NULL);
}

/* ---- Booleans -------------------------------------------------------------- */

struct bool_case {
	const char *in;
	int rc;
	int value;
};

static const struct bool_case bool_cases[] = {
	{"1", 0, 1}, {"0", 0, 0},
	{"true", 0, 1}, {"TRUE", 0, 1}, {"True", 0, 1}, {"false", 0, 0}, {"FALSE", 0, 0},
	{"yes", 0, 1}, {"Yes", 0, 1}, {"y", 0, 1}, {"no", 0, 0}, {"No", 0, 0}, {"n", 0, 0},
	{"x", 0, 1}, {"X", 0, 1}, {"  x  ", 0, 1},
	{"", 1, 0}, {"   ", 1, 0},
	{"có", 0, 1}, {"Có", 0, 1}, {"CÓ", 0, 1}, {"co", 0, 1},
	{"không", 0, 0}, {"Không", 0, 0}, {"KHÔNG", 0, 0}, {"khong", 0, 0},
	{"đạt", 0, 1}, {"Đạt", 0, 1}, {"ĐẠT", 0, 1}, {"dat", 0, 1},
	{"không đạt", 0, 0}, {"Không Đạt", 0, 0}, {"khong dat", 0, 0}, {"không_đạt", 0, 0},
	{"chưa đạt", 0, 0}, {"Chưa đạt", 0, 0},
	{"đúng", 0, 1}, {"sai", 0, 0},
	{"\xE2\x9C\x93", 0, 1},   /* ✓ */
	{"\xE2\x9C\x94", 0, 1},   /* ✔ */
	{"maybe", -1, 0}, {"2", -1, 0}, {"xx", -1, 0}, {"-1", -1, 0}, {"1.0", -1, 0},
	{"có thể", -1, 0}, {"x.", -1, 0}, {"+1", -1, 0}, {"yes!", -1, 0},
};

Test(vocab, bool_table)
{
	size_t i;

	for (i = 0; i < lengthof(bool_cases); i++) {
		const struct bool_case *c = &bool_cases[i];
		int v = 42;
		char msg[512] = "";
		int rc = hx_vocab_bool(c->in, strlen(c->in), &v, msg, sizeof msg);

		cr_expect(eq(int, rc, c->rc), "bool(\"%s\"): %s", c->in, msg);
		if (rc >= 0 && c->rc >= 0)
			cr_expect(eq(int, v, c->value), "bool(\"%s\")", c->in);
		if (rc == -1) {
			cr_expect(eq(int, v, 42), "bool(\"%s\") changed out", c->in);
			cr_expect(strstr(msg, "is not yes or no") != NULL, "%s", msg);
		}
	}
}

/* ---- Column headers -------------------------------------------------------- */

#define SUB HX_VOCAB_SUBMISSION
#define UNITS HX_VOCAB_UNITS
#define TARGETS HX_VOCAB_TARGETS

struct column_case {
	const char *in;
	enum hx_vocab_file kind;
	int rc;
	enum hx_col col;
};

static const struct column_case column_cases[] = {
	/* English, any case and word separator */
	{"year", SUB, 0, HX_COL_YEAR},
	{"Year", SUB, 0, HX_COL_YEAR},
	{"YEAR", SUB, 0, HX_COL_YEAR},
	{"unit_code", SUB, 0, HX_COL_UNIT_CODE},
	{"Unit_Code", SUB, 0, HX_COL_UNIT_CODE},
	{"unit code", SUB, 0, HX_COL_UNIT_CODE},
	{"Unit Code", SUB, 0, HX_COL_UNIT_CODE},
	{"UnitCode", SUB, 0, HX_COL_UNIT_CODE},
	{"unit-code", SUB, 0, HX_COL_UNIT_CODE},
	{" unit_code ", SUB, 0, HX_COL_UNIT_CODE},
	{"code", SUB, 0, HX_COL_UNIT_CODE},
	{"title", SUB, 0, HX_COL_TITLE},
	{"eligible", SUB, 0, HX_COL_ELIGIBLE},
	{"registered", SUB, 0, HX_COL_REGISTERED},
	{"recognized", SUB, 0, HX_COL_RECOGNIZED},
	{"recognised", SUB, 0, HX_COL_RECOGNIZED},
	{"Recognised", SUB, 0, HX_COL_RECOGNIZED},
	{"Số hộ được CN", SUB, 0, HX_COL_RECOGNIZED},
	{"Được CN", SUB, 0, HX_COL_RECOGNIZED},
	{"exemplary", SUB, 0, HX_COL_EXEMPLARY},
	{"reported_rate", SUB, 0, HX_COL_REPORTED_RATE},
	{"submitted_at", SUB, 0, HX_COL_SUBMITTED_AT},
	{"note", SUB, 0, HX_COL_NOTE},
	{"mobilized_vnd", SUB, 0, HX_COL_MOBILIZED_VND},
	{"mobilised_vnd", SUB, 0, HX_COL_MOBILIZED_VND},
	{"mobilized_million_vnd", SUB, 0, HX_COL_MOBILIZED_MILLION_VND},
	{"scholarships", SUB, 0, HX_COL_SCHOLARSHIPS},
	{"scholarship_vnd", SUB, 0, HX_COL_SCHOLARSHIP_VND},
	{"scholarship_million_vnd", SUB, 0, HX_COL_SCHOLARSHIP_MILLION_VND},
	{"entity_id", SUB, 0, HX_COL_ENTITY_ID},
	{"village", SUB, 0, HX_COL_VILLAGE},
	{"entity_name", SUB, 0, HX_COL_ENTITY_NAME},
	{"score", SUB, 0, HX_COL_SCORE},
	/* Vietnamese, submissions */
	{"năm", SUB, 0, HX_COL_YEAR},
	{"Năm", SUB, 0, HX_COL_YEAR},
	{"NĂM", SUB, 0, HX_COL_YEAR},
	{"Năm báo cáo", SUB, 0, HX_COL_YEAR},
	{"Năm (year)", SUB, 0, HX_COL_YEAR},
	{"mã đơn vị", SUB, 0, HX_COL_UNIT_CODE},
	{"Mã đơn vị", SUB, 0, HX_COL_UNIT_CODE},
	{"MÃ ĐƠN VỊ", SUB, 0, HX_COL_UNIT_CODE},
	{"Mã xã", SUB, 0, HX_COL_UNIT_CODE},
	{"Mã", SUB, 0, HX_COL_UNIT_CODE},
	{"Mã ĐVHC", SUB, 0, HX_COL_UNIT_CODE},
	{"Danh hiệu", SUB, 0, HX_COL_TITLE},
	{"Mô hình", SUB, 0, HX_COL_TITLE},
	{"Tổng số", SUB, 0, HX_COL_ELIGIBLE},
	{"Tổng số hộ", SUB, 0, HX_COL_ELIGIBLE},
	{"Đăng ký", SUB, 0, HX_COL_REGISTERED},
	{"Số đăng ký", SUB, 0, HX_COL_REGISTERED},
	{"Số đăng kí", SUB, 0, HX_COL_REGISTERED},
	{"Được công nhận", SUB, 0, HX_COL_RECOGNIZED},
	{"Công nhận", SUB, 0, HX_COL_RECOGNIZED},
	{"Đạt danh hiệu", SUB, 0, HX_COL_RECOGNIZED},
	{"Đạt", SUB, 0, HX_COL_RECOGNIZED},
	{"Tiêu biểu", SUB, 0, HX_COL_EXEMPLARY},
	{"Tiêu biểu xuất sắc", SUB, 0, HX_COL_EXEMPLARY},
	{"Tỷ lệ", SUB, 0, HX_COL_REPORTED_RATE},
	{"Tỉ lệ", SUB, 0, HX_COL_REPORTED_RATE},
	{"Tỷ lệ (%)", SUB, 0, HX_COL_REPORTED_RATE},
	{"Tỷ lệ %", SUB, 0, HX_COL_REPORTED_RATE},
	{"Ngày gửi", SUB, 0, HX_COL_SUBMITTED_AT},
	{"Ghi chú", SUB, 0, HX_COL_NOTE},
	{"Quỹ khuyến học (đồng)", SUB, 0, HX_COL_MOBILIZED_VND},
	{"Quỹ khuyến học (VNĐ)", SUB, 0, HX_COL_MOBILIZED_VND},
	{"Quỹ khuyến học (triệu đồng)", SUB, 0, HX_COL_MOBILIZED_MILLION_VND},
	{"Quỹ khuyến học - triệu đồng", SUB, 0, HX_COL_MOBILIZED_MILLION_VND},
	{"Số suất học bổng", SUB, 0, HX_COL_SCHOLARSHIPS},
	{"Tiền học bổng (đồng)", SUB, 0, HX_COL_SCHOLARSHIP_VND},
	{"Tiền học bổng (triệu đồng)", SUB, 0, HX_COL_SCHOLARSHIP_MILLION_VND},
	{"Mã hộ", SUB, 0, HX_COL_ENTITY_ID},
	{"Thôn", SUB, 0, HX_COL_VILLAGE},
	{"Khu phố", SUB, 0, HX_COL_VILLAGE},
	{"Tổ dân phố", SUB, 0, HX_COL_VILLAGE},
	{"Tên hộ", SUB, 0, HX_COL_ENTITY_NAME},
	{"Chủ hộ", SUB, 0, HX_COL_ENTITY_NAME},
	{"Họ tên chủ hộ", SUB, 0, HX_COL_ENTITY_NAME},
	{"Điểm", SUB, 0, HX_COL_SCORE},
	{"\xEF\xBB\xBFNăm", SUB, 0, HX_COL_YEAR},      /* a BOM left on the first cell */
	/* unknown or empty */
	{"Quỹ khuyến học", SUB, -1, HX_COL_COUNT},      /* no unit: not guessed */
	{"STT", SUB, -1, HX_COL_COUNT},
	{"Tên đơn vị", SUB, -1, HX_COL_COUNT},
	{"level", SUB, 0, HX_COL_LEVEL},                /* English: the same everywhere */
	{"Cấp", SUB, -1, HX_COL_COUNT},
	{"(%)", SUB, -1, HX_COL_COUNT},
	{"", SUB, 1, HX_COL_COUNT},
	{"  ", SUB, 1, HX_COL_COUNT},
	/* units file */
	{"code", UNITS, 0, HX_COL_CODE},
	{"Code", UNITS, 0, HX_COL_CODE},
	{"Mã", UNITS, 0, HX_COL_CODE},
	{"Mã đơn vị", UNITS, 0, HX_COL_CODE},
	{"name", UNITS, 0, HX_COL_NAME},
	{"Tên", UNITS, 0, HX_COL_NAME},
	{"Tên đơn vị", UNITS, 0, HX_COL_NAME},
	{"level", UNITS, 0, HX_COL_LEVEL},
	{"Cấp", UNITS, 0, HX_COL_LEVEL},
	{"parent_code", UNITS, 0, HX_COL_PARENT_CODE},
	{"Mã cấp trên", UNITS, 0, HX_COL_PARENT_CODE},
	{"valid_from", UNITS, 0, HX_COL_VALID_FROM},
	{"Hiệu lực từ", UNITS, 0, HX_COL_VALID_FROM},
	{"valid_to", UNITS, 0, HX_COL_VALID_TO},
	{"successor_code", UNITS, 0, HX_COL_SUCCESSOR_CODE},
	{"Mã kế thừa", UNITS, 0, HX_COL_SUCCESSOR_CODE},
	{"Đạt", UNITS, -1, HX_COL_COUNT},
	/* targets file */
	{"scope_code", TARGETS, 0, HX_COL_SCOPE_CODE},
	{"code", TARGETS, 0, HX_COL_SCOPE_CODE},
	{"Mã", TARGETS, 0, HX_COL_SCOPE_CODE},
	{"Mã đơn vị", TARGETS, 0, HX_COL_SCOPE_CODE},
	{"title", TARGETS, 0, HX_COL_TITLE},
	{"Danh hiệu", TARGETS, 0, HX_COL_TITLE},
	{"year", TARGETS, 0, HX_COL_YEAR},
	{"Năm", TARGETS, 0, HX_COL_YEAR},
	{"target_percent", TARGETS, 0, HX_COL_TARGET_PERCENT},
	{"Chỉ tiêu (%)", TARGETS, 0, HX_COL_TARGET_PERCENT},
	{"Mục tiêu", TARGETS, 0, HX_COL_TARGET_PERCENT},
};

Test(vocab, column_table)
{
	size_t i;

	for (i = 0; i < lengthof(column_cases); i++) {
		const struct column_case *c = &column_cases[i];
		enum hx_col col = HX_COL_COUNT;
		int rc = hx_vocab_column(c->in, strlen(c->in), c->kind, &col);

		cr_expect(eq(int, rc, c->rc), "column(\"%s\", %d)", c->in, (int)c->kind);
		cr_expect(eq(int, col, c->col), "column(\"%s\", %d) is %s", c->in, (int)c->kind,
		          col < HX_COL_COUNT ? hx_vocab_column_name(col) : "none");
	}
}

/* A row-number column (STT) is known, and ignored; nothing else is one. */
Test(vocab, row_number_columns)
{
	static const struct {
		const char *in;
		int want;
	} cases[] = {
		{"STT", 1},        {"stt", 1},       {"TT", 1},       {"Số TT", 1},
		{"Số thứ tự", 1},  {"SO THU TU", 1}, {"Thứ tự", 1},   {"No.", 1},
		{"\xef\xbb\xbfSTT", 1}, {" STT ", 1}, {"Row number", 1},
		{"STT hộ", 0},     {"Số hộ", 0},     {"Năm", 0},      {"", 0},
		{"Tổng số", 0},    {"note", 0},      {"Số", 0},
	};

	for (size_t i = 0; i < lengthof(cases); i++)
		cr_expect(eq(int, hx_vocab_row_number(cases[i].in, strlen(cases[i].in)),
		             cases[i].want), "row_number(\"%s\")", cases[i].in);
}

/* Every canonical name reads back as its column in the file it belongs to. */
Test(vocab, column_names_round_trip)
{
	int c;

	for (c = 0; c < HX_COL_COUNT; c++) {
		const char *name = hx_vocab_column_name((enum hx_col)c);
		enum hx_vocab_file kind = c <= HX_COL_SCORE ? SUB :
		                          c <= HX_COL_SUCCESSOR_CODE ? UNITS : TARGETS;
		enum hx_col got = HX_COL_COUNT;

		cr_assert(name != NULL, "column %d has no name", c);
		cr_expect(eq(int, hx_vocab_column(name, strlen(name), kind, &got), 0), "%s", name);
		cr_expect(eq(int, got, c), "%s", name);
	}
	cr_expect(eq(str, hx_vocab_column_name(HX_COL_UNIT_CODE), "unit_code"));
	cr_expect(eq(str, hx_vocab_column_name(HX_COL_TARGET_PERCENT), "target_percent"));
	cr_expect(hx_vocab_column_name(HX_COL_COUNT) == NULL);
}

/* ---- Levels ---------------------------------------------------------------- */

struct level_case {
	const char *in;
	int rc;
	const char *name;
	const char *err;
};

static const struct level_case level_cases[] = {
	{"province", 0, "province", NULL},
	{"Province", 0, "province", NULL},
	{"tỉnh", 0, "province", NULL},
	{"Tỉnh", 0, "province", NULL},
	{"TINH", 0, "province", NULL},
	{"Thành phố trực thuộc trung ương", 0, "province", NULL},
	{"district", 0, "district", NULL},
	{"huyện", 0, "district", NULL},
	{"Huyện", 0, "district", NULL},
	{"quận", 0, "district", NULL},
	{"Thị xã", 0, "district", NULL},
	{"Thành phố thuộc tỉnh", 0, "district", NULL},
	{"commune", 0, "commune", NULL},
	{"COMMUNE", 0, "commune", NULL},
	{"xã", 0, "commune", NULL},
	{"Xã", 0, "commune", NULL},
	{"phường", 0, "commune", NULL},
	{"Thị trấn", 0, "commune", NULL},
	{"", 1, NULL, NULL},
	{"Thành phố", -1, NULL, "may be a province or a district"},
	{"village", -1, NULL, "\"village\" is not a level; write province, district or commune"},
	{"thôn", -1, NULL, "is not a level"},
};

Test(vocab, level_table)
{
	size_t i;

	for (i = 0; i < lengthof(level_cases); i++) {
		const struct level_case *c = &level_cases[i];
		enum hx_level l = HX_LEVEL_COUNT;
		char msg[512] = "";
		int rc = hx_vocab_level(c->in, strlen(c->in), &l, msg, sizeof msg);

		cr_expect(eq(int, rc, c->rc), "level(\"%s\"): %s", c->in, msg);
		if (rc == 0 && c->rc == 0)
			cr_expect(eq(str, hx_vocab_level_name(l), c->name), "level(\"%s\")", c->in);
		if (rc == -1 && c->rc == -1)
			cr_expect(strstr(msg, c->err) != NULL, "level(\"%s\"): %s", c->in, msg);
		if (rc != 0)
			cr_expect(eq(int, l, HX_LEVEL_COUNT), "level(\"%s\") changed out", c->in);
	}
	cr_expect(hx_vocab_level_name(HX_LEVEL_COUNT) == NULL);
}

/* Text longer than any word, and text given by length without a NUL. */
Test(vocab, lengths)
{
	char long_text[HX_VOCAB_MAX + 50];
	enum hx_col col;
	enum hx_title t;
	int v;

	memset(long_text, 'a', sizeof long_text);
	cr_expect(eq(int, hx_vocab_column(long_text, sizeof long_text, SUB, &col), -1));
	cr_expect(eq(int, hx_vocab_title(long_text, sizeof long_text, &t, NULL, 0), -1));
	cr_expect(eq(int, hx_vocab_column("yearly", 4, SUB, &col), 0));
	cr_expect(eq(int, col, HX_COL_YEAR));
	cr_expect(eq(int, hx_vocab_bool("xyz", 1, &v, NULL, 0), 0));
	cr_expect(eq(int, v, 1));
	cr_expect(eq(int, hx_vocab_bool(NULL, 0, &v, NULL, 0), 1));
	cr_expect(eq(int, v, 0));
}
