/*
 * test_vocab_levels.c — recognition levels and learning-citizen groups of
 * common/vocab.c (docs/rules.md, "Levels and groups"), and the headers that
 * name them, from tables of cases: what a clerk writes, which title allows
 * it, and the message when it does not.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <string.h>

#include "lengthof.h"
#include "vocab.h"

struct level_case {
	const char *in;
	enum hx_title title;
	int rc;
	int level;           /* when rc == 0 */
	const char *msg;     /* a part of the message when rc == -1 */
};

static const struct level_case level_cases[] = {
	{"1", HX_TITLE_COMMUNE, 0, 1, NULL},
	{"2", HX_TITLE_COMMUNE, 0, 2, NULL},
	{" 2 ", HX_TITLE_COMMUNE, 0, 2, NULL},
	{"Mức 1", HX_TITLE_COMMUNE, 0, 1, NULL},
	{"Mức độ 2", HX_TITLE_COMMUNE, 0, 2, NULL},
	{"mức độ 1", HX_TITLE_COMMUNE, 0, 1, NULL},
	{"MỨC ĐỘ 2", HX_TITLE_COMMUNE, 0, 2, NULL},
	{"muc do 2", HX_TITLE_COMMUNE, 0, 2, NULL},
	{"Mức độ II", HX_TITLE_COMMUNE, 0, 2, NULL},
	{"mức I", HX_TITLE_COMMUNE, 0, 1, NULL},
	{"Level 2", HX_TITLE_COMMUNE, 0, 2, NULL},
	{"level_1", HX_TITLE_COMMUNE, 0, 1, NULL},
	{"II", HX_TITLE_COMMUNE, 0, 2, NULL},
	{"", HX_TITLE_COMMUNE, 1, 0, NULL},
	{"   ", HX_TITLE_COMMUNE, 1, 0, NULL},
	/* outside what the title allows */
	{"3", HX_TITLE_COMMUNE, -1, 0, "level 3 is not a level of commune, which is recognised at "
	                               "levels 1 to 2"},
	{"Mức độ 3", HX_TITLE_COMMUNE, -1, 0, "level 3 is not a level of commune"},
	{"1", HX_TITLE_FAMILY, -1, 0, "family is not recognised by levels: leave the level empty"},
	{"Mức độ 2", HX_TITLE_CITIZEN, -1, 0, "citizen is not recognised by levels"},
	/* not a level */
	{"0", HX_TITLE_COMMUNE, -1, 0, "\"0\" is not a recognition level; write 1 or 2"},
	{"12", HX_TITLE_COMMUNE, -1, 0, "\"12\" is not a recognition level"},
	{"-1", HX_TITLE_COMMUNE, -1, 0, "\"-1\" is not a recognition level"},
	{"mức độ", HX_TITLE_COMMUNE, -1, 0, "\"mức độ\" is not a recognition level"},
	{"cao", HX_TITLE_COMMUNE, -1, 0, "\"cao\" is not a recognition level"},
	{"1.5", HX_TITLE_COMMUNE, -1, 0, "\"1.5\" is not a recognition level"},
	{"1,0", HX_TITLE_COMMUNE, -1, 0, "\"1,0\" is not a recognition level"},
	{"mức-2", HX_TITLE_COMMUNE, -1, 0, "\"mức-2\" is not a recognition level"},
};

Test(vocab_levels, levels_from_a_table)
{
	for (size_t i = 0; i < lengthof(level_cases); i++) {
		const struct level_case *c = &level_cases[i];
		char msg[300] = "";
		int level = -7;
		int rc = hx_vocab_recognition_level(c->in, strlen(c->in), c->title, &level, msg,
		                                    sizeof msg);

		cr_assert(eq(int, rc, c->rc), "\"%s\" (%s): %s", c->in, hx_vocab_title_key(c->title),
		          msg);
		if (rc == 0)
			cr_assert(eq(int, level, c->level), "\"%s\"", c->in);
		else
			cr_assert(eq(int, level, -7), "\"%s\" changed *out", c->in);
		if (c->msg != NULL)
			cr_assert(strstr(msg, c->msg) != NULL, "\"%s\": %s", c->in, msg);
	}
}

