-- 141: the transform writes a mart's new rows through core.put_rows.
--
-- A night deletes the rows of its pairs and inserts theirs anew.  --full
-- used to delete every row of the marts and insert every row again: with
-- their indexes kept (a report's snapshot taken before the run commits
-- must still see the old rows whole, on the primary and on a standby, so
-- the rows are deleted one by one, never truncated and the indexes never
-- dropped), each new key was checked against its deleted twin and every
-- index grew by a second copy of itself.  Most of a rebuild's rows come
-- out as they were.  --full now builds each mart's rows apart and changes
-- the mart by the difference only: it deletes the rows that are not among
-- the new ones, and inserts the new rows that are not already there.
-- One hash join of the two finds both; rows are compared whole and byte
-- for byte (record_image_eq, *=: 87.5 and 87.50 differ, as they print).
-- The marts end the same, row for row, as by deleting everything and
-- inserting it again, and a row that comes out as it was is not written.
--
-- target: the mart; source: a table of its columns in its order (CREATE
-- TABLE ... (LIKE target)); hash: the columns of the mart's key, which no
-- two rows of either share (NULLs equal, as in a key NULLS NOT DISTINCT;
-- a column the mart allows NULL in is compared as a one-element array,
-- whose equality is so and can be hashed), the first never NULL;
-- replace: true on --full (the source is the whole mart), false on a
-- night (the source's rows are added; the night deleted the ones they
-- replace).  Rows are inserted in the order of hash, which fills the
-- index on those columns from left to right.
CREATE FUNCTION core.put_rows(target regclass, source regclass, hash text[], replace boolean)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
DECLARE
	-- Aliases no mart's column is named after: a bare alias is its whole row.
	keys text := (SELECT string_agg(CASE WHEN a.attnotnull IS NOT false
	                                     THEN format('put_new.%I = put_old.%I', k, k)
	                                     ELSE format('ARRAY[put_new.%I] = ARRAY[put_old.%I]', k, k)
	                                END, ' AND ')
	              FROM unnest(hash) k
	              LEFT JOIN pg_attribute a ON a.attrelid = target AND a.attname = k
	                                      AND NOT a.attisdropped);
	ord text := (SELECT string_agg(format('(d.put_row).%I', k), ', ') FROM unnest(hash) k);
BEGIN
	IF NOT replace THEN
		EXECUTE format('INSERT INTO %s SELECT put_new.* FROM %s put_new ORDER BY %s', target,
		               source, replace(ord, '(d.put_row)', 'put_new'));
		RETURN;
	END IF;
	-- One pass over both: the mart's rows that are not among the new ones
	-- (put_tid), and the new rows that are not in the mart (put_row).
	EXECUTE format('CREATE TEMP TABLE put_rows_diff ON COMMIT DROP AS '
	               'SELECT put_old.ctid AS put_tid, '
	               'CASE WHEN put_new.%I IS NOT NULL THEN put_new END AS put_row '
	               'FROM %s put_old FULL JOIN %s put_new ON %s '
	               'WHERE put_new.%I IS NULL OR put_old.%I IS NULL OR NOT put_new *= put_old',
	               hash[1], target, source, keys, hash[1], hash[1]);
	EXECUTE format('DELETE FROM %s put_old WHERE put_old.ctid = ANY (ARRAY('
	               'SELECT d.put_tid FROM pg_temp.put_rows_diff d '
	               'WHERE d.put_tid IS NOT NULL))', target);
	EXECUTE format('INSERT INTO %s SELECT (d.put_row).* FROM pg_temp.put_rows_diff d '
	               'WHERE (d.put_row).%I IS NOT NULL ORDER BY %s',
	               target, hash[1], ord);
	DROP TABLE pg_temp.put_rows_diff;
END
$$;
COMMENT ON FUNCTION core.put_rows(regclass, regclass, text[], boolean) IS
	'write a mart''s new rows (source) into it: added (a night), or the mart made equal to them by its difference (--full)';
