-- 100: the schema baseline — the whole schema as migrations 001–034 left it,
-- in one file, for a new database (docs/design.md, "Schema and migrations").
--
-- Those 34 steps were written for databases that only tests ever held; this
-- file replaces them.  A database already at 034 is recognised by
-- hoctap-ingest --migrate and marked as at this baseline without running it
-- (common/migrate.c); one at an older step is refused, naming the release
-- that upgrades it.  From here on, migrations are append-only and small.
--
-- Five schemas (docs/design.md, "Database"):
--   ref      reference data: administrative units, titles, plan targets
--   staging  files as ingested: ledger, raw rows with file and line, rejects
--   core     current normalised facts with provenance, after supersession
--   mart     aggregates that hoctap-report reads
--   audit    schema version, transform runs, findings, closed years
-- and three NOLOGIN roles that deployers grant to their login roles (README
-- "Roles"):
--   hoctap_ingest    reads ref, writes staging
--   hoctap_transform reads ref and staging, writes core, mart and audit
--   hoctap_report    reads mart only (and the schema version)
-- Privileges on tables come from the default privileges set first, so no
-- table repeats its grants.

-- ===================================================================
-- Schemas and roles
-- ===================================================================

CREATE SCHEMA IF NOT EXISTS ref;
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS mart;
CREATE SCHEMA IF NOT EXISTS audit;

COMMENT ON SCHEMA ref IS 'reference data: administrative units, titles, plan targets';
COMMENT ON SCHEMA staging IS 'files as ingested: ledger, raw rows with file and line, rejects';
COMMENT ON SCHEMA core IS 'current normalised facts with provenance, after supersession';
COMMENT ON SCHEMA mart IS 'aggregates that hoctap-report reads';
COMMENT ON SCHEMA audit IS 'schema version, transform runs, findings, closed years';

-- Roles belong to the whole cluster: another database migrating at the same
-- moment may create them first, which is fine.
DO $$
DECLARE
	r text;
BEGIN
	FOREACH r IN ARRAY ARRAY['hoctap_ingest', 'hoctap_transform', 'hoctap_report'] LOOP
		IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r) THEN
			BEGIN
				EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
			EXCEPTION WHEN duplicate_object OR unique_violation THEN
				NULL;
			END;
		END IF;
	END LOOP;
END
$$;

REVOKE ALL ON SCHEMA ref, staging, core, mart, audit FROM PUBLIC;

GRANT USAGE ON SCHEMA ref TO hoctap_ingest, hoctap_transform;
GRANT USAGE ON SCHEMA staging TO hoctap_ingest, hoctap_transform;
GRANT USAGE ON SCHEMA core TO hoctap_transform;
GRANT USAGE ON SCHEMA mart TO hoctap_transform, hoctap_report;
GRANT USAGE ON SCHEMA audit TO hoctap_ingest, hoctap_transform, hoctap_report;

ALTER DEFAULT PRIVILEGES IN SCHEMA ref GRANT SELECT ON TABLES TO hoctap_ingest, hoctap_transform;
ALTER DEFAULT PRIVILEGES IN SCHEMA staging
	GRANT SELECT, INSERT, UPDATE ON TABLES TO hoctap_ingest;
ALTER DEFAULT PRIVILEGES IN SCHEMA staging GRANT USAGE ON SEQUENCES TO hoctap_ingest;
ALTER DEFAULT PRIVILEGES IN SCHEMA staging GRANT SELECT ON TABLES TO hoctap_transform;
ALTER DEFAULT PRIVILEGES IN SCHEMA core
	GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON TABLES TO hoctap_transform;
ALTER DEFAULT PRIVILEGES IN SCHEMA core GRANT USAGE ON SEQUENCES TO hoctap_transform;
ALTER DEFAULT PRIVILEGES IN SCHEMA mart
	GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON TABLES TO hoctap_transform;
ALTER DEFAULT PRIVILEGES IN SCHEMA mart GRANT SELECT ON TABLES TO hoctap_report;
ALTER DEFAULT PRIVILEGES IN SCHEMA audit
	GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO hoctap_transform;
ALTER DEFAULT PRIVILEGES IN SCHEMA audit GRANT USAGE ON SEQUENCES TO hoctap_transform;

