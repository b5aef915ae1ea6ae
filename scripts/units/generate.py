#!/usr/bin/env python3
"""Regenerate data/units/ from the PyPI package vietnamadminunits 1.0.4.

Writes into this repository's data/units/ (or --out DIR):
  data/units/units.tsv                     every unit as it existed over a span
  data/units/lineage.tsv                   which old units make up each new one
  data/units/SOURCE.md                     where the data come from, counts
  data/units/LICENSE-vietnamadminunits     the package's licence, verbatim

Usage: python3 scripts/units/generate.py [WHEEL]

Without WHEEL the wheel is fetched with
`python3 -m pip download vietnamadminunits==1.0.4 --no-deps -d <tmpdir>`.
Either way its sha256 must equal WHEEL_SHA256 below. Standard library only.
The files are written only when every check passes; otherwise the script
prints what failed and exits with status 1.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import sqlite3
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

PACKAGE = "vietnamadminunits"
VERSION = "1.0.4"
WHEEL_NAME = f"{PACKAGE}-{VERSION}-py3-none-any.whl"
WHEEL_SHA256 = "737ee3662e877290386c1c45ed4d71f2e5fae34ab6fb9c64bfb4cb74b216ea35"
PYPI_URL = "https://pypi.org/project/vietnamadminunits/"
GITHUB_URL = "https://github.com/tranngocminhhieu/vietnamadminunits"

DB_MEMBER = f"{PACKAGE}/data/dataset.db"
CONVERTER_MEMBER = f"{PACKAGE}/data/converter_2025.json"
LICENSE_MEMBER = f"{PACKAGE}-{VERSION}.dist-info/licenses/LICENSE"

BEFORE_TO = "2025-06-30"
AFTER_FROM = "2025-07-01"

UNITS_COLUMNS = ("code", "level", "name", "parent", "valid_from", "valid_to")
LINEAGE_COLUMNS = ("level", "new_code", "old_code", "whole")
LEVEL_ORDER = {"country": 0, "province": 1, "district": 2, "commune": 3}

REPO = Path(__file__).resolve().parents[2]
OUT_DIR = REPO / "data" / "units"

EXPECTED_OLD_PROVINCES = 63
EXPECTED_OLD_DISTRICTS = 696  # reported, not enforced: the figure
EXPECTED_NEW_PROVINCES = 34
EXPECTED_NEW_COMMUNES = 3321


def nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


# ---------------------------------------------------------------- the wheel

def fetch_wheel(tmp: Path) -> Path:
    cmd = [sys.executable, "-m", "pip", "download", f"{PACKAGE}=={VERSION}",
           "--no-deps", "-d", str(tmp)]
    print("downloading:", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True)
    wheels = sorted(tmp.glob(f"{PACKAGE}-{VERSION}-*.whl"))
    if not wheels:
        sys.exit(f"pip download left no wheel of {PACKAGE} {VERSION} in {tmp}")
    return wheels[0]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_wheel(wheel: Path, tmp: Path):
    """The two data tables, the converter's dictionaries and the licence bytes."""
    with zipfile.ZipFile(wheel) as zf:
        db_path = tmp / "dataset.db"
        db_path.write_bytes(zf.read(DB_MEMBER))
        converter = json.loads(zf.read(CONVERTER_MEMBER).decode("utf-8"))
        licence = zf.read(LICENSE_MEMBER)
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    try:
        legacy = [dict(r) for r in con.execute(
            "SELECT province, provinceCode, provinceKey, district, districtCode, districtKey,"
            " ward, wardCode, wardKey FROM admin_units_legacy")]
        current = [dict(r) for r in con.execute(
            "SELECT province, provinceCode, provinceKey, ward, wardCode, wardKey FROM admin_units")]
    finally:
        con.close()
    return legacy, current, converter, licence


# ---------------------------------------------------------------- building

class Checks:
    def __init__(self):
        self.failures: list[str] = []
        self.notes: list[str] = []

    def require(self, ok: bool, message: str):
        if not ok:
            self.failures.append(message)
        return ok


def one_value(values: dict, key, value, what: str, checks: Checks):
    """Record value under key; a second, different value for the same key is a failure."""
    old = values.setdefault(key, value)
    checks.require(old == value, f"{what} {key!r}: two values {old!r} and {value!r}")


