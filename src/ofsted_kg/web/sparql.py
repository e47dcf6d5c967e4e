"""The read-only SPARQL 1.1 Protocol core: what a request asks, content negotiation, and a pool of
worker processes that run queries against the store with a hard timeout.

Queries run in separate processes (``python -m ofsted_kg.web.worker``, so nothing depends on how the
server itself was started), each with its own read-only pyoxigraph store (RocksDB allows any number of
read-only openers); a query that runs too long is stopped by ending its process, and the pool starts a
fresh worker. Updates are never executed: the endpoint refuses them before any
parsing, and the workers only ever call ``Store.query`` on a store opened read-only.

This module imports nothing heavy at import time, so the workers start quickly.
"""

from __future__ import annotations

import pickle
import queue
import re
import select
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "GRAPH_TYPES",
    "RESULT_TYPES",
    "QueryPool",
    "QueryRequest",
    "Reply",
    "choose",
    "execute",
    "forbidden_reason",
    "parse_accept",
    "worker_main",
]

#: media type -> pyoxigraph QueryResultsFormat name (SELECT and ASK), in the server's order of preference
RESULT_TYPES: dict[str, str] = {
    "application/sparql-results+json": "JSON",
    "application/sparql-results+xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
    "application/json": "JSON",
    "application/xml": "XML",
    "text/xml": "XML",
}
#: media type -> pyoxigraph RdfFormat name (CONSTRUCT and DESCRIBE)
GRAPH_TYPES: dict[str, str] = {
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "application/ld+json": "JSON_LD",
    "application/rdf+xml": "RDF_XML",
    "text/plain": "N_TRIPLES",
}
#: ?format= shortcuts
FORMAT_ALIASES: dict[str, str] = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
    "tsv": "text/tab-separated-values", "ttl": "text/turtle", "turtle": "text/turtle", "nt": "application/n-triples",
    "jsonld": "application/ld+json", "json-ld": "application/ld+json", "rdfxml": "application/rdf+xml",
}
#: the canonical type sent back for each format
_CANONICAL = {"JSON": "application/sparql-results+json", "XML": "application/sparql-results+xml", "CSV": "text/csv",
              "TSV": "text/tab-separated-values"}

_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
# comments, IRIs and string literals: removed before looking for keywords
_NOISE = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*')
_PROLOGUE_WORD = re.compile(r"\s*(?:(?:PREFIX\s+[^\s:]*:|BASE)\s*)*([A-Za-z]+)", re.I)


@dataclass(frozen=True)
class Reply:
    """An HTTP answer: status, media type (without charset) and body."""

    status: int
    mimetype: str
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)

    @staticmethod
    def error(status: int, message: str, **headers: str) -> Reply:
        return Reply(status, "text/plain", (message.rstrip("\n") + "\n").encode("utf-8"), headers)


@dataclass(frozen=True)
class QueryRequest:
    """One query to run: text, Accept header (or a ?format= override), IRI bindings and dataset."""

    query: str
    accept: str = ""
    fmt: str | None = None
    bindings: Mapping[str, str] = field(default_factory=dict)
    default_graphs: Sequence[str] = ()
    named_graphs: Sequence[str] = ()


def _without_noise(text: str) -> str:
    return _NOISE.sub(" ", text)


def forbidden_reason(text: str) -> str | None:
    """Why ``text`` must not run here (an update, or a federated SERVICE call), or None."""
    bare = _without_noise(text)
    m = _PROLOGUE_WORD.match(bare)
    if m and m.group(1).upper() in _UPDATE_WORDS:
        return (f"SPARQL Update ({m.group(1).upper()}) is not allowed: this endpoint is read-only "
                "and only answers queries (SELECT, ASK, CONSTRUCT, DESCRIBE)")
    if re.search(r"\bSERVICE\b", bare, re.I):
        return "federated queries (SERVICE) are disabled on this endpoint"
    return None


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """An Accept header as (media type, q) pairs, most preferred first (stable for equal q)."""
    out: list[tuple[str, float, int]] = []
    for pos, part in enumerate((header or "").split(",")):
        bits = [b.strip() for b in part.split(";")]
        if not bits[0]:
            continue
        q = 1.0
        for b in bits[1:]:
            if b.lower().startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        out.append((bits[0].lower(), q, pos))
    out.sort(key=lambda t: (-t[1], t[2]))
    return [(t, q) for t, q, _ in out]


