"""Judgements stated first-hand by a report, in every shape the frameworks print them.

- ILACS judgement tables (rows in any order; combined "children in care and care leavers"
  before 2023, separate rows after; no overall row from April 2026);
- SIF summaries ("The overall judgement is ...", "Children's services in X are good",
  numbered sub-judgements incl. adoption and care leavers) and the LSCB judgement;
- 2012-13 "Record of main findings" tables and "Grade 3 (Adequate)" section grades;
- joint area review numeric grade tables (4 = outstanding .. 1 = inadequate) and judgement
  sentences ("The contribution of local services to ... is inadequate"), checkbox rows;
- "is judged to be adequate" sentences and headings such as "... care leavers: Good".

Second-hand judgements (committee papers, references to earlier inspections) are in
``secondhand``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import Document, JudgementRecord
from ..registries import SCALES

__all__ = ["GRADE_WORDS", "extract_judgements", "grade_of"]

#: A grade as printed on the word scales.
GRADE_WORDS = (
    r"(?:outstanding|good|adequate|inadequate|satisfactory|not\s+judged"
    r"|requires?\s+improvement(?:\s+to\s+be\s+good)?)"
)
_GRADE = rf"(?P<grade>{GRADE_WORDS})"


def _words(phrase: str) -> str:
    """A phrase as a regex tolerant of line breaks, curly apostrophes and optional commas."""
    out = []
    for word in phrase.split():
        out.append(re.escape(word).replace("'", "['’]").replace(r"\,", ",?"))
    return r"\s+".join(out)


def grade_of(label: str, scale: str) -> str | None:
    """The normalised grade key of a printed label on ``scale``."""
    key = re.sub(r"\s+", " ", label.strip().lower())
    key = re.sub(r"^grade\s+(\d).*$", r"\1", key)
    return SCALES[scale].grades.get(key)


# --- areas as printed, per framework family -------------------------------------------------

_ILACS_AREAS: list[tuple[str, str]] = [
    ("leaders", _words("the impact of leaders on social work practice") + r"(?:\s+with\s+children\s+and\s+families)?"),
    ("help-and-protection", _words("the experiences and progress of children who need help and protection")),
    ("children-in-care-and-care-leavers", _words("the experiences and progress of children in care and care leavers")),
    ("children-in-care", _words("the experiences and progress of children in care") + r"(?!\s+and\s+care)"),
    ("care-leavers", _words("the experiences and progress of care leavers")),
    ("overall-effectiveness", _words("overall effectiveness")),
]
_SIF_AREAS: list[tuple[str, str]] = [
    ("help-and-protection", r"1\.\s*" + _words("children who need help and protection")),
    ("looked-after-permanence", r"2\.\s*" + _words("children looked after and achieving permanence")),
    ("adoption", r"2\.1\.?\s*" + _words("adoption performance")),
    ("care-leavers", r"2\.2\.?\s*" + _words("experiences and progress of care leavers")),
    ("leadership-management-governance", r"3\.\s*" + _words("leadership, management and governance")),
]
_CP2012_AREAS: list[tuple[str, str]] = [
    ("overall-effectiveness", _words("overall effectiveness")),
    ("help-and-protection", _words("the effectiveness of the help and protection provided to children, young people,"
                                   " families and carers")),
    ("quality-of-practice", _words("the quality of practice")),
    ("leadership-governance", _words("leadership and governance")),
]
_LAC2012_AREAS: list[tuple[str, str]] = [
    ("overall-effectiveness", _words("overall effectiveness") + r"(?:\s+of\s+services\s+for\s+looked\s+after\s+"
                                                               r"children(?:\s+and\s+young\s+people)?)?"),
    ("capacity-to-improve", _words("capacity to improve") + r"|" + _words("capacity for improvement")),
    ("outcomes", _words("outcomes for looked after children") + r"(?:\s+and\s+young\s+people)?"),
    ("being-healthy", _words("being healthy")),
    ("staying-safe", _words("staying safe")),
    ("enjoying-achieving", _words("enjoying and achieving")),
    ("positive-contribution", _words("making a positive contribution")),
    ("economic-wellbeing", _words("economic well-being") + "|" + _words("economic wellbeing")),
    ("quality-of-provision", _words("quality of provision")),
    ("leadership-management", _words("leadership and management")),
    ("equality-diversity", _words("equality and diversity")),
]
_SLAC_AREAS: list[tuple[str, str]] = [
    ("overall-effectiveness", _words("overall effectiveness")),
    ("capacity-to-improve", _words("capacity for improvement") + "|" + _words("capacity to improve")),
    ("quality-of-provision", _words("quality of provision")),
    ("leadership-management", _words("leadership and management")),
    ("partnership-working", _words("partnership working")),
    ("equality-diversity", _words("equality and diversity")),
    ("value-for-money", _words("value for money")),
    ("user-engagement", _words("user engagement")),
    ("being-healthy", _words("being healthy")),
    ("staying-safe", _words("staying safe")),
    ("enjoying-achieving", _words("enjoying and achieving")),
    ("positive-contribution", _words("making a positive contribution")),
    ("economic-wellbeing", _words("economic well-being") + "|" + _words("economic wellbeing")),
]
_JAR_TABLE_AREAS: list[tuple[str, str]] = [
    ("safeguarding", _words("safeguarding")),
    ("looked-after-children", _words("looked after children") + r"(?:\s+and\s+young\s+people)?"),
    ("learning-difficulties-disabilities", _words("learning difficulties and/or disabilities")),
    ("service-management", _words("service management")),
    ("capacity-to-improve", _words("capacity to improve")),
]
# "The contribution of local services to improving outcomes for <group> is inadequate."
_JAR_SENTENCE = re.compile(
    rf"\bThe\s+(?:contribution\s+of\s+local\s+services\s+to\s+improving\s+outcomes|quality\s+of\s+provision"
    rf"(?:\s+of\s+services)?\s+and\s+(?:outcomes|achievement))\s+for\s+(?P<group>[^.]{{3,200}}?)\s+"
    rf"(?:is|are)\s+(?:judged\s+to\s+be\s+)?{_GRADE}(?:\s+overall)?\.",
    re.I,
)
_JAR_GROUPS = [
    ("safeguarding", r"safeguard"),
    ("looked-after-children", r"looked\s+after"),
    ("learning-difficulties-disabilities", r"learning\s+difficult|disabilit"),
    ("minority-ethnic-communities", r"minority\s+ethnic"),
    ("provision-16-19", r"16\s*-\s*19|aged\s+16"),
]
_JAR_SERVICE = re.compile(
    rf"\b(?P<area>The\s+management\s+of\s+services\s+for\s+children\s+and\s+young\s+people|Capacity\s+to\s+improve"
    rf"(?:\s+further)?|Ambition\s+for\s+children\s+and\s+young\s+people(?:\s+in\s+[A-Z][\w ]+?)?|Prioritisation"
    rf"|Value\s+for\s+money)\s+is\s+(?:mixed\s+but\s+)?{_GRADE}(?:\s+overall)?\.",
    re.I,
)
_JAR_SERVICE_AREAS = [
    ("service-management", r"management of services"),
    ("capacity-to-improve", r"capacity"),
    ("ambition", r"ambition"),
    ("prioritisation", r"prioriti"),
    ("value-for-money", r"value for money"),
]


def _region(doc: Document, start_pat: str, end_pat: str | None = None, limit: int = 6000) -> tuple[int, int]:
    m = re.search(start_pat, doc.text, re.I | re.M)
    if not m:
        return (0, 0)
    start = m.end()
    end = min(len(doc.text), start + limit)
    if end_pat:
        e = re.compile(end_pat, re.I | re.M).search(doc.text, start)
        if e:
            end = min(end, e.start())
    return (start, end)


def _graded(
    doc: Document, region: tuple[int, int], areas: Iterable[tuple[str, str]], *, scale: str,
    inspection: str = "main", sep: str = r"\s*[:\-\u2013]?\s*", grade: str = _GRADE,
) -> list[JudgementRecord]:
    """First "area <grade>" match for each area inside ``region``."""
    start, end = region
    out: list[JudgementRecord] = []
    text = doc.text
    for key, area in areas:
        m = re.compile(rf"(?:^|(?<=[\s\t.]))(?:{area}){sep}{grade}(?![\w-])", re.I | re.M).search(text, start, end)
        if not m:
            continue
        label = re.sub(r"\s+", " ", m.group("grade")).strip()
        g = grade_of(label, scale)
        if g is None:
            continue
        out.append(JudgementRecord(inspection, key, g, label, scale, doc.evidence(m.start(), m.end())))
    return out


def _ilacs(doc: Document) -> list[JudgementRecord]:
    head_end = _summary_start(doc)
    found = _graded(doc, (0, head_end), _ILACS_AREAS, scale="sif-ilacs")
    keys = {j.area for j in found}
    # fallback: section headings "The experiences and progress of ...: good"
    missing = [(k, a) for k, a in _ILACS_AREAS if k not in keys and k != "overall-effectiveness"]
    if missing:
        found += _graded(doc, (head_end, len(doc.text)), missing, scale="sif-ilacs", sep=r"\s*[:\u2013-]\s*")
    return found


def _summary_start(doc: Document) -> int:
    """End of the title region: the first long paragraph."""
    for block in doc.blocks:
        if block.kind == "para" and block.end - block.start > 250:
            return block.start
    return min(len(doc.text), 3000)


_SIF_OVERALL = re.compile(
    rf"(?:\bthe\s+overall\s+judgement\s+is\s+(?:that\s+)?(?:children['’]s\s+services\s+)?(?:are\s+|is\s+)?"
    rf"|\bchildren['’]s\s+services\s+in\s+[^.]{{2,90}}?\s+(?:are\s+|is\s+)?){_GRADE}(?![\w-])",
    re.I,
)
_LSCB = re.compile(
    rf"(?:the\s+judgement\s+for\s+)?(?:the\s+effectiveness\s+of\s+)?the\s+(?:local\s+safeguarding\s+children['’]?s?\s+"
    rf"board|LSCB)(?:\s*\(LSCB\))?\s+(?:is\s+|are\s+)?(?:judged\s+to\s+be\s+)?(?:is\s+)?{_GRADE}"
    rf"(?=\s*(?:$|\.|because|\d|\n))",
    re.I | re.M,
)


def _sif(doc: Document, lscb: bool = True) -> list[JudgementRecord]:
    head_end = min(len(doc.text), 4000)
    out: list[JudgementRecord] = []
    m = _SIF_OVERALL.search(doc.text, 0, head_end)
    if m:
        label = re.sub(r"\s+", " ", m.group("grade"))
        g = grade_of(label, "sif-ilacs")
        if g:
            out.append(JudgementRecord("main", "overall-effectiveness", g, label, "sif-ilacs",
                                       doc.evidence(m.start(), m.end())))
    out += _graded(doc, (0, head_end), _SIF_AREAS, scale="sif-ilacs", sep=r"\s*")
    if lscb:
        out += _lscb(doc)
    return out


def _lscb(doc: Document) -> list[JudgementRecord]:
    m = _LSCB.search(doc.text)
    if not m:
        return []
    label = re.sub(r"\s+", " ", m.group("grade"))
    g = grade_of(label, "sif-ilacs")
    return [JudgementRecord("main", "lscb", g, label, "sif-ilacs", doc.evidence(m.start(), m.end()))] if g else []


def _record_of_main_findings(doc: Document, areas: list[tuple[str, str]], scale: str) -> list[JudgementRecord]:
    region = _region(doc, r"^\s*record of main findings\s*$", None, limit=4000)
    if region == (0, 0):
        return []
    return _graded(doc, region, areas, scale=scale, sep=r"\s*(?:\t|\s)\s*")


_HEADED_GRADE = r"\s*\n\s*(?P<grade>(?:grade\s+[1-4]\s*\(\s*)?" + GRADE_WORDS + r"\)?)\s*(?:\n|$)"


def _headed(doc: Document, areas: list[tuple[str, str]], scale: str) -> list[JudgementRecord]:
    """Section headings followed by a grade line: "Capacity to improve" / "Grade 3 (Adequate)"."""
    out: list[JudgementRecord] = []
    for key, area in areas:
        m = re.compile(rf"^(?:{area})[^\n]{{0,40}}{_HEADED_GRADE}", re.I | re.M).search(doc.text)
        if not m:
            continue
        label = re.sub(r"\s+", " ", m.group("grade")).strip()
        g = grade_of(label, scale if not label.lower().startswith("grade") else "numeric-1-high")
        if g is None:
            continue
        used = scale if not label.lower().startswith("grade") else "numeric-1-high"
        out.append(JudgementRecord("main", key, g, label, used, doc.evidence(m.start(), m.end())))
    return out


def _judged_sentences(doc: Document, areas: list[tuple[str, str]], scale: str) -> list[JudgementRecord]:
    """"The overall effectiveness of ... is judged to be adequate." anywhere in the text."""
    out: list[JudgementRecord] = []
    for key, area in areas:
        pat = re.compile(rf"\b(?:The\s+)?(?:{area})\b[^.\n]{{0,160}}?\s+(?:is|are)\s+(?:judged\s+(?:to\s+be\s+)?)"
                         rf"{_GRADE}\b", re.I)
        m = pat.search(doc.text)
        if m:
            label = re.sub(r"\s+", " ", m.group("grade"))
            g = grade_of(label, scale)
            if g:
                out.append(JudgementRecord("main", key, g, label, scale, doc.evidence(m.start(), m.end())))
    return out


def _jar(doc: Document) -> list[JudgementRecord]:
    out: list[JudgementRecord] = []
    table = _region(doc, r"^\s*grades\s*$", r"^\s*recommendations\s*$", limit=1500)
    if table != (0, 0):
        out += _graded(doc, table, _JAR_TABLE_AREAS, scale="numeric-4-high", sep=r"\s*\t\s*",
                       grade=r"(?P<grade>[1-4])")
    for m in _JAR_SENTENCE.finditer(doc.text):
        group = m.group("group")
        key = next((k for k, cue in _JAR_GROUPS if re.search(cue, group, re.I)), None)
        if key is None:
            continue
        label = re.sub(r"\s+", " ", m.group("grade"))
        g = grade_of(label, "four-point-2005")
        if g:
            out.append(JudgementRecord("main", key, g, label, "four-point-2005", doc.evidence(m.start(), m.end())))
    for m in _JAR_SERVICE.finditer(doc.text):
        area = re.sub(r"\s+", " ", m.group("area")).lower()
        key = next((k for k, cue in _JAR_SERVICE_AREAS if cue in area), None)
        label = re.sub(r"\s+", " ", m.group("grade"))
        g = grade_of(label, "four-point-2005")
        if key and g:
            out.append(JudgementRecord("main", key, g, label, "four-point-2005", doc.evidence(m.start(), m.end())))
    out += _checkbox_rows(doc)
    return out


_CHECKBOX_ROW = re.compile(r"^(?:[^\n]*\[[x ]\][^\n]*\t){2,}[^\n]*\[[x ]\][^\n]*$", re.M)


def _checkbox_rows(doc: Document) -> list[JudgementRecord]:
    """A row of ticked boxes under a section heading: "Inadequate [ ] Adequate [x] Good [ ] ..."."""
    out: list[JudgementRecord] = []
    for m in _CHECKBOX_ROW.finditer(doc.text):
        ticked = re.search(rf"(?P<grade>{GRADE_WORDS})\s*\[x\]", m.group(0), re.I)
        block = doc.block_at(m.start())
        if not ticked or not block or not block.section:
            continue
        key = next((k for k, cue in _JAR_GROUPS if re.search(cue, block.section, re.I)), None)
        g = grade_of(ticked.group("grade"), "four-point-2005")
        if key and g:
            start = m.start() + ticked.start()
            out.append(JudgementRecord("main", key, g, ticked.group("grade"), "four-point-2005",
                                       doc.evidence(start, m.start() + ticked.end())))
    return out


def _dedupe(records: list[JudgementRecord], doc: Document) -> tuple[list[JudgementRecord], list[str]]:
    """One judgement per (inspection, area): the first found wins; disagreements become warnings."""
    seen: dict[tuple[str, str], JudgementRecord] = {}
    warnings: list[str] = []
    for r in records:
        key = (r.inspection, r.area)
        if key not in seen:
            seen[key] = r
        elif seen[key].grade != r.grade:
            warnings.append(
                f"{r.area}: {seen[key].label!r} (offset {seen[key].evidence.start if seen[key].evidence else '?'})"
                f" disagrees with {r.label!r} (offset {r.evidence.start if r.evidence else '?'}); kept the first"
            )
    return list(seen.values()), warnings


def extract_judgements(doc: Document) -> Document:
    """Add the judgements the document states first-hand about its main inspection."""
    main = doc.main()
    if main is None or main.framework is None:
        return doc
    fw = main.framework
    records: list[JudgementRecord] = []
    if fw.startswith("ilacs"):
        records = _ilacs(doc)
    elif fw == "sif":
        records = _sif(doc)
    elif fw == "sif-reinspection":
        records = _sif(doc, lscb=False)
    elif fw == "lscb-review":
        records = _lscb(doc)
    elif fw == "cp2012":
        records = (_record_of_main_findings(doc, _CP2012_AREAS, "four-point-2005")
                   + _judged_sentences(doc, _CP2012_AREAS[:1], "four-point-2005")
                   + _headed(doc, _CP2012_AREAS[1:], "four-point-2005"))
    elif fw == "lac2012":
        records = (_headed(doc, _LAC2012_AREAS, "four-point-2005")
                   + _record_of_main_findings(doc, _LAC2012_AREAS, "four-point-2005"))
    elif fw == "slac":
        records = _record_of_main_findings(doc, _SLAC_AREAS, "four-point-2005") + _headed(
            doc, _SLAC_AREAS, "four-point-2005")
    elif fw == "jar":
        records = _jar(doc)
    records, warnings = _dedupe(records, doc)
    records = [r for r in records if r.inspection == "main"]
    return doc.evolve(judgements=(*doc.judgements, *records), warnings=(*doc.warnings, *warnings))
