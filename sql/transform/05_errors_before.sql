-- 05_errors_before: the error findings as the last run left them, before
-- this run replaces any.  An error finding keeps a value out of every
-- figure; one that the last run did not have is news a person must hear
-- (hoctap-transform exits 65 and lists it: queries/new_errors.sql).  Only
-- the errors are read (audit.findings_errors_idx): a few per province.
CREATE TEMP TABLE errors_before ON COMMIT DROP AS
SELECT f.code, f.unit_code, f.year, f.title, f.file_id, f.line
FROM audit.findings f
WHERE f.severity = 'error';
