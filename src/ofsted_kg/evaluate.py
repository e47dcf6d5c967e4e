"""Evaluation against ground truth: extracted ILACS judgements vs Ofsted's official outcomes,
completeness of SIF / 2012-13 judgements, and focused visits (findings, no grades).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

from .ingest.authorities import AuthorityRegister
from .queries import run_named
from .store import open_backend

__all__ = ["evaluate_ilacs", "expected_areas"]

_OFFICIAL_COLUMNS = {
    "Overall effectiveness": "overall-effectiveness",
    "The impact of leaders on social work practice with children and families": "leaders",
    "The experiences and progress of children who need help and protection": "help-and-protection",
    "The experiences and progress of children in care": "children-in-care",
    "The experiences and progress of care leavers": "care-leavers",
}
_GRADES = {"outstanding": "outstanding", "good": "good", "requires improvement to be good": "requires-improvement",
           "inadequate": "inadequate"}
_TYPES = {"ILACS Standard Inspection": "ilacs-standard", "ILACS Short Inspection": "ilacs-short"}

#: Judgement areas each graded framework states (SIF: the LSCB is reviewed alongside).
_EXPECTED = {
    "sif": {"overall-effectiveness", "help-and-protection", "looked-after-permanence", "adoption", "care-leavers",
            "leadership-management-governance", "lscb"},
    "sif-reinspection": {"overall-effectiveness", "help-and-protection", "looked-after-permanence", "adoption",
                         "care-leavers", "leadership-management-governance"},
    "cp2012": {"overall-effectiveness", "help-and-protection", "quality-of-practice", "leadership-governance"},
    "lac2012": {"overall-effectiveness", "capacity-to-improve", "outcomes", "quality-of-provision",
                "leadership-management"},
}


def expected_areas(framework: str, year: int | None) -> set[str] | None:
    """The judgement areas a report of ``framework`` must state, where that is fixed."""
    if framework in _EXPECTED:
        return _EXPECTED[framework]
    if framework.startswith("ilacs"):
        areas = {"leaders", "help-and-protection"}
        areas |= {"children-in-care", "care-leavers"} if (year or 0) >= 2023 else {"children-in-care-and-care-leavers"}
        if framework != "ilacs-2026":
            areas.add("overall-effectiveness")
        return areas
    return None


def _parse_iso(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def evaluate_ilacs(graph: Path, outcomes: Path, threshold: float = 0.99) -> tuple[str, bool]:
    """A printable report and whether the ILACS cell agreement reaches ``threshold``."""
    backend = open_backend(graph)
    register = AuthorityRegister.load(extra=sorted(Path(graph).glob("authorities*.csv")))
    inspections = run_named(backend, "inspections").values()
    judgements = run_named(backend, "judgements").values()
    findings = run_named(backend, "findings").values()
    grades: dict[str, dict[str, str]] = defaultdict(dict)
    for j in judgements:
        grades[str(j["inspection"])][str(j["area"])] = str(j["grade"])
    by_authority: dict[str, list[dict[str, object]]] = defaultdict(list)
    for i in inspections:
        if not i["referenced"]:
            by_authority[str(i["authority"])].append(i)
    lines: list[str] = []
    cells = agree = rows = matched = type_agree = 0
    with outcomes.open(newline="", encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            rows += 1
            code = row["Local authority area code"].strip()
            authority = register.by_code(code)
            start = _parse_iso(row["Inspection date"])
            wanted = {area: _GRADES.get(row[col].strip().lower()) for col, area in _OFFICIAL_COLUMNS.items()
                      if row.get(col, "").strip()}
            if start and start < date(2023, 1, 1) and "children-in-care" in wanted:
                wanted["children-in-care-and-care-leavers"] = wanted.pop("children-in-care")
            cells += len(wanted)
            candidates = [] if authority is None else [
                i for i in by_authority.get(authority.name, [])
                if str(i["framework"]).startswith("ilacs") and i["startDate"]
                and start and abs(date.fromisoformat(str(i["startDate"])) - start) <= timedelta(days=3)
            ]
            label = f"{row['Local authority name']} {row['Inspection date']}"
            if not candidates:
                lines.append(f"  MISSING  {label}: no extracted ILACS inspection starting within 3 days")
                continue
            matched += 1
            insp = candidates[0]
            if _TYPES.get(row["Inspection type"].strip()) == insp["framework"]:
                type_agree += 1
            got = grades.get(str(insp["inspection"]), {})
            for area, grade in wanted.items():
                if got.get(area) == grade:
                    agree += 1
                else:
                    lines.append(f"  DIFFER   {label} {area}: official {grade}, extracted {got.get(area)}")
    share = agree / cells if cells else 0.0
    out = [
        "ILACS judgements vs Ofsted's official outcomes",
        f"  official inspections: {rows}; matched to an extracted inspection: {matched}",
        f"  judgement cells agreeing: {agree}/{cells} = {share:.2%} (required {threshold:.0%})",
        f"  inspection type (standard/short) agreeing: {type_agree}/{matched}",
        *lines,
    ]
    out += _completeness(inspections, grades, findings)
    backend.close()
    return "\n".join(out), share >= threshold


def _completeness(inspections: list[dict[str, object]], grades: dict[str, dict[str, str]],
                  findings: list[dict[str, object]]) -> list[str]:
    finding_counts: dict[str, int] = defaultdict(int)
    for f in findings:
        finding_counts[str(f["inspection"])] += 1
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    problems: list[str] = []
    visits_ok = visits = 0
    for i in inspections:
        if i["referenced"]:
            continue
        fw = str(i["framework"])
        iri = str(i["inspection"])
        year = i["year"] if isinstance(i["year"], int) else None
        if fw in ("focused-visit", "monitoring-visit"):
            visits += 1
            if finding_counts.get(iri, 0) > 0 and not grades.get(iri):
                visits_ok += 1
            else:
                problems.append(f"  VISIT    {i['authority']} {i['startDate']}: {finding_counts.get(iri, 0)} findings, "
                                f"{len(grades.get(iri, {}))} grades")
            continue
        wanted = expected_areas(fw, year)
        if wanted is None:
            continue
        got = set(grades.get(iri, {}))
        stats[fw][1] += 1
        if wanted <= got:
            stats[fw][0] += 1
        else:
            problems.append(f"  INCOMPLETE {fw} {i['authority']} {i['startDate']}: missing {sorted(wanted - got)}")
    out = ["", "Stated judgements found, per framework (reports with every expected area / reports)"]
    for fw in sorted(stats):
        ok, total = stats[fw]
        out.append(f"  {fw:<17} {ok}/{total}")
    out.append(f"  visits with findings and no grades: {visits_ok}/{visits}")
    return out + problems
