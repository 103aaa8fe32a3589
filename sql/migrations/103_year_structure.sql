-- 103: the structure of a year (docs/rules.md, "Units of both eras").
--
-- A year's figures are reported by the units that exist on its
-- 31 December: up to 2024 communes under districts under 63 provinces, from
-- 2025 communes directly under 34 provinces.  A unit is valid in a year when
-- it is valid on that day (it was: on any day of the year, which made the
-- communes abolished on 30 June 2025 valid in 2025, beside the units that
-- replaced them).

-- Every code's periods: those of ref.unit_periods, and for a code that has
-- none (loaded before migration 102, or written to ref.units by hand) one
-- period made of its ref.units row, as the transform read it before.
CREATE VIEW core.unit_periods AS
SELECT p.code, p.valid_from, p.valid_to, p.name, p.unit_type, p.level, p.parent_code,
       p.province_code, p.district_code
FROM ref.unit_periods p
UNION ALL
SELECT u.code, coalesce(u.valid_from, '-infinity'::date), coalesce(u.valid_to, 'infinity'::date),
       u.name, u.unit_type, u.level, u.parent_code, u.province_code,
       CASE u.level
           WHEN 'district' THEN u.code
           WHEN 'commune' THEN coalesce(u.district_code,
                                        CASE WHEN pu.level = 'district' THEN pu.code END)
       END
FROM ref.units u
LEFT JOIN ref.units pu ON pu.code = u.parent_code
WHERE NOT EXISTS (SELECT FROM ref.unit_periods x WHERE x.code = u.code);

CREATE OR REPLACE FUNCTION core.valid_in(valid_from date, valid_to date, year smallint)
RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT (valid_from IS NULL OR valid_from <= pg_catalog.make_date(year, 12, 31))
	   AND (valid_to IS NULL OR valid_to >= pg_catalog.make_date(year, 12, 31))
$$;

-- Every code as it stands in each of years: the period valid on
-- 31 December (valid = true), or, for a code not valid that day, where its
-- figures would belong.  A code that ended before the day is placed where
-- its successor chain (ref.units.successor_code) leads that year: a 2025
-- report under a commune abolished on 30 June 2025 belongs to the new
-- province's committee, which must see the finding about it.  Without a
-- valid successor a code stays in its last period; a code that begins after
-- the day, in its first.  name, unit_type, level and parent_code are always
-- the code's own (of the period chosen).
-- (PL/pgSQL, planned on its own: inlined into a caller's query with a
-- filter on the province, the SQL took a minute instead of a second.)
-- The transform keeps what it computed in core.unit_years, year by year,
-- until the units change.
CREATE FUNCTION core.placements(years smallint[])
RETURNS TABLE (code text, year smallint, name text, unit_type text, level text,
               parent_code text, province_code text, district_code text, valid boolean)
