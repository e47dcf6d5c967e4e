"""Graph explorer: authorities, inspections, themes and persistent weaknesses as an offline vis-network page.

Nodes and edges are built with pyvis; the page is our own template (``explorer.html``) with
vis-network's script and stylesheet inlined from the pyvis package, so it opens without a network.
Positions are precomputed (one lane per authority, inspections placed by date, themes in a column;
physics off), which keeps a graph of a thousand inspections responsive. Report text only ever
reaches the page as JSON data that the script turns into DOM text nodes: tooltips are DOM elements,
never HTML strings.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import QueryError
from ..namespaces import ID, THEME
from ..store import Backend, OxigraphBackend
from . import assets
from .data import Finding, GraphData, Inspection, framework_short, load, resolve_authority

__all__ = [
    "CHAIN_COLOUR",
    "GRADE_COLOURS",
    "RANK_LABELS",
    "ExplorerLinks",
    "add_parser",
    "explorer_html",
    "explorer_payload",
    "render_explorer",
    "theme_iri",
    "write_explorer",
]

#: overall-effectiveness rank (4 best) -> node colour; None for no overall grade
GRADE_COLOURS: dict[int | None, str] = {4: "#1a9850", 3: "#91cf60", 2: "#fdae61", 1: "#d73027", None: "#bdbdbd"}
RANK_LABELS: dict[int | None, str] = {4: "Outstanding", 3: "Good", 2: "Requires improvement / adequate",
                                      1: "Inadequate", None: "No overall grade"}
CHAIN_COLOUR = "#6a3d9a"
WEAKNESS_COLOUR = "rgba(215,48,39,0.40)"
AUTHORITY_COLOUR = "#34495e"
THEME_COLOUR = "#2c7fb8"

YEAR_WIDTH = 130  # px per year
LANE_HEIGHT = 110
THEME_GAP = 420  # from the last inspection to the theme column
AUTHORITY_X = -260  # the authority's box, left of its lane
#: up to this many authorities in view, one column of lanes with every weakness edge; more are arranged in
#: columns and their weakness edges appear when a theme is chosen (or the "all weakness edges" box is ticked)
SINGLE_COLUMN_MAX = 12
MAX_TEXT = 600  # characters of a finding kept in the page (the report and entity pages have it all)


@dataclass(frozen=True)
class ExplorerLinks:
    """Where the page links to: the server's entity pages and reports, or nowhere (a standalone file)."""

    entity_base: str | None = None  # e.g. "/id/" for IRIs under https://w3id.org/ofsted-kg/id/
    report_base: str | None = None  # e.g. "/report/" + GSS code


def theme_iri(theme: str) -> str:
    """A theme's IRI from its ID ("quality-assurance") or IRI."""
    return theme if theme.startswith(str(THEME)) else str(THEME[theme.strip()])


def _date_x(insp: Inspection, x0: float) -> float:
    """x position from the inspection's date (year fraction)."""
    text = insp.start or insp.published
    if text:
        try:
            d = date.fromisoformat(text[:10])
            frac = d.year + (d.timetuple().tm_yday - 1) / 366
        except ValueError:
            frac = float(text[:4]) if text[:4].isdigit() else float(insp.year or x0)
    else:
        frac = float(insp.year or x0)
    return (frac - x0) * YEAR_WIDTH


def _width(count: int) -> float:
    return round(min(1.0 + 1.4 * math.sqrt(count), 10.0), 2)


def _finding_row(f: Finding, node: int, links: ExplorerLinks) -> dict[str, object]:
    """One finding as the page keeps it: text, kind, reference, inspection node index (and IRIs when served)."""
    text = f.text if len(f.text) <= MAX_TEXT else f.text[: MAX_TEXT - 1] + "\u2026"
    row: dict[str, object] = {"t": text, "k": f.kind, "n": node}
    ev = f.evidence
    row["r"] = ev.reference if ev else "source unknown"
    if links.entity_base is not None:
        row["i"] = f.iri
        if ev and ev.report:
            row["s"] = ev.report
    if ev and ev.quote and ev.quote.strip() != f.text.strip():
        row["q"] = ev.quote if len(ev.quote) <= MAX_TEXT else ev.quote[: MAX_TEXT - 1] + "\u2026"
    return row


