-- 004: audit (transform runs, findings, closed years) and the marts that
-- hoctap-report reads (DESIGN.md §6).  The transform replaces mart rows
-- inside one transaction, so a reader sees either the old or the new set.
-- Rates are percentages rounded half away from zero to 2 decimals from exact
-- numerics (round(numeric, 2)); NULL where the base is unknown or 0.

CREATE TABLE audit.runs (
	run_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	started_at    timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	finished_at   timestamptz,
	mode          text NOT NULL CHECK (mode IN ('incremental', 'full', 'close', 'reopen')),
	max_file_id   bigint,       -- the last staging file this run took in
	pairs         integer,      -- (province, year) pairs recomputed
	findings      integer,      -- findings current after this run
	files_taken   integer,      -- staging files first taken in by this run
	ref_hash      text          -- md5 of ref.units: a change forces a full rebuild
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

-- Findings of the last transform, one per rule breach (DESIGN.md §5).
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
	PRIMARY KEY (scope_code, title, year)
);

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
