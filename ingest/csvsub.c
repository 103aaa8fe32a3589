/*
 * csvsub.c — tally, fund and register files into staging (docs/design.md
 * §4.2, §4.3, §9.4): the rows of a CSV file or of a workbook's sheet,
 * through one row interface (common/rowsrc.h).  The header names the
 * columns (never their position) and tells the kind; each data row is
 * converted value by value into COPY text, with its file and line (a
 * CSV's physical line, a sheet's row number), or rejected whole with the
 * column and the reason.  A workbook's typed number is read as the machine
 * number it is, never by the file's number style.  A register's rows
 * stream straight into the server; a tally's or fund's are kept until the
 * file is read (a later row may conflict with them: conflicts.h).  Nothing
 * is allocated per row.
 */
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "bytes.h"
#include "conflicts.h"
#include "db.h"
#include "i18n.h"
#include "lengthof.h"
#include "sqlfiles.h"
#include "tables.h"
#include "ingest.h"
#include "text.h"
#include "lists.h"
#include "log.h"
#include "rowsrc.h"
#include "values.h"
#include "vocab.h"

#define HEADER_NAME_MAX 120   /* bytes of a header cell kept for messages */
#define PROGRESS_EVERY 16384  /* rows between progress updates */

#define MAX_OUT 12 /* columns of the widest staging table */

/* What convert_row does with an output column's value once it is written. */
enum out_role {
	ROLE_NONE,
	ROLE_FIGURE,                /* a tally's count, a fund's amount: the row has a figure */
	ROLE_REGISTERED,            /* a register row's flags, checked to nest */
	ROLE_RECOGNIZED,
	ROLE_EXEMPLARY
};

/* Where each output column comes from in the file. */
struct mapping {
	const struct staging_table *spec;
	long field[MAX_OUT];        /* index of the CSV field, -1 if absent */
	int64_t mult[MAX_OUT];      /* money multiplier (VND 1, million VND 1000000) */
	/* Each output column's type, role and whether it is required, from
	 * spec once (out_roles): read a dozen times a row. */
	enum val_type type[MAX_OUT];
	unsigned char role[MAX_OUT];
	unsigned char required[MAX_OUT];
	size_t nheader;
	char (*names)[HEADER_NAME_MAX + 1]; /* header cells as written */
	enum hx_col *colof;         /* each header cell's column, HX_COL_COUNT if none */
	size_t *unnamed;            /* fields whose header cell is empty (nunnamed of them) */
	size_t nunnamed;
	int unnamed_warned;         /* a value under one was said (once a file) */
	struct hx_buf scratch;      /* a workbook row written as a CSV line (row_raw) */
	size_t file_id_len;         /* of job->file_id_text, the first field of every row */
	/* What convert_row does column by column for the layout last seen
	 * (plan_for): the columns a row's COPY takes and the year it leaves
	 * out, in order, worked out once a layout instead of once a value. */
	struct step {
		unsigned char what;     /* STEP_* */
		unsigned char j;        /* the output column */
	} plan[MAX_OUT];
	size_t nplan;
	int plan_ready;
	unsigned plan_sent;         /* the layout's sent bits (all: NULL layout) */
};

enum {
	STEP_NULL,                  /* sent, not in the file: \N */
	STEP_VALUE,                 /* sent, in the file: converted */
	STEP_YEAR                   /* in the file, left out of the COPY: checked */
};

/* The output column a canonical column feeds in this kind (money in million VND included). */
static long out_index(const struct staging_table *k, enum hx_col c, int64_t *mult)
{
	*mult = 1;
	if (c == HX_COL_MOBILIZED_MILLION_VND || c == HX_COL_SCHOLARSHIP_MILLION_VND) {
		*mult = 1000000;
		c = c == HX_COL_MOBILIZED_MILLION_VND ? HX_COL_MOBILIZED_VND : HX_COL_SCHOLARSHIP_VND;
	}
	for (size_t i = 0; i < k->ncols; i++)
		if (k->cols[i].col == c)
			return (long)i;
	return -1;
}

/*
 * The row as the clerk wrote it, for a reject or a conflict: a CSV
 * record's bytes, or a workbook row written as a CSV line into scratch
 * (cut at INGEST_RAW_MAX, as a reject keeps it).
 */
static void row_raw(const struct hx_row *row, struct hx_buf *scratch, const char **raw,
                    size_t *len)
{
	if (row->raw != NULL) {
		*raw = row->raw;
		*len = row->raw_len;
		return;
	}
	hx_buf_reset(scratch);
	(void)hx_row_to_csv(row, scratch); /* past the cap: cut, as a kept raw line is */
	*raw = hx_buf_str(scratch);
	*len = scratch->len;
}

