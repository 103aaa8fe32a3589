#!/usr/bin/env python3
"""Independent oracle for the hoctap samples.

Reads samples/units.csv, samples/targets.csv and samples/inbox/* and computes,
following docs/design.md §4–§6, what a correct pipeline must produce from them:
ingest results and rejects, findings, rates, completeness, funds, targets and
the 2016 vs 2020 comparison.  It shares no code with the C pipeline (Python 3
standard library only) and uses exact rational arithmetic throughout.

    python3 samples/expected.py              # writes EXPECTED.md to stdout
    python3 samples/expected.py --json       # the same figures as JSON, for tests

samples/EXPECTED.md is this script's output; regenerate it after changing a
sample file:  python3 samples/expected.py > samples/EXPECTED.md
"""
import codecs
import csv
import hashlib
import json
import os
import re
import sys
import unicodedata
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
INBOX = os.path.join(HERE, "inbox")
TITLES = ["family", "clan", "community", "commune", "unit", "citizen"]
HEADLINE = {"family": "eligible", "clan": "registered", "community": "eligible",
            "commune": "eligible", "unit": "registered", "citizen": "eligible"}
COUNTS = ["eligible", "registered", "recognized", "exemplary"]


# ------------------------------------------------------------------ text helpers
def fold(s):
    """Case- and diacritic-insensitive key: 'Mã đơn vị' -> 'ma don vi'."""
    s = s.replace("đ", "d").replace("Đ", "D")
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    s = re.sub(r"[\s_]+", " ", s.strip().lower())
    return s


COLUMN_ALIASES = {
    "year": ["year", "nam"],
    "unit_code": ["unit code", "ma don vi", "ma dv"],
    "title": ["title", "danh hieu"],
    "eligible": ["eligible", "tong so"],
    "registered": ["registered", "dang ky", "dang ki"],
    "recognized": ["recognized", "duoc cong nhan", "dat danh hieu"],
    "exemplary": ["exemplary", "tieu bieu"],
    "reported_rate": ["reported rate", "ty le", "ti le"],
    "submitted_at": ["submitted at", "ngay gui"],
    "note": ["note", "ghi chu"],
    "mobilized_vnd": ["mobilized vnd"],
    "mobilized_million_vnd": ["mobilized million vnd"],
    "scholarships": ["scholarships"],
    "scholarship_vnd": ["scholarship vnd"],
    "scholarship_million_vnd": ["scholarship million vnd"],
    "entity_id": ["entity id"],
    "village": ["village"],
    "entity_name": ["entity name"],
    "score": ["score"],
    "level": ["level", "muc do", "muc"],
    "group": ["group", "nhom doi tuong", "nhom"],
}
COLUMN_OF = {a: k for k, v in COLUMN_ALIASES.items() for a in v}

KIND_COLUMNS = {
    "tally": {"year", "unit_code", "title", "eligible", "registered", "recognized", "exemplary",
              "reported_rate", "submitted_at", "note", "level", "group"},
    "fund": {"year", "unit_code", "mobilized_vnd", "mobilized_million_vnd", "scholarships",
             "scholarship_vnd", "scholarship_million_vnd", "submitted_at"},
    "register": {"year", "unit_code", "title", "entity_id", "registered", "recognized", "village",
                 "entity_name", "score", "exemplary", "submitted_at"},
}

TITLE_ALIASES = {
    "family": ["family", "gia dinh hoc tap", "gia dinh hieu hoc"],
    "clan": ["clan", "dong ho hoc tap", "dong ho hieu hoc"],
    "community": ["community", "cong dong hoc tap", "cong dong hoc tap cap thon",
                  "cong dong hoc tap cap to dan pho", "cong dong hoc tap cap khu pho"],
    "commune": ["commune", "cong dong hoc tap cap xa"],
    "unit": ["unit", "don vi hoc tap"],
    "citizen": ["citizen", "cong dan hoc tap"],
}
TITLE_OF = {a: k for k, v in TITLE_ALIASES.items() for a in v}

# Recognition levels (Thông tư 25/2023/TT-BGDĐT: the commune-level learning
# community, levels 1 and 2) and the learning citizen's groups (677/QĐ-TTg).
LEVELS = {"commune": 2}
GROUPS = {"citizen": ["adult", "official"]}
GROUP_OF = {"adult": "adult", "nguoilon": "adult",
            "official": "official", "canbo": "official", "canbocongchuc": "official",
            "canbocongchucvienchuc": "official"}


def parse_level(text):
    """'Mức độ 2', 'muc do 2', '2' -> 2; None if it is not a level."""
    k = re.sub(r"[^a-z0-9]", "", fold(text))
    for prefix in ("mucdo", "muc", "level", ""):
        if k.startswith(prefix) and k[len(prefix):] in ("1", "2", "3", "4", "5", "6", "7", "8", "9"):
            return int(k[len(prefix):])
    return None


# The national targets, as the decisions write them (title, group, year, percent, source):
# 281/QĐ-TTg (20 Feb 2014) for 2020, 387/QĐ-TTg (25 Mar 2022) for 2025, 677/QĐ-TTg
# (3 Jun 2022) for the learning citizens' two groups.
NATIONAL = [
    ("family", None, 2020, 70, "281/QĐ-TTg"), ("clan", None, 2020, 50, "281/QĐ-TTg"),
    ("community", None, 2020, 60, "281/QĐ-TTg"), ("unit", None, 2020, 50, "281/QĐ-TTg"),
    ("family", None, 2025, 70, "387/QĐ-TTg"), ("clan", None, 2025, 65, "387/QĐ-TTg"),
    ("community", None, 2025, 65, "387/QĐ-TTg"), ("unit", None, 2025, 80, "387/QĐ-TTg"),
    ("citizen", "adult", 2025, 40, "677/QĐ-TTg"), ("citizen", "official", 2025, 60, "677/QĐ-TTg"),
    ("citizen", "adult", 2030, 60, "677/QĐ-TTg"), ("citizen", "official", 2030, 80, "677/QĐ-TTg"),
]

TRUE = {"1", "true", "yes", "x", "co", "dat"}
FALSE = {"0", "false", "no", "", "khong", "khong dat"}


class Bad(Exception):
    pass


def parse_number(text):
    """Vietnamese convention (DESIGN §4.2); returns a Fraction or raises Bad."""
    t = text.strip()
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", t):          # 7.105   346.458   1.250,5
        ip, _, fp = t.partition(",")
        return Fraction(ip.replace(".", "") + ("." + fp if fp else ""))
    if re.fullmatch(r"\d+,\d{3}", t):                          # 1,213: 1.213 or 1213?
        raise Bad("ambiguous")
    if re.fullmatch(r"\d+(,\d+)?", t):                         # 37,28   80
        return Fraction(t.replace(",", "."))
    if re.fullmatch(r"\d*\.\d+", t) and not re.fullmatch(r"\d{1,3}\.\d{3}", t):  # 37.28  0.5
        return Fraction(t)
    raise Bad("not a number")


def decimals_written(text):
    t = text.strip()
    if "," in t:
        return len(t.split(",")[1])
    if re.fullmatch(r"\d*\.\d+", t) and not re.fullmatch(r"\d{1,3}(\.\d{3})+", t):
        return len(t.split(".")[1])
    return 0


def r2(fr):
    """Round half away from zero to 2 decimals; returns a string like '37.03'."""
    if fr is None:
        return None
    sign = -1 if fr < 0 else 1
    a = abs(fr) * 100
    q = int(a + Fraction(1, 2))            # floor(a + 1/2) for a >= 0
    q *= sign
    s = "-" if q < 0 else ""
    q = abs(q)
    return f"{s}{q // 100}.{q % 100:02d}"


def pct(num, den):
    if num is None or den is None or den == 0:
        return None
    return Fraction(num * 100, den)


# ------------------------------------------------------------------ reference data
# The units are the official lists hoctap ships (ref/, read by `hoctap-ingest
# --migrate`): the 4 January 2025 list (63 provinces, their districts and
# communes, valid until 2025-06-30), the 1 July 2025 list (34 provinces and
# 3,321 communes from 2025-07-01) and the conversion table (new commune <-
# old commune, with a note saying how).  Read here with Python's csv module
# on their own terms; no code is shared with hoctap-ingest.
REF = os.path.join(HERE, os.pardir, "ref")
OLD_END, NEW_START = "2025-06-30", "2025-07-01"


