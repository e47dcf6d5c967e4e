"""The real corpus in ../shared/reports: 253 PDFs of 45 authorities, 2012-2026, built once."""

from __future__ import annotations

import json

import pytest

from ofsted_kg.evaluate import evaluate_ilacs
from ofsted_kg.queries import run_named
from ofsted_kg.store import open_backend

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def corpus(corpus_graph):
    backend = open_backend(corpus_graph)
    yield backend
    backend.close()


def test_every_file_is_built_or_skipped_with_a_reason(corpus_graph):
    report = json.loads((corpus_graph / "build-report.json").read_text())
    statuses = [f["status"] for f in report["files"]]
    assert statuses.count("failed") == 0
    skipped = [f for f in report["files"] if f["status"] == "skipped"]
    assert len(skipped) <= 1 and all("HTML page" in f["reason"] for f in skipped)
    assert report["totals"]["ok"] >= 250 and report["totals"]["inspections"] >= 350


def test_ilacs_judgements_agree_with_ofsteds_official_outcomes(corpus_graph, reports_dir):
    text, ok = evaluate_ilacs(corpus_graph, reports_dir / "ilacs_outcomes_official.csv", threshold=0.99)
    assert ok, text
    assert "MISSING" not in text


def test_every_authority_with_two_inspections_has_a_trajectory(corpus):
    inspections = run_named(corpus, "inspections").values()
    trajectory = run_named(corpus, "theme-trajectory").values()
    per_authority: dict[str, set[str]] = {}
    for i in inspections:
        per_authority.setdefault(str(i["authorityIri"]), set()).add(str(i["inspection"]))
    with_trajectory = {str(t["authorityIri"]) for t in trajectory}
    several = {a for a, insp in per_authority.items() if len(insp) >= 2}
    assert len(several) >= 44
    assert several <= with_trajectory


def test_nothing_from_one_authoritys_reports_appears_under_another(corpus):
    rows = corpus.select("""
        SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE {
          ?i ofsted:hasFinding ?f ; ofsted:authority ?a .
          ?f ofsted:hasEvidence/oa:hasSource ?report .
          ?report ofsted:describes/ofsted:authority ?b .
          FILTER(?a != ?b)
        }""").values()
    assert rows[0]["n"] == 0
    leaks = corpus.select("""
        SELECT (COUNT(*) AS ?n) WHERE {
          ?pw a ofsted:PersistentWeakness ; ofsted:authority ?a ; ofsted:inCycle ?i .
          ?i ofsted:authority ?b .
          FILTER(?a != ?b)
        }""").values()
    assert leaks[0]["n"] == 0


def test_persistent_weaknesses_have_quotes_from_each_counted_cycle(corpus):
    rows = run_named(corpus, "persistent-weaknesses").values()
    evidence = run_named(corpus, "persistence-evidence").values()
    assert len({r["authorityIri"] for r in rows}) >= 40
    quoted: dict[str, set[str]] = {}
    for e in evidence:
        quoted.setdefault(str(e["persistence"]), set()).add(str(e["inspection"]))
    for r in rows:
        assert len(quoted[str(r["persistence"])]) >= min(int(r["cycles"]), 2) or r["stated"], r
