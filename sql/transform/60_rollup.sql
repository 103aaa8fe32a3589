-- 60_rollup: commune -> district -> province for the pairs (docs/rules.md).
--   * Roll-ups start from the lowest level reported: a district's figure is
--     the sum of its communes' included facts for that title and year, or,
--     when none of them has one, the district's own tally; a province's is
--     the sum of its districts' figures (and of communes directly under it),
--     or, when there are none, the province's own tally.
--   * A higher-level tally that was not used is a cross-check, never added
--     on top: a difference from the sum is a rollup_mismatch finding.
--   * Rates are ratios of sums.  rate_eligible = sum of recognized / sum of
--     eligible over the units that gave both; rate_registered likewise.

-- The included facts of the pairs (50_findings keeps pair_facts up to date
-- with the exclusions): a view, not another copy.
CREATE TEMP VIEW fx AS
SELECT f.* FROM pg_temp.pair_facts f WHERE f.included;

-- Which unit's fact goes into which scope's sums, with the values summed
-- (expected is one row per scope, year and unit, so joining it never
-- duplicates a contribution).  contrib_own holds the rows summed into
-- each scope directly: a district's communes (or its own tally), a
-- province's communes without a district (or its own tally).  A
-- province also sums its districts' rows: contrib, a view, adds them
-- under it, so that they are not written twice (106,000 rows at scale
-- 0.3).
CREATE TEMP TABLE contrib_own (
	scope_code     text NOT NULL,
	scope_level    text NOT NULL,
	province_code  text NOT NULL,
	year           smallint NOT NULL,
	title          text NOT NULL,
	unit_code      text NOT NULL,
	unit_level     text NOT NULL,
	eligible       bigint,
	registered     bigint,
	recognized     bigint,
	exemplary      bigint
) ON COMMIT DROP;

CREATE TEMP VIEW contrib AS
SELECT c.scope_code, c.scope_level, c.province_code, c.year, c.title, c.unit_code,
       c.unit_level, c.eligible, c.registered, c.recognized, c.exemplary
FROM pg_temp.contrib_own c
UNION ALL
SELECT c.province_code, 'province', c.province_code, c.year, c.title, c.unit_code,
       c.unit_level, c.eligible, c.registered, c.recognized, c.exemplary
FROM pg_temp.contrib_own c
WHERE c.scope_level = 'district';

INSERT INTO pg_temp.contrib_own
SELECT f.district_code, 'district', f.province_code, f.year, f.title, f.unit_code,
       f.unit_level, f.eligible, f.registered, f.recognized, f.exemplary
FROM pg_temp.fx f
WHERE f.unit_level = 'commune' AND f.district_code IS NOT NULL;
-- Statistics before each statement that reads what the last one wrote:
-- without them the planner takes a filled table for empty and loops.
ANALYZE pg_temp.contrib_own;

INSERT INTO pg_temp.contrib_own
SELECT f.unit_code, 'district', f.province_code, f.year, f.title, f.unit_code,
       f.unit_level, f.eligible, f.registered, f.recognized, f.exemplary
FROM pg_temp.fx f
WHERE f.unit_level = 'district'
  AND NOT EXISTS (SELECT FROM pg_temp.contrib_own c
                  WHERE c.scope_code = f.unit_code AND c.year = f.year AND c.title = f.title);

INSERT INTO pg_temp.contrib_own
SELECT f.province_code, 'province', f.province_code, f.year, f.title, f.unit_code,
       f.unit_level, f.eligible, f.registered, f.recognized, f.exemplary
FROM pg_temp.fx f
WHERE f.unit_level = 'commune' AND f.district_code IS NULL;
ANALYZE pg_temp.contrib_own;

-- A province's own tally, when nothing was summed into it (its districts'
-- rows included: contrib).
INSERT INTO pg_temp.contrib_own
SELECT f.unit_code, 'province', f.province_code, f.year, f.title, f.unit_code,
       f.unit_level, f.eligible, f.registered, f.recognized, f.exemplary
