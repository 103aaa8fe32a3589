-- 150: core.put_rows compares a mart's rows column by column, and carries
-- row ids, not rows, through its difference.
--
-- Migration 141 found the rows of the mart and of the new rows that differ
-- by comparing them whole (record_image_eq, *=).  That made every row of
-- both sides into a whole-row value before the join (a copy of each row,
-- on --full some 100,000 a mart), then took both apart again to compare
-- them: most of put_rows' time, for rows that nearly all come out equal.
-- Each column is now compared on its own, with a test that is true
-- exactly when the two values are the same byte for byte, as
-- record_image_eq finds them:
--   * integers, booleans, dates and times, and text of a deterministic
--     collation (the database's, and every collation the marts use): equal
--     values are the same bytes, and IS NOT DISTINCT FROM tells them apart
--     (NULL from a value too);
--   * numeric: equal, and at the same scale (87.5 and 87.50 are equal
--     numbers, not the same figure as printed); a numeric of a given value
--     and scale is stored one way only;
--   * any other type: the two values as they print.
-- The join keeps the row ids (ctid) of both sides; the rows to insert are
-- read again from the source by their ids, and only those.
--
-- It takes the new rows from a view too.
--
-- The transform made each large mart's new rows into a temp table, then
-- put_rows read them back: on --full at scale 0.3 writing the 100,000
-- rows of core.facts, mart.rates or mart.facts into the temp table took
-- 80-90 ms, and most come out as they were, so put_rows writes almost
-- none of them to the mart.  The source may now be a view of the new
-- rows (a temp view of the statement that filled the table): on a night
-- its rows are inserted as before; on --full the view is joined to the
-- mart directly and only the rows that differ are kept, whole, for the
-- insert.  A view's columns are the mart's, in its order; each is cast
-- to the mart's type (as an INSERT would assign it) before it is
-- compared, so that a value the mart would store otherwise (a numeric
-- of another scale for a column with a typmod) is compared as stored.
CREATE OR REPLACE FUNCTION core.put_rows(target regclass, source regclass, hash text[],
                                         replace boolean)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
DECLARE
	-- Aliases no mart's column is named after.
	keys text := (SELECT string_agg(CASE WHEN a.attnotnull IS NOT false
	                                     THEN format('put_new.%I = put_old.%I', k, k)
	                                     ELSE format('ARRAY[put_new.%I] = ARRAY[put_old.%I]', k, k)
	                                END, ' AND ')
	              FROM unnest(hash) k
	              LEFT JOIN pg_attribute a ON a.attrelid = target AND a.attname = k
	                                      AND NOT a.attisdropped);
	same text := (
		SELECT string_agg(
		           CASE WHEN a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype,
		                                    'bool'::regtype, 'date'::regtype,
		                                    'timestamp'::regtype, 'timestamptz'::regtype)
		                     OR (a.atttypid IN ('text'::regtype, 'varchar'::regtype)
		                         AND coalesce(c.collisdeterministic, true))
		                THEN format('put_new.%1$I IS NOT DISTINCT FROM put_old.%1$I', a.attname)
		                WHEN a.atttypid = 'numeric'::regtype
		                THEN format('put_new.%1$I IS NOT DISTINCT FROM put_old.%1$I AND '
		                            'scale(put_new.%1$I) IS NOT DISTINCT FROM scale(put_old.%1$I)',
		                            a.attname)
		                ELSE format('put_new.%1$I::text IS NOT DISTINCT FROM put_old.%1$I::text',
		                            a.attname)
		           END, ' AND ' ORDER BY a.attnum)
		FROM pg_attribute a
		LEFT JOIN pg_collation c ON c.oid = a.attcollation
		WHERE a.attrelid = target AND a.attnum > 0 AND NOT a.attisdropped);
	cols text := (SELECT string_agg(format('%I', a.attname), ', ' ORDER BY a.attnum)
	              FROM pg_attribute a
	              WHERE a.attrelid = target AND a.attnum > 0 AND NOT a.attisdropped);
	ord text := (SELECT string_agg(format('put_new.%I', k), ', ') FROM unnest(hash) k);
	is_view boolean := (SELECT c.relkind = 'v' FROM pg_class c WHERE c.oid = source);
	src text := source::text;
