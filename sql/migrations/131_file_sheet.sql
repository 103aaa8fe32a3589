-- 131: a workbook's sheet in the file ledger (issue 20, docs/design.md §9.4).
--
-- hoctap-ingest reads an .xlsx or .xls workbook's rows from one sheet (the
-- one --sheet names, or the first visible one whose first rows hold a
-- header).  Its rows keep their row number as the line, as a CSV's keep
-- their physical line; the sheet is the file's, so that a reject, a
-- finding or --explain can say 'file.xlsx, sheet "Báo cáo", row 14'.
ALTER TABLE staging.files ADD COLUMN sheet text;
COMMENT ON COLUMN staging.files.sheet IS
	'a workbook: the sheet its rows came from (line = the row number); NULL for text';
