-- 30_pairs: the (province, year) pairs this run recomputes: those the new
-- files touch, the year after each (the eligible_jump rule looks back one
-- year), every province of a reopened year, and on --full every pair with
-- data.  Everything below works on these pairs only.

-- From here on, every ANALYZE is of a temp table this run fills and reads
-- once or twice: a sample of 3,000 rows (not 30,000) gives the row counts
-- and key distributions the planner needs, in a tenth of the time.
SET LOCAL default_statistics_target = 10;

CREATE TEMP TABLE pairs (
	province_code  text NOT NULL,
	year           smallint NOT NULL,
	PRIMARY KEY (province_code, year)
) ON COMMIT DROP;

-- The (file, unit, year) triples of the files in scope.  The lower bound
-- lets tally_file_brin and fund_file_brin skip the pages of older files on
-- a night (the new files are the newest).
CREATE TEMP TABLE scope_rows ON COMMIT DROP AS
SELECT t.file_id, t.unit_code, t.year FROM staging.tally t
JOIN pg_temp.scope_files f ON f.file_id = t.file_id
WHERE t.file_id >= (SELECT min(s.file_id) FROM pg_temp.scope_files s)
UNION
SELECT d.file_id, d.unit_code, d.year FROM staging.fund d
JOIN pg_temp.scope_files f ON f.file_id = d.file_id
WHERE d.file_id >= (SELECT min(s.file_id) FROM pg_temp.scope_files s)
UNION
SELECT l.file_id, l.unit_code, l.year FROM core.register_lists l
JOIN pg_temp.scope_files f ON f.file_id = l.file_id;
ANALYZE pg_temp.scope_rows;

-- Every code as it stands in each year this run may read: the years of
-- the rows, the year after each, a reopened year, the years of the targets
-- and of every file taken in before (a province's funds are rebuilt over
-- all its years) (core.placements, migration 103: the period valid on 31
-- December, or where an ended unit's figures belong).  A code is placed in
-- a province by year: 22969 is in Bình Thuận (60) up to 2024 and in Lâm
-- Đồng (68) from 2025.  The placements are kept in core.unit_years until
-- the units change, so a night places only a year it has never seen.
-- --full and a run after the units changed place every year again: the
-- placements are then written by their difference (core.put_rows), as
-- they mostly come out as they were.
CREATE TEMP TABLE new_unit_years (LIKE core.unit_years INCLUDING DEFAULTS) ON COMMIT DROP;
INSERT INTO pg_temp.new_unit_years
SELECT * FROM core.placements(ARRAY(
	SELECT y FROM (
		SELECT DISTINCT s.year AS y FROM pg_temp.scope_rows s
		UNION SELECT DISTINCT (s.year + 1)::smallint FROM pg_temp.scope_rows s
		UNION SELECT c.reopen_year FROM pg_temp.run_ctx c WHERE c.reopen_year IS NOT NULL
		UNION SELECT DISTINCT t.year FROM ref.targets t
		UNION SELECT DISTINCT p.year FROM core.file_pairs p
	) AS n
	WHERE n.y IS NOT NULL
	  AND ((SELECT c.mode = 'full' OR c.units_changed FROM pg_temp.run_ctx c)
	       OR NOT EXISTS (SELECT FROM core.unit_years u WHERE u.year = n.y))));
SELECT core.put_rows('core.unit_years', 'pg_temp.new_unit_years', ARRAY['code', 'year'],
                     (SELECT c.mode = 'full' OR c.units_changed FROM pg_temp.run_ctx c));
-- Fresh statistics when this run wrote a tenth of the units or more (the
-- first night, new unit lists): 40-68 join them (migration 151).
SELECT core.analyze_written('{core.unit_years}');

-- The pairs each file in scope has rows for, kept in core.file_pairs: a
-- later night reads the tally and fund rows of its pairs' files only
-- (40_facts.sql).
WITH taken AS (
	INSERT INTO core.file_pairs (province_code, year, file_id)
	SELECT DISTINCT u.province_code, s.year, s.file_id
	FROM pg_temp.scope_rows s
	JOIN core.unit_years u ON u.code = s.unit_code AND u.year = s.year
	RETURNING province_code, year
)
INSERT INTO pg_temp.pairs (province_code, year)
SELECT DISTINCT t.province_code, t.year FROM taken t;

INSERT INTO pg_temp.pairs (province_code, year)
SELECT p.province_code, (p.year + 1)::smallint FROM pg_temp.pairs p
ON CONFLICT DO NOTHING;

INSERT INTO pg_temp.pairs (province_code, year)
SELECT u.code, c.reopen_year
FROM core.unit_years u CROSS JOIN pg_temp.run_ctx c
WHERE u.level = 'province' AND u.valid AND u.year = c.reopen_year
ON CONFLICT DO NOTHING;

ANALYZE pg_temp.pairs;

-- Units as they stand in the years of the pairs, a row per unit and year:
-- every code placed in a pair's province that year (its valid units, and
-- the ended ones whose figures belong there), found by unit_years_pair_idx;
-- a district placed elsewhere but named as a unit's district is added all
-- the same, so that its sums carry its name.
CREATE TEMP TABLE unit_years ON COMMIT DROP AS
SELECT u.*
FROM core.unit_years u
JOIN pg_temp.pairs p ON p.province_code = u.province_code AND p.year = u.year;
INSERT INTO pg_temp.unit_years
SELECT v.* FROM core.unit_years v
WHERE (v.code, v.year) IN (SELECT u.district_code, u.year FROM pg_temp.unit_years u)
  AND (v.code, v.year) NOT IN (SELECT u.code, u.year FROM pg_temp.unit_years u);
