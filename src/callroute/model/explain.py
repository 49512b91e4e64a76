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

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from callroute.language.text import _NEGATION_CUES
from callroute.model.features import FeatureGroups
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
    by_length = sorted(contributions, key=lambda t: (-len(t.split(" ")), t))
    parent: dict[str, str] = {}
    for term in by_length:
        tokens = term.split(" ")
        containing = [
            longer for longer in by_length
            if len(longer.split(" ")) > len(tokens) and _contains(longer.split(" "), tokens)
        ]
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


def _contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


@dataclass
class LinearExplainer:
    """Splits a linear score into base, named contributions and rest."""

    coef: np.ndarray
    intercept: float
    column_means: np.ndarray  # training means of every output column (only structured ones are used)
    groups: FeatureGroups
    top_k: int = 8

    def __post_init__(self) -> None:
        structured = ~self.groups.text_columns
        self.base = float(self.intercept + self.coef[structured] @ self.column_means[structured])

    def explain(
        self, row: sp.csr_matrix, field_values: dict[str, str], score: float, normalised: str = "",
        narrative: str = "",
    ) -> Explanation:
        """Explanation of one transformed row whose model score is ``score``.

        ``normalised`` is the narrative as the features saw it (``text.normalize_narrative``),
        needed to give character n-grams back to the words they came from.

        ``rest`` is the sum of the unlisted terms, *not* ``score`` minus the rest, so a
        wrong contribution shows up as a broken invariant instead of hiding in ``rest``.
        """
        x = np.asarray(row.todense()).ravel()
        groups = self.groups
        present: dict[str, float] = {}
        n_words = len(groups.vocabulary)
        if n_words:
            for j in np.flatnonzero(x[groups.word_start : groups.word_start + n_words]) + groups.word_start:
                present[str(groups.vocabulary[j - groups.word_start])] = float(self.coef[j] * x[j])
        if groups.meaning is not None:
            # The meaning vector is a weighted sum of word vectors: each word gets its exact share.
            block = self.coef[groups.meaning_start : groups.meaning_start + groups.meaning.vectors_.dim]
            for word, share in groups.meaning.word_shares(narrative):
                present[word] = present.get(word, 0.0) + float(block @ share)
        if groups.char_start >= 0:
            n_chars = len(groups.char_vocabulary)
            hits = np.flatnonzero(x[groups.char_start : groups.char_start + n_chars]) + groups.char_start
            char_weights = {str(groups.char_vocabulary[j - groups.char_start]): float(self.coef[j] * x[j])
                            for j in hits}
            for word, value in attribute_char_ngrams(char_weights, normalised).items():
                present[word] = present.get(word, 0.0) + value
        terms = [(f"narrative: {readable_term(phrase)}", value) for phrase, value in merge_ngrams(present).items()]
        if groups.night_start >= 0:
            n_night = len(groups.night_vocabulary)
            for j in np.flatnonzero(x[groups.night_start : groups.night_start + n_night]) + groups.night_start:
                word = readable_term(str(groups.night_vocabulary[j - groups.night_start]))
                terms.append((f"narrative at night: {word}", float(self.coef[j] * x[j])))
        centred = self.coef * (x - self.column_means)
        for index, name in enumerate(self.groups.group_names):
            if name == "narrative":
                continue
            mask = self.groups.group_of_column == index
            value = field_values.get(name, "unknown")
            terms.append((f"{FIELD_LABELS.get(name, name)}: {value}", float(centred[mask].sum())))
        # Terms that do not move the score (an unknown field is encoded as the average) are not listed.
        terms.sort(key=lambda item: abs(item[1]), reverse=True)
        listed = [t for t in terms if abs(t[1]) > 1e-9][: self.top_k]
        hidden = terms[len(listed) :]  # sorted by size, so this is everything not listed
        return Explanation(
            score=score,
            base=self.base,
            rest=float(sum(c for _, c in hidden)),
            contributions=[Contribution(feature=f, contribution=c) for f, c in listed],
        )
