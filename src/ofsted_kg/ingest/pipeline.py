"""The ingest pipeline: small pure stages over one Document, plus the optional manifest.

read -> normalise -> detect framework -> metadata (+ manifest overrides) -> judgements ->
second-hand inspections -> findings.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ..errors import IngestError
from ..model import Document
from ..registries import FRAMEWORKS
from .authorities import AuthorityRegister
from .dates import parse_date
from .findings import extract_findings
from .judgements import extract_judgements
from .metadata import detect_framework, extract_metadata
from .normalise import normalise
from .readers import read
from .secondhand import extract_secondhand
from .themes import tag_document

__all__ = ["MANIFEST_FIELDS", "ingest", "read_manifest"]

MANIFEST_NAME = "manifest.csv"
MANIFEST_FIELDS = ("file", "authority", "start", "end", "framework", "url")


def read_manifest(path: Path) -> dict[str, dict[str, str]]:
    """Rows of a manifest CSV keyed by file name (relative to the manifest's folder)."""
    out: dict[str, dict[str, str]] = {}
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or "file" not in reader.fieldnames:
            raise IngestError(path, "line 1", "manifest has no 'file' column",
                              f"use the header {','.join(MANIFEST_FIELDS)}")
        unknown = set(reader.fieldnames) - set(MANIFEST_FIELDS)
        if unknown:
            raise IngestError(path, "line 1", f"unknown manifest column(s) {sorted(unknown)}",
                              f"use only {','.join(MANIFEST_FIELDS)}")
        for line, row in enumerate(reader, start=2):
            name = (row.get("file") or "").strip()
            if not name:
                raise IngestError(path, f"line {line}", "empty 'file' value", "name the report file")
            fw = (row.get("framework") or "").strip()
            if fw and fw not in FRAMEWORKS:
                raise IngestError(path, f"line {line}", f"unknown framework {fw!r}",
                                  f"use one of {', '.join(FRAMEWORKS)}")
            for field in ("start", "end"):
                if (row.get(field) or "").strip() and parse_date(row[field]) is None:
                    raise IngestError(path, f"line {line}", f"cannot read {field} date {row[field]!r}",
                                      "write it as YYYY-MM-DD or '11 March 2024'")
            out[str((path.parent / name).resolve())] = {k: (v or "").strip() for k, v in row.items() if v}
    return out


def _apply_overrides(doc: Document, register: AuthorityRegister) -> Document:
    """Manifest fields override what was extracted for the main inspection."""
    o = doc.overrides
    main = doc.main()
    if not o or main is None:
        return doc
    changes: dict[str, object] = {}
    if o.get("framework"):
        changes["framework"] = o["framework"]
    if o.get("start"):
        changes.update(start=parse_date(o["start"]), date_precision="day", date_inferred=False)
    if o.get("end"):
        changes["end"] = parse_date(o["end"])
    if o.get("authority"):
        authority = register.by_code(o["authority"]) or register.resolve(o["authority"])
        if authority is None:
            raise IngestError(doc.path, "manifest", f"unknown authority {o['authority']!r}",
                              "give a GSS code, LA number or the authority's name")
        changes["authority"] = authority.gss
    new_main = replace(main, **changes)  # type: ignore[arg-type]
    inspections = tuple(new_main if i is main else i for i in doc.inspections)
    return doc.evolve(inspections=inspections, framework=new_main.framework)


Stage = Callable[[Document], Document]


def ingest(path: Path, register: AuthorityRegister, overrides: dict[str, str] | None = None) -> Document:
    """Run every stage on one file. Raises IngestError for a file that cannot be a report."""
    doc = normalise(read(path))
    doc = doc.evolve(overrides=dict(overrides or {}))
    doc = detect_framework(doc)
    if doc.framework is None and doc.kind != "committee-paper" and not doc.overrides.get("framework"):
        raise IngestError(path, "framework detection", "not recognised as an Ofsted children's services report "
                          "or committee paper", "check the file, or name its framework in manifest.csv",
                          status="skipped")
    if doc.overrides.get("framework") and doc.framework is None:
        doc = doc.evolve(framework=doc.overrides["framework"], kind="report")
    doc = extract_metadata(doc, register)
    doc = _apply_overrides(doc, register)
    stages: tuple[Stage, ...] = (extract_judgements, extract_secondhand, extract_findings, tag_document)
    for stage in stages:
        doc = stage(doc)
    return doc
