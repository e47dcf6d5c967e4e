"""A synthetic :class:`~ofsted_kg.viz.data.GraphData` of any size, to measure the explorer at scale
(generation time, page size, render time) without a corpus that large. Deterministic for a seed.
"""

from __future__ import annotations

import random
from itertools import pairwise

from ..namespaces import ID, THEME
from .data import Authority, Evidence, Finding, GraphData, Inspection, Judgement, Persistence, Theme

__all__ = ["synthetic_data"]

_CYCLE = ["jar", "slac", "cp2012", "sif", "focused-visit", "ilacs-standard", "monitoring-visit", "ilacs-short"]
_YEARS = [2007, 2010, 2013, 2016, 2018, 2019, 2021, 2023]
_GRADES = [(4, "outstanding", "Outstanding"), (3, "good", "Good"), (2, "requires-improvement", "Requires improvement"),
           (1, "inadequate", "Inadequate")]


def synthetic_data(inspections: int = 1000, *, per_authority: int = 7, themes: int = 30, seed: int = 0) -> GraphData:
    """About ``inspections`` inspections over ``inspections // per_authority`` authorities, each with weakness
    findings on a random subset of ``themes`` themes and persistence wherever a theme is weak twice running."""
    rng = random.Random(seed)
    theme_nodes = {str(THEME[f"synthetic-{k:02d}"]): Theme(str(THEME[f"synthetic-{k:02d}"]), f"synthetic-{k:02d}",
                                                           f"Synthetic theme {k:02d}") for k in range(themes)}
    theme_iris = sorted(theme_nodes)
    authorities: dict[str, Authority] = {}
    insp: dict[str, Inspection] = {}
    findings: dict[str, Finding] = {}
    persistence: dict[str, Persistence] = {}
    observations: dict[tuple[str, str], tuple[str, str | None]] = {}
    n_auth = max(1, inspections // per_authority)
    for a in range(n_auth):
        gss = f"E9{a:07d}"
        a_iri = str(ID[f"authority/{gss}"])
        authorities[a_iri] = Authority(a_iri, f"Authority {a:03d}", (gss,), f"{900 + a % 100}",
                                       (f"http://statistics.data.gov.uk/id/statistical-geography/{gss}",))
        weak_by_inspection: list[tuple[str, set[str]]] = []
        by_pair: dict[tuple[str, str], list[str]] = {}
        for k in range(per_authority):
            fw = _CYCLE[k % len(_CYCLE)]
            year = _YEARS[k % len(_YEARS)]
            start = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            i_iri = str(ID[f"inspection/{gss}/{fw}/{start}"])
            rank, key, label = rng.choice(_GRADES)
            judgements = {} if fw.endswith("visit") else {
                "overall-effectiveness": Judgement("overall-effectiveness", "Overall effectiveness", key, label, rank,
                                                   label)}
            insp[i_iri] = Inspection(i_iri, a_iri, fw, start, year, sources=(f"synthetic/{gss}-{k}.pdf",),
                                     judgements=judgements)
            weak = set(rng.sample(theme_iris, rng.randint(6, min(18, len(theme_iris)))))
            weak_by_inspection.append((i_iri, weak))
            for t in theme_iris:
                observations[(i_iri, t)] = ("weakness" if t in weak else rng.choice(["strength", "absent"]), None)
            for t in sorted(weak):
                for n in range(rng.randint(1, 4)):
                    f_iri = f"{i_iri}/finding/{t.rsplit('/', 1)[-1]}-{n}"
                    text = f"Synthetic weakness {n} on {theme_nodes[t].label} found in {fw} {year}."
                    findings[f_iri] = Finding(f_iri, i_iri, "weakness", text, {t}, Evidence(
                        f"{i_iri}/evidence/{n}", paragraph=str(rng.randint(1, 120)), source=f"synthetic/{gss}-{k}.pdf"))
                    by_pair.setdefault((i_iri, t), []).append(f_iri)
        for t in theme_iris:
            links = [(x, y) for (x, wx), (y, wy) in pairwise(weak_by_inspection) if t in wx and t in wy]
            if not links:
                continue
            p_iri = str(ID[f"persistence/{gss}/{t.rsplit('/', 1)[-1]}"])
            cycles = [i for i, w in weak_by_inspection if t in w]
            years = [insp[i].year or 0 for i in cycles]
            persistence[p_iri] = Persistence(
                p_iri, a_iri, t, len(cycles), 0, min(years), max(years), "open", False, len(links) + 1, links,
                [f for i in cycles for f in by_pair.get((i, t), [])],
                set(), set(cycles))
            for i in cycles:
                observations[(i, t)] = ("weakness", p_iri)
    return GraphData(authorities, insp, findings, theme_nodes, persistence, observations)
