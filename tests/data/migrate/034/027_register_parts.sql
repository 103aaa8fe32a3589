-- 027: a large register file loaded by two server backends.
--
-- One backend parsing every row is what limits hoctap-ingest on a register
-- of millions of rows.  For a large register file it opens a second
-- connection and sends every other piece of the rows there, in that
-- connection's own transaction (ingest/loader.c).  That transaction
-- commits first, with a row here naming the file; then the file's own
-- transaction, holding the ledger row (staging.files), the other half of
-- the rows and the lists, deletes the row here and commits.  Every reader
-- takes a register file through its ledger row and its counted lists, so
-- between the two commits the first half is invisible.
--
-- A run that stops between the two commits (a kill, a lost connection, a
-- refused commit) leaves rows whose file has no ledger row: orphans, named
-- here.  The next hoctap-ingest deletes them before it loads anything
-- (staging.drop_orphan_rows), and the file, still in the inbox, is loaded
-- again under a new file_id.

CREATE TABLE staging.register_parts (
	file_id       bigint PRIMARY KEY,
	name          text NOT NULL, -- the file's, for the message when its rows are deleted
	years         smallint[],    -- the partitions written; NULL: any year
	committed_at  timestamptz NOT NULL DEFAULT pg_catalog.now()
);
GRANT DELETE ON staging.register_parts TO hoctap_ingest;

-- Delete the rows of every file named in staging.register_parts, and the
-- names; one row per file: its file_id, name and the rows deleted.  Only
-- while no other session holds hoctap-ingest's lock (the caller may hold it
-- itself: advisory locks nest within a session), since a running ingest's
-- file is named here between its two commits.  A file whose ledger row
-- says it loaded keeps its rows (that cannot happen: its commit deleted the
-- name; checked all the same).  SECURITY DEFINER: hoctap_ingest may not
-- delete staged rows itself.
CREATE FUNCTION staging.drop_orphan_rows()
RETURNS TABLE (orphan_file_id bigint, file_name text, rows_deleted bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
DECLARE
	p record;
	k bigint;
BEGIN
	-- common/db.h: HX_LOCK_CLASS, HX_LOCK_INGEST.
	IF NOT pg_catalog.pg_try_advisory_lock(1752130420, 2) THEN
		RETURN;
	END IF;
	FOR p IN SELECT r.file_id, r.name, r.years FROM staging.register_parts r
	         ORDER BY r.file_id LOOP
		k := 0;
		IF NOT EXISTS (SELECT FROM staging.files f
		               WHERE f.file_id = p.file_id AND f.status IN ('loaded', 'partial')) THEN
			IF p.years IS NULL THEN
				DELETE FROM staging.register r WHERE r.file_id = p.file_id;
			ELSE
				DELETE FROM staging.register r
				WHERE r.file_id = p.file_id AND r.year = ANY (p.years);
			END IF;
			GET DIAGNOSTICS k = ROW_COUNT;
		END IF;
		DELETE FROM staging.register_parts r WHERE r.file_id = p.file_id;
		orphan_file_id := p.file_id;
		file_name := p.name;
		rows_deleted := k;
		RETURN NEXT;
	END LOOP;
	PERFORM pg_catalog.pg_advisory_unlock(1752130420, 2);
END
$$;
REVOKE ALL ON FUNCTION staging.drop_orphan_rows() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION staging.drop_orphan_rows() TO hoctap_ingest;
