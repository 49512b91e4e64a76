"""Features from what is known at dispatch: the narrative plus structured fields.

:func:`prepare_frame` turns calls (validated :class:`~callroute.schema.CallIn` or
accepted training rows) into the model's input frame; it only ever reads
``CALL_FEATURE_COLUMNS``, so outcome columns and ``true_risk`` cannot leak in.
:func:`build_pipeline` makes the one scikit-learn pipeline (features + logistic
regression) that is fitted and persisted as a whole.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from functools import partial

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from callroute.config import ExperimentConfig
from callroute.language.text import clause_ngrams, normalize_narrative
from callroute.schema import CALL_FEATURE_COLUMNS

CATEGORICAL = ("call_type", "district", "caller_type", "priority")
TIME = ("hour_sin", "hour_cos", "is_night")
PREMISE = ("log_prior_calls",)
NUMERIC_INPUTS = (*TIME, *PREMISE)
MODEL_INPUTS = ("narrative", "night_narrative", "untyped_narrative", *CATEGORICAL, *TIME, *PREMISE)
UNKNOWN = "UNKNOWN"

# Step and block names of the one pipeline, defined once: the Router, training and explanations read them.
FEATURES_STEP = "features"
MODEL_STEP = "model"
WORDS_BLOCK = "narrative"
CHARS_BLOCK = "narrative_chars"
NIGHT_BLOCK = "night_terms"
CATEGORICAL_BLOCK = "categorical"
NUMERIC_BLOCK = "numeric"
MEANING_BLOCK = "meaning"
FACTS_BLOCK = "facts"
NIGHT_FACTS_BLOCK = "night_facts"
UNTYPED_FACTS_BLOCK = "untyped_facts"


def prepare_frame(calls: pd.DataFrame) -> pd.DataFrame:
    """Model inputs from call fields only (one row per call, by :func:`prepare_call`).

    A missing optional field means "no information": categories become UNKNOWN (encoded as the
    training mix by PriorOneHotEncoder) and numbers become NaN (imputed with the training mean),
    so an unknown field moves the score by exactly as much as the average call's field does.
    """
    calls = calls.reindex(columns=list(CALL_FEATURE_COLUMNS))
    prepared = [prepare_call(row) for row in calls.to_dict("records")]
    out = pd.DataFrame(index=calls.index)
    out["narrative"] = [p[0] for p in prepared]
    for k, column in enumerate(CATEGORICAL):
        out[column] = pd.Series([p[1][k] for p in prepared], index=calls.index, dtype=object)
    for k, column in enumerate(NUMERIC_INPUTS):
        out[column] = np.array([p[2][k] for p in prepared], dtype=np.float64).reshape(-1)
    # The same narrative again for calls between 22:00 and 05:00 (empty otherwise), so that words
    # can weigh differently at night: an intoxicated person at 2 a.m. is not one at 2 p.m.
    out["night_narrative"] = np.where(out["is_night"] == 1.0, out["narrative"], "").astype(object)
    # The same narrative again for calls that came without a call type (empty otherwise): there the facts must
    # also say what kind of call it is ("confused, wandered off" is a welfare check), which a call type says
    # when it is known.
    out["untyped_narrative"] = np.where(out["call_type"] == UNKNOWN, out["narrative"], "").astype(object)
    return out[list(MODEL_INPUTS)]


def prepare_call(call: object) -> tuple[str, tuple[str, ...], tuple[float, ...]]:
    """One call's model inputs without pandas: (narrative, categories, numbers).

    ``call`` is a mapping (a file row) or an object with the call's attributes (a CallIn).
    Numbers are ``NUMERIC_INPUTS`` (hour sine and cosine, night flag, log premise history), NaN when unknown.
    The training frame (:func:`prepare_frame`) is built from this function, so the two cannot differ.
    """
    get = call.get if isinstance(call, Mapping) else partial(getattr, call)
    narrative = get("narrative", None)
    narrative = "" if _missing_text(narrative) else str(narrative)
    categories = tuple(UNKNOWN if _missing(v) else _category(v) for v in (get(c, None) for c in CATEGORICAL))
    received = _wall_clock(get("received_at", None))
    if isinstance(received, datetime) and received == received:  # NaT is a datetime that is not equal to itself
        hour = received.hour + received.minute / 60.0
        angle = 2 * math.pi * hour / 24.0
        time = (math.sin(angle), math.cos(angle), 1.0 if (hour >= 22 or hour < 5) else 0.0)
    else:
        time = (math.nan, math.nan, math.nan)
    prior = _number(get("location_prior_calls", None))
    return narrative, categories, (*time, math.log1p(max(prior, 0.0)) if prior == prior else math.nan)


def _missing_text(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _number(value: object) -> float:
    """A count as a float (NaN when absent or not a number), as ``pd.to_numeric(errors="coerce")`` reads it."""
    if value is None or value is pd.NA or isinstance(value, bool):
        return math.nan
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return math.nan
    return math.nan


def _wall_clock(value: object) -> object:
    """Local wall-clock time: the offset is dropped, as ingestion does, so mixed offsets parse together."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if value is pd.NaT:
        return None
    return value.replace(tzinfo=None) if isinstance(value, datetime) and value.tzinfo else value


