-- report/rates.sql — rates.csv / rates.json: one row per scope (province,
-- district, commune) × year × title (docs/design.md §6), then one per
-- recognition level or group of the title (mart.rate_parts: docs/rules.md,
-- "Levels and groups"), whose level or group column is set; the title's own
-- row has both empty.  The transform computed the rates as ratios of sums,
-- rounded half away from zero to 2 decimals; round() here only pins the
-- text to exactly two decimals ("0.10", "70.68").  Each rate stands beside
-- its exact numerator and denominator: the sums over the units that
-- reported both values, equal to recognized and eligible (registered) when
-- every unit reported both.  provisional: the scope's year has fewer units
-- reporting than expected (mart.scope_years; NULL when not known).
-- A commune's row is its own figure (docs/rules.md); district_code is the
-- district a row lies in that year (a district's own code; none for a
-- province, nor for a commune from 2025, when districts are gone); a level's
-- or group's row lies where its title's row does.
-- Order: each province, then the communes directly under it, then each
-- district followed by its communes, codes ascending; years ascending;
-- titles in the order of ref.titles, the title's row before its levels
-- (1, 2) and groups (adult, official); every key compared bytewise, so the
-- order does not depend on the server's locale.  The client sorts the rows
-- (report/order.c): the server's sort of the country's 600,000 wide rows
-- was a quarter of the report's time.
WITH r AS (
	SELECT r.scope_level, r.scope_code, r.scope_name, r.province_code, r.district_code,
	       r.year, r.title, NULL::smallint AS level, NULL::text AS grp,
	       r.eligible, r.registered, r.recognized, r.exemplary,
	       r.rate_eligible, r.rate_eligible_num, r.rate_eligible_den,
	       r.rate_registered, r.rate_registered_num, r.rate_registered_den,
	       r.units_reporting, r.units_expected, r.source_level
	FROM mart.rates AS r
	UNION ALL
	SELECT p.scope_level, p.scope_code, p.scope_name, p.province_code, t.district_code,
	       p.year, p.title, p.level, p.grp,
	       p.eligible, p.registered, p.recognized, p.exemplary,
	       p.rate_eligible, p.rate_eligible_num, p.rate_eligible_den,
	       p.rate_registered, p.rate_registered_num, p.rate_registered_den,
	       p.units_reporting, p.units_expected, p.source_level
	FROM mart.rate_parts AS p
	-- (a part is summed only where its title's figure is: the title's row
	-- is there, found by its key)
	LEFT JOIN mart.rates AS t ON t.scope_code = p.scope_code AND t.year = p.year
	                         AND t.title = p.title
)
SELECT r.scope_level, r.scope_code, r.scope_name, r.province_code, r.district_code,
       r.year, r.title, r.level, r.grp AS "group",
       r.eligible, r.registered, r.recognized, r.exemplary,
       pg_catalog.round(r.rate_eligible, 2) AS rate_eligible,
       r.rate_eligible_num, r.rate_eligible_den,
       pg_catalog.round(r.rate_registered, 2) AS rate_registered,
       r.rate_registered_num, r.rate_registered_den,
       r.units_reporting, r.units_expected, r.source_level, y.provisional
FROM r
LEFT JOIN mart.scope_years AS y ON y.scope_code = r.scope_code AND y.year = r.year
