/*
 * refdata.c — reference data (see refdata.h).  A reference file is small
 * (the country has about 14,000 unit periods over both eras), so it is
 * read whole into memory, with the shipped lists when asked for, checked as
 * a set — codes, levels, periods that do not overlap, parents one level up
 * and valid throughout their children's periods, successors, the file
 * against the shipped lists — and only then written: into temporary
 * tables, checked against what submissions use, and swapped in, all in one
 * transaction under the reference lock.
 */
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "builtin.h"
#include "copy.h"
#include "csvread.h"
#include "db.h"
#include "i18n.h"
#include "numparse.h"
#include "refdata.h"
#include "scan.h"
#include "source.h"
#include "sqlfiles.h"
#include "units.h"
#include "values.h"
#include "vocab.h"

#define REF_MAX_ROWS 200000
#define REF_MAX_PROBLEMS 20
#define REF_SOURCE_MAX 200 /* bytes of a target's source */
#define BUILTIN_SPEC "builtin"

/* Problems found in a reference file: the first is the error, the rest its detail. */
struct problems {
	const char *file;
	int n;
	char first[HX_ERRMSG_MAX];
	char more[HX_ERRMSG_MAX];
	size_t more_len;
};

static void problem(struct problems *p, const char *file, long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void problem(struct problems *p, const char *file, long line, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (file == NULL)
		file = p->file;
	if (p->n == 0)
		snprintf(p->first, sizeof p->first, "%s:%ld: %s", file, line, msg);
	else if (p->n < REF_MAX_PROBLEMS && p->more_len < sizeof p->more - 1)
		p->more_len += (size_t)snprintf(p->more + p->more_len, sizeof p->more - p->more_len,
		                                "%s%s:%ld: %s", p->more_len ? "; " : "", file, line,
		                                msg);
	p->n++;
}

static int problems_to_error(struct problems *p, struct hx_error *err)
{
	if (p->n == 0)
		return 0;
	hx_error_set(err, HX_DATAERR, "%s", p->first);
	if (p->n > 1)
		hx_error_detail(err, "%d more problem(s): %s%s", p->n - 1, p->more,
		                p->n > REF_MAX_PROBLEMS ? "; ..." : "");
	hx_error_hint(err, "%s", _("nothing was changed; correct the file and load it again"));
	return -1;
}

/* Open path as text and start a CSV reader on it. */
static struct hx_csv_reader *open_csv(const char *path, int *fd, struct byte_source *src,
                                      struct hx_error *err)
{
	struct file_scan scan;

	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0) {
		hx_error_set(err, HX_NOINPUT, "%s: could not open: %s", path, strerror(errno));
		return NULL;
	}
	if (scan_fd(*fd, &scan, err) < 0)
		return NULL;
	if (scan.bad) {
		hx_error_set(err, HX_DATAERR, "%s: %s", path, scan.bad_message);
		return NULL;
	}
	if (source_init(src, *fd, &scan, 1, err) < 0)
		return NULL;
	return hx_csv_new(source_read, src, NULL);
}

/* Map the header of a reference file: field index per wanted column, -1 if absent. */
static int map_ref_header(const struct hx_csv_record *h, enum hx_vocab_file kind,
                          const enum hx_col *want, size_t nwant, long *field)
{
	for (size_t j = 0; j < nwant; j++)
		field[j] = -1;
	for (size_t i = 0; i < h->nfields; i++) {
		enum hx_col c;

		if (hx_vocab_column(h->fields[i], h->lens[i], kind, &c) != 0)
			continue;
		for (size_t j = 0; j < nwant; j++)
			if (want[j] == c && field[j] < 0)
				field[j] = (long)i;
	}
	return 0;
}

/*
 * Open a reference file and map its header (kind's vocabulary): the reader,
 * after the header, or NULL with err when the file is empty or one of the
 * first nrequired wanted columns is missing (*fd is closed then).
 */
static struct hx_csv_reader *open_ref(const char *path, int *fd, struct byte_source *src,
                                      enum hx_vocab_file kind, const enum hx_col *want,
                                      size_t nwant, size_t nrequired, long *field,
                                      struct hx_error *err)
{
	struct hx_csv_reader *r = open_csv(path, fd, src, err);
	struct hx_csv_record rec;
	int got;

	if (r == NULL)
		goto fail;
	got = hx_csv_next(r, &rec, err);
	if (got <= 0) {
		if (got == 0)
			hx_error_set(err, HX_DATAERR, "%s: the file is empty", path);
		goto fail;
	}
	map_ref_header(&rec, kind, want, nwant, field);
	for (size_t j = 0; j < nrequired; j++)
		if (field[j] < 0) {
			hx_error_set(err, HX_DATAERR, "%s:%ld: a %s file needs a \"%s\" column", path,
			             rec.line, kind == HX_VOCAB_UNITS ? "units" : "targets",
			             hx_vocab_column_name(want[j]));
			goto fail;
		}
	return r;
fail:
	hx_csv_free(r);
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
	return NULL;
}

