-- 025: staging.register without an index.
--
-- The BRIN index on file_id (003) was there so that a night could find the
-- rows of its new register files.  A night now takes their lists as
-- hoctap-ingest counted them (024) and reads staging.register only for a
-- file ingest could not count, which is rare; --full reads every row
-- anyway.  Keeping the index up to date cost every loaded row a lookup of
-- its range map: more than a sixth of the server's work in loading a
-- register list.

DROP INDEX staging.register_file_idx;
