/*
 * vocab.c — titles, booleans, column headers and levels in English and
 * Vietnamese (see vocab.h).
 *
 * Every word is compared as a "key": the text folded by hx_text_fold (lower
 * case, no diacritics, đ = d), then with everything but letters and digits
 * removed, so "Mã đơn vị", "MA_DON_VI", "mã-đơn vị" and "Mã đơn vị:" are
 * all "madonvi".  The tables below are written with spaces for the reader;
 * the comparison skips them.  Titles and booleans are looked up for every
 * row of a register list, so a lookup is a fold into a stack buffer and a
 * scan of a few dozen short strings: no allocation.
 */
#include <stdio.h>
#include <string.h>

#include "lengthof.h"
#include "i18n.h"
#include "text.h"
#include "vocab.h"

/* The value quoted in a message: trimmed of blanks, cut if long. */
static const char *quote(const char *s, size_t len, char *q)
{
	if (s == NULL)
		len = 0;
	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return hx_text_excerpt(s, len, q, HX_TEXT_EXCERPT_SZ);
}

/* Keep the letters and digits of folded text f[0..n) (and any non-ASCII byte). */
static void compact(const char *f, size_t n, char *key)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)f[i];

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80)
			key[k++] = (char)c;
	}
	key[k] = '\0';
}

/*
 * The key of s[0..len) into key[HX_VOCAB_MAX + 1]; with outer != NULL also
 * the key of the text before its first '(' (empty when there is none).
 * Returns 0, 1 for empty text, -1 for text too long to be a known word.
 */
static int make_key(const char *s, size_t len, char *key, char *outer)
{
	char folded[HX_VOCAB_MAX + 1];
	size_t n;
	const char *paren;

	if (s == NULL)
		len = 0;
	if (len > HX_VOCAB_MAX)
		return -1;
	n = hx_text_fold_n(s, len, folded, sizeof folded);
	if (n == 0)
		return 1;
	compact(folded, n, key);
	if (outer != NULL) {
		outer[0] = '\0';
		paren = memchr(folded, '(', n);
		if (paren != NULL)
			compact(folded, (size_t)(paren - folded), outer);
	}
	return 0;
}

/* Is key the table word w, ignoring the spaces in w? */
static int key_is(const char *key, const char *w)
{
	for (;; w++) {
		if (*w == ' ')
			continue;
		if (*w != *key)
			return 0;
		if (*w == '\0')
			return 1;
		key++;
	}
}

/* If key starts with w (spaces in w ignored), the rest of key; else NULL. */
static const char *key_after(const char *key, const char *w)
{
	for (; *w != '\0'; w++) {
		if (*w == ' ')
			continue;
		if (*w != *key)
			return NULL;
		key++;
	}
	return key;
}

/* ---- Titles ---------------------------------------------------------------- */

static const char *const title_keys[HX_TITLE_COUNT] = {
	"family", "clan", "community", "commune", "unit", "citizen",
};

/* Names of a title, as keys.  "cong dong hoc tap ..." is parsed apart. */
static const struct {
	const char *word;
	enum hx_title title;
} title_words[] = {
	{"family", HX_TITLE_FAMILY},
	{"families", HX_TITLE_FAMILY},
	{"learning family", HX_TITLE_FAMILY},
	{"learning families", HX_TITLE_FAMILY},
	{"gia dinh hoc tap", HX_TITLE_FAMILY},        /* Gia đình học tập */
	{"gia dinh hieu hoc", HX_TITLE_FAMILY},       /* Gia đình hiếu học */
	{"clan", HX_TITLE_CLAN},
	{"clans", HX_TITLE_CLAN},
	{"learning clan", HX_TITLE_CLAN},
	{"learning clans", HX_TITLE_CLAN},
	{"dong ho hoc tap", HX_TITLE_CLAN},           /* Dòng họ học tập */
	{"dong ho hieu hoc", HX_TITLE_CLAN},          /* Dòng họ hiếu học */
	{"community", HX_TITLE_COMMUNITY},
	{"communities", HX_TITLE_COMMUNITY},
	{"learning community", HX_TITLE_COMMUNITY},
	{"learning communities", HX_TITLE_COMMUNITY},
	{"commune", HX_TITLE_COMMUNE},
	{"communes", HX_TITLE_COMMUNE},
	{"learning commune", HX_TITLE_COMMUNE},
	{"learning communes", HX_TITLE_COMMUNE},
	{"unit", HX_TITLE_UNIT},
	{"units", HX_TITLE_UNIT},
	{"learning unit", HX_TITLE_UNIT},
	{"learning units", HX_TITLE_UNIT},
	{"don vi hoc tap", HX_TITLE_UNIT},            /* Đơn vị học tập */
	{"citizen", HX_TITLE_CITIZEN},
	{"citizens", HX_TITLE_CITIZEN},
	{"learning citizen", HX_TITLE_CITIZEN},
	{"learning citizens", HX_TITLE_CITIZEN},
	{"cong dan hoc tap", HX_TITLE_CITIZEN},       /* Công dân học tập */
};

/*
 * The level words that may follow "Cộng đồng học tập (cấp)": the
 * village-level ones name the community title, the commune-level ones the
 * commune title.  No word is a prefix of another, so a greedy scan of a
 * key like "thontodanpho" is unambiguous.
 */
static const struct {
	const char *word;
	int commune;
} community_levels[] = {
	{"thon", 0}, {"to dan pho", 0}, {"khu pho", 0}, {"khoi pho", 0},
	{"khu dan cu", 0}, {"lang", 0}, {"ap", 0}, {"ban", 0}, {"buon", 0},
	{"xom", 0}, {"phum", 0}, {"soc", 0},
	{"xa", 1}, {"phuong", 1}, {"thi tran", 1},
	{"va", -1}, {"hoac", -1},                     /* và, hoặc: "thôn và tổ dân phố" */
};

