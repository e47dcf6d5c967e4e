"""Build a graph directory from a corpus: ingest every file (both cores), resolve identities
across documents, write graph.ttl, graph.nq, the embedded pyoxigraph store and a build report.

A bad file is reported (one line naming it) and the rest still builds; the previous graph
directory is only replaced once the new one is complete.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from . import __version__
from .errors import IngestError
from .ingest.authorities import AuthorityRegister
from .ingest.pipeline import MANIFEST_NAME, ingest, read_manifest
from .ingest.readers import EXTENSIONS
from .ingest.resolve import resolve_corpus
from .ingest.triples import asset_quads, authority_quads, document_nquads, nquads, vocabulary_quads
from .model import Document
from .namespaces import PREFIXES
from .persistence import analyse, collect, persistence_quads
from .provenance import write_build_record

__all__ = ["BuildReport", "FileResult", "build", "collect_inputs"]

REGISTER_NAME = "authorities.csv"
#: a folder's own documentation, never a report
_DOCS = re.compile(r"^(?:readme|licen[cs]e|changelog|contributing)(?:\.\w+)?$", re.I)


@dataclass
class FileResult:
    path: str
    status: str  # ok | failed | skipped
    reason: str = ""
    framework: str | None = None
    authority: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass
class BuildReport:
    tool: str
    version: str
    inputs: list[str]
    files: list[FileResult]
    totals: dict[str, int]
    seconds: float

    @property
    def failed(self) -> int:
        return sum(f.status == "failed" for f in self.files)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, ensure_ascii=False)


def collect_inputs(paths: Sequence[Path]) -> tuple[list[Path], list[Path], list[Path]]:
    """(report files, manifest files, extra authority registers) under ``paths``, sorted."""
    files: set[Path] = set()
    manifests: set[Path] = set()
    registers: set[Path] = set()
    for p in paths:
        p = Path(p)
        if p.is_dir():
            candidates = [c for c in p.rglob("*") if c.is_file()]
        elif p.exists():
            candidates = [p]
            for side in (p.parent / MANIFEST_NAME, p.parent / REGISTER_NAME):
                if side.is_file():
                    candidates.append(side)
        else:
            raise IngestError(p, "input", "no such file or directory", "check the path")
        for c in candidates:
            if c.name == MANIFEST_NAME:
                manifests.add(c.resolve())
            elif c.name == REGISTER_NAME:
                registers.add(c.resolve())
            elif c.suffix.lower() in EXTENSIONS and not c.name.startswith(".") and not _DOCS.match(c.name):
                files.add(c)
    return sorted(files, key=str), sorted(manifests), sorted(registers)


# --- worker side (one register per process, loaded once) -------------------------------------

_REGISTER: AuthorityRegister | None = None


def _init_worker(registers: list[Path]) -> None:
    global _REGISTER
    _REGISTER = AuthorityRegister.load(extra=registers)


def _ingest_one(task: tuple[Path, dict[str, str]]) -> Document | IngestError:
    path, overrides = task
    assert _REGISTER is not None
    try:
        return ingest(path, _REGISTER, overrides)
    except IngestError as exc:
        return exc
    except Exception as exc:  # a bug must not stop the corpus: report it against the file
        return IngestError(path, "extraction", f"unexpected {type(exc).__name__}: {exc}",
                           "please report this file to the developers")


def _ingest_all(tasks: list[tuple[Path, dict[str, str]]], registers: list[Path], jobs: int) -> list:
    if jobs <= 1 or len(tasks) < 4:
        _init_worker(registers)
        return [_ingest_one(t) for t in tasks]
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(registers,)) as pool:
        return list(pool.map(_ingest_one, tasks, chunksize=max(1, len(tasks) // (jobs * 8))))


def _map(func: Callable, items: list, jobs: int) -> list:
    """``map`` over worker processes when there is enough work to pay for them."""
    if jobs <= 1 or len(items) < 8:
        return [func(i) for i in items]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(func, items, chunksize=max(1, len(items) // (jobs * 8))))


# --- writing ------------------------------------------------------------------------------------


def _write_outputs(statements: list[str], tmp: Path) -> None:
    """graph.nq (sorted statements), graph.ttl (their union, sorted) and the store, built in parallel."""
    import threading

    import pyoxigraph

    tmp.mkdir(parents=True, exist_ok=True)
    nq = ("\n".join(statements) + "\n").encode("utf-8")
    (tmp / "graph.nq").write_bytes(nq)

    def load_store() -> None:  # pyoxigraph releases the GIL while it loads
        store = pyoxigraph.Store(str(tmp / "store"))
        store.bulk_load(nq, format=pyoxigraph.RdfFormat.N_QUADS)
        store.flush()
        del store

    loader = threading.Thread(target=load_store)
    loader.start()
    # every statement sits in a named graph: drop the graph term (the last one on the line)
    triples = sorted({line[: line.rfind(" <")] + " ." for line in statements})
    parsed = pyoxigraph.parse(("\n".join(triples) + "\n").encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    with (tmp / "graph.ttl").open("wb") as fh:
        pyoxigraph.serialize(parsed, fh, format=pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIXES)
    loader.join()


def _replace_dir(tmp: Path, out: Path) -> None:
    """Swap the finished build into ``out``, keeping anything else the user put there."""
    out.mkdir(parents=True, exist_ok=True)
    for item in tmp.iterdir():
        target = out / item.name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        item.rename(target)
    tmp.rmdir()


def _counts(doc: Document) -> dict[str, int]:
    kinds = {"strength": 0, "weakness": 0, "recommendation": 0}
    for f in doc.findings:
        kinds[f.kind] = kinds.get(f.kind, 0) + 1
    return {
        "inspections": sum(1 for i in doc.inspections if i.framework),
        "referenced": sum(1 for i in doc.inspections if i.framework and i.referenced),
        "judgements": len(doc.judgements),
        "findings": len(doc.findings),
        **kinds,
    }


def build(paths: Sequence[Path], out: Path, *, jobs: int | None = None, log: Iterable | None = None) -> BuildReport:
    """Build the graph for ``paths`` into ``out``; returns the build report (also written there)."""
    started = time.perf_counter()
    started_at = datetime.now(UTC)
    jobs = jobs or min(os.cpu_count() or 1, 8)
    files, manifests, registers = collect_inputs(paths)
    results: list[FileResult] = []
    overrides: dict[str, dict[str, str]] = {}
    for m in manifests:
        try:
            overrides.update(read_manifest(m))
        except IngestError as exc:
            results.append(FileResult(str(m), "failed", exc.one_line()))
            print(f"error: {exc.one_line()}", file=sys.stderr)
    try:
        register = AuthorityRegister.load(extra=registers)
    except ValueError as exc:
        results.append(FileResult(", ".join(map(str, registers)), "failed", str(exc)))
        print(f"error: {exc}", file=sys.stderr)
        registers, register = [], AuthorityRegister.load()
    tasks = [(f, overrides.get(str(f.resolve()), {})) for f in files]
    outcomes = _ingest_all(tasks, registers, jobs)
    docs: list[tuple[Path, Document]] = []
    for (path, _), outcome in zip(tasks, outcomes, strict=True):
        if isinstance(outcome, IngestError):
            results.append(FileResult(str(path), outcome.status, outcome.one_line()))
            print(f"{'error' if outcome.status == 'failed' else 'skipped'}: {outcome.one_line()}", file=sys.stderr)
            continue
        main = outcome.main()
        results.append(FileResult(
            str(path), "ok", "", framework=main.framework if main else None,
            authority=main.authority if main else None, counts=_counts(outcome), warnings=list(outcome.warnings),
        ))
        docs.append((path, outcome))
    resolution = resolve_corpus(d for _, d in docs)
    text = nquads([*vocabulary_quads(), *authority_quads(register), *asset_quads()])
    unique: dict[str, tuple[Path, Document]] = {}
    for path, doc in docs:
        unique.setdefault(doc.sha256, (path, doc))  # the same file twice (a copy under another name): one report
    pieces = _map(document_nquads, [(doc, resolution, str(path)) for path, doc in unique.values()], jobs)
    occasions, themed = collect((doc for _, doc in unique.values()), resolution)
    persistence = analyse(occasions, themed)
    pieces.append(nquads(persistence_quads(persistence)))
    statements = sorted({line for chunk in [text, *pieces] for line in chunk.splitlines() if line})
    out = Path(out)
    tmp = out.parent / f".{out.name}.building-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    _write_outputs(statements, tmp)
    # the PROV-O record of this build and the VoID/DCAT description: in build-prov.trig and the store,
    # kept out of graph.nq / graph.ttl so that those stay byte-identical for the same inputs
    write_build_record(tmp, [*files, *manifests, *registers], started=started_at,
                       checksums={str(path): doc.sha256 for path, doc in docs})
    totals = {
        "files": len(results),
        "ok": sum(r.status == "ok" for r in results),
        "failed": sum(r.status == "failed" for r in results),
        "skipped": sum(r.status == "skipped" for r in results),
        "inspections": len(set(resolution.iris.values())),
        "judgements": sum(len(d.judgements) for _, d in docs),
        "findings": sum(len(d.findings) for _, d in docs),
        "persistent_weaknesses": len(persistence.persistent),
        "quads": len(statements),
    }
    report = BuildReport("ofsted-kg", __version__, [str(p) for p in paths], sorted(results, key=lambda r: r.path),
                         totals, round(time.perf_counter() - started, 2))
    (tmp / "build-report.json").write_text(report.to_json(), encoding="utf-8")
    _replace_dir(tmp, out)
    return report
