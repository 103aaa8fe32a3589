-- Marts of a whole country for the size and speed of the committee's page:
-- 34 provinces of 20 districts each (680 district rows per title and
-- year, more than the 696 districts of before 2025 need), 3,321 communes
-- (98 or 97 per province), all six titles in 2016 and 2020, the fund of
-- 2016-2020, completeness with a tenth of the communes missing in 2020 and
-- all of them in 2021, and 50 error findings per province.  Figures are
-- made up but consistent: every rate is its numerator over its
-- denominator, rounded as the transform rounds (the report rechecks them).
WITH p AS (SELECT g AS p, pg_catalog.lpad(g::text, 2, '0') AS code FROM generate_series(1, 34) AS g),
d AS (SELECT p.p, p.code AS province_code, g AS d,
             pg_catalog.lpad((p.p * 20 + g - 1)::text, 3, '0') AS code
      FROM p CROSS JOIN generate_series(0, 19) AS g),
t AS (SELECT t, i FROM unnest(ARRAY['family', 'clan', 'community', 'commune', 'unit',
                                    'citizen']) WITH ORDINALITY AS x (t, i)),
s AS (SELECT 'province' AS lvl, p.code, 'Tỉnh số ' || p.p AS name, p.code AS prov, p.p * 7 AS k,
             20000 * 20 AS base
      FROM p
      UNION ALL
      SELECT 'district', d.code, 'Huyện số ' || d.code || ' của tỉnh ' || d.p, d.province_code,
             d.p * 7 + d.d * 3, 20000
      FROM d),
v AS (SELECT s.*, y, t.t, t.i,
             s.base / t.i AS eligible,
             (s.base / t.i) * (40 + (s.k + t.i * 5 + y) % 55) / 100 AS recognized
      FROM s CROSS JOIN t CROSS JOIN (VALUES (2016), (2020)) AS yy (y))
INSERT INTO mart.rates (scope_level, scope_code, scope_name, province_code, year, title,
                        eligible, registered, recognized, exemplary,
                        rate_eligible, rate_eligible_num, rate_eligible_den,
                        rate_registered, rate_registered_num, rate_registered_den,
                        units_reporting, units_expected, source_level)
SELECT v.lvl, v.code, v.name, v.prov, v.y, v.t, v.eligible, v.eligible * 9 / 10, v.recognized,
       v.recognized / 20,
       pg_catalog.round(100.0 * v.recognized / v.eligible, 2), v.recognized, v.eligible,
       pg_catalog.round(100.0 * v.recognized / (v.eligible * 9 / 10), 2), v.recognized,
       v.eligible * 9 / 10,
       CASE v.lvl WHEN 'province' THEN 98 ELSE 5 END, CASE v.lvl WHEN 'province' THEN 98 ELSE 5 END,
       'commune'
FROM v;

INSERT INTO mart.funds (scope_level, scope_code, scope_name, province_code, year, mobilized_vnd,
                        cumulative_vnd, scholarships, scholarship_vnd, units_reporting)
SELECT r.scope_level, r.scope_code, r.scope_name, r.province_code, y,
       1000000000::bigint + 12345000::bigint * (y % 7), 0, 100 + y % 9, 50000000, 5
FROM (SELECT DISTINCT scope_level, scope_code, scope_name, province_code FROM mart.rates) AS r
CROSS JOIN generate_series(2016, 2020) AS y;

-- 3,321 communes: 98 in the first 23 provinces, 97 in the other 11.
WITH c AS (SELECT n, pg_catalog.lpad(((n - 1) / 98 + 1)::text, 2, '0') AS prov,
                  pg_catalog.lpad((10000 + n)::text, 5, '0') AS code
           FROM generate_series(1, 3321) AS n)
INSERT INTO mart.completeness (scope_level, scope_code, scope_name, province_code, year,
                               units_expected, units_reporting, percent, missing)
SELECT 'province', c.prov, 'Tỉnh số ' || c.prov::integer, c.prov, y.y, pg_catalog.count(*),
       pg_catalog.count(*) - pg_catalog.count(*) FILTER (WHERE y.y = 2021 OR c.n % 10 = 0),
       pg_catalog.round(100.0 * (pg_catalog.count(*)
                                 - pg_catalog.count(*) FILTER (WHERE y.y = 2021 OR c.n % 10 = 0))
                        / pg_catalog.count(*), 2),
       pg_catalog.array_agg(c.code ORDER BY c.code) FILTER (WHERE y.y = 2021 OR c.n % 10 = 0)
FROM c CROSS JOIN (VALUES (2020), (2021)) AS y (y)
WHERE c.prov::integer <= 34
GROUP BY c.prov, y.y;
UPDATE mart.completeness SET missing = '{}' WHERE missing IS NULL;

INSERT INTO mart.findings (code, severity, unit_code, year, title, message, file, line,
                           province_code)
SELECT 'invariant_breach', 'error', pg_catalog.lpad((10000 + n)::text, 5, '0'), 2020, 'family',
       'Xã ' || n || ', 2020, family: recognized exceeds registered', 'inbox/tinh_' || p || '.csv',
       n, pg_catalog.lpad(p::text, 2, '0')
FROM generate_series(1, 34) AS p CROSS JOIN generate_series(1, 50) AS n;

INSERT INTO mart.status (transformed_at, data_as_of, run_id)
VALUES ('2026-11-22 23:00:00+00', '2026-11-22 18:00:00+00', 1);
