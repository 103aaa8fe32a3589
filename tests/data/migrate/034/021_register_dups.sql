-- 021: duplicate entities found while a register list is loaded.
--
-- hoctap-ingest sees every row of a register file as it streams it, so it
-- finds an entity listed twice in one list (same unit, year and title) there,
-- at no cost to the server, instead of the transform grouping every staged
-- row by entity again.  A file whose lists ingest checked completely has
-- staging.files.entities_checked set and its duplicates (possibly none) in
-- staging.register_dups, in the same transaction as its rows.  Files loaded
-- before this migration, or whose lists were too large or too scattered for
-- ingest's bounded memory, keep entities_checked false and are checked by
-- the transform from their rows (sql/transform/20_register.sql).

ALTER TABLE staging.files
	ADD COLUMN entities_checked boolean NOT NULL DEFAULT false;

CREATE TABLE staging.register_dups (
	file_id     bigint NOT NULL REFERENCES staging.files (file_id),
	unit_code   text NOT NULL,
	year        smallint NOT NULL,
	title       text NOT NULL,
	entity_id   text NOT NULL,
	n           integer NOT NULL CHECK (n > 1),   -- rows listing the entity
	first_line  integer NOT NULL,                 -- physical lines of the first
	last_line   integer NOT NULL,                 -- and the last of them
	PRIMARY KEY (file_id, unit_code, year, title, entity_id)
);
