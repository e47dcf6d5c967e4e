"""Metadata of the main inspection: framework, authority, inspection and publication dates,
lead inspector. Detection works from the headings and wording each framework prints.
"""

from __future__ import annotations

import re
from datetime import date

from ..model import Document, InspectionRecord
from ..registries import FRAMEWORKS
from .authorities import AuthorityRegister
from .dates import DATE, DATE_RANGE, parse_date, parse_range

__all__ = ["detect_framework", "extract_metadata", "find_authority"]

_HEAD = 2500  # characters of the title region

# (framework key, pattern over the title region) in priority order
_TITLE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("committee", re.compile(r"\b(?:MEETING|TITLE OF REPORT|REPORT BY|REPORT TO)\s*:|scrutiny committee|"
                             r"\bcabinet member\b|agenda item", re.I)),
    ("jar", re.compile(r"\bjoint area review\b", re.I)),
    ("monitoring-visit", re.compile(r"\bmonitoring visit (?:to|of)\b", re.I)),
    ("focused-visit", re.compile(r"\bfocused visit to\b", re.I)),
    ("sif-reinspection", re.compile(r"\bre-?\s?inspection of services for children in need", re.I)),
    ("sif", re.compile(r"\binspection of services for children in need of help and protection", re.I)),
    ("lscb-review", re.compile(r"^\s*review of the effectiveness of the local safeguarding children\s+board",
                               re.I | re.M)),
    ("cp2012", re.compile(r"\binspection of local authority arrangements for the protection of children", re.I)),
    ("lac2012", re.compile(r"\binspection of (?:local authority )?(?:services for )?looked after children"
                           r"(?: services)?\b", re.I)),
    ("slac", re.compile(r"\binspection of safeguarding and looked after children", re.I)),
    ("cra", re.compile(r"\bunannounced inspection of (?:local authority )?contact,? referral and assessment", re.I)),
    ("apa", re.compile(r"\bannual performance assessment of (?:services for children|children['’]s services)",
                       re.I)),
    ("ilacs", re.compile(r"\b[Ii]nspection of (?:the\s+)?(?:[\w ,&'’.-]{2,80}?\s)?(?:local authority\s+)?children['’]s"
                         r"(?: social care)? services\b", re.I)),
]

# wording that identifies a framework when the title is missing (e.g. a text copy without page 1)
_CONTENT_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("ilacs", re.compile(r"\bthe\s+impact\s+of\s+leaders\s+on\s+social\s+work\s+practice", re.I)),
    ("sif", re.compile(r"\bchildren\s+looked\s+after\s+and\s+achieving\s+permanence", re.I)),
    ("cp2012", re.compile(r"\beffectiveness\s+of\s+the\s+help\s+and\s+protection\s+provided\s+to\s+children", re.I)),
]

_INSPECTION_DATES = re.compile(rf"\binspection dates?\s*:?\s*({DATE_RANGE})", re.I)
_VISIT_DATES = re.compile(
    rf"\b(?:visit|inspection)\b[^.]{{0,160}}?\b(?:on|between|from)\s+(?:the\s+)?({DATE_RANGE})", re.I)
_PUBLISHED = re.compile(rf"\b(?:report\s+)?published\s*:?\s*({DATE})", re.I)
_COMMITTEE_DATE = re.compile(rf"^\s*DATE\s*:?\s*({DATE})", re.I | re.M)
_LEAD = re.compile(
    r"\b(?:[Ll]ead|[Rr]eporting)\s+inspector\s*:?\s*(?:was\s+)?"
    r"((?:[A-Z][\w'’.-]+)(?:[ \t]+(?:[A-Z][\w'’.-]+|de|van|le)){0,3})"
)
_SIGNATORY = re.compile(r"\byours sincerely\s*\n\s*([A-Z][\w'’.-]+(?:[ \t]+[A-Z][\w'’.-]+){0,3})", re.I)
_VISIT_INSPECTORS = re.compile(r"inspectors (?:for this visit )?were\s+([A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3})")
_FILE_DATE = re.compile(rf"-\s*({DATE})\s*$", re.I)
_NOT_NAMES = {"Her", "His", "Majesty", "Majesty’s", "Majesty's", "HMI", "Ofsted", "Inspector", "Inspectors"}


def detect_framework(doc: Document) -> Document:
    """Set ``kind`` (report, letter, committee-paper), ``framework`` and ``title`` from the title region."""
    head = doc.text[:_HEAD]
    found: tuple[str, re.Match[str]] | None = None
    for key, pattern in _TITLE_PATTERNS:  # the title comes first: the earliest match wins
        m = pattern.search(head)
        if m and (found is None or m.start() < found[1].start()):
            found = (key, m)
        if found and found[0] == "committee":
            break
    if found is None:
        for key, pattern in _CONTENT_PATTERNS:
            m = pattern.search(head)
            if m:
                found = (key, m)
                break
    if found is None:
        return doc.evolve(kind="report", framework=None, warnings=(*doc.warnings, "framework not recognised"))
    key, m = found
    block = doc.block_at(m.start())
    title = doc.text[block.start:block.end] if block else m.group(0)
    if key == "committee":
        return doc.evolve(kind="committee-paper", framework=None, title=title)
    kind = "letter" if key in ("focused-visit", "monitoring-visit") else "report"
    return doc.evolve(kind=kind, framework=key, title=title)


