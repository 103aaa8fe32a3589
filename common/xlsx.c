/*
 * xlsx.c — an .xlsx workbook's sheet as a stream of typed rows (see
 * xlsx.h).
 *
 * libzip (Debian libzip-dev) reads the container: it is maintained, reads
 * ZIP64 and every compression Excel and LibreOffice write, checks CRCs,
 * says whether an entry is encrypted, and opens an in-memory buffer as
 * easily as a file (the fuzz target and the tests use that).  expat
 * (libexpat1-dev) parses each XML part as a stream of events — never a DOM
 * of a sheet — can suspend after each row (so rows are pulled one at a
 * time from inside the parse), takes a memory-handling suite (so its own
 * allocations are capped here) and, since 2.4, limits entity amplification;
 * here DTDs are refused outright, so no entity is ever declared.  libxml2
 * would do as well but brings a DOM, XPath and network code this needs none
 * of.
 *
 * Parts read: _rels/.rels (where the workbook is), xl/workbook.xml (sheets,
 * their state, the date system), its .rels (sheet parts), styles.xml (which
 * cell styles are dates or percentages), sharedStrings.xml (into a
 * strstore, bounded memory), and the chosen sheet, twice: a scan of its
 * bytes for <mergeCell> ranges (written after the data, but needed for the
 * header above it), then the parse itself.
 */
#include <ctype.h>
#include <errno.h>
#include <expat.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <zip.h>

#include "alloc.h"
#include "buf.h"
#include "i18n.h"
#include "nfc.h"
#include "sheetscan.h"
#include "strstore.h"
#include "text.h"
#include "xlsx.h"
#include "zipahead.h"

#define CHUNK ((size_t)64 * 1024)
#define SCAN_BUF ((size_t)256 * 1024) /* the scanner's window: a longer row goes to expat */
#define FORMULA_KEEP 200       /* bytes of a formula kept for a message */
#define NAME_MAX_BYTES 256     /* a sheet name (Excel allows 31 characters) */
#define MAX_MERGES 4096        /* merged ranges kept (those near the header) */
#define MAX_XF 65536
#define MAX_NUMFMT 4096

enum xf_kind { XF_NUMBER = 0, XF_DATE, XF_PERCENT };

struct sheet_info {
	char *name;
	char *rid;
	char *target;          /* the part's path in the ZIP */
	int hidden;            /* state="hidden" or "veryHidden" */
	int worksheet;         /* a worksheet (not a chart, macro or dialog sheet) */
};

/* ---- expat's memory, capped per parser ------------------------------------- */

struct memctl {
	size_t used, cap;
	int exceeded;
};

/* The parser being created or run; expat's suite passes no context. */
static _Thread_local struct memctl *cur_mem;

union memhead {
	struct {
		struct memctl *ctl;
		size_t size;
	} h;
	max_align_t align;
};

static void *mem_malloc(size_t n)
{
	struct memctl *c = cur_mem;
	union memhead *h;

	if (c == NULL || n > c->cap || c->used + n > c->cap) {
		if (c != NULL)
			c->exceeded = 1;
		return NULL;
	}
	h = malloc(sizeof *h + n);
	if (h == NULL)
		return NULL;
	h->h.ctl = c;
	h->h.size = n;
	c->used += n;
	return h + 1;
}

static void mem_free(void *p)
{
	union memhead *h;

	if (p == NULL)
		return;
	h = (union memhead *)p - 1;
	h->h.ctl->used -= h->h.size;
	free(h);
}

static void *mem_realloc(void *p, size_t n)
{
	union memhead *h, *nh;
	struct memctl *c;

	if (p == NULL)
		return mem_malloc(n);
	h = (union memhead *)p - 1;
	c = h->h.ctl;
	if (n > h->h.size && c->used + (n - h->h.size) > c->cap) {
		c->exceeded = 1;
		return NULL;
	}
	nh = realloc(h, sizeof *nh + n);
	if (nh == NULL)
		return NULL;
	c->used = c->used - nh->h.size + n;
	nh->h.size = n;
	return nh + 1;
}

static const XML_Memory_Handling_Suite mem_suite = {mem_malloc, mem_realloc, mem_free};

/* ---- The reader -------------------------------------------------------------- */

struct part {
	zip_file_t *zf;
	struct hx_zipahead *ahead;    /* inflated ahead by a thread, or NULL */
	char name[NAME_MAX_BYTES];
	unsigned long long comp, inflated;
};

/* What every XML part's parse shares: the guards and the failure. */
struct xmlctx {
	struct hx_xlsx *x;
	XML_Parser p;
	struct memctl mem;
	const char *part;
	int depth;
	int failed;                    /* a handler refused: err is set */
	struct hx_error err;
};

/* The row being assembled. */
struct rowbuf {
	char *data;                   /* the fields, each NUL-terminated: HX_XLSX_MAX_ROW_BYTES */
	size_t used;
	size_t len[HX_CSV_MAX_FIELDS];
	unsigned char type[HX_CSV_MAX_FIELDS];
	const char *ptr[HX_CSV_MAX_FIELDS];  /* into data, which never moves */
	size_t n;
	int too_many;
	size_t too_long;
	int has_value;
	long line;
};

/*
 * How the sheet's XML is being read.  expat reads everything up to the end
 * of <sheetData>'s start tag; the row scanner (sheetscan.h) reads the rows;
 * at </sheetData> expat reads on (it has seen <sheetData></sheetData>).
 * When the scanner meets what it does not know, or anything goes wrong
 * after it has read rows, the sheet is read again from its start by expat
 * alone, the rows already handed out skipped: what the caller gets, rows
 * and messages, is what expat alone gives.
 */
/* A cell's t attribute. */
enum cell_kind { CT_NUMBER, CT_SHARED, CT_INLINE, CT_STR, CT_BOOL, CT_ERROR, CT_DATE };

enum sheet_mode {
	MODE_SEEK,      /* expat, until <sheetData> starts */
	MODE_SCAN,      /* the scanner, until </sheetData> */
	MODE_XML        /* expat, to the end */
};

struct sheet {
	struct xmlctx xc;             /* first: handlers get it as their user data */
	struct part part;
	enum sheet_mode mode;
	char *buf;                    /* inflated bytes; [pos, len) not yet read */
	size_t pos, len;
	int eof;                      /* the part is inflated to its end */
	unsigned long long fed;       /* bytes given to expat */
	unsigned long long data_at;   /* where <sheetData>'s start tag ends, as expat saw it */
	int final_fed, suspended, finished;
	int scanned;                  /* the scanner has read part of the sheet */
	int not_utf8;                 /* declared in another encoding, or UTF-16: expat's alone */
	int restarted;                /* read again from its start by expat alone */
	long emitted;                 /* the last row handed out */
	long skip_through;            /* after a restart: rows up to this one are not handed out */
	size_t scan_rows;             /* rows the scanner read */
	const char *gave_up;          /* why the scanner stopped short, or NULL */
	struct hx_scan scan;
	int in_data, in_row, in_c, in_v, in_f, in_is, in_t, in_rph;
	long row_num;                 /* the row being read (from r="", or counted) */
	char row_txt[24];             /* row_num in decimal, to check cells' references quickly */
	long last_col;                /* the previous cell's column in this row */
	/* the cell being read */
	long col;
	enum cell_kind ctype;
	long style;
	int has_f, has_v;
	struct hx_buf v;              /* expat: <v> or inline string text (capped) */
	int v_cut;
	char formula[FORMULA_KEEP + 4];
	size_t formula_len;
	int f_cut;
	struct hx_buf norm;           /* a string cell's text in NFC */
	struct rowbuf rb;
	int row_ready;
};

struct hx_xlsx {
	zip_t *za;
	pthread_mutex_t zlock;        /* held around libzip's calls (zipahead.h) */
	struct hx_sheet_options o;
	int expat_only;               /* HX_XLSX_EXPAT_ONLY */
	size_t max_field;
	unsigned long long inflated;
	int date1904;
	struct sheet_info *sheets;
	size_t nsheets;
	char *wb_path;                /* xl/workbook.xml */
	char *sst_path, *styles_path;
	unsigned char *xf;            /* enum xf_kind per cellXfs index */
	size_t nxf;
	struct {
		unsigned id;
		unsigned char kind;
	} *numfmt;
	size_t nnumfmt;
	struct hx_strstore *sst;
	int sst_scanned;              /* the scanner read sharedStrings.xml */
	const char *sst_gave_up;      /* why the scanner left it to expat, or NULL */
	/* the sheet chosen */
	struct sheet *sh;
	size_t sheet_index;
	struct hx_sheet_window win;
	struct hx_sheet_header hdr;
	size_t win_next;              /* next window row to hand out (SIZE_MAX: header first) */
	int header_given;
	struct hx_sheet_merge *merges;
	size_t nmerges;
};

/* ---- ZIP parts ------------------------------------------------------------- */

static int bomb(struct hx_xlsx *x, const struct part *p, struct hx_error *err)
{
	if (p->inflated > HX_XLSX_MAX_PART)
		return hx_error_set(err, HX_DATAERR,
		                    _("workbook part %s inflates to more than %llu bytes: refused as "
		                      "a zip bomb"), p->name, HX_XLSX_MAX_PART);
	if (x->inflated > HX_XLSX_MAX_INFLATED)
		return hx_error_set(err, HX_DATAERR,
		                    _("the workbook inflates to more than %llu bytes: refused as a zip "
		                      "bomb"), HX_XLSX_MAX_INFLATED);
	return hx_error_set(err, HX_DATAERR,
	                    _("workbook part %s inflates to more than %llu times its compressed "
	                      "size: refused as a zip bomb"), p->name, HX_XLSX_MAX_RATIO);
}

/*
 * Open part name; 1 opened, 0 absent (when optional), -1 err.  ahead: a
 * part of the workbook's bulk (a sheet, the shared strings), inflated
 * ahead by a thread (zipahead.h).
 */
