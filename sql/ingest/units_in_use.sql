-- Codes that submissions or targets use but the new unit set (pg_temp.new_units,
-- filled by hoctap-ingest --units) lacks: one use of each, with the file and
-- line of a submission that uses it.  Nothing may disappear that is in use.
-- Only rows of files the ledger holds: rows a version that loaded a large
-- register in two transactions left without their ledger row (a run
-- stopped between its two commits, migration 027) belong to no submission.
WITH used AS (
	SELECT DISTINCT ON (s.unit_code) s.unit_code AS code, f.name AS file, s.line
	FROM (
		SELECT unit_code, file_id, line FROM staging.tally
		UNION ALL
		SELECT unit_code, file_id, line FROM staging.fund
		UNION ALL
		SELECT unit_code, file_id, line FROM staging.register
	) AS s
	JOIN staging.files AS f ON f.file_id = s.file_id
	WHERE NOT EXISTS (SELECT FROM pg_temp.new_units AS n WHERE n.code = s.unit_code)
	ORDER BY s.unit_code, s.file_id, s.line
)
SELECT u.code, u.file, u.line, 'submission' AS used_by
FROM used AS u
UNION ALL
SELECT DISTINCT t.scope_code, NULL, NULL::integer, 'target'
FROM ref.targets AS t
WHERE NOT EXISTS (SELECT FROM pg_temp.new_units AS n WHERE n.code = t.scope_code)
ORDER BY 1
LIMIT 20;
