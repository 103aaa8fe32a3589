-- report/facts_rates.sql — hoctap-report --facts SCOPE YEAR|A:B: the rates
-- of scope $1 in years $2 and $3 (the same year twice for one year), as
-- rates.csv publishes them, in the order of rates.csv.
SELECT r.scope_name, r.year, r.title, r.recognized, r.exemplary,
       pg_catalog.round(r.rate_eligible, 2) AS rate_eligible,
       r.rate_eligible_num, r.rate_eligible_den,
       pg_catalog.round(r.rate_registered, 2) AS rate_registered,
       r.rate_registered_num, r.rate_registered_den,
       r.units_reporting, r.units_expected
FROM mart.rates AS r
WHERE r.scope_code = $1 AND r.year IN ($2::smallint, $3::smallint)
ORDER BY r.year,
         pg_catalog.array_position(
             ARRAY['family', 'clan', 'community', 'commune', 'unit', 'citizen']::text[],
             r.title),
         r.title COLLATE "C"
