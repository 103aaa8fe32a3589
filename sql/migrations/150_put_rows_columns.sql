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
-- read again from the source by their ids, and only those.  The source is
-- therefore a table (a temp table of the mart's columns), not a view.
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
	ord text := (SELECT string_agg(format('put_new.%I', k), ', ') FROM unnest(hash) k);
BEGIN
	IF NOT replace THEN
		EXECUTE format('INSERT INTO %s SELECT put_new.* FROM %s put_new ORDER BY %s', target,
		               source, ord);
		RETURN;
	END IF;
	-- One pass over both: the mart's rows that are not among the new ones
	-- (put_tid), and the new rows that are not in the mart (put_new_tid).
	EXECUTE format('CREATE TEMP TABLE put_rows_diff ON COMMIT DROP AS '
	               'SELECT put_old.ctid AS put_tid, put_new.ctid AS put_new_tid '
	               'FROM %s put_old FULL JOIN %s put_new ON %s '
	               'WHERE put_new.%I IS NULL OR put_old.%I IS NULL OR NOT (%s)',
	               target, source, keys, hash[1], hash[1], same);
	EXECUTE format('DELETE FROM %s put_old WHERE put_old.ctid = ANY (ARRAY('
	               'SELECT d.put_tid FROM pg_temp.put_rows_diff d '
	               'WHERE d.put_tid IS NOT NULL))', target);
	EXECUTE format('INSERT INTO %s SELECT put_new.* FROM %s put_new '
	               'WHERE put_new.ctid = ANY (ARRAY('
	               'SELECT d.put_new_tid FROM pg_temp.put_rows_diff d '
	               'WHERE d.put_new_tid IS NOT NULL)) ORDER BY %s',
	               target, source, ord);
	DROP TABLE pg_temp.put_rows_diff;
END
$$;
COMMENT ON FUNCTION core.put_rows(regclass, regclass, text[], boolean) IS
	'write a mart''s new rows (source, a table) into it: added (a night), or the mart made equal to them by its difference (--full), compared column by column';
