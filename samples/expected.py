#!/usr/bin/env python3
"""Independent oracle for the hoctap samples.

Reads samples/units.csv, samples/targets.csv and samples/inbox/* and computes,
following DESIGN.md §4–§6, what a correct pipeline must produce from them:
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
def load_units():
    units = {}
    with open(os.path.join(HERE, "units.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            units[row["code"]] = row
    return units


UNITS = load_units()


def valid_in(code, year):
    u = UNITS[code]
    if u["valid_from"] and u["valid_from"] > f"{year}-12-31":
        return False
    if u["valid_to"] and u["valid_to"] < f"{year}-01-01":
        return False
    return True


def province_of(code):
    while UNITS[code]["parent_code"]:
        code = UNITS[code]["parent_code"]
    return code


def children(code):
    return sorted(c for c, u in UNITS.items() if u["parent_code"] == code)


def leaves(code):
    """Lowest-level reference units within a scope (itself if it has none)."""
    ch = children(code)
    if not ch:
        return [code]
    out = []
    for c in ch:
        out += leaves(c)
    return out


def restore_code(code):
    if code in UNITS:
        return code
    if code.isdigit():
        m = [c for c in UNITS if c.lstrip("0") == code.lstrip("0") and len(c) > len(code)]
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
            lvl = UNITS[unit]["level"]
            src_file, src_line = f["file"] or f.get("register_file"), f["line"]
            # a code no longer (or not yet) valid that year
            if not valid_in(unit, year):
                succ = UNITS[unit]["successor_code"]
                self.finding("unit_not_valid", "error", unit, year, title,
                             f'{UNITS[unit]["name"]} ({unit}) was not valid in {year}'
                             + (f' (valid to {UNITS[unit]["valid_to"]}, successor {succ} '
                                f'{UNITS[succ]["name"]})' if succ else ""),
                             src_file, src_line)
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
            entity = levels and title == "commune" and UNITS[unit]["level"] == "commune"

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
        exp = [u for u in leaves(scope) if valid_in(u, year)]
        rep = set()
        for title in TITLES:
            rep |= {f["unit"] for f in self.rollup(scope, year, title, cross=False)}
        rep |= {r["unit_code"] for r in self.fund_rollup(scope, year)}
        return len([u for u in exp if u in rep]) < len(exp)

    # ---- roll-up: the lowest level reported, per branch
    def kept(self, unit, year, title):
        f = self.facts.get((unit, year, title))
        return f if f and not f["excluded_by"] else None

    def rollup(self, scope, year, title, cross=True):
        """Returns (list of facts used, list of leaf units that reported)."""
        ch = [c for c in children(scope)]
        used = []
        for c in ch:
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
                         f'{UNITS[scope]["name"]} total differs from the sum of its communes: '
                         + "; ".join(diffs) + " (commune figures are used)",
                         own["file"], own["line"])

    def compute(self):
        self._checked = set()
        years = sorted({y for (_, y, _) in self.facts})
        self.rates = []
        provinces = sorted(c for c, u in UNITS.items() if u["level"] == "province")
        scopes = []
        for p in provinces:
            scopes.append(p)
            scopes += [d for d in children(p) if UNITS[d]["level"] == "district"]
        for scope in scopes:
            prov = province_of(scope)
            for year in years:
                exp_units = [u for u in leaves(scope) if valid_in(u, year)]
                for title in TITLES:
                    used = self.rollup(scope, year, title)
                    if not used:
                        continue
                    row = {"scope_level": UNITS[scope]["level"], "scope_code": scope,
                           "scope_name": UNITS[scope]["name"], "year": year, "title": title}
                    for c in COUNTS:
                        vals = [u[c] for u in used if u[c] is not None]
                        row[c] = sum(vals) if vals else None
                    row["rate_eligible"] = r2(pct(row["recognized"], row["eligible"]))
                    row["rate_registered"] = r2(pct(row["recognized"], row["registered"]))
                    row["_exact_eligible"] = pct(row["recognized"], row["eligible"])
                    row["_exact_registered"] = pct(row["recognized"], row["registered"])
                    rep = {u["unit"] for u in used}
                    row["units_reporting"] = len([u for u in exp_units if u in rep])
                    row["units_expected"] = len(exp_units)
                    row["_province"] = prov
                    row["level"] = row["group"] = None
                    row["provisional"] = self.provisional(scope, year)
                    self.rates.append(row)
                    # a row per level or group: the parts of the units summed above
                    kp = self.kept_parts(used)
                    for part in sorted(kp, key=lambda x: (isinstance(x, str),
                                                          ["adult", "official"].index(x)
                                                          if isinstance(x, str) else x)):
                        ps = kp[part]
                        prow = dict(row)
                        prow["level"] = part if not isinstance(part, str) else None
                        prow["group"] = part if isinstance(part, str) else None
                        for c in COUNTS:
                            vals = [q[c] for q in ps if q[c] is not None]
                            prow[c] = sum(vals) if vals else None
                        prow["rate_eligible"] = r2(pct(prow["recognized"], prow["eligible"]))
                        prow["rate_registered"] = r2(pct(prow["recognized"], prow["registered"]))
                        prow["_exact_eligible"] = pct(prow["recognized"], prow["eligible"])
                        prow["_exact_registered"] = pct(prow["recognized"], prow["registered"])
                        prow["units_reporting"] = len([u for u in exp_units
                                                       if u in {q["unit"] for q in ps}])
                        self.rates.append(prow)
        # provinces first reach districts' cross-checks; run district-level ones too
        self.rates.sort(key=lambda r: (r["_province"], r["scope_level"] != "province",
                                       r["scope_code"], r["year"], TITLES.index(r["title"])))

        # completeness: scope x year for the years a province has any kept tally figure
        self.completeness = []
        for scope in scopes:
            prov = province_of(scope)
            pyears = sorted({y for (u, y, t), f in self.facts.items()
                             if province_of(u) == prov and not f["excluded_by"]})
            for year in pyears:
                exp_units = [u for u in leaves(scope) if valid_in(u, year)]
                rep = set()
                for title in TITLES:
                    rep |= {u["unit"] for u in self.rollup(scope, year, title, cross=False)}
                reporting = [u for u in exp_units if u in rep]
                missing = sorted(set(exp_units) - set(reporting))
                self.completeness.append({
                    "scope_level": UNITS[scope]["level"], "scope_code": scope,
                    "scope_name": UNITS[scope]["name"], "year": year,
                    "units_expected": len(exp_units), "units_reporting": len(reporting),
                    "percent": r2(pct(len(reporting), len(exp_units))), "missing": missing})

        # funds: lowest level reported, per scope and year, with cumulative sums
        self.fund_rows = []
        for scope in scopes:
            fyears = sorted({y for (u, y) in self.funds if province_of(u) == province_of(scope)})
            cum = 0
            for year in fyears:
                used = self.fund_rollup(scope, year)
                if not used:
                    continue
                mob = sum(r["mobilized_vnd"] for r in used if r["mobilized_vnd"] is not None)
                cum += mob
                sch = [r["scholarships"] for r in used if r["scholarships"] is not None]
                sv = [r["scholarship_vnd"] for r in used if r["scholarship_vnd"] is not None]
                self.fund_rows.append({
                    "scope_level": UNITS[scope]["level"], "scope_code": scope,
                    "scope_name": UNITS[scope]["name"], "year": year,
                    "mobilized_vnd": mob, "mobilized_million_vnd": million(mob),
                    "cumulative_vnd": cum, "scholarships": sum(sch) if sch else None,
                    "scholarship_vnd": sum(sv) if sv else None,
                    "units_reporting": len(used),
                    "provisional": self.provisional(scope, year)})

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
            if UNITS[u]["level"] == "commune" and not f["excluded_by"]:
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
            if UNITS[scope]["level"] == "commune":
                f = self.kept(scope, year, title)
                if f is not None and group is not None:
                    ps = self.kept_parts([f]).get(group)
                    f = ps[0] if ps else None
                num = f["recognized"] if f else None
                den = f[h] if f else None
                exact = pct(num, den)
                reported_any = (any(not g["excluded_by"] for (u, y, _), g in self.facts.items()
                                    if u == scope and y == year)
                                or ((scope, year) in self.funds and valid_in(scope, year)))
                prov = not reported_any
            else:
                rr = [r for r in self.rates if r["scope_code"] == scope and r["year"] == year
                      and r["title"] == title and r["group"] == group and r["level"] is None]
                exact = rr[0]["_exact_" + h] if rr else None
                num = rr[0]["recognized"] if exact is not None else None
                den = rr[0][h] if exact is not None else None
                prov = self.provisional(scope, year)
            actual = r2(exact) if exact is not None else None
            self.target_rows.append({
                "scope_level": UNITS[scope]["level"], "scope_code": scope,
                "scope_name": UNITS[scope]["name"], "title": title, "group": group,
                "year": year, "target_percent": r2(target), "source": source, "headline": h,
                "actual_percent": actual, "numerator": num, "denominator": den,
                "gap_pp": r2(Fraction(actual) - target) if actual is not None else None,
                "met": (Fraction(actual) >= target) if actual is not None else None,
                "provisional": prov})
        self.target_rows.sort(key=lambda t: (province_of(t["scope_code"]),
                                             ["province", "district", "commune"].index(t["scope_level"]),
                                             t["scope_code"], TITLES.index(t["title"]),
                                             t["group"] or "", t["year"]))

        # rankings: the units under each scope by the title's headline rate
        self.rankings = []
        for (scope, year, title) in sorted({(province_of(r["scope_code"]), r["year"], r["title"])
                                            for r in totals}
                                           | {(UNITS[u]["parent_code"], y, t)
                                              for (u, y, t) in self.facts
                                              if UNITS[u]["level"] == "commune"}):
            h = HEADLINE[title]
            units = []
            for r in totals:
                if (r["scope_level"] == "district" and UNITS[r["scope_code"]]["parent_code"] == scope
                        and r["year"] == year and r["title"] == title):
                    known = r["_exact_" + h] is not None
                    units.append(("district", r["scope_code"], r["rate_" + h],
                                  r["recognized"] if known else None, r[h] if known else None))
            for (u, y, t), f in self.facts.items():
                if (UNITS[u]["level"] == "commune" and UNITS[u]["parent_code"] == scope
                        and y == year and t == title):
                    kept = not f["excluded_by"]
                    num = f["recognized"] if kept else None
                    den = f[h] if kept and num is not None else None
                    units.append(("commune", u, r2(pct(num, den)) if den else None,
                                  num if den is not None else None, den))
            if not units:
                continue
            rated = sorted((Fraction(x[2]) for x in units if x[2] is not None), reverse=True)
            units.sort(key=lambda x: (x[2] is None, -Fraction(x[2]) if x[2] else 0, x[1]))
            for (lvl, code, rate, num, den) in units:
                self.rankings.append({
                    "scope_level": UNITS[scope]["level"], "scope_code": scope, "year": year,
                    "title": title,
                    "rank": (1 + sum(1 for v in rated if v > Fraction(rate))) if rate else None,
                    "unit_level": lvl, "unit_code": code, "unit_name": UNITS[code]["name"],
                    "rate": rate, "numerator": num, "denominator": den,
                    "provisional": self.provisional(scope, year)})

        self.rankings.sort(key=lambda k: (province_of(k["scope_code"]),
                                          k["scope_level"] != "province", k["scope_code"],
                                          k["year"], TITLES.index(k["title"]),
                                          k["rank"] is None, k["rank"] or 0, k["unit_code"]))

        # comparison 2016 vs 2020
        self.comparison = []
        idx = {(r["scope_code"], r["year"], r["title"]): r for r in totals}
        for scope in scopes:
            for title in TITLES:
                a, b = idx.get((scope, 2016, title)), idx.get((scope, 2020, title))
                if not a or not b:
                    continue
                row = {"scope_level": UNITS[scope]["level"], "scope_code": scope,
                       "scope_name": UNITS[scope]["name"], "title": title}
                for c in COUNTS + ["rate_eligible", "rate_registered", "units_reporting"]:
                    row[c + "_a"], row[c + "_b"] = a[c], b[c]
                for c in COUNTS:
                    row["delta_" + c] = (b[c] - a[c]) if a[c] is not None and b[c] is not None else None
                h = HEADLINE[title]
                ea, eb = a["_exact_" + h], b["_exact_" + h]
                row["headline"] = h
                row["delta_pp"] = r2(eb - ea) if ea is not None and eb is not None else None
                row["delta_pp_of_rounded"] = (r2(Fraction(b["rate_" + h]) - Fraction(a["rate_" + h]))
                                              if ea is not None and eb is not None else None)
                row["growth_percent"] = (r2(pct(b["recognized"] - a["recognized"], a["recognized"]))
                                         if a["recognized"] else None)
                row["provisional"] = self.provisional(scope, 2016) or self.provisional(scope, 2020)
                self.comparison.append(row)

        self.findings.sort(key=lambda f: (f["year"], f["unit_code"], TITLES.index(f["title"]), f["code"]))

    def fund_rollup(self, scope, year):
        used = []
        for c in children(scope):
            used += self.fund_rollup(c, year)
        if used:
            return used
        r = self.funds.get((scope, year))
        if r and valid_in(scope, year):
            return [r]
        return []


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
| `units.csv` | reference units (DESIGN §4.1): Tỉnh Bình Thuận `60` with four of its districts — Thành phố Phan Thiết `593`, Thị xã La Gi `594`, Huyện Tuy Phong `595`, Huyện Bắc Bình `596` — and 16 of their communes (real statistics-office codes; a subset of each district's communes), plus Tỉnh Hà Tĩnh `42` at province level only. One merger: Xã Vĩnh Tân `22984` ends on 2019-12-31 and its successor Xã Vĩnh Hảo `22981` keeps its own code (illustrative: modelled on the 2025 merger of the two communes, dated 2020 so it falls inside the 2016–2020 plan). So Bình Thuận expects 16 communes in 2016–2019 and 15 from 2020. |
| `targets.csv` | the province's own targets, which replace the national ones hoctap ships (281/QĐ-TTg for 2020, 387/QĐ-TTg for 2025, 677/QĐ-TTg for the learning citizens; every scope that reported gets them without a file): one district plan for Tuy Phong `595` for 2020 (60/40/50/30/50: the district plan quoted in DESIGN §2, taken from Trà Bồng's 2017 plan) and Tuy Phong's own 75 % of families for 2025 (illustrative: above the national 70 %, and missed). Hà Tĩnh's 2020 families get the national 70 % (no base known: actual is null). |
| `inbox/` | the submissions, named by arrival date so that name order is ingest order. Every commune × year × title is in one district file per year, each district with its own habits: **Tuy Phong** — UTF-8 BOM, `;`, CRLF, Vietnamese headers, Vietnamese numbers (`7.105`), Bình Thuận's title names (`Gia đình hiếu học`, `Dòng họ hiếu học`), the percent the commune wrote (`Tỷ lệ`) and notes; **Bắc Bình** — TAB-delimited, English headers, unaccented titles (`gia dinh hoc tap`); **La Gi** — `,`, English headers and title keys, a quoted note containing a comma, the 2018 file saved with CR line ends (Excel for Mac); **Phan Thiết** — `;` without BOM, Vietnamese headers and numbers, accented titles, the 2020 file exported as Excel "Unicode Text" (UTF-16LE with BOM, TAB, CRLF). |
| `inbox/2017-01-12-tuyphong-lienhuong-2016.csv` | Thị trấn Liên Hương's 2016 figures as published in its five-year report (seed 002): 2,631 of 7,105 households written as `37,28` % (true 37.03 % → finding), clans 2/3 = `66,67`, khu phố 3/14 written `21,42` (a truncation of 21.428…: **no** finding), units 8/10 = `80`. The 2019 figures (5,557/7,862 = `70,68`, clans 2/2, khu phố 8/14 = `57,14`, units 10/10) are in the Tuy Phong 2019 file. Registered and exemplary counts, and all other years, are illustrative. |
| `inbox/2017-01-13-tuyphong-lienhuong-2016-gui-lai.csv` | the same bytes sent again the next day ("gửi lại"): a duplicate, a no-op. |
| `inbox/2020-01-14-tuyphong-phandung-2019-danhsach-hgd.csv` | Xã Phan Dũng's 2019 household register (danh sách hộ gia đình, 430 rows, deterministic): `registered` as `có`/`không`, `recognized` and `exemplary` as `x`/empty, scores with a decimal comma in quotes (`"85,5"`). It counts 410 registered / 352 recognized / 7 exemplary where the tally in the Tuy Phong 2019 file says 405 / 348 / 6: a finding, and the list wins; eligible (536) still comes from the tally. |
| `inbox/2021-01-18-bacbinh-cholau-dieuchinh-2020.json` | a JSON resubmission ("điều chỉnh") from Thị trấn Chợ Lầu with a later `submitted_at` than the Bắc Bình 2020 file: it corrects the family tally (recognized 4,123 → 4,213, two digits swapped) and the fund (162.7 → 186.5 million VND, 53 → 64 scholarships). It must win. |
| `inbox/*-binhthuan-quykhuyenhoc-*.csv` | the education-promotion fund per commune and year: `mobilized_million_vnd` with a decimal comma (`142,5`), in 2019 whole VND with thousands dots (`178.800.000`), in 2020 with `submitted_at`. |
| `inbox/2020-10-05-hatinh-*.csv` | Hà Tĩnh's province-level figures from its 2020 five-year report (seed 004): learning families 179,701 (2016) and 309,845 (2020) with 5,850 exemplary ("tiêu biểu xuất sắc", a period figure recorded against 2020), learning clans 4,313 in 2020, "1,937 more than in 2016" (so 2,376 in 2016). The fund file holds 346,458 million VND over 2016–2020 as published; only the five-year total is published, the split by year is illustrative (so the 2020 cumulative is the published figure). It has an extra `note` column (a file warning, not a reject). No base (households, registered clans) is published: those rates are null. |
| `inbox/2022-01-10-tuyphong-lienhuong-2021.csv` | Liên Hương's 2021 figures, the first year of "Công dân học tập" (citizen) under 387/QĐ-TTg; no other commune has reported 2021 yet (a provisional year: 1 of 15 communes). |
| `inbox/2026-01-12-tuyphong-2025.csv` | Tuy Phong's 2025 figures (illustrative, on the units of the sample; Tuy Phong's habits), with the two new columns: `Mức độ` — each commune's commune-level learning community at level 1 and level 2 (Thông tư 25/2023/TT-BGDĐT), Liên Hương recognised at both in the year (level 1 in March, level 2 in December: it counts once in the total), the others at level 1 or none; `Nhóm đối tượng` — learning citizens counted on two bases (677/QĐ-TTg), `Người lớn` (adults of learning families, clans and communities) and `Cán bộ, công chức` (officials of learning units). Families: 80.00, 75.00, 75.00 and 62.00 % (a tie in the ranking, and Vĩnh Hảo below the national 70 %); Phan Rí Cửa's adults 35.00 % (below 40). |
| `inbox/2026-01-14-bacbinh-2025.csv` | Bắc Bình's 2025 figures in its habits (TAB, English headers, unaccented words): `level` as `muc do 1`/`muc do 2` (Chợ Lầu at level 2), `group` as `nguoi lon` and `can bo, cong chuc`. With Tuy Phong's, 8 of Bình Thuận's 15 communes have reported 2025: the province's 2025 is provisional, the two districts' are not. |

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
(ingest reject, one cause); clans recognized > registered (error: value excluded); a district total
that disagrees with its communes (cross-check, never added) and one that agrees (no finding);
households jumping more than 25 % in a year; a register list that disagrees with the tally; a
commune reporting under the code of a commune merged away (error: value excluded); a commune that
sent nothing for a year; a later resubmission that must win; a duplicate file.

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
- `units_expected`: the lowest-level reference units valid that year within the scope (communes;
  a province without communes in the reference, Hà Tĩnh, counts itself). `units_reporting`: those
  among them whose figure for the title is kept. A rates row exists when `units_reporting` ≥ 1.
- Completeness: scope × year for every year in which the province has at least one kept tally
  figure; a commune reports when at least one title's figure is kept.
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
  the parts of the units whose title figure it sums.
- Targets: the national targets (281/QĐ-TTg: 2020; 387/QĐ-TTg: 2025; 677/QĐ-TTg: the citizens'
  groups, 2025 and 2030) for every scope with a figure for the title (or group) that year —
  provinces, districts and communes (their own kept figure) — unless `targets.csv` has the
  province's own for that scope, title, group and year; every row of `targets.csv` stands.
- Provisional: a scope × year whose expected units did not all report (a kept figure of any
  title, or their own fund); a commune's target when the commune sent nothing usable that year.
- Rankings: per scope, year and title the units one level below (a province's districts, a
  district's communes) by their printed headline rate, highest first; equal rates share a rank
  and the next skips; units without a rate (base unknown, or their figure excluded) last and
  unranked.
- Comparison 2016 → 2020: for scope × title present in both years; delta = b − a for each count;
  `delta_pp` = headline rate b − headline rate a computed from the **exact** rates, then rounded
  (DESIGN §6: from exact values, never from rounded ones). The column "Δ of rounded" shows the
  difference of the two printed rates for information only: where it differs (marked ≠), a
  pipeline that subtracts rounded rates is wrong. `growth_percent` = (recognized b − recognized a)
  / recognized a, null when recognized a is 0 or null.
"""


