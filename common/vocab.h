/*
 * vocab.h — the words submissions use: titles (docs/design.md §2), booleans,
 * column headers and administrative levels (§4.1, §4.2), in English and in
 * Vietnamese, matched case- and diacritic-insensitively (hx_text_fold), so
 * "Gia đình học tập", "GIA DINH HOC TAP" and "family" are one title.
 *
 * Every lookup here reads s[0..len) (no NUL needed; s may be NULL when len
 * is 0), allocates nothing, keeps no state, and returns
 *   0  found (*out set),
 *   1  s is empty or only whitespace (*out unchanged, except for booleans),
 *  -1  not a word it knows (*out unchanged; a message in msg where the
 *      function takes one, NUL-terminated, msg may be NULL).
 * Text longer than HX_VOCAB_MAX bytes is never a known word.
 */
#ifndef HOCTAP_VOCAB_H
#define HOCTAP_VOCAB_H

#include <stddef.h>

#define HX_VOCAB_MAX 200

/* ---- Titles ---------------------------------------------------------------- */

/* In the order of ref.titles.sort_order. */
enum hx_title {
	HX_TITLE_FAMILY,    /* Gia đình học tập / hiếu học */
	HX_TITLE_CLAN,      /* Dòng họ học tập / hiếu học */
	HX_TITLE_COMMUNITY, /* Cộng đồng học tập (cấp thôn, tổ dân phố, khu phố, ...) */
	HX_TITLE_COMMUNE,   /* Cộng đồng học tập cấp xã (phường, thị trấn) */
	HX_TITLE_UNIT,      /* Đơn vị học tập */
	HX_TITLE_CITIZEN,   /* Công dân học tập */
	HX_TITLE_COUNT
};

/*
 * A title from its key ("family") or any of its names, English or
 * Vietnamese.  "Cộng đồng học tập" is the village-level title unless a
 * commune-level word follows "cấp": "cấp xã", "cấp phường", "cấp thị trấn"
 * (or several of them: "cấp xã, phường, thị trấn") make it commune.
 * Unknown text: -1 and a message listing the accepted keys.
 */
int hx_vocab_title(const char *s, size_t len, enum hx_title *out,
                   char *msg, size_t msglen);

/* The key stored in the database ("family"), or NULL if t is out of range. */
const char *hx_vocab_title_key(enum hx_title t);

/* ---- Recognition levels and groups --------------------------------------- */

/*
 * The levels a title is recognised at (docs/rules.md, "Levels and groups"):
 * the commune-level learning community at levels 1 and 2 (Thông tư
 * 25/2023/TT-BGDĐT); no other title has levels.  The highest level of t,
 * 0 when t has none.  ref.title_levels holds the same list.
 */
int hx_vocab_title_levels(enum hx_title t);

/*
 * A recognition level of title t: "1", "2", "mức 1", "mức độ 2", "Mức độ
 * II", "level 2".  0 (*out the level), 1 (empty), -1 (not a level, or one
 * t does not have; a message names the levels t has).
 */
int hx_vocab_recognition_level(const char *s, size_t len, enum hx_title t, int *out,
                               char *msg, size_t msglen);

/* The groups a title is counted by: the learning citizen's two bases (677/QĐ-TTg). */
enum hx_group {
	HX_GROUP_ADULT,    /* adults of learning families, clans and communities */
	HX_GROUP_OFFICIAL, /* officials and employees of learning units */
	HX_GROUP_COUNT
};

/* Whether title t is counted by group g (ref.title_groups holds the same pairs). */
int hx_vocab_title_has_group(enum hx_title t, enum hx_group g);

/*
 * A group of title t: its key ("adult", "official") or a name: "người lớn",
 * "cán bộ, công chức", "cán bộ, công chức, viên chức", "CBCCVC", ...
 * 0 (*out set), 1 (empty), -1 (not a group, or not one of t's; a message
 * names t's groups).
 */
int hx_vocab_group(const char *s, size_t len, enum hx_title t, enum hx_group *out,
                   char *msg, size_t msglen);

/* "adult", "official"; NULL if g is out of range. */
const char *hx_vocab_group_key(enum hx_group g);

/* ---- Booleans -------------------------------------------------------------- */

/*
 * A yes/no cell: 1, true, yes, y, x, có, đạt, đúng, ✓ are true; 0, false,
 * no, n, không, không đạt, chưa đạt, sai are false (any case, with or
 * without diacritics).  Empty is false, as in a column of x marks: it
 * returns 1 with *out = 0, so a caller for whom empty means "unknown" can
 * tell.  Punctuation is not ignored ("-1", "1.0", "x." are errors).
 * Anything else: -1 and a message.
 */
