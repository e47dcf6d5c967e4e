"""Findings: recommendations with their timescales, listed strengths and weaknesses, and the
strength/weakness sentences of the report's narrative paragraphs (with section and number).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from ..model import Block, Document, FindingRecord
from .normalise import BULLET
from .polarity import Polarity, classify, split_sentences
from .secondhand import inspection_at, mentions

__all__ = ["extract_findings"]

_REC_HEAD = re.compile(
    r"^(?:what\s+needs\s+to\s+improve|what\s+does\s+the\s+(?:local\s+authority|lscb|council|partnership)\s+need\s+to"
    r"\s+improve|areas?\s+for\s+(?:priority\s+action|improvement|development)|recommendations?"
    r"|priority\s+actions?)\b",
    re.I,
)
# a sentence that introduces a list of recommendations: "Areas for improvement were identified as being:"
_REC_LEAD_IN = re.compile(r"\b(areas?\s+for\s+(?:improvement|development)|recommendations?|priority\s+actions?)"
                          r"\b[^.:]{0,60}:\s*$", re.I)
_TIMESCALE = re.compile(
    r"^(?P<t>immediately|priority\s+and\s+immediate\s+action|priority\s+action|within\s+(?:one|two|three|four|six|"
    r"nine|twelve|\d+)\s+(?:weeks?|months?)|for\s+immediate\s+action|for\s+action\s+in\s+the\s+next\s+\w+\s+months?"
    r"|for\s+action\s+in\s+the\s+longer\s+term|in\s+the\s+longer\s+term|areas\s+for\s+improvement)\s*:?\s*$",
    re.I,
)
_STRENGTH_HEAD = re.compile(r"^(?:the\s+local\s+authority['’]s\s+strengths|strengths|areas?\s+of\s+strength"
                            r"|what\s+is\s+working\s+well)\b", re.I)
_BECAUSE = re.compile(r"\b(?:requires?\s+improvement(?:\s+to\s+be\s+good)?|(?:is|are)\s+(?:inadequate|good|"
                      r"outstanding))\s+because\s*:?\s*$", re.I)
_SKIP_SECTION = re.compile(
    r"^(?:contents|information\s+about\s+this|service\s+information|about\s+this\s+inspection|the\s+inspection\s+"
    r"judgements\s+and\s+what|what\s+the\s+inspection\s+judgements\s+mean|summary\s+for\s+children|children\s+living"
    r"\s+in\s+this\s+area|child\s+protection\s+in\s+this\s+area|children\s+looked\s+after\s+in\s+this\s+area"
    r"|context\b|introduction\b|annex\s+c|background\s+papers|wards\s+affected|purpose\b|financial\s+implications"
    r"|legal\s+implications|risk\s+management|consultees|appendices|community\s+impact|alternative\s+options"
    r"|the\s+inspection\s+team|the\s+local\s+authority\s*$|the\s+lscb\s*$|grades\b|areas\s+for\s+investigation"
    r"|local\s+services\s+overall|recommendations?\s*$|judgement\s+grade|key\s+judgement)",
    re.I,
)
_BOILERPLATE = re.compile(
    r"(?:it\s+is\s+ofsted['’]s\s+expectation|ofsted\s+produces\s+this\s+report|this\s+report\s+includes\s+the\s+"
    r"report|this\s+document\s+may\s+be\s+reproduced|further\s+copies\s+of\s+this|crown\s+copyright|"
    r"the\s+local\s+authority\s+was\s+given\s+the\s+opportunity|ofsted\s+will\s+take\s+the\s+findings|this\s+letter\s+"
    r"summarises|inspectors\s+for\s+this\s+visit\s+were|this\s+visit\s+was\s+carried\s+out|inspectors\s+looked\s+at|"
    r"yours\s+sincerely|^dear\s|the\s+methodology\s+for\s+this\s+visit|the\s+delivery\s+model\s+was\s+adapted|"
    r"the\s+lead\s+inspector\s+and\s+the\s+director|her\s+majesty['’]s\s+chief\s+inspector|his\s+majesty['’]s"
    r"\s+chief\s+inspector|you\s+may\s+reuse\s+this|this\s+publication\s+is\s+available|interested\s+in\s+our\s+"
    r"work|the\s+inspection\s+judgements\s+and\s+what|all\s+inspection\s+judgements\s+are\s+made|"
    r"website\s*:|age\s+group\s*:|reference\s+no\s*:)",
    re.I,
)
_BOILERPLATE_WORDS = ("ofsted", "copyright", "reproduced", "copies", "opportunity", "summarises", "inspectors",
                      "visit", "sincerely", "dear ", "methodology", "delivery model", "lead inspector", "majesty",
                      "reuse", "publication", "interested", "judgements", "website", "age group", "reference no")


def _boilerplate(sentence: str) -> bool:
    """Ofsted's standard wording (copyright, letter openings, methodology), not a finding."""
    low = sentence.lower()
    return any(w in low for w in _BOILERPLATE_WORDS) and bool(_BOILERPLATE.search(sentence))


