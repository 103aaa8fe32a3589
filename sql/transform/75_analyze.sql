-- 75_analyze: fresh statistics for every mart this run rewrote in good
-- part (a tenth of its rows or more, or a mart never analyzed), in the
-- transaction that publishes them.  The report reads the marts right after
-- the transform (cron runs the chain in turn), while autovacuum analyzes a
-- changed table only a minute or more later, one table after another; a
-- plan made on new counts for some marts and old ones for others can run
-- for hours: the country's rankings, planned between autovacuum's analyses
-- of mart.units and mart.facts, took the valid pairs of code and year for
-- 300,000 rows, too many to hash, and scanned them once per commune row.
-- A usual night changes a few provinces' rows and analyzes nothing here;
-- a --full that finds the marts as they were writes no row and analyzes
-- nothing either (core.analyze_written, migration 151).
SELECT core.analyze_written(ARRAY(
	SELECT c.oid::pg_catalog.regclass
	FROM pg_catalog.pg_class c
	WHERE c.relnamespace = 'mart'::pg_catalog.regnamespace AND c.relkind = 'r'));
