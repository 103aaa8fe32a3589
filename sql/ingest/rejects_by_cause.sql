-- The rejects of one file grouped by cause, for the --summary and the log:
-- one unknown commune code is one entry listing every line it hit, and the
-- text of each of its first 1,000 lines (staging.rejects keeps every one).
-- raw is the text of its first line, and message its message (a workbook
-- row's names its sheet, row and column, so it differs row by row).
-- $1: file_id.  Whole-file causes (line IS NULL) come first.
SELECT r.reason,
       r.col,
       r.value,
       (pg_catalog.array_agg(r.message ORDER BY r.line NULLS FIRST))[1] AS message,
       pg_catalog.count(*) AS n,
       pg_catalog.array_to_json(
           pg_catalog.array_agg(r.line ORDER BY r.line) FILTER (WHERE r.line IS NOT NULL)
       ) AS lines,
       (pg_catalog.array_agg(r.raw ORDER BY r.line NULLS FIRST))[1] AS raw,
       pg_catalog.json_agg(pg_catalog.json_build_object('line', r.line, 'raw', r.raw)
                           ORDER BY r.line) FILTER (WHERE r.line IS NOT NULL AND r.k <= 1000)
           AS rows
FROM (SELECT j.*,
             pg_catalog.row_number() OVER (PARTITION BY j.reason, j.col, j.value
                                           ORDER BY j.line) AS k
      FROM staging.rejects AS j
      WHERE j.file_id = $1::bigint) AS r
GROUP BY r.reason, r.col, r.value
ORDER BY pg_catalog.min(r.line) NULLS FIRST, r.reason, r.col, r.value;
