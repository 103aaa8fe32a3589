/*
 * inbox.c — which files, in which order, and where they go afterwards
 * (see inbox.h).  The inbox takes regular files only: any other entry (a
 * symbolic link, a directory, a pipe, a device) is never opened, and goes
 * to rejected/ with its reason, so that what is archived is always the
 * file whose bytes were read and hashed, never a link whose target may
 * change or vanish.  A file moves only after the transaction that recorded it
 * committed, by rename(2) within one file system.  The directories are
 * synced once at the end of the run, not after each move: the ledger in the
 * database is what counts, so a move lost in a crash only leaves the file in
 * the inbox, where the next run finds its sha256 and archives it as a
 * duplicate.  (A directory fsync per file cost more than the rest of a
 * small file's ingest.)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "csvread.h"
#include "giveback.h"
#include "i18n.h"
#include "inbox.h"
#include "log.h"
#include "reasons.h"
#include "summary.h"

/*
 * A path as messages show it: control characters escaped ("\n", "\x1b"),
 * so that a file name can never forge a line of the log.  New string.
 */
static char *printable(const char *path)
{
	size_t n = strlen(path);
	char *out = hx_malloc(4 * n + 1), *o = out;

	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (*p == '\n')
			o += sprintf(o, "\\n");
		else if (*p == '\r')
			o += sprintf(o, "\\r");
		else if (*p == '\t')
			o += sprintf(o, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			o += sprintf(o, "\\x%02x", *p);
		else
			*o++ = (char)*p;
	}
	*o = '\0';
	return out;
}

/* Create path for writing, mode 0644 whatever the umask. */
static FILE *create_0644(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	FILE *f;

	if (fd < 0)
		return NULL;
	if (fchmod(fd, 0644) < 0 || (f = fdopen(fd, "w")) == NULL) {
		close(fd);
		return NULL;
	}
	return f;
}

/* An entry of the inbox: a regular file to ingest, or anything else (type: its mode). */
struct entry {
	char *name;
	mode_t type;   /* 0: a regular file */
};