Test(vocab_levels, only_the_commune_level_title_has_levels)
{
	for (int t = 0; t < HX_TITLE_COUNT; t++)
		cr_assert(eq(int, hx_vocab_title_levels((enum hx_title)t),
		             t == HX_TITLE_COMMUNE ? 2 : 0), "%s", hx_vocab_title_key((enum hx_title)t));
	cr_assert(eq(int, hx_vocab_title_levels(HX_TITLE_COUNT), 0));
}

struct group_case {
	const char *in;
	enum hx_title title;
	int rc;
	const char *key;     /* when rc == 0 */
	const char *msg;
};

static const struct group_case group_cases[] = {
	{"adult", HX_TITLE_CITIZEN, 0, "adult", NULL},
	{"Adults", HX_TITLE_CITIZEN, 0, "adult", NULL},
	{"Người lớn", HX_TITLE_CITIZEN, 0, "adult", NULL},
	{"NGƯỜI LỚN", HX_TITLE_CITIZEN, 0, "adult", NULL},
	{"nguoi lon", HX_TITLE_CITIZEN, 0, "adult", NULL},
	{"Người lớn trong gia đình, dòng họ, cộng đồng học tập", HX_TITLE_CITIZEN, 0, "adult",
	 NULL},
	{"official", HX_TITLE_CITIZEN, 0, "official", NULL},
	{"Cán bộ, công chức", HX_TITLE_CITIZEN, 0, "official", NULL},
	{"cán bộ công chức", HX_TITLE_CITIZEN, 0, "official", NULL},
	{"Cán bộ, công chức, viên chức", HX_TITLE_CITIZEN, 0, "official", NULL},
	{"Cán bộ, công chức, viên chức, người lao động", HX_TITLE_CITIZEN, 0, "official", NULL},
	{"CBCCVC", HX_TITLE_CITIZEN, 0, "official", NULL},
	{"can bo, cong chuc", HX_TITLE_CITIZEN, 0, "official", NULL},
	{"", HX_TITLE_CITIZEN, 1, NULL, NULL},
	/* a group the title does not have */
	{"adult", HX_TITLE_FAMILY, -1, NULL,
	 "family is not counted by group: leave the group empty (only citizen"},
	{"Cán bộ, công chức", HX_TITLE_UNIT, -1, NULL, "unit is not counted by group"},
	/* not a group */
	{"học sinh", HX_TITLE_CITIZEN, -1, NULL,
	 "\"học sinh\" is not a group; write adult (người lớn) or official (cán bộ, công chức)"},
	{"adult official", HX_TITLE_CITIZEN, -1, NULL, "is not a group"},
	{"1", HX_TITLE_CITIZEN, -1, NULL, "\"1\" is not a group"},
};

Test(vocab_levels, groups_from_a_table)
{
	for (size_t i = 0; i < lengthof(group_cases); i++) {
		const struct group_case *c = &group_cases[i];
		char msg[300] = "";
		enum hx_group g = HX_GROUP_COUNT;
		int rc = hx_vocab_group(c->in, strlen(c->in), c->title, &g, msg, sizeof msg);

		cr_assert(eq(int, rc, c->rc), "\"%s\" (%s): %s", c->in, hx_vocab_title_key(c->title),
		          msg);
		if (rc == 0)
			cr_assert(eq(str, hx_vocab_group_key(g), c->key), "\"%s\"", c->in);
		else
			cr_assert(eq(int, (int)g, (int)HX_GROUP_COUNT), "\"%s\" changed *out", c->in);
		if (c->msg != NULL)
			cr_assert(strstr(msg, c->msg) != NULL, "\"%s\": %s", c->in, msg);
	}
}