def build(legacy, current, converter, checks: Checks):
    units = [("VN", "country", "Việt Nam", "", "", "")]

    # -- before 01/07/2025: provinces, districts, communes
    old_prov_name, old_dist, old_comm = {}, {}, {}
    old_prov_by_key, old_by_key = {}, {}  # provinceKey -> code; (p, d, w) -> (level, code)
    districts_with_communes = set()
    for r in legacy:
        pcode, dcode, wcode = nfc(r["provinceCode"]), nfc(r["districtCode"]), nfc(r["wardCode"])
        one_value(old_prov_name, pcode, nfc(r["province"]), "old province", checks)
        one_value(old_prov_by_key, nfc(r["provinceKey"]), pcode, "old province key", checks)
        one_value(old_dist, dcode, (nfc(r["district"]), pcode), "old district", checks)
        key = (nfc(r["provinceKey"]), nfc(r["districtKey"]), nfc(r["wardKey"]))
        if wcode and nfc(r["ward"]):
            one_value(old_comm, wcode, (nfc(r["ward"]), dcode), "old commune", checks)
            districts_with_communes.add(dcode)
            one_value(old_by_key, key, ("commune", wcode), "old key", checks)
        else:
            # island districts without communes: the converter names them "p_d_"
            checks.require(not wcode and not nfc(r["ward"]),
                           f"old row with half a commune: {dict(r)!r}")
            one_value(old_by_key, key, ("district", dcode), "old key", checks)
    for code, name in old_prov_name.items():
        units.append((code, "province", name, "VN", "", BEFORE_TO))
    for code, (name, parent) in old_dist.items():
        units.append((code, "district", name, parent, "", BEFORE_TO))
    for code, (name, parent) in old_comm.items():
        units.append((code, "commune", name, parent, "", BEFORE_TO))
    no_commune_districts = sorted(set(old_dist) - districts_with_communes)

    # -- from 01/07/2025: provinces, communes
    new_prov_name, new_comm, new_prov_by_key, new_by_key = {}, {}, {}, {}
    for r in current:
        pcode, wcode = nfc(r["provinceCode"]), nfc(r["wardCode"])
        one_value(new_prov_name, pcode, nfc(r["province"]), "new province", checks)
        one_value(new_prov_by_key, nfc(r["provinceKey"]), pcode, "new province key", checks)
        checks.require(bool(wcode and nfc(r["ward"])), f"new row without commune: {dict(r)!r}")
        one_value(new_comm, wcode, (nfc(r["ward"]), pcode), "new commune", checks)
        one_value(new_by_key, (nfc(r["provinceKey"]), nfc(r["wardKey"])), wcode, "new key", checks)
    for code, name in new_prov_name.items():
        units.append((code, "province", name, "VN", AFTER_FROM, ""))
    for code, (name, parent) in new_comm.items():
        units.append((code, "commune", name, parent, AFTER_FROM, ""))

    # -- lineage
    lineage = set()
    new_prov_of_old_prov = {}
    for new_key, old_keys in converter["DICT_PROVINCE"].items():
        new_code = new_prov_by_key.get(nfc(new_key))
        if not checks.require(new_code is not None, f"DICT_PROVINCE: unknown new province {new_key!r}"):
            continue
        for old_key in old_keys:
            old_code = old_prov_by_key.get(nfc(old_key))
            if checks.require(old_code is not None,
                              f"DICT_PROVINCE: unknown old province {old_key!r}"):
                lineage.add(("province", new_code, old_code, "yes"))
                one_value(new_prov_of_old_prov, old_code, new_code, "province successor", checks)

    def old_unit(ref: str, new_prov_code: str, where: str):
        parts = nfc(ref).split("_")
        if not checks.require(len(parts) == 3, f"{where}: malformed old key {ref!r}"):
            return None
        found = old_by_key.get(tuple(parts))
        if not checks.require(found is not None, f"{where}: unknown old unit {ref!r}"):
            return None
        old_prov = old_prov_by_key[parts[0]]
        checks.require(new_prov_of_old_prov.get(old_prov) == new_prov_code,
                       f"{where}: {ref!r} lies in old province {old_prov}, not a predecessor of {new_prov_code}")
        return found[1]

    whole_of = collections.defaultdict(set)  # old code -> new codes it went into whole
    divided = collections.defaultdict(set)   # old code -> new codes it was divided between
    def provinces(table):
        """The entries of a converter table by new province, with its code (unknown ones said)."""
        for new_prov_key, entries in converter[table].items():
            code = new_prov_by_key.get(nfc(new_prov_key))
            if checks.require(code is not None, f"{table}: unknown province {new_prov_key!r}"):
                yield new_prov_key, code, entries

    for new_prov_key, new_prov_code, wards in provinces("DICT_PROVINCE_WARD_NO_DIVIDED"):
        for new_ward_key, refs in wards.items():
            where = f"NO_DIVIDED {new_prov_key}/{new_ward_key}"
            new_code = new_by_key.get((nfc(new_prov_key), nfc(new_ward_key)))
            if not checks.require(new_code is not None, f"{where}: unknown new commune"):
                continue
            for ref in refs:
                old_code = old_unit(ref, new_prov_code, where)
                if old_code:
                    whole_of[old_code].add(new_code)
                    lineage.add(("commune", new_code, old_code, "yes"))
    for new_prov_key, new_prov_code, olds in provinces("DICT_PROVINCE_WARD_DIVIDED"):
        for ref, parts in olds.items():
            where = f"DIVIDED {new_prov_key}/{ref}"
            old_code = old_unit(ref, new_prov_code, where)
            if not old_code:
                continue
            targets = set()
            for part in parts:
                new_code = new_by_key.get((nfc(new_prov_key), nfc(part["newWardKey"])))
                if checks.require(new_code is not None,
                                  f"{where}: unknown new commune {part['newWardKey']!r}"):
                    targets.add(new_code)
            checks.require(len(targets) >= 2, f"{where}: divided into {len(targets)} new commune(s)")
            divided[old_code] |= targets
            for new_code in targets:
                lineage.add(("commune", new_code, old_code, "no"))
    for old_code, targets in whole_of.items():
        checks.require(len(targets) == 1 and old_code not in divided,
                       f"old unit {old_code} went whole into {sorted(targets)}"
                       f" and divided into {sorted(divided.get(old_code, ()))}")

    return units, lineage, no_commune_districts