static int part_open(struct hx_xlsx *x, const char *name, struct part *p, int optional,
                     int ahead, struct hx_error *err)
{
	zip_stat_t st;
	zip_int64_t i;
	int rc = 1;

	memset(p, 0, sizeof p->name);
	p->zf = NULL;
	p->ahead = NULL;
	p->inflated = 0;
	snprintf(p->name, sizeof p->name, "%s", name);
	pthread_mutex_lock(&x->zlock);
	i = zip_name_locate(x->za, name, ZIP_FL_NOCASE);
	zip_stat_init(&st);
	if (i < 0) {
		rc = optional ? 0
		              : hx_error_set(err, HX_DATAERR, _("the workbook has no part %s: it is "
		                                                "damaged or not an Excel workbook"),
		                             name);
	} else if (zip_stat_index(x->za, (zip_uint64_t)i, 0, &st) < 0) {
		rc = hx_error_set(err, HX_DATAERR, _("the workbook is damaged: %s"),
		                  zip_strerror(x->za));
	} else if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
		rc = hx_error_set(err, HX_DATAERR, _("the workbook is encrypted (part %s): remove its "
		                                     "password in Excel and send it again"), name);
	} else if ((st.valid & ZIP_STAT_SIZE) && st.size > HX_XLSX_MAX_PART) {
		p->inflated = st.size;
		rc = bomb(x, p, err);
	} else {
		p->comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
		p->zf = zip_fopen_index(x->za, (zip_uint64_t)i, 0);
		if (p->zf == NULL)
			rc = hx_error_set(err, HX_DATAERR, _("cannot read workbook part %s: %s"), name,
			                  zip_strerror(x->za));
	}
	pthread_mutex_unlock(&x->zlock);
	if (rc == 1 && ahead)
		p->ahead = hx_zipahead_start(p->zf, &x->zlock, CHUNK);
	return rc;
}

static void part_close(struct hx_xlsx *x, struct part *p)
{
	hx_zipahead_stop(p->ahead);
	p->ahead = NULL;
	if (p->zf != NULL) {
		pthread_mutex_lock(&x->zlock);
		zip_fclose(p->zf);
		pthread_mutex_unlock(&x->zlock);
	}
	p->zf = NULL;
}

/* Inflate up to cap bytes: the count, 0 at the end, -1 err. */
static long part_read(struct hx_xlsx *x, struct part *p, void *buf, size_t cap,
                      struct hx_error *err)
{
	zip_int64_t n;
	const char *why = NULL;

	if (p->ahead != NULL) {
		n = hx_zipahead_read(p->ahead, buf, cap, &why);
	} else {
		pthread_mutex_lock(&x->zlock);
		n = zip_fread(p->zf, buf, cap);
		if (n < 0)
			why = zip_file_strerror(p->zf);
		pthread_mutex_unlock(&x->zlock);
	}
	if (n < 0)
		return hx_error_set(err, HX_DATAERR, _("cannot read workbook part %s: %s"), p->name,
		                    why);
	p->inflated += (unsigned long long)n;
	x->inflated += (unsigned long long)n;
	if (p->inflated > HX_XLSX_MAX_PART || x->inflated > HX_XLSX_MAX_INFLATED ||
	    (p->inflated > HX_XLSX_RATIO_FROM && p->inflated / HX_XLSX_MAX_RATIO > p->comp))
		return bomb(x, p, err);
	return (long)n;
}

/* ---- XML ------------------------------------------------------------------- */

static inline const char *local_name(const char *name)
{
	const char *l = name;

	for (const char *p = name; *p != '\0'; p++)
		if (*p == ':')
			l = p + 1;
	return l;
}

static const char *attr(const char **atts, const char *want)
{
	for (size_t i = 0; atts[i] != NULL; i += 2)
		if (strcmp(local_name(atts[i]), want) == 0)
			return atts[i + 1];
	return NULL;
}

static void xml_refuse(struct xmlctx *c, struct hx_error *e)
{
	if (!c->failed) {
		c->failed = 1;
		c->err = *e;
	}
	XML_StopParser(c->p, XML_FALSE);
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal)
{
	struct xmlctx *c = ud;
	struct hx_error e;

	(void)name, (void)sysid, (void)pubid, (void)has_internal;
	hx_error_set(&e, HX_DATAERR, _("workbook part %s declares a DTD (<!DOCTYPE>), which no "
	                               "workbook has: refused (entities are never expanded)"),
	             c->part);
	xml_refuse(c, &e);
}

static void XMLCALL on_entity(void *ud, const XML_Char *name, int is_param, const XML_Char *value,
                              int value_len, const XML_Char *base, const XML_Char *sysid,
                              const XML_Char *pubid, const XML_Char *notation)
{
	struct xmlctx *c = ud;
	struct hx_error e;

	(void)name, (void)is_param, (void)value, (void)value_len, (void)base, (void)sysid;
	(void)pubid, (void)notation;
	hx_error_set(&e, HX_DATAERR, _("workbook part %s declares an XML entity: refused"), c->part);
	xml_refuse(c, &e);
}

/* Depth guard, called first by every start handler: 0, or -1 (refused). */
static int enter(struct xmlctx *c)
{
	struct hx_error e;

	if (++c->depth <= HX_XLSX_MAX_DEPTH)
		return 0;
	hx_error_set(&e, HX_DATAERR, _("workbook part %s nests its XML more than %d levels deep: "
	                               "refused"), c->part, HX_XLSX_MAX_DEPTH);
	xml_refuse(c, &e);
	return -1;
}

static int xml_init(struct xmlctx *c, struct hx_xlsx *x, const char *part,
                    XML_StartElementHandler start, XML_EndElementHandler end,
                    XML_CharacterDataHandler text, struct hx_error *err)
{
	memset(c, 0, sizeof *c);
	c->x = x;
	c->part = part;
	c->mem.cap = HX_XLSX_XML_MEMORY;
	cur_mem = &c->mem;
	c->p = XML_ParserCreate_MM(NULL, &mem_suite, NULL);
	cur_mem = NULL;
	if (c->p == NULL)
		return hx_error_set(err, HX_SOFTWARE, _("cannot create an XML parser"));
	XML_SetUserData(c->p, c);
	XML_SetStartDoctypeDeclHandler(c->p, on_doctype);
	XML_SetEntityDeclHandler(c->p, on_entity);
	XML_SetParamEntityParsing(c->p, XML_PARAM_ENTITY_PARSING_NEVER);
	XML_SetElementHandler(c->p, start, end);
	if (text != NULL)
		XML_SetCharacterDataHandler(c->p, text);
	return 0;
}

static void xml_free(struct xmlctx *c)
{
	if (c->p != NULL) {
		cur_mem = &c->mem;
		XML_ParserFree(c->p);
		cur_mem = NULL;
	}
	c->p = NULL;
}

/* The error of a parse that stopped: a handler's, or expat's own. */
static int xml_error(struct xmlctx *c, struct hx_error *err)
{
	if (c->failed) {
		*err = c->err;
		return -1;
	}
	if (c->mem.exceeded || XML_GetErrorCode(c->p) == XML_ERROR_NO_MEMORY)
		return hx_error_set(err, HX_DATAERR, _("workbook part %s needs more than %zu bytes to "
		                                       "parse (a tag or value too large): refused"),
		                    c->part, HX_XLSX_XML_MEMORY);
	return hx_error_set(err, HX_DATAERR, _("workbook part %s is not well-formed XML (line %lu): "
	                                       "%s"), c->part,
	                    (unsigned long)XML_GetCurrentLineNumber(c->p),
	                    XML_ErrorString(XML_GetErrorCode(c->p)));
}

/* Parse a whole small part with c's handlers.  0, or -1 err. */
static int xml_parse_part(struct hx_xlsx *x, struct part *p, struct xmlctx *c,
                          struct hx_error *err)
{
	for (;;) {
		void *buf;
		long n;
		enum XML_Status st;

		cur_mem = &c->mem;
		buf = XML_GetBuffer(c->p, (int)CHUNK);
		cur_mem = NULL;
		if (buf == NULL)
			return xml_error(c, err);
		n = part_read(x, p, buf, CHUNK, err);
		if (n < 0)
			return -1;
		cur_mem = &c->mem;
		st = XML_ParseBuffer(c->p, (int)n, n == 0);
		cur_mem = NULL;
		if (st != XML_STATUS_OK || c->failed)
			return xml_error(c, err);
		if (n == 0)
			return 0;
	}
}

/* ---- _rels/.rels and the workbook's .rels ------------------------------------ */

struct rels {
	struct xmlctx xc;
	int workbook_rels;          /* 1: xl/_rels/workbook.xml.rels; 0: _rels/.rels */
	const char *dir;            /* the directory targets are relative to */
};

/* dir + target, or target without its leading '/' (new string). */
static char *resolve(const char *dir, const char *target)
{
	if (target[0] == '/')
		return hx_strdup(target + 1);
	return hx_asprintf("%s%s", dir, target);
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), k = strlen(tail);

	return n >= k && strcmp(s + n - k, tail) == 0;
}

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct rels *r = ud;
	struct hx_xlsx *x = r->xc.x;
	const char *type, *target, *id;

	if (enter(&r->xc) < 0 || strcmp(local_name(name), "Relationship") != 0)
		return;
	type = attr(atts, "Type");
	target = attr(atts, "Target");
	id = attr(atts, "Id");
	if (type == NULL || target == NULL)
		return;
	if (!r->workbook_rels) {
		if (ends_with(type, "/officeDocument") && x->wb_path == NULL)
			x->wb_path = resolve("", target);
		return;
	}
	if (ends_with(type, "/sharedStrings") && x->sst_path == NULL)
		x->sst_path = resolve(r->dir, target);
	else if (ends_with(type, "/styles") && x->styles_path == NULL)
		x->styles_path = resolve(r->dir, target);
	else if (id != NULL) {
		for (size_t i = 0; i < x->nsheets; i++) {
			if (x->sheets[i].rid != NULL && strcmp(x->sheets[i].rid, id) == 0 &&
			    x->sheets[i].target == NULL) {
				x->sheets[i].target = resolve(r->dir, target);
				x->sheets[i].worksheet = ends_with(type, "/worksheet");
			}
		}
	}
}

static void XMLCALL any_end(void *ud, const XML_Char *name)
{
	(void)name;
	((struct xmlctx *)ud)->depth--;
}

static int read_rels(struct hx_xlsx *x, const char *path, int workbook_rels, const char *dir,
                     struct hx_error *err)
{
	struct part p;
	struct rels r;
	int rc = part_open(x, path, &p, !workbook_rels, 0, err);