_BACK_MATTER = re.compile(
    r"^(?:the\s+office\s+for\s+standards\s+in\s+education,\s+children['’]s\s+services\s+and\s+skills\s+\(ofsted\)\s+"
    r"regulates|ofsted\s+has\s+a\s+duty|if\s+you\s+would\s+like\s+a\s+copy\s+of\s+this\s+document)",
    re.I,
)
_LETTER_START = re.compile(r"^(?:headline\s+findings|main\s+findings|findings|summary\s+of\s+findings"
                           r"|areas?\s+for\s+priority\s+action|what\s+needs\s+to\s+improve)", re.I)
_INTRO = re.compile(r"(?:should\s*:?$|following\s+action|\bshould\s+take\b|identified\s+as\s+being\s*:?$|:\s*$)",
                    re.I)
_ITEM_NUMBER = re.compile(r"^\s*\d{1,3}(?:\.\d{1,2})?\.?\s+(?=\S)")
_VERBS = (
    "accelerate", "act", "address", "agree", "align", "analyse", "apply", "assess", "audit", "build", "challenge",
    "check", "clarify", "commission", "complete", "consider", "continue", "coordinate", "co-ordinate", "deliver",
    "design", "determine", "develop", "embed", "enable", "engage", "enhance", "ensure", "establish", "consolidate",
    "evaluate", "expand", "extend", "focus", "further", "gather", "give", "hold", "identify", "implement", "improve",
    "increase", "inform", "integrate", "introduce", "invest", "involve", "lead", "learn", "listen", "maintain",
    "make", "measure", "minimise", "monitor", "notify", "offer", "oversee", "plan", "prepare", "prioritise",
    "produce", "promote", "protect", "provide", "publish", "put", "raise", "record", "recruit", "reduce", "refine",
    "reinforce", "resolve", "respond", "review", "secure", "seek", "set", "share", "simplify", "strengthen",
    "support", "sustain", "tackle", "take", "target", "test", "track", "train", "undertake", "update", "urgently",
    "use", "work",
)
_IMPERATIVE = re.compile(
    r"^\s*(?:\d{1,3}(?:\.\d{1,2})?\.?\s+)?(?:" + "|".join(_VERBS)
    + r"|[^.:;]{2,80}?\b(?:should|must|needs?\s+to)\b)",  # "The CPB should effectively challenge ..."
    re.I,
)
_NOT_AN_ITEM = re.compile(r"^\s*there\s+(?:are|is)\s+no\b", re.I)
_SUB_ITEM = re.compile(r"^\s*[\u2013\u2212\u2010\u2500\u2015\u0336-]\s")
_TABLE_SPLIT = " \u2022 "


def _content_blocks(doc: Document) -> list[Block]:
    """Blocks of report content: after the title region, before the back matter."""
    out: list[Block] = []
    for block in doc.blocks:
        text = doc.text[block.start:block.end]
        if _BACK_MATTER.match(text):
            break
        out.append(block)
    return out


def _text(doc: Document, start: int, end: int) -> str:
    return re.sub(r"\s+", " ", doc.text[start:end]).strip()


def _item_span(doc: Document, block: Block) -> tuple[int, int]:
    text = doc.text[block.start:block.end]
    m = BULLET.match(text) or _ITEM_NUMBER.match(text)
    return (block.start + (m.end() if m else 0), block.end)


