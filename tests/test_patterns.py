"""One small test per text pattern the extractors recognise, on wording as reports print it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ofsted_kg.ingest.dates import parse_range
from ofsted_kg.ingest.judgements import extract_judgements, grade_of
from ofsted_kg.ingest.metadata import detect_framework, extract_metadata
from ofsted_kg.ingest.normalise import normalise
from ofsted_kg.ingest.polarity import classify, split_sentences
from ofsted_kg.ingest.readers import Line, RawDocument, strip_inline_markup
from ofsted_kg.ingest.secondhand import extract_secondhand


def make_doc(text: str, register, *, paged: bool = False, name: str = "report.txt"):
    """A document from text through the real stages (pages split on form feeds when paged)."""
    lines: list[Line] = []
    for page_no, page in enumerate(text.split("\f"), start=1):
        blank = True
        for raw in page.split("\n"):
            if not raw.strip():
                blank = True
                continue
            lines.append(Line(strip_inline_markup(raw), page_no if paged else 1, blank_before=blank and not paged))
            blank = False
    raw = RawDocument(Path(name), "0" * 64, "text/plain", tuple(lines), paged)
    doc = extract_metadata(detect_framework(normalise(raw)), register)
    return extract_secondhand(extract_judgements(doc))


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("28 January to 6 February 2013", date(2013, 1, 28), date(2013, 2, 6)),
        ("11 to 15 March 2024", date(2024, 3, 11), date(2024, 3, 15)),
        ("1/06/2015 - 25/06/2015", date(2015, 6, 1), date(2015, 6, 25)),
        ("29 April 2014 - 21 May 2014", date(2014, 4, 29), date(2014, 5, 21)),
        ("30 September \u2013 22 October 2014", date(2014, 9, 30), date(2014, 10, 22)),
        ("4 July 2016\u201328 July 2016", date(2016, 7, 4), date(2016, 7, 28)),
        ("24 \u2013 28 June 2013", date(2013, 6, 24), date(2013, 6, 28)),
        ("26 and 27 May 2021", date(2021, 5, 26), date(2021, 5, 27)),
        ("5 to 9 March and 19 to 23 March 2018", date(2018, 3, 5), date(2018, 3, 23)),  # two visits
    ],
)
def test_date_ranges_in_every_printed_form(text, start, end):
    rng = parse_range(text)
    assert (rng.start, rng.end) == (start, end)


def test_month_only_dates_keep_their_precision():
    rng = parse_range("September 2010")
    assert (rng.start, rng.precision) == (date(2010, 9, 1), "month")


@pytest.mark.parametrize(
    ("label", "scale", "grade"),
    [
        ("Requires improvement to be good", "sif-ilacs", "requires-improvement"),
        ("Require improvement", "sif-ilacs", "requires-improvement"),
        ("Grade 3 (Adequate)", "numeric-1-high", "adequate"),
        ("1", "numeric-4-high", "inadequate"),
        ("4", "numeric-4-high", "outstanding"),
        ("performs adequately", "annual-rating", "adequate"),
        ("Not judged", "sif-ilacs", "not-judged"),
    ],
)
def test_grades_normalise_on_their_scale(label, scale, grade):
    assert grade_of(label, scale) == grade


def test_ilacs_table_rows_in_any_order_with_separate_care_leavers(register):
    doc = make_doc(
        "Inspection of Walsall local authority children's services\n"
        "Inspection dates: 12 to 16 May 2025\n"
        "Judgement Grade\n"
        "Overall effectiveness Outstanding\n"
        "The experiences and progress of care\nleavers\nGood\n"
        "The impact of leaders on social work\npractice with children and families\nOutstanding\n"
        "The experiences and progress of\nchildren in care\nOutstanding\n"
        "The experiences and progress of\nchildren who need help and protection\nGood\n"
        + "Leaders have sustained strong services for children and families across the borough. " * 5,
        register, paged=True,
    )
    assert doc.framework == "ilacs-short"  # five days on site
    assert {j.area: j.grade for j in doc.judgements} == {
        "overall-effectiveness": "outstanding", "care-leavers": "good", "leaders": "outstanding",
        "children-in-care": "outstanding", "help-and-protection": "good"}


def test_april_2026_framework_has_no_overall_judgement(register):
    doc = make_doc(
        "Inspection of Portsmouth local authority children's services\nInspection dates: 6 to 10 July 2026\n"
        "Judgement Grade\nThe impact of leaders on social work practice with children and families Good\n"
        + "Children benefit from consistently strong help from skilled practitioners in the city. " * 5,
        register, paged=True,
    )
    assert doc.framework == "ilacs-2026"
    assert "overall-effectiveness" not in {j.area for j in doc.judgements}


def test_sif_summary_sub_judgements_and_lscb(register):
    doc = make_doc(
        "Bedford Borough\n"
        "Inspection of services for children in need of help and protection, children looked after and care "
        "leavers and Review of the effectiveness of the Local Safeguarding Children Board\n"
        "Inspection date: 23 January 2017 \u2013 16 February 2017\nReport published: 7 April 2017\n"
        "Children's services in Bedford Borough require improvement to be good\n"
        "1. Children who need help and protection Requires improvement\n"
        "2. Children looked after and achieving permanence\nRequires improvement\n"
        "2.1 Adoption performance Good\n2.2 Experiences and progress of care leavers Good\n"
        "3. Leadership, management and governance Requires improvement\n"
        "\fThe Local Safeguarding Children Board (LSCB)\nThe Local Safeguarding Children Board is good\n",
        register, paged=True,
    )
    main = doc.main()
    assert (main.framework, main.published) == ("sif", date(2017, 4, 7))
    grades = {j.area: j.grade for j in doc.judgements}
    assert grades == {
        "overall-effectiveness": "requires-improvement", "help-and-protection": "requires-improvement",
        "looked-after-permanence": "requires-improvement", "adoption": "good", "care-leavers": "good",
        "leadership-management-governance": "requires-improvement", "lscb": "good"}


def test_sif_overall_judgement_sentence(register):
    doc = make_doc(
        "Knowsley Council\nInspection of services for children in need of help and protection, children looked "
        "after and care leavers and Review of the effectiveness of the local safeguarding children board\n"
        "Inspection date: 29 April \u2013 21 May 2014\nThe overall judgement is inadequate\n",
        register, paged=True,
    )
    assert {j.area: j.label for j in doc.judgements} == {"overall-effectiveness": "inadequate"}


def test_looked_after_2013_section_grades(register):
    doc = make_doc(
        "Inspection of looked after children services\nSandwell Metropolitan Borough Council\n"
        "Inspection dates: 24 \u2013 28 June 2013\n"
        "Overall effectiveness of services for looked after children and young people\nGrade 4 (Inadequate)\n"
        "13. Overall effectiveness for looked after children is inadequate.\n"
        "Capacity to improve\nGrade 3 (Adequate)\n22. Capacity to improve services is adequate.\n",
        register, paged=False,
    )
    labels = {j.area: (j.label, j.scale, j.grade) for j in doc.judgements}
    assert labels["overall-effectiveness"] == ("Grade 4 (Inadequate)", "numeric-1-high", "inadequate")
    assert labels["capacity-to-improve"][2] == "adequate"


def test_heading_grade_fallback_for_ilacs(register):
    doc = make_doc(
        "Inspection of Bury local authority children's services\nInspection dates: 9 to 20 June 2025\n\n"
        "The experiences and progress of children who need help and protection: requires improvement to be good\n"
        "1. Children wait too long for help.\n",
        register,
    )
    assert {j.area: j.grade for j in doc.judgements} == {"help-and-protection": "requires-improvement"}


def test_referenced_earlier_inspection_with_stated_grade(register):
    doc = make_doc(
        "Inspection of the Isle of Wight local authority children's services\n"
        "Inspection dates: 30 October to 3 November 2023\n\n"
        "31. The last Ofsted inspection of Isle of Wight Council's arrangements for the protection of children "
        "was undertaken in November 2012. The local authority was judged to be inadequate.\n",
        register,
    )
    ref = [i for i in doc.inspections if i.referenced]
    assert [(r.framework, r.start, r.date_precision) for r in ref] == [("cp2012", date(2012, 11, 1), "month")]
    assert [(j.area, j.grade) for j in doc.judgements if j.inspection == ref[0].local_id] == [
        ("overall-effectiveness", "inadequate")]


def test_a_report_is_not_its_own_reference(register):
    doc = make_doc(
        "Inspection of Bury local authority children's services\nInspection dates: 9 to 20 June 2025\n\n"
        "1. During this inspection, inspectors found that leaders have acted on findings.\n",
        register,
    )
    assert [i for i in doc.inspections if i.referenced] == []


def test_hertfordshire_and_herefordshire_are_never_confused(register):
    herts = make_doc("Inspection of Hertfordshire local authority children's services\n"
                     "Inspection dates: 11 to 15 March 2024\n", register)
    heref = make_doc("Inspection of Herefordshire local authority children's services\n"
                     "Inspection dates: 11 to 15 March 2024\n", register)
    assert (herts.main().authority, heref.main().authority) == ("E10000015", "E06000019")


def test_authority_named_as_a_safeguarding_children_board(register):
    doc = make_doc("Review of the effectiveness of the Local Safeguarding Children Board\n"
                   "Hertfordshire Safeguarding Children Board\nInspection dates: 11 to 15 March 2016\n"
                   "The Local Safeguarding Children Board is good.\n", register)
    assert (doc.framework, doc.main().authority) == ("lscb-review", "E10000015")
    assert {j.area: j.grade for j in doc.judgements} == {"lscb": "good"}


def test_normalise_drops_running_headers_and_rejoins_wrapped_lines(register):
    page = ("Inspection of Bury local authority children's services\n9 to 20 June 2025 {n}\n"
            "{n}. {who} who need help receive a timely response from the\nmulti-\n"
            "agency safeguarding hub when {when}.\nInspectors saw {n} cases where this happened.\n"
            "Managers review the work every week.\n")
    who = ["Children", "Families", "Young people", "Babies"]
    when = ["referred by schools", "police raise concerns", "health visitors call", "neighbours worry"]
    text = "\f".join(page.format(n=n, who=who[n - 1], when=when[n - 1]) for n in range(1, 5))
    doc = make_doc(text, register, paged=True)
    assert "9 to 20 June 2025" not in doc.text  # running header with page number
    assert "from the multi-agency safeguarding hub when police raise concerns." in doc.text
    assert "Managers review the work every week." not in doc.text  # a running footer


def test_paragraph_number_on_its_own_line_is_rejoined(register):
    doc = make_doc("Inspection of Bury local authority children's services\n\n12.\n\nSocial workers visit "
                   "children regularly.\n", register)
    block = next(b for b in doc.blocks if b.number)
    assert block.number == "12" and doc.text[block.start:block.end] == "12. Social workers visit children regularly."


def test_markup_is_stripped_and_table_rows_kept():
    assert strip_inline_markup("<b>Safeguarding</b>") == "Safeguarding"
    assert strip_inline_markup("is judged to be **adequate**.") == "is judged to be adequate."
    assert strip_inline_markup('Adequate <input checked="" type="checkbox"/>') == "Adequate [x]"
    assert strip_inline_markup("<p>One.</p> <p>Two.</p>") == "One. \u2022 Two."


@pytest.mark.parametrize(
    ("sentence", "label"),
    [
        ("There was no evidence of drift in planning for children.", "strength"),
        ("Management oversight is not consistently effective.", "weakness"),
        ("Although early help is strong, thresholds are not consistently applied.", "weakness"),
        ("Caseloads remain too high.", "weakness"),
        ("Children are seen alone and their views are well recorded.", "strength"),
        ("Children in care benefit from stable homes.", "strength"),
        ("The local authority has 12 children's centres.", "neutral"),
        ("Leaders have not yet ensured that all children receive timely assessments.", "weakness"),  # not a contrast
        ("The impact of these changes is not yet evident.", "weakness"),
        ("Leaders know their services well, yet plans lack clear measures of success.", "weakness"),
    ],
)
def test_polarity_with_negation_and_contrast(sentence, label):
    assert classify(sentence).label == label


def test_however_reads_against_the_previous_sentence():
    prev = classify("Return home interviews are timely and thorough.")
    assert classify("However, this is not the case for all children.", prev).label == "weakness"


def test_sentences_keep_abbreviations_together():
    text = "Partners, e.g. health visitors, attend. The board meets monthly."
    assert [text[s:e] for s, e in split_sentences(text)] == ["Partners, e.g. health visitors, attend.",
                                                              "The board meets monthly."]
