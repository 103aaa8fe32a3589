/*
 * sheetscan.c — the rows of <sheetData>, scanned strictly (see sheetscan.h).
 *
 * Every function returns 1 (done, *pp moved past what it read), 0 (the
 * buffer ends first: more is needed) or -1 (give up, sc->why set).  The
 * rules are XML 1.0's as expat applies them, narrowed wherever expat would
 * change or check what it reads in a way this file does not repeat:
 * attribute values holding '&', a tab or a line end (normalised), text
 * holding a carriage return (normalised) or "]]>" (refused), names outside
 * ASCII, markup other than elements.
 */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "lengthof.h"
#include "nfc.h"
#include "sheetscan.h"


/* Byte classes (sc->cls): what may start a name, continue it, ... */
enum {
	C_NAME1 = 1,   /* A-Z a-z _ : */
	C_NAME = 2,    /* those, 0-9 - . */
	C_WS = 4,      /* space, tab, LF, CR */
	C_TEXT = 8,    /* text taken as is: 0x20..0x7E but < & ], and tab, LF */
	C_ATTR = 16    /* an attribute value's byte taken as is: 0x20..0x7E but < & " ' */
};

static void classes(unsigned char *cls)
{
	for (int c = 0; c < 256; c++) {
		unsigned char k = 0;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':')
			k |= C_NAME1 | C_NAME;
		if ((c >= '0' && c <= '9') || c == '-' || c == '.')
			k |= C_NAME;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			k |= C_WS;
		if ((c >= 0x20 && c < 0x7F && c != '<' && c != '&' && c != ']') || c == '\t' || c == '\n')
			k |= C_TEXT;
		if (c >= 0x20 && c < 0x7F && c != '<' && c != '&' && c != '"' && c != '\'')
			k |= C_ATTR;
		cls[c] = k;
	}
}

void hx_scan_init(struct hx_scan *sc, size_t cap)
{
	memset(sc, 0, sizeof *sc);
	sc->cap = cap;
	sc->f = hx_malloc(cap + 1);
	sc->v = hx_malloc(cap + 1);
	sc->why = "";
	classes(sc->cls);
}

void hx_scan_free(struct hx_scan *sc)
{
	free(sc->f);
	free(sc->v);
	sc->f = sc->v = NULL;
}

const char *hx_scan_why(const struct hx_scan *sc)
{
	return sc->why;
}

/* Give up at p (base: the buffer's start) for the reason why.  -1. */
static int give_up(struct hx_scan *sc, const char *p, const char *base, const char *why)
{
	sc->why = why;
	sc->where = (size_t)(p - base);
	return -1;
}

static inline int is_ws(const struct hx_scan *sc, char c)
{
	return (sc->cls[(unsigned char)c] & C_WS) != 0;
}

/* The loops below stop at the NUL the caller puts at the buffer's end (hx_scan_row). */
static inline const char *skip_ws(const struct hx_scan *sc, const char *p)
{
	while (sc->cls[(unsigned char)*p] & C_WS)
		p++;
	return p;
}

/*
 * The length of the UTF-8 character at p, 0 when end cuts it, -1 when it
 * is not one expat surely accepts: overlong forms, surrogates, past
 * U+10FFFF, U+FFFE and U+FFFF (no XML characters), and the C1 controls
 * U+0080..U+009F (XML 1.0 allows them, but no sheet needs them: left to
 * expat).
 */
static int utf8_len(const char *s, const char *end)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char c = p[0];
	int n;

	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4;
	else
		return -1;
	if (end - s < n)
		return 0;
	for (int i = 1; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return -1;
	switch (c) {
	case 0xC2:
		return p[1] >= 0xA0 ? 2 : -1;
	case 0xE0:
		return p[1] >= 0xA0 ? 3 : -1;
	case 0xED:
		return p[1] < 0xA0 ? 3 : -1;
	case 0xEF:
		return p[1] == 0xBF && p[2] >= 0xBE ? -1 : 3;
	case 0xF0:
		return p[1] >= 0x90 ? 4 : -1;
	case 0xF4:
		return p[1] < 0x90 ? 4 : -1;
	default:
		return n;
	}
}

