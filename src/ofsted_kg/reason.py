"""OWL reasoning over a built graph with HermiT (through owlready2): consistency and inferred types.

``ofsted-kg reason --graph DIR`` loads the packaged ontology (the TBox) and the part of the graph an
OWL reasoner can use into an owlready2 World, runs HermiT (Java 17) and

* reports an inconsistency with the nodes that cause it (an inspection with two authorities, a
  finding typed both Strength and Weakness, a finding whose class disagrees with its ``ofsted:kind``, ...);
* otherwise writes every inferred ``rdf:type`` (defined classes such as ``ofsted:InadequateInspection``,
  ``ofsted:LeadershipWeakness``, ``ofsted:NegativeFinding``, and the superclasses the ontology entails)
  into the named graph ``id/graph/inferred``: a file ``DIR/inferred.nq`` (sorted, so the same graph gives
  the same bytes) that is also loaded into the store, replacing any earlier inferred graph.

``graph.nq`` and ``graph.ttl`` are never touched: they stay the build's byte-deterministic output, and
inferences stay optional (they need Java). ``inferred.nq`` starts with a comment naming the SHA-256 of the
graph.nq it was inferred from; exports include it only while that still matches (a rebuild without
``--reason`` leaves the old file behind), so run ``reason`` again after rebuilding (or ``build --reason``).

The ABox given to HermiT is reduced to what the axioms talk about: the types and object properties of
authorities, inspections, reports, judgements, findings and persistence nodes, the vocabulary concepts,
the theme hierarchy, and the few data values that defined classes use (``referenced``, ``kind``,
``stated``, ...). Evidence spans, quote selectors and theme tags (provenance only), long texts and dates
are left out. HermiT does not assume unique names, so the authorities and the vocabulary concepts the
graph uses are declared ``owl:AllDifferent``: that is what makes a functional ``ofsted:authority`` with two
values a contradiction rather than a hint that two authorities are the same.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import GraphNotFoundError
from .namespaces import ID, OFSTED, OWL, RDF, RDFS, SKOS

__all__ = [
    "INFERRED_FILE",
    "INFERRED_GRAPH",
    "ReasonResult",
    "ReasonerUnavailable",
    "add_parser",
    "diagnose",
    "inferred_is_current",
    "partition",
    "reason",
    "reasoner_input",
    "write_inferred",
]

INFERRED_GRAPH = str(ID["graph/inferred"])
INFERRED_FILE = "inferred.nq"
#: graphs that are not instance data: the ontology itself, earlier inferences, build records
SKIP_GRAPHS = frozenset({str(ID["graph/ontology"]), INFERRED_GRAPH, str(ID["graph/build"]), str(ID["graph/dataset"])})

#: object properties between the individuals the reasoner sees
OBJECT_PROPERTIES = (
    *(str(OFSTED[p]) for p in (
        "authority", "framework", "hasJudgement", "judgementOf", "area", "grade", "scale", "hasFinding", "findingOf",
        "theme", "describedBy", "describes", "succeededBy", "succeeds", "evidencedBy", "inCycle", "statedBy",
        "hasLink", "fromInspection", "toInspection", "inspection", "observationOf", "allowedScale")),
    str(SKOS.broader), str(SKOS.inScheme), str(OWL.differentFrom),
)
#: data properties that class definitions or functional axioms use (short values only)
DATA_PROPERTIES = tuple(str(OFSTED[p]) for p in (
    "referenced", "dateInferred", "kind", "stated", "status", "isVisit", "salient"))
#: individuals of these classes are provenance detail: left out of the reasoner's ABox
PROVENANCE_CLASSES = frozenset({
    str(OFSTED.Evidence), str(OFSTED.ThemeTag),
    "http://www.w3.org/ns/oa#TextQuoteSelector", "http://www.w3.org/ns/oa#TextPositionSelector",
})
#: values of these properties are pairwise different individuals (HermiT makes no unique name assumption)
DISTINCT_VALUES = tuple(str(OFSTED[p]) for p in ("authority", "framework", "area", "grade", "scale"))


class ReasonerUnavailable(RuntimeError):
    """No Java runtime (HermiT runs on the JVM)."""


@dataclass
class ReasonResult:
    consistent: bool
    problems: list[str] = field(default_factory=list)
    inferred: list[tuple[str, str]] = field(default_factory=list)  # (individual, class IRI)
    abox_triples: int = 0
    individuals: int = 0
    chunks: int = 1
    seconds: float = 0.0
    hermit_seconds: float = 0.0
    written: Path | None = None

    def counts(self) -> dict[str, int]:
        """Inferred memberships per class."""
        out: dict[str, int] = defaultdict(int)
        for _, cls in self.inferred:
            out[cls] += 1
        return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))

    def summary(self) -> str:
        head = (f"{'consistent' if self.consistent else 'INCONSISTENT'}: {self.individuals} individuals, "
                f"{self.abox_triples} ABox triples in {self.chunks} chunk(s), HermiT {self.hermit_seconds:.1f} s, "
                f"total {self.seconds:.1f} s")
        lines = [head]
        if not self.consistent:
            lines += [f"  problem: {p}" for p in self.problems]
        else:
            lines.append(f"  {len(self.inferred)} inferred types:")
            lines += [f"    {n:>7}  {_short(c)}" for c, n in self.counts().items()]
        if self.written:
            lines.append(f"  wrote {self.written} and graph <{INFERRED_GRAPH}> in the store")
        return "\n".join(lines)


def _short(iri: str) -> str:
    for prefix, ns in (("ofsted:", str(OFSTED)), ("id:", str(ID))):
        if iri.startswith(ns):
            return prefix + iri[len(ns):]
    return iri


# --- the reasoner's input ----------------------------------------------------------------------------


def _tbox_classes(tbox) -> set[str]:
    import rdflib

    return {str(c) for c in tbox.subjects(RDF.type, OWL.Class) if isinstance(c, rdflib.URIRef)}


def reasoner_input(store, tbox=None, *, all_different: bool = True) -> tuple[list[tuple], set[str]]:
    """The reduced ABox (rdflib triples) read from a pyoxigraph ``store``, and its individuals.

    Also adds the packaged theme hierarchy and (unless ``all_different`` is false) ``owl:AllDifferent``
    axioms over the authorities and vocabulary concepts the data uses.
    """
    import pyoxigraph
    import rdflib

    from .ontology import load_asset, load_ontology

    tbox = tbox if tbox is not None else load_ontology()
    classes = _tbox_classes(tbox)

    def quads(predicate: str) -> Iterator:
        for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(predicate), None, None):
            if isinstance(q.graph_name, pyoxigraph.NamedNode) and q.graph_name.value in SKIP_GRAPHS:
                continue
            yield q

    types: dict[str, set[str]] = defaultdict(set)
    for q in quads(str(RDF.type)):
        if isinstance(q.subject, pyoxigraph.NamedNode) and isinstance(q.object, pyoxigraph.NamedNode):
            types[q.subject.value].add(q.object.value)
    skip = {s for s, ts in types.items() if ts & PROVENANCE_CLASSES}
    triples: set[tuple] = set()
    for s, ts in types.items():
        if s in skip:
            continue
        for t in ts & classes:
            triples.add((rdflib.URIRef(s), RDF.type, rdflib.URIRef(t)))
    for p in OBJECT_PROPERTIES:
        for q in quads(p):
            if not isinstance(q.subject, pyoxigraph.NamedNode) or not isinstance(q.object, pyoxigraph.NamedNode):
                continue
            if q.subject.value in skip or q.object.value in skip:
                continue
            triples.add((rdflib.URIRef(q.subject.value), rdflib.URIRef(p), rdflib.URIRef(q.object.value)))
    for p in DATA_PROPERTIES:
        for q in quads(p):
            if isinstance(q.subject, pyoxigraph.NamedNode) and q.subject.value not in skip:
                o = q.object
                lit = rdflib.Literal(o.value, datatype=rdflib.URIRef(o.datatype.value) if o.datatype else None,
                                     lang=o.language)
                triples.add((rdflib.URIRef(q.subject.value), rdflib.URIRef(p), lit))
    themes = load_asset("themes")
    for s, p, o in themes.triples((None, None, None)):
        if p in (SKOS.broader, SKOS.inScheme) or (p == RDF.type and str(o) in classes):
            triples.add((s, p, o))
    out = sorted(triples)
    individuals = {str(t[0]) for t in triples if isinstance(t[0], rdflib.URIRef)}
    return (out + _all_different(out) if all_different else out), individuals


def _all_different(triples: Iterable[tuple]) -> list[tuple]:
    """owl:AllDifferent over the values (in ``triples``) of each property whose values are distinct things."""
    import rdflib
    from rdflib.collection import Collection

    distinct: dict[str, set[str]] = defaultdict(set)
    for _s, p, o in triples:
        if str(p) in DISTINCT_VALUES and isinstance(o, rdflib.URIRef):
            distinct[str(p)].add(str(o))
    g = rdflib.Graph()
    for p in DISTINCT_VALUES:
        members = sorted(distinct.get(p, ()))
        if len(members) < 2:
            continue
        node, head = rdflib.BNode(f"alldifferent-{p.rsplit('#', 1)[-1]}"), rdflib.BNode()
        g.add((node, RDF.type, OWL.AllDifferent))
        g.add((node, OWL.distinctMembers, head))
        Collection(g, head, [rdflib.URIRef(m) for m in members])
    return list(g)


# --- running HermiT ----------------------------------------------------------------------------------


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        raise ReasonerUnavailable("HermiT needs a Java runtime (java 11+ on PATH); install e.g. default-jre-headless")
    return java


def _run_hermit(tbox, abox: list[tuple], workdir: Path) -> tuple[object | None, float]:
    """Load TBox + ABox into a fresh owlready2 World and run HermiT; (world or None if inconsistent, seconds)."""
    import owlready2
    import rdflib

    owlready2.JAVA_EXE = _java()
    g = rdflib.Graph()
    for t in tbox:
        g.add(t)
    for t in abox:
        g.add(t)
    path = workdir / "reasoner-input.nt"
    g.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load()
    started = time.perf_counter()
    try:
        # xsd:date is not in the OWL 2 datatype map: HermiT must treat unknown datatypes as opaque.
        owlready2.sync_reasoner(world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True)
    except owlready2.OwlReadyInconsistentOntologyError:
        return None, time.perf_counter() - started
    return world, time.perf_counter() - started


def _inferred_types(world, individuals: Iterable[str], asserted: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(individual, class) for every named class HermiT places an individual in beyond what is asserted."""
    import owlready2

    out: list[tuple[str, str]] = []
    cache: dict[object, set[str]] = {}
    for iri in sorted(individuals):
        ind = world[iri]
        if ind is None or not isinstance(ind, owlready2.Thing):
            continue
        found: set[str] = set()
        for cls in ind.is_a:
            if not isinstance(cls, owlready2.ThingClass):
                continue
            if cls not in cache:
                cache[cls] = {a.iri for a in cls.ancestors() if isinstance(a, owlready2.ThingClass)}
            found |= cache[cls]
        found.discard(str(OWL.Thing))
        out += [(iri, c) for c in sorted(found - asserted.get(iri, set()))]
    return out


