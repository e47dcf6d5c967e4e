"""Registries of the closed vocabularies: frameworks, judgement areas, grades and scales.

Each registry is a plain dict keyed by the stable identifier used in IRIs (``FRAMEWORK[key]``,
``AREA[key]``, ...). The same dicts feed the CLI's choices and the tests that check the
ontology's SKOS concepts agree with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Framework:
    """An inspection framework (or kind of visit) with the dates it was in force."""

    key: str
    cls: str  # local name of the OWL class in the ontology
    label: str
    start: date  # earliest date the framework allows (used for undated reports)
    end: date | None  # last date it was in force, None while current
    visit: bool = False  # a visit between inspections rather than a full inspection cycle
    graded: bool = True  # whether it awards judgements


FRAMEWORKS: dict[str, Framework] = {
    f.key: f
    for f in (
        Framework("jar", "JointAreaReview", "Joint area review", date(2005, 9, 1), date(2009, 3, 31)),
        Framework(
            "apa", "AnnualPerformanceAssessment", "Annual performance assessment",
            date(2005, 1, 1), date(2008, 12, 31),
        ),
        Framework(
            "annual-rating", "AnnualRating", "Annual rating of children's services",
            date(2009, 1, 1), date(2012, 12, 31),
        ),
        Framework(
            "cra", "ContactReferralAssessmentInspection",
            "Unannounced inspection of contact, referral and assessment arrangements",
            date(2009, 6, 1), date(2012, 5, 31), visit=True, graded=False,
        ),
        Framework(
            "slac", "SafeguardingLookedAfterChildrenInspection",
            "Inspection of safeguarding and looked after children services",
            date(2009, 6, 1), date(2012, 5, 31),
        ),
        Framework(
            "cp2012", "ChildProtectionInspection",
            "Inspection of local authority arrangements for the protection of children",
            date(2012, 5, 1), date(2013, 11, 30),
        ),
        Framework(
            "lac2012", "LookedAfterChildrenInspection", "Inspection of looked after children services",
            date(2012, 5, 1), date(2013, 11, 30),
        ),
        Framework(
            "sif", "SIFInspection",
            "Single inspection of services for children in need of help and protection, "
            "children looked after and care leavers",
            date(2013, 11, 1), date(2018, 3, 31),
        ),
        Framework(
            "sif-reinspection", "SIFReinspection",
            "Re-inspection of services for children in need of help and protection, "
            "children looked after and care leavers",
            date(2015, 1, 1), date(2018, 12, 31),
        ),
        Framework(
            "lscb-review", "LSCBReview", "Review of the effectiveness of the local safeguarding children board",
            date(2013, 11, 1), date(2018, 12, 31),
        ),
        Framework(
            "ilacs-standard", "ILACSStandardInspection",
            "Inspection of local authority children's services (ILACS), standard inspection",
            date(2018, 1, 1), date(2026, 3, 31),
        ),
        Framework(
            "ilacs-short", "ILACSShortInspection",
            "Inspection of local authority children's services (ILACS), short inspection",
            date(2018, 1, 1), date(2026, 3, 31),
        ),
        Framework(
            "ilacs-2026", "ILACS2026Inspection",
            "Inspection of local authority children's services under the framework in force "
            "from April 2026 (no overall effectiveness judgement)",
            date(2026, 4, 1), None,
        ),
        Framework(
            "focused-visit", "FocusedVisit", "Focused visit (ILACS)", date(2018, 1, 1), None,
            visit=True, graded=False,
        ),
        Framework(
            "monitoring-visit", "MonitoringVisit", "Monitoring visit", date(2014, 1, 1), None,
            visit=True, graded=False,
        ),
    )
}


def framework_for_date(day: date, *, protection: bool = True) -> str | None:
    """The full-inspection framework in force on ``day`` (for references that give only a year)."""
    order = ["jar", "slac", "cp2012" if protection else "lac2012", "sif", "ilacs-standard", "ilacs-2026"]
    for key in order:
        fw = FRAMEWORKS[key]
        if fw.start <= day and (fw.end is None or day <= fw.end):
            return key
    return None


@dataclass(frozen=True)
class Grade:
    """A normalised grade with its ordinal rank on one scale across frameworks (4 best)."""

    key: str
    label: str
    rank: int | None


GRADES: dict[str, Grade] = {
    g.key: g
    for g in (
        Grade("outstanding", "Outstanding", 4),
        Grade("good", "Good", 3),
        Grade("requires-improvement", "Requires improvement to be good", 2),
        Grade("adequate", "Adequate", 2),
        Grade("inadequate", "Inadequate", 1),
        Grade("not-judged", "Not judged", None),
    )
}


@dataclass(frozen=True)
class Scale:
    """A grading scale as printed in reports: original labels mapped to normalised grades."""

    key: str
    label: str
    grades: dict[str, str]  # lower-cased original label -> grade key


SCALES: dict[str, Scale] = {
    s.key: s
    for s in (
        Scale(
            "four-point-2005", "Four-point scale: outstanding, good, adequate, inadequate (2005-2013)",
            {"outstanding": "outstanding", "good": "good", "adequate": "adequate",
             "inadequate": "inadequate", "satisfactory": "adequate", "not judged": "not-judged"},
        ),
        Scale(
            "numeric-4-high", "Numeric grades 4 = outstanding .. 1 = inadequate (joint area reviews, APA)",
            {"4": "outstanding", "3": "good", "2": "adequate", "1": "inadequate"},
        ),
        Scale(
            "numeric-1-high", "Numbered grades Grade 1 = outstanding .. Grade 4 = inadequate (2012-13)",
            {"1": "outstanding", "2": "good", "3": "adequate", "4": "inadequate"},
        ),
        Scale(
            "annual-rating", "Annual rating: performs excellently, well, adequately, poorly (2009-2012)",
            {"performs excellently": "outstanding", "performs well": "good",
             "performs adequately": "adequate", "performs poorly": "inadequate",
             "outstanding": "outstanding", "good": "good", "adequate": "adequate",
             "inadequate": "inadequate"},
        ),
        Scale(
            "sif-ilacs", "Outstanding, good, requires improvement (to be good), inadequate (2013 on)",
            {"outstanding": "outstanding", "good": "good",
             "requires improvement to be good": "requires-improvement",
             "requires improvement": "requires-improvement",
             "require improvement to be good": "requires-improvement",
             "require improvement": "requires-improvement",
             "inadequate": "inadequate", "not judged": "not-judged"},
        ),
    )
}


@dataclass(frozen=True)
class Area:
    """A judgement area (what a grade is about)."""

    key: str
    label: str


AREAS: dict[str, Area] = {
    a.key: a
    for a in (
        Area("overall-effectiveness", "Overall effectiveness"),
        Area("capacity-to-improve", "Capacity to improve"),
        Area("leaders", "The impact of leaders on social work practice with children and families"),
        Area("help-and-protection", "The experiences and progress of children who need help and protection"),
        Area("children-in-care-and-care-leavers",
             "The experiences and progress of children in care and care leavers"),
        Area("children-in-care", "The experiences and progress of children in care"),
        Area("care-leavers", "The experiences and progress of care leavers"),
        Area("looked-after-permanence", "Children looked after and achieving permanence"),
        Area("adoption", "Adoption performance"),
        Area("leadership-management-governance", "Leadership, management and governance"),
        Area("lscb", "Effectiveness of the local safeguarding children board"),
        Area("quality-of-practice", "The quality of practice"),
        Area("leadership-governance", "Leadership and governance"),
        Area("outcomes", "Outcomes for children and young people"),
        Area("quality-of-provision", "Quality of provision"),
        Area("leadership-management", "Leadership and management"),
        Area("performance-management-quality-assurance", "Performance management and quality assurance"),
        Area("partnership-working", "Partnership working"),
        Area("equality-diversity", "Equality and diversity"),
        Area("user-engagement", "User engagement"),
        Area("value-for-money", "Value for money"),
        Area("being-healthy", "Being healthy"),
        Area("staying-safe", "Staying safe"),
        Area("enjoying-achieving", "Enjoying and achieving"),
        Area("positive-contribution", "Making a positive contribution"),
        Area("economic-wellbeing", "Economic well-being"),
        Area("safeguarding", "Safeguarding"),
        Area("safeguarding-overall-effectiveness", "Safeguarding: overall effectiveness"),
        Area("safeguarding-capacity-to-improve", "Safeguarding: capacity to improve"),
        Area("looked-after-children", "Looked after children"),
        Area("looked-after-overall-effectiveness", "Looked after children: overall effectiveness"),
        Area("looked-after-capacity-to-improve", "Looked after children: capacity to improve"),
        Area("learning-difficulties-disabilities", "Children and young people with learning difficulties "
             "and/or disabilities"),
        Area("service-management", "Service management"),
        Area("minority-ethnic-communities", "Provision and outcomes for children and young people from "
             "Black and minority ethnic communities"),
        Area("provision-16-19", "Provision and achievement for young people aged 16-19"),
        Area("ambition", "Ambition"),
        Area("prioritisation", "Prioritisation"),
    )
}

#: Finding kinds, written as ``ofsted:kind`` and as the class of the finding.
FINDING_KINDS: dict[str, str] = {
    "strength": "Strength",
    "weakness": "Weakness",
    "recommendation": "Recommendation",
}