/* ---- Tags ------------------------------------------------------------------ */

struct attr {
	const char *name;
	size_t nlen;
};

/* The attributes the reader uses: r, t, s. */
enum { KEY_R, KEY_T, KEY_S, NKEYS };

struct tag {
	const char *name;       /* qualified, as written */
	size_t nlen;
	const char *local;      /* after the last ':' */
	size_t llen;
	int empty;              /* <x/> */
	size_t nattr;
	struct attr a[HX_SCAN_MAX_ATTRS];   /* names but r, t and s, to refuse one given twice */
	const char *key[NKEYS];             /* r, t and s's values, or NULL */
	size_t klen[NKEYS];
	unsigned prefixed;                  /* bit KEY_x: a prefixed r, t or s (x:r) was seen */
};

static inline int is_local(const struct tag *t, const char *want, size_t n)
{
	return t->llen == n && memcmp(t->local, want, n) == 0;
}

/*
 * A name at p (its first byte already known to start one): the byte
 * after it, *local after its last ':'.  end when the buffer ends first.
 */
static inline const char *name(const struct hx_scan *sc, const char *p, const char **local)
{
	*local = p;
	for (; sc->cls[(unsigned char)*p] & C_NAME; p++)
		if (*p == ':')
			*local = p + 1;
	return p;
}

/* An attribute value's bytes from p to the quote q: where the quote is, end, or NULL (give up). */
static inline const char *attr_value(struct hx_scan *sc, const char *base, const char *p,
                                     const char *end, char q)
{
	for (;;) {
		while (sc->cls[(unsigned char)*p] & C_ATTR)
			p++;
		if (p == end || *p == q)
			return p;
		if (*p == '"' || *p == '\'') {
			p++;
		} else if ((unsigned char)*p >= 0x80) {
			int k = utf8_len(p, end);

			if (k == 0)
				return end;
			if (k < 0) {
				give_up(sc, p, base, "a byte in an attribute not surely UTF-8");
				return NULL;
			}
			p += k;
		} else {
			give_up(sc, p, base, "an attribute value with '&', '<' or a control");
			return NULL;
		}
	}
}

/* The start tag at *pp ('<' then a byte that is not '/', '!' or '?'). */
static int start_tag(struct hx_scan *sc, const char *base, const char **pp, const char *end,
                     struct tag *t)
{
	const char *p = *pp + 1;

