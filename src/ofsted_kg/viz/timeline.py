"""Persistence timeline: for one authority, practice themes x inspection cycles, each cell a weakness,
a strength or absent, persistent themes first with their chains drawn across the cycles.

Drawn with matplotlib's object API on the Agg canvas (no pyplot state, safe in a server thread);
PNG or SVG bytes.
"""

from __future__ import annotations

import argparse
import io
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import QueryError
from ..store import Backend, OxigraphBackend
from .data import GraphData, framework_short, load, resolve_authority

__all__ = ["STATUS_COLOURS", "TimelineData", "add_parser", "render_timeline", "timeline_data", "timeline_image"]

STATUS_COLOURS = {"weakness": "#d73027", "strength": "#1a9850", "absent": "#eeeeee"}
_STATUS_MARK = {"weakness": "W", "strength": "S", "absent": ""}
_CHAIN = "#6a3d9a"


@dataclass(frozen=True)
class TimelineData:
    authority: str
    #: (inspection IRI, column label, is visit), in date order
    columns: list[tuple[str, str, bool]]
    #: (theme IRI, row label, persistent), persistent rows first
    rows: list[tuple[str, str, bool]]
    #: (theme, inspection) -> weakness | strength | absent
    cells: dict[tuple[str, str], str]
    #: theme -> chain links (from inspection, to inspection)
    links: dict[str, list[tuple[str, str]]]

    def status(self, theme: str, inspection: str) -> str:
        return self.cells.get((theme, inspection), "absent")


def timeline_data(data: GraphData, authority: str) -> TimelineData:
    """The grid for ``authority`` (IRI) from the graph's theme observations and persistence nodes."""
    a = data.authorities.get(authority)
    inspections = data.inspections_of(authority)
    columns = [(i.iri, f"{i.year or '?'}\n{framework_short(i.framework)}", i.visit) for i in inspections]
    cells: dict[tuple[str, str], str] = {}
    for i in inspections:
        for (insp, theme), (status, _) in data.observations.items():
            if insp == i.iri:
                cells[(theme, insp)] = status
    persistent = data.persistence_of(authority)
    seen = {p.theme for p in persistent}
    rows = [(p.theme, f"{data.theme_label(p.theme)} ({_cycles(p.cycles, p.stated)})", True) for p in persistent]
    others = {t for (t, _) in cells} - seen

    def weight(theme: str) -> tuple[int, str]:
        return (-sum(1 for c in columns if cells.get((theme, c[0])) == "weakness"), data.theme_label(theme))

    rows += [(t, data.theme_label(t), False) for t in sorted(others, key=weight)]
    links = {p.theme: list(p.links) for p in persistent}
    return TimelineData(a.label if a else authority, columns, rows, cells, links)


def _cycles(n: int, stated: bool) -> str:
    text = f"{n} cycle" + ("" if n == 1 else "s")
    return text + ", stated" if stated else text


