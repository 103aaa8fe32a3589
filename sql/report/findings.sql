-- report/findings.sql — findings.csv / .json: one row per finding of the
-- last transform (docs/design.md §5, §6).  Errors first, then warnings, then
-- notes; within a severity by province, unit, year, title, rule, file and
-- line.  Every column takes part in the order, so equal data always gives
-- the same bytes.
SELECT f.code, f.severity, f.province_code, f.unit_code, f.year, f.title, f.message, f.file,
       f.line
FROM mart.findings AS f
ORDER BY pg_catalog.array_position(ARRAY['error', 'warning', 'info']::text[], f.severity),
         f.severity COLLATE "C", f.province_code COLLATE "C", f.unit_code COLLATE "C", f.year,
         f.title COLLATE "C", f.code COLLATE "C", f.file COLLATE "C", f.line,
         f.message COLLATE "C"
