-- report/explain_lineage.sql — hoctap-report --compare A:B --explain SCOPE
-- YEAR TITLE, with YEAR the earlier of A and B: the units of YEAR whose
-- figures comparison.csv re-adds onto scope $1, a unit of the later year
-- $4 (title $3), as comparison.sql follows them (the same pairs, dates and
-- rule): each with its figures, how it came there ("same code" when it
-- kept its code, else the kinds of the pairs followed: whole, population,
-- part, successor), whether its figures were carried here and whether it
-- moved in parts; a commune's values with the file and line they came
-- from.  Carried units first, then the ones that only touch the scope.
WITH RECURSIVE yr AS (
	SELECT $2::smallint AS e, $4::smallint AS l,
	       pg_catalog.make_date($2::integer, 12, 31) AS de,
	       pg_catalog.make_date($4::integer, 12, 31) AS dl
), edge AS (
	SELECT x.old_code, x.new_code, x.effective, x.carries, x.approximate, x.kind
	FROM (
		SELECT l.old_code, l.new_code, l.effective, l.carries, l.approximate, l.kind
		FROM mart.lineage AS l
		WHERE l.old_level IS NULL OR l.old_level = l.new_level
		UNION ALL
		SELECT s.unit_code, s.successor_code, s.valid_to + 1, true, false, 'successor'
		FROM mart.successors AS s
		WHERE s.unit_level = s.successor_level AND s.valid_to IS NOT NULL
		  AND NOT EXISTS (SELECT FROM mart.lineage AS l WHERE l.old_code = s.unit_code)
	) AS x, yr
	WHERE x.effective > yr.de AND x.effective <= yr.dl
), walk (origin, at, since, carried, approx, how, depth) AS (
	SELECT r.scope_code, r.scope_code, yr.de, true, false, ''::text, 0
	FROM mart.rates AS r, yr
	WHERE r.year = yr.e AND r.title = $3
	UNION ALL
	SELECT w.origin, g.new_code, g.effective, w.carried AND g.carries,
	       w.approx OR g.approximate,
	       pg_catalog.concat_ws(', ', NULLIF(w.how, ''), g.kind), w.depth + 1
	FROM walk AS w
	JOIN edge AS g ON g.old_code = w.at AND g.effective > w.since
	WHERE w.depth < 10
)
SELECT w.origin, r.scope_name, r.scope_level,
       coalesce(NULLIF(w.how, ''), 'same code') AS how, w.carried, w.approx,
       r.eligible, r.registered, r.recognized, r.exemplary,
       f.counts_source, f.eligible_file, f.eligible_line, f.counts_file, f.counts_line
FROM walk AS w
JOIN yr ON true
JOIN mart.rates AS r ON r.scope_code = w.origin AND r.year = yr.e AND r.title = $3
LEFT JOIN mart.facts AS f ON r.scope_level = 'commune' AND f.unit_code = w.origin
                         AND f.year = yr.e AND f.title = $3
WHERE w.at = $1
  AND (w.carried OR w.approx)
  AND NOT EXISTS (SELECT FROM edge AS g WHERE g.old_code = w.at AND g.effective > w.since)
ORDER BY w.carried DESC, w.origin COLLATE "C"
