"""Build provenance (PROV-O) and the dataset description (VoID + DCAT) of a graph directory.

Two named graphs, written by :func:`write_build_record` to ``DIR/build-prov.trig`` and loaded into the store:

* ``id/graph/build``: the ``prov:Activity`` of the build (tool and version, start and end time), the input
  files it used (``prov:used``, each a ``prov:Entity`` with its SHA-256; a report file's entity is the graph's
  own ``id/report/{sha256}`` node) and what it generated (the dataset and its distributions);
* ``id/graph/dataset``: ``id/dataset`` as a ``void:Dataset`` and ``dcat:Dataset`` with triple, entity,
  class and property counts (and partitions), licences (Open Government Licence v3.0 for the report content,
  MIT for the ontology and software), its source (Ofsted's reports site), the vocabularies it uses, the
  distributions ``graph.nq`` and ``graph.ttl`` with sizes and checksums, and optionally a SPARQL endpoint.

The record holds times, so it lives in its own file: ``graph.nq`` and ``graph.ttl`` stay byte-identical
for the same inputs. Everything in the dataset graph except ``dcterms:modified`` depends on ``graph.nq`` only.
"""

from __future__ import annotations

import hashlib
import io
import platform
import re
from collections import Counter
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from . import __version__
from .namespaces import DCAT, DCTERMS, ID, OFSTED, ONTOLOGY_IRI, OWL, PREFIXES, PROV, RDF, RDFS, VOID, XSD

__all__ = [
    "BUILD_GRAPH",
    "DATASET",
    "DATASET_GRAPH",
    "LICENCE_CONTENT",
    "LICENCE_SOFTWARE",
    "PROV_FILE",
    "build_provenance_quads",
    "dataset_description_quads",
    "file_sha256",
    "input_entity",
    "write_build_record",
]

BUILD_GRAPH = NamedNode(str(ID["graph/build"]))
DATASET_GRAPH = NamedNode(str(ID["graph/dataset"]))
DATASET = NamedNode(str(ID["dataset"]))
PROV_FILE = "build-prov.trig"
LICENCE_CONTENT = NamedNode("http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")
LICENCE_SOFTWARE = NamedNode("https://opensource.org/licenses/MIT")
REPORTS_SITE = NamedNode("https://reports.ofsted.gov.uk/")
SOFTWARE = NamedNode(str(ID[f"software/ofsted-kg/{__version__}"]))
#: outputs described as distributions: file name -> IANA media type
DISTRIBUTIONS = {"graph.nq": "application/n-quads", "graph.ttl": "text/turtle"}
#: side files of an input folder that are not reports (their entities get id/file/... IRIs)
SIDE_FILES = ("manifest.csv", "authorities.csv")

_N = NamedNode
_TYPE = _N(str(RDF.type))
_INT = _N(str(XSD.integer))
_DATETIME = _N(str(XSD.dateTime))


def _t(term: str) -> NamedNode:
    return _N(str(term))


def _int(n: int) -> Literal:
    return Literal(str(n), datatype=_INT)


