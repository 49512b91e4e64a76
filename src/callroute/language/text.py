"""Normalisation of CAD narratives before they become features.

Three jobs, all applied inside the fitted pipeline so training and serving cannot
diverge (STYLE.md, "persist one fitted object"):

1. **Remove demographic descriptors** ("W/M 30S", "B/F", "HISPANIC MALE") so that race
   and sex can never move the risk (DOMAIN.md, Fairness). Age words are kept: a
   juvenile or an elderly person changes what responders need.
2. **Expand CAD shorthand** ("RP", "SUBJ", "WPNS", "ETOH", "5150") to plain words,
   so the agency's shorthand and a call-taker's full sentences share features.
3. **Mark negation scope**: after "no", "denies", "neg", "doesn't"... the words a cue reaches
   become ``not_<token>``, so "NEG WPNS" and "HAS WPNS" differ. The cues and their reach are the
   red-line rules' own (lexicons/negation.toml): over bridge words ("doesn't have a gun") to the first
   other word and no further ("won't stop hitting her": "hitting" is not negated).
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
    # offence codes as call types and CAD headers abbreviate them ("ASLT - IP/JO", "AGG ASLT", "DOM VIOL")
    "aslt": "assault",
    "asslt": "assault",
    "agg": "aggravated",
    "viol": "violence",
    "robb": "robbery",
}

_NEGATION = lexicons.load("negation")
_NEGATION_CUES = frozenset(_NEGATION["before"])
_POST_NEGATION = frozenset(_NEGATION["after"])
_BRIDGE = frozenset(_NEGATION["bridge"])
_NEGATED_NOUNS = frozenset(_NEGATION["negated_nouns"])
_NOUN_COMPLEMENTS = frozenset(_NEGATION["noun_complements"])
_CLAUSE_BREAKS = frozenset(_NEGATION["clause_breaks"])
_COORDINATORS = frozenset({"or", "nor", "and"})
_NEGATION_REACH = 6  # tokens, as the rules' window_tokens
_TOKEN = re.compile(r"w/o|w/|\d+(?:\.\d+)?[a-z]?|[a-z]+(?:'[a-z]+)?|[.;:!?,]")


def _not_violence() -> tuple[re.Pattern[str], dict[str, str], tuple[str, ...]]:
    """Expressions with a word of violence that are not violence ("panic attack") and what is left of each.

    Also the dropped words themselves: when none is in a text (most narratives), the regex is not run.
    """
    entries = lexicons.load("violence")["not_violence"]
    kept = {" ".join(p.split()): " ".join(w for w in p.split() if w != dropped) for p, dropped in entries}
    alternation = "|".join(r"\s+".join(map(re.escape, p.split())) for p in sorted(kept, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternation})\b"), kept, tuple(sorted({dropped for _, dropped in entries}))


_NOT_VIOLENCE, _NOT_VIOLENCE_KEPT, _NOT_VIOLENCE_WORDS = _not_violence()


def drop_non_violent_uses(text: str) -> str:
    """Lower-case ``text`` with the violence word of "panic attack", "shooting pains" ... removed."""
    if not any(word in text for word in _NOT_VIOLENCE_WORDS):
        return text
    return _NOT_VIOLENCE.sub(lambda m: _NOT_VIOLENCE_KEPT[" ".join(m.group(0).split())], text)


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

    Sex- and race-carrying words are neutralised (language.fairness) before anything else sees them;
    negation is read on the neutral words, so it cannot differ between "he" and "she" either.
    """
    text = drop_non_violent_uses(remove_multiword_race(mask_demographics(narrative)).lower().replace("\u2019", "'"))
    # clause -> (source token, key, its words): shorthand can expand to several ("si" -> "suicidal ideation")
    clauses: list[list[tuple[str, str, list[str]]]] = [[]]
    opened_by = [""]  # the punctuation each clause follows
    for token in _TOKEN.findall(text):
        if token in ".;:!?,":
            clauses.append([])
            opened_by.append(token)
            continue
        words = _TOKEN_WORDS.get(token)
        if words is None:
            words = [neutral for word in SHORTHAND.get(token, token).split() if (neutral := neutralise(word))]
            if len(_TOKEN_WORDS) < _TOKEN_CACHE:
                _TOKEN_WORDS[token] = words  # a pure function of the token: the same words recur in every call
        if not words:
            continue
        if len(words) == 1 and words[0] in _CLAUSE_BREAKS:
            clauses.append([])
            opened_by.append("")
        # Negation reads the neutral word ("they", never "he" or "she"); a shorthand group keeps its source.
        clauses[-1].append((token, words[0] if len(words) == 1 else token, words))
    out: list[list[str]] = []
    kept: list[tuple[list[tuple[str, str, list[str]]], str]] = []
    for clause, opener in zip(clauses, opened_by, strict=True):
        if clause:
            out.append(_mark_negation(clause, out[-1] if opener == ":" and out else None))
            kept.append((clause, opener))
    if "?" in opened_by or ":" in opened_by:
        _negate_answered(out, kept)
    return out


