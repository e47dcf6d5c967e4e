"""SHACL validation: the built graphs conform, and deliberately broken graphs are reported naming the node."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pyoxigraph
import pytest

from ofsted_kg.namespaces import GRADE, ID, OA, OFSTED, SCALE
from ofsted_kg.ontology import load_asset
from ofsted_kg.validate import add_parser, validate

N = pyoxigraph.NamedNode


def _copy(graph_dir: Path, tmp: Path) -> Path:
    out = tmp / "kg"
    shutil.copytree(graph_dir, out)
    return out


def _one(store, query: str) -> dict:
    from ofsted_kg.namespaces import PREFIXES

    rows = list(store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True))
    assert rows, query
    return rows[0]


def test_shapes_parse_and_cover_the_contract():
    shapes = load_asset("shapes")
    sh = "http://www.w3.org/ns/shacl#"
    targets = {str(o) for o in shapes.objects(None, __import__("rdflib").URIRef(sh + "targetClass"))}
    for cls in ("Inspection", "Judgement", "Finding", "Evidence", "Report", "PersistentWeakness",
                "ThemeObservation", "ThemeTag", "PersistenceLink", "LocalAuthority"):
        assert str(OFSTED[cls]) in targets, cls


def test_example_graph_conforms(example_graph):
    report = validate(example_graph)
    assert report.conforms, report.summary()
    assert report.focus_nodes > 1000 and report.slices >= 2


def test_seed_graph_conforms(seed_graph):
    report = validate(seed_graph)
    assert report.conforms, report.summary()


@pytest.fixture(scope="module")
def broken(example_graph, tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A copy of the example graph with four deliberate faults, each in a node named in the returned dict."""
    out = _copy(example_graph, tmp_path_factory.mktemp("broken"))
    store = pyoxigraph.Store(str(out / "store"))
    nodes: dict[str, str] = {}
    # 1. a second authority on an inspection, stated in another document's graph (validation works in slices)
    row = _one(store, "SELECT ?i ?g WHERE { GRAPH ?g { ?i a ofsted:SIFInspection } }")
    other = _one(store, "SELECT ?g WHERE { GRAPH ?g { ?r a ofsted:Report } FILTER(?g != ?own) }".replace(
        "?own", str(row["g"])))
    store.add(pyoxigraph.Quad(row["i"], N(str(OFSTED.authority)), N(str(ID["authority/E10000015"])), other["g"]))
    nodes["authority"] = row["i"].value
    # 2. a quote that is not the report's text at its offsets
    q = _one(store, "SELECT ?ev ?quote ?exact ?g WHERE { GRAPH ?g { ?ev oa:hasSelector ?quote . "
                    "?quote oa:exact ?exact } } ORDER BY ?ev LIMIT 1")
    store.remove(pyoxigraph.Quad(q["quote"], N(str(OA.exact)), q["exact"], q["g"]))
    store.add(pyoxigraph.Quad(q["quote"], N(str(OA.exact)), pyoxigraph.Literal("words nobody wrote"), q["g"]))
    nodes["quote"] = q["ev"].value
    # 3. a grade from the wrong scale (adequate is not on the SIF/ILACS scale)
    j = _one(store, "SELECT ?j ?grade ?g WHERE { GRAPH ?g { ?j ofsted:grade ?grade ; ofsted:scale scale:sif-ilacs } "
                    "} ORDER BY ?j LIMIT 1")
    store.remove(pyoxigraph.Quad(j["j"], N(str(OFSTED.grade)), j["grade"], j["g"]))
    store.add(pyoxigraph.Quad(j["j"], N(str(OFSTED.grade)), N(str(GRADE.adequate)), j["g"]))
    nodes["grade"] = j["j"].value
    # 4. a scale the framework never prints (numeric 4 = outstanding on an ILACS/SIF judgement; 'good' is on it)
    k = _one(store, "SELECT ?j ?g WHERE { GRAPH ?g { ?j ofsted:grade grade:good ; ofsted:scale scale:sif-ilacs } "
                    "} ORDER BY DESC(?j) LIMIT 1")
    store.remove(pyoxigraph.Quad(k["j"], N(str(OFSTED.scale)), N(str(SCALE["sif-ilacs"])), k["g"]))
    store.add(pyoxigraph.Quad(k["j"], N(str(OFSTED.scale)), N(str(SCALE["numeric-4-high"])), k["g"]))
    nodes["scale"] = k["j"].value
    store.flush()
    del store
    return out, nodes


@pytest.fixture(scope="module")
def broken_report(broken):
    return validate(broken[0], per_slice=1)


def _messages(report, focus: str) -> list[str]:
    return [v.line() for v in report.violations if v.focus == focus]


def test_two_authorities_reported_on_the_inspection(broken, broken_report):
    lines = _messages(broken_report, broken[1]["authority"])
    assert any("exactly one ofsted:authority" in m for m in lines), broken_report.summary()
    assert any(broken[1]["authority"].split("/id/")[-1] in line for line in broken_report.summary().splitlines())


def test_quote_not_matching_offsets_reported_on_the_evidence(broken, broken_report):
    lines = _messages(broken_report, broken[1]["quote"])
    assert any("is not the source's ofsted:content at offsets" in m and "words nobody wrote" in m for m in lines)


def test_grade_from_the_wrong_scale_reported_on_the_judgement(broken, broken_report):
    lines = _messages(broken_report, broken[1]["grade"])
    assert any("grade:adequate" in m and "not on the judgement's scale" in m for m in lines), lines


def test_scale_not_allowed_for_the_framework_reported_on_the_judgement(broken, broken_report):
    lines = _messages(broken_report, broken[1]["scale"])
    assert any("scale:numeric-4-high" in m and "ofsted:allowedScale" in m for m in lines), lines
    assert not any("not on the judgement's scale" in m for m in lines)  # good is on the numeric scale


def test_nothing_else_is_reported(broken, broken_report):
    """Only the broken nodes, and the theme observations of the two-authority inspection (whose authority no
    longer matches the inspection's), are reported."""
    inspection = broken[1]["authority"]
    focus = {v.focus for v in broken_report.violations if not v.focus.startswith(inspection + "/theme/")}
    assert focus == set(broken[1].values()), broken_report.summary()
    knock_on = [v for v in broken_report.violations if v.focus.startswith(inspection + "/theme/")]
    assert all("differs from the authority" in v.message for v in knock_on)


def test_validate_command_parser():
    p = argparse.ArgumentParser()
    add_parser(p.add_subparsers(dest="command"))
    args = p.parse_args(["validate", "--graph", "g", "--format", "json"])
    assert args.graph == "g" and callable(args.func)