static int cmp_entries(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

/*
 * The entries of dir but hidden ones and temporaries (a leading '.'),
 * sorted by name, each with what it is as itself (lstat: a symbolic link
 * is a link, whatever it points at).  NULL (err) when dir cannot be read.
 */
static struct entry *list_inbox(const char *dir, size_t *n, struct hx_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct entry *list = NULL;
	size_t cap = 0;

	*n = 0;
	if (d == NULL) {
		hx_error_set(err, HX_NOINPUT, "could not open inbox \"%s\": %s", dir, strerror(errno));
		return NULL;
	}
	while ((e = readdir(d)) != NULL) {
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue; /* gone since it was listed */
		list = hx_grow(list, &cap, *n, sizeof *list, 32);
		list[*n].name = hx_strdup(e->d_name);
		list[*n].type = S_ISREG(st.st_mode) ? 0 : st.st_mode;
		(*n)++;
	}
	closedir(d);
	if (*n > 0)
		qsort(list, *n, sizeof *list, cmp_entries);
	else if (list == NULL)
		list = hx_malloc(sizeof *list);
	return list;
}

static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

/* A name in dir not taken yet: NAME, else NAME.1, NAME.2, ... */
static char *free_name(const char *dir, const char *name)
{
	char *path = hx_asprintf("%s/%s", dir, name);
	struct stat st;

	for (int i = 1; lstat(path, &st) == 0; i++) {
		free(path);
		path = hx_asprintf("%s/%s.%d", dir, name, i);
	}
	return path;
}

/*
 * What the reason that rejected the whole file means, in the reader's
 * language: that of its cause without lines (a row's causes have lines).
 * NULL when it has none.
 */
static const char *file_reason_meaning(const struct file_result *r)
{
	size_t i;
	json_t *c;

	json_array_foreach(r->causes, i, c) {
		enum reason why;

		if (json_array_size(json_object_get(c, "lines")) == 0 &&
		    reason_from_code(json_string_value(json_object_get(c, "reason")), &why) == 0)
			return reason_meaning(why);
	}
	return NULL;
}

/*
 * The rows or lines of a cause: the first `most` numbers, each after `first`
 * (the first one) or `sep`, then more_fmt with their count if there are more.
 */
static void numbers_text(json_t *lines, size_t most, const char *first, const char *sep,
                         const char *more_fmt, char *out, size_t cap)
{
	size_t j, len = 0;
	json_t *l;

	out[0] = '\0';
	json_array_foreach(lines, j, l) {
		if (j == most) {
			snprintf(out + len, cap - len, more_fmt, json_array_size(lines));
			break;
		}
		len += (size_t)snprintf(out + len, cap - len, "%s%lld", j ? sep : first,
		                        (long long)json_integer_value(l));
		if (len >= cap)
			break;
	}
}

/* The rows of a cause, "14" or "14, 15, 20", the first ten then "... (N rows)". */
static void rows_text(json_t *lines, char *out, size_t cap)
{
	numbers_text(lines, 10, "", ", ", _(", ... (%zu rows)"), out, cap);
}

/* A file's status as the log says it, in the reader's language. */
static const char *status_label(enum file_status st)
{
	switch (st) {
	case STATUS_LOADED: return _("loaded");
	case STATUS_PARTIAL: return _("partial");
	case STATUS_REJECTED: return _("rejected");
	case STATUS_DUPLICATE: return _("duplicate");
	case STATUS_NONE:
	case STATUS_PENDING:
	case STATUS_WAIT: break;
	}
	return file_status_name(st);
}

/* Write NAME.error.txt (through a temporary name) for a rejected file. */
static int write_error_txt(const char *target, const struct file_result *r, struct hx_error *err)
{
	char *path = hx_asprintf("%s.error.txt", target);
	char *tmp = hx_asprintf("%s.tmp", path);
	FILE *f = create_0644(tmp);
	const char *meaning = file_reason_meaning(r);
	size_t i;
	json_t *c;
	int rc = -1;

	if (f == NULL) {
		hx_error_set(err, HX_CANTCREAT, "could not create \"%s\": %s", tmp, strerror(errno));
		goto done;
	}
	fprintf(f, _("%s was rejected: nothing of it was loaded.\n\n"), r->name);
	fprintf(f, _("reason: %s\n"), r->message != NULL ? r->message : _("see below"));
	if (meaning != NULL)
		fprintf(f, _("what to do: %s\n"), meaning);
	if (r->sheet != NULL)
		fprintf(f, _("sheet:  %s\n"), r->sheet);
	if (r->encoding_note != NULL)
		fprintf(f, _("text:   %s\n"), r->encoding_note);
	if (r->sha256[0] != '\0')
		fprintf(f, _("sha256: %s\nsize:   %lld bytes\n"), r->sha256, r->size);
	if (r->rows_read > 0)
		fprintf(f, _("rows:   %lld read\n"), r->rows_read);
	json_array_foreach(r->warnings, i, c)
		fprintf(f, _("warning: %s\n"), json_string_value(c));
	json_array_foreach(r->causes, i, c) {
		json_t *lines = json_object_get(c, "lines");
		char nums[512];

		if (json_array_size(lines) == 0)
			continue;
		if (r->sheet != NULL) {
			/* A workbook row's message names its sheet, row and column. */
			rows_text(lines, nums, sizeof nums);
			fprintf(f, json_array_size(lines) == 1 ? _("\n%s (row %s)\n") : _("\n%s (rows %s)\n"),
			        json_string_value(json_object_get(c, "message")), nums);
			continue;
		}
		numbers_text(lines, 20, "", ", ", _(" ... (%zu lines)"), nums, sizeof nums);
		fprintf(f, _("\nline %s: %s\n"), nums, json_string_value(json_object_get(c, "message")));
	}
	fprintf(f, "%s", _("\nCorrect the file and put it in the inbox again; see docs/formats.md.\n"));
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		hx_error_set(err, HX_CANTCREAT, "could not write \"%s\": %s", tmp, strerror(errno));
		fclose(f);
		goto done;
	}
	fclose(f);
	if (rename(tmp, path) < 0) {
		hx_error_set(err, HX_CANTCREAT, "could not rename \"%s\": %s", tmp, strerror(errno));
		goto done;
	}
	rc = 0;
done:
	free(path);
	free(tmp);
	return rc;
}

