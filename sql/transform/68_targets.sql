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
WITH RECURSIVE ctx AS (
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
), rate_pairs (province_code, year) AS (
	-- The (province, year) pairs of mart.rates, one after the other along
	-- rates_pair_idx: a probe a pair, where reading the index whole to
	-- make them unique takes a visit to each of its 100,000 rows.
	(SELECT r.province_code, r.year FROM mart.rates r
	 WHERE (SELECT every FROM ctx)
	 ORDER BY r.province_code, r.year LIMIT 1)
	UNION ALL
	SELECT x.province_code, x.year
	FROM rate_pairs q
	CROSS JOIN LATERAL (
		SELECT r.province_code, r.year FROM mart.rates r
		WHERE (r.province_code, r.year) > (q.province_code, q.year)
		ORDER BY r.province_code, r.year LIMIT 1) x
), fact_pairs (province_code, year) AS (
	-- ... and those of core.facts, along facts_pair_idx.
	(SELECT f.province_code, f.year FROM core.facts f
	 WHERE (SELECT every FROM ctx)
	 ORDER BY f.province_code, f.year LIMIT 1)
	UNION ALL
	SELECT x.province_code, x.year
	FROM fact_pairs q
	CROSS JOIN LATERAL (
		SELECT f.province_code, f.year FROM core.facts f
		WHERE (f.province_code, f.year) > (q.province_code, q.year)
		ORDER BY f.province_code, f.year LIMIT 1) x
), todo_pairs AS (
	-- the (province, year) pairs whose national targets are made: the
	-- night's, or every one with a figure
	SELECT p.province_code, p.year FROM pg_temp.pairs p
	WHERE NOT (SELECT every FROM ctx) AND p.year IN (SELECT year FROM target_years)
	UNION
	SELECT r.province_code, r.year FROM rate_pairs r
	WHERE r.year IN (SELECT year FROM target_years)
	UNION
	SELECT f.province_code, f.year FROM fact_pairs f
	WHERE f.year IN (SELECT year FROM target_years)
), reported AS (
	-- The figures of a title a national target is set for (the join in
	-- national below; the others would be gathered and made unique for
	-- nothing): the rows of mart.rates, whose commune rows 60_rollup has
	-- just made from the pairs' included commune facts, one a commune,
	-- year and title.  Every pair's rates are read whole, those of the
	-- target years (todo_pairs holds the pair of each: joined to it, the
	-- same rows); a night's, by its pairs.  A row of mart.rates is one a
	-- key, and the two branches are never both read: nothing to make
	-- unique.
	SELECT r.scope_code, r.year, r.title
	FROM mart.rates r
	WHERE (SELECT every FROM ctx)
	  AND (r.title, r.year) IN (SELECT n.title, n.year FROM ref.national_targets n
	                            WHERE n.grp IS NULL)
	UNION ALL
	SELECT r.scope_code, r.year, r.title
	FROM todo_pairs p
	JOIN mart.rates r ON r.province_code = p.province_code AND r.year = p.year
	WHERE NOT (SELECT every FROM ctx)
	  AND (r.title, r.year) IN (SELECT n.title, n.year FROM ref.national_targets n
	                            WHERE n.grp IS NULL)
), reported_groups AS (
	-- ... and of a group.
	SELECT r.scope_code, r.year, r.title, r.grp
	FROM todo_pairs p
	JOIN mart.rate_parts r ON r.province_code = p.province_code AND r.year = p.year
	WHERE r.grp IS NOT NULL
	UNION
	SELECT f.unit_code, f.year, f.title, f.grp
	FROM todo_pairs p
	JOIN core.fact_parts f ON f.province_code = p.province_code AND f.year = p.year
	WHERE f.unit_level = 'commune' AND f.included AND f.grp IS NOT NULL
), national AS (
	-- Titles and groups apart, each joined by equal keys.  The scopes
	-- with a target of their own are left out by NOT IN, which hashes
	-- ref.targets once (none of the keys is NULL, so it is NOT EXISTS)
	-- rather than looking up each of the tens of thousands of figures.
	SELECT r.scope_code, n.title, n.year, n.grp, n.target_percent, n.source
	FROM reported r
	JOIN ref.national_targets n ON n.title = r.title AND n.year = r.year AND n.grp IS NULL
	WHERE (r.scope_code, r.title, r.year) NOT IN (SELECT t.scope_code, t.title, t.year
	                                              FROM ref.targets t WHERE t.grp IS NULL)
	UNION ALL
	SELECT r.scope_code, n.title, n.year, n.grp, n.target_percent, n.source
	FROM reported_groups r
	JOIN ref.national_targets n ON n.title = r.title AND n.year = r.year AND n.grp = r.grp
	WHERE (r.scope_code, r.title, r.year, r.grp) NOT IN (
		SELECT t.scope_code, t.title, t.year, t.grp FROM ref.targets t WHERE t.grp IS NOT NULL)
), todo AS (
	SELECT * FROM own
	UNION ALL
	SELECT * FROM national
)
SELECT t.scope_code, t.title, t.year, t.grp, t.target_percent, t.source FROM todo t;
ANALYZE pg_temp.target_todo;

