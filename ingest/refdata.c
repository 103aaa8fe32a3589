/*
 * refdata.c — reference data (see refdata.h).  A reference file is small
 * (the country has about 11,000 units with history), so it is read whole
 * into memory, checked as a set — codes, levels, parents one level up
 * (which rules out cycles), successors, dates — and only then written:
 * into a temporary table, checked against what submissions use, and
 * swapped in, all in one transaction under the reference lock.
 */
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
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

struct unit_row {
	char code[UNIT_CODE_MAX + 1], parent[UNIT_CODE_MAX + 1], successor[UNIT_CODE_MAX + 1];
	char *name;
	enum hx_level level;
	char from[11], to[11];
	long line;
	char province[UNIT_CODE_MAX + 1], district[UNIT_CODE_MAX + 1];
};

/* Problems found in a reference file: the first is the error, the rest its detail. */
struct problems {
	const char *file;
	int n;
	char first[HX_ERRMSG_MAX];
	char more[HX_ERRMSG_MAX];
	size_t more_len;
};

static void problem(struct problems *p, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(struct problems *p, long line, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (p->n == 0)
		snprintf(p->first, sizeof p->first, "%s:%ld: %s", p->file, line, msg);
	else if (p->n < REF_MAX_PROBLEMS && p->more_len < sizeof p->more - 1)
		p->more_len += (size_t)snprintf(p->more + p->more_len, sizeof p->more - p->more_len,
		                                "%sline %ld: %s", p->more_len ? "; " : "", line, msg);
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
	hx_error_hint(err, "nothing was changed; correct the file and load it again");
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

static int find_unit(struct unit_row *rows, size_t n, const char *code)
{
	/* Reference files are small and checked once: a linear scan per parent
	 * would be quadratic, so rows are sorted by code first. */
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(rows[mid].code, code);

		if (c == 0)
			return (int)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int cmp_rows(const void *a, const void *b)
{
	const struct unit_row *x = a, *y = b;
	int c = strcmp(x->code, y->code);

	return c != 0 ? c : (x->line < y->line ? -1 : x->line > y->line);
}

static int read_units(const char *path, struct unit_row **out, size_t *nout,
                      struct problems *p, struct hx_error *err)
{
	static const enum hx_col want[] = {HX_COL_CODE, HX_COL_NAME, HX_COL_LEVEL, HX_COL_PARENT_CODE,
	                                   HX_COL_VALID_FROM, HX_COL_VALID_TO,
	                                   HX_COL_SUCCESSOR_CODE};
	long field[7];
	struct byte_source src;
	struct hx_csv_reader *r = NULL;
	struct hx_csv_record rec;
	struct unit_row *rows = NULL;
	size_t n = 0, cap = 0;
	int fd = -1, rc = -1, got;

	r = open_csv(path, &fd, &src, err);
	if (r == NULL)
		goto done;
	got = hx_csv_next(r, &rec, err);
	if (got <= 0) {
		if (got == 0)
			hx_error_set(err, HX_DATAERR, "%s: the file is empty", path);
		goto done;
	}
	map_ref_header(&rec, HX_VOCAB_UNITS, want, 7, field);
	for (size_t j = 0; j < 4; j++)
		if (field[j] < 0) {
			hx_error_set(err, HX_DATAERR, "%s:%ld: a units file needs a \"%s\" column", path,
			             rec.line, hx_vocab_column_name(want[j]));
			goto done;
		}
	while ((got = hx_csv_next(r, &rec, err)) == 1) {
		struct unit_row *u;
		const char *s;
		size_t len;
		char msg[300];

		if (n == REF_MAX_ROWS) {
			hx_error_set(err, HX_DATAERR, "%s: more than %d units", path, REF_MAX_ROWS);
			goto done;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			rows = hx_realloc(rows, cap * sizeof *rows);
		}
		u = &rows[n++];
		memset(u, 0, sizeof *u);
		u->line = rec.line;
		cell(&rec, field[0], &s, &len);
		if (copy_code(u->code, s, len) < 0)
			problem(p, rec.line, "code \"%.*s\" is not 2 to 5 digits", (int)len, s);
		cell(&rec, field[1], &s, &len);
		if (len == 0)
			problem(p, rec.line, "the unit has no name");
		u->name = hx_strndup(s, len);
		cell(&rec, field[2], &s, &len);
		if (hx_vocab_level(s, len, &u->level, msg, sizeof msg) != 0)
			problem(p, rec.line, "level \"%.*s\" is not province, district or commune",
			        (int)len, s);
		cell(&rec, field[3], &s, &len);
		if (len > 0 && copy_code(u->parent, s, len) < 0)
			problem(p, rec.line, "parent_code \"%.*s\" is not 2 to 5 digits", (int)len, s);
		cell(&rec, field[4], &s, &len);
		if (len > 0 && parse_date(s, len, u->from) < 0)
			problem(p, rec.line, "valid_from \"%.*s\" is not a date (YYYY-MM-DD)", (int)len, s);
		cell(&rec, field[5], &s, &len);
		if (len > 0 && parse_date(s, len, u->to) < 0)
			problem(p, rec.line, "valid_to \"%.*s\" is not a date (YYYY-MM-DD)", (int)len, s);
		if (u->from[0] && u->to[0] && strcmp(u->from, u->to) > 0)
			problem(p, rec.line, "valid_from %s is after valid_to %s", u->from, u->to);
		cell(&rec, field[6], &s, &len);
		if (len > 0 && copy_code(u->successor, s, len) < 0)
			problem(p, rec.line, "successor_code \"%.*s\" is not 2 to 5 digits", (int)len, s);
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
	*out = rows;
	*nout = n;
	return rc;
}

/* Check the set: unique codes, parents one level up, successors known; fill the chain. */
static void check_units(struct unit_row *rows, size_t n, struct problems *p)
{
	qsort(rows, n, sizeof *rows, cmp_rows);
	for (size_t i = 1; i < n; i++)
		if (rows[i].code[0] && strcmp(rows[i].code, rows[i - 1].code) == 0)
			problem(p, rows[i].line, "code %s is also on line %ld", rows[i].code,
			        rows[i - 1].line);
	for (size_t i = 0; i < n; i++) {
		struct unit_row *u = &rows[i];
		int pi;

		if (u->level == HX_LEVEL_PROVINCE) {
			if (u->parent[0])
				problem(p, u->line, "province %s cannot have a parent (%s)", u->code, u->parent);
			strcpy(u->province, u->code);
		} else if (!u->parent[0]) {
			problem(p, u->line, "%s %s needs a parent_code", hx_vocab_level_name(u->level),
			        u->code);
		} else if ((pi = find_unit(rows, n, u->parent)) < 0) {
			problem(p, u->line, "parent_code %s of %s is not in the file", u->parent, u->code);
		} else if ((int)rows[pi].level != (int)u->level - 1) {
			problem(p, u->line, "parent %s of %s %s is a %s, not a %s", u->parent,
			        hx_vocab_level_name(u->level), u->code,
			        hx_vocab_level_name(rows[pi].level),
			        hx_vocab_level_name((enum hx_level)((int)u->level - 1)));
		} else if (u->level == HX_LEVEL_DISTRICT) {
			strcpy(u->province, u->parent);
			strcpy(u->district, u->code);
		} else {
			strcpy(u->district, u->parent);
			strcpy(u->province, rows[pi].parent);
		}
		if (u->successor[0] && find_unit(rows, n, u->successor) < 0)
			problem(p, u->line, "successor_code %s of %s is not in the file", u->successor,
			        u->code);
		if (u->successor[0] && strcmp(u->successor, u->code) == 0)
			problem(p, u->line, "unit %s cannot succeed itself", u->code);
	}
}

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

static int write_units(PGconn *conn, const char *path, struct unit_row *rows, size_t n,
                       struct hx_error *err)
{
	struct copy_sink s;
	PGresult *res = NULL;
	int rc = -1;
	char lock[64];

	snprintf(lock, sizeof lock, "SELECT pg_catalog.pg_advisory_xact_lock(%d, %d)",
	         HX_LOCK_CLASS, HX_LOCK_REFERENCE);
	if (hx_db_begin(conn, err) < 0)
		return -1;
	if (hx_db_command(conn, err, lock, 0, NULL) < 0 ||
	    hx_db_command(conn, err,
	                  "CREATE TEMPORARY TABLE new_units (LIKE ref.units) ON COMMIT DROP", 0,
	                  NULL) < 0 ||
	    copy_sink_start(&s, conn,
	                    "COPY pg_temp.new_units (code, name, level, parent_code, valid_from, "
	                    "valid_to, successor_code, province_code, district_code) FROM STDIN",
	                    err) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		const struct unit_row *u = &rows[i];

		copy_text(&s, u->code, strlen(u->code));
		copy_text(&s, u->name, strlen(u->name));
		copy_text(&s, hx_vocab_level_name(u->level), strlen(hx_vocab_level_name(u->level)));
		put_opt(&s, u->parent);
		put_opt(&s, u->from);
		put_opt(&s, u->to);
		put_opt(&s, u->successor);
		put_opt(&s, u->province);
		put_opt(&s, u->district);
		copy_row_end(&s);
	}
	rc = copy_sink_finish(&s, NULL, err);
	copy_sink_close(&s);
	if (rc < 0)
		goto fail;
	rc = -1;
	res = hx_db_query(conn, err, hx_sql_script("ingest/units_in_use.sql"), 0, NULL);
	if (res == NULL)
		goto fail;
	if (PQntuples(res) > 0) {
		if (strcmp(PQgetvalue(res, 0, 3), "target") == 0)
			hx_error_set(err, HX_DATAERR,
			             "%s: unit %s is missing, but a plan target uses it", path,
			             PQgetvalue(res, 0, 0));
		else
			hx_error_set(err, HX_DATAERR,
			             "%s: unit %s is missing, but submissions use it (%s:%s)", path,
			             PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2));
		if (PQntuples(res) > 1)
			hx_error_detail(err, "%d code(s) in use would disappear", PQntuples(res));
		hx_error_hint(err, "nothing was changed; a unit that submissions used must stay "
		                   "(give it a valid_to and a successor_code instead)");
		goto fail;
	}
	if (exec_script(conn, hx_sql_script("ingest/units_replace.sql"), err) < 0)
		goto fail;
	PQclear(res);
	return hx_db_commit(conn, err);
fail:
	PQclear(res);
	hx_db_rollback(conn);
	return -1;
}

int refdata_units(PGconn *conn, const char *path, long *count, struct hx_error *err)
{
	struct unit_row *rows = NULL;
	struct problems p = {0};
	size_t n = 0;
	int rc = -1;

	p.file = path;
	if (read_units(path, &rows, &n, &p, err) < 0)
		goto done;
	if (n == 0) {
		hx_error_set(err, HX_DATAERR, "%s: no units in the file", path);
		goto done;
	}
	check_units(rows, n, &p);
	if (problems_to_error(&p, err) < 0)
		goto done;
	if (write_units(conn, path, rows, n, err) < 0)
		goto done;
	*count = (long)n;
	rc = 0;
done:
	for (size_t i = 0; i < n; i++)
		free(rows[i].name);
	free(rows);
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
	r = open_csv(path, &fd, &src, err);
	if (r == NULL)
		goto done;
	got = hx_csv_next(r, &rec, err);
	if (got <= 0) {
		if (got == 0)
			hx_error_set(err, HX_DATAERR, "%s: the file is empty", path);
		goto done;
	}
	map_ref_header(&rec, HX_VOCAB_TARGETS, want, 6, field);
	for (size_t j = 0; j < 4; j++)
		if (field[j] < 0) {
			hx_error_set(err, HX_DATAERR, "%s:%ld: a targets file needs a \"%s\" column", path,
			             rec.line, hx_vocab_column_name(want[j]));
			goto done;
		}
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
			problem(&p, rec.line, _("scope_code \"%.*s\" is not a reference unit"), (int)len,
			        sv);
			continue;
		}
		cell(&rec, field[1], &sv, &len);
		if (hx_vocab_title(sv, len, &t, msg, sizeof msg) != 0) {
			problem(&p, rec.line, "title: %s", msg[0] ? msg : "missing");
			continue;
		}
		cell(&rec, field[2], &sv, &len);
		if (hx_num_parse_year(sv, len, &year, msg, sizeof msg) != HX_NUM_OK) {
			problem(&p, rec.line, "year: %s", msg[0] ? msg : "missing");
			continue;
		}
		cell(&rec, field[3], &sv, &len);
		if (hx_num_parse_percent(sv, len, HX_NUM_VI, &d, msg, sizeof msg) != HX_NUM_OK) {
			problem(&p, rec.line, "target_percent: %s", msg[0] ? msg : "missing");
			continue;
		}
		hx_decimal_format(&d, num, sizeof num);
		if (strtod(num, NULL) > 100.0) {
			problem(&p, rec.line, _("target_percent %s is above 100"), num);
			continue;
		}
		if (d.scale > 2) {
			problem(&p, rec.line, _("target_percent %s has more than 2 decimals"), num);
			continue;
		}
		cell(&rec, field[4], &sv, &len);
		if (len > 0) {
			if (hx_vocab_group(sv, len, t, &g, msg, sizeof msg) != 0) {
				problem(&p, rec.line, "group: %s", msg);
				continue;
			}
			has_group = 1;
		}
		snprintf(key, sizeof key, "|%s/%s/%d/%s|", code, hx_vocab_title_key(t), year,
		         has_group ? hx_vocab_group_key(g) : "");
		if (seen.len > 0 && strstr(seen.data, key) != NULL) {
			if (has_group)
				problem(&p, rec.line, _("a second target for %s, %s (%s), %d"), code,
				        hx_vocab_title_key(t), hx_vocab_group_key(g), year);
			else
				problem(&p, rec.line, _("a second target for %s, %s, %d"), code,
				        hx_vocab_title_key(t), year);
			continue;
		}
		/* The target's legal source as the file gives it, else the file's name. */
		cell(&rec, field[5], &src_text, &src_len);
		if (src_len > REF_SOURCE_MAX) {
			problem(&p, rec.line, _("source is longer than %d bytes"), REF_SOURCE_MAX);
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
