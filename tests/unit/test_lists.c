/*
 * test_lists.c — ingest/lists.c's bounds: what it cannot count or check in
 * its bounded memory it says so (the transform then works from the rows),
 * and what it can, it does to the last list and entity.  The counts
 * themselves are checked against the database's own aggregate in
 * tests/integration/test_ingest.c.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <string.h>

#include "lists.h"

/* A staging.register row in COPY text form, as csvsub.c writes it. */
static void row(struct list_tracker *t, long line, const char *unit, int year, const char *entity)
{
	char r[256];
	int n = snprintf(r, sizeof r, "7\t%ld\t%d\t%s\tfamily\t%s\tt\tf\t\\N\t\\N\t\\N\t\\N\t\\N",
	                 line, year, unit, entity);

	lists_row(t, r, (size_t)n);
}

Test(lists, every_list_counted_up_to_the_bound_and_not_one_more)
{
	static const struct {
		int lists;
		int counted;
	} cases[] = {{1, 1}, {LISTS_MAX, 1}, {LISTS_MAX + 1, 0}};

	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		struct list_tracker *t = lists_new("7");
		char unit[16];

		/* Lists differ by unit: one row each, each list after the other. */
		for (int i = 0; i < cases[c].lists; i++) {
			snprintf(unit, sizeof unit, "%05d", i);
			row(t, i + 2, unit, 2020, "H1");
		}
		cr_assert(eq(int, lists_counted(t), cases[c].counted), "%d lists", cases[c].lists);
		cr_assert(eq(int, lists_checked(t), cases[c].counted), "%d lists", cases[c].lists);
		lists_free(t);
	}
}

Test(lists, a_list_is_checked_up_to_the_bound_of_entities)
{
	static const int sizes[] = {1, 1000, ENTITIES_MAX, ENTITIES_MAX + 1};

	for (size_t c = 0; c < sizeof sizes / sizeof sizes[0]; c++) {
		struct list_tracker *t = lists_new("7");
		char id[32];

		for (int i = 0; i < sizes[c]; i++) {
			snprintf(id, sizeof id, "00004-%06d", i);
			row(t, i + 2, "00004", 2020, id);
		}
		cr_assert(eq(int, lists_counted(t), 1), "%d entities", sizes[c]);
		cr_assert(eq(int, lists_checked(t), sizes[c] <= ENTITIES_MAX), "%d entities",
		          sizes[c]);
		lists_free(t);
	}
}

Test(lists, a_list_that_comes_back_is_counted_but_not_checked)
{
	struct list_tracker *t = lists_new("7");

	row(t, 2, "00004", 2020, "H1");
	row(t, 3, "00007", 2020, "H1");
	cr_assert(eq(int, lists_checked(t), 1));
	row(t, 4, "00004", 2021, "H1"); /* another year: another list */
	cr_assert(eq(int, lists_checked(t), 1));
	row(t, 5, "00004", 2020, "H2"); /* the first list again */
	cr_assert(eq(int, lists_checked(t), 0));
	cr_assert(eq(int, lists_counted(t), 1));
	lists_free(t);
}

Test(lists, a_row_of_another_shape_stops_the_count)
{
	struct list_tracker *t = lists_new("7");
	const char *five = "7\t2\t2020\t00004\tfamily";

	lists_row(t, five, strlen(five));
	cr_assert(eq(int, lists_counted(t), 0));
	cr_assert(eq(int, lists_checked(t), 0));
	lists_free(t);
}

/* A row as a copy sink writes it: 13 fields counted, any other number stops the count. */
static void sink_row(struct list_tracker *t, int fields, const char *entity)
{
	struct copy_sink s;

	copy_sink_tmp(&s);
	for (int i = 0; i < fields; i++) {
		if (i == 5)
			copy_text(&s, entity, strlen(entity)); /* escaped as COPY text */
		else if (i == 2)
			copy_int(&s, 2020);
		else if (i == 3)
			copy_raw(&s, "00004", 5);
		else
			copy_null(&s);
	}
	lists_sink_row(t, &s);
	copy_row_end(&s);
	copy_sink_close(&s);
}

Test(lists, a_sink_row_is_counted_by_its_recorded_fields)
{
	struct list_tracker *t = lists_new("7");

	sink_row(t, 13, "H\t1");
	sink_row(t, 13, "H\\1");
	cr_assert(eq(int, lists_counted(t), 1));
	cr_assert(eq(int, lists_checked(t), 1));
	sink_row(t, 12, "H2");
	cr_assert(eq(int, lists_counted(t), 0));
	lists_free(t);
}