def explorer_payload(data: GraphData, *, links: ExplorerLinks | None = None,
                     theme: str | None = None, title: str = "ofsted-kg explorer") -> dict[str, object]:
    """Nodes, edges, findings and filter choices for the page (plain JSON-able data).

    Positions: each authority is a lane; an inspection's ``dx`` is its date (``YEAR_WIDTH`` px a year) and
    ``dy`` its offset in the lane (inspections close in time are stacked). ``x``/``y`` give the lanes in one
    column; the page arranges the visible lanes in columns to fit the window. ``theme`` (an ID or IRI) only
    preselects the theme filter; the data is not reduced.
    """
    from pyvis.network import Network

    links = links or ExplorerLinks()
    net = Network(directed=True, cdn_resources="in_line")
    inspected = sorted({i.authority for i in data.inspections.values()},
                       key=lambda a: (data.authorities[a].label if a in data.authorities else a))
    years = [i.year for i in data.inspections.values() if i.year]
    x0 = float(min(years)) if years else 2005.0
    x_max = 0.0
    findings: list[dict[str, object]] = []
    index: dict[str, int] = {}
    node_index: dict[str, int] = {}
    edge_count = 0

    def add_node(iri: str, **options: object) -> None:
        node_index[iri] = len(node_index)
        net.add_node(iri, **options)

    def add_edge(src: str, dst: str, **options: object) -> None:
        nonlocal edge_count
        net.add_edge(src, dst, id=f"e{edge_count}", **options)
        edge_count += 1

    def finding_index(f: Finding) -> int:
        if f.iri not in index:
            index[f.iri] = len(findings)
            findings.append(_finding_row(f, node_index[f.inspection], links))
        return index[f.iri]

    # Authorities and their inspections: one lane each, inspections by date, close ones stacked.
    for lane, a_iri in enumerate(inspected):
        y = lane * LANE_HEIGHT
        a = data.authorities.get(a_iri)
        label = a.label if a else a_iri.rsplit("/", 1)[-1]
        add_node(a_iri, label=label, shape="box", color=AUTHORITY_COLOUR, x=AUTHORITY_X, y=y,
                 font={"color": "#ffffff", "size": 16}, kind="authority", authority=a_iri, order=lane, margin=8,
                 d={"gss": list(a.gss) if a else [], "la": a.la_number if a else None,
                    "sameAs": list(a.same_as) if a else [],
                    "report": (links.report_base + a_iri.rsplit("/", 1)[-1]) if links.report_base else None})
        last_x, stack = -1e9, 0
        for insp in data.inspections_of(a_iri):
            x = round(_date_x(insp, x0), 1)
            stack = stack + 1 if x - last_x < 60 else 0
            last_x = x
            x_max = max(x_max, x)
            dy = (-1) ** stack * 30 * ((stack + 1) // 2)
            overall = insp.overall
            rank = overall.rank if overall else None
            grades = [[j.area_label, j.grade_label, j.printed or ""]
                      for j in sorted(insp.judgements.values(), key=lambda j: (j.area != "overall-effectiveness",
                                                                                 j.area))]
            add_node(
                insp.iri, label=insp.label, shape="diamond" if insp.visit else "dot", size=14 if insp.visit else 16,
                color={"background": GRADE_COLOURS.get(rank, GRADE_COLOURS[None]), "border": "#333333"},
                borderWidth=1, shapeProperties={"borderDashes": [4, 3] if insp.referenced else False},
                x=x, y=y + dy, dx=x, dy=dy, font={"size": 13}, kind="inspection", authority=a_iri,
                framework=insp.framework,
                d={"fw": insp.framework_label, "date": insp.when, "overall": overall.grade_label if overall else None,
                   "rank": rank, "grades": grades, "sources": list(insp.sources), "referenced": insp.referenced,
                   "visit": insp.visit},
            )
            add_edge(a_iri, insp.iri, kind="authority", authority=a_iri, color="#c8c8c8", width=1, arrows="",
                     dashes=True)

    # Themes with weaknesses: a column to the right, grouped by broader theme (the page spreads them out).
    by_edge = data.weaknesses_by_edge()
    persistent_pairs = {(p.authority, p.theme): p for p in data.persistence.values()}
    used = sorted({t for (_, t) in by_edge}, key=lambda t: (data.themes[t].broader or "" if t in data.themes else "",
                                                            data.theme_label(t)))
    persists_for: dict[str, list[str]] = defaultdict(list)
    for p in data.persistence.values():
        persists_for[p.theme].append(p.authority)
    height = max(len(inspected) - 1, 0) * LANE_HEIGHT
    span = max(height, (len(used) - 1) * 40)
    top = (height - span) / 2
    for k, t_iri in enumerate(used):
        t = data.themes.get(t_iri)
        y = top + (span * k / (len(used) - 1) if len(used) > 1 else 0)
        add_node(t_iri, label=data.theme_label(t_iri), shape="box", color=THEME_COLOUR, x=round(x_max + THEME_GAP),
                 y=round(y, 1), font={"color": "#ffffff", "size": 14}, kind="theme", order=k, margin=6,
                 d={"key": t.key if t else t_iri.rsplit("/", 1)[-1],
                    "persists": sorted(data.authorities[a].label if a in data.authorities else a
                                       for a in persists_for.get(t_iri, []))})

    # Weakness edges (inspection -> theme), weighted by their number of findings.
    for (insp_iri, t_iri), found in sorted(by_edge.items()):
        insp = data.inspections[insp_iri]
        add_edge(insp_iri, t_iri, kind="weakness", authority=insp.authority, theme=t_iri,
                 persistent=(insp.authority, t_iri) in persistent_pairs, width=_width(len(found)),
                 color=WEAKNESS_COLOUR, arrows="", count=len(found), f=[finding_index(f) for f in found])

    # Persistence chains: consecutive observations with a weakness on the theme, cycle to cycle.
    pair_count: dict[tuple[str, str], int] = defaultdict(int)
    for p in sorted(data.persistence.values(), key=lambda p: (p.authority, p.theme)):
        label = data.theme_label(p.theme)
        for n, (src, dst) in enumerate(p.links, start=1):
            if src not in data.inspections or dst not in data.inspections:
                continue
            k = pair_count[(src, dst)]
            pair_count[(src, dst)] += 1
            ends = [f for f in p.evidence if f in data.findings and data.findings[f].inspection in (src, dst)]
            add_edge(
                src, dst, kind="chain", authority=p.authority, theme=p.theme, persistent=True, width=7,
                color={"color": CHAIN_COLOUR, "highlight": "#40176b", "hover": "#40176b"}, arrows="to",
                smooth={"enabled": True, "type": "curvedCW", "roundness": round(0.25 + 0.12 * (k % 6), 2)},
                label=label, font={"size": 12, "color": CHAIN_COLOUR, "strokeWidth": 3, "strokeColor": "#ffffff"},
                pw=p.iri, f=[finding_index(data.findings[f]) for f in ends],
                st=[index[f] for f in ends if f in p.stated_by],
                d={"themeLabel": label, "cycles": p.cycles, "visits": p.visits, "first": p.first_year,
                   "last": p.last_year, "status": p.status, "stated": p.stated, "step": n, "steps": len(p.links)},
            )

    nodes, edges, *_ = net.get_network_data()
    frameworks = sorted({i.framework for i in data.inspections.values()})
    initial_theme = theme_iri(theme) if theme else ""
    if initial_theme and initial_theme not in set(used):
        known = ", ".join(data.themes[t].key for t in used if t in data.themes) or "none"
        raise QueryError(f"theme {theme!r} has no weaknesses in this graph; themes with weaknesses: {known}")
    return {
        "meta": {"title": title, "idBase": str(ID), "entityBase": links.entity_base, "x0": x0,
                 "yearWidth": YEAR_WIDTH, "laneHeight": LANE_HEIGHT, "authorityX": AUTHORITY_X,
                 "blockWidth": round(x_max - AUTHORITY_X + 220), "themeGap": THEME_GAP,
                 "singleColumnMax": SINGLE_COLUMN_MAX, "initial": {"theme": initial_theme},
                 "counts": {"authorities": len(inspected), "inspections": len(data.inspections),
                            "themes": len(used), "findings": len(findings),
                            "chains": sum(1 for e in edges if e["kind"] == "chain")}},
        "nodes": nodes,
        "edges": edges,
        "findings": findings,
        "filters": {
            "authorities": [[a, data.authorities[a].label if a in data.authorities else a] for a in inspected],
            "themes": [[t, data.theme_label(t)] for t in sorted(used, key=data.theme_label)],
            "frameworks": [[f, framework_short(f)] for f in frameworks],
        },
        "legend": {"grades": [[GRADE_COLOURS[r], RANK_LABELS[r]] for r in (4, 3, 2, 1, None)],
                   "chain": CHAIN_COLOUR, "weakness": WEAKNESS_COLOUR, "authority": AUTHORITY_COLOUR,
                   "theme": THEME_COLOUR},
    }


def render_explorer(payload: dict[str, object]) -> str:
    """The self-contained HTML page for ``payload``."""
    page_nonce = assets.nonce()
    return assets.render(
        "explorer.html", payload=payload, meta=payload["meta"], legend=payload["legend"], nonce=page_nonce,
        csp=assets.csp(page_nonce), vis_js=assets.vis_js(), vis_css=assets.vis_css(),
        explorer_js=assets.asset_text("explorer.js"), explorer_css=assets.asset_text("explorer.css"),
        vis_version=assets.VIS_VERSION,
    )


def explorer_html(backend: Backend, *, authority: str | None = None, theme: str | None = None,
                  links: ExplorerLinks | None = None) -> str:
    """The explorer page for the whole graph or one authority (its IRI); ``theme`` preselects a theme."""
    data = load(backend, authority)
    if authority and not data.inspections:
        raise QueryError(f"no inspections of {authority} in this graph")
    who = next(iter(data.authorities.values())).label if authority and data.authorities else "all authorities"
    return render_explorer(explorer_payload(data, links=links, theme=theme, title=f"ofsted-kg explorer: {who}"))


def write_explorer(graph_dir: Path, out: Path, *, authority: str | None = None, theme: str | None = None) -> Path:
    """Write the standalone explorer for ``graph_dir`` to ``out``."""
    backend = OxigraphBackend(Path(graph_dir))
    try:
        iri = resolve_authority(graph_dir, authority) if authority else None
        html = explorer_html(backend, authority=iri, theme=theme)
    finally:
        backend.close()
    out = Path(out)
    out.write_text(html, encoding="utf-8")
    return out


def _cmd_viz(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    out = write_explorer(Path(args.graph), Path(args.out), authority=args.authority, theme=args.theme)
    print(f"wrote {out} ({out.stat().st_size // 1024} KiB) in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``ofsted-kg viz``."""
    p = subparsers.add_parser("viz", help="write the interactive graph explorer (one offline HTML file)")
    p.add_argument("--graph", default="kg", help="graph directory (default: kg)")
    p.add_argument("--out", default="explorer.html", help="HTML file to write (default: explorer.html)")
    p.add_argument("--authority", help="only this authority (name, GSS code or LA number)")
    p.add_argument("--theme", help="preselect a theme filter (theme ID such as quality-assurance)")
    p.set_defaults(func=_cmd_viz)


