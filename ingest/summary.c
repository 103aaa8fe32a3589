/*
 * summary.c — the --summary import summary (docs/design.md §4.3): per file its
 * status and counts (read = loaded + rejected), its rejects grouped by
 * cause with every line and the offending text, its warnings; totals for
 * the run.  Written to a temporary name and renamed, with sorted keys, so
 * a reader never sees half a file.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "summary.h"

json_t *summary_file(const struct file_result *r)
{
	json_t *f = json_object();
	char delim[4] = {0};

	json_object_set_new(f, "name", json_string(r->name));
	json_object_set_new(f, "path", json_string(r->path));
	json_object_set_new(f, "sha256", r->sha256[0] ? json_string(r->sha256) : json_null());
	json_object_set_new(f, "size_bytes", json_integer(r->size));
	json_object_set_new(f, "file_id", r->file_id > 0 ? json_integer(r->file_id) : json_null());
	json_object_set_new(f, "kind", r->kind != KIND_NONE ? json_string(file_kind_name(r->kind))
	                                                    : json_null());
	json_object_set_new(f, "encoding", r->encoding ? json_string(r->encoding) : json_null());
	json_object_set_new(f, "encoding_note",
	                    r->encoding_note ? json_string(r->encoding_note) : json_null());
	json_object_set_new(f, "sheet", r->sheet ? json_string(r->sheet) : json_null());
	if (r->delimiter != 0) {
		if (r->delimiter == '\t')
			strcpy(delim, "TAB");
		else
			delim[0] = r->delimiter;
		json_object_set_new(f, "delimiter", json_string(delim));
	}
	json_object_set_new(f, "status",
	                    json_string(r->status != STATUS_NONE ? file_status_name(r->status)
	                                                         : "rejected"));
	json_object_set_new(f, "rows_read", json_integer(r->rows_read));
	json_object_set_new(f, "rows_loaded", json_integer(r->rows_loaded));
	json_object_set_new(f, "rows_rejected", json_integer(r->rows_rejected));
	json_object_set_new(f, "duplicate_of",
	                    r->duplicate_of_name ? json_string(r->duplicate_of_name) : json_null());
	json_object_set_new(f, "message", r->message ? json_string(r->message) : json_null());
	json_object_set_new(f, "rejects", json_incref(r->causes ? r->causes : json_array()));
	json_object_set_new(f, "warnings", json_incref(r->warnings ? r->warnings : json_array()));
	return f;
}

/* tmp created 0644 whatever the umask (the summary is read by others), or NULL with err. */
static FILE *create_tmp(const char *tmp, const char *what, struct hx_error *err)
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	FILE *f = NULL;

	if (fd < 0 || fchmod(fd, 0644) < 0 || (f = fdopen(fd, "w")) == NULL) {
		hx_error_set(err, HX_CANTCREAT, "could not create %s \"%s\": %s", what, tmp,
		             strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return f;
}

/* Close f (failed: a write to it failed) and rename tmp to path: 0, or -1 with err, tmp gone. */
static int publish(FILE *f, int failed, const char *tmp, const char *path, const char *what,
                   struct hx_error *err)
{
	if (fclose(f) != 0 || failed) {
		hx_error_set(err, HX_CANTCREAT, "could not write %s \"%s\"", what, tmp);
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) < 0) {
		hx_error_set(err, HX_CANTCREAT, "could not rename \"%s\" to \"%s\": %s", tmp, path,
		             strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int summary_write(const char *path, json_t *files, int dry_run, struct hx_error *err)
{
	json_t *root = json_object(), *totals = json_object();
	long long read = 0, loaded = 0, rejected = 0;
	long long by_status[4] = {0};
	static const enum file_status statuses[4] = {STATUS_LOADED, STATUS_PARTIAL,
	                                             STATUS_REJECTED, STATUS_DUPLICATE};
	char *tmp = hx_asprintf("%s.tmp.%ld", path, (long)getpid());
	size_t i;
	int rc = -1;
	FILE *f = NULL;
	json_t *e;

	json_array_foreach(files, i, e) {
		const char *st = json_string_value(json_object_get(e, "status"));

		read += json_integer_value(json_object_get(e, "rows_read"));
		loaded += json_integer_value(json_object_get(e, "rows_loaded"));
		rejected += json_integer_value(json_object_get(e, "rows_rejected"));
		for (int k = 0; k < 4; k++)
			if (st != NULL && strcmp(st, file_status_name(statuses[k])) == 0)
				by_status[k]++;
	}
	json_object_set_new(totals, "files", json_integer((json_int_t)json_array_size(files)));
	for (int k = 0; k < 4; k++)
		json_object_set_new(totals, file_status_name(statuses[k]), json_integer(by_status[k]));
	json_object_set_new(totals, "rows_read", json_integer(read));
	json_object_set_new(totals, "rows_loaded", json_integer(loaded));
	json_object_set_new(totals, "rows_rejected", json_integer(rejected));
	json_object_set_new(root, "dry_run", json_boolean(dry_run));
	json_object_set_new(root, "files", json_incref(files));
	json_object_set_new(root, "totals", totals);
	if ((f = create_tmp(tmp, "summary", err)) != NULL)
		rc = publish(f, json_dumpf(root, f, JSON_INDENT(2) | JSON_SORT_KEYS) != 0, tmp, path,
		             "summary", err);
	json_decref(root);
	free(tmp);
	return rc;
}

/* name with what could split a line escaped (see summary.h). */
static void put_name(FILE *f, const char *name)
{
	for (const unsigned char *p = (const unsigned char *)name; *p != '\0'; p++) {
		if (*p == '\\')
			fputs("\\\\", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\r')
			fputs("\\r", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
}

int summary_write_lines(const char *path, json_t *files, struct hx_error *err)
{
	char *tmp = hx_asprintf("%s.tmp.%ld", path, (long)getpid());
	int rc;
	FILE *f = NULL;
	size_t i;
	json_t *e;

	if ((f = create_tmp(tmp, "summary lines", err)) == NULL) {
		free(tmp);
		return -1;
	}
	json_array_foreach(files, i, e) {
		const char *back, *name = json_string_value(json_object_get(e, "name"));
		const char *status = json_string_value(json_object_get(e, "status"));

		fprintf(f, "%s\t%lld\t%lld\t%lld\t", status != NULL ? status : "rejected",
		        (long long)json_integer_value(json_object_get(e, "rows_read")),
		        (long long)json_integer_value(json_object_get(e, "rows_loaded")),
		        (long long)json_integer_value(json_object_get(e, "rows_rejected")));
		put_name(f, name != NULL ? name : "");
		back = json_string_value(json_object_get(e, "rejects_file"));
		if (back != NULL) {
			fputc('\t', f);
			put_name(f, back);
		}
		fputc('\n', f);
	}
	rc = publish(f, ferror(f), tmp, path, "summary lines", err);
	free(tmp);
	return rc;
}
