/*
 * job.c — what the converters tell the loader about the file being
 * loaded (see ingest.h): a row rejected, the whole file rejected, a
 * warning, progress; and the names of a file's kind and status.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"
#include "i18n.h"
#include "ingest.h"
#include "text.h"

const char *file_kind_name(enum file_kind k)
{
	switch (k) {
	case KIND_TALLY: return "tally";
	case KIND_FUND: return "fund";
	case KIND_REGISTER: return "register";
	case KIND_JSON: return "json";
	case KIND_NONE: break;
	}
	return NULL;
}

const char *file_status_name(enum file_status s)
{
	switch (s) {
	case STATUS_LOADED: return "loaded";
	case STATUS_PARTIAL: return "partial";
	case STATUS_REJECTED: return "rejected";
	case STATUS_DUPLICATE: return "duplicate";
	case STATUS_PENDING: return "pending";
	case STATUS_WAIT: return "wait";
	case STATUS_NONE: break;
	}
	return NULL;
}

void file_result_not_regular(struct file_result *res, const char *path, const char *what)
{
	const char *slash = strrchr(path, '/');
	json_t *cause = json_object();

	memset(res, 0, sizeof *res);
	res->name = hx_strdup(slash != NULL ? slash + 1 : path);
	res->path = hx_strdup(path);
	res->status = STATUS_REJECTED;
	res->message = hx_asprintf(_("not a regular file but %s: never read"), what);
	res->warnings = json_array();
	res->causes = json_array();
	json_object_set_new(cause, "reason", json_string(reason_code(REASON_NOT_REGULAR_FILE)));
	json_object_set_new(cause, "column", json_null());
	json_object_set_new(cause, "value", json_null());
	json_object_set_new(cause, "message", json_string(res->message));
	json_object_set_new(cause, "count", json_integer(1));
	json_object_set_new(cause, "lines", json_array());
	json_object_set_new(cause, "raw", json_null());
	json_object_set_new(cause, "rows", json_array());
	json_array_append_new(res->causes, cause);
}

const char *file_type_name(mode_t mode)
{
	if (S_ISLNK(mode))
		return _("a symbolic link");
	if (S_ISDIR(mode))
		return _("a directory");
	if (S_ISFIFO(mode))
		return _("a named pipe");
	if (S_ISSOCK(mode))
		return _("a socket");
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return _("a device");
	return _("no file of a known type");
}

void file_result_free(struct file_result *res)
{
	free(res->name);
	free(res->path);
	free(res->duplicate_of_name);
	free(res->sheet);
	free(res->header);
	free(res->encoding_note);
	free(res->message);
	json_decref(res->causes);
	json_decref(res->warnings);
	memset(res, 0, sizeof *res);
}


/*
 * The first bytes of s[0..n), at most max, that end on a whole character.
 * Text cut to fit (here, or by a caller's fixed buffer) may end in a
 * character cut in two; the database refuses such text, and with it the
 * file's whole load.
 */
static size_t utf8_cut(const char *s, size_t n, size_t max)
{
	if (n > max)
		n = max;
	return n - hx_text_utf8_incomplete_tail(s, n);
}

static void trim_cut_char(char *msg)
{
	msg[utf8_cut(msg, strlen(msg), HX_ERRMSG_MAX)] = '\0';
}

void job_reject(struct file_job *job, long line, const char *col, const char *value, size_t vlen,
                enum reason reason, const char *message, const char *raw, size_t rawlen)
{
	struct copy_sink *s = &job->rejects;

	copy_raw(s, job->file_id_text, strlen(job->file_id_text));
	if (line > 0)
		copy_int(s, line);
	else
		copy_null(s);
	if (col != NULL)
		copy_text(s, col, strlen(col));
	else
		copy_null(s);
	if (value != NULL)
		copy_text(s, value, utf8_cut(value, vlen, INGEST_RAW_MAX));
	else
		copy_null(s);
	copy_raw(s, reason_code(reason), strlen(reason_code(reason)));
	copy_text(s, message, utf8_cut(message, strlen(message), HX_ERRMSG_MAX));
	if (raw != NULL)
		copy_text(s, raw, utf8_cut(raw, rawlen, INGEST_RAW_MAX));
	else
		copy_null(s);
	copy_row_end(s);
	if (line > 0)
		job->res->rows_rejected++;
}

const char *job_row_place(const struct file_job *job, long line, char *out, size_t cap)
{
	char sheet[HX_TEXT_EXCERPT_SZ];

	if (job->sheet == NULL) {
		hx_text_msgf(out, cap, _("line %ld"), line);
	} else {
		hx_text_excerpt(job->sheet, strlen(job->sheet), sheet, sizeof sheet);
		hx_text_msgf(out, cap, _("sheet \"%s\", row %ld"), sheet, line);
	}
	return out;
}

void job_fail(struct file_job *job, long line, enum reason reason, const char *fmt, ...)
{
	va_list ap;
	char msg[HX_ERRMSG_MAX], place[HX_TEXT_EXCERPT_SZ + 40];

	if (job->file_failed)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	trim_cut_char(msg);
	job->file_failed = 1;
	job->file_reason = reason;
	free(job->res->message);
	job->res->message = line > 0 ? hx_asprintf("%s: %s", job_row_place(job, line, place,
	                                                                    sizeof place), msg)
	                             : hx_strdup(msg);
}

void job_warn(struct file_job *job, long line, const char *fmt, ...)
{
	va_list ap;
	char msg[HX_ERRMSG_MAX], place[HX_TEXT_EXCERPT_SZ + 40];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	trim_cut_char(msg);
	copy_raw(&job->warnings, job->file_id_text, strlen(job->file_id_text));
	if (line > 0)
		copy_int(&job->warnings, line);
	else
		copy_null(&job->warnings);
	copy_text(&job->warnings, msg, strlen(msg));
	copy_row_end(&job->warnings);
	if (line > 0) {
		char *at = hx_asprintf("%s: %s", job_row_place(job, line, place, sizeof place), msg);

		json_array_append_new(job->res->warnings, json_string(at));
		free(at);
	} else {
		json_array_append_new(job->res->warnings, json_string(msg));
	}
}

void job_progress(struct file_job *job, unsigned long long bytes)
{
	if (job->opts->progress)
		progress_update(job->res->name,
		                (unsigned long long)(job->res->rows_loaded + job->res->rows_rejected),
		                bytes, job->bytes_total, 0);
}
