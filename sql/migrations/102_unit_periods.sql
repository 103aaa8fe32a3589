-- 102: units of both eras (docs/design.md §9.1).  Vietnam's units changed on
-- 1 July 2025: districts were abolished and ~10,050 communes became 3,321,
-- most new units keeping the code of one of their predecessors.  A code is
-- therefore not one unit for ever: 22969 is Thị trấn Liên Hương of Huyện
-- Tuy Phong (595), Tỉnh Bình Thuận (60) until 2025-06-30 and Xã Liên Hương
-- directly under Tỉnh Lâm Đồng (68) from 2025-07-01.
--
--   ref.units         one row per code, as before: the code's whole validity,
--                     its latest name, type, parent and province, and the
--                     unit that carries its figures on (successor_code).
--   ref.unit_periods  what the code was in each period: name, type (Xã,
--                     Phường, Tỉnh, Thành phố, ...), parent, province and
--                     district.  Periods of one code do not overlap; a rename
--                     or a type change starts a new period with the same code.
--   ref.unit_lineage  where each old unit went: (old code, new code) pairs of
--                     the official conversion table with their kind, and the
--                     same-level successors of a province's own units file.
-- hoctap-ingest --units writes all three in one transaction (docs/rules.md,
-- "Units of both eras"); a year's structure is the units valid on its
-- 31 December (migration 103).

ALTER TABLE ref.units ADD COLUMN unit_type text;

CREATE TABLE ref.unit_periods (
	code           text NOT NULL REFERENCES ref.units (code) ON DELETE CASCADE
	                   DEFERRABLE INITIALLY DEFERRED,
	valid_from     date NOT NULL,   -- '-infinity': since before the lists say
	valid_to       date NOT NULL,   -- 'infinity': still valid
	name           text NOT NULL,
	unit_type      text,            -- the name's leading words: Xã, Phường, Thị trấn, Đặc khu,
	                                -- Huyện, Quận, Thị xã, Thành phố, Tỉnh
	level          text NOT NULL CHECK (level IN ('province', 'district', 'commune')),
	parent_code    text REFERENCES ref.units (code) DEFERRABLE INITIALLY DEFERRED,
	province_code  text NOT NULL,
	district_code  text,
	source         text,            -- where the period was read: "builtin:FILE:LINE" or FILE:LINE
	PRIMARY KEY (code, valid_from),
	CHECK (valid_from <= valid_to),
	CHECK ((level = 'province') = (parent_code IS NULL))
);
CREATE INDEX unit_periods_province_idx ON ref.unit_periods (province_code);
CREATE INDEX unit_periods_parent_idx ON ref.unit_periods (parent_code);

-- old_code is not a reference to ref.units: the conversion table names ten
-- old codes that the January 2025 list does not hold, and its pairs are kept
-- as it says them (a province's units file may add those units later).
CREATE TABLE ref.unit_lineage (
	old_code     text NOT NULL,
	new_code     text NOT NULL REFERENCES ref.units (code) ON DELETE CASCADE
	                 DEFERRABLE INITIALLY DEFERRED,
	effective    date NOT NULL,     -- the first day of the new unit (2025-07-01)
	-- whole: the old unit wholly (Nhập toàn bộ, Giữ nguyên, Đổi tên, Đổi loại
	-- hình); population: part of its area but all of its people (… toàn bộ dân
	-- số); part: a part of it (Nhập một phần …, however the table spells it).
	kind         text NOT NULL CHECK (kind IN ('whole', 'population', 'part')),
	-- The pair that carries the old unit's figures: its only whole or
	-- all-of-the-population move; for a unit moved in parts, the successor
	-- that kept its code, else the one with the lowest code.
	carries      boolean NOT NULL,
	-- The old unit moved in parts (or the table contradicts itself about it):
	-- every row its figures touch is approximate.
	approximate  boolean NOT NULL,
	note         text NOT NULL,     -- as the table wrote it ('successor_code' for a units file)
	source       text NOT NULL,     -- "builtin:FILE:LINE" or FILE:LINE
	PRIMARY KEY (old_code, new_code, effective)
);
CREATE INDEX unit_lineage_new_idx ON ref.unit_lineage (new_code);

-- Changing either moves ref.versions.units, as writing ref.units does
-- (ref.units_touched): the transform rebuilds what the units decide.  Only
-- a statement that changed rows moves it (transition tables), so that
-- deleting a unit, which cascades here, moves it once.
CREATE FUNCTION ref.unit_rows_touched() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
BEGIN
	IF EXISTS (SELECT FROM changed) THEN
		UPDATE ref.versions SET units = units + 1;
	END IF;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION ref.unit_rows_touched() FROM PUBLIC;

CREATE TRIGGER unit_periods_inserted AFTER INSERT ON ref.unit_periods
	REFERENCING NEW TABLE AS changed
	FOR EACH STATEMENT EXECUTE FUNCTION ref.unit_rows_touched();
CREATE TRIGGER unit_periods_updated AFTER UPDATE ON ref.unit_periods
	REFERENCING NEW TABLE AS changed
	FOR EACH STATEMENT EXECUTE FUNCTION ref.unit_rows_touched();
CREATE TRIGGER unit_periods_deleted AFTER DELETE ON ref.unit_periods
	REFERENCING OLD TABLE AS changed
	FOR EACH STATEMENT EXECUTE FUNCTION ref.unit_rows_touched();
CREATE TRIGGER unit_periods_truncated AFTER TRUNCATE ON ref.unit_periods
	FOR EACH STATEMENT EXECUTE FUNCTION ref.units_touched();
CREATE TRIGGER unit_lineage_inserted AFTER INSERT ON ref.unit_lineage
	REFERENCING NEW TABLE AS changed
	FOR EACH STATEMENT EXECUTE FUNCTION ref.unit_rows_touched();
CREATE TRIGGER unit_lineage_updated AFTER UPDATE ON ref.unit_lineage
	REFERENCING NEW TABLE AS changed
	FOR EACH STATEMENT EXECUTE FUNCTION ref.unit_rows_touched();
CREATE TRIGGER unit_lineage_deleted AFTER DELETE ON ref.unit_lineage
	REFERENCING OLD TABLE AS changed
	FOR EACH STATEMENT EXECUTE FUNCTION ref.unit_rows_touched();
CREATE TRIGGER unit_lineage_truncated AFTER TRUNCATE ON ref.unit_lineage
	FOR EACH STATEMENT EXECUTE FUNCTION ref.units_touched();

-- Units loaded before this migration, or written to ref.units directly,
-- have no periods: the transform takes each such code as one period made
-- of its ref.units row (core.unit_periods, migration 103), as before.
