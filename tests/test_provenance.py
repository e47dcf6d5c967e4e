"""Build provenance (PROV-O) and the dataset description (VoID/DCAT): checksums of the inputs, counts that
match graph.nq, licences, and a record kept out of graph.nq/graph.ttl so they stay byte-deterministic."""

from __future__ import annotations

import hashlib
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyoxigraph
import rdflib
from rdflib.namespace import RDF

from ofsted_kg.build import build, collect_inputs
from ofsted_kg.namespaces import ID, OFSTED
from ofsted_kg.provenance import (
    BUILD_GRAPH,
    DATASET,
    DATASET_GRAPH,
    LICENCE_CONTENT,
    LICENCE_SOFTWARE,
    PROV_FILE,
    build_provenance_quads,
    dataset_description_quads,
    write_build_record,
)

# plain namespaces: rdflib's closed ones warn when pytest's assertion rewriting probes them
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "reports"
T0 = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def _graph(quads) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(data="\n".join(str(pyoxigraph.Triple(q.subject, q.predicate, q.object)) + " ." for q in quads),
            format="nt")
    return g


def test_build_record_uses_every_input_with_its_checksum():
    files, manifests, registers = collect_inputs([EXAMPLES])
    inputs = [*files, *manifests, *registers]
    quads = build_provenance_quads(inputs, started=T0, ended=T0 + timedelta(seconds=3),
                                   outputs={"graph.nq": "ab" * 32})
    assert {q.graph_name for q in quads} == {BUILD_GRAPH}
    g = _graph(quads)
    activity = g.value(predicate=RDF.type, object=PROV.Activity)
    assert g.value(activity, PROV.startedAtTime).toPython() == T0
    assert g.value(activity, PROV.endedAtTime).toPython() == T0 + timedelta(seconds=3)
    assert any(str(q.object.value) == "2026-01-02T03:04:05Z" for q in quads)  # UTC, second precision
    agent = g.value(activity, PROV.wasAssociatedWith)
    assert (agent, RDF.type, PROV.SoftwareAgent) in g and (agent, DCTERMS.license, rdflib.URIRef(
        LICENCE_SOFTWARE.value)) in g
    used = set(g.objects(activity, PROV.used))
    for path in inputs:
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        entity = next(e for e in used if g.value(e, OFSTED.sha256) == rdflib.Literal(sha))
        assert str(g.value(entity, OFSTED.sourcePath)) == str(path)
        assert (entity, RDF.type, PROV.Entity) in g
        if path.suffix != ".csv":  # a report file's entity is the graph's own report node
            assert str(entity) == str(ID[f"report/{sha[:16]}"])
    assert rdflib.URIRef(DATASET.value) in set(g.objects(activity, PROV.generated))
    # reports the graph already describes are linked, not described twice (union queries would count twice)
    report = next(p for p in inputs if p.suffix == ".md")
    node = str(ID[f"report/{hashlib.sha256(report.read_bytes()).hexdigest()[:16]}"])
    again = _graph(build_provenance_quads(inputs, started=T0, ended=T0, described={node}))
    assert (rdflib.URIRef(node), None, None) not in again
    assert rdflib.URIRef(node) in set(again.objects(None, PROV.used))
    assert len(set(again.subjects(OFSTED.sha256, None))) == len(inputs) - 1


