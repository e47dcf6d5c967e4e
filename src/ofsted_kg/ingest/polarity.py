"""Polarity of a finding sentence: weakness, strength or neutral, aware of negation and contrast.

Rule-based: weighted cue words and phrases, negation that flips the praise it governs ("not
effective", "no clear plan") and clears the criticism it governs ("no evidence of drift",
"without delay"), and contrast ("Although X is good, Y is poor"; "..., but ..."; "However, ..."),
where the clause after the contrast decides. Returns the decisive cue and a confidence, which
are kept as evidence in the graph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

__all__ = ["Polarity", "classify", "split_sentences"]


@dataclass(frozen=True)
class Polarity:
    label: str  # weakness | strength | neutral
    cue: str  # the words that decided it
    confidence: float
    score: float


def _words(weight: float, *words: str) -> dict[str, float]:
    return dict.fromkeys(words, weight)


#: single cue words (lower case) and their weights: < 0 weakness, > 0 strength
WORDS: dict[str, float] = {
    **_words(-2.0, "insufficient", "insufficiently", "poor", "poorly", "weak", "weaker", "weakness", "weaknesses",
             "fail", "fails", "failed", "failing", "failure", "failures", "underdeveloped", "under-developed",
             "ineffective", "unreliable", "inaccurate", "unclear", "untimely", "underused", "under-used"),
    **_words(-2.5, "inadequate", "inadequately"),
    **_words(-1.5, "lack", "lacks", "lacking", "variable", "variability", "inconsistent", "inconsistently",
             "inconsistency", "inconsistencies", "delay", "delays", "delayed", "drift", "gap", "gaps", "deficit",
             "deficits", "shortfall", "shortfalls", "shortcoming", "shortcomings", "deficiencies", "rarely",
             "deteriorated", "deteriorating", "deterioration", "declined", "declining", "worsened", "worsening",
             "over-optimistic", "over-optimism", "overoptimistic", "naivety", "naive", "unnecessary",
             "unacceptable", "unacceptably", "inappropriate", "inappropriately", "backlog", "backlogs"),
    **_words(-1.0, "limited", "slow", "slower", "unable", "too", "patchy", "fragile", "overly"),
    **_words(-0.8, "concern", "concerns", "concerning", "worry", "worrying"),
    **_words(-0.7, "struggle", "struggles", "struggling", "difficult", "difficulty", "difficulties", "challenge",
             "challenges", "challenging"),
    **_words(2.0, "outstanding", "excellent", "exceptional"),
    **_words(1.5, "good", "better", "best", "effective", "effectively", "efficient", "efficiently", "strong",
             "strongly", "strength", "strengths", "robust", "robustly", "impressive", "highly"),
    **_words(1.2, "thorough", "thoroughly", "comprehensive", "detailed", "skilled", "skilful", "skilfully",
             "high-quality"),
    **_words(1.0, "well", "timely", "prompt", "promptly", "swift", "swiftly", "quickly", "positive", "positively",
             "sensitive", "sensitively", "creative", "creatively", "innovative", "ambitious", "tenacious",
             "committed", "manageable", "stable", "settled", "accurate", "accurately", "insightful", "reflective",
             "child-centred", "child-focused", "well-established", "well-managed", "well-coordinated"),
    **_words(0.8, "improved", "improving", "improvements"),
    **_words(0.7, "appropriate", "appropriately", "clear", "clearly", "consistent", "consistently", "regular",
             "regularly", "purposeful", "purposefully"),
    **_words(0.6, "embedded", "established"),
    **_words(0.5, "valued", "safe", "safer", "safely", "protected"),
}

#: multi-word cues: (trigger words, pattern, weight); matched before single words
_PHRASES: list[tuple[frozenset[str], str, float]] = [
    (frozenset({"not"}), r"not\s+(?:yet\s+)?(?:always|consistently|routinely|sufficiently|fully|all|well|"
                         r"effective(?:ly)?|robust(?:ly)?|timely|clear(?:ly)?|enough|known|recorded|seen|visited|"
                         r"considered|addressed|identified|completed|updated|embedded|in\s+place)", -2.0),
    (frozenset({"not", "n't"}), r"(?:is|are|was|were|has|have|does|do|did|had|can)(?:\s+not|n['’]t)(?:\s+yet)?\b",
     -1.5),
    (frozenset({"not"}), r"not\s+yet\b", -1.5),
    (frozenset({"yet"}), r"\b(?:has|have|had|is|are|was|were)\s+yet\s+to\b", -1.5),
    (frozenset({"no"}), r"\bno\s+(?:clear|effective|formal|routine|consistent|system|strategy|plan|oversight|"
                        r"evidence\s+that|agreed)", -1.5),
    (frozenset({"too"}), r"\btoo\s+(?:many|much|long|slow|high|variable|few|little|late|often|early|lengthy|"
                         r"narrow|generic)", -2.0),
    (frozenset({"improvement"}), r"\brequires?\s+improvement", -2.0),
    (frozenset({"need", "needs"}), r"\bneeds?\s+to\s+(?:improve|be\s+(?:improved|strengthened))", -2.0),
    (frozenset({"caseload", "caseloads"}), r"\b(?:high|excessive|large|rising|heavy)\s+caseloads?\b|\bcaseloads?\s+"
                                           r"(?:are|is|remain)\s+(?:too\s+)?high\b", -2.0),
    (frozenset({"remain", "remains", "remained"}), r"\bremain(?:s|ed)?\s+(?:a\s+)?(?:challenge|concern|weak|poor|"
                                                   r"high|variable|inconsistent|underdeveloped)", -2.0),
    (frozenset({"still", "continue", "continues", "continued"}),
     r"\b(?:still|continue[sd]?\s+to\s+be)\s+(?:a\s+)?(?:challenge|concern|weak|poor|high|variable|issue|problem)",
     -2.0),
    (frozenset({"only"}), r"\bonly\s+(?:adequate|partially|some)\b", -1.0),
    (frozenset({"serious", "widespread"}), r"\b(?:serious|widespread)\s+(?:weakness|failure|concern)", -2.5),
    (frozenset({"missed"}), r"\bmissed\s+opportunit", -1.5),
    (frozenset({"benefit", "benefits", "benefited", "benefiting", "benefitting"}),
     r"\bbenefit(?:s|ed|ing|ting)?\s+from\b", 1.2),
    (frozenset({"progress"}), r"\bmak(?:e|es|ing)\s+(?:good|strong|excellent)\s+progress\b", 1.5),
    (frozenset({"difference"}), r"\bmaking\s+(?:a\s+)?(?:real\s+)?difference\b", 1.2),
    (frozenset({"high"}), r"\bhigh[\s-]quality\b", 1.2),
]
_NEGATORS = frozenset({"not", "no", "never", "nor", "neither", "without", "lack", "absence", "isn't", "aren't",
                       "doesn't", "don't", "hasn't", "haven't", "wasn't", "weren't", "cannot", "can't", "rather"})
# criticism that is negated reads as a strength: "no evidence of drift", "without delay"
_NEGATED_NEG = re.compile(
    r"\b(?:no|without|never)\s+(?:\w+\s+){0,3}?(?:delay|drift|concern|concerns|gaps?|backlogs?|waiting\s+lists?|"
    r"unallocated|evidence\s+of\s+(?:drift|delay))\b|\bno\s+(?:children|child)\s+(?:were|was)\s+(?:found|seen|"
    r"identified)\s+(?:to\s+be\s+)?at\s+(?:immediate\s+)?risk",
    re.I,
)
_NOT_YET = _NEGATORS | {"has", "have", "had", "is", "are", "was", "were", "be", "been"}
_TOKEN = re.compile(r"[a-z]+(?:['’-][a-z]+)*|[,;:]")
_CONTRAST_LEAD = re.compile(r"^\s*(?:however|but|nevertheless|nonetheless|despite\s+this|that\s+said)\b,?", re.I)
_CONCESSIVE = re.compile(r"^\s*(?:although|though|while|whilst|despite|even\s+though|notwithstanding)\b", re.I)
# "yet" contrasts only as a conjunction after a comma or "and" ("..., yet plans lack ..."); "not yet",
# "has yet to" and "as yet" are the negative cues below
_BUT = re.compile(r",?\s+\b(?:but|however|although|though|while|whilst)\b,?\s+|(?:,|;|\s+and)\s+yet\b,?\s+(?!to\b)",
                  re.I)


@cache
def _phrases() -> list[tuple[frozenset[str], re.Pattern[str], float]]:
    return [(triggers, re.compile(pat, re.I), weight) for triggers, pat, weight in _PHRASES]


def _score(clause: str) -> tuple[float, str]:
    """Sum of cue weights in a clause; praise in the scope of a negator counts against."""
    low = clause.lower().replace("’", "'")
    tokens = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(low)]
    present = {t for t, _, _ in tokens}
    if "n't" in low:
        present.add("n't")
    total = 0.0
    best = ("", 0.0)
    taken: list[tuple[int, int]] = []
    for m in _NEGATED_NEG.finditer(low):
        total += 1.5
        taken.append(m.span())
        best = (clause[m.start():m.end()], 1.5)
    for triggers, pattern, weight in _phrases():
        if triggers & present:
            for m in pattern.finditer(low):
                if any(s <= m.start() < e or m.start() <= s < m.end() for s, e in taken):
                    continue
                taken.append(m.span())
                total += weight
                if abs(weight) > abs(best[1]):
                    best = (clause[m.start():m.end()], weight)
    # "not yet" / "has yet to" governs its whole clause: praise after it is not yet achieved ("have not yet
    # ensured that all children receive timely help"), praise before it names what is awaited ("a comprehensive
    # scheme has yet to be formalised")
    clause_no, clauses_not_yet = 0, {}
    for i, (tok, _, _) in enumerate(tokens):
        if tok in ",;:":
            clause_no += 1
        elif tok == "yet" and i and tokens[i - 1][0] in _NOT_YET:
            clauses_not_yet.setdefault(clause_no, i)
    clause_no = 0
    for i, (tok, start, end) in enumerate(tokens):
        if tok in ",;:":
            clause_no += 1
            continue
        weight = WORDS.get(tok)
        if weight is None or any(s <= start < e for s, e in taken):
            continue
        if weight > 0 and clause_no in clauses_not_yet:
            weight = -weight if i > clauses_not_yet[clause_no] else 0.0
        elif weight > 0:
            for prev, _, _ in reversed(tokens[max(0, i - 6): i]):
                if prev in ",;:":
                    break
                if prev in _NEGATORS:
                    weight = -weight  # "not effective", "no clear plan"
                    break
        total += weight
        if abs(weight) > abs(best[1]):
            best = (clause[start:end], weight)
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
    if score <= -1.0:
        label = "weakness"
    elif score >= 1.0:
        label = "strength"
    else:
        label = "neutral"
    if label == "neutral":
        confidence = round(max(0.3, 0.6 - abs(score) / 4), 2)
    else:
        confidence = round(min(0.95, 0.5 + abs(score) / 8), 2)
    return Polarity(label, cue, confidence, round(score, 2))


_ABBREV = re.compile(r"\b(?:e\.g|i\.e|etc|vs|no|para|paras|approx|Mr|Mrs|Ms|Dr|St)\.$", re.I)
_SENTENCE_END = re.compile(r"[.!?]['’\"”)]*(?=\s+[A-Z‘'“(\d\u2022]|\s*$)")


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans (absolute offsets) in ``text``; keeps "e.g." and decimals intact."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end()
        if _ABBREV.search(text, start, end):
            continue
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        out.append((offset + s, offset + e))
    return out
