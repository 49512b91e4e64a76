"""Thresholds by Learn then Test: the promise P(unsafe-diversion rate <= alpha) >= 1 - delta holds over draws."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from callroute.training.thresholds import first_testable, ltt_district_thresholds, ltt_threshold

ALPHA, DELTA = 0.02, 0.1


def _draw(rng: np.random.Generator, n: int, top: float, slope: float) -> tuple[np.ndarray, np.ndarray]:
    """Calls with risk scores uniform on [0, top] escalating with probability slope * score (known truth)."""
    risk = rng.uniform(0.0, top, n)
    return risk, (rng.random(n) < np.clip(slope * risk, 0, 1)).astype(int)


def _true_rate(threshold: float, top: float, slope: float) -> float:
    """The unsafe-diversion rate among all calls at or under ``threshold``: E[slope * r | r <= threshold]."""
    return slope * min(threshold, top) / 2


@settings(max_examples=6, deadline=None)
@given(top=st.floats(0.05, 0.3), slope=st.floats(0.3, 2.0), n=st.integers(800, 4000), seed=st.integers(0, 2**16))
def test_over_many_calibration_draws_the_certified_rate_exceeds_alpha_at_most_delta_of_the_time(top, slope, n,
                                                                                               seed) -> None:
    # Given a score distribution whose true unsafe-diversion rate at each threshold is known
    rng = np.random.default_rng(seed)
    draws = 200
    # When Learn then Test certifies a threshold on each of 200 independent calibration draws
    chosen = [ltt_threshold(*_draw(rng, n, top, slope), alpha=ALPHA, delta=DELTA).threshold for _ in range(draws)]
    # Then the true rate at the certified threshold exceeds alpha in at most delta of the draws
    missed = sum(_true_rate(t, top, slope) > ALPHA for t in chosen if t > 0)
    assert missed / draws <= DELTA, f"{missed} of {draws} draws over {ALPHA:.0%} (top {top:.3f}, slope {slope:.2f})"


def test_a_safe_population_is_certified_to_divert_and_an_unsafe_one_is_not() -> None:
    rng = np.random.default_rng(1)
    # Given 3,000 calls whose lowest-risk half escalates at about 0.75%
    safe = ltt_threshold(*_draw(rng, 3000, 0.06, 0.5), alpha=ALPHA, delta=DELTA)
    # Then a threshold is certified, with its diverted calls, escalations and p-value reported
    assert safe.threshold > 0 and safe.diverted > first_testable(ALPHA, DELTA), safe
    assert safe.p_value <= DELTA and safe.escalations / safe.diverted <= ALPHA, safe
    # Given calls that escalate at 5% whatever their score, Then nothing is certified (nothing diverted)
    risk = rng.uniform(0, 0.1, 3000)
    unsafe = ltt_threshold(risk, (rng.random(3000) < 0.05).astype(int), alpha=ALPHA, delta=DELTA)
    assert unsafe.threshold == 0.0 and unsafe.diverted == 0, unsafe


def test_too_few_calls_to_test_certify_nothing() -> None:
    # Given fewer calls than the fewest at which a test can succeed (114 at alpha 2%, delta 10%)
    assert first_testable(ALPHA, DELTA) == 114
    risk = np.linspace(0.001, 0.01, 100)
    # When none of them escalated, Then still nothing is certified: 100 calls cannot show a rate under 2%
    assert ltt_threshold(risk, np.zeros(100, int), alpha=ALPHA, delta=DELTA).threshold == 0.0


def test_each_district_is_certified_on_its_own_calls_or_diverts_nothing_and_says_why() -> None:
    rng = np.random.default_rng(2)
    # Given a large safe district and a small one
    big_risk, big_y = _draw(rng, 3000, 0.06, 0.5)
    small_risk, small_y = _draw(rng, 80, 0.06, 0.5)
    calibration = pd.DataFrame({"district": ["BIG"] * 3000 + ["SMALL"] * 80})
    risk, y = np.r_[big_risk, small_risk], np.r_[big_y, small_y]
    # When thresholds are certified per district
    own, table = ltt_district_thresholds(calibration, risk, y, np.ones(len(y), bool), 0.03, alpha=ALPHA,
                                         delta=DELTA, min_diverted=30, enabled=True)
    thresholds = dict(own)
    # Then the big one has its own threshold, the small one none (never the city's), and the table says why
    assert thresholds["BIG"] > 0 and table["BIG"]["certified"], table["BIG"]
    assert thresholds["SMALL"] == 0.0 and not table["SMALL"]["certified"], table["SMALL"]
    assert "diverts nothing" in table["SMALL"]["note"] and "more" in table["SMALL"]["note"], table["SMALL"]["note"]
