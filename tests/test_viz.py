"""Explorer, timeline and authority report, without a browser: data read from the seed graph, pages and
images generated, offline, and every finding text escaped."""

from __future__ import annotations

import argparse
import json
import re
import time
from html.parser import HTMLParser
from importlib.resources import files
from itertools import pairwise

import pytest

from ofsted_kg.errors import QueryError
from ofsted_kg.namespaces import ID, THEME
from ofsted_kg.queries import run_named
from ofsted_kg.store import OxigraphBackend

HEREF = str(ID["authority/E06000019"])
QA = str(THEME["quality-assurance"])
PI = str(THEME["performance-information"])
XSS = 'Audit <img src=x onerror="window.__xss=1"> is weak </script><script>window.__xss=2</script> & "so" <b>on</b>'


@pytest.fixture(scope="module")
def backend(seed_graph):
    b = OxigraphBackend(seed_graph)
    yield b
    b.close()


@pytest.fixture(scope="module")
def heref(backend):
    from ofsted_kg.viz.data import load

    return load(backend, HEREF)


def _page_data(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="explorer-data">(.*?)</script>', html, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


class _Tags(HTMLParser):
    """Every start tag of a page with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def _assert_offline(html: str) -> None:
    """No script, stylesheet or image is fetched from anywhere: everything is inline or a data URI."""
    for tag, attrs in _tags(html):
        if tag == "script":
            assert "src" not in attrs, attrs
        if tag == "link":
            assert attrs.get("rel") not in ("stylesheet", "preload", "modulepreload"), attrs
        if tag == "img":
            assert str(attrs.get("src", "")).startswith("data:image/"), attrs


# ---- data --------------------------------------------------------------------------------------------


def test_herefordshire_quality_assurance_chain_2010_to_2018(heref):
    pws = {p.theme: p for p in heref.persistence_of(HEREF)}
    assert QA in pws and PI in pws
    qa = pws[QA]
    years = [(heref.inspections[a].year, heref.inspections[b].year) for a, b in qa.links]
    assert years[0][0] == 2010 and years[-1][1] == 2018
    assert all(b == c for (_, b), (c, _) in pairwise(years)), "links form one chain in date order"
    # a quote with its source paragraph for the 2018 cycle, and evidence in the 2010 cycle
    cycles = {heref.inspections[heref.findings[f].inspection].year for f in qa.evidence}
    assert {2010, 2018} <= cycles
    refs = [heref.findings[f].evidence.reference for f in qa.evidence if heref.findings[f].evidence]
    assert any(re.search(r"002_3c3cba8f059af4b1\.txt, paragraph \d+", r) for r in refs), refs


def test_load_agrees_with_the_named_queries(backend, heref):
    named = run_named(backend, "inspections", {"authorityIri": HEREF}).values()
    assert set(heref.inspections) == {str(r["inspection"]) for r in named}
    weak = run_named(backend, "weaknesses", {"authorityIri": HEREF}).values()
    assert {str(THEME[str(r["theme"])]) for r in weak} == {t for f in heref.findings.values() for t in f.themes}
    pws = run_named(backend, "persistent-weaknesses", {"authorityIri": HEREF}).values()
    assert {str(r["persistence"]) for r in pws} == set(heref.persistence)


def test_resolve_authority(seed_graph):
    from ofsted_kg.viz.data import resolve_authority

    assert resolve_authority(seed_graph, "Herefordshire") == HEREF
    assert resolve_authority(seed_graph, "884") == HEREF
    assert resolve_authority(seed_graph, "E06000019") == HEREF
    assert resolve_authority(seed_graph, HEREF) == HEREF
    assert resolve_authority(seed_graph, "Hertfordshire") != HEREF
    with pytest.raises(QueryError, match="unknown authority"):
        resolve_authority(seed_graph, "Atlantis")


# ---- explorer ----------------------------------------------------------------------------------------


def test_explorer_nodes_edges_and_chains(backend, heref):
    from ofsted_kg.viz.explorer import explorer_payload

    payload = explorer_payload(heref)
    kinds: dict[str, int] = {}
    for n in payload["nodes"]:
        kinds[n["kind"]] = kinds.get(n["kind"], 0) + 1
    themes = {str(r["theme"]) for r in run_named(backend, "weaknesses", {"authorityIri": HEREF}).values()}
    inspections = run_named(backend, "inspections", {"authorityIri": HEREF}).values()
    assert kinds == {"authority": 1, "inspection": len(inspections), "theme": len(themes)}
    # inspections in date order along x
    lane = sorted((n for n in payload["nodes"] if n["kind"] == "inspection"), key=lambda n: n["x"])
    by_date = sorted(inspections, key=lambda r: str(r["startDate"] or r["published"] or r["year"]))
    assert [n["id"] for n in lane] == [str(r["inspection"]) for r in by_date]
    # weakness edges weighted by their findings; the chains are the persistence links, thick and directed
    weak = [e for e in payload["edges"] if e["kind"] == "weakness"]
    assert sum(len(e["f"]) for e in weak) == sum(len(f.themes) for f in heref.findings.values())
    assert all(e["count"] == len(e["f"]) for e in weak)
    widths = {e["count"]: e["width"] for e in weak}
    assert widths[max(widths)] > widths[min(widths)]
    chains = [e for e in payload["edges"] if e["kind"] == "chain"]
    assert len(chains) == sum(len(p.links) for p in heref.persistence.values())
    qa = [e for e in chains if e["theme"] == QA]
    by_id = {n["id"]: n for n in payload["nodes"]}
    assert [(by_id[e["from"]]["label"], by_id[e["to"]]["label"]) for e in qa] == [("2010 SLAC", "2014 SIF"),
                                                                                  ("2014 SIF", "2018 ILACS")]
    assert all(e["width"] > max(w["width"] for w in weak) / 2 and e["arrows"] == "to" for e in qa)
    # each link carries the quotes of both of its cycles, with file and paragraph
    quotes = [payload["findings"][i] for i in qa[-1]["f"]]
    assert {payload["nodes"][q["n"]]["label"] for q in quotes} == {"2014 SIF", "2018 ILACS"}
    assert any("paragraph" in q["r"] for q in quotes)


def test_explorer_page_is_offline_and_self_contained(heref):
    from ofsted_kg.viz.explorer import explorer_payload, render_explorer

    html = render_explorer(explorer_payload(heref))
    _assert_offline(html)
    assert "vis.Network" in html and "vis-network" in html  # the library itself, inlined
    assert "cdnjs" not in html and "jsdelivr" not in html and "bootstrap" not in html
    csp = next(a["content"] for t, a in _tags(html) if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "script-src 'nonce-" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    for tag, attrs in _tags(html):
        if tag == "script" and attrs.get("type") != "application/json":
            assert attrs.get("nonce") and attrs["nonce"] in csp
    data = _page_data(html)
    assert data["meta"]["counts"]["inspections"] == len(heref.inspections)
    assert {a for a, _ in data["filters"]["authorities"]} == {HEREF}


def test_explorer_keeps_finding_text_as_data_never_markup(heref):
    from ofsted_kg.viz.data import Finding
    from ofsted_kg.viz.explorer import explorer_payload, render_explorer

    insp = next(i for i in heref.inspections_of(HEREF) if i.year == 2018)
    heref.findings["urn:x-test:xss"] = Finding("urn:x-test:xss", insp.iri, "weakness", XSS, {QA})
    try:
        html = render_explorer(explorer_payload(heref))
    finally:
        del heref.findings["urn:x-test:xss"]
    assert "<img src=x" not in html and "<b>on</b>" not in html
    assert html.count("</script>") == sum(1 for t, _ in _tags(html) if t == "script")  # none ends early
    texts = [f["t"] for f in _page_data(html)["findings"]]
    assert XSS in texts  # the exact text survives, as JSON data
    js = files("ofsted_kg.viz").joinpath("explorer.js").read_text(encoding="utf-8")
    assert "innerHTML" not in js and "insertAdjacentHTML" not in js and "document.write" not in js


def test_explorer_theme_preselection_and_errors(heref):
    from ofsted_kg.viz.explorer import explorer_payload

    assert explorer_payload(heref, theme="quality-assurance")["meta"]["initial"]["theme"] == QA
    with pytest.raises(QueryError, match="no weaknesses"):
        explorer_payload(heref, theme="no-such-theme")


def test_explorer_generation_scales_to_1000_inspections():
    from ofsted_kg.viz.explorer import explorer_payload, render_explorer
    from ofsted_kg.viz.synthetic import synthetic_data

    data = synthetic_data(1000)
    started = time.perf_counter()
    html = render_explorer(explorer_payload(data))
    seconds = time.perf_counter() - started
    payload = _page_data(html)
    inspections = [n for n in payload["nodes"] if n["kind"] == "inspection"]
    assert len(inspections) == len(data.inspections) >= 990
    assert all("x" in n and "y" in n for n in payload["nodes"])  # precomputed layout
    assert '"physics":false' in html.replace(" ", "") or "physics: false" in html
    print(f"explorer with {len(inspections)} inspections, {len(payload['edges'])} edges: "
          f"{seconds:.2f} s, {len(html) / 2**20:.1f} MiB")
    assert seconds < 30
    assert len(html) < 40 * 2**20


# ---- timeline ----------------------------------------------------------------------------------------


def test_timeline_grid_and_images(heref):
    from ofsted_kg.viz.timeline import render_timeline, timeline_data

    td = timeline_data(heref, HEREF)
    persistent = [t for t, _, p in td.rows if p]
    assert persistent == [p.theme for p in heref.persistence_of(HEREF)]
    assert [p for _, _, p in td.rows] == sorted((p for _, _, p in td.rows), reverse=True)  # persistent first
    labels = {iri: label.replace("\n", " ") for iri, label, _ in td.columns}
    weak_qa = [labels[c] for c, _, _ in td.columns if td.status(QA, c) == "weakness"]
    assert weak_qa == ["2010 SLAC", "2014 SIF", "2018 ILACS"]
    assert {td.status(t, c) for t, _, _ in td.rows for c, _, _ in td.columns} <= {"weakness", "strength", "absent"}
    assert any(td.status(t, c) == "strength" for t, _, _ in td.rows for c, _, _ in td.columns)
    png, svg = render_timeline(td, "png"), render_timeline(td, "svg")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    assert b"<svg" in svg[:2000]
    with pytest.raises(QueryError):
        render_timeline(td, "gif")


# ---- report ------------------------------------------------------------------------------------------


def test_report_content(backend, heref):
    from ofsted_kg.viz.report import ReportLinks, report_html

    html = report_html(backend, HEREF)
    _assert_offline(html)
    text = re.sub(r"\s+", " ", html)
    assert "E06000019" in text and "884" in text
    assert 'href="http://statistics.data.gov.uk/id/statistical-geography/E06000019"' in html
    assert 'id="judgement-chart" src="data:image/svg+xml;base64,' in html
    assert 'id="timeline-image" src="data:image/svg+xml;base64,' in html
    section = html[html.index('id="pw-quality-assurance"'):]
    section = section[:section.index("</article>")]
    assert "2010 SLAC" in section and "2014 SIF" in section and "2018 ILACS" in section
    assert re.search(r"002_3c3cba8f059af4b1\.txt, paragraph \d+", section)
    qa = next(p for p in heref.persistence_of(HEREF) if p.theme == QA)
    first = heref.findings[qa.evidence[0]].text
    assert first.replace("'", "&#39;").replace('"', "&#34;")[:60] in section
    served = report_html(backend, HEREF, ReportLinks(entity_base="/id/", explorer="/explorer?authority=E06000019",
                                                     timeline="/timeline/E06000019"))
    assert 'href="/id/inspection/E06000019/' in served and "/finding/" in served
    assert 'href="/explorer?authority=E06000019"' in served


def test_report_escapes_finding_text(heref):
    from ofsted_kg.viz import assets
    from ofsted_kg.viz.data import Finding
    from ofsted_kg.viz.report import report_context

    qa = next(p for p in heref.persistence_of(HEREF) if p.theme == QA)
    insp = heref.findings[qa.evidence[-1]].inspection
    heref.findings["urn:x-test:xss"] = Finding("urn:x-test:xss", insp, "weakness", XSS, {QA})
    qa.evidence.append("urn:x-test:xss")
    try:
        context = report_context(heref, HEREF)
    finally:
        qa.evidence.remove("urn:x-test:xss")
        del heref.findings["urn:x-test:xss"]
    html = assets.render("report.html", csp="default-src 'none'", report_css="", **context)
    assert "<img src=x" not in html and "<script>window" not in html and "<b>on</b>" not in html
    assert "&lt;img src=x onerror=&#34;window.__xss=1&#34;&gt;" in html


# ---- command line ------------------------------------------------------------------------------------


def test_commands_write_files(seed_graph, tmp_path):
    from ofsted_kg.viz import explorer, report, timeline

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    for module in (explorer, report, timeline):
        module.add_parser(sub)
    runs = [
        ["viz", "--graph", str(seed_graph), "--out", str(tmp_path / "e.html"), "--authority", "Herefordshire",
         "--theme", "quality-assurance"],
        ["report", "--graph", str(seed_graph), "--authority", "884", "--out", str(tmp_path / "r.html")],
        ["timeline", "--graph", str(seed_graph), "--authority", "E06000019", "--out", str(tmp_path / "t.svg")],
        ["timeline", "--graph", str(seed_graph), "--authority", "Herefordshire", "--out", str(tmp_path / "t.png")],
    ]
    for argv in runs:
        args = parser.parse_args(argv)
        assert args.func(args) == 0
    page = _page_data((tmp_path / "e.html").read_text())
    assert page["meta"]["initial"]["theme"] == QA
    assert "Herefordshire" in (tmp_path / "r.html").read_text()
    assert (tmp_path / "t.svg").read_bytes().lstrip().startswith(b"<?xml")
    assert (tmp_path / "t.png").read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(QueryError):
        args = parser.parse_args(["report", "--graph", str(seed_graph), "--authority", "Atlantis", "--out",
                                  str(tmp_path / "x.html")])
        args.func(args)