def choose(header: str | None, offers: Sequence[str]) -> str | None:
    """The offer that best matches the Accept header; the first offer when there is no header;
    None when the client accepts none of them."""
    accepted = parse_accept(header)
    if not accepted:
        return offers[0] if offers else None
    best: tuple[float, int, int] | None = None
    choice = None
    for rank, offer in enumerate(offers):
        major = offer.split("/")[0]
        for media, q in accepted:
            if q <= 0:
                continue
            if media == offer:
                specificity = 2
            elif media == f"{major}/*":
                specificity = 1
            elif media == "*/*":
                specificity = 0
            else:
                continue
            key = (q, specificity, -rank)
            if best is None or key > best:
                best, choice = key, offer
            break
    return choice


def _pick(request: QueryRequest, table: Mapping[str, str]) -> str | None:
    if request.fmt:
        wanted = FORMAT_ALIASES.get(request.fmt.lower(), request.fmt.lower())
        return wanted if wanted in table else None
    return choose(request.accept, list(table))


def execute(store: object, request: QueryRequest) -> Reply:
    """Run one query on a pyoxigraph store and serialise the results as negotiated."""
    import pyoxigraph

    from ..namespaces import PREFIXES

    reason = forbidden_reason(request.query)
    if reason:
        return Reply.error(403, reason)
    kwargs: dict[str, object] = {"prefixes": PREFIXES}
    if request.default_graphs:
        kwargs["default_graph"] = [pyoxigraph.NamedNode(g) for g in request.default_graphs]
    else:
        kwargs["use_default_graph_as_union"] = True
    if request.named_graphs:
        kwargs["named_graphs"] = [pyoxigraph.NamedNode(g) for g in request.named_graphs]
    if request.bindings:
        kwargs["substitutions"] = {pyoxigraph.Variable(k): pyoxigraph.NamedNode(v) for k, v in request.bindings.items()}
    try:
        results = store.query(request.query, **kwargs)  # type: ignore[attr-defined]
        if isinstance(results, pyoxigraph.QueryTriples):
            media = _pick(request, GRAPH_TYPES)
            if media is None:
                return Reply.error(406, "not acceptable: CONSTRUCT and DESCRIBE results are available as "
                                   + ", ".join(GRAPH_TYPES))
            fmt = getattr(pyoxigraph.RdfFormat, GRAPH_TYPES[media])
            triples = list(results)
            extra = {"prefixes": PREFIXES} if fmt in (pyoxigraph.RdfFormat.TURTLE,) else {}
            body = pyoxigraph.serialize(triples, format=fmt, **extra)
            return Reply(200, "application/n-triples" if media == "text/plain" else media, body or b"")
        media = _pick(request, RESULT_TYPES)
        if media is None:
            return Reply.error(406, "not acceptable: SELECT and ASK results are available as "
                               + ", ".join(RESULT_TYPES))
        name = RESULT_TYPES[media]
        body = results.serialize(format=getattr(pyoxigraph.QueryResultsFormat, name))
        return Reply(200, _CANONICAL[name], body or b"")
    except SyntaxError as exc:
        return Reply.error(400, f"malformed query: {exc}")
    except (OSError, ValueError, RuntimeError, TypeError) as exc:
        return Reply.error(400, f"query failed: {exc}")


# ---------------------------------------------------------------------------------------------------------
# Worker processes: ``python -m ofsted_kg.web.worker GRAPH_DIR``, length-prefixed pickles over stdin/stdout.


def _send(stream, obj: object) -> None:  # type: ignore[no-untyped-def]
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack(">Q", len(data)) + data)
    stream.flush()


def _read_exact(stream, size: int) -> bytes:  # type: ignore[no-untyped-def]
    chunks = []
    while size:
        chunk = stream.read(size)
        if not chunk:
            raise EOFError("worker pipe closed")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _recv(stream) -> object:  # type: ignore[no-untyped-def]
    (size,) = struct.unpack(">Q", _read_exact(stream, 8))
    return pickle.loads(_read_exact(stream, size))


