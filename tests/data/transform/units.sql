-- Reference units for the transform tests: Bình Thuận (60) with two
-- districts and five communes (one merged away at the end of 2019), and
-- Hà Tĩnh (42), which reports only province-level tallies.
INSERT INTO ref.units (code, name, level, parent_code, valid_from, valid_to, successor_code,
                       province_code, district_code) VALUES
	('60', 'Tỉnh Bình Thuận', 'province', NULL, NULL, NULL, NULL, '60', NULL),
	('595', 'Huyện Tuy Phong', 'district', '60', NULL, NULL, NULL, '60', '595'),
	('596', 'Huyện Bắc Bình', 'district', '60', NULL, NULL, NULL, '60', '596'),
	('22246', 'Thị trấn Liên Hương', 'commune', '595', NULL, NULL, NULL, '60', '595'),
	('22249', 'Xã Phước Thể', 'commune', '595', NULL, NULL, NULL, '60', '595'),
	('22252', 'Xã Chí Công', 'commune', '595', NULL, NULL, NULL, '60', '595'),
	('22255', 'Xã Bình Thạnh', 'commune', '596', NULL, NULL, NULL, '60', '596'),
	('22258', 'Xã Hải Ninh', 'commune', '596', NULL, '2019-12-31', '22255', '60', '596'),
	('42', 'Tỉnh Hà Tĩnh', 'province', NULL, NULL, NULL, NULL, '42', NULL);
