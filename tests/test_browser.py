"""The explorer and the authority report in a real headless Chromium (selenium + Debian's chromedriver),
served by the shared test server: no console errors, every expected node rendered, screenshots not
blank, the Herefordshire quality assurance chain with its quotes, and an injected
``<img src=x onerror=...>`` shown as text, never run.

Set OFSTED_KG_SHOTS=/some/dir to keep the screenshots.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import time
from pathlib import Path

import pytest

import test_server as shared
from ofsted_kg.namespaces import THEME
from ofsted_kg.queries import run_named

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"),
                             shutil.which("google-chrome")) if p), None)
CHROMEDRIVER = shutil.which("chromedriver") or next(
    (p for p in ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver") if Path(p).exists()), None)
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="browser tests need Chromium and its driver (Debian: apt-get install chromium chromium-driver)")

QA = str(THEME["quality-assurance"])
PI = str(THEME["performance-information"])
HEREF = "https://w3id.org/ofsted-kg/id/authority/E06000019"


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """One headless Chromium for the session, with its console log kept."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1600,1000",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(120)
    driver.set_script_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def live_server(seed_graph, tmp_path_factory):
    """The server of tests/test_server.py (one per session, whichever module starts it)."""
    yield shared.shared_server(shared.shared_xss_graph(seed_graph, tmp_path_factory))
    shared.stop_shared_server()


