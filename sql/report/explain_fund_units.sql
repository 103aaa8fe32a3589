-- report/explain_fund_units.sql — --explain ... fund, part 2: every unit of
-- scope $1 (a province: its units; a district: the district and its
-- communes) with a fund row for year $2, its figures and the file and line
-- each came from (mart.fund_facts).  Included units first, then excluded
-- ones; by unit level (communes, then districts, then provinces) and code.
SELECT f.unit_code, f.unit_name, f.unit_level,
       f.mobilized_vnd, f.scholarships, f.scholarship_vnd,
       f.amount_file, f.amount_line, f.scholarship_file, f.scholarship_line,
       f.included, f.excluded_by
FROM mart.fund_facts AS f
WHERE (f.province_code = $1 OR f.district_code = $1 OR f.unit_code = $1)
  AND f.year = $2::smallint
ORDER BY f.included DESC,
         pg_catalog.array_position(ARRAY['commune', 'district', 'province']::text[],
                                   f.unit_level),
         f.unit_code COLLATE "C"