-- Every program reads the schema version before it works.
GRANT SELECT ON audit.schema_migrations TO hoctap_ingest, hoctap_transform, hoctap_report;

-- ===================================================================
-- ref: reference data.  Loaded by hoctap-ingest --units and --targets,
-- which replace a whole set in one transaction.
-- ===================================================================

-- The six titles of the movement.  sort_order is the title's number
-- (staging.register.title_no, hoctap-ingest's list in common/vocab.h):
-- never renumber it.
CREATE TABLE ref.titles (
	key         text PRIMARY KEY,
	name_vi     text NOT NULL,
	-- The base of the headline rate: recognized / eligible or / registered.
	headline    text NOT NULL CHECK (headline IN ('eligible', 'registered')),
	entity      text NOT NULL,
	sort_order  smallint NOT NULL UNIQUE
);

INSERT INTO ref.titles (key, name_vi, headline, entity, sort_order) VALUES
	('family',    'Gia đình học tập',         'eligible',   'household',                 1),
	('clan',      'Dòng họ học tập',          'registered', 'clan',                      2),
	('community', 'Cộng đồng học tập',        'eligible',   'village or residential group', 3),
	('commune',   'Cộng đồng học tập cấp xã', 'eligible',   'commune',                   4),
	('unit',      'Đơn vị học tập',           'registered', 'agency, school, enterprise', 5),
	('citizen',   'Công dân học tập',         'eligible',   'person',                    6);

CREATE TABLE ref.units (
	code            text PRIMARY KEY CHECK (code ~ '^[0-9]{2,5}$'),
	name            text NOT NULL,
	level           text NOT NULL CHECK (level IN ('province', 'district', 'commune')),
	parent_code     text REFERENCES ref.units (code) DEFERRABLE INITIALLY DEFERRED,
	valid_from      date,
	valid_to        date,
	successor_code  text REFERENCES ref.units (code) DEFERRABLE INITIALLY DEFERRED,
	-- Filled by the loader from the parent chain, for grouping and incremental work.
	province_code   text NOT NULL,
	district_code   text,
	CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_from <= valid_to),
	CHECK ((level = 'province') = (parent_code IS NULL))
);
CREATE INDEX units_parent_idx ON ref.units (parent_code);
CREATE INDEX units_province_idx ON ref.units (province_code, level);

CREATE TABLE ref.targets (
	scope_code      text NOT NULL REFERENCES ref.units (code) DEFERRABLE INITIALLY DEFERRED,
	title           text NOT NULL REFERENCES ref.titles (key),
	year            smallint NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	target_percent  numeric(5, 2) NOT NULL CHECK (target_percent BETWEEN 0 AND 100),
	PRIMARY KEY (scope_code, title, year)
);

-- ref.versions: counters bumped by every statement that changes ref.units
-- or ref.targets (hoctap-ingest --units or --targets, or an administrator
-- in psql; INSERT, UPDATE, DELETE or TRUNCATE).  Each run records the
-- counters it saw (audit.runs.units_version, targets_version).
--   * units: only when it differs from the last run's is ref.units hashed
--     whole and compared with that run's hash (a changed hash forces a full
--     rebuild; a reload of the same units moves the counter, not the hash);
--     mart.successors, made from ref.units alone, is rebuilt only then.
--   * targets: while it stays, a night recomputes the targets of its pairs
--     only; when it moves, every target.

CREATE TABLE ref.versions (
	singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
	units      bigint NOT NULL,
	targets    bigint NOT NULL
);
INSERT INTO ref.versions (singleton, units, targets) VALUES (true, 1, 1);

-- SECURITY DEFINER: whoever may change ref.units or ref.targets moves its
-- counter, without a grant on ref.versions itself.
CREATE FUNCTION ref.units_touched() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
BEGIN
	UPDATE ref.versions SET units = units + 1;
	RETURN NULL;
END
$$;
CREATE FUNCTION ref.targets_touched() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
BEGIN
	UPDATE ref.versions SET targets = targets + 1;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION ref.units_touched(), ref.targets_touched() FROM PUBLIC;

CREATE TRIGGER units_touched
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ref.units
	FOR EACH STATEMENT EXECUTE FUNCTION ref.units_touched();
CREATE TRIGGER targets_touched
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ref.targets
	FOR EACH STATEMENT EXECUTE FUNCTION ref.targets_touched();

