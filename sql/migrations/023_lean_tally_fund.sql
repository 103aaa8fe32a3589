-- 023: tally and fund rows without per-row checks the load does not need.
--
-- A commune's tally or fund file is a few dozen rows, and a night brings
-- thousands of them: what the server does per row decides how long they
-- take.  The foreign key to staging.files ran a query per row (70% of the
-- server's time for a 50-row file) to check what hoctap-ingest guarantees
-- by construction: a file's rows and its ledger row are written in the same
-- transaction, and nothing ever deletes a ledger row.  The btree indexes
-- were for lookups nothing makes: the transform reads these tables whole
-- (joined to the (province, year) pairs of the night, or to the night's new
-- files, which a sequential scan of a table of some ten rows per commune
-- and year finds at once), and staging.register, the only large table,
-- never had either.

ALTER TABLE staging.tally DROP CONSTRAINT tally_file_id_fkey;
ALTER TABLE staging.fund DROP CONSTRAINT fund_file_id_fkey;
DROP INDEX staging.tally_key_idx;
DROP INDEX staging.tally_file_idx;
DROP INDEX staging.fund_key_idx;
DROP INDEX staging.fund_file_idx;
