"""Authority report: one self-contained HTML page per authority.

Judgement history across frameworks on one normalised scale (the grades' ``ofsted:rank``), the
persistent weaknesses with a quote from each cycle and where it is (file and paragraph), the
persistence timeline, and the authority's identifiers. Charts are inlined as data URIs; every text
from the graph is escaped by the template.
"""

from __future__ import annotations

import argparse
import io
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import QueryError
from ..namespaces import ID
from ..store import Backend, OxigraphBackend
from . import assets
from .data import Finding, GraphData, Inspection, framework_short, load, resolve_authority
from .explorer import GRADE_COLOURS, RANK_LABELS
from .timeline import render_timeline, timeline_data

__all__ = ["ReportLinks", "add_parser", "judgement_chart", "report_context", "report_html", "write_report"]

_AREA_MARKERS = "s^vD<>pPX*h"
#: quotes shown per cycle of a persistent weakness; the others are listed under "more"
QUOTES_SHOWN = 4


@dataclass(frozen=True)
class ReportLinks:
    """Links of a served report (server paths); the standalone file has none."""

    entity_base: str | None = None  # "/id/"
    explorer: str | None = None  # "/explorer?authority=E06000019"
    timeline: str | None = None  # "/timeline/E06000019" (+ ".png" / ".svg")

    def entity(self, iri: str | None) -> str | None:
        base = str(ID)
        if not iri or self.entity_base is None or not iri.startswith(base):
            return None
        return self.entity_base + iri[len(base):]


def _year_fraction(insp: Inspection) -> float | None:
    text = insp.start or insp.published
    if text:
        try:
            d = date.fromisoformat(text[:10])
            return d.year + (d.timetuple().tm_yday - 1) / 366
        except ValueError:
            pass
    return float(insp.year) if insp.year else None


