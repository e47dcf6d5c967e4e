"""Triples: a resolved Document becomes quads in the named graph of its source document.

IRIs are deterministic (content hashes, authority codes, framework keys and dates), so
rebuilding the same inputs gives the same graph and re-ingesting a file never duplicates it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from datetime import date

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad

from ..model import Document, Evidence, FindingRecord
from ..namespaces import (
    AREA,
    DCTERMS,
    FOAF,
    FRAMEWORK,
    GRADE,
    ID,
    OA,
    OFSTED,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SCALE,
    SKOS,
    STATGEO,
    THEME,
    XSD,
)
from ..registries import AREAS, FINDING_KINDS, FRAMEWORKS, GRADES, SCALES
from .authorities import AuthorityRegister
from .resolve import Resolution

__all__ = [
    "VOCABULARY_GRAPH",
    "authority_iri",
    "authority_quads",
    "document_quads",
    "finding_iri",
    "report_iri",
    "vocabulary_quads",
]

VOCABULARY_GRAPH = NamedNode(str(ID["graph/vocabulary"]))
AUTHORITIES_GRAPH = NamedNode(str(ID["graph/authorities"]))
THEMES_GRAPH = NamedNode(str(ID["graph/themes"]))
ONTOLOGY_GRAPH = NamedNode(str(ID["graph/ontology"]))

_N = NamedNode
_TYPE = _N(str(RDF.type))
_TRUE = Literal("true", datatype=_N(str(XSD.boolean)))
_FALSE = Literal("false", datatype=_N(str(XSD.boolean)))
_DATE = _N(str(XSD.date))
_INT = _N(str(XSD.integer))
_NNI = _N(str(XSD.nonNegativeInteger))
_DEC = _N(str(XSD.decimal))
_MEDIA_CLASS = {"committee-paper": "CommitteePaper", "letter": "VisitLetter", "report": "InspectionReport"}


def _t(term: str) -> NamedNode:
    return _N(str(term))


def _lit(value: object) -> Literal:
    if isinstance(value, bool):
        return _TRUE if value else _FALSE
    if isinstance(value, date):
        return Literal(value.isoformat(), datatype=_DATE)
    if isinstance(value, int):
        return Literal(str(value), datatype=_INT)
    if isinstance(value, float):
        return Literal(f"{value:.2f}", datatype=_DEC)
    return Literal(str(value))


def authority_iri(code: str) -> NamedNode:
    return _N(str(ID[f"authority/{code}"]))


def report_iri(sha256: str) -> NamedNode:
    return _N(str(ID[f"report/{sha256[:16]}"]))


def finding_iri(inspection: str, f: FindingRecord) -> str:
    """A finding's IRI: its inspection plus a hash of its kind and text (the same finding stated by
    two documents about one inspection is one node)."""
    return f"{inspection}/finding/{_slug(f.kind + ' ' + f.text)}"


def _slug(text: str) -> str:
    return hashlib.sha1(re.sub(r"\s+", " ", text.strip().lower()).encode()).hexdigest()[:12]


class _Emitter:
    def __init__(self, graph: NamedNode | DefaultGraph):
        self.graph = graph
        self.quads: list[Quad] = []

    def add(self, s: NamedNode, p: str | NamedNode, o: object) -> None:
        if o is None:
            return
        pred = p if isinstance(p, NamedNode) else _t(p)
        obj = o if isinstance(o, (NamedNode, Literal)) else _lit(o)
        self.quads.append(Quad(s, pred, obj, self.graph))


def _evidence(em: _Emitter, report: NamedNode, ev: Evidence, text: str) -> NamedNode:
    node = _N(f"{report.value}/evidence/{ev.start}-{ev.end}")
    em.add(node, _TYPE, _t(OFSTED.Evidence))  # an oa:SpecificResource by the ontology's subclass axiom
    em.add(node, OA.hasSource, report)
    em.add(node, OFSTED.page, ev.page)
    em.add(node, OFSTED.paragraph, ev.paragraph)
    em.add(node, OFSTED.section, ev.section or None)
    quote = _N(f"{node.value}/quote")
    pos = _N(f"{node.value}/position")
    em.add(node, OA.hasSelector, quote)
    em.add(node, OA.hasSelector, pos)
    em.add(quote, _TYPE, _t(OA.TextQuoteSelector))
    em.add(quote, OA.exact, ev.quote)
    em.add(pos, _TYPE, _t(OA.TextPositionSelector))
    em.add(pos, OA.start, Literal(str(ev.start), datatype=_NNI))
    em.add(pos, OA.end, Literal(str(ev.end), datatype=_NNI))
    return node


def document_quads(doc: Document, resolution: Resolution, source: str) -> list[Quad]:
    """All quads of one document, in the named graph of its report.

    An inspection's attributes are written only by the record that owns its IRI, and a
    judgement area only by the document that owns it, so merged nodes never carry two
    conflicting values.
    """
    iris = resolution.iris
    report = report_iri(doc.sha256)
    em = _Emitter(report)
    em.add(report, _TYPE, _t(OFSTED.Report))
    em.add(report, _TYPE, _t(OFSTED[_MEDIA_CLASS.get(doc.kind or "report", "InspectionReport")]))
    em.add(report, _TYPE, _t(FOAF.Document))
    em.add(report, _TYPE, _t(PROV.Entity))
    em.add(report, OFSTED.sourcePath, source)
    em.add(report, OFSTED.sha256, doc.sha256)
    em.add(report, DCTERMS["format"], doc.media_type)
    em.add(report, DCTERMS.title, doc.title)
    em.add(report, OFSTED.content, doc.text)
    if doc.overrides.get("url"):
        em.add(report, DCTERMS.source, _N(doc.overrides["url"]))
    main = doc.main()
    if main and main.published:
        em.add(report, DCTERMS.issued, main.published)
    local: dict[str, NamedNode] = {}
    for rec in doc.inspections:
        key = (doc.sha256, rec.local_id)
        if key not in iris:
            continue
        node = _N(iris[key])
        local[rec.local_id] = node
        if not rec.referenced:
            em.add(node, OFSTED.describedBy, report)
            em.add(report, OFSTED.describes, node)
        if rec.evidence is not None:
            ev = _evidence(em, report, rec.evidence, doc.text)
            em.add(node, OFSTED.citedBy if rec.referenced else OFSTED.hasEvidence, ev)
        if not resolution.owns(doc.sha256, rec.local_id):
            continue
        fw = FRAMEWORKS[rec.framework]  # type: ignore[index]
        em.add(node, _TYPE, _t(OFSTED.Inspection))
        em.add(node, _TYPE, _t(OFSTED[fw.cls]))
        if fw.visit:
            em.add(node, _TYPE, _t(OFSTED.Visit))
        em.add(node, _TYPE, _t(PROV.Activity))
        em.add(node, OFSTED.framework, _t(FRAMEWORK[fw.key]))
        if rec.authority:
            em.add(node, OFSTED.authority, authority_iri(rec.authority))
        em.add(node, OFSTED.startDate, rec.start)
        em.add(node, OFSTED.endDate, rec.end)
        if rec.start:
            em.add(node, OFSTED.datePrecision, rec.date_precision)
        em.add(node, OFSTED.dateInferred, rec.date_inferred)
        em.add(node, OFSTED.publicationDate, rec.published)
        day = rec.start or rec.published
        if day is not None:  # the year the inspection is filed under (start, else publication)
            em.add(node, OFSTED.year, day.year)
        em.add(node, OFSTED.leadInspector, rec.lead_inspector)
        em.add(node, OFSTED.referenced, node.value not in resolution.first_hand)
    for j in doc.judgements:
        insp = local.get(j.inspection)
        if insp is None or resolution.judgement_owners.get((insp.value, j.area)) != doc.sha256:
            continue
        node = _N(f"{insp.value}/judgement/{j.area}")
        em.add(node, _TYPE, _t(OFSTED.Judgement))
        em.add(insp, OFSTED.hasJudgement, node)
        em.add(node, OFSTED.area, _t(AREA[j.area]))
        em.add(node, OFSTED.grade, _t(GRADE[j.grade]))
        em.add(node, OFSTED.scale, _t(SCALE[j.scale]))
        em.add(node, OFSTED.gradeLabel, j.label)
        if j.evidence is not None:
            em.add(node, OFSTED.hasEvidence, _evidence(em, report, j.evidence, doc.text))
    for f in doc.findings:
        insp = local.get(f.inspection)
        if insp is None:
            continue
        node = _N(finding_iri(insp.value, f))
        em.add(node, _TYPE, _t(OFSTED.Finding))
        em.add(node, _TYPE, _t(OFSTED[FINDING_KINDS[f.kind]]))
        em.add(insp, OFSTED.hasFinding, node)
        em.add(node, OFSTED.kind, f.kind)
        em.add(node, OFSTED.text, f.text)
        em.add(node, OFSTED.timescale, f.timescale)
        em.add(node, OFSTED.sourceList, f.source_list)
        em.add(node, OFSTED.polarity, f.polarity)
        em.add(node, OFSTED.cue, f.cue)
        if f.confidence is not None:
            em.add(node, OFSTED.confidence, float(f.confidence))
        em.add(node, OFSTED.hasEvidence, _evidence(em, report, f.evidence, doc.text))
        for theme_id, cue, confidence in f.themes:
            tag = _N(f"{node.value}/theme/{theme_id}")
            em.add(node, OFSTED.theme, _t(THEME[theme_id]))
            em.add(node, OFSTED.hasThemeTag, tag)
            em.add(tag, _TYPE, _t(OFSTED.ThemeTag))
            em.add(tag, OFSTED.theme, _t(THEME[theme_id]))
            em.add(tag, OFSTED.cue, cue)
            em.add(tag, OFSTED.confidence, float(confidence))
    return em.quads


def vocabulary_quads() -> Iterator[Quad]:
    """SKOS concepts of the registries: frameworks, judgement areas, grades and scales."""
    em = _Emitter(VOCABULARY_GRAPH)
    schemes = {
        "framework": (_t(ID["scheme/framework"]), "Inspection frameworks"),
        "area": (_t(ID["scheme/area"]), "Judgement areas"),
        "grade": (_t(ID["scheme/grade"]), "Normalised grades"),
    }
    for scheme, label in schemes.values():
        em.add(scheme, _TYPE, _t(SKOS.ConceptScheme))
        em.add(scheme, SKOS.prefLabel, label)
    fscheme = schemes["framework"][0]
    for fw in FRAMEWORKS.values():
        node = _t(FRAMEWORK[fw.key])
        em.add(node, _TYPE, _t(SKOS.Concept))
        em.add(node, SKOS.inScheme, fscheme)
        em.add(node, SKOS.prefLabel, fw.label)
        em.add(node, SKOS.notation, fw.key)
        em.add(node, OFSTED.frameworkClass, _t(OFSTED[fw.cls]))
        em.add(node, OFSTED.validFrom, fw.start)
        em.add(node, OFSTED.validUntil, fw.end)
    for area in AREAS.values():
        node = _t(AREA[area.key])
        em.add(node, _TYPE, _t(SKOS.Concept))
        em.add(node, SKOS.inScheme, schemes["area"][0])
        em.add(node, SKOS.prefLabel, area.label)
        em.add(node, SKOS.notation, area.key)
    for grade in GRADES.values():
        node = _t(GRADE[grade.key])
        em.add(node, _TYPE, _t(SKOS.Concept))
        em.add(node, SKOS.inScheme, schemes["grade"][0])
        em.add(node, SKOS.prefLabel, grade.label)
        em.add(node, SKOS.notation, grade.key)
        em.add(node, OFSTED.rank, grade.rank)
    for scale in SCALES.values():
        node = _t(SCALE[scale.key])
        em.add(node, _TYPE, _t(SKOS.ConceptScheme))
        em.add(node, SKOS.prefLabel, scale.label)
        em.add(node, SKOS.notation, scale.key)
        for grade_key in sorted(set(scale.grades.values())):
            em.add(_t(GRADE[grade_key]), SKOS.inScheme, node)
    return iter(em.quads)


def asset_quads() -> Iterator[Quad]:
    """The packaged ontology and theme scheme, each in its own named graph (so queries can use
    labels, definitions and the theme groups). Blank nodes (OWL restrictions, lists) get labels
    derived from their content, so rebuilds stay byte-identical."""
    import pyoxigraph

    from ..ontology import asset_path

    # a statement already in the vocabulary or theme graph is not repeated in the ontology graph: the
    # same triple in two named graphs would be counted twice by queries over their union
    seen = {(q.subject, q.predicate, q.object) for q in vocabulary_quads()}
    for key, graph in (("themes", THEMES_GRAPH), ("ontology", ONTOLOGY_GRAPH)):
        triples = list(pyoxigraph.parse(asset_path(key).read_bytes(), format=pyoxigraph.RdfFormat.TURTLE))
        labels = _stable_bnode_labels(triples, key)
        blank = pyoxigraph.BlankNode
        for t in triples:
            subject = labels.get(t.subject.value, t.subject) if isinstance(t.subject, blank) else t.subject
            obj = labels.get(t.object.value, t.object) if isinstance(t.object, blank) else t.object
            if (subject, t.predicate, obj) in seen:
                continue
            seen.add((subject, t.predicate, obj))
            yield Quad(subject, t.predicate, obj, graph)


def _stable_bnode_labels(triples: list, prefix: str) -> dict:  # type: ignore[type-arg]
    """Blank node id -> a BlankNode labelled by a hash of its (recursive) content."""
    import pyoxigraph

    out: dict[str, list] = {}  # type: ignore[type-arg]
    for t in triples:
        if isinstance(t.subject, pyoxigraph.BlankNode):
            out.setdefault(t.subject.value, []).append(t)
    memo: dict[str, str] = {}

    def sig(node_id: str, depth: int = 0) -> str:
        if node_id not in memo:
            parts = []
            for t in out.get(node_id, []):
                o = t.object
                o_sig = sig(o.value, depth + 1) if isinstance(o, pyoxigraph.BlankNode) and depth < 50 else str(o)
                parts.append(f"{t.predicate} {o_sig}")
            memo[node_id] = hashlib.sha1("\n".join(sorted(parts)).encode()).hexdigest()[:16]
        return memo[node_id]

    return {b: pyoxigraph.BlankNode(f"{prefix}{sig(b)}") for b in out}


def authority_quads(register: AuthorityRegister) -> Iterator[Quad]:
    """Every authority of the register, with codes, names, dates and owl:sameAs to ONS."""
    em = _Emitter(AUTHORITIES_GRAPH)
    for a in register:
        node = authority_iri(a.gss)
        em.add(node, _TYPE, _t(OFSTED.LocalAuthority))
        em.add(node, _TYPE, _t(ORG.FormalOrganization))
        em.add(node, SKOS.prefLabel, a.name)
        em.add(node, RDFS.label, a.name)
        for v in a.variants:
            em.add(node, SKOS.altLabel, v)
        for code in a.codes:
            em.add(node, OFSTED.gssCode, code)
        em.add(node, OFSTED.laNumber, a.la_number)
        em.add(node, OFSTED.operatingFrom, a.start)
        em.add(node, OFSTED.operatingUntil, a.end)
        if a.fictional:
            em.add(node, OFSTED.fictional, True)
        else:
            em.add(node, OWL.sameAs, _N(str(STATGEO[a.gss])))
        for succ in a.successors:
            other = register.by_code(succ)
            if other is not None:
                em.add(node, OFSTED.succeededBy, authority_iri(other.gss))
    return iter(em.quads)


def nquads(quads: Iterable[Quad]) -> str:
    """Quads as N-Quads text (one statement per line)."""
    import io

    import pyoxigraph

    buf = io.BytesIO()
    pyoxigraph.serialize(quads, buf, format=pyoxigraph.RdfFormat.N_QUADS)
    return buf.getvalue().decode("utf-8")


def document_nquads(task: tuple[Document, Resolution, str]) -> str:
    """N-Quads text of one document (a picklable unit of work for worker processes)."""
    doc, resolution, source = task
    return nquads(document_quads(doc, resolution, source))