def _category(value: object) -> str:
    """One spelling per value: priority 3 arrives as 3 from the API but as 3.0 from a file with blanks."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value).upper()


def _missing(value: object) -> bool:
    return _missing_text(value) or (isinstance(value, str) and value == "")


class PriorOneHotEncoder(TransformerMixin, BaseEstimator):
    """One-hot encoding where an unknown value is encoded as the training frequencies.

    A call without a call type (or with one never seen in training, such as an
    agency's new call type) carries *no information* about it, so it gets the
    expected one-hot vector under the training distribution: its contribution to
    the score is exactly the average call type's, and its explanation term is 0.
    (A plain "unknown" category would get a weight of its own, shrunk towards 0 by
    regularisation: an arbitrary offset.) Values seen fewer than ``min_frequency``
    times share one "OTHER" column.
    """

    def __init__(self, *, unknown: str = UNKNOWN, min_frequency: int = 10) -> None:
        self.unknown = unknown
        self.min_frequency = min_frequency

    def fit(self, X: pd.DataFrame, y=None) -> PriorOneHotEncoder:
        """Learn categories and their frequencies from the known values of each column."""
        X = pd.DataFrame(X)
        self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        self.n_features_in_ = X.shape[1]
        self.categories_, self.frequencies_, self.rare_values_ = [], [], []
        for column in X.columns:
            known = X[column][X[column] != self.unknown].astype(str)
            counts = known.value_counts()
            frequent = sorted(counts[counts >= self.min_frequency].index)
            rare = int(counts[counts < self.min_frequency].sum())
            categories = frequent + (["OTHER"] if rare else [])
            totals = np.array([counts[c] for c in frequent] + ([rare] if rare else []), dtype=float)
            self.categories_.append(categories)
            self.rare_values_.append(frozenset(counts[counts < self.min_frequency].index))
            self.frequencies_.append(totals / totals.sum() if totals.sum() else totals)
        return self

    def transform(self, X: pd.DataFrame) -> sp.csr_matrix:
        """Sparse one-hot rows; unknown or unseen values get the frequency vector."""
        check_is_fitted(self, "categories_")
        X = pd.DataFrame(X)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"PriorOneHotEncoder was fitted on {self.n_features_in_} columns "
                f"({', '.join(map(str, self.feature_names_in_))}) but got {X.shape[1]}"
            )
        rows, cols, vals = [], [], []
        offset = 0
        fitted = zip(X.columns, self.categories_, self.frequencies_, self.rare_values_, strict=True)
        for column, categories, freq, rare in fitted:
            index = {c: i for i, c in enumerate(categories)}
            other = index.get("OTHER")
            for row, value in enumerate(X[column].astype(str)):
                code = other if value in rare else index.get(value)
                if code is None:
                    rows.extend([row] * len(categories))
                    cols.extend(range(offset, offset + len(categories)))
                    vals.extend(freq)
                else:
                    rows.append(row)
                    cols.append(offset + code)
                    vals.append(1.0)
            offset += len(categories)
        return sp.csr_matrix((vals, (rows, cols)), shape=(len(X), offset))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """``<column>_<category>`` for every output column."""
        check_is_fitted(self, "categories_")
        return np.asarray(
            [f"{column}_{c}" for column, cats in zip(self.feature_names_in_, self.categories_, strict=True)
             for c in cats],
            dtype=object,
        )


class NightCountVectorizer(CountVectorizer):
    """The night-time words: a CountVectorizer that keeps the words of at least one call when none reaches min_df.

    Only calls between 22:00 and 05:00 with a time have night words; a small export (150 calls, a quarter of
    them trained as narrative alone, without their time) may have no word in ``min_df`` of them. Rather than
    refuse the whole training, the block then keeps every word seen at night (min_df 1) and says so in
    ``min_df_used_``; ``transform`` is a plain CountVectorizer's, so the compiled tables are the same kind.
    """

    def fit_transform(self, raw_documents, y=None):
        """Learn the vocabulary at ``min_df``, or at 1 when nothing would remain."""
        self.min_df_used_ = self.min_df
        try:
            return super().fit_transform(raw_documents, y)
        except ValueError as error:
            if "no terms remain" not in str(error):
                raise
        wanted, self.min_df = self.min_df, 1
        try:
            return super().fit_transform(raw_documents, y)
        finally:
            self.min_df, self.min_df_used_ = wanted, 1


class DropoutCountVectorizer(CountVectorizer):
    """Binary word n-grams whose *training* matrix loses each present n-gram with probability ``dropout``.

    Calls worded in ways training never saw reach the model with few known n-grams; training with
    n-grams dropped at random teaches it to lean on the meaning block beside them. Only
    ``fit_transform`` drops (seeded): ``transform`` is a plain CountVectorizer's, so the compiled
    tables are the same kind.
    """

    def __init__(self, *, dropout: float = 0.0, seed: int = 0, **kwargs) -> None:
        super().__init__(**kwargs)
        self.dropout = dropout
        self.seed = seed

    def get_params(self, deep: bool = True) -> dict:
        """CountVectorizer's parameters plus ``dropout`` and ``seed``."""
        params = CountVectorizer.get_params(self, deep)
        return {**params, "dropout": self.dropout, "seed": self.seed}

    @classmethod
    def _get_param_names(cls):
        return sorted({*CountVectorizer._get_param_names(), "dropout", "seed"})

    def fit_transform(self, raw_documents, y=None):
        """Learn the vocabulary; return the training matrix with n-grams dropped at random."""
        matrix = super().fit_transform(raw_documents, y).tocsr()
        if self.dropout > 0:
            keep = np.random.default_rng(self.seed).random(matrix.nnz) >= self.dropout
            matrix.data = matrix.data * keep
            matrix.eliminate_zeros()
        return matrix


def build_pipeline(config: ExperimentConfig) -> Pipeline:
    """Text TF-IDF + one-hot categories + scaled numbers -> logistic regression."""
    # Word n-grams are built inside clauses (text.clause_ngrams), so no phrase spans a comma.
    analyzer = partial(clause_ngrams, n_max=config.features.ngram_max)
    common = {"analyzer": analyzer, "min_df": config.features.min_df,
              "max_features": config.features.max_features, "dtype": np.float64}
    if config.features.text_weighting == "binary":
        # Presence/absence, unnormalised: a term adds exactly its own weight, whatever else the
        # narrative says, so adding "NO WEAPONS SEEN" cannot raise the risk by diluting other terms.
        text = (DropoutCountVectorizer(dropout=config.features.ngram_dropout, binary=True, **common)
                if config.features.ngram_dropout > 0 else CountVectorizer(binary=True, **common))
    else:
        text = TfidfVectorizer(sublinear_tf=True, **common)
    chars = []
    if config.features.char_ngrams:
        # Letter sequences inside words (" kni", "knif", "nife "): robust to CAD misspellings and
        # to shorthand the word vocabulary never saw ("COMBATV", "AGGRO").
        chars = [(CHARS_BLOCK, CountVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), binary=True, preprocessor=normalize_narrative, lowercase=False,
            min_df=config.features.min_df, max_features=config.features.max_features, dtype=np.float64,
        ), "narrative")]
    words = [(WORDS_BLOCK, text, "narrative")] if config.features.ngrams else []
    meaning = []
    if config.features.meaning:
        from callroute.model.meaning import MeaningVectorizer

        meaning = [(MEANING_BLOCK, MeaningVectorizer(dim=config.features.meaning_dim,
                                                     scale=config.features.meaning_scale,
                                                     min_words=config.features.meaning_min_words), "narrative")]
    facts = []
    if config.features.facts:
        from callroute.model.facts import FactVectorizer

        facts = [(FACTS_BLOCK, FactVectorizer(), "narrative")]
        if config.features.night_facts:
            # The same facts again for calls between 22:00 and 05:00: drunk at 2 a.m. is not drunk at 2 p.m.
            facts.append((NIGHT_FACTS_BLOCK, FactVectorizer(), "night_narrative"))
        if config.features.untyped_facts:
            facts.append((UNTYPED_FACTS_BLOCK, FactVectorizer(), "untyped_narrative"))
    night = []
    if config.features.night_terms:
        night = [(NIGHT_BLOCK, NightCountVectorizer(
            binary=True, analyzer=partial(clause_ngrams, n_max=1), min_df=config.features.min_df * 3,
            dtype=np.float64,
        ), "night_narrative")]
    columns = ColumnTransformer(
        [
            *facts,
            *words,
            *meaning,
            *chars,
            *night,
            (CATEGORICAL_BLOCK, PriorOneHotEncoder(min_frequency=10), list(CATEGORICAL)),
            # An input empty in every training call is kept as a constant 0: the layout never depends on the data.
            (NUMERIC_BLOCK, Pipeline([("impute", SimpleImputer(strategy="mean", keep_empty_features=True)),
                                      ("scale", StandardScaler())]),
             [*TIME, *PREMISE]),
        ],
        sparse_threshold=1.0,
    )
    model = LogisticRegression(C=config.model.C, max_iter=3000)
    return Pipeline([(FEATURES_STEP, columns), (MODEL_STEP, model)])


def numeric_inputs_kept(numeric: Pipeline) -> tuple[str, ...]:
    """The numeric inputs that reach the model.

    All of them: an input empty in every training call is kept as a constant 0. (A pipeline fitted
    without ``keep_empty_features`` dropped such inputs.)
    """
    imputer = numeric.named_steps["impute"]
    if getattr(imputer, "keep_empty_features", False):
        return NUMERIC_INPUTS
    return tuple(name for name, fill in zip(NUMERIC_INPUTS, imputer.statistics_, strict=True) if not np.isnan(fill))
