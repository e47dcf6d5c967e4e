"""Normalised text: drop running headers, footers, page numbers and letterhead, then rejoin
hard-wrapped lines into blocks (paragraphs, headings, bullets, table rows), one per line.

The result is the text every offset in the graph refers to.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..model import Block, Document
from .readers import Line, RawDocument

__all__ = ["BULLET", "normalise"]

#: bullet glyphs that start a list item ("-" only when followed by a space)
BULLET_CHARS = ("\u2022\u25aa\u25ab\u25fc\u25cf\u25e6\u2023\u2043\u2219\u25a0\u25a1\u27a2"
                "\u2013\u2212\u2010\u2500\u2015\u0336*")
BULLET = re.compile(rf"^\s*(?:[{BULLET_CHARS}]|-(?=\s))\s*")
_BULLET = BULLET
_PARA_NUMBER = re.compile(r"^\s*(\d{1,3})\.(?:\s+|$)(?!\d)")
_SUB_NUMBER = re.compile(r"^\s*\d{1,2}\.\d{1,2}\.?\s")
_NUMBER_ONLY = re.compile(r"^\s*(\d{1,3})\.\s*$")
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?\s*$", re.I)
_TERMINAL = re.compile(r"[.!?:;]['\"’”)]*\s*$")
_GRADE_LINE = re.compile(
    r"^\s*(?:outstanding|good|adequate|inadequate|requires? improvement(?: to be good)?|not judged"
    r"|grade\s+[1-4](?:\s*\(\s*\w+\s*\))?)\s*$", re.I
)
_LETTERHEAD = re.compile(
    r"^\s*(?:ofsted|piccadilly gate|store street|manchester|m1 2wd|agora|6 cumberland place|nottingham|ng1 6hj"
    r"|(?:t|t:)\s*0300 123 1231|textphone\s*0161 618 8524|(?:e:\s*)?enquiries@ofsted\.gov\.uk"
    r"|(?:w:\s*)?www\.gov\.uk/ofsted|(?:w:\s*)?www\.ofsted\.gov\.uk)\s*$",
    re.I,
)
_DIGITS = re.compile(r"\d+")
# section headings of the frameworks' reports; they start a block wherever they fall
_SECTION_HEADING = re.compile(
    r"^(?:the\s+experiences\s+and\s+progress\s+of\s+(?:children|care\s+leavers)|the\s+impact\s+of\s+leaders\s+on"
    r"|what\s+needs\s+to\s+improve|what\s+does\s+the\s+(?:local\s+authority|lscb)\s+need|leadership,\s+management"
    r"\s+and\s+governance|inspection\s+judgements?\s+about|record\s+of\s+main\s+findings|summary\s+of\s+findings)",
    re.I,
)
_CONTINUES = re.compile(r"(?:\b(?:of|the|and|to|in|for|with|a|an|that|on|by|from|as)|[-,])$", re.I)


@dataclass
class _Pending:
    parts: list[str]
    page: int | None
    heading: bool
    kind: str


def _key(text: str) -> str:
    return _DIGITS.sub("#", re.sub(r"\s+", " ", text.strip().lower()))


def _running_lines(lines: tuple[Line, ...]) -> set[int]:
    """Indexes of running headers/footers: lines near a page edge repeated on many pages."""
    pages: dict[int, list[int]] = {}
    for i, line in enumerate(lines):
        if line.text.strip() and line.page is not None:
            pages.setdefault(line.page, []).append(i)
    if len(pages) < 3:
        return set()
    edge: dict[int, list[int]] = {}
    counts: Counter[str] = Counter()
    for number, idx in pages.items():
        cand = idx[:2] + idx[-2:]
        edge[number] = cand
        counts.update({_key(lines[i].text) for i in cand})
    threshold = max(2, int(len(pages) * 0.3))
    drop = set()
    for cand in edge.values():
        for i in cand:
            text = lines[i].text
            if _PAGE_NUMBER.match(text) or (counts[_key(text)] >= threshold and len(text.strip()) < 160):
                drop.add(i)
    return drop


def _letterhead_lines(lines: tuple[Line, ...]) -> set[int]:
    """Indexes of the Ofsted address block that letters carry (four or more such lines in a row)."""
    drop: set[int] = set()
    run: list[int] = []
    for i, line in enumerate([*lines, Line("")]):
        if line.text.strip() and _LETTERHEAD.match(line.text):
            run.append(i)
            continue
        if len(run) >= 4:
            drop.update(run)
        run = []
    return drop


def _typical_width(lines: list[Line]) -> int:
    lengths = sorted(len(line.text.strip()) for line in lines if len(line.text.strip()) > 20)
    if not lengths:
        return 80
    return lengths[int(len(lengths) * 0.8)]


def _starts_block(prev: _Pending | None, prev_line: Line | None, line: Line, width: int,
                  last_number: int | None) -> bool:
    text = line.text.strip()
    if prev is None or prev_line is None:
        return True
    prev_text = prev_line.text.strip()
    if line.heading or prev_line.heading or prev_line.hard_break:
        return True
    if _NUMBER_ONLY.match(prev_text) and len(prev.parts) == 1:
        return False  # "12." on its own line: the paragraph follows
    if "\t" in text or "\t" in prev_text:
        return True
    if _GRADE_LINE.match(text) or _GRADE_LINE.match(prev_text):
        return True
    number = _PARA_NUMBER.match(text)
    if number:
        # "16." at the start of a wrapped line ("at the age of / 16. This ...") is not a new paragraph
        return _next_number(int(number.group(1)), last_number, bool(_TERMINAL.search(prev_text)) or line.blank_before,
                            len(prev_text) < 0.8 * width)
    if _BULLET.match(text) or _SUB_NUMBER.match(text):
        return True
    if _GRADE_LINE.match(text) or _GRADE_LINE.match(prev_text):
        return True
    first = text[0]
    if first.islower() or first in ",;)":
        return False  # a wrapped line (also across a page break or blank line)
    if line.blank_before:
        return True
    short = len(prev_text) < 0.8 * width
    if (_TERMINAL.search(prev_text) or prev_text.endswith(")")) and _BULLET.match(prev.parts[0]):
        return True  # a bullet ends at its sentence end (or its closing reference, "(outcome 3, ...)")
    if _SECTION_HEADING.match(text) and not _CONTINUES.search(prev_text):
        return True  # the judgement headings every framework prints
    if _TERMINAL.search(prev_text):
        # after a sentence end: a short previous line ends its paragraph; a short, unpunctuated
        # current line is a heading even when the previous line happened to be full
        return short or (len(text) < 0.7 * width and not re.search(r"[.;,]$", text))
    return short


def _next_number(number: int, last: int | None, prev_terminal: bool, prev_short: bool) -> bool:
    """Whether a printed paragraph number plausibly starts the next numbered paragraph."""
    if last is None:
        return number <= 3 or prev_terminal or prev_short
    if last < number <= last + 3 or (prev_terminal and last < number <= last + 40):
        return True
    return number == 1 and (prev_terminal or prev_short)


def _block_kind(text: str) -> str:
    if "\t" in text:
        return "row"
    if _BULLET.match(text):
        return "bullet"
    if _PARA_NUMBER.match(text) or _SUB_NUMBER.match(text):
        return "para"
    if len(text) <= 160 and not re.search(r"[.;,]['\"’”)]*$", text) and text[:1].isupper() and ". " not in text:
        return "heading"
    return "para"


def normalise(raw: RawDocument) -> Document:
    """Build the normalised text and its blocks from a reader's lines."""
    lines = raw.lines
    drop = _running_lines(lines) if raw.paged else set()
    drop |= _letterhead_lines(lines)
    kept = [
        line
        for i, line in enumerate(lines)
        if i not in drop and line.text.strip() and not _PAGE_NUMBER.match(line.text)
    ]
    width = _typical_width(kept)
    pending: list[_Pending] = []
    prev_line: Line | None = None
    last_number: int | None = None
    for line in kept:
        text = re.sub(r"[ \u00a0]+", " ", line.text.strip()) if "\t" not in line.text else "\t".join(
            re.sub(r"\s+", " ", c).strip() for c in line.text.strip().split("\t"))
        current = pending[-1] if pending else None
        if _starts_block(current, prev_line, line, width, last_number):
            pending.append(_Pending([text], line.page, line.heading, ""))
            m = _PARA_NUMBER.match(text)
            if m:
                last_number = int(m.group(1))
        else:
            assert current is not None
            if _hyphen_join(current.parts[-1]) and text[:1].isalpha():
                current.parts[-1] += text  # "multi-" + "agency"
            else:
                current.parts.append(text)
        prev_line = line

    out: list[str] = []
    blocks: list[Block] = []
    pages: list[tuple[int, int]] = []
    offset = 0
    sections = _Sections()
    for p in pending:
        text = " ".join(p.parts).strip()
        if not text:
            continue
        kind = "heading" if p.heading else _block_kind(text)
        number = None
        m = _PARA_NUMBER.match(text)
        if m and kind == "para":
            number = m.group(1)
        section = sections.after(text, kind)
        start = offset
        end = start + len(text)
        blocks.append(Block(start=start, end=end, page=p.page, kind=kind, number=number, section=section))
        if p.page is not None and raw.paged and (not pages or pages[-1][0] != p.page):
            pages.append((p.page, start))
        out.append(text)
        offset = end + 1
    return Document(
        path=raw.path,
        sha256=raw.sha256,
        media_type=raw.media_type,
        text="\n".join(out),
        pages=tuple(pages),
        blocks=tuple(blocks),
    )