FROM pg_temp.fx f
WHERE f.unit_level = 'province'
  AND NOT EXISTS (SELECT FROM pg_temp.contrib c
                  WHERE c.scope_code = f.unit_code AND c.year = f.year AND c.title = f.title);
ANALYZE pg_temp.contrib_own;

-- Units expected to report, per scope and year: the lowest-level units
-- within the scope that are valid that year (on its 31 December) — its
-- communes; a district without communes that year counts itself, and so
-- does a province without districts or communes (Hà Tĩnh reporting at
-- province level only).  The structure is the year's: up to 2024 a
-- commune is expected in its district and province, from 2025 in its
-- province only.  Each row is unique without making it so: a unit is one
-- row of unit_years (its key is code and year), in one pair at most, and
-- its province is taken apart from its district only when they differ.
CREATE TEMP TABLE expected ON COMMIT DROP AS
SELECT s.scope_code, u.year, u.code AS unit_code
FROM pg_temp.unit_years u
JOIN pg_temp.pairs p ON p.province_code = u.province_code AND p.year = u.year
CROSS JOIN LATERAL (VALUES (u.district_code),
                           (CASE WHEN u.province_code IS DISTINCT FROM u.district_code
                                 THEN u.province_code END)) AS s (scope_code)
WHERE s.scope_code IS NOT NULL
  AND u.valid
  AND NOT EXISTS (SELECT FROM pg_temp.unit_years c
                  WHERE c.parent_code = u.code AND c.year = u.year AND c.valid);
ANALYZE pg_temp.expected;

-- The sums of each scope.  A province's are those of its districts and
-- of the rows summed into it directly, so only contrib_own is summed (each
-- district's and each province's own rows), and a province's district
-- rows by their districts' sums: half the rows to join and group.  Every
-- aggregate adds up over the parts (sums, counts, whether a level was
-- summed); a unit of a district is expected in the district exactly when
-- it is in the province (expected puts each valid unit without valid
-- children in its district and its province).
CREATE TEMP TABLE sums ON COMMIT DROP AS
WITH own AS (
	SELECT c.scope_code, c.scope_level, c.province_code, c.year, c.title,
	       sum(c.eligible) AS eligible,
	       sum(c.registered) AS registered,
	       sum(c.recognized) AS recognized,
	       sum(c.exemplary) AS exemplary,
	       sum(c.recognized) FILTER (WHERE c.eligible IS NOT NULL) AS num_e,
	       sum(c.eligible) FILTER (WHERE c.recognized IS NOT NULL) AS den_e,
	       sum(c.recognized) FILTER (WHERE c.registered IS NOT NULL) AS num_r,
	       sum(c.registered) FILTER (WHERE c.recognized IS NOT NULL) AS den_r,
	       count(*) AS units,
	       count(e.unit_code) AS reporting,
	       bool_or(c.unit_level = 'commune') AS communes,
	       bool_or(c.unit_level = 'district') AS districts,
	       bool_or(c.unit_level = 'province') AS provinces
	FROM pg_temp.contrib_own c
	LEFT JOIN pg_temp.expected e ON e.scope_code = c.scope_code AND e.year = c.year
	                            AND e.unit_code = c.unit_code
	GROUP BY c.scope_code, c.scope_level, c.province_code, c.year, c.title
), parts AS (
	SELECT * FROM own
	UNION ALL
	SELECT d.province_code, 'province', d.province_code, d.year, d.title, d.eligible,
	       d.registered, d.recognized, d.exemplary, d.num_e, d.den_e, d.num_r, d.den_r,
	       d.units, d.reporting, d.communes, d.districts, d.provinces
	FROM own d
	WHERE d.scope_level = 'district'
)
SELECT p.scope_code, p.scope_level, p.province_code, p.year, p.title,
       sum(p.eligible)::bigint AS eligible,
       sum(p.registered)::bigint AS registered,
       sum(p.recognized)::bigint AS recognized,
       sum(p.exemplary)::bigint AS exemplary,
       sum(p.num_e)::bigint AS num_e,
       sum(p.den_e)::bigint AS den_e,
       sum(p.num_r)::bigint AS num_r,
       sum(p.den_r)::bigint AS den_r,
       sum(p.units)::integer AS units,
       sum(p.reporting)::integer AS reporting,
       -- The levels summed, in name order ('commune+district'); without a
       -- DISTINCT aggregate the groups may be hashed instead of sorted.
       concat_ws('+', CASE WHEN bool_or(p.communes) THEN 'commune' END,
                      CASE WHEN bool_or(p.districts) THEN 'district' END,
                      CASE WHEN bool_or(p.provinces) THEN 'province' END)
           AS source_level
