"""Exports: every serialisation of the seed graph reads back as the same graph (per named graph for TriG and
N-Quads), JSON-LD is readable with the packaged context, and the ontology is published as Turtle, RDF/XML and
an HTML page."""

from __future__ import annotations

import argparse
import html
import json
import re
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

from ofsted_kg.export import (
    CONTEXT_FILE,
    add_parser,
    build_context,
    compact_jsonld,
    export,
    export_ontology,
    export_to,
    graph_quads,
    load_context,
    ontology_html,
)
from ofsted_kg.namespaces import ID, OFSTED
from ofsted_kg.ontology import load_ontology

ROOT = Path(__file__).resolve().parents[1]
XSD = "http://www.w3.org/2001/XMLSchema#"


def _term(t):
    if isinstance(t, pyoxigraph.NamedNode):
        return rdflib.URIRef(t.value)
    if isinstance(t, pyoxigraph.BlankNode):
        return rdflib.BNode(t.value)
    dt = t.datatype.value if t.datatype is not None and not t.language else None
    return rdflib.Literal(t.value, lang=t.language, datatype=rdflib.URIRef(dt) if dt and dt != XSD + "string" else None)


@pytest.fixture(scope="module")
def built(seed_graph) -> dict[str, rdflib.Graph]:
    """The seed graph as built, one rdflib graph per named graph (key "" = the union)."""
    graphs: dict[str, rdflib.Graph] = {"": rdflib.Graph()}
    for q in graph_quads(seed_graph):
        t = (_term(q.subject), _term(q.predicate), _term(q.object))
        graphs.setdefault(q.graph_name.value, rdflib.Graph()).add(t)
        graphs[""].add(t)
    return graphs


@pytest.mark.parametrize("fmt,rdflib_format", [("ttl", "turtle"), ("xml", "xml"), ("jsonld", "json-ld")])
def test_triple_formats_round_trip(seed_graph, built, fmt, rdflib_format):
    g = rdflib.Graph().parse(data=export(seed_graph, fmt), format=rdflib_format)
    assert len(g) == len(built[""]) > 20000
    assert isomorphic(g, built[""])


def test_trig_round_trips_per_named_graph(seed_graph, built):
    ds = rdflib.Dataset()
    ds.parse(data=export(seed_graph, "trig"), format="trig")
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert names == set(built) - {""}
    assert str(ID["graph/vocabulary"]) in names and any("/id/report/" in n for n in names)
    for name in names:
        assert isomorphic(ds.graph(rdflib.URIRef(name)), built[name]), name


def test_nquads_export_is_the_built_graph(seed_graph):
    """N-Quads (and N-Triples) need no round trip through rdflib: the export is graph.nq's own statements."""
    lines = export(seed_graph, "nq").decode("utf-8").splitlines()
    built = (seed_graph / "graph.nq").read_text(encoding="utf-8").splitlines()
    assert set(built) <= set(lines)
    extra = set(lines) - set(built)  # the build record and dataset description (build-prov.trig)
    assert extra and all(line.endswith(("/id/graph/build> .", "/id/graph/dataset> .", "/id/graph/inferred> ."))
                         for line in extra)


def test_export_keeps_the_built_literals_the_store_would_canonicalise(seed_graph):
    """Offsets are xsd:nonNegativeInteger in graph.nq; Oxigraph's store turns them into xsd:integer, the
    exports must not."""
    nt = export(seed_graph, "nt").decode("utf-8")
    assert re.search(r'<http://www\.w3\.org/ns/oa#start> "\d+"\^\^<http://www\.w3\.org/2001/XMLSchema#'
                     r'nonNegativeInteger>', nt)
    assert nt.splitlines() == sorted(nt.splitlines())  # sorted, so the same graph gives the same bytes