def verify(units, lineage, no_commune_districts, checks: Checks):
    by_gen = {"before": {}, "after": {}}  # generation -> code -> level
    for code, level, name, parent, valid_from, valid_to in units:
        if level == "country":
            continue
        gen = "after" if valid_from == AFTER_FROM else "before"
        checks.require(code not in by_gen[gen], f"code {code} twice in the {gen} generation")
        by_gen[gen][code] = level
    count = collections.Counter()
    for code, level, name, parent, valid_from, valid_to in units:
        if level == "country":
            continue
        gen = "after" if valid_from == AFTER_FROM else "before"
        count[(gen, level)] += 1
        want_len = {"province": 2, "district": 3, "commune": 5}[level]
        checks.require(code.isdigit() and len(code) == want_len, f"bad {level} code {code!r}")
        if level == "province":
            checks.require(parent == "VN", f"province {code} with parent {parent!r}")
        else:
            want_parent = "district" if (gen, level) == ("before", "commune") else "province"
            checks.require(by_gen[gen].get(parent) == want_parent,
                           f"{gen} {level} {code}: parent {parent!r} is no {gen} {want_parent}")
        for field in (code, level, name, parent, valid_from, valid_to):
            checks.require("\t" not in field and "\n" not in field and "\r" not in field,
                           f"control character in {code} {level}: {field!r}")
        checks.require(bool(name), f"{gen} {level} {code} without a name")

    checks.require(count[("before", "province")] == EXPECTED_OLD_PROVINCES,
                   f"{count[('before', 'province')]} old provinces, expected {EXPECTED_OLD_PROVINCES}")
    checks.require(count[("after", "province")] == EXPECTED_NEW_PROVINCES,
                   f"{count[('after', 'province')]} new provinces, expected {EXPECTED_NEW_PROVINCES}")
    checks.require(count[("after", "commune")] == EXPECTED_NEW_COMMUNES,
                   f"{count[('after', 'commune')]} new communes, expected {EXPECTED_NEW_COMMUNES}")
    if count[("before", "district")] != EXPECTED_OLD_DISTRICTS:
        checks.notes.append(f"{count[('before', 'district')]} old districts, the issue expects "
                            f"{EXPECTED_OLD_DISTRICTS}")

    # lineage codes exist in the right generation and at the right level. A new
    # commune may descend from an old district that had no communes (island
    # districts, which became special zones).
    no_commune = set(no_commune_districts)
    for level, new_code, old_code, whole in lineage:
        checks.require(by_gen["after"].get(new_code) == level,
                       f"lineage: new {level} {new_code} not in the after generation")
        old_level = by_gen["before"].get(old_code)
        ok = old_level == level or (level == "commune" and old_level == "district"
                                    and old_code in no_commune)
        checks.require(ok, f"lineage: old {old_code} ({old_level}) cannot precede new {level} {new_code}")
        checks.require(whole in ("yes", "no"), f"lineage: whole {whole!r}")

    new_with_pred = {(lvl, n) for lvl, n, _, _ in lineage}
    old_with_succ = {(lvl, o) for lvl, _, o, _ in lineage}
    for gen, want in (("after", "province"), ("after", "commune")):
        missing = sorted(c for c, lvl in by_gen[gen].items() if lvl == want and (want, c) not in new_with_pred)
        checks.require(not missing, f"{len(missing)} new {want}s without a predecessor: {missing[:20]}")
    missing_prov = sorted(c for c, lvl in by_gen["before"].items()
                          if lvl == "province" and ("province", c) not in old_with_succ)
    checks.require(not missing_prov, f"old provinces without a successor: {missing_prov}")
    orphans = sorted(c for c, lvl in by_gen["before"].items()
                     if lvl == "commune" and ("commune", c) not in old_with_succ)
    orphan_districts = sorted(c for c in no_commune if ("commune", c) not in old_with_succ)
    if orphans:
        checks.notes.append(f"{len(orphans)} old communes appear in no lineage row: {orphans[:50]}")
    if orphan_districts:
        checks.notes.append(f"old districts without communes and without successor: {orphan_districts}")
    return count, orphans


