-- Replace the units with pg_temp.new_units, new_periods and new_lineage
-- (checked by hoctap-ingest before): units gone are deleted (their periods
-- and pairs with them), the others inserted or updated in place, so that
-- references to unchanged codes never break.  Only rows that differ are
-- written: a reload of the same lists (--units builtin each upgrade) then
-- costs no foreign-key check, which is most of the time of a full write.
DELETE FROM ref.units AS u
WHERE NOT EXISTS (SELECT FROM pg_temp.new_units AS n WHERE n.code = u.code);

INSERT INTO ref.units (code, name, level, parent_code, valid_from, valid_to,
                       successor_code, province_code, district_code, unit_type)
SELECT code, name, level, parent_code, valid_from, valid_to,
       successor_code, province_code, district_code, unit_type
FROM pg_temp.new_units
ON CONFLICT (code) DO UPDATE
SET name = EXCLUDED.name,
    level = EXCLUDED.level,
    parent_code = EXCLUDED.parent_code,
    valid_from = EXCLUDED.valid_from,
    valid_to = EXCLUDED.valid_to,
    successor_code = EXCLUDED.successor_code,
    province_code = EXCLUDED.province_code,
    district_code = EXCLUDED.district_code,
    unit_type = EXCLUDED.unit_type
WHERE (ref.units.name, ref.units.level, ref.units.parent_code, ref.units.valid_from,
       ref.units.valid_to, ref.units.successor_code, ref.units.province_code,
       ref.units.district_code, ref.units.unit_type)
      IS DISTINCT FROM
      (EXCLUDED.name, EXCLUDED.level, EXCLUDED.parent_code, EXCLUDED.valid_from,
       EXCLUDED.valid_to, EXCLUDED.successor_code, EXCLUDED.province_code,
       EXCLUDED.district_code, EXCLUDED.unit_type);

DELETE FROM ref.unit_periods AS p
WHERE NOT EXISTS (SELECT FROM pg_temp.new_periods AS n
                  WHERE n.code = p.code AND n.valid_from = p.valid_from
                    AND (n.*) IS NOT DISTINCT FROM (p.*));
INSERT INTO ref.unit_periods
SELECT n.* FROM pg_temp.new_periods AS n
WHERE NOT EXISTS (SELECT FROM ref.unit_periods AS p
                  WHERE p.code = n.code AND p.valid_from = n.valid_from);

DELETE FROM ref.unit_lineage AS l
WHERE NOT EXISTS (SELECT FROM pg_temp.new_lineage AS n
                  WHERE n.old_code = l.old_code AND n.new_code = l.new_code
                    AND n.effective = l.effective AND (n.*) IS NOT DISTINCT FROM (l.*));
INSERT INTO ref.unit_lineage
SELECT n.* FROM pg_temp.new_lineage AS n
WHERE NOT EXISTS (SELECT FROM ref.unit_lineage AS l
                  WHERE l.old_code = n.old_code AND l.new_code = n.new_code
                    AND l.effective = n.effective);
