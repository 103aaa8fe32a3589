-- report/findings.sql — findings.csv / .json: one row per finding of the
-- last transform (docs/design.md §5, §6).  Errors first, then warnings, then
-- notes; within a severity by province, unit, year, title, rule, file and
-- line.  Every column takes part in the order, so equal data always gives
-- the same bytes; text is compared bytewise.  The client sorts the rows
-- (report/order.c).
SELECT f.code, f.severity, f.province_code, f.unit_code, f.year, f.title, f.message, f.file,
       f.line
FROM mart.findings AS f