-- ===================================================================
-- staging: every file as ingested.  Rows keep the file and the physical
-- line they came from; nothing here is ever updated by the transform, so
-- the full history stays queryable.
-- ===================================================================

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
	-- Every register list of the file was checked for entities listed twice
	-- while it loaded (its duplicates are in staging.register_dups); false
	-- for a file of more lists than ingest's bounded memory holds, which
	-- the transform checks from its rows (sql/transform/20_register.sql).
	entities_checked  boolean NOT NULL DEFAULT false,
	-- Every register row of the file is in its staging.register_lists
	-- (true of a tally or fund file, which has none); false: the transform
	-- counts its lists from the rows.  --full recounts every list.
	lists_counted     boolean NOT NULL DEFAULT false,
	-- The latest submitted_at of the file's rows: the date of each list of
	-- a file too large to count (ingest warns when the rows' dates differ).
	submitted_at      timestamptz,
	CHECK (status = 'duplicate' OR rows_read = rows_loaded + rows_rejected)
);
-- The same bytes load once: a second copy is recorded as a duplicate.
CREATE UNIQUE INDEX files_sha256_loaded_idx ON staging.files (sha256)
	WHERE status IN ('loaded', 'partial');
CREATE INDEX files_sha256_idx ON staging.files (sha256);