	if (!(sc->cls[(unsigned char)*p] & C_NAME1))
		return give_up(sc, p, base, "markup other than an element");
	t->name = p;
	t->nattr = 0;
	t->key[KEY_R] = t->key[KEY_T] = t->key[KEY_S] = NULL;
	t->prefixed = 0;
	p = name(sc, p, &t->local);
	t->nlen = (size_t)(p - t->name);
	t->llen = (size_t)(p - t->local);
	for (;;) {
		const char *ws = p, *aname, *local, *value;
		size_t alen;
		int key;
		char q;

		p = skip_ws(sc, p);
		if (*p == '>') {
			t->empty = 0;
			p++;
			break;
		}
		if (p == end)
			return 0;
		if (*p == '/') {
			if (p + 1 == end)
				return 0;
			if (p[1] != '>')
				return give_up(sc, p, base, "'/' not closing a tag");
			t->empty = 1;
			p += 2;
			break;
		}
		if (p == ws)
			return give_up(sc, p, base, "no space before an attribute");
		if (!(sc->cls[(unsigned char)*p] & C_NAME1))
			return give_up(sc, p, base, "an attribute name outside ASCII");
		aname = p;
		p = name(sc, p, &local);
		alen = (size_t)(p - aname);
		key = alen != 1 && p - local != 1 ? -1
		      : *local == 'r'             ? KEY_R
		      : *local == 't'             ? KEY_T
		      : *local == 's'             ? KEY_S
		                                  : -1;
		if (*p != '=')
			p = skip_ws(sc, p);
		if (p == end)
			return 0;
		if (*p != '=')
			return give_up(sc, p, base, "an attribute without '='");
		p++;
		if (*p != '"')
			p = skip_ws(sc, p);
		if (p == end)
			return 0;
		q = *p;
		if (q != '"' && q != '\'')
			return give_up(sc, p, base, "an attribute value not quoted");
		value = ++p;
		p = attr_value(sc, base, p, end, q);
		if (p == NULL)
			return -1;
		if (p == end)
			return 0;
		p++;
		if (key >= 0 && alen == 1) {
			/* r, t or s: given twice if already there */
			if (t->key[key] != NULL)
				return give_up(sc, aname, base, "an attribute given twice");
			t->key[key] = value;
			t->klen[key] = (size_t)(p - 1 - value);
			continue;
		}
		if (key >= 0)
			t->prefixed |= 1u << key;
		/* any other: kept to tell one given twice */
		for (size_t i = 0; i < t->nattr; i++) {
			size_t k = 0;

			if (t->a[i].nlen != alen)
				continue;
			while (k < alen && t->a[i].name[k] == aname[k])
				k++;
			if (k == alen)
				return give_up(sc, aname, base, "an attribute given twice");
		}
		if (t->nattr == HX_SCAN_MAX_ATTRS)
			return give_up(sc, aname, base, "too many attributes");
		t->a[t->nattr].name = aname;
		t->a[t->nattr].nlen = alen;
		t->nattr++;
	}
	*pp = p;
	return 1;
}

/*
 * <c ...> as spreadsheet writers nearly always write it: attributes r, t
 * and s only, each once, one space before each, values of plain ASCII.
 * 1 read (as start_tag reads it), 0 anything else: start_tag reads it.
 */
static inline int cell_tag(const struct hx_scan *sc, const char **pp, struct tag *t)
{
	const char *p = *pp;

	if (p[1] != 'c' || (p[2] != ' ' && p[2] != '>' && p[2] != '/'))
		return 0;
	t->name = t->local = p + 1;
	t->nlen = t->llen = 1;
	t->nattr = 0;
	t->prefixed = 0;
	t->key[KEY_R] = t->key[KEY_T] = t->key[KEY_S] = NULL;
	p += 2;
	while (*p == ' ') {
		int key = p[1] == 'r' ? KEY_R : p[1] == 't' ? KEY_T : p[1] == 's' ? KEY_S : -1;
		const char *v;

		if (key < 0 || p[2] != '=' || p[3] != '"' || t->key[key] != NULL)
			return 0;
		v = p += 4;
		while (sc->cls[(unsigned char)*p] & C_ATTR)
			p++;
		if (*p != '"' || p - v > HX_SCAN_ATTR_MAX)
			return 0;
		t->key[key] = v;
		t->klen[key] = (size_t)(p - v);
		p++;
	}
	if (*p == '>') {
		t->empty = 0;
		*pp = p + 1;
		return 1;
	}
	if (p[0] == '/' && p[1] == '>') {
		t->empty = 1;
		*pp = p + 2;
		return 1;
	}
	return 0;
}

/* The end tag at *pp ("</"), which must close the element named qname. */
static int end_tag(struct hx_scan *sc, const char *base, const char **pp, const char *end,
                   const char *qname, size_t nlen)
{
	const char *p = *pp + 2;

	if ((size_t)(end - p) <= nlen)
		return 0;
	for (size_t i = 0; i < nlen; i++)
		if (p[i] != qname[i])
			return give_up(sc, p, base, "an end tag of another element");
	p += nlen;
	if (*p != '>') {
		p = skip_ws(sc, p);
		if (p == end)
			return 0;
		if (*p != '>' || !is_ws(sc, p[-1]))
			return give_up(sc, p, base, "an end tag of another element");
	}
	*pp = p + 1;
	return 1;
}

