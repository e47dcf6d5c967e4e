"""Exports of a built graph and of the ontology in standard RDF serialisations.

The graph is read from the build's own files - ``graph.nq`` plus, when present, ``inferred.nq`` (``ofsted-kg
reason``) and ``build-prov.trig`` (build provenance and dataset description) - not from the store, because
Oxigraph's store canonicalises some literals (``"5"^^xsd:nonNegativeInteger`` comes back as ``xsd:integer``,
``"0.50"`` as ``"0.5"``) and an export should give back exactly what was built.

* Triple formats (``ttl``, ``nt``, ``xml``, ``jsonld``) give the union of the named graphs; quad formats
  (``nq``, ``trig``) keep one named graph per source document and the shared graphs.
* JSON-LD is compacted with the packaged context (``ontology/context.jsonld``, embedded in the document and
  written beside it by :func:`export_to`), so plain JSON users see ``"authority"``, ``"grade"``, ``"text"``,
  ``"startDate": "2023-05-08"``, ``"type": ["Inspection", "ILACSStandardInspection"]`` and identifiers
  relative to ``https://w3id.org/ofsted-kg/`` (``"id": "id/inspection/E08000019/sif/2014-06-02"``).
* The ontology is published as Turtle (the packaged file itself), RDF/XML, N-Triples or JSON-LD
  (:func:`export_ontology`) and as an HTML page of its terms (:func:`ontology_html`, ``docs/ontology.html``).
"""

from __future__ import annotations

import argparse
import html
import io
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from .errors import GraphNotFoundError, QueryError
from .namespaces import BASE, OFSTED, ONTOLOGY_IRI, PREFIXES, VERSION, VERSION_IRI

__all__ = [
    "CONTEXT_FILE",
    "FORMATS",
    "QUAD_FORMATS",
    "TRIPLE_FORMATS",
    "add_parser",
    "build_context",
    "compact_jsonld",
    "export",
    "export_ontology",
    "export_to",
    "graph_quads",
    "load_context",
    "ontology_html",
]

TRIPLE_FORMATS = {"ttl": "TURTLE", "nt": "N_TRIPLES", "xml": "RDF_XML", "jsonld": "JSON_LD"}
QUAD_FORMATS = {"nq": "N_QUADS", "trig": "TRIG"}
FORMATS = (*TRIPLE_FORMATS, *QUAD_FORMATS)
CONTEXT_FILE = "context.jsonld"
#: the build's files an export reads, in order: (file, format); the first is required
SOURCES = (("graph.nq", "N_QUADS"), ("inferred.nq", "N_QUADS"), ("build-prov.trig", "TRIG"))