int hx_vocab_bool(const char *s, size_t len, int *out, char *msg, size_t msglen);

/* ---- Column headers -------------------------------------------------------- */

/* The canonical columns of every input file (names in hx_vocab_column_name). */
enum hx_col {
	/* submissions (tally, fund, register) */
	HX_COL_YEAR,
	HX_COL_UNIT_CODE,
	HX_COL_TITLE,
	HX_COL_ELIGIBLE,
	HX_COL_REGISTERED,
	HX_COL_RECOGNIZED,
	HX_COL_EXEMPLARY,
	HX_COL_REPORTED_RATE,
	HX_COL_SUBMITTED_AT,
	HX_COL_NOTE,
	HX_COL_MOBILIZED_VND,
	HX_COL_MOBILIZED_MILLION_VND,
	HX_COL_SCHOLARSHIPS,
	HX_COL_SCHOLARSHIP_VND,
	HX_COL_SCHOLARSHIP_MILLION_VND,
	HX_COL_ENTITY_ID,
	HX_COL_VILLAGE,
	HX_COL_ENTITY_NAME,
	HX_COL_SCORE,
	/* reference data: units */
	HX_COL_CODE,
	HX_COL_NAME,
	HX_COL_LEVEL,
	HX_COL_PARENT_CODE,
	HX_COL_VALID_FROM,
	HX_COL_VALID_TO,
	HX_COL_SUCCESSOR_CODE,
	/* reference data: targets (also year, title) */
	HX_COL_SCOPE_CODE,
	HX_COL_TARGET_PERCENT,
	/* a tally's group (also in a targets file); a tally's recognition
	 * level is HX_COL_LEVEL, the units file's administrative level */
	HX_COL_GROUP,
	/* reference data: targets */
	HX_COL_SOURCE,
	HX_COL_COUNT
};

/*
 * Which kind of file a header belongs to.  A few Vietnamese words name
 * different columns in different files ("mã" is unit_code in a submission,
 * code in a units file, scope_code in a targets file); the English names
 * mean the same column everywhere.
 */
enum hx_vocab_file {
	HX_VOCAB_SUBMISSION,
	HX_VOCAB_UNITS,
	HX_VOCAB_TARGETS
};

/*
 * The canonical column of a header cell: its English name in any case, with
 * spaces, '_' or '-' between words or none ("unit_code", "Unit Code",
 * "UnitCode"), "recognised"/"mobilised" spellings, or a Vietnamese alias
 * (the table in vocab.c).  Punctuation is ignored ("Tỷ lệ (%)" is "tỷ lệ");
 * a header that only matches without its parenthesised part ("Năm (year)")
 * is matched so.  Returns 0, 1 (empty cell) or -1 (unknown: the caller
 * warns about an extra column).
 */
int hx_vocab_column(const char *s, size_t len, enum hx_vocab_file kind,
                    enum hx_col *out);

/*
 * Is s[0..len) the header of a row-number column ("STT", "TT", "Số thứ tự",
 * "No.")?  Spreadsheets from clerks nearly all start with one; it holds no
 * figure, so it is ignored without the warning an unknown column gets.
 */
int hx_vocab_row_number(const char *s, size_t len);

/*
 * Is s[0..len) one of the columns hoctap-ingest adds to the rows it gives
 * back to a clerk (NAME.rejects.csv: "Dòng", "Cột", "Lý do", or "line",
 * "column", "reason", a workbook's "Hàng" or "row")?  A corrected file sent
 * again keeps them; they are ignored without a warning.
 */
int hx_vocab_giveback_column(const char *s, size_t len);

/* "unit_code" etc.; NULL if c is out of range. */
const char *hx_vocab_column_name(enum hx_col c);

/* ---- Administrative levels ------------------------------------------------- */

enum hx_level {
	HX_LEVEL_PROVINCE,
	HX_LEVEL_DISTRICT,
	HX_LEVEL_COMMUNE,
	HX_LEVEL_COUNT
};

/*
 * A level: province, district, commune, or tỉnh / thành phố trực thuộc
 * trung ương (province), huyện / quận / thị xã / thành phố thuộc tỉnh
 * (district), xã / phường / thị trấn (commune).  Plain "thành phố" is
 * refused: it is either a province or a district.  Unknown: -1 and a message.
 */
int hx_vocab_level(const char *s, size_t len, enum hx_level *out,
                   char *msg, size_t msglen);

/* "province", "district", "commune"; NULL if l is out of range. */
const char *hx_vocab_level_name(enum hx_level l);

#endif