	if (rc <= 0)
		return rc;
	memset(&r, 0, sizeof r);
	r.workbook_rels = workbook_rels;
	r.dir = dir;
	if (xml_init(&r.xc, x, p.name, rels_start, any_end, NULL, err) < 0) {
		part_close(x, &p);
		return -1;
	}
	rc = xml_parse_part(x, &p, &r.xc, err);
	xml_free(&r.xc);
	part_close(x, &p);
	return rc;
}

/* ---- workbook.xml ------------------------------------------------------------- */

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xmlctx *c = ud;
	struct hx_xlsx *x = c->x;
	const char *ln = local_name(name);

	if (enter(c) < 0)
		return;
	if (strcmp(ln, "workbookPr") == 0) {
		const char *d = attr(atts, "date1904");

		x->date1904 = d != NULL && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
	} else if (strcmp(ln, "sheet") == 0 && x->nsheets < HX_XLSX_MAX_SHEETS) {
		const char *sname = attr(atts, "name"), *state = attr(atts, "state");
		const char *rid = attr(atts, "id");
		struct sheet_info *s;

		if (sname == NULL)
			return;
		x->sheets = hx_realloc(x->sheets, (x->nsheets + 1) * sizeof *x->sheets);
		s = &x->sheets[x->nsheets++];
		memset(s, 0, sizeof *s);
		s->name = hx_strndup(sname, strnlen(sname, NAME_MAX_BYTES));
		s->rid = rid != NULL ? hx_strdup(rid) : NULL;
		s->hidden = state != NULL && strcmp(state, "visible") != 0;
	}
}

/* ---- styles.xml: which cell styles show dates or percentages ---------------- */

/*
 * What a number format shows: a date if it has a date or time code (d m y
 * h s) outside quoted text, escapes and [brackets] (but [h], [m], [s] are
 * elapsed times: numbers); a percentage if it has '%'.  Only the first
 * section (before ';') is looked at.
 */
static unsigned char format_kind(const char *f)
{
	int pct = 0;

	for (const char *p = f; *p != '\0' && *p != ';'; p++) {
		switch (*p) {
		case '"':
			p = strchr(p + 1, '"');
			if (p == NULL)
				return pct ? XF_PERCENT : XF_NUMBER;
			break;
		case '\\':
		case '_':
		case '*':
			if (p[1] != '\0')
				p++;
			break;
		case '[': {
			const char *e = strchr(p, ']');

			if (e == NULL)
				return pct ? XF_PERCENT : XF_NUMBER;
			p = e;
			break;
		}
		case '%':
			pct = 1;
			break;
		case 'd': case 'D': case 'm': case 'M': case 'y': case 'Y':
		case 'h': case 'H': case 's': case 'S':
			return XF_DATE;
		default:
			break;
		}
	}
	return pct ? XF_PERCENT : XF_NUMBER;
}

static unsigned char builtin_kind(unsigned id)
{
	if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
	    (id >= 50 && id <= 58))
		return XF_DATE;
	if (id == 9 || id == 10)
		return XF_PERCENT;
	return XF_NUMBER;
}

struct styles {
	struct xmlctx xc;
	int in_cellxfs, in_numfmts;
};

static void XMLCALL styles_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct styles *s = ud;
	struct hx_xlsx *x = s->xc.x;
	const char *ln = local_name(name);

	if (enter(&s->xc) < 0)
		return;
	if (strcmp(ln, "cellXfs") == 0)
		s->in_cellxfs = 1;
	else if (strcmp(ln, "numFmts") == 0)
		s->in_numfmts = 1;
	else if (strcmp(ln, "numFmt") == 0 && s->in_numfmts && x->nnumfmt < MAX_NUMFMT) {
		const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");

		if (id == NULL || code == NULL)
			return;
		x->numfmt = hx_realloc(x->numfmt, (x->nnumfmt + 1) * sizeof *x->numfmt);
		x->numfmt[x->nnumfmt].id = (unsigned)strtoul(id, NULL, 10);
		x->numfmt[x->nnumfmt].kind = format_kind(code);
		x->nnumfmt++;
	} else if (strcmp(ln, "xf") == 0 && s->in_cellxfs && x->nxf < MAX_XF) {
		const char *id = attr(atts, "numFmtId");
		unsigned fid = id != NULL ? (unsigned)strtoul(id, NULL, 10) : 0;
		unsigned char kind = builtin_kind(fid);

		for (size_t i = 0; i < x->nnumfmt; i++)
			if (x->numfmt[i].id == fid)
				kind = x->numfmt[i].kind;
		x->xf = hx_realloc(x->xf, x->nxf + 1);
		x->xf[x->nxf++] = kind;
	}
}

static void XMLCALL styles_end(void *ud, const XML_Char *name)
{
	struct styles *s = ud;
	const char *ln = local_name(name);

	s->xc.depth--;
	if (strcmp(ln, "cellXfs") == 0)
		s->in_cellxfs = 0;
	else if (strcmp(ln, "numFmts") == 0)
		s->in_numfmts = 0;
}

/* ---- sharedStrings.xml -------------------------------------------------------- */

struct sst {
	struct xmlctx xc;
	int in_si, in_t, in_rph;
	struct hx_buf text;
	int cut;
	struct hx_buf norm;
};

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct sst *s = ud;
	const char *ln = local_name(name);

	(void)atts;
	if (enter(&s->xc) < 0)
		return;
	/* by the first letter: this runs for every string */
	if (ln[0] == 's' && ln[1] == 'i' && ln[2] == '\0') {
		s->in_si = 1;
		s->cut = 0;
		hx_buf_reset(&s->text);
	} else if (ln[0] == 't' && ln[1] == '\0') {
		if (s->in_si)
			s->in_t = 1;
	} else if (ln[0] == 'r' && strcmp(ln, "rPh") == 0) {
		s->in_rph = 1;
	}
}

/* Trim spaces at both ends and normalise to NFC into norm; *p, *n the result. */
static void clean_text(const char *s, size_t n, struct hx_buf *norm, const char **p, size_t *np)
{
	while (n > 0 && s[0] == ' ')
		s++, n--;
	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (hx_nfc_quick(s, n)) {
		*p = s;
		*np = n;
		return;
	}
	hx_buf_reset(norm);
	if (hx_nfc_append(s, n, norm) < 0) {
		/* expat gives valid UTF-8; only the cap can fail: keep it as is */
		*p = s;
		*np = n;
		return;
	}
	*p = hx_buf_str(norm);
	*np = norm->len;
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
	struct sst *s = ud;
	const char *ln = local_name(name);

	s->xc.depth--;
	if (ln[0] == 't' && ln[1] == '\0') {
		s->in_t = 0;
	} else if (ln[0] == 'r' && strcmp(ln, "rPh") == 0) {
		s->in_rph = 0;
	} else if (ln[0] == 's' && ln[1] == 'i' && ln[2] == '\0') {
		const char *p;
		size_t n;
		struct hx_error e;

		s->in_si = 0;
		clean_text(hx_buf_str(&s->text), s->text.len, &s->norm, &p, &n);
		if (hx_strstore_add(s->xc.x->sst, p, n, s->cut, &e) < 0)
			xml_refuse(&s->xc, &e);
	}
}

/*
 * How much of s[0..n) fits in cap bytes, cut on a character boundary;
 * *cut set when it does not all fit.
 */
static size_t cap_len(const char *s, size_t n, size_t cap, int *cut)
{
	size_t keep = cap;

	if (n <= cap)
		return n;
	while (keep > 0 && ((unsigned char)s[keep] & 0xC0) == 0x80)
		keep--;
	*cut = 1;
	return keep;
}

/*
 * Append text to a capped buffer; past the cap, remember it was cut and
 * take nothing more, so that the text kept is the same however expat
 * splits it into pieces (the row scanner takes it whole).
 */
static void add_capped(struct hx_buf *b, size_t cap, int *cut, const char *s, size_t n)
{
	if (*cut)
		return;
	n = cap_len(s, n, cap > b->len ? cap - b->len : 0, cut);
	if (n > 0)
		(void)hx_buf_append(b, s, n);
}

static void XMLCALL sst_text(void *ud, const XML_Char *s, int len)
{
	struct sst *st = ud;

	if (st->in_t && !st->in_rph)
		add_capped(&st->text, st->xc.x->max_field, &st->cut, s, (size_t)len);
}

/*
 * The strings the scanner reads (sheetscan.h) for the part p, added to
 * x->sst as sst_end adds expat's: 0, or -1 when it gave up (*why; what it
 * added is to be thrown away).  Whatever goes wrong here — XML it does not
 * know, a string longer than its buffer, a read or the string table failing
 * — expat alone reads the part again and says what it makes of it.
 */
static int sst_scan(struct hx_xlsx *x, struct part *p, struct hx_buf *text, struct hx_buf *norm,
                    const char **why)
{
	struct hx_scan sc;
	char *buf = hx_malloc(SCAN_BUF + 1);
	size_t pos = 0, len = 0;
	int eof = 0, state = 0, rc = -1; /* state 0: the head; 1: the strings; 2: after </sst> */
	struct hx_error e;

	hx_scan_init(&sc, SCAN_BUF);
	buf[0] = '\0';
	*why = NULL;
	for (;;) {
		enum hx_scan_status st;
		size_t used = 0, n = 0;

		if (state == 2) {
			while (pos < len && (buf[pos] == ' ' || buf[pos] == '\t' || buf[pos] == '\n' ||
			                     buf[pos] == '\r'))
				pos++;
			if (pos < len) {
				*why = "something after </sst>";
				break;
			}
			if (eof) {
				rc = 0;
				break;
			}
			st = HX_SCAN_MORE;
		} else if (state == 0) {
			st = hx_scan_sst_head(&sc, buf + pos, len - pos, &used);
		} else {
			st = hx_scan_si(&sc, buf + pos, len - pos, &used, &n);
		}
		if (st == HX_SCAN_GIVE_UP) {
			*why = hx_scan_why(&sc);
			break;
		}
		if (st == HX_SCAN_MORE) {
			long got;
			size_t room;

			if (eof) {
				*why = "the part ends inside <sst>";
				break;
			}
			if (pos == 0 && len == SCAN_BUF) {
				*why = "a string longer than the scanner's buffer";
				break;
			}
			memmove(buf, buf + pos, len - pos);
			len -= pos;
			pos = 0;
			room = SCAN_BUF - len < CHUNK ? SCAN_BUF - len : CHUNK;
			got = part_read(x, p, buf + len, room, &e);
			if (got < 0) {
				*why = "a read of the part failed";
				break;
			}
			len += (size_t)got;
			buf[len] = '\0'; /* the scanner's sentinel */
			eof = got == 0;
			continue;
		}
		pos += used;
		if (st == HX_SCAN_END || (state == 0 && sc.root_empty)) {
			state = 2;
		} else if (state == 0) {
			state = 1;
		} else {
			const char *t = sc.v;
			size_t tn = n;
			int cut = 0;

			/* as sst_text and sst_end take expat's pieces */
			if (n > x->max_field) {
				hx_buf_reset(text);
				add_capped(text, x->max_field, &cut, sc.v, n);
				t = hx_buf_str(text);
				tn = text->len;
			}
			clean_text(t, tn, norm, &t, &tn);
			if (hx_strstore_add(x->sst, t, tn, cut, &e) < 0) {
				*why = "the string table refused a string";
				break;
			}
		}
	}
	hx_scan_free(&sc);
	free(buf);
	return rc;
}

