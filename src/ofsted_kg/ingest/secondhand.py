"""Inspections known second-hand: earlier inspections a report cites ("identified in 2014",
"the Joint Area Review in 2005 which judged ... inadequate", "The 2006 APA") and the
inspections a council committee paper reports, with any grades the citing text states.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..model import Document, FindingRecord, InspectionRecord, JudgementRecord
from ..registries import FRAMEWORKS, framework_for_date
from .dates import MONTHS
from .judgements import GRADE_WORDS, grade_of
from .polarity import classify, split_sentences

__all__ = ["Mention", "extract_secondhand", "inspection_at", "mentions"]

_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
_YEAR = r"(?:19|20)\d\d"
# framework cues, most specific first; "{X}" is filled by a date
_CUES: list[tuple[str, str]] = [
    ("cra", r"(?:unannounced\s+)?inspection\s+of\s+(?:local\s+authority\s+)?contact,?\s+(?:and\s+)?referral\s+and\s+"
            r"assessment|unannounced\s+inspection"),
    ("slac", r"inspection\s+of\s+safeguarding\s+and\s+looked\s+after\s+children|safeguarding\s+and\s+looked\s+after"
             r"\s+children['’]?s?\s+(?:services\s+)?inspection"),
    ("annual-rating", r"annual\s+(?:ofsted\s+)?rating|rating\s+letter"),
    ("apa", r"annual\s+performance\s+assessment|\bAPA\b"),
    ("jar", r"joint\s+area\s+review|\bJAR\b"),
    ("cp2012", r"inspection\s+of\s+(?:[\w’']+\s+){0,4}arrangements\s+for\s+the\s+protection\s+of\s+children"
               r"|child\s+protection\s+inspection|inspection\s+of\s+child\s+protection"),
    ("lac2012", r"inspection\s+of\s+(?:[\w’']+\s+){0,4}services\s+for\s+looked\s+after\s+children"
                r"|looked\s+after\s+children(?:['’]s)?\s+(?:services\s+)?inspection"),
    ("sif", r"single\s+inspection(?:\s+framework)?|\bSIF\b|inspection\s+of\s+services\s+for\s+children\s+in\s+need"),
    ("ilacs", r"inspection\s+of\s+local\s+authority\s+children['’]s\s+services|\bILACS\b"),
    ("focused-visit", r"focused\s+visit"),
    ("monitoring-visit", r"monitoring\s+visit"),
    ("generic", r"(?:ofsted\s+)?inspection|full\s+inspection"),
]
# "Ofsted inspection of ... arrangements for the protection of children": the specific cue must
# win over the generic one that starts at "Ofsted"
_CUE_RE = re.compile("|".join(f"(?P<c{i}>(?:ofsted['’]?s?\\s+)?(?:{pat}))" for i, (_, pat) in enumerate(_CUES)), re.I)
_PREFILTER = re.compile(r"\binspections?\b|review|\bAPA\b|visit|rating|performance\s+assessment|\bJAR\b|\bSIF\b"
                        r"|ILACS|(?:19|20)\d\d", re.I)
_EARLIER = re.compile(r"\b(?:last|previous|earlier|prior|most\s+recent|preceding|the\s+\d{4})\b", re.I)
_THIS = re.compile(r"\b(?:this|the\s+current|next|future|forthcoming|these)\s+(?:\w+\s+)?$", re.I)
_NOT_CSC = re.compile(
    r"^\s+of\s+(?:the\s+)?(?:adoption|fostering|residential|children['’]s\s+homes?|schools?|youth\s+offending|"
    r"secure|college|provider|nursery|health|probation|police|the\s+council['’]s\s+(?:adoption|fostering))", re.I)
_DATE_NEAR = re.compile(rf"\b(?:(?P<month>{_MONTH})\s+)?(?P<year>{_YEAR})\b", re.I)
_CITED_AS_YEAR = re.compile(
    rf"\b(?:identified|found|raised|highlighted|noted|judged|seen|reported|made)\s+(?:at\s+the\s+time\s+of\s+the\s+"
    rf"(?:last\s+)?inspection\s+)?in\s+(?P<year>{_YEAR})\b|\b(?:since|at|in|from)\s+the\s+(?:last\s+|previous\s+)?"
    rf"inspection\s+in\s+(?P<year2>{_YEAR})\b",
    re.I,
)
_GRADE_CLAUSE = re.compile(rf"(?P<grade>{GRADE_WORDS})(?!\s+features)", re.I)
_AREA_CUES: list[tuple[str, str]] = [
    ("performance-management-quality-assurance",
     r"performance\s+management\s+and\s+quality\s+assurance|quality\s+assurance\s+and\s+performance\s+management"),
    ("capacity-to-improve", r"capacity\s+(?:to|for)\s+improve(?:ment)?"),
    ("overall-effectiveness", r"overall\s+effectiveness"),
    ("safeguarding", r"safeguarding\s+services|children['’]s\s+safeguarding|arrangements\s+for\s+safeguarding|"
                     r"arrangements\s+(?:to|for\s+the)\s+protect(?:ion\s+of)?\s+children"),
    ("outcomes", r"\boutcomes\s+for\s+(?:children|looked)"),
    ("quality-of-provision", r"quality\s+of\s+(?:\w+\s+)?provision"),
    ("leadership-management", r"leadership\s+and\s+management"),
    ("value-for-money", r"value\s+for\s+money"),
    ("partnership-working", r"partnership\s+working"),
    ("equality-diversity", r"equality\s+and\s+diversity"),
    ("user-engagement", r"user\s+engagement"),
    ("being-healthy", r"being\s+healthy"),
    ("staying-safe", r"staying\s+safe"),
    ("enjoying-achieving", r"enjoy(?:ing)?\s+and\s+achiev(?:e|ing)"),
    ("positive-contribution", r"positive\s+contribution"),
    ("economic-wellbeing", r"economic\s+well[\s-]?being"),
    ("service-management", r"service\s+management"),
    ("safeguarding", r"\bsafeguarding\b"),
    ("overall-effectiveness", r"(?:council['’]s\s+|local\s+authority['’]s\s+)?children['’]s\s+services|"
                              r"the\s+(?:local\s+)?(?:authority|council)\b"),
]
_SCOPE_SAFEGUARDING = re.compile(r"\bfor\s+safeguarding\b|safeguarding\s+findings", re.I)
_SCOPE_LAC = re.compile(r"\bfor\s+looked\s+after\s+children\b|looked\s+after\s+children\s+findings", re.I)


@dataclass(frozen=True)
class Mention:
    """A mention of an inspection in running text."""

    start: int
    end: int
    framework: str
    year: int | None
    month: int | None
    earlier: bool  # "last/previous ... inspection": a reference to an earlier inspection
    sentence: tuple[int, int]


def mentions(doc: Document) -> list[Mention]:
    """Every mention of an inspection with a date close by, in document order."""
    out: list[Mention] = []
    own = doc.main()
    own_year = (own.start or own.published).year if own and (own.start or own.published) else None
    for block in doc.blocks:
        if re.match(r"contents\b", block.section, re.I) or block.kind == "heading" or (
                block.kind == "row" and re.search(r"\t\s*\d+\s*$", doc.text[block.start:block.end])):
            continue  # headings and contents lines are not citations
        if not _PREFILTER.search(doc.text, block.start, block.end):
            continue
        for s, e in split_sentences(doc.text[block.start:block.end], block.start):
            sentence = doc.text[s:e]
            if not _PREFILTER.search(sentence):
                continue
            for m in _CUE_RE.finditer(sentence):
                key = next(_CUES[int(g[1:])][0] for g, v in m.groupdict().items() if v)
                before = sentence[: m.start()]
                after = sentence[m.end():]
                if _THIS.search(before) or (key == "generic" and _NOT_CSC.match(after)):
                    continue
                window = sentence[max(0, m.start() - 30): m.end() + 60]
                d = _DATE_NEAR.search(window) or _DATE_NEAR.search(sentence, m.end())
                cited = _CITED_AS_YEAR.search(sentence)
                year = int(d.group("year")) if d else None
                month = MONTHS[d.group("month").lower()] if d and d.group("month") else None
                if year is None and cited:
                    year = int(cited.group("year") or cited.group("year2"))
                earlier = bool(_EARLIER.search(sentence[max(0, m.start() - 40): m.start()])) or bool(
                    re.search(rf"\bthe\s+{_YEAR}\s*$", before))
                if key == "generic":
                    if year is None or not (earlier or cited):
                        continue
                    if own_year is not None and year >= own_year:
                        continue
                out.append(Mention(s + m.start(), s + m.end(), key, year, month, earlier, (s, e)))
            if not out or out[-1].sentence != (s, e):
                cited = _CITED_AS_YEAR.search(sentence)
                if cited:
                    year = int(cited.group("year") or cited.group("year2"))
                    if own_year is None or year < own_year:
                        out.append(Mention(s + cited.start(), s + cited.end(), "generic", year, None, True, (s, e)))
    return out


def _framework(m: Mention, sentence: str) -> str | None:
    if m.framework != "generic" and m.framework != "ilacs":
        return m.framework
    if m.year is None:
        return None
    day = date(m.year, m.month or 6, 1)
    if m.framework == "ilacs":
        return "ilacs-standard" if day < FRAMEWORKS["ilacs-2026"].start else "ilacs-2026"
    protection = not re.search(r"looked\s+after", sentence, re.I)
    return framework_for_date(day, protection=protection)


def _key(framework: str, year: int | None) -> str:
    return f"ref-{framework}-{year or 'undated'}"


def _scope(text: str, section: str) -> str | None:
    if _SCOPE_SAFEGUARDING.search(text) or _SCOPE_SAFEGUARDING.search(section):
        return "safeguarding"
    if _SCOPE_LAC.search(text) or _SCOPE_LAC.search(section):
        return "looked-after"
    return None


def graded_clauses(doc: Document, s: int, e: int, section: str, default: str | None = None,
                   ) -> list[tuple[str, str, int, int]]:
    """(area, printed grade, start, end) for each graded phrase of a sentence of prose; ``default`` is
    the area of a judged grade that names none ("... in 2012, judged them to be adequate")."""
    sentence = doc.text[s:e]
    if not _GRADE_CLAUSE.search(sentence):
        return []
    judged = re.search(r"\b(?:judg\w*|rat(?:ed|ing)|both|graded)\b", sentence, re.I)
    out: list[tuple[str, str, int, int]] = []
    for clause_m in re.finditer(r"[^;]+", sentence):
        clause = clause_m.group(0)
        prev_end = 0
        grades = [g for g in _GRADE_CLAUSE.finditer(clause)
                  if not re.search(r"\bwith\s+(?:some\s+)?$|\bor\s+(?:very\s+)?$", clause[: g.start()], re.I)]
        if not grades:
            continue
        scope = _scope(clause, section)
        for i, g in enumerate(grades):
            before = clause[prev_end: g.start()]
            nxt = grades[i + 1].start() if i + 1 < len(grades) else len(clause)
            if re.search(r"\b(?:now|currently|this\s+(?:inspection|review|visit))\b", before, re.I):
                prev_end = g.end()
                continue  # "safeguarding is now judged to be inadequate": the citing report's own grade
            if not judged and not re.search(r"\b(?:is|are|was|were)\s+$", before, re.I):
                prev_end = g.end()
                continue
            areas = _areas_in(before, scope)
            if not areas and judged:
                areas = _areas_in(clause[g.end(): nxt], scope)
            if not areas and judged and default:
                areas = [default]
            if not judged and any(a.endswith("overall-effectiveness") for a in areas):
                areas = [a for a in areas if not a.endswith("overall-effectiveness")]
            label = g.group("grade")
            for area in areas:
                out.append((area, label, s + clause_m.start() + (prev_end if before.strip() else g.start()),
                            s + clause_m.start() + g.end()))
            prev_end = g.end()
    return out


def _areas_in(phrase: str, scope: str | None) -> list[str]:
    """Areas a phrase grades: all of "X and Y (both)", otherwise the one nearest the grade."""
    hits: list[tuple[int, int, str]] = []
    for key, cue in _AREA_CUES:
        for m in re.finditer(cue, phrase, re.I):
            if not any(s <= m.start() < e or m.start() <= s < m.end() for s, e, _ in hits):
                hits.append((m.start(), m.end(), key))
    if not hits:
        return []
    hits.sort()
    chain = [hits[-1]]
    for prev in reversed(hits[:-1]):
        between = phrase[prev[1]: chain[0][0]]
        if re.fullmatch(r"\s*(?:,|and|,\s*and)\s*(?:its\s+|the\s+)?", between, re.I):
            chain.insert(0, prev)
        else:
            break
    out = []
    for _, _, key in chain:
        if scope and key in ("overall-effectiveness", "capacity-to-improve"):
            key = f"{scope}-{key}"
        out.append(key)
    return list(dict.fromkeys(out))


def inspection_at(doc: Document, offset: int, found: list[Mention] | None = None) -> str | None:
    """The inspection a sentence of a committee paper is about (local id), by mention and context."""
    found = mentions(doc) if found is None else found
    block = doc.block_at(offset)
    records = {i.local_id: i for i in doc.inspections}
    in_block = [m for m in found if block and block.start <= m.start < block.end and m.start <= offset + 400]
    for m in reversed([m for m in in_block if m.sentence[0] <= offset < m.sentence[1]] or in_block):
        key = _key(_framework(m, doc.text[m.sentence[0]:m.sentence[1]]) or "generic", m.year)
        key = _resolve_local(key, records)
        if key in records and (FRAMEWORKS.get(records[key].framework or "") is None
                               or FRAMEWORKS[records[key].framework].graded or m.sentence[0] <= offset):
            return key
    graded = [m for m in found if m.start <= offset and not m.earlier]
    for m in reversed(graded):
        fw = _framework(m, doc.text[m.sentence[0]:m.sentence[1]])
        if fw and FRAMEWORKS[fw].graded:
            key = _resolve_local(_key(fw, m.year), records)
            if key in records:
                return key
    return None


def _resolve_local(key: str, records: dict[str, InspectionRecord]) -> str:
    if key in records:
        return key
    fw = key.rsplit("-", 1)[0]
    same = [k for k in records if k.rsplit("-", 1)[0] == fw]
    return same[0] if len(same) == 1 else key


def extract_secondhand(doc: Document) -> Document:
    """Add referenced / reported inspections, their stated grades and the citing findings."""
    main = doc.main()
    if main is None:
        return doc
    committee = doc.kind == "committee-paper"
    found = mentions(doc)
    records: dict[str, InspectionRecord] = {}
    for m in found:
        sentence = doc.text[m.sentence[0]:m.sentence[1]]
        fw = _framework(m, sentence)
        if fw is None:
            continue
        own_day = main.start or main.published
        if main.framework == fw and not committee and (m.year is None or (own_day and m.year == own_day.year)):
            continue  # the report's own inspection
        same = [k for k, r in records.items() if r.framework == fw and (m.year is None or r.start is None
                                                                         or r.start.year == m.year)]
        if same:
            key = same[0]
            r = records[key]
            if r.start is None and m.year:
                records[key] = _dated(r, m)
            continue
        key = _key(fw, m.year)
        referenced = (not committee) or m.earlier
        rec = InspectionRecord(
            local_id=key, framework=fw, authority=main.authority, referenced=referenced,
            evidence=doc.evidence(*m.sentence),
        )
        records[key] = _dated(rec, m) if m.year else rec
    # undated mentions in committee papers that never got a date are dropped (cannot be placed)
    records = {_key(r.framework, r.start.year): InspectionRecord(**{**r.__dict__, "local_id": _key(
        r.framework, r.start.year)}) for r in records.values() if r.start is not None and r.framework}
    # re-key by final framework/year so ids are stable
    doc2 = doc.evolve(inspections=(*doc.inspections, *records.values()))
    judgements: list[JudgementRecord] = []
    findings: list[FindingRecord] = []
    for block in doc.blocks:
        for s, e in split_sentences(doc.text[block.start:block.end], block.start):
            sentence_mentions = [m for m in found if m.sentence == (s, e)]
            clauses = graded_clauses(doc, s, e, block.section,
                                     "overall-effectiveness" if sentence_mentions and not committee else None)
            target = inspection_at(doc2, s, found) if (clauses and committee) else None
            if not committee:
                # a report's grades belong to an earlier inspection only when the sentence names it,
                # or follows one that does ("... was in November 2012. The local authority was judged ...")
                cited = sentence_mentions or [m for m in found if block.start <= m.sentence[0] and
                                              m.sentence[1] <= s and not doc.text[m.sentence[1]:s].strip(" .")]
                if cited:
                    m = cited[-1]
                    target = _resolve_local(_key(_framework(m, doc.text[m.sentence[0]:m.sentence[1]]) or "generic",
                                                 m.year), records)
                if sentence_mentions and target in records:
                    findings += _citing_findings(doc, target, s, e, block)
            if target is None or target not in records or not clauses:
                continue
            scale = "annual-rating" if records[target].framework == "annual-rating" else "four-point-2005"
            for area, label, cs, ce in clauses:
                g = grade_of(label, scale)
                if g:
                    judgements.append(JudgementRecord(target, area, g, label, scale, doc.evidence(cs, ce)))
    # one judgement per (inspection, area): first wins
    unique: dict[tuple[str, str], JudgementRecord] = {}
    for j in judgements:
        unique.setdefault((j.inspection, j.area), j)
    return doc2.evolve(judgements=(*doc.judgements, *unique.values()), findings=(*doc.findings, *findings))


def _dated(rec: InspectionRecord, m: Mention) -> InspectionRecord:
    assert m.year is not None
    start = date(m.year, m.month or 1, 1)
    return InspectionRecord(**{**rec.__dict__, "start": start, "date_precision": "month" if m.month else "year"})


def _citing_findings(doc: Document, target: str, s: int, e: int, block: object) -> list[FindingRecord]:
    """The citing sentence (plus a following "These include ..." sentence) as a finding of the earlier
    inspection, when it states a weakness or strength."""
    end = e
    rest = doc.text[e:e + 400]
    nxt = re.match(r"\s*(?:These|This|They|It)\s+(?:include[sd]?|are|were|was|is)\b[^.]*\.", rest)
    if nxt:
        end = e + nxt.end()
    text = re.sub(r"\s+", " ", doc.text[s:end]).strip()
    pol = classify(text)
    if pol.label == "neutral":
        return []
    return [FindingRecord(inspection=target, kind=pol.label, text=text, evidence=doc.evidence(s, end),
                          source_list="cited by a later report", polarity=pol.label, cue=pol.cue,
                          confidence=pol.confidence)]