def test_dataset_description_counts_match_graph_nq(seed_graph):
    lines = (seed_graph / "graph.nq").read_text(encoding="utf-8").splitlines()
    quads = dataset_description_quads(lines, distributions={"graph.nq": (123, "cd" * 32)}, modified=T0,
                                      endpoint="http://127.0.0.1:8000/sparql")
    assert {q.graph_name for q in quads} == {DATASET_GRAPH}
    g = _graph(quads)
    d = rdflib.URIRef(DATASET.value)
    assert {(d, RDF.type, VOID.Dataset), (d, RDF.type, DCAT.Dataset)} <= set(g)
    assert int(g.value(d, VOID.triples)) == len(lines)
    inspections = sum(1 for line in lines if f"<{RDF.type}> <{OFSTED.Inspection}>" in line)
    partition = next(p for p in g.objects(d, VOID.classPartition) if g.value(p, VOID["class"]) == OFSTED.Inspection)
    assert int(g.value(partition, VOID.entities)) == inspections > 0
    assert int(g.value(d, VOID.properties)) == len({line.split(" ")[1] for line in lines})
    assert (d, DCTERMS.license, rdflib.URIRef(LICENCE_CONTENT.value)) in g
    assert (d, VOID.sparqlEndpoint, rdflib.URIRef("http://127.0.0.1:8000/sparql")) in g
    assert g.value(d, DCTERMS.source) is not None
    dist = g.value(d, DCAT.distribution)
    assert int(g.value(dist, DCAT.byteSize)) == 123
    # the same graph.nq gives the same description
    assert dataset_description_quads(lines, modified=T0) == dataset_description_quads(list(lines), modified=T0)


def test_two_builds_give_identical_graph_files_and_their_own_records(tmp_path):
    outs = []
    for n in (1, 2):
        out = tmp_path / f"kg{n}"
        report = build([EXAMPLES], out, jobs=1)
        assert report.failed == 0
        files, manifests, registers = collect_inputs([EXAMPLES])
        before = {name: (out / name).read_bytes() for name in ("graph.nq", "graph.ttl")}
        path = write_build_record(out, [*files, *manifests, *registers], started=T0 + timedelta(minutes=n))
        assert path == out / PROV_FILE
        for name, data in before.items():
            assert (out / name).read_bytes() == data  # the record never touches the deterministic files
        outs.append(out)
    for name in ("graph.nq", "graph.ttl"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes()
    records = []
    for out in outs:
        ds = rdflib.Dataset()
        ds.parse(out / PROV_FILE, format="trig")
        records.append(ds)
        store = pyoxigraph.Store.read_only(str(out / "store"))  # loaded into the store too
        for graph in (BUILD_GRAPH, DATASET_GRAPH):
            assert any(True for _ in store.quads_for_pattern(None, None, None, graph))
    used = [set(r.graph(rdflib.URIRef(BUILD_GRAPH.value)).objects(None, PROV.used)) for r in records]
    assert used[0] == used[1] and len(used[0]) >= 4
    starts = [set(r.graph(rdflib.URIRef(BUILD_GRAPH.value)).objects(None, PROV.startedAtTime)) for r in records]
    assert len(starts[0]) == len(starts[1]) == 1 and starts[0] != starts[1]
    void = [r.graph(rdflib.URIRef(DATASET_GRAPH.value)) for r in records]
    assert {t for t in void[0] if t[1] != DCTERMS.modified} == {t for t in void[1] if t[1] != DCTERMS.modified}


def test_record_replaces_the_previous_one_in_the_store(example_graph, tmp_path):
    out = tmp_path / "kg"
    shutil.copytree(example_graph, out)
    files, manifests, registers = collect_inputs([EXAMPLES])
    for n in range(2):
        write_build_record(out, [*files, *manifests, *registers], started=T0 + timedelta(hours=n))
    store = pyoxigraph.Store.read_only(str(out / "store"))
    activities = list(store.quads_for_pattern(None, pyoxigraph.NamedNode(str(RDF.type)),
                                              pyoxigraph.NamedNode(str(PROV.Activity)), BUILD_GRAPH))
    assert len(activities) == 1
    # no statement of the record repeats one of another named graph (union queries would count it twice)
    seen: dict[tuple, object] = {}
    for q in store:
        key = (q.subject, q.predicate, q.object)
        assert seen.setdefault(key, q.graph_name) == q.graph_name, (key, seen[key], q.graph_name)
    # the built reports are linked from the record; their checksums stay in their own graphs
    sha = pyoxigraph.NamedNode(str(OFSTED.sha256))
    reports = {q.subject for q in store.quads_for_pattern(None, sha, None, None) if "/id/report/" in q.subject.value}
    used = {q.object for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(str(PROV.used)), None, BUILD_GRAPH)}
    assert reports and reports <= used
