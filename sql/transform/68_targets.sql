-- 68_targets: every target in force against the title's headline rate
-- (docs/rules.md, "Targets").
--   * The national targets (ref.national_targets: 281/QĐ-TTg for 2020,
--     387/QĐ-TTg for 2025, 677/QĐ-TTg for the learning citizens' groups)
--     apply to every scope that has a figure for the title (or group) that
--     year: provinces and districts (mart.rates, mart.rate_parts) and
--     communes (their own included facts and parts).
--   * A province's own target (ref.targets, hoctap-ingest --targets) for a
--     scope, title, group and year replaces the national one there, and
--     stands even where nothing was reported.
--   * actual is the headline rate (ref.titles.headline) of the scope —
--     of the group for a group's target — beside its exact fraction; a
--     commune's from its own figures.  gap_pp = actual - target, met =
--     actual >= target, NULL when actual is.
--   * provisional: the scope's year is (mart.scope_years); a commune's when
--     it sent nothing usable that year; a year nothing was reported for is.
-- A target reads only its scope's figures of its year, which change only
-- in the pairs: a night recomputes the targets of its pairs; --full, or a
-- run after ref.targets was written to, every target.  A scope is named and
-- placed as it was in the target's year (core.unit_years, placed by
-- 30_pairs for the years of the figures and of ref.targets): 22969 is a
-- commune of Bình Thuận (60) in 2020 and of Lâm Đồng (68) in 2025.

-- A night deletes the targets it makes again; --full writes the
-- difference (core.put_rows, below).
DELETE FROM mart.targets t
WHERE (SELECT c.mode <> 'full' FROM pg_temp.run_ctx c)
  AND ((SELECT c.targets_changed FROM pg_temp.run_ctx c)
       OR EXISTS (SELECT FROM pg_temp.pairs p
                  WHERE p.province_code = t.province_code AND p.year = t.year));

-- The targets to make, each with its scope, title, year and group: its
-- own, then the national ones.  Kept and analyzed before they are joined
-- to the figures, so that the planner knows how many there are: a night's
-- few are looked up by key, --full's tens of thousands hashed with the
-- rates and facts.
CREATE TEMP TABLE target_todo ON COMMIT DROP AS
WITH ctx AS (
	SELECT c.mode = 'full' OR c.targets_changed AS every FROM pg_temp.run_ctx c
), own AS (
	SELECT t.scope_code, t.title, t.year, t.grp, t.target_percent, t.source
	FROM ref.targets t
	WHERE (SELECT every FROM ctx)
	UNION ALL
	SELECT t.scope_code, t.title, t.year, t.grp, t.target_percent, t.source
	FROM ref.targets t
	JOIN core.unit_years pu ON pu.code = t.scope_code AND pu.year = t.year
	JOIN pg_temp.pairs p ON p.province_code = pu.province_code AND p.year = t.year
	WHERE NOT (SELECT every FROM ctx)
), target_years AS (
	SELECT DISTINCT n.year FROM ref.national_targets n
), todo_pairs AS (
	-- the (province, year) pairs whose national targets are made: the
	-- night's, or every one with a figure
	SELECT p.province_code, p.year FROM pg_temp.pairs p
	WHERE NOT (SELECT every FROM ctx) AND p.year IN (SELECT year FROM target_years)
	UNION
	SELECT DISTINCT r.province_code, r.year FROM mart.rates r
	WHERE (SELECT every FROM ctx) AND r.year IN (SELECT year FROM target_years)
	UNION
	SELECT DISTINCT f.province_code, f.year FROM core.facts f
	WHERE (SELECT every FROM ctx) AND f.year IN (SELECT year FROM target_years)
), reported AS (
	SELECT r.scope_code, r.year, r.title, NULL::text AS grp
	FROM todo_pairs p
	JOIN mart.rates r ON r.province_code = p.province_code AND r.year = p.year
	UNION
	SELECT r.scope_code, r.year, r.title, r.grp
	FROM todo_pairs p
	JOIN mart.rate_parts r ON r.province_code = p.province_code AND r.year = p.year
	WHERE r.grp IS NOT NULL
	UNION
	SELECT f.unit_code, f.year, f.title, NULL::text
	FROM todo_pairs p
	JOIN core.facts f ON f.province_code = p.province_code AND f.year = p.year
	WHERE f.unit_level = 'commune' AND f.included
	UNION
	SELECT f.unit_code, f.year, f.title, f.grp
	FROM todo_pairs p
	JOIN core.fact_parts f ON f.province_code = p.province_code AND f.year = p.year
	WHERE f.unit_level = 'commune' AND f.included AND f.grp IS NOT NULL
), national AS (
	SELECT r.scope_code, n.title, n.year, n.grp, n.target_percent, n.source
	FROM reported r
	JOIN ref.national_targets n ON n.title = r.title AND n.year = r.year
	                           AND n.grp IS NOT DISTINCT FROM r.grp
	WHERE NOT EXISTS (SELECT FROM ref.targets t
	                  WHERE t.scope_code = r.scope_code AND t.title = r.title
	                    AND t.year = r.year AND t.grp IS NOT DISTINCT FROM r.grp)
), todo AS (
	SELECT * FROM own
	UNION ALL
	SELECT * FROM national
)
SELECT t.scope_code, t.title, t.year, t.grp, t.target_percent, t.source FROM todo t;
ANALYZE pg_temp.target_todo;

