/*
 * reasons.h — why a row or a whole file is rejected: every reason in one
 * table, its stable code (staging.rejects.reason, the summary's "reason")
 * and what it means to the clerk who sent the file (libuv's UV_ERRNO_MAP
 * is the model).  docs/formats.md §11 lists the same table, one row per
 * reason; tests/unit/test_reasons.c fails when the two differ.
 *
 * A meaning is an English message marked for translation: print it with
 * reason_meaning, which gives it in the reader's language.  It is plain
 * text (no Markdown) and holds no '|', so the docs' table shows it as is.
 */
#ifndef HOCTAP_INGEST_REASONS_H
#define HOCTAP_INGEST_REASONS_H

#include "i18n.h"

/* X(ID, code, meaning): a row's reasons first, then a whole file's. */
#define INGEST_REASONS(X)                                                                       \
	X(NOT_A_NUMBER, "not_a_number",                                                             \
	  N_("a count, amount or rate that is not a number, or reads two ways (1,213): correct "      \
	     "it, or declare English numbers with --numbers=en"))                                     \
	X(NEGATIVE, "negative", N_("a count, amount or rate below 0 (-5): write the figure without its sign")) \
	X(BAD_YEAR, "bad_year", N_("the year is not a year from 2000 to 2100: write it in four digits")) \
	X(UNKNOWN_UNIT, "unknown_unit",                                                             \
	  N_("no unit of the reference list has this code: use the statistics office code of the "   \
	     "unit"))                                                                                 \
	X(BAD_UNIT_CODE, "bad_unit_code",                                                           \
	  N_("not a unit code (2 to 5 digits): keep the leading zeros (format the column as Text)")) \
	X(AMBIGUOUS_UNIT, "ambiguous_unit",                                                         \
	  N_("the code lost its leading zeros and then matches several units: write it with its "    \
	     "zeros (format the column as Text)"))                                                    \
	X(UNKNOWN_TITLE, "unknown_title", N_("not a title: use one of the names of section 8"))      \
	X(BAD_BOOLEAN, "bad_boolean",                                                               \
	  N_("not a yes or a no: write 1/0, x/empty, có/không or đạt/không đạt"))                    \
	X(BAD_LEVEL, "bad_level",                                                                   \
	  N_("a recognition level the title does not have: only commune (Cộng đồng học tập cấp xã) " \
	     "has levels, 1 and 2; leave it empty otherwise"))                                        \
	X(BAD_GROUP, "bad_group",                                                                   \
	  N_("a group the title does not have: only citizen has groups, adult (người lớn) and "      \
	     "official (cán bộ, công chức); leave it empty otherwise"))                               \
	X(FLAGS_CONTRADICT, "flags_contradict",                                                     \
	  N_("a register row is recognized but not registered, or exemplary but not recognized: "    \
	     "correct one of the two"))                                                               \
	X(BAD_DATE, "bad_date", N_("not a date: write 2020-01-15 or 2020-01-15T08:00:00+07:00"))    \
	X(MISSING_VALUE, "missing_value", N_("a required value is empty"))                          \
	X(CELL_ERROR, "cell_error",                                                                 \
	  N_("a workbook cell holds an error (#DIV/0!, #REF!...) or a formula with no saved value: " \
	     "correct it, or open the workbook in Excel and save it again"))                          \
	X(NO_FIGURES, "no_figures", N_("a tally row, or a submission, with no figure at all"))      \
	X(CONFLICTING_ROWS, "conflicting_rows",                                                     \
	  N_("two rows of a CSV file, or of one JSON submission, give one tally (unit, year, "       \
	     "title) or one fund (unit, year) different values: neither is loaded; keep the right "  \
	     "one and send the file again"))                                                          \
	X(FIELD_TOO_LONG, "field_too_long",                                                         \
	  N_("a value longer than 64 KiB: check the delimiters and the quotes"))                     \
	X(EXTRA_FIELD, "extra_field",                                                               \
	  N_("a value past the header's last column: check the delimiters and the quotes"))          \
	X(TOO_MANY_FIELDS, "too_many_fields",                                                       \
	  N_("more values than any header may have: check the delimiters and the quotes"))           \
	X(BAD_JSON_VALUE, "bad_json_value",                                                         \
	  N_("a JSON value that does not have the shape of section 6"))                              \
	X(DUPLICATE_COLUMN, "duplicate_column",                                                     \
	  N_("two columns of the header, or two keys of a JSON object, give the same value: keep "   \
	     "one"))                                                                                  \
	X(NOT_TEXT, "not_text",                                                                     \
	  N_("the file is not text in UTF-8, UTF-16, TCVN3, VNI or Windows-1258 (binary bytes, "     \
	     "another encoding): save it as CSV UTF-8"))                                              \
	X(NOT_REGULAR_FILE, "not_regular_file",                                                     \
	  N_("not a regular file (a symbolic link, a directory, a device or a pipe), never read: "   \
	     "put the file itself in the inbox"))                                                     \
	X(MALFORMED_CSV, "malformed_csv",                                                           \
	  N_("the CSV cannot be read from this line on (a quote never closed, a record longer than " \
	     "1 MiB)"))                                                                               \
	X(BAD_JSON, "bad_json", N_("the file is not valid JSON"))                                   \
	X(BAD_WORKBOOK, "bad_workbook",                                                             \
	  N_("the workbook cannot be read (encrypted, damaged, no worksheet, no sheet with a "       \
	     "header, or past the limits): the message says which; save it again as .xlsx"))        \
	X(TOO_LARGE, "too_large", N_("a JSON submission larger than 8 MiB: split it"))              \
	X(UNKNOWN_KIND, "unknown_kind",                                                             \
	  N_("the header has no title, entity_id or mobilized_vnd column, so what the file holds "   \
	     "cannot be told"))                                                                       \
	X(MISSING_COLUMN, "missing_column", N_("a column the kind of file needs is missing"))       \
	X(TOO_MANY_COLUMNS, "too_many_columns",                                                     \
	  N_("the header has more than 512 columns: delete those not needed"))                       \
	X(EMPTY_FILE, "empty_file", N_("the file is empty"))                                        \
	X(STRICT, "strict", N_("with --strict, a file with any rejected row loads nothing"))        \
	X(MAX_REJECTS, "max_rejects",                                                               \
	  N_("more rows were rejected than --max-rejects allows, so nothing of the file loads"))     \
	X(ALL_ROWS_REJECTED, "all_rows_rejected", N_("every row of the file was rejected"))        \
	X(DATABASE_REFUSED, "database_refused",                                                     \
	  N_("the database refused rows that the checks let through: please report it"))           \
	X(COUNT_MISMATCH, "count_mismatch",                                                         \
	  N_("rows read and rows loaded or rejected differ: a bug in hoctap-ingest, never the "      \
	     "file's; please report it"))

enum reason {
	REASON_NONE = 0,
#define REASON_ENUM(id, code, meaning) REASON_##id,
	INGEST_REASONS(REASON_ENUM)
#undef REASON_ENUM
	REASON_COUNT
};

/* The stable code ("not_a_number"); NULL for REASON_NONE or out of range. */
const char *reason_code(enum reason r);
/* What it means, in the reader's language; NULL for REASON_NONE or out of range. */
const char *reason_meaning(enum reason r);
/* The untranslated meaning, as the table (and docs/formats.md) writes it. */
const char *reason_meaning_en(enum reason r);
/* The reason of a code: 0, or -1 when code is none of the table's. */
int reason_from_code(const char *code, enum reason *r);

#endif