_XSD = PREFIXES["xsd"]
_RDF_TYPE = PREFIXES["rdf"] + "type"
_STRING = _XSD + "string"
_LANG_STRING = PREFIXES["rdf"] + "langString"
#: datatypes written as native JSON values (lossless: the build writes them in canonical form)
_NATIVE = {_XSD + "integer", _XSD + "boolean"}
#: datatypes that JSON-LD terms coerce to (values appear as plain strings)
_COERCED = {_XSD + t for t in ("date", "dateTime", "decimal", "nonNegativeInteger", "anyURI")}
#: short names for terms outside the ofsted: namespace: name -> (IRI, coerce to @id?, datatype)
_EXTRA_TERMS: dict[str, tuple[str, bool, str | None]] = {
    "label": (PREFIXES["rdfs"] + "label", False, None),
    "comment": (PREFIXES["rdfs"] + "comment", False, None),
    "prefLabel": (PREFIXES["skos"] + "prefLabel", False, None),
    "altLabel": (PREFIXES["skos"] + "altLabel", False, None),
    "definition": (PREFIXES["skos"] + "definition", False, None),
    "notation": (PREFIXES["skos"] + "notation", False, None),
    "inScheme": (PREFIXES["skos"] + "inScheme", True, None),
    "broader": (PREFIXES["skos"] + "broader", True, None),
    "topConceptOf": (PREFIXES["skos"] + "topConceptOf", True, None),
    "hasTopConcept": (PREFIXES["skos"] + "hasTopConcept", True, None),
    "sameAs": (PREFIXES["owl"] + "sameAs", True, None),
    "title": (PREFIXES["dcterms"] + "title", False, None),
    "description": (PREFIXES["dcterms"] + "description", False, None),
    "format": (PREFIXES["dcterms"] + "format", False, None),
    "issued": (PREFIXES["dcterms"] + "issued", False, _XSD + "date"),
    "modified": (PREFIXES["dcterms"] + "modified", False, _XSD + "dateTime"),
    "license": (PREFIXES["dcterms"] + "license", True, None),
    "source": (PREFIXES["dcterms"] + "source", True, None),
    "hasSource": (PREFIXES["oa"] + "hasSource", True, None),
    "hasSelector": (PREFIXES["oa"] + "hasSelector", True, None),
    "exact": (PREFIXES["oa"] + "exact", False, None),
    "start": (PREFIXES["oa"] + "start", False, _XSD + "nonNegativeInteger"),
    "end": (PREFIXES["oa"] + "end", False, _XSD + "nonNegativeInteger"),
    "used": (PREFIXES["prov"] + "used", True, None),
    "generated": (PREFIXES["prov"] + "generated", True, None),
    "wasGeneratedBy": (PREFIXES["prov"] + "wasGeneratedBy", True, None),
    "wasAssociatedWith": (PREFIXES["prov"] + "wasAssociatedWith", True, None),
    "startedAtTime": (PREFIXES["prov"] + "startedAtTime", False, _XSD + "dateTime"),
    "endedAtTime": (PREFIXES["prov"] + "endedAtTime", False, _XSD + "dateTime"),
    "generatedAtTime": (PREFIXES["prov"] + "generatedAtTime", False, _XSD + "dateTime"),
}
#: prefixes usable in compact IRIs (none of them is also a term name)
_CONTEXT_PREFIXES = ("ofsted", "prov", "skos", "oa", "org", "foaf", "dcterms", "dcat", "void", "owl", "rdf", "rdfs",
                     "xsd", "statgeo")


# --- reading the graph -----------------------------------------------------------------------------------


def graph_quads(graph_dir: Path) -> list:
    """Every quad the build wrote (graph.nq, build-prov.trig, and inferred.nq when it was inferred from this
    graph.nq), without duplicates, sorted."""
    import pyoxigraph

    graph_dir = Path(graph_dir)
    if not (graph_dir / SOURCES[0][0]).is_file():
        raise GraphNotFoundError(f"{graph_dir}: no {SOURCES[0][0]}; run `ofsted-kg build PATH --out {graph_dir}` first")
    from .reason import INFERRED_FILE, inferred_is_current

    quads = set()
    for name, fmt in SOURCES:
        path = graph_dir / name
        if name == INFERRED_FILE and not inferred_is_current(graph_dir):
            continue  # inferred from an earlier build of this directory
        if path.is_file():
            with path.open("rb") as fh:
                quads.update(pyoxigraph.parse(fh, format=getattr(pyoxigraph.RdfFormat, fmt)))
    return sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))


