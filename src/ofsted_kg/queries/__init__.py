"""Named SPARQL queries (one ``.rq`` file each, with a header comment) and their runner.

Values such as the authority are bound as parameters (pyoxigraph substitutions / rdflib
initBindings), never pasted into the query text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from ..errors import QueryError
from ..store import Backend, Results

__all__ = ["FORMATS", "NamedQuery", "format_results", "named_queries", "run_named"]


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    parameters: tuple[str, ...]
    columns: tuple[str, ...]
    text: str


def _header(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    key = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = re.match(r"#\s*(\w+):\s*(.*)", line)
        if m:
            key = m.group(1).lower()
            fields[key] = m.group(2).strip()
        elif key:
            fields[key] += " " + line.lstrip("# ").strip()
    return fields


@cache
def named_queries() -> dict[str, NamedQuery]:
    """All packaged named queries, by name (read on first use, not at import)."""
    out: dict[str, NamedQuery] = {}
    for entry in sorted(files(__name__).iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".rq"):
            continue
        text = entry.read_text(encoding="utf-8")
        head = _header(text)
        name = head.get("name", entry.name[:-3])
        params = tuple(p.split()[0] for p in head.get("parameters", "").split(",")
                       if p.strip() and p.split() and p.split()[0] != "none")
        columns = tuple(c.strip() for c in head.get("columns", "").split(",") if c.strip())
        out[name] = NamedQuery(name, head.get("description", ""), params, columns, text)
    return out


def run_named(backend: Backend, name: str, bindings: Mapping[str, str] | None = None) -> Results:
    """Run the named query ``name`` with IRI ``bindings`` (e.g. {"authorityIri": ...})."""
    queries = named_queries()
    if name not in queries:
        raise QueryError(f"no query named {name!r}; choose from {', '.join(sorted(queries))}")
    query = queries[name]
    bindings = dict(bindings or {})
    if bindings and "authority" not in query.parameters:
        raise QueryError(f"query {name!r} covers every authority and takes no --authority; "
                         "run it without one, or use a query such as persistent-weaknesses")
    return backend.select(query.text, bindings)


def _table(results: Results, width: int = 60) -> str:
    rows = [[_short(r[v].value if v in r else "", width) for v in results.variables] for r in results.rows]
    widths = [max([len(v)] + [len(row[i]) for row in rows]) for i, v in enumerate(results.variables)]
    line = "  ".join(v.ljust(w) for v, w in zip(results.variables, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    out.append(f"({len(rows)} rows)")
    return "\n".join(out)


def _short(value: str, width: int) -> str:
    value = value.replace("https://w3id.org/ofsted-kg/id/", "id:").replace("\n", " ")
    return value if len(value) <= width else value[: width - 1] + "\u2026"


def _csv(results: Results) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(results.variables)
    for r in results.rows:
        writer.writerow([r[v].value if v in r else "" for v in results.variables])
    return buf.getvalue()


FORMATS = {
    "table": _table,
    "json": lambda r: r.to_json(),
    "csv": _csv,
}


def format_results(results: Results, fmt: str) -> str:
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    return FORMATS[fmt](results)
