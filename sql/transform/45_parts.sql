-- 45_parts: the levels and groups of the pairs' titles (docs/rules.md,
-- "Levels and groups").  A tally row with a level (the commune-level
-- learning community, levels 1 and 2) or a group (the learning citizen:
-- adult, official) is a part of its title:
--   * parts are superseded as titles are (40_facts), each unit × year ×
--     title × level or group on its own: core.fact_parts;
--   * a part whose values contradict each other is kept out
--     (invariant_breach, as for a title), and a percent written on a part's
--     row is checked against the part's headline rate
--     (reported_rate_mismatch); the findings are added to the night's by
--     65_parts.sql, once 50_findings has made the table;
--   * a unit that gave no counts for the title itself has its title figure
--     made from its parts (counts_source 'levels' or 'groups'):
--       levels: eligible is the largest any level gives (each restates the
--         same base); registered, recognized and exemplary are the largest
--         when the unit is itself what the title counts (a commune's own
--         commune-level title: recognised at level 2 it counts once), else
--         the sum (a district's own rows count each commune at one level);
--       groups: recognized and exemplary are the sums; eligible and
--         registered stay unknown — the groups' bases cannot be added, so
--         the total over groups has no rate.
--     A unit's own total row (a row without level or group that has
--     counts, or a register list) is its title figure whatever its parts
--     say; an eligible-only total row keeps its eligible.

DELETE FROM core.fact_parts f
WHERE (SELECT mode FROM pg_temp.run_ctx) = 'full'
   OR EXISTS (SELECT FROM pg_temp.pairs p
              WHERE p.province_code = f.province_code AND p.year = f.year);

-- part: the key of a level or group ('1', '2', 'g:adult'), NULL-free for joins.
INSERT INTO core.fact_parts
	(unit_code, year, title, level, grp, province_code, district_code, unit_level,
	 eligible, eligible_file_id, eligible_line,
	 registered, recognized, exemplary, counts_file_id, counts_line, reported_rate)
WITH rows AS (
	SELECT t.*, coalesce(t.part_level::text, 'g:' || t.part_grp) AS part
	FROM pg_temp.live_tally t
	WHERE NOT t.held AND (t.part_level IS NOT NULL OR t.part_grp IS NOT NULL)
), elig AS (
	SELECT DISTINCT ON (unit_code, year, title, part)
	       unit_code, year, title, part, part_level, part_grp, eligible, file_id, line
	FROM rows
	WHERE eligible IS NOT NULL
	ORDER BY unit_code, year, title, part, submitted_at DESC NULLS LAST, file_id DESC, line DESC
), counts AS (
	SELECT DISTINCT ON (unit_code, year, title, part)
	       unit_code, year, title, part, part_level, part_grp, registered, recognized,
	       exemplary, reported_rate, file_id, line
	FROM rows
	WHERE registered IS NOT NULL OR recognized IS NOT NULL OR exemplary IS NOT NULL
	ORDER BY unit_code, year, title, part, submitted_at DESC NULLS LAST, file_id DESC, line DESC
)
SELECT unit_code, year, title, coalesce(e.part_level, c.part_level),
       coalesce(e.part_grp, c.part_grp), u.province_code, u.district_code, u.level,
       e.eligible, e.file_id, e.line,
       c.registered, c.recognized, c.exemplary, c.file_id, c.line, c.reported_rate
FROM elig e
FULL JOIN counts c USING (unit_code, year, title, part)
-- placed in the year's province and district, as the title (40_facts.sql)
JOIN (SELECT x.code AS u_code, x.year AS u_year, x.province_code, x.district_code, x.level
      FROM pg_temp.pair_units x) u ON u.u_code = unit_code AND u.u_year = year;
-- Fresh statistics when this run wrote a tenth or more of the parts (the
-- first night; --full, which writes them anew): the statements below, 65
-- and 68 join them (migration 151).
SELECT core.analyze_written('{core.fact_parts}');