-- A commune's tally or fund file is a few dozen rows and a night brings
-- thousands: what the server does per row decides how long they take.  No
-- foreign key to staging.files (a query per row, checking what ingest
-- guarantees: a file's rows and its ledger row commit together, and no
-- ledger row is ever deleted), and no btree on (unit, year, title): the
-- transform joins these tables to the night's pairs in one hashed pass.  A
-- night needs the rows of its new files, which arrive in file_id order at
-- the end of the table: a BRIN index finds them for a range-map lookup per
-- loaded row.
CREATE TABLE staging.tally (
	file_id        bigint NOT NULL,
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
CREATE INDEX tally_file_brin ON staging.tally USING brin (file_id);

CREATE TABLE staging.fund (
	file_id          bigint NOT NULL,
	line             integer NOT NULL,
	year             smallint NOT NULL,
	unit_code        text NOT NULL,
	mobilized_vnd    bigint CHECK (mobilized_vnd >= 0),  -- whole VND
	scholarships     bigint CHECK (scholarships >= 0),
	scholarship_vnd  bigint CHECK (scholarship_vnd >= 0),
	submitted_at     timestamptz
);
CREATE INDEX fund_file_brin ON staging.fund USING brin (file_id);

-- One row per evaluated entity (household, clan, village, unit) of a
-- commune's list.  Large: partitioned by year, so that a year's work touches
-- only its partition.  The figures take from a row its list (unit, year,
-- title), entity_id (for duplicates), the three flags and the score; its
-- file and line say where it came from.  Not kept (docs/formats.md §5):
--   * the name of the head of the household, personal data no figure uses
--     (Decree 13/2023/NĐ-CP: personal data limited to what the processing
--     needs).  hoctap-ingest reads and checks it; it stays in the archived
--     file, at the line the row names;
--   * a per-row submitted_at: a list's latest is in staging.register_lists.
-- The title is kept as its number (ref.titles.sort_order: 2 bytes), next to
-- year so that neither needs padding.  No index: a night takes new lists as
-- ingest counted them (staging.register_lists) and reads these rows only
-- for a file ingest could not count; an index cost every loaded row a
-- lookup.
CREATE TABLE staging.register (
	file_id       bigint NOT NULL,
	line          integer NOT NULL,
	year          smallint NOT NULL,
	title_no      smallint NOT NULL, -- ref.titles.sort_order of the title
	unit_code     text NOT NULL,
	entity_id     text NOT NULL,
	registered    boolean NOT NULL,
	recognized    boolean NOT NULL,
	exemplary     boolean,
	score         numeric,
	village       text
) PARTITION BY RANGE (year);

-- A partition per year, whose year is the column's default: hoctap-ingest
-- copies a list straight into its year's partition and leaves the year out
-- of the COPY (sql/ingest/register_partitions.sql).  The partition's bound
-- still refuses a row of another year, so a wrong default could never
-- store a wrong year.
DO $$
DECLARE
	y integer;
BEGIN
	FOR y IN 2010..2035 LOOP
		EXECUTE pg_catalog.format(
			'CREATE TABLE staging.register_%s PARTITION OF staging.register '
			'FOR VALUES FROM (%s) TO (%s)', y, y, y + 1);
		EXECUTE pg_catalog.format(
			'ALTER TABLE staging.register_%s ALTER COLUMN year SET DEFAULT %s', y, y);
	END LOOP;
END
$$;
CREATE TABLE staging.register_other PARTITION OF staging.register DEFAULT;

-- Entities listed more than once in one list (same unit, year and title),
-- found by hoctap-ingest as the rows stream by, in the file's transaction
-- (staging.files.entities_checked).
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

-- Every list of a register file, counted by hoctap-ingest as its rows
-- stream by (staging.files.lists_counted), so that a night reads a few rows
-- per list instead of every household of the new files again.
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

-- A row that could not be loaded, with where and why (docs/design.md §4.3).
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

-- ===================================================================
-- audit and mart.  The transform replaces mart rows inside one
-- transaction, so a reader sees either the old or the new set.  Rates are
-- percentages rounded half away from zero to 2 decimals from exact numerics
-- (round(numeric, 2)); NULL where the base is unknown or 0.
-- ===================================================================

CREATE TABLE audit.runs (
	run_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	started_at    timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	finished_at   timestamptz,
	mode          text NOT NULL CHECK (mode IN ('incremental', 'full', 'close', 'reopen')),
	max_file_id   bigint,       -- the last staging file this run took in
	pairs         integer,      -- (province, year) pairs recomputed
	findings      integer,      -- findings current after this run
	files_taken   integer,      -- staging files first taken in by this run
	ref_hash      text,         -- md5 of ref.units: a change forces a full rebuild
	units_version bigint,       -- ref.versions.units seen
	targets_version bigint      -- ref.versions.targets seen
);

CREATE TABLE audit.closed_years (
	year       smallint PRIMARY KEY,
	closed_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
	-- The last staging file taken in when the year was closed: later files
	-- for that year are held out of the marts until it is reopened.
	max_file_id bigint NOT NULL,
	-- The last transform run whose marts were published: files taken in by
	-- later runs (core.file_runs) are the ones held out.
	run_id      bigint NOT NULL DEFAULT 0
);

-- Findings of the last transform, one per rule breach (docs/design.md §5).
CREATE TABLE audit.findings (
	finding_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code        text NOT NULL,
	severity    text NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
	unit_code   text,
	year        smallint,
	title       text,
	message     text NOT NULL,
	file        text,           -- staging.files.name of the value at fault
	file_id     bigint,
	line        integer,
	province_code text
);
CREATE INDEX findings_scope_idx ON audit.findings (province_code, year);

-- Rates per scope (province, district) × year × title.
CREATE TABLE mart.rates (
	scope_level      text NOT NULL CHECK (scope_level IN ('province', 'district')),
	scope_code       text NOT NULL,
	scope_name       text NOT NULL,
	province_code    text NOT NULL,
	year             smallint NOT NULL,
	title            text NOT NULL,
	eligible         bigint,
	registered       bigint,
	recognized       bigint,
	exemplary        bigint,
	rate_eligible    numeric(7, 2),
	rate_registered  numeric(7, 2),
	units_reporting  integer NOT NULL,   -- communes whose own figures are in the sums
	units_expected   integer NOT NULL,   -- communes valid on 31 December of the year
	-- The exact numerator and denominator of each rate: sums over the units
	-- that reported both values (docs/rules.md); equal to recognized and
	-- eligible/registered above when every unit reported both.
	rate_eligible_num    bigint,
	rate_eligible_den    bigint,
	rate_registered_num  bigint,
	rate_registered_den  bigint,
	-- Levels the figure was summed from: 'commune', 'district', 'province'
	-- or a '+'-joined mix (roll-ups start from the lowest level reported).
	source_level     text,
	PRIMARY KEY (scope_code, year, title)
);

CREATE TABLE mart.funds (
	scope_level      text NOT NULL,
	scope_code       text NOT NULL,
	scope_name       text NOT NULL,
	province_code    text NOT NULL,
	year             smallint NOT NULL,
	mobilized_vnd    bigint,
	cumulative_vnd   bigint,    -- sum of mobilized_vnd from the first year up to this one
	scholarships     bigint,
	scholarship_vnd  bigint,
	units_reporting  integer NOT NULL,
	PRIMARY KEY (scope_code, year)
);

CREATE TABLE mart.completeness (
	scope_level      text NOT NULL,
	scope_code       text NOT NULL,
	scope_name       text NOT NULL,
	province_code    text NOT NULL,
	year             smallint NOT NULL,
	units_expected   integer NOT NULL,
	units_reporting  integer NOT NULL,
	percent          numeric(5, 2),
	missing          text[] NOT NULL,   -- commune codes that sent nothing usable, sorted
	PRIMARY KEY (scope_code, year)
);

CREATE TABLE mart.targets (
	scope_level      text NOT NULL,
	scope_code       text NOT NULL,
	scope_name       text NOT NULL,
	province_code    text NOT NULL,
	title            text NOT NULL,
	year             smallint NOT NULL,
	target_percent   numeric(5, 2) NOT NULL,
	actual_percent   numeric(7, 2),     -- the title's headline rate (ref.titles.headline)
	gap_pp           numeric(7, 2),     -- actual - target, percentage points
	met              boolean,           -- NULL when actual is unknown
	-- The exact fraction of actual_percent (a commune's from its own fact),
	-- so that every rate is printed beside them and rechecked.
	numerator        bigint,
	denominator      bigint,
	PRIMARY KEY (scope_code, title, year)
);

-- Every unit's current fund figures with the file and line each came from
-- (hoctap-report --explain SCOPE YEAR fund), as mart.facts for the titles:
-- a district's or province's own row that its scope was not summed from is
-- not included, excluded_by 'cross_check'.
CREATE TABLE mart.fund_facts (
	unit_code         text NOT NULL,
	unit_name         text NOT NULL,
	unit_level        text NOT NULL,
	district_code     text,
	province_code     text NOT NULL,
	year              smallint NOT NULL,
	mobilized_vnd     bigint,
	scholarships      bigint,
	scholarship_vnd   bigint,
	amount_file       text,       -- staging.files.name of the mobilized amount
	amount_line       integer,
	scholarship_file  text,       -- and of the scholarships
	scholarship_line  integer,
	included          boolean NOT NULL,
	excluded_by       text,
	PRIMARY KEY (unit_code, year)
);
CREATE INDEX fund_facts_pair_idx ON mart.fund_facts (province_code, year);

-- A copy of audit.findings for readers of marts only.
CREATE TABLE mart.findings (
	code        text NOT NULL,
	severity    text NOT NULL,
	unit_code   text,
	year        smallint,
	title       text,
	message     text NOT NULL,
	file        text,
	line        integer,
	province_code text
);

-- One row per unit × year × title that a figure could draw on, with where
-- each value came from and whether it was kept: what --explain prints.
CREATE TABLE mart.facts (
	unit_code        text NOT NULL,
	unit_name        text NOT NULL,
	unit_level       text NOT NULL,
	district_code    text,
	province_code    text NOT NULL,
	year             smallint NOT NULL,
	title            text NOT NULL,
	eligible         bigint,
	registered       bigint,
	recognized       bigint,
	exemplary        bigint,
	counts_source    text CHECK (counts_source IN ('tally', 'register')),
	eligible_file    text,
	eligible_line    integer,
	counts_file      text,
	counts_line      integer,
	reported_rate    numeric,
	included         boolean NOT NULL,   -- false: excluded by an error finding or a cross-check
	excluded_by      text,               -- finding code(s) when not included
	PRIMARY KEY (unit_code, year, title)
);

-- The files the marts were built from (for manifest.json).
CREATE TABLE mart.inputs (
	file_id      bigint PRIMARY KEY,
	name         text NOT NULL,
	sha256       text NOT NULL,
	size_bytes   bigint NOT NULL,
	status       text NOT NULL,
	ingested_at  timestamptz NOT NULL
);

-- One row: when the marts were built and from data up to when.
CREATE TABLE mart.status (
	singleton       boolean PRIMARY KEY DEFAULT true CHECK (singleton),
	transformed_at  timestamptz NOT NULL,
	data_as_of      timestamptz,        -- ingested_at of the newest input taken in
	run_id          bigint
);

-- Units that ended (ref.units valid_to) mapped to the unit that carries
-- their figures on: the end of the successor_code chain.  A comparison
-- across a merger adds a predecessor's sums into its successor's before
-- dividing (docs/rules.md, "Mergers").
CREATE TABLE mart.successors (
	unit_code        text PRIMARY KEY,
	unit_level       text NOT NULL,
	valid_to         date,
	successor_code   text NOT NULL,
	successor_name   text NOT NULL,
	successor_level  text NOT NULL
);

-- mart.rates with every scope that ended added into its successor of the
-- same level: the basis for comparing years across a merger.  Sums, and
-- rates again as ratios of the summed numerators and denominators.
CREATE VIEW mart.rates_on_successors AS
SELECT r.scope_level,
       coalesce(s.successor_code, r.scope_code) AS scope_code,
       max(coalesce(s.successor_name, r.scope_name)) AS scope_name,
       min(r.province_code) AS province_code,
       r.year, r.title,
       sum(r.eligible)::bigint AS eligible,
       sum(r.registered)::bigint AS registered,
       sum(r.recognized)::bigint AS recognized,
       sum(r.exemplary)::bigint AS exemplary,
       CASE WHEN sum(r.rate_eligible_den) > 0
            THEN round(100::numeric * sum(r.rate_eligible_num) / sum(r.rate_eligible_den), 2)
       END AS rate_eligible,
       CASE WHEN sum(r.rate_registered_den) > 0
            THEN round(100::numeric * sum(r.rate_registered_num) / sum(r.rate_registered_den), 2)
       END AS rate_registered,
       sum(r.units_reporting)::integer AS units_reporting,
       sum(r.units_expected)::integer AS units_expected,
       sum(r.rate_eligible_num)::bigint AS rate_eligible_num,
       sum(r.rate_eligible_den)::bigint AS rate_eligible_den,
       sum(r.rate_registered_num)::bigint AS rate_registered_num,
       sum(r.rate_registered_den)::bigint AS rate_registered_den,
       string_agg(r.scope_code, ',' ORDER BY r.scope_code) AS scopes
FROM mart.rates r
LEFT JOIN mart.successors s ON s.unit_code = r.scope_code AND s.successor_level = r.scope_level
GROUP BY r.scope_level, coalesce(s.successor_code, r.scope_code), r.year, r.title;

-- The marts a night deletes a province's rows from, found by the pair.
CREATE INDEX rates_pair_idx ON mart.rates (province_code, year);
CREATE INDEX completeness_pair_idx ON mart.completeness (province_code, year);
CREATE INDEX funds_province_idx ON mart.funds (province_code);

-- ===================================================================
-- core: the normalised facts the marts are built from, with the file and
-- line of every value, and the finding rules as data.  Written only by
-- hoctap-transform (sql/transform/*.sql); docs/rules.md explains every rule
-- and column.
-- ===================================================================

CREATE TABLE core.file_runs (
	file_id  bigint PRIMARY KEY,
	run_id   bigint NOT NULL
);
CREATE INDEX file_runs_run_idx ON core.file_runs (run_id);

-- core.file_pairs: the (province, year) pairs each file taken in has rows
-- for (tally, fund or register list), written by the run that takes the
-- file in (every file again on --full).  A night reads the tally and fund
-- rows of the files of its pairs only, found by file_id, instead of every
-- staged row.
CREATE TABLE core.file_pairs (
	province_code  text NOT NULL,
	year           smallint NOT NULL,
	file_id        bigint NOT NULL,
	PRIMARY KEY (province_code, year, file_id)
);

-- One register list: the rows of one file for one unit, year and title,
-- aggregated once when the file is first taken in.  Later runs never read
-- those staging.register rows again (except --full).
CREATE TABLE core.register_lists (
	unit_code     text NOT NULL,
	year          smallint NOT NULL,
	title         text NOT NULL,
	file_id       bigint NOT NULL,
	first_line    integer NOT NULL,
	last_line     integer NOT NULL,
	entities      bigint NOT NULL,     -- rows of the list
	registered    bigint NOT NULL,
	recognized    bigint NOT NULL,
	exemplary     bigint,              -- NULL when the list has no exemplary column
	submitted_at  timestamptz,
	PRIMARY KEY (unit_code, year, title, file_id)
);
CREATE INDEX register_lists_file_idx ON core.register_lists (file_id);
CREATE INDEX register_lists_year_idx ON core.register_lists (year);

-- Entities that appear more than once in one list.
CREATE TABLE core.register_dups (
	unit_code   text NOT NULL,
	year        smallint NOT NULL,
	title       text NOT NULL,
	file_id     bigint NOT NULL,
	entity_id   text NOT NULL,
	n           bigint NOT NULL,
	first_line  integer NOT NULL,
	last_line   integer NOT NULL,
	PRIMARY KEY (unit_code, year, title, file_id, entity_id)
);
CREATE INDEX register_dups_file_idx ON core.register_dups (file_id);

-- The current value of every unit × year × title after supersession and
-- register precedence, each with its source file and line.
CREATE TABLE core.facts (
	unit_code         text NOT NULL,
	year              smallint NOT NULL,
	title             text NOT NULL,
	province_code     text NOT NULL,
	district_code     text,
	unit_level        text NOT NULL,
	eligible          bigint,
	eligible_file_id  bigint,
	eligible_line     integer,
	registered        bigint,
	recognized        bigint,
	exemplary         bigint,
	counts_source     text CHECK (counts_source IN ('tally', 'register')),
	counts_file_id    bigint,
	counts_line       integer,
	-- The latest tally row with counts (kept when a list wins, for the
	-- register-vs-tally and reported-rate rules).
	tally_eligible    bigint,
	tally_registered  bigint,
	tally_recognized  bigint,
	tally_exemplary   bigint,
	tally_file_id     bigint,
	tally_line        integer,
	reported_rate     numeric,
	included          boolean NOT NULL DEFAULT true,
	excluded_by       text,
	PRIMARY KEY (unit_code, year, title)
);
CREATE INDEX facts_pair_idx ON core.facts (province_code, year);

-- The current fund figures of every unit × year: the mobilized amount from
-- the latest row that gives one, the scholarships (count and value
-- together) from the latest row that gives either.
CREATE TABLE core.funds (
	unit_code        text NOT NULL,
	year             smallint NOT NULL,
	province_code    text NOT NULL,
	district_code    text,
	unit_level       text NOT NULL,
	mobilized_vnd    bigint,
	scholarships     bigint,
	scholarship_vnd  bigint,
	file_id          bigint NOT NULL,
	line             integer NOT NULL,
	included         boolean NOT NULL DEFAULT true,
	excluded_by      text,
	-- The scholarships supersede apart from the amount: their own source
	-- (file_id and line above are the amount's, or the scholarships' when
	-- no row gives an amount).
	scholarship_file_id bigint,
	scholarship_line integer,
	PRIMARY KEY (unit_code, year)
);
CREATE INDEX funds_pair_idx ON core.funds (province_code, year);

-- The finding rules (docs/design.md §5).  severity 'error' keeps the value out
-- of every aggregate; 'warning' and 'info' keep it in.  template is the
-- message after "FILE:LINE: UNIT NAME, YEAR, TITLE: ", with {name}
-- placeholders filled by the rule's query (core.render).
CREATE TABLE core.rules (
	code            text PRIMARY KEY,
	severity        text NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
	template        text NOT NULL,
	missing_policy  text NOT NULL,
	meaning         text NOT NULL
);

INSERT INTO core.rules (code, severity, template, missing_policy, meaning) VALUES
('invariant_breach', 'error',
 '{lower} {lower_value} > {upper} {upper_value}{eligible_from}: exemplary <= recognized <= registered <= eligible must hold',
 'Every pair of values that are both known is compared (one finding per pair broken); a missing value is no breach.',
 'The current values of a unit, year and title contradict each other.'),
('reported_rate_mismatch', 'warning',
 'reported {reported}% but recognized/{base_name} = {recognized}/{base} = {computed}%{sources}',
 'No finding when recognized or the headline base (eligible for family, community, commune, citizen; registered for clan, unit) is unknown or 0.',
 'The percent the submitter wrote is neither the rounding (half away from zero) nor the truncation, to the decimals written, of the current headline rate.'),
('register_tally_mismatch', 'warning',
 'the register list ({list_at}) gives {list_values}, the tally gives {tally_values}; the list is used',
 'Only counts present on both sides are compared.',
 'A register list and a tally for the same unit, year and title disagree.'),
('rollup_mismatch', 'warning',
 'the {level} tally gives {tally_values}, its {units} reporting {lower} sum to {sum_values}; the sum is used',
 'Only counts present in the tally and in at least one lower unit are compared.',
 'A district or province tally differs from the sum of the units below it (which is what the roll-up uses).'),
('duplicate_entity', 'warning',
 '{dups} listed more than once: {examples}; every line is counted',
 'Not applicable.',
 'The same entity_id is listed twice or more in one register list.'),
('fund_rollup_mismatch', 'warning',
 'the {level} fund gives {fund_values}, its {units} reporting {lower} sum to {sum_values}; the sum is used',
 'Only amounts present in the fund row and known for at least one unit below are compared.',
 'A district or province fund row differs from the sum of the units below it (which is what the roll-up uses).'),
('eligible_jump', 'warning',
 'households {previous} in {previous_year} -> {current} in {year} ({change} %)',
 'No finding unless both years give eligible households and the earlier one is not 0.',
 'Eligible households change by more than 25% from one year to the next.'),
('unit_not_valid', 'error',
 '{unit_name} ({unit}) was not valid in {year} ({validity}{successor})',
 'Open validity dates mean always valid; a unit valid on any day of the year is valid that year.',
 'A unit reported under a code that was not valid that year.'),
('closed_year', 'info',
 'year {year} is closed: this submission is held out of the figures until hoctap-transform --reopen {year}',
 'Not applicable.',
 'A submission for a closed year arrived after it was closed.');

-- Fill {name} placeholders of template from args (a jsonb object of text).
CREATE FUNCTION core.render(template text, args jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	k text;
	v text;
	result text := template;
BEGIN
	FOR k, v IN SELECT e.key, e.value FROM pg_catalog.jsonb_each_text(args) AS e LOOP
		result := pg_catalog.replace(result, '{' || k || '}', coalesce(v, 'unknown'));
	END LOOP;
	RETURN result;
END
$$;

-- 7105 -> '7,105' for messages.
CREATE FUNCTION core.fmt_int(n bigint) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN n IS NULL THEN 'unknown'
	            ELSE pg_catalog.to_char(n, 'FM999,999,999,999,999,990') END
$$;

-- Whether a unit is valid in year: valid on at least one of its days
-- (open dates: always).
CREATE FUNCTION core.valid_in(valid_from date, valid_to date, year smallint) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT (valid_from IS NULL OR valid_from <= pg_catalog.make_date(year, 12, 31))
	   AND (valid_to IS NULL OR valid_to >= pg_catalog.make_date(year, 1, 1))
$$;

-- A rate in percent, rounded half away from zero to 2 decimals from exact
-- numerics; NULL when the base is unknown or 0.
CREATE FUNCTION core.rate(num bigint, den bigint) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN num IS NULL OR den IS NULL OR den = 0 THEN NULL
	            ELSE pg_catalog.round(100::numeric * num / den, 2) END
$$;

-- Every tally value ever submitted, with whether it is the current one:
-- the history stays queryable (docs/design.md §5).
CREATE VIEW core.tally_history AS
SELECT t.unit_code, t.year, t.title, t.file_id, f.name AS file, t.line, t.submitted_at,
       t.eligible, t.registered, t.recognized, t.exemplary, t.reported_rate, f.status,
       (c.eligible_file_id = t.file_id AND c.eligible_line = t.line) AS current_eligible,
       (c.tally_file_id = t.file_id AND c.tally_line = t.line) AS current_counts
FROM staging.tally t
JOIN staging.files f ON f.file_id = t.file_id
LEFT JOIN core.facts c ON c.unit_code = t.unit_code AND c.year = t.year AND c.title = t.title;

-- "FILE:LINE: UNIT NAME, YEAR, TITLE: " followed by the rendered template.
CREATE FUNCTION core.finding_message(template text, file text, line integer, unit_code text,
                                     unit_name text, year smallint, title text, args jsonb)
RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT coalesce(file || coalesce(':' || line, '') || ': ', '')
	       || unit_code || ' ' || unit_name || ', ' || year || coalesce(', ' || title, '')
	       || ': ' || core.render(template,
	                              args || pg_catalog.jsonb_build_object('year', year::text))
$$;