/*
 * Keep the header as the clerk wrote it (res->header), for a file of
 * rejects given back: a CSV's line, a workbook's row as a CSV line; cut at
 * INGEST_RAW_MAX on a whole character, as a rejected row's raw text is.
 */
static void keep_header(struct file_job *job, struct mapping *m, const struct hx_row *h)
{
	const char *raw;
	size_t n;

	row_raw(h, &m->scratch, &raw, &n);
	if (n > INGEST_RAW_MAX)
		n = INGEST_RAW_MAX;
	n -= hx_text_utf8_incomplete_tail(raw, n);
	free(job->res->header);
	job->res->header = hx_strndup(raw, n);
}

/* A kind of file as a message names it: "tally file", in the reader's language. */
static const char *kind_file(enum file_kind k)
{
	switch (k) {
	case KIND_TALLY: return _("tally file");
	case KIND_FUND: return _("fund file");
	case KIND_REGISTER: return _("register file");
	case KIND_JSON:
	case KIND_NONE: break;
	}
	return _("file");
}

/*
 * A column the header lacks, as a message names it: "year" in English; in
 * Vietnamese its usual header with the key in brackets ("Năm" [year]), the
 * name the clerk would have written (docs/formats.md §7).
 */
static const char *missing_column(enum hx_col c, char *out, size_t cap)
{
	static const struct {
		enum hx_col col;
		const char *vi;
	} names[] = {
		{HX_COL_YEAR, "Năm"}, {HX_COL_UNIT_CODE, "Mã đơn vị"}, {HX_COL_TITLE, "Danh hiệu"},
		{HX_COL_ENTITY_ID, "Mã hộ"}, {HX_COL_REGISTERED, "Đăng ký"},
		{HX_COL_RECOGNIZED, "Được công nhận"},
	};
	const char *key = hx_vocab_column_name(c);

	for (size_t i = 0; hx_i18n_lang() == HX_LANG_VI && i < lengthof(names); i++)
		if (names[i].col == c) {
			hx_text_msgf(out, cap, "\"%s\" [%s]", names[i].vi, key);
			return out;
		}
	hx_text_msgf(out, cap, "\"%s\"", key);
	return out;
}

/* m's per-column type, role and requirement, from its spec. */
static void out_roles(struct mapping *m)
{
	const struct staging_table *k = m->spec;

	for (size_t j = 0; j < k->ncols; j++) {
		const struct table_col *c = &k->cols[j];

		m->type[j] = c->type;
		m->required[j] = c->required != 0;
		m->role[j] = ROLE_NONE;
		if ((k->kind == KIND_TALLY && c->type == VT_COUNT) ||
		    (k->kind == KIND_FUND && c->col == HX_COL_MOBILIZED_VND))
			m->role[j] = ROLE_FIGURE;
		else if (c->type == VT_BOOL && c->col == HX_COL_REGISTERED)
			m->role[j] = ROLE_REGISTERED;
		else if (c->type == VT_BOOL && c->col == HX_COL_RECOGNIZED)
			m->role[j] = ROLE_RECOGNIZED;
		else if (c->type == VT_BOOL && c->col == HX_COL_EXEMPLARY)
			m->role[j] = ROLE_EXEMPLARY;
	}
}

/*
 * Map the header: the kind from the columns present, each output column to
 * its field.  Problems that make the file unusable go to job_fail; extra
 * columns to job_warn.
 */
