"""Exact additive explanations of the linear score.

For a logistic regression the score is ``intercept + sum_j coef_j * x_j``. We report

* ``base``: the score of a call with no narrative terms and *average* structured
  fields (``intercept + sum over structured columns of coef_j * mean_j``);
* one contribution per narrative term present (``coef_j * x_j``) and one per
  structured field (``sum over its columns of coef_j * (x_j - mean_j)``: how much
  this call's call type, time or premise history moves it from the average);
* ``rest``: the sum of contributions too small to list.

So ``base + sum(contributions) + rest == score`` exactly (up to float rounding).
"""

from __future__ import annotations

from callroute.language import lexicons
from callroute.language.text import function_words, is_negation_cue
from callroute.schema import Contribution, Explanation

FIELD_LABELS = {
    "call_type": "call type",
    "district": "district",
    "caller_type": "caller",
    "priority": "priority",
    "time": "time of day",
    "premise": "prior calls at location",
}


def _things_said_with_no() -> frozenset[str]:
    """Nouns a denial puts "no" before: every one-word weapon, the denied nouns of the negation lexicon."""
    weapons = {obj for obj, _, _ in lexicons.weapon_objects() if " " not in obj}
    extra = {"history", "violence", "injuries", "injury", "threats", "signs", "sign", "plan", "intent", "access",
             "drugs", "alcohol", "suicidal", "ideation", "homicidal"}
    return frozenset(weapons | set(lexicons.load("negation")["negated_nouns"]) | extra)


_SAID_WITH_NO = _things_said_with_no()
def _possessive(following: str) -> bool:
    """Whether the neutral "they" before ``following`` stood for his/her: before kin, or a word that is not a verb.

    The features cannot tell "he" from "his", so this reads the next word: a function word or a verb form
    ("says", "walked", "yelling") follows a subject; anything else ("medication", "knife") an owner.
    """
    if not following:
        return False
    if following in _KIN:
        return True
    verb_like = (following.endswith(("s", "ed", "ing")) or following in function_words() or is_negation_cue(following)
                 or following in _SUBJECT_NEXT)
    return not verb_like


#: Words that follow a subject, not an owner, and that the tests above miss (no verb suffix, not a function word):
#: irregular past forms ("he said", "she threw"), and states said of a person once "'s" is gone ("he's drunk" ->
#: "they drunk"): shown as "the person said", "the person drunk", never "the person's said".
_SUBJECT_NEXT = frozenset((
    "said", "told", "hit", "threw", "shot", "took", "got", "gave", "went", "came", "ran", "fell", "left", "kept",
    "put", "cut", "broke", "saw", "made", "sent", "stole", "bit", "hid", "held", "fought", "caught", "brought",
    "bought", "thought", "felt", "heard", "lost", "won", "drove", "drank", "ate", "slept", "spoke", "wrote", "woke",
    "stood", "sat", "struck", "swung", "tore", "beat", "sold", "found", "paid", "meant", "let", "set", "shut", "quit",
    "ought", "drunk", "high", "safe", "fine", "alone", "sad", "angry", "upset", "afraid", "calm", "asleep", "awake",
    "gone", "now", "gonna", "wanna", "tryna", "able", "unable", "ready", "sure", "alive", "dead", "hurt", "sick"
))


#: Neutral kin and relationship words (people.toml's third column): "they" before one of them is possessive.
_KIN = frozenset(neutral for _, _, neutral in lexicons.load("people")["pairs"] if neutral) - {"they", "them", "their",
                                                                                             "themself"}


def readable_term(term: str) -> str:
    """Show a normalised n-gram as words: ``no not_weapons`` -> ``no weapons``, ``not_a not_gun`` -> ``no gun``.

    A negated function word is left out when a negated word that carries meaning follows it ("no a gun"
    would read oddly); the first negated word shown gets "no" (a thing: weapons, history) or "not"
    (anything else: "not stop hitting") unless a cue already stands before it.
    """
    tokens = term.split(" ")
    words: list[str] = []
    negated_context = False
    for i, token in enumerate(tokens):
        if token.startswith("not_"):
            word = token[4:]
            later = [t[4:] for t in tokens[i + 1 :] if t.startswith("not_")]
            if word in function_words() and any(w not in function_words() for w in later):
                continue
            # "no weapons seen", "no gun" as CAD writes a denied thing; "not hurting" for anything else
            words.append(word if negated_context else f"{'no' if word in _SAID_WITH_NO else 'not'} {word}")
            negated_context = True
        else:
            shown = _NEUTRAL_SHOWN.get(token, token)
            following = tokens[i + 1].removeprefix("not_") if i + 1 < len(tokens) else ""
            if token == "they" and _possessive(following):
                shown = "the person's"  # "his sister" -> "they sibling" -> "the person's sibling"
            words.append(shown)
            negated_context = is_negation_cue(token)
    return " ".join(words)