def markdown(ing, tr):
    out = [INTRO]
    out.append("## 0. At a glance\n")
    out.append("Tỉnh Bình Thuận (60), headline rate per title (recognized / base, rate):\n")
    idx = {(r["scope_code"], r["year"], r["title"]): r for r in tr.rates
           if r["level"] is None and r["group"] is None}
    rows = []
    for t in TITLES:
        cells = [t, "rate_" + HEADLINE[t]]
        for y in (2016, 2020, 2025):
            r = idx.get(("60", y, t))
            cells.append(f'{fmt(r["recognized"])}/{fmt(r[HEADLINE[t]])} = '
                         f'{fmt(r["rate_" + HEADLINE[t]])}' if r else "—")
        rows.append(cells)
    out.append(table(["title", "headline", "2016", "2020", "2025 (provisional)"], rows))
    lh = [(y, t, f) for (u, y, t), f in sorted(tr.facts.items()) if u == "22969" and y in (2016, 2019)]
    out.append("\nThị trấn Liên Hương (22969), the published figures: " + "; ".join(
        f'{y} {t} {f["recognized"]}/{f[HEADLINE[t]]} = {r2(pct(f["recognized"], f[HEADLINE[t]]))} %'
        for (y, t, f) in sorted(lh, key=lambda x: (x[0], TITLES.index(x[1]))) if t != "commune") + ".")
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
               "after absorbing Vĩnh Tân (+22.58 %); villages 6 → 9 there (the jump rule is about "
               "households); Chợ Lầu's superseded 2020 row (4,123 recognized).")

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
               "title. `prov.`: provisional (fewer units reporting than expected).\n")
    out.append(table(["scope", "name", "year", "title", "level", "group", "eligible", "registered",
                      "recognized", "exemplary", "rate_eligible", "rate_registered", "reporting",
                      "expected", "prov."],
                     [[r["scope_code"], r["scope_name"], r["year"], r["title"],
                       r["level"] if r["level"] is not None else "",
                       r["group"] or "", r["eligible"],
                       r["registered"], r["recognized"], r["exemplary"], r["rate_eligible"],
                       r["rate_registered"], r["units_reporting"], r["units_expected"],
                       r["provisional"]]
                      for r in tr.rates]))

    out.append("\n## 5. Completeness (`completeness`)\n")
    out.append(table(["scope", "name", "year", "expected", "reporting", "percent", "missing"],
                     [[c["scope_code"], c["scope_name"], c["year"], c["units_expected"],
                       c["units_reporting"], c["percent"], " ".join(c["missing"]) or "—"]
                      for c in tr.completeness]))

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
               "communes in a district); the same printed rate shares a rank (1, 2, 2, 4); units "
               "without a rate last, unranked. 2025 here; the JSON has every year "
               f"({len(tr.rankings)} rows).\n")
    out.append(table(["scope", "year", "title", "rank", "unit", "name", "rate", "fraction", "prov."],
                     [[k["scope_code"], k["year"], k["title"], k["rank"],
                       f'{k["unit_level"]} {k["unit_code"]}', k["unit_name"], k["rate"],
                       f'{fmt(k["numerator"])}/{fmt(k["denominator"])}', k["provisional"]]
                      for k in tr.rankings if k["year"] == 2025]))

    out.append("\n## 8. Comparison 2016 → 2020 (`comparison`)\n")
    out.append(table(["scope", "title", "eligible a→b", "registered a→b", "recognized a→b",
                      "exemplary a→b", "rate_eligible a→b", "rate_registered a→b",
                      "Δ eligible", "Δ registered", "Δ recognized", "Δ exemplary",
                      "delta_pp (headline)", "Δ of rounded", "growth_percent"],
                     [[c["scope_code"], c["title"],
                       f'{fmt(c["eligible_a"])} → {fmt(c["eligible_b"])}',
                       f'{fmt(c["registered_a"])} → {fmt(c["registered_b"])}',
                       f'{fmt(c["recognized_a"])} → {fmt(c["recognized_b"])}',
                       f'{fmt(c["exemplary_a"])} → {fmt(c["exemplary_b"])}',
                       f'{fmt(c["rate_eligible_a"])} → {fmt(c["rate_eligible_b"])}',
                       f'{fmt(c["rate_registered_a"])} → {fmt(c["rate_registered_b"])}',
                       c["delta_eligible"], c["delta_registered"], c["delta_recognized"],
                       c["delta_exemplary"], c["delta_pp"],
                       (c["delta_pp_of_rounded"] + (" ≠" if c["delta_pp_of_rounded"] != c["delta_pp"] else ""))
                       if c["delta_pp_of_rounded"] is not None else None,
                       c["growth_percent"]] for c in tr.comparison]))
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
        "completeness": tr.completeness,
        "funds": tr.fund_rows,
        "targets": tr.target_rows,
        "rankings": tr.rankings,
        "comparison": tr.comparison,
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
