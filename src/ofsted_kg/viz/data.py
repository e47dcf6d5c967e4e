"""What the explorer, the timeline, the authority report and the server read from a graph.

One :func:`load` call runs a handful of SELECT queries through a :class:`~ofsted_kg.store.Backend`
(the ``inspections`` and ``persistent-weaknesses`` named queries, and the constant queries below for
what no named query returns: finding and evidence IRIs, persistence links, theme observations) and
returns plain dataclasses. The authority, when given, is bound as ``?authorityIri``; nothing is ever
pasted into query text. The queries are flat joins (no aggregate subqueries), which keeps them fast
on pyoxigraph's union default graph; choices such as "the evidence of a finding is its
lexicographically first evidence node" are made in Python, as the named ``findings`` query makes them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import QueryError
from ..namespaces import ID, THEME
from ..queries import run_named
from ..registries import FRAMEWORKS
from ..store import Backend, Results

__all__ = [
    "Authority",
    "Evidence",
    "Finding",
    "GraphData",
    "Inspection",
    "Judgement",
    "Persistence",
    "Theme",
    "framework_short",
    "load",
    "resolve_authority",
]

_SHORT = {
    "jar": "JAR", "apa": "APA", "annual-rating": "Annual rating", "cra": "CRA visit", "slac": "SLAC",
    "cp2012": "CP 2012", "lac2012": "LAC 2012", "sif": "SIF", "sif-reinspection": "SIF re-inspection",
    "lscb-review": "LSCB review", "ilacs-standard": "ILACS", "ilacs-short": "ILACS short",
    "ilacs-2026": "ILACS 2026", "focused-visit": "Focused visit", "monitoring-visit": "Monitoring visit",
}

# ---------------------------------------------------------------------------------------------------------
# Constant queries. ?authorityIri is projected so that it can be bound (pyoxigraph substitutions need it).

Q_AUTHORITIES = """
SELECT ?authorityIri ?label ?gss ?laNumber ?sameAs WHERE {
  ?authorityIri a ofsted:LocalAuthority ;
                skos:prefLabel ?label .
  OPTIONAL { ?authorityIri ofsted:gssCode ?gss }
  OPTIONAL { ?authorityIri ofsted:laNumber ?laNumber }
  OPTIONAL { ?authorityIri owl:sameAs ?sameAs }
}
"""

Q_JUDGEMENTS = """
SELECT ?inspection ?area ?areaLabel ?grade ?gradeLabel ?rank ?printed ?authorityIri WHERE {
  ?inspection ofsted:authority ?authorityIri ;
              ofsted:hasJudgement ?judgement .
  ?judgement ofsted:area ?areaConcept ;
             ofsted:grade ?gradeConcept .
  ?areaConcept skos:notation ?area .
  ?gradeConcept skos:notation ?grade .
  OPTIONAL { ?areaConcept skos:prefLabel ?areaLabel }
  OPTIONAL { ?gradeConcept skos:prefLabel ?gradeLabel }
  OPTIONAL { ?gradeConcept ofsted:rank ?rank }
  OPTIONAL { ?judgement ofsted:gradeLabel ?printed }
}
"""

Q_WEAKNESSES = """
SELECT DISTINCT ?inspection ?finding ?kind ?text ?theme ?authorityIri WHERE {
  ?inspection ofsted:authority ?authorityIri .
  GRAPH ?document {
    ?inspection ofsted:hasFinding ?finding .
    ?finding ofsted:kind ?kind .
    FILTER(?kind = "weakness" || ?kind = "recommendation")
    ?finding ofsted:theme ?theme ;
             ofsted:text ?text .
  }
}
"""

Q_EVIDENCE = """
SELECT DISTINCT ?finding ?evidence ?paragraph ?page ?section ?report ?quote ?authorityIri WHERE {
  ?inspection ofsted:authority ?authorityIri .
  GRAPH ?document {
    ?inspection ofsted:hasFinding ?finding .
    ?finding ofsted:kind ?kind .
    FILTER(?kind = "weakness" || ?kind = "recommendation")
    ?finding ofsted:hasEvidence ?evidence .
    OPTIONAL { ?evidence ofsted:paragraph ?paragraph }
    OPTIONAL { ?evidence ofsted:page ?page }
    OPTIONAL { ?evidence ofsted:section ?section }
    OPTIONAL { ?evidence oa:hasSource ?report }
    OPTIONAL { ?evidence oa:hasSelector ?selector . ?selector oa:exact ?quote }
  }
}
"""

Q_REPORTS = """
SELECT ?report ?source WHERE { ?report a ofsted:Report ; ofsted:sourcePath ?source }
"""

Q_LINKS = """
SELECT ?persistence ?from ?to ?authorityIri WHERE {
  ?persistence a ofsted:PersistentWeakness ;
               ofsted:authority ?authorityIri ;
               ofsted:hasLink ?link .
  ?link ofsted:fromInspection ?from ;
        ofsted:toInspection ?to .
}
"""

Q_PERSISTENCE_FINDINGS = """
SELECT ?persistence ?target ?role ?authorityIri WHERE {
  ?persistence a ofsted:PersistentWeakness ;
               ofsted:authority ?authorityIri .
  { ?persistence ofsted:evidencedBy ?target . BIND("evidence" AS ?role) }
  UNION
  { ?persistence ofsted:statedBy ?target . BIND("stated" AS ?role) }
  UNION
  { ?persistence ofsted:inCycle ?target . BIND("cycle" AS ?role) }
}
"""

Q_OBSERVATIONS = """
SELECT ?inspection ?theme ?status ?persistence ?authorityIri WHERE {
  ?observation a ofsted:ThemeObservation ;
               ofsted:authority ?authorityIri ;
               ofsted:inspection ?inspection ;
               ofsted:theme ?theme ;
               ofsted:status ?status .
  OPTIONAL { ?observation ofsted:observationOf ?persistence }
}
"""

Q_THEMES = """
SELECT ?theme ?notation ?label ?broader WHERE {
  ?theme skos:inScheme ?scheme ;
         skos:notation ?notation ;
         skos:prefLabel ?label .
  OPTIONAL { ?theme skos:broader ?broader }
  FILTER(?scheme = theme:scheme)
}
"""


# ---------------------------------------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class Authority:
    iri: str
    label: str
    gss: tuple[str, ...] = ()
    la_number: str | None = None
    same_as: tuple[str, ...] = ()


@dataclass(frozen=True)
class Judgement:
    area: str
    area_label: str
    grade: str
    grade_label: str
    rank: int | None
    printed: str | None


@dataclass
class Inspection:
    iri: str
    authority: str
    framework: str
    start: str | None
    year: int | None
    published: str | None = None
    end: str | None = None
    precision: str | None = None
    referenced: bool = False
    sources: tuple[str, ...] = ()
    judgements: dict[str, Judgement] = field(default_factory=dict)

    @property
    def visit(self) -> bool:
        fw = FRAMEWORKS.get(self.framework)
        return bool(fw and fw.visit)

    @property
    def framework_label(self) -> str:
        fw = FRAMEWORKS.get(self.framework)
        return fw.label if fw else self.framework

    @property
    def label(self) -> str:
        """Short label: year and framework, e.g. "2018 ILACS"."""
        return f"{self.year or '????'} {framework_short(self.framework)}"

    @property
    def when(self) -> str:
        """The dates at the precision they are known ("2018-06-11 to 2018-06-22", "2014", "published ...")."""
        if self.start and self.precision not in ("year", "month"):
            return self.start + (f" to {self.end}" if self.end and self.end != self.start else "")
        if self.start:
            return self.start[:4] if self.precision == "year" else self.start[:7]
        return f"published {self.published}" if self.published else "date unknown"

    @property
    def overall(self) -> Judgement | None:
        return self.judgements.get("overall-effectiveness")

    @property
    def sort_key(self) -> tuple[str, str]:
        return (self.start or self.published or f"{self.year or 9999}", self.iri)


@dataclass(frozen=True)
class Evidence:
    iri: str
    paragraph: str | None = None
    page: str | None = None
    section: str | None = None
    report: str | None = None
    source: str | None = None
    quote: str | None = None

    @property
    def reference(self) -> str:
        """Where the quote is: "file, paragraph N" (or page / section when there is no paragraph number)."""
        where = Path(self.source).name if self.source else "unknown source"
        if self.paragraph:
            return f"{where}, paragraph {self.paragraph}"
        if self.page:
            return f"{where}, page {self.page}"
        if self.section:
            return f"{where}, section \u201c{self.section}\u201d"
        return where


@dataclass
class Finding:
    iri: str
    inspection: str
    kind: str
    text: str
    themes: set[str] = field(default_factory=set)
    evidence: Evidence | None = None


@dataclass(frozen=True)
class Theme:
    iri: str
    key: str
    label: str
    broader: str | None = None


@dataclass
class Persistence:
    iri: str
    authority: str
    theme: str
    cycles: int
    visits: int
    first_year: int | None
    last_year: int | None
    status: str
    stated: bool
    longest_chain: int
    links: list[tuple[str, str]] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    stated_by: set[str] = field(default_factory=set)
    in_cycle: set[str] = field(default_factory=set)


@dataclass
class GraphData:
    """Everything the visualisations need, for one authority or the whole graph."""

    authorities: dict[str, Authority]
    inspections: dict[str, Inspection]
    findings: dict[str, Finding]
    themes: dict[str, Theme]
    persistence: dict[str, Persistence]
    #: (inspection, theme) -> (status, persistence IRI or None)
    observations: dict[tuple[str, str], tuple[str, str | None]]

    def inspections_of(self, authority: str) -> list[Inspection]:
        """The authority's inspections and visits in date order."""
        return sorted((i for i in self.inspections.values() if i.authority == authority), key=lambda i: i.sort_key)

    def persistence_of(self, authority: str) -> list[Persistence]:
        """Persistent weaknesses of the authority: most cycles first, stated ones before others."""
        rows = [p for p in self.persistence.values() if p.authority == authority]
        return sorted(rows, key=lambda p: (-p.cycles, not p.stated, -p.longest_chain, self.theme_label(p.theme)))

    def theme_label(self, theme: str) -> str:
        t = self.themes.get(theme)
        return t.label if t else theme.rsplit("/", 1)[-1]

    def weaknesses_by_edge(self) -> dict[tuple[str, str], list[Finding]]:
        """(inspection, theme) -> its weakness findings, in text order."""
        out: dict[tuple[str, str], list[Finding]] = defaultdict(list)
        for f in self.findings.values():
            for t in f.themes:
                out[(f.inspection, t)].append(f)
        for v in out.values():
            v.sort(key=lambda f: (f.text, f.iri))
        return dict(out)


