-- 024: register lists counted while a register file is loaded.
--
-- hoctap-ingest counts every list of a register file as its rows stream by
-- (one row per unit, year and title: how many entities, registered,
-- recognized and exemplary, the first and last line, the latest
-- submitted_at) and writes them here in the file's transaction, so that a
-- night reads a few rows per list instead of every household of the new
-- files again.  files.lists_counted says that every register row of the
-- file is in its lists (so it is true of a tally or fund file, which has
-- none; a file of more lists than ingest's bounded memory holds, or loaded
-- before this migration, has false and is counted by the transform from
-- its rows).  --full recounts every list from the rows.

ALTER TABLE staging.files
	ADD COLUMN lists_counted boolean NOT NULL DEFAULT false;

CREATE TABLE staging.register_lists (
	file_id       bigint NOT NULL REFERENCES staging.files (file_id),
	unit_code     text NOT NULL,
	year          smallint NOT NULL,
	title         text NOT NULL,
	first_line    integer NOT NULL,
	last_line     integer NOT NULL,
	entities      bigint NOT NULL CHECK (entities > 0),
	registered    bigint NOT NULL CHECK (registered BETWEEN 0 AND entities),
	recognized    bigint NOT NULL CHECK (recognized BETWEEN 0 AND entities),
	exemplary     bigint CHECK (exemplary BETWEEN 0 AND entities), -- NULL: no row said
	submitted_at  timestamptz,
	PRIMARY KEY (file_id, unit_code, year, title)
);
