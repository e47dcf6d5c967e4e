"""The local server: a Flask app over one graph directory, read-only.

- ``/sparql``: SPARQL 1.1 Protocol (GET ``?query=``, POST form or ``application/sparql-query``); results
  by Accept header; updates refused (403); malformed queries 400 with the parser's message; every
  query runs in a worker process and is stopped after the timeout (503).
- ``/query``: an HTML form with the named queries one click away.
- ``/explorer`` (``?authority=``, ``?theme=``), ``/report/<authority>``, ``/timeline/<authority>.png|svg``.
- ``/id/<path>``: the graph's IRIs ``https://w3id.org/ofsted-kg/id/<path>`` as HTML, Turtle, N-Triples
  or JSON-LD by Accept (or ``?format=``).
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from flask import Flask, Response, g, redirect, request

from ..errors import QueryError
from ..namespaces import ID, PREFIXES
from ..queries import named_queries
from ..store import OxigraphBackend
from ..viz import assets
from ..viz.data import resolve_authority
from .entity import compact, describe, local_path, serialize_description
from .sparql import QueryPool, QueryRequest, Reply, choose, forbidden_reason

__all__ = ["KGState", "create_app"]

#: Content-Security-Policy of the server's own pages (no scripts at all)
PAGE_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
            "base-uri 'none'; frame-ancestors 'none'")
ENTITY_TYPES = {"text/html": "html", "text/turtle": "TURTLE", "application/ld+json": "JSON_LD",
                "application/n-triples": "N_TRIPLES", "application/rdf+xml": "RDF_XML"}
ENTITY_FORMATS = {"html": "text/html", "ttl": "text/turtle", "turtle": "text/turtle", "jsonld": "application/ld+json",
                  "json-ld": "application/ld+json", "nt": "application/n-triples", "rdfxml": "application/rdf+xml"}
MAX_ROWS_SHOWN = 500
FAVICON = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" '
           b'fill="#6a3d9a"/></svg>')
LONG_LITERAL = 1500


class KGState:
    """What the app holds: the read-only backend, the query pool and a small cache of generated pages."""

    def __init__(self, graph_dir: Path, *, timeout: float = 30.0, workers: int = 2, cache_size: int = 32):
        self.graph_dir = Path(graph_dir)
        self.backend = OxigraphBackend(self.graph_dir, read_only=True)
        self.timeout = timeout
        self.pool = QueryPool(self.graph_dir, workers=workers, timeout=timeout)
        self._cache: OrderedDict[tuple[str, ...], object] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._key_locks: dict[tuple[str, ...], threading.Lock] = {}

    def cached(self, key: tuple[str, ...], make: Callable[[], object]) -> object:
        """``make()`` once per key (concurrent requests for the same page wait for the first)."""
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._cache:
                    return self._cache[key]
            value = make()
            with self._lock:
                self._cache[key] = value
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
                self._key_locks.pop(key, None)
            return value

    def authority(self, name: str) -> str:
        """The IRI of an authority given by name, GSS code or LA number (QueryError if unknown)."""
        return resolve_authority(self.graph_dir, name)

    def close(self) -> None:
        self.pool.close()


def _reply(reply: Reply) -> Response:
    mimetype = reply.mimetype
    textual = mimetype.startswith("text/") or mimetype.endswith(("json", "xml")) or mimetype == "application/n-triples"
    response = Response(reply.body, status=reply.status,
                        content_type=f"{mimetype}; charset=utf-8" if textual else mimetype)
    for k, v in reply.headers.items():
        response.headers[k] = v
    response.headers["Vary"] = "Accept"
    return response


def create_app(graph_dir: Path, *, timeout: float = 30.0, workers: int = 2, warm: bool = False) -> Flask:
    """The Flask app serving ``graph_dir`` (opened read-only); ``warm`` prepares the whole-graph explorer in
    the background (it takes a few seconds on a large graph)."""
    app = Flask("ofsted_kg.web")
    app.config["JSON_AS_ASCII"] = False
    state = KGState(Path(graph_dir), timeout=timeout, workers=workers)
    app.extensions["ofsted_kg"] = state
    graph_name = Path(graph_dir).resolve().name

    def page(template: str, status: int = 200, **context: object) -> Response:
        html = assets.render(template, css=assets.asset_text("web.css"), graph_name=graph_name, **context)
        return Response(html, status=status, content_type="text/html; charset=utf-8")

    def error_page(status: int, reason: str, message: str) -> Response:
        if choose(request.headers.get("Accept"), ["text/html", "text/plain"]) == "text/plain":
            return Response(message + "\n", status=status, content_type="text/plain; charset=utf-8")
        return page("web-error.html", status=status, code=status, reason=reason, message=message)

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if response.mimetype == "text/html" and not g.get("own_csp"):
            response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
        return response

    # ---- home ---------------------------------------------------------------------------------------------
    @app.get("/")
    def home() -> Response:
        def make() -> tuple[list[dict[str, object]], int]:
            from ..queries import run_named

            counts: dict[str, dict[str, object]] = {}
            total = 0
            for r in run_named(state.backend, "inspections").values():
                total += 1
                a = counts.setdefault(str(r["authorityIri"]), {"label": r["authority"], "count": 0,
                                                               "code": str(r["authorityIri"]).rsplit("/", 1)[-1]})
                a["count"] = int(a["count"]) + 1  # type: ignore[call-overload]
            return sorted(counts.values(), key=lambda a: str(a["label"])), total

        authorities, total = state.cached(("home",), make)  # type: ignore[misc]
        return page("web-home.html", authorities=authorities, inspections=total)

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return Response(FAVICON, content_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})

    # ---- SPARQL protocol ----------------------------------------------------------------------------------
    @app.route("/sparql", methods=["GET", "POST"])
    def sparql() -> Response:
        if request.method == "GET":
            if "update" in request.args:
                return _reply(Reply.error(403, "SPARQL Update is not allowed: this endpoint is read-only"))
            queries = request.args.getlist("query")
            if not queries:
                wanted = choose(request.headers.get("Accept"), ["text/html", "application/sparql-results+json"])
                if wanted == "text/html":
                    return redirect("/query", code=303)
                return _reply(Reply.error(400, "missing query: give ?query=SPARQL (SPARQL 1.1 Protocol)"))
        else:
            mimetype = request.mimetype
            if mimetype == "application/sparql-update":
                return _reply(Reply.error(403, "SPARQL Update is not allowed: this endpoint is read-only"))
            if mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
                if "update" in request.form:
                    return _reply(Reply.error(403, "SPARQL Update is not allowed: this endpoint is read-only"))
                queries = request.form.getlist("query")
            elif mimetype == "application/sparql-query":
                queries = [request.get_data(as_text=True)]
            else:
                return _reply(Reply.error(415, "POST a form (query=...) or an application/sparql-query body"))
        if len(queries) != 1 or not queries[0].strip():
            return _reply(Reply.error(400, "give exactly one non-empty query"))
        query = queries[0]
        reason = forbidden_reason(query)
        if reason:
            return _reply(Reply.error(403, reason))
        fmt = request.values.get("format")
        reply = state.pool.run(QueryRequest(
            query=query, accept=request.headers.get("Accept", ""), fmt=fmt,
            default_graphs=tuple(request.values.getlist("default-graph-uri")),
            named_graphs=tuple(request.values.getlist("named-graph-uri")),
        ))
        return _reply(reply)

    # ---- query page ---------------------------------------------------------------------------------------
    @app.get("/query")
    def query_page() -> Response:
        named = sorted(named_queries().values(), key=lambda q: q.name)
        name = request.args.get("name", "")
        text = request.args.get("query", "")
        authority = request.args.get("authority", "").strip()
        error = None
        result = None
        if name and not text:
            if name not in named_queries():
                error = f"no query named {name!r}"
            else:
                text = named_queries()[name].text
        bindings: dict[str, str] = {}
        if authority and text:
            try:
                bindings["authorityIri"] = state.authority(authority)
            except QueryError as exc:
                error = str(exc)
        if text and error is None:
            reply = state.pool.run(QueryRequest(query=text, bindings=bindings,
                                                accept="application/sparql-results+json, text/turtle;q=0.9"))
            if reply.status != 200:
                error = reply.body.decode("utf-8", "replace").strip()
            else:
                result = _table(reply)
        downloads = []
        if text:
            for label, fmt in (("JSON", "json"), ("CSV", "csv"), ("XML", "xml"), ("Turtle", "ttl")):
                downloads.append((label, "/sparql?" + urlencode({"query": text, "format": fmt})))
        return page("web-query.html", named=named, query=text, authority=authority, error=error, result=result,
                    prefixes=sorted(PREFIXES), timeout=f"{state.timeout:g}", downloads=downloads)

    # ---- explorer, reports, timelines ---------------------------------------------------------------------
    def explorer_page(iri: str | None, theme: str | None) -> str:
        from ..viz.explorer import ExplorerLinks, explorer_html

        return state.cached(("explorer", iri or "", theme or ""), lambda: explorer_html(  # type: ignore[return-value]
            state.backend, authority=iri, theme=theme, links=ExplorerLinks(entity_base="/id/", report_base="/report/")))

    if warm:
        threading.Thread(target=explorer_page, args=(None, None), daemon=True, name="ofsted-kg-warm").start()

    @app.get("/explorer")
    def explorer() -> Response:
        name = request.args.get("authority", "").strip()
        theme = request.args.get("theme", "").strip() or None
        try:
            iri = state.authority(name) if name else None
            html = explorer_page(iri, theme)
        except QueryError as exc:
            return error_page(404 if name else 400, "Not Found" if name else "Bad Request", str(exc))
        g.own_csp = True
        return Response(html, content_type="text/html; charset=utf-8")

    @app.get("/report/<authority>")
    def report(authority: str) -> Response:
        from ..viz.report import ReportLinks, report_html

        try:
            iri = state.authority(authority)
            code = iri.rsplit("/", 1)[-1]
            html = state.cached(("report", iri), lambda: report_html(state.backend, iri, ReportLinks(
                entity_base="/id/", explorer=f"/explorer?authority={code}", timeline=f"/timeline/{code}")))
        except QueryError as exc:
            return error_page(404, "Not Found", str(exc))
        g.own_csp = True
        return Response(html, content_type="text/html; charset=utf-8")

    @app.get("/timeline/<authority>.<any(png, svg):fmt>")
    def timeline(authority: str, fmt: str) -> Response:
        from ..viz.timeline import timeline_image

        try:
            iri = state.authority(authority)
            image = state.cached(("timeline", iri, fmt), lambda: timeline_image(state.backend, iri, fmt))
        except QueryError as exc:
            return error_page(404, "Not Found", str(exc))
        return Response(image, content_type="image/png" if fmt == "png" else "image/svg+xml")

    # ---- dereferenceable IRIs -----------------------------------------------------------------------------
    @app.get("/id/<path:rest>")
    def entity(rest: str) -> Response:
        iri = str(ID) + rest
        fmt = request.args.get("format")
        if fmt:
            media = ENTITY_FORMATS.get(fmt.lower())
            if media is None:
                return error_page(400, "Bad Request", f"unknown format {fmt!r}; choose {', '.join(ENTITY_FORMATS)}")
        else:
            media = choose(request.headers.get("Accept"), list(ENTITY_TYPES))
            if media is None:
                return _reply(Reply.error(406, "not acceptable: available as " + ", ".join(ENTITY_TYPES)))
        description = describe(state.backend, iri)
        if not description.found:
            return error_page(404, "Not Found", f"{iri} is not in this graph")
        if media != "text/html":
            response = _reply(Reply(200, media, serialize_description(description, ENTITY_TYPES[media])))
            response.headers["Link"] = f'<{iri}>; rel="canonical"'
            return response
        response = page("web-entity.html", **_entity_context(description))
        response.headers["Vary"] = "Accept"
        return response

    @app.errorhandler(404)
    def not_found(_exc: Exception) -> Response:
        return error_page(404, "Not Found", f"nothing at {request.path}")

    @app.errorhandler(405)
    def not_allowed(_exc: Exception) -> Response:
        return error_page(405, "Method Not Allowed", f"{request.method} is not allowed at {request.path}")

    return app


def _cell(term: dict[str, str] | None) -> dict[str, str | None]:
    if term is None:
        return {"text": "", "href": None}
    value = term.get("value", "")
    if term.get("type") == "uri":
        return {"text": compact(value), "href": local_path(value) or assets.safe_url(value)}
    suffix = f"@{term['xml:lang']}" if "xml:lang" in term else ""
    return {"text": value + suffix, "href": None}


def _table(reply: Reply) -> dict[str, object]:
    if reply.mimetype != "application/sparql-results+json":
        return {"kind": "graph", "text": reply.body.decode("utf-8", "replace")}
    doc = json.loads(reply.body)
    if "boolean" in doc:
        return {"kind": "boolean", "boolean": bool(doc["boolean"])}
    variables = doc["head"].get("vars", [])
    bindings = doc["results"]["bindings"]
    rows = [[_cell(b.get(v)) for v in variables] for b in bindings[:MAX_ROWS_SHOWN]]
    return {"kind": "select", "vars": variables, "rows": rows, "total": len(bindings)}


def _entity_context(d) -> dict[str, object]:  # type: ignore[no-untyped-def]
    props = []
    for predicate, obj in d.outgoing:
        item: dict[str, object] = {"predicate": predicate, "predicate_label": compact(predicate),
                                   "predicate_href": assets.safe_url(predicate)}
        if obj.type == "uri":
            item |= {"text": compact(obj.value), "href": local_path(obj.value) or assets.safe_url(obj.value),
                     "meta": "", "long": False}
        else:
            meta = f"@{obj.lang}" if obj.lang else (compact(obj.datatype) if obj.datatype and not
                                                    obj.datatype.endswith("#string") else "")
            item |= {"text": obj.value, "href": None, "meta": meta, "long": len(obj.value) > LONG_LITERAL}
        props.append(item)
    incoming = [{"text": compact(s), "href": local_path(s) or assets.safe_url(s), "predicate_label": compact(p)}
                for s, p in d.incoming]
    graphs = [{"text": compact(gr), "href": local_path(gr)} for gr in d.graphs]
    title = next((str(o.value) for p, o in d.outgoing if p.endswith(("#prefLabel", "#title"))), None)
    extra_links = []
    if d.iri.startswith(str(ID["authority/"])):
        code = d.iri.rsplit("/", 1)[-1]
        extra_links = [("authority report", f"/report/{code}"), ("explorer", f"/explorer?authority={code}")]
    context = None
    if d.context:
        before, quote, after, path = d.context
        context = {"before": before, "quote": quote, "after": after, "path": path}
    return {"iri": d.iri, "title": title or compact(d.iri), "props": props, "incoming": incoming,
            "incoming_truncated": d.incoming_truncated, "graphs": graphs, "extra_links": extra_links,
            "context": context}
