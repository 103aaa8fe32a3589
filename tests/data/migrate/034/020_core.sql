-- 020: core — the normalised facts the marts are built from, with the file
-- and line of every value (DESIGN.md §5), and the finding rules as data.
-- Written only by hoctap-transform (sql/transform/*.sql); docs/rules.md
-- explains every rule and column.

-- Which transform run first took in each staging file.  Closing a year
-- holds out the files taken in after the closing (audit.closed_years.run_id);
-- a file committed late by a concurrent ingest is still taken in next time,
-- whatever its file_id.
CREATE TABLE core.file_runs (
	file_id  bigint PRIMARY KEY,
	run_id   bigint NOT NULL
);
CREATE INDEX file_runs_run_idx ON core.file_runs (run_id);

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

-- The current fund figures of every unit × year (the latest row wins whole).
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
	PRIMARY KEY (unit_code, year)
);
CREATE INDEX funds_pair_idx ON core.funds (province_code, year);

-- The finding rules (DESIGN.md §5).  severity 'error' keeps the value out
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
 'reported {reported}% but recognized/{base_name} = {recognized}/{base} = {computed}%',
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
-- the history stays queryable (DESIGN.md §5).
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
