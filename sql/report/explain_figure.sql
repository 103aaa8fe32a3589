-- report/explain_figure.sql — hoctap-report --explain SCOPE YEAR TITLE, part
-- 1: the published figure of scope $1, year $2, title $3 (mart.rates).
SELECT r.scope_level, r.scope_code, r.scope_name, r.year, r.title,
       r.eligible, r.registered, r.recognized, r.exemplary,
       pg_catalog.round(r.rate_eligible, 2) AS rate_eligible,
       r.rate_eligible_num, r.rate_eligible_den,
       pg_catalog.round(r.rate_registered, 2) AS rate_registered,
       r.rate_registered_num, r.rate_registered_den,
       r.units_reporting, r.units_expected, r.source_level
FROM mart.rates AS r
WHERE r.scope_code = $1 AND r.year = $2::smallint AND r.title = $3
