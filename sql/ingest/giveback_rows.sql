-- The rejected rows of one file, for the clerk's rejects file
-- (ingest/giveback.c): a row's every reject, in the order of its lines;
-- the raw line is the same in each reject of a line.  Whole-file causes
-- (line IS NULL) are no row and stay out.
-- $1: file_id.
SELECT j.line, j.col, j.value, j.reason, j.message, j.raw
FROM staging.rejects AS j
WHERE j.file_id = $1::bigint AND j.line IS NOT NULL
ORDER BY j.line, j.reject_id;
