"""Persistence of weakness themes across inspection cycles.

A theme *persists* for an authority when weaknesses on it (weakness findings and
recommendations) are found in two or more distinct inspection cycles, or when inspectors say it
persists ("still require attention", "mirror those identified in 2014", "long-standing", ...).

Observations are the authority's inspections and visits in date order. Full inspections close in
time (a SIF and its LSCB review) form one *cycle*; focused and monitoring visits are observations
between cycles: they appear in trajectories and can carry a chain from one cycle to the next, but
do not count as cycles themselves. Chains (consecutive observations sharing a weakness on the
theme) are a networkx DAG per authority and theme; the longest path is the longest chain.

The stages are pure: :func:`collect` turns ingested documents into occasions and themed findings,
:func:`analyse` computes persistence, :func:`persistence_quads` writes it as RDF.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from pyoxigraph import Literal, NamedNode, Quad

from .model import Document
from .namespaces import ID, OFSTED, RDF, THEME, XSD
from .registries import FRAMEWORKS

__all__ = [
    "PERSISTENCE_GRAPH",
    "Observation",
    "Occasion",
    "Persistence",
    "PersistenceResult",
    "ThemedFinding",
    "analyse",
    "collect",
    "persistence_quads",
    "rank_themes",
    "states_persistence",
]

PERSISTENCE_GRAPH = NamedNode(str(ID["graph/persistence"]))
#: full inspections whose start dates lie within this many days form one cycle (SIF + LSCB review)
CYCLE_WINDOW_DAYS = 120
#: a cycle shows a theme as a weakness when the report dwells on it: this many weakness findings on it
#: (or a recommendation, or a stated persistence), or any weakness on it in a report this short
SALIENT_FINDINGS = 2
SHORT_REPORT_WEAKNESSES = 20

# Inspectors saying a weakness persists. Only read on weakness findings and recommendations.
_QUALITY = (r"(?:(?:too|very|still|not|particularly|relatively|significantly)\s+)?(?:weak|poor|variable|inconsistent|"
            r"underdeveloped|under-developed|limited|insufficient|ineffective|inadequate|unclear|fragile|"
            r"high|low|slow|late|below|behind|patchy|unresolved|outstanding|a\s+(?:concern|challenge|weakness|"
            r"priority|problem|gap|barrier|risk)|an?\s+(?:area|issue|significant|key|ongoing|continuing)|areas|"
            r"in\s+need\s+of|to\s+be\s+(?:addressed|improved|resolved|developed))")
# Inspectors saying a weakness persists. Only read on weakness findings and recommendations.
# "remain" and "continue" count only with a weakness predicate ("remains variable", "continues to be
# a challenge"), never for where a child lives ("remain in care") or a statistic's name
# ("persistent absence").
_STATED = re.compile(
    r"\b(?:still\s+(?:requires?|needs?|to\s+be|not|lacks?|too|has\s+not|have\s+not|is\s+not|are\s+not)"
    r"|mirror(?:s|ed|ing)?\s+(?:(?:many|some|most)\s+of\s+)?(?:those|the|that)"
    r"|(?:identified|found|raised|highlighted|reported)\b[^.;]{0,60}?\b(?:last|previous|prior|earlier)\s+"
    r"(?:inspection|visit|review)"
    r"|(?:identified|found|raised|highlighted|reported)\b[^.;]{0,40}?\b(?:in|at|during)\s+(?:the\s+)?(?:\w+\s+){0,3}"
    r"(?:19|20)\d\d\b"
    r"|continues?\s+to\s+(?:be\s+" + _QUALITY + r"|lack|require|need|fall|experience|wait|struggle|impact)"
    r"|long[- ]standing|(?:weakness(?:es)?|concerns?|shortfalls?|deficits?|issues?|problems?)\s+(?:persists?|remains?)"
    r"|persistent(?:ly)?\s+(?:weak|poor|low|high|weakness|concern|shortfall|deficit|problem|issue|failure)"
    r"|remain(?:s|ed|ing)?\s+" + _QUALITY +
    r"|(?:previously|already)\s+(?:been\s+)?(?:identified|highlighted|raised|reported)"
    r"|(?:have|has)\s+not\s+(?:yet\s+)?(?:been\s+)?(?:fully\s+)?(?:addressed|resolved|improved|tackled)"
    r"|recurr(?:ing|ent)|carried\s+(?:forward|over))",
    re.I,
)


def states_persistence(text: str) -> str | None:
    """The words by which a weakness sentence says the weakness persists, if any."""
    m = _STATED.search(text)
    return m.group(0) if m else None


@dataclass(frozen=True)
class Occasion:
    """An inspection or visit of an authority."""

    iri: str
    authority: str  # GSS code
    day: date | None
    framework: str
    visit: bool
    referenced: bool = False

    @property
    def year(self) -> int | None:
        return self.day.year if self.day else None


@dataclass(frozen=True)
class ThemedFinding:
    """One finding on one theme."""

    finding: str  # IRI
    inspection: str  # IRI
    theme: str  # theme concept ID
    status: str  # weakness | strength
    stated: str | None = None  # persistence cue, for weaknesses that say they persist
    recommendation: bool = False  # a recommendation / area for improvement (always a salient weakness)


@dataclass(frozen=True)
class Persistence:
    authority: str
    theme: str
    findings: tuple[str, ...]
    inspections: tuple[str, ...]
    cycles: int
    visits: int
    first_year: int | None
    last_year: int | None
    status: str  # open | resolved
    stated_by: tuple[str, ...]
    longest_chain: int
    links: tuple[tuple[str, str], ...]

    @property
    def stated(self) -> bool:
        return bool(self.stated_by)

    @property
    def iri(self) -> str:
        return str(ID[f"persistence/{self.authority}/{self.theme}"])


@dataclass(frozen=True)
class Observation:
    """What one inspection or visit says about one theme: weakness, strength or absent."""

    inspection: str
    authority: str
    theme: str
    status: str
    year: int | None
    visit: bool
    persistence: str | None  # IRI of the persistence node when the theme persists
    salient: bool = False  # a weakness the report dwells on (counts towards persistence)


@dataclass(frozen=True)
class PersistenceResult:
    persistent: tuple[Persistence, ...]
    observations: tuple[Observation, ...]


# --- collect --------------------------------------------------------------------------------------


def collect(docs: Iterable[Document], resolution) -> tuple[dict[str, Occasion], list[ThemedFinding]]:  # type: ignore[no-untyped-def]
    """Occasions (by inspection IRI) and themed findings of ingested documents, after the corpus
    has been resolved (``ingest.resolve.Resolution``)."""
    from .ingest.triples import finding_iri

    docs = list(docs)
    occasions: dict[str, Occasion] = {}
    for doc in docs:
        for rec in doc.inspections:
            iri = resolution.iris.get((doc.sha256, rec.local_id))
            if iri is None or not resolution.owns(doc.sha256, rec.local_id) or not rec.authority:
                continue
            fw = FRAMEWORKS.get(rec.framework or "")
            if fw is None:
                continue
            occasions[iri] = Occasion(iri, rec.authority, rec.start or rec.published, fw.key, fw.visit,
                                      iri not in resolution.first_hand)
    themed: dict[tuple[str, str], ThemedFinding] = {}
    for doc in docs:
        for f in doc.findings:
            iri = resolution.iris.get((doc.sha256, f.inspection))
            if iri is None or iri not in occasions or not f.themes:
                continue
            weak = f.kind in ("weakness", "recommendation")
            if not weak and f.kind != "strength":
                continue
            node = finding_iri(iri, f)
            stated = states_persistence(f.text) if weak else None
            for theme_id, _cue, _conf in f.themes:
                themed[(node, theme_id)] = ThemedFinding(node, iri, theme_id, "weakness" if weak else "strength",
                                                         stated, f.kind == "recommendation")
    return occasions, [themed[k] for k in sorted(themed)]


# --- analyse --------------------------------------------------------------------------------------


def _cycles(occasions: Sequence[Occasion]) -> list[list[Occasion]]:
    """An authority's observation steps in date order: a cycle (full inspections close in time)
    or a single visit."""
    steps: list[list[Occasion]] = []
    for occ in sorted(occasions, key=lambda o: (o.day or date.min, o.iri)):
        last = steps[-1] if steps else None
        if (not occ.visit and last and not last[0].visit and occ.day and last[0].day
                and (occ.day - last[0].day).days <= CYCLE_WINDOW_DAYS):
            last.append(occ)
        else:
            steps.append([occ])
    return steps


def analyse(occasions: dict[str, Occasion], findings: Iterable[ThemedFinding]) -> PersistenceResult:
    """Persistent weaknesses and per-occasion theme observations, for every authority."""
    import networkx as nx

    by_occasion_theme: dict[tuple[str, str], list[ThemedFinding]] = defaultdict(list)
    themes_of: dict[str, set[str]] = defaultdict(set)
    for tf in findings:
        occ = occasions.get(tf.inspection)
        if occ is None:
            continue
        by_occasion_theme[(tf.inspection, tf.theme)].append(tf)
        themes_of[occ.authority].add(tf.theme)
    per_authority: dict[str, list[Occasion]] = defaultdict(list)
    for occ in occasions.values():
        per_authority[occ.authority].append(occ)

    weak_total: dict[str, set[str]] = defaultdict(set)
    for (occ_iri, _theme), tfs in by_occasion_theme.items():
        weak_total[occ_iri] |= {t.finding for t in tfs if t.status == "weakness"}

    def status(occ: Occasion, theme: str) -> str:
        tfs = by_occasion_theme.get((occ.iri, theme), [])
        if any(t.status == "weakness" for t in tfs):
            return "weakness"
        return "strength" if tfs else "absent"

    def salient(occ: Occasion, theme: str) -> bool:
        """A weakness the report dwells on: a recommendation or stated persistence on the theme, two
        or more weakness findings on it, or any in a short report (visit letter, committee paper)."""
        weak = [t for t in by_occasion_theme.get((occ.iri, theme), []) if t.status == "weakness"]
        if any(t.recommendation or t.stated for t in weak) or len(weak) >= SALIENT_FINDINGS:
            return True
        return bool(weak) and len(weak_total[occ.iri]) <= SHORT_REPORT_WEAKNESSES

    def cycle_status(occ: Occasion, theme: str) -> str:
        s = status(occ, theme)
        return "weakness" if s == "weakness" and salient(occ, theme) else "passing" if s == "weakness" else s

    persistent: list[Persistence] = []
    observations: list[Observation] = []
    for authority in sorted(per_authority):
        steps = _cycles(per_authority[authority])
        for theme in sorted(themes_of.get(authority, ())):
            step_status = []
            for step in steps:
                sts = [cycle_status(o, theme) for o in step]
                step_status.append("weakness" if "weakness" in sts else "strength" if "strength" in sts
                                   else "passing" if "passing" in sts else "absent")
            # a cycle that mentions the weakness only in passing still counts when the cycle before or
            # after it (among full cycles) dwells on it: the weakness carries on between them
            full = [i for i, step in enumerate(steps) if not step[0].visit]
            changed = True
            while changed:
                changed = False
                for n, i in enumerate(full):
                    if step_status[i] == "passing":
                        neighbours = [full[m] for m in (n - 1, n + 1) if 0 <= m < len(full)]
                        if any(step_status[j] in ("weakness", "carried") for j in neighbours):
                            step_status[i] = "carried"
                            changed = True
            step_status = ["weakness" if st == "carried" else st for st in step_status]
            weak_steps = [i for i, s in enumerate(step_status) if s == "weakness"]
            cycles = sum(1 for i in weak_steps if not steps[i][0].visit)
            visits = sum(1 for i in weak_steps if steps[i][0].visit)
            weak_findings = sorted({tf.finding for o in per_authority[authority]
                                    for tf in by_occasion_theme.get((o.iri, theme), []) if tf.status == "weakness"})
            stated_by = tuple(sorted({tf.finding for o in per_authority[authority]
                                      for tf in by_occasion_theme.get((o.iri, theme), []) if tf.stated}))
            pw: Persistence | None = None
            if cycles >= 2 or stated_by:
                rep = {i: _representative(steps[i], theme, status) for i in weak_steps}
                chain = nx.DiGraph()
                chain.add_nodes_from(weak_steps)
                for a, b in pairwise(weak_steps):
                    between = range(a + 1, b)
                    # only visits, or cycles that mention it in passing, lie between: the chain goes on
                    if all(steps[k][0].visit or step_status[k] == "passing" for k in between):
                        chain.add_edge(a, b)
                longest = len(nx.dag_longest_path(chain)) if weak_steps else 0
                links = tuple((rep[a], rep[b]) for a, b in sorted(chain.edges))
                spoken = [i for i, s in enumerate(step_status) if s in ("weakness", "passing", "strength")]
                latest = step_status[spoken[-1]] if spoken else "weakness"
                years = [o.year for i in weak_steps for o in steps[i] if status(o, theme) == "weakness" and o.year]
                inspections = tuple(sorted(o.iri for i in weak_steps for o in steps[i]
                                           if status(o, theme) == "weakness"))
                pw = Persistence(authority, theme, tuple(weak_findings), inspections, cycles, visits,
                                 min(years) if years else None, max(years) if years else None,
                                 "resolved" if latest == "strength" else "open", stated_by, longest, links)
                persistent.append(pw)
            for step in steps:
                for occ in step:
                    observations.append(Observation(occ.iri, authority, theme, status(occ, theme), occ.year,
                                                    occ.visit, pw.iri if pw else None,
                                                    status(occ, theme) == "weakness" and salient(occ, theme)))
    return PersistenceResult(tuple(persistent), tuple(observations))


def _representative(step: list[Occasion], theme: str, status) -> str:  # type: ignore[no-untyped-def]
    return next(o.iri for o in step if status(o, theme) == "weakness")


def rank_themes(result: PersistenceResult) -> list[tuple[str, int, int]]:
    """Themes ranked across authorities: (theme, authorities where it persists, cycles summed),
    from the weighted degree of each theme in the authority-theme graph."""
    import networkx as nx

    g = nx.Graph()
    for pw in result.persistent:
        g.add_edge(("authority", pw.authority), ("theme", pw.theme), weight=max(pw.cycles, 1))
    themes = [n for n in g if n[0] == "theme"]
    ranked = [(n[1], g.degree(n), int(g.degree(n, weight="weight"))) for n in themes]
    return sorted(ranked, key=lambda r: (-r[1], -r[2], r[0]))


# --- triples --------------------------------------------------------------------------------------

_T = NamedNode
_TYPE = _T(str(RDF.type))
_INT = _T(str(XSD.integer))
_BOOL = _T(str(XSD.boolean))


def _int(v: int) -> Literal:
    return Literal(str(v), datatype=_INT)


def _bool(v: bool) -> Literal:
    return Literal("true" if v else "false", datatype=_BOOL)


def persistence_quads(result: PersistenceResult) -> list[Quad]:
    """The persistence nodes and theme observations, in the named graph ``id/graph/persistence``."""
    g = PERSISTENCE_GRAPH
    out: list[Quad] = []

    def add(s: NamedNode, p: str, o: NamedNode | Literal) -> None:
        out.append(Quad(s, _T(str(p)), o, g))

    for pw in result.persistent:
        node = _T(pw.iri)
        add(node, RDF.type, _T(str(OFSTED.PersistentWeakness)))
        add(node, OFSTED.authority, _T(str(ID[f"authority/{pw.authority}"])))
        add(node, OFSTED.theme, _T(str(THEME[pw.theme])))
        for f in pw.findings:
            add(node, OFSTED.evidencedBy, _T(f))
        for i in pw.inspections:
            add(node, OFSTED.inCycle, _T(i))
        for f in pw.stated_by:
            add(node, OFSTED.statedBy, _T(f))
        add(node, OFSTED.cycles, _int(pw.cycles))
        add(node, OFSTED.visits, _int(pw.visits))
        if pw.first_year is not None:
            add(node, OFSTED.firstYear, _int(pw.first_year))
        if pw.last_year is not None:
            add(node, OFSTED.lastYear, _int(pw.last_year))
        add(node, OFSTED.status, Literal(pw.status))
        add(node, OFSTED.stated, _bool(pw.stated))
        add(node, OFSTED.longestChain, _int(pw.longest_chain))
        for n, (a, b) in enumerate(pw.links, 1):
            link = _T(f"{pw.iri}/link/{n}")
            add(node, OFSTED.hasLink, link)
            add(link, RDF.type, _T(str(OFSTED.PersistenceLink)))
            add(link, OFSTED.fromInspection, _T(a))
            add(link, OFSTED.toInspection, _T(b))
    for ob in result.observations:
        node = _T(f"{ob.inspection}/theme/{ob.theme}")
        add(node, RDF.type, _T(str(OFSTED.ThemeObservation)))
        add(node, OFSTED.inspection, _T(ob.inspection))
        add(node, OFSTED.authority, _T(str(ID[f"authority/{ob.authority}"])))
        add(node, OFSTED.theme, _T(str(THEME[ob.theme])))
        add(node, OFSTED.status, Literal(ob.status))
        if ob.year is not None:
            add(node, OFSTED.year, _int(ob.year))
        add(node, OFSTED.isVisit, _bool(ob.visit))
        add(node, OFSTED.salient, _bool(ob.salient))
        if ob.persistence:
            add(node, OFSTED.observationOf, _T(ob.persistence))
    return out