# --- explaining an inconsistency ---------------------------------------------------------------------


def diagnose(tbox, abox: Iterable[tuple]) -> list[str]:
    """The causes of an inconsistency that can be read off the axioms directly, each naming its nodes:
    a functional property with two different values, an individual in two disjoint classes, a class
    whose ``owl:hasValue`` restriction clashes with the individual's (functional) value."""
    import rdflib
    from rdflib.collection import Collection

    a = rdflib.Graph()
    for t in abox:
        a.add(t)
    different: set[frozenset] = set()
    for node in a.subjects(RDF.type, OWL.AllDifferent):
        members = list(Collection(a, a.value(node, OWL.distinctMembers)))
        different |= {frozenset((x, y)) for i, x in enumerate(members) for y in members[i + 1:]}
    for x, y in a.subject_objects(OWL.differentFrom):
        different.add(frozenset((x, y)))

    supers: dict[rdflib.URIRef, set] = {}

    def ancestors(c: rdflib.URIRef) -> set:
        if c not in supers:
            supers[c] = {c, *tbox.transitive_objects(c, RDFS.subClassOf)}
        return supers[c]

    types: dict[rdflib.URIRef, set] = defaultdict(set)
    for s, c in a.subject_objects(RDF.type):
        if isinstance(c, rdflib.URIRef) and c not in (OWL.AllDifferent,):
            types[s] |= ancestors(c)
    for p in set(tbox.subjects(RDF.type, OWL.ObjectProperty)) | set(tbox.subjects(RDF.type, OWL.DatatypeProperty)):
        dom, rng = tbox.value(p, RDFS.domain), tbox.value(p, RDFS.range)
        for s, o in a.subject_objects(p):
            if isinstance(dom, rdflib.URIRef):
                types[s] |= ancestors(dom)
            if isinstance(rng, rdflib.URIRef) and isinstance(o, rdflib.URIRef):
                types[o] |= ancestors(rng)

    problems: list[str] = []
    functional = set(tbox.subjects(RDF.type, OWL.FunctionalProperty))
    values: dict[tuple, set] = defaultdict(set)
    for p in functional:
        for s, o in a.subject_objects(p):
            values[(s, p)].add(o)
    # hasValue restrictions inherited from a class the individual is in
    restrictions: dict[rdflib.URIRef, list[tuple]] = defaultdict(list)
    for cls, r in tbox.subject_objects(RDFS.subClassOf):
        if (r, OWL.hasValue, None) in tbox and isinstance(cls, rdflib.URIRef):
            restrictions[cls].append((tbox.value(r, OWL.onProperty), tbox.value(r, OWL.hasValue)))
    for s, cs in types.items():
        for c in cs:
            for p, v in restrictions.get(c, ()):
                if p in functional and values.get((s, p)) and v not in values[(s, p)]:
                    problems.append(f"{s}: is a {_short(str(c))}, which requires {_short(str(p))} {v!s}, but has "
                                    f"{', '.join(sorted(map(str, values[(s, p)])))} ({_short(str(p))} is functional)")
    for (s, p), vals in sorted(values.items()):
        if len(vals) < 2:
            continue
        vs = sorted(vals)
        clash = [(x, y) for i, x in enumerate(vs) for y in vs[i + 1:]
                 if frozenset((x, y)) in different or (isinstance(x, rdflib.Literal) and isinstance(y, rdflib.Literal))]
        if clash:
            problems.append(f"{s}: has {len(vs)} values for the functional property {_short(str(p))}: "
                            f"{', '.join(map(str, vs))}; fix the extraction (or the source) so it has one")
    disjoint_pairs: set[frozenset] = set()
    for x, y in tbox.subject_objects(OWL.disjointWith):
        disjoint_pairs.add(frozenset((x, y)))
    for node in tbox.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(Collection(tbox, tbox.value(node, OWL.members)))
        disjoint_pairs |= {frozenset((x, y)) for i, x in enumerate(members) for y in members[i + 1:]}
    for s, cs in sorted(types.items()):
        for pair in sorted(disjoint_pairs, key=lambda fs: sorted(map(str, fs))):
            if pair <= cs:
                x, y = sorted(map(str, pair))
                problems.append(f"{s}: is both a {_short(x)} and a {_short(y)}, which are disjoint classes")
    return sorted(set(problems))


