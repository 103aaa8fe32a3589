-- report/rankings.sql — rankings.csv / .json: the units under each scope
-- ranked by the title's headline rate, per year and title (docs/outputs.md
-- "rankings", docs/rules.md "Rankings").
--   * The units under a scope are those one level below it in the year's
--     hierarchy as the marts hold it: a province's districts (their
--     mart.rates rows), a district's communes, and a province's communes
--     when the year has no district above them (mart.facts, whose
--     district_code is the commune's district that year, NULL from the 2025
--     reform on): nothing here assumes that districts exist.  A commune is
--     one only in a year it is valid (on 31 December, mart.units): a 2025
--     report under a code abolished on 1 July 2025 is a finding, no unit.
--   * A district's rate is its published headline rate (numeric(7, 2) in
--     mart.rates: its text has 2 decimals); a commune's is its own included
--     figure's, recognized / base, rounded half away from zero to 2
--     decimals, beside the exact fraction: the client computes it, in exact
--     integer arithmetic, from the numerator and denominator.
--   * rank: 1 for the highest rate; units with the same printed rate share
--     a rank and the next rank skips (1, 2, 2, 4: SQL rank()).  Units
--     without a rate (base unknown or 0, or a figure excluded by an error
--     finding) come last, with an empty rank.
--   * provisional: the scope's year has fewer units reporting than expected.
-- Order: each province, the province's rankings before its districts',
-- scopes by code; years; titles in the order of ref.titles; rank (empty
-- last), then unit code.  The client sorts the rows and ranks them
-- (report/order.c, from province_code, the column after the file's):
-- the server's sort and window over the country's 600,000 rows took
-- a third of the report's time.
WITH headline (title, base) AS (
	VALUES ('family', 'eligible'), ('clan', 'registered'), ('community', 'eligible'),
	       ('commune', 'eligible'), ('unit', 'registered'), ('citizen', 'eligible')
), units AS (
	SELECT 'province'::text AS scope_level, r.province_code AS scope_code, r.province_code,
	       r.year, r.title, 'district'::text AS unit_level, r.scope_code AS unit_code,
	       r.scope_name AS unit_name,
	       CASE h.base WHEN 'eligible' THEN r.rate_eligible ELSE r.rate_registered END AS rate,
	       CASE h.base WHEN 'eligible' THEN r.rate_eligible_num
	                   ELSE r.rate_registered_num END AS num,
	       CASE h.base WHEN 'eligible' THEN r.rate_eligible_den
	                   ELSE r.rate_registered_den END AS den
	FROM mart.rates AS r
	JOIN headline AS h ON h.title = r.title
	WHERE r.scope_level = 'district'
	UNION ALL
	SELECT CASE WHEN f.district_code IS NOT NULL THEN 'district' ELSE 'province' END,
	       coalesce(f.district_code, f.province_code), f.province_code, f.year, f.title,
	       'commune', f.unit_code, f.unit_name,
	       -- (the client computes a commune's rate from num and den:
	       -- report/order.c; numeric division of 560,000 rows cost the
	       -- country's report a third of this query)
	       NULL::numeric,
	       b.num, b.den
	FROM mart.facts AS f
	JOIN headline AS h ON h.title = f.title
	CROSS JOIN LATERAL (
		SELECT CASE WHEN f.included THEN f.recognized END AS num,
		       CASE WHEN f.included AND f.recognized IS NOT NULL THEN
		           CASE h.base WHEN 'eligible' THEN f.eligible ELSE f.registered END
		       END AS den
	) AS b
	WHERE f.unit_level = 'commune'
	  -- (a code mart.units does not know at all is taken as it is, as in
	  -- comparison.sql; the valid pairs of code and year are one hashed set,
	  -- not a probe of mart.units per commune row)
	  AND ((f.unit_code, f.year) IN (SELECT m.code, y.year
	                                 FROM mart.units AS m
	                                 JOIN (SELECT DISTINCT year FROM mart.facts) AS y
	                                   ON m.valid_from <= pg_catalog.make_date(y.year, 12, 31)
	                                  AND m.valid_to >= pg_catalog.make_date(y.year, 12, 31))
	       OR f.unit_code NOT IN (SELECT m.code FROM mart.units AS m))
)
SELECT u.scope_level, u.scope_code, u.year, u.title, NULL::bigint AS rank,
       u.unit_level, u.unit_code, u.unit_name, u.rate,
       CASE WHEN u.den IS NOT NULL THEN u.num END AS numerator, u.den AS denominator,
       y.provisional, u.province_code
FROM units AS u
LEFT JOIN mart.scope_years AS y ON y.scope_code = u.scope_code AND y.year = u.year