/*
 * Does t hold an r, t or s (those of mask) that the scanner cannot pass
 * on: a prefixed one (expat's reading, xlsx.c, matches attributes by
 * their local name: it is left to it) or one too long?  -1 (gave up) or 1.
 */
static inline int keys_ok(struct hx_scan *sc, const char *base, const struct tag *t,
                          unsigned mask)
{
	if (t->prefixed & mask)
		return give_up(sc, t->name, base, "a prefixed attribute the reader uses");
	for (int k = 0; k < NKEYS; k++)
		if ((mask & (1u << k)) && t->key[k] != NULL && t->klen[k] > HX_SCAN_ATTR_MAX)
			return give_up(sc, t->key[k], base, "an r, t or s value too long");
	return 1;
}

/* ---- Text ------------------------------------------------------------------ */

/* A reference at *pp ('&') appended to out; 1, 0 more, -1 give up. */
static int reference(struct hx_scan *sc, const char *base, const char **pp, const char *end,
                     char *out, size_t *olen)
{
	static const struct {
		const char *name;
		size_t n;
		char c;
	} predefined[] = {
		{"amp;", 4, '&'}, {"lt;", 3, '<'}, {"gt;", 3, '>'}, {"quot;", 5, '"'}, {"apos;", 5, '\''},
	};
	const char *p = *pp + 1;
	const char *semi = memchr(p, ';', (size_t)(end - p) < 12 ? (size_t)(end - p) : 12);
	unsigned long cp = 0;

	if (semi == NULL)
		return end - p < 12 ? 0 : give_up(sc, p, base, "a reference too long");
	if (*p != '#') {
		for (size_t i = 0; i < lengthof(predefined); i++) {
			if ((size_t)(semi + 1 - p) == predefined[i].n &&
			    memcmp(p, predefined[i].name, predefined[i].n) == 0) {
				out[(*olen)++] = predefined[i].c;
				*pp = semi + 1;
				return 1;
			}
		}
		return give_up(sc, p, base, "an entity XML does not predefine");
	}
	p++;
	if (*p == 'x') {
		if (++p == semi)
			return give_up(sc, p, base, "an empty character reference");
		for (; p < semi; p++) {
			unsigned char c = (unsigned char)*p;
			int d = c >= '0' && c <= '9'   ? c - '0'
			        : c >= 'a' && c <= 'f' ? c - 'a' + 10
			        : c >= 'A' && c <= 'F' ? c - 'A' + 10
			                               : -1;

			if (d < 0)
				return give_up(sc, p, base, "a character reference not in hexadecimal");
			cp = cp * 16 + (unsigned long)d;
			if (cp > 0x10FFFF)
				return give_up(sc, p, base, "a reference to no XML character");
		}
	} else {
		if (p == semi)
			return give_up(sc, p, base, "an empty character reference");
		for (; p < semi; p++) {
			if (*p < '0' || *p > '9')
				return give_up(sc, p, base, "a character reference not in decimal");
			cp = cp * 10 + (unsigned long)(*p - '0');
			if (cp > 0x10FFFF)
				return give_up(sc, p, base, "a reference to no XML character");
		}
	}
	/* XML's characters only */
	if (!(cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
	      (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF)))
		return give_up(sc, p, base, "a reference to no XML character");
	*olen += hx_utf8_encode(cp, out + *olen);
	*pp = semi + 1;
	return 1;
}

/*
 * The character data at *pp up to the next '<', decoded into out (which
 * holds the buffer's size: decoded text is never longer) and
 * NUL-terminated.
 */
