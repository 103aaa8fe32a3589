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
--     as before; for a file whose lists ingest could not count (more than
--     its memory holds), the latest of the whole file is now
--     staging.files.submitted_at.
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
-- partitions are renamed, the new one gets the same partitions, their year
-- defaults (migration 028) and privileges, and the rows are copied over.

-- Files of lists ingest did not count keep their latest submitted_at.
ALTER TABLE staging.files ADD COLUMN submitted_at timestamptz;
UPDATE staging.files f
SET submitted_at = r.latest
FROM (SELECT file_id, max(submitted_at) AS latest
      FROM staging.register GROUP BY file_id) r
WHERE r.file_id = f.file_id AND NOT f.lists_counted AND r.latest IS NOT NULL;

DO $$
DECLARE
	p record;
BEGIN
	ALTER TABLE staging.register RENAME TO register_033;
	FOR p IN
		SELECT c.relname
		FROM pg_catalog.pg_inherits i
		JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = 'staging.register_033'::pg_catalog.regclass
	LOOP
		EXECUTE pg_catalog.format('ALTER TABLE staging.%I RENAME TO %I',
		                          p.relname, 'old033_' || p.relname);
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

	FOR p IN
		SELECT substr(c.relname, 8) AS relname,
		       pg_catalog.pg_get_expr(c.relpartbound, c.oid) AS bound,
		       (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid)
		        FROM pg_catalog.pg_attrdef d
		        JOIN pg_catalog.pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
		        WHERE d.adrelid = c.oid AND a.attname = 'year') AS year_default
		FROM pg_catalog.pg_inherits i
		JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = 'staging.register_033'::pg_catalog.regclass
		ORDER BY c.relname
	LOOP
		EXECUTE pg_catalog.format('CREATE TABLE staging.%I PARTITION OF staging.register %s',
		                          p.relname, p.bound);
		IF p.year_default IS NOT NULL THEN
			EXECUTE pg_catalog.format('ALTER TABLE staging.%I ALTER COLUMN year SET DEFAULT %s',
			                          p.relname, p.year_default);
		END IF;
		-- What the default privileges of migration 001 give a new table,
		-- given here whoever runs the migration.
		EXECUTE pg_catalog.format('GRANT SELECT, INSERT, UPDATE ON staging.%I TO hoctap_ingest',
		                          p.relname);
		EXECUTE pg_catalog.format('GRANT SELECT ON staging.%I TO hoctap_transform', p.relname);
	END LOOP;
END
$$;
GRANT SELECT, INSERT, UPDATE ON staging.register TO hoctap_ingest;
GRANT SELECT ON staging.register TO hoctap_transform;

INSERT INTO staging.register
	(file_id, line, year, title_no, unit_code, entity_id, registered, recognized,
	 exemplary, score, village)
SELECT r.file_id, r.line, r.year, t.sort_order, r.unit_code, r.entity_id, r.registered,
       r.recognized, r.exemplary, r.score, r.village
FROM staging.register_033 r
JOIN ref.titles t ON t.key = r.title;
DROP TABLE staging.register_033;
