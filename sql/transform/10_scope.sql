-- 10_scope: what this run takes in and which (province, year) pairs it
-- recomputes.  hoctap-transform runs sql/transform/*.sql in name order in
-- one transaction; to follow it in psql, BEGIN, set the four settings it
-- sets, then \i each file:
--   SELECT set_config('hoctap.run_id', '<audit.runs.run_id>', true),
--          set_config('hoctap.mode', 'incremental'|'full'|'reopen', true),
--          set_config('hoctap.reopen_year', '' | '2016', true),
--          set_config('hoctap.recount', 'off' | 'on', true);

-- units_changed and targets_changed: whether ref.units or ref.targets was
-- written to (ref.versions, migration 026) since the last run that built
-- marts, or there was none.
CREATE TEMP TABLE run_ctx ON COMMIT DROP AS
SELECT pg_catalog.current_setting('hoctap.run_id')::bigint AS run_id,
       pg_catalog.current_setting('hoctap.mode') AS mode,
       nullif(pg_catalog.current_setting('hoctap.reopen_year'), '')::smallint
           AS reopen_year,
       coalesce(nullif(pg_catalog.current_setting('hoctap.recount', true), ''), 'off')::boolean
           AS recount,
       v.units IS DISTINCT FROM l.units_version AS units_changed,
       v.targets IS DISTINCT FROM l.targets_version AS targets_changed
FROM ref.versions v
LEFT JOIN (
	SELECT r.units_version, r.targets_version
	FROM audit.runs r
	WHERE r.finished_at IS NOT NULL AND r.mode <> 'close'
	ORDER BY r.run_id DESC LIMIT 1
) l ON true;

-- Files no run has taken in yet (by the ledger, not by file_id: an ingest
-- that committed late is still taken in).
CREATE TEMP TABLE new_files ON COMMIT DROP AS
SELECT f.file_id
FROM staging.files f
WHERE NOT EXISTS (SELECT FROM core.file_runs r WHERE r.file_id = f.file_id);

INSERT INTO core.file_runs (file_id, run_id)
SELECT n.file_id, c.run_id FROM pg_temp.new_files n CROSS JOIN pg_temp.run_ctx c;

-- The files whose rows this run reads from staging: the new ones, or every
-- file on --full.  Only 'loaded' and 'partial' files have rows that count.
CREATE TEMP TABLE scope_files ON COMMIT DROP AS
SELECT f.file_id
FROM staging.files f
WHERE f.status IN ('loaded', 'partial')
  AND ((SELECT mode FROM pg_temp.run_ctx) = 'full'
       OR f.file_id IN (SELECT file_id FROM pg_temp.new_files));
ALTER TABLE pg_temp.scope_files ADD PRIMARY KEY (file_id);
ANALYZE pg_temp.scope_files;

-- --full starts core and the marts over; the ledger of taken files and the
-- closed years stay, so a rebuild gives the same figures.  The small core
-- tables are emptied by TRUNCATE: only hoctap-transform reads them (the
-- report reads mart), under its lock, and a table truncated in this
-- transaction fills without checking each new key against the old rows'
-- dead index entries.  The small marts are deleted from, row by row: a
-- report's snapshot taken before this run commits must still see the old
-- marts whole, which TRUNCATE would not guarantee.  The large tables (the
-- register lists, facts, funds and placements of core; the rates, facts,
-- completeness, fund facts, scope years and targets of mart) are not
-- emptied: --full changes them by the difference from its new rows
-- (core.put_rows, migration 141), which mostly come out as they were.  A
-- night runs none of it.
DO $$
BEGIN
	IF (SELECT mode FROM pg_temp.run_ctx) = 'full' THEN
		TRUNCATE core.register_dups, core.file_pairs;
		DELETE FROM audit.findings;
		DELETE FROM mart.funds;
		DELETE FROM mart.findings;
	END IF;
END
$$;
