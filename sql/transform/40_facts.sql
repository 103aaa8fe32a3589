-- 40_facts: the current value of every unit × year × title of the pairs,
-- after supersession and register precedence (docs/rules.md):
--   * the latest submission wins: latest submitted_at (a row without one is
--     older than any with one), then ingest order (file_id, then line);
--   * eligible and the counts (registered, recognized, exemplary) are
--     superseded separately: a later row giving only eligible does not
--     erase the counts, and the counts come together from one row;
--   * a register list gives the counts whenever one exists, and replaces
--     an earlier list for the same unit, year and title as a whole;
--     eligible comes from tallies only;
--   * rows of a closed year taken in after it was closed are held out;
--   * a row with a level or a group is a part of its title (45_parts.sql),
--     not the title's figure.

-- Whether a file's rows for a year are held out by a closed year.
CREATE TEMP TABLE held_files ON COMMIT DROP AS
SELECT r.file_id, c.year
FROM core.file_runs r
JOIN audit.closed_years c ON r.run_id > c.run_id;
ALTER TABLE pg_temp.held_files ADD PRIMARY KEY (file_id, year);

-- The units of the pairs, a row per unit and year (30_pairs.sql placed
-- each in its year's province and district): the staging rows are hashed
-- against these in one pass (joined to units, then pairs, they were looked
-- up unit by unit: 55,000 index probes for a night of one province).
CREATE TEMP TABLE pair_units ON COMMIT DROP AS
SELECT u.code, u.year, u.province_code, u.district_code, u.level
FROM pg_temp.unit_years u
JOIN pg_temp.pairs p ON p.province_code = u.province_code AND p.year = u.year;
ANALYZE pg_temp.pair_units;

-- The files with rows for the pairs (core.file_pairs), of those whose rows
-- count.
CREATE TEMP TABLE pair_files ON COMMIT DROP AS
SELECT DISTINCT fp.file_id
FROM core.file_pairs fp
JOIN pg_temp.pairs p ON p.province_code = fp.province_code AND p.year = fp.year
JOIN staging.files f ON f.file_id = fp.file_id AND f.status IN ('loaded', 'partial');
ANALYZE pg_temp.pair_files;

-- The rows of the pairs' units, from the pairs' files.  A night finds its
-- few files' tally, list and fund rows by tally_file_brin,
-- register_lists_file_idx and fund_file_brin (file_id = ANY); --full,
-- which takes nearly every file, hashes them instead: the branch that does
-- not apply is not run.  Codes and title keys are compared bytewise
-- (COLLATE "C"): the statements below sort by them to pick each unit's
-- latest row, and equal is equal in any collation, while a sort under
-- the database's collation costs several times more.
CREATE TEMP VIEW tally_of_pairs AS
SELECT t.file_id, t.line, t.year, t.unit_code COLLATE "C" AS unit_code,
       t.title COLLATE "C" AS title, t.eligible, t.registered,
       t.recognized, t.exemplary, t.reported_rate, t.submitted_at,
       t.level AS part_level, t.grp AS part_grp,
       u.province_code, u.district_code, u.level,
       EXISTS (SELECT FROM pg_temp.held_files h
               WHERE h.file_id = t.file_id AND h.year = t.year) AS held
FROM staging.tally t
JOIN pg_temp.pair_files f ON f.file_id = t.file_id
JOIN pg_temp.pair_units u ON u.code = t.unit_code AND u.year = t.year;

CREATE TEMP VIEW lists_of_pairs AS
SELECT l.unit_code COLLATE "C" AS unit_code, l.year, l.title COLLATE "C" AS title, l.file_id,
       l.first_line, l.last_line, l.entities, l.registered, l.recognized, l.exemplary,
       l.submitted_at, u.province_code, u.district_code, u.level,
       EXISTS (SELECT FROM pg_temp.held_files h
               WHERE h.file_id = l.file_id AND h.year = l.year) AS held
FROM core.register_lists l
JOIN pg_temp.pair_files f ON f.file_id = l.file_id
JOIN pg_temp.pair_units u ON u.code = l.unit_code AND u.year = l.year;

CREATE TEMP VIEW fund_of_pairs AS
SELECT d.file_id, d.line, d.year, d.unit_code COLLATE "C" AS unit_code, d.mobilized_vnd, d.scholarships,
       d.scholarship_vnd, d.submitted_at, u.province_code, u.district_code, u.level,
       EXISTS (SELECT FROM pg_temp.held_files h
               WHERE h.file_id = d.file_id AND h.year = d.year) AS held
FROM staging.fund d
JOIN pg_temp.pair_files f ON f.file_id = d.file_id
JOIN pg_temp.pair_units u ON u.code = d.unit_code AND u.year = d.year;

CREATE TEMP TABLE live_tally ON COMMIT DROP AS
SELECT v.* FROM pg_temp.tally_of_pairs v
WHERE (SELECT mode FROM pg_temp.run_ctx) = 'full'
UNION ALL
SELECT v.* FROM pg_temp.tally_of_pairs v
WHERE (SELECT mode FROM pg_temp.run_ctx) <> 'full'
  AND v.file_id = ANY (ARRAY(SELECT f.file_id FROM pg_temp.pair_files f));

CREATE TEMP TABLE live_lists ON COMMIT DROP AS
SELECT v.* FROM pg_temp.lists_of_pairs v
WHERE (SELECT mode FROM pg_temp.run_ctx) = 'full'
UNION ALL
SELECT v.* FROM pg_temp.lists_of_pairs v
WHERE (SELECT mode FROM pg_temp.run_ctx) <> 'full'
  AND v.file_id = ANY (ARRAY(SELECT f.file_id FROM pg_temp.pair_files f));

CREATE TEMP TABLE live_fund ON COMMIT DROP AS
SELECT v.* FROM pg_temp.fund_of_pairs v
WHERE (SELECT mode FROM pg_temp.run_ctx) = 'full'
UNION ALL
SELECT v.* FROM pg_temp.fund_of_pairs v
WHERE (SELECT mode FROM pg_temp.run_ctx) <> 'full'
  AND v.file_id = ANY (ARRAY(SELECT f.file_id FROM pg_temp.pair_files f));

-- The columns the statements below join, group or filter on (the others'
-- statistics cost as much to make and are never used).
ANALYZE pg_temp.live_tally (unit_code, year, title, held, eligible, registered, recognized,
                            exemplary, part_level, part_grp);
ANALYZE pg_temp.live_lists;
ANALYZE pg_temp.live_fund;

-- The facts are made by a view of core.facts' columns, written by
-- core.put_rows: added on a night, the difference on --full (most come
-- out as they were, and are then never written anywhere).  Every fact is
-- included until a finding keeps it out (50_findings).
CREATE TEMP VIEW new_core_facts AS
WITH elig AS (
	SELECT DISTINCT ON (unit_code, year, title)
	       unit_code, year, title, eligible, file_id, line
	FROM pg_temp.live_tally
	WHERE NOT held AND eligible IS NOT NULL AND part_level IS NULL AND part_grp IS NULL
	ORDER BY unit_code, year, title, submitted_at DESC NULLS LAST, file_id DESC, line DESC
), counts AS (
	SELECT DISTINCT ON (unit_code, year, title)
	       unit_code, year, title, eligible, registered, recognized, exemplary,
	       reported_rate, file_id, line
	FROM pg_temp.live_tally
	WHERE NOT held AND part_level IS NULL AND part_grp IS NULL
	  AND (registered IS NOT NULL OR recognized IS NOT NULL OR exemplary IS NOT NULL)
	ORDER BY unit_code, year, title, submitted_at DESC NULLS LAST, file_id DESC, line DESC
), list AS (
	SELECT DISTINCT ON (unit_code, year, title)
	       unit_code, year, title, registered, recognized, exemplary, file_id, first_line
	FROM pg_temp.live_lists
	WHERE NOT held
	ORDER BY unit_code, year, title, submitted_at DESC NULLS LAST, file_id DESC
)
-- Every unit, year and title with any of the three: full joins on the key,
-- which each CTE holds once (the sorted elig and counts merge as they are).
SELECT unit_code, year, title, u.province_code, u.district_code, u.level AS unit_level,
       e.eligible, e.file_id AS eligible_file_id, e.line AS eligible_line,
       CASE WHEN l.file_id IS NOT NULL THEN l.registered ELSE c.registered END AS registered,
       CASE WHEN l.file_id IS NOT NULL THEN l.recognized ELSE c.recognized END AS recognized,
       CASE WHEN l.file_id IS NOT NULL THEN l.exemplary ELSE c.exemplary END AS exemplary,
       CASE WHEN l.file_id IS NOT NULL THEN 'register'
            WHEN c.file_id IS NOT NULL THEN 'tally' END AS counts_source,
       coalesce(l.file_id, c.file_id) AS counts_file_id,
       CASE WHEN l.file_id IS NOT NULL THEN l.first_line ELSE c.line END AS counts_line,
       c.eligible AS tally_eligible, c.registered AS tally_registered,
       c.recognized AS tally_recognized, c.exemplary AS tally_exemplary,
       c.file_id AS tally_file_id, c.line AS tally_line, c.reported_rate,
       true AS included, NULL::text AS excluded_by
FROM elig e
FULL JOIN counts c USING (unit_code, year, title)
FULL JOIN list l USING (unit_code, year, title)
JOIN (SELECT x.code AS u_code, x.year AS u_year, x.province_code, x.district_code, x.level
      FROM pg_temp.pair_units x) u ON u.u_code = unit_code AND u.u_year = year;
SELECT core.put_rows('core.facts', 'pg_temp.new_core_facts', ARRAY['unit_code', 'year', 'title'],
                     (SELECT c.mode = 'full' FROM pg_temp.run_ctx c));

-- Funds, per unit and year, as tallies (eligible apart from the counts): the
-- mobilized amount from the latest row that gives one, the scholarships
-- (count and value together) from the latest row that gives either, so a
-- correction of the amount alone leaves the scholarships as they were.
-- file_id and line: the amount's row, else the scholarships'.
CREATE TEMP TABLE new_core_funds (LIKE core.funds INCLUDING DEFAULTS) ON COMMIT DROP;
INSERT INTO pg_temp.new_core_funds
	(unit_code, year, province_code, district_code, unit_level,
	 mobilized_vnd, scholarships, scholarship_vnd, file_id, line,
	 scholarship_file_id, scholarship_line)
WITH amount AS (
	SELECT DISTINCT ON (d.unit_code, d.year)
	       d.unit_code, d.year, d.province_code, d.district_code, d.level,
	       d.mobilized_vnd, d.file_id, d.line
	FROM pg_temp.live_fund d
	WHERE NOT d.held AND d.mobilized_vnd IS NOT NULL
	ORDER BY d.unit_code, d.year, d.submitted_at DESC NULLS LAST, d.file_id DESC, d.line DESC
), scholarship AS (
	SELECT DISTINCT ON (d.unit_code, d.year)
	       d.unit_code, d.year, d.province_code, d.district_code, d.level,
	       d.scholarships, d.scholarship_vnd, d.file_id, d.line
	FROM pg_temp.live_fund d
	WHERE NOT d.held AND (d.scholarships IS NOT NULL OR d.scholarship_vnd IS NOT NULL)
	ORDER BY d.unit_code, d.year, d.submitted_at DESC NULLS LAST, d.file_id DESC, d.line DESC
)
SELECT unit_code, year, coalesce(a.province_code, s.province_code),
       coalesce(a.district_code, s.district_code), coalesce(a.level, s.level),
       a.mobilized_vnd, s.scholarships, s.scholarship_vnd,
       coalesce(a.file_id, s.file_id), coalesce(a.line, s.line), s.file_id, s.line
FROM amount a
FULL JOIN scholarship s USING (unit_code, year);
SELECT core.put_rows('core.funds', 'pg_temp.new_core_funds', ARRAY['unit_code', 'year'],
                     (SELECT c.mode = 'full' FROM pg_temp.run_ctx c));

-- Fresh statistics when this run wrote a tenth or more of the funds (the
-- first night, a night that resent many provinces): 50-70 join them
-- (migration 151).  core.facts is analyzed at the end of 45_parts, which
-- still adds the titles given only by their parts.
SELECT core.analyze_written('{core.funds}');