# --- the section of each block: the most recent real section heading ------------------------------

# lines printed like headings that are not sections: metadata, signatures, grade lines, dates
_META_HEADING = re.compile(
    r"^(?:(?:her|his)\s+majesty['’]s\s+inspector\b|(?:report\s+)?published\b|inspection\s+dates?\b|"
    r"(?:deputy\s+)?lead\s+inspector\b|reporting\s+inspector\b|age\s+group\b|reference\s+no\b|website\b|"
    r"unique\s+reference|page\s+\d|local\s+authority\s*:|key\s+judge?ment\s+judge?ment\s+grade|(?:\d{1,2}\s+)?(?:january|february|march|april|may|"
    r"june|july|august|september|october|november|december)\s+\d{4}\s*$|[^:]{3,60}\s(?:s?hmi|scri)$)",
    re.I,
)
# "Label: value" lines with a short label ("Lead inspector: ...", "Inspection dates: ...", "T: 0300 ...")
_FIELD_LINE = re.compile(r"^(?!(?:section|part|annex|appendix|chapter)\b)[^\s:]+(?:\s+[^\s:]+){0,4}\s*:\s*\S", re.I)
_GRADE_WORDS = r"(?:requires?\s+improvement(?:\s+to\s+be\s+good)?|good|outstanding|inadequate|adequate)"
_TABLE_HEAD = re.compile(r"^\s*(?:judge?ment(?:\s+grade)?|grade)\s*$", re.I)  # ILACS: the table of judgements
# sub-headings that every judgement section repeats: they refine the judgement heading, not replace it
_GENERIC_SUB = re.compile(r"^(?:summary|inspection\s+findings|findings|key\s+findings)\s*:?$", re.I)
# the judgement headings of the frameworks (their sections hold the judgement's summary and findings)
_JUDGEMENT_SECTION = re.compile(
    r"^(?:the\s+experiences?\s+and\s+progress\s+of|the\s+impact\s+of\s+leaders|leadership,?\s+management\s+and"
    r"\s+governance|leadership\s+and\s+(?:governance|management)|overall\s+effectiveness|the\s+local\s+"
    r"safeguarding\s+children\s+board|the\s+lscb\b|the\s+graded\s+judge?ment|adoption\s+performance|capacity\s+"
    r"(?:to|for)\s+improve|the\s+effectiveness\s+of\s+the\s+help\s+and\s+protection|the\s+quality\s+of\s+practice"
    r"|children\s+who\s+need\s+help\s+and\s+protection|children\s+looked\s+after\s+and)",
    re.I,
)
# headings after which no judgement section continues
_END_OF_JUDGEMENTS = re.compile(r"^(?:contents|information\s+about|annex|appendix|section\s+\d|the\s+inspection\s+team"
                                r"|what\s+the\s+inspection\s+judge?ments\s+mean)\b", re.I)