-- invariant_breach of a part: exemplary <= recognized <= registered <=
-- eligible, as 50_findings checks a title.  The part is named after the
-- values ({eligible_from} is the template's free suffix).
CREATE TEMP TABLE part_findings ON COMMIT DROP AS
SELECT 'invariant_breach'::text AS code, f.unit_code, f.year, f.title, f.level, f.grp,
       f.province_code,
       coalesce(f.counts_file_id, f.eligible_file_id) AS file_id,
       CASE WHEN f.counts_file_id IS NOT NULL THEN f.counts_line ELSE f.eligible_line END
           AS line,
       pg_catalog.jsonb_build_object(
           'lower', v.lo_name, 'lower_value', core.fmt_int(v.lo),
           'upper', v.hi_name, 'upper_value', core.fmt_int(v.hi),
           'eligible_from',
           coalesce(' (level ' || f.level || ')', ' (group ' || f.grp || ')')
           || CASE WHEN v.hi_name = 'eligible'
                    AND (f.eligible_file_id, f.eligible_line)
                        IS DISTINCT FROM (f.counts_file_id, f.counts_line)
                   THEN ' (eligible from ' || ef.name || ':' || f.eligible_line || ')'
                   ELSE '' END) AS args
FROM core.fact_parts f
JOIN pg_temp.pairs p ON p.province_code = f.province_code AND p.year = f.year
LEFT JOIN staging.files ef ON ef.file_id = f.eligible_file_id
CROSS JOIN LATERAL (VALUES
	(1, 'exemplary', f.exemplary, 'recognized', f.recognized),
	(2, 'exemplary', f.exemplary, 'registered', f.registered),
	(3, 'exemplary', f.exemplary, 'eligible', f.eligible),
	(4, 'recognized', f.recognized, 'registered', f.registered),
	(5, 'recognized', f.recognized, 'eligible', f.eligible),
	(6, 'registered', f.registered, 'eligible', f.eligible)
) AS v (ord, lo_name, lo, hi_name, hi)
WHERE v.lo > v.hi;

-- reported_rate_mismatch of a part: the percent written must be the part's
-- headline rate rounded half away from zero, or truncated, to the decimals
-- written, as 50_findings checks a title's.  The part is named after the
-- values ({sources}, with where its base came from when another row gave it).
INSERT INTO pg_temp.part_findings
SELECT 'reported_rate_mismatch', f.unit_code, f.year, f.title, f.level, f.grp,
       f.province_code, f.counts_file_id, f.counts_line,
       pg_catalog.jsonb_build_object(
           'reported', pg_catalog.replace(f.reported_rate::text, '.', ','),
           'base_name', h.headline,
           'recognized', f.recognized::text,
           'base', x.base::text,
           'computed', core.rate(f.recognized, x.base)::text,
           'sources',
           coalesce(' (level ' || f.level || ')', ' (group ' || f.grp || ')')
           || CASE WHEN h.headline = 'eligible'
                    AND (f.eligible_file_id, f.eligible_line)
                        IS DISTINCT FROM (f.counts_file_id, f.counts_line)
                   THEN ' (eligible ' || core.fmt_int(x.base) || ' from ' || ef.name || ':'
                        || f.eligible_line || ')'
                   ELSE '' END)
FROM core.fact_parts f
JOIN pg_temp.pairs p ON p.province_code = f.province_code AND p.year = f.year
JOIN ref.titles h ON h.key = f.title
LEFT JOIN staging.files ef ON ef.file_id = f.eligible_file_id
CROSS JOIN LATERAL (
	SELECT CASE h.headline WHEN 'eligible' THEN f.eligible ELSE f.registered END AS base
) x
WHERE f.reported_rate IS NOT NULL AND f.recognized IS NOT NULL AND x.base > 0
  AND f.reported_rate <> pg_catalog.round(100::numeric * f.recognized / x.base,
                                          pg_catalog.scale(f.reported_rate))
  AND f.reported_rate <> pg_catalog.trunc(100::numeric * f.recognized / x.base,
                                          pg_catalog.scale(f.reported_rate));

-- An error keeps the part out ('error' in core.rules, as for a title).
UPDATE core.fact_parts f
SET included = false, excluded_by = x.codes
FROM (SELECT x.unit_code, x.year, x.title, x.level, x.grp,
             string_agg(DISTINCT x.code, ',' ORDER BY x.code) AS codes
      FROM pg_temp.part_findings x
      JOIN core.rules r ON r.code = x.code
      WHERE r.severity = 'error'
      GROUP BY x.unit_code, x.year, x.title, x.level, x.grp) x
WHERE f.unit_code = x.unit_code AND f.year = x.year AND f.title = x.title
  AND f.level IS NOT DISTINCT FROM x.level AND f.grp IS NOT DISTINCT FROM x.grp;

-- Title figures of the units that gave parts and no counts of the title
-- itself.  The sources named are those of the latest part giving each.
INSERT INTO core.facts AS t
	(unit_code, year, title, province_code, district_code, unit_level,
	 eligible, eligible_file_id, eligible_line,
	 registered, recognized, exemplary, counts_source, counts_file_id, counts_line)
SELECT s.unit_code, s.year, s.title, s.province_code, s.district_code, s.unit_level,
       s.eligible, s.eligible_file_id, s.eligible_line,
       s.registered, s.recognized, s.exemplary, s.counts_source,
       s.counts_file_id, s.counts_line
FROM (
	SELECT f.unit_code, f.year, f.title, f.province_code, f.district_code, f.unit_level,
	       CASE WHEN bool_and(f.level IS NOT NULL) THEN max(f.eligible) END AS eligible,
	       CASE WHEN bool_and(f.level IS NOT NULL) THEN
	           (array_agg(f.eligible_file_id ORDER BY f.eligible_file_id DESC NULLS LAST,
	                      f.eligible_line DESC NULLS LAST))[1] END AS eligible_file_id,
	       CASE WHEN bool_and(f.level IS NOT NULL) THEN
	           (array_agg(f.eligible_line ORDER BY f.eligible_file_id DESC NULLS LAST,
	                      f.eligible_line DESC NULLS LAST))[1] END AS eligible_line,
	       CASE WHEN bool_and(f.grp IS NOT NULL) THEN NULL
	            WHEN f.unit_level = h.entity THEN max(f.registered)
	            ELSE sum(f.registered) END::bigint AS registered,
	       CASE WHEN f.unit_level = h.entity AND bool_and(f.level IS NOT NULL)
	            THEN max(f.recognized) ELSE sum(f.recognized) END::bigint AS recognized,
	       CASE WHEN f.unit_level = h.entity AND bool_and(f.level IS NOT NULL)
	            THEN max(f.exemplary) ELSE sum(f.exemplary) END::bigint AS exemplary,
	       CASE WHEN bool_and(f.level IS NOT NULL) THEN 'levels' ELSE 'groups' END
	           AS counts_source,
	       (array_agg(f.counts_file_id ORDER BY f.counts_file_id DESC NULLS LAST,
	                  f.counts_line DESC NULLS LAST))[1] AS counts_file_id,
	       (array_agg(f.counts_line ORDER BY f.counts_file_id DESC NULLS LAST,
	                  f.counts_line DESC NULLS LAST))[1] AS counts_line
	FROM core.fact_parts f
	JOIN pg_temp.pairs p ON p.province_code = f.province_code AND p.year = f.year
	JOIN ref.titles h ON h.key = f.title
	WHERE f.included
	GROUP BY f.unit_code, f.year, f.title, f.province_code, f.district_code, f.unit_level,
	         h.entity
	HAVING count(f.counts_file_id) > 0
) s
ON CONFLICT (unit_code, year, title) DO UPDATE
SET registered = EXCLUDED.registered, recognized = EXCLUDED.recognized,
    exemplary = EXCLUDED.exemplary, counts_source = EXCLUDED.counts_source,
    counts_file_id = EXCLUDED.counts_file_id, counts_line = EXCLUDED.counts_line,
    eligible = coalesce(t.eligible, EXCLUDED.eligible),
    eligible_file_id = CASE WHEN t.eligible IS NOT NULL THEN t.eligible_file_id
                            ELSE EXCLUDED.eligible_file_id END,
    eligible_line = CASE WHEN t.eligible IS NOT NULL THEN t.eligible_line
                         ELSE EXCLUDED.eligible_line END
WHERE t.counts_source IS NULL;

-- Fresh statistics when this run wrote a tenth or more of the facts (the
-- first night, a night that resent many provinces): after 40's put_rows
-- and the titles made of parts above, its last large writes; 50-70 join
-- it (migration 151).
SELECT core.analyze_written('{core.facts}');
