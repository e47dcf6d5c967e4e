"""Extraction fixes, each on wording quoted from the real reports and seeds (or on the real files):
"not yet" is a weakness cue; a cited focused / monitoring visit is a visit of that kind, dated by its own
date; a date used only as a time anchor ("Since the inspection in 2015, ...") gives the earlier
inspection no finding; paragraphs carry their judgement section, not metadata lines; a later report's
"..., and services for children in care were judged to be good" is not the overall effectiveness.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ofsted_kg.ingest.judgements import extract_judgements
from ofsted_kg.ingest.metadata import detect_framework, extract_metadata
from ofsted_kg.ingest.normalise import normalise
from ofsted_kg.ingest.polarity import classify
from ofsted_kg.ingest.readers import Line, RawDocument
from ofsted_kg.ingest.secondhand import about_earlier, extract_secondhand

# the title region of an ILACS report, as the 2024 reports print it
ILACS_2024 = ("Inspection of Bury local authority children’s services\nInspection dates: 15 to 26 April 2024\n"
              "Lead inspector: Jane Doe, His Majesty’s Inspector\n\n")


def make_doc(text: str, register):
    """A report from text through normalise, metadata, judgements and second-hand inspections."""
    lines = [Line(raw, 1, blank_before=i == 0 or not text.split("\n")[i - 1].strip())
             for i, raw in enumerate(text.split("\n")) if raw.strip()]
    raw = RawDocument(Path("report.txt"), "0" * 64, "text/plain", tuple(lines), False)
    doc = extract_metadata(detect_framework(normalise(raw)), register)
    return extract_secondhand(extract_judgements(doc))


def _refs(doc):
    return [(i.framework, i.start.year) for i in doc.inspections if i.referenced]


def _cited(doc):
    return [(f.inspection, f.kind) for f in doc.findings if f.source_list == "cited by a later report"]


# --- 1. polarity: "not yet" is a weakness, ", yet" is a contrast -----------------------------------

@pytest.mark.parametrize(
    ("sentence", "label"),
    [
        # Bristol 2023, Sandwell 2015, Tower Hamlets 2017: "not yet" was split off as a contrast and lost
        ("The impact of the plan is not yet evident in practice.", "weakness"),
        ("The progression of the vast majority of contacts is timely, but managers have not yet ensured clear "
         "recording and a robust electronic audit trail of this initial work.", "weakness"),
        # praise inside the clause that "not yet" governs is not achieved (Telford 2016)
        ("However, services received by children in Telford and Wrekin are not yet consistently good.", "weakness"),
        # Nottinghamshire 2015: ", yet" is the contrast, the clause after it decides
        ("Plans describe care leavers’ histories and circumstances well, with their views clearly expressed, yet "
         "the actions recorded are not sufficiently clear.", "weakness"),
        # Sandwell 2015: "has yet to" is a negative cue
        ("Carers are clear about the arrangements for administering prescribed medication, but a comprehensive "
         "scheme of delegated responsibility has yet to be formalised in writing.", "weakness"),
        ("There was no evidence of drift in planning for children.", "strength"),
    ],
)
def test_not_yet_is_a_weakness_and_yet_a_contrast(sentence, label):
    assert classify(sentence).label == label


def test_however_reads_against_a_strong_previous_sentence_from_a_seed():
    # seed 004 (Hertfordshire joint area review): the second sentence has no cue of its own
    prev = classify("Since then, performance has improved and good progress is continuing.")
    assert prev.label == "strength"
    second = "However, because of the low base for performance in 2005-06, it has still not risen to an adequate level."
    assert classify(second).label == "neutral"
    assert classify(second, prev).label == "weakness"


# --- 2. a cited focused / monitoring visit is a visit, dated by its own date ------------------------

def test_a_focused_visit_mention_never_makes_a_full_inspection(register):
    # East Riding of Yorkshire 2023: "the last inspection" has no date of its own; 2018 dates the visit
    doc = make_doc(ILACS_2024 + "42. The recommendations relevant to help and protection services and practice that "
                   "were made at the last inspection and at the focused visit in 2018 have, mainly, not been fully "
                   "addressed.\n", register)
    assert _refs(doc) == [("focused-visit", 2018)]
    # Bury 2021: "the last Ofsted focused visit in 2020"
    doc = make_doc(ILACS_2024 + "Children’s experiences, and the quality of frontline practice has deteriorated since "
                   "the last Ofsted focused visit in 2020.\n", register)
    assert _refs(doc) == [("focused-visit", 2020)]
    doc = make_doc(ILACS_2024 + "20. Practice in pre-proceedings work is inconsistent, despite this being an area of "
                   "focus in a monitoring visit in March 2017.\n", register)
    assert _refs(doc) == [("monitoring-visit", 2017)]
    assert not any(i.framework.startswith(("ilacs", "sif")) for i in doc.inspections if i.referenced)


def test_each_mention_takes_its_nearest_date(register):
    # Walsall 2019: 2017 dates the inspection, December 2019 the focused visit
    doc = make_doc(ILACS_2024 + "The response to children at risk of exploitation and children reported missing from "
                   "home and care has improved significantly since the previous inspection in 2017 and a focused "
                   "visit in December 2019.\n", register)
    assert sorted(_refs(doc)) == [("focused-visit", 2019), ("sif", 2017)]
    # Isle of Wight 2013: "the 2010 inspection ... the 2012 inspection"
    doc = make_doc(ILACS_2024 + "Given the length of time since the 2010 inspection and the impressive progress seen "
                   "since the 2012 inspection, the focus for this section will be taken from the 2012 inspection "
                   "only.\n", register)
    assert sorted(_refs(doc)) == [("cp2012", 2012), ("slac", 2010)]
    # Knowsley 2024: the date after "the full inspection" is not the (current) focused visit's
    doc = make_doc(ILACS_2024 + "This was the second focused visit since the full inspection of children’s services "
                   "in October 2021.\n", register)
    assert _refs(doc) == [("ilacs-standard", 2021)]


def test_other_kinds_of_inspection_are_not_children_services_inspections(register):
    for sentence in (
        # Islington 2017, Bristol 2019, Staffordshire 2015, Isle of Wight 2013
        "An example of this is the strategic response following the inspection of the youth offending service in 2016.",
        "Services have improved substantially since the joint area targeted inspection (JTAI) in 2017.",
        "The local authority fostering service was rated outstanding at its last inspection in 2013.",
        "The previous inspection of the Isle of Wight’s fostering service was in September 2010.",
    ):
        assert _refs(make_doc(ILACS_2024 + sentence + "\n", register)) == [], sentence


@pytest.mark.parametrize(
    "sentence",
    [  # Shropshire 2017, Cornwall 2016, Knowsley 2014: financial and academic years
        "Of the 15 adoption orders made in 2016-17, there were five sibling groups.",
        "Phase two has been launched with 711 families (689 target) identified in 2015–16.",
        "The low number of disruptions indicates that this process is robust, with only one adoption disruption "
        "reported in 2013 to 2014.",
    ],
)
def test_a_financial_year_is_not_an_earlier_inspection(sentence, register):
    assert _refs(make_doc(ILACS_2024 + sentence + "\n", register)) == []


def test_a_cited_visit_resolves_to_the_visits_own_node(reports_dir, register):
    from ofsted_kg.ingest.pipeline import ingest
    from ofsted_kg.ingest.resolve import resolve_corpus

    bury = reports_dir / "80443_bury"
    report = ingest(bury / "children's services inspection - 17 december 2021.pdf", register)
    visit = ingest(bury / "children's services focused visit - 13 november 2020.pdf", register)
    cited = [i for i in report.inspections if i.referenced and i.framework == "focused-visit"]
    assert [i.start.year for i in cited] == [2020]  # "Since the focused visit in October 2020, ..."
    res = resolve_corpus([report, visit])
    assert res.iris[(report.sha256, cited[0].local_id)] == res.iris[(visit.sha256, "main")]
    assert not any(i.framework.startswith(("ilacs", "sif")) and i.start.year == 2020
                   for i in report.inspections if i.referenced)


# --- 3. a time anchor is not a finding of the earlier inspection ------------------------------------

@pytest.mark.parametrize(
    "sentence",
    [
        "Since the inspection in 2015, leaders have strengthened the front door.",
        # Hillingdon 2018, Walsall 2019, Wandsworth 2022, Newcastle 2022
        "Services for children in Hillingdon are good and have significantly improved since the previous inspection "
        "in 2013.",
        "Since the previous inspection in 2017, outcomes for children and their families have been improving and "
        "children’s services are now good.",
        "The duty, triage and assessment (DTA) team is more effective than it was at the time of Ofsted’s focused "
        "visit in October 2018.",
        "Services for children in Newcastle city council are of good quality and have improved since the last "
        "inspection in 2017.",
    ],
)
def test_a_date_used_as_a_time_anchor_gives_the_earlier_inspection_no_finding(sentence, register):
    doc = make_doc(ILACS_2024 + sentence + "\n", register)
    assert _refs(doc)  # the earlier inspection is still referenced
    assert _cited(doc) == []


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Weaknesses identified at the last inspection in 2014 remain.", "weakness"),
        # Sandwell 2016, Wokingham 2023, Gloucestershire 2021, Barking and Dagenham 2017, Kingston 2014
        ("Many of the shortfalls identified in 2015 have not been resolved.", "weakness"),
        ("Senior managers have undertaken significant work to address the areas for improvement identified at the "
         "previous inspection in March 2023.", "weakness"),
        ("Although COVID-19 will almost certainly have exacerbated the problem, similar issues and concerns were "
         "raised at the time of the last full inspection in 2017.", "weakness"),
        ("Services for children in Barking and Dagenham require improvement, as was the case at the last inspection "
         "in 2014.", "weakness"),
        ("The 2010 inspection judged services for looked after children to be inadequate.", "weakness"),
        ("Not all the recommendations from the 2015 inspection have been progressed by the local authority.",
         "weakness"),
        # Middlesbrough 2019: a time anchor with a clause about what the visit found
        ("Since the focused visit to the front door in August 2018, which raised concerns about the quality of "
         "initial responses to children, a recently commissioned MACH now provides an improved service.",
         "weakness"),
    ],
)
def test_a_sentence_about_the_earlier_findings_is_its_finding(sentence, kind, register):
    doc = make_doc(ILACS_2024 + sentence + "\n", register)
    cited = _cited(doc)
    assert len(cited) == 1 and cited[0][0].startswith("ref-") and cited[0][1] == kind


def test_about_earlier_separates_anchor_from_citation():
    s = "Since the last inspection in 2014, senior leaders have made some progress."
    assert about_earlier(s, s.index("inspection"), s.index("inspection") + 10) is None
    s = "Many weaknesses found during this inspection mirror many of those identified in 2014."
    start = s.index("identified in 2014")
    assert about_earlier(s, start, start + len("identified in 2014")) is not None


def test_seed_002_cites_2014_only_where_it_says_what_2014_found(seed_docs):
    doc = seed_docs["002"]
    cited = [f for f in doc.findings if f.source_list == "cited by a later report"]
    assert cited and all(f.inspection.startswith("ref-sif-2014") for f in cited)
    assert any("mirror many of those identified in 2014" in f.text for f in cited)
    # "Since the last inspection in 2014, senior leaders have made some progress ...": 2014 only dates it
    anchored = [f for f in doc.findings if f.text.startswith("Since the last inspection in 2014")]
    assert anchored and all(f.inspection == "main" for f in anchored)


# --- 4. the section of a paragraph ------------------------------------------------------------------

def test_sif_paragraphs_keep_their_judgement_heading(reports_dir, register):
    from ofsted_kg.ingest.pipeline import ingest

    doc = ingest(reports_dir / "80483_leicestershire" / "children's services inspection - 13 february 2017.pdf",
                 register)
    sections = {f.evidence.section for f in doc.findings if f.inspection == "main"}
    assert "The experiences and progress of children who need help and protection - Summary" in sections
    assert "The experiences and progress of children who need help and protection - Inspection findings" in sections
    assert "Leadership, management and governance - Inspection findings" in sections
    assert not sections & {"Summary", "Inspection findings", "Requires improvement", "Good"}
    assert not any(s.startswith(("Lead inspector", "Report published", "Inspection date")) for s in sections)


def test_ilacs_summary_is_not_under_a_metadata_line(register):
    doc = make_doc(
        "Inspection of Walsall local authority children’s services\nInspection dates: 12 to 16 May 2025\n"
        "Lead inspector: Jane Doe, His Majesty’s Inspector\nJudgement Grade\n"
        "The impact of leaders on social work practice with children and families\nGood\n"
        "The experiences and progress of care leavers\nGood\n\n"
        "Leaders have sustained strong services for children and families across the borough since the last "
        "inspection, and children receive timely help.\n\n"
        "The experiences and progress of children who need help and protection: good\n\n"
        "1. Children who need help receive a timely response from the multi-agency safeguarding hub.\n",
        register,
    )
    summary = doc.block_at(doc.text.index("Leaders have sustained"))
    assert summary.section == "Inspection of Walsall local authority children’s services"
    para = doc.block_at(doc.text.index("1. Children who need help"))
    assert para.section == "The experiences and progress of children who need help and protection"


def test_seed_002_summary_is_under_the_title_not_the_inspector(seed_docs):
    doc = seed_docs["002"]
    block = doc.block_at(doc.text.index("Leaders and managers have not secured"))
    assert block.section == "Inspection of children's social care services"


# --- 5. a later report's grades of an earlier ILACS inspection ---------------------------------------

def test_later_report_grades_name_their_own_areas(register):
    # Leicestershire focused visit 2023 on the ILACS inspection of September 2019
    doc = make_doc(ILACS_2024 + "Since the previous full inspection in September 2019, when the overall effectiveness "
                   "was judged to require improvement to be good, and services for children in care were judged to "
                   "be good, the quality and impact of social work practice have improved.\n", register)
    ref = next(i for i in doc.inspections if i.referenced)
    assert (ref.framework, ref.start.year) == ("ilacs-standard", 2019)
    assert {j.area: j.grade for j in doc.judgements if j.inspection == ref.local_id} == {
        "overall-effectiveness": "requires-improvement", "children-in-care-and-care-leavers": "good"}
    # Wandsworth 2026: "good overall", not the care leavers of the next clause
    doc = make_doc(ILACS_2024 + "Since the previous inspection in 2022, when services were judged to be good overall, "
                   "senior leaders have strengthened practice so that children and care leavers receive consistently "
                   "high-quality support.\n", register)
    assert {(j.area, j.grade) for j in doc.judgements if j.inspection != "main"} == {("overall-effectiveness", "good")}


def test_a_cited_visit_has_no_grades(register):
    doc = make_doc(ILACS_2024 + "This was the second focused visit since the full inspection of children’s services "
                   "in October 2021, when care leavers were judged inadequate.\n", register)
    assert all(not j.inspection.startswith("ref-focused-visit") for j in doc.judgements)


def test_leicestershire_2019_overall_effectiveness_is_requires_improvement(reports_dir, register):
    """The report's own grade, and the later focused visit's citation of it, agree with Ofsted's outcome."""
    from ofsted_kg.ingest.pipeline import ingest
    from ofsted_kg.ingest.resolve import resolve_corpus

    folder = reports_dir / "80483_leicestershire"
    report = ingest(folder / "children's services inspection - 04 november 2019.pdf", register)
    visit = ingest(folder / "children's services focused visit - 16 june 2023.pdf", register)
    docs = {d.sha256: d for d in (report, visit)}
    res = resolve_corpus(docs.values())
    iri = res.iris[(report.sha256, "main")]
    owner = docs[res.judgement_owners[(iri, "overall-effectiveness")]]
    grades = [j.grade for j in owner.judgements
              if j.area == "overall-effectiveness" and res.iris.get((owner.sha256, j.inspection)) == iri]
    assert grades == ["requires-improvement"]
