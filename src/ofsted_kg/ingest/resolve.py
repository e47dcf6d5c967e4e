"""Corpus-level identity: give every inspection a stable IRI, so that one inspection reached
through several documents (a PDF and a text copy; a report and a committee paper about it;
a later report citing it) is one node with several sources.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Document, InspectionRecord
from ..namespaces import ID

__all__ = ["Resolution", "inspection_iri", "resolve_corpus"]

_FAMILIES = [
    {"ilacs-standard", "ilacs-short", "ilacs-2026"},
    {"sif", "sif-reinspection"},
]


def _family(framework: str | None) -> set[str]:
    for family in _FAMILIES:
        if framework in family:
            return family
    return {framework} if framework else set()


def _date_key(rec: InspectionRecord) -> str:
    day = rec.start or rec.published
    if day is None:
        return "undated"
    if rec.start is None:
        return f"published-{day:%Y-%m}"
    if rec.date_precision == "year":
        return f"{day:%Y}"
    if rec.date_precision == "month":
        return f"{day:%Y-%m}"
    return day.isoformat()


def inspection_iri(rec: InspectionRecord) -> str:
    """The IRI an inspection gets on its own: authority + framework + date."""
    return str(ID[f"inspection/{rec.authority or 'unknown'}/{rec.framework or 'unknown'}/{_date_key(rec)}"])


def _year(rec: InspectionRecord) -> int | None:
    day = rec.start or rec.published
    return day.year if day else None


def _compatible(secondary: InspectionRecord, primary: InspectionRecord) -> bool:
    if secondary.authority != primary.authority or secondary.authority is None:
        return False
    if primary.framework not in _family(secondary.framework):
        return False
    if primary.start is None:
        return _year(secondary) == _year(primary)
    if secondary.start is None:
        return False
    if secondary.date_precision == "day":
        return secondary.start == primary.start
    if secondary.date_precision == "month":
        return (secondary.start.year, secondary.start.month) == (primary.start.year, primary.start.month) or (
            primary.end is not None and primary.start <= secondary.start <= primary.end)
    return secondary.start.year == primary.start.year or (
        primary.end is not None and primary.end.year == secondary.start.year)


@dataclass(frozen=True)
class Resolution:
    """Corpus-level decisions the triple writer needs."""

    iris: dict[tuple[str, str], str]  # (document sha256, local id) -> inspection IRI
    owners: dict[str, tuple[str, str]]  # IRI -> the record whose attributes (dates, ...) are written
    first_hand: frozenset[str]  # IRIs described by their own report (not only referenced)
    judgement_owners: dict[tuple[str, str], str]  # (IRI, area) -> sha256 of the document whose grade is used

    def owns(self, sha: str, local_id: str) -> bool:
        iri = self.iris.get((sha, local_id))
        return iri is not None and self.owners.get(iri) == (sha, local_id)


def _precision_rank(doc: Document, rec: InspectionRecord) -> tuple[int, int, str]:
    first = 0 if (not rec.referenced and doc.kind != "committee-paper" and rec.local_id == "main") else 1
    precision = {"day": 0, "month": 1, "year": 2}.get(rec.date_precision, 3) + (3 if rec.date_inferred else 0)
    return (first, precision, doc.sha256)


def resolve_corpus(docs: Iterable[Document]) -> Resolution:
    """Decide every inspection's IRI across the corpus.

    First-hand inspections (from the inspection's own report) are the anchors; second-hand
    records (referenced, committee-reported, month/year precision) join an anchor of the same
    authority, framework family and date when there is one. Each IRI's attributes come from
    its most authoritative record; each judgement area's grade from the first document that
    states it, preferring the inspection's own report.
    """
    docs = sorted(docs, key=lambda d: d.sha256)
    anchors: list[InspectionRecord] = []
    for doc in docs:
        for rec in doc.inspections:
            if rec.framework and not rec.referenced and doc.kind != "committee-paper" and rec.local_id == "main":
                anchors.append(rec)
    anchors.sort(key=inspection_iri)
    iris: dict[tuple[str, str], str] = {}
    ranks: dict[str, tuple[tuple[int, int, str], tuple[str, str]]] = {}
    first_hand: set[str] = set()
    for doc in docs:
        for rec in doc.inspections:
            if rec.framework is None:
                continue
            iri = inspection_iri(rec)
            if rec.referenced or doc.kind == "committee-paper" or rec.date_precision != "day" or rec.date_inferred:
                match = next((a for a in anchors if a is not rec and _compatible(rec, a)), None)
                if match is not None:
                    iri = inspection_iri(match)
            iris[(doc.sha256, rec.local_id)] = iri
            rank = _precision_rank(doc, rec)
            if iri not in ranks or rank < ranks[iri][0]:
                ranks[iri] = (rank, (doc.sha256, rec.local_id))
            if not rec.referenced:
                first_hand.add(iri)
    owners = {iri: key for iri, (_, key) in ranks.items()}
    judgement_owners: dict[tuple[str, str], str] = {}
    ordered = sorted(docs, key=lambda d: min((_precision_rank(d, r) for r in d.inspections), default=(9, 9, "")))
    for doc in ordered:
        for j in doc.judgements:
            iri = iris.get((doc.sha256, j.inspection))
            if iri is not None:
                judgement_owners.setdefault((iri, j.area), doc.sha256)
    return Resolution(iris, owners, frozenset(first_hand), judgement_owners)