/*
 * The title named by rest, the key after "congdonghoctap": nothing
 * (community), or an optional "cap" and one or more level words all of one
 * level.  -1 if they are unknown or mixed.
 */
static int community_title(const char *rest, enum hx_title *out)
{
	const char *r;
	int village = 0, commune = 0;
	size_t i;

	if (*rest == '\0') {
		*out = HX_TITLE_COMMUNITY;
		return 0;
	}
	if ((r = key_after(rest, "cap")) != NULL)
		rest = r;
	while (*rest != '\0') {
		for (i = 0; i < lengthof(community_levels); i++)
			if ((r = key_after(rest, community_levels[i].word)) != NULL)
				break;
		if (r == NULL)
			return -1;
		if (community_levels[i].commune == 1)
			commune = 1;
		else if (community_levels[i].commune == 0)
			village = 1;
		rest = r;
	}
	if (village == commune)        /* none (only "cấp"), or both */
		return -1;
	*out = commune ? HX_TITLE_COMMUNE : HX_TITLE_COMMUNITY;
	return 0;
}

int hx_vocab_title(const char *s, size_t len, enum hx_title *out,
                   char *msg, size_t msglen)
{
	char key[HX_VOCAB_MAX + 1], q[HX_TEXT_EXCERPT_SZ];
	const char *rest;
	size_t i;
	int rc;

	/* Fast path: the key itself, as JSON and machine-written CSV carry it. */
	for (i = 0; s != NULL && i < HX_TITLE_COUNT; i++)
		if (strlen(title_keys[i]) == len && memcmp(s, title_keys[i], len) == 0) {
			*out = (enum hx_title)i;
			return 0;
		}
	rc = make_key(s, len, key, NULL);
	if (rc == 1)
		return 1;
	if (rc == 0) {
		for (i = 0; i < lengthof(title_words); i++)
			if (key_is(key, title_words[i].word)) {
				*out = title_words[i].title;
				return 0;
			}
		rest = key_after(key, "cong dong hoc tap");   /* Cộng đồng học tập */
		if (rest != NULL && community_title(rest, out) == 0)
			return 0;
	}
	hx_text_msgf(msg, msglen, _("\"%s\" is not a title; write one of family, clan, "
	          "community, commune, unit, citizen, or its Vietnamese name "
	          "(e.g. \"Gia đình học tập\", \"Cộng đồng học tập cấp thôn\")"),
	       quote(s, len, q));
	return -1;
}

const char *hx_vocab_title_key(enum hx_title t)
{
	return (unsigned)t < HX_TITLE_COUNT ? title_keys[t] : NULL;
}

/* ---- Recognition levels and groups --------------------------------------- */

/* The highest level of each title (ref.title_levels). */
static const int title_levels[HX_TITLE_COUNT] = {
	[HX_TITLE_COMMUNE] = 2, /* Thông tư 25/2023/TT-BGDĐT: mức độ 1, mức độ 2 */
};

int hx_vocab_title_levels(enum hx_title t)
{
	return (unsigned)t < HX_TITLE_COUNT ? title_levels[t] : 0;
}

/* The number a level's key ends in: "2", or roman "ii"; 0 if none. */
static int level_number(const char *k)
{
	static const char *const roman[] = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"};

	if (k[0] >= '1' && k[0] <= '9' && k[1] == '\0')
		return k[0] - '0';
	for (size_t i = 0; i < lengthof(roman); i++)
		if (strcmp(k, roman[i]) == 0)
			return (int)i + 1;
	return 0;
}

int hx_vocab_recognition_level(const char *s, size_t len, enum hx_title t, int *out,
                               char *msg, size_t msglen)
{
	/* Words a level may start with, longest first: mức độ, mức, cấp độ, level. */
	static const char *const prefixes[] = {"muc do", "muc", "cap do", "level", ""};
	char key[HX_VOCAB_MAX + 1], q[HX_TEXT_EXCERPT_SZ];
	int rc, n = 0, max = hx_vocab_title_levels(t);
	const char *title = hx_vocab_title_key(t);

	rc = make_key(s, len, key, NULL);
	if (rc == 1)
		return 1;
	/* Punctuation is not ignored, as in a yes/no cell: "-1" or "1.5" is a
	 * mistake to report, not a level 1 or 15. */
	for (size_t i = 0; rc == 0 && i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80 && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') &&
		    !(c >= '0' && c <= '9') && c != ' ' && c != '\t' && c != '_')
			rc = -1;
	}
	for (size_t i = 0; rc == 0 && n == 0 && i < lengthof(prefixes); i++) {
		const char *rest = key_after(key, prefixes[i]);

		if (rest != NULL)
			n = level_number(rest);
	}
	if (n == 0) {
		hx_text_msgf(msg, msglen, _("\"%s\" is not a recognition level; write 1 or 2 (or "
		                            "mức 1, mức độ 2)"),
		             quote(s, len, q));
		return -1;
	}
	if (max == 0) {
		hx_text_msgf(msg, msglen, _("%s is not recognised by levels: leave the level empty "
		                            "(only commune, Cộng đồng học tập cấp xã, has levels 1 "
		                            "and 2)"),
		             title != NULL ? title : "?");
		return -1;
	}
	if (n > max) {
		hx_text_msgf(msg, msglen, _("level %d is not a level of %s, which is recognised at "
		                            "levels 1 to %d"),
		             n, title, max);
		return -1;
	}
	*out = n;
	return 0;
}

