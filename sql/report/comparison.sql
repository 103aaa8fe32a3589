-- report/comparison.sql — comparison.csv / .json: one row per scope × title,
-- year A ($1) beside year B ($2) (DESIGN.md §6, hoctap-report --compare A:B).
--
-- A scope or title present in only one of the two years still has its row
-- (FULL JOIN), with NULL on the missing side and in every difference.
-- A province or district that no longer existed on 31 December of year B
-- (mart.successors) is folded into the unit of the same level that carries
-- its figures on (unlike mart.rates_on_successors, which folds every year,
-- a scope that still existed in year B keeps its own row):
-- its sums are added into the successor's before dividing, and merged_from
-- names it.  Such a side's rates are recomputed from the summed numerator
-- and denominator, rounded half away from zero to 2 decimals in exact
-- integer arithmetic: floor((num × 20000 + den) / (2 den)) hundredths.
-- Every other rate is the one published in rates.csv.
--   delta_X              X_b - X_a, for the four counts
--   delta_pp_eligible    rate_eligible_b - rate_eligible_a in percentage
--   delta_pp_registered  points, computed from the exact ratios
--                        (num_b / den_b - num_a / den_a) x 100 and then
--                        rounded half away from zero (DESIGN.md §6: from
--                        exact values, never from rounded ones), so it can
--                        differ by 0.01 from the difference of the two
--                        printed rates
--   headline, delta_pp   the title's headline base (DESIGN.md §2: eligible
--                        for family, community, commune, citizen; registered
--                        for clan, unit) and the delta_pp of that rate
--   growth_percent       (recognized_b - recognized_a) / recognized_a x 100,
--                        rounded half away from zero to 2 decimals, exactly;
--                        NULL when recognized_a is NULL or 0, or
--                        recognized_b is NULL
--   provisional          year A or year B of the scope (or of a scope merged
--                        into it) has fewer units reporting than expected
--                        (mart.scope_years); false when neither has, NULL
--                        when that is not known
-- Exact rounding of a fraction n / d (d > 0) to hundredths, half away from
-- zero: sign(n) x floor((|n| x 20000 + d) / (2d)) x 0.01 percent, in numeric.
WITH headline (title, base) AS (
	VALUES ('family', 'eligible'), ('clan', 'registered'), ('community', 'eligible'),
	       ('commune', 'eligible'), ('unit', 'registered'), ('citizen', 'eligible')
), fold AS (
	SELECT s.unit_code, s.successor_code, s.successor_name
	FROM mart.successors AS s
	WHERE s.unit_level IN ('province', 'district')
	  AND s.successor_level = s.unit_level
	  AND s.valid_to < pg_catalog.make_date($2::integer, 12, 31)
), r AS (
	SELECT coalesce(f.successor_code, r.scope_code) AS scope_code,
	       r.scope_code AS from_code,
	       r.scope_level,
	       coalesce(f.successor_name, r.scope_name) AS scope_name,
	       r.province_code, r.year, r.title,
	       r.eligible, r.registered, r.recognized, r.exemplary, r.units_reporting,
	       r.rate_eligible, r.rate_eligible_num, r.rate_eligible_den,
	       r.rate_registered, r.rate_registered_num, r.rate_registered_den, y.provisional
	FROM mart.rates AS r
	LEFT JOIN fold AS f ON f.unit_code = r.scope_code
	LEFT JOIN mart.scope_years AS y ON y.scope_code = r.scope_code AND y.year = r.year
	WHERE r.year IN ($1::smallint, $2::smallint)
), side AS (
	SELECT r.scope_code, r.year, r.title,
	       (pg_catalog.array_agg(r.scope_level ORDER BY r.from_code = r.scope_code DESC))[1]
	           AS scope_level,
	       (pg_catalog.array_agg(r.scope_name ORDER BY r.from_code = r.scope_code DESC))[1]
	           AS scope_name,
	       (pg_catalog.array_agg(r.province_code ORDER BY r.from_code = r.scope_code DESC))[1]
	           AS province_code,
	       pg_catalog.count(*) AS nrows,
	       pg_catalog.sum(r.units_reporting)::integer AS units_reporting,
	       pg_catalog.string_agg(r.from_code, ' ' ORDER BY r.from_code COLLATE "C")
	           FILTER (WHERE r.from_code <> r.scope_code) AS merged_from,
	       pg_catalog.sum(r.eligible)::bigint AS eligible,
	       pg_catalog.sum(r.registered)::bigint AS registered,
	       pg_catalog.sum(r.recognized)::bigint AS recognized,
	       pg_catalog.sum(r.exemplary)::bigint AS exemplary,
	       pg_catalog.max(r.rate_eligible) AS rate_eligible_one,
	       pg_catalog.sum(r.rate_eligible_num)::bigint AS rate_eligible_num,
	       pg_catalog.sum(r.rate_eligible_den)::bigint AS rate_eligible_den,
	       pg_catalog.max(r.rate_registered) AS rate_registered_one,
	       pg_catalog.sum(r.rate_registered_num)::bigint AS rate_registered_num,
	       pg_catalog.sum(r.rate_registered_den)::bigint AS rate_registered_den,
	       pg_catalog.bool_or(r.provisional) AS provisional,
	       pg_catalog.bool_and(r.provisional IS NOT NULL) AS provisional_known
	FROM r
	GROUP BY r.scope_code, r.year, r.title
), s AS (
	SELECT side.*,
	       CASE WHEN side.nrows = 1 THEN pg_catalog.round(side.rate_eligible_one, 2)
	            WHEN side.rate_eligible_den > 0 THEN
	                pg_catalog.div(side.rate_eligible_num::numeric * 20000 + side.rate_eligible_den,
	                               2 * side.rate_eligible_den::numeric) * 0.01
	       END AS rate_eligible,
	       CASE WHEN side.nrows = 1 THEN pg_catalog.round(side.rate_registered_one, 2)
	            WHEN side.rate_registered_den > 0 THEN
	                pg_catalog.div(side.rate_registered_num::numeric * 20000
	                                   + side.rate_registered_den,
	                               2 * side.rate_registered_den::numeric) * 0.01
	       END AS rate_registered
	FROM side
), j AS (
	SELECT coalesce(b.scope_level, a.scope_level) AS scope_level,
	       coalesce(b.scope_code, a.scope_code) AS scope_code,
	       coalesce(b.scope_name, a.scope_name) AS scope_name,
	       coalesce(b.province_code, a.province_code) AS province_code,
	       coalesce(b.title, a.title) AS title,
	       (SELECT pg_catalog.string_agg(DISTINCT m, ' ' ORDER BY m)
	        FROM pg_catalog.unnest(pg_catalog.string_to_array(
	                 pg_catalog.concat_ws(' ', a.merged_from, b.merged_from), ' ')) AS m
	        WHERE m <> '') AS merged_from,
	       a.eligible AS eligible_a, b.eligible AS eligible_b,
	       a.registered AS registered_a, b.registered AS registered_b,
	       a.recognized AS recognized_a, b.recognized AS recognized_b,
	       a.exemplary AS exemplary_a, b.exemplary AS exemplary_b,
	       a.units_reporting AS units_reporting_a, b.units_reporting AS units_reporting_b,
	       a.rate_eligible AS rate_eligible_a, a.rate_eligible_num AS rate_eligible_num_a,
	       a.rate_eligible_den AS rate_eligible_den_a,
	       b.rate_eligible AS rate_eligible_b, b.rate_eligible_num AS rate_eligible_num_b,
	       b.rate_eligible_den AS rate_eligible_den_b,
	       a.rate_registered AS rate_registered_a, a.rate_registered_num AS rate_registered_num_a,
	       a.rate_registered_den AS rate_registered_den_a,
	       b.rate_registered AS rate_registered_b, b.rate_registered_num AS rate_registered_num_b,
	       b.rate_registered_den AS rate_registered_den_b,
	       CASE WHEN a.provisional OR b.provisional THEN true
	            WHEN coalesce(a.provisional_known, true) AND coalesce(b.provisional_known, true)
	            THEN false END AS provisional
	FROM (SELECT * FROM s WHERE s.year = $1::smallint) AS a
	FULL JOIN (SELECT * FROM s WHERE s.year = $2::smallint) AS b
	       ON b.scope_code = a.scope_code AND b.title = a.title
), d AS (
	SELECT j.*, h.base AS headline,
	       j.recognized_b - j.recognized_a AS growth_num,
	       CASE WHEN j.rate_eligible_den_a > 0 AND j.rate_eligible_den_b > 0 THEN
	           j.rate_eligible_num_b::numeric * j.rate_eligible_den_a
	           - j.rate_eligible_num_a::numeric * j.rate_eligible_den_b END AS pp_e_num,
	       j.rate_eligible_den_a::numeric * j.rate_eligible_den_b AS pp_e_den,
	       CASE WHEN j.rate_registered_den_a > 0 AND j.rate_registered_den_b > 0 THEN
	           j.rate_registered_num_b::numeric * j.rate_registered_den_a
	           - j.rate_registered_num_a::numeric * j.rate_registered_den_b END AS pp_r_num,
	       j.rate_registered_den_a::numeric * j.rate_registered_den_b AS pp_r_den
	FROM j LEFT JOIN headline AS h ON h.title = j.title
), e AS (
	SELECT d.*,
	       pg_catalog.sign(d.pp_e_num)
	       * pg_catalog.div(pg_catalog.abs(d.pp_e_num) * 20000 + d.pp_e_den, 2 * d.pp_e_den)
	       * 0.01 AS delta_pp_eligible,
	       pg_catalog.sign(d.pp_r_num)
	       * pg_catalog.div(pg_catalog.abs(d.pp_r_num) * 20000 + d.pp_r_den, 2 * d.pp_r_den)
	       * 0.01 AS delta_pp_registered
	FROM d
)
SELECT e.scope_level, e.scope_code, e.scope_name, e.province_code, e.title, e.headline,
       $1::smallint AS year_a, $2::smallint AS year_b, coalesce(e.merged_from, '') AS merged_from,
       e.eligible_a, e.eligible_b, e.eligible_b - e.eligible_a AS delta_eligible,
       e.registered_a, e.registered_b, e.registered_b - e.registered_a AS delta_registered,
       e.recognized_a, e.recognized_b, e.recognized_b - e.recognized_a AS delta_recognized,
       e.exemplary_a, e.exemplary_b, e.exemplary_b - e.exemplary_a AS delta_exemplary,
       e.units_reporting_a, e.units_reporting_b,
       e.rate_eligible_a, e.rate_eligible_num_a, e.rate_eligible_den_a,
       e.rate_eligible_b, e.rate_eligible_num_b, e.rate_eligible_den_b,
       e.delta_pp_eligible,
       e.rate_registered_a, e.rate_registered_num_a, e.rate_registered_den_a,
       e.rate_registered_b, e.rate_registered_num_b, e.rate_registered_den_b,
       e.delta_pp_registered,
       CASE e.headline WHEN 'eligible' THEN e.delta_pp_eligible
                       WHEN 'registered' THEN e.delta_pp_registered END AS delta_pp,
       -- hundredths of a percent, half away from zero: sign(n) × floor((|n| × 20000 + a) / (2a))
       CASE WHEN e.recognized_a > 0 AND e.recognized_b IS NOT NULL THEN
	       pg_catalog.sign(e.growth_num::numeric)
	       * pg_catalog.div(pg_catalog.abs(e.growth_num::numeric) * 20000 + e.recognized_a,
	                        2 * e.recognized_a::numeric)
	       * 0.01
       END AS growth_percent,
       e.provisional
FROM e
ORDER BY e.province_code COLLATE "C", e.scope_level <> 'province', e.scope_code COLLATE "C",
         pg_catalog.array_position(
             ARRAY['family', 'clan', 'community', 'commune', 'unit', 'citizen']::text[],
             e.title),
         e.title COLLATE "C"
