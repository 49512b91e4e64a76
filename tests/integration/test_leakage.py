"""Outcome columns and true_risk can never reach the features."""

from __future__ import annotations

import numpy as np
import pytest

from callroute.data.synth import AFTER_THE_FACT_COLUMNS
from callroute.model.features import MODEL_INPUTS, prepare_frame

pytestmark = pytest.mark.integration


def test_prepared_inputs_hold_only_call_fields(trained) -> None:
    frame = prepare_frame(trained.splits.test)
    assert tuple(frame.columns) == MODEL_INPUTS
    assert not set(frame.columns) & set(AFTER_THE_FACT_COLUMNS)


def test_fitted_feature_names_mention_no_outcome_column(router) -> None:
    names = router.pipeline.named_steps["features"].get_feature_names_out()
    # words of the narrative itself, and the facts read from it ("violence.now" is what the caller says)
    text_blocks = ("narrative__", "narrative_chars__", "night_terms__", "facts__", "night_facts__", "untyped_facts__")
    structured = [n for n in names if not n.startswith(text_blocks)]
    for column in AFTER_THE_FACT_COLUMNS:
        assert not any(column in n for n in structured), f"{column} appears among features"


def test_scrambling_outcomes_and_true_risk_changes_no_score(trained, router) -> None:
    calls = trained.splits.test.head(200).copy()
    before = router.assess(calls)["score"].to_numpy()
    rng = np.random.default_rng(0)
    calls["escalation"] = rng.integers(0, 2, len(calls))
    calls["true_risk"] = rng.random(len(calls))
    calls["responder"] = "police"
    for column in ("weapon_found", "violence", "arrest", "disposition", "final_call_type"):
        calls[column] = "1"
    after = router.assess(calls)["score"].to_numpy()
    np.testing.assert_array_equal(before, after, err_msg="an outcome column influenced the score")