static const char *const group_keys[HX_GROUP_COUNT] = {"adult", "official"};

/* The groups of each title (ref.title_groups), one bit per group. */
static const unsigned title_groups[HX_TITLE_COUNT] = {
	[HX_TITLE_CITIZEN] = 1u << HX_GROUP_ADULT | 1u << HX_GROUP_OFFICIAL, /* 677/QĐ-TTg */
};

int hx_vocab_title_has_group(enum hx_title t, enum hx_group g)
{
	return (unsigned)t < HX_TITLE_COUNT && (unsigned)g < HX_GROUP_COUNT &&
	       (title_groups[t] & (1u << g)) != 0;
}

const char *hx_vocab_group_key(enum hx_group g)
{
	return (unsigned)g < HX_GROUP_COUNT ? group_keys[g] : NULL;
}

static const struct {
	const char *word;
	enum hx_group group;
} group_words[] = {
	{"adult", HX_GROUP_ADULT},
	{"adults", HX_GROUP_ADULT},
	{"nguoi lon", HX_GROUP_ADULT},                              /* người lớn */
	{"nguoi lon trong gia dinh dong ho cong dong hoc tap", HX_GROUP_ADULT},
	{"official", HX_GROUP_OFFICIAL},
	{"officials", HX_GROUP_OFFICIAL},
	{"can bo", HX_GROUP_OFFICIAL},                              /* cán bộ */
	{"can bo cong chuc", HX_GROUP_OFFICIAL},                    /* cán bộ, công chức */
	{"can bo cong chuc vien chuc", HX_GROUP_OFFICIAL},
	{"can bo cong chuc vien chuc nguoi lao dong", HX_GROUP_OFFICIAL},
	{"can bo cong chuc vien chuc nguoi lao dong trong don vi hoc tap", HX_GROUP_OFFICIAL},
	{"cong chuc", HX_GROUP_OFFICIAL},                           /* công chức */
	{"cong chuc vien chuc", HX_GROUP_OFFICIAL},
	{"cbcc", HX_GROUP_OFFICIAL},                                /* CBCC */
	{"cbccvc", HX_GROUP_OFFICIAL},                              /* CBCCVC */
};

int hx_vocab_group(const char *s, size_t len, enum hx_title t, enum hx_group *out,
                   char *msg, size_t msglen)
{
	char key[HX_VOCAB_MAX + 1], q[HX_TEXT_EXCERPT_SZ];
	const char *title = hx_vocab_title_key(t);
	size_t i;
	int rc;

	rc = make_key(s, len, key, NULL);
	if (rc == 1)
		return 1;
	for (i = 0; rc == 0 && i < lengthof(group_words); i++)
		if (key_is(key, group_words[i].word))
			break;
	if (rc != 0 || i == lengthof(group_words)) {
		hx_text_msgf(msg, msglen, _("\"%s\" is not a group; write adult (người lớn) or "
		                            "official (cán bộ, công chức)"),
		             quote(s, len, q));
		return -1;
	}
	if (!hx_vocab_title_has_group(t, group_words[i].group)) {
		hx_text_msgf(msg, msglen, _("%s is not counted by group: leave the group empty (only "
		                            "citizen, Công dân học tập, has the groups adult and "
		                            "official)"),
		             title != NULL ? title : "?");
		return -1;
	}
	*out = group_words[i].group;
	return 0;
}

/* ---- Booleans -------------------------------------------------------------- */

static const struct {
	const char *word;
	int value;
} bool_words[] = {
	{"1", 1}, {"true", 1}, {"yes", 1}, {"y", 1}, {"x", 1},
	{"co", 1},                     /* có */
	{"dat", 1},                    /* đạt */
	{"dung", 1},                   /* đúng */
	{"\xE2\x9C\x93", 1},           /* ✓ */
	{"\xE2\x9C\x94", 1},           /* ✔ */
	{"\xE2\x98\x91", 1},           /* ☑ */
	{"0", 0}, {"false", 0}, {"no", 0}, {"n", 0},
	{"khong", 0},                  /* không */
	{"khong dat", 0},              /* không đạt */
	{"chua dat", 0},               /* chưa đạt */
	{"sai", 0},                    /* sai */
};

int hx_vocab_bool(const char *s, size_t len, int *out, char *msg, size_t msglen)
{
	char key[HX_VOCAB_MAX + 1], q[HX_TEXT_EXCERPT_SZ];
	size_t i;
	int rc;

	/* The spellings of machine exports, millions of times in a register
	 * list, without folding; anything else goes the long way below. */
	if ((len == 1 && (s[0] == '1' || s[0] == '0')) ||
	    (len == 4 && memcmp(s, "true", 4) == 0) || (len == 5 && memcmp(s, "false", 5) == 0)) {
		*out = s[0] == '1' || s[0] == 't';
		return 0;
	}
	rc = make_key(s, len, key, NULL);
	if (rc == 1) {
		*out = 0;
		return 1;
	}
	/*
	 * Punctuation is not ignored here as it is in headers: the key of "-1"
	 * or "1.0" would be "1" or "10", and a sign or a decimal in a yes/no
	 * column is a mistake to report, not to read as yes.
	 */
	for (i = 0; rc == 0 && i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80 && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') &&
		    !(c >= '0' && c <= '9') && c != ' ' && c != '\t' && c != '_')
			rc = -1;
	}
	if (rc == 0)
		for (i = 0; i < lengthof(bool_words); i++)
			if (key_is(key, bool_words[i].word)) {
				*out = bool_words[i].value;
				return 0;
			}
	hx_text_msgf(msg, msglen, _("\"%s\" is not yes or no; write 1 or 0, x or nothing, "
	          "có or không, đạt or không đạt"),
	       quote(s, len, q));
	return -1;
}

