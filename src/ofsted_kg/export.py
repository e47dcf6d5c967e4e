"""Exports of a built graph in standard RDF serialisations."""

from __future__ import annotations

import io
from pathlib import Path

from .errors import QueryError
from .namespaces import PREFIXES
from .store import OxigraphBackend

__all__ = ["QUAD_FORMATS", "TRIPLE_FORMATS", "export"]

TRIPLE_FORMATS = {"ttl": "TURTLE", "nt": "N_TRIPLES", "xml": "RDF_XML", "jsonld": "JSON_LD"}
QUAD_FORMATS = {"nq": "N_QUADS", "trig": "TRIG"}


def export(graph_dir: Path, fmt: str) -> bytes:
    """The graph in ``fmt``: triple formats get the union of all named graphs, quad formats keep
    one named graph per source document."""
    import pyoxigraph

    if fmt not in TRIPLE_FORMATS and fmt not in QUAD_FORMATS:
        raise QueryError(f"unknown export format {fmt!r}; choose from {', '.join([*TRIPLE_FORMATS, *QUAD_FORMATS])}")
    backend = OxigraphBackend(graph_dir)
    store = backend.store
    buf = io.BytesIO()
    if fmt in QUAD_FORMATS:
        quads = sorted(store, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
        kwargs = {"prefixes": PREFIXES} if fmt == "trig" else {}
        pyoxigraph.serialize(quads, buf, format=getattr(pyoxigraph.RdfFormat, QUAD_FORMATS[fmt]), **kwargs)
    else:
        triples = sorted({pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in store},
                         key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        kwargs = {} if fmt == "nt" else {"prefixes": PREFIXES}
        pyoxigraph.serialize(triples, buf, format=getattr(pyoxigraph.RdfFormat, TRIPLE_FORMATS[fmt]), **kwargs)
    backend.close()
    return buf.getvalue()
