"""The OWL ontology: it parses everywhere, defines every framework class of the registry,
documents every term, and HermiT finds it consistent (and catches an inspection of two
distinct authorities)."""

from __future__ import annotations

import re
import shutil
from importlib.resources import files
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ofsted_kg.namespaces import AREA, GRADE, ID, OFSTED, ONTOLOGY_IRI, VERSION, VERSION_IRI
from ofsted_kg.ontology import ASSETS, load_asset, load_ontology, ontology_path, ontology_text
from ofsted_kg.registries import FINDING_KINDS, FRAMEWORKS

ONTO = URIRef(ONTOLOGY_IRI)
XSD = rdflib.Namespace("http://www.w3.org/2001/XMLSchema#")  # not rdflib's XSD, which warns when pytest probes it
needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs a Java runtime")


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    return load_ontology()


def _ofsted_terms(g: rdflib.Graph) -> set[URIRef]:
    return {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(str(OFSTED))}


def _superclasses(g: rdflib.Graph, cls: URIRef) -> set[URIRef]:
    return set(g.transitive_objects(cls, RDFS.subClassOf))


# --- parsing and header ------------------------------------------------------------------------


def test_parses_with_rdflib_and_pyoxigraph(onto):
    quads = list(pyoxigraph.parse(ontology_path().read_bytes(), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == len(onto) > 300


def test_ontology_header(onto):
    assert (ONTO, RDF.type, OWL.Ontology) in onto
    assert (ONTO, OWL.versionIRI, URIRef(VERSION_IRI)) in onto
    assert onto.value(ONTO, OWL.versionInfo) == Literal(VERSION)
    dcterms = rdflib.Namespace("http://purl.org/dc/terms/")
    for p in (dcterms.title, dcterms.description):
        assert onto.value(ONTO, p).language == "en"
    assert (ONTO, dcterms.license, URIRef("https://opensource.org/licenses/MIT")) in onto
    assert onto.value(ONTO, dcterms.created) == Literal("2026-11-24", datatype=XSD.date)
    assert len(set(onto.objects(ONTO, RDFS.seeAlso))) >= 5
    assert not list(onto.objects(ONTO, OWL.imports))  # reused terms are declared, never fetched


def test_loaders_and_assets():
    assert ASSETS["ontology"] == "ofsted.ttl"
    assert ontology_text() == ontology_path().read_text(encoding="utf-8")
    for key in ASSETS:
        g = load_asset(key)
        assert len(g) > 0
        assert dict(g.namespaces())["ofsted"] == URIRef(str(OFSTED))
    assert ontology_text("ontology") == ontology_text("ofsted.ttl") == ontology_text()
    assert "skos:ConceptScheme" in ontology_text("themes")
    for bad in ("nope", "../pyproject.toml", "missing.ttl"):
        with pytest.raises(KeyError):
            load_asset(bad)


# --- classes -----------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(FRAMEWORKS))
def test_framework_class_is_an_inspection(onto, key):
    cls = OFSTED[FRAMEWORKS[key].cls]
    assert (cls, RDF.type, OWL.Class) in onto
    assert OFSTED.Inspection in _superclasses(onto, cls)
    if FRAMEWORKS[key].visit:
        assert OFSTED.Visit in _superclasses(onto, cls), "the build types visits ofsted:Visit too"


def test_core_classes(onto):
    prov = rdflib.Namespace("http://www.w3.org/ns/prov#")
    oa = rdflib.Namespace("http://www.w3.org/ns/oa#")
    expect = {
        OFSTED.LocalAuthority: URIRef("http://www.w3.org/ns/org#FormalOrganization"),
        OFSTED.Inspection: prov.Activity,
        OFSTED.Report: URIRef("http://xmlns.com/foaf/0.1/Document"),
        OFSTED.CommitteePaper: prov.Entity,
        OFSTED.Judgement: prov.Entity,
        OFSTED.Recommendation: prov.Entity,
        OFSTED.Evidence: oa.SpecificResource,
        OFSTED.SIFReinspection: OFSTED.SIFInspection,
        OFSTED.ILACS2026Inspection: OFSTED.ILACSInspection,
    }
    for cls, sup in expect.items():
        assert sup in _superclasses(onto, cls), (cls, sup)
    for cls in FINDING_KINDS.values():
        assert OFSTED.Finding in _superclasses(onto, OFSTED[cls])
    assert (OFSTED.Strength, OWL.disjointWith, OFSTED.Weakness) in onto
    assert (OFSTED.ILACSStandardInspection, OWL.disjointWith, OFSTED.ILACSShortInspection) in onto


def test_every_reused_class_and_property_is_declared(onto):
    """OWL 2 DL: every IRI used as a class or property is typed, since nothing is imported."""
    declared = set(onto.subjects(RDF.type, None))
    used = set(onto.objects(None, RDFS.subClassOf)) | set(onto.objects(None, RDFS.range))
    used |= set(onto.objects(None, RDFS.domain)) | set(onto.objects(None, OWL.onProperty))
    used |= set(onto.predicates())
    builtin = (
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#",
        "http://www.w3.org/2002/07/owl#", "http://www.w3.org/2001/XMLSchema#",
    )
    missing = {u for u in used if isinstance(u, URIRef) and not str(u).startswith(builtin) and u not in declared}
    assert not missing


# --- properties --------------------------------------------------------------------------------


def test_property_kinds(onto):
    functional = set(onto.subjects(RDF.type, OWL.FunctionalProperty))
    for name in ("authority", "framework", "judgementOf", "findingOf", "area", "grade", "scale", "startDate",
                 "endDate", "publicationDate", "dateInferred", "referenced"):
        assert OFSTED[name] in functional, name
    assert (OFSTED.describedBy, OWL.inverseOf, OFSTED.describes) in onto
    assert (OFSTED.hasJudgement, OWL.inverseOf, OFSTED.judgementOf) in onto
    assert (OFSTED.hasFinding, OWL.inverseOf, OFSTED.findingOf) in onto
    assert (OFSTED.succeededBy, OWL.inverseOf, OFSTED.succeeds) in onto
    assert (OFSTED.frameworkClass, RDF.type, OWL.AnnotationProperty) in onto
    assert onto.value(OFSTED.scale, RDFS.range) == SKOS.ConceptScheme
    union = onto.value(onto.value(OFSTED.hasEvidence, RDFS.domain), OWL.unionOf)
    assert set(rdflib.collection.Collection(onto, union)) == {OFSTED.Judgement, OFSTED.Finding, OFSTED.Inspection}
    ranges = {
        "startDate": XSD.date, "dateInferred": XSD.boolean, "rank": XSD.integer, "page": XSD.integer,
        "confidence": XSD.decimal, "validUntil": XSD.date, "content": XSD.string,
    }
    for name, rng in ranges.items():
        assert (OFSTED[name], RDF.type, OWL.DatatypeProperty) in onto, name
        assert onto.value(OFSTED[name], RDFS.range) == rng, name


def test_every_term_is_documented(onto):
    terms = _ofsted_terms(onto)
    assert len(terms) > 60
    for term in terms:
        for p in (RDFS.label, RDFS.comment):
            values = list(onto.objects(term, p))
            assert any(isinstance(v, Literal) and v.language == "en" and len(v) > 2 for v in values), (term, p)
        assert (term, RDFS.isDefinedBy, ONTO) in onto, term


def test_query_terms_are_defined(onto):
    """Every ofsted: term a packaged query uses is defined here (catches spelling drift)."""
    defined = {t[len(str(OFSTED)):] for t in _ofsted_terms(onto)}
    for query in files("ofsted_kg.queries").iterdir():
        if query.name.endswith(".rq"):
            used = set(re.findall(r"\bofsted:([A-Za-z]\w*)", query.read_text(encoding="utf-8")))
            assert used <= defined, (query.name, used - defined)


# --- reasoning ---------------------------------------------------------------------------------


def _hermit(tmp_path: Path, abox: list[tuple]) -> object:
    """Run HermiT over the ontology plus ``abox``; returns the owlready2 world."""
    import owlready2

    g = load_ontology()
    for triple in abox:
        g.add(triple)
    path = tmp_path / "onto.nt"
    g.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load()
    # xsd:date (the range of the date properties, and the datatype of every date in the graph) is
    # not in the OWL 2 datatype map, which HermiT refuses unless told to treat it as opaque.
    owlready2.sync_reasoner(world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True)
    return world


def _inspection(iri: URIRef, authority: URIRef) -> list[tuple]:
    return [
        (iri, RDF.type, OFSTED.SIFInspection),
        (iri, OFSTED.authority, authority),
        (authority, RDF.type, OFSTED.LocalAuthority),
    ]


@needs_java
def test_hermit_consistent_and_classifies(tmp_path):
    la = ID["authority/E09000999"]
    sif, cra, old = ID["inspection/sif"], ID["inspection/cra"], ID["inspection/old"]
    judgement = ID["inspection/sif/judgement/overall-effectiveness"]
    abox = [
        *_inspection(sif, la),
        (sif, OFSTED.hasJudgement, judgement),
        (judgement, OFSTED.area, AREA["overall-effectiveness"]),
        (judgement, OFSTED.grade, GRADE.inadequate),
        (sif, OFSTED.referenced, Literal(False)),
        # the build types contact, referral and assessment inspections as visits too
        (cra, RDF.type, OFSTED.ContactReferralAssessmentInspection),
        (cra, RDF.type, OFSTED.Visit),
        (cra, OFSTED.authority, la),
        (old, RDF.type, OFSTED.JointAreaReview),
        (old, OFSTED.referenced, Literal(True)),
        (old, OFSTED.startDate, Literal("2007-01-01", datatype=XSD.date)),
        (ID["evidence/1"], RDF.type, OFSTED.Evidence),
        (old, OFSTED.citedBy, ID["evidence/1"]),
    ]
    world = _hermit(tmp_path, abox)

    def classes(iri: URIRef) -> set[str]:
        named = [c for c in world[str(iri)].is_a if hasattr(c, "ancestors")]
        return {a.iri for c in named for a in c.ancestors()}

    assert {str(OFSTED.InadequateInspection), str(OFSTED.GradedInspection)} <= classes(sif)
    assert str(OFSTED.ReferencedInspection) in classes(old)
    assert str(OFSTED.ReferencedInspection) not in classes(sif)
    assert str(OFSTED.GradedInspection) not in classes(cra)
    assert str(OFSTED.Visit) in classes(cra)
    # the reasoner also places the defined classes: an inadequate inspection is a graded one
    inadequate = world[str(OFSTED.InadequateInspection)]
    assert str(OFSTED.GradedInspection) in {a.iri for a in inadequate.ancestors()}


@needs_java
def test_hermit_rejects_two_authorities(tmp_path):
    import owlready2

    a, b = ID["authority/E10000015"], ID["authority/E06000019"]  # Hertfordshire, Herefordshire
    insp = ID["inspection/x"]
    abox = [*_inspection(insp, a), (insp, OFSTED.authority, b), (b, RDF.type, OFSTED.LocalAuthority)]
    abox.append((a, OWL.differentFrom, b))
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _hermit(tmp_path, abox)


@needs_java
def test_hermit_rejects_two_frameworks(tmp_path):
    import owlready2

    insp = ID["inspection/y"]
    abox = [(insp, RDF.type, OFSTED.SIFInspection), (insp, RDF.type, OFSTED.FocusedVisit)]
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _hermit(tmp_path, abox)


def test_no_blank_node_terms(onto):
    """Blank nodes only build class expressions and disjointness axioms, never named terms."""
    for s in onto.subjects(RDFS.label, None):
        assert not isinstance(s, BNode)
