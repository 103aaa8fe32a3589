-- 132: the sheet of each workbook the marts were built from, for
-- hoctap-report --explain, which names a value's source as the clerk sees
-- it: 'file.xlsx, sheet "Báo cáo", row 14' rather than 'file.xlsx:14'
-- (staging.files.sheet, migration 131).  hoctap-report reads marts only, so
-- this view of the ledger is in mart and runs with its owner's rights, as
-- mart.freshness does; it shows the inputs' names and sheets, nothing else.
CREATE VIEW mart.input_sheets AS
SELECT i.file_id, i.name, f.sheet
FROM mart.inputs i
JOIN staging.files f ON f.file_id = i.file_id
WHERE f.sheet IS NOT NULL;
REVOKE ALL ON mart.input_sheets FROM hoctap_transform;
GRANT SELECT ON mart.input_sheets TO hoctap_report;
