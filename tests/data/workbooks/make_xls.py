#!/usr/bin/python3
# make_xls.py — writes clerk.xls, the Excel 97-2003 fixture of
# tests/unit/test_xls.c, with Debian's python3-xlwt.  Not run by the suite
# (the .xls is committed); run it by hand to remake the fixture:
#   /usr/bin/python3 tests/data/workbooks/make_xls.py tests/data/workbooks/clerk.xls
import datetime
import sys

import xlwt

wb = xlwt.Workbook(encoding="utf-8")
cover = wb.add_sheet("Bìa")
cover.write(0, 0, "Trang bìa")

rep = wb.add_sheet("Báo cáo")
rep.write_merge(0, 0, 0, 5, "BÁO CÁO KẾT QUẢ NĂM 2019")
rep.write(1, 0, "Xã Đại Phước")
# a two-row header: A3:A4, B3:B4, C3:C4 down; D3:E3 across over its names
rep.write_merge(2, 3, 0, 0, "Năm")
rep.write_merge(2, 3, 1, 1, "Mã đơn vị")
rep.write_merge(2, 3, 2, 2, "Danh hiệu")
rep.write_merge(2, 2, 3, 4, "Số hộ")
rep.write(3, 3, "Đăng ký")
rep.write(3, 4, "Công nhận")
rep.write_merge(2, 3, 5, 5, "Ngày nộp")
date = xlwt.easyxf(num_format_str="dd/mm/yyyy")
rep.write(4, 0, 2019)
rep.write(4, 1, 22915)
rep.write(4, 2, "Gia đình học tập")
rep.write(4, 3, 7105)
rep.write(4, 4, 37.28)
rep.write(4, 5, datetime.date(2020, 1, 15), date)
rep.write(6, 0, 2019)
rep.write(6, 1, "  Thôn 3  ")
rep.write(6, 2, True)
rep.write(6, 3, xlwt.Formula("D5+1"))
wb.save(sys.argv[1])