static int text(struct hx_scan *sc, const char *base, const char **pp, const char *end, char *out,
                size_t *olen)
{
	const char *p = *pp;
	size_t n = 0;

	for (;;) {
		/* copied as it is scanned: values are short */
		while (sc->cls[(unsigned char)*p] & C_TEXT)
			out[n++] = *p++;
		if (p == end)
			return 0;
		if (*p == '<')
			break;
		if ((unsigned char)*p >= 0x80) {
			int k = utf8_len(p, end);

			if (k == 0)
				return 0;
			if (k < 0)
				return give_up(sc, p, base, "a byte in text not surely UTF-8");
			while (k-- > 0)
				out[n++] = *p++;
		} else if (*p == ']') {
			if (end - p < 3)
				return 0;
			if (p[1] == ']' && p[2] == '>')
				return give_up(sc, p, base, "\"]]>\" in text");
			out[n++] = *p++;
		} else if (*p == '&') {
			int rc = reference(sc, base, &p, end, out, &n);

			if (rc <= 0)
				return rc;
		} else {
			return give_up(sc, p, base, "a carriage return or control in text");
		}
	}
	out[n] = '\0';
	*olen = n;
	*pp = p;
	return 1;
}

/* Skip whitespace; then the buffer must go on with '<' and one more byte. */
static inline int markup(struct hx_scan *sc, const char *base, const char **pp, const char *end)
{
	const char *p = skip_ws(sc, *pp);

	*pp = p;
	if (end - p < 2)
		return 0;
	if (*p != '<')
		return give_up(sc, p, base, "text between elements");
	if (p[1] == '!')
		return give_up(sc, p, base, "a comment or CDATA");
	if (p[1] == '?')
		return give_up(sc, p, base, "a processing instruction");
	return 1;
}

/* An element holding text only (<f>, <v>, <t>) after its start tag t. */
static int text_element(struct hx_scan *sc, const char *base, const char **pp, const char *end,
                        const struct tag *t, char *out, size_t *olen)
{
	int rc;

	if (t->empty) {
		out[0] = '\0';
		*olen = 0;
		return 1;
	}
	rc = text(sc, base, pp, end, out, olen);
	if (rc <= 0)
		return rc;
	if (end - *pp < 2)
		return 0;
	if ((*pp)[1] == '!')
		return give_up(sc, *pp, base, "a comment or CDATA");
	if ((*pp)[1] != '/')
		return give_up(sc, *pp, base, "an element inside a value");
	return end_tag(sc, base, pp, end, t->name, t->nlen);
}

/* <is> after its start tag: one <t> (rich text and phonetic runs are given up). */
static int inline_string(struct hx_scan *sc, const char *base, const char **pp, const char *end,
                         const struct tag *is, size_t *olen)
{
	struct tag t;
	int rc;

	*olen = 0;
	sc->v[0] = '\0';
	if (is->empty)
		return 1;
	if ((rc = markup(sc, base, pp, end)) <= 0)
		return rc;
	if ((*pp)[1] != '/') {
		if ((rc = start_tag(sc, base, pp, end, &t)) <= 0)
			return rc;
		if (!is_local(&t, "t", 1))
			return give_up(sc, t.name, base, "an inline string other than one <t>");
		if ((rc = text_element(sc, base, pp, end, &t, sc->v, olen)) <= 0)
			return rc;
		if ((rc = markup(sc, base, pp, end)) <= 0)
			return rc;
		if ((*pp)[1] != '/')
			return give_up(sc, *pp, base, "an inline string other than one <t>");
	}
	return end_tag(sc, base, pp, end, is->name, is->nlen);
}

