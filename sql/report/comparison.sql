-- report/comparison.sql — comparison.csv / .json: one row per scope × title,
-- year A ($1) beside year B ($2) (DESIGN.md §6, hoctap-report --compare A:B).
--
-- A scope or title present in only one of the two years still has its row
-- (FULL JOIN), with NULL on the missing side and in every difference.
-- A province or district that no longer existed on 31 December of year B
-- (mart.successors) is folded into the unit that carries its figures on:
-- its sums are added into the successor's before dividing, and merged_from
-- names it.  Such a side's rates are recomputed from the summed numerator
-- and denominator, rounded half away from zero to 2 decimals in exact
-- integer arithmetic: floor((num × 20000 + den) / (2 den)) hundredths.
-- Every other rate is the one published in rates.csv.
--   delta_X              X_b - X_a, for the four counts
--   delta_pp_eligible    rate_eligible_b - rate_eligible_a, in percentage
--   delta_pp_registered  points: differences of the printed 2-decimal rates,
--                        so that a reader can check them from the columns
--   headline, delta_pp   the title's headline base (DESIGN.md §2: eligible
--                        for family, community, commune, citizen; registered
--                        for clan, unit) and the delta_pp of that rate
--   growth_percent       (recognized_b - recognized_a) / recognized_a × 100,
--                        rounded half away from zero to 2 decimals, exactly;
--                        NULL when recognized_a is NULL or 0, or
--                        recognized_b is NULL
WITH headline (title, base) AS (
	VALUES ('family', 'eligible'), ('clan', 'registered'), ('community', 'eligible'),
	       ('commune', 'eligible'), ('unit', 'registered'), ('citizen', 'eligible')
), fold AS (
	SELECT s.unit_code, s.successor_code, s.successor_name
	FROM mart.successors AS s
	WHERE s.unit_level IN ('province', 'district')
	  AND s.valid_to < pg_catalog.make_date($2::integer, 12, 31)
), r AS (
	SELECT coalesce(f.successor_code, r.scope_code) AS scope_code,
	       r.scope_code AS from_code,
	       r.scope_level,
	       coalesce(f.successor_name, r.scope_name) AS scope_name,
	       r.province_code, r.year, r.title,
	       r.eligible, r.registered, r.recognized, r.exemplary,
	       r.rate_eligible, r.rate_eligible_num, r.rate_eligible_den,
	       r.rate_registered, r.rate_registered_num, r.rate_registered_den
	FROM mart.rates AS r
	LEFT JOIN fold AS f ON f.unit_code = r.scope_code
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
	       pg_catalog.sum(r.rate_registered_den)::bigint AS rate_registered_den
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
	       a.rate_eligible AS rate_eligible_a, a.rate_eligible_num AS rate_eligible_num_a,
	       a.rate_eligible_den AS rate_eligible_den_a,
	       b.rate_eligible AS rate_eligible_b, b.rate_eligible_num AS rate_eligible_num_b,
	       b.rate_eligible_den AS rate_eligible_den_b,
	       a.rate_registered AS rate_registered_a, a.rate_registered_num AS rate_registered_num_a,
	       a.rate_registered_den AS rate_registered_den_a,
	       b.rate_registered AS rate_registered_b, b.rate_registered_num AS rate_registered_num_b,
	       b.rate_registered_den AS rate_registered_den_b
	FROM (SELECT * FROM s WHERE s.year = $1::smallint) AS a
	FULL JOIN (SELECT * FROM s WHERE s.year = $2::smallint) AS b
	       ON b.scope_code = a.scope_code AND b.title = a.title
), d AS (
	SELECT j.*, h.base AS headline,
	       j.recognized_b - j.recognized_a AS growth_num,
	       j.rate_eligible_b - j.rate_eligible_a AS delta_pp_eligible,
	       j.rate_registered_b - j.rate_registered_a AS delta_pp_registered
	FROM j LEFT JOIN headline AS h ON h.title = j.title
)
SELECT d.scope_level, d.scope_code, d.scope_name, d.province_code, d.title, d.headline,
       $1::smallint AS year_a, $2::smallint AS year_b, coalesce(d.merged_from, '') AS merged_from,
       d.eligible_a, d.eligible_b, d.eligible_b - d.eligible_a AS delta_eligible,
       d.registered_a, d.registered_b, d.registered_b - d.registered_a AS delta_registered,
       d.recognized_a, d.recognized_b, d.recognized_b - d.recognized_a AS delta_recognized,
       d.exemplary_a, d.exemplary_b, d.exemplary_b - d.exemplary_a AS delta_exemplary,
       d.rate_eligible_a, d.rate_eligible_num_a, d.rate_eligible_den_a,
       d.rate_eligible_b, d.rate_eligible_num_b, d.rate_eligible_den_b,
       d.delta_pp_eligible,
       d.rate_registered_a, d.rate_registered_num_a, d.rate_registered_den_a,
       d.rate_registered_b, d.rate_registered_num_b, d.rate_registered_den_b,
       d.delta_pp_registered,
       CASE d.headline WHEN 'eligible' THEN d.delta_pp_eligible
                       WHEN 'registered' THEN d.delta_pp_registered END AS delta_pp,
       -- hundredths of a percent, half away from zero: sign(n) × floor((|n| × 20000 + a) / (2a))
       CASE WHEN d.recognized_a > 0 AND d.recognized_b IS NOT NULL THEN
	       pg_catalog.sign(d.growth_num::numeric)
	       * pg_catalog.div(pg_catalog.abs(d.growth_num::numeric) * 20000 + d.recognized_a,
	                        2 * d.recognized_a::numeric)
	       * 0.01
       END AS growth_percent
FROM d
ORDER BY d.province_code COLLATE "C", d.scope_level <> 'province', d.scope_code COLLATE "C",
         pg_catalog.array_position(
             ARRAY['family', 'clan', 'community', 'commune', 'unit', 'citizen']::text[],
             d.title),
         d.title COLLATE "C"