static void cell(const struct hx_csv_record *r, long f, const char **s, size_t *n)
{
	*s = "";
	*n = 0;
	if (f >= 0 && (size_t)f < r->nfields) {
		*s = r->fields[f];
		*n = r->lens[f];
		while (*n > 0 && (**s == ' ' || **s == '\t'))
			(*s)++, (*n)--;
		while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
			(*n)--;
	}
}

static int copy_code(char *dst, const char *s, size_t n)
{
	if (n < 2 || n > UNIT_CODE_MAX || strspn(s, "0123456789") < n)
		return -1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

static int parse_date(const char *s, size_t n, char out[11])
{
	char ts[64], msg[16];

	if (n != 10 || val_timestamp(s, n, ts, sizeof ts, msg, sizeof msg) != 0)
		return -1;
	memcpy(out, ts, 10);
	out[10] = '\0';
	return 0;
}

/* ---- Days ------------------------------------------------------------------ */

/*
 * Periods are compared as ISO dates, "" meaning open: an open start is
 * before every day, an open end after every day.
 */
static int from_before(const char *a, const char *b) /* start a < start b */
{
	return a[0] == '\0' ? b[0] != '\0' : b[0] != '\0' && strcmp(a, b) < 0;
}

static int to_before(const char *a, const char *b) /* end a < end b */
{
	return a[0] == '\0' ? 0 : b[0] == '\0' || strcmp(a, b) < 0;
}

/* Does day d (a start, "" = the beginning) fall on or before end e ("" = never)? */
static int starts_by(const char *d, const char *e)
{
	return d[0] == '\0' || e[0] == '\0' || strcmp(d, e) <= 0;
}

/* The day before or after an ISO date. */
static void shift_day(const char *d, int by, char out[11])
{
	struct tm t = {0};
	char buf[32];

	t.tm_year = atoi(d) - 1900;
	t.tm_mon = atoi(d + 5) - 1;
	t.tm_mday = atoi(d + 8) + by;
	t.tm_hour = 12;
	(void)timegm(&t);
	snprintf(buf, sizeof buf, "%04d-%02d-%02d", (t.tm_year + 1900) % 10000,
	         (t.tm_mon + 1) % 100, t.tm_mday % 100);
	memcpy(out, buf, 10);
	out[10] = '\0';
}

/* Do the periods [af, at] and [bf, bt] share a day? */
static int overlap(const char *af, const char *at, const char *bf, const char *bt)
{
	return starts_by(af, bt) && starts_by(bf, at);
}

static const char *or_open(const char *d, const char *open)
{
	return d[0] ? d : open;
}

/* ---- Reading a units file ------------------------------------------------- */

static int read_units(const char *path, struct ref_set *set, long *rows, struct problems *p,
                      struct hx_error *err)
{
	static const enum hx_col want[] = {HX_COL_CODE, HX_COL_NAME, HX_COL_LEVEL, HX_COL_PARENT_CODE,
	                                   HX_COL_VALID_FROM, HX_COL_VALID_TO,
	                                   HX_COL_SUCCESSOR_CODE};
	long field[7];
	struct byte_source src;
	struct hx_csv_reader *r = NULL;
	struct hx_csv_record rec;
	int fd = -1, rc = -1, got;

	*rows = 0;
	r = open_ref(path, &fd, &src, HX_VOCAB_UNITS, want, 7, 4, field, err);
	if (r == NULL)
		goto done;
	while ((got = hx_csv_next(r, &rec, err)) == 1) {
		struct unit_row *u;
		const char *s;
		size_t len;
		char msg[300];

		if (hx_csv_record_blank(&rec))
			continue;
		if (*rows == REF_MAX_ROWS) {
			hx_error_set(err, HX_DATAERR, "%s: more than %d units", path, REF_MAX_ROWS);
			goto done;
		}
		(*rows)++;
		u = ref_set_add_unit(set);
		u->file = path;
		u->line = rec.line;
		cell(&rec, field[0], &s, &len);
		if (copy_code(u->code, s, len) < 0)
			problem(p, path, rec.line, "code \"%.*s\" is not 2 to 5 digits", (int)len, s);
		cell(&rec, field[1], &s, &len);
		if (len == 0)
			problem(p, path, rec.line, "the unit has no name");
		u->name = hx_strndup(s, len);
		snprintf(u->type, sizeof u->type, "%s", ref_unit_type(u->name));
		cell(&rec, field[2], &s, &len);
		if (hx_vocab_level(s, len, &u->level, msg, sizeof msg) != 0)
			problem(p, path, rec.line, "level \"%.*s\" is not province, district or commune",
			        (int)len, s);
		cell(&rec, field[3], &s, &len);
		if (len > 0 && copy_code(u->parent, s, len) < 0)
			problem(p, path, rec.line, "parent_code \"%.*s\" is not 2 to 5 digits", (int)len,
			        s);
		cell(&rec, field[4], &s, &len);
		if (len > 0 && parse_date(s, len, u->from) < 0)
			problem(p, path, rec.line, "valid_from \"%.*s\" is not a date (YYYY-MM-DD)",
			        (int)len, s);
		cell(&rec, field[5], &s, &len);
		if (len > 0 && parse_date(s, len, u->to) < 0)
			problem(p, path, rec.line, "valid_to \"%.*s\" is not a date (YYYY-MM-DD)",
			        (int)len, s);
		if (u->from[0] && u->to[0] && strcmp(u->from, u->to) > 0)
			problem(p, path, rec.line, "valid_from %s is after valid_to %s", u->from, u->to);
		cell(&rec, field[6], &s, &len);
		if (len > 0 && copy_code(u->successor, s, len) < 0)
			problem(p, path, rec.line, "successor_code \"%.*s\" is not 2 to 5 digits",
			        (int)len, s);
	}
	if (got < 0) {
		hx_error_prefix(err, path);
		goto done;
	}
	rc = 0;
done:
	hx_csv_free(r);
	if (fd >= 0)
		close(fd);
	return rc;
}

/* ---- The set, checked --------------------------------------------------------- */

static int cmp_rows(const void *a, const void *b)
{
	const struct unit_row *x = a, *y = b;
	int c = strcmp(x->code, y->code);

	if (c != 0)
		return c;
	if (strcmp(x->from, y->from) != 0)
		return from_before(x->from, y->from) ? -1 : 1;
	/* The shipped period first, then a file's row for the same start. */
	if (x->builtin != y->builtin)
		return x->builtin ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* The first row of code in the sorted rows, or -1. */
static long first_row(const struct unit_row *rows, size_t n, const char *code)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (strcmp(rows[mid].code, code) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(rows[lo].code, code) == 0 ? (long)lo : -1;
}

/* The row of code whose period holds day d ("" = the beginning), or -1. */
static long row_on(const struct unit_row *rows, size_t n, const char *code, const char *d)
{
	long i = first_row(rows, n, code);

	for (; i >= 0 && (size_t)i < n && strcmp(rows[i].code, code) == 0; i++)
		if (!rows[i].dropped && !from_before(d, rows[i].from) && starts_by(d, rows[i].to))
			return i;
	return -1;
}

/*
 * Is code valid from day a to day b ("" = open) without a gap?  When not,
 * gap receives the first day it is not ("" = from the beginning).
 */
static int valid_throughout(const struct unit_row *rows, size_t n, const char *code,
                            const char *a, const char *b, char gap[11])
{
	char day[11];

	snprintf(day, sizeof day, "%s", a);
	for (;;) {
		long i = row_on(rows, n, code, day);

		if (i < 0) {
			snprintf(gap, 11, "%s", day);
			return 0;
		}
		if (rows[i].to[0] == '\0' || (b[0] != '\0' && strcmp(rows[i].to, b) >= 0))
			return 1;
		shift_day(rows[i].to, 1, day);
	}
}

/* A period for messages: "from 2025-07-01", "to 2025-06-30", "2020-01-01 to 2024-12-31", "always". */
static const char *period_text(const struct unit_row *u, char *buf, size_t n)
{
	if (u->from[0] && u->to[0])
		snprintf(buf, n, "%s to %s", u->from, u->to);
	else if (u->from[0])
		snprintf(buf, n, "from %s", u->from);
	else if (u->to[0])
		snprintf(buf, n, "to %s", u->to);
	else
		snprintf(buf, n, "always");
	return buf;
}

/*
 * A file's rows against the shipped ones, code by code (rows sorted).  A
 * file may add a code, or a later period of a shipped code (a rename or a
 * change of type from a day on: the shipped period is cut there); a row
 * that restates a shipped period exactly is dropped; anything else
 * contradicts the lists.  *split_of receives, for each file row that cut a
 * shipped period, that period's row (-1 otherwise), for the province check.
 */
static void merge_file(struct ref_set *set, long *split_of, struct problems *p)
{
	struct unit_row *rows = set->units;
	size_t n = set->nunits;

	for (size_t i = 0; i < n; i++)
		split_of[i] = -1;
	for (size_t i = 0; i < n; i++) {
		struct unit_row *f = &rows[i];
		long b;
		char when[64];

		if (f->builtin || f->code[0] == '\0')
			continue;
		b = row_on(rows, n, f->code, f->from);
		if (b < 0 || !rows[b].builtin) {
			/* No shipped period on its first day: a code the lists lack then. */
			long k = first_row(rows, n, f->code);

			for (; k >= 0 && (size_t)k < n && strcmp(rows[k].code, f->code) == 0; k++)
				if (rows[k].builtin && overlap(f->from, f->to, rows[k].from, rows[k].to)) {
					problem(p, f->file, f->line, "%s overlaps the shipped period of %s (%s, "
					        "%s:%ld): a units file may add a later period, not change one "
					        "the lists give", f->code, rows[k].name,
					        period_text(&rows[k], when, sizeof when), rows[k].file,
					        rows[k].line);
					break;
				}
			continue;
		}
		if (from_before(rows[b].from, f->from)) {
			/* A later period: the shipped one ends the day before. */
			char end[11];

			if (to_before(rows[b].to, f->to)) {
				problem(p, f->file, f->line, "%s: the shipped lists end %s on %s (%s:%ld); a "
				        "units file may not make it last longer", f->code, rows[b].name,
				        rows[b].to, rows[b].file, rows[b].line);
				continue;
			}
			if (f->to[0] && to_before(f->to, rows[b].to)) {
				problem(p, f->file, f->line, "%s: a period inside the shipped one (%s, %s:%ld) "
				        "must run to its end", f->code, period_text(&rows[b], when, sizeof when),
				        rows[b].file, rows[b].line);
				continue;
			}
			shift_day(f->from, -1, end);
			snprintf(rows[b].to, sizeof rows[b].to, "%s", end);
			split_of[i] = b;
			continue;
		}
		if (strcmp(f->from, rows[b].from) == 0 && strcmp(f->to, rows[b].to) == 0 &&
		    strcmp(f->name, rows[b].name) == 0 && f->level == rows[b].level &&
		    strcmp(f->parent, rows[b].parent) == 0) {
			f->dropped = 1; /* the same as the lists */
			continue;
		}
		problem(p, f->file, f->line, "%s contradicts the shipped lists, where it is %s %s under "
		        "%s, %s (%s:%ld): a units file may add units and later periods, not change "
		        "these", f->code, hx_vocab_level_name(rows[b].level), rows[b].name,
		        rows[b].parent[0] ? rows[b].parent : "no parent",
		        period_text(&rows[b], when, sizeof when), rows[b].file, rows[b].line);
	}
}

/* Place one row: its province and district in its period, from its parent's. */
static void place(struct unit_row *rows, size_t n, size_t i, struct problems *p)
{
	struct unit_row *u = &rows[i];
	long pi;

	if (u->level == HX_LEVEL_PROVINCE) {
		strcpy(u->province, u->code);
		return;
	}
	pi = row_on(rows, n, u->parent, u->from);
	if (pi < 0)
		return; /* reported by the parent checks */
	if (u->level == HX_LEVEL_DISTRICT) {
		strcpy(u->province, u->parent);
		strcpy(u->district, u->code);
	} else if (rows[pi].level == HX_LEVEL_PROVINCE) {
		strcpy(u->province, u->parent);
	} else {
		strcpy(u->district, u->parent);
		strcpy(u->province, rows[pi].province);
		if (rows[pi].province[0] == '\0')
			problem(p, u->file, u->line, "the province of %s's parent %s is not known",
			        u->code, u->parent);
	}
}

static int parent_level_ok(enum hx_level child, enum hx_level parent)
{
	return child == HX_LEVEL_DISTRICT ? parent == HX_LEVEL_PROVINCE
	       : child == HX_LEVEL_COMMUNE ? parent == HX_LEVEL_PROVINCE ||
	                                         parent == HX_LEVEL_DISTRICT
	                                   : 0;
}

/* Check the set: codes, periods, parents, successors; fill each row's place. */
static void check_units(struct ref_set *set, int with_builtin, struct problems *p)
{
	struct unit_row *rows;
	size_t n, i;
	long *split_of;
	char when[64], gap[11];

	qsort(set->units, set->nunits, sizeof *set->units, cmp_rows);
	split_of = hx_calloc(set->nunits + 1, sizeof *split_of);
	if (with_builtin)
		merge_file(set, split_of, p);
	else
		for (i = 0; i < set->nunits; i++)
			split_of[i] = -1;
	rows = set->units;
	n = set->nunits;
	/* One code: one level, periods that do not overlap. */
	for (i = 1; i < n; i++) {
		struct unit_row *a = &rows[i - 1], *b = &rows[i];

		if (a->dropped || b->dropped || a->code[0] == '\0' || strcmp(a->code, b->code) != 0)
			continue;
		if (a->level != b->level)
			problem(p, b->file, b->line, "%s is a %s here and a %s at %s:%ld; a code keeps its "
			        "level", b->code, hx_vocab_level_name(b->level),
			        hx_vocab_level_name(a->level), a->file, a->line);
		else if (overlap(a->from, a->to, b->from, b->to) && a->file == b->file)
			problem(p, b->file, b->line, "code %s is also on line %ld (one code may be on "
			        "several rows only for periods that do not overlap: give each its "
			        "valid_from and valid_to)", b->code, a->line);
		else if (overlap(a->from, a->to, b->from, b->to))
			problem(p, b->file, b->line, "code %s overlaps its period %s at %s:%ld", b->code,
			        period_text(a, when, sizeof when), a->file, a->line);
	}
	/* Parents one level up, valid throughout; then the places, level by level. */
	for (int level = HX_LEVEL_PROVINCE; level <= HX_LEVEL_COMMUNE; level++)
		for (i = 0; i < n; i++) {
			struct unit_row *u = &rows[i];
			long pi;

			if (u->dropped || u->code[0] == '\0' || (int)u->level != level)
				continue;
			if (u->level == HX_LEVEL_PROVINCE) {
				if (u->parent[0])
					problem(p, u->file, u->line, "province %s cannot have a parent (%s)",
					        u->code, u->parent);
			} else if (!u->parent[0]) {
				problem(p, u->file, u->line, "%s %s needs a parent_code",
				        hx_vocab_level_name(u->level), u->code);
			} else if ((pi = first_row(rows, n, u->parent)) < 0) {
				problem(p, u->file, u->line, "parent_code %s of %s is not %s", u->parent,
				        u->code, with_builtin ? "in the file or the shipped lists"
				                              : "in the file");
			} else if (!parent_level_ok(u->level, rows[pi].level)) {
				problem(p, u->file, u->line, "parent %s of %s %s is a %s, not a %s", u->parent,
				        hx_vocab_level_name(u->level), u->code,
				        hx_vocab_level_name(rows[pi].level),
				        u->level == HX_LEVEL_DISTRICT ? "province" : "district or province");
			} else if (!valid_throughout(rows, n, u->parent, u->from, u->to, gap)) {
				problem(p, u->file, u->line, "parent %s of %s is not valid %s%s, and %s is "
				        "valid %s", u->parent, u->code, gap[0] ? "on " : "before ",
				        gap[0] ? gap : or_open(rows[pi].from, "its start"), u->code,
				        period_text(u, when, sizeof when));
			}
			place(rows, n, i, p);
		}
	/* A later period keeps the province of the shipped one it follows. */
	for (i = 0; i < n; i++)
		if (split_of[i] >= 0 && rows[i].province[0] &&
		    strcmp(rows[i].province, rows[split_of[i]].province) != 0)
			problem(p, rows[i].file, rows[i].line, "%s is in province %s in the shipped lists "
			        "(%s:%ld), the file puts it in %s: a unit keeps its province", rows[i].code,
			        rows[split_of[i]].province, rows[split_of[i]].file,
			        rows[split_of[i]].line, rows[i].province);
	/* Successors known, and valid on the day after the unit ends. */
	for (i = 0; i < n; i++) {
		struct unit_row *u = &rows[i];
		int last = i + 1 == n || strcmp(rows[i + 1].code, u->code) != 0;

		if (u->dropped || u->code[0] == '\0' || !u->successor[0])
			continue;
		if (strcmp(u->successor, u->code) == 0) {
			problem(p, u->file, u->line, "unit %s cannot succeed itself", u->code);
		} else if (first_row(rows, n, u->successor) < 0) {
			problem(p, u->file, u->line, "successor_code %s of %s is not %s", u->successor,
			        u->code, with_builtin ? "in the file or the shipped lists" : "in the file");
		} else if (last && u->to[0]) {
			char next[11];

			shift_day(u->to, 1, next);
			if (row_on(rows, n, u->successor, next) < 0)
				problem(p, u->file, u->line, "successor %s of %s is not valid on %s, the day "
				        "after %s ends", u->successor, u->code, next, u->code);
		}
	}
	free(split_of);
}

/* ---- Writing ------------------------------------------------------------------- */

/* Run a script of several statements without parameters (PQexec). */
static int exec_script(PGconn *conn, const char *sql, struct hx_error *err)
{
	PGresult *res = PQexec(conn, sql);
	int rc = 0;

	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = hx_db_error_from_result(err, HX_SOFTWARE, res, "could not replace the units");
	PQclear(res);
	return rc;
}

static void put_opt(struct copy_sink *s, const char *v)
{
	if (v[0])
		copy_text(s, v, strlen(v));
	else
		copy_null(s);
}

static void put_text(struct copy_sink *s, const char *v)
{
	copy_text(s, v, strlen(v));
}

/* "FILE:LINE" of a row, for ref.unit_periods.source and ref.unit_lineage.source. */
static void put_source(struct copy_sink *s, const char *file, long line)
{
	char buf[4200];

	if (line > 0)
		snprintf(buf, sizeof buf, "%s:%ld", file, line);
	else
		snprintf(buf, sizeof buf, "%s", file);
	put_text(s, buf);
}

/* ref.units: one row per code, from its periods (the last one's name and place). */
static int copy_codes(struct copy_sink *s, const struct ref_set *set, long *codes)
{
	const struct unit_row *rows = set->units;
	size_t n = set->nunits, i = 0;

	*codes = 0;
	while (i < n) {
		size_t j = i, first = (size_t)-1, last = 0;
		const char *successor = "";

		for (; j < n && strcmp(rows[j].code, rows[i].code) == 0; j++) {
			if (rows[j].dropped)
				continue;
			if (first == (size_t)-1)
				first = j;
			last = j;
			if (rows[j].successor[0])
				successor = rows[j].successor;
		}
		if (first != (size_t)-1) {
			const struct unit_row *u = &rows[last];

			put_text(s, u->code);
			put_text(s, u->name);
			put_text(s, hx_vocab_level_name(u->level));
			put_opt(s, u->parent);
			put_opt(s, rows[first].from);
			put_opt(s, u->to);
			put_opt(s, successor);
			put_text(s, u->province);
			put_opt(s, u->district);
			put_opt(s, u->type);
			copy_row_end(s);
			(*codes)++;
		}
		i = j;
	}
	return 0;
}

static void copy_periods(struct copy_sink *s, const struct ref_set *set, long *periods)
{
	*periods = 0;
	for (size_t i = 0; i < set->nunits; i++) {
		const struct unit_row *u = &set->units[i];

		if (u->dropped)
			continue;
		put_text(s, u->code);
		put_text(s, or_open(u->from, "-infinity"));
		put_text(s, or_open(u->to, "infinity"));
		put_text(s, u->name);
		put_opt(s, u->type);
		put_text(s, hx_vocab_level_name(u->level));
		put_opt(s, u->parent);
		put_text(s, u->province);
		put_opt(s, u->district);
		put_source(s, u->file, u->line);
		copy_row_end(s);
		(*periods)++;
	}
}

static void copy_lineage(struct copy_sink *s, const struct ref_set *set, long *pairs)
{
	*pairs = 0;
	for (size_t i = 0; i < set->nlineage; i++) {
		const struct lineage_row *l = &set->lineage[i];

		put_text(s, l->old_code);
		put_text(s, l->new_code);
		put_text(s, l->effective);
		put_text(s, ref_lineage_kind_name(l->kind));
		put_text(s, l->carries ? "t" : "f");
		put_text(s, l->approximate ? "t" : "f");
		put_text(s, l->note);
		put_source(s, l->file, l->line);
		copy_row_end(s);
		(*pairs)++;
	}
}

/* One COPY of rows made by fill into a temporary table. */
static int copy_into(PGconn *conn, const char *copy_sql,
                     void (*fill)(struct copy_sink *, const struct ref_set *, long *),
                     const struct ref_set *set, long *count, struct hx_error *err)
{
	struct copy_sink s;
	int rc;

	if (copy_sink_start(&s, conn, copy_sql, err) < 0)
		return -1;
	fill(&s, set, count);
	rc = copy_sink_finish(&s, NULL, err);
	copy_sink_close(&s);
	return rc;
}

static void fill_codes(struct copy_sink *s, const struct ref_set *set, long *count)
{
	(void)copy_codes(s, set, count);
}

static int write_units(PGconn *conn, const char *what, const struct ref_set *set,
                       struct refdata_units_result *res, struct hx_error *err)
{
	PGresult *q = NULL;
	char lock[64];

	snprintf(lock, sizeof lock, "SELECT pg_catalog.pg_advisory_xact_lock(%d, %d)",
	         HX_LOCK_CLASS, HX_LOCK_REFERENCE);
	if (hx_db_begin(conn, err) < 0)
		return -1;
	if (hx_db_command(conn, err, lock, 0, NULL) < 0 ||
	    hx_db_command(conn, err,
	                  "CREATE TEMPORARY TABLE new_units (LIKE ref.units) ON COMMIT DROP", 0,
	                  NULL) < 0 ||
	    hx_db_command(conn, err,
	                  "CREATE TEMPORARY TABLE new_periods (LIKE ref.unit_periods) ON COMMIT DROP",
	                  0, NULL) < 0 ||
	    hx_db_command(conn, err,
	                  "CREATE TEMPORARY TABLE new_lineage (LIKE ref.unit_lineage) ON COMMIT DROP",
	                  0, NULL) < 0 ||
	    copy_into(conn,
	              "COPY pg_temp.new_units (code, name, level, parent_code, valid_from, valid_to, "
	              "successor_code, province_code, district_code, unit_type) FROM STDIN",
	              fill_codes, set, &res->codes, err) < 0 ||
	    copy_into(conn,
	              "COPY pg_temp.new_periods (code, valid_from, valid_to, name, unit_type, level, "
	              "parent_code, province_code, district_code, source) FROM STDIN",
	              copy_periods, set, &res->periods, err) < 0 ||
	    copy_into(conn,
	              "COPY pg_temp.new_lineage (old_code, new_code, effective, kind, carries, "
	              "approximate, note, source) FROM STDIN",
	              copy_lineage, set, &res->lineage, err) < 0 ||
	    /* The replace joins them with ref's tables: without statistics the
	     * planner can take them for empty and loop. */
	    hx_db_command(conn, err, "SET LOCAL default_statistics_target = 10", 0, NULL) < 0 ||
	    hx_db_command(conn, err, "ANALYZE pg_temp.new_units, pg_temp.new_periods, "
	                             "pg_temp.new_lineage", 0, NULL) < 0)
		goto fail;
	q = hx_db_query(conn, err, hx_sql_script("ingest/units_in_use.sql"), 0, NULL);
	if (q == NULL)
		goto fail;
	if (PQntuples(q) > 0) {
		if (strcmp(PQgetvalue(q, 0, 3), "target") == 0)
			hx_error_set(err, HX_DATAERR,
			             "%s: unit %s is missing, but a plan target uses it", what,
			             PQgetvalue(q, 0, 0));
		else
			hx_error_set(err, HX_DATAERR,
			             "%s: unit %s is missing, but submissions use it (%s:%s)", what,
			             PQgetvalue(q, 0, 0), PQgetvalue(q, 0, 1), PQgetvalue(q, 0, 2));
		if (PQntuples(q) > 1)
			hx_error_detail(err, "%d code(s) in use would disappear", PQntuples(q));
		hx_error_hint(err, "nothing was changed; a unit that submissions used must stay "
		                   "(give it a valid_to and a successor_code instead)");
		goto fail;
	}
	if (exec_script(conn, hx_sql_script("ingest/units_replace.sql"), err) < 0)
		goto fail;
	PQclear(q);
	return hx_db_commit(conn, err);
fail:
	PQclear(q);
	hx_db_rollback(conn);
	return -1;
}

int refdata_units_empty(PGconn *conn, struct hx_error *err)
{
	PGresult *res = hx_db_query(conn, err, "SELECT NOT EXISTS (SELECT FROM ref.units)", 0, NULL);
	int empty;

	if (res == NULL)
		return -1;
	empty = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return empty;
}

void refdata_units_result_free(struct refdata_units_result *res)
{
	for (size_t i = 0; i < res->nnotes; i++) {
		free(res->notes[i].text);
		free(res->notes[i].examples);
	}
	free(res->notes);
	memset(res, 0, sizeof *res);
}

int refdata_units(PGconn *conn, const char *spec, struct refdata_units_result *res,
                  struct hx_error *err)
{
	struct ref_set set = {0};
	struct problems p = {0};
	const char *path = spec;
	int with_builtin = 0, rc = -1;
	size_t nb = strlen(BUILTIN_SPEC);

	memset(res, 0, sizeof *res);
	if (strncmp(spec, BUILTIN_SPEC, nb) == 0 && (spec[nb] == '\0' || spec[nb] == ',')) {
		with_builtin = 1;
		path = spec[nb] == ',' ? spec + nb + 1 : NULL;
		if (path != NULL && path[0] == '\0') {
			hx_error_set(err, HX_USAGE, "--units builtin,FILE: the file name is empty");
			return -1;
		}
		if (builtin_read(&set, err) < 0)
			goto done;
		/* The notes go to the caller; the set keeps the rest. */
		res->notes = set.notes;
		res->nnotes = set.nnotes;
		set.notes = NULL;
		set.nnotes = set.capnotes = 0;
	}
	p.file = path != NULL ? path : BUILTIN_SPEC;
	if (path != NULL) {
		if (read_units(path, &set, &res->file_rows, &p, err) < 0)
			goto done;
		if (res->file_rows == 0) {
			hx_error_set(err, HX_DATAERR, "%s: no units in the file", path);
			goto done;
		}
	}
	check_units(&set, with_builtin, &p);
	if (problems_to_error(&p, err) < 0)
		goto done;
	if (write_units(conn, path != NULL ? path : BUILTIN_SPEC, &set, res, err) < 0)
		goto done;
	rc = 0;
done:
	if (rc < 0)
		refdata_units_result_free(res);
	ref_set_free(&set);
	return rc;
}

int refdata_targets(PGconn *conn, const char *path, long *count, struct hx_error *err)
{
	static const enum hx_col want[] = {HX_COL_SCOPE_CODE, HX_COL_TITLE, HX_COL_YEAR,
	                                   HX_COL_TARGET_PERCENT, HX_COL_GROUP, HX_COL_SOURCE};
	long field[6];
	struct byte_source src;
	struct hx_csv_reader *r = NULL;
	struct hx_csv_record rec;
	struct unit_set *units = NULL;
	struct copy_sink s = {0};
	struct problems p = {0};
	struct hx_buf seen;
	char lock[64];
	const char *base = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	int fd = -1, rc = -1, got, started = 0;
	long n = 0;

	p.file = path;
	hx_buf_init(&seen, (size_t)64 << 20);
	units = units_load(conn, err);
	if (units == NULL)
		goto done;
	r = open_ref(path, &fd, &src, HX_VOCAB_TARGETS, want, 6, 4, field, err);
	if (r == NULL)
		goto done;
	if (hx_db_begin(conn, err) < 0)
		goto done;
	snprintf(lock, sizeof lock, "SELECT pg_catalog.pg_advisory_xact_lock(%d, %d)",
	         HX_LOCK_CLASS, HX_LOCK_REFERENCE);
	if (hx_db_command(conn, err, lock, 0, NULL) < 0 ||
	    hx_db_command(conn, err, "DELETE FROM ref.targets", 0, NULL) < 0 ||
	    copy_sink_start(&s, conn,
	                    "COPY ref.targets (scope_code, title, year, grp, target_percent, source) "
	                    "FROM STDIN",
	                    err) < 0)
		goto fail;
	started = 1;
	while ((got = hx_csv_next(r, &rec, err)) == 1) {
		const char *sv, *src_text;
		size_t len, src_len;
		char code[UNIT_CODE_MAX + 1], key[96], msg[300], num[HX_DECIMAL_BUFSZ];
		enum hx_title t;
		enum hx_group g;
		int year, has_group = 0;
		struct hx_decimal d;

		cell(&rec, field[0], &sv, &len);
		if (copy_code(code, sv, len) < 0 || !units_contains(units, code)) {
			problem(&p, NULL, rec.line, _("scope_code \"%.*s\" is not a reference unit"),
			        (int)len, sv);
			continue;
		}
		cell(&rec, field[1], &sv, &len);
		if (hx_vocab_title(sv, len, &t, msg, sizeof msg) != 0) {
			problem(&p, NULL, rec.line, "title: %s", msg[0] ? msg : "missing");
			continue;
		}
		cell(&rec, field[2], &sv, &len);
		if (hx_num_parse_year(sv, len, &year, msg, sizeof msg) != HX_NUM_OK) {
			problem(&p, NULL, rec.line, "year: %s", msg[0] ? msg : "missing");
			continue;
		}
		cell(&rec, field[3], &sv, &len);
		if (hx_num_parse_percent(sv, len, HX_NUM_VI, &d, msg, sizeof msg) != HX_NUM_OK) {
			problem(&p, NULL, rec.line, "target_percent: %s", msg[0] ? msg : "missing");
			continue;
		}
		hx_decimal_format(&d, num, sizeof num);
		if (strtod(num, NULL) > 100.0) {
			problem(&p, NULL, rec.line, _("target_percent %s is above 100"), num);
			continue;
		}
		if (d.scale > 2) {
			problem(&p, NULL, rec.line, _("target_percent %s has more than 2 decimals"), num);
			continue;
		}
		cell(&rec, field[4], &sv, &len);
		if (len > 0) {
			if (hx_vocab_group(sv, len, t, &g, msg, sizeof msg) != 0) {
				problem(&p, NULL, rec.line, "group: %s", msg);
				continue;
			}
			has_group = 1;
		}
		snprintf(key, sizeof key, "|%s/%s/%d/%s|", code, hx_vocab_title_key(t), year,
		         has_group ? hx_vocab_group_key(g) : "");
		if (seen.len > 0 && strstr(seen.data, key) != NULL) {
			if (has_group)
				problem(&p, NULL, rec.line, _("a second target for %s, %s (%s), %d"), code,
				        hx_vocab_title_key(t), hx_vocab_group_key(g), year);
			else
				problem(&p, NULL, rec.line, _("a second target for %s, %s, %d"), code,
				        hx_vocab_title_key(t), year);
			continue;
		}
		/* The target's legal source as the file gives it, else the file's name. */
		cell(&rec, field[5], &src_text, &src_len);
		if (src_len > REF_SOURCE_MAX) {
			problem(&p, NULL, rec.line, _("source is longer than %d bytes"), REF_SOURCE_MAX);
			continue;
		}
		if (src_len == 0) {
			src_text = base;
			src_len = strlen(base);
		}
		(void)hx_buf_puts(&seen, key);
		copy_text(&s, code, strlen(code));
		copy_text(&s, hx_vocab_title_key(t), strlen(hx_vocab_title_key(t)));
		copy_int(&s, year);
		if (has_group)
			copy_text(&s, hx_vocab_group_key(g), strlen(hx_vocab_group_key(g)));
		else
			copy_null(&s);
		copy_raw(&s, num, strlen(num));
		copy_text(&s, src_text, src_len);
		copy_row_end(&s);
		n++;
	}
	if (got < 0) {
		hx_error_prefix(err, path);
		goto fail;
	}
	if (problems_to_error(&p, err) < 0) {
		(void)copy_sink_finish(&s, "rejected", err);
		started = 0;
		problems_to_error(&p, err);
		goto fail;
	}
	started = 0;
	if (copy_sink_finish(&s, NULL, err) < 0 || hx_db_commit(conn, err) < 0)
		goto fail;
	*count = n;
	rc = 0;
	goto done;
fail:
	if (started) {
		struct hx_error ignore;

		(void)copy_sink_finish(&s, "failed", &ignore);
	}
	hx_db_rollback(conn);
done:
	copy_sink_close(&s);
	hx_buf_free(&seen);
	hx_csv_free(r);
	if (fd >= 0)
		close(fd);
	units_free(units);
	return rc;
}
