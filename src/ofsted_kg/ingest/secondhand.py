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
from .polarity import Polarity, classify, split_sentences

__all__ = ["Mention", "about_earlier", "extract_secondhand", "inspection_at", "mentions"]

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
    r"^\s+of\s+(?:the\s+)?(?:[^\s,.;]+['’]s?\s+)?(?:[^\s,.;]+\s+){0,3}?(?:adoption|fostering|residential|"
    r"children['’]s\s+homes?|schools?|youth\s+(?:offending|justice)|secure|college|provider|nursery|health|probation|"
    r"police)\b", re.I)
_DATE_NEAR = re.compile(rf"\b(?:(?P<month>{_MONTH})\s+)?(?P<year>{_YEAR})\b", re.I)
# "2015-16", "2013 to 2014": a financial or academic year, not the date of an inspection
_YEAR_RANGE = re.compile(r"\s*[-\u2013\u2014/]\s*\d{2,4}\b|\s+to\s+(?:19|20)\d\d\b")
# inspections of other kinds ("the joint targeted area inspection (JTAI) in 2017", "the SEND inspection")
_NOT_CSC_BEFORE = re.compile(
    r"\b(?:targeted\s+area|area\s+targeted|JTAI|SEND|joint|adoption|fostering|residential|school|schools|health|"
    r"youth\s+(?:offending|justice)|probation|police|thematic|HMIP|CQC)\s+(?:\([^)]*\)\s+)?$"
    # "The local authority fostering service was rated outstanding at its last inspection"
    r"|\b(?:adoption|fostering|residential|secure|short\s+breaks?)\s+(?:services?|agency|agencies|homes?|units?)\b"
    r"[^,;.]{0,80}\b(?:its|their)\s+(?:\w+\s+){0,2}$", re.I)
# what may stand between an explicit framework word and a following generic "inspection"
_GLUE = re.compile(r"[\s()]*(?:[A-Z]{2,6}[\s()]+)?(?:(?:full|standard|judgement|graded|short|main|Ofsted)\s+)*",
                   re.I)
