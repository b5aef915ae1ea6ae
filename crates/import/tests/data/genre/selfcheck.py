#!/usr/bin/env python3
"""Self-check of the held-out genre corpus (not of any importer).

usage: python3 selfcheck.py [--facts-check PATH_TO_facts-check]

For every <name>.txt here it checks that <name>.facts.json exists and is
well formed (numbers, unit, comparator on every fact), that each expected
number and task really occurs in the right section of the text, lists the
numbers in the target section that no fact covers (for a human to confirm
they are not targets), and, when the scorer is given, scores a "perfect
plan" built from the facts against them (it must give full recall and 1.00
precision). Exit status 1 on any error.
"""
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
COMPARATORS = {"at_least", "equal", "about", "between", "above", "below", "at_most",
               "decrease_by", "increase_by", "complete_by"}
QUALITATIVE = {"zero", "decrease", "increase"}
errors = []


def err(msg):
    errors.append(msg)
    print("ERROR", msg)


def norm(s):
    return " ".join(unicodedata.normalize("NFC", str(s)).lower().split())


def num(tok):
    """Vietnamese number: dot groups thousands, comma is the decimal mark."""
    return float(tok.replace(".", "").replace(",", "."))


NUM_RE = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?")


def sections(text):
    flat = " ".join(unicodedata.normalize("NFC", text).split())
    t0 = re.search(r"2\. Các chỉ tiêu chủ yếu", flat)
    t1 = re.search(r"3\. (Một số nhiệm vụ trọng tâm|Nhiệm vụ, giải pháp chủ yếu)", flat)
    t2 = re.search(r"Điều 3\. Tổ chức thực hiện", flat)
    if not (t0 and t1 and t2 and t0.start() < t1.start() < t2.start()):
        return None, None, flat
    for head in ("Điều 1.", "Điều 2.", "1. Mục tiêu tổng quát"):
        if head not in flat:
            err(f"missing '{head}'")
    return flat[t0.end():t1.start()], flat[t1.end():t2.start()], flat


def check_fact(name, code, f):
    where = f"{name} {code}) {f.get('what', '')}"
    has_value = "value" in f
    has_range = "low" in f and "high" in f
    if has_value == has_range:
        err(f"{where}: needs exactly one of value or low/high")
    if has_range and not f["low"] < f["high"]:
        err(f"{where}: low must be < high")
    if ("unit" in f) == ("unit_any" in f):
        err(f"{where}: needs exactly one of unit or unit_any")
    units = [f["unit"]] if "unit" in f else f.get("unit_any", [])
    if not units or not all(isinstance(u, str) and u.strip() for u in units):
        err(f"{where}: empty unit")
    comps = f.get("comparator")
    if not comps or not set(comps) <= COMPARATORS:
        err(f"{where}: bad comparator {comps}")
    if "complete_by" in (comps or []) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", f.get("deadline", "")):
        err(f"{where}: complete_by needs deadline YYYY-MM-DD")
    for r in f.get("any_of", []):
        if ("value" in r) == ("low" in r) or ("unit" not in r and "unit_any" not in r):
            err(f"{where}: bad any_of reading {r}")


def perfect_measure(f):
    m = {"comparator": f["comparator"][0], "value": f.get("value"), "low": f.get("low"),
         "high": f.get("high"), "unit": f.get("unit") or f["unit_any"][0],
         "deadline": f.get("deadline"), "subjects": []}
    return m


