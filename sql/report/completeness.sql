-- report/completeness.sql — completeness.csv / .json: one row per scope
-- (province, district, commune) × year (docs/design.md §6); rows ordered as in
-- rates.sql.  percent = units_reporting / units_expected, from the
-- transform.  missing: the commune codes that sent nothing usable, sorted
-- bytewise and joined by single spaces (codes are digits only); the JSON
-- writer splits them into an array.
SELECT c.scope_level, c.scope_code, c.scope_name, c.province_code, c.district_code, c.year,
       c.units_expected, c.units_reporting,
       pg_catalog.round(c.percent, 2) AS percent,
       coalesce((SELECT pg_catalog.string_agg(m, ' ' ORDER BY m COLLATE "C")
                 FROM pg_catalog.unnest(c.missing) AS m), '') AS missing
FROM mart.completeness AS c
ORDER BY (c.province_code || CASE WHEN c.scope_level = 'province' THEN ' ' ELSE '.' END
          || coalesce(c.district_code, '')
          || CASE WHEN c.scope_level = 'commune' THEN '.' ELSE ' ' END
          || c.scope_code) COLLATE "C", c.year
