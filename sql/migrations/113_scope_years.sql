-- 113: which scope × year is provisional — fewer units reporting than
-- expected (docs/rules.md, "Provisional years").  Every row of rates,
-- comparison, funds, targets and rankings carries it.
--
-- Kept apart from mart.completeness, which has a row only for the years in
-- which the province has a tally figure: a year of funds alone (Hà Tĩnh
-- 2017) needs one too.  Units expected and reporting are counted as
-- completeness counts them: the scope's lowest-level units valid that year,
-- and those of them with a figure of any title summed into the scope or
-- their own fund summed.

CREATE TABLE mart.scope_years (
	scope_level      text NOT NULL,
	scope_code       text NOT NULL,
	province_code    text NOT NULL,
	year             smallint NOT NULL,
	units_expected   integer NOT NULL,
	units_reporting  integer NOT NULL,
	provisional      boolean NOT NULL,   -- units_reporting < units_expected
	PRIMARY KEY (scope_code, year)
);
CREATE INDEX scope_years_pair_idx ON mart.scope_years (province_code, year);
