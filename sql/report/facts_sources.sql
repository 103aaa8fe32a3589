-- report/facts_sources.sql — --facts: the submission files behind the
-- figures of scope $1 (a province: its units; a district: itself and its
-- communes) in years $2..$3: for each title ('fund' for the education
-- fund) the distinct files whose values were summed into the figure.
SELECT s.title, s.file, pg_catalog.min(s.year) AS first_year
FROM (SELECT f.title, f.year, x.file
      FROM mart.facts AS f
      CROSS JOIN LATERAL (VALUES (f.eligible_file), (f.counts_file)) AS x (file)
      WHERE f.included AND (f.province_code = $1 OR f.district_code = $1 OR f.unit_code = $1)
        AND f.year IN ($2::smallint, $3::smallint)
      UNION ALL
      SELECT 'fund', f.year, x.file
      FROM mart.fund_facts AS f
      CROSS JOIN LATERAL (VALUES (f.amount_file), (f.scholarship_file)) AS x (file)
      WHERE f.included AND (f.province_code = $1 OR f.district_code = $1 OR f.unit_code = $1)
        AND f.year BETWEEN $2::smallint AND $3::smallint) AS s
WHERE s.file IS NOT NULL
GROUP BY s.title, s.file
ORDER BY s.title COLLATE "C", pg_catalog.min(s.year), s.file COLLATE "C"