FROM parts p
GROUP BY p.scope_code, p.scope_level, p.province_code, p.year, p.title;

-- The rows of mart.rates are made by the view new_rates (mart.rates'
-- columns, in its order), written by core.put_rows (migrations 141 and
-- 151): added on a night, the difference on --full, the view joined to
-- the mart directly.  The other marts below are written by put_rows too.
CREATE TEMP VIEW new_rates AS
-- A row per scope, year and title with at least one unit summed.
SELECT s.scope_level, s.scope_code, u.name AS scope_name, s.province_code, s.year, s.title,
       s.eligible, s.registered, s.recognized, s.exemplary,
       core.rate(s.num_e, s.den_e) AS rate_eligible,
       core.rate(s.num_r, s.den_r) AS rate_registered,
       s.reporting AS units_reporting, coalesce(x.units, 0) AS units_expected,
       s.num_e AS rate_eligible_num, s.den_e AS rate_eligible_den,
       s.num_r AS rate_registered_num, s.den_r AS rate_registered_den, s.source_level,
       CASE WHEN s.scope_level = 'district' THEN s.scope_code END AS district_code
FROM pg_temp.sums s
JOIN pg_temp.unit_years u ON u.code = s.scope_code AND u.year = s.year
LEFT JOIN (
	SELECT e.scope_code, e.year, count(*)::integer AS units
	FROM pg_temp.expected e
	GROUP BY e.scope_code, e.year
) x ON x.scope_code = s.scope_code AND x.year = s.year
UNION ALL
-- A row per commune, year and title whose own figure is included: what a
-- committee ranks its communes by.  Its rates are those of its own
-- figures, over the values it reported both of (docs/rules.md).
SELECT 'commune', f.unit_code, u.name, f.province_code, f.year, f.title,
       f.eligible, f.registered, f.recognized, f.exemplary,
       core.rate(r.num_e, r.den_e), core.rate(r.num_r, r.den_r),
       (e.unit_code IS NOT NULL)::integer, (e.unit_code IS NOT NULL)::integer,
       r.num_e, r.den_e, r.num_r, r.den_r, 'commune', f.district_code
FROM pg_temp.fx f
JOIN pg_temp.unit_years u ON u.code = f.unit_code AND u.year = f.year
LEFT JOIN pg_temp.expected e ON e.scope_code = f.province_code AND e.year = f.year
                            AND e.unit_code = f.unit_code
CROSS JOIN LATERAL (
	SELECT CASE WHEN f.eligible IS NOT NULL THEN f.recognized END AS num_e,
	       CASE WHEN f.recognized IS NOT NULL THEN f.eligible END AS den_e,
	       CASE WHEN f.registered IS NOT NULL THEN f.recognized END AS num_r,
	       CASE WHEN f.recognized IS NOT NULL THEN f.registered END AS den_r
) r
WHERE f.unit_level = 'commune';

SELECT core.put_rows('mart.rates', 'pg_temp.new_rates', ARRAY['scope_code', 'year', 'title'],
                     (SELECT c.mode = 'full' FROM pg_temp.run_ctx c));

