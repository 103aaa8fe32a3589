-- report/completeness.sql — completeness.csv / .json: one row per scope
-- (province, district, commune) × year (docs/design.md §6); rows ordered as in
-- rates.sql, by the client (report/order.c).  percent = units_reporting / units_expected, from the
-- transform.  missing: the commune codes that sent nothing usable, sorted
-- bytewise and joined by single spaces (codes are digits only); the JSON
-- writer splits them into an array.
SELECT c.scope_level, c.scope_code, c.scope_name, c.province_code, c.district_code, c.year,
       c.units_expected, c.units_reporting,
       pg_catalog.round(c.percent, 2) AS percent,
       coalesce((SELECT pg_catalog.string_agg(m, ' ' ORDER BY m COLLATE "C")
                 FROM pg_catalog.unnest(c.missing) AS m), '') AS missing
FROM mart.completeness AS c
