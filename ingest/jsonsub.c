/*
 * jsonsub.c — JSON submissions (docs/design.md §4.2 item 4): one object, an
 * array of objects, or one object per line (NDJSON).  Each top-level
 * object is parsed on its own by jansson (JSON_REJECT_DUPLICATES) from a
 * sliding window over the file, so a file of many submissions is never
 * held whole; the line where each object starts is its provenance, and a
 * reject names the path of the value inside it ("tallies[0].recognized").
 *
 * One object feeds three tables; COPY serves one table at a time, so rows
 * go to temporary files first and are copied table by table at the end.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "conflicts.h"
#include "i18n.h"
#include "ingest.h"
#include "lengthof.h"
#include "source.h"
#include "tables.h"
#include "values.h"
#include "vocab.h"

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
		return hx_error_set(err, HX_DATAERR, _("a JSON submission longer than %zu bytes"),
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
	json_t *warned;       /* "tallies.KEY" etc. already warned about, as keys */
	struct conflicts *conflicts; /* the file's tallies and funds so far */
	unsigned long submission;    /* the number of the submission being read */
};

/* The values of one object, by the column their keys name. */
struct keys {
	const json_t *v[HX_COL_COUNT];
	const char *name[HX_COL_COUNT];
};

/* Beyond 2^53 a double is not every integer: 1e16 may stand for 10000000000000001. */
#define JSON_REAL_EXACT 0x1p53

/*
 * A JSON real (jansson keeps only its double) as text that the parsers read
 * the machine way and exactly, never with an exponent, which they refuse
 * ("1e+15" loses digits in a spreadsheet; in JSON it is a number like any
 * other).  An integral real within 2^53 is its digits ("1e15",
 * "1000000000000000.0" -> "1000000000000000"; "2.5e3" -> "2500"); any other
 * has the 15 significant digits a double holds for certain ("2.016",
 * "7e-05" -> "0.00007"), keeping its exponent only where those digits need
 * more than the 18 decimal places a value may have (the parser refuses
 * it).  Returns 1 integral, 0 not, or -1 with nothing written: integral
 * beyond 2^53, where the double need not be the number the sender wrote.
 */
static int real_text(double d, char *buf, size_t cap, size_t *n)
{
	const char *e;

	if (d > JSON_REAL_EXACT || d < -JSON_REAL_EXACT) {
		*n = 0;
		buf[0] = '\0';
		return -1;
	}
	if (d == (double)(int64_t)d) {
		*n = (size_t)snprintf(buf, cap, "%" PRId64, (int64_t)d);
		return 1;
	}
	*n = (size_t)snprintf(buf, cap, "%.15g", d);
	e = strchr(buf, 'e');
	if (e != NULL) {
		const char *dot = memchr(buf, '.', (size_t)(e - buf));
		long x = strtol(e + 1, NULL, 10);
		/* Below 1e-4, the places the digits shown need; from 1e15 to 2^53,
		 * three places hold a double's fraction (a multiple of 1/8) exactly. */
		long places = x < 0 ? (dot != NULL ? (long)(e - dot - 1) : 0) - x : 3;

		if (places <= HX_DECIMAL_MAX_SCALE) {
			*n = (size_t)snprintf(buf, cap, "%.*f", (int)places, d);
			while (*n > 0 && buf[*n - 1] == '0')
				buf[--*n] = '\0';
		}
	}
	return 0;
}

/* A JSON scalar as text for the value converters (numbers machine-style, as above). */
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
		(void)real_text(json_real_value(v), buf, cap, n);
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
                    enum reason reason, const char *what)
{
	char msg[800];

	if (path != NULL)
		snprintf(msg, sizeof msg, "\"%s\": %s", path, what);
	else
		snprintf(msg, sizeof msg, "%s", what);
	job_reject(jj->job, jj->line, path, value, vlen, reason, msg, jj->raw, jj->raw_len);
}

/*
 * Put column col of an object (its keys k, path prefix) as type t into out.
 * Returns 0 written (a value or NULL), -1 rejected (row aborted).
 */
