-- 031: a fund's scholarships supersede apart from its mobilized amount.
--
-- The latest fund row of a unit and year used to win whole: a correction
-- that carried only the mobilized amount (a file without scholarship
-- columns) made the scholarships of the earlier submission unknown, and the
-- district's and province's scholarship sums lost them without a word.
-- Funds now supersede as tallies do (eligible apart from the counts): the
-- mobilized amount from the latest row that gives one, the scholarships
-- (count and value together) from the latest row that gives either
-- (sql/transform/40_facts.sql, docs/rules.md).  file_id and line stay the
-- mobilized amount's source (or the scholarships' when no row gives an
-- amount); these columns are the scholarships' source.  A unit and year is
-- recomputed this way the next time its province and year are (hoctap-transform
-- --full recomputes them all).

ALTER TABLE core.funds
	ADD COLUMN scholarship_file_id bigint,
	ADD COLUMN scholarship_line integer;
