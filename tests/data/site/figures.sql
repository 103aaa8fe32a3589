-- Every figure the report reads, as one text: mart.rates, mart.funds,
-- mart.completeness and mart.findings, each part in a fixed order, the parts
-- joined by a line "--".  Two sites hold the same figures when these texts
-- are equal (tests/support/site.c, hx_site_figures).
SELECT concat_ws(E'\n--\n',
  (SELECT string_agg(concat_ws('|', scope_code, year, title, eligible, registered,
     recognized, exemplary, rate_eligible, rate_registered, rate_eligible_num,
     rate_eligible_den, rate_registered_num, rate_registered_den, units_reporting,
     units_expected, source_level), E'\n' ORDER BY scope_code, year, title)
   FROM mart.rates),
  (SELECT string_agg(concat_ws('|', scope_code, year, mobilized_vnd, cumulative_vnd,
     scholarships, scholarship_vnd, units_reporting), E'\n' ORDER BY scope_code, year)
   FROM mart.funds),
  (SELECT string_agg(concat_ws('|', scope_code, year, units_expected, units_reporting,
     percent, missing::text), E'\n' ORDER BY scope_code, year) FROM mart.completeness),
  (SELECT string_agg(x, E'\n' ORDER BY x)
   FROM (SELECT concat_ws('|', code, severity, unit_code, year, title, file, line) AS x
         FROM mart.findings) f));
