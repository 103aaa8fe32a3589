/*
 * ingest.h — what the modules of hoctap-ingest share: the run's options,
 * the per-file job (ledger row, sinks, counts) and the entry points that
 * main.c calls.  Module map:
 *
 *   main.c     options, connection, lock, exit code
 *   inbox.c    which files, in which order; moving them after commit
 *   loader.c   one file: ledger, transaction, kind, rejects, status
 *   scan.c     one pass over the bytes: sha256, workbook or text, its encoding
 *   source.c   the bytes as UTF-8 (UTF-16 converted while read)
 *   csvsub.c   tally, fund and register rows (CSV or a workbook's sheet) into COPY
 *   jsonsub.c  JSON submissions into COPY
 *   values.c   one value of a row: number, title, boolean, date, code
 *   units.c    reference unit codes in memory
 *   copy.c     COPY text out
 *   summary.c  the --summary JSON and --summary-lines
 *   refdata.c  --units and --targets
 *   progress.c rows and MB/s on a terminal
 */
#ifndef HOCTAP_INGEST_H
#define HOCTAP_INGEST_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "copy.h"
#include "lists.h"
#include "csvread.h"
#include "error.h"
#include "numparse.h"
#include "reasons.h"
#include "sha256.h"
#include "units.h"
#include "vnenc.h"

#define INGEST_RAW_MAX 4096 /* bytes of a raw line kept with a reject */
/*
 * A CSV file of at most this many bytes is read whole before anything is
 * sent; when all its rows are good it waits for others like it, and up to
 * INGEST_GROUP_FILES of them (INGEST_GROUP_BYTES of rows) commit together
 * (group.c).
 */
#define INGEST_SMALL_MAX ((size_t)256 * 1024)
#define INGEST_GROUP_FILES 256
#define INGEST_GROUP_BYTES ((size_t)4 * 1024 * 1024)

struct ingest_opts {
	const char *inbox, *archive, *rejected;
	int strict;
	int64_t max_rejects;       /* -1: no limit */
	int max_rejects_percent;   /* max_rejects is a percentage */
	int dry_run;
	const char *summary;
	const char *summary_lines; /* --summary-lines: the files as TAB-separated lines */
	int progress;              /* show progress on stderr (a terminal, not -q) */
	enum hx_num_style numbers; /* default number style */
	const char *sheet;         /* --sheet: the workbook sheet to read, hidden or not */
	int encoding_forced;       /* --encoding: text files are read as encoding, */
	enum hx_enc encoding;      /* not as detection guesses */
};

enum file_kind { KIND_NONE = 0, KIND_TALLY, KIND_FUND, KIND_REGISTER, KIND_JSON };

/*
 * What became of a file.  LOADED to DUPLICATE are the ledger's
 * (staging.files.status) and the summary's; the last two never leave the
 * run: PENDING waits in the group of small files for its commit, WAIT is
 * to be ingested again once that group is flushed.
 */
enum file_status {
	STATUS_NONE = 0,  /* not decided yet */
	STATUS_LOADED,
	STATUS_PARTIAL,
	STATUS_REJECTED,
	STATUS_DUPLICATE,
	STATUS_PENDING,
	STATUS_WAIT
};

/* What became of one file (for the summary and the exit code). */
struct file_result {
	char *name, *path;
	char sha256[HX_SHA256_HEXLEN + 1];
	long long size;
	int64_t file_id;            /* 0: none recorded (dry run of a duplicate...) */
	enum file_kind kind;
	enum file_status status;
	const char *encoding;       /* "utf-8", "utf-8 BOM", "utf-16le BOM", "TCVN3",
	                               "VNI-Windows", "Windows-1258"; NULL: not text */
	char *encoding_note;        /* how its text was read, when it was converted or
	                               normalised ("read as VNI-Windows: 41 letters
	                               decoded"), in the run's language; else NULL */
	char delimiter;             /* CSV: ',' ';' '\t' */
	char *sheet;                /* a workbook: the sheet its rows came from, else NULL */
	char *header;               /* its header as written, a CSV line (a workbook's as
	                               hx_row_to_csv writes it), cut at INGEST_RAW_MAX; or NULL */
	long long rows_read, rows_loaded, rows_rejected;
	int64_t duplicate_of;
	char *duplicate_of_name;
	char *message;              /* why a whole file was rejected, or NULL */
	json_t *causes;             /* rejects grouped by cause (array), owned */
	json_t *warnings;           /* file warnings (array of strings), owned */
};

/* The state of the file being loaded, shared by loader.c and the converters. */
struct file_job {
	PGconn *conn;
	const struct ingest_opts *opts;
	const struct unit_set *units;
	struct file_result *res;
	const char *display;        /* the file as named in messages */
	/* The sheet being read (res->sheet), NULL for text: a workbook's
	 * rows are numbered as the spreadsheet shows them and messages name
	 * the sheet and row ("sheet \"Báo cáo\", row 14") where a CSV's name
	 * the line. */
	const char *sheet;
	int workbook;               /* an .xlsx or .xls, read by the workbook readers */
	/* Text read through a converter to UTF-8 in NFC (common/vnenc.h): a
	 * legacy encoding, or UTF-8 with decomposed letters. */
	int convert;
	enum hx_enc enc;
	char file_id_text[24];
	struct copy_sink rejects;   /* staging.rejects rows, replayed at the end */
	struct copy_sink warnings;  /* staging.file_warnings rows */
	/* A small file: csvsub keeps its rows in this sink instead of a COPY,
	 * and names the COPY that takes them. */
	struct copy_sink *rows;
	const char *copy_sql;
	/* Its register lists, counted and checked as the rows stream by
	 * (general path only), and what became of that: every list counted
	 * (staging.files.lists_counted) and checked for entities listed twice
	 * (entities_checked). */
	struct list_tracker *lists;
	int lists_counted;
	int entities_checked;
	enum hx_num_style numbers;
	/* The data records a CSV's reader gave (blank ones skipped), counted
	 * apart from what became of them, so that rows read = loaded +
	 * rejected is checked, not assumed; -1 when not counted (JSON). */
	long long rows_seen;
	/* Set by a converter when the whole file must be rejected. */
	int file_failed;
	enum reason file_reason;    /* res->message says why (with the line) */
	/* progress */
	unsigned long long bytes_total;
};

