-- report/targets.sql — targets.csv / .json: one row per scope × title × year
-- with a plan target (DESIGN.md §6).  actual_percent is the title's headline
-- rate; its exact numerator and denominator stand beside it, taken from the
-- same scope, year and title in mart.rates for the base named by headline
-- (eligible or registered, DESIGN.md §2).  gap_pp = actual - target.
WITH headline (title, base) AS (
	VALUES ('family', 'eligible'), ('clan', 'registered'), ('community', 'eligible'),
	       ('commune', 'eligible'), ('unit', 'registered'), ('citizen', 'eligible')
)
SELECT t.scope_level, t.scope_code, t.scope_name, t.province_code, t.title, t.year,
       pg_catalog.round(t.target_percent, 2) AS target_percent,
       pg_catalog.round(t.actual_percent, 2) AS actual_percent,
       h.base AS headline,
       CASE h.base WHEN 'eligible' THEN r.rate_eligible_num
                   WHEN 'registered' THEN r.rate_registered_num END AS numerator,
       CASE h.base WHEN 'eligible' THEN r.rate_eligible_den
                   WHEN 'registered' THEN r.rate_registered_den END AS denominator,
       pg_catalog.round(t.gap_pp, 2) AS gap_pp,
       t.met
FROM mart.targets AS t
LEFT JOIN headline AS h ON h.title = t.title
LEFT JOIN mart.rates AS r ON r.scope_code = t.scope_code AND r.year = t.year AND r.title = t.title
ORDER BY t.province_code COLLATE "C", t.scope_level <> 'province', t.scope_code COLLATE "C",
         pg_catalog.array_position(
             ARRAY['family', 'clan', 'community', 'commune', 'unit', 'citizen']::text[],
             t.title),
         t.title COLLATE "C", t.year
