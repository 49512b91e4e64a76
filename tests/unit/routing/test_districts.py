"""Per-district thresholds: certified where a district's calls allow it, never looser than the city otherwise."""

from __future__ import annotations

import numpy as np
import pandas as pd

from callroute.routing.policy import Policy, decide
from callroute.training.thresholds import choose_threshold, family_wise_z, wilson_district_thresholds

RULE = {"target": 0.02, "min_diverted": 30, "conservative": True}


def _calls(spec: dict[str, tuple[int, float]], seed: int = 0) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Calibration calls per district: (number of calls, escalation rate among the lowest-risk half)."""
    rng = np.random.default_rng(seed)
    names, risk, y = [], [], []
    for district, (n, low_rate) in spec.items():
        r = np.sort(rng.uniform(0, 0.1, n))
        half = n // 2
        esc = np.r_[rng.random(half) < low_rate, rng.random(n - half) < 0.2]
        names += [district] * n
        risk.append(r)
        y.append(esc.astype(int))
    return pd.DataFrame({"district": names}), np.concatenate(risk), np.concatenate(y)


def test_each_district_gets_its_own_threshold_or_a_fallback_never_looser_than_the_city() -> None:
    # Given a large quiet district, a large district whose calm calls still escalate often, and two small ones
    calibration, risk, y = _calls({"BIG": (6000, 0.002), "RISKY": (4000, 0.06), "SMALL": (60, 0.0)})
    # SMALL_BAD: 200 calls evenly over 0-10% risk, none of the 40 lowest escalate, then one in ten
    bad_risk = np.linspace(0, 0.1, 200)
    bad_y = np.array([0] * 40 + [1 if i % 10 == 0 else 0 for i in range(160)])
    calibration = pd.concat([calibration, pd.DataFrame({"district": ["SMALL_BAD"] * 200})], ignore_index=True)
    risk, y = np.r_[risk, bad_risk], np.r_[y, bad_y]
    everyone = np.ones(len(y), dtype=bool)
    city = 0.03
    # When thresholds are chosen per district
    own, table = wilson_district_thresholds(calibration, risk, y, everyone, everyone, RULE, city, enabled=True)
    thresholds = dict(own)
    # Then the quiet district is certified with its own threshold
    assert table["BIG"]["certified"] and thresholds["BIG"] > 0, table["BIG"]
    # And a district whose lowest-risk calls escalate above the target diverts nothing, whatever its size
    assert table["RISKY"]["certified"] and thresholds["RISKY"] == 0.0, table["RISKY"]
    # And a small quiet district keeps the city's threshold, saying it is not certified and what it would need
    assert not table["SMALL"]["certified"] and "SMALL" not in thresholds, table["SMALL"]
    assert "too few calls to certify" in table["SMALL"]["note"] and table["SMALL"]["threshold"] == city
    # And a small district whose calls escalate more gets a lower threshold than the city's, never a higher one
    assert not table["SMALL_BAD"]["certified"] and thresholds["SMALL_BAD"] < city, table["SMALL_BAD"]


def test_switched_off_or_without_districts_there_is_only_the_city_threshold() -> None:
    calibration, risk, y = _calls({"BIG": (3000, 0.002)})
    everyone = np.ones(len(y), dtype=bool)
    assert wilson_district_thresholds(calibration, risk, y, everyone, everyone, RULE, 0.03, enabled=False) == ((), {})
    no_district = calibration.assign(district=None)
    assert wilson_district_thresholds(no_district, risk, y, everyone, everyone, RULE, 0.03, enabled=True) == ((), {})


def test_a_call_is_judged_against_its_district_threshold() -> None:
    policy = Policy(threshold=0.03, unsafe_diversion_target=0.02, review_low=0.0, review_high=0.0,
                    risk_quantiles=tuple(np.linspace(0, 0.2, 201)), district_thresholds=(("NORTH", 0.05),
                                                                                      ("HARBOR", 0.0)))
    assert decide(0.04, False, policy, "NORTH").recommendation == "crisis_team"
    assert decide(0.04, False, policy, "SOUTH").recommendation == "police", "no own threshold: the city's"
    assert decide(0.04, False, policy, None).recommendation == "police"
    assert decide(0.001, False, policy, "HARBOR").recommendation == "police", "0: nothing diverted there"
    assert decide(0.001, True, policy, "NORTH").recommendation == "police", "red lines first"


def test_district_bounds_are_family_wise_so_more_districts_cannot_certify_more_by_luck() -> None:
    # Given one district whose 1,500 lowest-risk calls escalate at 0.5%, the rest at 20%
    risk = np.linspace(0.0, 0.1, 3000)
    y = np.r_[(np.arange(1500) % 200 == 0), np.arange(1500) % 5 == 0].astype(int)
    alone = choose_threshold(risk, y, **RULE)
    # When it is certified alone (95%), and then as one of six districts
    calibration = pd.DataFrame({"district": ["ONLY"] * len(y)})
    everyone = np.ones(len(y), dtype=bool)
    own, _ = wilson_district_thresholds(calibration, risk, y, everyone, everyone, RULE, 0.0, enabled=True)
    six = pd.DataFrame({"district": ["ONLY"] * len(y) + [f"D{i}" for i in range(5) for _ in range(40)]})
    risk6, y6 = np.r_[risk, np.full(200, 0.5)], np.r_[y, np.ones(200, dtype=int)]
    own6, _ = wilson_district_thresholds(six, risk6, y6, np.ones(len(y6), bool), np.ones(len(y6), bool), RULE, 0.0,
                                   enabled=True)
    # Then alone it gets the usual 95% threshold, and among six a lower one (wider bound, z 2.64 not 1.96)
    assert dict(own)["ONLY"] == alone > 0, (own, alone)
    assert 0 < dict(own6)["ONLY"] < alone, (own6, alone)
    assert round(family_wise_z(1), 2) == 1.96 and round(family_wise_z(6), 2) == 2.64
