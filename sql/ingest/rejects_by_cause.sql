-- The rejects of one file grouped by cause, for the --summary and the log:
-- one unknown commune code is one entry listing every line it hit.
-- $1: file_id.  Whole-file causes (line IS NULL) come first.
SELECT r.reason,
       r.col,
       r.value,
       pg_catalog.min(r.message) AS message,
       pg_catalog.count(*) AS n,
       pg_catalog.array_to_json(
           pg_catalog.array_agg(r.line ORDER BY r.line) FILTER (WHERE r.line IS NOT NULL)
       ) AS lines,
       pg_catalog.min(r.raw) AS raw
FROM staging.rejects AS r
WHERE r.file_id = $1::bigint
GROUP BY r.reason, r.col, r.value
ORDER BY pg_catalog.min(r.line) NULLS FIRST, r.reason, r.col, r.value;