static int put(struct json_job *jj, struct copy_sink *out, const struct keys *k,
               const char *prefix, enum hx_col col, enum val_type t, int required, int64_t mult,
               int *had)
{
	const json_t *v = k->v[col];
	char path[160], num[64];
	const char *s;
	size_t n;
	struct val_error e;
	int rc;

	snprintf(path, sizeof path, "%s%s", prefix,
	         k->name[col] != NULL ? k->name[col] : hx_vocab_column_name(col));
	if (v == NULL || json_is_null(v)) {
		if (required) {
			copy_row_abort(out);
			jreject(jj, path, NULL, 0, REASON_MISSING_VALUE, _("a value is required"));
			return -1;
		}
		copy_null(out);
		return 0;
	}
	if (json_is_object(v) || json_is_array(v)) {
		copy_row_abort(out);
		jreject(jj, path, NULL, 0, REASON_BAD_JSON_VALUE, _("a single value is expected here"));
		return -1;
	}
	/*
	 * A JSON number is a machine number whatever the file's number style:
	 * "year": 2.016 is two and sixteen thousandths, never 2016 (the
	 * Vietnamese reading is for strings, "7.105").  The year parser, made
	 * for cells, would read it as 2016: a real that is not whole is refused
	 * here, as the count and money parsers refuse it.
	 */
	if (json_is_real(v)) {
		char shown[32];
		int whole;

		snprintf(shown, sizeof shown, "%.15g", json_real_value(v));
		whole = real_text(json_real_value(v), num, sizeof num, &n);
		if (whole < 0) {
			char msg[300];

			copy_row_abort(out);
			snprintf(msg, sizeof msg, _("\"%s\" is too large to be exact as a JSON number with "
			                            "a decimal point or an exponent: write it as a whole "
			                            "number, in digits only"),
			         shown);
			jreject(jj, path, shown, strlen(shown), REASON_NOT_A_NUMBER, msg);
			return -1;
		}
		if (whole == 0 && t == VT_YEAR) {
			char msg[300];

			copy_row_abort(out);
			snprintf(msg, sizeof msg, _("\"%s\" is not a year: in a JSON number '.' is the "
			                            "decimal point, never a thousands separator; write the "
			                            "year in four digits (2016)"), num);
			jreject(jj, path, num, n, REASON_BAD_YEAR, msg);
			return -1;
		}
	}
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
			jreject(jj, path, s, n, REASON_MISSING_VALUE, _("a value is required"));
			return -1;
		}
		copy_null(out);
		return 0;
	}
	if (had != NULL)
		(*had)++;
	return 0;
}

/* Reject the object at path: keys a and b both give column c.  Returns -1. */
static int two_keys(struct json_job *jj, const char *path, const char *a, const char *b,
                    enum hx_col c)
{
	char msg[400];

	snprintf(msg, sizeof msg, _("keys \"%s\" and \"%s\" both give %s: keep one"), a, b,
	         hx_vocab_column_name(c));
	jreject(jj, path, NULL, 0, REASON_DUPLICATE_COLUMN, msg);
	return -1;
}

/* Is c the submission's own (year, unit_code, submitted_at), not an object's? */
static int submission_column(enum hx_col c)
{
	return c == HX_COL_YEAR || c == HX_COL_UNIT_CODE || c == HX_COL_SUBMITTED_AT;
}

/* The column of an amount in million VND, for the amount in VND; HX_COL_COUNT if none. */
static enum hx_col million_column(enum hx_col c)
{
	return c == HX_COL_MOBILIZED_VND    ? HX_COL_MOBILIZED_MILLION_VND
	       : c == HX_COL_SCHOLARSHIP_VND ? HX_COL_SCHOLARSHIP_MILLION_VND
	                                     : HX_COL_COUNT;
}

/* May an object of table t have a key for column c? */
static int object_column(const struct staging_table *t, enum hx_col c)
{
	if (c >= HX_COL_COUNT)
		return 0;
	for (size_t j = 0; j < t->ncols; j++)
		if (!submission_column(t->cols[j].col) &&
		    (t->cols[j].col == c || million_column(t->cols[j].col) == c))
			return 1;
	return 0;
}

/*
 * Read the keys of obj (a tally, fund or register object; path prefix) into
 * k, by the column each names: the English names of docs/formats.md §7 with
 * '_', '-', a space or nothing between words, "recognised", or a Vietnamese
 * alias.  A key for no column of the object's own in t (its table: not
 * year, unit_code or submitted_at, which are the submission's) is ignored
 * with a warning, once per
 * file; two keys for one column (or a quantity given in both VND and
 * million VND) reject the row.  0, or -1 (rejected).
 */
