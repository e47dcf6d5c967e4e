"""The packaged vocabulary files (OWL ontology, SKOS themes, SHACL shapes) and their loaders.

Nothing is read at import time: files are opened on demand with importlib.resources.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

import rdflib

from ..namespaces import PREFIXES

__all__ = ["ASSETS", "asset_path", "load_asset", "load_ontology", "ontology_path", "ontology_text"]

#: Asset keys (also the CLI's choices) -> packaged Turtle file.
ASSETS: dict[str, str] = {"ontology": "ofsted.ttl", "themes": "themes.ttl"}


def asset_path(key: str) -> Traversable:
    if key not in ASSETS:
        raise KeyError(f"unknown asset {key!r}; choose from {', '.join(ASSETS)}")
    return files(__name__) / ASSETS[key]


def ontology_path() -> Traversable:
    return asset_path("ontology")


def ontology_text(name: str = "ofsted.ttl") -> str:
    return (files(__name__) / name).read_text(encoding="utf-8")


def load_asset(key: str) -> rdflib.Graph:
    """A packaged vocabulary file parsed into an rdflib graph, with the project's prefixes bound."""
    g = rdflib.Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    g.parse(data=asset_path(key).read_text(encoding="utf-8"), format="turtle")
    return g


def load_ontology() -> rdflib.Graph:
    return load_asset("ontology")
