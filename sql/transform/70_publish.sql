-- 70_publish: findings with their messages, the per-unit facts that
-- --explain prints, inputs, successors, status and the run record (the
-- targets are 68_targets.sql's).

INSERT INTO audit.findings
	(code, severity, unit_code, year, title, message, file, file_id, line, province_code)
SELECT a.code, r.severity, a.unit_code, a.year, a.title,
       core.finding_message(r.template, f.name, a.line, a.unit_code, u.name, a.year, a.title,
                            a.args),
       f.name, a.file_id, a.line, a.province_code
FROM pg_temp.raw_findings a
JOIN core.rules r ON r.code = a.code
JOIN pg_temp.unit_years u ON u.code = a.unit_code AND u.year = a.year
LEFT JOIN staging.files f ON f.file_id = a.file_id
ORDER BY a.province_code, a.year, a.unit_code, a.title, a.code, a.file_id, a.line;

INSERT INTO mart.findings (code, severity, unit_code, year, title, message, file, line, province_code)
SELECT a.code, a.severity, a.unit_code, a.year, a.title, a.message, a.file, a.line, a.province_code
FROM audit.findings a
JOIN pg_temp.pairs p ON p.province_code = a.province_code AND p.year = a.year;

-- The rows ingest rejected in the files the marts take in, so that findings
-- lists every value that did not count: code the reject reason
-- (docs/formats.md §11), no unit, year or title (the row was not read far
-- enough to be sure of them).  A file's rejects never change once its ingest
-- committed: a night adds those of its new files, --full all of them (their
-- rows are in no pair, so the deletes by pair leave them).  A file rejected
-- whole is no input of the marts: it is in rejected/ with its .error.txt.
INSERT INTO mart.findings (code, severity, unit_code, year, title, message, file, line, province_code)
SELECT r.reason, 'error', NULL, NULL, NULL,
       f.name || ':' || r.line || ': ' || r.message || ' (row not loaded)', f.name, r.line, NULL
FROM staging.rejects r
JOIN pg_temp.scope_files s ON s.file_id = r.file_id
JOIN staging.files f ON f.file_id = r.file_id
WHERE r.line IS NOT NULL;

-- A district or province tally that its scope was not summed from is shown
-- as not included, excluded_by 'cross_check'.  A view of mart.facts'
-- columns, in its order, written by core.put_rows (migration 150).
CREATE TEMP VIEW new_facts AS
SELECT f.unit_code, u.name AS unit_name, f.unit_level, f.district_code, f.province_code,
       f.year, f.title, f.eligible, f.registered, f.recognized, f.exemplary, f.counts_source,
       ef.name AS eligible_file, f.eligible_line, cf.name AS counts_file, f.counts_line,
       f.reported_rate, f.included AND x.unit_code IS NULL AS included,
       CASE WHEN x.unit_code IS NOT NULL THEN 'cross_check' ELSE f.excluded_by END
           AS excluded_by
FROM core.facts f
JOIN pg_temp.pairs p ON p.province_code = f.province_code AND p.year = f.year
JOIN pg_temp.unit_years u ON u.code = f.unit_code AND u.year = f.year
LEFT JOIN staging.files ef ON ef.file_id = f.eligible_file_id
LEFT JOIN staging.files cf ON cf.file_id = f.counts_file_id
LEFT JOIN pg_temp.crosschecks x ON x.unit_code = f.unit_code AND x.year = f.year
                                AND x.title = f.title;

SELECT core.put_rows('mart.facts', 'pg_temp.new_facts', ARRAY['unit_code', 'year', 'title'],
                     (SELECT c.mode = 'full' FROM pg_temp.run_ctx c));

-- The files the marts were built from (for manifest.json): a night adds
-- the files it takes in (a file's row in staging.files does not change
-- once its ingest committed).  Only files whose rows count: a rejected file
-- brings none, a duplicate nothing beyond its first copy (migration 122).
-- --full makes it equal to every such file by its difference
-- (core.put_rows), as the three marts below: rewritten whole on every
-- --full, their rows and index entries piled up dead until a vacuum, and
-- each insert's unique check visited them (mart.units' 11,000 rows took
-- 90 ms after three --full runs).
CREATE TEMP VIEW new_inputs AS
SELECT f.file_id, f.name, f.sha256, f.size_bytes, f.status, f.ingested_at
FROM staging.files f
JOIN core.file_runs r ON r.file_id = f.file_id
WHERE f.status IN ('loaded', 'partial')
  AND ((SELECT mode FROM pg_temp.run_ctx) = 'full'
       OR f.file_id IN (SELECT n.file_id FROM pg_temp.new_files n));
