"""The register of English children's services authorities and a strict name resolver.

Authorities are keyed by their 3-digit LA number, which is stable across GSS recodes such as
Sheffield's in 2025; their IRI uses the latest GSS code. Names are matched exactly, word by word,
after normalising case, '&', punctuation and council prefixes/suffixes. There is no fuzzy or partial
matching anywhere, so Hertfordshire (E10000015, 919) and Herefordshire (E06000019, 884) can never be
confused whatever the spelling noise. Nothing is read at import time: the packaged table is loaded by
:meth:`AuthorityRegister.load`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from importlib.resources import files
from pathlib import Path

__all__ = ["COLUMNS", "Authority", "AuthorityRegister", "normalise_name"]

COLUMNS = ("la_number", "gss", "former_gss", "name", "variants", "kind", "start", "end", "predecessors",
           "successors")
_OPTIONAL_COLUMNS = ("fictional",)
_KINDS = ("county", "london", "metropolitan", "unitary")
_TRUE = ("yes", "true", "1")
_FALSE = ("", "no", "false", "0")

# Normalisation: leading and trailing words that do not distinguish one authority from another.
_PREFIXES = ("the", "london borough of", "royal borough of", "metropolitan borough of", "borough of",
             "county of", "city of")
_SUFFIXES = ("metropolitan borough council", "metropolitan district council", "county council",
             "city council", "borough council", "district council", "council", "local authority",
             "children's services", "safeguarding children board", "safeguarding children partnership",
             "children's trust", "borough", "county")

# find_all: prefixes that may open a mention (kept in the span), phrases that contain an authority's name
# but are not the authority (consumed and dropped), and names that are also ordinary English words (a
# match written all in lower case is then the word, not the place).
_MENTION_PREFIXES = ("london borough of", "royal borough of", "metropolitan borough of", "borough of",
                     "county of", "city of")
_NOT_AUTHORITIES = ("Greater Manchester", "Newcastle-under-Lyme", "Bradford-on-Avon", "Sutton Coldfield",
                    "Sutton-in-Ashfield", "Bury St Edmunds", "Northumberland Park", "New York")
_COMMON_WORDS = frozenset({"reading", "bury", "harrow", "slough", "hull", "derby"})
# A name directly followed by a postcode or a street word is part of a postal address, not a mention.
_ADDRESS_TAIL = re.compile(r",?\s+(?:[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}(?![a-z\d])"
                           r"|(?:Road|Street|Lane|Avenue)\b)")

_SEP = r"[\s\-]+"


@dataclass(frozen=True)
class Authority:
    """One children's services authority entity (a row of the register)."""

    la_number: str
    gss: str
    former_gss: tuple[str, ...]
    name: str
    variants: tuple[str, ...]
    kind: str
    start: date | None
    end: date | None
    predecessors: tuple[str, ...]
    successors: tuple[str, ...]
    fictional: bool = False

    def operating_on(self, day: date) -> bool:
        """Whether the authority existed on ``day``: an empty start means "before 2009", no end "still"."""
        if self.start is not None and day < self.start:
            return False
        return self.end is None or day <= self.end

    @property
    def codes(self) -> tuple[str, ...]:
        """The current GSS code followed by any former ones."""
        return (self.gss, *self.former_gss)

    @property
    def all_names(self) -> tuple[str, ...]:
        """The canonical name followed by its variants."""
        return (self.name, *self.variants)


def _fold(name: str) -> str:
    """Case, '&', 'St.', apostrophes and punctuation folded; words kept as they are."""
    text = name.casefold().replace("’", "'").replace("‘", "'").replace("`", "'")
    text = text.replace("&", " and ")
    text = re.sub(r"\bst\.", "st ", text)
    text = re.sub(r"\bchildrens\b", "children's", text)
    text = re.sub(r"(?<!\w)'|'(?!\w)", " ", text)  # quotes, not apostrophes inside a word
    text = re.sub(r"[^\w']+|_", " ", text)
    return " ".join(text.split())


def _strip_prefix(text: str) -> str | None:
    if text == "city of london" or text.startswith("city of london "):
        return None
    for prefix in _PREFIXES:
        if text.startswith(prefix + " "):
            return text[len(prefix) + 1:]
    return None


def _strip_suffix(text: str) -> str | None:
    for suffix in _SUFFIXES:
        if text.endswith(" " + suffix):
            return text[: -len(suffix) - 1]
    return None


def _without_suffixes(name: str) -> str:
    """Folded, with a leading "the" and the council suffixes removed but any other prefix kept."""
    text = _fold(name)
    while True:
        shorter = text[4:] if text.startswith("the ") else _strip_suffix(text)
        if not shorter:
            return text
        text = shorter


