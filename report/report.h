/*
 * report.h — the modules of hoctap-report (docs/design.md §6, §7).
 *
 *   tables.c    what each output file holds: its SQL and its columns
 *   snapshot.c  the one REPEATABLE READ READ ONLY transaction all files share
 *   check.c     every rate of the marts rechecked against its fraction
 *   csvout.c    a query result as CSV
 *   jsonout.c   a query result as JSON, numbers written digit for digit
 *   outdir.c    a private temporary directory, then files renamed into place
 *   manifest.c  manifest.json and the sha256 of each output
 *   ready.c     whether the marts may be published (fresh; --compare's years held)
 *   outputs.c   the whole run: every file, or none of them
 *   explain.c   --explain: how one figure was made
 *   doc.h       the workbook, the page and --facts (documents for people)
 *
 * Library rules apply: every function returns -1 (or NULL) and fills the
 * caller's struct hx_error; only main.c reports errors and picks the exit
 * code (modules log at most a warning or progress note, never an error).
 */
#ifndef HOCTAP_REPORT_H
#define HOCTAP_REPORT_H

#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "error.h"

/* --format: a set of these bits. */
enum report_format { REPORT_CSV = 1, REPORT_JSON = 2, REPORT_XLSX = 4, REPORT_HTML = 8 };

struct report_opts {
	const char *outdir; /* -o; created if missing */
	int formats;        /* REPORT_CSV | REPORT_JSON */
	int year_a, year_b; /* --compare A:B */
	int excel;          /* --excel: CSV for a Vietnamese Excel (BOM, ";", decimal ",") */
	int compare_given;  /* --compare was given: its years must have figures */
	const char *conninfo; /* -d, for the run's second connection (NULL: libpq's defaults) */
};

/* How a column's text from PostgreSQL is written (NULL is always null / empty). */
enum report_kind {
	REPORT_TEXT, /* a JSON string; CSV quoted when needed */
	REPORT_INT,  /* an integer: JSON number, digits as PostgreSQL wrote them */
	REPORT_NUM,  /* an exact decimal ("70.68", "0.10"): the same digits in both */
	REPORT_BOOL, /* PostgreSQL "t"/"f": true / false */
	REPORT_LIST  /* codes joined by single spaces: a JSON array of strings */
};

struct report_column {
	const char *name;
	enum report_kind kind;
};

/* Who puts a table's rows in their published order (order.c). */
enum report_order {
	REPORT_ORDER_SQL,      /* the script's ORDER BY */
	REPORT_ORDER_RATES,    /* the client: rates' order */
	REPORT_ORDER_SCOPES,   /* the same, of a table with fewer keys (comparison, completeness) */
	REPORT_ORDER_TARGETS,  /* the client: targets' order */
	REPORT_ORDER_FINDINGS, /* the client: findings' order */
	REPORT_ORDER_RANKINGS  /* the client: rankings' order, and each row's rank */
};

struct report_table {
	const char *name;   /* file name without extension: "rates" */
	const char *script; /* under sql/: "report/rates.sql" */
	const struct report_column *columns;
	size_t ncolumns;
	int takes_years;    /* the script takes $1 = year A, $2 = year B */
	/*
	 * With an order other than REPORT_ORDER_SQL the script returns the
	 * rows unsorted, and may add after the table's columns others that the
	 * order needs (they are not written).
	 */
	enum report_order order;
};

/* The tables of §6 in output order (manifest.json is written separately). */
#define REPORT_MAX_TABLES 16
extern const struct report_table report_tables[];
extern const size_t report_ntables;

/* The header every JSON file and the manifest carry (snapshot.c). */
struct report_status {
	char generated_at[32];   /* "2026-11-23T09:00:00Z" */
	char data_as_of[32];     /* "" when the marts were never built */
	char transformed_at[32]; /* "" likewise */
	int schema_version;
};

/*
 * Open the report's snapshot on conn: BEGIN ISOLATION LEVEL REPEATABLE READ
 * READ ONLY, then read the status row into st.  Every later query sees the
 * same data.  Returns 0, or -1 with err (the transaction is rolled back).
 */
int report_snapshot_begin(PGconn *conn, struct report_status *st, struct hx_error *err);
/* End the snapshot (it changed nothing, so this is a COMMIT of a read). */
void report_snapshot_end(PGconn *conn);
/*
 * Share the snapshot with a second connection: report_snapshot_export, on
 * the connection that began it, writes the snapshot's name into id (-1
 * with err, and the transaction aborted, where the server cannot export
 * one); report_snapshot_import opens the same READ ONLY snapshot on
 * another connection of the same database (0, or -1 with err).
 */
int report_snapshot_export(PGconn *conn, char *id, size_t size, struct hx_error *err);
int report_snapshot_import(PGconn *conn, const char *id, struct hx_error *err);

