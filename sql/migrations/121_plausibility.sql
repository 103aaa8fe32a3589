-- 121: plausibility — values that parse and break no invariant, yet cannot
-- be right: a commune fund of 99.999.999 million VND (about 100 trillion
-- VND) loaded without a word, and a rate written 73.935 became "reported
-- 73935%", a mere warning.  The bounds are data a province can adjust
-- (ref.plausibility, docs/rules.md "Plausibility"), and the households of a
-- unit, where a province knows them (ref.households), are data too.
-- hoctap-transform turns them into findings (sql/transform/50_findings.sql).

-- One bound per rule and level of unit: a value below low or above high is
-- a finding of that rule (core.rules).  NULL: no bound on that side; a rule
-- without a row for a level does not look at that level.
CREATE TABLE ref.plausibility (
	rule    text NOT NULL,
	level   text NOT NULL CHECK (level IN ('province', 'district', 'commune')),
	low     numeric CHECK (low >= 0),
	high    numeric CHECK (high >= 0),
	unit    text NOT NULL,    -- what low and high measure
	reason  text NOT NULL,    -- why this bound, for whoever changes it
	PRIMARY KEY (rule, level),
	CHECK (low IS NOT NULL OR high IS NOT NULL),
	CHECK (low IS NULL OR high IS NULL OR low <= high)
);

INSERT INTO ref.plausibility (rule, level, low, high, unit, reason) VALUES
('fund_above_ceiling', 'commune', NULL, 100000000000, 'VND a year',
 'More than a whole province mobilises in a year (Hà Tĩnh: 346,458 million VND over 2016-2020, about 69 billion a year); a commune fund this large is an amount written in the wrong unit or with a stray mark.'),
('fund_above_ceiling', 'district', NULL, 1000000000000, 'VND a year',
 'Ten communes at the commune ceiling; about fifteen times a whole province''s yearly fund.'),
('fund_above_ceiling', 'province', NULL, 10000000000000, 'VND a year',
 'About 150 times Hà Tĩnh''s yearly fund; the whole country''s education-promotion funds are of the order of a few thousand billion VND a year.'),
('fund_per_household', 'commune', 1000, 5000000, 'VND per household a year',
 'Provinces publish tens of thousands to a few hundred thousand VND per person a year, at about 3.6 persons a household (2019 census: 96.2 million people, 26.9 million households): some 35,000 to 1,000,000 VND a household. The bounds are far outside that, so that a finding means a wrong unit (VND for million VND) or a wrong household count.'),
('fund_per_household', 'district', 1000, 5000000, 'VND per household a year',
 'As for a commune.'),
('fund_per_household', 'province', 1000, 5000000, 'VND per household a year',
 'As for a commune.'),
('eligible_above_households', 'commune', NULL, 1.10, 'eligible households / households known',
 'Eligible households are all households of the commune, so they cannot exceed its households; the 10% margin allows for the households formed since the known count was made (about 2% a year).'),
('eligible_above_households', 'district', NULL, 1.10, 'eligible households / households known',
 'As for a commune.'),
('eligible_above_households', 'province', NULL, 1.10, 'eligible households / households known',
 'As for a commune.');

-- The households of a unit in a year, from a source the province trusts
-- (a census, the commune's own register of residents).  Loaded by the
-- database owner (docs/rules.md); a unit without a row is not checked.
-- No foreign key to ref.units: reloading the units must not depend on it.
CREATE TABLE ref.households (
	unit_code   text NOT NULL CHECK (unit_code ~ '^[0-9]{2,5}$'),
	year        smallint NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	households  bigint NOT NULL CHECK (households > 0),
	source      text NOT NULL,
	PRIMARY KEY (unit_code, year)
);

-- A change to either moves ref.versions.bounds, and the next run rebuilds
-- in full (transform/run.c): every year's findings follow the bounds in force.
ALTER TABLE ref.versions ADD COLUMN bounds bigint NOT NULL DEFAULT 1;
ALTER TABLE audit.runs ADD COLUMN bounds_version bigint;  -- ref.versions.bounds seen

CREATE FUNCTION ref.bounds_touched() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
BEGIN
	UPDATE ref.versions SET bounds = bounds + 1;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION ref.bounds_touched() FROM PUBLIC;

CREATE TRIGGER plausibility_touched
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ref.plausibility
	FOR EACH STATEMENT EXECUTE FUNCTION ref.bounds_touched();
CREATE TRIGGER households_touched
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ref.households
	FOR EACH STATEMENT EXECUTE FUNCTION ref.bounds_touched();

INSERT INTO core.rules (code, severity, template, missing_policy, meaning) VALUES
('rate_above_100', 'error',
 'reported rate {reported}% is above 100%{reading}',
 'Only a written rate is looked at.',
 'The percent the submitter wrote is above 100: no rate can be. Most often a decimal point that the Vietnamese convention reads as a thousands separator (73.935 read as 73935); the row''s counts may be misread alike, so its values are kept out.'),
('fund_above_ceiling', 'error',
 'mobilized {amount} VND ({million} million VND) is above the ceiling of {ceiling} VND a year for a {level}: check the amount, and whether it was written in VND or in million VND',
 'No finding when the amount is unknown, or ref.plausibility has no ceiling for the level.',
 'A fund amount above the hard ceiling of its level (ref.plausibility): kept out of every fund figure.'),
('fund_per_household', 'warning',
 'mobilized {amount} VND for {households} households ({households_from}) is {per_household} VND a household, outside the {low} to {high} VND a household that provinces publish: check the amount and its unit (VND or million VND)',
 'No finding when the amount is unknown or 0, or the unit''s households are unknown (neither eligible family households that year nor ref.households).',
 'The fund per household is far outside what provinces publish (ref.plausibility).'),
('eligible_above_households', 'warning',
 'eligible households {eligible} > {households} households known for {households_year} ({source}), more than the {margin} allowed for growth: eligible households are all households of the unit',
 'No finding when eligible is unknown or ref.households has no count for the unit in that year or before.',
 'Eligible households exceed the households a province knows for the unit (ref.households), beyond the margin of ref.plausibility.');
