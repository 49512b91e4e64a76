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

from callroute.language.text import _NEGATION_CUES
from callroute.schema import Contribution, Explanation

FIELD_LABELS = {
    "call_type": "call type",
    "district": "district",
    "caller_type": "caller",
    "priority": "priority",
    "time": "time of day",
    "premise": "prior calls at location",
}


def readable_term(term: str) -> str:
    """Show a normalised n-gram as words: ``no not_weapons`` -> ``no weapons``."""
    words: list[str] = []
    negated_context = False
    for token in term.split(" "):
        if token.startswith("not_"):
            word = token[4:]
            words.append(word if negated_context else f"no {word}")  # "no weapons seen", as CAD writes it
            negated_context = True
        else:
            words.append(token)
            negated_context = token in _NEGATION_CUES
    return " ".join(words)


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
    tokens = {term: tuple(term.split(" ")) for term in contributions}
    # Every shorter n-gram inside each term, pointing back at the terms that contain it.
    containers: dict[tuple[str, ...], set[str]] = {}
    for term, toks in tokens.items():
        for n in range(1, len(toks)):
            for i in range(len(toks) - n + 1):
                containers.setdefault(toks[i : i + n], set()).add(term)
    parent: dict[str, str] = {}
    for term, toks in tokens.items():
        containing = containers.get(toks)
        if containing:
            parent[term] = max(containing, key=lambda t: (abs(contributions[t]), t))

    def root(term: str) -> str:
        while term in parent:
            term = parent[term]
        return term

    merged: dict[str, float] = {}
    for term, value in contributions.items():
        merged[root(term)] = merged.get(root(term), 0.0) + value
    return merged


def build_explanation(
    score: float, base: float, terms: dict[str, float], night: dict[str, float], fields: dict[str, float],
    field_values: dict[str, str], *, top_k: int = 8,
) -> Explanation:
    """The explanation of one call from its itemised score (:class:`callroute.model.compiled.Breakdown`).

    ``terms`` are narrative n-grams, meaning words and letter n-grams already given back to words;
    n-grams inside longer present ones are merged into them (sums kept). ``rest`` is the sum of the
    unlisted terms, *not* ``score`` minus the listed ones, so a wrong contribution shows up as a
    broken invariant instead of hiding in ``rest``.
    """
    items = [(f"narrative: {readable_term(phrase)}", value) for phrase, value in merge_ngrams(terms).items()]
    items += [(f"narrative at night: {readable_term(word)}", value) for word, value in night.items()]
    items += [(f"{FIELD_LABELS.get(name, name)}: {field_values.get(name, 'unknown')}", value)
              for name, value in fields.items()]
    # Terms that do not move the score (an unknown field is encoded as the average) are not listed.
    items.sort(key=lambda item: abs(item[1]), reverse=True)
    listed = [t for t in items if abs(t[1]) > 1e-9][:top_k]
    hidden = items[len(listed) :]  # sorted by size, so this is everything not listed
    return Explanation(
        score=score,
        base=base,
        rest=float(sum(c for _, c in hidden)),
        contributions=[Contribution(feature=f, contribution=c) for f, c in listed],
    )