# a judgement heading's printed grade: "... help and protection: requires improvement to be good", "... Good"
_HEADING_GRADE = re.compile(rf"(?:\s*[:\u2013-]\s*|\s+)(?:(?:is|are)\s*:?\s+)?{_GRADE_WORDS}\s*\.?\s*$", re.I)


class _Sections:
    """Tracks the section a block belongs to: the latest real heading (a judgement heading keeps its generic
    "Summary" / "Inspection findings" sub-headings as "<judgement heading> - Summary"); metadata lines, grade
    lines, judgement table cells and contents entries leave it unchanged."""

    def __init__(self) -> None:
        self.section = ""
        self.top = ""
        self.judgement = ""  # the judgement section we are in, if any
        self.in_table = False

    def after(self, text: str, kind: str) -> str:
        """The section of a block of ``kind`` with ``text``, after taking it into account."""
        if kind != "heading":
            if kind != "row" and (len(text) > 40 or "." in text):
                self.in_table = False  # a paragraph ends the judgement table (not "to be good", a wrapped grade)
            return self.section
        if _TABLE_HEAD.match(text):
            self.in_table = True
            return self.section
        if self.in_table and not re.search(r":|^what\s+needs|^contents\b", text, re.I):
            return self.section  # a cell of the judgement table
        self.in_table = False
        if _META_HEADING.match(text) or _GRADE_LINE.match(text) or (
                _FIELD_LINE.match(text) and not re.search(rf":\s*{_GRADE_WORDS}\s*$", text, re.I)):
            return self.section
        if re.match(r"contents\b", self.top, re.I) and re.search(r"\s\d{1,3}$", text):
            return self.section  # a contents entry ("Executive summary 2")
        if self.top and self.top == self.section and (re.fullmatch(r"[A-Za-z’']+\d", text) or (
                re.fullmatch(r"[A-Za-z’']+", text) and _CONTINUES.search(self.top))):
            # the last word of a title wrapped onto its own line ("... Local Safeguarding Children" / "Board1")
            joined = f"{self.top} {text.rstrip('0123456789')}"
            self.judgement = joined if self.judgement == self.top else self.judgement
            self.section = self.top = joined
            return self.section
        if _GENERIC_SUB.match(text):
            sub = text.rstrip(": ")
            self.section = f"{self.judgement} - {sub}" if self.judgement else sub
            return self.section
        name = text
        if _JUDGEMENT_SECTION.match(text):
            if not re.search(r"\bgraded\s+judge?ment\b", text, re.I):
                name = _HEADING_GRADE.sub("", text).rstrip(" :") or text
                name = re.sub(r"\s+(?:is|are)\s*:?$", "", name)
            self.judgement = name
        elif _END_OF_JUDGEMENTS.match(text):
            self.judgement = ""
        self.section = self.top = name
        return self.section


def _hyphen_join(part: str) -> bool:
    """A line ending in a hyphen joins the next without a space ("multi-" + "agency")."""
    return bool(re.search(r"\w-$", part))
