-- report/status.sql — the run's header, read first inside the report's
-- REPEATABLE READ snapshot: when this report was generated (the snapshot's
-- own time), when the marts were built and from data up to when, and the
-- schema version.  Times are ISO 8601 in UTC, formatted here so that no
-- client time zone can change them.  One row, also when mart.status is empty
-- (the transform never ran): then data_as_of and transformed_at are NULL.
SELECT pg_catalog.to_char(pg_catalog.now() AT TIME ZONE 'UTC',
                          'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS generated_at,
       pg_catalog.to_char(s.data_as_of AT TIME ZONE 'UTC',
                          'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS data_as_of,
       pg_catalog.to_char(s.transformed_at AT TIME ZONE 'UTC',
                          'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS transformed_at,
       (SELECT pg_catalog.max(m.version) FROM audit.schema_migrations AS m) AS schema_version
FROM (SELECT 1) AS one
LEFT JOIN mart.status AS s ON true
