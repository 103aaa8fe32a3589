-- 153: core.rate(num, den) — 100 x num / den rounded half away from zero to
-- 2 decimals, NULL when either is NULL or den is 0 — worked out in bigint
-- when 0 <= num and 0 < den < 10^9, in numeric otherwise.
--
-- The transform calls it for every row of mart.rates (twice: the eligible
-- and the registered rate), of mart.targets and of mart.completeness:
-- some 300,000 calls on --full at scale 0.3, each a numeric division to
-- 16 or more digits and a rounding, 310 ns a call.  For non-negative
-- counts, the same figure is floor((num x 20000 + den) / (2 den))
-- hundredths, which bigint division gives exactly (185 ns a call):
--   * num x 20000 stays far below 2^63 for num < 10^9;
--   * numeric's quotient is rounded at the 16th significant digit or
--     further, while a quotient that is not exactly on a rounding boundary
--     (x.xx5) is at least 1 / (200 den) > 5 x 10^-12 from it for
--     den < 10^9: the rounding to 2 decimals cannot come out otherwise;
--   * times 0.01 gives a numeric of scale 2, as round(x, 2) does.
-- A negative count (no figure has one) or a denominator of 10^9 or more
-- takes the numeric path as before.  Still one SQL expression, inlined.
CREATE OR REPLACE FUNCTION core.rate(num bigint, den bigint) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN num IS NULL OR den IS NULL OR den = 0 THEN NULL
	            WHEN num >= 0 AND den > 0 AND num < 1000000000 AND den < 1000000000
	            THEN ((num * 20000 + den) / (2 * den))::numeric * 0.01
	            ELSE pg_catalog.round(100::numeric * num / den, 2) END
$$;
