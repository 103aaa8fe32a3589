#!/usr/bin/python3
"""Dump a workbook hoctap-report wrote, one line per fact, for the tests.

usage: dump_xlsx.py FILE.xlsx

  sheets: NAME|NAME|...
  NAME!freeze=A2 filter=A1:T15
  NAME!A1=<type>:<value> [<number format>] {<comment>}

type is n (number, repr of the float), s (text) or b (boolean); empty
cells are left out.  Reads with openpyxl (Debian's python3-openpyxl), an
implementation independent of libxlsxwriter.
"""
import sys

import openpyxl


def main():
    wb = openpyxl.load_workbook(sys.argv[1])
    print("sheets: " + "|".join(wb.sheetnames))
    for ws in wb.worksheets:
        print("%s!freeze=%s filter=%s" % (ws.title, ws.freeze_panes, ws.auto_filter.ref))
        for row in ws.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                if isinstance(c.value, bool):
                    v = "b:%s" % c.value
                elif isinstance(c.value, (int, float)):
                    v = "n:%r" % c.value
                else:
                    v = "s:%s" % c.value
                extra = " [%s]" % c.number_format if c.number_format != "General" else ""
                if c.comment is not None:
                    extra += " {%s}" % c.comment.text.strip()
                print("%s!%s=%s%s" % (ws.title, c.coordinate, v, extra))
    return 0


if __name__ == "__main__":
    sys.exit(main())
