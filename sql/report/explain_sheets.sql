-- report/explain_sheets.sql — --explain: the sheet each workbook input was
-- read from, by the file name mart.facts and mart.findings give, so that a
-- value's source reads 'file.xlsx, sheet "Báo cáo", row 14'.  A name given
-- to two inputs read from different sheets is left out (its line is then
-- given as FILE:LINE, which says no less than before).
SELECT s.name, pg_catalog.min(s.sheet) AS sheet
FROM mart.input_sheets AS s
GROUP BY s.name
HAVING pg_catalog.count(DISTINCT s.sheet) = 1
ORDER BY s.name