/* One run over several files. */
struct ingest_run {
	PGconn *conn;
	const struct ingest_opts *opts;
	struct unit_set *units;
	struct ledger *ledger;      /* what the run knows of staging.files (ledger.c) */
	struct group *group;        /* small clean files waiting to commit (group.c) */
	int no_small;               /* take every file on its own (ingest_flush's retries) */
};

/* A file whose result waits for its group's commit (inbox.c keeps them in order). */
struct pending_file {
	char *path;
	char *display;
	struct file_result res;
};

/* loader.c */
/*
 * Ingest one file (path; display: how messages name it).  A clean small
 * file is only parsed: res->status is STATUS_PENDING and the file waits
 * in run's group for ingest_flush; STATUS_WAIT means the group's
 * transaction must end first (it holds the connection, or the same bytes):
 * flush it, then ingest this file again.  Fills res (the
 * caller frees it with file_result_free).  Returns 0 whatever became of the
 * file, or -1 when the run cannot go on (database gone, internal error;
 * err->code HX_NOINPUT when the file cannot be opened), with err filled.
 */
int ingest_file(struct ingest_run *run, const char *path, const char *display,
                struct file_result *res, struct hx_error *err);
/* Free what a run holds (a group never flushed is dropped: nothing of it was committed). */
void ingest_run_free(struct ingest_run *run);
/*
 * Commit the group of small files waiting in run: pend[i] are their results,
 * in the order ingest_file returned them with STATUS_PENDING.  One
 * transaction copies their ledger rows and rows; then each result is final
 * ("loaded", or whatever ingesting it on its own gave when the group could
 * not commit or the ledger had its bytes already).  0, or -1 (err: the run
 * cannot go on).
 */
int ingest_flush(struct ingest_run *run, struct pending_file *pend, size_t n,
                 struct hx_error *err);
/* Is the group full, so that it should be flushed now? */
int ingest_group_full(const struct ingest_run *run);
/* job.c */
void file_result_free(struct file_result *res);
/*
 * The result of path, found to be no regular file (what: file_type_name's
 * words for it): rejected, never read, with a not_regular_file cause.
 */
void file_result_not_regular(struct file_result *res, const char *path, const char *what);
/* "a symbolic link", "a directory", "a named pipe"... for an st_mode. */
const char *file_type_name(mode_t mode);
const char *file_kind_name(enum file_kind k);
/* "loaded", "partial", "rejected", "duplicate", "pending", "wait"; NULL for STATUS_NONE. */
const char *file_status_name(enum file_status s);
/*
 * The COPY statements of the rows job_reject and job_warn keep (in
 * job->rejects, job->warnings), their columns in the order written.
 */
#define COPY_REJECTS \
	"COPY staging.rejects (file_id, line, col, value, reason, message, raw) FROM STDIN"
#define COPY_WARNINGS "COPY staging.file_warnings (file_id, line, message) FROM STDIN"
/* Reject one row: counts it and records it for staging.rejects. */
void job_reject(struct file_job *job, long line, const char *col, const char *value, size_t vlen,
                enum reason reason, const char *message, const char *raw, size_t rawlen);
/*
 * How a message names row line of job's file: "line 14", or for a
 * workbook "sheet "Báo cáo", row 14" (in the reader's language).  Returns out.
 */
const char *job_row_place(const struct file_job *job, long line, char *out, size_t cap);
/* Reject the whole file (structure): the loader rolls back and records why. */
void job_fail(struct file_job *job, long line, enum reason reason, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A warning about the file (unknown column...). */
void job_warn(struct file_job *job, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Progress: bytes of the file done so far. */
void job_progress(struct file_job *job, unsigned long long bytes);
/*
 * csvsub.c: load the rows of src — a CSV file's records or a workbook
 * sheet's rows, the header first (kind from the header).  0, or -1 (err:
 * fatal).
 */
struct hx_row_source;
struct hx_row;
int csvsub_load(struct file_job *job, struct hx_row_source *src, struct hx_error *err);
/*
 * Is row a submission's header: at least two of its cells name columns of
 * a tally, fund or register (sheet.h's predicate, for the workbook readers'
 * search of a sheet's first rows; ctx unused)?
 */
int csvsub_is_header(void *ctx, const struct hx_row *row);
/* jsonsub.c: load a JSON submission file read from src. */
struct byte_source;
int jsonsub_load(struct file_job *job, struct byte_source *src, struct hx_error *err);

/* progress.c */
void progress_update(const char *name, unsigned long long rows, unsigned long long bytes,
                     unsigned long long total, int final);

#endif