def _groups(abox: list[tuple]) -> tuple[dict[str, list[tuple]], list[tuple]]:
    """ABox triples grouped by inspection IRI (nodes under id/inspection/{GSS}/{framework}/{date}), and the rest."""
    prefix = str(ID["inspection/"])
    groups: dict[str, list[tuple]] = defaultdict(list)
    shared: list[tuple] = []
    for t in abox:
        s = str(t[0])
        if s.startswith(prefix):
            groups[prefix + "/".join(s[len(prefix):].split("/")[:3])].append(t)
        else:
            shared.append(t)
    return dict(sorted(groups.items())), shared


def _localise(tbox, abox: list[tuple], workdir: Path, budget: int = 8) -> list[str]:
    """Bisect the inspections to find a smallest inconsistent set (when ``diagnose`` finds no cause)."""
    groups, shared = _groups(abox)
    keys = list(groups)
    runs = 0
    while len(keys) > 1 and runs < budget:
        half = len(keys) // 2
        for part in (keys[:half], keys[half:]):
            runs += 1
            world, _ = _run_hermit(tbox, shared + [t for k in part for t in groups[k]], workdir)
            if world is None:
                keys = part
                break
            world.close()
        else:
            break  # the contradiction needs inspections from both halves
    where = ", ".join(keys[:10]) + (f" and {len(keys) - 10} more" if len(keys) > 10 else "")
    return [f"HermiT finds the graph inconsistent; the contradiction involves {where or 'the shared vocabulary'}"
            " (no functional-property or disjointness clash found to name)"]


