-- Marts of a small Hà Tĩnh (42) for the hoctap-report tests, inserted as
-- the transform would leave them.  Figures: the province's learning
-- families went from 179,701 (2016) to 309,845 (2020) recognised, +130,144;
-- Thị xã Hồng Lĩnh (437) has the published 70.68% = 5,557 / 7,862.
-- District 438 ended in 2019 and was merged into 445 (mart.successors).

INSERT INTO mart.rates (scope_level, scope_code, scope_name, province_code, year, title,
                        eligible, registered, recognized, exemplary,
                        rate_eligible, rate_eligible_num, rate_eligible_den,
                        rate_registered, rate_registered_num, rate_registered_den,
                        units_reporting, units_expected, source_level) VALUES
('province', '42', 'Tỉnh Hà Tĩnh', '42', 2016, 'family', 420000, 200000, 179701, 1500,
 42.79, 179701, 420000, 89.85, 179701, 200000, 4, 4, 'commune'),
('province', '42', 'Tỉnh Hà Tĩnh', '42', 2020, 'family', 438400, 377500, 309845, 2100,
 70.68, 309845, 438400, 82.08, 309845, 377500, 3, 4, 'commune'),
('district', '437', 'Thị xã Hồng Lĩnh', '42', 2020, 'family', 7862, 7500, 5557, 20,
 70.68, 5557, 7862, 74.09, 5557, 7500, 1, 1, 'commune'),
('district', '437', 'Thị xã Hồng Lĩnh', '42', 2020, 'clan', NULL, 0, 0, NULL,
 NULL, NULL, NULL, NULL, 0, 0, 1, 1, 'commune'),
('district', '436', 'Thành phố Hà Tĩnh', '42', 2020, 'family', 130538, 120000, 100288, 80,
 76.83, 100288, 130538, 83.57, 100288, 120000, 1, 1, 'commune'),
('district', '436', 'Thành phố Hà Tĩnh', '42', 2016, 'community', 40000, 30000, 20000, NULL,
 50.00, 20000, 40000, 66.67, 20000, 30000, 1, 1, 'commune'),
('district', '436', 'Thành phố Hà Tĩnh', '42', 2020, 'community', 40000, 30000, 20001, NULL,
 50.00, 20001, 40000, 66.67, 20001, 30000, 1, 1, 'commune'),
('district', '445', 'Huyện Thạch Hà', '42', 2016, 'family', 250000, 200000, 150000, 700,
 60.00, 150000, 250000, 75.00, 150000, 200000, 2, 2, 'commune'),
('district', '445', 'Huyện Thạch Hà', '42', 2020, 'family', 300000, 250000, 204000, 2000,
 68.00, 204000, 300000, 81.60, 204000, 250000, 1, 2, 'commune'),
('district', '445', 'Huyện Thạch Hà', '42', 2016, 'community', 40000, 30000, 20000, NULL,
 50.00, 20000, 40000, 66.67, 20000, 30000, 2, 2, 'commune'),
('district', '445', 'Huyện Thạch Hà', '42', 2020, 'community', 40000, 30000, 19999, NULL,
 50.00, 19999, 40000, 66.66, 19999, 30000, 1, 2, 'commune'),
('district', '445', 'Huyện Thạch Hà', '42', 2020, 'unit', NULL, 1000, 1, NULL,
 NULL, NULL, NULL, 0.10, 1, 1000, 1, 2, 'commune'),
('district', '438', 'Huyện Can Lộc cũ', '42', 2016, 'family', 2000, 1500, 1000, 5,
 50.00, 1000, 2000, 66.67, 1000, 1500, 1, 1, 'commune'),
('district', '449', 'Thị xã Kỳ Anh', '42', 2020, 'family', 0, 10, 5, 0,
 NULL, 5, 0, 50.00, 5, 10, 1, 1, 'commune');

INSERT INTO mart.successors (unit_code, unit_level, valid_to, successor_code, successor_name,
                             successor_level)
VALUES ('438', 'district', '2019-12-31', '445', 'Huyện Thạch Hà', 'district');

INSERT INTO mart.funds (scope_level, scope_code, scope_name, province_code, year,
                        mobilized_vnd, cumulative_vnd, scholarships, scholarship_vnd,
                        units_reporting) VALUES
('province', '42', 'Tỉnh Hà Tĩnh', '42', 2016, 1, 1, 3, 3000000, 1),
('province', '42', 'Tỉnh Hà Tĩnh', '42', 2020, 346458000000, 346458000001, 1200, 950000000, 3),
('district', '436', 'Thành phố Hà Tĩnh', '42', 2020, 150500000, 150500000, NULL, NULL, 1);

INSERT INTO mart.completeness (scope_level, scope_code, scope_name, province_code, year,
                               units_expected, units_reporting, percent, missing) VALUES
('province', '42', 'Tỉnh Hà Tĩnh', '42', 2020, 4, 3, 75.00, '{18109}'),
('district', '445', 'Huyện Thạch Hà', '42', 2020, 2, 1, 50.00, '{18109}'),
('district', '437', 'Thị xã Hồng Lĩnh', '42', 2020, 1, 1, 100.00, '{}'),
('district', '449', 'Thị xã Kỳ Anh', '42', 2020, 0, 0, NULL, '{}');

INSERT INTO mart.targets (scope_level, scope_code, scope_name, province_code, title, year,
                          target_percent, actual_percent, gap_pp, met, numerator,
                          denominator, source, provisional) VALUES