-- Cross-checks: an included district or province tally that is not what
-- its own scope was summed from.
CREATE TEMP TABLE crosschecks ON COMMIT DROP AS
SELECT f.*, s.eligible AS sum_eligible, s.registered AS sum_registered,
       s.recognized AS sum_recognized, s.exemplary AS sum_exemplary,
       s.units AS sum_units, s.source_level AS sum_level
FROM pg_temp.fx f
JOIN pg_temp.sums s ON s.scope_code = f.unit_code AND s.year = f.year AND s.title = f.title
WHERE f.unit_level IN ('district', 'province')
  -- (a tally summed into its own scope is a row of contrib_own: contrib's
  -- other rows are a district's under its province)
  AND NOT EXISTS (SELECT FROM pg_temp.contrib_own c
                  WHERE c.scope_code = f.unit_code AND c.unit_code = f.unit_code
                    AND c.year = f.year AND c.title = f.title);
ANALYZE pg_temp.crosschecks;

INSERT INTO pg_temp.raw_findings
SELECT 'rollup_mismatch', x.unit_code, x.year, x.title, x.province_code,
       coalesce(x.counts_file_id, x.eligible_file_id),
       CASE WHEN x.counts_file_id IS NOT NULL THEN x.counts_line ELSE x.eligible_line END,
       pg_catalog.jsonb_build_object(
           'level', x.unit_level,
           'tally_values', d.tally_values,
           'units', x.sum_units::text,
           'lower', CASE WHEN x.sum_level = 'commune' THEN 'communes' ELSE 'units' END,
           'sum_values', d.sum_values)
FROM pg_temp.crosschecks x
CROSS JOIN LATERAL (
	SELECT string_agg(v.name || ' ' || core.fmt_int(v.tally), ', ' ORDER BY v.ord) AS tally_values,
	       string_agg(v.name || ' ' || core.fmt_int(v.total), ', ' ORDER BY v.ord) AS sum_values
	FROM (VALUES
		(1, 'eligible', x.eligible, x.sum_eligible),
		(2, 'registered', x.registered, x.sum_registered),
		(3, 'recognized', x.recognized, x.sum_recognized),
		(4, 'exemplary', x.exemplary, x.sum_exemplary)
	) AS v (ord, name, tally, total)
	WHERE v.tally <> v.total
) d
WHERE d.tally_values IS NOT NULL;

-- Completeness per scope and year, for the years in which the province has
-- at least one included fact: an expected unit reports when one of its
-- figures (any title) is summed into the scope, or its own fund row is
-- included (a commune that sent only its fund sent something usable).
-- The scopes are the province, the districts of the year and, from issue
-- 18 on, every expected commune (a row of its own: 1 expected, 1 or 0
-- reporting), so that a committee sees which communes are missing.
-- The units summed into each scope, once: read here and by 65_parts
-- (scope_reported), each of which made them unique from contrib's rows,
-- two a fact.  Those of the scopes' own rows are made unique (a unit has a
-- row a title), then a district's are its province's too: a unit is in
-- one district a year, and a province's own rows (its communes without a
-- district, its tally) are of other units, so no unit comes twice.
CREATE TEMP TABLE contrib_units ON COMMIT DROP AS
WITH own AS (
	SELECT DISTINCT c.scope_code, c.scope_level, c.province_code, c.year, c.unit_code
	FROM pg_temp.contrib_own c
)
SELECT o.scope_code, o.year, o.unit_code FROM own o
UNION ALL
SELECT o.province_code, o.year, o.unit_code FROM own o WHERE o.scope_level = 'district';
ANALYZE pg_temp.contrib_units;

CREATE TEMP TABLE reporting ON COMMIT DROP AS
SELECT e.scope_code, e.year, e.unit_code,
       (r.unit_code IS NOT NULL OR d.unit_code IS NOT NULL) AS reports
FROM pg_temp.expected e
LEFT JOIN pg_temp.contrib_units r
       ON r.scope_code = e.scope_code AND r.year = e.year AND r.unit_code = e.unit_code