def timeline_figure(td: TimelineData):  # -> matplotlib.figure.Figure
    """The matplotlib figure of the grid."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch, Rectangle

    n_rows, n_cols = max(len(td.rows), 1), max(len(td.columns), 1)
    label_w = 0.4 + 0.068 * max([len(label) for _, label, _ in td.rows] + [20])  # inches for the row labels
    head, foot, cell_w, cell_h = 1.1, 0.5, 0.85, 0.3
    width, height = label_w + cell_w * n_cols + 0.3, head + foot + cell_h * n_rows
    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((label_w / width, foot / height, cell_w * n_cols / width, cell_h * n_rows / height))
    col_of = {iri: k for k, (iri, _, _) in enumerate(td.columns)}
    for r, (theme, _, _) in enumerate(td.rows):
        for c, (insp, _, visit) in enumerate(td.columns):
            status = td.status(theme, insp)
            ax.add_patch(Rectangle((c + 0.06, r + 0.08), 0.88, 0.84, facecolor=STATUS_COLOURS[status],
                                   edgecolor="#999999" if visit else "none", linestyle=":" if visit else "-"))
            if _STATUS_MARK[status]:
                ax.text(c + 0.5, r + 0.5, _STATUS_MARK[status], ha="center", va="center", fontsize=7,
                        color="white", fontweight="bold")
        for src, dst in td.links.get(theme, []):
            if src in col_of and dst in col_of:
                ax.annotate("", xy=(col_of[dst] + 0.2, r + 0.5), xytext=(col_of[src] + 0.8, r + 0.5),
                            arrowprops={"arrowstyle": "-|>", "color": _CHAIN, "lw": 2.2, "shrinkA": 0, "shrinkB": 0})
    n_persistent = sum(1 for _, _, p in td.rows if p)
    if 0 < n_persistent < len(td.rows):
        ax.axhline(n_persistent, color="#333333", lw=1.2)
    ax.set_xlim(0, n_cols)
    ax.set_ylim(n_rows, 0)
    ax.set_xticks([k + 0.5 for k in range(len(td.columns))])
    ax.set_xticklabels([label + ("\n(visit)" if visit else "") for _, label, visit in td.columns], fontsize=8)
    ax.xaxis.tick_top()
    ax.set_yticks([k + 0.5 for k in range(len(td.rows))])
    ax.set_yticklabels([label for _, label, _ in td.rows], fontsize=8)
    for tick, (_, _, persistent) in zip(ax.get_yticklabels(), td.rows, strict=False):
        if persistent:
            tick.set_fontweight("bold")
            tick.set_color(_CHAIN)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    fig.suptitle(f"{td.authority}: weakness themes across inspections (persistent first)", fontsize=10,
                 x=0.02, ha="left")
    handles = [Patch(facecolor=STATUS_COLOURS["weakness"], label="weakness (W)"),
               Patch(facecolor=STATUS_COLOURS["strength"], label="strength (S)"),
               Patch(facecolor=STATUS_COLOURS["absent"], edgecolor="#999999", label="absent"),
               Patch(facecolor=_CHAIN, label="persistence link")]
    fig.legend(handles=handles, loc="lower left", ncols=4, fontsize=8, frameon=False, bbox_to_anchor=(0.01, 0.0),
               borderaxespad=0.2)
    if not td.rows:
        ax.text(n_cols / 2, 0.5, "no themed findings", ha="center", va="center", fontsize=9, color="#666666")
    return fig


def render_timeline(td: TimelineData, fmt: str = "png") -> bytes:
    """PNG or SVG bytes of the timeline."""
    if fmt not in ("png", "svg"):
        raise QueryError(f"unknown image format {fmt!r}; choose png or svg")
    fig = timeline_figure(td)
    buf = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    fig.savefig(buf, format=fmt, dpi=110, metadata=metadata)
    return buf.getvalue()


def timeline_image(backend: Backend, authority: str, fmt: str = "png") -> bytes:
    """The timeline of ``authority`` (IRI) as PNG or SVG bytes."""
    data = load(backend, authority)
    if not data.inspections:
        raise QueryError(f"no inspections of {authority} in this graph")
    return render_timeline(timeline_data(data, authority), fmt)


def _cmd_timeline(args: argparse.Namespace) -> int:
    out = Path(args.out)
    fmt = out.suffix.lstrip(".").lower() or "png"
    backend = OxigraphBackend(Path(args.graph))
    try:
        image = timeline_image(backend, resolve_authority(Path(args.graph), args.authority), fmt)
    finally:
        backend.close()
    out.write_bytes(image)
    print(f"wrote {out} ({len(image) // 1024} KiB)", file=sys.stderr)
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``ofsted-kg timeline``."""
    p = subparsers.add_parser("timeline", help="draw an authority's persistence timeline (PNG or SVG)")
    p.add_argument("--graph", default="kg", help="graph directory (default: kg)")
    p.add_argument("--authority", required=True, help="name, GSS code or LA number")
    p.add_argument("--out", required=True, help="image to write: .png or .svg")
    p.set_defaults(func=_cmd_timeline)
