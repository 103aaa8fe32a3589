/*
 * fuzz_vocab.c — libFuzzer target for the vocabulary lookups
 * (common/vocab.h) and the folding they rest on (common/text.h).  The
 * first byte picks the lookup; the rest is the cell.  Oracles: return codes
 * are 0, 1 or -1 only; a found title, column or level is in range and has a
 * name; *out is untouched unless found; folding never lengthens text, and
 * folds valid UTF-8 into valid UTF-8 that folds to itself (idempotent); a
 * message is
 * NUL-terminated (valid UTF-8 when the cell was).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "vocab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_msg(const char *msg, size_t cap, int utf8)
{
	size_t n = strnlen(msg, cap);

	if (n == cap || (utf8 && hx_text_utf8_check(msg, n, NULL) < 0))
		abort();
}

static void check_fold(const char *s, size_t n)
{
	char *a = malloc(n + 1), *b = malloc(n + 1);
	size_t la = hx_text_fold_n(s, n, a, n + 1), lb;

	if (la > n)
		abort();
	/* Only text is folded in production (files are checked as UTF-8 first):
	 * bytes that are not UTF-8 are copied and may pair up with what follows. */
	if (hx_text_utf8_check(s, n, NULL) == 0) {
		if (hx_text_utf8_check(a, la, NULL) < 0)
			abort();
		lb = hx_text_fold_n(a, la, b, n + 1);
		if (lb != la || memcmp(a, b, la) != 0)
			abort();
	}
	/* A short output buffer: cut, still NUL-terminated, same length reported. */
	if (n > 4) {
		char small[5];

		memset(small, 'X', sizeof small);
		if (hx_text_fold_n(s, n, small, sizeof small) != la || strnlen(small, sizeof small) == sizeof small)
			abort();
	}
	free(a);
	free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s;
	size_t n;
	char msg[400];
	int rc = 0, utf8, iv = -7;

	if (size < 1)
		return 0;
	s = (const char *)data + 1;
	n = size - 1;
	utf8 = hx_text_utf8_check(s, n, NULL) == 0;
	memset(msg, 'X', sizeof msg);
	switch (data[0] & 7) {
	case 0: {
		enum hx_title t = HX_TITLE_COUNT;

		rc = hx_vocab_title(s, n, &t, msg, sizeof msg);
		if (rc == 0 ? hx_vocab_title_key(t) == NULL : t != HX_TITLE_COUNT)
			abort();
		if (rc < 0)
			check_msg(msg, sizeof msg, utf8);
		break;
	}
	case 1:
		rc = hx_vocab_bool(s, n, &iv, msg, sizeof msg);
		if (rc >= 0 ? iv != 0 && iv != 1 : iv != -7)
			abort();
		if (rc < 0)
			check_msg(msg, sizeof msg, utf8);
		break;
	case 2:
	case 3:
	case 4: {
		enum hx_col c = HX_COL_COUNT;
		static const enum hx_vocab_file kinds[3] = {HX_VOCAB_SUBMISSION, HX_VOCAB_UNITS,
		                                            HX_VOCAB_TARGETS};

		rc = hx_vocab_column(s, n, kinds[(data[0] & 7) - 2], &c);
		if (rc == 0 ? hx_vocab_column_name(c) == NULL : c != HX_COL_COUNT)
			abort();
		break;
	}
	case 5: {
		enum hx_level l = HX_LEVEL_COUNT;

		rc = hx_vocab_level(s, n, &l, msg, sizeof msg);
		if (rc == 0 ? hx_vocab_level_name(l) == NULL : l != HX_LEVEL_COUNT)
			abort();
		if (rc < 0)
			check_msg(msg, sizeof msg, utf8);
		break;
	}
	default:
		check_fold(s, n);
		return 0;
	}
	if (rc != 0 && rc != 1 && rc != -1)
		abort();
	/* NULL message buffers are allowed. */
	(void)hx_vocab_title(s, n, &(enum hx_title){HX_TITLE_FAMILY}, NULL, 0);
	(void)hx_vocab_bool(s, n, &iv, NULL, 0);
	return 0;
}