-- one row at most (the key of core.funds): the unit's own fund
LEFT JOIN core.funds d ON d.unit_code = e.unit_code AND d.year = e.year AND d.included;
ANALYZE pg_temp.reporting;

CREATE TEMP TABLE new_completeness (LIKE mart.completeness INCLUDING DEFAULTS) ON COMMIT DROP;

CREATE TEMP TABLE complete_pairs ON COMMIT DROP AS
SELECT p.province_code, p.year
FROM pg_temp.pairs p
WHERE EXISTS (SELECT FROM pg_temp.fx f
              WHERE f.province_code = p.province_code AND f.year = p.year);
-- A few hundred rows at most, but unanalyzed the planner takes them for
-- 1,310 and the joins below for a few hundred rows: it then sorted 63,570
-- reporting rows to merge them and probed unit_years 21,190 times.
ANALYZE pg_temp.complete_pairs;

INSERT INTO pg_temp.new_completeness
	(scope_level, scope_code, scope_name, province_code, year,
	 units_expected, units_reporting, percent, missing, district_code)
SELECT u.level, u.code, u.name, p.province_code, p.year,
       count(e.unit_code)::integer,
       count(*) FILTER (WHERE e.reports)::integer,
       core.rate(count(*) FILTER (WHERE e.reports), count(e.unit_code)),
       coalesce(array_agg(e.unit_code ORDER BY e.unit_code)
                    FILTER (WHERE e.unit_code IS NOT NULL AND NOT e.reports),
                '{}'),
       CASE WHEN u.level = 'district' THEN u.code END
FROM pg_temp.complete_pairs p
JOIN pg_temp.unit_years u ON u.province_code = p.province_code AND u.year = p.year
                         AND ((u.level = 'province' AND u.code = p.province_code)
                              OR (u.level = 'district'
                                  AND (u.valid
                                       OR EXISTS (SELECT FROM pg_temp.expected x
                                                  WHERE x.scope_code = u.code
                                                    AND x.year = p.year)
                                       -- (a district's rows: contrib_own's)
                                       OR EXISTS (SELECT FROM pg_temp.contrib_own c
                                                  WHERE c.scope_code = u.code
                                                    AND c.year = p.year))))
LEFT JOIN pg_temp.reporting e ON e.scope_code = u.code AND e.year = p.year
GROUP BY u.level, u.code, u.name, p.province_code, p.year;

INSERT INTO pg_temp.new_completeness
	(scope_level, scope_code, scope_name, province_code, year,
	 units_expected, units_reporting, percent, missing, district_code)
SELECT 'commune', u.code, u.name, p.province_code, p.year, 1, e.reports::integer,
       core.rate(e.reports::integer, 1),
       CASE WHEN e.reports THEN '{}'::text[] ELSE ARRAY[u.code] END, u.district_code
FROM pg_temp.complete_pairs p
JOIN pg_temp.reporting e ON e.scope_code = p.province_code AND e.year = p.year
JOIN pg_temp.unit_years u ON u.code = e.unit_code AND u.year = p.year
WHERE u.level = 'commune';

SELECT core.put_rows('mart.completeness', 'pg_temp.new_completeness',
                     ARRAY['scope_code', 'year'], (SELECT c.mode = 'full' FROM pg_temp.run_ctx c));

-- Funds, for every year of each province touched (the cumulative sum runs
-- over all its years); the same lowest-level-reported rule as the rates.
CREATE TEMP TABLE fund_x ON COMMIT DROP AS
SELECT d.*
FROM core.funds d
WHERE d.included AND d.province_code IN (SELECT DISTINCT province_code FROM pg_temp.pairs);
ANALYZE pg_temp.fund_x;

