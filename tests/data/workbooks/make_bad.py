#!/usr/bin/python3
# make_bad.py — writes the bad workbooks of tests/bad/ (wb_*.xlsx, wb_*.xlsm
# and the encrypted one), each a case of tests/bad/EXPECTED.tsv, with the
# standard library only.  Not run by the suite (the files are committed,
# each a few KB); run it by hand to remake them:
#   python3 tests/data/workbooks/make_bad.py tests/bad
import os
import struct
import sys
import zipfile

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PNS = "http://schemas.openxmlformats.org/package/2006/relationships"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="%s">'
             '<Relationship Id="rId1" Type="%sofficeDocument" Target="xl/workbook.xml"/>'
             '</Relationships>' % (PNS, RT))


def header_row(n=1):
    names = ["Năm", "Mã đơn vị", "Danh hiệu", "Tổng số", "Được công nhận", "Ghi chú"]
    cells = "".join('<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>' % (chr(65 + i), n, v)
                    for i, v in enumerate(names))
    return '<row r="%d">%s</row>' % (n, cells)


def data_row(n, note=""):
    return ('<row r="%d"><c r="A%d"><v>2016</v></c><c r="B%d"><v>22915</v></c>'
            '<c r="C%d" t="inlineStr"><is><t>Gia đình học tập</t></is></c>'
            '<c r="D%d"><v>100</v></c><c r="E%d"><v>80</v></c>%s</row>'
            % (n, n, n, n, n, n, note))


def workbook(path, sheet_xml, sheet_type="worksheet", extra=()):
    wb = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="%s" xmlns:r="%s"><sheets>'
          '<sheet name="Báo cáo" sheetId="1" r:id="rId1"/></sheets></workbook>' % (NS, RNS))
    folder = "worksheets" if sheet_type == "worksheet" else "macrosheets"
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="%s">'
            '<Relationship Id="rId1" Type="%s%s" Target="%s/sheet1.xml"/></Relationships>'
            % (PNS, RT, sheet_type, folder))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", wb)
        z.writestr("xl/_rels/workbook.xml.rels", rels)
        z.writestr("xl/%s/sheet1.xml" % folder, sheet_xml)
        for name, data in extra:
            z.writestr(name, data)


def sheet(rows, prolog=""):
    return ('<?xml version="1.0" encoding="UTF-8"?>%s<worksheet xmlns="%s"><sheetData>%s'
            '</sheetData></worksheet>' % (prolog, NS, rows))


def cfb_encrypted(path):
    """An Office encrypted package: a compound file holding the streams
    EncryptionInfo and EncryptedPackage (their contents are filler: the
    reader refuses the file by the first name)."""
    sec = 512
    free, end, fatsect = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    # sector 0 FAT, 1 directory, 2-9 EncryptionInfo, 10-17 EncryptedPackage
    fat = [fatsect, end] + list(range(3, 10)) + [end] + list(range(11, 18)) + [end]
    fat += [free] * (sec // 4 - len(fat))
    header = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + bytes(16)
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", free) * 108

    def entry(name, kind, left, right, child, start, size):
        n = (name + "\0").encode("utf-16-le")
        return (n.ljust(64, b"\0") + struct.pack("<HBB", len(n), kind, 1)
                + struct.pack("<III", left, right, child) + bytes(16) + bytes(4) + bytes(16)
                + struct.pack("<IIi", start, size, 0))

    nostream = 0xFFFFFFFF
    directory = (entry("Root Entry", 5, nostream, nostream, 1, end, 0)
                 + entry("EncryptionInfo", 2, nostream, 2, nostream, 2, 4096)
                 + entry("EncryptedPackage", 2, nostream, nostream, nostream, 10, 4096)
                 + bytes(128))
    with open(path, "wb") as f:
        f.write(header + struct.pack("<%dI" % len(fat), *fat) + directory)
        f.write(b"\x04\x00\x04\x00" + bytes(4092))
        f.write(bytes(4096))


def main(out):
    def p(name):
        return os.path.join(out, name)

    cfb_encrypted(p("wb_encrypted.xlsx"))
    # a macro-enabled workbook whose one sheet is a macro sheet
    workbook(p("wb_macro_only.xlsm"), sheet(header_row()), "macrosheet",
             [("xl/vbaProject.bin", b"\0" * 64)])
    # 20 MiB of blanks after the header row deflate about 1000 to 1
    workbook(p("wb_zip_bomb.xlsx"),
             sheet(header_row() + data_row(2) + " " * (20 << 20)))
    # billion laughs: a DTD with entities, never expanded
    lol = ('<!DOCTYPE worksheet [<!ENTITY lol "lol">'
           + "".join('<!ENTITY lol%d "%s">' % (i, ("&lol%s;" % (i - 1 if i > 1 else "")) * 10)
                     for i in range(1, 10)) + "]>")
    workbook(p("wb_xml_bomb.xlsx"),
             sheet(header_row() + data_row(2, '<c r="F2" t="inlineStr"><is><t>&lol9;</t></is></c>'),
                   lol))
    # a cell past Excel's last column, XFD
    workbook(p("wb_past_last_column.xlsx"),
             sheet(header_row() + data_row(2) + '<row r="3"><c r="XFE3"><v>1</v></c></row>'))
    # a row past Excel's last row, 1048576
    workbook(p("wb_past_last_row.xlsx"),
             sheet(header_row() + data_row(2) + '<row r="1048577"><c r="A1048577"><v>1</v></c></row>'))
    # a note of 1,000,000 bytes in row 3, between two good rows
    workbook(p("wb_cell_1mb.xlsx"),
             sheet(header_row() + data_row(2)
                   + data_row(3, '<c r="F3" t="inlineStr"><is><t>%s</t></is></c>' % ("x" * 1000000))
                   + data_row(4).replace("22915", "22936")))
    # no sheet with a header: a cover page only
    workbook(p("wb_no_header.xlsx"),
             sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>BÁO CÁO</t></is></c></row>'))
    with open(p("wb_not_a_workbook.xlsx"), "w", encoding="utf-8") as f:
        f.write("year,unit_code,title,eligible\n2016,22915,family,100\n")


if __name__ == "__main__":
    main(sys.argv[1])
