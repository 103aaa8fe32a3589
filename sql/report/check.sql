-- report/check.sql — before anything is written, recheck every rate the
-- marts hold against its own numerator and denominator: rounded half away
-- from zero to 2 decimals in exact integer arithmetic, NULL when the base is
-- unknown or 0.  A row here is a figure the report would publish wrong; the
-- run stops instead (hoctap-report exits 70 and writes nothing).
WITH r AS (
	SELECT 'rates' AS file, m.scope_code, m.year, m.title, 'rate_eligible' AS col,
	       m.rate_eligible AS published, m.rate_eligible_num AS num, m.rate_eligible_den AS den
	FROM mart.rates AS m
	UNION ALL
	SELECT 'rates', m.scope_code, m.year, m.title, 'rate_registered',
	       m.rate_registered, m.rate_registered_num, m.rate_registered_den
	FROM mart.rates AS m
	UNION ALL
	SELECT 'rates', m.scope_code, m.year,
	       m.title || coalesce(' level ' || m.level, ' group ' || m.grp), 'rate_eligible',
	       m.rate_eligible, m.rate_eligible_num, m.rate_eligible_den
	FROM mart.rate_parts AS m
	UNION ALL
	SELECT 'rates', m.scope_code, m.year,
	       m.title || coalesce(' level ' || m.level, ' group ' || m.grp), 'rate_registered',
	       m.rate_registered, m.rate_registered_num, m.rate_registered_den
	FROM mart.rate_parts AS m
	UNION ALL
	SELECT 'targets', t.scope_code, t.year, t.title || coalesce(' group ' || t.grp, ''),
	       'actual_percent', t.actual_percent, t.numerator, t.denominator
	FROM mart.targets AS t
	UNION ALL
	SELECT 'completeness', c.scope_code, c.year, NULL, 'percent',
	       c.percent, c.units_reporting, c.units_expected
	FROM mart.completeness AS c
), x AS (
	SELECT r.*,
	       CASE WHEN r.den > 0 AND r.num >= 0 THEN
	           -- in bigint where it cannot overflow (every count hoctap sees),
	           -- twice as fast as numeric over a country's 1.3 million rates
	           CASE WHEN r.num < 400000000000000 AND r.den < 1000000000000000
	                THEN ((r.num * 20000 + r.den) / (2 * r.den))::numeric * 0.01
	                ELSE pg_catalog.div(r.num::numeric * 20000 + r.den, 2 * r.den::numeric) * 0.01
	           END
	       END AS exact
	FROM r
)
SELECT x.file, x.scope_code, x.year, x.title, x.col, x.published, x.num, x.den, x.exact
FROM x
WHERE x.published IS DISTINCT FROM x.exact
ORDER BY x.file, x.scope_code COLLATE "C", x.year, x.title COLLATE "C", x.col
