/*
 * units.c — reference unit codes in an open-addressing hash set (see
 * units.h).  A province has a few hundred units, the country about 11,000
 * with history: the set is small and built once per run.
 */
#include <string.h>
#include <stdlib.h>

#include "alloc.h"
#include "db.h"
#include "units.h"

struct unit_set {
	char (*slots)[UNIT_CODE_MAX + 1]; /* "" marks an empty slot */
	size_t nslots, count;
};

static size_t hash(const char *s)
{
	size_t h = 5381;

	for (; *s; s++)
		h = h * 33 + (unsigned char)*s;
	return h;
}

static void add(struct unit_set *u, const char *code)
{
	size_t i = hash(code) & (u->nslots - 1);

	while (u->slots[i][0] != '\0') {
		if (strcmp(u->slots[i], code) == 0)
			return;
		i = (i + 1) & (u->nslots - 1);
	}
	memcpy(u->slots[i], code, strlen(code) + 1);
	u->count++;
}

static struct unit_set *new_set(size_t n)
{
	struct unit_set *u = hx_calloc(1, sizeof *u);

	u->nslots = 64;
	while (u->nslots < 2 * n + 2)
		u->nslots *= 2;
	u->slots = hx_calloc(u->nslots, sizeof *u->slots);
	return u;
}

static int valid_code(const char *c)
{
	size_t n = strlen(c);

	return n >= 1 && n <= UNIT_CODE_MAX && strspn(c, "0123456789") == n;
}

struct unit_set *units_from_codes(const char *const *codes, size_t n)
{
	struct unit_set *u = new_set(n);

	for (size_t i = 0; i < n; i++)
		if (valid_code(codes[i]))
			add(u, codes[i]);
	return u;
}

struct unit_set *units_load(PGconn *conn, struct hx_error *err)
{
	PGresult *res = hx_db_query(conn, err, "SELECT code FROM ref.units", 0, NULL);
	struct unit_set *u;
	int i, n;

	if (res == NULL)
		return NULL;
	n = PQntuples(res);
	u = new_set((size_t)n);
	for (i = 0; i < n; i++)
		if (valid_code(PQgetvalue(res, i, 0)))
			add(u, PQgetvalue(res, i, 0));
	PQclear(res);
	return u;
}

void units_free(struct unit_set *u)
{
	if (u == NULL)
		return;
	free(u->slots);
	free(u);
}

size_t units_count(const struct unit_set *u)
{
	return u->count;
}

int units_contains(const struct unit_set *u, const char *code)
{
	size_t i;

	if (!valid_code(code))
		return 0;
	i = hash(code) & (u->nslots - 1);
	while (u->slots[i][0] != '\0') {
		if (strcmp(u->slots[i], code) == 0)
			return 1;
		i = (i + 1) & (u->nslots - 1);
	}
	return 0;
}

enum unit_resolve units_resolve(const struct unit_set *u, const char *s, size_t n, char *out)
{
	char code[UNIT_CODE_MAX + 1], padded[UNIT_CODE_MAX + 1];
	int matches = 0;
	size_t len, width;

	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	out[0] = '\0';
	if (n == 0)
		return UNIT_EMPTY;
	if (n > UNIT_CODE_MAX)
		return UNIT_MALFORMED;
	memcpy(code, s, n);
	code[n] = '\0';
	if (!valid_code(code))
		return UNIT_MALFORMED;
	if (units_contains(u, code)) {
		memcpy(out, code, n + 1);
		return UNIT_OK;
	}
	/* Leading zeros lost by a spreadsheet: try each wider code. */
	len = n;
	for (width = len + 1; width <= UNIT_CODE_MAX; width++) {
		memset(padded, '0', width - len);
		memcpy(padded + (width - len), code, len + 1);
		if (!units_contains(u, padded))
			continue;
		if (matches++ == 0) {
			memcpy(out, padded, width + 1);
		} else {
			strcat(out, " or ");
			strcat(out, padded);
		}
	}
	if (matches == 0)
		return UNIT_UNKNOWN;
	return matches == 1 ? UNIT_OK : UNIT_AMBIGUOUS;
}
