"""Features from what is known at dispatch: the narrative plus structured fields.

:func:`prepare_frame` turns calls (validated :class:`~callroute.schema.CallIn` or
accepted training rows) into the model's input frame; it only ever reads
``CALL_FEATURE_COLUMNS``, so outcome columns and ``true_risk`` cannot leak in.
:func:`build_pipeline` makes the one scikit-learn pipeline (features + logistic
regression) that is fitted and persisted as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from callroute.config import ExperimentConfig
from callroute.schema import CALL_FEATURE_COLUMNS
from callroute.text import normalize_narrative

CATEGORICAL = ("call_type", "district", "caller_type", "priority")
TIME = ("hour_sin", "hour_cos", "is_night", "time_missing")
PREMISE = ("log_prior_calls", "prior_calls_missing")
MODEL_INPUTS = ("narrative", *CATEGORICAL, *TIME, *PREMISE)
UNKNOWN = "UNKNOWN"


def prepare_frame(calls: pd.DataFrame) -> pd.DataFrame:
    """Model inputs from call fields only (missing optional fields become explicit 'unknown')."""
    calls = calls.reindex(columns=list(CALL_FEATURE_COLUMNS))
    out = pd.DataFrame(index=calls.index)
    out["narrative"] = calls["narrative"].fillna("").astype(str)
    for column in CATEGORICAL:
        values = calls[column].astype(object)
        out[column] = [UNKNOWN if _missing(v) else str(v).upper() for v in values]
    received = pd.to_datetime(calls["received_at"], errors="coerce", utc=False)
    hour = received.dt.hour + received.dt.minute / 60.0
    angle = 2 * np.pi * hour.fillna(0.0) / 24.0
    out["hour_sin"] = np.where(hour.isna(), 0.0, np.sin(angle))
    out["hour_cos"] = np.where(hour.isna(), 0.0, np.cos(angle))
    out["is_night"] = ((hour >= 22) | (hour < 5)).astype(float)
    out["time_missing"] = hour.isna().astype(float)
    prior = pd.to_numeric(calls["location_prior_calls"], errors="coerce")
    out["log_prior_calls"] = np.log1p(prior.fillna(0.0).clip(lower=0))
    out["prior_calls_missing"] = prior.isna().astype(float)
    return out


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA or value == ""


def build_pipeline(config: ExperimentConfig) -> Pipeline:
    """Text TF-IDF + one-hot categories + scaled numbers -> logistic regression."""
    text = TfidfVectorizer(
        preprocessor=normalize_narrative,
        token_pattern=r"[^ ]+",
        lowercase=False,
        ngram_range=(1, config.features.ngram_max),
        min_df=config.features.min_df,
        max_features=config.features.max_features,
        sublinear_tf=True,
        dtype=np.float64,
    )
    columns = ColumnTransformer(
        [
            ("narrative", text, "narrative"),
            (
                "categorical",
                OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=10, sparse_output=True),
                list(CATEGORICAL),
            ),
            ("numeric", StandardScaler(), [*TIME, *PREMISE]),
        ],
        sparse_threshold=1.0,
    )
    model = LogisticRegression(C=config.model.C, max_iter=3000)
    return Pipeline([("features", columns), ("model", model)])


@dataclass(frozen=True)
class FeatureGroups:
    """How output columns of the fitted features map back to things a dispatcher knows.

    Narrative terms are their own group; the one-hot columns of a field form one
    group ("call type"); the hour columns form "time of day"; premise history is one.
    """

    group_of_column: np.ndarray  # group index per output column
    group_names: tuple[str, ...]  # e.g. "narrative", "call_type", "time", "premise"
    text_columns: np.ndarray  # boolean mask of narrative-term columns
    vocabulary: np.ndarray  # term per narrative column (in narrative column order)

    @classmethod
    def from_pipeline(cls, pipeline: Pipeline) -> FeatureGroups:
        """Read the layout of a fitted pipeline's ColumnTransformer."""
        columns: ColumnTransformer = pipeline.named_steps["features"]
        n_out = sum(s.stop - s.start for s in columns.output_indices_.values())
        group = np.full(n_out, -1, dtype=int)
        names: list[str] = ["narrative"]
        text_slice = columns.output_indices_["narrative"]
        group[text_slice] = 0
        onehot_names = columns.named_transformers_["categorical"].get_feature_names_out()
        start = columns.output_indices_["categorical"].start
        names.extend(CATEGORICAL)
        for offset, column_name in enumerate(onehot_names):
            field = next(f for f in CATEGORICAL if column_name.startswith(f"{f}_"))
            group[start + offset] = names.index(field)
        numeric_start = columns.output_indices_["numeric"].start
        for offset, name in enumerate((*TIME, *PREMISE)):
            target = "time" if name in TIME else "premise"
            if target not in names:
                names.append(target)
            group[numeric_start + offset] = names.index(target)
        if (group < 0).any():
            raise RuntimeError("feature layout not understood: some output columns have no group")
        text_mask = np.zeros(n_out, dtype=bool)
        text_mask[text_slice] = True
        vocabulary = columns.named_transformers_["narrative"].get_feature_names_out()
        return cls(group, tuple(names), text_mask, vocabulary)