('province', '42', 'Tỉnh Hà Tĩnh', '42', 'family', 2020, 70.00, 70.68, 0.68, true, 309845, 438400,
 '281/QĐ-TTg', true),
('district', '437', 'Thị xã Hồng Lĩnh', '42', 'clan', 2020, 40.00, NULL, NULL, NULL, 0, 0,
 'targets.csv', false),
('district', '445', 'Huyện Thạch Hà', '42', 'unit', 2020, 30.00, 0.10, -29.90, false, 1, 1000,
 'targets.csv', true);

-- Which scope years are provisional (fewer units reporting than expected);
-- 436's 2016 is not known (no row).
INSERT INTO mart.scope_years (scope_level, scope_code, province_code, year, units_expected,
                              units_reporting, provisional) VALUES
('province', '42', '42', 2016, 4, 4, false),
('province', '42', '42', 2020, 4, 3, true),
('district', '437', '42', 2020, 1, 1, false),
('district', '436', '42', 2020, 1, 1, false),
('district', '445', '42', 2016, 2, 2, false),
('district', '445', '42', 2020, 2, 1, true),
('district', '438', '42', 2016, 1, 1, false),
('district', '449', '42', 2020, 0, 0, false);

INSERT INTO mart.findings (code, severity, unit_code, year, title, message, file, line,
                           province_code) VALUES
('reported_rate_mismatch', 'warning', '18070', 2020, 'family',
 'Phường Trần Phú, 2020, family: reported 37,28% but 5557 / 7862 is 70.68%',
 'inbox/437_2020.csv', 3, '42'),
('invariant_recognized_registered', 'error', '18109', 2020, 'family',
 'Xã Thạch Trị, 2020, family: recognized 1200 exceeds registered 900 ("đạt" > "đăng ký")',
 'inbox/445_2020.csv', 7, '42'),
('invalid_unit_code', 'error', '18999', 2016, NULL,
 'unit 18999 was no longer valid in 2016', 'inbox/old.csv', 2, '42');

INSERT INTO mart.facts (unit_code, unit_name, unit_level, district_code, province_code, year,
                        title, eligible, registered, recognized, exemplary, counts_source,
                        eligible_file, eligible_line, counts_file, counts_line, included,
                        excluded_by) VALUES
('18070', 'Phường Trần Phú', 'commune', '437', '42', 2020, 'family', 7862, 7500, 5557, 20,
 'tally', 'inbox/437_2020.csv', 3, 'inbox/437_2020.csv', 3, true, NULL),
('18073', 'Phường Hà Huy Tập', 'commune', '436', '42', 2020, 'family', 130538, 120000, 100288,
 80, 'register', 'inbox/436_2020.csv', 4, 'inbox/register_18073_2020.csv', 2, true, NULL),
('18100', 'Xã Thạch Hạ', 'commune', '445', '42', 2020, 'family', 300000, 250000, 204000, 2000,
 'tally', 'inbox/445_2020.csv', 5, 'inbox/445_2020.csv', 5, true, NULL),
('18109', 'Xã Thạch Trị', 'commune', '445', '42', 2020, 'family', 1000, 900, 1200, NULL,
 'tally', 'inbox/445_2020.csv', 7, 'inbox/445_2020.csv', 7, false,
 'invariant_recognized_registered');

INSERT INTO mart.fund_facts (unit_code, unit_name, unit_level, district_code, province_code,
                             year, mobilized_vnd, scholarships, scholarship_vnd, amount_file,
                             amount_line, scholarship_file, scholarship_line, included,
                             excluded_by) VALUES
('18070', 'Phường Trần Phú', 'commune', '437', '42', 2020, 346000000000, 1000, 800000000,
 'inbox/437_quy_2020.csv', 3, 'inbox/437_quy_2020.csv', 3, true, NULL),
('18073', 'Phường Hà Huy Tập', 'commune', '436', '42', 2020, 150500000, NULL, NULL,
 'inbox/436_quy_2020.csv', 2, NULL, NULL, true, NULL),
('18100', 'Xã Thạch Hạ', 'commune', '445', '42', 2020, 307500000, 200, 150000000,
 'inbox/445_quy_2020.csv', 4, 'inbox/445_hocbong_2020.csv', 2, true, NULL),
('445', 'Huyện Thạch Hà', 'district', '445', '42', 2020, 500000000, NULL, NULL,
 'inbox/445_huyen_2020.csv', 2, NULL, NULL, false, 'cross_check');

INSERT INTO mart.inputs (file_id, name, sha256, size_bytes, status, ingested_at) VALUES
(1, 'inbox/437_2020.csv', 'aa1f0a4bd3e4b0b0ab7fb2b7e3dd6c5e36e4fc3b6a0b1dfb4f83c2bb1f6a1c01',
 812, 'loaded', '2026-11-22 18:00:00+00'),
(2, 'inbox/445_2020.csv', 'bb2f0a4bd3e4b0b0ab7fb2b7e3dd6c5e36e4fc3b6a0b1dfb4f83c2bb1f6a1c02',
 1490, 'partial', '2026-11-22 18:05:00+07');

INSERT INTO mart.status (transformed_at, data_as_of, run_id)
VALUES ('2026-11-22 23:00:00+00', '2026-11-22 18:00:00+00', 7);
