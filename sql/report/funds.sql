-- report/funds.sql — funds.csv / .json: one row per scope × year
-- (DESIGN.md §6).  mobilized_million_vnd is mobilized_vnd / 1,000,000
-- exactly: a multiplication by 0.000001 is exact in numeric (a division
-- would round beyond 16 significant digits), and trim_scale drops the
-- trailing zeros ("150", "346458.5").  provisional: the scope's year has
-- fewer units reporting than expected (mart.scope_years; NULL when not known).
SELECT f.scope_level, f.scope_code, f.scope_name, f.province_code, f.year,
       f.mobilized_vnd,
       pg_catalog.trim_scale(f.mobilized_vnd::numeric * 0.000001) AS mobilized_million_vnd,
       f.cumulative_vnd, f.scholarships, f.scholarship_vnd, f.units_reporting, y.provisional
FROM mart.funds AS f
LEFT JOIN mart.scope_years AS y ON y.scope_code = f.scope_code AND y.year = f.year
ORDER BY f.province_code COLLATE "C", f.scope_level <> 'province', f.scope_code COLLATE "C",
         f.year
