-- 134: a file's header as the clerk wrote it, in the file ledger (issue 20,
-- deliverable 5: bad rows go back to the clerk).
--
-- A partly loaded file's rejected rows are given back as a file of their
-- own, ready to correct and send again: those rows (staging.rejects.raw,
-- as written) under the file's header.  A CSV's header is its first line;
-- a workbook's is a row of its sheet (two rows joined under merged cells),
-- which the archived file would have to be read again to find.  It is kept
-- as a CSV line, as a workbook row's raw is (common/rowsrc.h,
-- hx_row_to_csv), cut at 4096 bytes as raw is.
ALTER TABLE staging.files ADD COLUMN header text;
COMMENT ON COLUMN staging.files.header IS
	'the header as written, a CSV line (a workbook''s row as hx_row_to_csv writes it); NULL when none was read';