#: The one neutral pronoun the features use for he/she/him/her/his ("they"), shown as a dispatcher would say it:
#: "hitting the person", not "hitting they" (the sex stays out of the reason as it stays out of the model).
_NEUTRAL_SHOWN = {"they": "the person", "they's": "the person's", "they'd": "the person'd",
                  "they'll": "the person'll", "themself": "themself"}


def attribute_char_ngrams(weights: dict[str, float], normalised: str) -> dict[str, float]:
    """Share each character n-gram's weight equally among the narrative's words that contain it.

    The sum is kept exactly; a dispatcher reads "knife" instead of " kni", "knif", "nife ".
    """
    words = list(dict.fromkeys(normalised.split()))
    padded = {w: f" {w} " for w in words}
    out: dict[str, float] = {}
    for gram, value in weights.items():
        owners = [w for w in words if gram in padded[w]] or words[:1]
        for w in owners:
            out[w] = out.get(w, 0.0) + value / len(owners)
    return out


def merge_ngrams(contributions: dict[str, float]) -> dict[str, float]:
    """Fold each n-gram into the longest present n-gram that contains it, summing contributions.

    "waving", "knife" and "waving knife" become one phrase "waving knife" carrying all three
    weights, so a dispatcher reads one reason instead of three overlapping ones. A shorter
    term inside several longer ones joins the one with the largest own contribution. Sums
    are kept exactly, so the explanation still adds up to the score.
    """
    # Every shorter n-gram inside each term of several words, pointing back at the terms that contain it
    # (tokens never hold a space, so a sub-n-gram joined with spaces is a term exactly when the words agree).
    containers: dict[str, list[str]] = {}
    for term in contributions:
        if " " not in term:
            continue
        toks = term.split(" ")
        for n in range(1, len(toks)):
            for i in range(len(toks) - n + 1):
                containers.setdefault(" ".join(toks[i : i + n]), []).append(term)
    if not containers:
        return dict(contributions)
    parent: dict[str, str] = {}
    for term in contributions:
        containing = containers.get(term)
        if containing:
            parent[term] = max(containing, key=lambda t: (abs(contributions[t]), t))

    merged: dict[str, float] = {}
    for term, value in contributions.items():
        while term in parent:  # up to the longest phrase that holds it
            term = parent[term]
        merged[term] = merged.get(term, 0.0) + value
    return merged


def _label(kind: str, key: str, field_values: dict[str, str]) -> str:
    if kind == "fact":
        return key  # already "fact: <label>"
    if kind == "narrative":
        return f"narrative: {readable_term(key)}"
    if kind == "night":
        return f"narrative at night: {readable_term(key)}"
    return f"{FIELD_LABELS.get(key, key)}: {field_values.get(key, 'unknown')}"


def build_explanation(
    score: float, base: float, terms: dict[str, float], night: dict[str, float], fields: dict[str, float],
    field_values: dict[str, str], *, top_k: int = 8, facts: dict[str, float] | None = None,
) -> Explanation:
    """The explanation of one call from its itemised score (:class:`callroute.model.compiled.Breakdown`).

    ``terms`` are narrative n-grams, meaning words and letter n-grams already given back to words;
    n-grams inside longer present ones are merged into them (sums kept). ``rest`` is the sum of the
    unlisted terms, *not* ``score`` minus the listed ones, so a wrong contribution shows up as a
    broken invariant instead of hiding in ``rest``.
    """
    # Labels are made for the listed items only: a readable phrase costs microseconds, a call has dozens of terms.
    items: list[tuple[str, str, float]] = [("fact", label, value) for label, value in (facts or {}).items()]
    items += [("narrative", phrase, value) for phrase, value in merge_ngrams(terms).items()]
    items += [("night", word, value) for word, value in night.items()]
    items += [("field", name, value) for name, value in fields.items()]
    # Terms that do not move the score (an unknown field is encoded as the average) are not listed.
    items.sort(key=lambda item: abs(item[2]), reverse=True)
    listed = [t for t in items if abs(t[2]) > 1e-9][:top_k]
    hidden = items[len(listed) :]  # sorted by size, so this is everything not listed
    return Explanation(
        score=score,
        base=base,
        rest=float(sum(c for _, _, c in hidden)),
        contributions=[Contribution(feature=_label(kind, key, field_values), contribution=c)
                       for kind, key, c in listed],
    )
