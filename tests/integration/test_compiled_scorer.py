"""The compiled scorer equals the scikit-learn pipeline it was compiled from (issue: serve at hardware speed).

On the default model (the session's served bundle): every call of the test split, and
hypothesis-generated calls (any Unicode, missing fields, unseen categories, extreme times),
score within 1e-9 of ``pipeline.decision_function``; explanations sum exactly; a bundle whose
tables were edited is refused at load.
"""

from __future__ import annotations

import math
import shutil
from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callroute.model.compiled import EQUIVALENCE_TOLERANCE
from callroute.model.features import prepare_frame
from callroute.registry.bundle import BundleError, load_bundle, write_bundle
from callroute.schema import CALL_FEATURE_COLUMNS, CallIn

pytestmark = pytest.mark.integration


def _pipeline_scores(router, calls: pd.DataFrame) -> np.ndarray:
    return router.pipeline.decision_function(prepare_frame(calls))


def test_compiled_scores_equal_the_pipeline_on_the_whole_test_split(trained, router) -> None:
    # Given every call of the default model's test split (unredacted, as training saw them)
    calls = trained.splits.test.reindex(columns=list(CALL_FEATURE_COLUMNS))
    # When the compiled tables and the pipeline both score them
    compiled = router.scorer.score_many(calls.to_dict("records"))
    expected = _pipeline_scores(router, calls)
    # Then they agree to 1e-9 on every call
    gap = float(np.max(np.abs(compiled - expected)))
    assert gap <= EQUIVALENCE_TOLERANCE, f"largest difference {gap:.3g} over {len(calls)} calls"


def test_router_risk_equals_the_calibrator_on_pipeline_scores(trained, router) -> None:
    # Given the first 2,000 test calls
    calls = trained.splits.test.head(2000)
    # When the Router assesses them and the calibrator maps the pipeline's own scores (of redacted text)
    assessed = router.assess(calls)
    from callroute.language.redact import redact

    redacted = calls.assign(narrative=[redact(str(n)) for n in calls["narrative"]])
    expected = router.calibrator.predict(_pipeline_scores(router, redacted))
    # Then the risks agree to 1e-12
    gap = float(np.max(np.abs(assessed["escalation_risk"].to_numpy() - expected)))
    assert gap <= 1e-12, f"largest risk difference {gap:.3g}"


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=120)
_words = st.lists(st.sampled_from(["knife", "gun", "confused", "no", "weapons", "yelling", "RP", "STS", "SUBJ",
                                   "NEG", "WPNS", "5150", "etoh", "he", "she", "pistol", "blanket", ",", ".",
                                   "denies", "but", "crying", "bat", "threatening", "with", "a", "screwdriver"]),
                  min_size=1, max_size=25).map(" ".join)
_times = st.one_of(
    st.none(),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59)),
    st.sampled_from(["2024-01-01T02:30:00", "2024-01-01T22:00:00+05:00", "not a time", ""]),
)
_category = st.one_of(st.none(), st.just(""), st.sampled_from(["SOUTH", "NORTH", "WELFARE CHECK", "NEVER SEEN"]),
                      st.text(max_size=12))


@st.composite
def raw_calls(draw) -> dict:
    """A call as a file row may hold it: any text, any field missing, unseen values, any time."""
    return {
        "narrative": draw(st.one_of(_text, _words)),
        "call_type": draw(_category),
        "district": draw(_category),
        "received_at": draw(_times),
        "caller_type": draw(st.one_of(st.none(), st.sampled_from(["self", "family", "business", "bystander", "x"]))),
        "priority": draw(st.one_of(st.none(), st.integers(1, 9), st.sampled_from([3.0, "2", "high"]))),
        "location_prior_calls": draw(st.one_of(st.none(), st.integers(0, 10_000), st.sampled_from([2.0, "7", "x"]))),
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(calls=st.lists(raw_calls(), min_size=1, max_size=20))
def test_compiled_scores_equal_the_pipeline_on_any_call(router, calls) -> None:
    # Given arbitrary calls (any Unicode, missing or unseen fields, extreme or unparseable times)
    frame = pd.DataFrame(calls, columns=list(CALL_FEATURE_COLUMNS))
    # When both paths score them
    compiled = router.scorer.score_many(calls)
    expected = _pipeline_scores(router, frame)
    # Then they agree to 1e-9
    gap = np.abs(compiled - expected)
    worst = int(np.argmax(gap))
    assert gap[worst] <= EQUIVALENCE_TOLERANCE, f"difference {gap[worst]:.3g} on {calls[worst]!r}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(narrative=st.one_of(_text, _words), hour=st.integers(0, 23), prior=st.one_of(st.none(), st.integers(0, 50)))
def test_every_explanation_sums_exactly_to_its_score(router, narrative, hour, prior) -> None:
    # Given any call the API accepts
    if not any(ch.isalnum() for ch in narrative.strip()):
        narrative = "caller " + narrative
    call = CallIn(narrative=narrative[:2000], district="SOUTH", received_at=datetime(2024, 3, 1, hour, 15),
                  location_prior_calls=prior)
    # When it is routed
    decision = router.route(call)
    e = decision.explanation
    # Then base + listed contributions + rest is the score, and the score is the pipeline's
    total = e.base + sum(c.contribution for c in e.contributions) + e.rest
    assert math.isclose(total, e.score, abs_tol=1e-9), f"{total} != {e.score}"
    from callroute.language.redact import redact

    frame = pd.DataFrame([{**call.model_dump(), "narrative": redact(call.narrative)}])
    expected = float(_pipeline_scores(router, frame)[0])
    assert abs(e.score - expected) <= EQUIVALENCE_TOLERANCE, f"score {e.score} vs pipeline {expected}"


def test_a_bundle_whose_tables_disagree_with_its_pipeline_is_refused(router, settings, tmp_path) -> None:
    # Given the served bundle, copied, with one word weight of its compiled tables changed
    import copy

    tampered = copy.deepcopy(router)
    term = next(iter(tampered.scorer.words.coef))
    tampered.scorer.words.coef[term] += 0.5
    target = tmp_path / "tampered"
    shutil.copytree(settings.resolved_bundle_dir, target)
    write_bundle(tampered, target, extra_files={}, manifest={})
    # When it is loaded, Then it is refused, naming the table that differs
    with pytest.raises(BundleError, match=r"compiled scorer does not match its pipeline \(words: weights differ"):
        load_bundle(target)


def test_the_served_bundle_records_its_compiled_check(router) -> None:
    # Given the served Router, When its training-time check is read, Then it covered thousands of calls at 1e-9
    check = router.metadata["compiled_check"]
    assert check["calls"] > 1000, check
    assert check["max_difference"] <= EQUIVALENCE_TOLERANCE, check
