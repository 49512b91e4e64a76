"""When the conservative rule can divert nothing, how many calls would certify the target."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from callroute.stats import wilson_interval
from callroute.training.thresholds import certification_shortfall, choose_threshold


@settings(max_examples=60, deadline=None)
@given(escalations=st.integers(1, 3), first=st.booleans(), target=st.sampled_from([0.02, 0.04]))
def test_the_number_needed_is_the_smallest_that_brings_the_bound_to_the_target(escalations, first, target) -> None:
    # Given 200 low-risk calls of which 1-3 escalate (too few calls to certify the target)
    n = 200
    escalated = np.zeros(n, dtype=int)
    escalated[:escalations] = 1
    if not first:
        escalated = escalated[::-1].copy()
    risk = np.linspace(0.001, 0.01, n)
    observed = escalated.mean()
    # When the shortfall is computed
    short = certification_shortfall(risk, escalated, target=target, min_diverted=30)
    needed = short["diverted_needed"]
    # Then at the observed (lowest prefix) rate the bound meets the target with that many calls, not with one fewer
    best = short["rate"]
    assert best <= observed + 1e-12
    assert wilson_interval(best * needed, needed)[1] <= target
    assert wilson_interval(best * (needed - 1), needed - 1)[1] > target
    assert short["calls_needed"] >= needed


def test_a_rate_at_the_target_can_never_be_certified() -> None:
    # Given calls that escalate at 5% whatever their risk, When asked what a 2% target needs
    risk = np.arange(1000) / 1000
    escalated = (np.arange(1000) % 20 == 0).astype(int)
    short = certification_shortfall(risk, escalated, target=0.02, min_diverted=30)
    # Then no number of such calls will do, and the threshold rule indeed diverts nothing
    assert short["calls_needed"] == float("inf"), short
    assert choose_threshold(risk, escalated, target=0.02, min_diverted=30) == 0.0