_SINCE = re.compile(r"\bsince\s+(?:the|its|their|a|an)\s+(?:[\w’'-]+\s+){0,3}$", re.I)
_CITED_AS_YEAR = re.compile(
    rf"(?:\b(?:identified|found|raised|highlighted|noted|judged|seen|reported|made)\s+(?:at\s+the\s+time\s+of\s+the\s+"
    rf"(?:last\s+)?inspection\s+)?in\s+(?P<year>{_YEAR})\b|\b(?:since|at|in|from)\s+the\s+(?:last\s+|previous\s+)?"
    rf"inspection\s+in\s+(?P<year2>{_YEAR})\b)"
    r"(?!\s*[-\u2013\u2014/]\s*\d{2,4}\b|\s+to\s+(?:19|20)\d\d\b)",  # not "made in 2016-17", "in 2013 to 2014"
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
    # the judgement areas of the single inspection framework and ILACS, named in later reports' prose
    ("children-in-care-and-care-leavers", r"children\s+in\s+care\s+and\s+care\s+leavers"),
    ("help-and-protection", r"help\s+and\s+protection"),
    ("leaders", r"impact\s+of\s+leaders"),
    ("care-leavers", r"care\s+leavers|care[\s-]experienced\s+(?:young\s+people|children|adults)"),
    ("children-in-care", r"children\s+in\s+care"),
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
            found = [Mention(s + c.start, s + c.end, c.key, c.year, c.month, c.earlier, (s, e))
                     for c in _sentence_cues(sentence, own_year)]
            if not found:
                cited = _CITED_AS_YEAR.search(sentence)
                if cited:
                    year = int(cited.group("year") or cited.group("year2"))
                    if own_year is None or year < own_year:
                        found.append(Mention(s + cited.start(), s + cited.end(), "generic", year, None, True, (s, e)))
            out += found
    return out


@dataclass
class _Cue:
    start: int
    end: int
    key: str
    year: int | None = None
    month: int | None = None
    earlier: bool = False


def _dates(sentence: str) -> list[re.Match[str]]:
    """Dates of a sentence, without financial or academic years ("2015-16", "2013 to 2014") and Acts."""
    return [d for d in _DATE_NEAR.finditer(sentence)
            if not _YEAR_RANGE.match(sentence, d.end()) and not re.search(r"\bAct\s+$", sentence[: d.start()])]


def _sentence_cues(sentence: str, own_year: int | None) -> list[_Cue]:
    """Inspection mentions of one sentence, each with its own date.

    A date belongs to the nearest framework word: the one it follows ("the focused visit in 2020",
    "the last inspection, in May 2022"), or else the one it directly precedes ("the 2019 inspection",
    "In June 2010 Ofsted undertook the first inspection of ..."). A date never serves two mentions,
    so "the last inspection and the focused visit in 2020" dates only the focused visit; and a
    generic "inspection" right after an explicit framework word takes that framework ("the single
    inspection framework (SIF) inspection in 2014", "the last ILACS judgement inspection").
    """
    cues: list[_Cue] = []
    for m in _CUE_RE.finditer(sentence):
        key = next(_CUES[int(g[1:])][0] for g, v in m.groupdict().items() if v)
        before = sentence[: m.start()]
        if _THIS.search(before) or (key == "generic" and (_NOT_CSC.match(sentence[m.end():])
                                                          or _NOT_CSC_BEFORE.search(before))):
            continue
        earlier = bool(_EARLIER.search(sentence[max(0, m.start() - 40): m.start()])) or bool(
            re.search(rf"\bthe\s+{_YEAR}\s*$", before)) or (key == "generic" and bool(_SINCE.search(before)))
        cues.append(_Cue(m.start(), m.end(), key, earlier=earlier))
    if not cues:
        return []
    dates = _dates(sentence)
    claimed: set[int] = set()
    for i, c in enumerate(cues):  # dates that modify it: "the 2012 inspection", "the 2011 Ofsted inspection"
        floor = cues[i - 1].end if i else 0
        for j, d in enumerate(dates):
            if floor <= d.start() and d.end() <= c.start and re.fullmatch(r"\s*", sentence[d.end():c.start]):
                c.year, c.month = int(d.group("year")), _month(d)
                claimed.add(j)
    for i, c in enumerate(cues):  # dates that follow their framework word
        if c.year is not None:
            continue
        limit = cues[i + 1].start if i + 1 < len(cues) else len(sentence)
        for j, d in enumerate(dates):
            if d.start() < c.end or j in claimed:
                continue
            if d.start() < limit and _follows(sentence[c.end:d.start()]):
                c.year, c.month = int(d.group("year")), _month(d)
                claimed.add(j)
            break
    for i, c in enumerate(cues):  # dates that precede it
        if c.year is not None:
            continue
        floor = cues[i - 1].end if i else 0
        for j in reversed(range(len(dates))):
            d = dates[j]
            if d.end() > c.start:
                continue
            if j not in claimed and d.start() >= floor and len(sentence[d.end():c.start]) <= 40 \
                    and not re.search(r"\b(?:and|or)\b|;", sentence[d.end():c.start]):
                c.year, c.month = int(d.group("year")), _month(d)
                claimed.add(j)
            break
    merged: list[_Cue] = []
    for c in cues:
        prev = merged[-1] if merged else None
        if (c.key == "generic" and prev is not None and prev.key != "generic" and (prev.year is None or c.year is None)
                and _GLUE.fullmatch(sentence[prev.end:c.start])):
            prev.end = c.end  # "the ILACS inspection in 2019": one mention, of the explicit framework
            prev.year, prev.month = prev.year or c.year, prev.month if prev.year else c.month
            prev.earlier = prev.earlier or c.earlier
            continue
        merged.append(c)
    cited = _CITED_AS_YEAR.search(sentence)
    out = []
    for c in merged:
        if c.year is None and cited and not any(c2.year for c2 in merged):
            c.year = int(cited.group("year") or cited.group("year2"))
        if c.key == "generic":
            if c.year is None or not (c.earlier or cited):
                continue
            if own_year is not None and c.year >= own_year:
                continue
        out.append(c)
    return out


def _month(d: re.Match[str]) -> int | None:
    return MONTHS[d.group("month").lower()] if d.group("month") else None


def _follows(gap: str) -> bool:
    """Whether a date after a framework word, with ``gap`` between them, dates it: in the same clause
    ("... of the local authority's services for children looked after was in May 2012"), or right after
    a comma ("the last inspection, in May 2022")."""
    if len(gap) > 160:
        return False
    parts = re.split(r"[,;:]", gap)
    return len(parts) == 1 or bool(re.fullmatch(r"\s*(?:(?:in|on|during|of|dated)\s+)?(?:the\s+)?", parts[-1], re.I))


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
    first = True  # only the sentence's first grade may take the default area: a later one grades something else
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
            if re.search(r"\b(?:now|currently|still|this\s+(?:inspection|review|visit))\b", before, re.I):
                prev_end = g.end()
                continue  # "safeguarding is now judged to be inadequate": the citing report's own grade
            if not judged and not re.search(r"\b(?:is|are|was|were)\s+$", before, re.I):
                prev_end = g.end()
                continue
            areas = _areas_in(before, scope)
            if not areas and judged:
                # the area named right after the grade, in the same clause ("judged good overall, ..." is not
                # about the "care leavers" of the next clause)
                after = re.split(r"[,;:]", clause[g.end(): nxt], maxsplit=1)[0]
                areas = _areas_in("overall effectiveness" if re.match(r"[\s’']*overall\b", after, re.I) else after,
                                  scope)
            if not areas and judged and default and first:
                areas = [default]
            first = False
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
                findings += _cited_findings(doc, sentence_mentions, records, s, e)
            if target is None or target not in records or not clauses:
                continue
            fw = records[target].framework or ""
            if fw in FRAMEWORKS and not FRAMEWORKS[fw].graded:
                continue  # visits award no judgements
            scale = _SCALE.get(fw.split("-")[0], "four-point-2005")
            for area, label, cs, ce in clauses:
                g = grade_of(label, scale)
                area = _area_for(area, records[target])
                if g and area:
                    judgements.append(JudgementRecord(target, area, g, label, scale, doc.evidence(cs, ce)))
    # one judgement per (inspection, area): first wins
    unique: dict[tuple[str, str], JudgementRecord] = {}
    for j in judgements:
        unique.setdefault((j.inspection, j.area), j)
    return doc2.evolve(judgements=(*doc.judgements, *unique.values()), findings=(*doc.findings, *findings))


_ILACS_AREAS = {"leaders", "help-and-protection", "children-in-care", "care-leavers",
                "children-in-care-and-care-leavers"}


def _area_for(area: str, rec: InspectionRecord) -> str | None:
    """The area a later report's words name, on the framework of the inspection they grade: "children in care"
    of an ILACS inspection before 2023 is its combined children in care and care leavers judgement; of a SIF
    inspection, children looked after and achieving permanence."""
    fw = rec.framework or ""
    if area not in _ILACS_AREAS:
        return area
    if fw.startswith("ilacs"):
        if rec.start and rec.start.year < 2023 and area in ("children-in-care", "care-leavers"):
            return "children-in-care-and-care-leavers" if area == "children-in-care" else None
        return area
    if fw.startswith("sif"):
        return {"children-in-care": "looked-after-permanence", "help-and-protection": "help-and-protection",
                "care-leavers": "care-leavers"}.get(area)
    return "help-and-protection" if area == "help-and-protection" and fw == "cp2012" else None


def _dated(rec: InspectionRecord, m: Mention) -> InspectionRecord:
    """The record dated by a mention. A visit a later report cites is dated to its year only: the month given
    for a focused or monitoring visit is often the month its letter was published, and the citation must still
    resolve to the visit's own node (same authority and year)."""
    assert m.year is not None
    month = None if rec.referenced and rec.framework in ("focused-visit", "monitoring-visit") else m.month
    start = date(m.year, month or 1, 1)
    return InspectionRecord(**{**rec.__dict__, "start": start, "date_precision": "month" if month else "year"})


def _cited_findings(doc: Document, sentence_mentions: list[Mention], records: dict[str, InspectionRecord],
                    s: int, e: int) -> list[FindingRecord]:
    """The findings a sentence attributes to the earlier inspections it names (one per inspection)."""
    out: list[FindingRecord] = []
    done: set[str] = set()
    for m in sentence_mentions:
        target = _resolve_local(_key(_framework(m, doc.text[s:e]) or "generic", m.year), records)
        if target not in records or target in done:
            continue
        about = about_earlier(doc.text[s:e], m.start - s, m.end - s)
        if about is not None:
            done.add(target)
            out += _citing_findings(doc, target, s, e, about)
    return out


def _citing_findings(doc: Document, target: str, s: int, e: int, about: tuple[str, str | None, str | None],
                     ) -> list[FindingRecord]:
    """The citing sentence (plus a following "These include ..." sentence) as a finding of the earlier
    inspection, when it states a weakness or strength found by it."""
    end = e
    rest = doc.text[e:e + 400]
    nxt = re.match(r"\s*(?:These|This|They|It)\s+(?:include[sd]?|are|were|was|is)\b[^.]*\.", rest)
    if nxt:
        end = e + nxt.end()
    text = re.sub(r"\s+", " ", doc.text[s:end]).strip()
    scope, kind, cue = about
    pol = classify(text if scope == doc.text[s:e] else scope)
    if kind is not None:
        pol = Polarity(kind, cue or pol.cue, max(pol.confidence, 0.7), pol.score)
    if pol.label == "neutral":
        return []
    return [FindingRecord(inspection=target, kind=pol.label, text=text, evidence=doc.evidence(s, end),
                          source_list="cited by a later report", polarity=pol.label, cue=pol.cue,
                          confidence=pol.confidence)]


# --- does a sentence state what an earlier inspection found, or only date the present by it? -------

# "since the last inspection", "than at the time of ...": the inspection only dates the present
_ANCHOR = re.compile(r"\b(?:since|following|after|before|prior\s+to|than|compared\s+(?:with|to)|until|up\s+to|"
                     r"built\s+on|building\s+on|between)\b", re.I)
_FIND_VERBS = (r"identified|found|raised|highlighted|noted|seen|reported|made|recommended|judged|rated|graded|"
               r"criticised|set\s+out|observed|evident|apparent|concluded|described|flagged|requested|required")
# "weaknesses identified at the last inspection", "this was an area for improvement at ...", "as was the case at"
_LINK = re.compile(
    rf"(?:\b(?:{_FIND_VERBS})(?:\s+(?:as|by)\s+[^,;.]{{0,40}}?)?|\b(?:recommendations?|"
    r"areas?\s+(?:for|of)\s+(?:improvement|development|priority\s+action|concern|strength|focus)|priority\s+actions?|"
    r"weakness(?:es)?|shortfalls?|shortcomings?|concerns?|strengths?)\b(?:\s+(?:made|identified|raised|"
    r"found))?|\bmirror(?:s|ed|ing)?\b[^,;.]{0,30}?|\bas\s+(?:was\s+the\s+case|it\s+was|they\s+were)|"
    r"\b(?:similar|same)\s+(?:to|as))"
    r"\s+(?:at|during|in|by|from|of|following|through|under|to|with|for)\s+(?:the\s+time\s+of\s+)?[^,;.]{0,40}$",
    re.I,
)
# the earlier inspection as the one who found: "The focused visit in April 2019 identified ...",
# "the 2010 inspection judged ...", "..., which found ..."
_AGENT = re.compile(
    r"^(?:\s+(?:19|20)\d\d\b)?(?:\s+(?:of|in|on|to|into|at|for|by|undertaken\s+in|carried\s+out\s+in|held\s+in|"
    r"took\s+place\s+in)\b"
    r"(?:(?!\b(?:and|or|but)\b)[^,;.]){0,80}?)??(?:\s*\([^)]*\))?\s*,?\s*(?P<rel>(?:which|that)\s+)?(?:(?:had|has|have|also|previously|"
    rf"clearly|rightly|then)\s+)*(?:{_FIND_VERBS}|gave|awarded|showed|revealed|indicated|considered|states?|said|says)\b"
    r"[^;]*?(?=,\s|;|$)",
    re.I,
)
_AT_START = re.compile(r"^\W*(?:at|during|in)\s+(?:the\s+time\s+of\s+)?(?:the|a|an|its|their)\b[^,;]*$", re.I)
_NEG_FINDING = re.compile(
    r"\b(?:recommendations?|areas?\s+for\s+(?:priority\s+action|improvement|development)|priority\s+actions?|"
    r"weakness(?:es)?|shortfalls?|shortcomings?|concerns?|criticisms?|deficits?|deficiencies|inadequacies|"
    r"declined?|deterioration|failings?|poor\s+practice)\b", re.I)
_POS_FINDING = re.compile(r"\b(?:strengths?|areas?\s+of\s+strength)\b", re.I)
_SCALE = {"annual": "annual-rating", "sif": "sif-ilacs", "ilacs": "sif-ilacs", "lscb": "sif-ilacs"}


def about_earlier(sentence: str, start: int, end: int) -> tuple[str, str | None, str | None] | None:
    """Whether ``sentence`` states what the inspection it mentions at ``start:end`` found.

    Returns (the words that say what it found, its kind if the finding words fix it, their cue), or
    None when the inspection only dates the present ("Since the inspection in 2015, leaders have
    strengthened ..."). The citing report's own finding is unaffected either way.
    """
    pre, after = sentence[:start], sentence[end:]
    lead = re.match(rf"(?:(?:since|following|at|in|from)\s+the\s+|(?:{_FIND_VERBS})\s+\w+\s+)", sentence[start:end],
                    re.I)
    if lead:  # a mention that starts with its own verb or preposition: "identified in 2014"
        pre += lead.group(0)
    anchors = [a.start() for a in _ANCHOR.finditer(pre)]
    link = _LINK.search(pre[-160:])
    link_at = len(pre) - len(pre[-160:]) + link.start() if link else None
    if link_at is not None and (not anchors or anchors[-1] < link_at):
        return (sentence, *_fixed_kind(pre))
    anchored = bool(anchors)
    agent = _AGENT.match(after)
    if agent and (not anchored or agent.group("rel")):
        clause = agent.group(0)
        if anchored:  # "Since the focused visit in 2018, which highlighted a deterioration, ...": the clause
            return (clause, *_fixed_kind(clause))
        return (sentence, *_fixed_kind(clause))
    if not anchored and _AT_START.match(pre):
        return (sentence, None, None)
    return None


def _fixed_kind(words: str) -> tuple[str | None, str | None]:
    """A weakness when an earlier inspection's recommendations, shortfalls, ... are meant; a strength for its
    strengths; otherwise the classifier decides."""
    neg = _NEG_FINDING.search(words)
    if neg:
        return "weakness", neg.group(0)
    pos = _POS_FINDING.search(words)
    if pos:
        return "strength", pos.group(0)
    return None, None
