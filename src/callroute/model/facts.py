"""Situation facts as the risk model's narrative input (the concept bottleneck: no raw word reaches the risk).

:class:`FactVectorizer` reads each narrative with the fact reader (callroute.facts) and gives one column per
fact present and one per deniable fact denied (``weapon.present=denied``). Its output is binary, so a fact's
contribution to the score is its coefficient alone and the explanation names facts, never words.
"""

from __future__ import annotations

import hashlib

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from callroute.facts import Catalogue, FactReader, Reading


class FactVectorizer(TransformerMixin, BaseEstimator):
    """Narratives -> binary fact columns (:meth:`Catalogue.feature_names`)."""

    def __init__(self, *, catalogue: str | None = None, bias: bool = False) -> None:
        self.catalogue = catalogue  # a path to a reviewed catalogue; None for the bundled one
        self.bias = bias  # add a column of 1 for every non-empty narrative (BIAS_COLUMN)

    def fit(self, X, y=None) -> FactVectorizer:
        """Load the catalogue and build the reader (nothing is learned from the data)."""
        catalogue = Catalogue.load(None if self.catalogue is None else self.catalogue)
        self.reader_ = FactReader(catalogue)
        self.feature_names_ = np.asarray(catalogue.feature_names() + ([BIAS_COLUMN] if self.bias else []), dtype=object)
        self.n_features_in_ = 1
        return self

    def transform(self, X) -> sp.csr_matrix:
        """One row of 0/1 per narrative."""
        check_is_fitted(self, "reader_")
        texts = [_text(x) for x in _column(X)]
        rows = [self._vector(text) + ([1.0 if text else 0.0] if self.bias else []) for text in texts]
        return sp.csr_matrix(np.asarray(rows, dtype=np.float64).reshape(len(rows), len(self.feature_names_)))

    def _vector(self, text: str) -> list[float]:
        """The fact columns of one narrative, read once per process for every block and call that shares it.

        Training reads each narrative in up to three blocks (by day, at night, without a call type) and again
        when it scores the calibration and test calls; generated data repeats narratives too. The reading
        depends on the text, the catalogue and the red-line rules only, which make the key.
        """
        key = (self.__dict__.get("reading_key_") or self._reading_key(), text)
        row = _READINGS.get(key)
        if row is None:
            row = tuple(self.reader_.vector(self.reader_.read(text)))
            if len(_READINGS) >= _READINGS_MAX:
                _READINGS.clear()  # bounded: a long-running process reading many narratives starts over
            _READINGS[key] = row
        return list(row)

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state.pop("reading_key_", None)  # the key of this process's cache, computed again where it is loaded
        return state

    def _reading_key(self) -> str:
        catalogue = self.reader_.catalogue
        key = hashlib.sha256(repr((catalogue.name, catalogue.version, catalogue.facts,
                                   self.reader_.redlines.ruleset_id)).encode()).hexdigest()
        self.reading_key_ = key
        return key

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """``<fact id>`` and ``<fact id>=denied`` columns."""
        check_is_fitted(self, "feature_names_")
        return self.feature_names_.copy()


#: Fact columns already read in this process: (catalogue and rules key, narrative) -> row.
_READINGS: dict[tuple[str, str], tuple[float, ...]] = {}
_READINGS_MAX = 400_000

#: The bias column of a block read only on some calls (no call type): what those calls share whatever their facts.
BIAS_COLUMN = "(any narrative)"
BIAS_LABEL = "call type: not given (the narrative alone)"


def fact_label(catalogue: Catalogue, feature: str) -> str:
    """How a fact column is named in an explanation: ``fact: a threat to others``, ``fact: no weapon``."""
    if feature == BIAS_COLUMN:
        return BIAS_LABEL
    fact_id, _, denied = feature.partition("=")
    spec = catalogue.by_id[fact_id]
    return f"fact: {spec.denied_label if denied else spec.label}"


def readings_features(reader: FactReader, readings: dict[str, Reading]) -> list[str]:
    """The fact columns a call's readings switch on."""
    names = reader.catalogue.feature_names()
    return [name for name, value in zip(names, reader.vector(readings), strict=True) if value]


def _column(X) -> list:
    if hasattr(X, "iloc") and getattr(X, "ndim", 1) == 2:
        return list(X.iloc[:, 0])
    if hasattr(X, "tolist"):
        flat = X.tolist()
        return [row[0] if isinstance(row, list) else row for row in flat]
    return list(X)


def _text(value) -> str:
    return value if isinstance(value, str) else ""
