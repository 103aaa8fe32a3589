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
-- nothing either.  The rows are this transaction's own, as the statistics
-- collector counts them (pg_stat_xact_user_tables).  Only tables this
-- role may analyze (their owner's members, the database's owner, a
-- superuser): ANALYZE would only warn about the others.
DO $$
DECLARE
	t pg_catalog.regclass;
BEGIN
	FOR t IN
		SELECT c.oid::pg_catalog.regclass
		FROM pg_catalog.pg_class c
		JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_catalog.pg_stat_xact_user_tables x ON x.relid = c.oid
		WHERE n.nspname = 'mart' AND c.relkind = 'r'
		  AND x.n_tup_ins + x.n_tup_upd + x.n_tup_del > 0
		  AND (c.reltuples < 0
		       OR (x.n_tup_ins + x.n_tup_upd + x.n_tup_del) * 10
		          >= greatest(c.reltuples, 1))
		  AND (pg_catalog.pg_has_role(c.relowner, 'USAGE')
		       OR pg_catalog.pg_has_role((SELECT d.datdba FROM pg_catalog.pg_database d
		                                  WHERE d.datname = pg_catalog.current_database()),
		                                 'USAGE')
		       OR (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user))
		ORDER BY c.relname
	LOOP
		EXECUTE 'ANALYZE ' || t::text;
	END LOOP;
END
$$;
