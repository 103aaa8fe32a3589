-- report/rates.sql — rates.csv / rates.json: one row per scope (province,
-- district, commune) × year × title (DESIGN.md §6).  The transform computed the rates
-- as ratios of sums, rounded half away from zero to 2 decimals; round() here
-- only pins the text to exactly two decimals ("0.10", "70.68").  Each rate
-- stands beside its exact numerator and denominator: the sums over the units
-- that reported both values, equal to recognized and eligible (registered)
-- when every unit reported both.
-- A commune's row is its own figure (docs/rules.md); district_code is the
-- district a row lies in that year (a district's own code; none for a
-- province, nor for a commune from 2025, when districts are gone).
-- Order: each province, then the communes directly under it, then each
-- district followed by its communes, codes ascending; years ascending;
-- titles in the order of ref.titles; every key compared bytewise
-- (COLLATE "C") so the order does not depend on the server's locale.
SELECT r.scope_level, r.scope_code, r.scope_name, r.province_code, r.district_code,
       r.year, r.title,
       r.eligible, r.registered, r.recognized, r.exemplary,
       pg_catalog.round(r.rate_eligible, 2) AS rate_eligible,
       r.rate_eligible_num, r.rate_eligible_den,
       pg_catalog.round(r.rate_registered, 2) AS rate_registered,
       r.rate_registered_num, r.rate_registered_den,
       r.units_reporting, r.units_expected, r.source_level
FROM mart.rates AS r
-- (province, its communes without a district, each district and its
-- communes: one bytewise key, which sorts the country's 600,000 rows three
-- times faster than the five keys it stands for; codes are digits, and
-- ' ' < '.' < '0')
ORDER BY (r.province_code || CASE WHEN r.scope_level = 'province' THEN ' ' ELSE '.' END
          || coalesce(r.district_code, '')
          || CASE WHEN r.scope_level = 'commune' THEN '.' ELSE ' ' END
          || r.scope_code) COLLATE "C", r.year,
         pg_catalog.array_position(
             ARRAY['family', 'clan', 'community', 'commune', 'unit', 'citizen']::text[],
             r.title),
         r.title COLLATE "C"
