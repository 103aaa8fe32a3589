/*
 * sqlfiles.h — the project's SQL, embedded at build time from sql/ so that
 * the programs never read the source tree at run time (cmake/EmbedSql.cmake
 * generates the definitions).
 *
 * hx_sql_migrations: sql/migrations/NNN_name.sql in ascending order.
 * hx_sql_scripts:    every other .sql under sql/ (e.g. "transform/10_core.sql").
 */
#ifndef HOCTAP_SQLFILES_H
#define HOCTAP_SQLFILES_H

#include <stddef.h>

struct hx_sql_file {
	const char *name; /* path relative to sql/, e.g. "migrations/001_schemas.sql" */
	const char *text; /* the file's contents, NUL-terminated */
};

extern const struct hx_sql_file hx_sql_migrations[];
extern const size_t hx_sql_migrations_count;
extern const struct hx_sql_file hx_sql_scripts[];
extern const size_t hx_sql_scripts_count;

/* The script named name (relative to sql/), or NULL. Borrowed, static. */
const char *hx_sql_script(const char *name);

#endif