static int map_header(struct file_job *job, const struct hx_row *h, struct mapping *m)
{
	enum hx_col cols[HX_CSV_MAX_FIELDS];
	int known[HX_CSV_MAX_FIELDS];
	int has[HX_COL_COUNT] = {0};
	enum file_kind kind;

	if (h->too_many_fields) {
		/* The reader kept the first HX_CSV_MAX_FIELDS cells: a column past
		 * them, required or given twice, would go unseen. */
		job_fail(job, h->line, REASON_TOO_MANY_COLUMNS,
		         _("the header has more than %d columns, the most a file may have: column %d "
		           "and those after it cannot be read; delete the columns that are not needed "
		           "(empty ones after the last column too)"),
		         HX_CSV_MAX_FIELDS, HX_CSV_MAX_FIELDS + 1);
		return -1;
	}
	m->nheader = h->nfields;
	keep_header(job, m, h);
	m->names = hx_calloc(h->nfields > 0 ? h->nfields : 1, sizeof *m->names);
	m->colof = hx_calloc(h->nfields > 0 ? h->nfields : 1, sizeof *m->colof);
	m->unnamed = hx_calloc(h->nfields > 0 ? h->nfields : 1, sizeof *m->unnamed);
	for (size_t i = 0; i < h->nfields; i++) {
		size_t n = h->lens[i];

		if (n > HEADER_NAME_MAX)
			n = HEADER_NAME_MAX;
		while (n > 0 && ((unsigned char)h->fields[i][n] & 0xC0) == 0x80 && n < h->lens[i])
			n--;
		memcpy(m->names[i], h->fields[i], n);
		known[i] = hx_vocab_column(h->fields[i], h->lens[i], HX_VOCAB_SUBMISSION, &cols[i]) == 0;
		m->colof[i] = known[i] ? cols[i] : HX_COL_COUNT;
		if (known[i])
			has[cols[i]]++;
	}
	if (has[HX_COL_ENTITY_ID])
		kind = KIND_REGISTER;
	else if (has[HX_COL_MOBILIZED_VND] || has[HX_COL_MOBILIZED_MILLION_VND])
		kind = KIND_FUND;
	else if (has[HX_COL_TITLE])
		kind = KIND_TALLY;
	else {
		job_fail(job, h->line, REASON_UNKNOWN_KIND, "%s",
		         _("cannot tell what this file holds: its header has no title (Danh hiệu), "
		           "entity_id (Mã hộ) or mobilized_vnd (Quỹ khuyến học (đồng)) column; see "
		           "docs/formats.md"));
		return -1;
	}
	job->res->kind = kind;
	m->spec = staging_table(kind);
	out_roles(m);
	m->plan_ready = 0;
	for (size_t j = 0; j < MAX_OUT; j++)
		m->field[j] = -1;
	for (size_t i = 0; i < h->nfields; i++) {
		int64_t mult;
		long o;

		if (h->lens[i] == 0 && !known[i]) {
			/* An empty header cell: trailing separators, most often; a value
			 * under it is said by warn_unnamed. */
			m->unnamed[m->nunnamed++] = i;
			continue;
		}
		o = known[i] ? out_index(m->spec, cols[i], &mult) : -1;
		if (o < 0 && !known[i] && (hx_vocab_row_number(h->fields[i], h->lens[i]) ||
		                           hx_vocab_giveback_column(h->fields[i], h->lens[i])))
			continue; /* STT, or what a file given back to its clerk gained: nothing to load */
		if (o < 0) {
			job_warn(job, h->line, _("unknown column \"%s\" in a %s, ignored"), m->names[i],
			         kind_file(kind));
			continue;
		}
		if (m->field[o] >= 0) {
			job_fail(job, h->line, REASON_DUPLICATE_COLUMN,
			         _("columns \"%s\" and \"%s\" both give %s: keep one"),
			         m->names[m->field[o]], m->names[i],
			         hx_vocab_column_name(m->spec->cols[o].col));
			return -1;
		}
		m->field[o] = (long)i;
		m->mult[o] = mult;
	}
	for (size_t j = 0; j < m->spec->ncols; j++) {
		if (m->spec->cols[j].required && m->field[j] < 0) {
			char name[80];

			if (m->spec->cols[j].col == HX_COL_MOBILIZED_VND)
				job_fail(job, h->line, REASON_MISSING_COLUMN,
				         _("a %s needs a mobilized_vnd or mobilized_million_vnd column"),
				         kind_file(kind));
			else
				job_fail(job, h->line, REASON_MISSING_COLUMN, _("a %s needs a %s column"),
				         kind_file(kind), missing_column(m->spec->cols[j].col, name,
				                                         sizeof name));
			return -1;
		}
	}
	return 0;
}

/*
 * A value in a column whose header cell is empty is not loaded, and may be
 * a figure the clerk meant (a header cell left blank): said once a file,
 * at the first row that has one.  In a workbook a cell to the right of the
 * header's last column is the same (a note or a total typed beside the
 * table), where a CSV row's value there is a row of the wrong shape.
 */
static void warn_unnamed(struct file_job *job, struct mapping *m, const struct hx_row *row)
{
	size_t k = 0, i, n = m->nunnamed;
	char q[HX_TEXT_EXCERPT_SZ], letters[HX_ROW_COLNAME_SZ];

	if (row->sheet != NULL && row->nfields > m->nheader)
		n += row->nfields - m->nheader;
	for (; k < n && !m->unnamed_warned; k++) {
		i = k < m->nunnamed ? m->unnamed[k] : m->nheader + (k - m->nunnamed);
		if (i >= row->nfields || row->lens[i] == 0)
			continue;
		hx_text_excerpt(row->fields[i], row->lens[i], q, sizeof q);
		if (row->sheet != NULL)
			job_warn(job, row->line, _("column %s has no name in the header, so its values "
			                           "(here \"%s\") are not loaded; name the column, or "
			                           "delete it"),
			         hx_row_column_letters(i, letters), q);
		else
			job_warn(job, row->line, _("column %zu has no name in the header, so its values "
			                           "(here \"%s\") are not loaded; name the column, or "
			                           "delete it"),
			         i + 1, q);
		m->unnamed_warned = 1;
	}
}

