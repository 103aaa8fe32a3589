-- 20_register: aggregate the register rows of the files in scope, once:
-- every row on --full, else the rows of the files new to this run.  Later
-- runs read core.register_lists and never these staging rows again.  Rows
-- of files that do not count (rejected, duplicate) are filtered when lists
-- are read (40_facts.sql).
--
-- Each step has a --full form (a plain scan of the year partitions, no
-- join) and an incremental form (index scans on register_file_idx for the
-- new files); the form that does not apply is skipped at run time by its
-- one-time filter on run_ctx.mode.

ANALYZE pg_temp.new_files;

INSERT INTO core.register_lists
	(unit_code, year, title, file_id, first_line, last_line, entities,
	 registered, recognized, exemplary, submitted_at)
SELECT r.unit_code, r.year, r.title, r.file_id, min(r.line), max(r.line), count(*),
       count(*) FILTER (WHERE r.registered),
       count(*) FILTER (WHERE r.recognized),
       CASE WHEN count(r.exemplary) > 0 THEN count(*) FILTER (WHERE r.exemplary) END,
       max(r.submitted_at)
FROM staging.register r
WHERE (SELECT mode FROM pg_temp.run_ctx) = 'full'
GROUP BY r.unit_code, r.year, r.title, r.file_id;

INSERT INTO core.register_lists
	(unit_code, year, title, file_id, first_line, last_line, entities,
	 registered, recognized, exemplary, submitted_at)
SELECT r.unit_code, r.year, r.title, r.file_id, min(r.line), max(r.line), count(*),
       count(*) FILTER (WHERE r.registered),
       count(*) FILTER (WHERE r.recognized),
       CASE WHEN count(r.exemplary) > 0 THEN count(*) FILTER (WHERE r.exemplary) END,
       max(r.submitted_at)
FROM staging.register r
JOIN pg_temp.new_files n ON n.file_id = r.file_id
WHERE (SELECT mode FROM pg_temp.run_ctx) <> 'full'
GROUP BY r.unit_code, r.year, r.title, r.file_id;

-- Entities listed more than once in one list (the duplicate_entity rule).
-- Grouping by entity is costly (a group per row) and lists rarely hold
-- duplicates, so first a screen: the rows' 64-bit hashes of (entity, unit,
-- year, title, file) are counted distinct; only when some hash repeats are
-- the rows compared exactly.
CREATE TEMP TABLE dup_screen ON COMMIT DROP AS
SELECT coalesce(sum(x.repeats), 0) AS repeats
FROM (
	SELECT count(*) - count(DISTINCT pg_catalog.hashtextextended(r.entity_id,
	           pg_catalog.hashtextextended(r.unit_code || '|' || r.title,
	                                       r.file_id * 4096 + r.year))) AS repeats
	FROM staging.register r
	WHERE (SELECT mode FROM pg_temp.run_ctx) = 'full'
	UNION ALL
	SELECT count(*) - count(DISTINCT pg_catalog.hashtextextended(r.entity_id,
	           pg_catalog.hashtextextended(r.unit_code || '|' || r.title,
	                                       r.file_id * 4096 + r.year)))
	FROM staging.register r
	JOIN pg_temp.new_files n ON n.file_id = r.file_id
	WHERE (SELECT mode FROM pg_temp.run_ctx) <> 'full'
) x;

INSERT INTO core.register_dups
	(unit_code, year, title, file_id, entity_id, n, first_line, last_line)
SELECT r.unit_code, r.year, r.title, r.file_id, r.entity_id, count(*), min(r.line), max(r.line)
FROM staging.register r
WHERE (SELECT repeats > 0 AND mode = 'full' FROM pg_temp.dup_screen, pg_temp.run_ctx)
GROUP BY r.unit_code, r.year, r.title, r.file_id, r.entity_id
HAVING count(*) > 1;

INSERT INTO core.register_dups
	(unit_code, year, title, file_id, entity_id, n, first_line, last_line)
SELECT r.unit_code, r.year, r.title, r.file_id, r.entity_id, count(*), min(r.line), max(r.line)
FROM staging.register r
JOIN pg_temp.new_files n ON n.file_id = r.file_id
WHERE (SELECT repeats > 0 AND mode <> 'full' FROM pg_temp.dup_screen, pg_temp.run_ctx)
GROUP BY r.unit_code, r.year, r.title, r.file_id, r.entity_id
HAVING count(*) > 1;