CREATE TEMP TABLE new_targets (LIKE mart.targets INCLUDING DEFAULTS) ON COMMIT DROP;
INSERT INTO pg_temp.new_targets
	(scope_level, scope_code, scope_name, province_code, title, year, grp, target_percent,
	 source, actual_percent, gap_pp, met, numerator, denominator, provisional)
SELECT u.level, t.scope_code, u.name, u.province_code, t.title, t.year, t.grp,
       t.target_percent, t.source,
       a.actual, a.actual - t.target_percent, a.actual >= t.target_percent, a.num, a.den,
       CASE WHEN u.level = 'commune'
            -- a commune reported when it has an included figure or fund that year
            THEN NOT (EXISTS (SELECT FROM core.facts x
                              WHERE x.unit_code = t.scope_code AND x.year = t.year
                                AND x.included)
                      OR EXISTS (SELECT FROM core.funds d
                                 WHERE d.unit_code = t.scope_code AND d.year = t.year
                                   AND d.included))
            ELSE coalesce(y.provisional, true) END
FROM pg_temp.target_todo t
JOIN core.unit_years u ON u.code = t.scope_code AND u.year = t.year
JOIN ref.titles h ON h.key = t.title
-- The figure of the scope (its rates, or a commune's own fact), of the
-- title or of the group: one of the four, each found by its key, so at
-- most one row.
LEFT JOIN mart.rates r ON u.level <> 'commune' AND t.grp IS NULL
                      AND r.scope_code = t.scope_code AND r.year = t.year AND r.title = t.title
LEFT JOIN mart.rate_parts rp ON u.level <> 'commune' AND t.grp IS NOT NULL
                            AND rp.scope_code = t.scope_code AND rp.year = t.year
                            AND rp.title = t.title AND rp.level IS NULL AND rp.grp = t.grp
LEFT JOIN core.facts cf ON u.level = 'commune' AND t.grp IS NULL
                       AND cf.unit_code = t.scope_code AND cf.year = t.year
                       AND cf.title = t.title AND cf.included
LEFT JOIN core.fact_parts cp ON u.level = 'commune' AND t.grp IS NOT NULL
                            AND cp.unit_code = t.scope_code AND cp.year = t.year
                            AND cp.title = t.title AND cp.level IS NULL AND cp.grp = t.grp
                            AND cp.included
CROSS JOIN LATERAL (
	SELECT CASE WHEN u.level <> 'commune' AND t.grp IS NULL
	            THEN r.rate_eligible_num
	            WHEN u.level <> 'commune' THEN rp.rate_eligible_num
	            WHEN t.grp IS NULL THEN cf.recognized ELSE cp.recognized END AS num_e,
	       CASE WHEN u.level <> 'commune' AND t.grp IS NULL
	            THEN r.rate_eligible_den
	            WHEN u.level <> 'commune' THEN rp.rate_eligible_den
	            WHEN t.grp IS NULL THEN cf.eligible ELSE cp.eligible END AS den_e,
	       CASE WHEN u.level <> 'commune' AND t.grp IS NULL
	            THEN r.rate_registered_num
	            WHEN u.level <> 'commune' THEN rp.rate_registered_num
	            WHEN t.grp IS NULL THEN cf.recognized ELSE cp.recognized END AS num_r,
	       CASE WHEN u.level <> 'commune' AND t.grp IS NULL
	            THEN r.rate_registered_den
	            WHEN u.level <> 'commune' THEN rp.rate_registered_den
	            WHEN t.grp IS NULL THEN cf.registered ELSE cp.registered END AS den_r
) x
CROSS JOIN LATERAL (
	SELECT CASE h.headline WHEN 'eligible' THEN x.num_e ELSE x.num_r END AS num,
	       CASE h.headline WHEN 'eligible' THEN x.den_e ELSE x.den_r END AS den
) f
CROSS JOIN LATERAL (SELECT f.num, f.den, core.rate(f.num, f.den) AS actual) a
LEFT JOIN mart.scope_years y ON u.level <> 'commune' AND y.scope_code = t.scope_code
                            AND y.year = t.year;

SELECT core.put_rows('mart.targets', 'pg_temp.new_targets',
                     ARRAY['scope_code', 'title', 'year', 'grp'],
                     (SELECT c.mode = 'full' FROM pg_temp.run_ctx c));
