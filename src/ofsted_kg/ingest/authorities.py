"""The register of English children's services authorities and a strict name resolver.

Authorities are keyed by their 3-digit LA number (stable across GSS recodes such as
Sheffield's in 2025); their IRI uses the latest GSS code. Names are matched exactly, word by
word, after normalising case, '&', hyphens and council prefixes/suffixes: there is no fuzzy
matching, so Hertfordshire (E10000015, 919) and Herefordshire (E06000019, 884) can never be
confused whatever the spelling noise.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from importlib.resources import files
from pathlib import Path

__all__ = ["Authority", "AuthorityRegister", "normalise_name"]

COLUMNS = ("la_number", "gss", "former_gss", "name", "variants", "kind", "start", "end", "predecessors",
           "successors")
_KINDS = {"unitary", "metropolitan", "london", "county"}


@dataclass(frozen=True)
class Authority:
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
        """Whether the authority existed on ``day`` (an empty start means "before 2009")."""
        if self.start is not None and day < self.start:
            return False
        return not (self.end is not None and day > self.end)

    @property
    def codes(self) -> tuple[str, ...]:
        return (self.gss, *self.former_gss)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.variants)


_PREFIXES = ("the ", "london borough of ", "royal borough of ", "metropolitan borough of ", "borough of ",
             "county of ", "city of ")
_SUFFIXES = (" metropolitan borough council", " metropolitan district council", " county council",
             " city council", " borough council", " district council", " council", " local authority",
             " children's services", " safeguarding children board", " safeguarding children partnership",
             " children's trust", " borough", " county")


def _fold(name: str) -> str:
    text = name.casefold().replace("’", "'").replace("&", " and ")
    text = re.sub(r"\bst\.", "st", text)
    text = re.sub(r"[^\w']+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def normalise_name(name: str) -> str:
    """A comparable form of an authority name: case, '&', punctuation, prefixes and suffixes."""
    text = _fold(name)
    changed = True
    while changed:
        changed = False
        for p in _PREFIXES:
            if text.startswith(p) and text != "city of london" and len(text) > len(p):
                text, changed = text[len(p):], True
        for s in _SUFFIXES:
            if text.endswith(s) and len(text) > len(s):
                text, changed = text[: -len(s)], True
    return text.strip()


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value.strip() else None


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(";") if v.strip())


def _read(text: str, source: str) -> list[Authority]:
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"{source}: line 1: missing column(s) {', '.join(missing)}; "
                         f"the header must be {','.join(COLUMNS)}[,fictional]")
    out = []
    for line, row in enumerate(reader, start=2):
        try:
            if not row["la_number"].strip() or not row["gss"].strip() or not row["name"].strip():
                raise ValueError("la_number, gss and name are required")
            if row["kind"].strip() not in _KINDS:
                raise ValueError(f"kind must be one of {', '.join(sorted(_KINDS))}")
            out.append(Authority(
                la_number=row["la_number"].strip(),
                gss=row["gss"].strip(),
                former_gss=_split(row["former_gss"]),
                name=row["name"].strip(),
                variants=_split(row["variants"]),
                kind=row["kind"].strip(),
                start=_date(row["start"]),
                end=_date(row["end"]),
                predecessors=_split(row["predecessors"]),
                successors=_split(row["successors"]),
                fictional=(row.get("fictional") or "").strip().lower() in ("yes", "true", "1"),
            ))
        except (ValueError, AttributeError) as exc:
            raise ValueError(f"{source}: line {line}: {exc}; fix that row") from exc
    return out


class AuthorityRegister:
    """All authorities, with lookup by code and strict name matching."""

    def __init__(self, authorities: Iterable[Authority]):
        self._items = tuple(authorities)

    @classmethod
    def load(cls, extra: Iterable[Path] = ()) -> AuthorityRegister:
        """The packaged register plus any extra CSVs with the same columns (e.g. fictional examples)."""
        packaged = (files("ofsted_kg") / "data" / "authorities.csv").read_text(encoding="utf-8")
        items = _read(packaged, "authorities.csv (packaged)")
        for path in extra:
            try:
                text = Path(path).read_text(encoding="utf-8-sig")
            except OSError as exc:
                raise ValueError(f"{path}: cannot read ({exc.strerror})") from exc
            items += _read(text, str(path))
        return cls(items)

    def __iter__(self) -> Iterator[Authority]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    @cached_property
    def _by_code(self) -> dict[str, Authority]:
        out: dict[str, Authority] = {}
        for a in self._items:
            out[a.la_number] = a
            for code in a.codes:
                out[code.upper()] = a
        return out

    def by_code(self, code: str) -> Authority | None:
        """By any current or former GSS code, or by LA number."""
        return self._by_code.get(code.strip().upper())

    @cached_property
    def _by_name(self) -> dict[str, list[Authority]]:
        out: dict[str, list[Authority]] = {}
        for a in self._items:
            for n in a.names:
                for key in {normalise_name(n), _fold(n)}:
                    if a not in out.setdefault(key, []):
                        out[key].append(a)
        return out

    @staticmethod
    def _choose(candidates: list[Authority], on: date | None) -> Authority | None:
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0]
        if on is not None:
            live = [a for a in candidates if a.operating_on(on)]
            if live:
                return live[0]
        current = [a for a in candidates if a.end is None]
        return (current or candidates)[0]

    def resolve(self, name: str, on: date | None = None) -> Authority | None:
        """The authority called ``name`` (exact after normalisation), operating on ``on`` if several."""
        names = self._by_name
        return self._choose(names.get(_fold(name)) or names.get(normalise_name(name)) or [], on)

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        variants = {n for a in self._items for n in a.names}
        parts = []
        for n in sorted(variants, key=len, reverse=True):
            words = re.split(r"[\s\-]+", n.replace("&", " & "))
            pat = r"[\s\-]+".join(
                r"(?:&|and)" if w.lower() in ("&", "and") else re.escape(w).replace("'", "['’]") for w in words if w)
            parts.append(pat)
        return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.I)

    def find_all(self, text: str, on: date | None = None) -> list[tuple[Authority, int, int]]:
        """Every mention of an authority in ``text`` as (authority, start, end), longest match first."""
        out = []
        for m in self._pattern.finditer(text):
            a = self.resolve(m.group(0), on)
            if a is not None:
                out.append((a, m.start(), m.end()))
        return out

    def names(self) -> list[str]:
        return sorted({a.name for a in self._items})