-- The names of the scopes in every year with funds (the pairs' years are
-- in unit_years; the others are named as they were that year, placed when
-- their rows were first taken in).
CREATE TEMP TABLE fund_names ON COMMIT DROP AS
SELECT u.code, u.year, u.name
FROM core.unit_years u
WHERE u.province_code IN (SELECT DISTINCT province_code FROM pg_temp.pairs)
  AND u.year IN (SELECT DISTINCT f.year FROM pg_temp.fund_x f)
  AND u.level IN ('province', 'district');
ALTER TABLE pg_temp.fund_names ADD PRIMARY KEY (code, year);

CREATE TEMP TABLE fund_contrib (
	scope_code     text NOT NULL,
	scope_level    text NOT NULL,
	province_code  text NOT NULL,
	year           smallint NOT NULL,
	unit_code      text NOT NULL
) ON COMMIT DROP;

INSERT INTO pg_temp.fund_contrib
SELECT d.district_code, 'district', d.province_code, d.year, d.unit_code
FROM pg_temp.fund_x d
WHERE d.unit_level = 'commune' AND d.district_code IS NOT NULL;
ANALYZE pg_temp.fund_contrib;

INSERT INTO pg_temp.fund_contrib
SELECT d.unit_code, 'district', d.province_code, d.year, d.unit_code
FROM pg_temp.fund_x d
WHERE d.unit_level = 'district'
  AND NOT EXISTS (SELECT FROM pg_temp.fund_contrib c
                  WHERE c.scope_code = d.unit_code AND c.year = d.year);

INSERT INTO pg_temp.fund_contrib
SELECT c.province_code, 'province', c.province_code, c.year, c.unit_code
FROM pg_temp.fund_contrib c
UNION ALL
SELECT d.province_code, 'province', d.province_code, d.year, d.unit_code
FROM pg_temp.fund_x d
WHERE d.unit_level = 'commune' AND d.district_code IS NULL;
ANALYZE pg_temp.fund_contrib;

INSERT INTO pg_temp.fund_contrib
SELECT d.unit_code, 'province', d.province_code, d.year, d.unit_code
FROM pg_temp.fund_x d
WHERE d.unit_level = 'province'
  AND NOT EXISTS (SELECT FROM pg_temp.fund_contrib c
                  WHERE c.scope_code = d.unit_code AND c.year = d.year);
ANALYZE pg_temp.fund_contrib;

-- Each scope's fund sums, once: mart.funds publishes them and the cross-checks
-- compare the district and province rows with them.
CREATE TEMP TABLE fund_sums ON COMMIT DROP AS
SELECT c.scope_level, c.scope_code, c.province_code, c.year,
       sum(d.mobilized_vnd)::bigint AS mobilized_vnd,
       sum(d.scholarships)::bigint AS scholarships,
       sum(d.scholarship_vnd)::bigint AS scholarship_vnd,
       count(*)::integer AS units,
       bool_and(d.unit_level = 'commune') AS communes_only
FROM pg_temp.fund_contrib c
JOIN pg_temp.fund_x d ON d.unit_code = c.unit_code AND d.year = c.year
GROUP BY c.scope_level, c.scope_code, c.province_code, c.year;
ANALYZE pg_temp.fund_sums;

-- Cross-checks: an included district or province fund row of the pairs
-- that its own scope was not summed from (a unit below it reported a fund),
-- beside that sum.  fund_x holds every year of the provinces; the pairs'
-- years are the ones recomputed.
CREATE TEMP TABLE fund_crosschecks ON COMMIT DROP AS
SELECT d.*, s.mobilized_vnd AS sum_mobilized_vnd, s.scholarships AS sum_scholarships,
       s.scholarship_vnd AS sum_scholarship_vnd, s.units AS sum_units, s.communes_only
FROM pg_temp.fund_x d
JOIN pg_temp.pairs p ON p.province_code = d.province_code AND p.year = d.year
JOIN pg_temp.fund_sums s ON s.scope_code = d.unit_code AND s.year = d.year
WHERE d.unit_level IN ('district', 'province')
  AND NOT EXISTS (SELECT FROM pg_temp.fund_contrib c
                  WHERE c.scope_code = d.unit_code AND c.unit_code = d.unit_code
                    AND c.year = d.year);