def _triples(quads: Iterable) -> list:
    import pyoxigraph

    return sorted({pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in quads},
                  key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def export(graph_dir: Path, fmt: str) -> bytes:
    """The graph in ``fmt``: triple formats get the union of all named graphs, quad formats keep the named
    graphs; ``jsonld`` is compacted with the packaged context."""
    import pyoxigraph

    if fmt not in FORMATS:
        raise QueryError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
    quads = graph_quads(graph_dir)
    if fmt == "jsonld":
        return compact_jsonld(_triples(quads)).encode("utf-8")
    buf = io.BytesIO()
    if fmt in QUAD_FORMATS:
        kwargs = {"prefixes": PREFIXES} if fmt == "trig" else {}
        pyoxigraph.serialize(quads, buf, format=getattr(pyoxigraph.RdfFormat, QUAD_FORMATS[fmt]), **kwargs)
    else:
        kwargs = {} if fmt == "nt" else {"prefixes": PREFIXES}
        pyoxigraph.serialize(_triples(quads), buf, format=getattr(pyoxigraph.RdfFormat, TRIPLE_FORMATS[fmt]),
                             **kwargs)
    return buf.getvalue()


def export_to(graph_dir: Path, fmt: str, out: Path) -> list[Path]:
    """Write the export to ``out`` (and, for JSON-LD, ``context.jsonld`` beside it); the files written."""
    out = Path(out)
    out.write_bytes(export(graph_dir, fmt))
    written = [out]
    if fmt == "jsonld":
        ctx = out.parent / CONTEXT_FILE
        ctx.write_text(json.dumps(load_context(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(ctx)
    return written


# --- the JSON-LD context and compaction ------------------------------------------------------------------------


def build_context() -> dict:
    """The JSON-LD context, derived from the ontology: one term per ofsted: property (object properties coerced
    to IRIs, dates and decimals to their datatype), short names for the reused terms, the prefixes, and
    ``@base`` https://w3id.org/ofsted-kg/ so identifiers read ``id/inspection/...``, ``grade/good``."""
    import rdflib
    from rdflib.namespace import OWL, RDF, RDFS

    from .ontology import load_ontology

    onto = load_ontology()
    ctx: dict[str, object] = {
        "@version": 1.1,
        "@base": BASE,
        "@vocab": str(OFSTED),
        "id": "@id",
        "type": "@type",
    }
    for prefix in _CONTEXT_PREFIXES:
        ctx[prefix] = PREFIXES[prefix]
    terms: dict[str, object] = {}
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in sorted(onto.subjects(RDF.type, kind)):
            if not isinstance(prop, rdflib.URIRef) or not str(prop).startswith(str(OFSTED)):
                continue
            name = str(prop)[len(str(OFSTED)):]
            rng = onto.value(prop, RDFS.range)
            if kind == OWL.ObjectProperty:
                terms[name] = {"@id": f"ofsted:{name}", "@type": "@id"}
            elif rng is not None and str(rng) in _COERCED:
                terms[name] = {"@id": f"ofsted:{name}", "@type": "xsd:" + str(rng)[len(_XSD):]}
            else:
                terms[name] = {"@id": f"ofsted:{name}"}
    for name, (iri, is_id, datatype) in _EXTRA_TERMS.items():
        if name in terms:
            raise ValueError(f"JSON-LD term {name!r} names both ofsted:{name} and {iri}; rename it in export.py")
        term: dict[str, str] = {"@id": _curie(iri)}
        if is_id:
            term["@type"] = "@id"
        elif datatype:
            term["@type"] = "xsd:" + datatype[len(_XSD):]
        terms[name] = term
    clash = set(terms) & set(_CONTEXT_PREFIXES)
    if clash:
        raise ValueError(f"JSON-LD terms {sorted(clash)} would shadow prefixes; rename them in export.py")
    ctx.update(dict(sorted(terms.items())))
    return {"@context": ctx}


def _curie(iri: str) -> str:
    for prefix in _CONTEXT_PREFIXES:
        ns = PREFIXES[prefix]
        if iri.startswith(ns) and re.fullmatch(r"[A-Za-z_][\w.-]*", iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _qname(iri: str) -> str:
    """An IRI shortened with any of the project's prefixes (for the HTML page)."""
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and re.fullmatch(r"[A-Za-z_][\w.-]*", iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def load_context() -> dict:
    """The packaged JSON-LD context (``ontology/context.jsonld``)."""
    from .ontology import asset_path

    return json.loads(asset_path(CONTEXT_FILE).read_text(encoding="utf-8"))


class _Compactor:
    """Compacts RDF terms with the context (a small, flat-graph case of JSON-LD compaction: one node object
    per subject; checked by round-tripping through a JSON-LD processor in the tests)."""

    def __init__(self, context: dict):
        ctx = context["@context"]
        self.base = ctx["@base"]
        self.vocab = ctx["@vocab"]
        self.prefixes = {k: v for k, v in ctx.items() if isinstance(v, str) and not k.startswith("@")
                         and not v.startswith("@")}
        self.terms: dict[str, tuple[str, str | None]] = {}  # property IRI -> (term, type coercion)
        self.names = {k for k in ctx if not k.startswith("@")}
        for name, value in ctx.items():
            if isinstance(value, dict) and "@id" in value:
                self.terms[self._expand(value["@id"])] = (name, self._coercion(value.get("@type")))

    def _expand(self, curie: str) -> str:
        prefix, _, local = curie.partition(":")
        return self.prefixes[prefix] + local if prefix in self.prefixes and not local.startswith("//") else curie

    def _coercion(self, value: str | None) -> str | None:
        return value if value in (None, "@id") else self._expand(value)

    def iri(self, iri: str) -> str:
        """An IRI as a value of an @id-coerced term or of "id": relative to @base, else a compact IRI."""
        if iri.startswith(self.vocab):
            return _curie(iri)
        if iri.startswith(self.base):
            rel = iri[len(self.base):]
            first = re.split(r"[/?#]", rel, maxsplit=1)[0]
            if rel and ":" not in first and not rel.startswith(("/", "?", "#", ".")):
                return rel
        return _curie(iri)

    def vocab_iri(self, iri: str) -> str:
        """A class IRI as a "type" value (relative to @vocab when possible)."""
        if iri.startswith(self.vocab) and re.fullmatch(r"[A-Za-z_][\w-]*", iri[len(self.vocab):]):
            local = iri[len(self.vocab):]
            if local not in self.prefixes and local not in ("id", "type") and local not in self.names:
                return local
        return _curie(iri)

    def key(self, predicate: str) -> tuple[str, str | None]:
        if predicate in self.terms:
            return self.terms[predicate]
        return _curie(predicate), None

    def value(self, term, coercion: str | None) -> object:
        import pyoxigraph

        if isinstance(term, pyoxigraph.NamedNode):
            return self.iri(term.value) if coercion == "@id" else {"@id": self.iri(term.value)}
        if isinstance(term, pyoxigraph.BlankNode):
            return f"_:{term.value}" if coercion == "@id" else {"@id": f"_:{term.value}"}
        dt = term.datatype.value if term.datatype is not None else _STRING
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if coercion not in (None, "@id"):
            return term.value if dt == coercion else {"@value": term.value, "@type": _curie(dt)}
        if dt == _STRING:
            return term.value if coercion is None else {"@value": term.value}
        if coercion is None and dt in _NATIVE:
            if dt.endswith("boolean") and term.value in ("true", "false"):
                return term.value == "true"
            if dt.endswith("integer") and re.fullmatch(r"-?(?:0|[1-9][0-9]*)", term.value):
                return int(term.value)
        return {"@value": term.value, "@type": _curie(dt)}


def compact_jsonld(triples: Iterable, context: dict | None = None) -> str:
    """Triples as a compacted JSON-LD document: the context inline and one node object per subject."""
    import pyoxigraph

    context = context or load_context()
    c = _Compactor(context)
    nodes: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for t in triples:
        s = t.subject
        sid = c.iri(s.value) if isinstance(s, pyoxigraph.NamedNode) else f"_:{s.value}"
        if t.predicate.value == _RDF_TYPE and isinstance(t.object, pyoxigraph.NamedNode):
            nodes[sid]["type"].append(c.vocab_iri(t.object.value))
            continue
        key, coercion = c.key(t.predicate.value)
        nodes[sid][key].append(c.value(t.object, coercion))
    graph = []
    for sid in sorted(nodes):
        node: dict[str, object] = {"id": sid}
        for key in sorted(nodes[sid], key=lambda k: (k != "type", k)):
            values = nodes[sid][key]
            node[key] = values[0] if len(values) == 1 else values
        graph.append(node)
    return json.dumps({"@context": context["@context"], "@graph": graph}, ensure_ascii=False, indent=1) + "\n"


# --- the ontology ---------------------------------------------------------------------------------------


def export_ontology(fmt: str = "ttl") -> bytes:
    """The packaged ontology: ``ttl`` (the file itself), ``xml`` (RDF/XML), ``nt`` or ``jsonld``."""
    import pyoxigraph

    from .ontology import ontology_path

    data = ontology_path().read_bytes()
    if fmt == "ttl":
        return data
    if fmt == "jsonld":
        return compact_jsonld(_triples(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE))).encode()
    formats = {"xml": "RDF_XML", "nt": "N_TRIPLES"}
    if fmt not in formats:
        raise QueryError(f"the ontology is published as ttl, xml, nt or jsonld, not {fmt!r}")
    buf = io.BytesIO()
    triples = _triples(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE))
    kwargs = {"prefixes": PREFIXES} if fmt == "xml" else {}
    pyoxigraph.serialize(triples, buf, format=getattr(pyoxigraph.RdfFormat, formats[fmt]), **kwargs)
    return buf.getvalue()


def _labels(g, node) -> str:
    from rdflib.namespace import RDFS

    for v in g.objects(node, RDFS.label):
        return str(v)
    return ""


def _show(g, node) -> str:
    """A class expression or term as short readable text (Manchester-like)."""
    import rdflib
    from rdflib.collection import Collection
    from rdflib.namespace import OWL

    if isinstance(node, rdflib.URIRef):
        return _qname(str(node))
    if isinstance(node, rdflib.Literal):
        return repr(str(node)) if node.datatype is None else str(node)
    for op, word in ((OWL.intersectionOf, " and "), (OWL.unionOf, " or ")):
        head = g.value(node, op)
        if head is not None:
            return "(" + word.join(_show(g, m) for m in Collection(g, head)) + ")"
    head = g.value(node, OWL.oneOf)
    if head is not None:
        return "{" + ", ".join(_show(g, m) for m in Collection(g, head)) + "}"
    prop = g.value(node, OWL.onProperty)
    if prop is not None:
        for p, word in ((OWL.someValuesFrom, "some"), (OWL.allValuesFrom, "only"), (OWL.hasValue, "value")):
            v = g.value(node, p)
            if v is not None:
                return f"({_show(g, prop)} {word} {_show(g, v)})"
    return "[]"


def ontology_html() -> str:
    """A self-contained HTML page documenting every class and property of the ontology."""
    import rdflib
    from rdflib.namespace import OWL, RDF, RDFS

    from .ontology import load_ontology

    g = load_ontology()
    e = html.escape
    onto = rdflib.URIRef(ONTOLOGY_IRI)
    dcterms = rdflib.Namespace(PREFIXES["dcterms"])

    def local(term) -> str:
        return str(term)[len(str(OFSTED)):]

    def anchor(term) -> str:
        s = str(term)
        if s.startswith(str(OFSTED)):
            return f'<a href="#{e(local(term))}"><code>ofsted:{e(local(term))}</code></a>'
        return f"<code>{e(_show(g, term))}</code>"

    def section(kind, title: str, describe) -> list[str]:
        terms = sorted(t for t in g.subjects(RDF.type, kind)
                       if isinstance(t, rdflib.URIRef) and str(t).startswith(str(OFSTED)))
        out = [f'<h2 id="{e(title.lower().replace(" ", "-"))}">{e(title)} ({len(terms)})</h2>']
        for t in terms:
            out.append(f'<section class="term" id="{e(local(t))}"><h3>{e(_labels(g, t) or local(t))} '
                       f"<code>ofsted:{e(local(t))}</code></h3>")
            out.append(f"<p>{e(str(g.value(t, RDFS.comment) or ''))}</p><dl>")
            out += describe(t)
            out.append(f"<dt>IRI</dt><dd><code>{e(str(t))}</code></dd></dl></section>")
        return out

    def class_rows(t) -> list[str]:
        rows = []
        for label, p in (("Subclass of", RDFS.subClassOf), ("Equivalent to", OWL.equivalentClass),
                         ("Disjoint with", OWL.disjointWith)):
            vals = sorted(g.objects(t, p), key=str)
            if vals:
                rows.append(f"<dt>{label}</dt><dd>{', '.join(anchor(v) for v in vals)}</dd>")
        return rows

    def property_rows(t) -> list[str]:
        rows = []
        traits = [_qname(str(c)).split(":")[1] for c in g.objects(t, RDF.type)
                  if c not in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)]
        if traits:
            rows.append(f"<dt>Characteristics</dt><dd>{e(', '.join(sorted(traits)))}</dd>")
        for label, p in (("Domain", RDFS.domain), ("Range", RDFS.range), ("Inverse of", OWL.inverseOf)):
            vals = sorted(g.objects(t, p), key=str)
            if vals:
                rows.append(f"<dt>{label}</dt><dd>{', '.join(anchor(v) for v in vals)}</dd>")
        return rows

    title = str(g.value(onto, dcterms.title) or "ofsted-kg ontology")
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(title)} {e(VERSION)}</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
        "line-height:1.45}code{font-size:.92em}section.term{border-top:1px solid #ddd;padding-top:.4rem}"
        "dt{font-weight:600;float:left;clear:left;width:9rem}dd{margin-left:10rem}h3{margin-bottom:.2rem}"
        "</style></head><body>",
        f"<h1>{e(title)}</h1>",
        f"<p>{e(str(g.value(onto, dcterms.description) or ''))}</p>",
        "<dl>",
        f"<dt>IRI</dt><dd><code>{e(ONTOLOGY_IRI)}</code></dd>",
        f"<dt>Version</dt><dd><code>{e(VERSION_IRI)}</code></dd>",
        f"<dt>Namespace</dt><dd><code>{e(str(OFSTED))}</code> (prefix <code>ofsted:</code>)</dd>",
        f"<dt>Licence</dt><dd>{e(str(g.value(onto, dcterms.license) or ''))}</dd>",
        "<dt>Formats</dt><dd>Turtle (<code>ofsted-kg export --ontology --format ttl</code>), RDF/XML "
        "(<code>--format xml</code>)</dd></dl>",
        '<p><a href="#classes">Classes</a> · <a href="#object-properties">Object properties</a> · '
        '<a href="#datatype-properties">Datatype properties</a> · '
        '<a href="#annotation-properties">Annotation properties</a></p>',
    ]
    parts += section(OWL.Class, "Classes", class_rows)
    parts += section(OWL.ObjectProperty, "Object properties", property_rows)
    parts += section(OWL.DatatypeProperty, "Datatype properties", property_rows)
    parts += section(OWL.AnnotationProperty, "Annotation properties", property_rows)
    parts.append("<p><small>Generated from <code>src/ofsted_kg/ontology/ofsted.ttl</code> by "
                 "<code>ofsted_kg.export.ontology_html()</code>.</small></p></body></html>")
    return "\n".join(parts) + "\n"


# --- command line ----------------------------------------------------------------------------------------


def cmd_export(args: argparse.Namespace) -> int:
    if args.ontology:
        data = ontology_html().encode("utf-8") if args.format == "html" else export_ontology(args.format)
        written = [Path(args.out)] if args.out else []
        if args.out:
            Path(args.out).write_bytes(data)
    elif args.format == "html":
        raise QueryError("--format html is for the ontology page: add --ontology")
    elif args.out:
        written = export_to(Path(args.graph), args.format, Path(args.out))
    else:
        data = export(Path(args.graph), args.format)
        written = []
    if written:
        print(f"wrote {', '.join(map(str, written))}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return 0


def add_parser(subparsers) -> None:
    """Register ``ofsted-kg export`` (graph or ontology, every RDF format, the ontology's HTML page)."""
    e = subparsers.add_parser("export", help="write the graph (or the ontology) in a standard RDF serialisation")
    e.add_argument("--graph", default="kg", help="graph directory (default: kg)")
    e.add_argument("--format", choices=[*FORMATS, "html"], default="ttl",
                   help="ttl, nt, xml, jsonld (union of the graphs), nq, trig (named graphs kept); "
                        "html: the ontology's documentation page (with --ontology)")
    e.add_argument("--ontology", action="store_true", help="export the ontology instead of the graph")
    e.add_argument("--out", help="file to write (default: standard output); JSON-LD also writes context.jsonld "
                                 "beside it")
    e.set_defaults(func=cmd_export)


def regenerate(repo: Path | None = None) -> list[Path]:
    """Rewrite the generated files after an ontology change: the packaged ``context.jsonld`` and, in a source
    checkout, ``docs/ontology.html``. Run ``python -m ofsted_kg.export``."""
    from .ontology import asset_path

    written = []
    ctx = Path(str(asset_path("ontology"))).with_name(CONTEXT_FILE)
    ctx.write_text(json.dumps(build_context(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    written.append(ctx)
    docs = (repo or Path(__file__).resolve().parents[2]) / "docs"
    if docs.is_dir():
        (docs / "ontology.html").write_text(ontology_html(), encoding="utf-8")
        written.append(docs / "ontology.html")
    return written


if __name__ == "__main__":
    for path in regenerate():
        print(f"wrote {path}")
