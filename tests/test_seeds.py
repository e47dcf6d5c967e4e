"""Per-seed expectations, derived by reading each document (see the comments for where).

Seeds: 000 Hertfordshire child protection inspection 2013; 001 Hertfordshire ILACS with no
date in its text; 002 Herefordshire ILACS June 2018; 003 Herefordshire scrutiny committee
paper, December 2010; 004 Hertfordshire joint area review, published August 2007.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

HERTS = "E10000015"
HEREF = "E06000019"


def _grades(doc, inspection="main"):
    return {j.area: j.grade for j in doc.judgements if j.inspection == inspection}


def _recs(doc, inspection="main"):
    return [f for f in doc.findings if f.inspection == inspection and f.kind == "recommendation"]


def test_000_child_protection_2013(seed_docs):
    doc = seed_docs["000"]
    main = doc.main()
    assert (main.framework, main.authority) == ("cp2012", HERTS)
    assert (main.start, main.end) == (date(2013, 1, 28), date(2013, 2, 6))  # "28 January to 6 February 2013"
    assert main.lead_inspector == "Emmy Tomsett"
    # paragraph 2 and the Record of main findings: everything adequate
    assert _grades(doc) == {
        "overall-effectiveness": "adequate",
        "help-and-protection": "adequate",
        "quality-of-practice": "adequate",
        "leadership-governance": "adequate",
    }
    recs = _recs(doc)
    # Areas for improvement: 5 "Immediately", 4 "Within three months", 1 "Within six months"
    assert Counter(r.timescale for r in recs) == {"Immediately": 5, "Within three months": 4,
                                                  "Within six months": 1}
    assert any("chronologies are effectively used" in r.text for r in recs)
    # a recommendation wrapped across a page break is rejoined
    assert any(r.text.endswith("effectively considered by professionals") for r in recs)


def test_001_undated_ilacs_gets_inferred_date(seed_docs):
    doc = seed_docs["001"]
    main = doc.main()
    assert main.framework.startswith("ilacs")
    assert main.authority == HERTS  # Hertfordshire, never Herefordshire
    assert main.start == date(2018, 1, 1) and main.date_inferred  # earliest date ILACS allows
    assert _grades(doc) == {
        "leaders": "outstanding",
        "help-and-protection": "good",
        "children-in-care-and-care-leavers": "good",
        "overall-effectiveness": "good",
    }
    recs = _recs(doc)
    assert len(recs) == 3  # "What needs to improve": three items
    assert any("thresholds with adolescents" in r.text for r in recs)


def test_002_herefordshire_ilacs_2018(seed_docs):
    doc = seed_docs["002"]
    main = doc.main()
    assert (main.framework, main.authority) == ("ilacs-standard", HEREF)
    assert (main.start, main.end) == (date(2018, 6, 11), date(2018, 6, 22))
    assert main.lead_inspector == "Pauline Higham"
    assert _grades(doc) == {
        "leaders": "inadequate",
        "help-and-protection": "requires-improvement",
        "children-in-care-and-care-leavers": "requires-improvement",
        "overall-effectiveness": "requires-improvement",
    }
    assert len(_recs(doc)) == 7
    # "mirror many of those identified in 2014": the 2014 inspection is referenced
    refs = [i for i in doc.inspections if i.referenced]
    assert [(r.framework, r.start.year) for r in refs] == [("sif", 2014)]
    assert all(r.authority == HEREF for r in refs)


def test_003_committee_paper_reports_inspections_second_hand(seed_docs):
    doc = seed_docs["003"]
    assert doc.kind == "committee-paper"
    by_fw = {i.framework: i for i in doc.inspections if i.framework}
    assert set(by_fw) == {"cra", "slac", "annual-rating", "jar"}
    assert all(i.authority == HEREF for i in by_fw.values())
    assert (by_fw["slac"].start, by_fw["slac"].date_precision) == (date(2010, 9, 1), "month")
    assert by_fw["cra"].start == date(2010, 6, 1)
    assert by_fw["jar"].referenced and by_fw["jar"].start.year == 2005  # "last full inspection ... 2005"
    assert not by_fw["slac"].referenced
    slac = _grades(doc, by_fw["slac"].local_id)
    # "for safeguarding - overall effectiveness and capacity to improve both adequate;
    #  for looked after children - overall effectiveness and capacity to improve both good"
    assert slac["safeguarding-overall-effectiveness"] == "adequate"
    assert slac["safeguarding-capacity-to-improve"] == "adequate"
    assert slac["looked-after-overall-effectiveness"] == "good"
    assert slac["looked-after-capacity-to-improve"] == "good"
    # paragraph 13: performance management and quality assurance judged inadequate
    assert slac["performance-management-quality-assurance"] == "inadequate"
    assert slac["enjoying-achieving"] == "outstanding"  # paragraph 16
    assert _grades(doc, by_fw["jar"].local_id) == {"safeguarding": "inadequate"}
    assert _grades(doc, by_fw["annual-rating"].local_id) == {"overall-effectiveness": "adequate"}
    # "User engagement was judged as having outstanding features" is not a grade
    assert "user-engagement" not in slac


def test_004_joint_area_review_2007(seed_docs):
    doc = seed_docs["004"]
    main = doc.main()
    assert (main.framework, main.authority, main.published) == ("jar", HERTS, date(2007, 8, 14))
    grades = _grades(doc)
    # Grades table, 4 = outstanding .. 1 = inadequate
    assert {k: grades[k] for k in ("safeguarding", "looked-after-children", "learning-difficulties-disabilities",
                                   "service-management", "capacity-to-improve")} == {
        "safeguarding": "inadequate", "looked-after-children": "inadequate",
        "learning-difficulties-disabilities": "adequate", "service-management": "adequate",
        "capacity-to-improve": "good"}
    labels = {j.area: (j.label, j.scale) for j in doc.judgements if j.inspection == "main"}
    assert labels["safeguarding"] == ("1", "numeric-4-high")
    # bold judgement sentences of the additional investigations
    assert grades["minority-ethnic-communities"] == "adequate"
    assert grades["provision-16-19"] == "adequate"
    recs = _recs(doc)
    assert Counter(r.timescale for r in recs) == {"Immediately": 9, "Within the next six months": 6,
                                                  "Longer term": 4}
    # Important weaknesses table cells become weakness findings
    weak = [f.text for f in doc.findings if f.source_list == "Important weaknesses"]
    assert "Poor and inconsistent application of staff vetting procedures." in weak
    # "The most recent Annual Performance Assessment ... judged ... as good and its capacity to improve as good"
    apa = [i for i in doc.inspections if i.framework == "apa"]
    assert len(apa) == 1 and apa[0].referenced and apa[0].start.year == 2006
    assert _grades(doc, apa[0].local_id)["overall-effectiveness"] == "good"
    assert _grades(doc, apa[0].local_id)["capacity-to-improve"] == "good"


def test_no_seed_is_placed_under_the_wrong_authority(seed_docs):
    expected = {"000": HERTS, "001": HERTS, "002": HEREF, "003": HEREF, "004": HERTS}
    for key, doc in seed_docs.items():
        assert {i.authority for i in doc.inspections} == {expected[key]}, key


def test_every_evidence_quote_matches_the_text_at_its_offsets(seed_docs):
    for doc in seed_docs.values():
        items = [f.evidence for f in doc.findings] + [j.evidence for j in doc.judgements if j.evidence]
        assert items
        for ev in items:
            assert doc.text[ev.start:ev.end] == ev.quote
