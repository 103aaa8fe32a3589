-- 101: the two-connection register load is gone, and with it the table
-- that named its half-committed files.
--
-- Versions of hoctap-ingest before the baseline loaded a large register
-- through a second connection whose transaction committed first, naming
-- the file in staging.register_parts until the file's own transaction
-- committed; staging.drop_orphan_rows deleted the rows of a file whose
-- own transaction never did, at the start of every ingest run.  No
-- version since writes there, so a database upgraded from 034 gets the
-- last such clean-up here, then loses the table and the function.  A new
-- database (the baseline) never had them: this does nothing there.

DO $$
BEGIN
	IF pg_catalog.to_regclass('staging.register_parts') IS NULL THEN
		RETURN;
	END IF;
	DELETE FROM staging.register r
	USING staging.register_parts p
	WHERE r.file_id = p.file_id
	  AND (p.years IS NULL OR r.year = ANY (p.years))
	  AND NOT EXISTS (SELECT FROM staging.files f
	                  WHERE f.file_id = p.file_id AND f.status IN ('loaded', 'partial'));
	DROP FUNCTION IF EXISTS staging.drop_orphan_rows();
	DROP TABLE staging.register_parts;
END
$$;
