/*
 * group.h — the group commit of small clean files.  A night brings
 * thousands of small commune files; each in a transaction of its own would
 * cost eight round trips and a commit.  A clean small file (all its rows
 * good, parsed whole in memory: loader.c) joins the group instead: its rows
 * stream at once into the group's transaction, one COPY open per kind in
 * turn, so the server loads them while the next file is read; its ledger
 * row waits, and all the ledger rows go in one COPY at the commit.
 *
 * Each file is still all or nothing.  A group the database refuses (a row
 * it will not take, or bytes the ledger has already: the unique index on
 * sha256) is rolled back whole, and the caller ingests its files again one
 * by one, which sorts out which file was at fault.
 */
#ifndef HOCTAP_INGEST_GROUP_H
#define HOCTAP_INGEST_GROUP_H

#include <libpq-fe.h>
#include <stddef.h>
#include <sys/stat.h>

#include "copy.h"
#include "error.h"
#include "ingest.h"

struct group;

/* An empty group on conn (borrowed).  Never NULL. */
struct group *group_new(PGconn *conn);
/* Free the group; one not committed is rolled back (nothing of it was committed). */
void group_free(struct group *g);

/* Files in the group.  While there is one, its transaction holds the connection. */
size_t group_files(const struct group *g);
/* Is the group full (INGEST_GROUP_FILES files, or INGEST_GROUP_BYTES of them)? */
int group_full(const struct group *g);
/* Does the group hold a file with these bytes (sha256 in hex)? */
int group_has(const struct group *g, const char *sha);

/*
 * Add job's file (its result final but for the commit; st: the file's
 * stat) with its rows, kept in rows for "COPY copy_sql FROM STDIN".  The
 * rows are sent now (the group's transaction begins with its first file);
 * if that fails, the group cannot commit and group_commit says so.
 */
void group_add(struct group *g, const struct file_job *job, const struct stat *st,
               struct copy_sink *rows, const char *copy_sql);

/*
 * End the group's COPY, copy its ledger rows and commit.  0 committed; 1
 * not committed but the run can go on (rolled back: the database refused
 * a row, or bytes the ledger holds already); -1 (err: the run cannot go
 * on).  The group is empty afterwards, whatever the outcome.
 */
int group_commit(struct group *g, struct hx_error *err);

#endif
