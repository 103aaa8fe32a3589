/*
 * inbox.h — a run over files: the inbox's regular files in name order (so
 * runs are repeatable; any other entry is rejected unread) or the files
 * named on the command line (never moved), each
 * ingested in its own transaction, then moved: to the archive after its
 * commit, to rejected/ with NAME.error.txt beside it when nothing of it
 * loaded.
 */
#ifndef HOCTAP_INGEST_INBOX_H
#define HOCTAP_INGEST_INBOX_H

#include "ingest.h"

/*
 * Ingest files[0..nfiles) (named on the command line), or when nfiles is 0
 * every file of run->opts->inbox.  Logs each file's outcome, writes the
 * summary if asked.  Returns the exit code: HX_OK, HX_DATAERR (something
 * was rejected), or the code of a failure that stopped the run (err).
 */
int inbox_run(struct ingest_run *run, char **files, int nfiles, struct hx_error *err);

#endif