/* ---- Column headers -------------------------------------------------------- */

static const char *const column_names[HX_COL_COUNT] = {
	"year", "unit_code", "title", "eligible", "registered", "recognized",
	"exemplary", "reported_rate", "submitted_at", "note", "mobilized_vnd",
	"mobilized_million_vnd", "scholarships", "scholarship_vnd",
	"scholarship_million_vnd", "entity_id", "village", "entity_name", "score",
	"code", "name", "level", "parent_code", "valid_from", "valid_to",
	"successor_code", "scope_code", "target_percent", "group", "source",
};

#define IN_SUB (1 << HX_VOCAB_SUBMISSION)
#define IN_UNITS (1 << HX_VOCAB_UNITS)
#define IN_TARGETS (1 << HX_VOCAB_TARGETS)
#define IN_ALL (IN_SUB | IN_UNITS | IN_TARGETS)

/*
 * Header words, as keys, and the files they are read in; the first match
 * wins, so the few words that differ by file come first.  The English
 * canonical names (with any of ' ', '_', '-' or nothing between words)
 * are read in every file: a units file with a "year" column has an
 * unexpected column, which its reader reports.
 *
 *   word (Vietnamese as written)              column          files
 */
static const struct {
	const char *word;
	enum hx_col col;
	int files;
} column_words[] = {
	/* Words that name different columns in different files. */
	{"code", HX_COL_UNIT_CODE, IN_SUB},
	{"code", HX_COL_CODE, IN_UNITS},
	{"code", HX_COL_SCOPE_CODE, IN_TARGETS},
	{"unit code", HX_COL_CODE, IN_UNITS},
	{"unit code", HX_COL_SCOPE_CODE, IN_TARGETS},
	{"ma", HX_COL_UNIT_CODE, IN_SUB},                 /* mã */
	{"ma", HX_COL_CODE, IN_UNITS},
	{"ma", HX_COL_SCOPE_CODE, IN_TARGETS},
	{"ma don vi", HX_COL_UNIT_CODE, IN_SUB},          /* mã đơn vị */
	{"ma don vi", HX_COL_CODE, IN_UNITS},
	{"ma don vi", HX_COL_SCOPE_CODE, IN_TARGETS},
	{"ma dvhc", HX_COL_UNIT_CODE, IN_SUB},            /* mã ĐVHC */
	{"ma dvhc", HX_COL_CODE, IN_UNITS},
	{"ma don vi hanh chinh", HX_COL_UNIT_CODE, IN_SUB},/* mã đơn vị hành chính */
	{"ma don vi hanh chinh", HX_COL_CODE, IN_UNITS},
	{"ma so", HX_COL_CODE, IN_UNITS},                 /* mã số */

	/* English names. */
	{"year", HX_COL_YEAR, IN_ALL},
	{"unit code", HX_COL_UNIT_CODE, IN_ALL},
	{"title", HX_COL_TITLE, IN_ALL},
	{"eligible", HX_COL_ELIGIBLE, IN_ALL},
	{"registered", HX_COL_REGISTERED, IN_ALL},
	{"recognized", HX_COL_RECOGNIZED, IN_ALL},
	{"recognised", HX_COL_RECOGNIZED, IN_ALL},
	{"exemplary", HX_COL_EXEMPLARY, IN_ALL},
	{"reported rate", HX_COL_REPORTED_RATE, IN_ALL},
	{"rate", HX_COL_REPORTED_RATE, IN_SUB},
	{"submitted at", HX_COL_SUBMITTED_AT, IN_ALL},
	{"note", HX_COL_NOTE, IN_ALL},
	{"notes", HX_COL_NOTE, IN_ALL},
	{"mobilized vnd", HX_COL_MOBILIZED_VND, IN_ALL},
	{"mobilised vnd", HX_COL_MOBILIZED_VND, IN_ALL},
	{"mobilized million vnd", HX_COL_MOBILIZED_MILLION_VND, IN_ALL},
	{"mobilised million vnd", HX_COL_MOBILIZED_MILLION_VND, IN_ALL},
	{"scholarships", HX_COL_SCHOLARSHIPS, IN_ALL},
	{"scholarship vnd", HX_COL_SCHOLARSHIP_VND, IN_ALL},
	{"scholarship million vnd", HX_COL_SCHOLARSHIP_MILLION_VND, IN_ALL},
	{"entity id", HX_COL_ENTITY_ID, IN_ALL},
	{"village", HX_COL_VILLAGE, IN_ALL},
	{"entity name", HX_COL_ENTITY_NAME, IN_ALL},
	{"score", HX_COL_SCORE, IN_ALL},
	{"name", HX_COL_NAME, IN_ALL},
	{"level", HX_COL_LEVEL, IN_ALL},
	{"parent code", HX_COL_PARENT_CODE, IN_ALL},
	{"valid from", HX_COL_VALID_FROM, IN_ALL},
	{"valid to", HX_COL_VALID_TO, IN_ALL},
	{"successor code", HX_COL_SUCCESSOR_CODE, IN_ALL},
	{"scope code", HX_COL_SCOPE_CODE, IN_ALL},
	{"scope", HX_COL_SCOPE_CODE, IN_TARGETS},
	{"target percent", HX_COL_TARGET_PERCENT, IN_ALL},
	{"target", HX_COL_TARGET_PERCENT, IN_TARGETS},
	{"target rate", HX_COL_TARGET_PERCENT, IN_TARGETS},
	{"group", HX_COL_GROUP, IN_SUB | IN_TARGETS},
	{"citizen group", HX_COL_GROUP, IN_SUB | IN_TARGETS},
	{"source", HX_COL_SOURCE, IN_TARGETS},
	{"recognition level", HX_COL_LEVEL, IN_SUB},

	/* year: năm, năm báo cáo, năm đánh giá, năm công nhận */
	{"nam", HX_COL_YEAR, IN_ALL},
	{"nam bao cao", HX_COL_YEAR, IN_ALL},
	{"nam danh gia", HX_COL_YEAR, IN_ALL},
	{"nam cong nhan", HX_COL_YEAR, IN_SUB},
	/* unit_code: mã xã, mã phường, mã huyện, mã tỉnh, mã ĐV */
	{"ma xa", HX_COL_UNIT_CODE, IN_SUB},
	{"ma phuong", HX_COL_UNIT_CODE, IN_SUB},
	{"ma xa phuong", HX_COL_UNIT_CODE, IN_SUB},
	{"ma xa phuong thi tran", HX_COL_UNIT_CODE, IN_SUB},
	{"ma huyen", HX_COL_UNIT_CODE, IN_SUB},
	{"ma tinh", HX_COL_UNIT_CODE, IN_SUB},
	{"ma dv", HX_COL_UNIT_CODE, IN_SUB},
	{"ma so don vi", HX_COL_UNIT_CODE, IN_SUB},
	/* title: danh hiệu, mô hình, loại danh hiệu, loại mô hình, tên danh hiệu */
	{"danh hieu", HX_COL_TITLE, IN_SUB | IN_TARGETS},
	{"mo hinh", HX_COL_TITLE, IN_SUB | IN_TARGETS},
	{"loai danh hieu", HX_COL_TITLE, IN_SUB | IN_TARGETS},
	{"loai mo hinh", HX_COL_TITLE, IN_SUB | IN_TARGETS},
	{"ten danh hieu", HX_COL_TITLE, IN_SUB | IN_TARGETS},
	/* eligible: tổng số, tổng số hộ, tổng số hộ gia đình, số hộ, tổng số dòng họ,
	 * tổng số thôn, tổng số đơn vị, tổng số đối tượng, tổng */
	{"tong so", HX_COL_ELIGIBLE, IN_SUB},
	{"tong so ho", HX_COL_ELIGIBLE, IN_SUB},
	{"tong so ho gia dinh", HX_COL_ELIGIBLE, IN_SUB},
	{"so ho", HX_COL_ELIGIBLE, IN_SUB},
	{"tong so dong ho", HX_COL_ELIGIBLE, IN_SUB},
	{"tong so thon", HX_COL_ELIGIBLE, IN_SUB},
	{"tong so don vi", HX_COL_ELIGIBLE, IN_SUB},
	{"tong so doi tuong", HX_COL_ELIGIBLE, IN_SUB},
	{"tong", HX_COL_ELIGIBLE, IN_SUB},
	/* "Số hộ" merged over "Tổng số", "Đăng ký", "Công nhận": a workbook's
	 * two-row header, joined (common/sheet.h) */
	{"so ho tong so", HX_COL_ELIGIBLE, IN_SUB},
	/* registered: đăng ký (ký or kí), số đăng ký, số hộ đăng ký, đã đăng ký */
	{"dang ky", HX_COL_REGISTERED, IN_SUB},
	{"dang ki", HX_COL_REGISTERED, IN_SUB},
	{"so dang ky", HX_COL_REGISTERED, IN_SUB},
	{"so dang ki", HX_COL_REGISTERED, IN_SUB},
	{"so ho dang ky", HX_COL_REGISTERED, IN_SUB},
	{"so ho dang ki", HX_COL_REGISTERED, IN_SUB},
	{"da dang ky", HX_COL_REGISTERED, IN_SUB},
	{"da dang ki", HX_COL_REGISTERED, IN_SUB},
	{"dang ky danh hieu", HX_COL_REGISTERED, IN_SUB},
	/* recognized: được công nhận, công nhận, đạt danh hiệu, đạt (the yes/no
	 * column of a register list, or a count in a tally), số đạt, số được
	 * công nhận, số công nhận, số hộ đạt, số hộ được công nhận, đã đạt */
	{"duoc cong nhan", HX_COL_RECOGNIZED, IN_SUB},
	{"cong nhan", HX_COL_RECOGNIZED, IN_SUB},
	{"dat danh hieu", HX_COL_RECOGNIZED, IN_SUB},
	{"dat", HX_COL_RECOGNIZED, IN_SUB},
	{"so dat", HX_COL_RECOGNIZED, IN_SUB},
	{"so duoc cong nhan", HX_COL_RECOGNIZED, IN_SUB},
	{"so cong nhan", HX_COL_RECOGNIZED, IN_SUB},
	{"so ho dat", HX_COL_RECOGNIZED, IN_SUB},
	{"so ho duoc cong nhan", HX_COL_RECOGNIZED, IN_SUB},
	{"so ho cong nhan", HX_COL_RECOGNIZED, IN_SUB},
	{"da dat", HX_COL_RECOGNIZED, IN_SUB},
	/* "CN", the clerks' short form of công nhận */
	{"duoc cn", HX_COL_RECOGNIZED, IN_SUB},
	{"so duoc cn", HX_COL_RECOGNIZED, IN_SUB},
	{"so ho duoc cn", HX_COL_RECOGNIZED, IN_SUB},
	/* exemplary: tiêu biểu, tiêu biểu xuất sắc, số tiêu biểu, xuất sắc */
	{"tieu bieu", HX_COL_EXEMPLARY, IN_SUB},
	{"tieu bieu xuat sac", HX_COL_EXEMPLARY, IN_SUB},
	{"so tieu bieu", HX_COL_EXEMPLARY, IN_SUB},
	{"so ho tieu bieu", HX_COL_EXEMPLARY, IN_SUB},
	{"xuat sac", HX_COL_EXEMPLARY, IN_SUB},
	/* reported_rate: tỷ lệ / tỉ lệ (both spellings), tỷ lệ đạt, tỷ lệ công
	 * nhận, tỷ lệ phần trăm; "Tỷ lệ (%)" is "ty le" once punctuation goes */
	{"ty le", HX_COL_REPORTED_RATE, IN_SUB},
	{"ti le", HX_COL_REPORTED_RATE, IN_SUB},
	{"ty le dat", HX_COL_REPORTED_RATE, IN_SUB},
	{"ti le dat", HX_COL_REPORTED_RATE, IN_SUB},
	{"ty le cong nhan", HX_COL_REPORTED_RATE, IN_SUB},
	{"ti le cong nhan", HX_COL_REPORTED_RATE, IN_SUB},
	{"ty le phan tram", HX_COL_REPORTED_RATE, IN_SUB},
	{"ti le phan tram", HX_COL_REPORTED_RATE, IN_SUB},
	/* submitted_at: ngày gửi, ngày báo cáo, thời gian gửi, ngày nộp */
	{"ngay gui", HX_COL_SUBMITTED_AT, IN_SUB},
	{"ngay bao cao", HX_COL_SUBMITTED_AT, IN_SUB},
	{"thoi gian gui", HX_COL_SUBMITTED_AT, IN_SUB},
	{"ngay nop", HX_COL_SUBMITTED_AT, IN_SUB},
	/* note: ghi chú, chú thích */
	{"ghi chu", HX_COL_NOTE, IN_ALL},
	{"chu thich", HX_COL_NOTE, IN_ALL},
	/* mobilized_vnd: quỹ khuyến học (đồng), (VNĐ), số tiền vận động (đồng), ...
	 * A fund column without its unit is not guessed. */
	{"quy khuyen hoc dong", HX_COL_MOBILIZED_VND, IN_SUB},
	{"quy khuyen hoc vnd", HX_COL_MOBILIZED_VND, IN_SUB},
	{"so tien van dong dong", HX_COL_MOBILIZED_VND, IN_SUB},
	{"tien van dong dong", HX_COL_MOBILIZED_VND, IN_SUB},
	{"van dong dong", HX_COL_MOBILIZED_VND, IN_SUB},
	{"kinh phi van dong dong", HX_COL_MOBILIZED_VND, IN_SUB},
	/* mobilized_million_vnd: quỹ khuyến học (triệu đồng), ... */
	{"quy khuyen hoc trieu dong", HX_COL_MOBILIZED_MILLION_VND, IN_SUB},
	{"quy khuyen hoc trieu vnd", HX_COL_MOBILIZED_MILLION_VND, IN_SUB},
	{"so tien van dong trieu dong", HX_COL_MOBILIZED_MILLION_VND, IN_SUB},
	{"tien van dong trieu dong", HX_COL_MOBILIZED_MILLION_VND, IN_SUB},
	{"van dong trieu dong", HX_COL_MOBILIZED_MILLION_VND, IN_SUB},
	{"kinh phi van dong trieu dong", HX_COL_MOBILIZED_MILLION_VND, IN_SUB},
	/* scholarships: số suất học bổng, suất học bổng */
	{"so suat hoc bong", HX_COL_SCHOLARSHIPS, IN_SUB},
	{"suat hoc bong", HX_COL_SCHOLARSHIPS, IN_SUB},
	{"hoc bong suat", HX_COL_SCHOLARSHIPS, IN_SUB},
	/* scholarship_vnd: tiền học bổng (đồng), học bổng (đồng), giá trị học bổng (đồng) */
	{"tien hoc bong dong", HX_COL_SCHOLARSHIP_VND, IN_SUB},
	{"so tien hoc bong dong", HX_COL_SCHOLARSHIP_VND, IN_SUB},
	{"hoc bong dong", HX_COL_SCHOLARSHIP_VND, IN_SUB},
	{"gia tri hoc bong dong", HX_COL_SCHOLARSHIP_VND, IN_SUB},
	/* scholarship_million_vnd: the same in triệu đồng */
	{"tien hoc bong trieu dong", HX_COL_SCHOLARSHIP_MILLION_VND, IN_SUB},
	{"so tien hoc bong trieu dong", HX_COL_SCHOLARSHIP_MILLION_VND, IN_SUB},
	{"hoc bong trieu dong", HX_COL_SCHOLARSHIP_MILLION_VND, IN_SUB},
	{"gia tri hoc bong trieu dong", HX_COL_SCHOLARSHIP_MILLION_VND, IN_SUB},
	/* entity_id: mã hộ, mã hộ gia đình, mã số hộ, mã đối tượng, mã dòng họ, id */
	{"ma ho", HX_COL_ENTITY_ID, IN_SUB},
	{"ma ho gia dinh", HX_COL_ENTITY_ID, IN_SUB},
	{"ma so ho", HX_COL_ENTITY_ID, IN_SUB},
	{"ma doi tuong", HX_COL_ENTITY_ID, IN_SUB},
	{"ma dong ho", HX_COL_ENTITY_ID, IN_SUB},
	{"id", HX_COL_ENTITY_ID, IN_SUB},
	/* village: thôn, khu phố, tổ dân phố, ấp, bản, xóm, khu dân cư and pairs */
	{"thon", HX_COL_VILLAGE, IN_SUB},
	{"khu pho", HX_COL_VILLAGE, IN_SUB},
	{"to dan pho", HX_COL_VILLAGE, IN_SUB},
	{"ap", HX_COL_VILLAGE, IN_SUB},
	{"ban", HX_COL_VILLAGE, IN_SUB},
	{"xom", HX_COL_VILLAGE, IN_SUB},
	{"khu dan cu", HX_COL_VILLAGE, IN_SUB},
	{"thon xom", HX_COL_VILLAGE, IN_SUB},
	{"thon ban", HX_COL_VILLAGE, IN_SUB},
	{"thon ap", HX_COL_VILLAGE, IN_SUB},
	{"thon to dan pho", HX_COL_VILLAGE, IN_SUB},
	{"thon khu pho", HX_COL_VILLAGE, IN_SUB},
	/* entity_name: tên hộ, chủ hộ, họ tên chủ hộ, họ và tên chủ hộ, tên chủ hộ,
	 * tên dòng họ, tên đối tượng */
	{"ten ho", HX_COL_ENTITY_NAME, IN_SUB},
	{"chu ho", HX_COL_ENTITY_NAME, IN_SUB},
	{"ho ten chu ho", HX_COL_ENTITY_NAME, IN_SUB},
	{"ho va ten chu ho", HX_COL_ENTITY_NAME, IN_SUB},
	{"ten chu ho", HX_COL_ENTITY_NAME, IN_SUB},
	{"ten dong ho", HX_COL_ENTITY_NAME, IN_SUB},
	{"ten doi tuong", HX_COL_ENTITY_NAME, IN_SUB},
	/* score: điểm, tổng điểm, điểm đánh giá, số điểm, điểm số */
	{"diem", HX_COL_SCORE, IN_SUB},
	{"tong diem", HX_COL_SCORE, IN_SUB},
	{"diem danh gia", HX_COL_SCORE, IN_SUB},
	{"so diem", HX_COL_SCORE, IN_SUB},
	{"diem so", HX_COL_SCORE, IN_SUB},
	/* units file: tên (đơn vị, ĐVHC), cấp (hành chính), mã cấp trên, hiệu lực
	 * từ / đến, mã kế thừa, sáp nhập vào */
	{"ten", HX_COL_NAME, IN_UNITS},
	{"ten don vi", HX_COL_NAME, IN_UNITS},
	{"ten dvhc", HX_COL_NAME, IN_UNITS},
	{"ten don vi hanh chinh", HX_COL_NAME, IN_UNITS},
	{"cap", HX_COL_LEVEL, IN_UNITS},
	{"cap hanh chinh", HX_COL_LEVEL, IN_UNITS},
	{"cap don vi", HX_COL_LEVEL, IN_UNITS},
	{"ma cap tren", HX_COL_PARENT_CODE, IN_UNITS},
	{"ma don vi cap tren", HX_COL_PARENT_CODE, IN_UNITS},
	{"ma truc thuoc", HX_COL_PARENT_CODE, IN_UNITS},
	{"hieu luc tu", HX_COL_VALID_FROM, IN_UNITS},
	{"tu ngay", HX_COL_VALID_FROM, IN_UNITS},
	{"ngay hieu luc", HX_COL_VALID_FROM, IN_UNITS},
	{"co hieu luc tu", HX_COL_VALID_FROM, IN_UNITS},
	{"hieu luc den", HX_COL_VALID_TO, IN_UNITS},
	{"den ngay", HX_COL_VALID_TO, IN_UNITS},
	{"ngay het hieu luc", HX_COL_VALID_TO, IN_UNITS},
	{"het hieu luc", HX_COL_VALID_TO, IN_UNITS},
	{"ma ke thua", HX_COL_SUCCESSOR_CODE, IN_UNITS},
	{"ma don vi ke thua", HX_COL_SUCCESSOR_CODE, IN_UNITS},
	{"sap nhap vao", HX_COL_SUCCESSOR_CODE, IN_UNITS},
	{"ma don vi sap nhap vao", HX_COL_SUCCESSOR_CODE, IN_UNITS},
	{"ma don vi moi", HX_COL_SUCCESSOR_CODE, IN_UNITS},
	/* level (a tally's recognition level): mức, mức độ, mức độ công nhận,
	 * mức công nhận, cấp độ */
	{"muc", HX_COL_LEVEL, IN_SUB},
	{"muc do", HX_COL_LEVEL, IN_SUB},
	{"muc do cong nhan", HX_COL_LEVEL, IN_SUB},
	{"muc cong nhan", HX_COL_LEVEL, IN_SUB},
	{"cap do", HX_COL_LEVEL, IN_SUB},
	/* group (the learning citizen's base): nhóm, nhóm đối tượng, đối tượng */
	{"nhom", HX_COL_GROUP, IN_SUB | IN_TARGETS},
	{"nhom doi tuong", HX_COL_GROUP, IN_SUB | IN_TARGETS},
	{"doi tuong", HX_COL_GROUP, IN_SUB | IN_TARGETS},
	/* targets file: nguồn, căn cứ, văn bản (the target's legal source) */
	{"nguon", HX_COL_SOURCE, IN_TARGETS},
	{"can cu", HX_COL_SOURCE, IN_TARGETS},
	{"van ban", HX_COL_SOURCE, IN_TARGETS},
	/* targets file: mã phạm vi, phạm vi, mã địa bàn; chỉ tiêu, mục tiêu,
	 * chỉ tiêu (%), tỷ lệ chỉ tiêu */
	{"ma pham vi", HX_COL_SCOPE_CODE, IN_TARGETS},
	{"pham vi", HX_COL_SCOPE_CODE, IN_TARGETS},
	{"ma dia ban", HX_COL_SCOPE_CODE, IN_TARGETS},
	{"chi tieu", HX_COL_TARGET_PERCENT, IN_TARGETS},
	{"muc tieu", HX_COL_TARGET_PERCENT, IN_TARGETS},
	{"chi tieu phan tram", HX_COL_TARGET_PERCENT, IN_TARGETS},
	{"ty le chi tieu", HX_COL_TARGET_PERCENT, IN_TARGETS},
	{"ti le chi tieu", HX_COL_TARGET_PERCENT, IN_TARGETS},
	{"ty le muc tieu", HX_COL_TARGET_PERCENT, IN_TARGETS},
	{"ti le muc tieu", HX_COL_TARGET_PERCENT, IN_TARGETS},
	{"chi tieu ty le", HX_COL_TARGET_PERCENT, IN_TARGETS},
	{"chi tieu ti le", HX_COL_TARGET_PERCENT, IN_TARGETS},
};

