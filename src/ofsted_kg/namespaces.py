"""IRI constants: the one module that names ofsted-kg's namespaces and terms.

Everything that writes or queries the graph imports its IRIs from here, so a term is
spelled once. Terms are rdflib ``URIRef`` objects (``str`` subclasses), so they can be
passed to pyoxigraph as plain strings too.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

__all__ = [
    "AREA",
    "BASE",
    "DCAT",
    "DCTERMS",
    "FOAF",
    "FRAMEWORK",
    "GRADE",
    "ID",
    "OA",
    "OFSTED",
    "ONTOLOGY_IRI",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCALE",
    "SKOS",
    "STATGEO",
    "THEME",
    "VERSION",
    "VERSION_IRI",
    "VOID",
    "XSD",
]

BASE = "https://w3id.org/ofsted-kg/"
VERSION = "0.1.0"
ONTOLOGY_IRI = BASE + "ontology"
VERSION_IRI = f"{BASE}ontology/{VERSION}"

#: Ontology terms (classes and properties).
OFSTED = Namespace(BASE + "ontology#")
#: Instance data: authorities, inspections, reports, judgements, findings, evidence.
ID = Namespace(BASE + "id/")
#: SKOS concepts: judgement areas, normalised grades, grading scales, frameworks, themes.
AREA = Namespace(BASE + "area/")
GRADE = Namespace(BASE + "grade/")
SCALE = Namespace(BASE + "scale/")
FRAMEWORK = Namespace(BASE + "framework/")
THEME = Namespace(BASE + "theme/")

#: W3C Web Annotation vocabulary (selectors for quotes and offsets).
OA = Namespace("http://www.w3.org/ns/oa#")
#: ONS statistical geographies, the target of owl:sameAs links from authorities.
STATGEO = Namespace("http://statistics.data.gov.uk/id/statistical-geography/")

#: Prefixes bound in every serialisation and prepended to named queries.
PREFIXES: dict[str, str] = {
    "ofsted": str(OFSTED),
    "id": str(ID),
    "area": str(AREA),
    "grade": str(GRADE),
    "scale": str(SCALE),
    "framework": str(FRAMEWORK),
    "theme": str(THEME),
    "oa": str(OA),
    "statgeo": str(STATGEO),
    "org": str(ORG),
    "prov": str(PROV),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "dcat": str(DCAT),
    "void": str(VOID),
    "foaf": str(FOAF),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}