static int read_keys(struct json_job *jj, const json_t *obj, const char *prefix,
                     const char *what, const struct staging_table *t, struct keys *k)
{
	static const enum hx_col pairs[][2] = {
		{HX_COL_MOBILIZED_VND, HX_COL_MOBILIZED_MILLION_VND},
		{HX_COL_SCHOLARSHIP_VND, HX_COL_SCHOLARSHIP_MILLION_VND},
	};
	const char *key;
	const json_t *v;
	char path[64];
	size_t n = strlen(prefix);

	/* "tallies[0]." names the object as "tallies[0]". */
	snprintf(path, sizeof path, "%.*s", (int)(n > 0 && prefix[n - 1] == '.' ? n - 1 : n), prefix);
	memset(k, 0, sizeof *k);
	json_object_foreach((json_t *)(uintptr_t)obj, key, v) {
		enum hx_col c = HX_COL_COUNT;

		if (hx_vocab_column(key, strlen(key), HX_VOCAB_SUBMISSION, &c) != 0 ||
		    !object_column(t, c)) {
			char seen[200];

			snprintf(seen, sizeof seen, "%s.%s", what, key);
			if (json_object_get(jj->warned, seen) == NULL) {
				json_object_set_new(jj->warned, seen, json_true());
				job_warn(jj->job, jj->line, _("unknown key \"%s\" in a %s object, ignored"), key,
				         what);
			}
			continue;
		}
		if (k->v[c] != NULL)
			return two_keys(jj, path, k->name[c], key, c);
		k->v[c] = v;
		k->name[c] = key;
	}
	for (size_t i = 0; i < lengthof(pairs); i++)
		if (k->v[pairs[i][0]] != NULL && k->v[pairs[i][1]] != NULL)
			return two_keys(jj, path, k->name[pairs[i][0]], k->name[pairs[i][1]],
			                pairs[i][0]);
	return 0;
}

/* The submission's own keys, as named in docs/formats.md §6. */
static void submission_keys(const json_t *sub, struct keys *k)
{
	memset(k, 0, sizeof *k);
	k->v[HX_COL_YEAR] = json_object_get(sub, "year");
	k->v[HX_COL_UNIT_CODE] = json_object_get(sub, "unit_code");
	k->v[HX_COL_SUBMITTED_AT] = json_object_get(sub, "submitted_at");
}

/*
 * One row of table t into out: file_id and the submission's line, then
 * each column of t in its order, from the submission's keys sk (year,
 * unit_code, submitted_at) or the object's k (path prefix p).  An amount
 * is read from its million-VND key when the object has that one.  figures
 * counts the figures given (a tally's counts, a fund's amount mobilised);
 * flags takes a register row's registered, recognized and exemplary as
 * written (1, 0, -1 when not given).  0 (the row not ended), or -1
 * (rejected: the row aborted).
 */
static int put_row(struct json_job *jj, struct copy_sink *out, const struct staging_table *t,
                   const struct keys *sk, const struct keys *k, const char *p, int *figures,
                   int flags[3])
{
	copy_raw(out, jj->job->file_id_text, strlen(jj->job->file_id_text));
	copy_int(out, jj->line);
	for (size_t j = 0; j < t->ncols; j++) {
		const struct table_col *c = &t->cols[j];
		int own = !submission_column(c->col);
		enum hx_col col = c->col;
		int64_t mult = 1;
		int *had = NULL;

		if (million_column(col) != HX_COL_COUNT && k->v[million_column(col)] != NULL) {
			col = million_column(col);
			mult = 1000000;
		}
		if ((t->kind == KIND_TALLY && c->type == VT_COUNT) || c->col == HX_COL_MOBILIZED_VND)
			had = figures;
		jj->vc.last_bool = -1;
		if (put(jj, out, own ? k : sk, own ? p : "", col, c->type, c->required != 0, mult,
		        had) < 0)
			return -1;
		if (c->col == HX_COL_REGISTERED || c->col == HX_COL_RECOGNIZED ||
		    c->col == HX_COL_EXEMPLARY)
			flags[c->col == HX_COL_REGISTERED ? 0 : c->col == HX_COL_RECOGNIZED ? 1 : 2] =
				jj->vc.last_bool;
	}
	return 0;
}

/*
 * Object i (SIZE_MAX: the only one) of a submission, of kind (a tally, the
 * fund or a register item), into its table's rows.
 */
