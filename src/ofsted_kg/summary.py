"""Readable summaries printed by the CLI: judgement history and findings per authority."""

from __future__ import annotations

from collections import defaultdict

from .queries import run_named
from .store import Backend

__all__ = ["judgement_history"]

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
    for f in findings:
        counts[str(f["inspection"])][str(f["kind"])] += 1
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
