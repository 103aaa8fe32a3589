-- 023: tally and fund rows without per-row checks the load does not need.
--
-- A commune's tally or fund file is a few dozen rows, and a night brings
-- thousands of them: what the server does per row decides how long they
-- take.  The foreign key to staging.files ran a query per row (70% of the
-- server's time for a 50-row file) to check what hoctap-ingest guarantees
-- by construction: a file's rows and its ledger row are written in the same
-- transaction, and nothing ever deletes a ledger row.  The btree on (unit,
-- year, title) served no query: the transform joins these tables to the
-- (province, year) pairs of the run in one hashed pass.  What a night needs
-- is the rows of its new files, which arrive in file_id order at the end of
-- the table: a BRIN index finds them at the cost of a range-map lookup per
-- loaded row, where the btree on file_id cost an index insertion.

ALTER TABLE staging.tally DROP CONSTRAINT tally_file_id_fkey;
ALTER TABLE staging.fund DROP CONSTRAINT fund_file_id_fkey;
DROP INDEX staging.tally_key_idx;
DROP INDEX staging.tally_file_idx;
DROP INDEX staging.fund_key_idx;
DROP INDEX staging.fund_file_idx;
CREATE INDEX tally_file_brin ON staging.tally USING brin (file_id);
CREATE INDEX fund_file_brin ON staging.fund USING brin (file_id);