/*
 * What a message adds to the name of header cell f as the clerk wrote it:
 * its column's key in brackets where the two differ (" [year]" after
 * "Năm"; nothing after "year" or "Unit Code").  Returns out.
 */
static const char *key_suffix(const struct mapping *m, size_t f, char *out, size_t cap)
{
	const char *key = m->colof[f] < HX_COL_COUNT ? hx_vocab_column_name(m->colof[f]) : NULL;
	char a[HEADER_NAME_MAX + 1], b[HEADER_NAME_MAX + 1];

	out[0] = '\0';
	if (key != NULL && (hx_text_fold(m->names[f], a, sizeof a) != hx_text_fold(key, b, sizeof b) ||
	                    strcmp(a, b) != 0))
		hx_text_msgf(out, cap, " [%s]", key);
	return out;
}

/*
 * Reject the row being written: forget it and record why.  f: the header
 * cell (field) at fault, or -1 for the row as a whole.  A CSV row's message
 * names the column (the log gives its line); a workbook row's names the
 * sheet, row and column, since its row number alone does not say where it
 * is: 'sheet "Báo cáo", row 14, column D ("Số hộ") [eligible]: ...'.
 */
static void reject(struct file_job *job, struct copy_sink *out, struct mapping *m,
                   const struct hx_row *row, long f, const char *value, size_t vlen,
                   enum reason reason, const char *why)
{
	const char *col = f >= 0 && (size_t)f < m->nheader ? m->names[f] : NULL;
	char msg[900], key[64], place[2 * HEADER_NAME_MAX + 120];
	const char *raw;
	size_t rawlen;

	copy_row_abort(out);
	if (col != NULL)
		key_suffix(m, (size_t)f, key, sizeof key);
	if (row->sheet != NULL) {
		hx_row_where(row, f >= 0 ? (size_t)f : (size_t)-1, col, place, sizeof place);
		hx_text_msgf(msg, sizeof msg, "%s%s: %s", place, col != NULL ? key : "", why);
	} else if (col != NULL) {
		hx_text_msgf(msg, sizeof msg, _("column \"%s\"%s: %s"), col, key, why);
	} else {
		hx_text_msgf(msg, sizeof msg, "%s", why);
	}
	row_raw(row, &m->scratch, &raw, &rawlen);
	job_reject(job, row->line, col, value, vlen, reason, msg, raw, rawlen);
}

/*
 * Is output column j (register_cols) in the COPY of lay?  NULL: every
 * column is.  The COPY's first two columns are file_id and line.
 */
static int is_sent(const struct lists_layout *lay, size_t j)
{
	return lay == NULL || (lay->sent & (1u << (j + 2))) != 0;
}

/*
 * m's plan for rows copied as lay says (NULL: every column), made when the
 * layout changes: each output column in order, \N when the COPY takes it
 * and the file has none, converted when both have it; of the columns the
 * file has and the COPY leaves out, the year is checked all the same
 * (entity_name: nothing to check, nothing reads it).
 */
static void plan_for(struct mapping *m, const struct lists_layout *lay)
{
	const struct staging_table *k = m->spec;
	unsigned sent = lay != NULL ? lay->sent : ~0u;

	if (m->plan_ready && sent == m->plan_sent)
		return;
	m->nplan = 0;
	for (size_t j = 0; j < k->ncols; j++) {
		unsigned char what;

		if (m->field[j] < 0 && is_sent(lay, j))
			what = STEP_NULL;
		else if (m->field[j] < 0)
			continue;
		else if (is_sent(lay, j))
			what = STEP_VALUE;
		else if (k->cols[j].col == HX_COL_YEAR)
			what = STEP_YEAR;
		else
			continue;
		m->plan[m->nplan].what = what;
		m->plan[m->nplan++].j = (unsigned char)j;
	}
	m->plan_sent = sent;
	m->plan_ready = 1;
}

/*
 * The year of a register row copied into its year's partition, which the
 * COPY leaves to the partition's default: checked as if it were written.
 * 0, or -1 (e filled: the row is refused).
 */
static int check_left_out_year(const char *s, size_t n, const struct lists_layout *lay,
                               struct val_error *e)
{
	int year = 0, rc;

	/* Written as the partition's year is: the row was routed by it. */
	if (n > 0 && n < sizeof lay->year && hx_same_bytes(s, lay->year, n) &&
	    lay->year[n] == '\0')
		return 0;
	rc = val_year(s, n, &year, e);

