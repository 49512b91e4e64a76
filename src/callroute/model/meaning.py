"""Narrative meaning: a weighted mean of static word vectors distilled from all-MiniLM-L6-v2.

"pistol" and "firearm" land near "gun" although training calls only ever said "gun", so a
model reading these columns holds on words it never saw. The vector of a narrative is
``sum_w a_w v_w`` with ``a_w = weight_w / max(sum weights, min_total)`` over its words (function
words and negated words left out; ``min_total`` shrinks the mean of very short narratives toward 0),
so a linear model's score over these columns splits exactly into one contribution per word:
``scale * a_w * (coef . v_w)``.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from callroute.language.text import meaning_words
from callroute.language.vectors import StaticVectors, load_static_vectors


class MeaningVectorizer(TransformerMixin, BaseEstimator):
    """Narrative -> ``dim`` dense columns (weighted mean of word vectors, times ``scale``).

    ``scale`` sets how strongly the model may use meaning against the word n-grams beside it:
    both share one L2 penalty, and larger columns cost less penalty for the same effect.
    """

    def __init__(self, *, dim: int = 256, scale: float = 1.0, min_words: float = 0.0) -> None:
        self.dim = dim
        self.scale = scale
        self.min_words = min_words

    def fit(self, X, y=None) -> MeaningVectorizer:
        """Attach the distilled vectors (built once per machine and cached; nothing is learned here)."""
        _narratives(X)  # the same input check as transform
        self.n_features_in_ = 1
        self.vectors_: StaticVectors = load_static_vectors(self.dim)
        # A narrative of few words is averaged as if it had at least ``min_words`` words of typical weight
        # (the rest meaning nothing): one odd word of a four-word call cannot carry a quarter of the meaning.
        weights = self.vectors_.weights[self.vectors_.weights > 0]
        self.min_total_ = float(self.min_words) * float(np.median(weights)) if len(weights) else 0.0
        return self

    def word_shares(self, narrative: str) -> list[tuple[str, np.ndarray]]:
        """(word, a_w * v_w * scale) for each meaning-carrying word: they sum to the narrative's row."""
        check_is_fitted(self, "vectors_")
        found = [(w, self.vectors_.word(w)) for w in meaning_words(narrative)]
        found = [(w, hit) for w, hit in found if hit is not None]
        total = max(sum(weight for _, (_, weight) in found), self.min_total_)
        if total <= 0:
            return []
        return [(w, vector.astype(np.float64) * (weight / total) * self.scale) for w, (vector, weight) in found]

    def transform(self, X) -> np.ndarray:
        """One dense row per narrative."""
        check_is_fitted(self, "vectors_")
        narratives = _narratives(X)
        out = np.zeros((len(narratives), self.vectors_.dim), dtype=np.float64)
        for i, text in enumerate(narratives):
            for _, share in self.word_shares(text):
                out[i] += share
        return out

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """``meaning_0`` ... ``meaning_<dim-1>``."""
        check_is_fitted(self, "vectors_")
        return np.asarray([f"meaning_{i}" for i in range(self.vectors_.dim)], dtype=object)


def _narratives(X) -> list[str]:
    """Accept a Series, a one-column frame or a list of strings (ColumnTransformer passes a Series)."""
    if hasattr(X, "iloc") and getattr(X, "ndim", 1) == 2:
        if X.shape[1] != 1:
            raise ValueError(f"MeaningVectorizer takes one narrative column, got {X.shape[1]}")
        X = X.iloc[:, 0]
    return ["" if v is None else str(v) for v in X]