/* A <c> after its start tag t: its children, then ops->cell. */
static int cell(struct hx_scan *sc, const char *base, const char **pp, const char *end,
                const struct tag *t, const struct hx_scan_ops *ops)
{
	struct hx_scan_cell c;
	struct tag k;
	int rc;

	if (keys_ok(sc, base, t, 1u << KEY_R | 1u << KEY_T | 1u << KEY_S) < 0)
		return -1;
	c.r = t->key[KEY_R];
	c.t = t->key[KEY_T];
	c.s = t->key[KEY_S];
	c.r_len = t->klen[KEY_R];
	c.t_len = t->klen[KEY_T];
	c.s_len = t->klen[KEY_S];
	c.has_f = c.has_v = 0;
	c.f = c.v = "";
	c.f_len = c.v_len = 0;
	if (!t->empty) {
		for (;;) {
			const char *p = *pp;

			/* <v>...</v> as nearly every cell writes it, without the general tag's cost */
			if (end - p >= 3 && p[0] == '<' && p[1] == 'v' && p[2] == '>' && !c.has_v) {
				c.has_v = 1;
				c.v = sc->v;
				*pp = p + 3;
				if ((rc = text(sc, base, pp, end, sc->v, &c.v_len)) <= 0)
					return rc;
				p = *pp;
				if (end - p >= 4 && p[1] == '/' && p[2] == 'v' && p[3] == '>') {
					*pp = p + 4;
					continue;
				}
				if (end - p < 2)
					return 0;
				if (p[1] == '!')
					return give_up(sc, p, base, "a comment or CDATA");
				if (p[1] != '/')
					return give_up(sc, p, base, "an element inside a value");
				if ((rc = end_tag(sc, base, pp, end, "v", 1)) <= 0)
					return rc;
				continue;
			}
			/* </c> likewise */
			if (end - p >= 4 && p[0] == '<' && p[1] == '/' && p[2] == 'c' && p[3] == '>' &&
			    t->nlen == 1) {
				*pp = p + 4;
				break;
			}
			if ((rc = markup(sc, base, pp, end)) <= 0)
				return rc;
			if ((*pp)[1] == '/') {
				if ((rc = end_tag(sc, base, pp, end, t->name, t->nlen)) <= 0)
					return rc;
				break;
			}
			if ((rc = start_tag(sc, base, pp, end, &k)) <= 0)
				return rc;
			if (is_local(&k, "v", 1) && !c.has_v) {
				c.has_v = 1;
				rc = text_element(sc, base, pp, end, &k, sc->v, &c.v_len);
				c.v = sc->v;
			} else if (is_local(&k, "f", 1) && !c.has_f && !c.has_v) {
				c.has_f = 1;
				rc = text_element(sc, base, pp, end, &k, sc->f, &c.f_len);
				c.f = sc->f;
			} else if (is_local(&k, "is", 2) && !c.has_v) {
				c.has_v = 1;
				rc = inline_string(sc, base, pp, end, &k, &c.v_len);
				c.v = sc->v;
			} else {
				return give_up(sc, k.name, base, "a cell's element the scanner does not know");
			}
			if (rc <= 0)
				return rc;
		}
	}
	if (ops->cell(ops->ctx, &c) < 0)
		return give_up(sc, t->name, base, "a cell the reader refuses");
	return 1;
}

enum hx_scan_status hx_scan_row(struct hx_scan *sc, const char *buf, size_t n,
                                const struct hx_scan_ops *ops, size_t *used)
{
	const char *p = buf, *end = buf + n;
	struct tag row, c;
	int rc;

	if ((rc = markup(sc, buf, &p, end)) <= 0)
		goto out;
	if (p[1] == '/') {
		*used = (size_t)(p - buf);
		return HX_SCAN_END;
	}
	if ((rc = start_tag(sc, buf, &p, end, &row)) <= 0)
		goto out;
	if (!is_local(&row, "row", 3)) {
		rc = give_up(sc, row.name, buf, "an element other than <row> in <sheetData>");
		goto out;
	}
	if ((rc = keys_ok(sc, buf, &row, 1u << KEY_R)) < 0)
		goto out;
	if (ops->row(ops->ctx, row.key[KEY_R], row.klen[KEY_R]) < 0) {
		rc = give_up(sc, row.name, buf, "a row the reader refuses");
		goto out;
	}
	if (!row.empty) {
		for (;;) {
			if ((rc = markup(sc, buf, &p, end)) <= 0)
				goto out;
			if (p[1] == '/') {
				if ((rc = end_tag(sc, buf, &p, end, row.name, row.nlen)) <= 0)
					goto out;
				break;
			}
			if (!cell_tag(sc, &p, &c) && (rc = start_tag(sc, buf, &p, end, &c)) <= 0)
				goto out;
			if (!is_local(&c, "c", 1)) {
				rc = give_up(sc, c.name, buf, "an element other than <c> in a row");
				goto out;
			}
			if ((rc = cell(sc, buf, &p, end, &c, ops)) <= 0)
				goto out;
		}
	}
	if (ops->row_end(ops->ctx) < 0) {
		rc = give_up(sc, p, buf, "a row the reader refuses");
		goto out;
	}
	*used = (size_t)(p - buf);
	return HX_SCAN_ROW;
out:
	return rc == 0 ? HX_SCAN_MORE : HX_SCAN_GIVE_UP;
}

