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

-- The pairs each file in scope has rows for, kept in core.file_pairs: a
-- later night reads the tally and fund rows of its pairs' files only
-- (40_facts.sql).  The units and years of the files are mapped to their
-- provinces by hashing ref.units on --full, and by looking each up on a
-- night (a few hundred); the branch that does not apply is not run.
WITH s AS MATERIALIZED (
	-- The lower bound lets tally_file_brin and fund_file_brin skip the
	-- pages of older files on a night (the new files are the newest).
	SELECT t.file_id, t.unit_code, t.year FROM staging.tally t
	JOIN pg_temp.scope_files f ON f.file_id = t.file_id
	WHERE t.file_id >= (SELECT min(s.file_id) FROM pg_temp.scope_files s)
	UNION
	SELECT d.file_id, d.unit_code, d.year FROM staging.fund d
	JOIN pg_temp.scope_files f ON f.file_id = d.file_id
	WHERE d.file_id >= (SELECT min(s.file_id) FROM pg_temp.scope_files s)
	UNION
	SELECT l.file_id, l.unit_code, l.year FROM core.register_lists l
	JOIN pg_temp.scope_files f ON f.file_id = l.file_id
), taken AS (
	INSERT INTO core.file_pairs (province_code, year, file_id)
	SELECT u.province_code, s.year, s.file_id
	FROM s
	JOIN ref.units u ON u.code = s.unit_code
	WHERE (SELECT mode FROM pg_temp.run_ctx) = 'full'
	UNION
	SELECT u.province_code, s.year, s.file_id
	FROM s
	-- (OFFSET 0 keeps the planner from making the look-ups a hash again)
	CROSS JOIN LATERAL (SELECT x.province_code FROM ref.units x WHERE x.code = s.unit_code
	                    OFFSET 0) u
	WHERE (SELECT mode FROM pg_temp.run_ctx) <> 'full'
	RETURNING province_code, year
)
INSERT INTO pg_temp.pairs (province_code, year)
SELECT DISTINCT t.province_code, t.year FROM taken t;

INSERT INTO pg_temp.pairs (province_code, year)
SELECT p.province_code, (p.year + 1)::smallint FROM pg_temp.pairs p
ON CONFLICT DO NOTHING;

INSERT INTO pg_temp.pairs (province_code, year)
SELECT u.code, c.reopen_year
FROM ref.units u CROSS JOIN pg_temp.run_ctx c
WHERE u.level = 'province' AND c.reopen_year IS NOT NULL
ON CONFLICT DO NOTHING;

ANALYZE pg_temp.pairs;

-- Forget what these pairs held; 40–60 rebuild it.
DELETE FROM core.facts f USING pg_temp.pairs p
WHERE f.province_code = p.province_code AND f.year = p.year;
DELETE FROM core.funds f USING pg_temp.pairs p
WHERE f.province_code = p.province_code AND f.year = p.year;
DELETE FROM audit.findings f USING pg_temp.pairs p
WHERE f.province_code = p.province_code AND f.year = p.year;
DELETE FROM mart.findings f USING pg_temp.pairs p
WHERE f.province_code = p.province_code AND f.year = p.year;
-- mart.facts is found by its units (its key), not scanned whole: it has no
-- index on the pair, and a night touches a province or two.
DELETE FROM mart.facts f USING pg_temp.pairs p
JOIN ref.units u ON u.province_code = p.province_code
WHERE f.unit_code = u.code AND f.year = p.year AND f.province_code = p.province_code;
DELETE FROM mart.rates f USING pg_temp.pairs p
WHERE f.province_code = p.province_code AND f.year = p.year;
DELETE FROM mart.fund_facts f USING pg_temp.pairs p
WHERE f.province_code = p.province_code AND f.year = p.year;
DELETE FROM mart.completeness f USING pg_temp.pairs p
WHERE f.province_code = p.province_code AND f.year = p.year;
-- Cumulative funds run over every year of a province: its rows are rebuilt whole.
DELETE FROM mart.funds f
WHERE f.province_code IN (SELECT DISTINCT province_code FROM pg_temp.pairs);

-- Units with where they sit: district_code of a commune (its parent when
-- the loader left it empty), a district's own code.  On a night only the
-- units of the pairs' provinces, found by units_province_idx: every
-- statement below joins units of its pairs (a successor, which may sit
-- elsewhere, is looked up in ref.units).
CREATE TEMP VIEW units_placed AS
SELECT u.code, u.name, u.level, u.province_code, u.valid_from, u.valid_to, u.successor_code,
       CASE u.level
           WHEN 'district' THEN u.code
           WHEN 'commune' THEN coalesce(u.district_code,
                                        CASE WHEN p.level = 'district' THEN p.code END)
       END AS district_code
FROM ref.units u
LEFT JOIN ref.units p ON p.code = u.parent_code;

CREATE TEMP TABLE units ON COMMIT DROP AS
SELECT v.* FROM pg_temp.units_placed v
WHERE (SELECT mode FROM pg_temp.run_ctx) = 'full'
UNION ALL
SELECT v.* FROM pg_temp.units_placed v
WHERE (SELECT mode FROM pg_temp.run_ctx) <> 'full'
  AND v.province_code IN (SELECT p.province_code FROM pg_temp.pairs p);
-- hoctap-ingest --units puts a commune's district in the commune's
-- province; a district given in ref.units elsewhere is added all the same,
-- so that its sums carry its name as on --full.
INSERT INTO pg_temp.units
SELECT v.* FROM pg_temp.units_placed v
WHERE v.code IN (SELECT u.district_code FROM pg_temp.units u)
  AND v.code NOT IN (SELECT u.code FROM pg_temp.units u);
ALTER TABLE pg_temp.units ADD PRIMARY KEY (code);
ANALYZE pg_temp.units;
