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

#endif