-- The targets' rows: a view of mart.targets' columns, in its order,
-- written by core.put_rows (migration 150).
CREATE TEMP VIEW new_targets AS
SELECT s.level AS scope_level, s.scope_code, s.name AS scope_name, s.province_code, s.title,
       s.year, s.target_percent, s.actual AS actual_percent,
       s.actual - s.target_percent AS gap_pp, s.actual >= s.target_percent AS met,
       s.num AS numerator, s.den AS denominator, s.grp, s.source, s.provisional
-- The rate is computed once a target, below, and only read here: were the
-- subquery merged into this one, each of the three uses would compute it
-- again from the nested choices of figure (OFFSET 0 keeps it apart).
FROM (
SELECT u.level, t.scope_code, u.name, u.province_code, t.title, t.year, t.grp,
       t.target_percent, t.source, f.num, f.den, core.rate(f.num, f.den) AS actual,
       CASE WHEN u.level = 'commune'
            -- a commune reported when it has an included figure or fund that
            -- year: the target's own figure (cf) is one, and when it was
            -- found (nearly always) the others are not looked for
            THEN NOT (cf.unit_code IS NOT NULL
                      OR EXISTS (SELECT FROM core.facts x
                                 WHERE x.unit_code = t.scope_code AND x.year = t.year
                                   AND x.included)
                      OR EXISTS (SELECT FROM core.funds d
                                 WHERE d.unit_code = t.scope_code AND d.year = t.year
                                   AND d.included))
            ELSE coalesce(y.provisional, true) END AS provisional
FROM pg_temp.target_todo t
JOIN core.unit_years u ON u.code = t.scope_code AND u.year = t.year
JOIN ref.titles h ON h.key = t.title
-- The figure of the scope (its rates, or a commune's own fact), of the
-- title or of the group: one of the four, each found by its key, so at
-- most one row.  A rates row of a commune (scope_level 'commune', placed
-- as the target's scope is, by code and year) never matches a scope that
-- is not a commune: they are left out before the join, which on --full
-- hashes the districts' and provinces' rows only, not every commune's.
LEFT JOIN mart.rates r ON u.level <> 'commune' AND t.grp IS NULL
                      AND r.scope_level <> 'commune'
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
LEFT JOIN mart.scope_years y ON u.level <> 'commune' AND y.scope_code = t.scope_code
                            AND y.year = t.year
OFFSET 0
) s;

SELECT core.put_rows('mart.targets', 'pg_temp.new_targets',
                     ARRAY['scope_code', 'title', 'year', 'grp'],
                     (SELECT c.mode = 'full' FROM pg_temp.run_ctx c));
