-- 122: what lets a night say what went wrong instead of publishing it.

-- The error findings, read by every run before it replaces any
-- (sql/transform/05_errors_before.sql): a run lists those it adds.
CREATE INDEX findings_errors_idx ON audit.findings (province_code, year) WHERE severity = 'error';

-- Whether the marts are older than what ingest committed: files loaded (or
-- partly loaded) that no transform has taken in yet.  hoctap-report reads
-- marts only, so this view of the ledger is in mart; it runs with its
-- owner's rights.  hoctap-report refuses to publish while it is not empty
-- (a transform running, failed or never run), instead of publishing marts
-- that leave those files out, or empty files from a database never
-- transformed.
CREATE VIEW mart.freshness AS
SELECT pg_catalog.count(*)::integer AS files_pending,
       pg_catalog.min(f.ingested_at) AS pending_since
FROM staging.files f
WHERE f.status IN ('loaded', 'partial')
  AND NOT EXISTS (SELECT FROM core.file_runs r WHERE r.file_id = f.file_id);
GRANT SELECT ON mart.freshness TO hoctap_report, hoctap_transform;

-- The files the marts were built from are those whose rows they hold: a
-- rejected file brings none, a duplicate none beyond its first copy's.
-- sql/transform/70_publish.sql now lists only loaded and partial files.
DELETE FROM mart.inputs WHERE status NOT IN ('loaded', 'partial');