	if (rc == 1) {
		e->reason = REASON_MISSING_VALUE;
		snprintf(e->msg, sizeof e->msg, "%s", _("a value is required"));
		return -1;
	}
	if (rc == 0 && year != lay->year_num) {
		/* The row was routed by this very reading of its year: cannot happen. */
		e->reason = REASON_BAD_YEAR;
		snprintf(e->msg, sizeof e->msg, _("year %d read as %s when the row was routed "
		                                  "(a bug: please report it)"), year, lay->year);
		return -1;
	}
	return rc;
}

/*
 * A workbook cell in a column that is read holds an error, or a formula
 * whose value was never saved (rowsrc.h: HX_CELL_ERROR): the row is
 * rejected naming it.  1 rejected, 0 none.
 */
static int reject_cell_error(struct file_job *job, struct copy_sink *out, struct mapping *m,
                             const struct hx_row *row)
{
	const struct staging_table *k = m->spec;
	char why[300], q[HX_TEXT_EXCERPT_SZ];

	for (size_t j = 0; j < k->ncols; j++) {
		long f = m->field[j];

		if (f < 0 || (size_t)f >= row->nfields || hx_row_type(row, (size_t)f) != HX_CELL_ERROR)
			continue;
		hx_text_excerpt(row->fields[f], row->lens[f], q, sizeof q);
		if (q[0] == '=')
			hx_text_msgf(why, sizeof why, _("the formula %s has no saved value: open the "
			                                "workbook in Excel and save it again, or write "
			                                "the value"), q);
		else
			hx_text_msgf(why, sizeof why, _("the cell holds the error %s: correct the "
			                                "formula or write the value"), q);
		reject(job, out, m, row, f, row->fields[f], row->lens[f], REASON_CELL_ERROR, why);
		return 1;
	}
	return 0;
}

/*
 * One data row into out, or a reject.  lay: the columns out's COPY takes
 * (a register file copied straight into staging.register or a partition);
 * NULL: all of the kind's.  cf: the file's tally or fund rows so far (NULL:
 * a register).  Returns 1 loaded, 0 rejected, 2 skipped (the same as an
 * earlier row: read once, with a warning).
 */
