-- report/years.sql — for --compare A:B: whether the marts hold figures
-- (rates or funds) of year A ($1) and of year B ($2), and every year they
-- hold, for the message when one is missing.
WITH y AS (
	SELECT r.year FROM mart.rates AS r
	UNION
	SELECT d.year FROM mart.funds AS d
)
SELECT EXISTS (SELECT FROM y WHERE y.year = $1::smallint) AS has_a,
       EXISTS (SELECT FROM y WHERE y.year = $2::smallint) AS has_b,
       (SELECT pg_catalog.string_agg(y.year::text, ', ' ORDER BY y.year) FROM y) AS years