def framework_short(key: str) -> str:
    return _SHORT.get(key, key)


def _value(row: Mapping[str, object], key: str) -> str | None:
    v = row.get(key)
    return None if v is None else str(v)


def _int(row: Mapping[str, object], key: str) -> int | None:
    v = row.get(key)
    try:
        return None if v is None else int(v)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def _select(backend: Backend, query: str, bindings: Mapping[str, str]) -> list[dict[str, object]]:
    results: Results = backend.select(query, bindings or None)
    return results.values()


def load(backend: Backend, authority: str | None = None) -> GraphData:
    """Read the graph (or one authority's part of it, given its IRI) into :class:`GraphData`."""
    bind = {"authorityIri": authority} if authority else {}

    authorities = _authorities(backend, bind)
    inspections: dict[str, Inspection] = {}
    for r in run_named(backend, "inspections", bind).values():
        iri = str(r["inspection"])
        sources = tuple(s for s in (_value(r, "source") or "").split(" | ") if s)
        inspections[iri] = Inspection(
            iri=iri, authority=str(r["authorityIri"]), framework=str(r["framework"]),
            start=_value(r, "startDate"), year=_int(r, "year"), published=_value(r, "published"),
            end=_value(r, "endDate"), precision=_value(r, "datePrecision"),
            referenced=bool(r.get("referenced")), sources=sources,
        )
    for r in _select(backend, Q_JUDGEMENTS, bind):
        insp = inspections.get(str(r["inspection"]))
        if insp is None:
            continue
        area = str(r["area"])
        insp.judgements.setdefault(area, Judgement(
            area=area, area_label=_value(r, "areaLabel") or area, grade=str(r["grade"]),
            grade_label=_value(r, "gradeLabel") or str(r["grade"]), rank=_int(r, "rank"),
            printed=_value(r, "printed"),
        ))

    findings: dict[str, Finding] = {}
    for r in _select(backend, Q_WEAKNESSES, bind):
        iri = str(r["finding"])
        if str(r["inspection"]) not in inspections:
            continue
        f = findings.get(iri)
        if f is None:
            f = findings[iri] = Finding(iri, str(r["inspection"]), str(r["kind"]), str(r["text"]))
        f.themes.add(str(r["theme"]))
    sources = {str(r["report"]): str(r["source"]) for r in _select(backend, Q_REPORTS, {})}
    best: dict[str, Evidence] = {}
    for r in _select(backend, Q_EVIDENCE, bind):
        f_iri, ev_iri = str(r["finding"]), str(r["evidence"])
        if f_iri not in findings or (f_iri in best and best[f_iri].iri <= ev_iri):
            continue
        best[f_iri] = Evidence(ev_iri, _value(r, "paragraph"), _value(r, "page"), _value(r, "section"),
                               _value(r, "report"), sources.get(str(r.get("report"))), _value(r, "quote"))
    for f_iri, ev in best.items():
        findings[f_iri].evidence = ev

    themes = {str(r["theme"]): Theme(str(r["theme"]), str(r["notation"]), str(r["label"]), _value(r, "broader"))
              for r in _select(backend, Q_THEMES, {})}

    persistence: dict[str, Persistence] = {}
    for r in run_named(backend, "persistent-weaknesses", bind).values():
        iri = str(r["persistence"])
        persistence[iri] = Persistence(
            iri=iri, authority=str(r["authorityIri"]), theme=str(THEME[str(r["theme"])]),
            cycles=_int(r, "cycles") or 0, visits=_int(r, "visits") or 0, first_year=_int(r, "firstYear"),
            last_year=_int(r, "lastYear"), status=_value(r, "status") or "", stated=bool(r.get("stated")),
            longest_chain=_int(r, "longestChain") or 0,
        )
    for r in _select(backend, Q_LINKS, bind):
        pw = persistence.get(str(r["persistence"]))
        if pw is not None:
            pw.links.append((str(r["from"]), str(r["to"])))
    for r in _select(backend, Q_PERSISTENCE_FINDINGS, bind):
        pw = persistence.get(str(r["persistence"]))
        if pw is None:
            continue
        role, target = str(r["role"]), str(r["target"])
        if role == "evidence":
            pw.evidence.append(target)
        elif role == "stated":
            pw.stated_by.add(target)
        else:
            pw.in_cycle.add(target)
    order = {iri: i.sort_key for iri, i in inspections.items()}
    for pw in persistence.values():
        pw.links.sort(key=lambda link: (order.get(link[0], ("", link[0])), order.get(link[1], ("", link[1]))))
        pw.evidence.sort(key=lambda f: (order.get(findings[f].inspection, ("", "")) if f in findings else ("", ""), f))

    observations: dict[tuple[str, str], tuple[str, str | None]] = {}
    for r in _select(backend, Q_OBSERVATIONS, bind):
        observations[(str(r["inspection"]), str(r["theme"]))] = (str(r["status"]), _value(r, "persistence"))

    return GraphData(authorities, inspections, findings, themes, persistence, observations)


