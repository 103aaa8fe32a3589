/*
 * jsonsub.c — JSON submissions (DESIGN.md §4.2 item 4): one object, an
 * array of objects, or one object per line (NDJSON).  Each top-level
 * object is parsed on its own by jansson (JSON_REJECT_DUPLICATES) from a
 * sliding window over the file, so a file of many submissions is never
 * held whole; the line where each object starts is its provenance, and a
 * reject names the path of the value inside it ("tallies[0].recognized").
 *
 * One object feeds three tables; COPY serves one table at a time, so rows
 * go to temporary files first and are copied table by table at the end.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "ingest.h"
#include "source.h"
#include "values.h"

#define JSON_OBJECT_MAX ((size_t)8 * 1024 * 1024) /* one submission object */
#define READ_CHUNK ((size_t)64 * 1024)

struct window {
	struct byte_source *src;
	struct hx_buf buf;
	size_t pos;          /* next unread byte in buf */
	long line;           /* physical line of buf[pos] */
	int eof;
};

/* Read more; returns 1, 0 at end, -1 (err). */
static int more(struct window *w, struct hx_error *err)
{
	char chunk[READ_CHUNK];
	ssize_t n;

	if (w->eof)
		return 0;
	/* Drop what is consumed before growing. */
	if (w->pos > 0) {
		memmove(w->buf.data, w->buf.data + w->pos, w->buf.len - w->pos);
		w->buf.len -= w->pos;
		w->buf.data[w->buf.len] = '\0';
		w->pos = 0;
	}
	n = source_read(w->src, chunk, sizeof chunk, err);
	if (n < 0)
		return -1;
	if (n == 0) {
		w->eof = 1;
		return 0;
	}
	if (hx_buf_append(&w->buf, chunk, (size_t)n) < 0)
		return hx_error_set(err, HX_DATAERR, "a JSON submission longer than %zu bytes",
		                    JSON_OBJECT_MAX);
	return 1;
}

static void advance(struct window *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = w->buf.data[w->pos + i];

		/* CR LF counts once; a lone CR is a line end too. */
		if (c == '\n' || (c == '\r' && (w->pos + i + 1 >= w->buf.len ||
		                                w->buf.data[w->pos + i + 1] != '\n')))
			w->line++;
	}
	w->pos += n;
}

/* Skip whitespace; the next byte or -1 at end, -2 on error. */
static int peek(struct window *w, struct hx_error *err)
{
	for (;;) {
		while (w->pos < w->buf.len) {
			char c = w->buf.data[w->pos];

			if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
				return (unsigned char)c;
			advance(w, 1);
		}
		switch (more(w, err)) {
		case -1: return -2;
		case 0: return -1;
		default: break;
		}
	}
}

/* ---- one submission ------------------------------------------------------ */

struct json_job {
	struct file_job *job;
	struct val_ctx vc;
	struct copy_sink tally, fund, reg;
	long line;            /* where the submission starts */
	char raw[INGEST_RAW_MAX + 1];
	size_t raw_len;
};

/* A JSON scalar as text for the value converters (numbers as written by jansson). */
static const char *scalar_text(const json_t *v, char *buf, size_t cap, size_t *n)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		*n = json_string_length(v);
		return json_string_value(v);
	case JSON_INTEGER:
		*n = (size_t)snprintf(buf, cap, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return buf;
	case JSON_REAL:
		/* Machine notation: the number style is English for JSON numbers. */
		*n = (size_t)snprintf(buf, cap, "%.15g", json_real_value(v));
		return buf;
	case JSON_TRUE:
		*n = 4;
		return "true";
	case JSON_FALSE:
		*n = 5;
		return "false";
	default:
		*n = 0;
		return "";
	}
}

static void jreject(struct json_job *jj, const char *path, const char *value, size_t vlen,
                    const char *reason, const char *what)
{
	char msg[800];

	if (path != NULL)
		snprintf(msg, sizeof msg, "\"%s\": %s", path, what);
	else
		snprintf(msg, sizeof msg, "%s", what);
	job_reject(jj->job, jj->line, path, value, vlen, reason, msg, jj->raw, jj->raw_len);
}

/*
 * Put field name of obj (path prefix) as type t into out.  Returns 0
 * written (a value or NULL), -1 rejected (row aborted).
 */
