-- Replace ref.units with pg_temp.new_units (checked by hoctap-ingest before):
-- units gone are deleted, the others inserted or updated in place, so that
-- references to unchanged codes never break.
DELETE FROM ref.units AS u
WHERE NOT EXISTS (SELECT FROM pg_temp.new_units AS n WHERE n.code = u.code);

INSERT INTO ref.units (code, name, level, parent_code, valid_from, valid_to,
                       successor_code, province_code, district_code)
SELECT code, name, level, parent_code, valid_from, valid_to,
       successor_code, province_code, district_code
FROM pg_temp.new_units
ON CONFLICT (code) DO UPDATE
SET name = EXCLUDED.name,
    level = EXCLUDED.level,
    parent_code = EXCLUDED.parent_code,
    valid_from = EXCLUDED.valid_from,
    valid_to = EXCLUDED.valid_to,
    successor_code = EXCLUDED.successor_code,
    province_code = EXCLUDED.province_code,
    district_code = EXCLUDED.district_code;
