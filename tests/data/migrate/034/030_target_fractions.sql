-- 030: a target's actual rate is kept with its exact numerator and
-- denominator (DESIGN.md §6: every rate beside them).
--
-- targets.csv took them from mart.rates, which has province and district
-- rows only: a commune's target, whose actual rate comes from the commune's
-- own fact, printed a rate with nothing beside it, and the report's
-- recheck before publishing could not check it.  The transform now writes
-- them (sql/transform/70_publish.sql); rows written before are filled here
-- the same way.

ALTER TABLE mart.targets
	ADD COLUMN numerator bigint,
	ADD COLUMN denominator bigint;

UPDATE mart.targets AS t
SET numerator = v.num, denominator = v.den
FROM (
	SELECT t2.scope_code, t2.title, t2.year,
	       CASE WHEN t2.scope_level = 'commune' THEN f.recognized
	            WHEN h.headline = 'eligible' THEN r.rate_eligible_num
	            ELSE r.rate_registered_num END AS num,
	       CASE WHEN t2.scope_level = 'commune' AND h.headline = 'eligible' THEN f.eligible
	            WHEN t2.scope_level = 'commune' THEN f.registered
	            WHEN h.headline = 'eligible' THEN r.rate_eligible_den
	            ELSE r.rate_registered_den END AS den
	FROM mart.targets AS t2
	JOIN ref.titles AS h ON h.key = t2.title
	LEFT JOIN mart.rates AS r
	       ON r.scope_code = t2.scope_code AND r.year = t2.year AND r.title = t2.title
	LEFT JOIN core.facts AS f
	       ON f.unit_code = t2.scope_code AND f.year = t2.year AND f.title = t2.title
	      AND f.included
) AS v
WHERE v.scope_code = t.scope_code AND v.title = t.title AND v.year = t.year;