def test_jsonld_reads_as_plain_json(seed_graph, tmp_path):
    written = export_to(seed_graph, "jsonld", tmp_path / "graph.jsonld")
    assert [p.name for p in written] == ["graph.jsonld", CONTEXT_FILE]
    doc = json.loads(written[0].read_text(encoding="utf-8"))
    assert doc["@context"] == load_context()["@context"]
    assert json.loads(written[1].read_text(encoding="utf-8")) == load_context()
    nodes = {n["id"]: n for n in doc["@graph"]}
    inspections = [n for n in nodes.values() if "Inspection" in n.get("type", [])]
    assert inspections
    for n in inspections:
        assert n["id"].startswith("id/inspection/")
        assert n["authority"].startswith("id/authority/")
        assert n["framework"].startswith("framework/")
        assert isinstance(n["referenced"], bool)
        if "startDate" in n:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", n["startDate"])
    judgement = next(n for n in nodes.values() if n.get("type") == "Judgement")
    assert judgement["grade"].startswith("grade/") and judgement["scale"].startswith("scale/")
    finding = next(n for n in nodes.values() if "Finding" in n.get("type", []))
    assert isinstance(finding["text"], str) and finding["kind"] in ("strength", "weakness", "recommendation")
    position = next(n for n in nodes.values() if n.get("type") == "oa:TextPositionSelector")
    assert position["start"].isdigit()  # coerced to xsd:nonNegativeInteger by the context, so a plain string


def test_context_matches_the_ontology():
    """The shipped context.jsonld is what build_context() derives from the ontology."""
    ctx = load_context()
    assert ctx == build_context(), "context.jsonld is stale: run python -m ofsted_kg.export"
    terms = ctx["@context"]
    for name in ("authority", "grade", "text", "startDate", "theme", "hasEvidence"):
        assert name in terms
    assert terms["startDate"]["@type"] == "xsd:date"
    assert terms["authority"]["@type"] == "@id"
    assert terms["confidence"]["@type"] == "xsd:decimal"


def test_compaction_of_unusual_terms_round_trips():
    g = pyoxigraph
    s = g.NamedNode(str(ID["inspection/E1/sif/2014-01-01"]))
    b = g.BlankNode("b1")
    triples = [
        g.Triple(s, g.NamedNode(str(OFSTED.startDate)), g.Literal("2014-01-01", datatype=g.NamedNode(XSD + "date"))),
        g.Triple(s, g.NamedNode(str(OFSTED.startDate)), g.Literal("2014", datatype=g.NamedNode(XSD + "gYear"))),
        g.Triple(s, g.NamedNode(str(OFSTED.authority)), g.Literal("not an IRI")),
        g.Triple(s, g.NamedNode(str(OFSTED.cycles)), g.Literal("007", datatype=g.NamedNode(XSD + "integer"))),
        g.Triple(s, g.NamedNode(str(OFSTED.confidence)), g.Literal("0.50", datatype=g.NamedNode(XSD + "decimal"))),
        g.Triple(s, g.NamedNode("http://example.org/other#p"), b),
        g.Triple(b, g.NamedNode(str(OFSTED.text)), g.Literal("Bonjour", language="fr")),
        g.Triple(s, g.NamedNode(str(OFSTED.theme)), g.NamedNode("https://w3id.org/ofsted-kg/theme/supervision")),
    ]
    doc = compact_jsonld(triples)
    back = rdflib.Graph().parse(data=doc, format="json-ld")
    expected = rdflib.Graph()
    for t in triples:
        expected.add((_term(t.subject), _term(t.predicate), _term(t.object)))
    assert isomorphic(back, expected)
    node = next(n for n in json.loads(doc)["@graph"] if n["id"] == "id/inspection/E1/sif/2014-01-01")
    assert node["theme"] == "theme/supervision"
    assert node["confidence"] == "0.50"


@pytest.mark.parametrize("fmt,rdflib_format", [("ttl", "turtle"), ("xml", "xml"), ("nt", "nt"),
                                               ("jsonld", "json-ld")])
def test_ontology_published_in_every_format(fmt, rdflib_format):
    g = rdflib.Graph().parse(data=export_ontology(fmt), format=rdflib_format)
    assert isomorphic(g, load_ontology())


def test_ontology_html_documents_every_term():
    page = ontology_html()
    onto = load_ontology()
    terms = {str(s)[len(str(OFSTED)):] for s in onto.subjects() if str(s).startswith(str(OFSTED))}
    for local in terms:
        assert f'id="{local}"' in page, local
    assert "(ofsted:theme some ({theme:leadership-and-management} or (skos:broader value" in html.unescape(page)
    assert (ROOT / "docs" / "ontology.html").read_text(encoding="utf-8") == page, (
        "docs/ontology.html is stale: run python -m ofsted_kg.export")


def test_export_command_parser():
    p = argparse.ArgumentParser()
    add_parser(p.add_subparsers(dest="command"))
    args = p.parse_args(["export", "--ontology", "--format", "xml"])
    assert args.ontology and args.format == "xml" and callable(args.func)
