/*
 * builtin.c — the shipped unit lists read into periods and lineage (see
 * builtin.h).  The three files are facts published by the Statistics
 * Office, with the flaws real data has (ref/README.md): a loader that
 * trusted them silently would publish wrong figures, and one that repaired
 * them would publish guesses.  Every flaw found is counted and named with
 * examples (struct ref_note), and the data is taken as the lists say it:
 * units from the two lists, pairs from the conversion table, the old
 * structure (district and province of an old commune) from the January 2025
 * list when the table's columns disagree with it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "builtin.h"
#include "csvread.h"
#include "lengthof.h"
#include "text.h"

#define FILE_OLD "communes-2025-01-04.csv"
#define FILE_NEW "communes-2025-07-01.csv"
#define FILE_TABLE "units-2025-old-to-new.csv"
#define SHOWN "ref/"
#define EXAMPLES 3

/* ---- Small helpers ---------------------------------------------------------- */

static const struct builtin_file *find_file(const char *name)
{
	for (const struct builtin_file *f = builtin_files; f->name != NULL; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

/* A cell with the blanks around it (spaces, tabs, line ends) left out. */
static void cell(const struct hx_csv_record *r, int f, const char **s, size_t *n)
{
	*s = "";
	*n = 0;
	if (f < 0 || (size_t)f >= r->nfields)
		return;
	*s = r->fields[f];
	*n = r->lens[f];
	while (*n > 0 && strchr(" \t\r\n", **s) != NULL)
		(*s)++, (*n)--;
	while (*n > 0 && strchr(" \t\r\n", (*s)[*n - 1]) != NULL)
		(*n)--;
}

static char *cell_dup(const struct hx_csv_record *r, int f)
{
	const char *s;
	size_t n;

	cell(r, f, &s, &n);
	return hx_strndup(s, n);
}

/* Copy a code of exactly width digits into dst; -1 if the cell is not one. */
static int cell_code(const struct hx_csv_record *r, int f, size_t width, char *dst)
{
	const char *s;
	size_t n;

	cell(r, f, &s, &n);
	if (n != width || strspn(s, "0123456789") < n)
		return -1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

/* The field index of the header cell reading name exactly (blanks aside), or -1. */
static int column(const struct hx_csv_record *h, const char *name)
{
	for (size_t i = 0; i < h->nfields; i++) {
		const char *s;
		size_t n;

		cell(h, (int)i, &s, &n);
		if (n == strlen(name) && memcmp(s, name, n) == 0)
			return (int)i;
	}
	return -1;
}

/* "Huyện Tuy Phong (595)": the code in the last parentheses, of 2 to 3 digits. */
static int paren_code(const char *s, char *dst)
{
	const char *open = strrchr(s, '(');
	size_t n;

	if (open == NULL)
		return -1;
	n = strspn(open + 1, "0123456789");
	if (n < 2 || n > 3 || open[1 + n] != ')')
		return -1;
	memcpy(dst, open + 1, n);
	dst[n] = '\0';
	return 0;
}

/* Text with its runs of blanks made one space and its ends trimmed (owned). */
static char *squeeze(const char *s)
{
	char *out = hx_malloc(strlen(s) + 1), *o = out;
	int space = 0;

	for (; *s; s++) {
		if (strchr(" \t\r\n", *s) != NULL) {
			space = o != out;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = 0;
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

/* A value for a message: in quotes, line ends shown as \n (owned). */
static char *shown(const char *s)
{
	struct hx_buf b;
	char *out;

	hx_buf_init(&b, 4096);
	hx_buf_putc(&b, '"');
	for (; *s; s++) {
		if (*s == '\n')
			hx_buf_puts(&b, "\\n");
		else if (*s == '\r')
			hx_buf_puts(&b, "\\r");
		else
			hx_buf_putc(&b, *s);
	}
	hx_buf_putc(&b, '"');
	out = hx_strdup(hx_buf_str(&b));
	hx_buf_free(&b);
	return out;
}

/* ---- Codes to row indexes ------------------------------------------------- */

struct code_map {
	char (*keys)[UNIT_CODE_MAX + 1];
	size_t *vals;
	size_t nslots;
};

static void map_init(struct code_map *m, size_t n)
{
	m->nslots = 64;
	while (m->nslots < 2 * n + 2)
		m->nslots *= 2;
	m->keys = hx_calloc(m->nslots, sizeof *m->keys);
	m->vals = hx_calloc(m->nslots, sizeof *m->vals);
}

static void map_free(struct code_map *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

static size_t map_slot(const struct code_map *m, const char *code)
{
	size_t h = 5381;

	for (const char *s = code; *s; s++)
		h = h * 33 + (unsigned char)*s;
	h &= m->nslots - 1;
	while (m->keys[h][0] != '\0' && strcmp(m->keys[h], code) != 0)
		h = (h + 1) & (m->nslots - 1);
	return h;
}

/* The value of code, or (size_t)-1. */
static size_t map_get(const struct code_map *m, const char *code)
{
	size_t h = map_slot(m, code);

	return m->keys[h][0] != '\0' ? m->vals[h] : (size_t)-1;
}

static void map_put(struct code_map *m, const char *code, size_t val)
{
	size_t h = map_slot(m, code);

	strcpy(m->keys[h], code);
	m->vals[h] = val;
}

/* ---- The set ----------------------------------------------------------------- */

struct unit_row *ref_set_add_unit(struct ref_set *set)
{
	set->units = hx_grow(set->units, &set->capunits, set->nunits, sizeof *set->units, 1024);
	memset(&set->units[set->nunits], 0, sizeof *set->units);
	return &set->units[set->nunits++];
}

struct lineage_row *ref_set_add_lineage(struct ref_set *set)
{
	set->lineage = hx_grow(set->lineage, &set->caplineage, set->nlineage, sizeof *set->lineage,
	                       1024);
	memset(&set->lineage[set->nlineage], 0, sizeof *set->lineage);
	return &set->lineage[set->nlineage++];
}

void ref_set_free(struct ref_set *set)
{
	for (size_t i = 0; i < set->nunits; i++)
		free(set->units[i].name);
	for (size_t i = 0; i < set->nlineage; i++)
		free(set->lineage[i].note);
	for (size_t i = 0; i < set->nnotes; i++) {
		free(set->notes[i].text);
		free(set->notes[i].examples);
	}
	free(set->units);
	free(set->lineage);
	free(set->notes);
	memset(set, 0, sizeof *set);
}

/* ---- Notes: a count and the first examples ------------------------------------ */

struct tally {
	long count;
	int shown;
	struct hx_buf ex;
};

static void tally_init(struct tally *t)
{
	t->count = 0;
	t->shown = 0;
	hx_buf_init(&t->ex, 8192);
}

static void tally_add(struct tally *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void tally_add(struct tally *t, const char *fmt, ...)
{
	va_list ap;

	t->count++;
	if (t->shown >= EXAMPLES)
		return;
	if (t->shown++ > 0)
		hx_buf_puts(&t->ex, "; ");
	va_start(ap, fmt);
	hx_buf_vprintf(&t->ex, fmt, ap);
	va_end(ap);
}

static void add_note(struct ref_set *set, int flaw, const char *examples, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add_note(struct ref_set *set, int flaw, const char *examples, const char *fmt, ...)
{
	struct ref_note *n;
	struct hx_buf b;
	va_list ap;

	set->notes = hx_grow(set->notes, &set->capnotes, set->nnotes, sizeof *set->notes, 16);
	n = &set->notes[set->nnotes++];
	hx_buf_init(&b, 8192);
	va_start(ap, fmt);
	hx_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	n->flaw = flaw;
	n->text = hx_strdup(hx_buf_str(&b));
	n->examples = hx_strdup(examples != NULL ? examples : "");
	hx_buf_free(&b);
}

/* A note for a tally that counted something (nothing when it counted nothing). */
static void tally_note(struct ref_set *set, struct tally *t, int flaw, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void tally_note(struct ref_set *set, struct tally *t, int flaw, const char *fmt, ...)
{
	struct hx_buf b;
	va_list ap;

	if (t->count > 0) {
		hx_buf_init(&b, 8192);
		va_start(ap, fmt);
		hx_buf_vprintf(&b, fmt, ap);
		va_end(ap);
		add_note(set, flaw, hx_buf_str(&t->ex), "%s: %ld", hx_buf_str(&b), t->count);
		hx_buf_free(&b);
	}
	hx_buf_free(&t->ex);
}

/* ---- Words ---------------------------------------------------------------------- */

const char *ref_unit_type(const char *name)
{
	/* Longest first: "thi xa" before "xa". */
	static const struct {
		const char *key, *type;
	} types[] = {{"thanh pho", "Thành phố"}, {"thi tran", "Thị trấn"}, {"thi xa", "Thị xã"},
	             {"dac khu", "Đặc khu"},     {"phuong", "Phường"},     {"huyen", "Huyện"},
	             {"quan", "Quận"},           {"tinh", "Tỉnh"},         {"xa", "Xã"}};
	char key[64];

	hx_text_fold(name, key, sizeof key);
	for (size_t i = 0; i < lengthof(types); i++) {
		size_t n = strlen(types[i].key);

		if (strncmp(key, types[i].key, n) == 0 && (key[n] == ' ' || key[n] == '\0'))
			return types[i].type;
	}
	return "";
}

int ref_lineage_kind(const char *note, enum lineage_kind *kind)
{
	char key[512];

	hx_text_fold(note, key, sizeof key);
	if (strstr(key, "toan bo dan so") != NULL)
		*kind = LINEAGE_POPULATION;
	else if (strncmp(key, "nhap mot phan", 13) == 0 || strncmp(key, "phan con lai", 12) == 0 ||
	         strstr(key, "tu mot phan") != NULL)
		*kind = LINEAGE_PART;
	else if (strncmp(key, "nhap toan bo", 12) == 0 || strcmp(key, "giu nguyen") == 0 ||
	         strcmp(key, "doi ten") == 0 || strcmp(key, "doi loai hinh") == 0 ||
	         strncmp(key, "sap xep toan bo", 15) == 0)
		*kind = LINEAGE_WHOLE;
	else
		return -1;
	return 0;
}

const char *ref_lineage_kind_name(enum lineage_kind kind)
{
	return kind == LINEAGE_WHOLE ? "whole" : kind == LINEAGE_POPULATION ? "population" : "part";
}

/* The spellings the table uses most; any other is counted as written otherwise. */
static int usual_spelling(const char *note)
{
	static const char *const usual[] = {"Nhập toàn bộ", "Giữ nguyên", "Đổi tên", "Đổi loại hình",
	                                    "Nhập một phần", "Nhập một phần diện tích",
	                                    "Nhập một phần dân số",
	                                    "Nhập một phần diện tích, toàn bộ dân số"};

	for (size_t i = 0; i < lengthof(usual); i++)
		if (strcmp(note, usual[i]) == 0)
			return 1;
	return 0;
}

/* ---- Reading one file --------------------------------------------------------- */

struct reader {
	const char *name;          /* "communes-2025-01-04.csv" */
	const char *shown;         /* "ref/communes-2025-01-04.csv" (static) */
	struct hx_csv_reader *csv;
};

static int reader_next(struct reader *r, struct hx_csv_record *rec, struct hx_error *err)
{
	int got = hx_csv_next(r->csv, rec, err);

	if (got < 0)
		hx_error_prefix(err, r->shown);
	return got;
}

/*
 * Start reading the built-in list name (shown as shown_name): skip its
 * `titles` title rows, then find the named columns of its header, all
 * required.  0, or -1 with err (the reader closed).
 */
static int reader_open(struct reader *r, const char *name, const char *shown_name, int titles,
                       const char *const *names, int *cols, size_t n, struct hx_error *err)
{
	const struct builtin_file *f = find_file(name);
	struct hx_csv_options o = {0, 0, ','};
	struct hx_csv_record h;
	int got = 0;

	r->name = name;
	r->shown = shown_name;
	if (f == NULL)
		return hx_error_set(err, HX_SOFTWARE, "the built-in list %s is missing from this build",
		                    shown_name);
	r->csv = hx_csv_new_mem(f->data, f->len, &o);
	for (int i = 0; i <= titles; i++)
		if ((got = reader_next(r, &h, err)) <= 0)
			goto fail;
	for (size_t i = 0; i < n; i++) {
		cols[i] = column(&h, names[i]);
		if (cols[i] < 0) {
			hx_error_set(err, HX_SOFTWARE, "%s:%ld: the built-in list has no column \"%s\"; "
			             "this build's data is not what hoctap-ingest reads",
			             r->shown, h.line, names[i]);
			goto fail;
		}
	}
	return 0;
fail:
	if (got == 0)
		hx_error_set(err, HX_SOFTWARE, "%s is empty", shown_name);
	hx_csv_free(r->csv);
	r->csv = NULL;
	return -1;
}

/* Close r after its last row (got: reader_next's last answer): 0, or -1 if reading failed. */
static int reader_close(struct reader *r, int got)
{
	hx_csv_free(r->csv);
	r->csv = NULL;
	return got < 0 ? -1 : 0;
}

/* ---- The lists ----------------------------------------------------------------- */

struct lists {
	struct ref_set *set;
	struct code_map old_units, new_units;   /* code -> index of its period in set->units */
	/* notes gathered while reading */
	struct tally bad_row, old_dup, old_prov_name, old_dist_name, old_type, no_commune;
	struct tally new_dup, new_prov_name, new_no_type;
};

/* Add a unit's period, or check it against the one its code already has; its index. */
static size_t add_scope(struct lists *l, struct code_map *m, enum hx_level level,
                        const char *code, const char *name, const char *parent, const char *from,
                        const char *to, const char *file, long line, struct tally *name_flaw)
{
	size_t i = map_get(m, code);
	struct unit_row *u;

	if (i != (size_t)-1) {
		u = &l->set->units[i];
		if (strcmp(u->name, name) != 0 || strcmp(u->parent, parent) != 0)
			tally_add(name_flaw, "%s is \"%s\"%s%s at line %ld, \"%s\"%s%s at line %ld", code,
			          u->name, u->parent[0] ? " under " : "", u->parent, u->line, name,
			          parent[0] ? " under " : "", parent, line);
		return i;
	}
	u = ref_set_add_unit(l->set);
	strcpy(u->code, code);
	strcpy(u->parent, parent);
	u->name = hx_strdup(name);
	snprintf(u->type, sizeof u->type, "%s", ref_unit_type(name));
	u->level = level;
	strcpy(u->from, from);
	strcpy(u->to, to);
	u->file = file;
	u->line = line;
	u->builtin = 1;
	map_put(m, code, l->set->nunits - 1);
	return l->set->nunits - 1;
}

/* The 4 January 2025 list: provinces, districts and communes until 2025-06-30. */
static int read_old(struct lists *l, struct hx_error *err)
{
	static const char *const names[] = {"Tỉnh Thành Phố", "Mã TP", "Quận Huyện", "Mã QH",
	                                    "Phường Xã", "Mã PX", "Cấp"};
	enum { PNAME, PCODE, DNAME, DCODE, CNAME, CCODE, KIND };
	struct reader r = {0};
	struct hx_csv_record rec;
	int cols[7], got;
	const char *file = SHOWN FILE_OLD;

	if (reader_open(&r, FILE_OLD, file, 0, names, cols, 7, err) < 0)
		return -1;
	while ((got = reader_next(&r, &rec, err)) == 1) {
		char pcode[4], dcode[4], ccode[6];
		char *pname = cell_dup(&rec, cols[PNAME]), *dname = cell_dup(&rec, cols[DNAME]);
		char *cname = cell_dup(&rec, cols[CNAME]), *kind = cell_dup(&rec, cols[KIND]);
		const char *s;
		size_t n;

		cell(&rec, cols[CCODE], &s, &n);
		if (cell_code(&rec, cols[PCODE], 2, pcode) < 0 ||
		    cell_code(&rec, cols[DCODE], 3, dcode) < 0 ||
		    (n > 0 && cell_code(&rec, cols[CCODE], 5, ccode) < 0)) {
			tally_add(&l->bad_row, "%s line %ld", file, rec.line);
		} else {
			add_scope(l, &l->old_units, HX_LEVEL_PROVINCE, pcode, pname, "", "",
			          REFORM_LAST_OLD_DAY, file, rec.line, &l->old_prov_name);
			add_scope(l, &l->old_units, HX_LEVEL_DISTRICT, dcode, dname, pcode, "",
			          REFORM_LAST_OLD_DAY, file, rec.line, &l->old_dist_name);
			if (n == 0) {
				/* An island district without communes: its own lowest unit. */
				tally_add(&l->no_commune, "%s %s (line %ld)", dcode, dname, rec.line);
			} else if (map_get(&l->old_units, ccode) != (size_t)-1) {
				tally_add(&l->old_dup, "%s at lines %ld and %ld", ccode,
				          l->set->units[map_get(&l->old_units, ccode)].line, rec.line);
			} else {
				size_t i = add_scope(l, &l->old_units, HX_LEVEL_COMMUNE, ccode, cname, dcode,
				                     "", REFORM_LAST_OLD_DAY, file, rec.line, &l->old_dup);
				struct unit_row *u = &l->set->units[i];
				char a[32], b[32];

				/* The level column, beside the name's own first words. */
				hx_text_fold(kind, a, sizeof a);
				hx_text_fold(ref_unit_type(cname), b, sizeof b);
				if (strcmp(a, b) != 0)
					tally_add(&l->old_type, "%s \"%s\" is a \"%s\" (line %ld)", ccode, cname,
					          kind, rec.line);
				snprintf(u->type, sizeof u->type, "%s", ref_unit_type(kind));
			}
		}
		free(pname);
		free(dname);
		free(cname);
		free(kind);
	}
	return reader_close(&r, got);
}

/* The 1 July 2025 list: 34 provinces and their communes from 2025-07-01. */
static int read_new(struct lists *l, struct hx_error *err)
{
	static const char *const names[] = {"province_code", "province_name", "commune_code",
	                                    "commune_name"};
	enum { PCODE, PNAME, CCODE, CNAME };
	struct reader r = {0};
	struct hx_csv_record rec;
	int cols[4], got;
	const char *file = SHOWN FILE_NEW;

	if (reader_open(&r, FILE_NEW, file, 0, names, cols, 4, err) < 0)
		return -1;
	while ((got = reader_next(&r, &rec, err)) == 1) {
		char pcode[4], ccode[6];
		char *pname = cell_dup(&rec, cols[PNAME]), *cname = cell_dup(&rec, cols[CNAME]);

		if (cell_code(&rec, cols[PCODE], 2, pcode) < 0 ||
		    cell_code(&rec, cols[CCODE], 5, ccode) < 0) {
			tally_add(&l->bad_row, "%s line %ld", file, rec.line);
		} else if (map_get(&l->new_units, ccode) != (size_t)-1) {
			tally_add(&l->new_dup, "%s at lines %ld and %ld", ccode,
			          l->set->units[map_get(&l->new_units, ccode)].line, rec.line);
		} else {
			add_scope(l, &l->new_units, HX_LEVEL_PROVINCE, pcode, pname, "", REFORM_FIRST_DAY,
			          "", file, rec.line, &l->new_prov_name);
			add_scope(l, &l->new_units, HX_LEVEL_COMMUNE, ccode, cname, pcode,
			          REFORM_FIRST_DAY, "", file, rec.line, &l->new_dup);
			if (ref_unit_type(cname)[0] == '\0')
				tally_add(&l->new_no_type, "%s \"%s\" (line %ld)", ccode, cname, rec.line);
		}
		free(pname);
		free(cname);
	}
	return reader_close(&r, got);
}

/* ---- The conversion table ------------------------------------------------------- */

struct table {
	struct lists *l;
	/* the table's own old-province column: old province -> the new provinces it lists */
	struct code_map old_prov_slot;
	char (*old_prov_new)[8][UNIT_CODE_MAX + 1];  /* up to 8 new provinces per old one */
	long (*old_prov_line)[8];
	size_t n_old_prov;
	struct tally no_code, not_old, not_new, new_prov, old_place, old_name_marks, old_name;
	struct tally new_name_marks, new_name, unknown_kind, spelling[3];
	long kinds[3];                          /* pairs of each kind */
	struct code_map noted_old, noted_new;   /* codes already counted in a name or code note */
};

/* Count each code once in the notes about it (a code is in several pairs). */
static int first_note(struct code_map *noted, const char *code)
{
	if (map_get(noted, code) != (size_t)-1)
		return 0;
	map_put(noted, code, 1);
	return 1;
}

/* Remember that the table lists old province op under new province np at line. */
static void table_old_province(struct table *t, const char *op, const char *np, long line)
{
	size_t i = map_get(&t->old_prov_slot, op);

	if (i == (size_t)-1) {
		i = t->n_old_prov++;
		map_put(&t->old_prov_slot, op, i);
		memset(t->old_prov_new[i], 0, sizeof t->old_prov_new[i]);
	}
	for (int k = 0; k < 8; k++) {
		if (strcmp(t->old_prov_new[i][k], np) == 0)
			return;
		if (t->old_prov_new[i][k][0] == '\0') {
			strcpy(t->old_prov_new[i][k], np);
			t->old_prov_line[i][k] = line;
			return;
		}
	}
}

/* Names that differ only in their marks (Hòa / Hoà) are counted apart from other differences. */
static void compare_names(const char *table_name, const char *list_name, const char *code,
                          long line, struct code_map *noted, struct tally *marks,
                          struct tally *other)
{
	char *a = squeeze(table_name), *b = squeeze(list_name);
	char fa[256], fb[256];

	if (strcmp(a, b) != 0 && first_note(noted, code)) {
		hx_text_fold(a, fa, sizeof fa);
		hx_text_fold(b, fb, sizeof fb);
		if (strcmp(fa, fb) == 0)
			tally_add(marks, "%s \"%s\" / \"%s\" (line %ld)", code, a, b, line);
		else
			tally_add(other, "%s \"%s\" / \"%s\" (line %ld)", code, a, b, line);
	}
	free(a);
	free(b);
}

static void table_pair(struct table *t, const struct hx_csv_record *rec, const int *cols)
{
	enum { NPROV, NNAME, NCODE, ONAME, OCODE, NOTE, ODIST, OPROV };
	struct lists *l = t->l;
	char ncode[6], ocode[6] = "", np[4] = "", op[4] = "", od[4] = "";
	char *nprov = cell_dup(rec, cols[NPROV]), *nname = cell_dup(rec, cols[NNAME]);
	char *oname = cell_dup(rec, cols[ONAME]), *odist = cell_dup(rec, cols[ODIST]);
	char *oprov = cell_dup(rec, cols[OPROV]), *note;
	const char *s;
	size_t n, ni, oi;
	enum lineage_kind kind;
	struct lineage_row *p;

	/* The note as written, line ends and all (they are counted as misspellings). */
	s = (size_t)cols[NOTE] < rec->nfields ? rec->fields[cols[NOTE]] : "";
	note = hx_strdup(s);
	(void)paren_code(nprov, np);
	(void)paren_code(oprov, op);
	(void)paren_code(odist, od);
	if (cell_code(rec, cols[NCODE], 5, ncode) < 0 ||
	    (ni = map_get(&l->new_units, ncode)) == (size_t)-1) {
		cell(rec, cols[NCODE], &s, &n);
		tally_add(&t->not_new, "\"%.*s\" (line %ld)", (int)n, s, rec->line);
		goto done;
	}
	if (strcmp(np, l->set->units[ni].parent) != 0)
		tally_add(&t->new_prov, "%s under \"%s\", in %s in the 1 July list (line %ld)", ncode,
		          nprov, l->set->units[ni].parent, rec->line);
	compare_names(nname, l->set->units[ni].name, ncode, rec->line, &t->noted_new,
	              &t->new_name_marks, &t->new_name);
	cell(rec, cols[OCODE], &s, &n);
	if (n == 0) {
		/* "Sắp xếp toàn bộ huyện Côn Đảo thành đặc khu Côn Đảo": a district
		 * without communes, named in the district column, became a commune. */
		char key[256];

		hx_text_fold(note, key, sizeof key);
		if (strncmp(key, "sap xep toan bo huyen", 21) == 0 && od[0] &&
		    (oi = map_get(&l->old_units, od)) != (size_t)-1 &&
		    l->set->units[oi].level == HX_LEVEL_DISTRICT) {
			strcpy(ocode, od);
		} else {
			char *q = shown(oname);

			tally_add(&t->no_code, "%s for %s %s (line %ld)", q, ncode, nname, rec->line);
			free(q);
			goto done;
		}
	} else if (cell_code(rec, cols[OCODE], 5, ocode) < 0) {
		tally_add(&t->no_code, "\"%.*s\" for %s (line %ld)", (int)n, s, ncode, rec->line);
		goto done;
	}
	if (ref_lineage_kind(note, &kind) < 0) {
		char *q = shown(note);

		tally_add(&t->unknown_kind, "%s (line %ld)", q, rec->line);
		free(q);
		goto done;
	}
	if (op[0])
		table_old_province(t, op, np, rec->line);
	oi = map_get(&l->old_units, ocode);
	if (oi == (size_t)-1) {
		if (first_note(&t->noted_old, ocode))
			tally_add(&t->not_old, "%s %s, %s (line %ld)", ocode, oname, odist, rec->line);
	} else if (l->set->units[oi].level == HX_LEVEL_COMMUNE) {
		const struct unit_row *u = &l->set->units[oi];
		const char *uprov = l->set->units[map_get(&l->old_units, u->parent)].parent;

		if (strcmp(od, u->parent) != 0 || strcmp(op, uprov) != 0)
			tally_add(&t->old_place, "%s is in %s (%s) in the 4 January list, under \"%s\", "
			          "\"%s\" in the table (line %ld)", ocode, u->parent, uprov, odist, oprov,
			          rec->line);
		compare_names(oname, u->name, ocode, rec->line, &t->noted_old, &t->old_name_marks,
		              &t->old_name);
	} else if (strcmp(op, l->set->units[oi].parent) != 0) {
		tally_add(&t->old_place, "%s is in province %s in the 4 January list, under \"%s\" in "
		          "the table (line %ld)", ocode, l->set->units[oi].parent, oprov, rec->line);
	}
	if (!usual_spelling(note)) {
		char *q = shown(note);

		tally_add(&t->spelling[kind], "%s (line %ld)", q, rec->line);
		free(q);
	}
	t->kinds[kind]++;
	p = ref_set_add_lineage(l->set);
	strcpy(p->old_code, ocode);
	strcpy(p->new_code, ncode);
	strcpy(p->effective, REFORM_FIRST_DAY);
	p->kind = kind;
	p->note = note;
	note = NULL;
	p->file = SHOWN FILE_TABLE;
	p->line = rec->line;
done:
	free(note);
	free(nprov);
	free(nname);
	free(oname);
	free(odist);
	free(oprov);
}

static int read_table(struct table *t, struct hx_error *err)
{
	static const char *const names[] = {"Tỉnh, thành phố", "Tên Xã mới", "Mã Xã mới",
	                                    "Tên Xã cũ", "Mã Xã cũ", "Ghi chú", "Quận/huyện",
	                                    "Tỉnh cũ"};
	struct reader r = {0};
	struct hx_csv_record rec;
	int cols[8], got;

	/* A title row, then the header. */
	if (reader_open(&r, FILE_TABLE, SHOWN FILE_TABLE, 1, names, cols, 8, err) < 0)
		return -1;
	while ((got = reader_next(&r, &rec, err)) == 1) {
		const char *s;
		size_t n, filled = 0;

		for (size_t i = 1; i < rec.nfields; i++) {
			cell(&rec, (int)i, &s, &n);
			filled += n > 0;
		}
		if (filled == 0)
			continue; /* a province's banner row ("THÀNH PHỐ HÀ NỘI") */
		table_pair(t, &rec, cols);
	}
	return reader_close(&r, got);
}

/* ---- What follows from the pairs --------------------------------------------- */

static int cmp_lineage(const void *a, const void *b)
{
	const struct lineage_row *x = a, *y = b;
	int c = strcmp(x->old_code, y->old_code);

	return c != 0 ? c : strcmp(x->new_code, y->new_code);
}

/*
 * For each old unit: which pair carries its figures, and whether it moved in
 * parts.  Exact: its only move is whole, or its only all-of-the-population
 * move (the other pairs then moved land without people).  Otherwise its
 * figures go wholly to the successor that kept its code, else to the one
 * with the lowest code (pairs are sorted by new code), and the move is
 * approximate.
 */
static void decide_carriers(struct ref_set *set, long *split, struct tally *contradict,
                            struct tally *single_part)
{
	size_t i = 0;

	qsort(set->lineage, set->nlineage, sizeof *set->lineage, cmp_lineage);
	while (i < set->nlineage) {
		size_t j = i, whole = 0, pop = 0, carrier = (size_t)-1;

		while (j < set->nlineage && strcmp(set->lineage[j].old_code, set->lineage[i].old_code) == 0)
			j++;
		for (size_t k = i; k < j; k++) {
			whole += set->lineage[k].kind == LINEAGE_WHOLE;
			pop += set->lineage[k].kind == LINEAGE_POPULATION;
		}
		if (whole == 1 && j - i == 1) {
			carrier = i;
		} else if (whole == 0 && pop == 1) {
			for (size_t k = i; k < j; k++)
				if (set->lineage[k].kind == LINEAGE_POPULATION)
					carrier = k;
		} else {
			for (size_t k = i; k < j; k++)
				if (strcmp(set->lineage[k].new_code, set->lineage[k].old_code) == 0)
					carrier = k;
			if (carrier == (size_t)-1)
				carrier = i;
			for (size_t k = i; k < j; k++)
				set->lineage[k].approximate = 1;
			if (whole > 0 || pop > 1)
				tally_add(contradict, "%s: %zu pairs, %zu whole, %zu of all the population "
				          "(lines %ld and %ld)", set->lineage[i].old_code, j - i, whole, pop,
				          set->lineage[i].line, set->lineage[j - 1].line);
			else if (j - i == 1)
				tally_add(single_part, "%s -> %s (line %ld)", set->lineage[i].old_code,
				          set->lineage[i].new_code, set->lineage[i].line);
			else
				(*split)++;
		}
		set->lineage[carrier].carries = 1;
		i = j;
	}
}

/* The index of code's period in m (old or new units), or (size_t)-1. */
static const struct unit_row *unit_of(const struct lists *l, const struct code_map *m,
                                      const char *code)
{
	size_t i = map_get(m, code);

	return i == (size_t)-1 ? NULL : &l->set->units[i];
}

/* The old province of an old commune or district. */
static const char *old_province(const struct lists *l, const struct unit_row *u)
{
	if (u->level == HX_LEVEL_DISTRICT)
		return u->parent;
	u = unit_of(l, &l->old_units, u->parent);
	return u != NULL ? u->parent : "";
}

/*
 * Old provinces and districts: the new province(s) their units went to.
 * An old province whose units all went to one new province continues in
 * it (a lineage pair, whole); one spread over several is split, as a
 * commune moved in parts.  Each old unit's successor: the new unit its
 * figures go to (a district's: the new province, there is no new district).
 */
static void derive_scopes(struct lists *l, struct tally *prov_split, struct tally *dist_split)
{
	struct ref_set *set = l->set;
	size_t nlin = set->nlineage;
	/* per old unit (index into set->units): up to 8 new provinces */
	char (*to)[8][UNIT_CODE_MAX + 1] = hx_calloc(set->nunits, sizeof *to);

	for (size_t k = 0; k < nlin; k++) {
		const struct lineage_row *p = &set->lineage[k];
		const struct unit_row *o = unit_of(l, &l->old_units, p->old_code);
		const struct unit_row *n = unit_of(l, &l->new_units, p->new_code);
		size_t targets[2];

		if (o == NULL || n == NULL)
			continue;
		if (p->carries && o->level == HX_LEVEL_COMMUNE && strcmp(p->new_code, p->old_code) != 0)
			strcpy(set->units[o - set->units].successor, p->new_code);
		targets[0] = map_get(&l->old_units, old_province(l, o));
		targets[1] = o->level == HX_LEVEL_COMMUNE ? map_get(&l->old_units, o->parent)
		                                          : (size_t)(o - set->units);
		for (int t = 0; t < 2; t++) {
			if (targets[t] == (size_t)-1)
				continue;
			for (int s = 0; s < 8; s++) {
				if (strcmp(to[targets[t]][s], n->parent) == 0)
					break;
				if (to[targets[t]][s][0] == '\0') {
					strcpy(to[targets[t]][s], n->parent);
					break;
				}
			}
		}
	}
	for (size_t i = 0; i < set->nunits; i++) {
		struct unit_row *u = &set->units[i];
		int many;

		if (!u->builtin || u->level == HX_LEVEL_COMMUNE || strcmp(u->to, REFORM_LAST_OLD_DAY) != 0 ||
		    to[i][0][0] == '\0')
			continue;
		many = to[i][1][0] != '\0';
		if (u->level == HX_LEVEL_DISTRICT) {
			if (many)
				tally_add(dist_split, "%s %s: %s, %s", u->code, u->name, to[i][0], to[i][1]);
			else
				strcpy(u->successor, to[i][0]);
			continue;
		}
		if (many)
			tally_add(prov_split, "%s %s: %s, %s", u->code, u->name, to[i][0], to[i][1]);
		for (int s = 0; s < 8 && to[i][s][0]; s++) {
			struct lineage_row *p = ref_set_add_lineage(set);

			strcpy(p->old_code, u->code);
			strcpy(p->new_code, to[i][s]);
			strcpy(p->effective, REFORM_FIRST_DAY);
			p->kind = many ? LINEAGE_PART : LINEAGE_WHOLE;
			p->approximate = many;
			p->note = hx_strdup(many ? "its communes went to several provinces"
			                         : "all its communes went to this province");
			p->file = SHOWN FILE_TABLE;
			p->line = 0;
		}
		if (!many && strcmp(to[i][0], u->code) != 0)
			strcpy(u->successor, to[i][0]);
	}
	/* The carrier of each split province, as for a commune. */
	for (size_t k = nlin; k < set->nlineage; k++) {
		struct lineage_row *p = &set->lineage[k];
		int kept = 0;

		if (!p->approximate) {
			p->carries = 1;
			continue;
		}
		for (size_t m = nlin; m < set->nlineage; m++)
			kept |= strcmp(set->lineage[m].old_code, p->old_code) == 0 &&
			        strcmp(set->lineage[m].new_code, p->old_code) == 0;
		if (kept) {
			p->carries = strcmp(p->new_code, p->old_code) == 0;
		} else {
			p->carries = 1;
			for (size_t m = nlin; m < set->nlineage; m++)
				if (strcmp(set->lineage[m].old_code, p->old_code) == 0 &&
				    strcmp(set->lineage[m].new_code, p->new_code) < 0)
					p->carries = 0;
		}
	}
	free(to);
}

int builtin_read(struct ref_set *set, struct hx_error *err)
{
	struct lists l;
	struct table t;
	struct tally contradict, single_part, prov_split, dist_split, missing_old, orphan_new;
	long split = 0;
	int rc = -1;
	size_t nold, i;
	char *seen_old = NULL, *seen_new = NULL;

	memset(&l, 0, sizeof l);
	memset(&t, 0, sizeof t);
	l.set = set;
	map_init(&l.old_units, 12000);
	map_init(&l.new_units, 4000);
	tally_init(&l.bad_row);
	tally_init(&l.old_dup);
	tally_init(&l.old_prov_name);
	tally_init(&l.old_dist_name);
	tally_init(&l.old_type);
	tally_init(&l.no_commune);
	tally_init(&l.new_dup);
	tally_init(&l.new_prov_name);
	tally_init(&l.new_no_type);
	t.l = &l;
	map_init(&t.old_prov_slot, 128);
	map_init(&t.noted_old, 12000);
	map_init(&t.noted_new, 4000);
	t.old_prov_new = hx_calloc(128, sizeof *t.old_prov_new);
	t.old_prov_line = hx_calloc(128, sizeof *t.old_prov_line);
	tally_init(&t.no_code);
	tally_init(&t.not_old);
	tally_init(&t.not_new);
	tally_init(&t.new_prov);
	tally_init(&t.old_place);
	tally_init(&t.old_name_marks);
	tally_init(&t.old_name);
	tally_init(&t.new_name_marks);
	tally_init(&t.new_name);
	tally_init(&t.unknown_kind);
	for (int k = 0; k < 3; k++)
		tally_init(&t.spelling[k]);
	tally_init(&contradict);
	tally_init(&single_part);
	tally_init(&prov_split);
	tally_init(&dist_split);
	tally_init(&missing_old);
	tally_init(&orphan_new);

	if (read_old(&l, err) < 0)
		goto done;
	nold = set->nunits;
	if (read_new(&l, err) < 0 || read_table(&t, err) < 0)
		goto done;
	if (t.unknown_kind.count > 0) {
		hx_error_set(err, HX_SOFTWARE, "%s: %ld note(s) say no kind of move hoctap knows: %s",
		             SHOWN FILE_TABLE, t.unknown_kind.count, hx_buf_str(&t.unknown_kind.ex));
		hx_error_hint(err, "nothing was loaded; the built-in lists of this build are not "
		                   "the ones it was written for");
		goto done;
	}

	/* Units of one list that the table does not name. */
	seen_old = hx_calloc(set->nunits, 1);
	seen_new = hx_calloc(set->nunits, 1);
	/* seen_new: 1 named by a pair, 2 by a pair from an old commune (not a whole district). */
	for (i = 0; i < set->nlineage; i++) {
		size_t o = map_get(&l.old_units, set->lineage[i].old_code);
		size_t n = map_get(&l.new_units, set->lineage[i].new_code);

		if (o != (size_t)-1)
			seen_old[o] = 1;
		if (n != (size_t)-1 && seen_new[n] < 2)
			seen_new[n] = o == (size_t)-1 || set->units[o].level == HX_LEVEL_COMMUNE ? 2 : 1;
	}
	for (i = 0; i < nold; i++)
		if (set->units[i].level == HX_LEVEL_COMMUNE && !seen_old[i])
			tally_add(&missing_old, "%s %s (line %ld)", set->units[i].code,
			          set->units[i].name, set->units[i].line);
	for (i = nold; i < set->nunits; i++) {
		if (set->units[i].level != HX_LEVEL_COMMUNE || seen_new[i] == 2)
			continue;
		if (seen_new[i] == 0)
			tally_add(&orphan_new, "%s %s (line %ld): no pair", set->units[i].code,
			          set->units[i].name, set->units[i].line);
		else
			tally_add(&orphan_new, "%s %s: from a whole district", set->units[i].code,
			          set->units[i].name);
	}

	decide_carriers(set, &split, &contradict, &single_part);
	derive_scopes(&l, &prov_split, &dist_split);

	/* The facts, then the flaws, in the order a reader checks them. */
	add_note(set, 0, NULL,
	         "%s: %zu units until %s; %s: %zu units from %s; %s: %ld pairs "
	         "(%ld whole, %ld of all the population, %ld of a part)",
	         SHOWN FILE_OLD, nold, REFORM_LAST_OLD_DAY, SHOWN FILE_NEW, set->nunits - nold,
	         REFORM_FIRST_DAY, SHOWN FILE_TABLE,
	         t.kinds[0] + t.kinds[1] + t.kinds[2], t.kinds[LINEAGE_WHOLE],
	         t.kinds[LINEAGE_POPULATION], t.kinds[LINEAGE_PART]);
	if (split > 0)
		add_note(set, 0, NULL, "old communes moved in parts to several new communes: %ld "
		         "(their figures go wholly to the successor that kept their code, else to the "
		         "one with the lowest code, and every figure they touch is approximate)",
		         split);
	tally_note(set, &l.no_commune, 0, "districts of %s without a commune, each its own "
	           "lowest unit", SHOWN FILE_OLD);
	tally_note(set, &l.bad_row, 1, "rows of the lists left out, their code not of 2, 3 or 5 "
	           "digits");
	tally_note(set, &l.old_dup, 1, "codes twice in %s (the first row is used)",
	           SHOWN FILE_OLD);
	tally_note(set, &l.old_prov_name, 1, "provinces of %s named two ways (the first is used)",
	           SHOWN FILE_OLD);
	tally_note(set, &l.old_dist_name, 1, "districts of %s named two ways or under two "
	           "provinces (the first is used)", SHOWN FILE_OLD);
	tally_note(set, &l.old_type, 1, "communes of %s whose level (column Cấp) is not the one "
	           "their name begins with (the level column is used)", SHOWN FILE_OLD);
	tally_note(set, &l.new_dup, 1, "codes twice in %s (the first row is used)",
	           SHOWN FILE_NEW);
	tally_note(set, &l.new_prov_name, 1, "provinces of %s named two ways (the first is used)",
	           SHOWN FILE_NEW);
	tally_note(set, &l.new_no_type, 1, "names in %s that begin with no type of unit (Xã, "
	           "Phường, Đặc khu)", SHOWN FILE_NEW);
	tally_note(set, &missing_old, 1, "communes of %s not in %s (changed between January "
	           "and July 2025: no figure of theirs is carried across the reform until a units "
	           "file names their successor)", SHOWN FILE_OLD, SHOWN FILE_TABLE);
	tally_note(set, &t.not_old, 1, "old codes of %s not in %s (units made between January "
	           "and July 2025: their pairs are kept, the units unknown until a units file adds "
	           "them)", SHOWN FILE_TABLE, SHOWN FILE_OLD);
	tally_note(set, &t.not_new, 1, "pairs of %s left out, their new code not in %s",
	           SHOWN FILE_TABLE, SHOWN FILE_NEW);
	tally_note(set, &orphan_new, 1, "new communes with no old commune in %s",
	           SHOWN FILE_TABLE);
	tally_note(set, &t.no_code, 1, "pairs of %s left out, without an old code",
	           SHOWN FILE_TABLE);
	tally_note(set, &t.new_prov, 1, "pairs of %s that put a new commune in another province "
	           "than %s (the list is used)", SHOWN FILE_TABLE, SHOWN FILE_NEW);
	tally_note(set, &t.old_place, 1, "pairs of %s that give an old unit another district or "
	           "province than %s (the list is used)", SHOWN FILE_TABLE, SHOWN FILE_OLD);
	{
		struct tally two;

		tally_init(&two);
		for (i = 0; i < t.n_old_prov; i++)
			if (t.old_prov_new[i][1][0] != '\0') {
				const char *op = NULL;

				for (size_t s = 0; s < t.old_prov_slot.nslots; s++)
					if (t.old_prov_slot.keys[s][0] && t.old_prov_slot.vals[s] == i)
						op = t.old_prov_slot.keys[s];
				tally_add(&two, "old %s under new %s (line %ld) and %s (line %ld)",
				          op != NULL ? op : "?", t.old_prov_new[i][0], t.old_prov_line[i][0],
				          t.old_prov_new[i][1], t.old_prov_line[i][1]);
			}
		tally_note(set, &two, 1, "old provinces under two new provinces by the old-province "
		           "column of %s (by %s every old unit lies in one, which is used)",
		           SHOWN FILE_TABLE, SHOWN FILE_OLD);
	}
	tally_note(set, &prov_split, 1, "old provinces with units in several new provinces (their "
	           "figures are carried as a commune moved in parts)");
	tally_note(set, &dist_split, 1, "old districts with units in several new provinces (no "
	           "successor)");
	tally_note(set, &contradict, 1, "old communes moved whole (or with all their population) "
	           "and elsewhere too (taken as moved in parts, approximate)");
	tally_note(set, &single_part, 1, "old communes moved in part to one new commune and nowhere "
	           "else (taken as moved in parts, approximate)");
	tally_note(set, &t.spelling[LINEAGE_PART], 1, "notes of a part move written otherwise than "
	           "\"Nhập một phần\" and its usual forms (read as a part)");
	tally_note(set, &t.spelling[LINEAGE_WHOLE], 1, "notes of a whole move written otherwise than "
	           "\"Nhập toàn bộ\", \"Giữ nguyên\", \"Đổi tên\" or \"Đổi loại hình\" (read as "
	           "whole)");
	tally_note(set, &t.spelling[LINEAGE_POPULATION], 1, "notes of a move of all the population "
	           "written otherwise than usual (read as such)");
	tally_note(set, &t.old_name, 1, "old communes named otherwise in %s than in %s (the "
	           "list's name is used)", SHOWN FILE_TABLE, SHOWN FILE_OLD);
	tally_note(set, &t.old_name_marks, 0, "old communes whose names in %s differ from %s only in "
	           "their marks (Hòa / Hoà)", SHOWN FILE_TABLE, SHOWN FILE_OLD);
	tally_note(set, &t.new_name, 1, "new communes named otherwise in %s than in %s (the "
	           "list's name is used)", SHOWN FILE_TABLE, SHOWN FILE_NEW);
	tally_note(set, &t.new_name_marks, 0, "new communes whose names in %s differ from %s only in "
	           "their marks", SHOWN FILE_TABLE, SHOWN FILE_NEW);
	hx_buf_free(&t.unknown_kind.ex);
	rc = 0;
	goto tidy;
done:
	hx_buf_free(&t.unknown_kind.ex);
	for (int k = 0; k < 3; k++)
		hx_buf_free(&t.spelling[k].ex);
	{
		struct tally *all[] = {&l.bad_row,  &l.old_dup,  &l.old_prov_name, &l.old_dist_name,
		                       &l.old_type, &l.no_commune, &l.new_dup, &l.new_prov_name,
		                       &l.new_no_type, &t.no_code, &t.not_old, &t.not_new, &t.new_prov,
		                       &t.old_place, &t.old_name_marks, &t.old_name,
		                       &t.new_name_marks, &t.new_name, &contradict, &single_part,
		                       &prov_split, &dist_split, &missing_old, &orphan_new};

		for (size_t k = 0; k < lengthof(all); k++)
			hx_buf_free(&all[k]->ex);
	}
tidy:
	free(seen_old);
	free(seen_new);
	map_free(&l.old_units);
	map_free(&l.new_units);
	map_free(&t.old_prov_slot);
	map_free(&t.noted_old);
	map_free(&t.noted_new);
	free(t.old_prov_new);
	free(t.old_prov_line);
	return rc;
}
