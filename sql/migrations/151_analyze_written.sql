-- 151: core.analyze_written(tables): fresh statistics, in the running
-- transaction, for each of the given tables that this transaction wrote
-- in good part.
--
-- The transform fills core tables and reads them again a few statements
-- later, in the same transaction.  Autovacuum analyzes a changed table a
-- minute or more after the commit, so the statements that follow a large
-- write were planned on the counts of before it: on the first night after
-- a country's files were ingested, core.unit_years had never been
-- analyzed (the planner guessed 11,000 rows of its 34,000) and the
-- targets of the whole country were looked up one index probe at a time
-- in the rates and facts instead of hashed with them.  75_analyze does
-- the same for the marts before the report reads them.
--
-- A table is analyzed when the rows this transaction inserted, updated
-- and deleted in it (as the statistics collector counts them,
-- pg_stat_xact_user_tables) are a tenth of its rows or more, autovacuum's
-- own threshold, or when it was never analyzed and was written to.  A
-- usual night, and a --full that finds the rows as they were, analyze
-- nothing.  Call it once for a table, after its last large write: the
-- counts are the transaction's, not the last analysis's.
--
-- Only tables this role may analyze (their owner's members, the database's
-- owner, a superuser): ANALYZE would only warn about the others.  Returns
-- the number of tables analyzed.
CREATE FUNCTION core.analyze_written(tables regclass[])
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
DECLARE
	t regclass;
	n integer := 0;
BEGIN
	FOR t IN
		SELECT c.oid::regclass
		FROM pg_class c
		JOIN pg_stat_xact_user_tables x ON x.relid = c.oid
		WHERE c.oid = ANY (tables::oid[])
		  AND x.n_tup_ins + x.n_tup_upd + x.n_tup_del > 0
		  AND (c.reltuples < 0
		       OR (x.n_tup_ins + x.n_tup_upd + x.n_tup_del) * 10 >= greatest(c.reltuples, 1))
		  AND (pg_has_role(c.relowner, 'USAGE')
		       OR pg_has_role((SELECT d.datdba FROM pg_database d
		                       WHERE d.datname = current_database()), 'USAGE')
		       OR (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = current_user))
		ORDER BY c.oid::regclass::text
	LOOP
		EXECUTE 'ANALYZE ' || t::text;
		n := n + 1;
	END LOOP;
	RETURN n;
END
$$;
