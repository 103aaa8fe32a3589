-- report/unit_names.sql — the name of every unit the marts know, for the
-- page's list of who has not reported (completeness gives codes only): the
-- scopes of the rates and the units behind the figures, whatever the year.
-- A unit known under two names (a renaming) is shown by the latest year's.
SELECT DISTINCT ON (u.code COLLATE "C") u.code, u.name
FROM (SELECT r.scope_code AS code, r.scope_name AS name, r.year FROM mart.rates AS r
      UNION ALL
      SELECT f.unit_code, f.unit_name, f.year FROM mart.facts AS f
      UNION ALL
      SELECT f.unit_code, f.unit_name, f.year FROM mart.fund_facts AS f) AS u
ORDER BY u.code COLLATE "C", u.year DESC, u.name COLLATE "C"
