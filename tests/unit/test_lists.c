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

#include "lengthof.h"
#include "lists.h"

/* A staging.register row in COPY text form, as csvsub.c writes it. */
static void row(struct list_tracker *t, long line, const char *unit, int year, const char *entity)
{
	char r[256];
	int n = snprintf(r, sizeof r, "7\t%ld\t%d\t%s\t1\t%s\tt\tf\t\\N\t\\N\t\\N\t\\N\t\\N",
	                 line, year, unit, entity);

	lists_row(t, r, (size_t)n);
}

Test(lists, every_list_counted_up_to_the_bound_and_not_one_more)
{
	static const struct {
		int lists;
		int counted;
	} cases[] = {{1, 1}, {LISTS_MAX, 1}, {LISTS_MAX + 1, 0}};

	for (size_t c = 0; c < lengthof(cases); c++) {
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

	for (size_t c = 0; c < lengthof(sizes); c++) {
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

/*
 * Rows as a copy sink writes them, and the same rows as text split on
 * their tabs (lists_row, the reference): the same counts, to the field.
 * Entity ids with the bytes COPY escapes; registered, recognized and
 * exemplary varied; one entity named twice.
 */
Test(lists, a_sink_row_is_read_where_its_fields_are)
{
	static const struct {
		const char *entity, *reg, *rec, *ex;
	} rows[] = {
	    {"H\\t1", "t", "t", "t"}, {"H\\\\1", "t", "f", "\\N"}, {"H\\n2", "f", "f", "f"},
	    {"H\\t1", "t", "t", "\\N"}, {"H\\r3", "t", "t", "t"}, {"H4", "f", "t", "f"},
	};
	/* The entity ids as they arrive, before COPY escapes them (above: escaped). */
	static const char *const raw[] = {"H\t1", "H\\1", "H\n2", "H\t1", "H\r3", "H4"};
	struct list_tracker *a = lists_new("7"), *b = lists_new("7");
	struct lists_totals ta, tb;

	for (size_t i = 0; i < lengthof(rows); i++) {
		struct copy_sink s;
		char text[256];
		int n;

		copy_sink_tmp(&s);
		copy_raw(&s, "7", 1);
		copy_int(&s, (int64_t)i + 2);
		copy_int(&s, 2020);
		copy_raw(&s, "00004", 5);
		copy_raw(&s, "1", 1);
		copy_text(&s, raw[i], strlen(raw[i]));
		copy_raw(&s, rows[i].reg, 1);
		copy_raw(&s, rows[i].rec, 1);
		if (rows[i].ex[0] == '\\')
			copy_null(&s);
		else
			copy_raw(&s, rows[i].ex, 1);
		copy_raw(&s, "72.5", 4);
		copy_text(&s, "Thôn 1", strlen("Thôn 1"));
		copy_null(&s);
		copy_null(&s);
		lists_sink_row(a, &s, NULL);
		copy_row_end(&s);
		copy_sink_close(&s);

		n = snprintf(text, sizeof text, "7\t%zu\t2020\t00004\t1\t%s\t%s\t%s\t%s\t72.5\t"
		             "Thôn 1\t\\N\t\\N", i + 2, rows[i].entity, rows[i].reg, rows[i].rec,
		             rows[i].ex);
		lists_row(b, text, (size_t)n);
	}
	lists_totals(a, &ta);
	lists_totals(b, &tb);
	cr_assert(eq(long, ta.lists, 1));
	cr_assert(eq(long, ta.entities, 6));
	cr_assert(eq(long, ta.registered, 4));
	cr_assert(eq(long, ta.recognized, 4));
	cr_assert(eq(long, ta.exemplary, 2));
	cr_assert(eq(long, ta.exemplary_given, 4));
	cr_assert(eq(i64, ta.duplicates, 1), "H<TAB>1 twice, and only it");
	cr_assert(eq(int, memcmp(&ta, &tb, sizeof ta), 0), "the sink's row and the text's differ");
	cr_assert(eq(int, lists_checked(a), 1));
	lists_free(a);
	lists_free(b);
}

/*
 * A COPY that leaves columns out (the year its partition gives, the
 * columns a file does not have) is counted as if they had been written:
 * the year from the layout, the others NULL.  Two partitions' rows: the
 * same entities in two years make two lists, with the reference's counts.
 */
Test(lists, a_sink_row_without_the_columns_its_copy_leaves_out)
{
	static const struct {
		int year;
		const char *entity, *reg, *rec;
	} rows[] = {
	    {2019, "H1", "t", "t"}, {2019, "H2", "t", "f"}, {2019, "H1", "f", "f"},
	    {2020, "H1", "t", "t"}, {2020, "H2", "f", "t"},
	};
	/* Everything but year (2), exemplary (8) and submitted_at (12). */
	const unsigned sent = LISTS_ALL_SENT & ~(1u << LISTS_YEAR) & ~(1u << 8) & ~(1u << 12);
	struct list_tracker *a = lists_new("7"), *b = lists_new("7");
	struct lists_totals ta, tb;

	for (size_t i = 0; i < lengthof(rows); i++) {
		struct lists_layout lay = {.sent = sent, .year_num = rows[i].year};
		struct copy_sink s;
		char text[256];
		int n;

		snprintf(lay.year, sizeof lay.year, "%d", rows[i].year);
		copy_sink_tmp(&s);
		copy_raw(&s, "7", 1);
		copy_int(&s, (int64_t)i + 2);
		copy_raw(&s, "00004", 5);
		copy_raw(&s, "1", 1);
		copy_raw(&s, rows[i].entity, strlen(rows[i].entity));
		copy_raw(&s, rows[i].reg, 1);
		copy_raw(&s, rows[i].rec, 1);
		copy_raw(&s, "72.5", 4);
		copy_text(&s, "Thôn 1", strlen("Thôn 1"));
		copy_null(&s);
		lists_sink_row(a, &s, &lay);
		copy_row_end(&s);
		copy_sink_close(&s);

		n = snprintf(text, sizeof text, "7\t%zu\t%d\t00004\t1\t%s\t%s\t%s\t\\N\t72.5\t"
		             "Thôn 1\t\\N\t\\N", i + 2, rows[i].year, rows[i].entity, rows[i].reg,
		             rows[i].rec);
		lists_row(b, text, (size_t)n);
	}
	lists_totals(a, &ta);
	lists_totals(b, &tb);
	cr_assert(eq(long, ta.lists, 2), "2019 and 2020");
	cr_assert(eq(long, ta.entities, 5));
	cr_assert(eq(long, ta.registered, 3));
	cr_assert(eq(long, ta.recognized, 3));
	cr_assert(eq(long, ta.exemplary_given, 0), "exemplary left out is no one's answer");
	cr_assert(eq(i64, ta.duplicates, 1), "H1 twice in 2019, once in 2020");
	cr_assert(eq(int, memcmp(&ta, &tb, sizeof ta), 0), "the sink's row and the text's differ");
	lists_free(a);
	lists_free(b);
}

/* A sink row of any other number of fields stops the count. */
Test(lists, a_sink_row_of_another_shape_stops_the_count)
{
	struct list_tracker *t = lists_new("7");
	struct copy_sink s;

	copy_sink_tmp(&s);
	for (int i = 0; i < 12; i++)
		copy_null(&s);
	lists_sink_row(t, &s, NULL);
	copy_sink_close(&s);
	cr_assert(eq(int, lists_counted(t), 0));
	cr_assert(eq(int, lists_checked(t), 0));
	lists_free(t);

	/* All 13 fields, where the COPY's layout says year is left out. */
	t = lists_new("7");
	copy_sink_tmp(&s);
	for (int i = 0; i < 13; i++)
		copy_null(&s);
	lists_sink_row(t, &s, &(struct lists_layout){.sent = LISTS_ALL_SENT & ~(1u << LISTS_YEAR),
	                                             .year_num = 2020, .year = "2020"});
	copy_sink_close(&s);
	cr_assert(eq(int, lists_counted(t), 0));
	lists_free(t);
}

/*
 * The file's latest submitted_at is kept whether or not its lists could be
 * counted: it stands for their own in staging.files.submitted_at.  The
 * dates are compared as instants, not as text.
 */
Test(lists, the_files_latest_submitted_at_outlives_the_bound)
{
	static const struct {
		const char *at;   /* as values.c writes it, or \N */
		int lists;        /* rows (one list each) before it */
		const char *want; /* the latest after it */
	} cases[] = {
	    {"\\N", 1, NULL},
	    {"2020-01-15 08:00:00+07:00", 1, "2020-01-15 08:00:00+07:00"},
	    {"2020-01-15 01:30:00+00:00", 1, "2020-01-15 01:30:00+00:00"}, /* later by 30 min */
	    {"2020-01-15 06:00:00+07:00", LISTS_MAX, "2020-01-15 01:30:00+00:00"}, /* earlier */
	    {"2020-01-16 00:00:00+00:00", 1, "2020-01-16 00:00:00+00:00"}, /* past the bound */
	};
	struct list_tracker *t = lists_new("7");
	int unit = 0;

	for (size_t c = 0; c < lengthof(cases); c++) {
		for (int i = 0; i < cases[c].lists; i++, unit++) {
			char r[256];
			int n = snprintf(r, sizeof r, "7\t%d\t2020\t%05d\t1\tH1\tt\tf\t\\N\t\\N\t\\N\t"
			                 "\\N\t%s", unit + 2, unit, cases[c].at);

			lists_row(t, r, (size_t)n);
		}
		if (cases[c].want == NULL)
			cr_assert(lists_latest_submitted(t) == NULL, "case %zu", c);
		else
			cr_assert(lists_latest_submitted(t) != NULL &&
			              strcmp(lists_latest_submitted(t), cases[c].want) == 0,
			          "case %zu: %s", c, lists_latest_submitted(t));
	}
	cr_assert(eq(int, lists_counted(t), 0), "%d lists", unit);
	lists_free(t);
}

/*
 * The fields a register row carries for the lists only (entity_name and
 * submitted_at) are cut before it is sent, whatever they hold: what is
 * left is the table's columns, and the next row starts clean.
 */
Test(lists, a_row_is_cut_to_the_fields_the_table_stores)
{
	static const struct {
		unsigned sent;  /* lists layout; 0: NULL (all) */
		const char *want;
	} cases[] = {
	    {0, "7\t2\t2020\t00004\t1\tH\\t1\tt\tf\t\\N\t72.5\tThôn\\n1\n"},
	    {LISTS_ALL_SENT & ~(1u << LISTS_YEAR),
	     "7\t2\t00004\t1\tH\\t1\tt\tf\t\\N\t72.5\tThôn\\n1\n"},
	    /* no village: the name follows score directly */
	    {LISTS_ALL_SENT & ~(1u << LISTS_YEAR) & ~(1u << 10),
	     "7\t2\t00004\t1\tH\\t1\tt\tf\t\\N\t72.5\n"},
	};

	for (size_t c = 0; c < lengthof(cases); c++) {
		struct lists_layout lay = {.sent = cases[c].sent, .year_num = 2020, .year = "2020"};
		const struct lists_layout *l = cases[c].sent != 0 ? &lay : NULL;
		struct copy_sink s;
		size_t start;

		copy_sink_tmp(&s);
		for (int pass = 0; pass < 2; pass++) {
			start = s.buf.len;
			copy_raw(&s, "7", 1);
			copy_int(&s, 2);
			if (l == NULL)
				copy_int(&s, 2020);
			copy_raw(&s, "00004", 5);
			copy_raw(&s, "1", 1);
			copy_text(&s, "H\t1", 3);
			copy_raw(&s, "t", 1);
			copy_raw(&s, "f", 1);
			copy_null(&s);
			copy_raw(&s, "72.5", 4);
			if (l == NULL || (l->sent & (1u << 10)))
				copy_text(&s, "Thôn\n1", strlen("Thôn\n1"));
			copy_text(&s, "Nguyễn\tVăn\\A", strlen("Nguyễn\tVăn\\A"));
			copy_raw(&s, "2020-01-15 08:00:00+07:00", 25);
			copy_row_keep(&s, lists_stored_fields(l));
			copy_row_end(&s);
			cr_assert(strcmp(s.buf.data + start, cases[c].want) == 0, "case %zu pass %d: %s", c,
			          pass, s.buf.data + start);
		}
		copy_sink_close(&s);
	}
}

/*
 * A row names its title by number (staging.register.title_no); the lists
 * and duplicates name it by key.  A title that is not a number of
 * ref.titles is not a staging.register row: nothing is counted.
 */
Test(lists, a_title_number_is_counted_under_its_key)
{
	static const struct {
		const char *no;
		int counted;
	} cases[] = {{"1", 1}, {"2", 1}, {"6", 1}, {"0", 0}, {"7", 0}, {"12", 0}, {"family", 0}};

	for (size_t c = 0; c < lengthof(cases); c++) {
		struct list_tracker *t = lists_new("7");
		char r[256];
		int n = snprintf(r, sizeof r, "7\t2\t2020\t00004\t%s\tH1\tt\tf\t\\N\t\\N\t\\N\t\\N\t\\N",
		                 cases[c].no);

		lists_row(t, r, (size_t)n);
		cr_assert(eq(int, lists_counted(t), cases[c].counted), "title_no %s", cases[c].no);
		lists_free(t);
	}
}

/*
 * Whether a file's rows are dated alike: what says that the lists of a file
 * too large to count, all dated with the file's latest, lose a difference.
 */
Test(lists, rows_dated_differently_are_told_apart)
{
	static const struct {
		const char *dates[3]; /* NULL: fewer rows */
		int differ;
	} cases[] = {
	    {{"\\N", "\\N", NULL}, 0},
	    {{"2020-01-15 08:00:00+07:00", NULL, NULL}, 0},
	    {{"2020-01-15 08:00:00+07:00", "2020-01-15 01:00:00+00:00", NULL}, 0}, /* one instant */
	    {{"2020-01-15 08:00:00+07:00", "2020-01-16 08:00:00+07:00", NULL}, 1},
	    {{"2020-01-15 08:00:00+07:00", "\\N", NULL}, 1},
	    {{"\\N", "2020-01-15 08:00:00+07:00", "2020-01-15 08:00:00+07:00"}, 1},
	};

	for (size_t c = 0; c < lengthof(cases); c++) {
		struct list_tracker *t = lists_new("7");

		for (int i = 0; i < 3 && cases[c].dates[i] != NULL; i++) {
			char r[256];
			int n = snprintf(r, sizeof r, "7\t%d\t2020\t%05d\t1\tH1\tt\tf\t\\N\t\\N\t\\N\t\\N\t%s",
			                 i + 2, i, cases[c].dates[i]);

			lists_row(t, r, (size_t)n);
		}
		cr_assert(eq(int, lists_dates_differ(t), cases[c].differ), "case %zu", c);
		lists_free(t);
	}
}

/*
 * The entities a list names twice, whatever the size of the table their
 * lookups go through: it grows while a list is read (a repeat after the
 * growth is still found), and a later list starts empty without a clear
 * (the same ids in the next list are no repeats).
 */
Test(lists, repeats_are_found_across_the_tables_growth_and_lists)
{
	static const struct {
		int entities, repeated;
	} cases[] = {{10, 3}, {600, 200}, {3000, 1000}, {20000, 1}};

	for (size_t c = 0; c < lengthof(cases); c++) {
		struct list_tracker *t = lists_new("7");
		struct lists_totals tot;
		long line = 2;
		char id[32];

		for (int list = 0; list < 3; list++) {
			const char *unit = list == 1 ? "00005" : list == 2 ? "00006" : "00004";

			for (int i = 0; i < cases[c].entities; i++) {
				snprintf(id, sizeof id, "00004-%06d", i);
				row(t, line++, unit, 2020, id);
			}
			/* the first list repeats its first ids, the others do not */
			for (int i = 0; list == 0 && i < cases[c].repeated; i++) {
				snprintf(id, sizeof id, "00004-%06d", i * 3 % cases[c].entities);
				row(t, line++, unit, 2020, id);
			}
		}
		lists_totals(t, &tot);
		cr_assert(eq(int, lists_checked(t), 1), "case %zu", c);
		cr_assert(eq(long, tot.lists, 3), "case %zu", c);
		cr_assert(eq(long, tot.entities, 3L * cases[c].entities + cases[c].repeated),
		          "case %zu", c);
		cr_assert(eq(i64, tot.duplicates, cases[c].repeated), "case %zu", c);
		lists_free(t);
	}
}

/*
 * Whatever the order of a list's ids: while each is greater than the one
 * before none is looked up, and the first that is not puts them all in the
 * table (a repeat of any of them is then found, and only a repeat).
 */
Test(lists, repeats_are_found_whatever_the_order_of_the_ids)
{
	static const struct {
		const char *ids[6];
		long long repeated;
	} cases[] = {
	    {{"A1", "A2", "A3"}, 0},          {{"A3", "A2", "A1"}, 0},
	    {{"A1", "A1"}, 1},                {{"A1", "A2", "A1", "A2"}, 2},
	    {{"A1", "A10", "A2", "A10"}, 1},  {{"A2", "A10"}, 0},
	    {{"B", "AB", "B"}, 1},            {{"AB", "A", "AB", "A"}, 2},
	    {{"A", "AB", "ABC", "AB"}, 1},    {{"A1", "A2", "A3", "A0", "A3", "A0"}, 2},
	};

	for (size_t c = 0; c < lengthof(cases); c++) {
		struct list_tracker *t = lists_new("7");
		struct lists_totals tot;
		long n = 0;

		for (; n < (long)lengthof(cases[c].ids) && cases[c].ids[n] != NULL; n++)
			row(t, n + 2, "00004", 2020, cases[c].ids[n]);
		lists_totals(t, &tot);
		cr_assert(eq(int, lists_checked(t), 1), "case %zu", c);
		cr_assert(eq(long, tot.entities, n), "case %zu", c);
		cr_assert(eq(i64, tot.duplicates, cases[c].repeated), "case %zu", c);
		lists_free(t);
	}
}

/*
 * A long ascending list, then every other id of it again backwards: each
 * is a repeat (the list stays within ENTITIES_MAX entities: only its rows
 * pass it).
 */
Test(lists, a_long_ascending_list_then_its_ids_again)
{
	static const int sizes[] = {1, 1023, 1024, 1025, 5000, ENTITIES_MAX - 1};

	for (size_t c = 0; c < lengthof(sizes); c++) {
		struct list_tracker *t = lists_new("7");
		struct lists_totals tot;
		char id[32];
		long line = 2;

		for (int i = 0; i < sizes[c]; i++) {
			snprintf(id, sizeof id, "00004-%06d", i);
			row(t, line++, "00004", 2020, id);
		}
		for (int i = sizes[c] - 1; i >= 0; i -= 2) {
			snprintf(id, sizeof id, "00004-%06d", i);
			row(t, line++, "00004", 2020, id);
		}
		lists_totals(t, &tot);
		cr_assert(eq(int, lists_checked(t), 1), "%d ids", sizes[c]);
		cr_assert(eq(i64, tot.duplicates, (sizes[c] + 1) / 2), "%d ids", sizes[c]);
		lists_free(t);
	}
}
