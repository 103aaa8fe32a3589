-- 034: staging.register keeps what the figures and their checks need.
--
-- A register row is one household (clan, village, unit) of a commune's
-- list.  The figures take from it its list (unit, year, title), entity_id
-- (for duplicates), the three flags and the score; its file and line say
-- where it came from.  Two columns held nothing any figure, check or
-- report reads:
--
--   * entity_name, the name of the head of the household: personal data
--     (Decree 13/2023/NĐ-CP asks that personal data be limited to what
--     the processing needs).  hoctap-ingest still reads and checks it; it
--     stays in the archived file, at the line staging.register names.
--   * submitted_at, empty on every row of a register CSV (DESIGN.md §4.2
--     gives the register no such column) and the submission's on every
--     row of a JSON one.  A list's latest is in staging.register_lists,
--     as before.  The files whose lists ingest did not count (loaded
--     before migration 024, or of more lists than its memory holds) are
--     counted here from their rows, dates included, so that no list loses
--     its own date.  A file loaded from now on too large to count takes
--     the latest of the whole file (staging.files.submitted_at) for each
--     of its lists, and ingest warns when their dates differ.
--
-- They cost every loaded row: the name is about a fifth of a row's bytes,
-- and an always-empty submitted_at put a null bitmap (8 bytes with
-- alignment) on every row.  The title, the same few words on every row of
-- a list, is kept as its number (ref.titles.sort_order: 2 bytes, not 7 to
-- 10), next to year so that neither needs padding.  A register of 2.69 M
-- rows takes the server 0.75 of the time it took (psql sending the same
-- rows, medians of 5), and 0.76 of psql's own load of the CSV into a bare
-- table.
--
-- A dropped column still takes a NULL in every new row (PostgreSQL keeps
-- it in the row's layout), so the table is made anew: the old one and its
-- partitions are renamed, the new one gets the same partitions (names,
-- bounds), their year defaults (migration 028), owner and privileges, and
-- the rows are copied over.  Anything this cannot remake stops the
-- migration with nothing changed: a title that is no ref.titles key, a
-- partition itself partitioned.  An index a DBA added is not remade: a
-- warning names it.
--
-- title_no is the title's ref.titles.sort_order, which hoctap-ingest
-- writes from its own list of titles in that order (common/vocab.h):
-- sort_order is the title's number, not to be renumbered.

ALTER TABLE staging.files ADD COLUMN submitted_at timestamptz;

-- Every list of the files ingest did not count, counted as it counts them
-- (transform's lists_from_rows before this migration): then every list
-- keeps its own latest submitted_at.
INSERT INTO staging.register_lists
	(file_id, unit_code, year, title, first_line, last_line, entities, registered,
	 recognized, exemplary, submitted_at)
SELECT r.file_id, r.unit_code, r.year, r.title, min(r.line), max(r.line), count(*),
       count(*) FILTER (WHERE r.registered), count(*) FILTER (WHERE r.recognized),
       sum(r.exemplary::integer), max(r.submitted_at)
FROM staging.register r
JOIN staging.files f ON f.file_id = r.file_id AND NOT f.lists_counted
GROUP BY r.file_id, r.unit_code, r.year, r.title;
UPDATE staging.files f SET lists_counted = true
WHERE NOT f.lists_counted
  AND EXISTS (SELECT FROM staging.register_lists l WHERE l.file_id = f.file_id);

DO $$
DECLARE
	owner_ text;
	old_parent pg_catalog.regclass := 'staging.register'::pg_catalog.regclass;
	p record;
	a record;
	bad text;
BEGIN
	SELECT string_agg(DISTINCT pg_catalog.quote_literal(r.title), ', ') INTO bad
	FROM staging.register r
	WHERE NOT EXISTS (SELECT FROM ref.titles t WHERE t.key = r.title);
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION 'staging.register holds titles that are no ref.titles key: %', bad
			USING HINT = 'correct those rows (hoctap-ingest writes keys only); nothing was changed';
	END IF;
	SELECT pg_catalog.string_agg(c.relname, ', ') INTO bad
	FROM pg_catalog.pg_inherits i
	JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
	WHERE i.inhparent = 'staging.register'::pg_catalog.regclass AND c.relkind <> 'r';
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION 'staging.register has partitions that are partitioned themselves: %', bad
			USING HINT = 'migration 034 remakes plain partitions only; nothing was changed';
	END IF;
	FOR p IN
		SELECT x.indexrelid::pg_catalog.regclass AS idx
		FROM pg_catalog.pg_index x
		WHERE x.indrelid = 'staging.register'::pg_catalog.regclass
	LOOP
		RAISE WARNING 'index % on staging.register is not remade by migration 034', p.idx;
	END LOOP;

	SELECT c.relowner::pg_catalog.regrole::text INTO owner_
	FROM pg_catalog.pg_class c WHERE c.oid = 'staging.register'::pg_catalog.regclass;

	-- The partitions as they are: names, bounds, year defaults, privileges.
	CREATE TEMP TABLE m034_parts ON COMMIT DROP AS
	SELECT c.oid AS old_oid, n.nspname, c.relname,
	       pg_catalog.pg_get_expr(c.relpartbound, c.oid) AS bound,
	       (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid)
	        FROM pg_catalog.pg_attrdef d
	        JOIN pg_catalog.pg_attribute t ON t.attrelid = d.adrelid AND t.attnum = d.adnum
	        WHERE d.adrelid = c.oid AND t.attname = 'year') AS year_default
	FROM pg_catalog.pg_inherits i
	JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
	JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
	WHERE i.inhparent = 'staging.register'::pg_catalog.regclass;
	INSERT INTO pg_temp.m034_parts
	VALUES ('staging.register'::pg_catalog.regclass, 'staging', 'register', NULL, NULL);

	FOR p IN SELECT * FROM pg_temp.m034_parts LOOP
		EXECUTE pg_catalog.format('ALTER TABLE %s RENAME TO %I', p.old_oid::pg_catalog.regclass,
		                          'old034_' || p.old_oid);
	END LOOP;

	CREATE TABLE staging.register (
		file_id       bigint NOT NULL,
		line          integer NOT NULL,
		year          smallint NOT NULL,
		title_no      smallint NOT NULL, -- ref.titles.sort_order of the title
		unit_code     text NOT NULL,
		entity_id     text NOT NULL,
		registered    boolean NOT NULL,
		recognized    boolean NOT NULL,
		exemplary     boolean,
		score         numeric,
		village       text
	) PARTITION BY RANGE (year);

	FOR p IN SELECT * FROM pg_temp.m034_parts ORDER BY bound IS NOT NULL, relname LOOP
		IF p.bound IS NOT NULL THEN
			EXECUTE pg_catalog.format('CREATE TABLE %I.%I PARTITION OF staging.register %s',
			                          p.nspname, p.relname, p.bound);
			IF p.year_default IS NOT NULL THEN
				EXECUTE pg_catalog.format('ALTER TABLE %I.%I ALTER COLUMN year SET DEFAULT %s',
				                          p.nspname, p.relname, p.year_default);
			END IF;
		END IF;
		EXECUTE pg_catalog.format('ALTER TABLE %I.%I OWNER TO %s', p.nspname, p.relname, owner_);
		-- The privileges the old table had (the owner's own go with ownership).
		FOR a IN
			SELECT x.grantee, x.privilege_type
			FROM pg_catalog.pg_class c, pg_catalog.aclexplode(c.relacl) x
			WHERE c.oid = p.old_oid AND x.grantee <> c.relowner
		LOOP
			EXECUTE pg_catalog.format('GRANT %s ON %I.%I TO %s', a.privilege_type, p.nspname,
			                          p.relname, CASE WHEN a.grantee = 0 THEN 'PUBLIC'
			                                          ELSE a.grantee::pg_catalog.regrole::text END);
		END LOOP;
	END LOOP;

	EXECUTE pg_catalog.format(
		'INSERT INTO staging.register (file_id, line, year, title_no, unit_code, entity_id, '
		'registered, recognized, exemplary, score, village) '
		'SELECT r.file_id, r.line, r.year, t.sort_order, r.unit_code, r.entity_id, '
		'r.registered, r.recognized, r.exemplary, r.score, r.village '
		'FROM %s r JOIN ref.titles t ON t.key = r.title', old_parent);
	EXECUTE pg_catalog.format('DROP TABLE %s', old_parent);
END
$$;
