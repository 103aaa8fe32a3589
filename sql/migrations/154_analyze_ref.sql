-- 154: statistics for the small reference tables the migrations fill.
--
-- ref.titles, ref.title_levels, ref.title_groups, ref.national_targets,
-- ref.plausibility and core.rules hold a few rows each, written by
-- migrations (and, for the bounds, by an office's own UPDATE).  Autovacuum
-- analyzes a table after 50 rows changed, so these were never analyzed,
-- and the planner took each join to them for 1 row in 200: the
-- fund_per_household rule (50_findings) estimated 212 of core.funds'
-- 21,190 rows at the plausibility join and probed core.facts' key once a
-- fund, 139 ms on --full at scale 0.3 instead of 84 ms hashed.  Their
-- statistics change only when their rows do, which an office does rarely
-- and by a few rows.
ANALYZE ref.titles, ref.title_levels, ref.title_groups, ref.national_targets,
        ref.plausibility, core.rules;
