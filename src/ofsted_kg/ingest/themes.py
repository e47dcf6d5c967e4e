"""Themes of a finding: the SKOS practice themes whose cues (from ontology/themes.ttl) it matches.

Rule-based and transparent: each tag keeps the matched cue and a confidence (longer, more
specific cues score higher), and both are written to the graph as evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from importlib.resources import files

from ..model import Document, FindingRecord

__all__ = ["Theme", "load_themes", "tag_document", "tag_text"]

_THEME_NS = "https://w3id.org/ofsted-kg/theme/"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_CUE = "https://w3id.org/ofsted-kg/ontology#cue"


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    group: str
    definition: str
    cues: tuple[re.Pattern[str], ...]


@cache
def load_themes() -> dict[str, Theme]:
    """The leaf themes of the packaged scheme (read on first use)."""
    import pyoxigraph

    data = (files("ofsted_kg.ontology") / "themes.ttl").read_bytes()
    props: dict[str, dict[str, list[str]]] = {}
    for t in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE):
        s = t.subject.value
        if not s.startswith(_THEME_NS):
            continue
        props.setdefault(s, {}).setdefault(t.predicate.value, []).append(t.object.value)
    themes: dict[str, Theme] = {}
    for iri, p in sorted(props.items()):
        cues = p.get(_CUE)
        if not cues:
            continue  # groups and the scheme itself
        tid = iri[len(_THEME_NS):]
        group = p.get(_SKOS + "broader", [""])[0][len(_THEME_NS):]
        themes[tid] = Theme(
            tid,
            p.get(_SKOS + "prefLabel", [tid])[0],
            group,
            p.get(_SKOS + "definition", [""])[0],
            tuple(re.compile(c, re.I) for c in sorted(cues, key=len, reverse=True)),
        )
    return themes


#: at most this many themes per finding (the most specific matches): a sentence is about a few things
MAX_THEMES = 3


def tag_text(text: str) -> tuple[tuple[str, str, float], ...]:
    """(theme id, matched cue, confidence) for the themes the text names, most specific first.

    For each theme the longest matching cue wins; longer (multi-word) matches score higher, and
    only the ``MAX_THEMES`` best themes are kept."""
    out: list[tuple[str, str, float]] = []
    for theme in load_themes().values():
        best = None
        for cue in theme.cues:
            m = cue.search(text)
            if m and (best is None or len(m.group(0)) > len(best)):
                best = m.group(0)
        if best:
            words = len(best.split())
            confidence = round(min(0.9, 0.55 + 0.1 * words + (0.05 if len(best) > 8 else 0)), 2)
            out.append((theme.id, best, confidence))
    out.sort(key=lambda t: (-t[2], -len(t[1]), t[0]))
    return tuple(out[:MAX_THEMES])


def tag_document(doc: Document) -> Document:
    """Tag every finding of the document with its themes."""
    findings = tuple(_tag(f) for f in doc.findings)
    return doc.evolve(findings=findings)


def _tag(f: FindingRecord) -> FindingRecord:
    return replace(f, themes=tag_text(f.text))