def ref_rows(name):
    with open(os.path.join(REF, name), encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def move_kind(note):
    """whole / population / part, from the words of a conversion-table note."""
    k = fold(note)
    if "toan bo dan so" in k:
        return "population"
    if k.startswith("nhap mot phan") or k.startswith("phan con lai") or "tu mot phan" in k:
        return "part"
    if (k.startswith("nhap toan bo") or k.startswith("sap xep toan bo")
            or k in ("giu nguyen", "doi ten", "doi loai hinh")):
        return "whole"
    raise ValueError("a note the oracle cannot read: %r" % note)


def last_paren(s):
    m = re.search(r"\((\d+)\)\s*$", s.strip())
    return m.group(1) if m else None


class Units:
    """Periods of every code, lineage pairs and successors of both eras."""

    def __init__(self):
        self.periods = {}       # code -> [period dict], sorted by start (None first)
        self.successor = {}     # code -> the code that carries its figures on
        self.pairs = []         # dicts: old, new, kind, carries, approximate
        old = ref_rows("communes-2025-01-04.csv")
        hdr = old[0]
        ix = {h: i for i, h in enumerate(hdr)}
        provs, dists, comms = {}, {}, {}
        for r in old[1:]:
            p, d, c = r[ix["Mã TP"]].strip(), r[ix["Mã QH"]].strip(), r[ix["Mã PX"]].strip()
            provs.setdefault(p, r[ix["Tỉnh Thành Phố"]].strip())
            dists.setdefault(d, (r[ix["Quận Huyện"]].strip(), p))
            if c:
                comms.setdefault(c, (r[ix["Phường Xã"]].strip(), d))
        for p, n in provs.items():
            self.add(p, None, OLD_END, n, "province", None, p, None)
        for d, (n, p) in dists.items():
            self.add(d, None, OLD_END, n, "district", p, p, d)
        for c, (n, d) in comms.items():
            self.add(c, None, OLD_END, n, "commune", d, dists[d][1], d)
        new = ref_rows("communes-2025-07-01.csv")
        ix = {h: i for i, h in enumerate(new[0])}
        new_prov = {}
        for r in new[1:]:
            p, c = r[ix["province_code"]].strip(), r[ix["commune_code"]].strip()
            if p not in new_prov:
                new_prov[p] = True
                self.add(p, NEW_START, None, r[ix["province_name"]].strip(), "province", None, p,
                         None)
            self.add(c, NEW_START, None, r[ix["commune_name"]].strip(), "commune", p, p, None)
        self.new_commune_province = {r[ix["commune_code"]].strip(): r[ix["province_code"]].strip()
                                     for r in new[1:]}
        # The conversion table: two title rows, province banners, then pairs.
        by_old = {}
        for r in ref_rows("units-2025-old-to-new.csv")[2:]:
            newc, oldc, note = r[2].strip(), r[4].strip(), r[5]
            if not newc:
                continue
            if not oldc:
                # "Sắp xếp toàn bộ huyện Côn Đảo thành đặc khu Côn Đảo": the district column
                if fold(note).startswith("sap xep toan bo huyen"):
                    oldc = last_paren(r[6])
                if not oldc:
                    continue
            by_old.setdefault(oldc, []).append({"old": oldc, "new": newc, "kind": move_kind(note)})
        for oldc, ps in by_old.items():
            ps.sort(key=lambda p: p["new"])
            kinds = [p["kind"] for p in ps]
            if kinds == ["whole"]:
                ps[0]["carries"], exact = True, True
            elif "whole" not in kinds and kinds.count("population") == 1:
                exact = True
                for p in ps:
                    p["carries"] = p["kind"] == "population"
            else:
                exact = False
                kept = [p for p in ps if p["new"] == oldc]
                carrier = kept[0] if kept else ps[0]
                for p in ps:
                    p["carries"] = p is carrier
            for p in ps:
                p["approximate"] = not exact
                p.setdefault("carries", False)
            self.pairs += ps
            for p in ps:
                if p["carries"] and oldc in comms and p["new"] != oldc:
                    self.successor[oldc] = p["new"]
        # Old provinces and districts go where their units went.
        reach = {}
        for p in self.pairs:
            if p["old"] in comms:
                d = comms[p["old"]][1]
            elif p["old"] in dists:
                d = p["old"]
            else:
                continue
            q = self.new_commune_province[p["new"]]
            for scope in (d, dists[d][1]):
                reach.setdefault(scope, set()).add(q)
        for scope, qs in reach.items():
            if len(qs) != 1:
                continue
            q = next(iter(qs))
            if scope in provs:
                self.pairs.append({"old": scope, "new": q, "kind": "whole", "carries": True,
                                   "approximate": False})
                if q != scope:
                    self.successor[scope] = q
            else:
                self.successor[scope] = q
        for ps in self.periods.values():
            ps.sort(key=lambda p: p["from"] or "")

    def add(self, code, frm, to, name, level, parent, province, district):
        self.periods.setdefault(code, []).append(
            {"code": code, "from": frm, "to": to, "name": name, "level": level,
             "parent": parent, "province": province, "district": district})

    def on(self, code, day):
        for p in self.periods.get(code, []):
            if (p["from"] is None or p["from"] <= day) and (p["to"] is None or p["to"] >= day):
                return p
        return None

    def at(self, code, year):
        """The code in year: its period on 31 December (valid), else where it belongs."""
        day = f"{year}-12-31"
        p = self.on(code, day)
        if p:
            return dict(p, valid=True)
        ps = self.periods[code]
        before = [p for p in ps if p["to"] is not None and p["to"] < day]
        if not before:
            return dict(ps[0], valid=False)
        own = dict(before[-1], valid=False)
        c = code
        for _ in range(10):
            c = self.successor.get(c)
            if c is None:
                break
            q = self.on(c, day)
            if q:
                own["province"], own["district"] = q["province"], q["district"]
                break
        return own

    def valid_in(self, code, year):
        return self.on(code, f"{year}-12-31") is not None

    def name(self, code, year):
        return self.at(code, year)["name"]

    def structure(self, year):
        """Valid units of year: code -> period, and parent -> children."""
        if year not in self._structure:
            day = f"{year}-12-31"
            valid = {}
            for code in self.periods:
                p = self.on(code, day)
                if p:
                    valid[code] = p
            kids = {}
            for code, p in valid.items():
                if p["parent"]:
                    kids.setdefault(p["parent"], []).append(code)
            for v in kids.values():
                v.sort()
            self._structure[year] = (valid, kids)
        return self._structure[year]

    _structure = {}

    def children(self, code, year):
        return self.structure(year)[1].get(code, [])

    def leaves(self, code, year):
        """Lowest-level units valid in year within a scope (itself if it has none)."""
        ch = self.children(code, year)
        if not ch:
            return [code] if self.valid_in(code, year) else []
        out = []
        for c in ch:
            out += self.leaves(c, year)
        return out

    def all_codes(self):
        return self.periods.keys()

    def lineage_text(self, code, year):
        """Where an abolished unit went, as the finding names it."""
        words = {"whole": "it became part of", "population": "its population went to",
                 "part": "parts of it went to"}
        out = []
        for kind in ("whole", "population", "part"):
            ts = sorted(p["new"] for p in self.pairs if p["old"] == code and p["kind"] == kind)
            if ts:
                out.append(words[kind] + " " + ", ".join(f"{t} {self.name(t, year)}" for t in ts))
        return "; ".join(out)


UNITS = Units()
CODES = set(UNITS.all_codes())


def restore_code(code):
    if code in CODES:
        return code
    if code.isdigit():
        m = [c for c in CODES if c.lstrip("0") == code.lstrip("0") and len(c) > len(code)]
        if len(m) == 1:
            return m[0]
    return None


# ------------------------------------------------------------------ ingest
class Ingest:
    def __init__(self):
        self.files = []       # dicts: name, size, sha256, kind, status, read, loaded, rejected
        self.rejects = []     # dicts: file, line, column, value, reason
        self.warnings = []    # file-level warnings (unknown columns)
        self.tally = []       # dicts with file, line, order, year, unit_code, title, counts, ...
        self.fund = []
        self.register = []

    def run(self):
        seen = {}
        for order, name in enumerate(sorted(os.listdir(INBOX))):
            path = os.path.join(INBOX, name)
            data = open(path, "rb").read()
            sha = hashlib.sha256(data).hexdigest()
            rec = {"name": name, "size": len(data), "sha256": sha, "kind": None,
                   "status": None, "read": 0, "loaded": 0, "rejected": 0, "duplicate_of": None}
            self.files.append(rec)
            if sha in seen:
                rec["status"] = "duplicate"
                rec["duplicate_of"] = seen[sha]
                continue
            seen[sha] = name
            if name.endswith(".json"):
                self.ingest_json(rec, data, order)
            else:
                self.ingest_csv(rec, data, order)
            rec["status"] = "partial" if rec["rejected"] else "loaded"

    @staticmethod
    def decode(data):
        if data.startswith(codecs.BOM_UTF8):
            return data[3:].decode("utf-8"), "utf-8 BOM"
        if data.startswith(codecs.BOM_UTF16_LE):
            return data[2:].decode("utf-16-le"), "utf-16le BOM"
        if data.startswith(codecs.BOM_UTF16_BE):
            return data[2:].decode("utf-16-be"), "utf-16be BOM"
        return data.decode("utf-8"), "utf-8"

    def ingest_csv(self, rec, data, order):
        text, enc = self.decode(data)
        eol = "CRLF" if "\r\n" in text else ("CR" if "\r" in text else "LF")
        lines = re.split(r"\r\n|\r|\n", text)
        if lines and lines[-1] == "":
            lines.pop()
        header = lines[0]
        delim = "\t" if "\t" in header else (";" if ";" in header else ",")
        cols_raw = next(csv.reader([header], delimiter=delim))
        cols = [COLUMN_OF.get(fold(c)) for c in cols_raw]
        if "entity_id" in cols:
            kind = "register"
        elif "title" in cols:
            kind = "tally"
        else:
            kind = "fund"
        for j, c in enumerate(cols_raw):
            if cols[j] not in KIND_COLUMNS[kind]:
                self.warnings.append({"file": rec["name"], "column": c,
                                      "message": f'unknown column "{c}" in a {kind} file, ignored'})
                cols[j] = None
        rec.update(kind=kind, encoding=enc, delimiter={"\t": "TAB"}.get(delim, delim), eol=eol)
        for i, line in enumerate(lines[1:], start=2):
            rec["read"] += 1
            cells = next(csv.reader([line], delimiter=delim))
            raw = {cols[j]: cells[j] if j < len(cells) else "" for j in range(len(cols)) if cols[j]}
            header_name = {cols[j]: cols_raw[j] for j in range(len(cols)) if cols[j]}
            try:
                row = self.parse_row(kind, raw, header_name)
            except Bad as e:
                col, value, reason = e.args[0]
                self.rejects.append({"file": rec["name"], "line": i, "column": col,
                                     "value": value, "reason": reason, "raw": line})
                rec["rejected"] += 1
                continue
            row.update(file=rec["name"], line=i, order=order)
            getattr(self, kind).append(row)
            rec["loaded"] += 1

    def parse_row(self, kind, raw, header_name):
        def fail(col, reason):
            raise Bad((header_name.get(col, col), raw.get(col, ""), reason))

        row = {}
        try:
            row["year"] = int(raw["year"])
        except ValueError:
            fail("year", "not a year")
        code = restore_code(raw["unit_code"].strip())
        if code is None:
            fail("unit_code", "unknown unit code")
        row["unit_code"] = code
        if kind in ("tally", "register"):
            t = TITLE_OF.get(fold(raw["title"]))
            if t is None:
                fail("title", "unknown title")
            row["title"] = t
        if kind == "tally":
            for c in COUNTS:
                v = raw.get(c, "").strip()
                if v == "":
                    row[c] = None
                    continue
                try:
                    n = parse_number(v)
                except Bad as e:
                    fail(c, e.args[0])
                if n.denominator != 1:
                    fail(c, "not a whole number")
                row[c] = int(n)
            v = raw.get("reported_rate", "").strip()
            row["reported_rate"] = None
            if v:
                try:
                    row["reported_rate"] = (parse_number(v), decimals_written(v), v)
                except Bad as e:
                    fail("reported_rate", e.args[0])
            row["submitted_at"] = raw.get("submitted_at", "").strip() or None
            row["note"] = raw.get("note", "")
            row["level"] = row["group"] = None
            v = raw.get("level", "").strip()
            if v:
                lv = parse_level(v)
                if lv is None or lv > LEVELS.get(row["title"], 0):
                    fail("level", "bad_level")
                row["level"] = lv
            v = raw.get("group", "").strip()
            if v:
                g = GROUP_OF.get(re.sub(r"[^a-z0-9]", "", fold(v)))
                if g is None or g not in GROUPS.get(row["title"], []):
                    fail("group", "bad_group")
                row["group"] = g
        elif kind == "fund":
            for base in ("mobilized", "scholarship"):
                row[base + "_vnd"] = None
                if raw.get(base + "_vnd", "").strip():
                    try:
                        n = parse_number(raw[base + "_vnd"])
                    except Bad as e:
                        fail(base + "_vnd", e.args[0])
                    row[base + "_vnd"] = int(n)
                elif raw.get(base + "_million_vnd", "").strip():
                    try:
                        n = parse_number(raw[base + "_million_vnd"]) * 1000000
                    except Bad as e:
                        fail(base + "_million_vnd", e.args[0])
                    if n.denominator != 1:
                        fail(base + "_million_vnd", "not whole VND")
                    row[base + "_vnd"] = int(n)
            v = raw.get("scholarships", "").strip()
            row["scholarships"] = int(parse_number(v)) if v else None
            row["submitted_at"] = raw.get("submitted_at", "").strip() or None
        else:   # register
            row["entity_id"] = raw["entity_id"].strip()
            for c in ("registered", "recognized", "exemplary"):
                v = fold(raw.get(c, ""))
                if v in TRUE:
                    row[c] = True
                elif v in FALSE:
                    row[c] = False if c in raw or c != "exemplary" else None
                else:
                    fail(c, "not a yes/no value")
            row["submitted_at"] = raw.get("submitted_at", "").strip() or None
        return row

    def ingest_json(self, rec, data, order):
        text, enc = self.decode(data)
        rec.update(kind="json", encoding=enc)
        objs = json.loads(text)
        if isinstance(objs, dict):
            objs = [objs]
        for o in objs:
            code = restore_code(str(o["unit_code"]))
            base = {"file": rec["name"], "line": None, "order": order, "year": int(o["year"]),
                    "unit_code": code, "submitted_at": o.get("submitted_at")}
            for t in o.get("tallies", []):
                rec["read"] += 1
                row = dict(base, title=TITLE_OF[fold(t["title"])], reported_rate=None, note="",
                           level=t.get("level"), group=t.get("group"))
                for c in COUNTS:
                    row[c] = t.get(c)
                self.tally.append(row)
                rec["loaded"] += 1
            if "fund" in o:
                rec["read"] += 1
                fd = o["fund"]
                row = dict(base, mobilized_vnd=fd.get("mobilized_vnd"),
                           scholarships=fd.get("scholarships"),
                           scholarship_vnd=fd.get("scholarship_vnd"))
                self.fund.append(row)
                rec["loaded"] += 1
            for r in o.get("register", []):
                rec["read"] += 1
                row = dict(base, title=TITLE_OF[fold(r["title"])], entity_id=r["entity_id"],
                           registered=bool(r["registered"]), recognized=bool(r["recognized"]),
                           exemplary=r.get("exemplary"))
                self.register.append(row)
                rec["loaded"] += 1


# ------------------------------------------------------------------ transform
def latest(rows):
    """Supersession: later submitted_at wins, then later ingest order, then later line."""
    return max(rows, key=lambda r: (r["submitted_at"] or "", r["order"], r["line"] or 0))


def where(r):
    return f'{r["file"]}:{r["line"]}' if r["line"] else r["file"]


class Transform:
    def __init__(self, ing):
        self.ing = ing
        self.findings = []
        self.facts = {}       # (unit, year, title) -> fact dict
        self.funds = {}       # (unit, year) -> fund row
        self.build()

    def finding(self, code, severity, unit, year, title, message, file, line):
        self.findings.append({"code": code, "severity": severity, "unit_code": unit,
                              "year": year, "title": title, "message": message,
                              "file": file, "line": line})

    def build(self):
        tallies, registers, parts = {}, {}, {}
        for r in self.ing.tally:
            if r.get("level") is not None or r.get("group") is not None:
                # a level or a group: a part of the title, not the title's figure
                part = r["level"] if r.get("level") is not None else r["group"]
                parts.setdefault((r["unit_code"], r["year"], r["title"], part), []).append(r)
                continue
            tallies.setdefault((r["unit_code"], r["year"], r["title"]), []).append(r)
        for r in self.ing.register:
            registers.setdefault((r["unit_code"], r["year"], r["title"]), []).append(r)
        keys = sorted(set(tallies) | set(registers))
        for key in keys:
            unit, year, title = key
            t = latest(tallies[key]) if key in tallies else None
            fact = {"unit": unit, "year": year, "title": title, "excluded_by": [],
                    "tally": t, "source": "tally"}
            for c in COUNTS:
                fact[c] = t[c] if t else None
            fact["file"], fact["line"] = (t["file"], t["line"]) if t else (None, None)
            if key in registers:
                rows = registers[key]
                # a register list replaces an earlier list as a whole: keep the latest file's list
                last = latest(rows)
                lst = [r for r in rows if r["file"] == last["file"]]
                reg = {"registered": sum(r["registered"] for r in lst),
                       "recognized": sum(r["recognized"] for r in lst),
                       "exemplary": (sum(bool(r["exemplary"]) for r in lst)
                                     if any(r["exemplary"] is not None for r in lst) else None)}
                if t:
                    diffs = [f'{c} {t[c]} in the tally, {reg[c]} in the list'
                             for c in ("registered", "recognized", "exemplary")
                             if t[c] is not None and reg[c] is not None and t[c] != reg[c]]
                    if diffs:
                        self.finding("register_tally_mismatch", "warning", unit, year, title,
                                     "; ".join(diffs) + f' (list {last["file"]}, {len(lst)} rows, wins)',
                                     t["file"], t["line"])
                for c in ("registered", "recognized", "exemplary"):
                    fact[c] = reg[c]
                fact["source"] = "register"
                fact["register_file"] = last["file"]
                fact["register_rows"] = len(lst)
            self.facts[key] = fact
        self.derive_from_parts(parts)
        keys = sorted(self.facts)

        for key in keys:
            f = self.facts[key]
            unit, year, title = key
            place = UNITS.at(unit, year)
            f["province"], f["district"], lvl = place["province"], place["district"], place["level"]
            src_file, src_line = f["file"] or f.get("register_file"), f["line"]
            # a code not valid that year (on its 31 December): named with where the unit went
            if not place["valid"]:
                whole = UNITS.periods[unit]
                validity = " ".join(x for x in (
                    "valid", f'from {whole[0]["from"]}' if whole[0]["from"] else "",
                    f'to {whole[-1]["to"]}' if whole[-1]["to"] else "") if x)
                went = UNITS.lineage_text(unit, year)
                succ = UNITS.successor.get(unit)
                self.finding("unit_not_valid", "error", unit, year, title,
                             f'{place["name"]} ({unit}) was not valid in {year} ({validity}'
                             + (f"; {went}" if went else
                                f", successor {succ} {UNITS.name(succ, year)}" if succ else "")
                             + ")", src_file, src_line)
                f["excluded_by"].append("unit_not_valid")
            # invariants: exemplary <= recognized <= registered <= eligible, where known
            chain = [(c, f[c]) for c in reversed(COUNTS)]
            for i in range(len(chain)):
                for j in range(i + 1, len(chain)):
                    (a, va), (b, vb) = chain[i], chain[j]
                    if va is not None and vb is not None and va > vb:
                        self.finding("invariant_breach", "error", unit, year, title,
                                     f"{a} {va} > {b} {vb}", src_file, src_line)
                        if "invariant_breach" not in f["excluded_by"]:
                            f["excluded_by"].append("invariant_breach")
            # reported rate vs computed headline rate (rounding or truncation accepted)
            t = f["tally"]
            if t and t["reported_rate"] is not None:
                val, dec, text = t["reported_rate"]
                base = HEADLINE[title]
                exact = pct(f["recognized"], f[base])
                if exact is not None:
                    scale = 10 ** dec
                    rounded = Fraction(int(exact * scale + Fraction(1, 2)), scale)
                    truncated = Fraction(int(exact * scale), scale)
                    if val != rounded and val != truncated:
                        self.finding("reported_rate_mismatch", "warning", unit, year, title,
                                     f'reported {text}% but recognized/{base} = '
                                     f'{f["recognized"]}/{f[base]} = {r2(exact)}%',
                                     t["file"], t["line"])
            f["lower"] = lvl

        # eligible households changing more than 25% year on year (family)
        for (unit, year, title), f in sorted(self.facts.items()):
            if title != "family" or f["eligible"] is None:
                continue
            p = self.facts.get((unit, year - 1, title))
            if p and p["eligible"]:
                change = Fraction(f["eligible"] - p["eligible"], p["eligible"])
                if abs(change) > Fraction(1, 4):
                    self.finding("eligible_jump", "warning", unit, year, title,
                                 f'households {p["eligible"]} in {year - 1} -> {f["eligible"]} in '
                                 f'{year} ({"+" if change > 0 else ""}{r2(change * 100)} %)',
                                 f["file"], f["line"])

        # funds: supersession per unit and year
        fr = {}
        for r in self.ing.fund:
            fr.setdefault((r["unit_code"], r["year"]), []).append(r)
        for key, rows in fr.items():
            self.funds[key] = latest(rows)
            self.funds[key]["superseded"] = [where(r) for r in rows if r is not self.funds[key]]

    def derive_from_parts(self, parts):
        """Each part's latest row; a part breaking the invariants is kept out; a unit that
        gave parts and no counts of the title itself gets its title figure from them."""
        self.parts = {}
        for key, rows in sorted(parts.items(), key=lambda kv: str(kv[0])):
            unit, year, title, part = key
            t = latest(rows)
            p = {c: t[c] for c in COUNTS}
            p.update(level=t["level"], group=t["group"], file=t["file"], line=t["line"],
                     order=t["order"], excluded=False)
            chain = [(c, p[c]) for c in reversed(COUNTS)]
            for i in range(len(chain)):
                for j in range(i + 1, len(chain)):
                    (a, va), (b, vb) = chain[i], chain[j]
                    if va is not None and vb is not None and va > vb:
                        self.finding("invariant_breach", "error", unit, year, title,
                                     f"{a} {va} > {b} {vb} (part {part})", t["file"], t["line"])
                        p["excluded"] = True
            # a percent written on a part's row: the part's headline rate, rounded or truncated
            if t.get("reported_rate") is not None:
                val, dec, text = t["reported_rate"]
                exact = pct(p["recognized"], p[HEADLINE[title]])
                if exact is not None:
                    scale = 10 ** dec
                    if (val != Fraction(int(exact * scale + Fraction(1, 2)), scale)
                            and val != Fraction(int(exact * scale), scale)):
                        self.finding("reported_rate_mismatch", "warning", unit, year, title,
                                     f"reported {text}% but {r2(exact)}% (part {part})",
                                     t["file"], t["line"])
            self.parts[key] = p
        by_title = {}
        for (unit, year, title, part), p in self.parts.items():
            if not p["excluded"]:
                by_title.setdefault((unit, year, title), []).append(p)
        for key, ps in sorted(by_title.items()):
            unit, year, title = key
            f = self.facts.get(key)
            if f and any(f[c] is not None for c in ("registered", "recognized", "exemplary")):
                continue            # the unit's own total row stands
            if not any(p[c] is not None for p in ps for c in ("registered", "recognized", "exemplary")):
                continue
            levels = all(p["level"] is not None for p in ps)
            # the unit is itself what the title counts: it counts once, at its highest level
            entity = levels and title == "commune" and UNITS.at(unit, year)["level"] == "commune"

            def agg(c, how):
                vals = [p[c] for p in ps if p[c] is not None]
                return how(vals) if vals else None
            last = max(ps, key=lambda p: (p["order"], p["line"] or 0))
            fact = {"unit": unit, "year": year, "title": title, "excluded_by": [], "tally": None,
                    "source": "levels" if levels else "groups",
                    "file": last["file"], "line": last["line"]}
            fact["eligible"] = agg("eligible", max) if levels else None
            if f and f["eligible"] is not None:
                fact["eligible"] = f["eligible"]
            how = max if entity else sum
            fact["registered"] = agg("registered", how) if levels else None
            fact["recognized"] = agg("recognized", how)
            fact["exemplary"] = agg("exemplary", how)
            self.facts[key] = fact

    def kept_parts(self, facts):
        """The kept parts of these (kept) title figures, by part: {part: [part dicts]}."""
        out = {}
        for f in facts:
            for (u, y, t, part), p in self.parts.items():
                if (u, y, t) == (f["unit"], f["year"], f["title"]) and not p["excluded"]:
                    out.setdefault(part, []).append(dict(p, unit=u))
        return out

    def provisional(self, scope, year):
        """Fewer of the scope's expected units reported (a figure of any title, or the
        unit's own fund) than it expects."""
        exp = UNITS.leaves(scope, year)
        rep = set()
        for title in TITLES:
            rep |= {f["unit"] for f in self.rollup(scope, year, title, cross=False)}
        rep |= {r["unit_code"] for r in self.fund_rollup(scope, year)}
        return len([u for u in exp if u in rep]) < len(exp)

    # ---- roll-up: the lowest level reported, per branch, in the structure of the year
    def kept(self, unit, year, title):
        f = self.facts.get((unit, year, title))
        return f if f and not f["excluded_by"] else None

    def rollup(self, scope, year, title, cross=True):
        """The kept facts summed into scope (the lowest level reported in each branch)."""
        used = []
        for c in UNITS.children(scope, year):
            used += self.rollup(c, year, title, cross)
        own = self.kept(scope, year, title)
        if used:
            if own and cross:
                self.cross_check(scope, year, title, own, used)
            return used
        return [own] if own else []

    def cross_check(self, scope, year, title, own, used):
        key = (scope, year, title)
        if key in self._checked:
            return
        self._checked.add(key)
        diffs = []
        for c in COUNTS:
            vals = [u[c] for u in used if u[c] is not None]
            s = sum(vals) if vals else None
            if own[c] is not None and s is not None and own[c] != s:
                diffs.append(f"{c} {own[c]} vs {s} summed over {len(used)} communes")
        if diffs:
            self.finding("rollup_mismatch", "warning", scope, year, title,
                         f'{UNITS.name(scope, year)} total differs from the sum of its communes: '
                         + "; ".join(diffs) + " (commune figures are used)",
                         own["file"], own["line"])

    def rate_row(self, level, scope, year, title, used, expected, district):
        row = {"scope_level": level, "scope_code": scope,
               "scope_name": UNITS.name(scope, year), "district_code": district,
               "year": year, "title": title}
        for c in COUNTS:
            vals = [u[c] for u in used if u[c] is not None]
            row[c] = sum(vals) if vals else None
        # a rate is over the units that gave both of its values
        for base in ("eligible", "registered"):
            both = [u for u in used if u["recognized"] is not None and u[base] is not None]
            num = sum(u["recognized"] for u in both) if both else None
            den = sum(u[base] for u in both) if both else None
            row["rate_" + base] = r2(pct(num, den))
            row["rate_%s_num" % base], row["rate_%s_den" % base] = num, den
            row["_exact_" + base] = pct(num, den)
        rep = {u["unit"] for u in used}
        row["units_reporting"] = len([u for u in expected if u in rep])
        row["units_expected"] = len(expected)
        return row

    def part_rows(self, row, used, expected):
        """A row per level or group after a title's row: the kept parts of the units whose
        title figure it sums, with rates over the units that gave both values."""
        kp = self.kept_parts(used)
        for part in sorted(kp, key=lambda x: (isinstance(x, str),
                                              ["adult", "official"].index(x)
                                              if isinstance(x, str) else x)):
            prow = self.rate_row(row["scope_level"], row["scope_code"], row["year"],
                                 row["title"], kp[part], expected, row["district_code"])
            prow["_province"] = row["_province"]
            prow["level"] = part if not isinstance(part, str) else None
            prow["group"] = part if isinstance(part, str) else None
            prow["provisional"] = row["provisional"]
            self.rates.append(prow)

    def scopes(self, year):
        """Provinces and districts of year's structure, in output order, with their province."""
        valid = UNITS.structure(year)[0]
        out = []
        for p in sorted(c for c, v in valid.items() if v["level"] == "province"):
            out.append((p, p))
            out += [(d, p) for d in UNITS.children(p, year) if valid[d]["level"] == "district"]
        return out

    def compute(self):
        self._checked = set()
        years = sorted({y for (_, y, _) in self.facts})
        self.rates = []
        for year in years:
            for scope, prov in self.scopes(year):
                level = UNITS.at(scope, year)["level"]
                exp_units = UNITS.leaves(scope, year)
                for title in TITLES:
                    used = self.rollup(scope, year, title)
                    if not used:
                        continue
                    row = self.rate_row(level, scope, year, title, used, exp_units,
                                        scope if level == "district" else None)
                    row["_province"] = prov
                    row["level"] = row["group"] = None
                    row["provisional"] = self.provisional(scope, year)
                    self.rates.append(row)
                    self.part_rows(row, used, exp_units)
        # a commune's own row, for every kept figure of a commune, with its parts' rows
        for (unit, year, title), f in self.facts.items():
            if f["excluded_by"] or f["lower"] != "commune":
                continue
            row = self.rate_row("commune", unit, year, title, [f], [unit], f["district"])
            row["_province"] = f["province"]
            row["level"] = row["group"] = None
            row["provisional"] = self.provisional(unit, year)
            self.rates.append(row)
            self.part_rows(row, [f], [unit])
        self.rates.sort(key=order_key)

        # completeness: scope x year for the years a province has any kept figure; a unit
        # reports when one of its figures is summed in, or its own fund row is kept
        self.completeness = []
        for year in years:
            provs = {f["province"] for (u, y, t), f in self.facts.items()
                     if y == year and not f["excluded_by"]}
            for scope, prov in self.scopes(year):
                if prov not in provs:
                    continue
                exp_units = UNITS.leaves(scope, year)
                rep = set()
                for title in TITLES:
                    rep |= {u["unit"] for u in self.rollup(scope, year, title, cross=False)}
                rep |= {u for u in exp_units if (u, year) in self.funds
                        and UNITS.valid_in(u, year)}
                level = UNITS.at(scope, year)["level"]
                scopes = [(level, scope, exp_units)]
                if level == "province":
                    scopes += [("commune", u, [u]) for u in exp_units
                               if UNITS.at(u, year)["level"] == "commune"]
                for lvl, code, exp in scopes:
                    reporting = [u for u in exp if u in rep]
                    self.completeness.append({
                        "scope_level": lvl, "scope_code": code,
                        "scope_name": UNITS.name(code, year),
                        "district_code": (code if lvl == "district" else
                                          UNITS.at(code, year)["district"] if lvl == "commune"
                                          else None),
                        "year": year, "units_expected": len(exp),
                        "units_reporting": len(reporting),
                        "percent": r2(pct(len(reporting), len(exp))),
                        "missing": sorted(set(exp) - set(reporting)), "_province": prov})
        self.completeness.sort(key=lambda c: order_key(dict(c, title="family")))

        # funds: lowest level reported, per scope and year, with cumulative sums
        self.fund_rows = []
        fyears = sorted({y for (u, y) in self.funds})
        cum = {}
        for year in fyears:
            fprovs = {UNITS.at(u, y)["province"] for (u, y) in self.funds}
            for scope, prov in self.scopes(year):
                if prov not in fprovs:
                    continue
                used = self.fund_rollup(scope, year)
                if not used:
                    continue
                mob = sum(r["mobilized_vnd"] for r in used if r["mobilized_vnd"] is not None)
                cum[scope] = cum.get(scope, 0) + mob
                sch = [r["scholarships"] for r in used if r["scholarships"] is not None]
                sv = [r["scholarship_vnd"] for r in used if r["scholarship_vnd"] is not None]
                self.fund_rows.append({
                    "scope_level": UNITS.at(scope, year)["level"], "scope_code": scope,
                    "scope_name": UNITS.name(scope, year), "year": year,
                    "mobilized_vnd": mob, "mobilized_million_vnd": million(mob),
                    "cumulative_vnd": cum[scope], "scholarships": sum(sch) if sch else None,
                    "scholarship_vnd": sum(sv) if sv else None,
                    "units_reporting": len(used), "_province": prov,
                    "provisional": self.provisional(scope, year)})
        self.fund_rows.sort(key=lambda r: order_key(dict(r, title="family")))

        # targets: the national ones for every scope that reported the title (or group)
        # that year, communes included, unless the province's own replaces them
        own = {}
        with open(os.path.join(HERE, "targets.csv"), encoding="utf-8", newline="") as f:
            for t in csv.DictReader(f):
                key = (t["scope_code"], t["title"], t.get("group") or None, int(t["year"]))
                own[key] = (Fraction(t["target_percent"]), t.get("source") or "targets.csv")
        totals = [r for r in self.rates if r["level"] is None and r["group"] is None]
        reported = {(r["scope_code"], r["title"], r["group"], r["year"]) for r in self.rates
                    if r["level"] is None}
        for (u, y, t), f in self.facts.items():
            if f["lower"] == "commune" and not f["excluded_by"]:
                reported.add((u, t, None, y))
                for part in self.kept_parts([f]):
                    if isinstance(part, str):
                        reported.add((u, t, part, y))
        in_force = dict(own)
        for key in reported:
            for (title, group, year, percent, source) in NATIONAL:
                if (title, group, year) == key[1:] and key not in own:
                    in_force[key] = (Fraction(percent), source)
        self.target_rows = []
        for (scope, title, group, year), (target, source) in in_force.items():
            h = HEADLINE[title]
            if UNITS.at(scope, year)["level"] == "commune":
                f = self.kept(scope, year, title)
                if f is not None and group is not None:
                    ps = self.kept_parts([f]).get(group)
                    f = ps[0] if ps else None
                num = f["recognized"] if f else None
                den = f[h] if f else None
                exact = pct(num, den)
                reported_any = (any(not g["excluded_by"] for (u, y, _), g in self.facts.items()
                                    if u == scope and y == year)
                                or ((scope, year) in self.funds
                                    and UNITS.valid_in(scope, year)))
                prov = not reported_any
            else:
                rr = [r for r in self.rates if r["scope_code"] == scope and r["year"] == year
                      and r["title"] == title and r["group"] == group and r["level"] is None]
                exact = rr[0]["_exact_" + h] if rr else None
                num = rr[0]["rate_%s_num" % h] if exact is not None else None
                den = rr[0]["rate_%s_den" % h] if exact is not None else None
                prov = self.provisional(scope, year)
            actual = r2(exact) if exact is not None else None
            place = UNITS.at(scope, year)
            self.target_rows.append({
                "scope_level": place["level"], "scope_code": scope,
                "scope_name": UNITS.name(scope, year), "title": title, "group": group,
                "year": year, "target_percent": r2(target), "source": source, "headline": h,
                "actual_percent": actual, "numerator": num, "denominator": den,
                "gap_pp": r2(Fraction(actual) - target) if actual is not None else None,
                "met": (Fraction(actual) >= target) if actual is not None else None,
                "provisional": prov, "_province": place["province"]})
        self.target_rows.sort(key=lambda t: (t["_province"],
                                             ["province", "district", "commune"].index(t["scope_level"]),
                                             t["scope_code"], TITLES.index(t["title"]),
                                             t["group"] or "", t["year"]))

        # rankings: the units one level below each scope in the year's structure, by the
        # title's headline rate: a province's districts, a district's communes, and from 2025
        # (no districts) a province's communes; a commune only in a year it is valid
        self.rankings = []
        ranked = {}
        for r in totals:
            if r["scope_level"] == "district":
                h = HEADLINE[r["title"]]
                known = r["_exact_" + h] is not None
                ranked.setdefault((r["_province"], r["year"], r["title"]), []).append(
                    ("district", r["scope_code"], r["rate_" + h],
                     r["rate_%s_num" % h] if known else None,
                     r["rate_%s_den" % h] if known else None))
        for (u, y, t), f in self.facts.items():
            if f["lower"] != "commune" or not UNITS.valid_in(u, y):
                continue
            h = HEADLINE[t]
            kept = not f["excluded_by"]
            num = f["recognized"] if kept else None
            den = f[h] if kept and num is not None else None
            ranked.setdefault((f["district"] or f["province"], y, t), []).append(
                ("commune", u, r2(pct(num, den)) if den else None,
                 num if den is not None else None, den))
        for (scope, year, title), units in ranked.items():
            rated = sorted((Fraction(x[2]) for x in units if x[2] is not None), reverse=True)
            units.sort(key=lambda x: (x[2] is None, -Fraction(x[2]) if x[2] else 0, x[1]))
            place = UNITS.at(scope, year)
            for (lvl, code, rate, num, den) in units:
                self.rankings.append({
                    "scope_level": place["level"], "scope_code": scope, "year": year,
                    "title": title,
                    "rank": (1 + sum(1 for v in rated if v > Fraction(rate))) if rate else None,
                    "unit_level": lvl, "unit_code": code, "unit_name": UNITS.name(code, year),
                    "rate": rate, "numerator": num, "denominator": den,
                    "provisional": self.provisional(scope, year), "_province": place["province"]})

        self.rankings.sort(key=lambda k: (k["_province"],
                                          k["scope_level"] != "province", k["scope_code"],
                                          k["year"], TITLES.index(k["title"]),
                                          k["rank"] is None, k["rank"] or 0, k["unit_code"]))

        self.comparison = self.compare(2016, 2020)
        self.comparison_2025 = self.compare(2020, 2025)
        self.findings.sort(key=lambda f: (f["year"], f["unit_code"],
                                          TITLES.index(f["title"]) if f["title"] else -1,
                                          f["code"]))

    def compare(self, year_a, year_b):
        """Year A beside year B on the units of the later year, A's figures re-added through
        the lineage (pairs of one level dated after 31 December of the earlier year and by
        31 December of the later; a unit without one keeps its code)."""
        early, late = min(year_a, year_b), max(year_a, year_b)
        de, dl = f"{early}-12-31", f"{late}-12-31"
        edges = {}
        for p in UNITS.pairs:
            olv, nlv = (UNITS.periods[p["old"]][-1]["level"] if p["old"] in UNITS.periods
                        else None), UNITS.periods[p["new"]][0]["level"]
            if (olv is None or olv == nlv) and de < NEW_START <= dl:
                edges.setdefault(p["old"], []).append(dict(p, effective=NEW_START))

        def ends(code):
            """(end code, carried all the way, moved in parts on the way)."""
            out = []

            def walk(at, since, carried, approx, depth):
                # a unit reached on a date moves on only by a later pair: the new 22978
                # is not the old 22978, whose pairs are of the same day
                nxt = [p for p in edges.get(at, []) if p["effective"] > since] if depth < 10 else []
                if not nxt:
                    out.append((at, carried, approx))
                    return
                for p in nxt:
                    walk(p["new"], p["effective"], carried and p["carries"],
                         approx or p["approximate"], depth + 1)
            walk(code, de, True, False, 0)
            return [e for e in out if UNITS.valid_in(e[0], late)]

        rows_of = {}
        for r in self.rates:
            if r["level"] is None and r["group"] is None:     # the titles' rows
                rows_of.setdefault(r["year"], []).append(r)
        side = {"e": {}, "l": {}}
        split = {}
        for r in rows_of.get(early, []):
            for at, carried, approx in ends(r["scope_code"]):
                if approx:
                    split.setdefault((at, r["title"]), set()).add(r["scope_code"])
                if carried:
                    side["e"].setdefault((at, r["title"]), []).append(r)
        for r in rows_of.get(late, []):
            side["l"][(r["scope_code"], r["title"])] = [r]

        def summed(rows, at):
            if not rows:
                return None
            out = {"merged_from": sorted(r["scope_code"] for r in rows if r["scope_code"] != at),
                   "provisional": any(r["provisional"] for r in rows)}
            for c in COUNTS + ["units_reporting"]:
                vals = [r[c] for r in rows if r[c] is not None]
                out[c] = sum(vals) if vals else None
            for base in ("eligible", "registered"):
                nums = [r["rate_%s_num" % base] for r in rows if r["rate_%s_num" % base] is not None]
                dens = [r["rate_%s_den" % base] for r in rows if r["rate_%s_den" % base] is not None]
                num = sum(nums) if nums else None
                den = sum(dens) if dens else None
                out["rate_%s_num" % base], out["rate_%s_den" % base] = num, den
                out["_exact_" + base] = pct(num, den)
                out["rate_" + base] = r2(pct(num, den))
            return out

        out = []
        for key in sorted(set(side["e"]) | set(side["l"])):
            at, title = key
            e, l = summed(side["e"].get(key), at), summed(side["l"].get(key), at)
            a, b = (e, l) if year_a == early else (l, e)
            lrow = side["l"].get(key, [None])[0]
            place = UNITS.at(at, late)
            row = {"scope_level": lrow["scope_level"] if lrow else place["level"],
                   "scope_code": at, "scope_name": UNITS.name(at, late),
                   "district_code": lrow["district_code"] if lrow else place["district"],
                   "title": title, "year_a": year_a, "year_b": year_b,
                   "merged_from": (e or {}).get("merged_from", []),
                   "split_from": sorted(split.get(key, [])),
                   "_province": place["province"]}
            row["approximate"] = bool(row["split_from"])
            for c in COUNTS + ["units_reporting", "rate_eligible", "rate_registered",
                               "rate_eligible_num", "rate_eligible_den",
                               "rate_registered_num", "rate_registered_den"]:
                row[c + "_a"] = a[c] if a else None
                row[c + "_b"] = b[c] if b else None
            for c in COUNTS:
                row["delta_" + c] = (row[c + "_b"] - row[c + "_a"]
                                     if row[c + "_a"] is not None and row[c + "_b"] is not None
                                     else None)
            h = HEADLINE[title]
            row["headline"] = h
            ea, eb = (a or {}).get("_exact_" + h), (b or {}).get("_exact_" + h)
            row["delta_pp"] = r2(eb - ea) if ea is not None and eb is not None else None
            row["delta_pp_of_rounded"] = (r2(Fraction(row["rate_%s_b" % h])
                                             - Fraction(row["rate_%s_a" % h]))
                                          if ea is not None and eb is not None else None)
            ra, rb = row["recognized_a"], row["recognized_b"]
            row["growth_percent"] = (r2(pct(rb - ra, ra)) if ra and rb is not None else None)
            # either year of the row, or of any unit summed into it, is provisional
            row["provisional"] = bool((a or {}).get("provisional") or (b or {}).get("provisional"))
            out.append(row)
        out.sort(key=lambda r: order_key(dict(r, year=0)))
        return out

    def fund_rollup(self, scope, year):
        used = []
        for c in UNITS.children(scope, year):
            used += self.fund_rollup(c, year)
        if used:
            return used
        r = self.funds.get((scope, year))
        if r and UNITS.valid_in(scope, year):
            return [r]
        return []


def order_key(r):
    """The published order: province, its communes without a district, each district and its
    communes; code, year, title, then the title's levels and groups."""
    level, group = r.get("level"), r.get("group")
    return (r["_province"], r["scope_level"] != "province", r.get("district_code") or "",
            r["scope_level"] == "commune", r["scope_code"], r["year"], TITLES.index(r["title"]),
            level is not None, level or 0, group is not None,
            ["adult", "official"].index(group) if group else 0)


def million(vnd):
    fr = Fraction(vnd, 1000000)
    if fr.denominator == 1:
        return str(fr.numerator)
    s = f"{float(fr):.6f}".rstrip("0")
    assert Fraction(s) == fr
    return s


# ------------------------------------------------------------------ output
def fmt(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def table(head, rows):
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for r in rows:
        out.append("| " + " | ".join(fmt(x) for x in r) + " |")
    return "\n".join(out)


INTRO = """# Expected figures for `samples/`

Generated by `python3 samples/expected.py > samples/EXPECTED.md` — the independent oracle
(Python standard library, exact fractions, no code shared with the C pipeline). Integration
tests may assert these figures digit for digit; `python3 samples/expected.py --json` prints the
same figures as JSON. Regenerate this file after changing any sample file.

## The sample files

| file | purpose |
|---|---|
| `../ref/` | the units: the official lists hoctap ships, as `hoctap-ingest --migrate` loads them into an empty database (docs/rules.md, "Units of both eras"). Up to 2024 the 4 January 2025 list: Tỉnh Bình Thuận `60` has 121 communes under 10 districts (of them Thành phố Phan Thiết `593`, Thị xã La Gi `594`, Huyện Tuy Phong `595`, Huyện Bắc Bình `596`); the samples report for 20 of them, so a province's completeness is low, as it would be. From 2025 the 1 July 2025 list: Tỉnh Lâm Đồng `68` holds old Bình Thuận, Đắk Nông and Lâm Đồng, 124 communes directly under the province. Tỉnh Hà Tĩnh `42` reports province-level figures only, against its 210 communes. |
| `units.csv` | a province's own list (`hoctap-ingest --units samples/units.csv`, which replaces the set), used by tests, not by the demo or this oracle: 20 of Bình Thuận's communes, a code on two rows where the unit changed on 1 July 2025 (and the new communes the 2025 samples report from), and an illustrative merger (Xã Vĩnh Tân `22984` ending on 2019-12-31 into Xã Vĩnh Hảo `22981`, which in the official lists happens on 1 July 2025). |
| `targets.csv` | the province's own targets, which replace the national ones hoctap ships (281/QĐ-TTg for 2020, 387/QĐ-TTg for 2025, 677/QĐ-TTg for the learning citizens; every scope that reported gets them without a file): one district plan for Tuy Phong `595` for 2020 (60/40/50/30/50: the district plan quoted in DESIGN §2, taken from Trà Bồng's 2017 plan) and Lâm Đồng's own 75 % of families for 2025 in Xã Tuy Phong `22978` (illustrative: above the national 70 %, and missed; it was Huyện Tuy Phong's before the districts were abolished on 1 July 2025, and a target of 2025 can only be set for a unit of 2025). Hà Tĩnh's 2020 families get the national 70 % (no base known: actual is null). |
| `inbox/` | the submissions, named by arrival date so that name order is ingest order. Every commune × year × title is in one district file per year, each district with its own habits: **Tuy Phong** — UTF-8 BOM, `;`, CRLF, Vietnamese headers, Vietnamese numbers (`7.105`), Bình Thuận's title names (`Gia đình hiếu học`, `Dòng họ hiếu học`), the percent the commune wrote (`Tỷ lệ`) and notes; **Bắc Bình** — TAB-delimited, English headers, unaccented titles (`gia dinh hoc tap`); **La Gi** — `,`, English headers and title keys, a quoted note containing a comma, the 2018 file saved with CR line ends (Excel for Mac); **Phan Thiết** — `;` without BOM, Vietnamese headers and numbers, accented titles, the 2020 file exported as Excel "Unicode Text" (UTF-16LE with BOM, TAB, CRLF). |
| `inbox/2017-01-12-tuyphong-lienhuong-2016.csv` | Thị trấn Liên Hương's 2016 figures as published in its five-year report (seed 002): 2,631 of 7,105 households written as `37,28` % (true 37.03 % → finding), clans 2/3 = `66,67`, khu phố 3/14 written `21,42` (a truncation of 21.428…: **no** finding), units 8/10 = `80`. The 2019 figures (5,557/7,862 = `70,68`, clans 2/2, khu phố 8/14 = `57,14`, units 10/10) are in the Tuy Phong 2019 file. Registered and exemplary counts, and all other years, are illustrative. |
| `inbox/2017-01-13-tuyphong-lienhuong-2016-gui-lai.csv` | the same bytes sent again the next day ("gửi lại"): a duplicate, a no-op. |
| `inbox/2020-01-14-tuyphong-phandung-2019-danhsach-hgd.csv` | Xã Phan Dũng's 2019 household register (danh sách hộ gia đình, 430 rows, deterministic): `registered` as `có`/`không`, `recognized` and `exemplary` as `x`/empty, scores with a decimal comma in quotes (`"85,5"`). It counts 410 registered / 352 recognized / 7 exemplary where the tally in the Tuy Phong 2019 file says 405 / 348 / 6: a finding, and the list wins; eligible (536) still comes from the tally. |
| `inbox/2021-01-18-bacbinh-cholau-dieuchinh-2020.json` | a JSON resubmission ("điều chỉnh") from Thị trấn Chợ Lầu with a later `submitted_at` than the Bắc Bình 2020 file: it corrects the family tally (recognized 4,123 → 4,213, two digits swapped) and the fund (162.7 → 186.5 million VND, 53 → 64 scholarships). It must win. |
| `inbox/*-binhthuan-quykhuyenhoc-*.csv` | the education-promotion fund per commune and year: `mobilized_million_vnd` with a decimal comma (`142,5`), in 2019 whole VND with thousands dots (`178.800.000`), in 2020 with `submitted_at`. |
| `inbox/2020-10-05-hatinh-*.csv` | Hà Tĩnh's province-level figures from its 2020 five-year report (seed 004): learning families 179,701 (2016) and 309,845 (2020) with 5,850 exemplary ("tiêu biểu xuất sắc", a period figure recorded against 2020), learning clans 4,313 in 2020, "1,937 more than in 2016" (so 2,376 in 2016). The fund file holds 346,458 million VND over 2016–2020 as published; only the five-year total is published, the split by year is illustrative (so the 2020 cumulative is the published figure). It has an extra `note` column (a file warning, not a reject). No base (households, registered clans) is published: those rates are null. |
| `inbox/2021-01-13-tuyphong-bosung-2020.csv` | a supplementary ("bổ sung") 2020 file of four Tuy Phong communes missing from the district's: Xã Phong Phú `22978`, Xã Phú Lạc `22987`, Xã Phước Thể `22990`, Xã Bình Thạnh `22999` (illustrative figures). |
| `inbox/2022-01-10-tuyphong-lienhuong-2021.csv` | Liên Hương's 2021 figures, the first year of "Công dân học tập" (citizen) under 387/QĐ-TTg; no other commune has reported 2021 yet (a provisional year). |
| `inbox/2026-01-12-lamdong-lienhuong-2025.csv` | the 2025 report of today's Xã Liên Hương `22969` (Tỉnh Lâm Đồng, no district), which since 1 July 2025 is old Thị trấn Liên Hương with Phú Lạc, Phước Thể and Bình Thạnh (conversion table: whole); every title, citizens included, with the percents it wrote (all right). Illustrative figures. |
| `inbox/2026-01-12-tuyphong-2025.csv` | 2025 levels and groups sent in old Tuy Phong's habits (BOM, `;`, CRLF, Vietnamese headers and numbers) by the new communes of its area, re-coded to the units of 2025 (the new commune that took each old one, by the conversion table: Phan Dũng `22975` is now part of Xã Tuy Phong `22978`): two new columns, `Mức độ` — each commune's commune-level learning community at level 1 and level 2 (Thông tư 25/2023/TT-BGDĐT), Xã Liên Hương recognised at both in the year (level 1 in March, level 2 in December), the others at level 1 or none — and `Nhóm đối tượng` — learning citizens counted on two bases (677/QĐ-TTg), `Người lớn` (adults of learning families, clans and communities) and `Cán bộ, công chức` (officials of learning units). The titles' totals of these communes are in their own reports (Liên Hương's, the province's compilation), which this file does not repeat: Liên Hương's citizens are its total, split by group here; Phan Rí Cửa's adults are 35.00 % (below the national 40), Tuy Phong's officials 55.00 % (below 60). Illustrative figures. |
| `inbox/2026-01-14-bacbinh-2025.csv` | 2025 figures in old Bắc Bình's habits (TAB, English headers, unaccented words, `submitted_at`): `level` as `muc do 1`/`muc do 2`, `group` as `nguoi lon` and `can bo, cong chuc`, re-coded to the new communes: Xã Bắc Bình `23005` (old Chợ Lầu, Phan Hòa, Phan Hiệp and Phan Rí Thành `23050`, whole) with its clans, its commune-level community at levels 1 and 2 and no total (so it counts once, made from its levels) and both groups; Xã Hải Ninh `23020` and Xã Hồng Thái `23041` (codes the new communes kept) with every title. Families of Hải Ninh 68.00 % (below the national 70 %), of Hồng Thái 1,920/2,500 = 76.80 %, the printed rate of Liên Hương's 12,610/16,420 (76.7966…): a tie in the province's ranking. Illustrative figures. |
| `inbox/2026-01-16-lamdong-phulac-2025.csv` | a 2025 family figure sent under the abolished code of Xã Phú Lạc `22987`: an error finding naming the unit it became part of, kept out. |
| `inbox/2026-01-20-lamdong-tonghop-2025.csv` | the province's compilation of 2025 figures of nine new communes (English headers, `,`), among them Xã Phan Rí Cửa `22972` and Xã Tuy Phong `22978`, which share old Xã Phong Phú `22978` (moved in parts), Xã Tân Hải `23246` (old `23245`, a new code), and Phường Xuân Hương - Đà Lạt `24781` from old Lâm Đồng. Illustrative figures. |

Vietnamese header aliases the samples rely on (matched case- and diacritic-insensitively):
`Năm` = year, `Mã đơn vị` = unit_code, `Danh hiệu` = title, `Tổng số` = eligible,
`Đăng ký` = registered, `Được công nhận` = recognized, `Tiêu biểu` = exemplary,
`Tỷ lệ` = reported_rate, `Ghi chú` = note. Title spellings used: `Gia đình hiếu học`,
`Gia đình học tập`, `gia dinh hoc tap`, `family` (and likewise for the other titles),
`Cộng đồng học tập` (community) vs `Cộng đồng học tập cấp xã` / `cong dong hoc tap cap xa`
(commune), `Công dân học tập` (citizen).

Counting conventions: rows read exclude the header line; a JSON submission counts one row per
tally, per fund object and per register item (the Chợ Lầu file: 2). Line numbers are physical
lines, 1 being the header, whatever the line ends (LF, CRLF, CR) or encoding.

Problems planted in the inbox (each listed below with its exact file and line):
a reported rate that is wrong (Liên Hương 2016) and one that is merely truncated (no finding);
a recognized count typed with a letter O (ingest reject); a mistyped commune code on two lines
(`22906` for Phong Nẫm's `22960` in the Phan Thiết 2018 file: with a province's own list an
unknown code, rejected; with the national lists it is Xã Phước Minh of Ninh Thuận (58), and the
two rows load as that commune's figures — every swap of two neighbouring digits of `22960` is some
commune's code, so the national lists turn a typo into another province's data; see the Ninh
Thuận rows below); clans recognized > registered (error: value excluded); a district total that
disagrees with its communes (cross-check, never added) and one that agrees (no finding);
households jumping more than 25 % in a year; a register list that disagrees with the tally; a
2025 report under the code of a commune abolished on 1 July 2025 (error: value excluded, the
finding names the new commune); a commune moved in parts (approximate comparison rows); a commune
that sent nothing for a year; a later resubmission that must win; a duplicate file.

## Rules the oracle applies (DESIGN §5, §6, and where DESIGN is silent)

- Supersession: per unit × year × title (tallies) and unit × year (funds) the row with the latest
  `submitted_at` wins, then the later file in ingest (name) order. A register list replaces an
  earlier list as a whole; list counts (registered, recognized, exemplary) beat tally counts;
  eligible comes from the tally only.
- Findings with severity `error` keep the value out of every aggregate (the unit counts as not
  reporting that title); `warning` keeps it. Severities: invariant breach — error; unit code not
  valid that year — error (the successor's own figures stand, counting both would double count);
  reported rate, register vs tally, district vs communes, eligible jump — warning.
- A reported rate passes when it equals the computed headline rate (recognized/eligible for family,
  community, commune, citizen; recognized/registered for clan, unit) rounded half away from zero
  **or** truncated to the decimals written.
- Eligible jump: family households of a unit vs the same unit's previous year, |change| > 25 %.
- Roll-up: per branch, the lowest level reported; a district (or province) tally for a title its
  communes report is only a cross-check, compared field by field with the sum of the communes'
  kept values. Sums are over known values (SQL `sum`): null only when no kept unit knows the value.
  Rates are ratios of those sums, rounded half away from zero to 2 decimals; null when the base is
  null or 0.
- The structure of a year is the units valid on its 31 December: up to 2024 commune → district →
  province, from 2025 commune → province. A unit reporting for a year in which it is not valid is
  an error finding (value excluded) naming where the unit went (the conversion table's new units,
  else its successor); it is the finding of the province its successor lies in that year.
- `units_expected`: the lowest-level units valid that year within the scope (communes; a district
  or province without any counts itself). `units_reporting`: those among them whose figure for the
  title is kept. A rates row exists when at least one unit's figure is summed (Hà Tĩnh's province
  tally: 0 of 210 communes reporting). Each kept commune figure also has a row of its own
  (`scope_level` commune, 1 of 1).
- Completeness: scope × year for every year in which the province has at least one kept figure;
  a unit reports when at least one title's figure is kept, or its own fund row; every expected
  commune also has a row of its own.
- Funds: per scope × year with data, summed over the lowest level reported; `cumulative_vnd` sums
  `mobilized_vnd` from the scope's first year up to that year. Money is whole VND.
- Targets: actual = the title's (or group's) headline rate of the scope and year; gap = actual −
  target; met = actual ≥ target; all null when actual is null.
- Levels and groups: a tally row with a level (`commune`: 1 or 2) or a group (`citizen`: adult,
  official) is a part of its title, superseded on its own; a unit that gave parts and no counts
  of the title itself has its title figure made from them — for levels the largest eligible
  given and, for a commune's own commune-level title, the largest of each count (recognised at
  level 2 it counts once), else their sums; for groups only recognized and exemplary, summed (the
  groups' bases cannot be added: the total has no rate). A scope's row per level or group sums
  the parts of the units whose title figure it sums; a commune's own row has its own parts' rows.
- Targets: the national targets (281/QĐ-TTg: 2020; 387/QĐ-TTg: 2025; 677/QĐ-TTg: the citizens'
  groups, 2025 and 2030) for every scope with a figure for the title (or group) that year —
  provinces, districts and communes (their own kept figure) — unless `targets.csv` has the
  province's own for that scope, title, group and year; every row of `targets.csv` stands. A
  target's scope is named and placed as it was in the target's year.
- Provisional: a scope × year whose expected units did not all report (a kept figure of any
  title, or their own fund); a commune's row when the commune sent nothing usable that year (so
  never a commune's own rates row); a comparison row when either year of any unit it sums is.
- Rankings: per scope, year and title the units one level below in the year's structure (a
  province's districts, a district's communes, and from 2025 a province's communes) by their
  printed headline rate, highest first; equal rates share a rank and the next skips; units
  without a rate (base unknown, or their figure excluded) last and unranked; a code not valid
  that year is no unit of it and is not ranked.
- Comparisons are made on the units of the later year: the earlier year's rows are re-added onto
  them along the conversion table's pairs of one level (commune onto commune, province onto
  province) dated after the earlier year's 31 December and by the later's; the figures of a unit
  moved whole or with all its population go to that successor (exact), those of a unit moved in
  parts wholly to the successor that kept its code, else the lowest code, and every row of its
  successors is approximate with it in `split_from`. A unit that ends where the later year has no
  such unit (a district in 2025) has no row.
- Comparison 2016 → 2020: for scope × title present in either year; delta = b − a for each count;
  `delta_pp` = headline rate b − headline rate a computed from the **exact** rates, then rounded
  (DESIGN §6: from exact values, never from rounded ones). The column "Δ of rounded" shows the
  difference of the two printed rates for information only: where it differs (marked ≠), a
  pipeline that subtracts rounded rates is wrong. `growth_percent` = (recognized b − recognized a)
  / recognized a, null when recognized a is 0 or null.
"""


def markdown(ing, tr):
    out = [INTRO]
    out.append("## 0. At a glance\n")
    out.append("Headline rate per title (the rate's numerator / denominator = rate): Tỉnh Bình "
               "Thuận (60) in 2016 and 2020, on the units of the time, and today's Tỉnh Lâm Đồng "
               "(68), which holds it, in 2025 (provisional: 12 of its 124 communes reported):\n")
    idx = {(r["scope_code"], r["year"], r["title"]): r for r in tr.rates
           if r["level"] is None and r["group"] is None}
    rows = []
    for t in TITLES:
        cells = [t, "rate_" + HEADLINE[t]]
        for scope, y in (("60", 2016), ("60", 2020), ("68", 2025)):
            r = idx.get((scope, y, t))
            h = HEADLINE[t]
            cells.append(f'{fmt(r["rate_%s_num" % h])}/{fmt(r["rate_%s_den" % h])} = '
                         f'{fmt(r["rate_" + h])}' if r and r["rate_" + h] is not None
                         else f'{fmt(r["recognized"])} recognized, no rate' if r else "—")
        rows.append(cells)
    out.append(table(["title", "headline", "60: 2016", "60: 2020", "68: 2025"], rows))
    lh = [(y, t, f) for (u, y, t), f in sorted(tr.facts.items()) if u == "22969" and y in (2016, 2019)]
    out.append("\nThị trấn Liên Hương (22969), the published figures: " + "; ".join(
        f'{y} {t} {f["recognized"]}/{f[HEADLINE[t]]} = {r2(pct(f["recognized"], f[HEADLINE[t]]))} %'
        for (y, t, f) in sorted(lh, key=lambda x: (x[0], TITLES.index(x[1]))) if t != "commune") + ".")
    out.append("\nTỉnh Lâm Đồng (68) as it is since 1 July 2025 (old Bình Thuận, Đắk Nông and Lâm "
               "Đồng), learning families, 2020 re-added onto today's units (`--compare 2020:2025`):")
    for c in tr.comparison_2025:
        if c["title"] == "family" and c["scope_code"] in ("68", "22969", "22972", "22978"):
            out.append(f'- {c["scope_code"]} {c["scope_name"]}: 2020 {fmt(c["recognized_a"])}/'
                       f'{fmt(c["eligible_a"])} = {fmt(c["rate_eligible_a"])} %'
                       + (f' (with {", ".join(c["merged_from"])})' if c["merged_from"] else "")
                       + f'; 2025 {fmt(c["recognized_b"])}/{fmt(c["eligible_b"])} = '
                       f'{fmt(c["rate_eligible_b"])} %; {fmt(c["delta_pp"])} pp'
                       + (f'; approximate: {", ".join(c["split_from"])} moved in parts'
                          if c["approximate"] else ""))
    out.append(f"\nFindings: {len(tr.findings)} "
               f"({sum(f['severity'] == 'error' for f in tr.findings)} errors). "
               f"Rejected rows: {len(ing.rejects)}. Files: {len(ing.files)} "
               f"({sum(f['status'] == 'duplicate' for f in ing.files)} duplicate).\n")
    out.append("## 1. Ingest\n")
    out.append("Files in ingest order. rows read = loaded + rejected; a duplicate reads nothing.\n")
    out.append(table(["file", "kind", "format", "status", "read", "loaded", "rejected"],
                     [[f'`{f["name"]}`', f["kind"] or "—",
                       (f'{f.get("encoding", "")}, {f.get("delimiter", "")}, {f.get("eol", "")}'
                        if f["kind"] not in (None, "json") else (f.get("encoding") or "—")),
                       f["status"] + (f' (of `{f["duplicate_of"]}`)' if f["duplicate_of"] else ""),
                       f["read"], f["loaded"], f["rejected"]] for f in ing.files]))
    out.append("\n### Rejected rows\n")
    out.append(table(["file", "line", "column", "value", "reason"],
                     [[f'`{r["file"]}`', r["line"], f'`{r["column"]}`', f'`{r["value"]}`',
                       r["reason"]] for r in ing.rejects]))
    causes = {}
    for r in ing.rejects:
        causes.setdefault((r["file"], r["reason"], r["value"]), []).append(r["line"])
    out.append("\nGrouped by cause (the `--summary` view): " + "; ".join(
        f'{reason} `{value}` in `{file}` at lines {", ".join(map(str, lines))}'
        for (file, reason, value), lines in causes.items()) + ".")
    out.append("\nThe raw lines:\n")
    out.append("```\n" + "\n".join(f'{r["file"]}:{r["line"]}: {r["raw"]}' for r in ing.rejects) + "\n```")
    out.append("\n### File warnings\n")
    for w in ing.warnings:
        out.append(f'- `{w["file"]}`: {w["message"]}')

    out.append("\n## 2. Findings\n")
    out.append("Sorted by year, unit, title. `line` is the physical line (1 = header) of the value at fault.\n")
    out.append(table(["code (descriptive)", "severity", "unit", "year", "title", "file:line", "message"],
                     [[f["code"], f["severity"], f["unit_code"], f["year"], f["title"],
                       f'`{f["file"]}:{f["line"]}`' if f["line"] else f'`{f["file"]}`',
                       f["message"]] for f in tr.findings]))
    out.append("\nNot findings (a correct pipeline must stay quiet): Liên Hương 2016 community "
               "`21,42` (3/14 = 21.428…, truncated); every other written rate; Bắc Bình's 2019 "
               "family total `596` (equals its communes); Vĩnh Hảo's households 2,790 → 3,420 "
               "(+22.58 %); villages 6 → 9 there (the jump rule is about households); Chợ Lầu's "
               "superseded 2020 row (4,123 recognized); Xã Vĩnh Tân (22984) reporting in 2020 (it "
               "was valid until 30 June 2025); 2025 reports under 22969, 22972, 22978, 22981, "
               "23005, 23020 and 23041, codes the new communes kept; Liên Hương's 2025 citizens "
               "given as a total and by group; Xã Bắc Bình (23005) recognised at levels 1 and 2 in "
               "2025, counted once.")

    out.append("\n## 3. Facts of Thị trấn Liên Hương (22969)\n")
    rows = []
    for (u, y, t), f in sorted(tr.facts.items(), key=lambda kv: (kv[0][1], TITLES.index(kv[0][2]))):
        if u != "22969":
            continue
        h = HEADLINE[t]
        rows.append([y, t, f["eligible"], f["registered"], f["recognized"], f["exemplary"],
                     r2(pct(f["recognized"], f["eligible"])),
                     r2(pct(f["recognized"], f["registered"])),
                     f'`{f["file"]}:{f["line"]}`'])
    out.append(table(["year", "title", "eligible", "registered", "recognized", "exemplary",
                      "rate_eligible", "rate_registered", "source"], rows))

    out.append("\n## 4. Rates (`rates`)\n")
    out.append("Scope × year × title, the title's row (level and group empty) before a row per "
               "level or group. Sorted by province, province before its districts, code, year, "
               "title. `prov.`: provisional (fewer units reporting than expected). Provinces "
               "and districts here; the commune rows (one per commune, year and title whose own "
               "figure is kept, with its levels' and groups' rows) are in `--json` and in 4b.\n")
    big = [r for r in tr.rates if r["scope_level"] != "commune"]
    out.append(table(["scope", "name", "year", "title", "level", "group", "eligible", "registered",
                      "recognized", "exemplary", "rate_eligible", "rate_registered", "reporting",
                      "expected", "prov."],
                     [[r["scope_code"], r["scope_name"], r["year"], r["title"],
                       r["level"] if r["level"] is not None else "",
                       r["group"] or "", r["eligible"],
                       r["registered"], r["recognized"], r["exemplary"], r["rate_eligible"],
                       r["rate_registered"], r["units_reporting"], r["units_expected"],
                       r["provisional"]]
                      for r in big]))
    per_year = {}
    for r in tr.rates:
        if r["scope_level"] == "commune" and r["level"] is None and r["group"] is None:
            per_year[r["year"]] = per_year.get(r["year"], 0) + 1
    out.append("\n### 4b. Commune rows\n")
    out.append("Title rows per year: " + ", ".join(f"{y}: {n}" for y, n in sorted(per_year.items()))
               + f" ({sum(r['scope_level'] == 'commune' for r in tr.rates)} commune rows with the "
               "levels' and groups'). The learning families of 2020 (districts) and 2025 "
               "(directly under the province), then the 2025 communes' levels and groups:\n")
    out.append(table(["scope", "name", "province", "district", "year", "eligible", "recognized",
                      "rate_eligible"],
                     [[r["scope_code"], r["scope_name"], r["_province"], r["district_code"],
                       r["year"], r["eligible"], r["recognized"], r["rate_eligible"]]
                      for r in tr.rates if r["scope_level"] == "commune" and r["title"] == "family"
                      and r["year"] in (2020, 2025)]))
    out.append("")
    out.append(table(["scope", "name", "year", "title", "level", "group", "eligible", "registered",
                      "recognized", "rate_eligible"],
                     [[r["scope_code"], r["scope_name"], r["year"], r["title"],
                       r["level"] if r["level"] is not None else "", r["group"] or "",
                       r["eligible"], r["registered"], r["recognized"], r["rate_eligible"]]
                      for r in tr.rates if r["scope_level"] == "commune" and r["year"] == 2025
                      and (r["level"] is not None or r["group"] is not None)]))

    out.append("\n## 5. Completeness (`completeness`)\n")
    out.append("Provinces and districts; every expected commune also has a row of its own "
               f"({sum(c['scope_level'] == 'commune' for c in tr.completeness)} in all). The "
               "expected units are the real lists': Bình Thuận's 121 communes of the 4 January "
               "2025 list for every year up to 2024, Lâm Đồng's 124 of 1 July 2025 for 2025.\n")
    out.append(table(["scope", "name", "year", "expected", "reporting", "percent", "missing"],
                     [[c["scope_code"], c["scope_name"], c["year"], c["units_expected"],
                       c["units_reporting"], c["percent"],
                       (" ".join(c["missing"]) if len(c["missing"]) <= 12 else
                        " ".join(c["missing"][:12]) + f" … ({len(c['missing'])})") or "—"]
                      for c in tr.completeness if c["scope_level"] != "commune"]))

    out.append("\n## 6. Funds (`funds`)\n")
    out.append(table(["scope", "name", "year", "mobilized_vnd", "mobilized_million_vnd",
                      "cumulative_vnd", "scholarships", "scholarship_vnd", "units_reporting",
                      "prov."],
                     [[r["scope_code"], r["scope_name"], r["year"], r["mobilized_vnd"],
                       r["mobilized_million_vnd"], r["cumulative_vnd"], r["scholarships"],
                       r["scholarship_vnd"], r["units_reporting"], r["provisional"]]
                      for r in tr.fund_rows]))
    sup = [(k, r) for k, r in sorted(tr.funds.items()) if r["superseded"]]
    for (u, y), r in sup:
        out.append(f'\nSuperseded fund value: {u} {y} — `{where(r)}` wins over '
                   + ", ".join(f"`{s}`" for s in r["superseded"]) + ".")

    out.append("\n## 7. Targets (`targets`)\n")
    out.append("Every target in force: the national ones (281/QĐ-TTg for 2020, 387/QĐ-TTg for "
               "2025, 677/QĐ-TTg for the citizens' groups) for every scope that reported the title "
               "(or group) that year, and the province's own from `targets.csv`, which replace "
               "them. Provinces and districts in full; of the communes, those below target (the "
               "JSON, and so the tests, have every row).\n")
    out.append(table(["scope", "name", "title", "group", "year", "target", "source", "headline",
                      "actual", "fraction", "gap_pp", "met", "prov."],
                     [[t["scope_code"], t["scope_name"], t["title"], t["group"] or "", t["year"],
                       t["target_percent"], t["source"], "rate_" + t["headline"],
                       t["actual_percent"],
                       f'{fmt(t["numerator"])}/{fmt(t["denominator"])}', t["gap_pp"], t["met"],
                       t["provisional"]]
                      for t in tr.target_rows
                      if t["scope_level"] != "commune" or t["met"] is False]))
    out.append(f'\n{len(tr.target_rows)} targets in all, '
               f'{sum(t["scope_level"] == "commune" for t in tr.target_rows)} of them communes\', '
               f'{sum(t["met"] is False for t in tr.target_rows)} missed.')

    out.append("\n## 7a. Rankings (`rankings`), 2025\n")
    out.append("The units under each scope by the title's headline rate (districts in a province, "
               "communes in a district, and from 2025, when there are no districts, communes in a "
               "province); the same printed rate shares a rank (1, 2, 2, 4); units without a rate "
               "last, unranked; a code not valid in the year (22987 in 2025) is no unit of it. "
               f"2025 here; the JSON has every year ({len(tr.rankings)} rows).\n")
    out.append(table(["scope", "year", "title", "rank", "unit", "name", "rate", "fraction", "prov."],
                     [[k["scope_code"], k["year"], k["title"], k["rank"],
                       f'{k["unit_level"]} {k["unit_code"]}', k["unit_name"], k["rate"],
                       f'{fmt(k["numerator"])}/{fmt(k["denominator"])}', k["provisional"]]
                      for k in tr.rankings if k["year"] == 2025]))

    for title_, rows_, note in (
            ("## 8. Comparison 2016 → 2020 (`comparison`, the default)",
             [c for c in tr.comparison if c["scope_level"] != "commune"],
             "Provinces and districts (both years on the units of 2020, which are those of 2016 "
             "here); the commune rows are in `--json`.\n"),
            ("## 9. Comparison 2020 → 2025 on today's units (`--compare 2020:2025`)",
             tr.comparison_2025,
             "2020's figures re-added onto the units of 2025 through the conversion table: "
             "Xã Liên Hương (22969) took 22987, 22990 and 22999 whole (exact); old Xã Phong Phú "
             "(22978) went in parts to 22972 and 22978, so its figures go wholly to 22978, the "
             "successor that kept its code, and both rows are approximate; Tỉnh Lâm Đồng (68) "
             "adds old Bình Thuận's province figures (old Lâm Đồng and Đắk Nông sent none). "
             "Districts have no row: there are none in 2025.\n")):
        out.append("\n" + title_ + "\n")
        out.append(note)
        out.append(table(["scope", "title", "merged_from", "approx. (split_from)",
                          "eligible a→b", "registered a→b", "recognized a→b",
                          "exemplary a→b", "rate_eligible a→b", "rate_registered a→b",
                          "Δ recognized", "delta_pp (headline)", "Δ of rounded",
                          "growth_percent", "prov."],
                         [[c["scope_code"], c["title"], " ".join(c["merged_from"]) or "—",
                           " ".join(c["split_from"]) if c["approximate"] else "—",
                           f'{fmt(c["eligible_a"])} → {fmt(c["eligible_b"])}',
                           f'{fmt(c["registered_a"])} → {fmt(c["registered_b"])}',
                           f'{fmt(c["recognized_a"])} → {fmt(c["recognized_b"])}',
                           f'{fmt(c["exemplary_a"])} → {fmt(c["exemplary_b"])}',
                           f'{fmt(c["rate_eligible_a"])} → {fmt(c["rate_eligible_b"])}',
                           f'{fmt(c["rate_registered_a"])} → {fmt(c["rate_registered_b"])}',
                           c["delta_recognized"], c["delta_pp"],
                           (c["delta_pp_of_rounded"]
                            + (" ≠" if c["delta_pp_of_rounded"] != c["delta_pp"] else ""))
                           if c["delta_pp_of_rounded"] is not None else None,
                           c["growth_percent"], c["provisional"]] for c in rows_]))
    return "\n".join(out) + "\n"


def as_json(ing, tr):
    def clean(rows):
        return [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]
    return json.dumps({
        "files": ing.files,
        "rejects": ing.rejects,
        "file_warnings": ing.warnings,
        "findings": tr.findings,
        "rates": clean(tr.rates),
        "completeness": clean(tr.completeness),
        "funds": clean(tr.fund_rows),
        "targets": tr.target_rows,
        "rankings": clean(tr.rankings),
        "comparison": clean(tr.comparison),
        "comparison_2020_2025": clean(tr.comparison_2025),
    }, ensure_ascii=False, indent=1, default=str)


def main():
    ing = Ingest()
    ing.run()
    tr = Transform(ing)
    tr.compute()
    if "--json" in sys.argv[1:]:
        print(as_json(ing, tr))
    else:
        sys.stdout.write(markdown(ing, tr))


if __name__ == "__main__":
    main()
