-- 133: how a text file's bytes were read, in the file ledger (issue 20,
-- docs/design.md §9.4).  hoctap-ingest reads UTF-8 and UTF-16 as before, and now
-- text typed in the legacy Vietnamese encodings (TCVN3, VNI-Windows,
-- Windows-1258) or UTF-8 with decomposed letters, converting it to UTF-8 in
-- NFC as it reads; the record says which, so that a figure's source can be
-- checked against what the clerk's machine wrote.
ALTER TABLE staging.files ADD COLUMN encoding text;
ALTER TABLE staging.files ADD COLUMN encoding_note text;
COMMENT ON COLUMN staging.files.encoding IS
	'text: utf-8, utf-8 BOM, utf-16le BOM, utf-16be BOM, TCVN3, VNI-Windows or Windows-1258; NULL for a workbook or bytes that are not text';
COMMENT ON COLUMN staging.files.encoding_note IS
	'how the text was read when it was converted or normalised, e.g. read as VNI-Windows: 41 letters decoded';
