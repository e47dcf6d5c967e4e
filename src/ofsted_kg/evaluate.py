"""Evaluation against ground truth: extracted ILACS judgements vs Ofsted's official outcomes,
completeness of SIF / 2012-13 judgements, and focused visits (findings, no grades).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from .ingest.authorities import AuthorityRegister
from .queries import run_named
from .store import open_backend

__all__ = ["evaluate_ilacs", "evaluate_themes", "expected_areas"]

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
    for f in {(str(f["inspection"]), str(f["kind"]), str(f["text"])) for f in findings}:
        finding_counts[f[0]] += 1
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


# --- themes and polarity against a hand annotation ------------------------------------------------

_WEAK = {"weakness", "recommendation"}


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").lower().split())


def _year_of(label: str) -> int | None:
    parts = label.split()
    return int(parts[-1]) if parts and parts[-1].isdigit() else None


@dataclass
class _Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, expected: set[str], got: set[str]) -> None:
        self.tp += len(expected & got)
        self.fp += len(got - expected)
        self.fn += len(expected - got)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def __str__(self) -> str:
        return f"P {self.precision:.2f}  R {self.recall:.2f}  (tp {self.tp}, fp {self.fp}, fn {self.fn})"


def load_annotations(path: Path, sources: dict[str, Path]) -> list[dict[str, str]]:
    """Annotated rows with their ``quote`` filled in. Each row names its passage by ``file``,
    character offsets ``start``/``end`` and a ``sha1`` of the passage (the annotation never stores the
    report text itself); ``sources`` maps file names to the files, e.g. the graph's source paths."""
    import hashlib

    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    if not rows or not {"file", "start", "end", "sha1", "polarity", "themes"} <= set(rows[0]):
        raise ValueError(f"{path}: expected columns file, authority, inspection, start, end, sha1, polarity, themes")
    texts: dict[str, str] = {}
    out = []
    for n, row in enumerate(rows, 2):
        src = sources.get(row["file"])
        if src is None or not src.is_file():
            raise ValueError(f"{path}, line {n}: source file {row['file']!r} is not in the graph or not readable "
                             "here; build the graph from the annotated files")
        text = texts.setdefault(row["file"], src.read_text(encoding="utf-8"))
        quote = text[int(row["start"]):int(row["end"])]
        if hashlib.sha1(quote.encode("utf-8")).hexdigest()[: len(row["sha1"])] != row["sha1"]:
            raise ValueError(f"{path}, line {n}: the passage at {row['start']}-{row['end']} of {row['file']} does not "
                             "match its sha1; the file has changed since it was annotated")
        out.append({**row, "quote": quote})
    return out


def evaluate_themes(graph: Path, annotations: Path, *, min_recall: float = 0.85,
                    min_precision: float = 0.75) -> tuple[str, bool]:
    """Themes and polarity of the graph's findings against a hand annotation (CSV with columns
    file, authority, inspection, quote, polarity, themes): inspection-level weakness themes per
    report (the acceptance measure), and sentence-level polarity and themes of matched findings."""
    backend = open_backend(graph)
    rows = run_named(backend, "finding-themes").values()
    backend.close()
    findings: dict[tuple[str, str], dict[str, object]] = {}
    for r in rows:  # one entry per (source file, finding text), themes gathered
        key = (str(r["source"]).rsplit("/", 1)[-1], str(r["text"]))
        f = findings.setdefault(key, {**r, "themes": set()})
        if r.get("theme"):
            f["themes"].add(str(r["theme"]))  # type: ignore[union-attr]
    sources = {str(r["source"]).rsplit("/", 1)[-1]: Path(str(r["source"])) for r in rows}
    gold = load_annotations(annotations, sources)
    # inspection level: (file, authority, year) -> expected / extracted weakness themes
    expected: dict[tuple[str, str, int | None], set[str]] = defaultdict(set)
    for g in gold:
        key = (g["file"], g["authority"], _year_of(g["inspection"]))
        expected.setdefault(key, set())
        if g["polarity"].strip() in _WEAK:
            expected[key] |= set(g["themes"].split())
    got: dict[tuple[str, str, int | None], set[str]] = defaultdict(set)
    for (file, _text), f in findings.items():
        key = (file, str(f["authority"]), f["year"] if isinstance(f["year"], int) else None)
        if key in expected and f["kind"] in _WEAK:
            got[key] |= f["themes"]  # type: ignore[operator]
    total = _Score()
    lines = ["Inspection-level weakness themes vs annotation (per report and inspection year)"]
    for key in sorted(expected, key=lambda k: (k[0], k[1], k[2] or 0)):
        s = _Score()
        s.add(expected[key], got.get(key, set()))
        total.add(expected[key], got.get(key, set()))
        lines.append(f"  {key[0]:<26} {key[1]:<14} {key[2] or '????'}  {s}")
        missed, extra = sorted(expected[key] - got.get(key, set())), sorted(got.get(key, set()) - expected[key])
        if missed:
            lines.append(f"      missed: {', '.join(missed)}")
        if extra:
            lines.append(f"      extra:  {', '.join(extra)}")
    lines.append(f"  ALL  {total}   (required P >= {min_precision:.2f}, R >= {min_recall:.2f})")
    # sentence level
    by_file: dict[str, list[tuple[str, dict[str, object]]]] = defaultdict(list)
    for (file, text), f in findings.items():
        by_file[file].append((_norm(text), f))
    matched = polarity_ok = 0
    confusion: dict[tuple[str, str], int] = defaultdict(int)
    sentence = _Score()
    for g in gold:
        q = _norm(g["quote"])
        hit = next((f for t, f in by_file.get(g["file"], []) if q in t or (len(t) > 30 and t in q)), None)
        want = "weakness" if g["polarity"].strip() in _WEAK else g["polarity"].strip()
        if hit is None:
            confusion[(want, "not extracted")] += 1
            continue
        matched += 1
        have = "weakness" if hit["kind"] in _WEAK else str(hit["kind"])
        confusion[(want, have)] += 1
        polarity_ok += want == have
        sentence.add(set(g["themes"].split()), hit["themes"])  # type: ignore[arg-type]
    lines += ["", "Sentence level (annotated quotes matched to extracted findings)",
              f"  matched {matched}/{len(gold)} annotated rows",
              f"  polarity agreeing on matched rows: {polarity_ok}/{matched}"
              f" = {polarity_ok / matched if matched else 0:.2%}",
              f"  themes of matched rows: {sentence}",
              "  polarity confusion (annotated -> extracted): "
              + ", ".join(f"{a}->{b} {n}" for (a, b), n in sorted(confusion.items()))]
    ok = total.recall >= min_recall and total.precision >= min_precision
    return "\n".join(lines), ok
