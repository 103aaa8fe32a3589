-- 003: staging — every file as ingested (DESIGN.md §4.3, §5).
-- Rows keep the file and the physical line they came from; nothing here is
-- ever updated by the transform, so the full history stays queryable.

CREATE TABLE staging.files (
	file_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name           text NOT NULL,             -- base name as received
	path           text,                      -- where it was read from
	size_bytes     bigint NOT NULL,
	sha256         text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
	kind           text CHECK (kind IN ('tally', 'fund', 'register', 'json')),
	number_style   text CHECK (number_style IN ('vi', 'en')),
	received_at    timestamptz,               -- the file's modification time
	ingested_at    timestamptz NOT NULL DEFAULT pg_catalog.now(),
	-- loaded: every row loaded; partial: some rows rejected, the rest loaded;
	-- rejected: nothing of it loaded (unreadable, --strict, --max-rejects);
	-- duplicate: the same bytes were ingested before (duplicate_of).
	status         text NOT NULL CHECK (status IN ('loaded', 'partial', 'rejected', 'duplicate')),
	rows_read      integer NOT NULL DEFAULT 0,
	rows_loaded    integer NOT NULL DEFAULT 0,
	rows_rejected  integer NOT NULL DEFAULT 0,
	duplicate_of   bigint REFERENCES staging.files (file_id),
	message        text,                      -- why a file was rejected
	CHECK (status = 'duplicate' OR rows_read = rows_loaded + rows_rejected)
);
-- The same bytes load once: a second copy is recorded as a duplicate.
CREATE UNIQUE INDEX files_sha256_loaded_idx ON staging.files (sha256)
	WHERE status IN ('loaded', 'partial');
CREATE INDEX files_sha256_idx ON staging.files (sha256);

CREATE TABLE staging.tally (
	file_id        bigint NOT NULL REFERENCES staging.files (file_id),
	line           integer NOT NULL,          -- physical line in the file (1-based)
	year           smallint NOT NULL,
	unit_code      text NOT NULL,             -- a ref.units code (leading zeros restored)
	title          text NOT NULL,             -- a ref.titles key
	eligible       bigint CHECK (eligible >= 0),
	registered     bigint CHECK (registered >= 0),
	recognized     bigint CHECK (recognized >= 0),
	exemplary      bigint CHECK (exemplary >= 0),
	reported_rate  numeric,                   -- as written; its scale is the decimals written
	submitted_at   timestamptz,
	note           text
);
CREATE INDEX tally_key_idx ON staging.tally (unit_code, year, title);
CREATE INDEX tally_file_idx ON staging.tally (file_id);

CREATE TABLE staging.fund (
	file_id          bigint NOT NULL REFERENCES staging.files (file_id),
	line             integer NOT NULL,
	year             smallint NOT NULL,
	unit_code        text NOT NULL,
	mobilized_vnd    bigint CHECK (mobilized_vnd >= 0),  -- whole VND
	scholarships     bigint CHECK (scholarships >= 0),
	scholarship_vnd  bigint CHECK (scholarship_vnd >= 0),
	submitted_at     timestamptz
);
CREATE INDEX fund_key_idx ON staging.fund (unit_code, year);
CREATE INDEX fund_file_idx ON staging.fund (file_id);

-- One row per evaluated entity (household, clan, village, unit).  Large:
-- partitioned by year so that a year's work touches only its partition.
CREATE TABLE staging.register (
	file_id       bigint NOT NULL,
	line          integer NOT NULL,
	year          smallint NOT NULL,
	unit_code     text NOT NULL,
	title         text NOT NULL,
	entity_id     text NOT NULL,
	registered    boolean NOT NULL,
	recognized    boolean NOT NULL,
	exemplary     boolean,
	score         numeric,
	village       text,
	entity_name   text,
	submitted_at  timestamptz
) PARTITION BY RANGE (year);

DO $$
DECLARE
	y integer;
BEGIN
	FOR y IN 2010..2035 LOOP
		EXECUTE pg_catalog.format(
			'CREATE TABLE staging.register_%s PARTITION OF staging.register '
			'FOR VALUES FROM (%s) TO (%s)', y, y, y + 1);
	END LOOP;
END
$$;
CREATE TABLE staging.register_other PARTITION OF staging.register DEFAULT;
-- Rows arrive in file_id order, file after file: a BRIN index finds a file's
-- rows at almost no cost to COPY (a btree on file_id, every key equal within
-- a file, made loading a register list 2.4 times slower).
CREATE INDEX register_file_idx ON staging.register USING brin (file_id);

-- A row that could not be loaded, with where and why (DESIGN.md §4.3).
CREATE TABLE staging.rejects (
	reject_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	file_id     bigint NOT NULL REFERENCES staging.files (file_id),
	line        integer,                      -- physical line; NULL for whole-file causes
	col         text,                         -- column name as in the header
	value       text,                         -- the offending text
	reason      text NOT NULL,                -- a stable code, e.g. not_a_number
	message     text NOT NULL,                -- what a clerk can act on
	raw         text                          -- the raw line (capped)
);
CREATE INDEX rejects_file_idx ON staging.rejects (file_id);

-- Warnings that did not stop a row or file (e.g. an unknown extra column).
CREATE TABLE staging.file_warnings (
	file_id   bigint NOT NULL REFERENCES staging.files (file_id),
	line      integer,
	message   text NOT NULL
);