def main():
    scorer = None
    if "--facts-check" in sys.argv:
        scorer = sys.argv[sys.argv.index("--facts-check") + 1]
    texts = sorted(p for p in HERE.glob("*.txt"))
    if len(texts) < 5:
        err("expected at least 5 documents")
    for path in texts:
        name = path.name
        facts_path = path.with_name(name[:-4] + ".facts.json")
        if not facts_path.exists():
            err(f"{name}: no {facts_path.name}")
            continue
        raw = path.read_bytes()
        text = raw.decode("utf-8")
        is_nfd = ".nfd." in name
        if is_nfd:
            if text == unicodedata.normalize("NFC", text):
                err(f"{name}: should be NFD")
            twin = path.with_name(name.replace(".nfd", ""))
            if twin.exists() and unicodedata.normalize("NFC", text) != twin.read_bytes().decode("utf-8"):
                err(f"{name}: NFC of it differs from {twin.name}")
        elif text != unicodedata.normalize("NFC", text):
            err(f"{name}: should be NFC")
        facts = json.loads(facts_path.read_text(encoding="utf-8"))
        targets_sec, tasks_sec, flat = sections(text)
        if targets_sec is None:
            err(f"{name}: cannot find the sections 2. / 3. / Điều 3.")
            continue
        found = [num(t) for t in NUM_RE.findall(targets_sec)]
        used = set()
        n_measures = 0
        for t in facts["targets"]:
            for f in t["measures"]:
                n_measures += 1
                check_fact(name, t["code"], f)
                for key in ("value", "low", "high"):
                    if key in f:
                        hits = [i for i, x in enumerate(found) if abs(x - f[key]) < 1e-9]
                        if not hits:
                            err(f"{name} {t['code']}) {key}={f[key]} not in the target section")
                        used.update(hits)
            if not t["measures"] and not set(t.get("qualitative", [])) <= QUALITATIVE:
                err(f"{name} {t['code']}): empty measures without a known qualitative kind")
            for unit_name in t.get("named_units", []):
                if norm(unit_name) not in norm(targets_sec):
                    err(f"{name}: named unit {unit_name} not in the target section")
        if not 10 <= n_measures <= 20:
            err(f"{name}: {n_measures} measures, expected 10-20")
        leftover = [NUM_RE.findall(targets_sec)[i] for i in range(len(found)) if i not in used]
        # "*" files: a measure must not fit two different facts (greedy matching would then depend on order)
        star = [f for t in facts["targets"] if t["code"] == "*" for f in t["measures"]]
        for i, a in enumerate(star):
            for b in star[i + 1:]:
                same_nums = all(a.get(k) == b.get(k) for k in ("value", "low", "high"))
                ua = {norm(u) for u in ([a["unit"]] if "unit" in a else a["unit_any"])}
                ub = {norm(u) for u in ([b["unit"]] if "unit" in b else b["unit_any"])}
                differ = {k: v for k, v in a.items() if k != "what"} != {k: v for k, v in b.items() if k != "what"}
                if same_nums and ua & ub and set(a["comparator"]) & set(b["comparator"]) and differ:
                    err(f"{name}: facts '{a.get('what')}' and '{b.get('what')}' overlap but differ")
        ntasks = len(facts.get("tasks", []))
        if not 3 <= ntasks <= 6:
            err(f"{name}: {ntasks} tasks, expected 3-6")
        groups = set(re.findall(r"(?:^| )\(?([a-zđ]|\d+)\) ", " " + tasks_sec))
        for ft in facts.get("tasks", []):
            if norm(ft["object"]) not in norm(tasks_sec):
                err(f"{name}: task object {ft['object']} not in the tasks section")
            if "action" in ft and norm(ft["action"]) not in norm(tasks_sec):
                err(f"{name}: task action {ft['action']} not in the tasks section")
            if ft.get("group") not in groups:
                err(f"{name}: task group {ft.get('group')} not among {sorted(groups)}")
            if "quantity" in ft:
                q = [num(x) for x in NUM_RE.findall(tasks_sec)]
                if ft["quantity"] not in q or not re.search(r"\d " + re.escape(ft["unit"]) + r"\b", tasks_sec):
                    err(f"{name}: task quantity {ft['quantity']} {ft['unit']} not in the tasks section")
        print(f"{name}: {n_measures} measures, {sum(len(t.get('named_units', [])) for t in facts['targets'])} named units, "
              f"{ntasks} tasks; numbers in the target section not expected as measures: {leftover}")

        if scorer:
            plan = {"targets": [], "tasks": []}
            for k, t in enumerate(facts["targets"]):
                ms = [perfect_measure(f) for f in t["measures"]]
                if ms and t.get("named_units"):
                    ms[0]["subjects"] = list(t["named_units"])
                code = t["code"] if t["code"] != "*" else f"n{k}"
                plan["targets"].append({"code": code, "measures": ms})
            for ft in facts.get("tasks", []):
                plan["tasks"].append({"group": ft.get("group"), "action": ft.get("action"),
                                      "object": ft["object"], "text": ft["object"],
                                      "quantity": ft.get("quantity"), "unit": ft.get("unit")})
            with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as tmp:
                json.dump(plan, tmp, ensure_ascii=False)
            out = subprocess.run([scorer, str(facts_path), tmp.name], capture_output=True, text=True).stdout
            last = out.strip().splitlines()[-1]
            total = n_measures + sum(len(t.get("named_units", [])) for t in facts["targets"])
            want = f"measures {total}/{total} recall, 1.00 precision; tasks {ntasks}/{ntasks}"
            print("   perfect plan:", last)
            if last != want:
                err(f"{name}: scorer gave '{last}', expected '{want}'")
    print("FAILED" if errors else "all checks passed")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