static int move_file(const char *from, const char *display, const char *dir,
                     const struct file_result *r, int rejected, struct hx_error *err)
{
	char *to = free_name(dir, r->name);
	int rc = -1;

	if (rejected && write_error_txt(to, r, err) < 0)
		goto done;
	if (rename(from, to) < 0) {
		hx_error_set(err, HX_CANTCREAT, "could not move \"%s\" to %s: %s", display, dir,
		             strerror(errno));
		if (rejected) {
			/* No reason beside a file that is not there. */
			char *txt = hx_asprintf("%s.error.txt", to);

			(void)unlink(txt);
			free(txt);
		}
		goto done;
	}
	rc = 0;
done:
	free(to);
	return rc;
}

/*
 * Tell what became of a file: its warnings (an ignored column or key may
 * have held a figure) and rejected rows by cause as warnings, a rejected
 * file as an error.  A duplicate is a note in an inbox run (cron stays
 * quiet on success, docs/design.md §7), a warning for a file named on the
 * command line, whose sender is there to hear it.
 */
static void log_result(const char *display, const struct file_result *r, int inbox)
{
	size_t i;
	json_t *c;

	if (r->status == STATUS_DUPLICATE) {
		hx_log_msg(inbox ? HX_LOG_INFO : HX_LOG_WARNING,
		           _("%s: duplicate of %s (the same bytes were loaded before): "
		             "nothing loaded again"), display, r->duplicate_of_name);
		return;
	}
	json_array_foreach(r->warnings, i, c)
		hx_log_warning("%s: %s", display, json_string_value(c));
	json_array_foreach(r->causes, i, c) {
		json_t *lines = json_object_get(c, "lines");
		const char *msg = json_string_value(json_object_get(c, "message"));
		char where[256] = "";

		if (json_array_size(lines) == 0)
			continue;
		if (r->sheet != NULL) {
			/* A workbook row's message names its sheet, row and column. */
			rows_text(lines, where, sizeof where);
			hx_log_warning(json_array_size(lines) == 1 ? _("%s, %s (row %s not loaded)")
			                                           : _("%s, %s (rows %s not loaded)"),
			               display, msg, where);
			continue;
		}
		numbers_text(lines, 10, ":", ",", _(",... (%zu lines)"), where, sizeof where);
		/* A warning for the run, which goes on; the rows themselves are out. */
		hx_log_warning(json_array_size(lines) == 1 ? _("%s%s: %s (row not loaded)")
		                                           : _("%s%s: %s (rows not loaded)"),
		               display, where, msg);
	}
	if (r->status == STATUS_REJECTED)
		hx_log_error(_("%s: rejected, nothing loaded: %s"), display,
		             r->message != NULL ? r->message : "");
	else
		hx_log_info(_("%s: %s, %lld rows read, %lld loaded, %lld rejected%s%s"), display,
		            status_label(r->status),
		            r->rows_read, r->rows_loaded, r->rows_rejected,
		            r->encoding_note != NULL ? "; " : "",
		            r->encoding_note != NULL ? r->encoding_note : "");
}

/* What a run has told so far: its exit code, summary entries, files moved. */
struct run_outcome {
	int code;
	json_t *summary;
	size_t moved;
};

/*
 * An entry of the inbox that is no regular file (r: its result, rejected,
 * never read): told, and moved to rejected/ with its reason beside it, or,
 * when it cannot be moved, left in the inbox and named.  The run goes on.
 */
static void finish_not_regular(const struct ingest_opts *o, const char *path,
                               const char *display, const struct file_result *r,
                               struct run_outcome *t)
{
	struct hx_error merr;

	log_result(display, r, 1);
	json_array_append_new(t->summary, summary_file(r));
	t->code = HX_DATAERR;
	if (o->dry_run)
		return;
	if (move_file(path, display, o->rejected, r, 1, &merr) < 0)
		hx_log_error(_("%s: left in the inbox, not moved to %s: %s"), display, o->rejected,
		             merr.msg);
	else
		t->moved++;
}

