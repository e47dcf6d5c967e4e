"""OWL reasoning with HermiT: the built graph is consistent and gains inferred types (written to inferred.nq
and the store); a graph with an inspection of two authorities is reported naming the inspection."""

from __future__ import annotations

import argparse
import hashlib
import shutil
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, SKOS

from ofsted_kg.export import export
from ofsted_kg.namespaces import ID, OFSTED, PREFIXES, THEME
from ofsted_kg.ontology import load_ontology
from ofsted_kg.reason import (
    INFERRED_FILE,
    INFERRED_GRAPH,
    add_parser,
    diagnose,
    inferred_is_current,
    partition,
    reason,
    write_inferred,
)

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs a Java runtime (java on PATH)")


def _copy(graph_dir: Path, tmp: Path) -> Path:
    out = tmp / "kg"
    shutil.copytree(graph_dir, out)
    return out


# --- the ontology's new terms and the diagnosis (no Java needed) -----------------------------------------


def test_defined_classes_and_persistence_terms():
    onto = load_ontology()
    for cls in ("ThemeTag", "PersistentWeakness", "ThemeObservation", "PersistenceLink", "NegativeFinding",
                "LeadershipWeakness", "HelpAndProtectionWeakness", "ChildrenInCareWeakness", "InadequateInspection"):
        assert (OFSTED[cls], RDF.type, OWL.Class) in onto, cls
    for cls in ("LeadershipWeakness", "HelpAndProtectionWeakness", "ChildrenInCareWeakness", "NegativeFinding"):
        assert onto.value(OFSTED[cls], OWL.equivalentClass) is not None, cls
    functional = set(onto.subjects(RDF.type, OWL.FunctionalProperty))
    for p in ("cycles", "stated", "status", "year", "isVisit", "inspection", "fromInspection", "toInspection"):
        assert OFSTED[p] in functional, p
    # the group classes name the three top concepts of the theme scheme
    text = onto.serialize(format="nt")
    for group in ("leadership-and-management", "help-and-protection", "children-in-care"):
        assert str(THEME[group]) in text


def test_diagnose_names_the_nodes_of_each_clash():
    tbox = load_ontology()
    insp, f = ID["inspection/E1/sif/2014-01-01"], ID["inspection/E1/sif/2014-01-01/finding/x"]
    a, b = ID["authority/E10000015"], ID["authority/E06000019"]
    abox = rdflib.Graph()
    abox.add((insp, RDF.type, OFSTED.SIFInspection))
    abox.add((insp, OFSTED.authority, a))
    abox.add((insp, OFSTED.authority, b))
    abox.add((a, OWL.differentFrom, b))
    abox.add((f, RDF.type, OFSTED.Strength))
    abox.add((f, RDF.type, OFSTED.Weakness))
    abox.add((f, OFSTED.kind, rdflib.Literal("weakness")))
    problems = diagnose(tbox, list(abox))
    assert any(str(insp) in p and str(a) in p and str(b) in p and "functional" in p for p in problems), problems
    assert any(str(f) in p and "disjoint" in p for p in problems), problems
    assert any(str(f) in p and "requires ofsted:kind strength" in p for p in problems), problems
    assert diagnose(tbox, [(insp, RDF.type, OFSTED.SIFInspection), (insp, OFSTED.authority, a)]) == []


def test_partition_keeps_authorities_whole_and_shares_the_vocabulary():
    def inspection(gss: str, n: int) -> list[tuple]:
        i = ID[f"inspection/{gss}/sif/2014-0{n}-01"]
        f = ID[f"inspection/{gss}/sif/2014-0{n}-01/finding/x"]
        return [(i, RDF.type, OFSTED.SIFInspection), (i, OFSTED.authority, ID[f"authority/{gss}"]),
                (i, OFSTED.hasFinding, f), (f, RDF.type, OFSTED.Weakness), (f, OFSTED.theme, THEME.supervision)]

    report = ID["report/abc"]
    shared = [(ID["authority/E00000001"], RDF.type, OFSTED.LocalAuthority), (THEME.supervision, RDF.type, SKOS.Concept)]
    abox = shared + inspection("E00000001", 1) + inspection("E00000001", 2) + inspection("E00000002", 3)
    abox.append((report, OFSTED.describes, ID["inspection/E00000002/sif/2014-03-01"]))
    whole = partition(abox, 100)
    assert len(whole) == 1 and set(abox) <= set(whole[0])
    chunks = partition(abox, 4)
    assert len(chunks) == 2
    for chunk in chunks:
        assert set(shared) <= set(chunk)
        gss = {str(s).split("/inspection/")[1][:9] for s, _, _ in chunk if "/inspection/" in str(s)}
        assert len(gss) == 1  # an authority's nodes stay together
        assert (report, OFSTED.describes, ID["inspection/E00000002/sif/2014-03-01"]) in chunk or gss != {"E00000002"}


