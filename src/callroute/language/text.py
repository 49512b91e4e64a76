"""Normalisation of CAD narratives before they become features.

Three jobs, all applied inside the fitted pipeline so training and serving cannot
diverge (STYLE.md, "persist one fitted object"):

1. **Remove demographic descriptors** ("W/M 30S", "B/F", "HISPANIC MALE") so that race
   and sex can never move the risk (DOMAIN.md, Fairness). Age words are kept: a
   juvenile or an elderly person changes what responders need.
2. **Expand CAD shorthand** ("RP", "SUBJ", "WPNS", "ETOH", "5150") to plain words,
   so the agency's shorthand and a call-taker's full sentences share features.
3. **Mark negation scope**: tokens after "no", "denies", "neg", "without"... become
   ``not_<token>`` until the clause ends, so "NEG WPNS" and "HAS WPNS" differ.
"""

from __future__ import annotations

import re

from callroute.language import lexicons
from callroute.language.fairness import neutralise, remove_multiword_race

_RACE = r"(?:W|B|H|A|I|N|O|U|WHT|BLK|HISP|ASN)"
_SEX = r"(?:M|F|MALE|FEMALE|MALES|FEMALES)"
_DEMOGRAPHIC_PATTERNS = [
    # W/M, B/F, H/M, WM/ ... with an optional age band glued on ("W/M30S").
    re.compile(rf"\b{_RACE}\s*/\s*{_SEX}\b", re.IGNORECASE),
    re.compile(
        r"\b(?:WHITE|BLACK|HISPANIC|LATINO|LATINA|LATINX|ASIAN|NATIVE|CAUCASIAN|AFRICAN[- ]AMERICAN|"
        r"PACIFIC ISLANDER|MIDDLE[- ]EASTERN)\b",
        re.IGNORECASE,
    ),
    # A lone sex letter, as in "ELDERLY F" or "JUV M 15".
    re.compile(r"(?<![/\w])[MF](?![/\w])", re.IGNORECASE),
]

#: CAD shorthand and penal-code numbers -> plain words. Keys are lower case tokens.
SHORTHAND: dict[str, str] = {
    "rp": "caller",
    "subj": "subject",
    "subjs": "subjects",
    "s1": "subject",
    "s2": "subject",
    "susp": "suspect",
    "sts": "states",
    "adv": "advises",
    "advs": "advises",
    "wpn": "weapon",
    "wpns": "weapons",
    "weap": "weapon",
    "weaps": "weapons",
    "etoh": "alcohol",
    "intox": "intoxicated",
    "lka": "last known",
    "goa": "gone on arrival",
    "utl": "unable to locate",
    "unk": "unknown",
    "neg": "no",
    "w/": "with",
    "w/o": "without",
    "dv": "domestic violence",
    "si": "suicidal ideation",
    "od": "overdose",
    "ods": "overdose",
    "hx": "history",
    "meds": "medication",
    "yoa": "years old",
    "yo": "years old",
    "veh": "vehicle",
    "unresp": "unresponsive",
    "resp": "responsive",
    "req": "requests",
    "reqs": "requests",
    "updt": "update",
    "upd": "update",
    "bldg": "building",
    "apt": "apartment",
    "nfd": "no further description",
    "pd": "police",
    "leo": "police",
    "ofc": "officer",
    "ofcr": "officer",
    "psych": "psychiatric",
    "415": "disturbance",
    "5150": "psychiatric hold",
    "647f": "public intoxication",
    "314": "indecent exposure",
    "602": "trespass",
    "417": "brandishing weapon",
    "245": "assault deadly weapon",
    "adw": "assault deadly weapon",
    "273.5": "domestic violence",
}

_NEGATION_CUES = frozenset({"no", "not", "never", "denies", "denied", "deny", "without", "none", "negative"})
_CLAUSE_BREAKS = frozenset({"but", "however", "update", "now", "although", "though"})
_NEGATION_SCOPE = 3
_TOKEN = re.compile(r"w/o|w/|\d+(?:\.\d+)?[a-z]?|[a-z]+(?:'[a-z]+)?|[.;:!?,]")


def mask_demographics(narrative: str) -> str:
    """Remove race and sex descriptors.

    Removed rather than replaced by a placeholder: a placeholder would itself become a
    feature, and whether a caller described the person's race must not move the risk either.
    """
    for pattern in _DEMOGRAPHIC_PATTERNS:
        narrative = pattern.sub(" ", narrative)
    return narrative


def narrative_clauses(narrative: str) -> list[list[str]]:
    """Normalised tokens of each clause (clauses end at punctuation and at words such as "but").

    Sex- and race-carrying words are neutralised (language.fairness) before anything else sees them.
    """
    tokens = _TOKEN.findall(remove_multiword_race(mask_demographics(narrative)).lower())
    expanded: list[str] = []
    for token in tokens:
        for word in SHORTHAND.get(token, token).split():
            neutral = neutralise(word)
            if neutral:
                expanded.append(neutral)
    clauses: list[list[str]] = [[]]
    scope = 0
    for token in expanded:
        if token in ".;:!?," or token in _CLAUSE_BREAKS:
            scope = 0
            clauses.append([] if token in ".;:!?," else [token])
            continue
        if token in _NEGATION_CUES:
            clauses[-1].append(token)
            scope = _NEGATION_SCOPE
            continue
        if scope > 0:
            clauses[-1].append(f"not_{token}")
            scope -= 1
        else:
            clauses[-1].append(token)
    return [clause for clause in clauses if clause]


def normalize_narrative(narrative: str) -> str:
    """Return the normalised narrative as one token string."""
    return " ".join(token for clause in narrative_clauses(narrative) for token in clause)


def function_words() -> frozenset[str]:
    """Closed-class words (lexicons/function_words.toml): never a feature on their own."""
    return _FUNCTION_WORDS


_FUNCTION_WORDS = frozenset(lexicons.load("function_words")["words"]) | {"they's", "they'd", "they'll", "they're"}


def clause_ngrams(narrative: str, *, n_max: int = 2) -> list[str]:
    """Word n-grams (1..n_max) within clauses: "CONFUSED, NO WEAPONS" never yields "confused no".

    An n-gram made only of function words ("they is", "has") is left out: it tells a dispatcher
    nothing and would only carry whatever the training wording happened to pair it with.
    """
    return ngrams_from_clauses(narrative_clauses(narrative), n_max=n_max)


def ngrams_from_clauses(clauses: list[list[str]], *, n_max: int = 2) -> list[str]:
    """:func:`clause_ngrams` from clauses already split (the compiled scorer splits a narrative once)."""
    grams: list[str] = []
    skip = _FUNCTION_WORDS | _NEGATION_CUES
    for clause in clauses:
        for n in range(1, n_max + 1):
            for i in range(len(clause) - n + 1):
                window = clause[i : i + n]
                if not all(token in skip for token in window):
                    grams.append(" ".join(window))
    return grams


def meaning_words(narrative: str) -> list[str]:
    """The words of a narrative that carry meaning: normalised, not negated, not function words."""
    return meaning_words_of(narrative_clauses(narrative))


def meaning_words_of(clauses: list[list[str]]) -> list[str]:
    """:func:`meaning_words` from clauses already split."""
    return [t for clause in clauses for t in clause
            if not t.startswith("not_") and t not in _FUNCTION_WORDS and t not in _NEGATION_CUES]


def is_negation_only(term: str) -> bool:
    """True for an n-gram of negation cues and negated words only: "no not_weapons", "denies", "not_seen"."""
    tokens = term.split(" ")
    return bool(tokens) and all(t.startswith("not_") or t in _NEGATION_CUES for t in tokens)