def _authorities(backend: Backend, bind: Mapping[str, str]) -> dict[str, Authority]:
    acc: dict[str, dict[str, object]] = {}
    for r in _select(backend, Q_AUTHORITIES, bind):
        iri = str(r["authorityIri"])
        a = acc.setdefault(iri, {"label": str(r["label"]), "gss": set(), "la": None, "same": set()})
        if r.get("gss"):
            a["gss"].add(str(r["gss"]))  # type: ignore[union-attr]
        if r.get("laNumber"):
            a["la"] = str(r["laNumber"])
        if r.get("sameAs"):
            a["same"].add(str(r["sameAs"]))  # type: ignore[union-attr]
    out = {}
    for iri, a in acc.items():
        current = iri.rsplit("/", 1)[-1]
        gss = sorted(a["gss"], key=lambda g: (g != current, g))  # type: ignore[arg-type]
        out[iri] = Authority(iri, str(a["label"]), tuple(gss), a["la"], tuple(sorted(a["same"])))  # type: ignore[arg-type]
    return out


def resolve_authority(graph_dir: Path | None, name: str) -> str:
    """The IRI of the authority ``name`` (a name, a GSS code, an LA number or the authority's IRI).

    Names are resolved with the project's strict register (plus any ``authorities*.csv`` in the graph
    directory, as the CLI does); raises :class:`QueryError` for an unknown authority.
    """
    from ..ingest.authorities import AuthorityRegister

    text = name.strip()
    prefix = str(ID["authority/"])
    if text.startswith(prefix) and "/" not in text[len(prefix):]:
        return text
    extra = sorted(Path(graph_dir).glob("authorities*.csv")) if graph_dir else []
    register = AuthorityRegister.load(extra=extra)
    found = register.by_code(text) or register.resolve(text)
    if found is None:
        raise QueryError(f"unknown authority {name!r}: give a name such as 'Hertfordshire', a GSS code such as "
                         "E10000015, or an LA number such as 919")
    return prefix + found.gss