def worker_main(graph_dir: str, requests, replies) -> None:  # type: ignore[no-untyped-def]
    """Worker loop: open the store read-only, then answer each request until stdin closes."""
    from ..store import OxigraphBackend

    store = OxigraphBackend(Path(graph_dir)).store
    _send(replies, ("ready", None))
    while True:
        try:
            message = _recv(requests)
        except EOFError:
            return
        if message is None:
            return
        try:
            reply = execute(store, QueryRequest(**message))  # type: ignore[arg-type]
        except Exception as exc:  # a worker must answer whatever happens
            reply = Reply.error(500, f"query failed: {type(exc).__name__}: {exc}")
        _send(replies, ("reply", (reply.status, reply.mimetype, reply.body, dict(reply.headers))))


class _Worker:
    def __init__(self, graph_dir: Path) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "ofsted_kg.web.worker", str(graph_dir)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
        self.ready = False

    def poll(self, timeout: float) -> bool:
        """Whether the worker has something to say within ``timeout`` seconds."""
        stdout = self.process.stdout
        assert stdout is not None
        readable, _, _ = select.select([stdout], [], [], timeout)
        return bool(readable)

    def wait_ready(self, timeout: float) -> bool:
        if not self.ready and self.poll(timeout):
            kind, _ = _recv(self.process.stdout)  # type: ignore[misc]
            self.ready = kind == "ready"
        return self.ready

    def send(self, request: QueryRequest) -> None:
        _send(self.process.stdin, {"query": request.query, "accept": request.accept, "fmt": request.fmt,
                                   "bindings": dict(request.bindings), "default_graphs": tuple(request.default_graphs),
                                   "named_graphs": tuple(request.named_graphs)})

    def receive(self) -> Reply:
        _, (status, mimetype, body, headers) = _recv(self.process.stdout)  # type: ignore[misc]
        return Reply(status, mimetype, body, headers)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(5)
        self._close_pipes()

    def stop(self) -> None:
        try:
            _send(self.process.stdin, None)
            self.process.stdin.close()  # type: ignore[union-attr]
            self.process.wait(2)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait(5)
        self._close_pipes()

    def _close_pipes(self) -> None:
        for stream in (self.process.stdin, self.process.stdout):
            try:
                if stream:
                    stream.close()
            except OSError:
                pass


class QueryPool:
    """``workers`` processes answering :class:`QueryRequest` s, each query limited to ``timeout`` seconds."""

    def __init__(self, graph_dir: Path, *, workers: int = 2, timeout: float = 30.0, start_timeout: float = 60.0):
        self.graph_dir = Path(graph_dir)
        self.timeout = timeout
        self.start_timeout = start_timeout
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(max(1, workers)):
            self._spawn()

    def _spawn(self) -> None:
        worker = _Worker(self.graph_dir)
        with self._lock:
            if self._closed:
                worker.stop()
                return
            self._all.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.kill()
        if not self._closed:
            self._spawn()

    def run(self, request: QueryRequest, timeout: float | None = None) -> Reply:
        """Answer ``request``; 503 when it takes longer than the timeout or no worker frees up in time."""
        limit = self.timeout if timeout is None else timeout
        try:
            worker = self._idle.get(timeout=limit)
        except queue.Empty:
            return Reply.error(503, "the query service is busy; try again", **{"Retry-After": "5"})
        try:
            if not worker.wait_ready(self.start_timeout):
                self._replace(worker)
                return Reply.error(503, "the query worker did not start; try again", **{"Retry-After": "5"})
            started = time.monotonic()
            worker.send(request)
            if not worker.poll(limit):
                self._replace(worker)
                return Reply.error(503, f"query timed out: stopped after {time.monotonic() - started:.1f} s "
                                   f"(the limit is {limit:g} s); narrow it down or add a LIMIT",
                                   **{"Retry-After": "5"})
            reply = worker.receive()
        except (EOFError, OSError, ValueError, pickle.UnpicklingError):
            self._replace(worker)
            return Reply.error(500, "the query worker stopped unexpectedly; try again")
        self._idle.put(worker)
        return reply

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.stop()
