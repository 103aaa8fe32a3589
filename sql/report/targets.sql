-- report/targets.sql — targets.csv / .json: one row per target in force —
-- a national one (281/QĐ-TTg, 387/QĐ-TTg, 677/QĐ-TTg) for every scope that
-- reported the title (or group) that year, communes included, or the
-- province's own that replaces it — per scope × title × group × year
-- (docs/design.md §6, docs/rules.md "Targets").  source names the decision (or
-- the province's targets file).  actual_percent is the title's headline
-- rate (its base, eligible or registered, named by headline, docs/design.md §2),
-- of the group for a group's target; its exact numerator and denominator
-- stand beside it, as the transform computed it: a province's or
-- district's from its sums, a commune's from its own figures.  gap_pp =
-- actual - target, in percentage points.  provisional: the scope's year
-- has fewer units reporting than expected.
-- Order: each province, then its districts, then its communes, by code;
-- titles in the order of ref.titles, the title before its groups; years;
-- every key bytewise.  The client sorts the rows (report/order.c).
WITH headline (title, base) AS (
	VALUES ('family', 'eligible'), ('clan', 'registered'), ('community', 'eligible'),
	       ('commune', 'eligible'), ('unit', 'registered'), ('citizen', 'eligible')
)
SELECT t.scope_level, t.scope_code, t.scope_name, t.province_code, t.title,
       t.grp AS "group", t.year,
       pg_catalog.round(t.target_percent, 2) AS target_percent, t.source,
       pg_catalog.round(t.actual_percent, 2) AS actual_percent,
       h.base AS headline,
       t.numerator, t.denominator,
       pg_catalog.round(t.gap_pp, 2) AS gap_pp,
       t.met, t.provisional
FROM mart.targets AS t
LEFT JOIN headline AS h ON h.title = t.title
