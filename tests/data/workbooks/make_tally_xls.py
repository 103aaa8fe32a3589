#!/usr/bin/python3
# make_tally_xls.py — writes tally.xls, a commune's tally as an Excel
# 97-2003 workbook (title rows, a two-row header under merged cells, typed
# figures), the .xls twin of tests/integration/test_ingest_workbooks.c,
# with Debian's python3-xlwt.  Not run by the suite (the .xls is
# committed); run it by hand to remake the fixture:
#   /usr/bin/python3 tests/data/workbooks/make_tally_xls.py tests/data/workbooks/tally.xls
import sys

import xlwt

wb = xlwt.Workbook(encoding="utf-8")
rep = wb.add_sheet("Báo cáo")
rep.write_merge(0, 0, 0, 6, "BÁO CÁO KẾT QUẢ XÂY DỰNG XÃ HỘI HỌC TẬP NĂM 2020")
rep.write(1, 0, "Phường Trúc Bạch")
rep.write_merge(2, 3, 0, 0, "Năm")
rep.write_merge(2, 3, 1, 1, "Mã đơn vị")
rep.write_merge(2, 3, 2, 2, "Danh hiệu")
rep.write_merge(2, 2, 3, 5, "Số hộ")
rep.write(3, 3, "Tổng số")
rep.write(3, 4, "Đăng ký")
rep.write(3, 5, "Công nhận")
rep.write_merge(2, 3, 6, 6, "Tỷ lệ")
for r, row in enumerate([(2020, "00004", "Gia đình học tập", 7105, 6540, 2631, 37.03),
                         (2020, 7, "Dòng họ học tập", 12, 10, 8, 66.67)]):
    for c, v in enumerate(row):
        rep.write(4 + r, c, v)
wb.save(sys.argv[1])
