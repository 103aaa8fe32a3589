-- 152: mart.pp_change(na, da, nb, db): the change from the ratio na / da
-- to nb / db in percentage points, (nb / db - na / da) x 100, rounded half
-- away from zero to 2 decimals from the exact values: sign(n) x
-- floor((|n| x 20000 + d) / (2d)) hundredths, n = nb da - na db,
-- d = da db.  NULL unless da > 0 and db > 0 (and NULL where a count is).
--
-- The report's comparison computes it for every row, twice (the points of
-- the eligible and the registered rate), and its growth the same way
-- ((b - a) / a x 100 is pp_change(1, 1, b, a)).  In numeric for every
-- row, that arithmetic was a quarter of the comparison's query for 56,815
-- communes: when every count is below 10^7 (a province's households are a
-- few million) no product nor |n| x 20000 can overflow a bigint, and the
-- same figure comes from bigint arithmetic, whose division of
-- non-negative numbers is floor; numeric otherwise.  An SQL function of
-- one expression, inlined where it is called.  In mart, the one schema the
-- report's role reads (hoctap_report: USAGE on mart; a function's EXECUTE
-- is PUBLIC's).
CREATE FUNCTION mart.pp_change(na bigint, da bigint, nb bigint, db bigint) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE
	       WHEN NOT (da > 0 AND db > 0) THEN NULL
	       WHEN LEAST(na, nb) >= 0 AND GREATEST(na, da, nb, db) < 10000000 THEN
	           (CASE WHEN nb * da < na * db THEN -1 ELSE 1 END
	            * ((pg_catalog.abs(nb * da - na * db) * 20000 + da * db) / (2 * da * db)))
	           ::numeric * 0.01
	       ELSE pg_catalog.sign(nb::numeric * da - na::numeric * db)
	            * pg_catalog.div(pg_catalog.abs(nb::numeric * da - na::numeric * db) * 20000
	                             + da::numeric * db,
	                             2 * da::numeric * db)
	            * 0.01
	       END
$$;
