-- 112: the national targets of the movement, shipped as data with their
-- legal source (docs/rules.md, "Targets"; design.md §2).  They apply to
-- every scope — province, district and commune — that reported the title
-- (and group) that year, unless the province's own target for that scope,
-- title, group and year (ref.targets, hoctap-ingest --targets) replaces it.
--
--   281/QĐ-TTg of 20 Feb 2014 ("Đẩy mạnh phong trào học tập suốt đời trong
--     gia đình, dòng họ, cộng đồng đến năm 2020"), by 2020: learning
--     families 70 %, clans 50 %, communities 60 %, units 50 %;
--   387/QĐ-TTg of 25 Mar 2022 ("Đẩy mạnh phong trào học tập suốt đời trong
--     gia đình, dòng họ, cộng đồng, đơn vị giai đoạn 2021 - 2030"), by 2025:
--     families 70 %, clans 65 %, communities 65 %, units 80 %;
--   677/QĐ-TTg of 3 Jun 2022 ("Xây dựng mô hình Công dân học tập giai đoạn
--     2021 - 2030"), learning citizens: by 2025 40 % of the adults of
--     learning families, clans and communities and 60 % of the officials
--     and employees of learning units; by 2030 60 % and 80 %.
--
-- Not shipped: 1373/QĐ-TTg of 30 Jul 2021 (the learning-society scheme
-- 2021 - 2030) aims at 40 % of citizens being learning citizens by 2025 —
-- a share of all citizens, a base that neither group's nor their sum is —
-- and no figure of it for the other titles could be established
-- (docs/rules.md says so).

CREATE TABLE ref.national_targets (
	title           text NOT NULL REFERENCES ref.titles (key),
	grp             text,          -- a group of ref.title_groups, or NULL: the title
	year            smallint NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	target_percent  numeric(5, 2) NOT NULL CHECK (target_percent BETWEEN 0 AND 100),
	source          text NOT NULL,           -- '387/QĐ-TTg'
	source_date     date NOT NULL,           -- the decision's date
	FOREIGN KEY (title, grp) REFERENCES ref.title_groups (title, grp),
	UNIQUE NULLS NOT DISTINCT (title, grp, year)
);

INSERT INTO ref.national_targets (title, grp, year, target_percent, source, source_date) VALUES
	('family',    NULL, 2020, 70, '281/QĐ-TTg', '2014-02-20'),
	('clan',      NULL, 2020, 50, '281/QĐ-TTg', '2014-02-20'),
	('community', NULL, 2020, 60, '281/QĐ-TTg', '2014-02-20'),
	('unit',      NULL, 2020, 50, '281/QĐ-TTg', '2014-02-20'),
	('family',    NULL, 2025, 70, '387/QĐ-TTg', '2022-03-25'),
	('clan',      NULL, 2025, 65, '387/QĐ-TTg', '2022-03-25'),
	('community', NULL, 2025, 65, '387/QĐ-TTg', '2022-03-25'),
	('unit',      NULL, 2025, 80, '387/QĐ-TTg', '2022-03-25'),
	('citizen', 'adult',    2025, 40, '677/QĐ-TTg', '2022-06-03'),
	('citizen', 'official', 2025, 60, '677/QĐ-TTg', '2022-06-03'),
	('citizen', 'adult',    2030, 60, '677/QĐ-TTg', '2022-06-03'),
	('citizen', 'official', 2030, 80, '677/QĐ-TTg', '2022-06-03');

-- A province's own targets may name a group (of a title that has groups)
-- and their source (the targets file's `source` column, or its name).
ALTER TABLE ref.targets ADD COLUMN grp text;
ALTER TABLE ref.targets ADD COLUMN source text;
ALTER TABLE ref.targets DROP CONSTRAINT targets_pkey;
ALTER TABLE ref.targets ADD CONSTRAINT targets_key UNIQUE NULLS NOT DISTINCT
	(scope_code, title, year, grp);

-- Each target in force, with its source and whether the scope's year is
-- provisional (docs/outputs.md, "targets").
ALTER TABLE mart.targets ADD COLUMN grp text;
ALTER TABLE mart.targets ADD COLUMN source text;
ALTER TABLE mart.targets ADD COLUMN provisional boolean;
ALTER TABLE mart.targets DROP CONSTRAINT targets_pkey;
ALTER TABLE mart.targets ADD CONSTRAINT targets_key UNIQUE NULLS NOT DISTINCT
	(scope_code, title, year, grp);
