"""Readers: turn a file (.pdf, .txt, .md, .html) into physical lines tagged with their page.

Readers do no interpretation beyond the format itself: markup is stripped, table rows
become tab-separated lines, and every line remembers its page and whether a blank line
(or block boundary) preceded it. ``normalise`` then rebuilds paragraphs from these lines.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..errors import IngestError

__all__ = ["READERS", "Line", "RawDocument", "read"]


@dataclass(frozen=True)
class Line:
    """A physical line of the source, after markup stripping."""

    text: str
    page: int | None = None
    blank_before: bool = False  # a blank line or block boundary came before it
    heading: bool = False  # marked as a heading by the markup (#, <h2>)
    hard_break: bool = False  # the source forces a break after this line


@dataclass(frozen=True)
class RawDocument:
    path: Path
    sha256: str
    media_type: str
    lines: tuple[Line, ...]
    paged: bool  # lines carry real page numbers (PDF)


_CHAR_FIXES = {
    "\ufffe": "-",  # pdfium's mark for a hyphen at a layout break ("multi\ufffeagency")
    "\u00ad": "",  # soft hyphen
    "\u00a0": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u2009": " ",
    "\u200b": "",
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\uf0b7": "\u2022",  # Symbol-font bullet
    "\uf0a7": "\u2022",
    "\uf02d": "-",
}
# Symbol/Wingdings private-use glyphs that PDFs use as bullets
_CHAR_FIXES.update({chr(c): "\u2022" for c in range(0xF000, 0xF100) if chr(c) not in _CHAR_FIXES})
_CHAR_TABLE = str.maketrans(_CHAR_FIXES)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_chars(text: str) -> str:
    """Fix extraction artefacts in characters (hyphen marks, ligatures, odd spaces, controls)."""
    return _CONTROL.sub("", text.translate(_CHAR_TABLE))


def _sniff(data: bytes) -> str:
    head = data[:2048].lstrip().lower()
    if data.startswith(b"%PDF-") or b"%pdf-" in head[:1024]:
        return "pdf"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:512]:
        return "html"
    return "text"


def _decode(path: Path, data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise IngestError(path, "reading", "binary file, not a report", "pass a PDF, .txt, .md or .html report")
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read(path: Path) -> RawDocument:
    """Read ``path`` with the reader its content calls for (the extension is only a hint)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(path, "reading", f"cannot read file: {exc.strerror}", "check the path") from exc
    if not data.strip():
        raise IngestError(path, "reading", "empty file", "re-download or remove it")
    sha = hashlib.sha256(data).hexdigest()
    kind = _sniff(data)
    suffix = path.suffix.lower()
    if suffix == ".pdf" and kind == "html":
        title = re.search(rb"<title>\s*([^<]{1,120})", data, re.I)
        what = title.group(1).decode("utf-8", "replace").strip() if title else "an HTML page"
        raise IngestError(
            path, "reading", f"not a PDF: an HTML page saved with a .pdf name ({what!r})",
            "download the report again from reports.ofsted.gov.uk", status="skipped",
        )
    if suffix == ".pdf" and kind != "pdf":
        raise IngestError(path, "reading", "not a PDF (no %PDF header)", "re-download the report")
    reader = READERS["pdf" if kind == "pdf" else ("html" if kind == "html" or suffix in (".html", ".htm")
                                                     else ("md" if suffix == ".md" else "txt"))]
    media, lines, paged = reader(path, data)
    if not any(line.text.strip() for line in lines):
        raise IngestError(path, "reading", "no text could be extracted (scanned image?)",
                          "run OCR first or supply a text copy")
    return RawDocument(path=path, sha256=sha, media_type=media, lines=tuple(lines), paged=paged)


# --- PDF -----------------------------------------------------------------------------------


def _read_pdf(path: Path, data: bytes) -> tuple[str, list[Line], bool]:
    import pypdfium2 as pdfium  # imported lazily: only PDF input needs it

    try:
        pdf = pdfium.PdfDocument(data)
    except Exception as exc:  # pdfium raises PdfiumError with a terse message
        raise IngestError(path, "reading", f"corrupt or unreadable PDF ({exc})", "re-download the report") from exc
    lines: list[Line] = []
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                text = page.get_textpage().get_text_range()
            except Exception as exc:
                raise IngestError(path, f"page {index + 1}", f"text extraction failed ({exc})",
                                  "re-download the report") from exc
            for raw in re.split(r"\r\n|\r|\n", clean_chars(text)):
                lines.append(Line(text=raw.rstrip(), page=index + 1))
    finally:
        pdf.close()
    return "application/pdf", lines, True


# --- plain text and Markdown ----------------------------------------------------------------

_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_MD_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)")
_MD_EMPH = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
_TAG = re.compile(r"<[^>]{0,400}>")
_CHECKBOX = re.compile(r"<input\b[^>]*type=\"?checkbox\"?[^>]*>", re.I)
_CELL_PARA = re.compile(r"</p>[ ]*<p>", re.I)


