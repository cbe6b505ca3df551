"""LK2's own logic, as docs/integrations.md describes it: the reference the LK2 tests compare with.

Reads one JSON document on stdin: {"rules": [...], "employees": [evidence, ...], "export": {...} | null}
(rules and export rows as in an LK2 export; each employee's evidence includes today, now, platform).
Writes {"results": [{rule_id: bool, ...} per employee], "tabs": [... per employee] | null}.
"""
import json
import re
import sys
from datetime import date

ALLOWED = {
    "any": any, "all": all, "len": len, "int": int, "str": str, "bool": bool, "min": min,
    "max": max, "sum": sum, "abs": abs, "set": set, "sorted": sorted, "date": date,
}
CODE_LIST = re.compile(r"^\s*[A-Za-z0-9_]+(?:\s*[,;]\s*[A-Za-z0-9_]+)*\s*[,;]?\s*$")


def rule_name(rule):
    return (rule.get("name") or "").strip() or "rule_%d" % rule["id"]


def app_codes(rule, known_names):
    """An LK1 rule's codes, or None when its value is Python (LK1 rules rewritten kept the flag)."""
    value = rule["value"]
    if not CODE_LIST.match(value):
        return None
    codes = [code.strip() for code in re.split(r"[,;]", value) if code.strip()]
    if len(codes) == 1 and (codes[0] in known_names or codes[0] in ("True", "False", "None")):
        return None
    return codes


def compiled(rules, evidence_names):
    """Each rule once: ("codes", [...]) | ("python", code object) | ("false", None)."""
    out = []
    known = set(evidence_names) | set(ALLOWED)
    for rule in rules:
        codes = app_codes(rule, known) if rule["lk1"] else None
        if codes is not None:
            out.append(("codes", codes))
        elif rule["executable"]:
            try:
                out.append(("python", compile(rule["value"], "<rule %d>" % rule["id"], "eval")))
            except SyntaxError:
                out.append(("false", None))
        else:
            out.append(("false", None))
        known.add(rule_name(rule))
    return out


def evaluate(rules, programs, evidence):
    namespace = {"__builtins__": {}}
    namespace.update(ALLOWED)
    namespace.update(evidence)
    results = {}
    for rule, (kind, program) in zip(rules, programs):
        value = False
        if kind == "codes":
            value = any(code in evidence["apps"] for code in program)
        elif kind == "python":
            try:
                value = bool(eval(program, namespace))
            except Exception:
                value = False
        namespace[rule_name(rule)] = value
        results[str(rule["id"])] = value
    return results


def ordered(rows):
    return sorted(rows, key=lambda row: (row["order"], row["id"]))


def tabs(export, results, platform):
    def passes(rule_id):
        return rule_id is None or results.get(str(rule_id), False)

    def on_platform(platforms):
        return platforms is None or platform in platforms

    visible_tabs = [t for t in ordered(export["tab"]) if passes(t.get("rule_id")) and on_platform(t.get("platforms"))]
    sidebar = []
    for theme in ordered(export["tab_theme"]):
        if passes(theme.get("rule_id")):
            ids = [t["id"] for t in visible_tabs if t["tab_theme_id"] == theme["id"]]
            if ids:
                sidebar.append([theme["id"], ids])
    cards = []
    for group in ordered(export["group_theme"]):
        if passes(group.get("rule_id")):
            ids = [t["id"] for t in visible_tabs if t.get("group_theme_id") == group["id"]]
            if ids:
                cards.append([group["id"], ids])
    banners = [b["id"] for b in ordered(export["banner"]) if passes(b.get("rule_id")) and on_platform(b.get("platforms"))]
    return {"sidebar": sidebar, "cards": cards, "banners": banners}


def main():
    data = json.load(sys.stdin)
    export = data.get("export")
    rules = sorted(export["rule"] if export else data["rules"], key=lambda rule: rule["id"])
    employees = data["employees"]
    programs = compiled(rules, employees[0].keys() if employees else [])
    results = [evaluate(rules, programs, evidence) for evidence in employees]
    shown = [tabs(export, r, e["platform"]) for r, e in zip(results, employees)] if export else None
    json.dump({"results": results, "tabs": shown}, sys.stdout)


main()