def _recommendations(doc: Document, blocks: list[Block], inspection: str) -> tuple[list[FindingRecord], set[int]]:
    """Recommendation lists under "What needs to improve", "Areas for improvement", ... headings."""
    out: list[FindingRecord] = []
    used: set[int] = set()
    i = 0
    while i < len(blocks):
        block = blocks[i]
        head = doc.text[block.start:block.end]
        lead_in = _REC_LEAD_IN.search(head)
        if not ((_REC_HEAD.match(head) and len(head) < 120) or lead_in):
            i += 1
            continue
        list_name = lead_in.group(1).capitalize() if lead_in else re.sub(r"[?:\d]+$", "", head).strip()
        timescale = "Immediately" if re.search(r"priority", head, re.I) else None
        parent: str | None = None
        j = i + 1
        while j < len(blocks):
            b = blocks[j]
            t = doc.text[b.start:b.end].strip()
            ts = _TIMESCALE.match(t)
            if ts:
                label = ts.group("t")
                timescale = _timescale_label(label)
                used.add(j)
                j += 1
                continue
            if b.kind == "heading":
                nxt = blocks[j + 1] if j + 1 < len(blocks) else None
                nxt_text = doc.text[nxt.start:nxt.end] if nxt else ""
                if nxt and _IMPERATIVE.match(BULLET.sub("", nxt_text, count=1)) and len(t) < 80 \
                        and not _REC_HEAD.match(t) and not re.search(r":\s*(?:good|requires|inadequate|outstanding)",
                                                                     t, re.I):
                    j += 1  # a subgroup heading inside the list ("Quality of practice")
                    used.add(j - 1)
                    continue
                break
            numbered = bool(_ITEM_NUMBER.match(t))
            is_item = b.kind == "bullet" or numbered or (b.kind == "para" and len(t) < 400)
            if _INTRO.search(t) and not BULLET.match(t) and not _IMPERATIVE.match(t):
                parent = None
                if b.kind == "para" and len(t) < 400:
                    used.add(j)
                    j += 1
                    continue
            if _NOT_AN_ITEM.match(t):  # "There are no priority actions."
                used.add(j)
                j += 1
                continue
            if not is_item or _boilerplate(t):
                break
            start, end = _item_span(doc, b)
            item = _text(doc, start, end)
            if _SUB_ITEM.match(t) and parent:
                text = f"{parent.rstrip(':')} {item}"
            else:
                text = item
                parent = item if item.endswith(":") else None
            if item.endswith(":") and not _SUB_ITEM.match(t):
                used.add(j)
                j += 1
                continue
            for s, e in _item_sentences(doc, b, start, end):
                sentence = text if (s, e) == (start, end) or len(_item_sentences(doc, b, start, end)) == 1 \
                    else _text(doc, s, e)
                out.append(FindingRecord(
                    inspection=inspection, kind="recommendation", text=sentence, evidence=doc.evidence(s, e),
                    timescale=timescale, source_list=list_name,
                ))
            used.add(j)
            j += 1
        i = j
    return out, used


def _item_sentences(doc: Document, block: Block, start: int, end: int) -> list[tuple[int, int]]:
    """A list item is one recommendation unless it is a paragraph of several sentences."""
    if block.kind == "bullet" or block.number is not None:
        return [(start, end)]  # one numbered item or bullet is one recommendation
    spans = split_sentences(doc.text[start:end], start)
    return spans or [(start, end)]


def _timescale_label(label: str) -> str:
    low = re.sub(r"\s+", " ", label.lower())
    if "immediate" in low or low == "priority action":
        return "Immediately"
    if low == "areas for improvement":
        return None  # type: ignore[return-value]
    m = re.search(r"within .*|next \w+ months?|longer term", low)
    if m:
        text = m.group(0)
        if text.startswith("next"):
            text = "within the " + text
        return text[0].upper() + text[1:]
    return label


def _table_items(doc: Document, blocks: list[Block], inspection: str) -> tuple[list[FindingRecord], set[int]]:
    """"Major strengths" / "Important weaknesses" table rows: one finding per cell item."""
    out: list[FindingRecord] = []
    used: set[int] = set()
    columns: list[str] | None = None
    for idx, block in enumerate(blocks):
        if block.kind != "row":
            columns = None if block.kind != "heading" else columns
            continue
        cells = doc.text[block.start:block.end].split("\t")
        kinds = [_column_kind(c) for c in cells]
        if any(kinds):
            columns = kinds  # type: ignore[assignment]
            used.add(idx)
            continue
        if not columns:
            continue
        used.add(idx)
        offset = block.start
        for cell, kind in zip(cells, columns, strict=False):
            if kind:
                pos = offset
                for part in cell.split(_TABLE_SPLIT):
                    start = doc.text.index(part, pos) if part else pos
                    end = start + len(part)
                    pos = end
                    if len(part.strip()) > 3:
                        out.append(FindingRecord(inspection=inspection, kind=kind, text=_text(doc, start, end),
                                                 evidence=doc.evidence(start, end), source_list=_LIST_NAMES[kind]))
            offset += len(cell) + 1
    return out, used


