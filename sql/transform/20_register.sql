-- 20_register: the register lists of the files in scope into
-- core.register_lists: every file's on --full, else the files new to this
-- run.  Rows of files that do not count (rejected, duplicate) are filtered
-- when lists are read (40_facts.sql).
--
-- hoctap-ingest counts every list of a register file while it loads its
-- rows, in the same transaction (staging.register_lists, migration 024).
-- A night and --full take those counts; only files ingest did not count
-- (loaded before that migration, or of more lists than its memory holds)
-- are counted here from their rows.  --recount counts every list from the
-- rows again, in one CREATE TABLE AS, which (unlike INSERT ... SELECT) may
-- use parallel workers, and stops the run if any count ingest made
-- differs: the audit of the counts the other modes trust.  The branch that
-- does not apply is not even planned.  staging.register has no index
-- (migration 025: its upkeep cost every loaded row more than a sixth of the
-- server's work), so counting uncounted files' rows is one sequential scan
-- for all of them, made only when there is such a file.
--
-- Entities listed more than once in one list feed the duplicate_entity
-- rule.  hoctap-ingest finds them as it loads a list (migration 021); only
-- files it did not check are checked here, from their rows.  Grouping by
-- entity costs a group per row and lists rarely hold duplicates, so first
-- a screen: the rows' 64-bit hashes of (entity, file, year) are counted
-- distinct; only when a hash repeats are the rows compared exactly, by
-- (unit, year, title, file, entity).  A repeat the exact pass does not
-- confirm (the same entity under two units or titles of one file, or a
-- hash collision) costs time, never a figure.

ANALYZE pg_temp.new_files;

-- Every list counted from its staged rows: what hoctap-ingest counts while
-- it loads them.  A filter on file_id is applied before the grouping.
-- The rows keep no submitted_at (migration 034): a list's latest is the one
-- ingest kept with its counts, or, for a file whose lists it could not
-- count, the latest of the whole file (staging.files.submitted_at).
-- A row names its title by number (ref.titles.sort_order, migration 034).
CREATE OR REPLACE TEMP VIEW list_counts_from_rows AS
SELECT r.unit_code, r.year, r.title_no, r.file_id, min(r.line) AS first_line,
       max(r.line) AS last_line, count(*) AS entities,
       count(*) FILTER (WHERE r.registered) AS registered,
       count(*) FILTER (WHERE r.recognized) AS recognized,
       sum(r.exemplary::integer) AS exemplary  -- NULL when no row says
FROM staging.register r
GROUP BY r.unit_code, r.year, r.title_no, r.file_id;
CREATE OR REPLACE TEMP VIEW lists_from_rows AS
SELECT v.unit_code, v.year, t.key AS title, v.file_id, v.first_line, v.last_line, v.entities,
       v.registered, v.recognized, v.exemplary,
       CASE WHEN f.lists_counted THEN l.submitted_at ELSE f.submitted_at END AS submitted_at
FROM pg_temp.list_counts_from_rows v
JOIN ref.titles t ON t.sort_order = v.title_no
JOIN staging.files f ON f.file_id = v.file_id
LEFT JOIN staging.register_lists l
  ON l.file_id = v.file_id AND l.unit_code = v.unit_code AND l.year = v.year
 AND l.title = t.key;

-- Counting rows sets parallel_tuple_cost low for its one statement: the
-- planner guesses far more lists than there are (a group per few hundred
-- rows) and so overprices handing partial groups to the leader.
DO $$
BEGIN
	IF (SELECT mode = 'full' AND recount FROM pg_temp.run_ctx) THEN
		-- --recount: every list from its rows (CREATE TABLE AS, which may use
		-- parallel workers), then compared with the counts ingest made.
		-- Only files the ledger holds: the versions of hoctap-ingest that
		-- loaded a large register in two transactions (migration 027)
		-- could leave rows of no file, there until the next hoctap-ingest
		-- deletes them.
		SET LOCAL parallel_tuple_cost = 0.001;
		CREATE TEMP TABLE new_lists ON COMMIT DROP AS
		SELECT v.* FROM pg_temp.lists_from_rows v
		WHERE v.file_id IN (SELECT f.file_id FROM staging.files f
		                    WHERE f.status IN ('loaded', 'partial'));
		SET LOCAL parallel_tuple_cost TO DEFAULT;
		-- submitted_at is not in the rows to be recounted: the counts are.
		IF EXISTS (
			(SELECT n.unit_code, n.year, n.title, n.file_id, n.first_line, n.last_line,
			        n.entities, n.registered, n.recognized, n.exemplary
			 FROM pg_temp.new_lists n
			 JOIN staging.files f ON f.file_id = n.file_id AND f.lists_counted
			 EXCEPT
			 SELECT l.unit_code, l.year, l.title, l.file_id, l.first_line, l.last_line,
			        l.entities, l.registered, l.recognized, l.exemplary
			 FROM staging.register_lists l)
			UNION ALL
			(SELECT l.unit_code, l.year, l.title, l.file_id, l.first_line, l.last_line,
			        l.entities, l.registered, l.recognized, l.exemplary
			 FROM staging.register_lists l
			 EXCEPT
			 SELECT n.unit_code, n.year, n.title, n.file_id, n.first_line, n.last_line,
			        n.entities, n.registered, n.recognized, n.exemplary
			 FROM pg_temp.new_lists n)) THEN
			RAISE EXCEPTION 'the register lists counted by hoctap-ingest differ from their rows'
				USING HINT = 'compare staging.register_lists with the rows of staging.register '
				             'of the same file_id; nothing was changed';
		END IF;
	ELSE
		-- The files whose lists this run takes: every file on --full, the new
		-- ones on a night.  Their lists as hoctap-ingest counted them; only
		-- files it did not count are counted here from their rows (one scan,
		-- and none when there is no such file).
		CREATE TEMP TABLE list_scope ON COMMIT DROP AS
		SELECT f.file_id, f.lists_counted
		FROM staging.files f
		WHERE f.status IN ('loaded', 'partial')
		  AND ((SELECT mode FROM pg_temp.run_ctx) = 'full'
		       OR f.file_id IN (SELECT n.file_id FROM pg_temp.new_files n));
		-- Analyzed, so that a night's few files are looked up by key rather
		-- than every list hashed.
		ANALYZE pg_temp.list_scope;
		CREATE TEMP TABLE new_lists ON COMMIT DROP AS
		SELECT l.unit_code, l.year, l.title, l.file_id, l.first_line, l.last_line,
		       l.entities, l.registered, l.recognized, l.exemplary, l.submitted_at
		FROM staging.register_lists l
		JOIN pg_temp.list_scope s ON s.file_id = l.file_id AND s.lists_counted;
		IF EXISTS (SELECT FROM pg_temp.list_scope s WHERE NOT s.lists_counted) THEN
			SET LOCAL parallel_tuple_cost = 0.001;
			INSERT INTO pg_temp.new_lists
			SELECT v.* FROM pg_temp.lists_from_rows v
			WHERE v.file_id IN (SELECT s.file_id FROM pg_temp.list_scope s
			                    WHERE NOT s.lists_counted);
			SET LOCAL parallel_tuple_cost TO DEFAULT;
		END IF;
	END IF;
END
$$;

-- Added on a night; on --full, every list, written by their difference
-- (core.put_rows: most come out as they were).
CREATE TEMP TABLE lists_out (LIKE core.register_lists INCLUDING DEFAULTS) ON COMMIT DROP;
INSERT INTO pg_temp.lists_out
	(unit_code, year, title, file_id, first_line, last_line, entities,
	 registered, recognized, exemplary, submitted_at)
SELECT l.unit_code, l.year, l.title, l.file_id, l.first_line, l.last_line, l.entities,
       l.registered, l.recognized, l.exemplary, l.submitted_at
FROM pg_temp.new_lists l;
SELECT core.put_rows('core.register_lists', 'pg_temp.lists_out',
                     ARRAY['unit_code', 'year', 'title', 'file_id'],
                     (SELECT c.mode = 'full' FROM pg_temp.run_ctx c));

-- Duplicate entities, for the files whose lists this run aggregated.
-- hoctap-ingest finds them while it streams a list: a file it checked
-- (staging.files.entities_checked) has its duplicates, possibly none, in
-- staging.register_dups, copied here.  The other files (loaded before
-- migration 021, or with lists too large or scattered for ingest's memory)
-- are checked from their staged rows below; when there are none, no
-- staging.register row is read again.
CREATE TEMP TABLE list_files ON COMMIT DROP AS
SELECT f.file_id, f.entities_checked
FROM staging.files f
WHERE f.file_id IN (SELECT l.file_id FROM pg_temp.new_lists l);
ANALYZE pg_temp.list_files;

INSERT INTO core.register_dups
	(unit_code, year, title, file_id, entity_id, n, first_line, last_line)
SELECT d.unit_code, d.year, d.title, d.file_id, d.entity_id, d.n, d.first_line, d.last_line
FROM staging.register_dups d
JOIN pg_temp.list_files f ON f.file_id = d.file_id
WHERE f.entities_checked;

-- The unchecked files' rows (one scan of staging.register): first the screen,
-- then, only when a hash repeats, the exact pass.
DO $$
DECLARE
	unchecked bigint[] := ARRAY(SELECT f.file_id FROM pg_temp.list_files f
	                            WHERE NOT f.entities_checked);
BEGIN
	IF pg_catalog.cardinality(unchecked) = 0 THEN
		RETURN;
	END IF;
	IF (SELECT count(*) - count(DISTINCT pg_catalog.hashtextextended(r.entity_id,
	                                                                 r.file_id * 4096 + r.year))
	    FROM staging.register r
	    WHERE r.file_id = ANY (unchecked)) > 0 THEN
		INSERT INTO core.register_dups
			(unit_code, year, title, file_id, entity_id, n, first_line, last_line)
		SELECT r.unit_code, r.year, t.key, r.file_id, r.entity_id, count(*),
		       min(r.line), max(r.line)
		FROM staging.register r
		JOIN ref.titles t ON t.sort_order = r.title_no
		WHERE r.file_id = ANY (unchecked)
		GROUP BY r.unit_code, r.year, t.key, r.file_id, r.entity_id
		HAVING count(*) > 1;
	END IF;
END
$$;

-- Fresh statistics when this run wrote a tenth or more of
-- core.register_lists (the first night, a --full that found many lists
-- new): the statements below join it (core.analyze_written, migration
-- 151).  A usual night adds a few lists; a --full that found the lists as
-- they were writes none.
SELECT core.analyze_written('{core.register_lists}');