static int find_column(const char *key, int file, enum hx_col *out)
{
	size_t i;

	if (*key == '\0')
		return -1;
	for (i = 0; i < lengthof(column_words); i++)
		if ((column_words[i].files & file) && key_is(key, column_words[i].word)) {
			*out = column_words[i].col;
			return 0;
		}
	return -1;
}

int hx_vocab_column(const char *s, size_t len, enum hx_vocab_file kind,
                    enum hx_col *out)
{
	char key[HX_VOCAB_MAX + 1], outer[HX_VOCAB_MAX + 1];
	int rc, file = 1 << kind;

	rc = make_key(s, len, key, outer);
	if (rc != 0)
		return rc;
	/* "Quỹ khuyến học (đồng)" whole first, then "Năm (year)" without its note. */
	if (find_column(key, file, out) == 0 || find_column(outer, file, out) == 0)
		return 0;
	return -1;
}

int hx_vocab_row_number(const char *s, size_t len)
{
	static const char *const words[] = {"stt", "tt", "so tt", "so thu tu", "thu tu", "no",
	                                    "row", "row number"};
	char key[HX_VOCAB_MAX + 1];

	if (make_key(s, len, key, NULL) != 0)
		return 0;
	for (size_t i = 0; i < lengthof(words); i++)
		if (key_is(key, words[i]))
			return 1;
	return 0;
}