_LIST_NAMES = {"strength": "Major strengths", "weakness": "Important weaknesses"}


def _column_kind(cell: str) -> str | None:
    low = cell.strip().lower()
    if re.fullmatch(r"(?:major\s+)?strengths?", low):
        return "strength"
    if re.fullmatch(r"(?:important\s+)?weakness(?:es)?|areas?\s+for\s+(?:development|improvement)", low):
        return "weakness"
    return None


def _narrative_blocks(doc: Document, blocks: list[Block], used: set[int]) -> Iterator[tuple[int, Block, str | None]]:
    """Content blocks whose sentences are classified; yields (index, block, default kind)."""
    letter = doc.kind == "letter"
    started = not letter
    default: str | None = None
    for idx, block in enumerate(blocks):
        text = doc.text[block.start:block.end]
        if block.kind == "heading":
            if letter and _LETTER_START.match(text):
                started = True
            default = "strength" if _STRENGTH_HEAD.match(text) else None
            continue
        if not started or idx in used or block.kind == "row":
            continue
        if _BECAUSE.search(text):
            default = "weakness" if re.search(r"improvement|inadequate", text, re.I) else "strength"
            continue
        if block.section and _SKIP_SECTION.match(block.section):
            continue
        if (not block.section and not letter and block.number is None and doc.kind != "committee-paper"
                and len(text) < 200):
            continue  # title region before any heading: only long summary paragraphs count
        yield idx, block, default


def extract_findings(doc: Document) -> Document:
    """Add recommendation, strength and weakness findings to the document's main inspection."""
    main = doc.main()
    if main is None:
        return doc
    inspection = main.local_id
    blocks = _content_blocks(doc)
    recs, used = _recommendations(doc, blocks, inspection)
    table, used_rows = _table_items(doc, blocks, inspection)
    used |= used_rows
    narrative: list[FindingRecord] = []
    seen: set[tuple[int, int]] = {(f.evidence.start, f.evidence.end) for f in recs + table}
    for _, block, default in _narrative_blocks(doc, blocks, used):
        start, end = (_item_span(doc, block) if block.kind == "bullet" else (block.start, block.end))
        if block.number is not None:
            m = _ITEM_NUMBER.match(doc.text[block.start:block.end])
            start = block.start + (m.end() if m else 0)
        previous: Polarity | None = None
        for s, e in split_sentences(doc.text[start:end], start):
            sentence = _text(doc, s, e)
            if len(sentence) < 25 or (s, e) in seen or _boilerplate(sentence):
                continue
            pol = classify(sentence, previous)
            previous = pol
            kind = pol.label if pol.label != "neutral" else None
            if kind is None and default and block.kind == "bullet":
                kind = default
            if kind is None:
                continue
            narrative.append(FindingRecord(
                inspection=inspection, kind=kind, text=sentence, evidence=doc.evidence(s, e),
                polarity=pol.label, cue=pol.cue, confidence=pol.confidence,
            ))
    findings = [_with_polarity(f) for f in recs + table] + narrative
    if doc.kind == "committee-paper":
        findings = _assign_secondhand(doc, findings)
    return doc.evolve(findings=(*doc.findings, *findings))


def _assign_secondhand(doc: Document, findings: list[FindingRecord]) -> list[FindingRecord]:
    """A committee paper's findings belong to the inspection each sentence is about."""
    found = mentions(doc)
    out = []
    for f in findings:
        target = inspection_at(doc, f.evidence.start, found)
        if target is not None:
            out.append(replace(f, inspection=target))
    return out


def _with_polarity(f: FindingRecord) -> FindingRecord:
    """Recommendations and listed weaknesses are weaknesses of their themes; record the list as the cue."""
    polarity = "weakness" if f.kind in ("recommendation", "weakness") else "strength"
    return replace(f, polarity=polarity, cue=f.source_list or f.kind, confidence=0.9)
