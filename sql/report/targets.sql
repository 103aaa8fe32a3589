-- report/targets.sql — targets.csv / .json: one row per scope × title × year
-- with a plan target (DESIGN.md §6).  actual_percent is the title's headline
-- rate (its base, eligible or registered, named by headline, DESIGN.md §2);
-- its exact numerator and denominator stand beside it, as the transform
-- computed it: a province's or district's from its sums, a commune's from
-- its own figures.  gap_pp = actual - target.
WITH headline (title, base) AS (
	VALUES ('family', 'eligible'), ('clan', 'registered'), ('community', 'eligible'),
	       ('commune', 'eligible'), ('unit', 'registered'), ('citizen', 'eligible')
)
SELECT t.scope_level, t.scope_code, t.scope_name, t.province_code, t.title, t.year,
       pg_catalog.round(t.target_percent, 2) AS target_percent,
       pg_catalog.round(t.actual_percent, 2) AS actual_percent,
       h.base AS headline,
       t.numerator, t.denominator,
       pg_catalog.round(t.gap_pp, 2) AS gap_pp,
       t.met
FROM mart.targets AS t
LEFT JOIN headline AS h ON h.title = t.title
ORDER BY t.province_code COLLATE "C", t.scope_level <> 'province', t.scope_code COLLATE "C",
         pg_catalog.array_position(
             ARRAY['family', 'clan', 'community', 'commune', 'unit', 'citizen']::text[],
             t.title),
         t.title COLLATE "C", t.year