/*
 * In the snapshot, before anything is written: refuse marts that do not
 * hold every file ingest committed (HX_TEMPFAIL while a transform runs, or
 * on a standby; HX_UNAVAILABLE when none took them in), and an explicit
 * --compare naming a year without figures (HX_NOINPUT).  Returns 0, or -1
 * with err (one line: no detail; a hint only for --compare).
 */
int report_check_ready(PGconn *conn, const struct report_opts *opts, struct hx_error *err);

/*
 * Every rate and percent a table publishes, rechecked against the
 * numerator and denominator beside it (exact, half away from zero; null
 * when the base is unknown or 0) — rates (levels and groups included),
 * targets and completeness; other tables have none (check.c).
 * report_check_table fills chk with the first figure of res that
 * disagrees and how many do (0, or -1 with err for a table it cannot
 * read); report_check_result returns 0 when none of chk[0..n) holds one,
 * else -1 with err (HX_SOFTWARE) naming the first, as the files list them.
 */
struct report_check {
	int count;       /* figures that disagree; the fields below are the first's */
	int year;
	int has_title;
	char file[16], scope[32], title[96], col[24];
	char published[48], num[24], den[24], exact[32];
};
int report_check_table(const struct report_table *t, const PGresult *res,
                       struct report_check *chk, struct hx_error *err);
int report_check_result(const struct report_check *chk, size_t n, struct hx_error *err);
/*
 * A number with at most 2 decimals ("70.68", "0.1", "5") in hundredths: 0,
 * or -1 for any other text (report_hundredths of doc.h, without its
 * dropping of further decimals).
 */
int report_hundredths_exact(const char *s, long long *out);
/*
 * num / den as a percent in hundredths, rounded half away from zero in
 * exact integer arithmetic (floor((|num| x 20000 + den) / (2 den)), signed
 * as num): 1 and *out; 0 when den <= 0 (no rate); -1 for a fraction too
 * large for 64 bits.  report_put_hundredths writes h as "70.68", "-0.10".
 */
int report_fraction_hundredths(int64_t num, int64_t den, int64_t *out);
/* A plain integer ("-"? digits, as PostgreSQL prints one): 0 and *out, or -1. */
int report_parse_int(const char *s, int64_t *out);
void report_put_hundredths(char *out, size_t size, int64_t h);

/*
 * Start table t's script in the snapshot (0, or -1 with err); then
 * report_table_receive waits for its result and checks that it has exactly
 * t's columns, in order.  Returns the result (caller PQclears) or NULL with
 * err (HX_SOFTWARE when the SQL and the table disagree).  Between the two
 * the client may write what it already has while the server works.
 */
int report_table_send(PGconn *conn, const struct report_table *t, const struct report_opts *opts,
                      struct hx_error *err);
/*
 * The published order of res, table t's rows as its script returned them
 * (order.c): *order receives NULL when the script sorted them, else a new
 * array, res's row order[i] being the i-th row of the files (free it); a
 * ranking's rank column is filled in res.  Returns 0, or -1 with err (a
 * value the order cannot read).
 */
int report_order(PGresult *res, const struct report_table *t, int **order, struct hx_error *err);
/*
 * A copy of res with t's columns only and its rows in the given order, for
 * the documents, which read rows by number (NULL with err: out of memory).
 */
PGresult *report_order_apply(const PGresult *res, const struct report_table *t, const int *order,
                             struct hx_error *err);
PGresult *report_table_receive(PGconn *conn, const struct report_table *t, struct hx_error *err);

/*
 * Append value (PostgreSQL's text of a column of the given kind, or NULL
 * for SQL NULL) to b as a JSON value.  Numbers are checked to be plain
 * decimals (no NaN, no exponent) and copied digit for digit.  Return 0, or
 * -1 with err (a value that is not a number, or b's cap).
 */
int report_json_value(struct hx_buf *b, const char *value, enum report_kind kind,
                      struct hx_error *err);
/* Append '  "key": "ts",' and a newline to b, or null for an empty ts (-1 past b's cap). */
int report_json_time(struct hx_buf *b, const char *key, const char *ts);
/* Append s as a JSON string (UTF-8 kept as is, controls escaped). */
int report_json_string(struct hx_buf *b, const char *s);
/* 0 if value is a plain integer (REPORT_INT) or decimal (REPORT_NUM), else -1 with err. */
int report_check_number(const char *value, enum report_kind kind, struct hx_error *err);
struct hx_sha256;
/*
 * fwrite all n bytes of p to f, or -1 with err (HX_CANTCREAT) naming path;
 * and feed them to sha unless it is NULL (the manifest's digest of a file,
 * taken as it is written instead of reading the file back).
 */
int report_put(FILE *f, const char *path, const void *p, size_t n, struct hx_sha256 *sha,
               struct hx_error *err);
/* Rows are gathered into writes of about this many bytes (one fwrite, one digest update). */
#define REPORT_PUT_BATCH (64u << 10)

