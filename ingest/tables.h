/*
 * tables.h — the staging tables rows are copied into, and the columns of
 * each: one list per table, from which its COPY statement and the column
 * specs the CSV and JSON converters write by are both made, so the order
 * a converter writes in and the order the COPY reads in cannot part.
 */
#ifndef HOCTAP_INGEST_TABLES_H
#define HOCTAP_INGEST_TABLES_H

#include <stddef.h>

#include "ingest.h"
#include "values.h"
#include "vocab.h"

/*
 * X(canonical column, the table's column, type, required, key) in COPY
 * order, after file_id and line.  required: 1 a value in every row; 2 one
 * of the columns that give it (mobilized_vnd or mobilized_million_vnd).
 * key: the columns that name what a tally or fund row is about (its unit,
 * year and title): two rows of a file with the same key conflict unless
 * they are the same (conflicts.h).  A level or group column, when a table
 * has one, is a key column too.
 */
#define TALLY_COLUMNS(X)                                                                 \
	X(HX_COL_YEAR, year, VT_YEAR, 1, 1) X(HX_COL_UNIT_CODE, unit_code, VT_UNIT, 1, 1)     \
	X(HX_COL_TITLE, title, VT_TITLE, 1, 1) X(HX_COL_ELIGIBLE, eligible, VT_COUNT, 0, 0)   \
	X(HX_COL_REGISTERED, registered, VT_COUNT, 0, 0)                                      \
	X(HX_COL_RECOGNIZED, recognized, VT_COUNT, 0, 0)                                      \
	X(HX_COL_EXEMPLARY, exemplary, VT_COUNT, 0, 0)                                        \
	X(HX_COL_REPORTED_RATE, reported_rate, VT_PERCENT, 0, 0)                              \
	X(HX_COL_SUBMITTED_AT, submitted_at, VT_TIME, 0, 0) X(HX_COL_NOTE, note, VT_TEXT, 0, 0)  \
	/* after the title, which they are checked against (values.h); part of the key */ \
	X(HX_COL_LEVEL, level, VT_LEVEL, 0, 1) X(HX_COL_GROUP, grp, VT_GROUP, 0, 1)

#define FUND_COLUMNS(X)                                                                  \
	X(HX_COL_YEAR, year, VT_YEAR, 1, 1) X(HX_COL_UNIT_CODE, unit_code, VT_UNIT, 1, 1)     \
	X(HX_COL_MOBILIZED_VND, mobilized_vnd, VT_MONEY, 2, 0)                                \
	X(HX_COL_SCHOLARSHIPS, scholarships, VT_COUNT, 0, 0)                                  \
	X(HX_COL_SCHOLARSHIP_VND, scholarship_vnd, VT_MONEY, 0, 0)                            \
	X(HX_COL_SUBMITTED_AT, submitted_at, VT_TIME, 0, 0)

/*
 * staging.register keeps these (lists.h: LISTS_STORED with file_id and
 * line).  A register's rows are households: lists.c finds one listed
 * twice, so no column is a key here.
 */
#define REGISTER_COLUMNS(X)                                                              \
	X(HX_COL_YEAR, year, VT_YEAR, 1, 0) X(HX_COL_UNIT_CODE, unit_code, VT_UNIT, 1, 0)     \
	X(HX_COL_TITLE, title_no, VT_TITLE_NO, 1, 0)                                          \
	X(HX_COL_ENTITY_ID, entity_id, VT_TEXT, 1, 0)                                         \
	X(HX_COL_REGISTERED, registered, VT_BOOL, 1, 0)                                       \
	X(HX_COL_RECOGNIZED, recognized, VT_BOOL, 1, 0)                                       \
	X(HX_COL_EXEMPLARY, exemplary, VT_BOOL, 0, 0) X(HX_COL_SCORE, score, VT_DECIMAL, 0, 0) \
	X(HX_COL_VILLAGE, village, VT_TEXT, 0, 0)
/* ...and a register row also carries these, read by the lists, cut before it is sent. */
#define REGISTER_LIST_COLUMNS(X)                                                         \
	X(HX_COL_ENTITY_NAME, entity_name, VT_TEXT, 0, 0)                                     \
	X(HX_COL_SUBMITTED_AT, submitted_at, VT_TIME, 0, 0)

/* A column of a staging table. */
struct table_col {
	enum hx_col col;
	enum val_type type;
	int required;
	int key;
	const char *name;   /* the table's own name for it */
};

struct staging_table {
	enum file_kind kind;
	const struct table_col *cols;
	size_t ncols;         /* a register's list-only columns included */
	const char *copy_sql; /* "COPY staging.x (file_id, line, ...) FROM STDIN" */
};

/* The table of a kind's rows (KIND_TALLY, KIND_FUND, KIND_REGISTER), or NULL. */
const struct staging_table *staging_table(enum file_kind kind);

#endif