static int convert_row(struct file_job *job, struct val_ctx *vc, struct mapping *m,
                       const struct hx_row *row, struct copy_sink *out,
                       const struct lists_layout *lay, struct conflicts *cf)
{
	const struct staging_table *k = m->spec;
	struct val_error e;
	int figures = 0;
	int flags[3] = {-1, -1, -1};  /* registered, recognized, exemplary of a register row */
	long flag_field[3] = {-1, -1, -1};

	if (row->too_many_fields) {
		reject(job, out, m, row, -1, NULL, 0, REASON_TOO_MANY_FIELDS,
		       _("more fields than any header could have"));
		return 0;
	}
	if (row->too_long_field) {
		size_t i = row->too_long_field - 1;

		reject(job, out, m, row, (long)i, row->fields[i], row->lens[i], REASON_FIELD_TOO_LONG,
		       _("the value is longer than 64 KiB"));
		return 0;
	}
	/* A workbook's cells past the header are said by warn_unnamed, not refused. */
	for (size_t i = m->nheader; row->sheet == NULL && i < row->nfields; i++) {
		if (row->lens[i] > 0) {
			char msg[200];

			hx_text_msgf(msg, sizeof msg, _("the row has a value in field %zu but the header "
			                                "has only %zu columns"), i + 1, m->nheader);
			reject(job, out, m, row, -1, row->fields[i], row->lens[i], REASON_EXTRA_FIELD, msg);
			return 0;
		}
	}
	if (row->types != NULL && reject_cell_error(job, out, m, row))
		return 0;
	plan_for(m, lay);
	copy_raw(out, job->file_id_text, m->file_id_len);
	copy_int(out, row->line);
	for (const struct step *st = m->plan; st < m->plan + m->nplan; st++) {
		size_t j = st->j;
		long f = m->field[j];
		const char *s = "";
		size_t n = 0;
		int rc;

		if (st->what == STEP_NULL) {
			copy_null(out);
			continue;
		}
		if ((size_t)f < row->nfields) {
			s = row->fields[f];
			n = row->lens[f];
		}
		if (st->what == STEP_YEAR) {
			if (check_left_out_year(s, n, lay, &e) < 0) {
				reject(job, out, m, row, f, s, n, e.reason, e.msg);
				return 0;
			}
			continue;
		}
		/* A workbook's typed number is machine text: never read by the file's style. */
		if (row->types != NULL) {
			enum hx_cell_type t = hx_row_type(row, (size_t)f);

			vc->numbers = t == HX_CELL_NUMBER || t == HX_CELL_PERCENT ? HX_NUM_EN
			                                                          : job->numbers;
		}
		/* No NUL can reach here: the source refuses it as not text. */
		rc = val_put(vc, m->type[j], s, n, m->mult[j], out, &e);
		if (rc == 0) {
			if (m->role[j] == ROLE_FIGURE) {
				figures++;
			} else if (m->role[j] != ROLE_NONE) {
				int w = m->role[j] - ROLE_REGISTERED;

				flags[w] = vc->last_bool;
				flag_field[w] = f;
			}
			continue;
		}
		if (rc < 0) {
			reject(job, out, m, row, f, s, n, e.reason, e.msg);
			return 0;
		}
		if (m->required[j]) {
			reject(job, out, m, row, f, s, n, REASON_MISSING_VALUE, _("a value is required"));
			return 0;
		}
		copy_null(out);
	}
	if (k->kind == KIND_REGISTER) {
		int bad;

		if (val_flags_nest(flags, &bad, &e) < 0) {
			long f = flag_field[bad];
			int in = (size_t)f < row->nfields;

			reject(job, out, m, row, f, in ? row->fields[f] : "", in ? row->lens[f] : 0,
			       e.reason, e.msg);
			return 0;
		}
	}
	if (k->kind == KIND_TALLY && figures == 0) {
		reject(job, out, m, row, -1, NULL, 0, REASON_NO_FIGURES,
		       _("no figure: eligible, registered, recognized and exemplary are all empty"));
		return 0;
	}
	if (k->kind == KIND_FUND && figures == 0) {
		long f = m->field[2];

		reject(job, out, m, row, f, "", 0, REASON_MISSING_VALUE,
		       _("the amount mobilised is required"));
		return 0;
	}
	if (cf != NULL) {
		struct conflict_info ci;
		const char *raw;
		size_t rawlen;
		enum conflict what;

		row_raw(row, &m->scratch, &raw, &rawlen);
		what = conflicts_check(cf, k, out, 0, row->line, NULL, raw, rawlen, &ci);
		if (what != CONFLICT_NONE) {
			copy_row_abort(out);
			conflicts_report(job, what, row->line, NULL, raw, rawlen, &ci);
			return what == CONFLICT_REPEAT ? 2 : 0;
		}
	}
	if (k->kind == KIND_REGISTER) {
		if (job->lists != NULL)
			lists_sink_row(job->lists, out, lay);
		copy_row_keep(out, lay != NULL && lay->stored > 0 ? lay->stored
		                                                 : lists_stored_fields(lay));
	}
	copy_row_end(out);
	return 1;
}

/*
 * Register lists are copied straight into the partition of their year: a
 * list is almost always of one year, and copying into the partitioned
 * parent costs the server a routing step per row (about 8% of its work).
 * A row of another year ends that COPY and starts one into its own
 * partition (or the parent, for a year without one) in the same
 * transaction.
 */
struct partitions {
	char *name[HX_YEAR_MAX - HX_YEAR_MIN + 1]; /* quoted "staging.register_2019", or NULL */
	int year_default[HX_YEAR_MAX - HX_YEAR_MIN + 1]; /* its default for year is its year */
	int current;                               /* year being copied, 0: the parent */
	struct lists_layout lay;                   /* the columns that COPY takes */
	char last_text[16];
	size_t last_len;
	int last_year;
};

static int load_partitions(PGconn *conn, struct partitions *p, struct hx_error *err)
{
	PGresult *res = hx_db_query(conn, err, hx_sql_script("ingest/register_partitions.sql"), 0,
	                            NULL);

	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		int y = atoi(PQgetvalue(res, i, 0));

		if (y >= HX_YEAR_MIN && y <= HX_YEAR_MAX) {
			p->name[y - HX_YEAR_MIN] = hx_strdup(PQgetvalue(res, i, 1));
			p->year_default[y - HX_YEAR_MIN] = PQgetvalue(res, i, 2)[0] == 't';
		}
	}
	PQclear(res);
	return 0;
}

static void free_partitions(struct partitions *p)
{
	for (size_t i = 0; i < lengthof(p->name); i++)
		free(p->name[i]);
}

/*
 * The COPY statement for the register rows of year (0: the parent), and
 * its columns in p->lay.  Each column the server need not read is left
 * out (every one it reads costs it a parse per row, 5 % of its work for
 * two columns): those the file does not have, which are NULL, and the year
 * where the partition's default gives it.  entity_name is never written
 * (nothing reads it); submitted_at, when the file has it, is in p->lay
 * (the lists read the latest) but not in the COPY: convert_row cuts it
 * from each row.  New string.
 */