def normalise_name(name: str) -> str:
    """A comparable form of an authority name.

    Casefolds, turns '&' into 'and', 'St.' into 'St', curly apostrophes into straight ones and other
    punctuation into spaces, then strips council prefixes ("London Borough of", "City of" but never from
    "City of London") and suffixes ("County Council", "Safeguarding Children Board", ...) until stable.
    """
    text = _fold(name)
    while True:
        shorter = _strip_prefix(text) or _strip_suffix(text)
        if not shorter:
            return text
        text = shorter


def _word_pattern(word: str) -> str:
    if word == "st":
        return r"st\.?"
    return re.escape(word).replace("'", "['’‘]?")


def _mention_pattern(phrases: Iterable[str]) -> str:
    """A regex alternation of word sequences, built as a trie so that the longest one wins at a position.

    Words are separated by any run of spaces, line breaks or hyphens; 'and' also matches '&'; a comma
    written in a phrase is optional in the text.
    """
    trie: dict[str, dict] = {}
    for phrase in phrases:
        node = trie
        for word, comma in re.findall(r"(&|[^\s\-,&]+)(\s*,)?", phrase.casefold().replace("’", "'")):
            word = "and" if word == "&" else "st" if word == "st." else word
            node = node.setdefault(word + ("," if comma else ""), {})
        node[""] = {}

    def emit(node: dict[str, dict], lead: str) -> str:
        alts = []
        for key in sorted((k for k in node if k), key=lambda k: (-len(k), k)):
            word = key.rstrip(",")
            if word == "and" and lead:
                head, after = r"(?:\s*&\s*|[\s\-]+and[\s\-]+)", ""
            else:
                head = lead + _word_pattern(word)
                after = r"(?:\s*,\s*|[\s\-]+)" if key.endswith(",") else _SEP
            alts.append(head + emit(node[key], after))
        if not alts:
            return ""
        return f"(?:{'|'.join(alts)})" + ("?" if "" in node else "")

    return emit(trie, "")


def _as_date(value: str, column: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{column} {value!r} is not a date: write YYYY-MM-DD or leave it empty") from None


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(";") if v.strip())