# --- entry point -------------------------------------------------------------------------------------


_AUTHORITY_OF = re.compile(r"/id/(?:inspection|persistence)/([A-Za-z]\d{8})/")


def partition(abox: list[tuple], max_individuals: int) -> list[list[tuple]]:
    """The ABox split into reasoning chunks of whole authorities (their inspections, judgements, findings,
    persistence nodes and the reports that describe them), each chunk also holding everything shared
    (authorities, vocabulary, themes) and its own owl:AllDifferent axioms; one chunk when it is small.

    Chunks bound HermiT's memory and let chunks run in parallel. A contradiction needs linked individuals,
    and every link from an authority's nodes leads to its own chunk or to the shared part, so chunking loses
    none."""
    import rdflib

    reports: dict[str, str] = {}
    for s, p, o in abox:
        if str(p) == str(OFSTED.describes):
            m = _AUTHORITY_OF.search(str(o))
            if m:
                reports.setdefault(str(s), m.group(1))
    groups: dict[str, list[tuple]] = defaultdict(list)
    shared: list[tuple] = []
    for t in abox:
        s = str(t[0])
        m = _AUTHORITY_OF.search(s)
        key = m.group(1) if m else reports.get(s)
        if key:
            groups[key].append(t)
        elif not isinstance(t[0], rdflib.BNode):
            shared.append(t)
    sizes = {k: len({str(t[0]) for t in ts}) for k, ts in groups.items()}
    if sum(sizes.values()) <= max_individuals:
        chunks = [[t for k in sorted(groups) for t in groups[k]]]
    else:
        chunks, current, n = [], [], 0
        for k in sorted(groups, key=lambda k: (-sizes[k], k)):
            if current and n + sizes[k] > max_individuals:
                chunks.append(current)
                current, n = [], 0
            current += groups[k]
            n += sizes[k]
        if current:
            chunks.append(current)
    return [shared + c + _all_different(shared + c) for c in chunks]


