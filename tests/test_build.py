"""Building graphs: outputs, determinism, both RDF libraries, bad inputs, named queries."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph
import pytest
import rdflib

from ofsted_kg.build import build
from ofsted_kg.cli import main
from ofsted_kg.queries import format_results, named_queries, run_named
from ofsted_kg.store import open_backend


def test_build_writes_graph_store_and_report(seed_graph):
    for name in ("graph.ttl", "graph.nq", "build-report.json"):
        assert (seed_graph / name).is_file()
    assert (seed_graph / "store").is_dir()
    report = json.loads((seed_graph / "build-report.json").read_text())
    assert [f["status"] for f in report["files"]] == ["ok"] * 5
    assert all(f["counts"]["findings"] > 0 for f in report["files"])


def test_graph_parses_in_rdflib_and_pyoxigraph(seed_graph):
    g = rdflib.Graph().parse(seed_graph / "graph.ttl", format="turtle")
    triples = list(pyoxigraph.parse(path=str(seed_graph / "graph.ttl"), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(g) == len(set(triples)) > 1000


def test_rebuilding_the_same_inputs_gives_the_same_graph(seeds_dir, seed_graph, tmp_path):
    again = tmp_path / "again"
    build([seeds_dir], again, jobs=1)
    assert (again / "graph.nq").read_bytes() == (seed_graph / "graph.nq").read_bytes()
    assert (again / "graph.ttl").read_bytes() == (seed_graph / "graph.ttl").read_bytes()


def test_a_copy_of_a_report_in_another_format_is_one_inspection_with_two_sources(seeds_dir, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    src = seeds_dir / "002_3c3cba8f059af4b1.txt"
    shutil.copy(src, corpus / "herefordshire-2018.txt")
    text = src.read_text(encoding="utf-8")
    (corpus / "herefordshire-2018-copy.md").write_text(text.replace("\n\n", "\n\n\n"), encoding="utf-8")
    build([corpus], tmp_path / "kg", jobs=1)
    rows = run_named(open_backend(tmp_path / "kg"), "inspections").values()
    first_hand = [r for r in rows if not r["referenced"]]
    assert len(first_hand) == 1
    assert str(first_hand[0]["source"]).count(" | ") == 1  # two sources


def test_reingesting_never_duplicates(seeds_dir, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    src = seeds_dir / "000_f6169653f68880f1.txt"
    shutil.copy(src, corpus / "a.txt")
    shutil.copy(src, corpus / "b.txt")
    build([corpus], tmp_path / "kg", jobs=1)
    rows = run_named(open_backend(tmp_path / "kg"), "judgements").values()
    assert len(rows) == 4


def test_bad_files_are_reported_and_the_rest_still_builds(seeds_dir, tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(seeds_dir / "002_3c3cba8f059af4b1.txt", corpus)
    (corpus / "empty.txt").write_text("")
    (corpus / "binary.pdf").write_bytes(b"\x00\x01\x02garbage" * 50)
    (corpus / "corrupt.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00\xff" * 200)
    (corpus / "page.pdf").write_text("<!DOCTYPE html><html><head><title>Report not found</title></head></html>")
    (corpus / "minutes.txt").write_text("Minutes of the parish council meeting about the village fete.\n")
    code = main(["build", str(corpus), "--out", str(tmp_path / "kg"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1  # something failed
    report = json.loads((tmp_path / "kg" / "build-report.json").read_text())
    status = {Path(f["path"]).name: f["status"] for f in report["files"]}
    assert status == {"002_3c3cba8f059af4b1.txt": "ok", "empty.txt": "failed", "binary.pdf": "failed",
                      "corrupt.pdf": "failed", "page.pdf": "skipped", "minutes.txt": "skipped"}
    for name in ("empty.txt", "binary.pdf", "corrupt.pdf", "page.pdf"):
        line = next(x for x in err.splitlines() if name in x)
        assert ": " in line  # names the file, where, and what to do
    assert "HTML page" in next(x for x in err.splitlines() if "page.pdf" in x)
    rows = run_named(open_backend(tmp_path / "kg"), "judgements").values()
    assert len(rows) == 4  # the good report still built


def test_named_queries_have_headers_and_required_columns():
    queries = named_queries()
    required = {
        "inspections": ["authority", "inspection", "framework", "startDate", "endDate", "published", "year",
                        "leadInspector", "referenced", "source"],
        "judgements": ["authority", "inspection", "year", "area", "grade", "gradeLabel", "scale", "source"],
        "findings": ["authority", "inspection", "year", "kind", "text", "section", "paragraph", "source"],
    }
    for name, columns in required.items():
        assert queries[name].description
        assert set(columns) <= set(queries[name].columns)


def test_query_judgements_on_the_seeds(seed_graph):
    rows = run_named(open_backend(seed_graph), "judgements").values()
    assert len(rows) > 20
    by = {(r["authority"], r["year"], r["area"]): r["grade"] for r in rows}
    assert by[("Hertfordshire", 2013, "overall-effectiveness")] == "adequate"
    assert by[("Hertfordshire", 2007, "safeguarding")] == "inadequate"
    assert by[("Herefordshire", 2018, "leaders")] == "inadequate"
    assert by[("Herefordshire", 2010, "performance-management-quality-assurance")] == "inadequate"
    assert by[("Herefordshire", 2005, "safeguarding")] == "inadequate"
    assert all(r["source"] for r in rows)


def test_query_inspections_lists_each_cycle_under_its_authority(seed_graph):
    rows = run_named(open_backend(seed_graph), "inspections").values()
    got = {(r["authority"], r["framework"], r["year"], bool(r["referenced"])) for r in rows}
    assert {("Hertfordshire", "jar", 2007, False), ("Hertfordshire", "cp2012", 2013, False),
            ("Herefordshire", "slac", 2010, False), ("Herefordshire", "ilacs-standard", 2018, False),
            ("Herefordshire", "jar", 2005, True), ("Herefordshire", "sif", 2014, True),
            ("Hertfordshire", "apa", 2006, True)} <= got
    undated = [r for r in rows if r["authority"] == "Hertfordshire" and str(r["framework"]).startswith("ilacs")]
    assert len(undated) == 1 and undated[0]["year"] == 2018
    for r in rows:  # nothing from one authority's documents under another
        herts_doc = any(k in str(r["source"]) for k in ("000_", "001_", "004_"))
        assert (r["authority"] == "Hertfordshire") == herts_doc, r


def test_authority_is_bound_not_pasted(seed_graph, capsys):
    assert main(["query", "judgements", "--graph", str(seed_graph), "--authority", "Herefordshire Council",
                 "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("authority,")
    assert {line.split(",")[0] for line in out[1:]} == {"Herefordshire"}
    assert main(["query", "judgements", "--graph", str(seed_graph), "--authority", "Hertfordshre"]) == 2


def test_json_output_is_sparql_results_json(seed_graph):
    res = run_named(open_backend(seed_graph), "inspections")
    doc = json.loads(format_results(res, "json"))
    assert doc["head"]["vars"][:2] == ["authority", "inspection"]
    first = doc["results"]["bindings"][0]
    assert first["inspection"]["type"] == "uri"
    assert first["authority"]["type"] == "literal"


def test_sparql_command_runs_any_query(seed_graph, capsys, tmp_path):
    q = tmp_path / "count.rq"
    q.write_text("SELECT (COUNT(?j) AS ?n) WHERE { ?j a ofsted:Judgement }")
    assert main(["sparql", str(q), "--graph", str(seed_graph), "--format", "csv"]) == 0
    assert int(capsys.readouterr().out.splitlines()[1]) > 20


@pytest.mark.parametrize("fmt", ["ttl", "jsonld", "nt", "xml"])
def test_export_formats_parse(seed_graph, tmp_path, fmt):
    out = tmp_path / f"g.{fmt}"
    assert main(["export", "--graph", str(seed_graph), "--format", fmt, "--out", str(out)]) == 0
    rdflib_fmt = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "xml": "xml"}[fmt]
    g = rdflib.Graph().parse(out, format=rdflib_fmt)
    assert len(g) > 1000


def test_both_backends_give_the_same_rows_for_every_named_query(seed_graph):
    oxi = open_backend(seed_graph, "oxigraph")
    rdf = open_backend(seed_graph, "rdflib")
    for name in named_queries():
        a = run_named(oxi, name).values()
        b = run_named(rdf, name).values()
        key = lambda rows: sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)  # noqa: E731
        assert key(a) == key(b), name


def test_manifest_overrides_extracted_fields(seeds_dir, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(seeds_dir / "001_39b8377d839310fa.txt", corpus / "herts-ilacs.txt")
    (corpus / "manifest.csv").write_text(
        "file,authority,start,end,framework,url\n"
        "herts-ilacs.txt,E10000015,2018-10-15,2018-10-26,ilacs-standard,https://example.org/report\n")
    build([corpus], tmp_path / "kg", jobs=1)
    rows = run_named(open_backend(tmp_path / "kg"), "inspections").values()
    row = next(r for r in rows if not r["referenced"])
    assert (row["startDate"], row["endDate"], row["framework"]) == ("2018-10-15", "2018-10-26", "ilacs-standard")


def test_a_bad_manifest_is_reported_and_the_reports_still_build(seeds_dir, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(seeds_dir / "000_f6169653f68880f1.txt", corpus)
    (corpus / "manifest.csv").write_text("file,framework\n000_f6169653f68880f1.txt,sif-2099\n")
    report = build([corpus], tmp_path / "kg", jobs=1)
    failed = [f for f in report.files if f.status == "failed"]
    assert len(failed) == 1 and "manifest.csv" in failed[0].reason and "line 2" in failed[0].reason
    assert "unknown framework" in failed[0].reason
    assert [f.status for f in report.files if f.path.endswith(".txt")] == ["ok"]


def test_quick_start_sample_corpus(example_graph):
    rows = run_named(open_backend(example_graph), "inspections").values()
    assert {r["authority"] for r in rows} == {"Calderbrook"}
    assert [r["framework"] for r in rows if not r["referenced"]] == ["sif", "focused-visit", "ilacs-standard"]
    ttl = (example_graph / "graph.ttl").read_text()
    assert "X99999990" in ttl and "statistical-geography/X99999990" not in ttl  # fictional: no sameAs to ONS
