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
ASSETS: dict[str, str] = {"ontology": "ofsted.ttl", "themes": "themes.ttl", "shapes": "shapes.ttl"}


def _file_name(name: str) -> str:
    """The packaged file of an asset key ("themes") or a file name ("themes.ttl")."""
    if name in ASSETS:
        return ASSETS[name]
    if "/" in name or "\\" in name or not name.endswith((".ttl", ".jsonld")):
        raise KeyError(f"unknown asset {name!r}; choose from {', '.join(ASSETS)}")
    return name


def asset_path(key: str) -> Traversable:
    """The packaged file of an asset key (or file name); KeyError for anything else."""
    path = files(__name__) / _file_name(key)
    if not path.is_file():
        raise KeyError(f"asset {key!r} is not packaged ({path.name} is missing)")
    return path


def ontology_path() -> Traversable:
    """The packaged OWL ontology, ``ofsted.ttl``."""
    return asset_path("ontology")


def ontology_text(name: str = "ofsted.ttl") -> str:
    """Text of a packaged vocabulary file, by file name or asset key."""
    return asset_path(name).read_text(encoding="utf-8")


def load_asset(key: str) -> rdflib.Graph:
    """A packaged vocabulary file parsed into an rdflib graph, with the project's prefixes bound."""
    g = rdflib.Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    path = asset_path(key)
    fmt = "json-ld" if path.name.endswith(".jsonld") else "turtle"
    g.parse(data=path.read_text(encoding="utf-8"), format=fmt)
    return g


def load_ontology() -> rdflib.Graph:
    """The OWL ontology as an rdflib graph."""
    return load_asset("ontology")