def _ilacs_variant(doc: Document, start: date | None, end: date | None) -> str:
    """ILACS standard (two weeks on site), short (one week) or the April 2026 framework."""
    head = doc.text[:_HEAD]
    table_has_overall = re.search(r"\boverall effectiveness\b", head, re.I) is not None
    if start and start >= FRAMEWORKS["ilacs-2026"].start and not table_has_overall:
        return "ilacs-2026"
    if start and end and (end - start).days <= 7:
        return "ilacs-short"
    return "ilacs-standard"


def _first_date_block(doc: Document, limit: int = 6) -> date | None:
    for block in doc.blocks[:limit]:
        text = doc.text[block.start:block.end]
        if len(text) < 30 and re.fullmatch(rf"\s*{DATE}\s*", text, re.I):
            d = parse_date(text)
            if d:
                return d
    return None


def _lead_inspector(doc: Document) -> str | None:
    for pattern in (_LEAD, _SIGNATORY, _VISIT_INSPECTORS):
        m = pattern.search(doc.text)
        if m:
            words = [w for w in m.group(1).split() if w not in _NOT_NAMES]
            name = " ".join(words).rstrip(",.")
            if len(words) >= 2:
                return name
    return None


def find_authority(doc: Document, register: AuthorityRegister, on: date | None) -> str | None:
    """GSS code of the authority the document is about, from its title region first."""
    head = doc.text[:_HEAD]
    strong = re.finditer(
        r"(?:inspection of|visit to|review of|children['’]s services in|inspections? of [\w ]{0,60}? in)\s+"
        r"(?:the\s+)?(.{3,90}?)(?:\s+local authority)?\s+(?:children['’]s|require|are|is)\b|"
        r"(?:safeguarding and looked after children (?:services )?in)\s+(\w[\w -]{2,40})",
        head, re.I,
    )
    for m in strong:
        span = m.group(1) or m.group(2) or ""
        hits = [a for a, _, _ in register.find_all(span, on) if on is None or a.operating_on(on)]
        if hits:
            return hits[0].gss
    for region in (head, doc.text):
        counts: dict[str, list[int]] = {}
        for authority, start, _ in register.find_all(region, on):
            if on is not None and not authority.operating_on(on):
                continue
            counts.setdefault(authority.gss, []).append(start)
        if counts:
            return max(counts.items(), key=lambda kv: (len(kv[1]), -kv[1][0]))[0]
    return None


def extract_metadata(doc: Document, register: AuthorityRegister) -> Document:
    """Add the main inspection record (not for committee papers, whose inspections are second-hand)."""
    if doc.kind == "committee-paper":
        m = _COMMITTEE_DATE.search(doc.text[:_HEAD])
        published = parse_date(m.group(1)) if m else None
        authority = find_authority(doc, register, published)
        main = InspectionRecord(local_id="paper", framework=None, authority=authority, published=published)
        return doc.evolve(inspections=(main,))
    head = doc.text[:_HEAD]
    start = end = None
    precision = "day"
    m = _INSPECTION_DATES.search(head) or _VISIT_DATES.search(head)
    evidence = None
    if m:
        rng = parse_range(m.group(1))
        if rng:
            start, end, precision = rng.start, rng.end, rng.precision
            evidence = doc.evidence(m.start(), m.end())
    published = None
    pm = _PUBLISHED.search(head)
    if pm:
        published = parse_date(pm.group(1))
    if published is None and doc.kind == "letter":
        published = _first_date_block(doc)
    if published is None or (start is not None and published < start):
        # Ofsted's download names end with the publication date; a letter dated before its own
        # visit (a typo in the letter) defers to it
        fm = _FILE_DATE.search(doc.path.stem)
        if fm:
            published = parse_date(fm.group(1)) or published
    framework = doc.framework
    if framework == "ilacs":
        framework = _ilacs_variant(doc, start, end)
    inferred = False
    if start is None and published is None and framework in FRAMEWORKS:
        start, precision, inferred = FRAMEWORKS[framework].start, "day", True
    authority = find_authority(doc, register, start or published)
    main = InspectionRecord(
        local_id="main",
        framework=framework,
        authority=authority,
        start=start,
        end=end,
        date_precision=precision,
        date_inferred=inferred,
        published=published,
        lead_inspector=_lead_inspector(doc),
        evidence=evidence,
    )
    warnings = list(doc.warnings)
    if authority is None:
        warnings.append("authority not recognised")
    if start is None and not inferred:
        warnings.append("inspection dates not found")
    return doc.evolve(framework=framework, inspections=(main,), warnings=tuple(warnings))