static int put(struct json_job *jj, struct copy_sink *out, const json_t *obj, const char *prefix,
               const char *name, enum val_type t, int required, int64_t mult, int *had)
{
	const json_t *v = json_object_get(obj, name);
	char path[160], num[64];
	const char *s;
	size_t n;
	struct val_error e;
	int rc;

	snprintf(path, sizeof path, "%s%s", prefix, name);
	if (v == NULL || json_is_null(v)) {
		if (required) {
			copy_row_abort(out);
			jreject(jj, path, NULL, 0, "missing_value", "a value is required");
			return -1;
		}
		copy_null(out);
		return 0;
	}
	if (json_is_object(v) || json_is_array(v)) {
		copy_row_abort(out);
		jreject(jj, path, NULL, 0, "bad_json_value", "a single value is expected here");
		return -1;
	}
	/* A JSON number is machine notation whatever the file's number style. */
	if (json_is_number(v) && (t == VT_COUNT || t == VT_MONEY || t == VT_DECIMAL ||
	                          t == VT_PERCENT)) {
		enum hx_num_style keep = jj->vc.numbers;

		jj->vc.numbers = HX_NUM_EN;
		s = scalar_text(v, num, sizeof num, &n);
		rc = val_put(&jj->vc, t, s, n, mult, out, &e);
		jj->vc.numbers = keep;
	} else {
		s = scalar_text(v, num, sizeof num, &n);
		rc = val_put(&jj->vc, t, s, n, mult, out, &e);
	}
	if (rc < 0) {
		copy_row_abort(out);
		jreject(jj, path, s, n, e.reason, e.msg);
		return -1;
	}
	if (rc == 1) {
		if (required) {
			copy_row_abort(out);
			jreject(jj, path, s, n, "missing_value", "a value is required");
			return -1;
		}
		copy_null(out);
		return 0;
	}
	if (had != NULL)
		(*had)++;
	return 0;
}

/* The fields every row of a submission starts with. */
static int head(struct json_job *jj, struct copy_sink *out, const json_t *sub)
{
	copy_raw(out, jj->job->file_id_text, strlen(jj->job->file_id_text));
	copy_int(out, jj->line);
	if (put(jj, out, sub, "", "year", VT_YEAR, 1, 1, NULL) < 0 ||
	    put(jj, out, sub, "", "unit_code", VT_UNIT, 1, 1, NULL) < 0)
		return -1;
	return 0;
}

static void load_tally(struct json_job *jj, const json_t *sub, const json_t *t, size_t i)
{
	struct copy_sink *o = &jj->tally;
	char p[48];
	int figures = 0;

	snprintf(p, sizeof p, "tallies[%zu].", i);
	if (!json_is_object(t)) {
		jreject(jj, p, NULL, 0, "bad_json_value", "a tally object is expected");
		return;
	}
	if (head(jj, o, sub) < 0 || put(jj, o, t, p, "title", VT_TITLE, 1, 1, NULL) < 0 ||
	    put(jj, o, t, p, "eligible", VT_COUNT, 0, 1, &figures) < 0 ||
	    put(jj, o, t, p, "registered", VT_COUNT, 0, 1, &figures) < 0 ||
	    put(jj, o, t, p, "recognized", VT_COUNT, 0, 1, &figures) < 0 ||
	    put(jj, o, t, p, "exemplary", VT_COUNT, 0, 1, &figures) < 0 ||
	    put(jj, o, t, p, "reported_rate", VT_PERCENT, 0, 1, NULL) < 0 ||
	    put(jj, o, sub, "", "submitted_at", VT_TIME, 0, 1, NULL) < 0 ||
	    put(jj, o, t, p, "note", VT_TEXT, 0, 1, NULL) < 0)
		return;
	if (figures == 0) {
		copy_row_abort(o);
		jreject(jj, p, NULL, 0, "no_figures",
		        "no figure: eligible, registered, recognized and exemplary are all empty");
		return;
	}
	copy_row_end(o);
	jj->job->res->rows_loaded++;
}

static void load_fund(struct json_job *jj, const json_t *sub, const json_t *f)
{
	struct copy_sink *o = &jj->fund;
	const char *p = "fund.";
	int had = 0, million = json_object_get(f, "mobilized_million_vnd") != NULL;
	int smillion = json_object_get(f, "scholarship_million_vnd") != NULL;

	if (!json_is_object(f)) {
		jreject(jj, "fund", NULL, 0, "bad_json_value", "a fund object is expected");
		return;
	}
	if (head(jj, o, sub) < 0 ||
	    put(jj, o, f, p, million ? "mobilized_million_vnd" : "mobilized_vnd", VT_MONEY, 1,
	        million ? 1000000 : 1, &had) < 0 ||
	    put(jj, o, f, p, "scholarships", VT_COUNT, 0, 1, NULL) < 0 ||
	    put(jj, o, f, p, smillion ? "scholarship_million_vnd" : "scholarship_vnd", VT_MONEY, 0,
	        smillion ? 1000000 : 1, NULL) < 0 ||
	    put(jj, o, sub, "", "submitted_at", VT_TIME, 0, 1, NULL) < 0)
		return;
	copy_row_end(o);
	jj->job->res->rows_loaded++;
}