INSERT INTO mart.inputs SELECT * FROM pg_temp.new_inputs
WHERE (SELECT c.mode <> 'full' FROM pg_temp.run_ctx c);
SELECT core.put_rows('mart.inputs', 'pg_temp.new_inputs', ARRAY['file_id'], true)
WHERE (SELECT c.mode = 'full' FROM pg_temp.run_ctx c);

-- Ended units and the end of their successor chain: from ref.units alone,
-- so made only by --full or after ref.units was written to (a view of
-- nothing otherwise).
CREATE TEMP VIEW new_successors AS
WITH RECURSIVE chain (unit_code, code, depth) AS (
	SELECT u.code, u.successor_code, 1
	FROM ref.units u
	WHERE u.successor_code IS NOT NULL
	  AND (SELECT c.mode = 'full' OR c.units_changed FROM pg_temp.run_ctx c)
	UNION ALL
	SELECT c.unit_code, u.successor_code, c.depth + 1
	FROM chain c
	JOIN ref.units u ON u.code = c.code
	WHERE u.successor_code IS NOT NULL AND u.successor_code <> c.unit_code AND c.depth < 20
)
SELECT DISTINCT ON (c.unit_code) c.unit_code, o.level AS unit_level, o.valid_to,
       c.code AS successor_code, s.name AS successor_name, s.level AS successor_level
FROM chain c
JOIN ref.units o ON o.code = c.unit_code
JOIN ref.units s ON s.code = c.code
ORDER BY c.unit_code, c.depth DESC;
SELECT core.put_rows('mart.successors', 'pg_temp.new_successors', ARRAY['unit_code'], true)
WHERE (SELECT c.mode = 'full' OR c.units_changed FROM pg_temp.run_ctx c);

-- The periods of every code and the lineage, for the report's comparisons
-- (docs/rules.md, "Comparisons across the reform"): from ref alone, so
-- made only by --full or after the units were written to.
CREATE TEMP VIEW new_units AS
SELECT p.code, p.valid_from, p.valid_to, p.name, p.unit_type, p.level, p.parent_code,
       p.province_code, p.district_code
FROM core.unit_periods p
WHERE (SELECT c.mode = 'full' OR c.units_changed FROM pg_temp.run_ctx c);
SELECT core.put_rows('mart.units', 'pg_temp.new_units', ARRAY['code', 'valid_from'], true)
WHERE (SELECT c.mode = 'full' OR c.units_changed FROM pg_temp.run_ctx c);

CREATE TEMP VIEW new_lineage AS
SELECT l.old_code, o.level AS old_level, l.new_code, n.level AS new_level, l.effective,
       l.kind, l.carries, l.approximate
FROM ref.unit_lineage l
LEFT JOIN ref.units o ON o.code = l.old_code
JOIN ref.units n ON n.code = l.new_code
WHERE (SELECT c.mode = 'full' OR c.units_changed FROM pg_temp.run_ctx c);
SELECT core.put_rows('mart.lineage', 'pg_temp.new_lineage',
                     ARRAY['old_code', 'new_code', 'effective'], true)
WHERE (SELECT c.mode = 'full' OR c.units_changed FROM pg_temp.run_ctx c);

INSERT INTO mart.status (singleton, transformed_at, data_as_of, run_id)
SELECT true, pg_catalog.clock_timestamp(),
       -- The newest file whose rows the marts take in: a duplicate or a
       -- rejected file brings nothing, so it leaves data_as_of as it was.
       (SELECT max(f.ingested_at) FROM staging.files f
        JOIN core.file_runs r ON r.file_id = f.file_id
        WHERE f.status IN ('loaded', 'partial')),
       c.run_id
FROM pg_temp.run_ctx c
ON CONFLICT (singleton) DO UPDATE
SET transformed_at = EXCLUDED.transformed_at, data_as_of = EXCLUDED.data_as_of,
    run_id = EXCLUDED.run_id;

UPDATE audit.runs r
SET finished_at = pg_catalog.clock_timestamp(),
    max_file_id = (SELECT max(file_id) FROM core.file_runs),
    pairs = (SELECT count(*) FROM pg_temp.pairs),
    findings = (SELECT count(*) FROM audit.findings),
    files_taken = (SELECT count(*) FROM pg_temp.new_files),
    targets_version = (SELECT v.targets FROM ref.versions v)
FROM pg_temp.run_ctx c
WHERE r.run_id = c.run_id;
