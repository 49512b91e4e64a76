"""The pure decision function and the threshold choice."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from callroute.routing.policy import Policy, decide
from callroute.training.thresholds import choose_threshold, conformal_band, quantile_table

POLICY = Policy(threshold=0.05, unsafe_diversion_target=0.02, review_low=0.04, review_high=0.06,
                risk_quantiles=quantile_table(np.linspace(0.001, 0.6, 500)))


@pytest.mark.parametrize(
    ("risk", "red_line", "expected", "review"),
    [
        (0.001, True, "police", False),  # a red line overrides even the lowest risk
        (0.001, False, "crisis_team", False),
        (0.05, False, "crisis_team", True),  # exactly at the threshold diverts, and is near the line
        (0.0501, False, "police", True),
        (0.30, False, "police", False),
        (0.045, False, "crisis_team", True),  # inside the review band below the line
        (0.05, True, "police", False),  # a red line is never "for review": it is decided
    ],
)
def test_decide(risk: float, red_line: bool, expected: str, review: bool) -> None:
    choice = decide(risk, red_line, POLICY)
    assert choice.recommendation == expected, f"risk {risk}, red line {red_line}: got {choice}"
    assert choice.needs_review is review, f"review flag for risk {risk}: got {choice}"


def test_red_line_decisions_are_certain() -> None:
    assert decide(0.2, True, POLICY).confidence == 1.0


@given(st.floats(min_value=0.0, max_value=1.0))
def test_confidence_is_a_share_and_grows_away_from_the_line(risk: float) -> None:
    choice = decide(risk, False, POLICY)
    assert 0.0 <= choice.confidence <= 1.0, f"confidence out of range: {choice}"
    further = decide(risk / 2, False, POLICY) if choice.recommendation == "crisis_team" else decide(
        min(1.0, risk * 1.5), False, POLICY)
    assert further.confidence >= choice.confidence, "a call further from the line cannot be less certain"


def test_threshold_diverts_the_most_calls_within_the_target() -> None:
    # Given 100 low-risk calls with 2 escalations and 100 high-risk calls, the riskiest 30 escalating first
    risk = np.r_[np.linspace(0.001, 0.01, 100), np.linspace(0.2, 0.5, 100)]
    escalated = np.zeros(200, dtype=int)
    escalated[[30, 60]] = 1
    escalated[100:130] = 1
    # When the threshold is chosen for a 2% target (observed rate, not the bound)
    threshold = choose_threshold(risk, escalated, target=0.02, min_diverted=10, conservative=False)
    # Then exactly the low-risk block is diverted (2/100 = 2% <= 2%; the next call makes it 3/101)
    assert threshold == pytest.approx(0.01), f"threshold {threshold} should be the top of the low-risk block"


def test_conservative_threshold_never_diverts_more_than_the_point_estimate() -> None:
    rng = np.random.default_rng(0)
    risk = rng.random(2000) * 0.2
    escalated = (rng.random(2000) < risk).astype(int)
    point = choose_threshold(risk, escalated, target=0.05, min_diverted=10, conservative=False)
    bound = choose_threshold(risk, escalated, target=0.05, min_diverted=10, conservative=True)
    assert 0 < bound < point, f"the upper-bound rule must be stricter: {bound} vs {point}"


def test_no_safe_threshold_diverts_nothing() -> None:
    risk = np.linspace(0.1, 0.9, 50)
    escalated = np.ones(50, dtype=int)
    assert choose_threshold(risk, escalated, target=0.02, min_diverted=5) == 0.0


def test_conformal_band_covers_each_class_at_the_stated_rate() -> None:
    # Given calibration and test calls from the same distribution
    rng = np.random.default_rng(1)

    def draw(n: int) -> tuple[np.ndarray, np.ndarray]:
        risk = rng.beta(1, 12, n)
        return risk, (rng.random(n) < risk).astype(int)

    cal_risk, cal_y = draw(100_000)  # about 7,500 escalated calls per split: sampling noise under 1%
    test_risk, test_y = draw(100_000)
    # When the band is fitted at alpha = 0.2
    low, high = conformal_band(cal_risk, cal_y, alpha=0.2)
    # Then at least about 80% of escalated test calls have "escalates" in their set, and of the others "does not"
    assert (test_risk[test_y == 1] >= low).mean() >= 0.78, low
    assert (test_risk[test_y == 0] <= high).mean() >= 0.78, high


def test_drift_factor_follows_a_rising_trend_and_ignores_a_falling_one() -> None:
    # Given escalation odds rising by log(2) a year over four years of history
    import numpy as np

    from callroute.training.thresholds import trend_factor

    rng = np.random.default_rng(0)
    years = rng.uniform(0, 4, 40_000)
    rising = rng.random(40_000) < 1 / (1 + np.exp(-(-3 + np.log(2) * years)))
    # When projected one year ahead, Then the odds are expected to double (within sampling error)
    assert trend_factor(years, rising, 1.0) == pytest.approx(2.0, rel=0.1)
    # And a falling trend never relaxes the target; no horizon means no adjustment
    assert trend_factor(4 - years, rising, 1.0) == 1.0
    assert trend_factor(years, rising, 0.0) == 1.0