def _time(moment: datetime) -> Literal:
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return Literal(moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"), datatype=_DATETIME)


def file_sha256(path: Path) -> str:
    """SHA-256 (hex) of a file, read in blocks."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def input_entity(path: Path, sha256: str) -> NamedNode:
    """The entity of an input file: the report node ``id/report/{sha256[:16]}`` (the graph's own node for
    that file) for a report, ``id/file/{sha256[:16]}`` for a manifest or authority register."""
    kind = "file" if Path(path).name in SIDE_FILES else "report"
    return _N(str(ID[f"{kind}/{sha256[:16]}"]))


# --- PROV-O: the build activity ------------------------------------------------------------------------


def build_provenance_quads(
    inputs: Sequence[Path],
    *,
    started: datetime,
    ended: datetime,
    checksums: Mapping[str, str] | None = None,
    outputs: Mapping[str, str] | None = None,
    described: Container[str] = frozenset(),
    described_outputs: bool = False,
) -> list[Quad]:
    """The PROV-O record of one build, in ``id/graph/build``.

    ``inputs`` are the files the build read (reports, manifests, registers); ``checksums`` maps a path (as a
    string) to a SHA-256 already known, the rest are hashed here. ``outputs`` maps an output file name
    (graph.nq, graph.ttl) to its SHA-256. Input entities in ``described`` (report nodes the graph already
    gives a checksum and path in their own named graph) are only linked, not described again: the same
    statement in two named graphs would be counted twice by queries over their union. Every other input
    (a manifest, a register, a report that failed or was skipped) gets its checksum and path here; the
    outputs' checksums are left to the dataset description when ``described_outputs``.
    """
    known = dict(checksums or {})
    stamp = _time(started).value.replace("-", "").replace(":", "")
    activity = _N(str(ID[f"build/{stamp}"]))
    quads: list[Quad] = []

    def add(s: NamedNode, p: str | NamedNode, o: NamedNode | Literal) -> None:
        quads.append(Quad(s, p if isinstance(p, NamedNode) else _t(p), o, BUILD_GRAPH))

    add(activity, RDF.type, _t(PROV.Activity))
    add(activity, RDFS.label, Literal(f"ofsted-kg build {stamp}"))
    add(activity, PROV.startedAtTime, _time(started))
    add(activity, PROV.endedAtTime, _time(ended))
    add(activity, PROV.wasAssociatedWith, SOFTWARE)
    add(SOFTWARE, RDF.type, _t(PROV.SoftwareAgent))
    add(SOFTWARE, RDFS.label, Literal(f"ofsted-kg {__version__}"))
    add(SOFTWARE, OWL.versionInfo, Literal(__version__))
    add(SOFTWARE, DCTERMS.license, LICENCE_SOFTWARE)
    add(SOFTWARE, RDFS.comment, Literal(f"Python {platform.python_version()} on {platform.system()}"))
    add(activity, PROV.used, _N(ONTOLOGY_IRI))  # its licence (MIT) is stated in the ontology graph
    for path in sorted({Path(p) for p in inputs}, key=str):
        sha = known.get(str(path)) or file_sha256(path)
        entity = input_entity(path, sha)
        add(activity, PROV.used, entity)
        if entity.value not in described:
            add(entity, RDF.type, _t(PROV.Entity))
            add(entity, OFSTED.sha256, Literal(sha))
            add(entity, OFSTED.sourcePath, Literal(str(path)))
    add(activity, PROV.generated, DATASET)
    add(DATASET, PROV.wasGeneratedBy, activity)
    add(DATASET, PROV.generatedAtTime, _time(ended))
    for name, sha in sorted((outputs or {}).items()):
        dist = _N(f"{DATASET.value}/{name}")
        add(activity, PROV.generated, dist)
        add(dist, RDF.type, _t(PROV.Entity))
        add(dist, PROV.wasGeneratedBy, activity)
        if not described_outputs:
            add(dist, OFSTED.sha256, Literal(sha))
    return quads


# --- VoID / DCAT: the dataset description -----------------------------------------------------------------


_LINE = re.compile(r"^(\S+) <([^>]*)> (.*) <[^>]*> \.$|^(\S+) <([^>]*)> (.*) \.$")


def _terms(lines: Iterable[str]) -> Iterable[tuple[str, str, str]]:
    """(subject, predicate, object) text of N-Quads / N-Triples lines, without parsing literals."""
    for line in lines:
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        m = _LINE.match(line)
        if m:
            yield (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))


def dataset_description_quads(
    nq_lines: Iterable[str],
    *,
    distributions: Mapping[str, tuple[int, str]] | None = None,
    modified: datetime | None = None,
    endpoint: str | None = None,
) -> list[Quad]:
    """VoID + DCAT description of the dataset whose statements are ``nq_lines`` (graph.nq), in
    ``id/graph/dataset``. ``distributions`` maps an output file name to (bytes, sha256)."""
    triples = 0
    subjects: set[str] = set()
    objects: set[str] = set()
    properties: Counter[str] = Counter()
    classes: dict[str, set[str]] = {}
    rdf_type = str(RDF.type)
    for s, p, o in _terms(nq_lines):
        triples += 1
        subjects.add(s)
        objects.add(o)
        properties[p] += 1
        if p == rdf_type and o.startswith("<"):
            classes.setdefault(o[1:-1], set()).add(s)
    entities = sum(1 for s in subjects if s.startswith("<" + str(ID)))
    quads: list[Quad] = []

    def add(s: NamedNode, p: str | NamedNode, o: NamedNode | Literal) -> None:
        quads.append(Quad(s, p if isinstance(p, NamedNode) else _t(p), o, DATASET_GRAPH))

    d = DATASET
    add(d, RDF.type, _t(VOID.Dataset))
    add(d, RDF.type, _t(DCAT.Dataset))
    add(d, RDF.type, _t(PROV.Entity))
    add(d, DCTERMS.title, Literal("ofsted-kg: Ofsted inspections of children's services", language="en"))
    add(d, DCTERMS.description, Literal(
        "Knowledge graph of Ofsted inspections of English local authority children's services: authorities, "
        "inspections, graded judgements, findings and persistent weaknesses, each tied to the exact quote of the "
        "report it was read from.", language="en"))
    add(d, DCTERMS.license, LICENCE_CONTENT)
    add(d, DCTERMS.rights, Literal(
        "Report content: Crown copyright, Ofsted, reused under the Open Government Licence v3.0. Ontology, "
        "vocabularies and software: MIT licence.", language="en"))
    add(d, DCTERMS.source, REPORTS_SITE)
    add(d, DCTERMS.publisher, SOFTWARE)
    add(d, DCTERMS.conformsTo, _N(ONTOLOGY_IRI))
    if modified is not None:
        add(d, DCTERMS.modified, _time(modified))
    add(d, VOID.uriSpace, Literal(str(ID)))
    for ns in ("ofsted", "skos", "prov", "oa", "org", "dcterms", "foaf"):
        add(d, VOID.vocabulary, _N(PREFIXES[ns]))
    for keyword in ("Ofsted", "children's services", "inspection", "local authority", "linked data"):
        add(d, DCAT.keyword, Literal(keyword, language="en"))
    add(d, VOID.triples, _int(triples))
    add(d, VOID.entities, _int(entities))
    add(d, VOID.distinctSubjects, _int(len(subjects)))
    add(d, VOID.distinctObjects, _int(len(objects)))
    add(d, VOID.properties, _int(len(properties)))
    add(d, VOID.classes, _int(len(classes)))
    for cls, members in sorted(classes.items()):
        part = _N(f"{d.value}/class/{hashlib.sha1(cls.encode()).hexdigest()[:12]}")
        add(d, VOID.classPartition, part)
        add(part, VOID["class"], _N(cls))
        add(part, VOID.entities, _int(len(members)))
    for prop, n in sorted(properties.items()):
        part = _N(f"{d.value}/property/{hashlib.sha1(prop.encode()).hexdigest()[:12]}")
        add(d, VOID.propertyPartition, part)
        add(part, VOID.property, _N(prop))
        add(part, VOID.triples, _int(n))
    for name, (size, sha) in sorted((distributions or {}).items()):
        dist = _N(f"{d.value}/{name}")
        add(d, DCAT.distribution, dist)
        add(dist, RDF.type, _t(DCAT.Distribution))
        add(dist, DCTERMS.title, Literal(name))
        add(dist, DCAT.mediaType, _N(f"https://www.iana.org/assignments/media-types/{DISTRIBUTIONS.get(name, name)}"))
        add(dist, DCAT.byteSize, _int(size))
        add(dist, DCTERMS.license, LICENCE_CONTENT)
        add(dist, OFSTED.sha256, Literal(sha))
    if endpoint:
        add(d, VOID.sparqlEndpoint, _N(endpoint))
    return quads


# --- writing ----------------------------------------------------------------------------------------------


def write_build_record(
    graph_dir: Path,
    inputs: Sequence[Path],
    *,
    started: datetime,
    ended: datetime | None = None,
    checksums: Mapping[str, str] | None = None,
    endpoint: str | None = None,
    statements: Iterable[str] | None = None,
    load: bool = True,
) -> Path:
    """Write ``DIR/build-prov.trig`` (graphs id/graph/build and id/graph/dataset) for the graph in ``graph_dir``
    (its graph.nq and graph.ttl must exist) and, when ``load``, replace those graphs in ``DIR/store``.
    ``statements`` are graph.nq's lines when the caller has them (else the file is read)."""
    import pyoxigraph

    graph_dir = Path(graph_dir)
    ended = ended or datetime.now(UTC)
    outputs: dict[str, str] = {}
    sizes: dict[str, tuple[int, str]] = {}
    for name in DISTRIBUTIONS:
        path = graph_dir / name
        if path.is_file():
            outputs[name] = file_sha256(path)
            sizes[name] = (path.stat().st_size, outputs[name])
    described: set[str] = set()  # nodes with a checksum in graph.nq (the reports that were built)
    checksum = f" <{OFSTED.sha256}> "

    def watch(lines: Iterable[str]) -> Iterator[str]:
        for line in lines:
            if checksum in line and line.startswith("<"):
                described.add(line[1:line.index(">")])
            yield line

    if statements is not None:
        description = dataset_description_quads(watch(statements), distributions=sizes, modified=ended,
                                                endpoint=endpoint)
    else:
        with (graph_dir / "graph.nq").open(encoding="utf-8") as fh:
            description = dataset_description_quads(watch(fh), distributions=sizes, modified=ended,
                                                    endpoint=endpoint)
    record = build_provenance_quads(inputs, started=started, ended=ended, checksums=checksums, outputs=outputs,
                                    described=described, described_outputs=True)
    quads = sorted(record + description, key=lambda q: (q.graph_name.value, str(q.subject), str(q.predicate),
                                                         str(q.object)))
    buf = io.BytesIO()
    pyoxigraph.serialize(quads, buf, format=pyoxigraph.RdfFormat.TRIG, prefixes=PREFIXES)
    path = graph_dir / PROV_FILE
    path.write_bytes(buf.getvalue())
    if load and (graph_dir / "store").is_dir():
        store = pyoxigraph.Store(str(graph_dir / "store"))
        for g in (BUILD_GRAPH, DATASET_GRAPH):
            if store.contains_named_graph(g):
                store.remove_graph(g)
        store.bulk_load(buf.getvalue(), format=pyoxigraph.RdfFormat.TRIG)
        store.flush()
        del store
    return path
