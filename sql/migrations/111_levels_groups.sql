-- 111: recognition levels and learning-citizen groups (docs/rules.md,
-- "Levels and groups"; design.md §2).
--
-- A tally row may carry a recognition level (the commune-level learning
-- community: levels 1 and 2 of Thông tư 25/2023/TT-BGDĐT) or a group (the
-- learning citizen: adults of learning families, clans and communities, and
-- officials of learning units, 677/QĐ-TTg), each with its own counts and
-- base.  Such a row is a part of its title: the parts are kept apart
-- (core.fact_parts) and summed into their own rate rows (mart.rate_parts),
-- and a unit that gave parts only has its title total made from them
-- (counts_source 'levels' or 'groups').

-- What each title allows.  hoctap-ingest holds the same lists
-- (common/vocab.c, hx_vocab_recognition_level and hx_vocab_group);
-- tests/unit/test_vocab.c checks them against these rows.
CREATE TABLE ref.title_levels (
	title     text NOT NULL REFERENCES ref.titles (key),
	level     smallint NOT NULL CHECK (level BETWEEN 1 AND 9),
	name_vi   text NOT NULL,
	source    text NOT NULL,   -- the document that defines the level
	PRIMARY KEY (title, level)
);
INSERT INTO ref.title_levels (title, level, name_vi, source) VALUES
	('commune', 1, 'Mức độ 1', 'Thông tư 25/2023/TT-BGDĐT'),
	('commune', 2, 'Mức độ 2', 'Thông tư 25/2023/TT-BGDĐT');

CREATE TABLE ref.title_groups (
	title     text NOT NULL REFERENCES ref.titles (key),
	grp       text NOT NULL CHECK (grp ~ '^[a-z]+$'),
	name_vi   text NOT NULL,
	base      text NOT NULL,   -- the group's eligible base, in English
	source    text NOT NULL,
	PRIMARY KEY (title, grp)
);
INSERT INTO ref.title_groups (title, grp, name_vi, base, source) VALUES
	('citizen', 'adult',
	 'Người lớn trong gia đình học tập, dòng họ học tập, cộng đồng học tập',
	 'adults of learning families, clans and communities', '677/QĐ-TTg'),
	('citizen', 'official',
	 'Cán bộ, công chức, viên chức, người lao động trong đơn vị học tập',
	 'officials and employees of learning units', '677/QĐ-TTg');

-- The level or group a tally row gives (NULL: the title as a whole).
-- hoctap-ingest refuses a level or group the title does not have.
ALTER TABLE staging.tally ADD COLUMN level smallint CHECK (level BETWEEN 1 AND 9);
ALTER TABLE staging.tally ADD COLUMN grp text;

-- The current value of every unit × year × title × level or group, after
-- supersession (eligible and the counts apart, as for core.facts), with
-- its sources.  Exactly one of level and grp is set.
CREATE TABLE core.fact_parts (
	unit_code         text NOT NULL,
	year              smallint NOT NULL,
	title             text NOT NULL,
	level             smallint,
	grp               text,
	province_code     text NOT NULL,
	district_code     text,
	unit_level        text NOT NULL,
	eligible          bigint,
	eligible_file_id  bigint,
	eligible_line     integer,
	registered        bigint,
	recognized        bigint,
	exemplary         bigint,
	counts_file_id    bigint,
	counts_line       integer,
	reported_rate     numeric,   -- the percent written on the counts' row
	included          boolean NOT NULL DEFAULT true,
	excluded_by       text,
	CHECK ((level IS NULL) <> (grp IS NULL)),
	UNIQUE NULLS NOT DISTINCT (unit_code, year, title, level, grp)
);
CREATE INDEX fact_parts_pair_idx ON core.fact_parts (province_code, year);

-- A title total made from a unit's parts says so.
DO $$
DECLARE
	t text;
	c text;
BEGIN
	FOREACH t IN ARRAY ARRAY['core.facts', 'mart.facts'] LOOP
		FOR c IN
			SELECT k.conname FROM pg_catalog.pg_constraint k
			WHERE k.conrelid = t::regclass AND k.contype = 'c'
			  AND pg_catalog.pg_get_constraintdef(k.oid) LIKE '%counts_source%'
		LOOP
			EXECUTE pg_catalog.format('ALTER TABLE %s DROP CONSTRAINT %I', t, c);
		END LOOP;
		EXECUTE pg_catalog.format(
			'ALTER TABLE %s ADD CONSTRAINT facts_counts_source_check CHECK '
			'(counts_source IN (''tally'', ''register'', ''levels'', ''groups''))', t);
	END LOOP;
END
$$;

-- Rates of each level or group per scope × year × title, summed over the
-- units whose title figure the scope sums (mart.rates): a unit's parts
-- count where its total counts.  Columns as mart.rates.
CREATE TABLE mart.rate_parts (
	scope_level      text NOT NULL,
	scope_code       text NOT NULL,
	scope_name       text NOT NULL,
	province_code    text NOT NULL,
	year             smallint NOT NULL,
	title            text NOT NULL,
	level            smallint,
	grp              text,
	eligible         bigint,
	registered       bigint,
	recognized       bigint,
	exemplary        bigint,
	rate_eligible    numeric(7, 2),
	rate_registered  numeric(7, 2),
	units_reporting  integer NOT NULL,
	units_expected   integer NOT NULL,
	rate_eligible_num    bigint,
	rate_eligible_den    bigint,
	rate_registered_num  bigint,
	rate_registered_den  bigint,
	source_level     text,
	CHECK ((level IS NULL) <> (grp IS NULL)),
	UNIQUE NULLS NOT DISTINCT (scope_code, year, title, level, grp)
);
CREATE INDEX rate_parts_pair_idx ON mart.rate_parts (province_code, year);
