-- 104: the marts a committee needs to see its communes and to compare
-- across the 2025 reform (docs/outputs.md).
--
--   * mart.rates and mart.completeness carry commune rows (scope_level
--     'commune'), and every row the district it lies in that year
--     (district_code: a district's own code, a commune's district up to
--     2024, none for a province or for a commune from 2025).
--   * mart.units and mart.lineage copy ref.unit_periods and ref.unit_lineage
--     for hoctap-report, which reads marts only: a comparison of two years is
--     made on the units of the later one, and the figures of the earlier
--     year are re-added onto them through the lineage.

ALTER TABLE mart.rates DROP CONSTRAINT rates_scope_level_check;
ALTER TABLE mart.rates ADD CONSTRAINT rates_scope_level_check
	CHECK (scope_level IN ('province', 'district', 'commune'));
ALTER TABLE mart.rates ADD COLUMN district_code text;
ALTER TABLE mart.completeness ADD COLUMN district_code text;

-- What every code was in each period (core.unit_periods).
CREATE TABLE mart.units (
	code           text NOT NULL,
	valid_from     date NOT NULL,
	valid_to       date NOT NULL,
	name           text NOT NULL,
	unit_type      text,
	level          text NOT NULL,
	parent_code    text,
	province_code  text NOT NULL,
	district_code  text,
	PRIMARY KEY (code, valid_from)
);

-- Where each old unit went (ref.unit_lineage), with the levels of both
-- ends: a comparison re-adds figures along pairs of the same level only.
CREATE TABLE mart.lineage (
	old_code     text NOT NULL,
	old_level    text,          -- NULL: a code the unit lists do not hold
	new_code     text NOT NULL,
	new_level    text NOT NULL,
	effective    date NOT NULL,
	kind         text NOT NULL,
	carries      boolean NOT NULL,
	approximate  boolean NOT NULL,
	PRIMARY KEY (old_code, new_code, effective)
);
CREATE INDEX lineage_new_idx ON mart.lineage (new_code);