/* ---- Shared strings ---------------------------------------------------------- */

/*
 * The XML declaration at *pp ("<?xml"), as Excel and LibreOffice write it:
 * version 1.0, encoding UTF-8 (or none), standalone, in that order, with
 * either quote.  Anything else in it (another encoding, which expat would
 * convert; another version) is left to expat.
 */
static int xml_decl(struct hx_scan *sc, const char *base, const char **pp, const char *end)
{
	static const struct {
		const char *name;
		size_t n;
	} keys[] = {{"version", 7}, {"encoding", 8}, {"standalone", 10}};
	const char *p = *pp + 5;
	const char *close = NULL;
	size_t next = 0;

	for (const char *q = p; q + 1 < end && q - p < 256; q++)
		if (q[0] == '?' && q[1] == '>') {
			close = q;
			break;
		}
	if (close == NULL)
		return end - p < 256 ? 0 : give_up(sc, p, base, "an XML declaration too long");
	for (;;) {
		const char *ws = p, *v;
		size_t k;
		char q;

		p = skip_ws(sc, p);
		if (p == close)
			break;
		if (p == ws)
			return give_up(sc, p, base, "an XML declaration the scanner does not know");
		for (k = next; k < lengthof(keys); k++)
			if ((size_t)(close - p) > keys[k].n && memcmp(p, keys[k].name, keys[k].n) == 0)
				break;
		if (k == lengthof(keys) || (next == 0 && k != 0))
			return give_up(sc, p, base, "an XML declaration the scanner does not know");
		p = skip_ws(sc, p + keys[k].n);
		if (*p != '=')
			return give_up(sc, p, base, "an XML declaration the scanner does not know");
		p = skip_ws(sc, p + 1);
		q = *p;
		if (p >= close || (q != '"' && q != '\''))
			return give_up(sc, p, base, "an XML declaration the scanner does not know");
		v = ++p;
		while (p < close && *p != q)
			p++;
		if (p == close)
			return give_up(sc, p, base, "an XML declaration the scanner does not know");
		if (!(k == 0 && p - v == 3 && memcmp(v, "1.0", 3) == 0) &&
		    !(k == 1 && p - v == 5 && (v[0] | 0x20) == 'u' && (v[1] | 0x20) == 't' &&
		      (v[2] | 0x20) == 'f' && v[3] == '-' && v[4] == '8') &&
		    !(k == 2 && ((p - v == 3 && memcmp(v, "yes", 3) == 0) ||
		                 (p - v == 2 && memcmp(v, "no", 2) == 0))))
			return give_up(sc, v, base, "an XML declaration the scanner does not know");
		p++;
		next = k + 1;
	}
	if (next == 0)
		return give_up(sc, p, base, "an XML declaration the scanner does not know");
	*pp = close + 2;
	return 1;
}

enum hx_scan_status hx_scan_sst_head(struct hx_scan *sc, const char *buf, size_t n, size_t *used)
{
	const char *p = buf, *end = buf + n;
	struct tag root;
	int rc;

