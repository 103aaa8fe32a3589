-- 002: reference data (DESIGN.md §2, §4.1).  Loaded by hoctap-ingest --units
-- and --targets, which replace a whole set in one transaction.

CREATE TABLE ref.titles (
	key         text PRIMARY KEY,
	name_vi     text NOT NULL,
	-- The base of the headline rate: recognized / eligible or / registered.
	headline    text NOT NULL CHECK (headline IN ('eligible', 'registered')),
	entity      text NOT NULL,
	sort_order  smallint NOT NULL UNIQUE
);

INSERT INTO ref.titles (key, name_vi, headline, entity, sort_order) VALUES
	('family',    'Gia đình học tập',         'eligible',   'household',                 1),
	('clan',      'Dòng họ học tập',          'registered', 'clan',                      2),
	('community', 'Cộng đồng học tập',        'eligible',   'village or residential group', 3),
	('commune',   'Cộng đồng học tập cấp xã', 'eligible',   'commune',                   4),
	('unit',      'Đơn vị học tập',           'registered', 'agency, school, enterprise', 5),
	('citizen',   'Công dân học tập',         'eligible',   'person',                    6);

CREATE TABLE ref.units (
	code            text PRIMARY KEY CHECK (code ~ '^[0-9]{2,5}$'),
	name            text NOT NULL,
	level           text NOT NULL CHECK (level IN ('province', 'district', 'commune')),
	parent_code     text REFERENCES ref.units (code) DEFERRABLE INITIALLY DEFERRED,
	valid_from      date,
	valid_to        date,
	successor_code  text REFERENCES ref.units (code) DEFERRABLE INITIALLY DEFERRED,
	-- Filled by the loader from the parent chain, for grouping and incremental work.
	province_code   text NOT NULL,
	district_code   text,
	CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_from <= valid_to),
	CHECK ((level = 'province') = (parent_code IS NULL))
);
CREATE INDEX units_parent_idx ON ref.units (parent_code);
CREATE INDEX units_province_idx ON ref.units (province_code, level);

CREATE TABLE ref.targets (
	scope_code      text NOT NULL REFERENCES ref.units (code) DEFERRABLE INITIALLY DEFERRED,
	title           text NOT NULL REFERENCES ref.titles (key),
	year            smallint NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	target_percent  numeric(5, 2) NOT NULL CHECK (target_percent BETWEEN 0 AND 100),
	PRIMARY KEY (scope_code, title, year)
);
