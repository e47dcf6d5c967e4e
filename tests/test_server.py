"""The local server: SPARQL 1.1 Protocol (Flask test client and a real waitress server answering
SPARQLWrapper and urllib), read-only, timeouts, content negotiation on /id/, explorer and reports.

One server (on a copy of the seed graph with an injected finding whose text is an HTML/script payload)
is shared with tests/test_browser.py.
"""

from __future__ import annotations

import json
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from ofsted_kg.namespaces import ID, OFSTED, THEME

HEREF = str(ID["authority/E06000019"])
QA_PW = str(ID["persistence/E06000019/quality-assurance"])
XSS = ('Quality assurance <img src=x onerror="window.__xss=1"> audits are weak </script>'
       '<script>window.__xss=2</script> & "quoted" <b>bold</b>')
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
TIMEOUT = 3.0
_SHARED: dict[str, object] = {}


def _inject_xss_finding(graph: Path) -> str:
    """Add a weakness on quality assurance to Herefordshire's 2018 ILACS (and to the persistent weakness),
    whose text is an HTML/script payload; returns the finding IRI."""
    import pyoxigraph as ox

    from ofsted_kg.namespaces import OA, RDF, XSD

    store = ox.Store(str(graph / "store"))
    (row,) = store.query(
        "SELECT ?i ?r ?a WHERE { ?i ofsted:authority ?a ; ofsted:framework ?fw ; ofsted:describedBy ?r . "
        "FILTER(STRENDS(STR(?fw), 'ilacs-standard')) }",
        prefixes={"ofsted": str(OFSTED)}, use_default_graph_as_union=True,
        substitutions={ox.Variable("a"): ox.NamedNode(HEREF)})
    insp, report = row["i"], row["r"]
    finding = ox.NamedNode(insp.value + "/finding/xss000000001")
    tag = ox.NamedNode(finding.value + "/theme/quality-assurance")
    ev = ox.NamedNode(report.value + "/evidence/999990-999999")
    quote = ox.NamedNode(ev.value + "/quote")
    qa = ox.NamedNode(str(THEME["quality-assurance"]))

    def n(term):
        return ox.NamedNode(str(term))

    text = ox.Literal(XSS)
    quads = [
        (insp, n(OFSTED.hasFinding), finding), (finding, n(RDF.type), n(OFSTED.Finding)),
        (finding, n(RDF.type), n(OFSTED.Weakness)), (finding, n(OFSTED.kind), ox.Literal("weakness")),
        (finding, n(OFSTED.polarity), ox.Literal("weakness")), (finding, n(OFSTED.text), text),
        (finding, n(OFSTED.theme), qa), (finding, n(OFSTED.hasThemeTag), tag), (tag, n(RDF.type), n(OFSTED.ThemeTag)),
        (tag, n(OFSTED.theme), qa), (tag, n(OFSTED.cue), ox.Literal("quality assurance")),
        (tag, n(OFSTED.confidence), ox.Literal("0.9", datatype=n(XSD.decimal))),
        (finding, n(OFSTED.hasEvidence), ev), (ev, n(OA.hasSource), report),
        (ev, n(OFSTED.paragraph), ox.Literal("99")), (ev, n(OFSTED.section), ox.Literal("Injected <section>")),
        (ev, n(OA.hasSelector), quote), (quote, n(RDF.type), n(OA.TextQuoteSelector)), (quote, n(OA.exact), text),
    ]
    store.extend([ox.Quad(s, p, o, report) for s, p, o in quads])
    store.add(ox.Quad(ox.NamedNode(QA_PW), n(OFSTED.evidencedBy), finding, n(ID["graph/persistence"])))
    store.flush()
    del store
    return finding.value


