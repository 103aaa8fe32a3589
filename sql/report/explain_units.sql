-- report/explain_units.sql — --explain, part 2: every unit of scope $1 (a
-- province: its units; a district: the district and its communes) that
-- could contribute to year $2, title $3, with its values and the file and
-- line each came from (mart.facts).  Included units first, then excluded
-- ones; by unit level (communes, then districts, then provinces) and code.
SELECT f.unit_code, f.unit_name, f.unit_level,
       f.eligible, f.registered, f.recognized, f.exemplary,
       f.counts_source, f.eligible_file, f.eligible_line, f.counts_file, f.counts_line,
       f.included, f.excluded_by
FROM mart.facts AS f
WHERE (f.province_code = $1 OR f.district_code = $1 OR f.unit_code = $1)
  AND f.year = $2::smallint AND f.title = $3
ORDER BY f.included DESC,
         pg_catalog.array_position(ARRAY['commune', 'district', 'province']::text[],
                                   f.unit_level),
         f.unit_code COLLATE "C"
