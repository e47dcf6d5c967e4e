"""The carrier: one ``Document`` flows through the ingest stages, each returning a new copy.

Offsets (``start``/``end``) always index ``Document.text``, the normalised text, which is
also stored in the graph so that every quote can be checked against its source.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class Block:
    """One block of normalised text: a paragraph, heading, bullet or table row."""

    start: int
    end: int
    page: int | None
    kind: str = "para"  # para | heading | bullet | row
    number: str | None = None  # printed paragraph number ("12"), if any
    section: str = ""  # nearest heading above


@dataclass(frozen=True)
class Evidence:
    """Where a fact comes from: a span of the normalised text of one source document."""

    start: int
    end: int
    quote: str
    page: int | None = None
    paragraph: str | None = None
    section: str = ""


@dataclass(frozen=True)
class InspectionRecord:
    """An inspection (or visit) that a document reports, first-hand or by reference."""

    local_id: str  # stable within the document: "main", "ref-2014-sif", ...
    framework: str | None
    authority: str | None = None  # GSS code of the authority (register key)
    start: date | None = None
    end: date | None = None
    date_precision: str = "day"  # day | month | year
    date_inferred: bool = False
    published: date | None = None
    lead_inspector: str | None = None
    referenced: bool = False  # known only from a later document
    evidence: Evidence | None = None


@dataclass(frozen=True)
class JudgementRecord:
    inspection: str  # InspectionRecord.local_id
    area: str  # registries.AREAS key
    grade: str  # registries.GRADES key
    label: str  # the grade as printed ("Requires improvement to be good", "1", "Grade 3 (Adequate)")
    scale: str  # registries.SCALES key
    evidence: Evidence | None = None


@dataclass(frozen=True)
class FindingRecord:
    inspection: str
    kind: str  # strength | weakness | recommendation
    text: str
    evidence: Evidence
    timescale: str | None = None  # "Immediately", "Within three months", ...
    source_list: str | None = None  # the list it came from: "What needs to improve", ...
    polarity: str | None = None  # weakness | strength | neutral, from the classifier
    cue: str | None = None  # the words that decided the polarity
    confidence: float | None = None
    themes: tuple[tuple[str, str, float], ...] = ()  # (theme id, matched cue, confidence)


@dataclass(frozen=True)
class Document:
    """A source document and everything extracted from it so far."""

    path: Path
    sha256: str
    media_type: str  # application/pdf, text/plain, text/markdown, text/html
    text: str = ""  # normalised text
    pages: tuple[tuple[int, int], ...] = ()  # (page number, start offset) in text order
    blocks: tuple[Block, ...] = ()
    kind: str | None = None  # report | letter | committee-paper
    framework: str | None = None
    title: str | None = None
    inspections: tuple[InspectionRecord, ...] = ()
    judgements: tuple[JudgementRecord, ...] = ()
    findings: tuple[FindingRecord, ...] = ()
    warnings: tuple[str, ...] = ()
    overrides: dict[str, str] = field(default_factory=dict)  # manifest fields for this file

    def evolve(self, **changes: object) -> Document:
        """A copy with ``changes`` applied (stages never mutate their input)."""
        return replace(self, **changes)

    def main(self) -> InspectionRecord | None:
        """The inspection the document is first-hand about, if any."""
        return next((i for i in self.inspections if not i.referenced), None)

    def evidence(self, start: int, end: int) -> Evidence:
        """Evidence for ``text[start:end]`` with its page, paragraph number and section."""
        start, end = _trim(self.text, start, end)
        block = self.block_at(start)
        return Evidence(
            start=start,
            end=end,
            quote=self.text[start:end],
            page=self.page_at(start),
            paragraph=block.number if block else None,
            section=block.section if block else "",
        )

    def block_at(self, offset: int) -> Block | None:
        """The block containing ``offset``."""
        lo, hi = 0, len(self.blocks) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            b = self.blocks[mid]
            if offset < b.start:
                hi = mid - 1
            elif offset >= b.end:
                lo = mid + 1
            else:
                return b
        return None

    def page_at(self, offset: int) -> int | None:
        """The page (1-based) of ``offset``, if the source has pages."""
        page = None
        for number, start in self.pages:
            if start > offset:
                break
            page = number
        return page


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