@pytest.fixture(scope="session")
def shots(tmp_path_factory) -> Path:
    path = Path(os.environ.get("OFSTED_KG_SHOTS") or tmp_path_factory.mktemp("shots"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _open(browser, url: str, *, explorer: bool = True) -> float:
    """Load ``url`` (clearing the console log first); seconds until the explorer has drawn, or the page loaded."""
    browser.get_log("browser")
    started = time.perf_counter()
    browser.get(url)
    deadline = time.monotonic() + 90
    check = "return !!(window.explorer && window.explorer.drawn)" if explorer else \
        "return document.readyState === 'complete'"
    while not browser.execute_script(check):
        assert time.monotonic() < deadline, f"{url} did not finish loading"
        time.sleep(0.05)
    return time.perf_counter() - started


def _console_errors(browser) -> list[dict]:
    return [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def _not_blank(png: bytes) -> float:
    """The standard deviation of the grey levels (a blank or single-colour image has ~0)."""
    from PIL import Image, ImageStat

    image = Image.open(io.BytesIO(png)).convert("L")
    colours = image.getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 20, "the screenshot has almost no colours"
    return ImageStat.Stat(image).stddev[0]


def _counts(browser) -> tuple[int, int]:
    return tuple(browser.execute_script(
        "var d = window.explorer.network.body.data; return [d.nodes.length, d.edges.length];"))


def _expected(backend, authority: str | None) -> tuple[int, int]:
    """Nodes and edges the explorer should show, from the named queries and the persistence links."""
    bind = {"authorityIri": authority} if authority else {}
    inspections = run_named(backend, "inspections", bind).values()
    weak = run_named(backend, "weaknesses", bind).values()
    themes = {r["theme"] for r in weak}
    pairs = {(r["inspection"], r["theme"]) for r in weak}
    links = backend.select("SELECT ?l ?authorityIri WHERE { ?pw a ofsted:PersistentWeakness ; "
                           "ofsted:authority ?authorityIri ; ofsted:hasLink ?l }", bind).rows
    authorities = {r["authorityIri"] for r in inspections}
    return (len(authorities) + len(inspections) + len(themes), len(inspections) + len(pairs) + len(links))


def _edge(browser, kind: str, theme: str, to_label: str) -> dict:
    return browser.execute_script("""
        var ex = window.explorer, want = arguments;
        var e = ex.edges.get({filter: function (e) {
            return e.kind === want[0] && e.theme === want[1] &&
                   (e.kind === 'weakness' ? true : ex.nodes.get(e.to).label === want[2]) &&
                   (e.kind !== 'weakness' || ex.nodes.get(e.from).label === want[2]); }})[0];
        return e ? {id: e.id, from: e.from, to: e.to} : null;""", kind, theme, to_label)


def _dom_point(browser, node_ids: list[str]) -> tuple[float, float]:
    """The page coordinates of the midpoint of some nodes (a node, or an edge's two ends)."""
    return tuple(browser.execute_script("""
        var ex = window.explorer, ids = arguments[0], pos = ex.network.getPositions(ids), x = 0, y = 0;
        ids.forEach(function (id) { x += pos[id].x / ids.length; y += pos[id].y / ids.length; });
        var p = ex.network.canvasToDOM({x: x, y: y}), r = document.getElementById('network').getBoundingClientRect();
        return [p.x + r.left, p.y + r.top];""", node_ids))


def _click_at(browser, x: float, y: float, *, click: bool = True) -> None:
    """Move the real mouse pointer to page coordinates (and click there)."""
    from selenium.webdriver.common.actions.action_builder import ActionBuilder

    builder = ActionBuilder(browser)
    builder.pointer_action.move_to_location(int(x), int(y))
    if click:
        builder.pointer_action.click()
    builder.perform()


# ---- explorer ----------------------------------------------------------------------------------------------


def test_explorer_renders_every_node_without_console_errors(browser, live_server, shots):
    seconds = _open(browser, live_server.url + "/explorer")
    assert _console_errors(browser) == []
    backend = live_server.app.extensions["ofsted_kg"].backend
    assert _counts(browser) == _expected(backend, None)
    assert browser.execute_script("return typeof vis") == "object"  # the inlined library, no network
    png = browser.find_element("id", "network").screenshot_as_png
    (shots / "explorer-seeds.png").write_bytes(browser.get_screenshot_as_png())
    assert _not_blank(png) > 5
    print(f"seed explorer drawn in {seconds:.2f} s")


def test_explorer_herefordshire_quality_assurance_chain(browser, live_server, shots):
    from selenium.webdriver.support.ui import Select

    _open(browser, live_server.url + "/explorer?authority=Herefordshire")
    backend = live_server.app.extensions["ofsted_kg"].backend
    assert _counts(browser) == _expected(backend, HEREF)
    # the theme filter, used as a person would
    Select(browser.find_element("id", "f-theme")).select_by_value(QA)
    chains = browser.execute_script("""
        var ex = window.explorer;
        return ex.edgeView.get({filter: function (e) { return e.kind === 'chain'; }}).map(function (e) {
            return [ex.nodes.get(e.from).label, ex.nodes.get(e.to).label, e.width]; });""")
    assert sorted(chains) == [["2010 SLAC", "2014 SIF", 7], ["2014 SIF", "2018 ILACS", 7]]
    pi = browser.execute_script("""
        var ex = window.explorer, theme = arguments[0];
        return ex.edges.get({filter: function (e) { return e.kind === 'chain' && e.theme === theme; }})
          .map(function (e) { return ex.nodes.get(e.from).label + ' > ' + ex.nodes.get(e.to).label; });""", PI)
    assert pi[0].startswith("2010") and pi[-1].endswith("2018 ILACS")
    # a real click on the 2018 inspection opens its details
    ilacs = _edge(browser, "chain", QA, "2018 ILACS")
    _click_at(browser, *_dom_point(browser, [ilacs["to"]]))
    details = browser.find_element("id", "details").text
    assert details.startswith("2018 ILACS") and "Requires improvement" in details
    # the chain's details quote both cycles with file and paragraph
    text = browser.execute_script("return window.explorer.showDetails(arguments[0]);", ilacs["id"])
    assert "Persistent weakness: Quality assurance and audit" in text
    assert "2014 SIF" in text and "2018 ILACS" in text and re.search(r"002_3c3cba8f059af4b1\.txt, paragraph \d+", text)
    assert "ineffective quality assurance" in text
    (shots / "explorer-herefordshire-qa.png").write_bytes(browser.get_screenshot_as_png())
    assert _not_blank(browser.find_element("id", "network").screenshot_as_png) > 5
    assert _console_errors(browser) == []


def test_injected_markup_in_a_finding_is_shown_as_text_and_never_runs(browser, live_server, shots):
    from selenium.webdriver.support.ui import Select

    _open(browser, live_server.url + "/explorer?authority=E06000019")
    Select(browser.find_element("id", "f-theme")).select_by_value(QA)
    Select(browser.find_element("id", "f-framework")).select_by_value("ilacs-standard")
    edge = _edge(browser, "weakness", QA, "2018 ILACS")
    assert browser.execute_script("return window.explorer.edgeView.getIds({filter: function (e) { "
                                  "return e.kind !== 'authority'; }});") == [edge["id"]]
    x, y = _dom_point(browser, [edge["from"], edge["to"]])
    # hover: vis-network shows our tooltip element; then click: the details panel
    _click_at(browser, x, y, click=False)
    time.sleep(0.6)
    tooltip = browser.execute_script("""
        var t = document.querySelector('div.vis-tooltip');
        if (!t || t.style.visibility === 'hidden') { return null; }
        return [t.textContent, t.querySelectorAll('img,script,b').length];""")
    assert tooltip is not None, "no tooltip on hover"
    assert 'img src=x onerror="window.__xss=1"' in tooltip[0] and tooltip[1] == 0
    _click_at(browser, x, y)
    details = browser.find_element("id", "details")
    assert 'Quality assurance <img src=x onerror="window.__xss=1"> audits are weak </script>' in details.text
    assert "<script>window.__xss=2</script>" in details.text
    assert browser.execute_script("return document.querySelectorAll('#details img, #details script, #details b')"
                                  ".length") == 0
    assert browser.execute_script("return typeof window.__xss") == "undefined"
    title = browser.execute_script("""
        var t = window.explorer.edges.get(arguments[0]).title;
        return [t instanceof Element, t.textContent, t.querySelectorAll('img,script,b').length];""", edge["id"])
    assert title[0] and "<script>window.__xss=2</script>" in title[1] and title[2] == 0
    (shots / "explorer-xss-as-text.png").write_bytes(browser.get_screenshot_as_png())
    assert _console_errors(browser) == []


def test_explorer_with_1000_inspections_loads_and_filters(browser, tmp_path, shots):
    from ofsted_kg.viz.explorer import explorer_payload, render_explorer
    from ofsted_kg.viz.synthetic import synthetic_data

    data = synthetic_data(1000)
    page = tmp_path / "explorer-1000.html"
    started = time.perf_counter()
    page.write_text(render_explorer(explorer_payload(data)), encoding="utf-8")
    generated = time.perf_counter() - started
    seconds = _open(browser, page.as_uri())
    assert _console_errors(browser) == []
    chains = sum(len(p.links) for p in data.persistence.values())
    # many authorities: lanes in columns, chains shown, weakness edges (and themes) once a filter narrows
    assert _counts(browser) == (len(data.authorities) + len(data.inspections), len(data.inspections) + chains)
    assert _not_blank(browser.find_element("id", "network").screenshot_as_png) > 5
    (shots / "explorer-1000.png").write_bytes(browser.get_screenshot_as_png())
    one = next(iter(data.authorities))
    started = time.perf_counter()
    nodes, edges = browser.execute_script("var c = window.explorer.setFilters({authority: arguments[0]}); "
                                          "return [c.nodes, c.edges];", one)
    filtered = time.perf_counter() - started
    mine = [i for i in data.inspections.values() if i.authority == one]
    themes = {t for f in data.findings.values() if f.inspection in {i.iri for i in mine} for t in f.themes}
    assert nodes == 1 + len(mine) + len(themes)
    weak = browser.execute_script("return window.explorer.setFilters({authority: '', weak: true}).edges;")
    assert weak > edges
    print(f"1000-inspection explorer: generated in {generated:.2f} s, {page.stat().st_size / 2**20:.1f} MiB, "
          f"drawn in {seconds:.2f} s, filtered to one authority in {filtered:.2f} s")
    assert seconds < 60


# ---- report ------------------------------------------------------------------------------------------------


def test_report_page(browser, live_server, shots):
    _open(browser, live_server.url + "/report/Herefordshire", explorer=False)
    assert _console_errors(browser) == []
    article = browser.find_element("id", "pw-quality-assurance")
    text = article.text
    for cycle in ("2010 SLAC", "2014 SIF", "2018 ILACS"):
        assert cycle in text
    assert re.search(r"002_3c3cba8f059af4b1\.txt, paragraph \d+", text)
    assert 'Quality assurance <img src=x onerror="window.__xss=1"> audits are weak' in text
    assert browser.execute_script("return typeof window.__xss") == "undefined"
    assert browser.execute_script(
        "return document.querySelectorAll('#persistent img, #persistent script, #persistent b').length") == 0
    ids = browser.find_element("id", "identifiers").text
    assert "E06000019" in ids and "884" in ids and "statistical-geography/E06000019" in ids
    sizes = browser.execute_script("""return ['judgement-chart', 'timeline-image'].map(function (id) {
        var i = document.getElementById(id); return i.complete ? i.naturalWidth : 0; });""")
    assert all(w > 300 for w in sizes), sizes
    # the links lead to the server's entity pages
    link = article.find_element("css selector", "blockquote footer a").get_attribute("href")
    assert "/id/inspection/E06000019/" in link
    height = browser.execute_script("return document.body.scrollHeight")
    browser.set_window_size(1400, min(height + 40, 16000))
    shot = browser.get_screenshot_as_png()
    (shots / "report-herefordshire.png").write_bytes(shot)
    browser.set_window_size(1600, 1000)
    assert _not_blank(shot) > 5