	if (n < 6) {
		rc = 0;
		goto out;
	}
	if (memcmp(p, "<?xml", 5) == 0 && is_ws(sc, p[5]) && (rc = xml_decl(sc, buf, &p, end)) <= 0)
		goto out;
	if ((rc = markup(sc, buf, &p, end)) <= 0)
		goto out;
	if (p[1] == '/') {
		rc = give_up(sc, p, buf, "an end tag before the root");
		goto out;
	}
	if ((rc = start_tag(sc, buf, &p, end, &root)) <= 0)
		goto out;
	if (!is_local(&root, "sst", 3) || root.nlen >= sizeof sc->root) {
		rc = give_up(sc, root.name, buf, "a root other than <sst>");
		goto out;
	}
	memcpy(sc->root, root.name, root.nlen);
	sc->root_len = root.nlen;
	sc->root_empty = root.empty;
	*used = (size_t)(p - buf);
	return HX_SCAN_ROW;
out:
	return rc == 0 ? HX_SCAN_MORE : HX_SCAN_GIVE_UP;
}

/* What an element inside <si> may hold. */
enum si_part {
	SI,    /* <t> (its text kept), <r>, <rPh>, <phoneticPr/> */
	RUN,   /* <rPr>, <t> (kept) */
	RPR,   /* the run's properties: empty elements only */
	RPH    /* <t> (its text not kept) */
};

/* The children of parent (what: what it may hold) up to its end tag; *total the text kept. */
static int si_children(struct hx_scan *sc, const char *base, const char **pp, const char *end,
                       const struct tag *parent, enum si_part what, size_t *total)
{
	if (parent->empty)
		return 1;
	for (;;) {
		struct tag k;
		size_t n;
		int rc;

		if ((rc = markup(sc, base, pp, end)) <= 0)
			return rc;
		if ((*pp)[1] == '/')
			return end_tag(sc, base, pp, end, parent->name, parent->nlen);
		if ((rc = start_tag(sc, base, pp, end, &k)) <= 0)
			return rc;
		if (what == RPR) {
			if (!k.empty)
				return give_up(sc, k.name, base, "a run property that is not empty");
			continue;
		}
		if (is_local(&k, "t", 1)) {
			/* decoded text is never longer than its bytes: v (and f) hold it all */
			if (what == RPH) {
				rc = text_element(sc, base, pp, end, &k, sc->f, &n);
			} else {
				rc = text_element(sc, base, pp, end, &k, sc->v + *total, &n);
				*total += n;
			}
		} else if (what == SI && is_local(&k, "r", 1)) {
			rc = si_children(sc, base, pp, end, &k, RUN, total);
		} else if (what == RUN && is_local(&k, "rPr", 3)) {
			rc = si_children(sc, base, pp, end, &k, RPR, total);
		} else if (what == SI && is_local(&k, "rPh", 3)) {
			rc = si_children(sc, base, pp, end, &k, RPH, total);
		} else if (what == SI && is_local(&k, "phoneticPr", 10) && k.empty) {
			rc = 1;
		} else {
			return give_up(sc, k.name, base, "an element in a shared string the scanner does "
			                                 "not know");
		}
		if (rc <= 0)
			return rc;
	}
}

enum hx_scan_status hx_scan_si(struct hx_scan *sc, const char *buf, size_t n, size_t *used,
                               size_t *len)
{
	const char *p = buf, *end = buf + n;
	struct tag si;
	int rc;

	*len = 0;
	if ((rc = markup(sc, buf, &p, end)) <= 0)
		goto out;
	if (p[1] == '/') {
		if ((rc = end_tag(sc, buf, &p, end, sc->root, sc->root_len)) <= 0)
			goto out;
		*used = (size_t)(p - buf);
		return HX_SCAN_END;
	}
	if ((rc = start_tag(sc, buf, &p, end, &si)) <= 0)
		goto out;
	if (!is_local(&si, "si", 2)) {
		rc = give_up(sc, si.name, buf, "an element other than <si> in <sst>");
		goto out;
	}
	if ((rc = si_children(sc, buf, &p, end, &si, SI, len)) <= 0)
		goto out;
	sc->v[*len] = '\0';
	*used = (size_t)(p - buf);
	return HX_SCAN_ROW;
out:
	return rc == 0 ? HX_SCAN_MORE : HX_SCAN_GIVE_UP;
}
