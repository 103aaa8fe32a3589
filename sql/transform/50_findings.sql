-- 50_findings: the rules of core.rules that look at one unit's values
-- (docs/rules.md), then the exclusions: a fact or fund row with an 'error'
-- finding is kept out of every aggregate.  Findings are collected in
-- raw_findings (code, where, placeholders) and written with their messages
-- in 70_publish.sql, after the roll-up has added its cross-checks.

CREATE TEMP TABLE raw_findings (
	code           text NOT NULL,
	unit_code      text NOT NULL,
	year           smallint NOT NULL,
	title          text,
	province_code  text NOT NULL,
	file_id        bigint,
	line           integer,
	args           jsonb NOT NULL
) ON COMMIT DROP;

-- The facts of the pairs.  On --full the pairs are every pair with data,
-- and core.facts holds their facts and no other (40_facts made it equal to
-- the facts of the pairs' units, 45_parts added only theirs): pair_facts is
-- then core.facts itself, a view, not a copy of every fact (100 ms at scale
-- 0.3).  A night copies its pairs' few facts.
DO $$
BEGIN
	IF (SELECT c.mode FROM pg_temp.run_ctx c) = 'full' THEN
		CREATE TEMP VIEW pair_facts AS SELECT f.* FROM core.facts f;
	ELSE
		CREATE TEMP TABLE pair_facts ON COMMIT DROP AS
		SELECT f.*
		FROM core.facts f
		JOIN pg_temp.pairs p ON p.province_code = f.province_code AND p.year = f.year;
		ANALYZE pg_temp.pair_facts;
	END IF;
END
$$;

-- invariant_breach: exemplary <= recognized <= registered <= eligible,
-- every pair of known values, one finding per pair broken.
INSERT INTO pg_temp.raw_findings
SELECT 'invariant_breach', f.unit_code, f.year, f.title, f.province_code,
       coalesce(f.counts_file_id, f.eligible_file_id),
       CASE WHEN f.counts_file_id IS NOT NULL THEN f.counts_line ELSE f.eligible_line END,
       pg_catalog.jsonb_build_object(
           'lower', v.lo_name, 'lower_value', core.fmt_int(v.lo),
           'upper', v.hi_name, 'upper_value', core.fmt_int(v.hi),
           'eligible_from',
           CASE WHEN v.hi_name = 'eligible' AND f.eligible_file_id IS DISTINCT FROM f.counts_file_id
                THEN ' (eligible from ' || ef.name || ':' || f.eligible_line || ')'
                WHEN v.hi_name = 'eligible' AND f.eligible_line IS DISTINCT FROM f.counts_line
                THEN ' (eligible from line ' || f.eligible_line || ')'
                ELSE '' END)
FROM pg_temp.pair_facts f
LEFT JOIN staging.files ef ON ef.file_id = f.eligible_file_id
CROSS JOIN LATERAL (VALUES
	(1, 'exemplary', f.exemplary, 'recognized', f.recognized),
	(2, 'exemplary', f.exemplary, 'registered', f.registered),
	(3, 'exemplary', f.exemplary, 'eligible', f.eligible),
	(4, 'recognized', f.recognized, 'registered', f.registered),
	(5, 'recognized', f.recognized, 'eligible', f.eligible),
	(6, 'registered', f.registered, 'eligible', f.eligible)
) AS v (ord, lo_name, lo, hi_name, hi)
WHERE v.lo > v.hi
  -- the same six comparisons on the fact first: most facts break none, and
  -- are then neither expanded into six rows nor joined to their file.
  AND (f.exemplary > f.recognized OR f.exemplary > f.registered OR f.exemplary > f.eligible
       OR f.recognized > f.registered OR f.recognized > f.eligible
       OR f.registered > f.eligible);

-- reported_rate_mismatch: the written percent must be the current headline
-- rate (ref.titles.headline) rounded half away from zero, or truncated, to
-- the decimals written (the numeric scale staging keeps).  A percent above
-- 100 is rate_above_100's (below), not a mismatch as well.
INSERT INTO pg_temp.raw_findings
SELECT 'reported_rate_mismatch', x.unit_code, x.year, x.title, x.province_code,
       x.tally_file_id, x.tally_line,
       pg_catalog.jsonb_build_object(
           'reported', pg_catalog.replace(x.reported_rate::text, '.', ','),
           'base_name', x.headline,
           'recognized', x.recognized::text,
           'base', x.base::text,
           'computed', core.rate(x.recognized, x.base)::text,
           -- the figures that are not the percent's row's own, with their rows
           'sources', coalesce(' (' || nullif(concat_ws('; ',
               CASE WHEN (x.counts_file_id, x.counts_line)
                         IS DISTINCT FROM (x.tally_file_id, x.tally_line)
                    THEN 'recognized ' || core.fmt_int(x.recognized)
                         || CASE WHEN (x.base_file_id, x.base_line)
                                      IS NOT DISTINCT FROM (x.counts_file_id, x.counts_line)
                                 THEN ' and ' || x.headline || ' ' || core.fmt_int(x.base)
                                 ELSE '' END
                         || ' from ' || cf.name || ':' || x.counts_line END,
               CASE WHEN (x.base_file_id, x.base_line)
                         IS DISTINCT FROM (x.tally_file_id, x.tally_line)
                     AND (x.base_file_id, x.base_line)
                         IS DISTINCT FROM (x.counts_file_id, x.counts_line)
                    THEN x.headline || ' ' || core.fmt_int(x.base) || ' from '
                         || bf.name || ':' || x.base_line END), '') || ')', ''))
FROM (
	SELECT f.*, t.headline,
	       CASE t.headline WHEN 'eligible' THEN f.eligible ELSE f.registered END AS base,
	       CASE t.headline WHEN 'eligible' THEN f.eligible_file_id
	                       ELSE f.counts_file_id END AS base_file_id,
	       CASE t.headline WHEN 'eligible' THEN f.eligible_line ELSE f.counts_line END AS base_line
	FROM pg_temp.pair_facts f
	JOIN ref.titles t ON t.key = f.title
	WHERE f.reported_rate IS NOT NULL AND f.recognized IS NOT NULL AND f.reported_rate <= 100
) x
LEFT JOIN staging.files cf ON cf.file_id = x.counts_file_id
LEFT JOIN staging.files bf ON bf.file_id = x.base_file_id
WHERE x.base > 0
  AND x.reported_rate <> pg_catalog.round(100::numeric * x.recognized / x.base,
                                          pg_catalog.scale(x.reported_rate))
  AND x.reported_rate <> pg_catalog.trunc(100::numeric * x.recognized / x.base,
                                          pg_catalog.scale(x.reported_rate));

-- register_tally_mismatch: the current list against the current tally counts.
INSERT INTO pg_temp.raw_findings
SELECT 'register_tally_mismatch', f.unit_code, f.year, f.title, f.province_code,
       f.tally_file_id, f.tally_line,
       pg_catalog.jsonb_build_object(
           'list_at', lf.name || ':' || f.counts_line,
           'list_values', d.list_values,
           'tally_values', d.tally_values)
FROM pg_temp.pair_facts f
JOIN staging.files lf ON lf.file_id = f.counts_file_id
CROSS JOIN LATERAL (
	SELECT string_agg(v.name || ' ' || core.fmt_int(v.list), ', ' ORDER BY v.ord) AS list_values,
	       string_agg(v.name || ' ' || core.fmt_int(v.tally), ', ' ORDER BY v.ord) AS tally_values
	FROM (VALUES
		(1, 'registered', f.registered, f.tally_registered),
		(2, 'recognized', f.recognized, f.tally_recognized),
		(3, 'exemplary', f.exemplary, f.tally_exemplary)
	) AS v (ord, name, list, tally)
	WHERE v.list <> v.tally
) d
WHERE f.counts_source = 'register' AND f.tally_file_id IS NOT NULL AND d.list_values IS NOT NULL
  -- the same three comparisons on the fact first: most lists agree with
  -- their tally, and are then not taken apart into three rows
  AND (f.registered <> f.tally_registered OR f.recognized <> f.tally_recognized
       OR f.exemplary <> f.tally_exemplary);

-- duplicate_entity: in the list that gives the current counts.  The items
-- of one JSON submission share its line: named as in that submission, not
-- as "lines 1 and 1".
INSERT INTO pg_temp.raw_findings
SELECT 'duplicate_entity', f.unit_code, f.year, f.title, f.province_code, f.counts_file_id,
       min(d.first_line),
       pg_catalog.jsonb_build_object(
           'dups', count(*) || CASE WHEN count(*) = 1 THEN ' entity' ELSE ' entities' END,
           'examples',
           (pg_catalog.array_to_string((array_agg(
               '"' || d.entity_id || '" ' || d.n || ' times ('
               || CASE WHEN d.first_line = d.last_line
                       THEN 'all in the submission at line ' || d.first_line
                       ELSE 'lines ' || d.first_line
                            || CASE WHEN d.n > 2 THEN ' to ' ELSE ' and ' END || d.last_line
                  END || ')' ORDER BY d.first_line))[1:5], ', ')
            || CASE WHEN count(*) > 5 THEN ', ...' ELSE '' END))
FROM pg_temp.pair_facts f
JOIN core.register_dups d ON d.unit_code = f.unit_code AND d.year = f.year
                         AND d.title = f.title AND d.file_id = f.counts_file_id
WHERE f.counts_source = 'register'
GROUP BY f.unit_code, f.year, f.title, f.province_code, f.counts_file_id;

-- eligible_jump: households (title family) changing by more than 25%.
INSERT INTO pg_temp.raw_findings
SELECT 'eligible_jump', f.unit_code, f.year, f.title, f.province_code, f.eligible_file_id,
       f.eligible_line,
       pg_catalog.jsonb_build_object(
           'previous', core.fmt_int(p.eligible),
           'previous_year', p.year::text,
           'current', core.fmt_int(f.eligible),
           'change', CASE WHEN f.eligible > p.eligible THEN '+' ELSE '' END
                     || pg_catalog.round(100::numeric * (f.eligible - p.eligible) / p.eligible, 2))
FROM pg_temp.pair_facts f
JOIN core.facts p ON p.unit_code = f.unit_code AND p.title = f.title AND p.year = f.year - 1
WHERE f.title = 'family' AND f.eligible IS NOT NULL AND p.eligible > 0
  AND pg_catalog.abs(f.eligible - p.eligible) * 4 > p.eligible;

-- unit_not_valid: a unit reporting for a year in which its code was not
-- valid (on 31 December of the year).  The message names where the unit
-- went: the new units the conversion table gives it (a 2025 report under a
-- commune abolished on 30 June 2025: "it became part of 22969 Xã Liên
-- Hương"), else its successor.
INSERT INTO pg_temp.raw_findings
SELECT 'unit_not_valid', x.unit_code, x.year, x.title, x.province_code, x.file_id, x.line,
       pg_catalog.jsonb_build_object(
           'unit', x.unit_code, 'unit_name', u.name,
           'validity', concat_ws(' ', 'valid',
                                 'from ' || r.valid_from::text, 'to ' || r.valid_to::text),
           'successor', coalesce('; ' || core.lineage_text(x.unit_code, x.year),
                                 ', successor ' || s.code || ' ' || s.name, ''))
FROM (
	SELECT f.unit_code, f.year, f.title, f.province_code,
	       coalesce(f.counts_file_id, f.eligible_file_id) AS file_id,
	       CASE WHEN f.counts_file_id IS NOT NULL THEN f.counts_line ELSE f.eligible_line END AS line
	FROM pg_temp.pair_facts f
	UNION ALL
	SELECT d.unit_code, d.year, NULL, d.province_code, d.file_id, d.line
	FROM core.funds d
	JOIN pg_temp.pairs p ON p.province_code = d.province_code AND p.year = d.year
) x
JOIN pg_temp.unit_years u ON u.code = x.unit_code AND u.year = x.year
JOIN ref.units r ON r.code = x.unit_code
LEFT JOIN ref.units s ON s.code = r.successor_code
WHERE NOT u.valid;

-- closed_year: every row held out by a closed year.
INSERT INTO pg_temp.raw_findings
SELECT 'closed_year', t.unit_code, t.year, t.title, t.province_code, t.file_id, t.line,
       pg_catalog.jsonb_build_object('year', t.year::text)
FROM pg_temp.live_tally t WHERE t.held
UNION ALL
SELECT 'closed_year', l.unit_code, l.year, l.title, l.province_code, l.file_id, l.first_line,
       pg_catalog.jsonb_build_object('year', l.year::text)
FROM pg_temp.live_lists l WHERE l.held
UNION ALL
SELECT 'closed_year', d.unit_code, d.year, NULL, d.province_code, d.file_id, d.line,
       pg_catalog.jsonb_build_object('year', d.year::text)
FROM pg_temp.live_fund d WHERE d.held;

-- Plausibility (docs/rules.md): values that parse and contradict nothing
-- else, yet cannot be right.  The bounds are ref.plausibility's, per rule
-- and level of unit; a level without a row is not looked at.

-- rate_above_100: no rate can be above 100%.  Written with a dot in a file
-- of Vietnamese numbers, 73.935 is read as 73935 ("." separates thousands):
-- the message names that reading.  The row's counts may be misread alike,
-- so this is an error, the value kept out.
INSERT INTO pg_temp.raw_findings
SELECT 'rate_above_100', f.unit_code, f.year, f.title, f.province_code,
       f.tally_file_id, f.tally_line,
       pg_catalog.jsonb_build_object(
           'reported', pg_catalog.replace(f.reported_rate::text, '.', ','),
           'reading',
           CASE WHEN pg_catalog.scale(f.reported_rate) = 0 AND f.reported_rate >= 1000
                     AND f.reported_rate <= 100000
                     AND tf.kind <> 'json' AND coalesce(tf.number_style, 'vi') = 'vi'
                THEN ': a misplaced decimal mark? "' || w.dotted || '" reads as '
                     || f.reported_rate::text || ' in Vietnamese numbers, where "." separates '
                     || 'thousands; for ' || w.dotted || '% write "'
                     || pg_catalog.replace(w.dotted, '.', ',')
                     || '", or declare the file English-style (--numbers=en)'
                ELSE ': no rate can be' END)
FROM pg_temp.pair_facts f
LEFT JOIN staging.files tf ON tf.file_id = f.tally_file_id
CROSS JOIN LATERAL (
	SELECT pg_catalog.to_char(f.reported_rate / 1000, 'FM990.000') AS dotted
) w
WHERE f.reported_rate > 100;

-- fund_above_ceiling: a fund amount above its level's hard ceiling.
INSERT INTO pg_temp.raw_findings
SELECT 'fund_above_ceiling', d.unit_code, d.year, NULL, d.province_code, d.file_id, d.line,
       pg_catalog.jsonb_build_object(
           'amount', core.fmt_int(d.mobilized_vnd),
           'million', pg_catalog.rtrim(pg_catalog.to_char(d.mobilized_vnd::numeric / 1000000,
                                                          'FM999,999,999,999,990.999999'), '.'),
           'ceiling', core.fmt_int(b.high::bigint),
           'level', d.unit_level)
FROM core.funds d
JOIN pg_temp.pairs p ON p.province_code = d.province_code AND p.year = d.year
JOIN ref.plausibility b ON b.rule = 'fund_above_ceiling' AND b.level = d.unit_level
WHERE d.mobilized_vnd > b.high;

-- fund_per_household: the amount per household of the unit, its households
-- being its eligible family households that year, else the latest count of
-- ref.households up to that year.  An amount of 0 (nothing mobilised) and
-- one above the ceiling (an error already) are not looked at.
INSERT INTO pg_temp.raw_findings
SELECT 'fund_per_household', d.unit_code, d.year, NULL, d.province_code, d.file_id, d.line,
       pg_catalog.jsonb_build_object(
           'amount', core.fmt_int(d.mobilized_vnd),
           'households', core.fmt_int(h.households),
           'households_from', h.source,
           'per_household', core.fmt_int(pg_catalog.round(d.mobilized_vnd::numeric
                                                          / h.households)::bigint),
           'low', coalesce(core.fmt_int(b.low::bigint), '0'),
           'high', coalesce(core.fmt_int(b.high::bigint), 'any'))
FROM core.funds d
JOIN pg_temp.pairs p ON p.province_code = d.province_code AND p.year = d.year
JOIN ref.plausibility b ON b.rule = 'fund_per_household' AND b.level = d.unit_level
LEFT JOIN ref.plausibility c ON c.rule = 'fund_above_ceiling' AND c.level = d.unit_level
LEFT JOIN pg_temp.pair_facts f ON f.unit_code = d.unit_code AND f.year = d.year
                              AND f.title = 'family'
-- ref.households is looked up only for a unit without eligible family
-- households, and the file named only in a finding: most of the funds are
-- neither.
LEFT JOIN LATERAL (
	SELECT x.year, x.households, x.source
	FROM ref.households x
	WHERE x.unit_code = d.unit_code AND x.year <= d.year
	  AND NOT coalesce(f.eligible > 0, false)
	ORDER BY x.year DESC LIMIT 1
) k ON true
CROSS JOIN LATERAL (
	SELECT CASE WHEN f.eligible > 0 THEN f.eligible ELSE k.households END AS households,
	       CASE WHEN f.eligible > 0
	            THEN 'eligible family households, '
	                 || (SELECT ef.name FROM staging.files ef
	                     WHERE ef.file_id = f.eligible_file_id)
	                 || ':' || f.eligible_line
	            ELSE 'households of ' || k.year || ': ' || k.source END AS source
) h
WHERE d.mobilized_vnd > 0 AND h.households > 0
  AND (c.high IS NULL OR d.mobilized_vnd <= c.high)
  AND (d.mobilized_vnd::numeric / h.households < b.low
       OR d.mobilized_vnd::numeric / h.households > b.high);

-- eligible_above_households: eligible households (title family) above the
-- unit's households known for that year or the latest year before it,
-- beyond the margin (high is a ratio: 1.10 allows 10% more).
INSERT INTO pg_temp.raw_findings
SELECT 'eligible_above_households', f.unit_code, f.year, f.title, f.province_code,
       f.eligible_file_id, f.eligible_line,
       pg_catalog.jsonb_build_object(
           'eligible', core.fmt_int(f.eligible),
           'households', core.fmt_int(k.households),
           'households_year', k.year::text,
           'source', k.source,
           'margin', pg_catalog.trim_scale(pg_catalog.round((b.high - 1) * 100, 2))::text || '%')
FROM pg_temp.pair_facts f
JOIN ref.plausibility b ON b.rule = 'eligible_above_households' AND b.level = f.unit_level
JOIN LATERAL (
	SELECT x.year, x.households, x.source
	FROM ref.households x
	WHERE x.unit_code = f.unit_code AND x.year <= f.year
	ORDER BY x.year DESC LIMIT 1
) k ON true
WHERE f.title = 'family' AND f.eligible > k.households * b.high;

ANALYZE pg_temp.raw_findings;

-- Exclusions: 'error' findings keep the value out (the unit does not report).
-- They are facts of the pairs, so pair_facts is updated alike: 60_rollup
-- reads the included facts from it.
CREATE TEMP TABLE exclusions ON COMMIT DROP AS
SELECT a.unit_code, a.year, a.title, string_agg(DISTINCT a.code, ',' ORDER BY a.code) AS codes
FROM pg_temp.raw_findings a
JOIN core.rules r ON r.code = a.code
WHERE r.severity = 'error' AND a.title IS NOT NULL
GROUP BY a.unit_code, a.year, a.title;
ANALYZE pg_temp.exclusions;

UPDATE core.facts f
SET included = false, excluded_by = x.codes
FROM pg_temp.exclusions x
WHERE f.unit_code = x.unit_code AND f.year = x.year AND f.title = x.title;

UPDATE pg_temp.pair_facts f
SET included = false, excluded_by = x.codes
FROM pg_temp.exclusions x
WHERE f.unit_code = x.unit_code AND f.year = x.year AND f.title = x.title
  -- on --full pair_facts is core.facts, just updated
  AND (SELECT c.mode FROM pg_temp.run_ctx c) <> 'full';

UPDATE core.funds f
SET included = false, excluded_by = x.codes
FROM (
	SELECT a.unit_code, a.year, string_agg(DISTINCT a.code, ',' ORDER BY a.code) AS codes
	FROM pg_temp.raw_findings a
	JOIN core.rules r ON r.code = a.code
	WHERE r.severity = 'error' AND a.title IS NULL
	GROUP BY a.unit_code, a.year
) x
WHERE f.unit_code = x.unit_code AND f.year = x.year;
