"""Polarity of a finding sentence: weakness, strength or neutral, aware of negation and contrast.

Rule-based: weighted cue lexicons, negation that flips the cue it governs ("not effective",
"no evidence of drift"), hedges that turn praise into a weakness ("not always timely",
"too variable"), and contrast ("Although X is good, Y is poor"; "However, ..."), where the
clause after the contrast decides. Returns the decisive cue and a confidence for provenance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Polarity", "classify", "split_sentences"]


@dataclass(frozen=True)
class Polarity:
    label: str  # weakness | strength | neutral
    cue: str  # the words that decided it
    confidence: float
    score: float


# weight > 0 strength, < 0 weakness
_NEG_CUES: dict[str, float] = {
    r"not\s+(?:yet\s+)?(?:always|consistently|routinely|sufficiently|fully|all|well|effective|robust|timely|clear)": -2.0,
    r"(?:is|are|was|were|has|have|does|do|did)\s+not\b": -1.5,
    r"(?:isn't|aren't|doesn't|don't|hasn't|haven't)": -1.5,
    r"\bno\s+(?:clear|effective|formal|routine|consistent|system|strategy|plan|oversight|evidence\s+that)": -1.5,
    r"\btoo\s+(?:many|much|long|slow|high|variable|few|little|late|often|early|lengthy|narrow|generic)": -2.0,
    r"\btoo\b": -1.0,
    r"\binsufficient(?:ly)?\b": -2.0,
    r"\black(?:s|ing)?\b": -1.5,
    r"\bpoor(?:ly)?\b": -2.0,
    r"\bweak(?:er|ness|nesses)?\b": -2.0,
    r"\binadequate(?:ly)?\b": -2.5,
    r"\brequires?\s+improvement\b": -2.0,
    r"\bneeds?\s+to\s+(?:improve|be\s+(?:improved|strengthened))": -2.0,
    r"\b(?:variable|variability|inconsistent(?:ly)?|inconsistency|inconsistencies)\b": -1.5,
    r"\b(?:delay|delays|delayed|drift)\b": -1.5,
    r"\b(?:fail|fails|failed|failing|failure|failures)\b": -2.0,
    r"\blimited\b": -1.0,
    r"\b(?:under-?developed|underdeveloped|under-?used|ineffective|unreliable|inaccurate|unclear|untimely)\b": -2.0,
    r"\b(?:slow|slower)\b": -1.0,
    r"\b(?:gap|gaps|deficit|deficits|shortfall|shortfalls|shortcomings?|deficiencies)\b": -1.5,
    r"\b(?:concern|concerns|concerning|worry|worrying)\b": -0.8,
    r"\b(?:high|excessive|large|rising)\s+caseloads?\b": -2.0,
    r"\bcaseloads?\s+(?:are|is|remain)\s+(?:too\s+)?high\b": -2.0,
    r"\b(?:missed|missing\s+opportunit)": -1.0,
    r"\b(?:not\s+)?(?:yet\s+)?(?:embedded|in\s+place)\b": 0.0,
    r"\bnot\s+yet\b": -1.5,
    r"\brarely\b": -1.5,
    r"\b(?:struggl\w+|difficult\w*|challenge|challenges|challenging)\b": -0.7,
    r"\b(?:deteriorat\w+|declin\w+|worsen\w+)\b": -1.5,
    r"\bunable\b": -1.0,
    r"\b(?:serious|widespread)\s+(?:weakness|failure|concern)": -2.5,
    r"\b(?:ensure|improve|strengthen|review|develop|increase|reduce)\b(?=[^.]*$)": 0.0,
    r"\bremain(?:s|ed)?\s+(?:a\s+)?(?:challenge|concern|weak|poor|high|variable|inconsistent|underdeveloped)": -2.0,
    r"\b(?:still|continue[sd]?\s+to\s+be)\s+(?:a\s+)?(?:challenge|concern|weak|poor|high|variable|issue|problem)": -2.0,
    r"\b(?:over-?optimis\w+|naivety|naive)\b": -1.5,
    r"\b(?:unnecessary|unacceptabl\w+|inappropriate(?:ly)?)\b": -1.5,
    r"\bonly\s+(?:adequate|partially|some)\b": -1.0,
    r"\bnot\s+(?:enough|clear|known|recorded|seen|visited|considered|addressed|identified|completed|updated)": -2.0,
}
_POS_CUES: dict[str, float] = {
    r"\b(?:good|better|best)\b": 1.5,
    r"\boutstanding\b": 2.0,
    r"\b(?:effective(?:ly)?|efficient(?:ly)?)\b": 1.5,
    r"\b(?:strong(?:ly)?|strength|strengths|robust(?:ly)?)\b": 1.5,
    r"\bwell\b": 1.0,
    r"\b(?:timely|prompt(?:ly)?|swift(?:ly)?|quickly)\b": 1.0,
    r"\b(?:thorough(?:ly)?|comprehensive|detailed|high[- ]quality|skilled|skilful(?:ly)?)\b": 1.2,
    r"\b(?:improved|improving|improvement\s+in|improvements)\b": 0.8,
    r"\b(?:benefit|benefits|benefited|benefiting)\s+from\b": 1.2,
    r"\b(?:appropriate(?:ly)?|clear(?:ly)?|consistent(?:ly)?|regular(?:ly)?|purposeful(?:ly)?)\b": 0.7,
    r"\b(?:positive(?:ly)?|sensitive(?:ly)?|creative(?:ly)?|innovative|ambitious|tenacious|committed)\b": 1.0,
    r"\b(?:valued|value)\b": 0.5,
    r"\b(?:embedded|well[- ]established|established)\b": 0.6,
    r"\b(?:safe|safer|safely|protected)\b": 0.5,
    r"\b(?:manageable|stable|settled)\b": 1.0,
    r"\b(?:accurate(?:ly)?|insightful|reflective|child[- ]centred|child[- ]focused)\b": 1.0,
    r"\bmake(?:s)?\s+(?:good|strong|excellent)\s+progress\b": 1.5,
    r"\bmaking\s+(?:a\s+)?(?:real\s+)?difference\b": 1.2,
    r"\b(?:excellent|exceptional|impressive|highly)\b": 1.5,
}
_NEGATORS = re.compile(
    r"\b(?:not|no|never|nor|neither|without|lack\s+of|absence\s+of|rather\s+than|instead\s+of|no\s+longer"
    r"|isn't|aren't|doesn't|don't|hasn't|haven't|wasn't|weren't|cannot|can't)\b",
    re.I,
)
# negative words that, when negated, read as a strength: "no evidence of drift", "without delay"
_NEGATED_NEG = re.compile(
    r"\b(?:no|without|never)\s+(?:\w+\s+){0,3}?(?:delay|drift|concern|concerns|gaps?|backlogs?|waiting\s+lists?"
    r"|unallocated|evidence\s+of\s+(?:drift|delay)|children\s+(?:were\s+)?(?:found\s+)?(?:to\s+be\s+)?at\s+risk)\b"
    r"|\bno\s+(?:children|child)\s+(?:were|was)\s+(?:found|seen|identified)\s+(?:to\s+be\s+)?at\s+(?:immediate\s+)?risk",
    re.I,
)
_CONTRAST_LEAD = re.compile(r"^\s*(?:however|but|nevertheless|nonetheless|despite\s+this|that\s+said)\b,?", re.I)
_CONCESSIVE = re.compile(r"^\s*(?:although|though|while|whilst|despite|even\s+though|notwithstanding)\b", re.I)
_BUT = re.compile(r",?\s+\b(?:but|however|although|though|while|whilst|yet)\b,?\s+", re.I)

_COMPILED: list[tuple[re.Pattern[str], float]] = []


def _cues() -> list[tuple[re.Pattern[str], float]]:
    if not _COMPILED:
        for table in (_NEG_CUES, _POS_CUES):
            for pat, weight in table.items():
                if weight:
                    _COMPILED.append((re.compile(pat, re.I), weight))
    return _COMPILED


def _score(clause: str) -> tuple[float, str]:
    """Sum of cue weights in a clause; a positive cue in the scope of a negator counts as negative."""
    total = 0.0
    best = ("", 0.0)
    taken: list[tuple[int, int]] = []
    for m in _NEGATED_NEG.finditer(clause):
        total += 1.5
        taken.append(m.span())
        if abs(1.5) > abs(best[1]):
            best = (m.group(0), 1.5)
    for pat, weight in _cues():
        for m in pat.finditer(clause):
            if any(s <= m.start() < e for s, e in taken):
                continue
            w = weight
            if weight > 0:
                window = clause[max(0, m.start() - 40): m.start()]
                negs = list(_NEGATORS.finditer(window))
                if negs and not re.search(r"[,;]", window[negs[-1].end():]):
                    w = -weight  # "not effective", "no clear plan", "not always good"
            taken.append(m.span())
            total += w
            if abs(w) > abs(best[1]):
                best = (m.group(0), w)
    return total, best[0]


def split_clauses(sentence: str) -> tuple[str, str]:
    """(concession, main) for contrastive sentences; ("", sentence) otherwise."""
    if _CONCESSIVE.match(sentence):
        comma = sentence.find(",")
        if comma > 0:
            return sentence[:comma], sentence[comma + 1:]
    m = _BUT.search(sentence)
    if m and m.start() > 15:
        return sentence[: m.start()], sentence[m.end():]
    return "", sentence


def classify(sentence: str, previous: Polarity | None = None) -> Polarity:
    """Polarity of ``sentence``; ``previous`` is the polarity of the sentence before it."""
    concession, main = split_clauses(sentence)
    main_score, main_cue = _score(main)
    conc_score, conc_cue = _score(concession) if concession else (0.0, "")
    score = main_score + 0.3 * conc_score
    cue = main_cue or conc_cue
    lead = _CONTRAST_LEAD.match(sentence)
    if lead and abs(score) < 1.0 and previous is not None and previous.label != "neutral":
        # "However, ..." with no strong cue of its own reads against the previous sentence
        score = -1.0 if previous.label == "strength" else 1.0
        cue = lead.group(0).strip(", ")
    elif lead and score == 0:
        score, cue = -0.5, lead.group(0).strip(", ")
    if score <= -1.0:
        label = "weakness"
    elif score >= 1.0:
        label = "strength"
    else:
        label = "neutral"
    confidence = round(min(0.95, 0.5 + abs(score) / 8), 2) if label != "neutral" else round(
        max(0.3, 0.6 - abs(score) / 4), 2)
    return Polarity(label, cue, confidence, round(score, 2))


_ABBREV = re.compile(r"\b(?:e\.g|i\.e|etc|vs|no|para|paras|approx|Mr|Mrs|Ms|Dr|St)\.$", re.I)


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans (absolute offsets) in ``text``; keeps "e.g." and decimals intact."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer(r"[.!?]['’\"”)]*(?=\s+[A-Z‘'“(\d]|\s*$)", text):
        end = m.end()
        if _ABBREV.search(text[start:end]):
            continue
        if text[start:end].strip():
            spans.append((offset + start, offset + end))
        start = end
    if text[start:].strip():
        spans.append((offset + start, offset + len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s - offset].isspace():
            s += 1
        out.append((s, e))
    return out