static char *register_copy_sql(struct partitions *p, const struct mapping *m, int year)
{
	const char *target = year > 0 ? p->name[year - HX_YEAR_MIN] : NULL;
	struct hx_buf sql;
	char *out;

	hx_buf_init(&sql, 1024);
	p->lay.sent = 3; /* file_id, line */
	p->lay.year_num = year;
	snprintf(p->lay.year, sizeof p->lay.year, "%d", year);
	hx_buf_printf(&sql, "COPY %s (file_id, line", target != NULL ? target : "staging.register");
	for (size_t j = 0; j < m->spec->ncols; j++) {
		const struct table_col *c = &m->spec->cols[j];

		if (!c->required && m->field[j] < 0)
			continue;
		if (c->col == HX_COL_YEAR && target != NULL && p->year_default[year - HX_YEAR_MIN])
			continue;
		/* Not stored (migration 034), and not read by the lists either. */
		if (c->col == HX_COL_ENTITY_NAME)
			continue;
		p->lay.sent |= 1u << (j + 2);
		if (j + 2 < LISTS_STORED) /* the rest are for the lists only */
			hx_buf_printf(&sql, ", %s", c->name);
	}
	hx_buf_printf(&sql, ") FROM STDIN");
	p->lay.stored = lists_stored_fields(&p->lay);
	out = hx_strdup(hx_buf_str(&sql));
	hx_buf_free(&sql);
	return out;
}

/*
 * Make out copy into the partition of this row's year.  A year that does
 * not parse is left to the row's own check.  0, or -1 (err: the COPY failed).
 */
static int route_register_row(struct file_job *job, const struct mapping *m,
                              const struct hx_row *rec, struct partitions *p,
                              struct copy_sink *out, struct hx_error *err)
{
	long f = m->field[0];
	struct val_error e;
	const char *s;
	size_t n;
	int year = 0;
	char *sql;
	int rc;

	if (f < 0 || (size_t)f >= rec->nfields)
		return 0;
	s = rec->fields[f];
	n = rec->lens[f];
	if (p->last_len > 0 && n == p->last_len && hx_same_bytes(s, p->last_text, n)) {
		year = p->last_year; /* the year text of the row before (none yet: last_len 0) */
	} else if (val_year(s, n, &year, &e) != 0) {
		return 0; /* refused by the row's own check */
	} else if (n > 0 && n < sizeof p->last_text) {
		memcpy(p->last_text, s, n);
		p->last_len = n;
		p->last_year = year;
	}
	if (p->name[year - HX_YEAR_MIN] == NULL)
		year = 0;
	if (year == p->current)
		return 0;
	if (copy_sink_finish(out, NULL, err) < 0)
		return -1;
	copy_sink_close(out);
	sql = register_copy_sql(p, m, year);
	hx_log_debug("%s: %s", job->display, sql);
	p->current = year;
	rc = copy_sink_start(out, job->conn, sql, err);
	free(sql);
	return rc;
}

int csvsub_is_header(void *ctx, const struct hx_row *row)
{
	int known = 0;
	enum hx_col c;

	(void)ctx;
	for (size_t i = 0; i < row->nfields && known < 2; i++)
		if (hx_vocab_column(row->fields[i], row->lens[i], HX_VOCAB_SUBMISSION, &c) == 0)
			known++;
	return known >= 2;
}

