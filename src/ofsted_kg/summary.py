"""Readable summaries printed by the CLI: judgement history and findings per authority."""

from __future__ import annotations

from collections import defaultdict

from .queries import run_named
from .store import Backend

__all__ = ["judgement_history", "persistence_table"]

_AREA_ORDER = ["overall-effectiveness", "leaders", "help-and-protection", "children-in-care-and-care-leavers",
               "children-in-care", "care-leavers", "looked-after-permanence", "adoption",
               "leadership-management-governance", "lscb"]


def _when(row: dict[str, object]) -> str:
    """The inspection's dates at the precision they are known."""
    start, precision = row.get("startDate"), row.get("datePrecision")
    if not start:
        return f"published {row['published']}" if row.get("published") else "date unknown"
    start = str(start)
    if precision == "year":
        return start[:4]
    if precision == "month":
        return start[:7]
    end = f" to {row['endDate']}" if row.get("endDate") and row["endDate"] != row["startDate"] else ""
    return start + end


def judgement_history(backend: Backend, bindings: dict[str, str] | None = None) -> str:
    """Per authority: each inspection in date order with its grades and finding counts."""
    inspections = run_named(backend, "inspections", bindings).values()
    judgements = run_named(backend, "judgements", bindings).values()
    findings = run_named(backend, "findings", bindings).values()
    grades: dict[str, dict[str, str]] = defaultdict(dict)
    for j in judgements:
        grades[str(j["inspection"])][str(j["area"])] = str(j["grade"])
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    seen: set[tuple[str, str, str]] = set()
    for f in findings:  # one row per finding and source: count each finding once
        key = (str(f["inspection"]), str(f["kind"]), str(f["text"]))
        if key not in seen:
            seen.add(key)
            counts[key[0]][key[1]] += 1
    lines: list[str] = []
    current = None
    for i in inspections:
        if i["authority"] != current:
            current = i["authority"]
            lines.append("")
            lines.append(f"== {current} ==")
        iri = str(i["inspection"])
        g = grades.get(iri, {})
        ordered = sorted(g.items(), key=lambda kv: (_AREA_ORDER.index(kv[0]) if kv[0] in _AREA_ORDER else 99,
                                                    kv[0]))
        graded = ", ".join(f"{k}: {v}" for k, v in ordered) or "no grades"
        c = counts.get(iri, {})
        found = (f"{c.get('weakness', 0)} weaknesses, {c.get('strength', 0)} strengths, "
                 f"{c.get('recommendation', 0)} recommendations")
        when = _when(i)
        ref = " (referenced by a later document)" if i["referenced"] else ""
        lines.append(f"{i['year'] or '????'}  {i['framework']:<17} {when}{ref}")
        lines.append(f"      {graded}")
        lines.append(f"      {found}")
    return "\n".join(lines).lstrip("\n")


def _quote(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def _where(row: dict[str, object]) -> str:
    source = str(row.get("source") or "").rsplit("/", 1)[-1]
    para = f", paragraph {row['paragraph']}" if row.get("paragraph") else ""
    section = f", section '{_quote(str(row['section']), 50)}'" if row.get("section") and not para else ""
    return f"{source}{para}{section}"


def _cycle_order(es: list[dict[str, object]]) -> tuple[str, str, str]:
    first = es[0]
    return str(first.get("year") or ""), str(first.get("startDate") or ""), str(first["inspection"])


def persistence_table(backend: Backend, bindings: dict[str, str] | None = None, *, width: int = 160) -> str:
    """Per authority: each persistent weakness theme with one evidence quote per cycle and where it
    is (file and paragraph), then (for the whole graph) the themes that recur across authorities."""
    rows = run_named(backend, "persistent-weaknesses", bindings).values()
    evidence = run_named(backend, "persistence-evidence", bindings).values()
    by_pw: dict[str, dict[str, list[dict[str, object]]]] = defaultdict(lambda: defaultdict(list))
    for e in evidence:
        by_pw[str(e["persistence"])][str(e["inspection"])].append(e)
    lines: list[str] = []
    current = None
    for r in rows:
        if r["authority"] != current:
            current = r["authority"]
            lines += ["", f"== {current}: persistent weaknesses =="]
        years = f"{r['firstYear']}-{r['lastYear']}" if r.get("firstYear") != r.get("lastYear") else f"{r['firstYear']}"
        visits = f" + {r['visits']} visit(s)" if r.get("visits") else ""
        stated = ", stated by inspectors" if r.get("stated") else ""
        lines.append(f"{r['themeLabel']} [{r['theme']}]: {r['cycles']} cycle(s){visits}, {years}, "
                     f"{r['status']}{stated}, longest chain {r['longestChain']}")
        cycles = by_pw.get(str(r["persistence"]), {})
        ordered = sorted(cycles.values(), key=_cycle_order)
        for es in ordered:
            best = sorted(es, key=lambda e: (not e.get("statesPersistence"), -float(e.get("confidence") or 0),
                                             not e.get("paragraph"), len(str(e["text"]))))[0]
            kind = " visit" if best.get("isVisit") else ""
            mark = " [says it persists]" if best.get("statesPersistence") else ""
            quote = _quote(str(best["text"]), width)
            year = best.get("year") or "????"
            lines.append(f"    {year} {best['framework']}{kind}: \"{quote}\" ({_where(best)}){mark}")
    if not rows:
        lines.append("no persistent weaknesses found")
    if not bindings:
        ranked = run_named(backend, "recurring-across-authorities").values()
        if ranked:
            lines += ["", "== themes that persist across authorities =="]
            for t in ranked:
                lines.append(f"{t['authorities']:>4} authorities  {t['findings']:>5} findings  {t['themeLabel']} "
                             f"[{t['theme']}]")
    return "\n".join(lines).lstrip("\n")
