#!/usr/bin/python3
"""Compare hoctap-report's CSV files with the independent oracle of samples/.

usage: compare_oracle.py EXPECTED_PY OUT_DIR [OUT_DIR_2020_2025]

Runs EXPECTED_PY --json (samples/expected.py: exact fractions, no code shared
with the C pipeline) and checks, digit for digit, every row and column the
oracle gives for rates, comparison, funds, completeness, targets and
rankings, and the code, severity, unit, year, title, file and line of every
finding; with a second directory (written with --compare 2020:2025), its
comparison against the oracle's on the units of 2025.  Prints one line per
file; exits 1 listing the first differences.
"""
import csv
import json
import os
import subprocess
import sys

KEYS = {
    "rates": ("scope_code", "year", "title", "level", "group"),
    "comparison": ("scope_code", "title"),
    "funds": ("scope_code", "year"),
    "completeness": ("scope_code", "year"),
    "targets": ("scope_code", "title", "group", "year"),
    "rankings": ("scope_code", "year", "title", "unit_code"),
}


def text(v):
    """The oracle's value as the CSV writes it."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return " ".join(v)
    return str(v)


def read_csv(out_dir, name):
    with open(os.path.join(out_dir, name + ".csv"), encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def main():
    expected_py, out_dir = sys.argv[1], sys.argv[2]
    oracle = json.loads(subprocess.run([sys.executable, expected_py, "--json"], check=True,
                                       capture_output=True, text=True).stdout)
    problems = []
    files = [(name, key, out_dir, name) for name, key in KEYS.items()]
    if len(sys.argv) > 3:
        files.append(("comparison", KEYS["comparison"], sys.argv[3], "comparison_2020_2025"))
    for name, key, where, what in files:
        mine = {tuple(r[k] for k in key): r for r in read_csv(where, name)}
        want = oracle[what]
        compared = 0
        for row in want:
            k = tuple(text(row[c]) for c in key)
            got = mine.get(k)
            if got is None:
                problems.append("%s: no row for %s" % (what, "/".join(k)))
                continue
            for col, v in row.items():
                if col.startswith("_") or col not in got:
                    continue
                compared += 1
                if got[col] != text(v):
                    problems.append("%s %s: %s is %r, the oracle says %r"
                                    % (what, "/".join(k), col, got[col], text(v)))
        extra = len(mine) - len(want)
        if extra:
            problems.append("%s: %d rows, the oracle has %d" % (what, len(mine), len(want)))
        print("%s: %d rows, %d values compared" % (what, len(want), compared))
    cols = ("code", "severity", "unit_code", "year", "title", "file", "line")
    # The rows ingest rejected are listed too (no unit; code their reason,
    # which the oracle words its own way: compared by file and line).
    mine = sorted(("rejected row",) + tuple(r[c] for c in cols[1:]) if r["unit_code"] == ""
                  else tuple(r[c] for c in cols) for r in read_csv(out_dir, "findings"))
    want = sorted([tuple(text(f.get(c)) for c in cols) for f in oracle["findings"]]
                  + [("rejected row", "error", "", "", "", r["file"], text(r["line"]))
                     for r in oracle["rejects"]])
    if mine != want:
        problems.append("findings differ:\n  mine   %s\n  oracle %s" % (mine, want))
    print("findings: %d rows" % len(want))
    for p in problems[:20]:
        print("DIFF " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