int csvsub_load(struct file_job *job, struct hx_row_source *src, struct hx_error *err)
{
	struct partitions parts;
	struct hx_row rec;
	struct mapping m;
	struct copy_sink out, *o = job->rows != NULL ? job->rows : &out;
	const struct lists_layout *lay = NULL; /* out's columns, when not all of the kind's */
	struct val_ctx vc;
	struct hx_error rerr;
	struct conflicts *cf = NULL;
	unsigned long long rows = 0;
	int rc, row, started = 0, kept = 0, result = -1;

	memset(&m, 0, sizeof m);
	memset(&out, 0, sizeof out);
	memset(&parts, 0, sizeof parts);
	memset(&vc, 0, sizeof vc);
	vc.numbers = job->numbers;
	vc.units = job->units;
	hx_error_clear(&rerr);

	hx_buf_init(&m.scratch, INGEST_RAW_MAX);
	m.file_id_len = strlen(job->file_id_text);
	rc = src->next(src->self, &rec, &rerr);
	if (rc <= 0) {
		if (rc == 0)
			job_fail(job, 0, REASON_EMPTY_FILE, _("the file is empty: not even a header line"));
		else if (rerr.code == HX_DATAERR)
			job_fail(job, 0, job->sheet != NULL ? REASON_BAD_WORKBOOK : REASON_MALFORMED_CSV,
			         "%s", rerr.msg);
		else
			goto fatal;
		result = 0;
		goto done;
	}
	if (map_header(job, &rec, &m) < 0) {
		result = 0;
		goto done;
	}
	if (m.spec->kind != KIND_REGISTER)
		cf = conflicts_new();
	if (job->rows != NULL) {
		/* A small file: its rows are kept, to be copied with others' (loader.c). */
		job->copy_sql = m.spec->copy_sql;
	} else if (m.spec->kind != KIND_REGISTER) {
		/* Tallies and funds are kept until the file is read: a later row may
		 * conflict with one written already, which must not load. */
		copy_sink_tmp(&out);
		kept = 1;
	} else {
		char *sql;

		if (load_partitions(job->conn, &parts, err) < 0)
			goto done;
		sql = register_copy_sql(&parts, &m, 0);
		hx_log_debug("%s: %s", job->display, sql);
		lay = &parts.lay;
		rc = copy_sink_start(&out, job->conn, sql, err);
		free(sql);
		if (rc < 0)
			goto done;
		started = 1;
	}
	while ((rc = src->next(src->self, &rec, &rerr)) == 1) {
		/*
		 * A row of delimiters only (";;;;;", which Excel writes below the
		 * data) holds nothing to load or to correct: it is skipped like a
		 * blank line, neither read nor rejected, so read = loaded + rejected.
		 */
		if (hx_row_blank(&rec))
			continue;
		if (started && m.spec->kind == KIND_REGISTER &&
		    route_register_row(job, &m, &rec, &parts, &out, err) < 0) {
			started = 0; /* the failed COPY is over; its error is in err */
			if (!copy_refused_data(&out))
				goto done;
			job_fail(job, 0, REASON_DATABASE_REFUSED, _("the database refused the rows: %s%s%s"),
			         err->msg, err->detail[0] ? ": " : "", err->detail);
			hx_error_clear(err);
			break;
		}
		if (!m.unnamed_warned && (m.nunnamed > 0 || rec.nfields > m.nheader))
			warn_unnamed(job, &m, &rec);
		row = convert_row(job, &vc, &m, &rec, o, lay, cf);
		if (row == 2)
			continue; /* a repeat: read once, like a blank line, not a row */
		if (row == 1)
			job->res->rows_loaded++;
		if (++rows % PROGRESS_EVERY == 0) {
			job_progress(job, src->progress(src->self));
			if (o->failed)
				break;
		}
	}
	job->rows_seen = (long long)rows;
	if (rc < 0) {
		if (rerr.code != HX_DATAERR)
			goto fatal;
		/* Malformed from here on: the whole file is rejected. */
		job_fail(job, 0, job->sheet != NULL ? REASON_BAD_WORKBOOK : REASON_MALFORMED_CSV, "%s",
		         rerr.msg);
	}
	if (cf != NULL && !conflicts_checked(cf))
		job_warn(job, 0, _("more than %d tallies or funds: the rows after them were not "
		                   "checked for rows that conflict"), CONFLICT_ROWS_MAX);
	if (kept && !job->file_failed) {
		size_t nskip;
		const unsigned long long *skip = conflicts_dropped(cf, m.spec->kind, &nskip);

		if (copy_sink_replay_except(&out, job->conn, m.spec->copy_sql, skip, nskip, err) < 0) {
			if (!copy_refused_data(&out))
				goto done;
			job_fail(job, 0, REASON_DATABASE_REFUSED, _("the database refused the rows: %s%s%s"),
			         err->msg, err->detail[0] ? ": " : "", err->detail);
			hx_error_clear(err);
		}
	}
	if (started && copy_sink_finish(&out, job->file_failed ? "file rejected" : NULL, err) < 0) {
		started = 0;
		if (!copy_refused_data(&out))
			goto done;
		/* Rows the checks here let through but the database refused: this
		 * file is rejected, the run goes on. */
		job_fail(job, 0, REASON_DATABASE_REFUSED, _("the database refused the rows: %s%s%s"),
		         err->msg, err->detail[0] ? ": " : "", err->detail);
		hx_error_clear(err);
	}
	started = 0;
	result = 0;
	goto done;
fatal:
	*err = rerr;
	hx_error_prefix(err, job->display);
done:
	if (started)
		(void)copy_sink_finish(&out, "ingest failed", &rerr);
	copy_sink_close(&out);
	conflicts_free(cf);
	free_partitions(&parts);
	free(m.names);
	free(m.colof);
	free(m.unnamed);
	hx_buf_free(&m.scratch);
	return result;
}