/*
 * Write res (the rows of table t) to the open file f as CSV: a header row of
 * t's column names, then one line per row (res's row order[i] as the i-th,
 * or res's own order when order is NULL), LF line ends; with excel, the
 * UTF-8 byte order mark first, ";" between fields and "," as the decimal
 * mark.  Returns 0, or -1 with err (path names the file in messages).
 * Every byte written is fed to sha unless it is NULL.
 */
int report_csv_write(FILE *f, const char *path, const struct report_table *t,
                     const PGresult *res, const int *order, int excel, struct hx_sha256 *sha,
                     struct hx_error *err);
/*
 * Write res to f as JSON: {"generated_at", "data_as_of", "rows": [...]},
 * each row an object with t's columns in t's order, one row per line.
 */
int report_json_write(FILE *f, const char *path, const struct report_table *t,
                      const PGresult *res, const int *order, const struct report_status *st,
                      struct hx_sha256 *sha, struct hx_error *err);
/*
 * Both at once, in one pass over the rows (rowsout.c): the CSV to csv and
 * the JSON to json, either of them NULL when not wanted, each file's bytes
 * fed to its digest unless that is NULL.  The files are those the two
 * functions above write.  Returns 0, or -1 with err naming the first file.
 */
int report_rows_write(FILE *csv, const char *csv_path, struct hx_sha256 *csv_sha, FILE *json,
                      const char *json_path, struct hx_sha256 *json_sha,
                      const struct report_table *t, const PGresult *res, const int *order,
                      int excel, const struct report_status *st, struct hx_error *err);

/* A private directory inside the output directory for one run's files. */
struct report_outdir {
	char *dir;      /* the output directory, as given */
	char *tmpdir;   /* dir/.hoctap-report-XXXXXX, NULL until created */
	char **names;   /* files written into tmpdir so far */
	char **paths;   /* their paths inside tmpdir */
	size_t nnames;
};

/*
 * Create dir (and missing parents) if needed, then a fresh private
 * temporary directory inside it.  Returns 0, or -1 with err (HX_CANTCREAT).
 */
int report_outdir_open(struct report_outdir *od, const char *dir, struct hx_error *err);
/*
 * Open name for writing in the temporary directory.  Returns the stream
 * (close it with report_outdir_close) or NULL with err (HX_CANTCREAT).
 * *path receives its path (borrowed until report_outdir_discard/commit).
 */
FILE *report_outdir_create(struct report_outdir *od, const char *name, const char **path,
                           struct hx_error *err);
/* Flush, fsync and close f; returns 0, or -1 with err (HX_CANTCREAT). */
int report_outdir_close(FILE *f, const char *path, struct hx_error *err);
/* Path of a file already written in the temporary directory (new string). */
char *report_outdir_tmppath(const struct report_outdir *od, const char *name);
/*
 * Rename every file written, in order, from the temporary directory into
 * the output directory, then remove the temporary directory.  Returns 0,
 * or -1 with err (HX_CANTCREAT).
 */
int report_outdir_commit(struct report_outdir *od, struct hx_error *err);
/* Remove the temporary directory and what was written into it; free od. */
void report_outdir_discard(struct report_outdir *od);

/* One output file, for the manifest. */
struct report_written {
	char name[64];   /* "rates.csv" */
	const char *format;
	int rows;
	char sha256[65]; /* lowercase hex */
};

/* sha256 of a file, as 64 lowercase hex digits.  Returns 0, or -1 with err. */
int report_sha256_file(const char *path, char hex[65], struct hx_error *err);

/*
 * Write manifest.json to f: version, schema_version, generated_at,
 * data_as_of, transformed_at, compare, inputs (from the snapshot), outputs.
 */
int report_manifest_write(PGconn *conn, FILE *f, const char *path,
                          const struct report_status *st, const struct report_opts *opts,
                          const struct report_written *out, size_t nout, struct hx_error *err);

/*
 * The whole run: open the snapshot, write every table in every format of
 * opts and the manifest into a temporary directory, then rename them into
 * opts->outdir.  On any failure nothing in opts->outdir changes.
 * Returns 0, or -1 with err (HX_CANTCREAT, HX_UNAVAILABLE, HX_SOFTWARE).
 */
int report_write_all(PGconn *conn, const struct report_opts *opts, struct hx_error *err);

/*
 * --explain: print to out how the figure of scope_code, year, title was
 * made.  With later_year (0: none; --compare A:B with year the earlier of
 * the two), also which units of year comparison.csv re-adds onto
 * scope_code, a unit of later_year.  Returns 0, or -1 with err
 * (HX_NOINPUT when there is no such figure and no unit behind it).
 */
int report_explain(PGconn *conn, FILE *out, const char *scope_code, int year, int later_year,
                   const char *title,
                   struct hx_error *err);

#endif