def shared_xss_graph(seed_graph: Path, tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """A copy of the seed graph with the injected finding, made once per session."""
    if "graph" not in _SHARED:
        out = tmp_path_factory.mktemp("xss") / "kg"
        shutil.copytree(seed_graph, out)
        _SHARED["finding"] = _inject_xss_finding(out)
        _SHARED["graph"] = out
    return _SHARED["graph"]  # type: ignore[return-value]


def shared_server(graph: Path):  # type: ignore[no-untyped-def]
    """One real waitress server on a free loopback port per session (also used by tests/test_browser.py)."""
    from ofsted_kg.web import BackgroundServer

    if "server" not in _SHARED:
        _SHARED["server"] = BackgroundServer(graph, timeout=TIMEOUT, workers=2)
    return _SHARED["server"]


def stop_shared_server() -> None:
    server = _SHARED.pop("server", None)
    if server is not None:
        server.stop()  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def xss_graph(seed_graph, tmp_path_factory) -> Path:
    return shared_xss_graph(seed_graph, tmp_path_factory)


@pytest.fixture(scope="session")
def xss_finding(xss_graph) -> str:
    return _SHARED["finding"]  # type: ignore[return-value]


@pytest.fixture(scope="session")
def live_server(xss_graph):
    yield shared_server(xss_graph)
    stop_shared_server()


@pytest.fixture(scope="session")
def client(live_server):
    """Flask's test client on the same app (and the same query workers)."""
    return live_server.app.test_client()


def _http(url: str, *, accept: str | None = None, data: bytes | None = None, ctype: str | None = None):
    req = urllib.request.Request(url, data=data)
    if accept:
        req.add_header("Accept", accept)
    if ctype:
        req.add_header("Content-Type", ctype)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


SELECT = "SELECT ?a ?label WHERE { ?a a ofsted:LocalAuthority ; skos:prefLabel ?label ; ofsted:laNumber \"884\" }"


# ---- SPARQL protocol (test client) ---------------------------------------------------------------------


def test_select_by_get_post_form_and_post_body(client):
    for response in (
        client.get("/sparql", query_string={"query": SELECT}),
        client.post("/sparql", data={"query": SELECT}),
        client.post("/sparql", data=SELECT.encode(), content_type="application/sparql-query"),
    ):
        assert response.status_code == 200, response.data
        assert response.mimetype == "application/sparql-results+json"
        rows = response.get_json(force=True)["results"]["bindings"]
        assert [(r["a"]["value"], r["label"]["value"]) for r in rows] == [(HEREF, "Herefordshire")]


@pytest.mark.parametrize(("accept", "mimetype", "marker"), [
    ("application/sparql-results+json", "application/sparql-results+json", b'"bindings"'),
    ("application/sparql-results+xml", "application/sparql-results+xml", b"<sparql"),
    ("text/csv", "text/csv", b"a,label\r\n"),
    ("text/tab-separated-values", "text/tab-separated-values", b"?a\t?label\n"),
    ("application/json", "application/sparql-results+json", b'"bindings"'),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/sparql-results+xml", b"<sparql"),
    ("*/*", "application/sparql-results+json", b'"head"'),
])
def test_select_results_by_accept(client, accept, mimetype, marker):
    response = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert marker in response.data and b"Herefordshire" in response.data
    assert "Accept" in response.headers.get("Vary", "")


def test_ask_construct_describe(client):
    import rdflib

    ask = client.get("/sparql", query_string={"query": f"ASK {{ <{HEREF}> ofsted:laNumber \"884\" }}"})
    assert ask.get_json(force=True) == {"head": {}, "boolean": True}
    construct = f"CONSTRUCT {{ <{HEREF}> skos:prefLabel ?l }} WHERE {{ <{HEREF}> skos:prefLabel ?l }}"
    for accept, fmt in (("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld")):
        response = client.get("/sparql", query_string={"query": construct}, headers={"Accept": accept})
        assert response.status_code == 200 and response.mimetype == accept
        g = rdflib.Graph().parse(data=response.data.decode(), format=fmt)
        assert (rdflib.URIRef(HEREF), rdflib.SKOS.prefLabel, rdflib.Literal("Herefordshire")) in g
    describe = client.get("/sparql", query_string={"query": f"DESCRIBE <{HEREF}>"})
    assert describe.mimetype == "text/turtle" and b"E06000019" in describe.data
    assert client.get("/sparql", query_string={"query": SELECT, "format": "csv"}).mimetype == "text/csv"
    refused = client.get("/sparql", query_string={"query": construct}, headers={"Accept": "image/png"})
    assert refused.status_code == 406 and b"text/turtle" in refused.data


def test_updates_are_refused(client, live_server):
    insert = f'INSERT DATA {{ <{HEREF}> skos:prefLabel "Pwned" }}'
    attempts = [
        client.post("/sparql", data={"update": insert}),
        client.post("/sparql", data=insert.encode(), content_type="application/sparql-update"),
        client.get("/sparql", query_string={"update": insert}),
        client.get("/sparql", query_string={"query": insert}),
        client.post("/sparql", data={"query": "PREFIX x: <http://x#> # comment\n DELETE WHERE { ?s ?p ?o }"}),
        client.post("/sparql", data=f"LOAD <{HEREF}>".encode(), content_type="application/sparql-query"),
    ]
    for response in attempts:
        assert response.status_code == 403, response.data
        assert b"read-only" in response.data
    # ... and nothing changed
    check = client.get("/sparql", query_string={"query": f'ASK {{ <{HEREF}> skos:prefLabel "Pwned" }}'})
    assert check.get_json(force=True)["boolean"] is False
    service = client.get("/sparql", query_string={"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
    assert service.status_code == 403 and b"SERVICE" in service.data
    # a string that merely mentions INSERT is a query
    ok = client.get("/sparql", query_string={"query": 'SELECT * WHERE { BIND("INSERT DATA" AS ?x) }'})
    assert ok.status_code == 200


def test_malformed_query_gets_400_with_the_parser_message(client):
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert b"malformed query" in response.data and b"1:" in response.data  # the parser's position
    assert client.get("/sparql", headers={"Accept": "application/sparql-results+json"}).status_code == 400
    assert client.post("/sparql", data=b"x", content_type="application/octet-stream").status_code == 415


def test_slow_query_times_out_and_the_endpoint_recovers(client):
    started = time.monotonic()
    response = client.get("/sparql", query_string={"query": SLOW})
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert b"timed out" in response.data and response.headers.get("Retry-After")
    assert TIMEOUT <= elapsed < TIMEOUT + 10
    for _ in range(3):  # both workers still answer (the stopped one was replaced)
        assert client.get("/sparql", query_string={"query": SELECT}).status_code == 200


# ---- dereferenceable IRIs --------------------------------------------------------------------------------


def test_entity_content_negotiation(client):
    import rdflib

    html = client.get("/id/authority/E06000019", headers={"Accept": "text/html"})
    assert html.status_code == 200 and html.mimetype == "text/html"
    page = html.data.decode()
    assert "Herefordshire" in page and "ofsted:laNumber" in page and "884" in page
    assert 'href="http://statistics.data.gov.uk/id/statistical-geography/E06000019"' in page
    assert 'href="/report/E06000019"' in page
    ttl = client.get("/id/authority/E06000019", headers={"Accept": "text/turtle"})
    assert ttl.mimetype == "text/turtle"
    g = rdflib.Graph().parse(data=ttl.data.decode(), format="turtle")
    assert (rdflib.URIRef(HEREF), rdflib.URIRef(str(OFSTED.laNumber)), rdflib.Literal("884")) in g
    jsonld = client.get("/id/authority/E06000019", headers={"Accept": "application/ld+json"})
    assert jsonld.mimetype == "application/ld+json"
    assert any(node.get("@id") == HEREF for node in json.loads(jsonld.data))
    assert client.get("/id/authority/E06000019?format=nt").mimetype == "application/n-triples"
    assert client.get("/id/authority/E06000019", headers={"Accept": "image/png"}).status_code == 406
    missing = client.get("/id/authority/E00000000")
    assert missing.status_code == 404


def test_entity_pages_link_and_escape(client, xss_finding):
    page = client.get(xss_finding.replace(str(ID), "/id/")).data.decode()
    assert "&lt;img src=x onerror=" in page and "<img src=x" not in page and "<script>window" not in page
    links = _hrefs(page)
    # its evidence, and what points at it: the inspection (hasFinding) and the persistent weakness (evidencedBy)
    assert any("/evidence/999990-999999" in h for h in links)
    assert any(h.startswith("/id/inspection/E06000019/ilacs-standard/") and "/finding/" not in h for h in links)
    assert "/id/persistence/E06000019/quality-assurance" in links
    # an evidence node of a real finding shows its quote in the context of the source document
    pw = client.get("/id/persistence/E06000019/quality-assurance").data.decode()
    assert "ofsted:evidencedBy" in pw and "ofsted:hasLink" in pw
    finding = next(h for h in _hrefs(pw) if "/finding/" in h and "xss" not in h)
    evidence = next(h for h in _hrefs(client.get(finding).data.decode()) if "/evidence/" in h)
    context = client.get(evidence).data.decode()
    assert 'id="context"' in context and "<mark>" in context and "oa:exact" not in context.split('id="context"')[0]


def _hrefs(page: str) -> list[str]:
    import re

    return re.findall(r'href="(/id/[^"]+)"', page)


# ---- pages -----------------------------------------------------------------------------------------------


def test_query_page_runs_named_queries(client):
    home = client.get("/query").data.decode()
    for name in ("persistent-weaknesses", "theme-trajectory", "weaknesses", "inspections"):
        assert f'href="/query?name={name}"' in home
    page = client.get("/query", query_string={"name": "persistent-weaknesses", "authority": "Herefordshire"})
    text = page.data.decode()
    assert page.status_code == 200 and 'id="results"' in text
    assert "quality-assurance" in text and "performance-information" in text and "Hertfordshire" not in text
    bad = client.get("/query", query_string={"query": "SELECT * WHERE { ?s ?p }"}).data.decode()
    assert 'id="error"' in bad and "malformed query" in bad
    assert client.get("/sparql", headers={"Accept": "text/html"}).status_code == 303


def test_report_explorer_and_timeline_routes(client):
    report = client.get("/report/Herefordshire")
    assert report.status_code == 200
    html = report.data.decode()
    assert "&lt;img src=x onerror=" in html and "<img src=x" not in html
    assert 'href="/explorer?authority=E06000019"' in html and 'href="/timeline/E06000019.png"' in html
    assert client.get("/report/884").data == report.data  # cached, and by LA number
    assert client.get("/report/Atlantis").status_code == 404
    explorer = client.get("/explorer", query_string={"authority": "E06000019", "theme": "quality-assurance"})
    assert explorer.status_code == 200 and b'"entityBase":"/id/"' in explorer.data
    assert "Content-Security-Policy" not in explorer.headers  # its own (nonce) policy is in the page
    assert client.get("/explorer", query_string={"theme": "nope"}).status_code == 400
    png = client.get("/timeline/E06000019.png")
    assert png.mimetype == "image/png" and png.data[:4] == b"\x89PNG"
    assert client.get("/timeline/E06000019.svg").mimetype == "image/svg+xml"
    home = client.get("/").data.decode()
    assert 'href="/report/E06000019"' in home and 'href="/report/E10000015"' in home
    assert client.get("/").headers["Content-Security-Policy"].startswith("default-src 'none'")


# ---- the real server -------------------------------------------------------------------------------------


def test_real_server_answers_sparqlwrapper_json_and_xml(live_server):
    from SPARQLWrapper import JSON, XML, SPARQLWrapper

    endpoint = SPARQLWrapper(live_server.url + "/sparql")
    endpoint.setQuery("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX ofsted: "
                      "<https://w3id.org/ofsted-kg/ontology#> " + SELECT)
    endpoint.setReturnFormat(JSON)
    rows = endpoint.query().convert()["results"]["bindings"]
    assert [r["label"]["value"] for r in rows] == ["Herefordshire"]
    endpoint.setReturnFormat(XML)
    doc = endpoint.query().convert()
    literals = [n.firstChild.data for n in doc.getElementsByTagName("literal")]
    assert literals == ["Herefordshire"]
    endpoint.setMethod("POST")
    endpoint.setReturnFormat(JSON)
    assert endpoint.query().convert()["results"]["bindings"][0]["a"]["value"] == HEREF


def test_real_server_content_types_over_http(live_server):
    base = live_server.url
    q = urllib.parse.urlencode({"query": SELECT})
    for accept, expected in (("application/sparql-results+json", "application/sparql-results+json"),
                             ("application/sparql-results+xml", "application/sparql-results+xml"),
                             ("text/csv", "text/csv"), ("text/tab-separated-values", "text/tab-separated-values")):
        status, ctype, body = _http(f"{base}/sparql?{q}", accept=accept)
        assert status == 200 and ctype.split(";")[0] == expected and b"Herefordshire" in body
    status, ctype, body = _http(f"{base}/sparql", data=b"update=CLEAR+ALL", ctype="application/x-www-form-urlencoded")
    assert status == 403 and b"read-only" in body
    status, ctype, body = _http(f"{base}/sparql?" + urllib.parse.urlencode({"query": "SELECT ?x WHERE {"}))
    assert status == 400 and b"malformed query" in body
    for accept, expected in (("text/html", "text/html"), ("text/turtle", "text/turtle"),
                             ("application/ld+json", "application/ld+json")):
        status, ctype, _ = _http(f"{base}/id/authority/E06000019", accept=accept)
        assert status == 200 and ctype.split(";")[0] == expected
    status, ctype, body = _http(f"{base}/explorer?authority=Herefordshire")
    assert status == 200 and ctype.startswith("text/html") and b"vis.Network" in body
    assert _http(f"{base}/favicon.ico")[0] == 200