def strip_inline_markup(text: str) -> str:
    """Remove inline HTML tags and Markdown emphasis/links, keeping the words."""
    text = _CHECKBOX.sub(lambda m: " [x]" if "checked" in m.group(0).lower() else " [ ]", text)
    text = _CELL_PARA.sub(" \u2022 ", text)
    text = re.sub(r"<br\s*/?>", " ", text, flags=re.I)
    text = _TAG.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_EMPH.sub(r"\2", text)
    text = text.replace("**", "")
    text = _MD_ESCAPE.sub(r"\1", text)
    return re.sub(r"(?<=\S) {2,}(?=\S)", " ", _unescape(text))


def _unescape(text: str) -> str:
    import html

    return html.unescape(text) if "&" in text else text


def _read_text(path: Path, data: bytes, media: str = "text/plain") -> tuple[str, list[Line], bool]:
    text = clean_chars(_decode(path, data))
    lines: list[Line] = []
    blank = True
    page = 1
    for raw in re.split(r"\r\n|\r|\n", text):
        if "\f" in raw:
            page += raw.count("\f")
            raw = raw.replace("\f", "")
        if not raw.strip():
            blank = True
            continue
        if _MD_RULE.match(raw) or (_MD_TABLE_SEP.match(raw) and "|" in raw):
            blank = True
            continue
        heading = False
        m = _MD_HEADING.match(raw)
        if m:
            raw, heading = m.group(2), True
        hard = raw.endswith("  ")
        stripped = raw.strip()
        if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3:
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            raw = "\t".join(cells)
        # an HTML table row kept in a text file: <tr><td>..</td></tr> or cells separated by tabs
        line = strip_inline_markup(raw).rstrip()
        if heading:
            line = line.strip()
        if not line.strip():
            blank = True
            continue
        lines.append(Line(text=line, page=page, blank_before=blank or heading, heading=heading,
                          hard_break=hard or heading))
        blank = heading
    return media, lines, False


def _read_markdown(path: Path, data: bytes) -> tuple[str, list[Line], bool]:
    return _read_text(path, data, media="text/markdown")


# --- HTML -------------------------------------------------------------------------------------

_BLOCK_TAGS = {"p", "div", "section", "article", "header", "footer", "main", "blockquote", "ul", "ol",
               "table", "thead", "tbody", "dl", "dt", "dd", "pre", "address", "figure", "figcaption"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_SKIP = {"script", "style", "head", "title", "noscript", "template", "svg", "nav"}


class _HTMLLines(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[Line] = []
        self.buf: list[str] = []
        self.cells: list[str] | None = None
        self.skip = 0
        self.heading = False

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self.buf)).strip()
        self.buf = []
        if text:
            self.lines.append(Line(text=text, blank_before=True, heading=self.heading, hard_break=True))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        if tag in _HEADINGS:
            self._flush()
            self.heading = True
        elif tag == "tr":
            self._flush()
            self.cells = []
        elif tag in ("td", "th") and self.cells is not None:
            self.buf = []
        elif tag == "li":
            self._flush()
            self.buf.append("\u2022 ")
        elif tag == "br":
            self.buf.append(" ")
        elif tag == "input" and dict(attrs).get("type") == "checkbox":
            self.buf.append(" [x]" if "checked" in dict(attrs) else " [ ]")
        elif tag in _BLOCK_TAGS and self.cells is None:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag in _HEADINGS:
            self._flush()
            self.heading = False
        elif tag in ("td", "th") and self.cells is not None:
            self.cells.append(re.sub(r"\s+", " ", "".join(self.buf)).strip())
            self.buf = []
        elif tag == "p" and self.cells is not None:
            self.buf.append(" \u2022 ")
        elif tag == "tr" and self.cells is not None:
            cells = [c.strip(" \u2022") for c in self.cells]
            if any(cells):
                self.lines.append(Line(text="\t".join(cells), blank_before=True, hard_break=True))
            self.cells = None
        elif (tag in _BLOCK_TAGS or tag == "li") and self.cells is None:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.buf.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def _read_html(path: Path, data: bytes) -> tuple[str, list[Line], bool]:
    parser = _HTMLLines()
    parser.feed(clean_chars(_decode(path, data)))
    parser.close()
    return "text/html", [Line(t.text, 1, t.blank_before, t.heading, t.hard_break) for t in parser.lines], False


READERS: dict[str, Callable[[Path, bytes], tuple[str, list[Line], bool]]] = {
    "pdf": _read_pdf,
    "txt": _read_text,
    "md": _read_markdown,
    "html": _read_html,
}
#: File extensions the corpus walker picks up.
EXTENSIONS = (".pdf", ".txt", ".md", ".html", ".htm")
