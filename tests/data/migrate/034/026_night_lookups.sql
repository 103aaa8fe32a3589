-- 026: what lets a night look up the little it recomputes instead of
-- reading everything (hoctap-transform, sql/transform/*.sql).

-- ref.versions: counters bumped by every statement that changes ref.units
-- or ref.targets (hoctap-ingest --units or --targets, or an administrator
-- in psql; INSERT, UPDATE, DELETE or TRUNCATE).  Each run records the
-- counters it saw (audit.runs.units_version, targets_version).
--   * units: only when it differs from the last run's is ref.units hashed
--     whole and compared with that run's hash (a changed hash forces a full
--     rebuild; a reload of the same units moves the counter, not the hash);
--     mart.successors, made from ref.units alone, is rebuilt only then.
--   * targets: while it stays, a night recomputes the targets of its pairs
--     only; when it moves, every target.

CREATE TABLE ref.versions (
	singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
	units      bigint NOT NULL,
	targets    bigint NOT NULL
);
INSERT INTO ref.versions (singleton, units, targets) VALUES (true, 1, 1);

-- SECURITY DEFINER: whoever may change ref.units or ref.targets moves its
-- counter, without a grant on ref.versions itself.
CREATE FUNCTION ref.units_touched() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
BEGIN
	UPDATE ref.versions SET units = units + 1;
	RETURN NULL;
END
$$;
CREATE FUNCTION ref.targets_touched() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
BEGIN
	UPDATE ref.versions SET targets = targets + 1;
	RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION ref.units_touched(), ref.targets_touched() FROM PUBLIC;

CREATE TRIGGER units_touched
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ref.units
	FOR EACH STATEMENT EXECUTE FUNCTION ref.units_touched();
CREATE TRIGGER targets_touched
	AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ref.targets
	FOR EACH STATEMENT EXECUTE FUNCTION ref.targets_touched();

ALTER TABLE audit.runs
	ADD COLUMN units_version bigint,    -- ref.versions.units seen
	ADD COLUMN targets_version bigint;  -- ref.versions.targets seen

-- core.file_pairs: the (province, year) pairs each file taken in has rows
-- for (tally, fund or register list), written by the run that takes the
-- file in (every file again on --full).  A night reads the tally and fund
-- rows of the files of its pairs only, found by file_id, instead of every
-- staged row.  Filled here for the files already taken in.
CREATE TABLE core.file_pairs (
	province_code  text NOT NULL,
	year           smallint NOT NULL,
	file_id        bigint NOT NULL,
	PRIMARY KEY (province_code, year, file_id)
);

INSERT INTO core.file_pairs (province_code, year, file_id)
SELECT DISTINCT u.province_code, s.year, s.file_id
FROM (
	SELECT t.file_id, t.unit_code, t.year FROM staging.tally t
	UNION
	SELECT d.file_id, d.unit_code, d.year FROM staging.fund d
	UNION
	SELECT l.file_id, l.unit_code, l.year FROM core.register_lists l
) s
JOIN core.file_runs r ON r.file_id = s.file_id
JOIN ref.units u ON u.code = s.unit_code;

-- The marts a night deletes a province's rows from, found by the pair.
CREATE INDEX rates_pair_idx ON mart.rates (province_code, year);
CREATE INDEX completeness_pair_idx ON mart.completeness (province_code, year);
CREATE INDEX funds_province_idx ON mart.funds (province_code);
