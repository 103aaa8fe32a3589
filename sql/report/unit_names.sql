-- report/unit_names.sql — the name of every unit the marts know, year by
-- year, for the page's list of who has not reported (completeness gives
-- codes only): the scopes of the rates and completeness (whose commune rows
-- name every expected commune, the missing ones too) and the units behind
-- the figures.  A code is named as the unit was that year (22978 is Xã
-- Phong Phú up to 2024, Xã Tuy Phong from 2025); the page takes another
-- year's name, the latest, for a year the marts do not name it in.
-- Sorted by code bytewise, then year.
SELECT DISTINCT ON (u.code COLLATE "C", u.year) u.code, u.year, u.name
FROM (SELECT r.scope_code AS code, r.scope_name AS name, r.year FROM mart.rates AS r
      UNION ALL
      SELECT c.scope_code, c.scope_name, c.year FROM mart.completeness AS c
      UNION ALL
      SELECT f.unit_code, f.unit_name, f.year FROM mart.facts AS f
      UNION ALL
      SELECT f.unit_code, f.unit_name, f.year FROM mart.fund_facts AS f) AS u
ORDER BY u.code COLLATE "C", u.year, u.name COLLATE "C"