def _reason_chunk(task: tuple[list[tuple], list[str], dict[str, set[str]]]) -> tuple[bool, list, float]:
    """Worker: HermiT over one chunk; (consistent, inferred (individual, class) pairs, HermiT seconds)."""
    from .ontology import load_ontology

    abox, individuals, asserted = task
    with tempfile.TemporaryDirectory(prefix="ofsted-kg-reason-") as tmp:
        world, seconds = _run_hermit(load_ontology(), abox, Path(tmp))
        if world is None:
            return False, [], seconds
        inferred = _inferred_types(world, individuals, asserted)
        world.close()
    return True, inferred, seconds


def reason(graph_dir: Path, *, write: bool = True, max_individuals: int = 3000, jobs: int = 1) -> ReasonResult:
    """Check ``graph_dir`` for consistency with HermiT and (when consistent and ``write``) store the
    inferred types as ``DIR/inferred.nq`` and the store's graph ``id/graph/inferred``.

    HermiT takes roughly 4-25 ms per individual in chunks of a few thousand (seeds: ~1,500 individuals,
    ~6 s) but slows down far more in one run over tens of thousands (owlready2 gives the JVM 2 GB), so graphs
    with more than ``max_individuals`` individuals are reasoned per chunk of authorities, ``jobs`` chunks at a
    time in worker processes (each its own JVM). The full corpus (47,000 individuals, 20 chunks) takes about
    11 minutes with ``jobs=2``."""
    import pyoxigraph

    from .ontology import load_ontology

    started = time.perf_counter()
    _java()
    store_dir = Path(graph_dir) / "store"
    if not store_dir.is_dir():
        raise GraphNotFoundError(f"{graph_dir}: no store found; run `ofsted-kg build PATH --out {graph_dir}` first")
    tbox = load_ontology()
    store = pyoxigraph.Store.read_only(str(store_dir))
    abox, individuals = reasoner_input(store, tbox, all_different=False)
    del store
    asserted: dict[str, set[str]] = defaultdict(set)
    for s, p, o in abox:
        if p == RDF.type:
            asserted[str(s)].add(str(o))
    if jobs > 1:  # share the work out: no chunk bigger than its share
        max_individuals = min(max_individuals, -(-len(individuals) // jobs))
    chunks = partition(abox, max_individuals)
    result = ReasonResult(True, abox_triples=sum(map(len, chunks)), individuals=len(individuals), chunks=len(chunks))
    tasks = []
    for chunk in chunks:
        own = sorted({str(t[0]) for t in chunk} & individuals)
        tasks.append((chunk, own, {i: asserted.get(i, set()) for i in own}))
    if jobs > 1 and len(tasks) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            outcomes = list(pool.map(_reason_chunk, tasks))
    else:
        outcomes = [_reason_chunk(task) for task in tasks]
    inferred: set[tuple[str, str]] = set()
    for chunk, (consistent, found, seconds) in zip(chunks, outcomes, strict=True):
        result.hermit_seconds += seconds
        inferred.update(found)
        if not consistent:
            result.consistent = False
            with tempfile.TemporaryDirectory(prefix="ofsted-kg-reason-") as tmp:
                result.problems += diagnose(tbox, chunk) or _localise(tbox, chunk, Path(tmp))
    if result.consistent:
        result.inferred = sorted(inferred)
        if write:
            result.written = write_inferred(Path(graph_dir), result.inferred)
    result.seconds = time.perf_counter() - started
    return result


_HEADER = "# ofsted-kg reason: types inferred by HermiT from graph.nq with sha256 "


def _graph_sha256(graph_dir: Path) -> str:
    from .provenance import file_sha256

    return file_sha256(Path(graph_dir) / "graph.nq")


def write_inferred(graph_dir: Path, inferred: list[tuple[str, str]]) -> Path:
    """Write the inferred types as DIR/inferred.nq (sorted, after a comment naming the checksum of the graph.nq
    they were inferred from) and replace the store's inferred graph."""
    import pyoxigraph

    graph_dir = Path(graph_dir)
    graph = pyoxigraph.NamedNode(INFERRED_GRAPH)
    rdf_type = pyoxigraph.NamedNode(str(RDF.type))
    quads = [pyoxigraph.Quad(pyoxigraph.NamedNode(s), rdf_type, pyoxigraph.NamedNode(c), graph) for s, c in inferred]
    lines = sorted({str(q) + " ." for q in quads})
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    path = graph_dir / INFERRED_FILE
    path.write_bytes((_HEADER + _graph_sha256(graph_dir) + "\n").encode("utf-8") + data)
    store = pyoxigraph.Store(str(graph_dir / "store"))
    if store.contains_named_graph(graph):
        store.remove_graph(graph)
    if data:
        store.bulk_load(data, format=pyoxigraph.RdfFormat.N_QUADS)
    store.flush()
    del store
    return path


def inferred_is_current(graph_dir: Path) -> bool:
    """Whether DIR/inferred.nq exists and was inferred from the graph.nq now there (a later build without
    reasoning leaves an older inferred.nq behind: exports then leave it out)."""
    path = Path(graph_dir) / INFERRED_FILE
    if not path.is_file() or not (Path(graph_dir) / "graph.nq").is_file():
        return False
    with path.open(encoding="utf-8") as fh:
        first = fh.readline().strip()
    return first == _HEADER + _graph_sha256(graph_dir)


def cmd_reason(args: argparse.Namespace) -> int:
    try:
        result = reason(Path(args.graph), write=not args.dry_run, max_individuals=args.max_individuals,
                        jobs=args.jobs)
    except ReasonerUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(result.summary())
    return 0 if result.consistent else 1


def add_parser(subparsers) -> None:
    """Register ``ofsted-kg reason``."""
    r = subparsers.add_parser("reason", help="check the graph with the HermiT OWL reasoner and store inferred types")
    r.add_argument("--graph", default="kg", help="graph directory (default: kg)")
    r.add_argument("--dry-run", action="store_true", help="check and report only; write nothing")
    r.add_argument("--max-individuals", type=int, default=3000,
                   help="reason per chunk of authorities above this many individuals (default 3000)")
    r.add_argument("--jobs", type=int, default=1,
                   help="reason chunks of authorities in this many parallel JVMs (default 1; 2 halves the time on "
                        "two cores)")
    r.set_defaults(func=cmd_reason)
