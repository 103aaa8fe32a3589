/*
 * builtin.h — the official unit lists that hoctap ships (ref/, embedded in
 * hoctap-ingest at build time by cmake/EmbedData.cmake): the 4 January 2025
 * list of communes with their districts and provinces, the 3,321 communes of
 * 1 July 2025 under 34 provinces, and the official conversion table (new
 * commune <- old commune).  builtin_read() turns them into unit periods and
 * lineage pairs and counts the tables' own inconsistencies, each with
 * examples; it guesses nothing (ref/README.md, docs/rules.md).
 */
#ifndef HOCTAP_INGEST_BUILTIN_H
#define HOCTAP_INGEST_BUILTIN_H

#include <stddef.h>

#include "error.h"
#include "units.h"
#include "vocab.h"

/* The day the two-level government began, and the last day of the old units. */
#define REFORM_FIRST_DAY "2025-07-01"
#define REFORM_LAST_OLD_DAY "2025-06-30"

/* One embedded file of ref/ (generated: builtin_files.c). */
struct builtin_file {
	const char *name;  /* "communes-2025-01-04.csv" */
	const char *data;  /* its bytes, NUL-terminated */
	size_t len;
};
extern const struct builtin_file builtin_files[];

/* One period of one code (a units file row, or what a list says of a unit). */
struct unit_row {
	char code[UNIT_CODE_MAX + 1], parent[UNIT_CODE_MAX + 1], successor[UNIT_CODE_MAX + 1];
	char *name;               /* owned */
	char type[24];            /* the name's leading words (ref_unit_type), "" if none */
	enum hx_level level;
	char from[11], to[11];    /* YYYY-MM-DD, "" when open */
	const char *file;         /* borrowed: a path, or "ref/NAME" for the shipped lists */
	long line;
	int builtin;              /* from the shipped lists */
	int dropped;              /* a file row that restates a shipped period: not written */
	/* Filled when the set is checked: */
	char province[UNIT_CODE_MAX + 1], district[UNIT_CODE_MAX + 1];
};

enum lineage_kind { LINEAGE_WHOLE, LINEAGE_POPULATION, LINEAGE_PART };

/* One (old unit -> new unit) pair. */
struct lineage_row {
	char old_code[UNIT_CODE_MAX + 1], new_code[UNIT_CODE_MAX + 1];
	char effective[11];
	enum lineage_kind kind;
	int carries;              /* the old unit's figures go to new_code */
	int approximate;          /* the old unit moved in parts */
	char *note;               /* owned: the note as the table wrote it */
	const char *file;         /* borrowed */
	long line;
};

/* A fact or flaw of the lists, counted, with up to three examples. */
struct ref_note {
	int flaw;                 /* 1: an inconsistency of the lists; 0: a fact worth saying */
	char *text;               /* owned: "10 old codes of ... are not in ..." */
	char *examples;           /* owned, "" when none */
};

struct ref_set {
	struct unit_row *units;
	size_t nunits, capunits;
	struct lineage_row *lineage;
	size_t nlineage, caplineage;
	struct ref_note *notes;
	size_t nnotes, capnotes;
};

/*
 * Read the shipped lists into set (which must be zeroed): their periods
 * (old units valid until 2025-06-30, new ones from 2025-07-01), lineage
 * pairs with kinds, carriers and the approximate flag, the successor of
 * every old unit, and notes.  Returns 0, or -1 with err (HX_SOFTWARE: the
 * embedded data is not what this program was written for).
 */
int builtin_read(struct ref_set *set, struct hx_error *err);

/* Free what set owns and zero it. */
void ref_set_free(struct ref_set *set);

/* A new row at the end of set->units / set->lineage, zeroed.  Borrowed until the next add. */
struct unit_row *ref_set_add_unit(struct ref_set *set);
struct lineage_row *ref_set_add_lineage(struct ref_set *set);

/*
 * The type a unit's name begins with, in its usual spelling ("Xã",
 * "Phường", "Thị trấn", "Đặc khu", "Huyện", "Quận", "Thị xã", "Thành phố",
 * "Tỉnh"), whatever the case or the marks of the name; "" when the name
 * begins with none.  Static text.
 */
const char *ref_unit_type(const char *name);

/* The kind of a conversion-table note; -1 when it says none of them. */
int ref_lineage_kind(const char *note, enum lineage_kind *kind);

/* "whole", "population", "part". */
const char *ref_lineage_kind_name(enum lineage_kind kind);

#endif
