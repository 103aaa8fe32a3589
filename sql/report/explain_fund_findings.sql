-- report/explain_fund_findings.sql — --explain ... fund, part 3: the
-- findings of year $2 about no title in particular (a fund's, or a unit
-- code no longer valid) on the units of scope $1 with a fund row, in the
-- order of findings.csv.
SELECT f.code, f.severity, f.unit_code, f.message, f.file, f.line
FROM mart.findings AS f
WHERE f.year = $2::smallint
  AND f.title IS NULL
  AND (f.unit_code = $1
       OR f.unit_code IN (SELECT u.unit_code FROM mart.fund_facts AS u
                          WHERE (u.province_code = $1 OR u.district_code = $1)
                            AND u.year = $2::smallint))
ORDER BY pg_catalog.array_position(ARRAY['error', 'warning', 'info']::text[], f.severity),
         f.unit_code COLLATE "C", f.code COLLATE "C", f.file COLLATE "C", f.line,
         f.message COLLATE "C"
