#!/usr/bin/python3
"""Validate hoctap-report's JSON outputs against the shipped JSON Schemas.

usage: validate_schemas.py SCHEMA_DIR OUT_DIR

Every OUT_DIR/NAME.json is validated against SCHEMA_DIR/NAME.schema.json
(draft 2020-12, checked first).  To show that validation can fail, a copy
of each file with one value of the wrong type must be rejected.  Prints one
line per file; exits 1 on the first problem.  Uses Debian's
python3-jsonschema (scripts/bootstrap installs it).
"""
import copy
import glob
import json
import os
import sys

from jsonschema import Draft202012Validator


def spoil(doc):
    """A copy with one value of the wrong type, or None if there is none to spoil."""
    bad = copy.deepcopy(doc)
    rows = bad.get("rows") or bad.get("outputs")
    if rows:
        key = next(iter(rows[0]))
        rows[0][key] = {"not": "a scalar"}
        return bad
    bad["generated_at"] = 20201231
    return bad


def main():
    schema_dir, out_dir = sys.argv[1], sys.argv[2]
    files = sorted(glob.glob(os.path.join(out_dir, "*.json")))
    if not files:
        print("no JSON files in " + out_dir)
        return 1
    for path in files:
        name = os.path.basename(path)[: -len(".json")]
        with open(os.path.join(schema_dir, name + ".schema.json"), encoding="utf-8") as f:
            schema = json.load(f)
        Draft202012Validator.check_schema(schema)
        validator = Draft202012Validator(schema)
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        if errors:
            e = errors[0]
            print("invalid %s: %s at %s" % (name, e.message, "/".join(map(str, e.path))))
            return 1
        if validator.is_valid(spoil(doc)):
            print("schema of %s accepts a spoiled document" % name)
            return 1
        print("valid %s" % name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