def doubtful_rows(units, lineage):
    """Divided-commune rows that look like a name mix-up in the source.

    The package built its lineage by matching commune names. Where two old
    communes of one new province share a name (in different districts), some
    rows of DICT_PROVINCE_WARD_DIVIDED send each of them into the other's new
    commune too. A row is doubtful when the old commune is marked divided, no
    other predecessor of the new commune lies in the old commune's district, and
    an old commune of the same name from another district is a predecessor of
    that new commune. Such rows are kept as the source gives them and listed.
    """
    old = {u[0]: u for u in units if u[5] == BEFORE_TO}
    new = {u[0]: u for u in units if u[4] == AFTER_FROM}
    preds = collections.defaultdict(set)
    new_prov_of = {}
    for level, new_code, old_code, _ in lineage:
        if level == "commune" and old[old_code][1] == "commune":
            preds[new_code].add(old_code)
            new_prov_of[old_code] = new[new_code][3]
    by_name = collections.defaultdict(set)
    for code, prov in new_prov_of.items():
        by_name[(prov, old[code][2])].add(code)
    doubtful = []
    for level, new_code, old_code, whole in lineage:
        if level != "commune" or whole != "no" or old_code not in new_prov_of:
            continue
        district = old[old_code][3]
        others = preds[new_code] - {old_code}
        if any(old[o][3] == district for o in others):
            continue
        twins = by_name[(new_prov_of[old_code], old[old_code][2])] - {old_code}
        twins_in = sorted(t for t in twins if t in others)
        if twins_in:
            describe = lambda c: (f"{c} {old[c][2]}, {old[old[c][3]][2]},"
                                  f" {old[old[old[c][3]][3]][2]}")
            doubtful.append((new_code, old_code,
                             f"{describe(old_code)} -> {new_code} {new[new_code][2]}"
                             f" (same-name predecessor: {'; '.join(describe(t) for t in twins_in)})"))
    return doubtful


# ---------------------------------------------------------------- writing

def sort_units(units):
    def key(row):
        code, level, _, _, valid_from, _ = row
        gen = -1 if level == "country" else (1 if valid_from == AFTER_FROM else 0)
        return (gen, LEVEL_ORDER[level], code)
    return sorted(units, key=key)


def sort_lineage(lineage):
    return sorted(lineage, key=lambda r: (LEVEL_ORDER[r[0]], r[1], r[2], r[3]))