static void load_object(struct json_job *jj, enum file_kind kind, const struct keys *sk,
                        const json_t *obj, size_t i)
{
	static const enum hx_col flag_cols[3] = {HX_COL_REGISTERED, HX_COL_RECOGNIZED,
	                                         HX_COL_EXEMPLARY};
	const struct staging_table *t = staging_table(kind);
	const char *what = kind == KIND_TALLY ? "tally" : kind == KIND_FUND ? "fund" : "register";
	struct copy_sink *o = kind == KIND_TALLY ? &jj->tally : kind == KIND_FUND ? &jj->fund
	                                                                          : &jj->reg;
	struct keys k;
	struct val_error e;
	int figures = 0, flags[3] = {-1, -1, -1}, bad;
	char p[48], expected[48];

	if (i == SIZE_MAX)
		snprintf(p, sizeof p, "%s.", what);
	else
		snprintf(p, sizeof p, "%s[%zu].", kind == KIND_TALLY ? "tallies" : what, i);
	if (!json_is_object(obj)) {
		snprintf(expected, sizeof expected, _("a %s object is expected"), what);
		jreject(jj, i == SIZE_MAX ? what : p, NULL, 0, REASON_BAD_JSON_VALUE, expected);
		return;
	}
	if (read_keys(jj, obj, p, what, t, &k) < 0 ||
	    put_row(jj, o, t, sk, &k, p, &figures, flags) < 0)
		return;
	if (kind == KIND_TALLY && figures == 0) {
		copy_row_abort(o);
		jreject(jj, p, NULL, 0, REASON_NO_FIGURES,
		        _("no figure: eligible, registered, recognized and exemplary are all empty"));
		return;
	}
	if (kind == KIND_REGISTER && val_flags_nest(flags, &bad, &e) < 0) {
		const json_t *v = k.v[flag_cols[bad]];
		char path[96], num[64];
		size_t n = 0;
		const char *s = v != NULL ? scalar_text(v, num, sizeof num, &n) : "";

		copy_row_abort(o);
		snprintf(path, sizeof path, "%s%s", p,
		         k.name[flag_cols[bad]] != NULL ? k.name[flag_cols[bad]]
		                                        : hx_vocab_column_name(flag_cols[bad]));
		jreject(jj, path, s, n, e.reason, e.msg);
		return;
	}
	if (kind != KIND_REGISTER) {
		/* Named as in the submission: "tallies[2]", "fund". */
		char label[48];
		struct conflict_info ci;
		enum conflict found;

		snprintf(label, sizeof label, "%.*s", (int)strlen(p) - 1, p);
		found = conflicts_check(jj->conflicts, t, o, jj->submission, jj->line, label, jj->raw,
		                        jj->raw_len, &ci);
		if (found != CONFLICT_NONE) {
			copy_row_abort(o);
			conflicts_report(jj->job, found, jj->line, label, jj->raw, jj->raw_len, &ci);
			return;
		}
	}
	if (kind == KIND_REGISTER) {
		if (jj->job->lists != NULL)
			lists_sink_row(jj->job->lists, o, NULL);
		copy_row_keep(o, LISTS_STORED);
	}
	copy_row_end(o);
	jj->job->res->rows_loaded++;
}

