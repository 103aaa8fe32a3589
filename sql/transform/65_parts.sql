-- 65_parts: after the roll-up, the rates of each level and group, and which
-- scope × year is provisional (docs/rules.md, "Levels and groups",
-- "Provisional years").
--   * A unit's parts are summed into the scopes its title figure is summed
--     into (60_rollup's contrib), so a level or group follows the same
--     lowest-level-reported rule, with no unit counted twice: mart.rate_parts.
--     A commune with a row of its own in mart.rates (its title figure
--     included) has its parts' rows too.
--   * A scope × year is provisional when fewer of its expected units
--     (60_rollup's expected) reported — a figure of any title summed into
--     the scope, or their own fund summed — than it expects: mart.scope_years.
--     Every expected commune has a row of its own (1 expected, 1 or 0
--     reporting), as in mart.completeness.

-- The parts' own findings (45_parts), with the night's.
INSERT INTO pg_temp.raw_findings (code, unit_code, year, title, province_code, file_id, line, args)
SELECT x.code, x.unit_code, x.year, x.title, x.province_code, x.file_id, x.line, x.args
FROM pg_temp.part_findings x;

-- A unit whose title figure is kept out (an error finding of 50_findings:
-- the unit does not report the title) has its parts kept out with it.
UPDATE core.fact_parts f
SET included = false, excluded_by = coalesce(f.excluded_by || ',', '') || t.excluded_by
FROM core.facts t
JOIN pg_temp.pairs p ON p.province_code = t.province_code AND p.year = t.year
WHERE t.unit_code = f.unit_code AND t.year = f.year AND t.title = f.title AND NOT t.included;

DELETE FROM mart.rate_parts r
WHERE (SELECT mode FROM pg_temp.run_ctx) = 'full'
   OR EXISTS (SELECT FROM pg_temp.pairs p
              WHERE p.province_code = r.province_code AND p.year = r.year);

INSERT INTO mart.rate_parts
	(scope_level, scope_code, scope_name, province_code, year, title, level, grp,
	 eligible, registered, recognized, exemplary, rate_eligible, rate_registered,
	 units_reporting, units_expected,
	 rate_eligible_num, rate_eligible_den, rate_registered_num, rate_registered_den,
	 source_level)
WITH pc AS (
	SELECT c.scope_code, c.scope_level, c.province_code, c.year, c.title, c.unit_code,
	       c.unit_level, f.level, f.grp, f.eligible, f.registered, f.recognized, f.exemplary
	FROM pg_temp.contrib c
	JOIN core.fact_parts f ON f.unit_code = c.unit_code AND f.year = c.year
	                      AND f.title = c.title
	WHERE f.included
), s AS (
	SELECT pc.scope_code, pc.scope_level, pc.province_code, pc.year, pc.title, pc.level,
	       pc.grp,
	       sum(pc.eligible)::bigint AS eligible,
	       sum(pc.registered)::bigint AS registered,
	       sum(pc.recognized)::bigint AS recognized,
	       sum(pc.exemplary)::bigint AS exemplary,
	       sum(pc.recognized) FILTER (WHERE pc.eligible IS NOT NULL)::bigint AS num_e,
	       sum(pc.eligible) FILTER (WHERE pc.recognized IS NOT NULL)::bigint AS den_e,
	       sum(pc.recognized) FILTER (WHERE pc.registered IS NOT NULL)::bigint AS num_r,
	       sum(pc.registered) FILTER (WHERE pc.recognized IS NOT NULL)::bigint AS den_r,
	       count(e.unit_code)::integer AS reporting,
	       concat_ws('+', CASE WHEN bool_or(pc.unit_level = 'commune') THEN 'commune' END,
	                      CASE WHEN bool_or(pc.unit_level = 'district') THEN 'district' END,
	                      CASE WHEN bool_or(pc.unit_level = 'province') THEN 'province' END)
	           AS source_level
	FROM pc
	LEFT JOIN pg_temp.expected e ON e.scope_code = pc.scope_code AND e.year = pc.year
	                            AND e.unit_code = pc.unit_code
	GROUP BY pc.scope_code, pc.scope_level, pc.province_code, pc.year, pc.title, pc.level,
	         pc.grp
)
SELECT s.scope_level, s.scope_code, u.name, s.province_code, s.year, s.title, s.level, s.grp,
       s.eligible, s.registered, s.recognized, s.exemplary,
       core.rate(s.num_e, s.den_e), core.rate(s.num_r, s.den_r),
       s.reporting, coalesce(x.units, 0),
       s.num_e, s.den_e, s.num_r, s.den_r, s.source_level
FROM s
JOIN pg_temp.unit_years u ON u.code = s.scope_code AND u.year = s.year
LEFT JOIN (
	SELECT e.scope_code, e.year, count(*)::integer AS units
	FROM pg_temp.expected e
	GROUP BY e.scope_code, e.year
) x ON x.scope_code = s.scope_code AND x.year = s.year;

-- A commune's own rows, beside its own title row (60_rollup.sql): its
-- included parts of an included title figure, rates over the values it gave
-- both of.
INSERT INTO mart.rate_parts
	(scope_level, scope_code, scope_name, province_code, year, title, level, grp,
	 eligible, registered, recognized, exemplary, rate_eligible, rate_registered,
	 units_reporting, units_expected,
	 rate_eligible_num, rate_eligible_den, rate_registered_num, rate_registered_den,
	 source_level)
SELECT 'commune', f.unit_code, u.name, f.province_code, f.year, f.title, p.level, p.grp,
       p.eligible, p.registered, p.recognized, p.exemplary,
       core.rate(r.num_e, r.den_e), core.rate(r.num_r, r.den_r),
       (e.unit_code IS NOT NULL)::integer, (e.unit_code IS NOT NULL)::integer,
       r.num_e, r.den_e, r.num_r, r.den_r, 'commune'
FROM pg_temp.fx f
JOIN core.fact_parts p ON p.unit_code = f.unit_code AND p.year = f.year AND p.title = f.title
JOIN pg_temp.unit_years u ON u.code = f.unit_code AND u.year = f.year
LEFT JOIN pg_temp.expected e ON e.scope_code = f.province_code AND e.year = f.year
                            AND e.unit_code = f.unit_code
CROSS JOIN LATERAL (
	SELECT CASE WHEN p.eligible IS NOT NULL THEN p.recognized END AS num_e,
	       CASE WHEN p.recognized IS NOT NULL THEN p.eligible END AS den_e,
	       CASE WHEN p.registered IS NOT NULL THEN p.recognized END AS num_r,
	       CASE WHEN p.recognized IS NOT NULL THEN p.registered END AS den_r
) r
WHERE f.unit_level = 'commune' AND p.included;

-- A night replaces its pairs' rows; --full writes the difference
-- (core.put_rows, below).
DELETE FROM mart.scope_years y
WHERE (SELECT mode FROM pg_temp.run_ctx) <> 'full'
  AND EXISTS (SELECT FROM pg_temp.pairs p
              WHERE p.province_code = y.province_code AND p.year = y.year);
CREATE TEMP TABLE new_scope_years (LIKE mart.scope_years INCLUDING DEFAULTS) ON COMMIT DROP;

-- Every scope × year of the pairs with a figure or a fund, and each
-- commune expected in such a province × year.
CREATE TEMP TABLE scope_reported ON COMMIT DROP AS
SELECT c.scope_code, c.year, c.unit_code FROM pg_temp.contrib_units c
UNION
SELECT c.scope_code, c.year, c.unit_code FROM pg_temp.fund_contrib c;
ANALYZE pg_temp.scope_reported;

INSERT INTO pg_temp.new_scope_years
	(scope_level, scope_code, province_code, year, units_expected, units_reporting,
	 provisional)
WITH scopes AS (
	SELECT s.scope_level, s.scope_code, s.province_code, s.year FROM pg_temp.sums s
	UNION
	SELECT g.scope_level, g.scope_code, g.province_code, g.year
	FROM pg_temp.fund_sums g
	JOIN pg_temp.pairs p ON p.province_code = g.province_code AND p.year = g.year
)
SELECT s.scope_level, s.scope_code, s.province_code, s.year,
       count(e.unit_code)::integer, count(r.unit_code)::integer,
       count(r.unit_code) < count(e.unit_code)
FROM scopes s
LEFT JOIN pg_temp.expected e ON e.scope_code = s.scope_code AND e.year = s.year
LEFT JOIN pg_temp.scope_reported r ON r.scope_code = e.scope_code AND r.year = e.year
                                  AND r.unit_code = e.unit_code
GROUP BY s.scope_level, s.scope_code, s.province_code, s.year;

-- The scopes' rows, just made, are read next: analyzed, or the planner
-- takes the table for nearly empty and loops over the pairs for each
-- expected commune.
ANALYZE pg_temp.new_scope_years;

INSERT INTO pg_temp.new_scope_years
	(scope_level, scope_code, province_code, year, units_expected, units_reporting,
	 provisional)
SELECT 'commune', e.unit_code, y.province_code, e.year, 1,
       (r.unit_code IS NOT NULL)::integer, r.unit_code IS NULL
FROM pg_temp.new_scope_years y
JOIN pg_temp.pairs p ON p.province_code = y.province_code AND p.year = y.year
JOIN pg_temp.expected e ON e.scope_code = y.scope_code AND e.year = y.year
JOIN pg_temp.unit_years u ON u.code = e.unit_code AND u.year = e.year
LEFT JOIN pg_temp.scope_reported r ON r.scope_code = e.scope_code AND r.year = e.year
                                  AND r.unit_code = e.unit_code
WHERE y.scope_level = 'province' AND u.level = 'commune';

SELECT core.put_rows('mart.scope_years', 'pg_temp.new_scope_years',
                     ARRAY['scope_code', 'year'], (SELECT c.mode = 'full' FROM pg_temp.run_ctx c));