static void load_register(struct json_job *jj, const json_t *sub, const json_t *r, size_t i)
{
	struct copy_sink *o = &jj->reg;
	char p[48];

	snprintf(p, sizeof p, "register[%zu].", i);
	if (!json_is_object(r)) {
		jreject(jj, p, NULL, 0, "bad_json_value", "a register object is expected");
		return;
	}
	if (head(jj, o, sub) < 0 || put(jj, o, r, p, "title", VT_TITLE, 1, 1, NULL) < 0 ||
	    put(jj, o, r, p, "entity_id", VT_TEXT, 1, 1, NULL) < 0 ||
	    put(jj, o, r, p, "registered", VT_BOOL, 1, 1, NULL) < 0 ||
	    put(jj, o, r, p, "recognized", VT_BOOL, 1, 1, NULL) < 0 ||
	    put(jj, o, r, p, "exemplary", VT_BOOL, 0, 1, NULL) < 0 ||
	    put(jj, o, r, p, "score", VT_DECIMAL, 0, 1, NULL) < 0 ||
	    put(jj, o, r, p, "village", VT_TEXT, 0, 1, NULL) < 0 ||
	    put(jj, o, r, p, "entity_name", VT_TEXT, 0, 1, NULL) < 0 ||
	    put(jj, o, sub, "", "submitted_at", VT_TIME, 0, 1, NULL) < 0)
		return;
	if (jj->job->lists != NULL)
		lists_sink_row(jj->job->lists, o, NULL);
	copy_row_end(o);
	jj->job->res->rows_loaded++;
}

static void load_submission(struct json_job *jj, const json_t *sub)
{
	const json_t *tallies, *fund, *reg, *v;
	size_t i, rows = 0;
	const char *key;

	if (!json_is_object(sub)) {
		jreject(jj, NULL, NULL, 0, "bad_json_value",
		        "a submission must be a JSON object with unit_code and year");
		return;
	}
	tallies = json_object_get(sub, "tallies");
	fund = json_object_get(sub, "fund");
	reg = json_object_get(sub, "register");
	json_object_foreach((json_t *)(uintptr_t)sub, key, v) {
		if (strcmp(key, "unit_code") != 0 && strcmp(key, "year") != 0 &&
		    strcmp(key, "submitted_at") != 0 && strcmp(key, "tallies") != 0 &&
		    strcmp(key, "fund") != 0 && strcmp(key, "register") != 0)
			job_warn(jj->job, jj->line, "unknown key \"%s\" in a submission, ignored", key);
	}
	if (tallies != NULL && !json_is_array(tallies)) {
		jreject(jj, "tallies", NULL, 0, "bad_json_value", "an array of tallies is expected");
		return;
	}
	if (reg != NULL && !json_is_array(reg)) {
		jreject(jj, "register", NULL, 0, "bad_json_value", "an array is expected");
		return;
	}
	json_array_foreach(tallies, i, v) {
		load_tally(jj, sub, v, i);
		rows++;
	}
	if (fund != NULL && !json_is_null(fund)) {
		load_fund(jj, sub, fund);
		rows++;
	}
	json_array_foreach(reg, i, v) {
		load_register(jj, sub, v, i);
		rows++;
	}
	if (rows == 0)
		jreject(jj, NULL, NULL, 0, "no_figures",
		        "the submission has no tallies, fund or register");
}

/* ---- the file ------------------------------------------------------------ */