#: A bare "no" answering a question or a form field ("IS HE ARMED? NO", "SUSP ARMED: N", "A: No, not that I can
#: see"): the question's words, or the field's last word, are denied. Labels of a transcript ("A:", "RP:") are
#: skipped to reach the question. The red-line rules read the same answers (rules/engine.py).
_ANSWER_NO = frozenset({"no", "n", "nope", "nah", "neg", "negative", "none", "denies", "denied"})
_ANSWER_GOES_ON = frozenset({"not", "that", "they", "they's", "they're", "i", "we", "just", "caller", "sir", "none",
                             "but"})
_ANSWER_LABELS = frozenset({"a", "ans", "answer", "rp", "caller", "clr", "ct", "r", "c"})
#: A colon after a verb of saying opens a quote, not a field: 'Caller says: "No, he's not armed."'
_SPEECH = frozenset({"says", "said", "states", "stated", "reports", "reported", "advises", "advised", "adds", "added",
                     "yells", "yelled", "screams", "screamed", "tells", "told", "writes", "wrote", "texted", "asks",
                     "asked", "replies", "replied", "answers", "answered", "explains", "explained", "shouts",
                     "shouted", "continues", "continued", "saying", "stating", "reporting", "advising"})


def _negate_answered(out: list[list[str]], kept: list[tuple[list[tuple[str, str, list[str]]], str]]) -> None:
    for k, (clause, opener) in enumerate(kept):
        keys = [key for _, key, _ in clause]
        bare = (keys[0] in _ANSWER_NO and (len(keys) == 1 or keys[1] in _ANSWER_GOES_ON)) or keys[:2] == ["not", "that"]
        if opener not in ("?", ":") or not bare:
            continue
        target, asked_by = k - 1, opener
        while target >= 0 and len(kept[target][0]) == 1 and kept[target][0][0][1] in _ANSWER_LABELS:
            asked_by = kept[target][1]
            target -= 1
        if target < 0 or asked_by not in ("?", ":"):
            continue
        words = out[target]
        if asked_by == ":" and words[-1] in _SPEECH:
            continue
        # A question is denied whole ("is anyone hurt? no"); a form field only in its last word ("SUSP ARMED: N").
        span = range(len(words)) if asked_by == "?" else range(len(words) - 1, len(words))
        for i in span:
            if not words[i].startswith("not_"):
                words[i] = f"not_{words[i]}"


#: token -> its neutral words (shorthand expanded): remembered, at most _TOKEN_CACHE tokens. Read-only lists.
_TOKEN_WORDS: dict[str, list[str]] = {}
_TOKEN_CACHE = 200_000


def _mark_negation(clause: list[tuple[str, str, list[str]]], previous: list[str] | None) -> list[str]:
    """Prefix ``not_`` to the words a negation cue reaches (the red-line rules' reach, lexicons/negation.toml).

    ``previous`` is the clause before a colon ("WPNS: NEG"): a post-negation opening this clause
    negates the noun that ends it (edited in place).
    """
    keys = [key for _, key, _ in clause]
    negated = [False] * len(clause)
    i = 0
    while i < len(clause):
        if keys[i] not in _NEGATION_CUES:
            i += 1
            continue
        noun_before = keys[i - 1] if i > 0 else (previous[-1] if previous else None)
        if clause[i][0] in _POST_NEGATION and noun_before in _NEGATED_NOUNS:
            if i > 0:
                negated[i - 1] = True
            else:
                previous[-1] = f"not_{previous[-1]}"  # type: ignore[index]
            i += 1
            continue  # "WPNS NEG HE IS BEATING HER": the cue belongs to the noun and reaches no further
        j = i + 1
        while j < len(clause) and j - i <= _NEGATION_REACH and keys[j] not in _NEGATION_CUES:
            negated[j] = True
            if keys[j] in _NEGATED_NOUNS:
                follows = keys[j + 1] if j + 1 < len(clause) else None
                if follows not in _COORDINATORS and follows not in _NEGATED_NOUNS:
                    if follows in _NOUN_COMPLEMENTS:
                        negated[j + 1] = True  # "no weapons seen"
                    break  # "DENIES WPNS PHYSICAL DV": the denial's object is the weapons noun ("SI/HI" goes on)
            elif keys[j] not in _BRIDGE:
                break  # the first word that is not a bridge is the last one reached
            j += 1
        i = j if j < len(clause) and keys[j] in _NEGATION_CUES else j + 1
    return [f"not_{word}" if negated[k] else word for k, (_, _, words) in enumerate(clause) for word in words]


def is_negation_cue(token: str) -> bool:
    """True for a negation cue ("no", "denies", "doesn't"): lexicons/negation.toml, shared with the rules."""
    return token in _NEGATION_CUES


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
    for clause in clauses:
        plain = [_is_function(token) for token in clause]
        for n in range(1, n_max + 1):
            for i in range(len(clause) - n + 1):
                if not all(plain[i : i + n]):
                    grams.append(" ".join(clause[i : i + n]))
    return grams


def _is_function(token: str) -> bool:
    """A function word or negation cue, negated or not ("they", "not_a", "doesn't")."""
    word = token[4:] if token.startswith("not_") else token
    return word in _FUNCTION_WORDS or word in _NEGATION_CUES


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
