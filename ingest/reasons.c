/*
 * reasons.c — the codes and meanings of the reasons of reasons.h.
 */
#include <string.h>

#include "reasons.h"

static const struct {
	const char *code;
	const char *meaning;
} reasons[REASON_COUNT] = {
#define REASON_ENTRY(id, c, m) [REASON_##id] = {c, m},
	INGEST_REASONS(REASON_ENTRY)
#undef REASON_ENTRY
};

const char *reason_code(enum reason r)
{
	return r > REASON_NONE && r < REASON_COUNT ? reasons[r].code : NULL;
}

const char *reason_meaning_en(enum reason r)
{
	return r > REASON_NONE && r < REASON_COUNT ? reasons[r].meaning : NULL;
}

const char *reason_meaning(enum reason r)
{
	const char *m = reason_meaning_en(r);

	return m != NULL ? _(m) : NULL;
}

int reason_from_code(const char *code, enum reason *r)
{
	for (int i = REASON_NONE + 1; i < REASON_COUNT; i++) {
		if (strcmp(reasons[i].code, code) == 0) {
			*r = (enum reason)i;
			return 0;
		}
	}
	return -1;
}
