-- report/funds.sql — funds.csv / .json: one row per scope × year
-- (docs/design.md §6).  mobilized_million_vnd is mobilized_vnd / 1,000,000
-- exactly: a multiplication by 0.000001 is exact in numeric (a division
-- would round beyond 16 significant digits), and trim_scale drops the
-- trailing zeros ("150", "346458.5").  provisional: the scope's year has
-- fewer units reporting than expected (mart.scope_years; NULL when not known).
-- The period_ columns sum the scope's years from the first year of
-- --compare A:B ($1, $2) up to the row's year, on the rows of the years between
-- them and NULL elsewhere: the row of the later year holds the period's total ("346.458
-- triệu đồng in 2016–2020").  period_years counts the years of those with
-- a fund figure, so a reader sees a year missing from the sum.
SELECT f.scope_level, f.scope_code, f.scope_name, f.province_code, f.year,
       f.mobilized_vnd,
       pg_catalog.trim_scale(f.mobilized_vnd::numeric * 0.000001) AS mobilized_million_vnd,
       f.cumulative_vnd, f.scholarships, f.scholarship_vnd, f.units_reporting,
       p.period_years, p.period_mobilized_vnd,
       pg_catalog.trim_scale(p.period_mobilized_vnd::numeric * 0.000001)
           AS period_mobilized_million_vnd,
       p.period_scholarships, p.period_scholarship_vnd, y.provisional
FROM mart.funds AS f
LEFT JOIN mart.scope_years AS y ON y.scope_code = f.scope_code AND y.year = f.year
LEFT JOIN LATERAL (
	SELECT pg_catalog.count(g.mobilized_vnd)::integer AS period_years,
	       pg_catalog.sum(g.mobilized_vnd)::bigint AS period_mobilized_vnd,
	       pg_catalog.sum(g.scholarships)::bigint AS period_scholarships,
	       pg_catalog.sum(g.scholarship_vnd)::bigint AS period_scholarship_vnd
	FROM mart.funds AS g
	WHERE g.scope_code = f.scope_code
	  AND g.year BETWEEN least($1::smallint, $2::smallint) AND f.year
) AS p ON f.year BETWEEN least($1::smallint, $2::smallint)
                 AND greatest($1::smallint, $2::smallint)
ORDER BY f.province_code COLLATE "C", f.scope_level <> 'province', f.scope_code COLLATE "C",
         f.year
