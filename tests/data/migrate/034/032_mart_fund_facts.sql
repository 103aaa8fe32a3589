-- 032: every unit's current fund figures with the file and line each came
-- from, for the report (hoctap-report --explain SCOPE YEAR fund).
--
-- A reporter quoting "1,322,750,000 VND" must be able to trace it to the
-- submissions behind it (DESIGN.md §1), and the report reads marts only:
-- core.funds, which holds the sources, is not the report's to read.  Like
-- mart.facts for the titles: one row per unit and year, written for the
-- (province, year) pairs a night recomputes; a district's or province's own
-- row that its scope was not summed from is shown as not included,
-- excluded_by 'cross_check'.  Filled for a province and year the next time
-- it is recomputed (hoctap-transform --full fills them all).

CREATE TABLE mart.fund_facts (
	unit_code         text NOT NULL,
	unit_name         text NOT NULL,
	unit_level        text NOT NULL,
	district_code     text,
	province_code     text NOT NULL,
	year              smallint NOT NULL,
	mobilized_vnd     bigint,
	scholarships      bigint,
	scholarship_vnd   bigint,
	amount_file       text,       -- staging.files.name of the mobilized amount
	amount_line       integer,
	scholarship_file  text,       -- and of the scholarships
	scholarship_line  integer,
	included          boolean NOT NULL,
	excluded_by       text,
	PRIMARY KEY (unit_code, year)
);
CREATE INDEX fund_facts_pair_idx ON mart.fund_facts (province_code, year);