/* ---- A worksheet -------------------------------------------------------------- */

/* "D14" -> column 3 (0-based), row 14.  0, or -1 for no reference. */
static int parse_ref(const char *r, long *col, long *row)
{
	long c = 0, n = 0;
	const char *p = r;

	while (*p >= 'A' && *p <= 'Z' && p - r < 4)
		c = c * 26 + (*p++ - 'A' + 1);
	if (p == r || c > HX_SHEET_MAX_COLS + 1)
		return -1;
	if (*p == '\0' && row == NULL) {
		*col = c - 1;
		return 0;
	}
	while (*p >= '0' && *p <= '9' && n <= HX_SHEET_MAX_ROWS)
		n = n * 10 + (*p++ - '0');
	if (*p != '\0' || n == 0)
		return -1;
	*col = c - 1;
	if (row != NULL)
		*row = n;
	return 0;
}

static void rb_reset(struct rowbuf *rb, long line)
{
	rb->used = 0;
	rb->n = 0;
	rb->too_many = 0;
	rb->too_long = 0;
	rb->has_value = 0;
	rb->line = line;
}

/*
 * strtoul(s, &end, 10) as a shared string's index takes it (all of s, no
 * overflow), with a plain run of up to 9 digits read without its cost.
 */
static int read_ulong(const char *s, unsigned long *out)
{
	unsigned long n = 0;
	const char *p = s;
	char *end;

	while (*p >= '0' && *p <= '9' && p - s < 9)
		n = n * 10 + (unsigned long)(*p++ - '0');
	if (*p == '\0' && p > s) {
		*out = n;
		return 0;
	}
	errno = 0;
	*out = strtoul(s, &end, 10);
	return errno != 0 || *end != '\0' ? -1 : 0;
}

/*
 * An attribute's value s[0..n) as a C string: s itself when it is one
 * (expat's are), else copied into buf (the scanner's are at most
 * HX_SCAN_ATTR_MAX bytes and followed by their quote).
 */