LANGUAGE plpgsql STABLE AS $fn$
BEGIN
	RETURN QUERY
	WITH RECURSIVE d AS MATERIALIZED (
		SELECT DISTINCT y AS year, pg_catalog.make_date(y, 12, 31) AS day
		FROM pg_catalog.unnest(years) AS y
	), periods AS MATERIALIZED (
		SELECT p.*, pg_catalog.count(*) OVER (PARTITION BY p.code COLLATE "C") AS n
		FROM core.unit_periods p
	), own AS MATERIALIZED (
		-- A code of one period (most of them) is that period every year; of
		-- several, the one on the day, else the last before it, else the
		-- first.  (Codes are digits: compared bytewise, sorts are faster.)
		SELECT p.code, d.year, p.name, p.unit_type, p.level, p.parent_code, p.province_code,
		       p.district_code, p.valid_from <= d.day AND p.valid_to >= d.day AS valid,
		       p.valid_to < d.day AS ended
		FROM d CROSS JOIN periods p
		WHERE p.n = 1
		UNION ALL
		(SELECT DISTINCT ON (p.code COLLATE "C", d.year)
		        p.code, d.year, p.name, p.unit_type, p.level, p.parent_code, p.province_code,
		        p.district_code, p.valid_from <= d.day AND p.valid_to >= d.day AS valid,
		        p.valid_to < d.day AS ended
		 FROM d CROSS JOIN periods p
		 WHERE p.n > 1
		 ORDER BY p.code COLLATE "C", d.year,
		          p.valid_from <= d.day AND p.valid_to >= d.day DESC,
		          p.valid_to < d.day DESC,
		          CASE WHEN p.valid_to < d.day THEN p.valid_from END DESC NULLS LAST,
		          p.valid_from)
	), chain (code, hop, at) AS (
		-- Each code's successors, nearest first: over ref.units by its key,
		-- once for all years.
		SELECT u.code, 1, u.successor_code
		FROM ref.units u
		WHERE u.successor_code IS NOT NULL
		UNION ALL
		SELECT c.code, c.hop + 1, u.successor_code
		FROM chain c
		JOIN ref.units u ON u.code = c.at
		WHERE u.successor_code IS NOT NULL AND c.hop < 10
	), ended AS MATERIALIZED (
		-- The codes ended by a year's end, each with its successors.
		SELECT o.code, o.year, c.hop, c.at
		FROM own o
		JOIN chain c ON c.code = o.code
		WHERE o.ended
	), lands AS (
		-- ... and the nearest of them valid then.
		SELECT DISTINCT ON (e.code COLLATE "C", e.year)
		       e.code, e.year, s.province_code, s.district_code
		FROM ended e
		JOIN own s ON s.code = e.at AND s.year = e.year
		WHERE s.valid
		ORDER BY e.code COLLATE "C", e.year, e.hop
	)
	SELECT o.code, o.year, o.name, o.unit_type, o.level, o.parent_code,
	       coalesce(l.province_code, o.province_code),
	       CASE WHEN l.code IS NOT NULL THEN l.district_code ELSE o.district_code END,
	       o.valid
	FROM own o
	LEFT JOIN lands l ON l.code = o.code AND l.year = o.year;
END
$fn$;

-- core.placements of the years the transform has needed, kept until the
-- units change (hoctap-transform, 30_pairs.sql): a night looks up the few
-- units of its pairs instead of placing every code of the country again.
-- (Codes are digits, compared bytewise: COLLATE "C" makes its indexes
-- several times cheaper to fill than the database's collation.)
CREATE TABLE core.unit_years (
	code           text COLLATE "C" NOT NULL,
	year           smallint NOT NULL,
	name           text NOT NULL,
	unit_type      text,
	level          text NOT NULL,
	parent_code    text COLLATE "C",
	province_code  text COLLATE "C" NOT NULL,
	district_code  text COLLATE "C",
	valid          boolean NOT NULL,
	PRIMARY KEY (code, year)
);
CREATE INDEX unit_years_pair_idx ON core.unit_years (province_code, year);

-- Where an abolished unit went, for the unit_not_valid message: "it became
-- part of 22969 Xã Liên Hương", "its population went to ...", "parts of it
-- went to ...", named as the new units were on 31 December of year.
CREATE FUNCTION core.lineage_text(old_code text, year smallint) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT pg_catalog.string_agg(t.words || ' ' || t.units, '; ' ORDER BY t.ord)
	FROM (
		SELECT CASE l.kind WHEN 'whole' THEN 1 WHEN 'population' THEN 2 ELSE 3 END AS ord,
		       CASE l.kind WHEN 'whole' THEN 'it became part of'
		                   WHEN 'population' THEN 'its population went to'
		                   ELSE 'parts of it went to' END AS words,
		       pg_catalog.string_agg(l.new_code || coalesce(' ' || n.name, ''), ', '
		                             ORDER BY l.new_code) AS units
		FROM ref.unit_lineage l
		LEFT JOIN LATERAL (
			SELECT p.name FROM core.unit_periods p
			WHERE p.code = l.new_code AND p.valid_from <= pg_catalog.make_date(year, 12, 31)
			ORDER BY p.valid_from DESC LIMIT 1
		) n ON true
		WHERE l.old_code = lineage_text.old_code
		  AND l.effective <= pg_catalog.make_date(year, 12, 31)
		GROUP BY 1, 2
	) t
$$;
