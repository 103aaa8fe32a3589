-- report/inputs.sql — the files the marts were built from, for the
-- "inputs" of manifest.json, in ingest order.
SELECT i.file_id, i.name, i.sha256, i.size_bytes, i.status,
       pg_catalog.to_char(i.ingested_at AT TIME ZONE 'UTC',
                          'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS ingested_at
FROM mart.inputs AS i
ORDER BY i.file_id
