/*
 * ledger.h — the file ledger, staging.files: one row per file taken in,
 * keyed by file_id and known by the sha256 of its bytes.  This module
 * writes the row (its columns are listed once, in ledger.c) and answers
 * what the ledger knows: whether these bytes, or a file of this size, were
 * loaded before (in the database or earlier in this run), and the next
 * file_id, drawn from the sequence a pool at a time.
 */
#ifndef HOCTAP_INGEST_LEDGER_H
#define HOCTAP_INGEST_LEDGER_H

#include <libpq-fe.h>
#include <stdint.h>
#include <sys/stat.h>

#include "copy.h"
#include "error.h"
#include "ingest.h"

/* What a run knows of the ledger: the files it took in, the file_ids drawn ahead. */
struct ledger;

/* A ledger over conn (borrowed).  Never NULL; ledger_free releases it. */
struct ledger *ledger_new(PGconn *conn);
void ledger_free(struct ledger *l);

/*
 * The ledger row of job's file (job->res as it stands; st: the file's
 * mtime, its received_at): insert it, or update the row of its file_id
 * that the load inserted at its start.  0, or -1 (err).
 */
int ledger_insert(PGconn *conn, const struct file_job *job, const struct stat *st,
                  struct hx_error *err);
int ledger_update(PGconn *conn, const struct file_job *job, const struct stat *st,
                  struct hx_error *err);
/* The same row as COPY text into s, for the COPY of ledger_copy_sql (several files at once). */
void ledger_copy_row(struct copy_sink *s, const struct file_job *job, const struct stat *st);
const char *ledger_copy_sql(void);

/*
 * Were these bytes loaded (status loaded or partial) before: by this run
 * (as ledger_remember was told), or, unless local, in the database?  1
 * with *file_id and *name (new string) of the first such file, 0, or -1
 * (err).
 */
int ledger_find_loaded(struct ledger *l, const char *sha, int64_t *file_id, char **name,
                       int local, struct hx_error *err);
/* Was a file of this size loaded?  Only then can a file be a duplicate.  1, 0, -1 (err). */
int ledger_size_seen(struct ledger *l, long long size, struct hx_error *err);
/* This run loaded res (committed): later files with its bytes are duplicates of it. */
void ledger_remember(struct ledger *l, const struct file_result *res);

/* The next file_id (a query when the pool is empty).  0, or -1 (err). */
int ledger_next_id(struct ledger *l, int64_t *id, struct hx_error *err);
/* file_ids left in the pool: so many files can be numbered without a query. */
size_t ledger_ids_left(const struct ledger *l);

#endif