def _shorten(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def judgement_chart(data: GraphData, authority: str, fmt: str = "svg") -> bytes | None:
    """Every graded judgement of the authority on the normalised scale (rank 1-4) by date; None if none."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    inspections = [i for i in data.inspections_of(authority) if i.judgements and _year_fraction(i) is not None]
    ranked = [(i, j) for i in inspections for j in i.judgements.values() if j.rank is not None]
    if not ranked:
        return None
    areas = sorted({j.area for _, j in ranked if j.area != "overall-effectiveness"})
    area_labels = {j.area: _shorten(j.area_label, 44) for _, j in ranked}
    rows = (min(len(areas), 10) + 1 + 2) // 3  # legend rows, three columns
    height = 3.2 + 0.2 * rows
    fig = Figure(figsize=(9.5, height), dpi=100)
    FigureCanvasAgg(fig)
    bottom = (0.45 + 0.2 * rows) / height
    ax = fig.add_axes((0.25, bottom, 0.73, 1 - bottom - 0.38 / height))
    xs = [x for x in (_year_fraction(i) for i in inspections) if x is not None]
    span = max(xs) - min(xs) if len(xs) > 1 else 1.0
    # every area: small grey markers, spread a little around the inspection's date
    for i in inspections:
        x = _year_fraction(i)
        others = [j for j in i.judgements.values() if j.rank is not None and j.area != "overall-effectiveness"]
        for k, j in enumerate(sorted(others, key=lambda j: j.area)):
            dx = (k - (len(others) - 1) / 2) * 0.004 * max(span, 4)
            ax.plot(x + dx, j.rank, marker=_AREA_MARKERS[areas.index(j.area) % len(_AREA_MARKERS)], ms=5,
                    color="#8c8c8c", alpha=0.8, linestyle="none")
        top = max([j.rank for j in i.judgements.values() if j.rank is not None], default=None)
        if top is not None:
            ax.annotate(framework_short(i.framework), (x, top), xytext=(0, 11), textcoords="offset points",
                        ha="center", fontsize=7, color="#444444")
    overall = [(x, i.overall) for i in inspections if i.overall and i.overall.rank is not None
               and (x := _year_fraction(i)) is not None]
    if overall:
        ax.plot([x for x, _ in overall], [j.rank for _, j in overall], color="#333333", lw=1.5, zorder=2)
        ax.scatter([x for x, _ in overall], [j.rank for _, j in overall], s=140, zorder=3, edgecolors="#222222",
                   c=[GRADE_COLOURS.get(j.rank, GRADE_COLOURS[None]) for _, j in overall])
    ax.set_ylim(0.5, 4.6)
    ax.set_yticks([1, 2, 3, 4])
    ax.set_yticklabels([RANK_LABELS[r] for r in (1, 2, 3, 4)], fontsize=8)
    lo, hi = min(xs), max(xs)
    ax.set_xlim(lo - 0.6, hi + 0.6)
    ax.set_xticks(range(int(lo), int(hi) + 2))
    ax.tick_params(axis="x", labelsize=8, rotation=0)
    ax.grid(axis="y", color="#e5e5e5")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    a = data.authorities.get(authority)
    ax.set_title(f"{a.label if a else authority}: judgements on one scale across frameworks", fontsize=10, loc="left")
    handles = [Line2D([], [], marker="o", ms=10, color="#333333", markerfacecolor=GRADE_COLOURS[3],
                      label="overall effectiveness")]
    handles += [Line2D([], [], marker=_AREA_MARKERS[k % len(_AREA_MARKERS)], linestyle="none", color="#8c8c8c",
                       label=area_labels[area]) for k, area in enumerate(areas[:10])]
    fig.legend(handles=handles, loc="lower left", ncols=min(len(handles), 3), fontsize=7, frameon=False,
               bbox_to_anchor=(0.01, 0.0))
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, metadata={"Date": None} if fmt == "svg" else {"Software": None})
    return buf.getvalue()


def _quote(f: Finding, links: ReportLinks) -> dict[str, object]:
    ev = f.evidence
    return {
        "text": f.text,
        "quote": ev.quote if ev and ev.quote and ev.quote.strip() != f.text.strip() else None,
        "kind": f.kind,
        "reference": ev.reference if ev else "source unknown",
        "finding_url": links.entity(f.iri),
        "source_url": links.entity(ev.report) if ev else None,
        "iri": f.iri,
    }


def report_context(data: GraphData, authority: str, links: ReportLinks | None = None) -> dict[str, object]:
    """Everything the template shows, as plain values (the template escapes them)."""
    links = links or ReportLinks()
    a = data.authorities.get(authority)
    if a is None:
        raise QueryError(f"{authority} is not an authority of this graph")
    inspections = data.inspections_of(authority)
    history = []
    for i in inspections:
        grades = sorted(i.judgements.values(), key=lambda j: (j.area != "overall-effectiveness", j.area))
        history.append({"label": i.label, "framework": i.framework_label, "date": i.when,
                        "visit": i.visit, "referenced": i.referenced, "sources": [Path(s).name for s in i.sources],
                        "url": links.entity(i.iri),
                        "grades": [{"area": j.area_label, "grade": j.grade_label, "rank": j.rank,
                                    "printed": j.printed or "",
                                    "colour": GRADE_COLOURS.get(j.rank, GRADE_COLOURS[None])}
                                   for j in grades]})
    by_iri = {i.iri: i for i in inspections}
    persistent = []
    for p in data.persistence_of(authority):
        cycles = []
        chain_inspections = sorted({*p.in_cycle, *(data.findings[f].inspection for f in p.evidence
                                                    if f in data.findings)},
                                   key=lambda iri: by_iri[iri].sort_key if iri in by_iri else ("", iri))
        for iri in chain_inspections:
            insp = by_iri.get(iri)
            quotes = [_quote(data.findings[f], links) | {"stated": f in p.stated_by}
                      for f in p.evidence if f in data.findings and data.findings[f].inspection == iri]
            quotes.sort(key=lambda q: not q["stated"])  # where inspectors say it persists first
            cycles.append({"label": insp.label if insp else iri, "framework": insp.framework_label if insp else "",
                           "date": insp.when if insp else "", "visit": bool(insp and insp.visit),
                           "url": links.entity(iri), "quotes": quotes[:QUOTES_SHOWN], "more": quotes[QUOTES_SHOWN:]})
        chain = [by_iri[src].label if src in by_iri else src for src, _ in p.links[:1]]
        chain += [by_iri[dst].label if dst in by_iri else dst for _, dst in p.links]
        persistent.append({"theme": data.theme_label(p.theme), "key": p.theme.rsplit("/", 1)[-1], "cycles": p.cycles,
                           "visits": p.visits, "first": p.first_year, "last": p.last_year, "status": p.status,
                           "stated": p.stated, "longest": p.longest_chain, "chain": chain, "url": links.entity(p.iri),
                           "entries": cycles})
    chart = judgement_chart(data, authority, "svg")
    timeline = render_timeline(timeline_data(data, authority), "svg")
    return {
        "authority": {"label": a.label, "iri": a.iri, "gss": list(a.gss), "la": a.la_number, "same_as": list(a.same_as),
                      "url": links.entity(a.iri)},
        "history": history,
        "persistent": persistent,
        "chart": assets.data_uri(chart, "image/svg+xml") if chart else None,
        "timeline": assets.data_uri(timeline, "image/svg+xml"),
        "links": {"explorer": links.explorer, "timeline": links.timeline},
        "counts": {"inspections": len(inspections), "persistent": len(persistent),
                   "findings": sum(1 for f in data.findings.values() if f.inspection in by_iri)},
        "grades": [[GRADE_COLOURS[r], RANK_LABELS[r]] for r in (4, 3, 2, 1, None)],
    }


def report_html(backend: Backend, authority: str, links: ReportLinks | None = None) -> str:
    """The report page of ``authority`` (IRI)."""
    data = load(backend, authority)
    if not data.inspections:
        raise QueryError(f"no inspections of {authority} in this graph")
    context = report_context(data, authority, links)
    page_nonce = assets.nonce()
    return assets.render("report.html", csp=assets.csp(page_nonce), report_css=assets.asset_text("report.css"),
                         **context)


def write_report(graph_dir: Path, authority: str, out: Path) -> Path:
    """Write the standalone report of ``authority`` (name, GSS code or LA number) to ``out``."""
    backend = OxigraphBackend(Path(graph_dir))
    try:
        html = report_html(backend, resolve_authority(Path(graph_dir), authority))
    finally:
        backend.close()
    out = Path(out)
    out.write_text(html, encoding="utf-8")
    return out


def _cmd_report(args: argparse.Namespace) -> int:
    out = write_report(Path(args.graph), args.authority, Path(args.out))
    print(f"wrote {out} ({out.stat().st_size // 1024} KiB)", file=sys.stderr)
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``ofsted-kg report``."""
    p = subparsers.add_parser("report", help="write an authority's report (one self-contained HTML file)")
    p.add_argument("--graph", default="kg", help="graph directory (default: kg)")
    p.add_argument("--authority", required=True, help="name, GSS code or LA number")
    p.add_argument("--out", required=True, help="HTML file to write")
    p.set_defaults(func=_cmd_report)