static void load_submission(struct json_job *jj, const json_t *sub)
{
	const json_t *tallies, *fund, *reg, *v;
	size_t i, rows = 0;
	const char *key;
	struct keys sk;

	if (!json_is_object(sub)) {
		jreject(jj, NULL, NULL, 0, REASON_BAD_JSON_VALUE,
		        _("a submission must be a JSON object with unit_code and year"));
		return;
	}
	/*
	 * Only unit_code and year are required (docs/design.md §4.2); tallies, fund
	 * and register are each optional, and null is absent for all three
	 * alike, as it is for a value: a sender writing "tallies": null has none
	 * to send.
	 */
	tallies = json_object_get(sub, "tallies");
	fund = json_object_get(sub, "fund");
	reg = json_object_get(sub, "register");
	if (json_is_null(tallies))
		tallies = NULL;
	if (json_is_null(fund))
		fund = NULL;
	if (json_is_null(reg))
		reg = NULL;
	json_object_foreach((json_t *)(uintptr_t)sub, key, v) {
		if (strcmp(key, "unit_code") != 0 && strcmp(key, "year") != 0 &&
		    strcmp(key, "submitted_at") != 0 && strcmp(key, "tallies") != 0 &&
		    strcmp(key, "fund") != 0 && strcmp(key, "register") != 0)
			job_warn(jj->job, jj->line, _("unknown key \"%s\" in a submission, ignored"), key);
	}
	if (tallies != NULL && !json_is_array(tallies)) {
		jreject(jj, "tallies", NULL, 0, REASON_BAD_JSON_VALUE,
		        _("an array of tallies is expected"));
		return;
	}
	if (reg != NULL && !json_is_array(reg)) {
		jreject(jj, "register", NULL, 0, REASON_BAD_JSON_VALUE, _("an array is expected"));
		return;
	}
	submission_keys(sub, &sk);
	json_array_foreach(tallies, i, v) {
		load_object(jj, KIND_TALLY, &sk, v, i);
		rows++;
	}
	if (fund != NULL) {
		load_object(jj, KIND_FUND, &sk, fund, SIZE_MAX);
		rows++;
	}
	json_array_foreach(reg, i, v) {
		load_object(jj, KIND_REGISTER, &sk, v, i);
		rows++;
	}
	if (rows == 0)
		jreject(jj, NULL, NULL, 0, REASON_NO_FIGURES,
		        _("the submission has no tallies, fund or register"));
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
			/* (An object, array or string ends in its own '}', ']' or '"'.) */
			if (used > 0 && !json_is_object(v) && !json_is_array(v) && !json_is_string(v) &&
			    (w->buf.data[w->pos + used - 1] == ',' ||
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
					job_fail(jj->job, w->line, REASON_TOO_LARGE, "%s", err->msg);
					return NULL;
				}
				*fatal = 1;
				return NULL;
			}
			continue;
		}
		job_fail(jj->job, w->line + (je.line > 1 ? je.line - 1 : 0), REASON_BAD_JSON,
		         _("not valid JSON (column %d): %s"), je.column, je.text);
		return NULL;
	}
}

int jsonsub_load(struct file_job *job, struct byte_source *src, struct hx_error *err)
{
	struct window w;
	struct json_job jj;
	int c, array = 0, fatal = 0, result = -1;
	size_t objects = 0;

	memset(&w, 0, sizeof w);
	memset(&jj, 0, sizeof jj);
	w.src = src;
	w.line = 1;
	hx_buf_init(&w.buf, JSON_OBJECT_MAX);
	jj.job = job;
	jj.warned = json_object();
	jj.conflicts = conflicts_new();
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
		job_fail(job, 0, REASON_EMPTY_FILE, "%s", _("the file is empty"));
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
				job_fail(job, w.line, REASON_BAD_JSON, "%s",
				         _("not valid JSON: the array is never closed"));
			break;
		}
		if (array && c == ']') {
			advance(&w, 1);
			c = peek(&w, err);
			if (c == -2)
				goto done;
			if (c != -1)
				job_fail(job, w.line, REASON_BAD_JSON, "%s",
				         _("not valid JSON: text after the array"));
			break;
		}
		if (array && objects > 0) {
			if (c != ',') {
				job_fail(job, w.line, REASON_BAD_JSON, "%s",
				         _("not valid JSON: ',' or ']' expected between submissions"));
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
		jj.submission = objects;
		load_submission(&jj, sub);
		json_decref(sub);
		job_progress(job, src->raw_bytes);
	}
	if (!job->file_failed) {
		struct copy_sink *sinks[3] = {&jj.tally, &jj.fund, &jj.reg};
		static const enum file_kind kinds[3] = {KIND_TALLY, KIND_FUND, KIND_REGISTER};

		if (!conflicts_checked(jj.conflicts))
			job_warn(job, 0, _("more than %d tallies or funds: the rows after them were not "
			                   "checked for rows that conflict"), CONFLICT_ROWS_MAX);
		for (int k = 0; k < 3; k++) {
			size_t nskip = 0;
			const unsigned long long *skip =
				kinds[k] != KIND_REGISTER ? conflicts_dropped(jj.conflicts, kinds[k], &nskip)
				                          : NULL;

			if (sinks[k]->rows == 0 ||
			    copy_sink_replay_except(sinks[k], job->conn, staging_table(kinds[k])->copy_sql,
			                            skip, nskip, err) == 0)
				continue;
			if (!copy_refused_data(sinks[k]))
				goto done;
			job_fail(job, 0, REASON_DATABASE_REFUSED, _("the database refused the rows: %s%s%s"),
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
	json_decref(jj.warned);
	conflicts_free(jj.conflicts);
	hx_buf_free(&w.buf);
	return result;
}