BEGIN
	IF is_view THEN
		IF (SELECT count(*) FROM pg_attribute a
		    WHERE a.attrelid = source AND a.attnum > 0 AND NOT a.attisdropped)
		   <> (SELECT count(*) FROM pg_attribute a
		       WHERE a.attrelid = target AND a.attnum > 0 AND NOT a.attisdropped) THEN
			RAISE EXCEPTION 'core.put_rows: % has not the columns of %', source, target;
		END IF;
		-- The view's columns by position, cast to the mart's.
		SELECT '(SELECT ' || string_agg(format('put_v.%I::%s AS %I', v.attname,
		                                       format_type(t.atttypid, t.atttypmod), t.attname),
		                                ', ' ORDER BY t.n) || format(' FROM %s put_v)', source)
		INTO src
		FROM (SELECT a.attname, a.atttypid, a.atttypmod,
		             row_number() OVER (ORDER BY a.attnum) AS n
		      FROM pg_attribute a
		      WHERE a.attrelid = target AND a.attnum > 0 AND NOT a.attisdropped) t
		JOIN (SELECT a.attname, row_number() OVER (ORDER BY a.attnum) AS n
		      FROM pg_attribute a
		      WHERE a.attrelid = source AND a.attnum > 0 AND NOT a.attisdropped) v
		  ON v.n = t.n;
	END IF;
	IF NOT replace THEN
		EXECUTE format('INSERT INTO %s SELECT put_new.* FROM %s put_new ORDER BY %s', target,
		               src, ord);
		RETURN;
	END IF;
	IF is_view THEN
		-- The mart's rows that are not among the new ones (put_tid), and
		-- the new rows that are not in the mart, kept whole.
		EXECUTE format('CREATE TEMP TABLE put_rows_diff ON COMMIT DROP AS '
		               'SELECT put_old.ctid AS put_tid, put_new.* '
		               'FROM %s put_old FULL JOIN %s put_new ON %s '
		               'WHERE put_new.%I IS NULL OR put_old.%I IS NULL OR NOT (%s)',
		               target, src, keys, hash[1], hash[1], same);
		EXECUTE format('DELETE FROM %s put_old WHERE put_old.ctid = ANY (ARRAY('
		               'SELECT d.put_tid FROM pg_temp.put_rows_diff d '
		               'WHERE d.put_tid IS NOT NULL))', target);
		EXECUTE format('INSERT INTO %s SELECT %s FROM pg_temp.put_rows_diff put_new '
		               'WHERE put_new.%I IS NOT NULL ORDER BY %s',
		               target, cols, hash[1], ord);
		DROP TABLE pg_temp.put_rows_diff;
		RETURN;
	END IF;
	-- A table: the row ids of both sides (put_tid, put_new_tid).
	EXECUTE format('CREATE TEMP TABLE put_rows_diff ON COMMIT DROP AS '
	               'SELECT put_old.ctid AS put_tid, put_new.ctid AS put_new_tid '
	               'FROM %s put_old FULL JOIN %s put_new ON %s '
	               'WHERE put_new.%I IS NULL OR put_old.%I IS NULL OR NOT (%s)',
	               target, src, keys, hash[1], hash[1], same);
	EXECUTE format('DELETE FROM %s put_old WHERE put_old.ctid = ANY (ARRAY('
	               'SELECT d.put_tid FROM pg_temp.put_rows_diff d '
	               'WHERE d.put_tid IS NOT NULL))', target);
	EXECUTE format('INSERT INTO %s SELECT put_new.* FROM %s put_new '
	               'WHERE put_new.ctid = ANY (ARRAY('
	               'SELECT d.put_new_tid FROM pg_temp.put_rows_diff d '
	               'WHERE d.put_new_tid IS NOT NULL)) ORDER BY %s',
	               target, src, ord);
	DROP TABLE pg_temp.put_rows_diff;
END
$$;
COMMENT ON FUNCTION core.put_rows(regclass, regclass, text[], boolean) IS
	'write a mart''s new rows (source, a table or a view of its columns) into it: added (a night), or the mart made equal to them by its difference (--full), compared column by column';
