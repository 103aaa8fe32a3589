-- report/explain_fund_figure.sql — hoctap-report --explain SCOPE YEAR fund,
-- part 1: the published fund figures of scope $1, year $2 (mart.funds).
SELECT f.scope_level, f.scope_code, f.scope_name, f.year,
       f.mobilized_vnd, f.cumulative_vnd, f.scholarships, f.scholarship_vnd,
       f.units_reporting
FROM mart.funds AS f
WHERE f.scope_code = $1 AND f.year = $2::smallint