def _read(text: str, source: str) -> list[Authority]:
    """Rows of one register CSV; any problem raises ValueError naming ``source``, the line and the fix."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS + _OPTIONAL_COLUMNS]
    if missing or unknown:
        problem = (f"missing column(s) {', '.join(missing)}" if missing
                   else f"unknown column(s) {', '.join(unknown)}")
        raise ValueError(f"{source}: line 1: {problem}; the header must be {','.join(COLUMNS)}[,fictional]")
    reader.fieldnames = header
    out = []
    for row in reader:
        line = reader.line_num
        try:
            if None in row:
                raise ValueError(f"{len(header) + len(row[None])} fields for {len(header)} columns "
                                 "(quote a value that contains a comma)")
            short = [c for c in header if row[c] is None]
            if short:
                raise ValueError(f"no value for {', '.join(short)} (every row needs {len(header)} fields)")
            for column in ("la_number", "gss", "name"):
                if not row[column].strip():
                    raise ValueError(f"{column} is empty; la_number, gss and name are required")
            kind = row["kind"].strip()
            if kind not in _KINDS:
                raise ValueError(f"kind {kind!r} must be one of {', '.join(_KINDS)}")
            fictional = (row.get("fictional") or "").strip().casefold()
            if fictional not in _TRUE + _FALSE:
                raise ValueError(f"fictional {fictional!r} must be yes/true/1 or no/false/0/empty")
            out.append(Authority(
                la_number=row["la_number"].strip(),
                gss=row["gss"].strip().upper(),
                former_gss=tuple(c.upper() for c in _split(row["former_gss"])),
                name=row["name"].strip(),
                variants=_split(row["variants"]),
                kind=kind,
                start=_as_date(row["start"], "start"),
                end=_as_date(row["end"], "end"),
                predecessors=_split(row["predecessors"]),
                successors=_split(row["successors"]),
                fictional=fictional in _TRUE,
            ))
        except ValueError as exc:
            raise ValueError(f"{source}: line {line}: {exc}") from None
    return out


class AuthorityRegister:
    """All authorities, with lookup by code and strict (exact, normalised) name matching."""

    def __init__(self, authorities: Iterable[Authority]):
        self._items = tuple(authorities)
        seen: dict[str, Authority] = {}
        for a in self._items:
            for code in (a.la_number, *a.codes):
                other = seen.setdefault(code.upper(), a)
                if other is not a:
                    raise ValueError(f"code {code} is used by both {other.name!r} and {a.name!r}; "
                                     "every LA number and GSS code must be unique")

    @classmethod
    def load(cls, extra: Iterable[Path] = ()) -> AuthorityRegister:
        """The packaged register plus any extra CSVs with the same columns and an optional ``fictional`` one.

        A malformed extra file raises ValueError naming the file, the line and what to fix.
        """
        packaged = (files("ofsted_kg") / "data" / "authorities.csv").read_text(encoding="utf-8")
        items = _read(packaged, "ofsted_kg/data/authorities.csv")
        for path in extra:
            try:
                text = Path(path).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                raise ValueError(f"{path}: cannot read it as UTF-8 CSV ({exc})") from None
            items += _read(text, str(path))
        try:
            return cls(items)
        except ValueError as exc:
            names = ", ".join(str(p) for p in extra) or "the packaged register"
            raise ValueError(f"{names}: {exc}") from None

    def __iter__(self) -> Iterator[Authority]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    @cached_property
    def _by_code(self) -> dict[str, Authority]:
        return {code.upper(): a for a in self._items for code in (a.la_number, *a.codes)}

    def by_code(self, code: str) -> Authority | None:
        """The authority with this current or former GSS code, or this LA number."""
        return self._by_code.get(code.strip().upper())

    @cached_property
    def _by_name(self) -> dict[str, list[Authority]]:
        """Lookup keys of every name and variant.

        A variant whose prefix is what makes it unambiguous ("London Borough of Richmond", "Royal Borough
        of Kingston") is keyed with that prefix only: stripping it would make "Richmond" or "Kingston" (a
        town in North Yorkshire, or Kingston upon Hull) resolve.
        """
        out: dict[str, list[Authority]] = {}
        for a in self._items:
            own = normalise_name(a.name)
            for n in a.all_names:
                keys = {_fold(n), _without_suffixes(n)}
                if n == a.name or normalise_name(n) in (own, _without_suffixes(n)):
                    keys.add(normalise_name(n))
                for key in keys:
                    entities = out.setdefault(key, [])
                    if a not in entities:
                        entities.append(a)
        return out

    @staticmethod
    def _choose(candidates: list[Authority], on: date | None) -> Authority | None:
        if len(candidates) <= 1:
            return candidates[0] if candidates else None
        if on is not None:
            live = [a for a in candidates if a.operating_on(on)]
            if live:
                return live[0]
        current = [a for a in candidates if a.end is None]
        return (current or candidates)[0]

    def resolve(self, name: str, on: date | None = None) -> Authority | None:
        """The authority called ``name``: an exact match after normalisation, never a fuzzy one.

        When several entities share the name (Dorset county 835 and Dorset 838) the one operating on
        ``on`` is chosen, or the current one when ``on`` is None.
        """
        by_name = self._by_name
        for key in (_fold(name), _without_suffixes(name), normalise_name(name)):
            if key in by_name:
                return self._choose(by_name[key], on)
        return None

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        """One regex for every name, variant and non-authority phrase (compiled on first use)."""
        names = {n for a in self._items for n in a.all_names}
        prefixes = _mention_pattern(_MENTION_PREFIXES)
        body = _mention_pattern(sorted(names | set(_NOT_AUTHORITIES)))
        return re.compile(rf"(?<!\w)(?:{prefixes}{_SEP})?{body}(?!\w)", re.IGNORECASE)

    @cached_property
    def _not_authorities(self) -> frozenset[str]:
        return frozenset(_fold(p) for p in _NOT_AUTHORITIES)

    def find_all(self, text: str, on: date | None = None) -> list[tuple[Authority, int, int]]:
        """Every mention of an authority in ``text`` as (authority, start, end) character offsets.

        Case-insensitive and whole words only; any run of spaces, line breaks or hyphens separates words
        and '&' stands for 'and'. The longest name wins at a position and mentions do not overlap. Postal
        addresses ("Manchester M1 2WD", "Reading Lane") and an all-lower-case common word ("reading") are
        not mentions. Same-name entities are told apart by ``on`` as in :meth:`resolve`.
        """
        out = []
        for m in self._pattern.finditer(text):
            found = m.group(0)
            folded = _fold(found)
            if folded in self._not_authorities or _ADDRESS_TAIL.match(text, m.end()):
                continue
            if found.islower() and folded in _COMMON_WORDS:
                continue
            authority = self.resolve(found, on)
            if authority is not None:
                out.append((authority, m.start(), m.end()))
        return out

    def names(self) -> list[str]:
        """Sorted canonical names (for CLI help and choices)."""
        return sorted({a.name for a in self._items})
