"""Query backends behind one interface: an embedded pyoxigraph store (the default) and
rdflib (slower, pure Python). Every named query must give the same rows on both; a single
compliance test runs them against each backend.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .errors import GraphNotFoundError, QueryError
from .namespaces import PREFIXES

__all__ = ["BACKENDS", "Backend", "OxigraphBackend", "RdflibBackend", "Results", "Term", "open_backend"]

STORE_DIR = "store"
GRAPH_FILE = "graph.nq"


@dataclass(frozen=True)
class Term:
    """A result value in SPARQL JSON terms: type uri | literal | bnode."""

    type: str
    value: str
    datatype: str | None = None
    lang: str | None = None

    def to_json(self) -> dict[str, str]:
        out = {"type": self.type, "value": self.value}
        if self.datatype and self.datatype != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = self.datatype
        if self.lang:
            out["xml:lang"] = self.lang
        return out

    def python(self) -> object:
        """A plain Python value (numbers and booleans typed) for tables and tests."""
        if self.type != "literal" or not self.datatype:
            return self.value
        local = self.datatype.rsplit("#", 1)[-1]
        if local in ("integer", "nonNegativeInteger", "int", "long"):
            return int(self.value)
        if local in ("decimal", "double", "float"):
            return float(self.value)
        if local == "boolean":
            return self.value == "true"
        return self.value


@dataclass(frozen=True)
class Results:
    variables: list[str]
    rows: list[dict[str, Term]]

    def values(self) -> list[dict[str, object]]:
        return [{v: (r[v].python() if v in r else None) for v in self.variables} for r in self.rows]

    def to_json(self) -> str:
        """SPARQL 1.1 Query Results JSON."""
        doc = {
            "head": {"vars": self.variables},
            "results": {"bindings": [{k: t.to_json() for k, t in r.items()} for r in self.rows]},
        }
        return json.dumps(doc, ensure_ascii=False, indent=1)


class Backend(Protocol):
    """What the query runner needs from a store."""

    name: str

    def select(self, query: str, bindings: Mapping[str, str] | None = None) -> Results: ...

    def close(self) -> None: ...


def _prologue() -> str:
    return "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())


class OxigraphBackend:
    """The embedded on-disk pyoxigraph store written by ``build``."""

    name = "oxigraph"

    def __init__(self, graph_dir: Path, *, read_only: bool = True):
        import pyoxigraph

        path = Path(graph_dir) / STORE_DIR
        if not path.is_dir():
            raise GraphNotFoundError(f"{graph_dir}: no store found; run `ofsted-kg build PATH --out {graph_dir}` first")
        self._store = pyoxigraph.Store.read_only(str(path)) if read_only else pyoxigraph.Store(str(path))

    def select(self, query: str, bindings: Mapping[str, str] | None = None) -> Results:
        import pyoxigraph

        subs = {pyoxigraph.Variable(k): pyoxigraph.NamedNode(v) for k, v in (bindings or {}).items()}
        try:
            res = self._store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True,
                                    substitutions=subs or None)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        if not isinstance(res, pyoxigraph.QuerySolutions):
            raise QueryError("only SELECT queries are supported here")
        variables = [v.value for v in res.variables]
        rows = []
        for sol in res:
            row: dict[str, Term] = {}
            for v in variables:
                t = sol[v]
                if t is not None:
                    row[v] = _from_oxigraph(t)
            rows.append(row)
        return Results(variables, rows)

    @property
    def store(self):
        return self._store

    def close(self) -> None:
        del self._store


def _from_oxigraph(t: object) -> Term:
    import pyoxigraph

    if isinstance(t, pyoxigraph.NamedNode):
        return Term("uri", t.value)
    if isinstance(t, pyoxigraph.BlankNode):
        return Term("bnode", t.value)
    assert isinstance(t, pyoxigraph.Literal)
    return Term("literal", t.value, t.datatype.value if t.datatype else None, t.language)


class RdflibBackend:
    """rdflib's in-memory SPARQL engine over the graph's N-Quads dump."""

    name = "rdflib"

    def __init__(self, graph_dir: Path):
        import rdflib

        path = Path(graph_dir) / GRAPH_FILE
        if not path.is_file():
            raise GraphNotFoundError(f"{graph_dir}: no {GRAPH_FILE}; run `ofsted-kg build PATH --out {graph_dir}`")
        ds = rdflib.Dataset(default_union=True)
        ds.parse(str(path), format="nquads")
        self._ds = ds

    def select(self, query: str, bindings: Mapping[str, str] | None = None) -> Results:
        import rdflib

        init = {k: rdflib.URIRef(v) for k, v in (bindings or {}).items()}
        try:
            res = self._ds.query(_prologue() + query, initBindings=init or None)
        except Exception as exc:  # pyparsing raises its own exception types
            raise QueryError(f"SPARQL error: {exc}") from exc
        variables = [str(v) for v in res.vars or []]
        rows = []
        for sol in res:
            row: dict[str, Term] = {}
            for v in variables:
                t = sol[v]
                if t is not None:
                    row[v] = _from_rdflib(t)
            rows.append(row)
        return Results(variables, rows)

    def close(self) -> None:
        del self._ds


def _from_rdflib(t: object) -> Term:
    import rdflib

    if isinstance(t, rdflib.URIRef):
        return Term("uri", str(t))
    if isinstance(t, rdflib.BNode):
        return Term("bnode", str(t))
    assert isinstance(t, rdflib.Literal)
    dt = str(t.datatype) if t.datatype else (None if t.language else "http://www.w3.org/2001/XMLSchema#string")
    return Term("literal", str(t), dt, t.language)


BACKENDS: dict[str, Callable[[Path], Backend]] = {
    "oxigraph": OxigraphBackend,
    "rdflib": RdflibBackend,
}


def open_backend(graph_dir: Path, name: str = "oxigraph") -> Backend:
    if name not in BACKENDS:
        raise QueryError(f"unknown backend {name!r}; choose from {', '.join(BACKENDS)}")
    return BACKENDS[name](Path(graph_dir))


def iter_rows(results: Results) -> Iterator[list[str]]:
    for r in results.rows:
        yield [r[v].value if v in r else "" for v in results.variables]