ALTER TABLE pg_temp.unit_years ADD PRIMARY KEY (code, year);
ANALYZE pg_temp.unit_years;

-- Forget what these pairs held; 40–60 rebuild it (--full: the facts and
-- funds by their difference, core.put_rows).
DELETE FROM core.facts f USING pg_temp.pairs p
WHERE f.province_code = p.province_code AND f.year = p.year
  AND (SELECT c.mode <> 'full' FROM pg_temp.run_ctx c);
DELETE FROM core.funds f USING pg_temp.pairs p
WHERE f.province_code = p.province_code AND f.year = p.year
  AND (SELECT c.mode <> 'full' FROM pg_temp.run_ctx c);
DELETE FROM audit.findings f USING pg_temp.pairs p
WHERE f.province_code = p.province_code AND f.year = p.year;
DELETE FROM mart.findings f USING pg_temp.pairs p
WHERE f.province_code = p.province_code AND f.year = p.year;
-- mart.facts is found by its units (its key), not scanned whole: it has no
-- index on the pair, and a night touches a province or two.  --full
-- deletes none of these four: it changes them by their difference from
-- its new rows (core.put_rows).
DELETE FROM mart.facts f USING pg_temp.unit_years u
WHERE f.unit_code = u.code AND f.year = u.year AND f.province_code = u.province_code
  AND (SELECT c.mode <> 'full' FROM pg_temp.run_ctx c);
DELETE FROM mart.rates f USING pg_temp.pairs p
WHERE f.province_code = p.province_code AND f.year = p.year
  AND (SELECT c.mode <> 'full' FROM pg_temp.run_ctx c);
DELETE FROM mart.fund_facts f USING pg_temp.pairs p
WHERE f.province_code = p.province_code AND f.year = p.year
  AND (SELECT c.mode <> 'full' FROM pg_temp.run_ctx c);
DELETE FROM mart.completeness f USING pg_temp.pairs p
WHERE f.province_code = p.province_code AND f.year = p.year
  AND (SELECT c.mode <> 'full' FROM pg_temp.run_ctx c);
-- Cumulative funds run over every year of a province: its rows are rebuilt whole.
DELETE FROM mart.funds f
WHERE f.province_code IN (SELECT DISTINCT province_code FROM pg_temp.pairs);
