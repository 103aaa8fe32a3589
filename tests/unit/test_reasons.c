/*
 * The reasons a row or a file is rejected: one table (ingest/reasons.h),
 * and docs/formats.md §11 the same table, row for row — a reason added,
 * renamed or reworded in one and not the other fails here.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "reasons.h"
#include "testsupport.h"

/* The rows "| `code` | meaning |" of section 11 of docs/formats.md, in order. */
static size_t doc_rows(char *doc, char *codes[], char *meanings[], size_t cap)
{
	char *sec = strstr(doc, "\n## 11. ");
	char *end, *line;
	size_t n = 0;

	cr_assert(sec != NULL, "docs/formats.md has no section 11");
	end = strstr(sec + 1, "\n## ");
	if (end != NULL)
		*end = '\0';
	for (line = strtok(sec, "\n"); line != NULL; line = strtok(NULL, "\n")) {
		char *code, *close, *meaning, *bar;

		if (strncmp(line, "| `", 3) != 0)
			continue;
		code = line + 3;
		close = strstr(code, "` | ");
		cr_assert(close != NULL, "a row of section 11 not of the form | `code` | meaning |: %s",
		          line);
		*close = '\0';
		meaning = close + 4;
		bar = strstr(meaning, " |");
		cr_assert(bar != NULL && bar[2] == '\0', "a row of section 11 with more than two cells: %s",
		          meaning);
		*bar = '\0';
		cr_assert(n < cap);
		codes[n] = code;
		meanings[n] = meaning;
		n++;
	}
	return n;
}

Test(reasons, the_docs_list_every_reason_in_the_table_s_order_and_words)
{
	char *path = hx_test_src("docs/formats.md"), *doc = hx_test_read_file(path, NULL);
	char *codes[128], *meanings[128];
	size_t n;

	free(path);
	cr_assert(doc != NULL);
	n = doc_rows(doc, codes, meanings, 128);
	for (size_t i = 0; i < n && i + 1 < REASON_COUNT; i++) {
		enum reason r = (enum reason)(i + 1);

		cr_assert_str_eq(codes[i], reason_code(r), "row %zu of docs/formats.md §11", i + 1);
		cr_assert_str_eq(meanings[i], reason_meaning_en(r), "the meaning of %s", codes[i]);
	}
	cr_assert(eq(sz, n, (size_t)REASON_COUNT - 1), "docs/formats.md §11 lists %zu reasons, "
	          "ingest/reasons.h %d", n, REASON_COUNT - 1);
	free(doc);
}

Test(reasons, codes_are_unique_snake_case_and_found_again)
{
	for (int i = REASON_NONE + 1; i < REASON_COUNT; i++) {
		const char *code = reason_code((enum reason)i);
		enum reason back = REASON_NONE;

		cr_assert(code != NULL && code[0] != '\0');
		cr_assert(strspn(code, "abcdefghijklmnopqrstuvwxyz_") == strlen(code), "%s", code);
		cr_assert(eq(int, reason_from_code(code, &back), 0), "%s", code);
		cr_assert(eq(int, (int)back, i), "%s names reason %d, not %d", code, (int)back, i);
		cr_assert(strchr(reason_meaning_en((enum reason)i), '|') == NULL, "%s", code);
	}
	cr_assert(reason_code(REASON_NONE) == NULL);
	cr_assert(reason_code(REASON_COUNT) == NULL);
	cr_assert(eq(int, reason_from_code("no_such_reason", &(enum reason){REASON_NONE}), -1));
}

Test(reasons, meanings_are_told_in_the_reader_s_language)
{
	cr_assert(eq(int, hx_i18n_init("vi"), 0));
	for (int i = REASON_NONE + 1; i < REASON_COUNT; i++) {
		const char *en = reason_meaning_en((enum reason)i);
		const char *vi = reason_meaning((enum reason)i);

		cr_assert(vi != NULL && strcmp(vi, en) != 0, "no Vietnamese for %s",
		          reason_code((enum reason)i));
	}
	cr_assert(eq(int, hx_i18n_init("en"), 0));
	cr_assert_str_eq(reason_meaning(REASON_EMPTY_FILE), "the file is empty");
}
