/*
 * tables.c — the staging tables' columns and COPY statements, made from the
 * lists of tables.h.
 */
#include "lengthof.h"
#include "lists.h"
#include "tables.h"

#define SPEC(col, name, type, required, key) {col, type, required, key, #name},
#define COPY_NAME(col, name, type, required, key) ", " #name
#define COPY_SQL(table, COLUMNS) \
	"COPY staging." table " (file_id, line" COLUMNS(COPY_NAME) ") FROM STDIN"

static const struct table_col tally_cols[] = {TALLY_COLUMNS(SPEC)};
static const struct table_col fund_cols[] = {FUND_COLUMNS(SPEC)};
static const struct table_col register_cols[] = {REGISTER_COLUMNS(SPEC)
                                                 REGISTER_LIST_COLUMNS(SPEC)};

/* The rows a register converter writes are those lists.c reads. */
#define COUNT(col, name, type, required, key) +1
_Static_assert(2 + lengthof(register_cols) == LISTS_COLUMNS,
               "a register row's columns are lists.h's");
_Static_assert(2 + (0 REGISTER_COLUMNS(COUNT)) == LISTS_STORED,
               "staging.register keeps lists.h's LISTS_STORED columns");

static const struct staging_table tables[] = {
	{KIND_TALLY, tally_cols, lengthof(tally_cols),
	 COPY_SQL("tally", TALLY_COLUMNS)},
	{KIND_FUND, fund_cols, lengthof(fund_cols),
	 COPY_SQL("fund", FUND_COLUMNS)},
	{KIND_REGISTER, register_cols, lengthof(register_cols),
	 COPY_SQL("register", REGISTER_COLUMNS)},
};

const struct staging_table *staging_table(enum file_kind kind)
{
	for (size_t i = 0; i < lengthof(tables); i++)
		if (tables[i].kind == kind)
			return &tables[i];
	return NULL;
}