def test_reason_command_parser():
    p = argparse.ArgumentParser()
    add_parser(p.add_subparsers(dest="command"))
    args = p.parse_args(["reason", "--graph", "g", "--dry-run"])
    assert args.graph == "g" and args.dry_run and callable(args.func)


# --- HermiT ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reasoned(example_graph, tmp_path_factory):
    graph = _copy(example_graph, tmp_path_factory.mktemp("reasoned"))
    before = {name: (graph / name).read_bytes() for name in ("graph.nq", "graph.ttl")}
    return graph, before, reason(graph)


@needs_java
def test_example_graph_is_consistent_and_classified(reasoned):
    graph, _, result = reasoned
    assert result.consistent, result.summary()
    counts = result.counts()
    for cls in ("NegativeFinding", "LeadershipWeakness", "HelpAndProtectionWeakness", "ChildrenInCareWeakness",
                "GradedInspection", "ReferencedInspection"):
        assert counts.get(str(OFSTED[cls]), 0) > 0, (cls, result.summary())
    inferred = {(s, c) for s, c in result.inferred}
    weaknesses = {s for s, c in inferred if c == str(OFSTED.NegativeFinding)}
    store = pyoxigraph.Store.read_only(str(graph / "store"))
    rows = store.query("SELECT ?f WHERE { ?f ofsted:kind ?k FILTER(?k IN ('weakness', 'recommendation')) }",
                       prefixes=PREFIXES, use_default_graph_as_union=True)
    assert weaknesses == {r["f"].value for r in rows}  # exactly the findings that count as weaknesses
    assert result.seconds < 180


def _inferred_in_store(graph: Path) -> int:
    store = pyoxigraph.Store.read_only(str(graph / "store"))
    return sum(1 for _ in store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(INFERRED_GRAPH)))


@needs_java
def test_inferred_types_written_beside_the_graph_and_into_the_store(reasoned):
    graph, before, result = reasoned
    header, *lines = (graph / INFERRED_FILE).read_text(encoding="utf-8").splitlines()
    assert header.startswith("# ") and hashlib.sha256((graph / "graph.nq").read_bytes()).hexdigest() in header
    assert len(lines) == len(result.inferred) > 100
    assert lines == sorted(lines) and all(line.endswith(f"<{INFERRED_GRAPH}> .") for line in lines)
    for name, data in before.items():
        assert (graph / name).read_bytes() == data, f"{name} must stay the build's deterministic output"
    assert _inferred_in_store(graph) == len(lines)
    store = pyoxigraph.Store.read_only(str(graph / "store"))
    inferred_graph = pyoxigraph.NamedNode(INFERRED_GRAPH)
    asserted = {(q.subject, q.predicate, q.object) for q in store if q.graph_name != inferred_graph}
    assert not any((q.subject, q.predicate, q.object) in asserted
                   for q in store.quads_for_pattern(None, None, None, inferred_graph))  # nothing counted twice
    del store
    # writing again replaces the inferred graph rather than adding to it
    write_inferred(graph, result.inferred[:10])
    assert _inferred_in_store(graph) == 10
    write_inferred(graph, result.inferred)
    assert (graph / INFERRED_FILE).read_text(encoding="utf-8").splitlines() == [header, *lines]
    assert _inferred_in_store(graph) == len(lines)
    # exports include the inferences only while graph.nq is the one they were inferred from
    in_export = {line for line in export(graph, "nq").decode("utf-8").splitlines() if INFERRED_GRAPH in line}
    assert in_export == set(lines) and inferred_is_current(graph)
    nq = (graph / "graph.nq").read_bytes()
    (graph / "graph.nq").write_bytes(nq.replace(b"Calderbrook", b"Calderbr00k", 1))  # as a rebuild would
    assert not inferred_is_current(graph)
    assert not any(INFERRED_GRAPH in line for line in export(graph, "nq").decode("utf-8").splitlines())
    (graph / "graph.nq").write_bytes(nq)


@needs_java
def test_two_authorities_on_one_inspection_is_reported_naming_it(example_graph, tmp_path):
    graph = _copy(example_graph, tmp_path)
    store = pyoxigraph.Store(str(graph / "store"))
    row = next(iter(store.query("SELECT ?i ?a ?g WHERE { GRAPH ?g { ?i a ofsted:SIFInspection ; ofsted:authority ?a "
                                "} }", prefixes=PREFIXES)))
    other = pyoxigraph.NamedNode(str(ID["authority/E10000015"]))  # Hertfordshire, a real authority
    store.add(pyoxigraph.Quad(row["i"], pyoxigraph.NamedNode(str(OFSTED.authority)), other, row["g"]))
    store.flush()
    del store
    result = reason(graph)
    assert not result.consistent
    assert any(row["i"].value in p and row["a"].value in p and other.value in p for p in result.problems), \
        result.problems
    assert not (graph / INFERRED_FILE).exists()
    assert "INCONSISTENT" in result.summary() and row["i"].value in result.summary()
