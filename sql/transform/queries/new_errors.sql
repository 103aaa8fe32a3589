-- transform/queries/new_errors.sql — run by hoctap-transform after the
-- scripts, in the run's transaction: the error findings of audit.findings
-- that were not there when the run began (pg_temp.errors_before, made by
-- 05_errors_before.sql), matched on rule, unit, year, title, file and line.
-- Each keeps a value out of the figures.  In the order findings.csv lists
-- them.
SELECT a.code, a.message
FROM audit.findings a
WHERE a.severity = 'error'
  AND NOT EXISTS (
	SELECT FROM pg_temp.errors_before b
	WHERE b.code = a.code
	  AND b.unit_code IS NOT DISTINCT FROM a.unit_code
	  AND b.year IS NOT DISTINCT FROM a.year
	  AND b.title IS NOT DISTINCT FROM a.title
	  AND b.file_id IS NOT DISTINCT FROM a.file_id
	  AND b.line IS NOT DISTINCT FROM a.line)
ORDER BY a.province_code COLLATE "C", a.unit_code COLLATE "C", a.year, a.title COLLATE "C",
         a.code COLLATE "C", a.file COLLATE "C", a.line