/* Parse the value at the window's position.  NULL with the file failed, or err (-1 in *fatal). */
static json_t *parse_one(struct json_job *jj, struct window *w, int *fatal, struct hx_error *err)
{
	for (;;) {
		json_error_t je;
		json_t *v = json_loadb(w->buf.data + w->pos, w->buf.len - w->pos,
		                       JSON_REJECT_DUPLICATES | JSON_DISABLE_EOF_CHECK |
		                       JSON_DECODE_ANY, &je);
		int rc;

		if (v != NULL) {
			size_t used = (size_t)je.position;

			/* jansson may read one byte past a number: give it back if it is a separator. */
			jj->raw_len = used < INGEST_RAW_MAX ? used : INGEST_RAW_MAX;
			memcpy(jj->raw, w->buf.data + w->pos, jj->raw_len);
			while (jj->raw_len > 0 && (jj->raw[jj->raw_len - 1] == '\n' ||
			                           jj->raw[jj->raw_len - 1] == '\r'))
				jj->raw_len--;
			jj->raw[jj->raw_len] = '\0';
			if (used > 0 && (w->buf.data[w->pos + used - 1] == ',' ||
			                 w->buf.data[w->pos + used - 1] == ']'))
				used--;
			advance(w, used);
			return v;
		}
		/*
		 * An error at the end of the window may only mean the value goes on
		 * in bytes not read yet (jansson says "premature end of input", or
		 * "invalid token" for a window ending in "tr" of "true"): read more
		 * and parse again.  The window at least doubles each time, so a large
		 * object costs a few parses, not one per chunk.
		 */
		if (!w->eof && (json_error_code(&je) == json_error_premature_end_of_input ||
		                (size_t)je.position + 16 >= w->buf.len - w->pos)) {
			size_t want = 2 * (w->buf.len - w->pos);

			do
				rc = more(w, err);
			while (rc > 0 && w->buf.len - w->pos < want);
			if (rc < 0) {
				if (err->code == HX_DATAERR) {
					job_fail(jj->job, w->line, "too_large", "%s", err->msg);
					return NULL;
				}
				*fatal = 1;
				return NULL;
			}
			continue;
		}
		job_fail(jj->job, w->line + (je.line > 1 ? je.line - 1 : 0), "bad_json",
		         "not valid JSON (column %d): %s", je.column, je.text);
		return NULL;
	}
}

int jsonsub_load(struct file_job *job, struct byte_source *src, struct hx_error *err)
{
	struct window w;
	struct json_job jj;
	int c, array = 0, fatal = 0, result = -1;
	size_t objects = 0;
	static const char *const copy_sql[3] = {
		"COPY staging.tally (file_id, line, year, unit_code, title, eligible, registered, "
		"recognized, exemplary, reported_rate, submitted_at, note) FROM STDIN",
		"COPY staging.fund (file_id, line, year, unit_code, mobilized_vnd, scholarships, "
		"scholarship_vnd, submitted_at) FROM STDIN",
		"COPY staging.register (file_id, line, year, unit_code, title, entity_id, registered, "
		"recognized, exemplary, score, village, entity_name, submitted_at) FROM STDIN"};

	memset(&w, 0, sizeof w);
	memset(&jj, 0, sizeof jj);
	w.src = src;
	w.line = 1;
	hx_buf_init(&w.buf, JSON_OBJECT_MAX);
	jj.job = job;
	jj.vc.numbers = job->numbers;
	jj.vc.units = job->units;
	job->res->kind = KIND_JSON;
	copy_sink_tmp(&jj.tally);
	copy_sink_tmp(&jj.fund);
	copy_sink_tmp(&jj.reg);

	c = peek(&w, err);
	if (c == -2)
		goto done;
	if (c == -1) {
		job_fail(job, 0, "empty_file", "the file is empty");
		result = 0;
		goto done;
	}
	if (c == '[') {
		array = 1;
		advance(&w, 1);
	}
	for (;;) {
		json_t *sub;

		c = peek(&w, err);
		if (c == -2)
			goto done;
		if (c == -1) {
			if (array)
				job_fail(job, w.line, "bad_json", "not valid JSON: the array is never closed");
			break;
		}
		if (array && c == ']') {
			advance(&w, 1);
			c = peek(&w, err);
			if (c == -2)
				goto done;
			if (c != -1)
				job_fail(job, w.line, "bad_json", "not valid JSON: text after the array");
			break;
		}
		if (array && objects > 0) {
			if (c != ',') {
				job_fail(job, w.line, "bad_json",
				         "not valid JSON: ',' or ']' expected between submissions");
				break;
			}
			advance(&w, 1);
			if (peek(&w, err) == -2)
				goto done;
		}
		jj.line = w.line;
		sub = parse_one(&jj, &w, &fatal, err);
		if (sub == NULL) {
			if (fatal)
				goto done;
			break;
		}
		objects++;
		load_submission(&jj, sub);
		json_decref(sub);
		job_progress(job, src->raw_bytes);
	}
	if (!job->file_failed) {
		struct copy_sink *sinks[3] = {&jj.tally, &jj.fund, &jj.reg};

		for (int k = 0; k < 3; k++) {
			if (sinks[k]->rows == 0 ||
			    copy_sink_replay(sinks[k], job->conn, copy_sql[k], err) == 0)
				continue;
			if (!copy_refused_data(sinks[k]))
				goto done;
			job_fail(job, 0, "database_refused", "the database refused the rows: %s%s%s",
			         err->msg, err->detail[0] ? ": " : "", err->detail);
			hx_error_clear(err);
			break;
		}
	}
	result = 0;
done:
	copy_sink_close(&jj.tally);
	copy_sink_close(&jj.fund);
	copy_sink_close(&jj.reg);
	hx_buf_free(&w.buf);
	return result;
}
