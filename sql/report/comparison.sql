-- report/comparison.sql — comparison.csv / .json: one row per scope × title,
-- year A ($1) beside year B ($2) (docs/design.md §6, §9.2, hoctap-report
-- --compare A:B).
--
-- The comparison is made on the units of the later year (L; the earlier is
-- E): figures of E are re-added onto the units L has, through the lineage
-- (mart.lineage: the official conversion table of 1 July 2025 and the
-- successors of a province's own units file), as ratios of sums.  A unit
-- of E is followed along the pairs that carry its figures (one per unit and
-- date) whose date falls after 31 December of E and by 31 December of L; a
-- unit with none keeps its own code; one that ends where L has no such
-- unit (a district of 2020 in 2025, a commune the conversion table does
-- not name) has no row, its figures being in its province's.  Pairs join
-- units of one level: a
-- commune's figures go to a commune, a province's to a province (an old
-- province continues in the new one that received all its communes, so a
-- province row is exact: its old provinces' figures as published, district
-- and province tallies included); there is no district after 2024, and no
-- district row then.
--   merged_from   the codes of E whose figures were added into the row
--                 (besides its own code)
--   split_from    the communes of E that moved in parts (or that the table
--                 contradicts itself about) and touch the row: their figures
--                 went wholly to the successor that kept their code, else to
--                 the one with the lowest code, so this row's E side is too
--                 high (it got them) or too low (another successor did)
--   approximate   split_from is not empty
-- A side's rates are recomputed from the summed numerator and denominator
-- when it sums several rows, rounded half away from zero to 2 decimals in
-- exact integer arithmetic: floor((num × 20000 + den) / (2 den)) hundredths;
-- a side of one row keeps the rate published in rates.csv.
--   delta_X              X_b - X_a, for the four counts
--   delta_pp_eligible    rate_eligible_b - rate_eligible_a in percentage
--   delta_pp_registered  points, computed from the exact ratios
--                        (num_b / den_b - num_a / den_a) x 100 and then
--                        rounded half away from zero (docs/design.md §6: from
--                        exact values, never from rounded ones), so it can
--                        differ by 0.01 from the difference of the two
--                        printed rates
--   headline, delta_pp   the title's headline base (docs/design.md §2: eligible
--                        for family, community, commune, citizen; registered
--                        for clan, unit) and the delta_pp of that rate
--   growth_percent       (recognized_b - recognized_a) / recognized_a x 100,
--                        rounded half away from zero to 2 decimals, exactly;
--                        NULL when recognized_a is NULL or 0, or
--                        recognized_b is NULL
--   provisional          year A or year B of the scope (or of a unit whose
--                        figures were re-added onto it) has fewer units
--                        reporting than expected (mart.scope_years); false
--                        when neither has, NULL when that is not known
-- A scope or title present in only one of the two years still has its row
-- (NULL on the other side and in every difference).
-- Order: as in rates.sql (each province, the communes directly under it,
-- each district followed by its communes; titles in the order of
-- ref.titles), made by the client (report/order.c) like rates'.
WITH RECURSIVE headline (title, base) AS (
	VALUES ('family', 'eligible'), ('clan', 'registered'), ('community', 'eligible'),
	       ('commune', 'eligible'), ('unit', 'registered'), ('citizen', 'eligible')
), yr AS (
	-- (LEAST and GREATEST are expressions, not functions of pg_catalog)
	SELECT LEAST($1::smallint, $2::smallint) AS e,
	       GREATEST($1::smallint, $2::smallint) AS l,
	       pg_catalog.make_date(LEAST($1::integer, $2::integer), 12, 31) AS de,
	       pg_catalog.make_date(GREATEST($1::integer, $2::integer), 12, 31) AS dl
), edge AS (
	-- Pairs of one level dated inside (E, L]; a successor of mart.successors
	-- stands in for a unit the lineage does not name (marts made by hand).
	SELECT x.old_code, x.new_code, x.effective, x.carries, x.approximate
	FROM (
		SELECT l.old_code, l.new_code, l.effective, l.carries, l.approximate
		FROM mart.lineage AS l
		WHERE l.old_level IS NULL OR l.old_level = l.new_level
		UNION ALL
		SELECT s.unit_code, s.successor_code, s.valid_to + 1, true, false
		FROM mart.successors AS s
		WHERE s.unit_level = s.successor_level AND s.valid_to IS NOT NULL
		  AND NOT EXISTS (SELECT FROM mart.lineage AS l WHERE l.old_code = s.unit_code)
	) AS x, yr
	WHERE x.effective > yr.de AND x.effective <= yr.dl
), walk (origin, at, since, carried, approx, depth) AS (
	SELECT DISTINCT r.scope_code, r.scope_code, yr.de, true, false, 0
	FROM mart.rates AS r, yr
	WHERE r.year = yr.e
	UNION ALL
	SELECT w.origin, g.new_code, g.effective, w.carried AND g.carries,
	       w.approx OR g.approximate, w.depth + 1
	FROM walk AS w
	JOIN edge AS g ON g.old_code = w.at AND g.effective > w.since
	WHERE w.depth < 10
), ends AS (
	-- Where each unit of E ends up among the units of L: a unit valid on
	-- 31 December of L (a district of 2020 ends nowhere in 2025; a unit
	-- mart.units does not know at all is taken as it is).
	SELECT w.origin, w.at, w.carried, w.approx
	FROM walk AS w, yr
	WHERE NOT EXISTS (SELECT FROM edge AS g WHERE g.old_code = w.at AND g.effective > w.since)
	  AND (EXISTS (SELECT FROM mart.units AS m
	               WHERE m.code = w.at AND m.valid_from <= yr.dl AND m.valid_to >= yr.dl)
	       OR NOT EXISTS (SELECT FROM mart.units AS m WHERE m.code = w.at))
), shared AS (
	-- The units of L that carry the figures of more than one unit of E
	-- (or of one along two paths): only their rows are summed below.
	SELECT n.at FROM ends AS n WHERE n.carried GROUP BY n.at HAVING pg_catalog.count(*) > 1
), early AS (
	-- E's rows, each under the unit of L that carries its figures; alone:
	-- the only row of E under that unit for its title.
	SELECT n.at AS scope_code, r.scope_code AS from_code, r.scope_level, r.scope_name,
	       r.province_code, r.district_code, r.title,
	       r.eligible, r.registered, r.recognized, r.exemplary, r.units_reporting,
	       r.rate_eligible, r.rate_eligible_num, r.rate_eligible_den,
	       r.rate_registered, r.rate_registered_num, r.rate_registered_den, y.provisional,
	       sh.at IS NULL AS alone
	FROM mart.rates AS r
	JOIN yr ON r.year = yr.e
	JOIN ends AS n ON n.origin = r.scope_code AND n.carried
	LEFT JOIN shared AS sh ON sh.at = n.at
	LEFT JOIN mart.scope_years AS y ON y.scope_code = r.scope_code AND y.year = r.year
), split AS (
	-- The units of L touched by a unit of E moved in parts, title by title.
	SELECT n.at AS scope_code, r.title,
	       pg_catalog.string_agg(DISTINCT n.origin, ' ' ORDER BY n.origin) AS split_from
	FROM ends AS n
	JOIN yr ON true
	JOIN mart.rates AS r ON r.scope_code = n.origin AND r.year = yr.e
	WHERE n.approx
	GROUP BY n.at, r.title
), merged AS (
	-- The codes added into each row besides its own: few rows have any, so
	-- they are listed apart (an ordered aggregate over every group sorts
	-- each group, which cost a second for the country).
	SELECT e.scope_code, e.title,
	       pg_catalog.string_agg(e.from_code, ' ' ORDER BY e.from_code COLLATE "C")
	           AS merged_from
	FROM early AS e
	WHERE e.from_code <> e.scope_code
	GROUP BY e.scope_code, e.title
), side_e AS (
	-- A row alone under its unit is taken as it is (what the sums below
	-- give for one row: a unit of E per unit of L is nearly every row
	-- between two years of the same units, and summing them one by one
	-- cost a fifth of a second for 56,815 communes).
	SELECT e.scope_code, e.title, e.scope_level, e.scope_name, e.province_code,
	       1::bigint AS nrows, e.units_reporting, e.eligible, e.registered, e.recognized,
	       e.exemplary, e.rate_eligible AS rate_eligible_one, e.rate_eligible_num,
	       e.rate_eligible_den, e.rate_registered AS rate_registered_one,
	       e.rate_registered_num, e.rate_registered_den, e.provisional,
	       e.provisional IS NOT NULL AS provisional_known
	FROM early AS e
	WHERE e.alone
	UNION ALL
	-- Several: named as the unit that kept the code when it is among them.
	SELECT e.scope_code, e.title,
	       coalesce(pg_catalog.max(e.scope_level) FILTER (WHERE e.from_code = e.scope_code),
	                pg_catalog.min(e.scope_level)) AS scope_level,
	       coalesce(pg_catalog.max(e.scope_name) FILTER (WHERE e.from_code = e.scope_code),
	                pg_catalog.min(e.scope_name)) AS scope_name,
	       coalesce(pg_catalog.max(e.province_code) FILTER (WHERE e.from_code = e.scope_code),
	                pg_catalog.min(e.province_code)) AS province_code,
	       pg_catalog.count(*) AS nrows,
	       pg_catalog.sum(e.units_reporting)::integer AS units_reporting,
	       pg_catalog.sum(e.eligible)::bigint AS eligible,
	       pg_catalog.sum(e.registered)::bigint AS registered,
	       pg_catalog.sum(e.recognized)::bigint AS recognized,
	       pg_catalog.sum(e.exemplary)::bigint AS exemplary,
	       pg_catalog.max(e.rate_eligible) AS rate_eligible_one,
	       pg_catalog.sum(e.rate_eligible_num)::bigint AS rate_eligible_num,
	       pg_catalog.sum(e.rate_eligible_den)::bigint AS rate_eligible_den,
	       pg_catalog.max(e.rate_registered) AS rate_registered_one,
	       pg_catalog.sum(e.rate_registered_num)::bigint AS rate_registered_num,
	       pg_catalog.sum(e.rate_registered_den)::bigint AS rate_registered_den,
	       pg_catalog.bool_or(e.provisional) AS provisional,
	       pg_catalog.bool_and(e.provisional IS NOT NULL) AS provisional_known
	FROM early AS e
	WHERE NOT e.alone
	GROUP BY e.scope_code, e.title
), side_l AS (
	SELECT r.scope_code, r.title, r.scope_level, r.scope_name, r.province_code,
	       r.district_code, 1::bigint AS nrows, r.units_reporting, NULL::text AS merged_from,
	       r.eligible, r.registered, r.recognized, r.exemplary,
	       r.rate_eligible AS rate_eligible_one, r.rate_eligible_num, r.rate_eligible_den,
	       r.rate_registered AS rate_registered_one, r.rate_registered_num,
	       r.rate_registered_den, y.provisional, y.provisional IS NOT NULL AS provisional_known
	FROM mart.rates AS r
	JOIN yr ON r.year = yr.l
	LEFT JOIN mart.scope_years AS y ON y.scope_code = r.scope_code AND y.year = r.year
), s AS (
	SELECT x.*,
	       CASE WHEN x.nrows = 1 THEN pg_catalog.round(x.rate_eligible_one, 2)
	            WHEN x.rate_eligible_den > 0 THEN
	                pg_catalog.div(x.rate_eligible_num::numeric * 20000 + x.rate_eligible_den,
	                               2 * x.rate_eligible_den::numeric) * 0.01
	       END AS rate_eligible,
	       CASE WHEN x.nrows = 1 THEN pg_catalog.round(x.rate_registered_one, 2)
	            WHEN x.rate_registered_den > 0 THEN
	                pg_catalog.div(x.rate_registered_num::numeric * 20000
	                                   + x.rate_registered_den,
	                               2 * x.rate_registered_den::numeric) * 0.01
	       END AS rate_registered
	FROM (
		SELECT 'e' AS side, e.scope_code, e.title, e.scope_level, e.scope_name,
		       e.province_code, NULL::text AS district_code, e.nrows, e.units_reporting,
		       m.merged_from, e.eligible, e.registered, e.recognized, e.exemplary,
		       e.rate_eligible_one, e.rate_eligible_num, e.rate_eligible_den,
		       e.rate_registered_one, e.rate_registered_num, e.rate_registered_den,
		       e.provisional, e.provisional_known
		FROM side_e AS e
		LEFT JOIN merged AS m ON m.scope_code = e.scope_code AND m.title = e.title
		UNION ALL
		SELECT 'l', l.scope_code, l.title, l.scope_level, l.scope_name, l.province_code,
		       l.district_code, l.nrows, l.units_reporting, l.merged_from, l.eligible,
		       l.registered, l.recognized, l.exemplary, l.rate_eligible_one,
		       l.rate_eligible_num, l.rate_eligible_den, l.rate_registered_one,
		       l.rate_registered_num, l.rate_registered_den, l.provisional, l.provisional_known
		FROM side_l AS l
	) AS x
), ab AS NOT MATERIALIZED (
	-- Year A's side and year B's, whichever of them is the later.  Written
	-- out where a and b read it, not kept: which side is A is known from
	-- the parameters alone, so each of a and b runs one side only (kept,
	-- every row of both sides was stored once and read by a and by b: a
	-- fifth of the query on a country's 56,815 communes).
	SELECT s.*, CASE WHEN (s.side = 'e') = (LEAST($1::smallint, $2::smallint) = $1::smallint)
	                 THEN 'a' ELSE 'b' END AS ab
	FROM s
), j AS (
	SELECT coalesce(lt.scope_level, a.scope_level, b.scope_level) AS scope_level,
	       coalesce(a.scope_code, b.scope_code) AS scope_code,
	       coalesce(lt.scope_name, u.name, a.scope_name, b.scope_name) AS scope_name,
	       coalesce(lt.province_code, u.province_code, a.province_code, b.province_code)
	           AS province_code,
	       CASE WHEN lt.scope_code IS NOT NULL THEN lt.district_code ELSE u.district_code END
	           AS district_code,
	       coalesce(a.title, b.title) AS title,
	       coalesce(a.merged_from, b.merged_from) AS merged_from,
	       sp.split_from,
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
	FROM (SELECT * FROM ab WHERE ab.ab = 'a') AS a
	FULL JOIN (SELECT * FROM ab WHERE ab.ab = 'b') AS b
	       ON b.scope_code = a.scope_code AND b.title = a.title
	CROSS JOIN yr
	-- The row of the later year, which names the unit as it is then.
	CROSS JOIN LATERAL (
		SELECT CASE WHEN a.side = 'l' THEN a.scope_level WHEN b.side = 'l' THEN b.scope_level
		       END AS scope_level,
		       CASE WHEN a.side = 'l' THEN a.scope_code WHEN b.side = 'l' THEN b.scope_code
		       END AS scope_code,
		       CASE WHEN a.side = 'l' THEN a.scope_name WHEN b.side = 'l' THEN b.scope_name
		       END AS scope_name,
		       CASE WHEN a.side = 'l' THEN a.province_code
		            WHEN b.side = 'l' THEN b.province_code END AS province_code,
		       CASE WHEN a.side = 'l' THEN a.district_code
		            WHEN b.side = 'l' THEN b.district_code END AS district_code
	) AS lt
	-- Without one, the unit as it was on 31 December of the later year.
	LEFT JOIN LATERAL (
		SELECT m.name, m.province_code, m.district_code
		FROM mart.units AS m
		WHERE lt.scope_code IS NULL AND m.code = coalesce(a.scope_code, b.scope_code)
		  AND m.valid_from <= yr.dl AND m.valid_to >= yr.dl
	) AS u ON true
	LEFT JOIN split AS sp ON sp.scope_code = coalesce(a.scope_code, b.scope_code)
	                     AND sp.title = coalesce(a.title, b.title)
), e AS (
	-- (mart.pp_change, migration 152: exact, and in bigint when it fits)
	SELECT j.*, h.base AS headline,
	       mart.pp_change(j.rate_eligible_num_a, j.rate_eligible_den_a,
	                      j.rate_eligible_num_b, j.rate_eligible_den_b) AS delta_pp_eligible,
	       mart.pp_change(j.rate_registered_num_a, j.rate_registered_den_a,
	                      j.rate_registered_num_b, j.rate_registered_den_b) AS delta_pp_registered
	FROM j LEFT JOIN headline AS h ON h.title = j.title
)
SELECT e.scope_level, e.scope_code, e.scope_name, e.province_code, e.district_code, e.title,
       e.headline, $1::smallint AS year_a, $2::smallint AS year_b,
       coalesce(e.merged_from, '') AS merged_from,
       coalesce(e.split_from, '') AS split_from,
       e.split_from IS NOT NULL AS approximate,
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
       -- hundredths of a percent, half away from zero: sign(n) × floor((|n| × 20000 + a) / (2a)),
       -- n = b - a: the change from 1 / 1 to b / a
       mart.pp_change(1, 1, e.recognized_b, e.recognized_a) AS growth_percent,
       e.provisional
FROM e
