"""Run the named queries in other SPARQL engines and compare their rows with ofsted-kg's own.

Two engines, both fed the exported graph (the union of the named graphs, as N-Triples, which is what the
named queries read through ofsted-kg's union default graph):

* **Apache Jena ARQ** (Debian ``libapache-jena-java``): one JVM runs every query over an in-memory dataset
  (a small Java program launched from source, so no build step);
* **OpenLink Virtuoso** (Debian ``virtuoso-opensource``): a throwaway server on loopback with its own
  database directory and free ports, loaded with ``DB.DBA.TTLP_MT`` through ``isql-vt`` and queried over
  its SPARQL endpoint with SPARQLWrapper.

A query's ``?authorityIri`` parameter is bound by ofsted-kg with substitutions; the other engines get the
same binding as a ``VALUES`` block opening the outermost ``WHERE`` group (see :func:`query_text`).
Rows are compared as multisets after normalising terms: numbers by value (``"0.50"^^xsd:decimal`` and
``0.5`` agree, ``xsd:integer`` and ``xsd:nonNegativeInteger`` agree), plain and ``xsd:string`` literals alike,
and the parts of ``GROUP_CONCAT`` lists (``" | "``) in sorted order, since their order is engine-defined.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .namespaces import PREFIXES

__all__ = [
    "EngineUnavailable",
    "JenaEngine",
    "QueryComparison",
    "VirtuosoEngine",
    "compare_rows",
    "jena_classpath",
    "normalise_rows",
    "query_text",
    "virtuoso_binaries",
]

JAVA_DIR = Path("/usr/share/java")
#: jars ARQ needs (Debian names); slf4j-nop silences logging without clashing bindings
JENA_JARS = (
    "jena-arq", "jena-base", "jena-core", "jena-iri", "jena-cmds", "jena-shacl", "jena-shex", "jena-tdb",
    "jena-tdb2", "jena-rdfconnection", "jena-dboe-base", "jena-dboe-index", "jena-dboe-storage",
    "jena-dboe-trans-data", "jena-dboe-transaction", "commons-cli", "commons-codec", "commons-compress",
    "commons-csv", "commons-io", "commons-lang3", "dexx.collection", "gson", "guava", "jackson-core",
    "jackson-databind", "jackson-annotations", "jsonld-java", "titanium-json-ld", "jakarta.json-api", "httpclient",
    "httpcore", "httpclient-cache", "protobuf", "thrift", "slf4j-api", "slf4j-nop", "jcl-over-slf4j",
)
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")
_XSD = PREFIXES["xsd"]
_NUMERIC = {_XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "short", "byte",
                                "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
                                "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}


class EngineUnavailable(RuntimeError):
    """The engine is not installed (or cannot start here); the message says what is missing."""


# --- queries and rows ------------------------------------------------------------------------------------


def query_text(text: str, bindings: Mapping[str, str] | None = None) -> str:
    """A named query for another engine: the project's prefixes, then the query with the bindings as a
    ``VALUES`` block opening its outermost ``WHERE`` group (the IRIs are checked to be plain absolute IRIs).

    Inline rather than trailing VALUES: Virtuoso 7.2 joins a trailing VALUES clause wrongly for some queries
    (theme-trajectory returned other authorities' rows labelled with the bound IRI), inline VALUES it gets right,
    and the meaning is the same as ofsted-kg's substitution of the variable."""
    prologue = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
    values = ""
    for var, iri in sorted((bindings or {}).items()):
        if not re.fullmatch(r"[A-Za-z_]\w*", var) or not _IRI.match(iri):
            raise ValueError(f"cannot bind ?{var} to {iri!r}: not a variable name and an absolute IRI")
        values += f"\n  VALUES ?{var} {{ <{iri}> }}"
    if values:
        where = next((m for m in re.finditer(r"\bWHERE\s*\{", text, re.I)
                      if not text[text.rfind("\n", 0, m.start()) + 1:m.start()].lstrip().startswith("#")), None)
        if where is None:
            raise ValueError("cannot bind parameters: the query has no WHERE { ... } group")
        text = text[:where.end()] + values + text[where.end():]
    return prologue + text.rstrip() + "\n"


def _norm_term(term: Mapping[str, str] | None, booleans_as_numbers: bool = False) -> tuple | None:
    """A SPARQL JSON result term, normalised for comparison across engines."""
    if term is None:
        return None
    kind = term.get("type")
    value = term.get("value", "")
    if kind == "uri":
        return ("uri", value)
    if kind == "bnode":
        return ("bnode",)
    lang = term.get("xml:lang")
    if lang:
        return ("lang", value, lang.lower())
    dt = term.get("datatype")
    if dt in _NUMERIC:
        try:
            return ("number", Decimal(value).normalize())
        except InvalidOperation:
            return ("number", value)
    if dt == _XSD + "boolean":
        truth = value in ("true", "1")
        return ("number", Decimal(int(truth))) if booleans_as_numbers else ("boolean", truth)
    if dt in (None, _XSD + "string"):
        if " | " in value:
            value = " | ".join(sorted(value.split(" | ")))
        return ("string", value)
    return ("typed", value, dt)


def normalise_rows(doc: Mapping, booleans_as_numbers: bool = False) -> tuple[list[str], Counter]:
    """(variables, multiset of normalised rows) of a SPARQL 1.1 Query Results JSON document."""
    variables = list(doc["head"]["vars"])
    rows: Counter = Counter()
    for b in doc["results"]["bindings"]:
        rows[tuple(_norm_term(b.get(v), booleans_as_numbers) for v in variables)] += 1
    return variables, rows


@dataclass
class QueryComparison:
    name: str
    engine: str
    rows: int
    other_rows: int
    missing: list = field(default_factory=list)  # rows ofsted-kg has and the engine does not
    extra: list = field(default_factory=list)  # rows the engine has and ofsted-kg does not
    error: str | None = None

    @property
    def agrees(self) -> bool:
        return self.error is None and not self.missing and not self.extra

    def describe(self, limit: int = 3) -> str:
        if self.error:
            return f"{self.name} on {self.engine}: error: {self.error}"
        if self.agrees:
            return f"{self.name} on {self.engine}: {self.rows} rows agree"
        return (f"{self.name} on {self.engine}: ofsted-kg {self.rows} rows, {self.engine} {self.other_rows}; "
                f"missing {self.missing[:limit]}; extra {self.extra[:limit]}")


def compare_rows(name: str, engine: str, ours: Mapping, theirs: Mapping, *,
                 booleans_as_numbers: bool = False) -> QueryComparison:
    """Compare two SPARQL JSON result documents (ours first) as multisets of normalised rows.
    ``booleans_as_numbers`` reads true/false as 1/0 on both sides (Virtuoso has no SQL boolean and returns
    xsd:boolean values as integers: openlink/virtuoso-opensource#251, #485)."""
    ov, orows = normalise_rows(ours, booleans_as_numbers)
    tv, trows = normalise_rows(theirs, booleans_as_numbers)
    if ov != tv:
        return QueryComparison(name, engine, sum(orows.values()), sum(trows.values()),
                               error=f"different variables: {ov} vs {tv}")
    return QueryComparison(name, engine, sum(orows.values()), sum(trows.values()),
                           missing=sorted((orows - trows).elements(), key=repr),
                           extra=sorted((trows - orows).elements(), key=repr))


# --- Apache Jena ------------------------------------------------------------------------------------------

_JENA_RUNNER = r"""
import java.io.*;
import java.nio.file.*;
import java.util.*;
import org.apache.jena.query.*;
import org.apache.jena.riot.RDFDataMgr;

/** Loads one data file into an in-memory dataset and runs every .rq file of a folder, writing SPARQL JSON. */
public class RunQueries {
  public static void main(String[] args) throws Exception {
    Dataset ds = RDFDataMgr.loadDataset(args[0]);
    File[] files = new File(args[1]).listFiles((d, n) -> n.endsWith(".rq"));
    Arrays.sort(files);
    for (File f : files) {
      String name = f.getName().substring(0, f.getName().length() - 3);
      try (QueryExecution qe = QueryExecutionFactory.create(QueryFactory.create(Files.readString(f.toPath())), ds);
           OutputStream out = new FileOutputStream(new File(args[2], name + ".json"))) {
        ResultSetFormatter.outputAsJSON(out, qe.execSelect());
      } catch (Exception e) {
        Files.writeString(Paths.get(args[2], name + ".error"), e.toString());
      }
    }
  }
}
"""


def jena_classpath(java_dir: Path = JAVA_DIR) -> list[Path]:
    """The jars of Debian's libapache-jena-java that ARQ needs; EngineUnavailable when it is not installed."""
    if shutil.which("java") is None:
        raise EngineUnavailable("Jena needs a Java runtime (java on PATH); install default-jre-headless")
    jars = [java_dir / f"{name}.jar" for name in JENA_JARS]
    missing = [j.name for j in jars if not j.is_file()]
    if any(m.startswith("jena-arq") for m in missing):
        raise EngineUnavailable(f"Apache Jena is not installed ({java_dir}/jena-arq.jar is missing); "
                                "install libapache-jena-java")
    return [j for j in jars if j.is_file()]


def _xerces_resources(jena_core: Path, into: Path) -> Path | None:
    """Debian's jena-core relocates its embedded Xerces classes to ``xerces.*`` but leaves their message
    resources under ``org/apache/jena/ext/xerces``; the XSD datatype code then fails ('internal error') while
    Jena initialises. Copy the resources to where the classes look for them."""
    with zipfile.ZipFile(jena_core) as z:
        names = z.namelist()
        relocated = "xerces/impl/dv/xs/XSSimpleTypeDecl.class" in names
        if not relocated or "xerces/impl/msg/XMLSchemaMessages.properties" in names:
            return None
        prefix = "org/apache/jena/ext/"
        for name in names:
            if name.startswith(prefix + "xerces/") and name.endswith(".properties"):
                target = into / name[len(prefix):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(z.read(name))
    return into


class JenaEngine:
    """Apache Jena ARQ over an N-Triples/N-Quads/TriG file, every query in one JVM."""

    name = "jena"

    def __init__(self, data: Path, workdir: Path):
        self.data = Path(data)
        self.workdir = Path(workdir)
        self.classpath = jena_classpath()

    def run(self, queries: Mapping[str, str], timeout: float = 600) -> dict[str, dict | str]:
        """SPARQL JSON results (or an error message) per query name."""
        qdir, odir = self.workdir / "jena-queries", self.workdir / "jena-results"
        for d in (qdir, odir):
            shutil.rmtree(d, ignore_errors=True)
            d.mkdir(parents=True)
        for name, text in queries.items():
            (qdir / f"{name}.rq").write_text(text, encoding="utf-8")
        runner = self.workdir / "RunQueries.java"
        runner.write_text(_JENA_RUNNER, encoding="utf-8")
        cp = [str(p) for p in self.classpath]
        fix = _xerces_resources(JAVA_DIR / "jena-core.jar", self.workdir / "jena-xerces")
        if fix is not None:
            cp.append(str(fix))
        cmd = ["java", "-Xmx1g", "-cp", os.pathsep.join(cp), str(runner), str(self.data), str(qdir), str(odir)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0:
            raise EngineUnavailable(f"Jena failed (exit {proc.returncode}): {proc.stderr.strip()[-2000:]}")
        out: dict[str, dict | str] = {}
        for name in queries:
            result, error = odir / f"{name}.json", odir / f"{name}.error"
            if result.is_file():
                out[name] = json.loads(result.read_text(encoding="utf-8"))
            else:
                out[name] = error.read_text(encoding="utf-8") if error.is_file() else "no result written"
        return out


# --- OpenLink Virtuoso ------------------------------------------------------------------------------------

_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
ServerThreads = 4
CheckpointInterval = 0
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = ., {dir}
ThreadCleanupInterval = 0
ResourcesCleanupInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 4
ServerThreads = 4

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 300
MaxQueryCostEstimationTime = 0
"""


def virtuoso_binaries() -> tuple[str, str]:
    """(virtuoso-t, isql-vt); EngineUnavailable when Virtuoso is not installed."""
    server = shutil.which("virtuoso-t")
    isql = shutil.which("isql-vt") or shutil.which("isql")
    if not server or not isql:
        raise EngineUnavailable("OpenLink Virtuoso is not installed (virtuoso-t / isql-vt not on PATH); "
                                "install virtuoso-opensource")
    return server, isql


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class VirtuosoEngine:
    """A throwaway Virtuoso server on loopback (own database directory and ports); use as a context manager."""

    name = "virtuoso"
    GRAPH = "urn:ofsted-kg:crossengine"

    def __init__(self, workdir: Path, *, startup_timeout: float = 120):
        self.server, self.isql = virtuoso_binaries()
        self.dir = Path(workdir) / "virtuoso"
        self.startup_timeout = startup_timeout
        self.proc: subprocess.Popen | None = None
        self._log = None
        self.sql_port = self.http_port = 0

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    def __enter__(self) -> VirtuosoEngine:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        self.sql_port, self.http_port = _free_port(), _free_port()
        ini = self.dir / "virtuoso.ini"
        ini.write_text(_VIRTUOSO_INI.format(dir=self.dir, sql_port=self.sql_port, http_port=self.http_port),
                       encoding="utf-8")
        self._log = (self.dir / "stdout.log").open("wb")
        self.proc = subprocess.Popen([self.server, "+foreground", "+configfile", str(ini)], cwd=self.dir,
                                     stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise EngineUnavailable(f"Virtuoso exited at startup (code {self.proc.returncode}); see "
                                        f"{self.dir / 'virtuoso.log'}")
            if self._sql("status();", check=False, timeout=10).returncode == 0 and self._http_ready():
                return
            time.sleep(0.5)
        self.stop()
        raise EngineUnavailable(f"Virtuoso did not start within {self.startup_timeout:.0f} s; see {self.dir}")

    def _http_ready(self) -> bool:
        import urllib.request

        try:
            with urllib.request.urlopen(f"{self.endpoint}?query=ASK%7B%7D", timeout=5) as r:
                return r.status == 200
        except OSError:
            return False

    def _sql(self, statement: str, *, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess:
        proc = subprocess.run([self.isql, f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={statement}"],
                              capture_output=True, text=True, timeout=timeout)
        if check and (proc.returncode != 0 or "*** Error" in proc.stdout + proc.stderr):
            raise EngineUnavailable(f"Virtuoso SQL failed: {statement[:80]}: {(proc.stdout + proc.stderr)[-1500:]}")
        return proc

    def load(self, data: Path) -> None:
        """Load an N-Triples or Turtle file into the comparison graph (copied into the server's allowed dir)."""
        local = self.dir / ("data" + Path(data).suffix)
        shutil.copyfile(data, local)
        # flags 0: strict Turtle/N-Triples; the file name is passed as a SQL string literal (no quotes in it)
        if "'" in str(local):
            raise EngineUnavailable(f"cannot load {local}: the path contains a quote")
        self._sql(f"DB.DBA.TTLP_MT(file_to_string_output('{local}'), '', '{self.GRAPH}', 0); checkpoint;")

    def run(self, queries: Mapping[str, str]) -> dict[str, dict | str]:
        """SPARQL JSON results (or an error message) per query name, over the comparison graph."""
        from SPARQLWrapper import JSON, POST, SPARQLWrapper

        out: dict[str, dict | str] = {}
        for name, text in queries.items():
            client = SPARQLWrapper(self.endpoint)
            client.addDefaultGraph(self.GRAPH)
            client.setMethod(POST)
            client.setReturnFormat(JSON)
            client.setQuery(text)
            client.setTimeout(300)
            try:
                out[name] = client.queryAndConvert()
            except Exception as exc:  # the endpoint's error text names the problem
                out[name] = f"{type(exc).__name__}: {exc}"[:2000]
        return out

    def stop(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=30)
        self.proc = None


# --- the comparison -----------------------------------------------------------------------------------------


def union_ntriples(graph_dir: Path, out: Path) -> Path:
    """The graph's union as N-Triples (what the named queries see), from ofsted-kg's exporter."""
    from .export import export

    out.write_bytes(export(Path(graph_dir), "nt"))
    return out


def compare_named_queries(graph_dir: Path, engine: str, workdir: Path | None = None,
                          bindings: Mapping[str, Mapping[str, str]] | None = None) -> list[QueryComparison]:
    """Run every named query (and each extra (query, bindings) case in ``bindings``: case name ->
    {"query": name, var: iri...}) in ``engine`` ("jena" or "virtuoso") and compare with ofsted-kg's rows."""
    from .queries import named_queries, run_named
    from .store import open_backend

    queries = named_queries()
    cases: dict[str, tuple[str, dict[str, str]]] = {name: (name, {}) for name in queries}
    for case, spec in (bindings or {}).items():
        spec = dict(spec)
        cases[case] = (spec.pop("query"), spec)
    backend = open_backend(Path(graph_dir))
    try:
        ours = {case: json.loads(run_named(backend, q, b).to_json()) for case, (q, b) in cases.items()}
    finally:
        backend.close()
    texts = {case: query_text(queries[q].text, b) for case, (q, b) in cases.items()}
    with tempfile.TemporaryDirectory(prefix="ofsted-kg-crossengine-") as tmp:
        work = Path(workdir) if workdir else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        data = union_ntriples(Path(graph_dir), work / "union.nt")
        if engine == "jena":
            theirs = JenaEngine(data, work).run(texts)
        elif engine == "virtuoso":
            with VirtuosoEngine(work) as v:
                v.load(data)
                theirs = v.run(texts)
        else:
            raise ValueError(f"unknown engine {engine!r}; choose jena or virtuoso")
    out = []
    for case in cases:
        result = theirs[case]
        if isinstance(result, str):
            out.append(QueryComparison(case, engine, 0, 0, error=result))
        else:
            out.append(compare_rows(case, engine, ours[case], result, booleans_as_numbers=engine == "virtuoso"))
    return out
