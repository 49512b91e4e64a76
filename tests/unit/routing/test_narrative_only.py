"""Calls that come with a narrative only are judged against a threshold certified on calls like them."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from callroute.routing.policy import NARRATIVE_ONLY_FIELDS, Policy, decide, is_narrative_only
from callroute.schema import CallIn
from callroute.training.thresholds import bare_narrative_risk, choose_threshold

MISSING = [None, math.nan, "", "   ", pd.NA, pd.NaT]


def _policy(**overrides) -> Policy:
    base = {"threshold": 0.03, "unsafe_diversion_target": 0.02, "review_low": 0.0, "review_high": 0.0,
            "risk_quantiles": tuple(np.linspace(0, 0.2, 201))}
    return Policy(**{**base, **overrides})


@given(missing=st.lists(st.sampled_from(MISSING), min_size=4, max_size=4),
       present_at=st.sampled_from(NARRATIVE_ONLY_FIELDS),
       value=st.one_of(st.integers(0, 9), st.text(min_size=1).filter(str.strip), st.floats(0, 50)))
def test_one_describing_field_is_enough_to_not_be_narrative_only(missing, present_at, value) -> None:
    # Given a call whose describing fields are all missing, in any of the ways a file or a request leaves them out
    call = dict(zip(NARRATIVE_ONLY_FIELDS, missing, strict=True)) | {"narrative": "he is calm", "district": "NORTH",
                                                                     "received_at": "2024-01-01T10:00:00"}
    # Then it is narrative only (district and time say where and when, not what)
    assert is_narrative_only(call), call
    # And with any one of them present (0 is a value) it is not
    assert not is_narrative_only(call | {present_at: value}), (present_at, value)


def test_a_bare_narrative_is_judged_by_the_tighter_threshold_never_a_looser_one() -> None:
    # Given a city threshold of 3%, NORTH's own of 5%, and a narrative-only threshold of 2.5%
    policy = _policy(district_thresholds=(("NORTH", 0.05),), narrative_only_threshold=0.025)
    # When a call at 2.8% risk comes with its call type, Then the city's threshold diverts it
    assert decide(0.028, False, policy, None).recommendation == "crisis_team"
    # When the same risk comes with a narrative only, Then it goes to police
    assert decide(0.028, False, policy, None, narrative_only=True).recommendation == "police"
    assert decide(0.028, False, policy, "NORTH", narrative_only=True).recommendation == "police"
    # And a narrative-only threshold above the one that applies never loosens it
    loose = _policy(narrative_only_threshold=0.08)
    assert loose.threshold_for(None, narrative_only=True) == 0.03
    assert decide(0.04, False, loose, None, narrative_only=True).recommendation == "police"
    # And without one (switched off) a bare narrative is judged like any call
    assert _policy().threshold_for("NORTH", narrative_only=True) == 0.03


def test_off_by_default_and_when_on_certified_never_looser_and_named(trained, router) -> None:
    # Given the default model: bare narratives are judged like any call (measured on four draws: README)
    assert router.policy.narrative_only_threshold is None, "policy.narrative_only is off by default"
    assert trained.metrics["narrative_only_unsafe_diversion_rate"] >= 0, "bare narratives are still measured"
    # When the narrative-only threshold is certified on the same calibration calls as the city's
    calibration = trained.splits.calibration
    cal_y = calibration[router.metadata["label"]].astype(int).to_numpy()
    chosen = np.array([not router.ruleset.evaluate(t).fired for t in calibration["narrative"]])
    rule = {"target": router.policy.unsafe_diversion_target / router.policy.drift_factor, "min_diverted": 30,
            "conservative": True}
    risk = bare_narrative_risk(router.scorer, router.calibrator, calibration)
    own = choose_threshold(risk[chosen], cal_y[chosen], **rule)
    # Then the default data certify one, and a Policy holding it never judges a bare narrative more loosely
    assert own > 0, "the default calibration calls, blanked, certify some diversion"
    held = replace(router.policy, narrative_only_threshold=own)
    for district in (None, *dict(router.policy.district_thresholds)):
        assert held.threshold_for(district, True) == min(own, router.policy.threshold_for(district)), district
    # Given a calm bare narrative the default model diverts
    narrative = "my neighbor is confused and sitting on the porch, calm"
    plain = router.route(CallIn(narrative=narrative))
    assert plain.recommendation == "crisis_team", (plain.escalation_risk, plain.reasons)
    # When a narrative-only threshold below its risk applies
    tighter = replace(router, policy=replace(router.policy, narrative_only_threshold=plain.escalation_risk / 2))
    bare_call = tighter.route(CallIn(narrative=narrative))
    described = tighter.route(CallIn(narrative=narrative, call_type="SERVICE - WELFARE CHECK"))
    # Then the single-call path sends the bare narrative to police and its reason names the threshold
    assert bare_call.recommendation == "police", bare_call.reasons
    reason = next(r for r in bare_call.reasons if r.startswith("Estimated escalation risk"))
    assert "narrative-only diversion threshold" in reason, reason
    # And a call with its call type is judged by the ordinary threshold, whose reason does not mention it
    assert "narrative-only" not in " ".join(described.reasons), described.reasons
    # And the batch path (Router.assess) judges the bare narrative by it too
    assert tighter.assess(pd.DataFrame([{"narrative": narrative}]))["recommendation"].iloc[0] == "police"
    assert router.assess(pd.DataFrame([{"narrative": narrative}]))["recommendation"].iloc[0] == "crisis_team"