def tsv(columns, rows) -> str:
    lines = ["# " + "\t".join(columns)]
    lines += ["\t".join(nfc(field) for field in row) for row in rows]
    return "\n".join(lines) + "\n"


def write_text(path: Path, text: str):
    text = unicodedata.normalize("NFC", text)
    assert "\r" not in text
    assert not any(line != line.rstrip(" ") for line in text.split("\n"))
    path.write_bytes(text.encode("utf-8"))


def source_md(sha, licence: bytes, count, n_lineage, lineage, orphans, no_commune, units,
              doubtful) -> str:
    copyright_line = next((l.strip() for l in licence.decode("utf-8").splitlines()
                           if l.strip().lower().startswith("copyright")), "")
    names = {(u[0], u[1], bool(u[4])): u[2] for u in units}
    island = ", ".join(f"{c} {names[(c, 'district', False)]}" for c in no_commune)
    n_prov = sum(1 for r in lineage if r[0] == "province")
    n_whole = sum(1 for r in lineage if r[0] == "commune" and r[3] == "yes")
    n_part = sum(1 for r in lineage if r[0] == "commune" and r[3] == "no")
    n_divided = len({r[2] for r in lineage if r[0] == "commune" and r[3] == "no"})
    orphan_text = ("Every old commune appears in at least one lineage row."
                   if not orphans else
                   f"{len(orphans)} old communes appear in no lineage row (the source maps them "
                   f"nowhere): {', '.join(orphans)}.")
    doubtful_text = "\n".join(f"- {text}" for _, _, text in doubtful) or "- none"
    n_doubtful_old = len({old_code for _, old_code, _ in doubtful})
    return f"""# Administrative units of Vietnam across the 01/07/2025 reform

Generated by `scripts/units/generate.py`; do not edit by hand.

- `units.tsv`: every unit as it existed over a span, one row per unit and span:
  `code level name parent valid_from valid_to` (tab-separated). Before the reform
  (valid to {BEFORE_TO}): the 63 provinces, their district-level units and their
  communes, wards and townships (level `commune`, parent the district). From
  {AFTER_FROM}: the 34 provinces and their communes, wards and special zones
  (level `commune`, parent the province; there is no district level any more).
  Codes are reused across the reform (new province 86 Vĩnh Long is not old 86
  Vĩnh Long; new ward 00004 is not old ward 00004), so a row is identified by
  `(code, valid_from)`. Sorted by generation, level (province, district,
  commune), code.
- `lineage.tsv`: which old units make up each new one: `level new_code old_code
  whole`. `whole` is `yes` when all of the old unit went into the new one, `no`
  when the old unit was divided between several new units (one row for each).
  Province rows come from the package's `DICT_PROVINCE` (all whole); commune rows
  from `DICT_PROVINCE_WARD_NO_DIVIDED` (whole) and `DICT_PROVINCE_WARD_DIVIDED`
  (divided; the package's choice of a default new ward and its coordinates are
  not kept). `level` is the level of the new unit. Five old island districts had
  no communes; each became a special zone, and its lineage row names the old
  district's code as `old_code`: {island}. Sorted by level (province, commune),
  new code, old code.
- `LICENSE-vietnamadminunits`: the package's licence, verbatim.

## Source

The tables `admin_units` (after the reform) and `admin_units_legacy` (before) of
`vietnamadminunits/data/dataset.db` and the dictionaries of
`vietnamadminunits/data/converter_2025.json`, from the PyPI package
[`{PACKAGE}`]({PYPI_URL}) version {VERSION}
(source: {GITHUB_URL}), wheel `{WHEEL_NAME}`, sha256
`{sha}`.

The units and codes from 01/07/2025 follow Decision 19/2025/QĐ-TTg of the Prime
Minister on the list and codes of the administrative units of Vietnam (in force
from 01/07/2025); the codes before are those of the national list in force until
then. The package is a third-party compilation, not the official list itself:
check against the official list before exchanging data with other systems.

Licence: MIT, {copyright_line}. See `LICENSE-vietnamadminunits`.

## Regenerate

    python3 scripts/units/generate.py [WHEEL]

Without `WHEEL` the script downloads the wheel with
`python3 -m pip download {PACKAGE}=={VERSION} --no-deps -d <tmpdir>`; either way it
checks the sha256 above, checks the data and rewrites this directory.

## Counts

| generation | level | units |
|---|---|---:|
| before ({BEFORE_TO}) | province | {count[('before', 'province')]} |
| before ({BEFORE_TO}) | district | {count[('before', 'district')]} |
| before ({BEFORE_TO}) | commune | {count[('before', 'commune')]} |
| after ({AFTER_FROM}) | province | {count[('after', 'province')]} |
| after ({AFTER_FROM}) | commune | {count[('after', 'commune')]} |

Lineage: {n_lineage} rows: {n_prov} province rows, {n_whole} commune rows whole and
{n_part} commune rows for the {n_divided} old communes divided between several new ones.

Checks: every new province and commune has a predecessor; every old province has a
successor; every code in `lineage.tsv` exists in `units.tsv` in its generation;
every parent exists; an old commune's lineage stays within the new province that
succeeds its old province. {orphan_text}

The source's keys are made unique within a province by keeping diacritics where two
names differ only by them (for example `xãvănlang` and `xãvănlăng` in Thái Nguyên):
the script matches keys exactly after NFC normalisation and never by name.

## Doubtful rows

The package built its lineage by matching names. Where two old communes of one new
province share a name in different districts, some of its divided-commune entries send
each of them into the other's new commune as well. The script keeps every row as the
source gives it and lists here the {len(doubtful)} rows (for {n_doubtful_old} old communes)
marked `whole = no` where no other predecessor of the new commune lies in the old
commune's district while a same-name old commune from another district is one of its
predecessors. They are most likely spurious (the old commune then went whole into
its other new commune); confirm against the Standing Committee's resolution before
relying on them:

{doubtful_text}
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", nargs="?", type=Path,
                        help=f"{WHEEL_NAME} (downloaded with pip when omitted)")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help=f"output directory (default {OUT_DIR})")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="vau-") as tmpname:
        tmp = Path(tmpname)
        wheel = args.wheel or fetch_wheel(tmp)
        sha = sha256_of(wheel)
        if sha != WHEEL_SHA256:
            print(f"{wheel}: sha256 {sha}, expected {WHEEL_SHA256}", file=sys.stderr)
            return 1
        legacy, current, converter, licence = read_wheel(wheel, tmp)

    checks = Checks()
    units, lineage, no_commune = build(legacy, current, converter, checks)
    units = sort_units(units)
    lineage = sort_lineage(lineage)
    count, orphans = verify(units, lineage, no_commune, checks)
    doubtful = doubtful_rows(units, lineage) if not checks.failures else []

    n_lineage = len(lineage)
    print(f"wheel {wheel.name} sha256 {sha}")
    for gen in ("before", "after"):
        for level in ("province", "district", "commune"):
            if count[(gen, level)]:
                print(f"{gen:6} {level:8} {count[(gen, level)]:6}")
    print(f"lineage rows        {n_lineage:6}"
          f" (province {sum(1 for r in lineage if r[0] == 'province')},"
          f" commune whole {sum(1 for r in lineage if r[0] == 'commune' and r[3] == 'yes')},"
          f" commune divided {sum(1 for r in lineage if r[0] == 'commune' and r[3] == 'no')})")
    print(f"old districts without communes: {', '.join(no_commune) or 'none'}")
    print(f"old communes without successor: {len(orphans)}")
    print(f"doubtful divided-commune rows (kept, listed in SOURCE.md): {len(doubtful)}")
    for _, _, text in doubtful:
        print("  ", text)
    for note in checks.notes:
        print("note:", note)
    if checks.failures:
        for failure in checks.failures:
            print("FAILED:", failure, file=sys.stderr)
        print(f"{len(checks.failures)} check(s) failed; nothing written", file=sys.stderr)
        return 1

    args.out.mkdir(parents=True, exist_ok=True)
    write_text(args.out / "units.tsv", tsv(UNITS_COLUMNS, units))
    write_text(args.out / "lineage.tsv", tsv(LINEAGE_COLUMNS, lineage))
    write_text(args.out / "SOURCE.md",
               source_md(sha, licence, count, n_lineage, lineage, orphans, no_commune, units,
                         doubtful))
    (args.out / "LICENSE-vietnamadminunits").write_bytes(licence)
    print(f"all checks passed; written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
