-- 20_register: aggregate the register rows of the files in scope, once.
-- One pass per file set; later runs read core.register_lists, never the
-- millions of staging.register rows again.

INSERT INTO core.register_lists
	(unit_code, year, title, file_id, first_line, last_line, entities,
	 registered, recognized, exemplary, submitted_at)
SELECT r.unit_code, r.year, r.title, r.file_id, min(r.line), max(r.line), count(*),
       count(*) FILTER (WHERE r.registered),
       count(*) FILTER (WHERE r.recognized),
       CASE WHEN count(r.exemplary) > 0 THEN count(*) FILTER (WHERE r.exemplary) END,
       max(r.submitted_at)
FROM staging.register r
JOIN pg_temp.scope_files s ON s.file_id = r.file_id
GROUP BY r.unit_code, r.year, r.title, r.file_id;

-- Entities listed more than once in one list (the duplicate_entity rule).
INSERT INTO core.register_dups
	(unit_code, year, title, file_id, entity_id, n, first_line, last_line)
SELECT r.unit_code, r.year, r.title, r.file_id, r.entity_id, count(*), min(r.line), max(r.line)
FROM staging.register r
JOIN pg_temp.scope_files s ON s.file_id = r.file_id
GROUP BY r.unit_code, r.year, r.title, r.file_id, r.entity_id
HAVING count(*) > 1;