#define CSTR_SZ (HX_SCAN_ATTR_MAX + 1)
static const char *c_string(const char *s, size_t n, char buf[CSTR_SZ])
{
	if (s[n] == '\0')
		return s;
	if (n >= CSTR_SZ)
		n = CSTR_SZ - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

/*
 * strtol's reading of s[0..n) (base 10): *whole when it reads all of it.
 * A plain run of up to 9 digits — every row number and style in practice
 * — is read without strtol's cost.  LONG_MIN when it overflows.
 */
static long read_long(const char *s, size_t n, int *whole)
{
	char buf[CSTR_SZ];
	const char *c;
	char *end;
	long v = 0;
	size_t i = 0;

	while (i < n && i < 9 && s[i] >= '0' && s[i] <= '9')
		v = v * 10 + (s[i++] - '0');
	if (i == n && n > 0) {
		*whole = 1;
		return v;
	}
	c = c_string(s, n, buf);
	errno = 0;
	v = strtol(c, &end, 10);
	*whole = *end == '\0';
	return errno != 0 ? LONG_MIN : v;
}

static enum cell_kind cell_type(const char *t, size_t n)
{
	if (t == NULL)
		return CT_NUMBER;
	if (n == 1)
		return t[0] == 's'   ? CT_SHARED
		       : t[0] == 'b' ? CT_BOOL
		       : t[0] == 'e' ? CT_ERROR
		       : t[0] == 'd' ? CT_DATE
		                     : CT_NUMBER;
	if (n == 3 && memcmp(t, "str", 3) == 0)
		return CT_STR;
	if (n == 9 && memcmp(t, "inlineStr", 9) == 0)
		return CT_INLINE;
	return CT_NUMBER;
}

static int sheet_error(struct sheet *s, struct hx_error *e, long row, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Fill e to refuse the sheet, the message naming the sheet and row (and cell); -1. */
static int sheet_error(struct sheet *s, struct hx_error *e, long row, const char *fmt, ...)
{
	struct hx_xlsx *x = s->xc.x;
	char what[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return hx_error_set(e, HX_DATAERR, _("sheet \"%s\", row %ld: %s"),
	                    x->sheets[x->sheet_index].name, row, what);
}

/* Put the cell's value at column col of the row.  0, or -1 with e set. */
static int rb_put(struct sheet *s, long col, const char *v, size_t n, unsigned char type, int cut,
                  struct hx_error *e)
{
	struct rowbuf *rb = &s->rb;

	if (col >= HX_CSV_MAX_FIELDS) {
		if (n > 0)
			rb->too_many = 1;
		return 0;
	}
	while (rb->n < (size_t)col) {
		rb->ptr[rb->n] = "";
		rb->len[rb->n] = 0;
		rb->type[rb->n] = HX_CELL_TEXT;
		rb->n++;
	}
	if (rb->used + n + 1 > HX_XLSX_MAX_ROW_BYTES) {
		char c[HX_ROW_COLNAME_SZ];

		return sheet_error(s, e, s->row_num, _("the row holds more than 1 MiB of text (at column "
		                                       "%s): refused"),
		                   hx_row_column_letters((size_t)col, c));
	}
	rb->ptr[rb->n] = rb->data + rb->used;
	rb->len[rb->n] = n;
	rb->type[rb->n] = type;
	memcpy(rb->data + rb->used, v, n);
	rb->data[rb->used + n] = '\0';
	rb->used += n + 1;
	if (cut && rb->too_long == 0)
		rb->too_long = rb->n + 1;
	if (n > 0)
		rb->has_value = 1;
	rb->n++;
	return 0;
}

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm). */
static void civil(long z, long *y, unsigned *m, unsigned *d)
{
	long era, yy;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (long)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yy + (*m <= 2);
}

/*
 * An Excel date serial as ISO 8601 into out.  1900 system: day 1 is
 * 1900-01-01 and Excel counts a 29 February 1900 that never was (serial
 * 60), so serials from 61 are days since 1899-12-30; 1904 system: days
 * since 1904-01-01.  Returns the length, or 0 for a serial that is no date
 * (negative, serial 60, beyond 9999-12-31).
 */
static size_t serial_date(double v, int date1904, char *out, size_t cap)
{
	double days = floor(v);
	long secs = lround((v - days) * 86400.0);
	long z, y;
	unsigned m, d;

	if (!isfinite(v) || v < 0 || v > 2958466.0)
		return 0;
	if (secs >= 86400) {
		days += 1;
		secs -= 86400;
	}
	if (date1904)
		z = (long)days - 24107;            /* 1904-01-01 is day -24107 from 1970 */
	else if (days >= 61)
		z = (long)days - 25569;            /* 1899-12-30 + serial */
	else if (days >= 1 && days < 60)
		z = (long)days - 25568;            /* 1899-12-31 + serial */
	else if (days == 0 && secs > 0)
		z = -25569;                        /* a time alone: on Excel's day 0 */
	else
		return 0;
	civil(z, &y, &m, &d);
	if (y > 9999)
		return 0;
	if (secs == 0)
		return (size_t)snprintf(out, cap, "%04ld-%02u-%02u", y, m, d);
	return (size_t)snprintf(out, cap, "%04ld-%02u-%02uT%02ld:%02ld:%02ld", y, m, d, secs / 3600,
	                        secs / 60 % 60, secs % 60);
}

/* Is s plain machine decimal text ("-12.5", "7105"): no exponent, no spaces. */
static int plain_decimal(const char *s, size_t n)
{
	size_t i = 0, digits = 0, dots = 0;

	if (n > 0 && s[0] == '-')
		i++;
	for (; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (s[i] == '.' && dots++ == 0)
			continue;
		else
			return 0;
	}
	return digits > 0 && digits <= 17;
}

/*
 * The cell's value, v[0..n) (NUL-terminated at n; cut: cut at the field
 * cap) and its formula f[0..fn) (fcut: cut at FORMULA_KEEP), typed by the
 * cell's t and s, put in the row.  What expat and the row scanner read
 * both comes here.  0, or -1 with e set.
 */
static int end_cell(struct sheet *s, const char *v, size_t n, int cut, const char *f, size_t fn,
                    int fcut, struct hx_error *e)
{
	struct hx_xlsx *x = s->xc.x;
	char num[HX_ROW_NUMBER_SZ], buf[64];

	if (s->has_f && !s->has_v && s->ctype != CT_INLINE) {
		char fb[FORMULA_KEEP + 8];
		size_t k = (size_t)snprintf(fb, sizeof fb, "=%.*s%s", (int)fn, f, fcut ? "…" : "");

		return rb_put(s, s->col, fb, k < sizeof fb ? k : sizeof fb - 1, HX_CELL_ERROR, 0, e);
	}
	if (s->ctype == CT_SHARED) {
		unsigned long idx;
		const char *p;
		size_t len;
		int flag;
		struct hx_error se;

		if (n == 0)
			return rb_put(s, s->col, "", 0, HX_CELL_TEXT, 0, e);
		if (read_ulong(v, &idx) < 0 || x->sst == NULL ||
		    hx_strstore_get(x->sst, idx, &p, &len, &flag, &se) < 0) {
			char c[HX_ROW_COLNAME_SZ];

			return sheet_error(s, e, s->row_num, _("cell %s%ld refers to a shared string the "
			                                       "workbook does not have: the file is damaged"),
			                   hx_row_column_letters((size_t)s->col, c), s->row_num);
		}
		return rb_put(s, s->col, p, len, HX_CELL_TEXT, flag, e);
	}
	if (s->ctype == CT_INLINE || s->ctype == CT_STR) {
		const char *p;
		size_t len;

		clean_text(v, n, &s->norm, &p, &len);
		return rb_put(s, s->col, p, len, HX_CELL_TEXT, cut, e);
	}
	if (s->ctype == CT_BOOL) {
		int yes = n > 0 && v[0] == '1';

		if (n == 0)
			return rb_put(s, s->col, "", 0, HX_CELL_TEXT, 0, e);
		return rb_put(s, s->col, yes ? "TRUE" : "FALSE", yes ? 4 : 5, HX_CELL_BOOL, 0, e);
	}
	if (s->ctype == CT_ERROR)
		return rb_put(s, s->col, v, n, HX_CELL_ERROR, 0, e);
	if (s->ctype == CT_DATE)
		return rb_put(s, s->col, v, n, HX_CELL_DATE, 0, e);
	if (n == 0)
		return rb_put(s, s->col, "", 0, HX_CELL_TEXT, 0, e);
	{
		/* a number, shown by its style */
		unsigned char kind = s->style >= 0 && (size_t)s->style < x->nxf ? x->xf[s->style]
		                                                               : XF_NUMBER;
		char *end;
		double d;
		size_t k;

		if (kind == XF_NUMBER && plain_decimal(v, n))
			return rb_put(s, s->col, v, n, HX_CELL_NUMBER, 0, e);
		d = strtod(v, &end);
		if (*end != '\0' || !isfinite(d))
			return rb_put(s, s->col, v, n, HX_CELL_ERROR, 0, e);
		if (kind == XF_DATE) {
			k = serial_date(d, x->date1904, buf, sizeof buf);
			if (k == 0)
				return rb_put(s, s->col, v, n, HX_CELL_NUMBER, 0, e);
			return rb_put(s, s->col, buf, k, HX_CELL_DATE, 0, e);
		}
		if (kind == XF_PERCENT) {
			/* As Excel shows it: 15 significant digits of the value x 100. */
			snprintf(buf, sizeof buf, "%.15g", d * 100);
			k = hx_row_format_number(strtod(buf, NULL), num);
			return rb_put(s, s->col, num, k, HX_CELL_PERCENT, 0, e);
		}
		k = hx_row_format_number(d, num);
		return rb_put(s, s->col, num, k, HX_CELL_NUMBER, 0, e);
	}
}

/* A <row> starts, r[0..rn) its r attribute (or NULL).  0, or -1 with e set. */
static int row_begin(struct sheet *s, const char *r, size_t rn, struct hx_error *e)
{
	long n = s->row_num + 1;
	char buf[CSTR_SZ];

	if (r != NULL) {
		int whole;

		n = read_long(r, rn, &whole);
		if (!whole || n < 1)
			n = -1;
	}
	if (n < 1 || n > HX_SHEET_MAX_ROWS) {
		char num[24];

		snprintf(num, sizeof num, "%ld", n);
		return sheet_error(s, e, s->row_num + 1, _("a row number (\"%s\") past Excel's limit of "
		                                           "1048576 rows: refused"),
		                   r != NULL ? c_string(r, rn, buf) : num);
	}
	if (n <= s->row_num)
		return sheet_error(s, e, s->row_num + 1, _("rows out of order (row %ld after row %ld): "
		                                           "the file is damaged"), n, s->row_num);
	s->row_num = n;
	s->in_row = 1;
	s->last_col = -1;
	rb_reset(&s->rb, n);
	{
		char tmp[24];
		size_t k = 0;

		do
			tmp[k++] = (char)('0' + n % 10);
		while ((n /= 10) > 0);
		for (size_t i = 0; i < k; i++)
			s->row_txt[i] = tmp[k - 1 - i];
		s->row_txt[k] = '\0';
	}
	return 0;
}

/*
 * A cell's reference r[0..n) as a column and row: "D14" -> 3, 14.  The row
 * is nearly always the row's own number as written: that is checked as
 * text before parse_ref reads the whole.  0, or -1 for no reference.
 */
static int cell_ref(const struct sheet *s, const char *r, size_t n, long *col, long *row)
{
	char buf[CSTR_SZ];
	size_t i = 0;
	long c = 0;

	while (i < n && i < 4 && r[i] >= 'A' && r[i] <= 'Z')
		c = c * 26 + (r[i++] - 'A' + 1);
	if (i > 0 && i < n && c <= HX_SHEET_MAX_COLS + 1) {
		size_t k = 0;

		while (i + k < n && r[i + k] == s->row_txt[k])
			k++;
		if (i + k == n && s->row_txt[k] == '\0') {
			*col = c - 1;
			*row = s->row_num;
			return 0;
		}
	}
	return parse_ref(c_string(r, n, buf), col, row);
}

/*
 * A <c> starts with attributes r, t and st (each NULL when absent, with
 * their lengths).  0, or -1 with e set.
 */
static int cell_begin(struct sheet *s, const char *r, size_t rn, const char *t, size_t tn,
                      const char *st, size_t sn, struct hx_error *e)
{
	long col = s->last_col + 1, row = s->row_num;
	char buf[CSTR_SZ];

	if (r != NULL && cell_ref(s, r, rn, &col, &row) < 0)
		return sheet_error(s, e, s->row_num, _("cell reference \"%s\" is not a cell of Excel's "
		                                       "grid (A1 to XFD1048576): refused"),
		                   c_string(r, rn, buf));
	if (col >= HX_SHEET_MAX_COLS)
		return sheet_error(s, e, s->row_num, _("cell \"%s\" is past Excel's last column XFD: "
		                                       "refused"), r != NULL ? c_string(r, rn, buf) : "?");
	if (row != s->row_num || col <= s->last_col)
		return sheet_error(s, e, s->row_num, _("cell %s is out of place: the file is damaged"),
		                   r != NULL ? c_string(r, rn, buf) : "?");
	s->in_c = 1;
	s->col = col;
	s->last_col = col;
	s->ctype = cell_type(t, tn);
	if (st != NULL) {
		int whole;

		s->style = read_long(st, sn, &whole);
	} else {
		s->style = -1;
	}
	s->has_f = s->has_v = 0;
	s->v_cut = s->f_cut = 0;
	s->formula_len = 0;
	return 0;
}

/* </row>: the row is handed out if it holds a value (and was not handed out before a restart). */
static void row_end(struct sheet *s)
{
	s->in_row = 0;
	if ((s->rb.has_value || s->rb.too_many) && s->row_num > s->skip_through)
		s->row_ready = 1;
}

/* ---- The sheet read by expat ---------------------------------------------------- */

static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct sheet *s = ud;
	const char *ln = local_name(name);
	struct hx_error e;

	if (enter(&s->xc) < 0)
		return;
	if (ln[0] == 'v' && ln[1] == '\0') {
		if (s->in_c) {
			s->in_v = 1;
			s->has_v = 1;
		}
	} else if (strcmp(ln, "sheetData") == 0) {
		s->in_data = 1;
		if (s->mode == MODE_SEEK)
			s->data_at = (unsigned long long)XML_GetCurrentByteIndex(s->xc.p) +
			             (unsigned long long)XML_GetCurrentByteCount(s->xc.p);
	} else if (!s->in_data) {
		return;
	} else if (strcmp(ln, "row") == 0) {
		const char *r = attr(atts, "r");

		if (row_begin(s, r, r != NULL ? strlen(r) : 0, &e) < 0)
			xml_refuse(&s->xc, &e);
	} else if (strcmp(ln, "c") == 0 && s->in_row) {
		const char *r = NULL, *t = NULL, *st = NULL;

		/* one pass over the attributes: this runs for every cell */
		for (size_t i = 0; atts[i] != NULL; i += 2) {
			const char *an = local_name(atts[i]);

			if (an[0] != '\0' && an[1] == '\0') {
				if (an[0] == 'r')
					r = atts[i + 1];
				else if (an[0] == 't')
					t = atts[i + 1];
				else if (an[0] == 's')
					st = atts[i + 1];
			}
		}
		if (cell_begin(s, r, r != NULL ? strlen(r) : 0, t, t != NULL ? strlen(t) : 0, st,
		               st != NULL ? strlen(st) : 0, &e) < 0)
			xml_refuse(&s->xc, &e);
		hx_buf_reset(&s->v);
	} else if (!s->in_c) {
		return;
	} else if (strcmp(ln, "f") == 0) {
		s->in_f = 1;
		s->has_f = 1;
	} else if (strcmp(ln, "is") == 0) {
		s->in_is = 1;
		s->has_v = 1;
	} else if (strcmp(ln, "rPh") == 0) {
		s->in_rph = 1;
	} else if (strcmp(ln, "t") == 0 && s->in_is) {
		s->in_t = 1;
	}
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
	struct sheet *s = ud;
	const char *ln = local_name(name);
	struct hx_error e;

	s->xc.depth--;
	if (!s->in_data)
		return;
	if (ln[0] == 'v' && ln[1] == '\0') {
		s->in_v = 0;
	} else if (ln[0] == 'c' && ln[1] == '\0') {
		if (s->in_c) {
			s->in_c = 0;
			if (end_cell(s, hx_buf_str(&s->v), s->v.len, s->v_cut, s->formula, s->formula_len,
			             s->f_cut, &e) < 0)
				xml_refuse(&s->xc, &e);
		}
	} else if (strcmp(ln, "f") == 0) {
		s->in_f = 0;
	} else if (strcmp(ln, "t") == 0) {
		s->in_t = 0;
	} else if (strcmp(ln, "rPh") == 0) {
		s->in_rph = 0;
	} else if (strcmp(ln, "is") == 0) {
		s->in_is = 0;
	} else if (strcmp(ln, "row") == 0 && s->in_row) {
		row_end(s);
		if (s->row_ready)
			XML_StopParser(s->xc.p, XML_TRUE);
	} else if (strcmp(ln, "sheetData") == 0) {
		s->in_data = 0;
	}
}

static void XMLCALL sheet_text(void *ud, const XML_Char *t, int len)
{
	struct sheet *s = ud;

	if (!s->in_c)
		return;
	if (s->in_v || (s->in_t && !s->in_rph)) {
		add_capped(&s->v, s->xc.x->max_field, &s->v_cut, t, (size_t)len);
	} else if (s->in_f && !s->f_cut) {
		size_t k = cap_len(t, (size_t)len, FORMULA_KEEP - s->formula_len, &s->f_cut);

		memcpy(s->formula + s->formula_len, t, k);
		s->formula_len += k;
	}
}

/*
 * The scanner reads UTF-8 and XML 1.0 only: a sheet declaring another
 * encoding (which expat would convert) or version is left to expat.
 */
static void XMLCALL sheet_decl(void *ud, const XML_Char *version, const XML_Char *encoding,
                               int standalone)
{
	struct sheet *s = ud;

	(void)standalone;
	if ((encoding != NULL && strcasecmp(encoding, "UTF-8") != 0) ||
	    (version != NULL && strcmp(version, "1.0") != 0))
		s->not_utf8 = 1;
}

/* ---- The rows read by the scanner ------------------------------------------------ */

static int scan_row(void *ctx, const char *r, size_t n)
{
	struct hx_error e;

	return row_begin(ctx, r, n, &e);
}

static int scan_cell(void *ctx, const struct hx_scan_cell *c)
{
	struct sheet *s = ctx;
	struct hx_error e;
	int cut = 0, fcut = 0;
	size_t n, fn;

	if (cell_begin(s, c->r, c->r_len, c->t, c->t_len, c->s, c->s_len, &e) < 0)
		return -1;
	s->has_f = c->has_f;
	s->has_v = c->has_v;
	n = cap_len(c->v, c->v_len, s->xc.x->max_field, &cut);
	fn = cap_len(c->f, c->f_len, FORMULA_KEEP, &fcut);
	if (cut)
		s->scan.v[n] = '\0'; /* c->v is the scanner's text; end_cell reads it as a C string */
	s->in_c = 0;
	return end_cell(s, c->v, n, cut, c->f, fn, fcut, &e);
}

static int scan_row_end(void *ctx)
{
	row_end(ctx);
	return 0;
}

/* ---- Reading a sheet ------------------------------------------------------------ */

/* Open the sheet's part and an expat parser over it, from its first byte. */
static int sheet_open(struct hx_xlsx *x, struct sheet *s, struct hx_error *err)
{
	if (part_open(x, x->sheets[x->sheet_index].target, &s->part, 0, 1, err) < 0)
		return -1;
	if (xml_init(&s->xc, x, s->part.name, sheet_start, sheet_end, sheet_text, err) < 0)
		return -1;
	XML_SetXmlDeclHandler(s->xc.p, sheet_decl);
	s->not_utf8 = 0;
	s->pos = s->len = 0;
	s->buf[0] = '\0';
	s->eof = 0;
	s->fed = s->data_at = 0;
	s->final_fed = s->suspended = s->finished = 0;
	s->in_data = s->in_row = s->in_c = s->in_v = s->in_f = s->in_is = s->in_t = s->in_rph = 0;
	s->row_num = 0;
	s->last_col = -1;
	s->row_ready = 0;
	return 0;
}

static void sheet_free(struct hx_xlsx *x, struct sheet *s)
{
	if (s == NULL)
		return;
	xml_free(&s->xc);
	part_close(x, &s->part);
	hx_buf_free(&s->v);
	hx_buf_free(&s->norm);
	free(s->rb.data);
	hx_scan_free(&s->scan);
	free(s->buf);
	free(s);
}

static struct sheet *sheet_new(struct hx_xlsx *x, size_t index, struct hx_error *err)
{
	struct sheet *s = hx_calloc(1, sizeof *s);

	x->sheet_index = index;
	hx_buf_init(&s->v, x->max_field + 8);
	hx_buf_init(&s->norm, x->max_field * 4 + 16);
	/* untouched pages of it cost no memory: a row uses what it holds */
	s->rb.data = hx_malloc(HX_XLSX_MAX_ROW_BYTES);
	s->buf = hx_malloc(SCAN_BUF + 1);
	s->mode = x->expat_only ? MODE_XML : MODE_SEEK;
	if (!x->expat_only)
		hx_scan_init(&s->scan, SCAN_BUF);
	if (sheet_open(x, s, err) < 0) {
		sheet_free(x, s);
		return NULL;
	}
	return s;
}

/*
 * Read the sheet again from its start with expat alone, the rows handed
 * out so far skipped (their bytes are inflated again, not counted twice).
 */
static int sheet_restart(struct hx_xlsx *x, struct sheet *s, struct hx_error *err)
{
	x->inflated -= s->part.inflated;
	xml_free(&s->xc);
	part_close(x, &s->part);
	s->restarted = 1;
	s->mode = MODE_XML;
	s->skip_through = s->emitted;
	return sheet_open(x, s, err);
}

/* Inflate more of the part after [pos, len), moved to the buffer's start.  0, or -1 err. */
static int sheet_fill(struct hx_xlsx *x, struct sheet *s, struct hx_error *err)
{
	long n;
	size_t room;

	if (s->pos > 0) {
		memmove(s->buf, s->buf + s->pos, s->len - s->pos);
		s->len -= s->pos;
		s->pos = 0;
	}
	room = SCAN_BUF - s->len < CHUNK ? SCAN_BUF - s->len : CHUNK;
	n = part_read(x, &s->part, s->buf + s->len, room, err);
	if (n < 0)
		return -1;
	s->len += (size_t)n;
	s->buf[s->len] = '\0'; /* the scanner's sentinel */
	s->eof = n == 0;
	return 0;
}

/*
 * While seeking <sheetData>: how much of [pos, len) to give expat, so that
 * the piece ends with the start tag's '>' when it is there.  A mention of
 * "sheetData" elsewhere (a comment, an attribute) only cuts a piece
 * short; expat says whether the tag ended the piece.  0: more is needed.
 */
static size_t seek_cut(const struct sheet *s)
{
	const char *p = s->buf + s->pos, *end = s->buf + s->len;
	const char *h = memmem(p, (size_t)(end - p), "sheetData", 9);
	size_t cut;

	if (h != NULL) {
		const char *g = memchr(h + 9, '>', (size_t)(end - h - 9));

		cut = g != NULL ? (size_t)(g + 1 - p) : (size_t)(h - p);
	} else {
		cut = end - p > 8 ? (size_t)(end - p) - 8 : 0;
	}
	return cut == 0 && s->eof ? (size_t)(end - p) : cut;
}

/*
 * expat reads on.  1 a row (s->rb), 0 the end, 2 the scanner takes over,
 * -1 err (reading the part), -2 err (the XML or a cell refused).
 */
static int xml_rows(struct hx_xlsx *x, struct sheet *s, struct hx_error *err)
{
	while (!s->finished) {
		enum XML_Status st;

		if (s->suspended) {
			s->suspended = 0;
			cur_mem = &s->xc.mem;
			st = XML_ResumeParser(s->xc.p);
			cur_mem = NULL;
		} else {
			size_t n;
			int final;

			if (s->pos == s->len && !s->eof) {
				if (sheet_fill(x, s, err) < 0)
					return -1;
				continue;
			}
			/* UTF-16 (a byte order mark, or a NUL in "<?"): expat's alone */
			if (s->mode == MODE_SEEK && s->fed == 0 && s->pos == 0 && s->len >= 2 &&
			    (s->buf[0] == '\0' || s->buf[1] == '\0' ||
			     ((unsigned char)s->buf[0] == 0xFE && (unsigned char)s->buf[1] == 0xFF) ||
			     ((unsigned char)s->buf[0] == 0xFF && (unsigned char)s->buf[1] == 0xFE)))
				s->mode = MODE_XML;
			n = s->mode == MODE_SEEK ? seek_cut(s) : s->len - s->pos;
			if (n == 0 && !s->eof) {
				/* no room left to look further: expat reads the rest */
				if (s->pos == 0 && s->len == SCAN_BUF)
					s->mode = MODE_XML;
				else if (sheet_fill(x, s, err) < 0)
					return -1;
				continue;
			}
			final = s->eof && s->pos + n == s->len;
			cur_mem = &s->xc.mem;
			st = XML_Parse(s->xc.p, s->buf + s->pos, (int)n, final);
			cur_mem = NULL;
			s->pos += n;
			s->fed += n;
			s->final_fed = final;
		}
		if (st == XML_STATUS_ERROR || s->xc.failed) {
			xml_error(&s->xc, err);
			return -2;
		}
		if (st == XML_STATUS_SUSPENDED)
			s->suspended = 1;
		else if (s->final_fed)
			s->finished = 1;
		if (s->mode == MODE_SEEK && s->in_data) {
			/* The scanner starts right after <sheetData>'s start tag, if the piece ended there. */
			s->mode = MODE_XML;
			if (!s->suspended && !s->finished && !s->not_utf8 && s->data_at == s->fed &&
			    s->xc.depth + 4 <= HX_XLSX_MAX_DEPTH) {
				s->mode = MODE_SCAN;
				s->scanned = 1;
				return 2;
			}
		}
		if (s->row_ready)
			return 1;
	}
	return 0;
}

/*
 * The scanner reads on.  1 a row (s->rb), 2 expat reads on from
 * </sheetData>, -1 err (reading the part), -2 the scanner gave up.
 */
static int scan_rows(struct hx_xlsx *x, struct sheet *s, struct hx_error *err)
{
	const struct hx_scan_ops ops = {scan_row, scan_cell, scan_row_end, s};

	for (;;) {
		long row_num = s->row_num;
		size_t used = 0;

		switch (hx_scan_row(&s->scan, s->buf + s->pos, s->len - s->pos, &ops, &used)) {
		case HX_SCAN_ROW:
			s->pos += used;
			s->scan_rows++;
			if (s->row_ready)
				return 1;
			break;
		case HX_SCAN_END:
			s->pos += used;
			s->mode = MODE_XML;
			return 2;
		case HX_SCAN_MORE:
			s->row_num = row_num;
			s->in_row = s->in_c = 0;
			if (s->eof) {
				s->gave_up = "the part ends inside <sheetData>";
				return -2;
			}
			if (s->pos == 0 && s->len == SCAN_BUF) {
				s->gave_up = "a row longer than the scanner's buffer";
				return -2;
			}
			if (sheet_fill(x, s, err) < 0)
				return -1;
			break;
		case HX_SCAN_GIVE_UP:
			s->row_num = row_num;
			s->in_row = s->in_c = 0;
			s->gave_up = hx_scan_why(&s->scan);
			return -2;
		}
	}
}

/* The next row of the sheet: 1 (s->rb), 0 the end, -1 err. */
static int sheet_pull(struct hx_xlsx *x, struct sheet *s, struct hx_error *err)
{
	s->row_ready = 0;
	for (;;) {
		int rc = s->mode == MODE_SCAN ? scan_rows(x, s, err) : xml_rows(x, s, err);

		if (rc == 1) {
			s->emitted = s->rb.line;
			return 1;
		}
		if (rc == 0 || rc == -1)
			return rc;
		if (rc == -2) {
			/* Refused, or not understood, after the scanner read some rows:
			 * expat alone says what it makes of the sheet. */
			if (!s->scanned || s->restarted)
				return -1;
			if (sheet_restart(x, s, err) < 0)
				return -1;
		}
	}
}

/* The row in s->rb as an hx_row. */
static void rb_row(struct hx_xlsx *x, struct rowbuf *rb, struct hx_row *row)
{
	memset(row, 0, sizeof *row);
	row->nfields = rb->n;
	row->fields = rb->ptr;
	row->lens = rb->len;
	row->types = rb->type;
	row->line = row->last_line = rb->line;
	row->sheet = x->sheets[x->sheet_index].name;
	row->too_long_field = rb->too_long;
	row->too_many_fields = rb->too_many;
}

/* ---- Merged cells: a scan of the sheet's bytes -------------------------------- */

/*
 * <mergeCells> comes after <sheetData>, so the sheet is read once through
 * for it (inflated and searched for "mergeCell", not parsed: a fraction of
 * a parse's cost).  Ranges starting after row max_row are not kept.
 */
static int scan_merges(struct hx_xlsx *x, const char *target, long max_row, struct hx_error *err)
{
	static const char key[] = "mergeCell ";
	struct part p;
	char *buf = hx_malloc(CHUNK + 512);
	size_t keep = 0;
	int rc = part_open(x, target, &p, 0, 0, err);

	if (rc < 0) {
		free(buf);
		return -1;
	}
	for (;;) {
		long n = part_read(x, &p, buf + keep, CHUNK, err);
		size_t len, pos = 0;

		if (n < 0) {
			rc = -1;
			break;
		}
		len = keep + (size_t)n;
		for (;;) {
			char *hit = memmem(buf + pos, len - pos, key, sizeof key - 1);
			char *ref, *end;
			long c1, c2, r1, r2;
			char a[24], b[24];

			if (hit == NULL)
				break;
			/* the whole tag must be in the buffer; otherwise carry it over */
			end = memchr(hit, '>', len - (size_t)(hit - buf));
			if (end == NULL && n > 0) {
				pos = (size_t)(hit - buf);
				break;
			}
			pos = (size_t)(hit - buf) + sizeof key - 1;
			if (end == NULL || (hit > buf && hit[-1] != '<' && hit[-1] != ':'))
				continue;
			ref = memmem(hit, (size_t)(end - hit), "ref=\"", 5);
			if (ref == NULL || sscanf(ref + 5, "%23[A-Z0-9]:%23[A-Z0-9]", a, b) != 2)
				continue;
			if (parse_ref(a, &c1, &r1) < 0 || parse_ref(b, &c2, &r2) < 0 || r2 < r1 ||
			    c2 < c1 || r1 > max_row || x->nmerges >= MAX_MERGES)
				continue;
			x->merges = hx_realloc(x->merges, (x->nmerges + 1) * sizeof *x->merges);
			x->merges[x->nmerges++] = (struct hx_sheet_merge){r1, r2, c1, c2};
		}
		if (n == 0)
			break;
		/* carry the tail (a tag cut by the chunk's end) to the next read */
		if (pos < len && len - pos <= 512)
			keep = len - pos;
		else
			keep = len >= sizeof key - 1 ? sizeof key - 2 : len;
		memmove(buf, buf + len - keep, keep);
	}
	part_close(x, &p);
	free(buf);
	return rc;
}

/* ---- Choosing the sheet ------------------------------------------------------- */

/*
 * Read the first rows of sheet i and look for its header.  1 found (x->sh,
 * x->win, x->hdr set), 0 no header, -1 err.
 */
static int try_sheet(struct hx_xlsx *x, size_t i, struct hx_error *err)
{
	struct sheet *s = sheet_new(x, i, err);
	struct hx_row row;
	int rc;

	if (s == NULL)
		return -1;
	hx_sheet_window_free(&x->win);
	while ((rc = sheet_pull(x, s, err)) == 1) {
		rb_row(x, &s->rb, &row);
		if (hx_sheet_window_add(&x->win, &row) < 0)
			break;
	}
	if (rc < 0) {
		sheet_free(x, s);
		return -1;
	}
	free(x->merges);
	x->merges = NULL;
	x->nmerges = 0;
	/*
	 * Merged cells matter only if a two-row header would be joined: when
	 * the merges the rows' shape suggests make no joined row a header, the
	 * sheet is not read a second time for its <mergeCells>.
	 */
	{
		struct hx_sheet_merge guess[256];
		size_t ng = 0;
		int joined;

		for (size_t k = 0; k + 1 < x->win.n && ng < 256; k++)
			ng += hx_sheet_guess_merges(&x->win, k, guess + ng, 256 - ng);
		joined = hx_sheet_find_header(&x->win, guess, ng, &x->o, &x->hdr) == 0 &&
		         x->hdr.joined;
		hx_sheet_header_free(&x->hdr);
		if (joined && scan_merges(x, x->sheets[i].target,
		                          x->win.rows[x->win.n - 1].row.line + 1, err) < 0) {
			sheet_free(x, s);
			return -1;
		}
	}
	if (hx_sheet_find_header(&x->win, x->merges, x->nmerges, &x->o, &x->hdr) < 0) {
		sheet_free(x, s);
		return 0;
	}
	/* The row that did not fit the window (if any) is still in s->rb: hand
	 * it out after the window's rows. */
	x->sh = s;
	x->win_next = SIZE_MAX;
	return 1;
}

static int choose_sheet(struct hx_xlsx *x, struct hx_error *err)
{
	struct hx_buf tried;
	int rc, any = 0;

	if (x->o.sheet != NULL) {
		for (size_t i = 0; i < x->nsheets; i++) {
			if (strcmp(x->sheets[i].name, x->o.sheet) != 0)
				continue;
			if (!x->sheets[i].worksheet || x->sheets[i].target == NULL)
				return hx_error_set(err, HX_DATAERR, _("sheet \"%s\" is not a worksheet (a "
				                                       "chart or macro sheet)"), x->o.sheet);
			rc = try_sheet(x, i, err);
			if (rc == 0)
				return hx_error_set(err, HX_DATAERR, _("sheet \"%s\" has no header in its "
				                                       "first %d rows"), x->o.sheet,
				                    HX_SHEET_HEADER_ROWS);
			return rc < 0 ? -1 : 0;
		}
		hx_buf_init(&tried, 1000);
		for (size_t i = 0; i < x->nsheets; i++)
			hx_buf_printf(&tried, "%s\"%s\"", i > 0 ? ", " : "", x->sheets[i].name);
		hx_error_set(err, HX_DATAERR, _("the workbook has no sheet \"%s\" (its sheets: %s)"),
		             x->o.sheet, hx_buf_str(&tried));
		hx_buf_free(&tried);
		return -1;
	}
	hx_buf_init(&tried, 1000);
	for (size_t i = 0; i < x->nsheets; i++) {
		const struct sheet_info *si = &x->sheets[i];
		const char *why;

		if (!si->worksheet || si->target == NULL)
			continue;
		any = 1;
		if (si->hidden) {
			why = _("hidden, skipped");
		} else {
			rc = try_sheet(x, i, err);
			if (rc != 0) {
				hx_buf_free(&tried);
				return rc < 0 ? -1 : 0;
			}
			why = _("no header");
		}
		hx_buf_printf(&tried, "%s\"%s\" (%s)", tried.len > 0 ? ", " : "", si->name, why);
	}
	if (!any) {
		hx_buf_free(&tried);
		if (zip_name_locate(x->za, "xl/vbaProject.bin", ZIP_FL_NOCASE) >= 0 || x->nsheets > 0)
			return hx_error_set(err, HX_DATAERR, _("the workbook has no worksheet, only macros "
			                                       "or charts: save the data in a worksheet"));
		return hx_error_set(err, HX_DATAERR, _("the workbook has no worksheet"));
	}
	hx_error_set(err, HX_DATAERR, _("no visible sheet has a header in its first %d rows (%s); "
	                                "name the sheet to read with --sheet"),
	             HX_SHEET_HEADER_ROWS, hx_buf_str(&tried));
	hx_buf_free(&tried);
	return -1;
}

/* ---- Opening ------------------------------------------------------------------ */

/* What a file that libzip cannot open is: an encrypted workbook, an .xls, or neither. */
static int not_zip(const unsigned char *head, size_t len, struct hx_error *err)
{
	static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
	/* "EncryptionInfo" in UTF-16LE, as a CFB directory entry names the stream */
	static const char enc[] = "E\0n\0c\0r\0y\0p\0t\0i\0o\0n\0I\0n\0f\0o\0";

	if (len >= 8 && memcmp(head, ole, 8) == 0) {
		if (memmem(head, len, enc, sizeof enc - 1) != NULL)
			return hx_error_set(err, HX_DATAERR, _("the workbook is encrypted (protected by a "
			                                       "password): remove the password in Excel "
			                                       "and send it again"));
		return hx_error_set(err, HX_DATAERR, _("this is an Excel 97-2003 workbook (.xls), not "
		                                       ".xlsx: name it .xls, or save it as .xlsx"));
	}
	if (len >= 4 && memcmp(head, "PK\3\4", 4) == 0)
		return hx_error_set(err, HX_DATAERR, _("the workbook is damaged: its ZIP container "
		                                       "cannot be read (cut short, or not saved whole)"));
	return hx_error_set(err, HX_DATAERR, _("is not an .xlsx workbook (not a ZIP file)"));
}

static struct hx_xlsx *open_common(struct hx_xlsx *x, const struct hx_sheet_options *o,
                                   struct hx_error *err)
{
	zip_int64_t n = zip_get_num_entries(x->za, 0);
	char *dir = NULL, *rels = NULL, *slash;
	struct xmlctx c;
	struct part p;
	int rc;

	if (o != NULL)
		x->o = *o;
	x->max_field = x->o.max_field > 0 ? x->o.max_field : HX_CSV_MAX_FIELD_DEFAULT;
	if (n > HX_XLSX_MAX_ENTRIES) {
		hx_error_set(err, HX_DATAERR, _("the workbook holds %lld parts, more than %d: refused"),
		             (long long)n, HX_XLSX_MAX_ENTRIES);
		goto fail;
	}
	if (read_rels(x, "_rels/.rels", 0, "", err) < 0)
		goto fail;
	if (x->wb_path == NULL)
		x->wb_path = hx_strdup("xl/workbook.xml");
	/* workbook.xml: its sheets */
	if (part_open(x, x->wb_path, &p, 0, 0, err) < 0)
		goto fail;
	if (xml_init(&c, x, p.name, wb_start, any_end, NULL, err) < 0) {
		part_close(x, &p);
		goto fail;
	}
	rc = xml_parse_part(x, &p, &c, err);
	xml_free(&c);
	part_close(x, &p);
	if (rc < 0)
		goto fail;
	/* its relationships: the sheets' parts, shared strings, styles */
	dir = hx_strdup(x->wb_path);
	slash = strrchr(dir, '/');
	if (slash != NULL)
		slash[1] = '\0';
	else
		dir[0] = '\0';
	rels = hx_asprintf("%s_rels/%s.rels", dir, slash != NULL ? x->wb_path + (slash - dir) + 1
	                                                         : x->wb_path);
	if (read_rels(x, rels, 1, dir, err) < 0)
		goto fail;
	if (x->styles_path != NULL) {
		struct styles st;

		if (part_open(x, x->styles_path, &p, 1, 0, err) < 0)
			goto fail;
		if (p.zf != NULL) {
			memset(&st, 0, sizeof st);
			if (xml_init(&st.xc, x, p.name, styles_start, styles_end, NULL, err) < 0) {
				part_close(x, &p);
				goto fail;
			}
			rc = xml_parse_part(x, &p, &st.xc, err);
			xml_free(&st.xc);
			part_close(x, &p);
			if (rc < 0)
				goto fail;
		}
	}
	x->sst = hx_strstore_new(0);
	if (x->sst_path != NULL) {
		struct sst ss;

		if (part_open(x, x->sst_path, &p, 1, 1, err) < 0)
			goto fail;
		if (p.zf != NULL) {
			memset(&ss, 0, sizeof ss);
			hx_buf_init(&ss.text, x->max_field + 8);
			hx_buf_init(&ss.norm, x->max_field * 4 + 16);
			rc = x->expat_only ? -1 : sst_scan(x, &p, &ss.text, &ss.norm, &x->sst_gave_up);
			x->sst_scanned = rc == 0;
			if (rc < 0 && !x->expat_only) {
				/* expat alone, from the part's first byte, into a new table */
				x->inflated -= p.inflated;
				part_close(x, &p);
				hx_strstore_free(x->sst);
				x->sst = hx_strstore_new(0);
				if (part_open(x, x->sst_path, &p, 1, 1, err) < 0) {
					hx_buf_free(&ss.text);
					hx_buf_free(&ss.norm);
					goto fail;
				}
			}
			if (rc < 0) {
				rc = xml_init(&ss.xc, x, p.name, sst_start, sst_end, sst_text, err);
				if (rc == 0)
					rc = xml_parse_part(x, &p, &ss.xc, err);
			}
			xml_free(&ss.xc);
			hx_buf_free(&ss.text);
			hx_buf_free(&ss.norm);
			part_close(x, &p);
			if (rc < 0)
				goto fail;
		}
	}
	if (choose_sheet(x, err) < 0)
		goto fail;
	free(dir);
	free(rels);
	return x;
fail:
	free(dir);
	free(rels);
	hx_xlsx_close(x);
	return NULL;
}

static struct hx_xlsx *open_memory(struct hx_xlsx *x, const void *data, size_t len,
                                   struct hx_error *err)
{
	zip_error_t ze;
	zip_source_t *src;

	zip_error_init(&ze);
	src = zip_source_buffer_create(data, len, 0, &ze);
	if (src == NULL) {
		zip_error_fini(&ze);
		free(x);
		hx_error_set(err, HX_SOFTWARE, _("cannot read the workbook from memory"));
		return NULL;
	}
	x->za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	zip_error_fini(&ze);
	if (x->za == NULL) {
		zip_source_free(src);
		free(x);
		not_zip(data, len > 65536 ? 65536 : len, err);
		return NULL;
	}
	return x;
}

static struct hx_xlsx *open_file(struct hx_xlsx *x, const char *path, struct hx_error *err)
{
	int zerr = 0;

	x->za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
	if (x->za == NULL) {
		unsigned char head[65536];
		ssize_t got;
		int fd = open(path, O_RDONLY | O_CLOEXEC);

		free(x);
		if (fd < 0)
			return hx_error_set(err, HX_NOINPUT, _("cannot open: %s"), strerror(errno)), NULL;
		got = read(fd, head, sizeof head);
		close(fd);
		if (got < 0)
			return hx_error_set(err, HX_NOINPUT, _("cannot read: %s"), strerror(errno)), NULL;
		not_zip(head, (size_t)got, err);
		return NULL;
	}
	return x;
}

struct hx_xlsx *hx_xlsx_open_flags(const char *path, const void *data, size_t len,
                                   const struct hx_sheet_options *o, unsigned flags,
                                   struct hx_error *err)
{
	struct hx_xlsx *x = hx_calloc(1, sizeof *x);

	x->zlock = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
	x->expat_only = (flags & HX_XLSX_EXPAT_ONLY) != 0;
	x = path == NULL ? open_memory(x, data, len, err) : open_file(x, path, err);
	return x != NULL ? open_common(x, o, err) : NULL;
}

struct hx_xlsx *hx_xlsx_open_memory(const void *data, size_t len,
                                    const struct hx_sheet_options *o, struct hx_error *err)
{
	return hx_xlsx_open_flags(NULL, data, len, o, 0, err);
}

struct hx_xlsx *hx_xlsx_open(const char *path, const struct hx_sheet_options *o,
                             struct hx_error *err)
{
	return hx_xlsx_open_flags(path, NULL, 0, o, 0, err);
}

void hx_xlsx_close(struct hx_xlsx *x)
{
	if (x == NULL)
		return;
	sheet_free(x, x->sh);
	hx_sheet_header_free(&x->hdr);
	hx_sheet_window_free(&x->win);
	if (x->za != NULL)
		zip_discard(x->za);
	for (size_t i = 0; i < x->nsheets; i++) {
		free(x->sheets[i].name);
		free(x->sheets[i].rid);
		free(x->sheets[i].target);
	}
	free(x->sheets);
	free(x->wb_path);
	free(x->sst_path);
	free(x->styles_path);
	free(x->xf);
	free(x->numfmt);
	free(x->merges);
	hx_strstore_free(x->sst);
	free(x);
}

int hx_xlsx_next(struct hx_xlsx *x, struct hx_row *row, struct hx_error *err)
{
	int rc;

	if (x->win_next == SIZE_MAX) {
		*row = x->hdr.joined ? x->hdr.joined_row.row : x->win.rows[x->hdr.index].row;
		x->win_next = x->hdr.data_from;
		return 1;
	}
	while (x->win_next < x->win.n) {
		const struct hx_row *r = &x->win.rows[x->win_next++].row;

		if (!hx_row_blank(r)) {
			*row = *r;
			return 1;
		}
	}
	if (x->win_next == x->win.n) {
		/* The row that ended the window (it did not fit), if the sheet went on. */
		x->win_next++;
		if (x->sh->row_ready) {
			rb_row(x, &x->sh->rb, row);
			return 1;
		}
	}
	rc = sheet_pull(x, x->sh, err);
	if (rc == 1)
		rb_row(x, &x->sh->rb, row);
	return rc;
}

const char *hx_xlsx_sheet_name(const struct hx_xlsx *x)
{
	return x->sheets[x->sheet_index].name;
}

long hx_xlsx_header_line(const struct hx_xlsx *x)
{
	return x->win.rows[x->hdr.index].row.line;
}

int hx_xlsx_header_joined(const struct hx_xlsx *x)
{
	return x->hdr.joined;
}

int hx_xlsx_date1904(const struct hx_xlsx *x)
{
	return x->date1904;
}

unsigned long long hx_xlsx_bytes(const struct hx_xlsx *x)
{
	return x->inflated;
}

size_t hx_xlsx_shared_strings(const struct hx_xlsx *x, size_t *in_memory)
{
	if (in_memory != NULL)
		*in_memory = x->sst != NULL ? hx_strstore_in_memory(x->sst) : 0;
	return x->sst != NULL ? hx_strstore_count(x->sst) : 0;
}

int hx_xlsx_sst_scanned(const struct hx_xlsx *x, const char **gave_up)
{
	*gave_up = x->sst_gave_up;
	return x->sst_scanned;
}

size_t hx_xlsx_scanned_rows(const struct hx_xlsx *x, const char **gave_up)
{
	if (gave_up != NULL)
		*gave_up = x->sh != NULL ? x->sh->gave_up : NULL;
	return x->sh != NULL ? x->sh->scan_rows : 0;
}

static int src_next(void *self, struct hx_row *row, struct hx_error *err)
{
	return hx_xlsx_next(self, row, err);
}

static unsigned long long src_progress(void *self)
{
	return hx_xlsx_bytes(self);
}

static void src_close(void *self)
{
	hx_xlsx_close(self);
}

void hx_row_source_xlsx(struct hx_row_source *src, struct hx_xlsx *x)
{
	src->self = x;
	src->next = src_next;
	src->progress = src_progress;
	src->close = src_close;
}
