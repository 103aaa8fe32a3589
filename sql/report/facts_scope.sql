-- report/facts_scope.sql — --facts: does scope $1 have any figure, and in
-- which years (for the message when the years asked have none).
SELECT pg_catalog.max(s.scope_name) AS scope_name,
       pg_catalog.min(s.year) AS first_year, pg_catalog.max(s.year) AS last_year
FROM (SELECT r.scope_name, r.year FROM mart.rates AS r WHERE r.scope_code = $1
      UNION ALL
      SELECT f.scope_name, f.year FROM mart.funds AS f WHERE f.scope_code = $1) AS s
