-- report/facts_fund.sql — --facts: the education fund of scope $1 summed
-- over the years $2..$3 (the period_ columns of funds.csv for --compare
-- $2:$3, on the row of year $3): million VND exactly, without trailing
-- zeros; the years summed, so that a year missing from the sum is said.
SELECT pg_catalog.max(f.scope_name) AS scope_name,
       pg_catalog.count(f.mobilized_vnd)::integer AS years_with_fund,
       pg_catalog.trim_scale(pg_catalog.sum(f.mobilized_vnd)::numeric * 0.000001)
           AS mobilized_million_vnd,
       pg_catalog.sum(f.scholarships)::bigint AS scholarships,
       pg_catalog.trim_scale(pg_catalog.sum(f.scholarship_vnd)::numeric * 0.000001)
           AS scholarship_million_vnd,
       pg_catalog.string_agg(f.year::text, ' ' ORDER BY f.year)
           FILTER (WHERE f.mobilized_vnd IS NOT NULL) AS years
FROM mart.funds AS f
WHERE f.scope_code = $1 AND f.year BETWEEN $2::smallint AND $3::smallint
HAVING pg_catalog.count(*) > 0