/*
 * A partly loaded file's bad rows back to the clerk, beside the files that
 * could not be read: rejected/NAME.rejects.csv (.xlsx for a workbook).  The
 * file is committed and archived whatever happens here, and its rejects
 * stay in staging.rejects and the summary, so a failure is a warning, not
 * the run's end.  Returns the new file's base name (new string), or NULL.
 */
static char *give_back(const struct ingest_run *run, const char *display,
                       const struct file_result *r)
{
	struct giveback g = {r->file_id, r->name, run->opts->rejected, r->sheet != NULL, NULL,
	                     r->delimiter};
	struct hx_row header = {0};
	struct hx_csv_options copts = {0, 0, ','};
	struct hx_csv_reader *csv = NULL;
	struct hx_csv_record rec;
	struct hx_error err;
	char *path = NULL, *base = NULL;

	hx_error_clear(&err);
	if (r->header == NULL)
		return NULL;
	if (g.workbook) {
		/* The workbook's header cells, as hx_row_to_csv wrote them. */
		csv = hx_csv_new_mem(r->header, strlen(r->header), &copts);
		if (hx_csv_next(csv, &rec, &err) != 1) {
			hx_log_warning(_("%s: its bad rows could not be given back: %s"), display,
			               err.msg[0] ? err.msg : _("no header"));
			hx_csv_free(csv);
			return NULL;
		}
		header.nfields = rec.nfields;
		header.fields = rec.fields;
		header.lens = rec.lens;
	} else {
		header.raw = r->header;
		header.raw_len = strlen(r->header);
	}
	g.header = &header;
	if (giveback_write(run->conn, &g, &path, &err) < 0)
		hx_log_warning(_("%s: its bad rows could not be given back: %s"), display, err.msg);
	else if (path != NULL) {
		const char *slash = strrchr(path, '/');

		base = hx_strdup(slash != NULL ? slash + 1 : path);
		hx_log_info(_("%s: its bad rows, for the clerk to correct and send again: %s"), display,
		            path);
	}
	free(path);
	hx_csv_free(csv);
	return base;
}

static int finish_file(const struct ingest_run *run, int inbox, const char *path,
                       const char *display, const struct file_result *r, struct run_outcome *t,
                       struct hx_error *err)
{
	const struct ingest_opts *o = run->opts;
	int rejected = r->status == STATUS_REJECTED;
	json_t *entry;
	char *back;

	if (inbox && r->sha256[0] == '\0' && rejected && r->causes != NULL &&
	    json_array_size(r->causes) == 1 &&
	    strcmp(json_string_value(json_object_get(json_array_get(r->causes, 0), "reason")),
	           reason_code(REASON_NOT_REGULAR_FILE)) == 0) {
		finish_not_regular(o, path, display, r, t);
		return 0;
	}
	log_result(display, r, inbox);
	entry = summary_file(r);
	json_array_append_new(t->summary, entry);
	if (rejected || r->rows_rejected > 0)
		t->code = HX_DATAERR;
	if (!inbox || o->dry_run)
		return 0;
	if (move_file(path, display, rejected ? o->rejected : o->archive, r, rejected, err) < 0)
		return -1;
	t->moved++;
	if (r->status == STATUS_PARTIAL && (back = give_back(run, display, r)) != NULL) {
		json_object_set_new(entry, "rejects_file", json_string(back));
		free(back);
	}
	return 0;
}

/* Commit the waiting group, then tell and move its files in order.  0, or -1 (err). */
static int flush_pending(struct ingest_run *run, int inbox, struct pending_file *pend, size_t *n,
                         struct run_outcome *t, struct hx_error *err)
{
	size_t i;
	int rc = ingest_flush(run, pend, *n, err);
	struct hx_error ferr;

	hx_error_clear(&ferr);
	for (i = 0; i < *n; i++) {
		/* When the flush failed part of the way (retrying files one by one),
		 * the files it committed are still told and moved. */
		enum file_status st = pend[i].res.status;

		if (st != STATUS_NONE && st != STATUS_PENDING &&
		    finish_file(run, inbox, pend[i].path, pend[i].display, &pend[i].res, t,
		                rc == 0 ? err : &ferr) < 0)
			rc = -1;
		file_result_free(&pend[i].res);
		free(pend[i].path);
		free(pend[i].display);
	}
	*n = 0;
	return rc;
}