Test(vocab_levels, only_the_citizen_has_groups)
{
	for (int t = 0; t < HX_TITLE_COUNT; t++)
		for (int g = 0; g < HX_GROUP_COUNT; g++)
			cr_assert(eq(int, hx_vocab_title_has_group((enum hx_title)t, (enum hx_group)g),
			             t == HX_TITLE_CITIZEN), "%s %s", hx_vocab_title_key((enum hx_title)t),
			          hx_vocab_group_key((enum hx_group)g));
	cr_assert(hx_vocab_group_key(HX_GROUP_COUNT) == NULL);
}

struct header_case {
	const char *in;
	enum hx_vocab_file file;
	int rc;
	enum hx_col col;
};

static const struct header_case header_cases[] = {
	{"level", HX_VOCAB_SUBMISSION, 0, HX_COL_LEVEL},
	{"Mức độ", HX_VOCAB_SUBMISSION, 0, HX_COL_LEVEL},
	{"Mức", HX_VOCAB_SUBMISSION, 0, HX_COL_LEVEL},
	{"Mức độ công nhận", HX_VOCAB_SUBMISSION, 0, HX_COL_LEVEL},
	{"Recognition level", HX_VOCAB_SUBMISSION, 0, HX_COL_LEVEL},
	{"group", HX_VOCAB_SUBMISSION, 0, HX_COL_GROUP},
	{"Nhóm", HX_VOCAB_SUBMISSION, 0, HX_COL_GROUP},
	{"Nhóm đối tượng", HX_VOCAB_SUBMISSION, 0, HX_COL_GROUP},
	{"Đối tượng", HX_VOCAB_SUBMISSION, 0, HX_COL_GROUP},
	{"group", HX_VOCAB_TARGETS, 0, HX_COL_GROUP},
	{"Nhóm đối tượng", HX_VOCAB_TARGETS, 0, HX_COL_GROUP},
	{"source", HX_VOCAB_TARGETS, 0, HX_COL_SOURCE},
	{"Nguồn", HX_VOCAB_TARGETS, 0, HX_COL_SOURCE},
	{"Căn cứ", HX_VOCAB_TARGETS, 0, HX_COL_SOURCE},
	{"Văn bản", HX_VOCAB_TARGETS, 0, HX_COL_SOURCE},
	/* the words of other columns stay theirs */
	{"Tổng số đối tượng", HX_VOCAB_SUBMISSION, 0, HX_COL_ELIGIBLE},
	{"Mã đối tượng", HX_VOCAB_SUBMISSION, 0, HX_COL_ENTITY_ID},
	{"Mục tiêu", HX_VOCAB_TARGETS, 0, HX_COL_TARGET_PERCENT},
	{"Cấp", HX_VOCAB_UNITS, 0, HX_COL_LEVEL},
	/* a source column is a targets file's only */
	{"Nguồn", HX_VOCAB_SUBMISSION, -1, HX_COL_COUNT},
	{"Mức độ", HX_VOCAB_UNITS, -1, HX_COL_COUNT},
};

Test(vocab_levels, headers_from_a_table)
{
	for (size_t i = 0; i < lengthof(header_cases); i++) {
		const struct header_case *c = &header_cases[i];
		enum hx_col col = HX_COL_COUNT;
		int rc = hx_vocab_column(c->in, strlen(c->in), c->file, &col);

		cr_assert(eq(int, rc, c->rc), "\"%s\" in file kind %d", c->in, (int)c->file);
		if (rc == 0)
			cr_assert(eq(int, (int)col, (int)c->col), "\"%s\" is %s", c->in,
			          hx_vocab_column_name(col));
	}
	cr_assert(eq(str, hx_vocab_column_name(HX_COL_GROUP), "group"));
	cr_assert(eq(str, hx_vocab_column_name(HX_COL_SOURCE), "source"));
}
