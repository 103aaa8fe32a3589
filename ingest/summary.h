/*
 * summary.h — the --summary JSON (see summary.c for its shape).
 *
 * {"dry_run": false,
 *  "files": [{"name", "path", "sha256", "size_bytes", "file_id", "kind", "encoding",
 *             "delimiter", "status", "rows_read", "rows_loaded", "rows_rejected",
 *             "duplicate_of", "message",
 *             "rejects": [{"reason", "column", "value", "message", "count", "lines", "raw"}],
 *             "warnings": ["..."]}],
 *  "totals": {"files", "loaded", "partial", "rejected", "duplicate",
 *             "rows_read", "rows_loaded", "rows_rejected"}}
 */
#ifndef HOCTAP_INGEST_SUMMARY_H
#define HOCTAP_INGEST_SUMMARY_H

#include <jansson.h>

#include "ingest.h"

/* One file's entry (new reference). */
json_t *summary_file(const struct file_result *r);
/* Write the summary of files (an array of summary_file entries) to path. 0, or -1 (err). */
int summary_write(const char *path, json_t *files, int dry_run, struct hx_error *err);
/*
 * Write the same files as lines a shell reads plainly (--summary-lines),
 * one per file in ingest order, five fields separated by TAB:
 *   STATUS ROWS_READ ROWS_LOADED ROWS_REJECTED NAME
 * STATUS is loaded, partial, rejected or duplicate; NAME is the file's base
 * name with \\, TAB, LF, CR and other control bytes written as \\, \t, \n,
 * \r and \xNN, so that no name can split or forge a line.  Written to a
 * temporary name and renamed.  0, or -1 (err).
 */
int summary_write_lines(const char *path, json_t *files, struct hx_error *err);

#endif