int inbox_run(struct ingest_run *run, char **files, int nfiles, struct hx_error *err)
{
	const struct ingest_opts *o = run->opts;
	struct run_outcome t = {HX_OK, json_array(), 0};
	struct pending_file *pend = hx_calloc(INGEST_GROUP_FILES, sizeof *pend);
	struct entry *names = NULL;
	size_t n = 0, i, npend = 0;
	int inbox = nfiles == 0;

	if (inbox) {
		names = list_inbox(o->inbox, &n, err);
		if (names == NULL) {
			t.code = err->code;
			goto done;
		}
	} else {
		/* Every named file must exist before anything is loaded. */
		for (i = 0; i < (size_t)nfiles; i++) {
			struct stat st;

			if (stat(files[i], &st) < 0 || !S_ISREG(st.st_mode) || access(files[i], R_OK) < 0) {
				char *shown = printable(files[i]);

				hx_error_set(err, HX_NOINPUT, "%s: %s", shown,
				             errno ? strerror(errno) : "not a regular file");
				free(shown);
				t.code = HX_NOINPUT;
				goto done;
			}
		}
		n = (size_t)nfiles;
	}
	for (i = 0; i < n; i++) {
		struct file_result r;
		char *path = inbox ? hx_asprintf("%s/%s", o->inbox, names[i].name) : hx_strdup(files[i]);
		char *display = printable(path);
		int rc;

		if (inbox && names[i].type != 0) {
			/* Never opened: told and moved in its place in name order. */
			rc = flush_pending(run, inbox, pend, &npend, &t, err);
			file_result_not_regular(&r, path, file_type_name(names[i].type));
			if (rc == 0)
				finish_not_regular(o, path, display, &r, &t);
			file_result_free(&r);
			free(path);
			free(display);
			if (rc < 0)
				goto fail;
			continue;
		}
		rc = ingest_file(run, path, display, &r, err);

		if (rc == 0 && r.status == STATUS_WAIT) {
			/* Its bytes wait in the group: once that commits, it is a duplicate. */
			file_result_free(&r);
			rc = flush_pending(run, inbox, pend, &npend, &t, err);
			if (rc == 0)
				rc = ingest_file(run, path, display, &r, err);
		}
		if (rc == 0 && r.status == STATUS_PENDING) {
			pend[npend].path = path;
			pend[npend].display = display;
			pend[npend].res = r;
			npend++;
			if (ingest_group_full(run) && flush_pending(run, inbox, pend, &npend, &t, err) < 0)
				goto fail;
			continue;
		}
		/* Files are told and moved in name order: the group before this one. */
		if (rc == 0)
			rc = flush_pending(run, inbox, pend, &npend, &t, err);
		if (rc == 0)
			rc = finish_file(run, inbox, path, display, &r, &t, err);
		file_result_free(&r);
		free(path);
		free(display);
		if (rc < 0)
			goto fail;
	}
	if (flush_pending(run, inbox, pend, &npend, &t, err) < 0)
		goto fail;
	if (inbox && n == 0)
		hx_log_info("inbox %s is empty: nothing to do", o->inbox);
	goto done;
fail:
	t.code = err->code;
done:
	for (i = 0; i < npend; i++) {
		/* Never committed (the run stopped): these files stay in the inbox. */
		file_result_free(&pend[i].res);
		free(pend[i].path);
		free(pend[i].display);
	}
	free(pend);
	if (t.moved > 0) {
		sync_dir(o->inbox);
		sync_dir(o->archive);
		sync_dir(o->rejected);
	}
	if (o->summary != NULL || o->summary_lines != NULL) {
		struct hx_error serr;

		if ((o->summary != NULL && summary_write(o->summary, t.summary, o->dry_run, &serr) < 0) ||
		    (o->summary_lines != NULL &&
		     summary_write_lines(o->summary_lines, t.summary, &serr) < 0)) {
			if (t.code == HX_OK || t.code == HX_DATAERR) {
				*err = serr;
				t.code = serr.code;
			} else {
				hx_log_hx_error(&serr);
			}
		}
	}
	json_decref(t.summary);
	for (i = 0; inbox && names != NULL && i < n; i++)
		free(names[i].name);
	free(names);
	return t.code;
}