int hx_vocab_giveback_column(const char *s, size_t len)
{
	static const char *const words[] = {"dong", "cot", "ly do", "hang",
	                                    "line", "column", "reason", "row"};
	char key[HX_VOCAB_MAX + 1];

	if (make_key(s, len, key, NULL) != 0)
		return 0;
	for (size_t i = 0; i < lengthof(words); i++)
		if (key_is(key, words[i]))
			return 1;
	return 0;
}

const char *hx_vocab_column_name(enum hx_col c)
{
	return (unsigned)c < HX_COL_COUNT ? column_names[c] : NULL;
}

/* ---- Administrative levels ------------------------------------------------- */

static const char *const level_names[HX_LEVEL_COUNT] = {
	"province", "district", "commune",
};

static const struct {
	const char *word;
	enum hx_level level;
} level_words[] = {
	{"province", HX_LEVEL_PROVINCE},
	{"tinh", HX_LEVEL_PROVINCE},                              /* tỉnh */
	{"thanh pho truc thuoc trung uong", HX_LEVEL_PROVINCE},   /* TP trực thuộc TƯ */
	{"tinh thanh pho", HX_LEVEL_PROVINCE},                    /* tỉnh/thành phố */
	{"district", HX_LEVEL_DISTRICT},
	{"huyen", HX_LEVEL_DISTRICT},                             /* huyện */
	{"quan", HX_LEVEL_DISTRICT},                              /* quận */
	{"thi xa", HX_LEVEL_DISTRICT},                            /* thị xã */
	{"thanh pho thuoc tinh", HX_LEVEL_DISTRICT},              /* TP thuộc tỉnh */
	{"thanh pho truc thuoc tinh", HX_LEVEL_DISTRICT},
	{"quan huyen", HX_LEVEL_DISTRICT},                        /* quận/huyện */
	{"commune", HX_LEVEL_COMMUNE},
	{"ward", HX_LEVEL_COMMUNE},
	{"xa", HX_LEVEL_COMMUNE},                                 /* xã */
	{"phuong", HX_LEVEL_COMMUNE},                             /* phường */
	{"thi tran", HX_LEVEL_COMMUNE},                           /* thị trấn */
	{"xa phuong", HX_LEVEL_COMMUNE},                          /* xã/phường */
	{"xa phuong thi tran", HX_LEVEL_COMMUNE},
};

int hx_vocab_level(const char *s, size_t len, enum hx_level *out,
                   char *msg, size_t msglen)
{
	char key[HX_VOCAB_MAX + 1], q[HX_TEXT_EXCERPT_SZ];
	size_t i;
	int rc;

	rc = make_key(s, len, key, NULL);
	if (rc == 1)
		return 1;
	if (rc == 0) {
		for (i = 0; i < lengthof(level_words); i++)
			if (key_is(key, level_words[i].word)) {
				*out = level_words[i].level;
				return 0;
			}
		if (key_is(key, "thanh pho")) {
			hx_text_msgf(msg, msglen, _("\"%s\" may be a province or a district; write "
			          "province or district"), quote(s, len, q));
			return -1;
		}
	}
	hx_text_msgf(msg, msglen, _("\"%s\" is not a level; write province, district or "
	          "commune (or tỉnh, huyện, xã)"), quote(s, len, q));
	return -1;
}

const char *hx_vocab_level_name(enum hx_level l)
{
	return (unsigned)l < HX_LEVEL_COUNT ? level_names[l] : NULL;
}
