"""Shared fixtures: the real documents in ../shared and graphs built from them once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
REPORTS = SHARED / "reports"
EXAMPLES = ROOT / "examples" / "reports"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not here (the shared corpus sits beside the project in CI)")
    return path


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return _need(SEEDS)


@pytest.fixture(scope="session")
def reports_dir() -> Path:
    return _need(REPORTS)


@pytest.fixture(scope="session")
def register():
    from ofsted_kg.ingest.authorities import AuthorityRegister

    return AuthorityRegister.load()


@pytest.fixture(scope="session")
def seed_docs(seeds_dir, register):
    """Every seed document through the whole ingest pipeline, by file name prefix."""
    from ofsted_kg.ingest.pipeline import ingest

    return {p.name[:3]: ingest(p, register) for p in sorted(seeds_dir.glob("*.txt"))}


@pytest.fixture(scope="session")
def seed_graph(seeds_dir, tmp_path_factory) -> Path:
    """A graph directory built from the five seeds."""
    from ofsted_kg.build import build

    out = tmp_path_factory.mktemp("seeds") / "kg"
    report = build([seeds_dir], out, jobs=2)
    assert report.failed == 0, report.to_json()
    return out


@pytest.fixture(scope="session")
def example_graph(tmp_path_factory) -> Path:
    from ofsted_kg.build import build

    out = tmp_path_factory.mktemp("examples") / "kg"
    report = build([EXAMPLES], out, jobs=1)
    assert report.failed == 0, report.to_json()
    return out


@pytest.fixture(scope="session")
def corpus_graph(reports_dir, tmp_path_factory) -> Path:
    """A graph directory built from the real report corpus (253 PDFs; about half a minute)."""
    from ofsted_kg.build import build

    out = tmp_path_factory.mktemp("corpus") / "kg"
    build([reports_dir], out)
    return out