INSERT INTO pg_temp.raw_findings
SELECT 'fund_rollup_mismatch', x.unit_code, x.year, NULL, x.province_code, x.file_id, x.line,
       pg_catalog.jsonb_build_object(
           'level', x.unit_level,
           'fund_values', v.fund_values,
           'units', x.sum_units::text,
           'lower', CASE WHEN x.communes_only THEN 'communes' ELSE 'units' END,
           'sum_values', v.sum_values)
FROM pg_temp.fund_crosschecks x
CROSS JOIN LATERAL (
	SELECT string_agg(w.name || ' ' || core.fmt_int(w.own), ', ' ORDER BY w.ord) AS fund_values,
	       string_agg(w.name || ' ' || core.fmt_int(w.total), ', ' ORDER BY w.ord) AS sum_values
	FROM (VALUES
		(1, 'mobilized VND', x.mobilized_vnd, x.sum_mobilized_vnd),
		(2, 'scholarships', x.scholarships, x.sum_scholarships),
		(3, 'scholarship VND', x.scholarship_vnd, x.sum_scholarship_vnd)
	) AS w (ord, name, own, total)
	WHERE w.own <> w.total
) v
WHERE v.fund_values IS NOT NULL;

INSERT INTO mart.funds
	(scope_level, scope_code, scope_name, province_code, year, mobilized_vnd, cumulative_vnd,
	 scholarships, scholarship_vnd, units_reporting)
SELECT g.scope_level, g.scope_code, u.name, g.province_code, g.year, g.mobilized_vnd,
       (sum(g.mobilized_vnd) OVER (PARTITION BY g.scope_code ORDER BY g.year))::bigint,
       g.scholarships, g.scholarship_vnd, g.units
FROM pg_temp.fund_sums g
JOIN pg_temp.fund_names u ON u.code = g.scope_code AND u.year = g.year;

-- Every unit's current fund figures of the pairs, with the file and line
-- of each (the report's --explain ... fund reads them).  A district's or
-- province's own row that its scope was not summed from is not included:
-- excluded_by 'cross_check'.
CREATE TEMP TABLE new_fund_facts (LIKE mart.fund_facts INCLUDING DEFAULTS) ON COMMIT DROP;
INSERT INTO pg_temp.new_fund_facts
	(unit_code, unit_name, unit_level, district_code, province_code, year,
	 mobilized_vnd, scholarships, scholarship_vnd, amount_file, amount_line,
	 scholarship_file, scholarship_line, included, excluded_by)
SELECT d.unit_code, u.name, d.unit_level, d.district_code, d.province_code, d.year,
       d.mobilized_vnd, d.scholarships, d.scholarship_vnd,
       CASE WHEN d.mobilized_vnd IS NOT NULL THEN af.name END,
       CASE WHEN d.mobilized_vnd IS NOT NULL THEN d.line END,
       sf.name, d.scholarship_line,
       d.included AND x.unit_code IS NULL,
       CASE WHEN x.unit_code IS NOT NULL THEN 'cross_check' ELSE d.excluded_by END
FROM core.funds d
JOIN pg_temp.pairs p ON p.province_code = d.province_code AND p.year = d.year
JOIN pg_temp.unit_years u ON u.code = d.unit_code AND u.year = d.year
LEFT JOIN staging.files af ON af.file_id = d.file_id
LEFT JOIN staging.files sf ON sf.file_id = d.scholarship_file_id
LEFT JOIN pg_temp.fund_crosschecks x ON x.unit_code = d.unit_code AND x.year = d.year;

SELECT core.put_rows('mart.fund_facts', 'pg_temp.new_fund_facts', ARRAY['unit_code', 'year'],
                     (SELECT c.mode = 'full' FROM pg_temp.run_ctx c));
