"""Dereferenceable IRIs: what the graph says about one ``https://w3id.org/ofsted-kg/id/...`` IRI, as
HTML (properties with links), Turtle, N-Triples or JSON-LD.

Descriptions are read with constant SELECT queries through the backend, the IRI bound as ``?s`` /
``?o``; for an evidence node the page also shows the quote in the context of its source document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..namespaces import ID, OA, OFSTED, PREFIXES, RDF
from ..store import Backend, Term

__all__ = ["Description", "compact", "describe", "serialize_description"]

Q_OUT = "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }"
Q_GRAPHS = "SELECT DISTINCT ?s ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
Q_IN = "SELECT DISTINCT ?o ?s ?p WHERE { ?s ?p ?o } ORDER BY ?p ?s LIMIT 501"
Q_CONTEXT = """
SELECT ?ev ?content ?start ?end ?path WHERE {
  ?ev oa:hasSource ?report ;
      oa:hasSelector ?position .
  ?position oa:start ?start ;
            oa:end ?end .
  ?report ofsted:content ?content .
  OPTIONAL { ?report ofsted:sourcePath ?path }
}
"""
INCOMING_LIMIT = 500
CONTEXT_CHARS = 400

_ORDER = [str(RDF.type), "http://www.w3.org/2004/02/skos/core#prefLabel", str(OFSTED.text)]


@dataclass(frozen=True)
class Description:
    iri: str
    outgoing: list[tuple[str, Term]]  # (predicate, object)
    incoming: list[tuple[str, str]]  # (subject, predicate)
    graphs: list[str]
    incoming_truncated: bool = False
    #: (text before, quote, text after, source path) for evidence nodes
    context: tuple[str, str, str, str] | None = None

    @property
    def found(self) -> bool:
        return bool(self.outgoing or self.incoming)


def describe(backend: Backend, iri: str) -> Description:
    """Triples about ``iri`` (outgoing), triples pointing at it (incoming, capped) and its graphs."""
    bind = {"s": iri}
    outgoing = [(r["p"].value, r["o"]) for r in backend.select(Q_OUT, bind).rows]
    outgoing.sort(key=lambda po: (_ORDER.index(po[0]) if po[0] in _ORDER else len(_ORDER), po[0], po[1].value))
    graphs = sorted({r["g"].value for r in backend.select(Q_GRAPHS, bind).rows})
    rows = backend.select(Q_IN, {"o": iri}).rows
    incoming = [(r["s"].value, r["p"].value) for r in rows[:INCOMING_LIMIT]]
    context = None
    if any(p == str(OA.hasSource) for p, _ in outgoing):
        for r in backend.select(Q_CONTEXT, {"ev": iri}).rows:
            content, start, end = r["content"].value, int(r["start"].value), int(r["end"].value)
            if 0 <= start <= end <= len(content):
                context = (content[max(0, start - CONTEXT_CHARS):start], content[start:end],
                           content[end:end + CONTEXT_CHARS], r["path"].value if "path" in r else "")
                break
    return Description(iri, outgoing, incoming, graphs, len(rows) > INCOMING_LIMIT, context)


def compact(iri: str) -> str:
    """``prefix:local`` for IRIs in a known namespace (the longest that matches), else the IRI."""
    matches = [(prefix, ns) for prefix, ns in PREFIXES.items() if iri.startswith(ns) and len(iri) > len(ns)]
    if not matches:
        return iri
    prefix, ns = max(matches, key=lambda m: len(m[1]))
    return f"{prefix}:{iri[len(ns):]}"


def _oxi(term: Term):  # type: ignore[no-untyped-def]
    import pyoxigraph

    if term.type == "uri":
        return pyoxigraph.NamedNode(term.value)
    if term.type == "bnode":
        return pyoxigraph.BlankNode(term.value)
    if term.lang:
        return pyoxigraph.Literal(term.value, language=term.lang)
    if term.datatype:
        return pyoxigraph.Literal(term.value, datatype=pyoxigraph.NamedNode(term.datatype))
    return pyoxigraph.Literal(term.value)


def serialize_description(description: Description, fmt: str) -> bytes:
    """The outgoing triples of ``description`` as ``TURTLE``, ``N_TRIPLES``, ``JSON_LD`` or ``RDF_XML``."""
    import pyoxigraph

    subject = pyoxigraph.NamedNode(description.iri)
    triples: Sequence[object] = [pyoxigraph.Triple(subject, pyoxigraph.NamedNode(p), _oxi(o))
                                 for p, o in description.outgoing]
    rdf_format = getattr(pyoxigraph.RdfFormat, fmt)
    extra = {"prefixes": PREFIXES} if fmt in ("TURTLE", "RDF_XML") else {}
    return pyoxigraph.serialize(triples, format=rdf_format, **extra) or b""


def local_path(iri: str) -> str | None:
    """The server path of an IRI under ``id/`` (``/id/...``), else None."""
    base = str(ID)
    return "/id/" + iri[len(base):] if iri.startswith(base) else None
