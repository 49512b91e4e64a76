"""The promotion gate as a table: challenger figures x champion figures x configuration -> decision."""

from __future__ import annotations

import pytest

from callroute.config import ExperimentConfig
from callroute.registry.gate import promotion_gate


def _figures(diverted: float, unsafe: float) -> dict[str, float]:
    return {"diverted_share": diverted, "unsafe_diversion_rate": unsafe,
            "unsafe_diversion_ci_low": max(unsafe - 0.004, 0.0), "unsafe_diversion_ci_high": unsafe + 0.004}


def _config(*, split: str = "time", target: float = 0.02, tolerance: float = 0.0) -> ExperimentConfig:
    config = ExperimentConfig()
    config.split.method = split
    config.policy.unsafe_diversion_target = target
    config.promotion.diverted_share_tolerance = tolerance
    return config


@pytest.mark.parametrize(
    ("challenger", "champion", "config", "promoted", "says"),
    [
        # no champion yet: a safe challenger is promoted
        (_figures(0.40, 0.019), None, _config(), True, "no champion"),
        # unsafe above target: refused however much it diverts, with or without a champion
        (_figures(0.70, 0.021), None, _config(), False, "above the target"),
        (_figures(0.70, 0.021), _figures(0.10, 0.01), _config(), False, "above the target"),
        # exactly at the target is allowed
        (_figures(0.40, 0.020), None, _config(), True, "no champion"),
        # a looser target lets the same figures through
        (_figures(0.70, 0.021), None, _config(target=0.04), True, "no champion"),
        # a random split is never promoted, even when it is the first model
        (_figures(0.40, 0.010), None, _config(split="random"), False, "time split"),
        # diverts more than the champion: promoted
        (_figures(0.45, 0.019), _figures(0.42, 0.019), _config(), True, "promoted: diverted share 45.00%"),
        # a tie keeps the champion (no churn without a gain)
        (_figures(0.42, 0.015), _figures(0.42, 0.019), _config(), False, "does not exceed"),
        # diverts less: refused, unless within the tolerance
        (_figures(0.41, 0.015), _figures(0.42, 0.019), _config(), False, "does not exceed"),
        (_figures(0.41, 0.015), _figures(0.42, 0.019), _config(tolerance=0.02), True, "tolerance 2.00%"),
        # a champion that logged no diverted share counts as diverting nothing
        (_figures(0.01, 0.0), {}, _config(), True, "vs champion"),
    ],
)
def test_gate_decides_from_figures_and_configuration_alone(challenger, champion, config, promoted, says) -> None:
    # Given a challenger's and a champion's test figures, When the gate decides, Then it says why
    decision = promotion_gate(challenger, champion, config, champion_version="3")
    assert decision.promoted is promoted, f"expected promoted={promoted}: {decision.reason}"
    assert says in decision.reason, f"the reason should mention {says!r}: {decision.reason}"
    assert decision.reason.startswith("promoted" if promoted else "not promoted"), decision.reason


@pytest.mark.parametrize(
    ("district_figures", "promoted", "says"),
    [
        # a certified district above the target blocks the promotion, naming it
        ({"NORTH": (0.025, 1.0), "SOUTH": (0.010, 1.0)}, False, "certified district(s) NORTH 2.50%"),
        # an uncertified one (city-wide fallback, too few calls to judge) does not
        ({"NORTH": (0.025, 0.0), "SOUTH": (0.010, 1.0)}, True, "no champion"),
        # every certified district within the target
        ({"NORTH": (0.019, 1.0), "SOUTH": (0.020, 1.0)}, True, "no champion"),
        # any district, certified or not, whose whole test interval lies above the target blocks it
        ({"HARBOR": (0.045, 0.0, 0.021), "SOUTH": (0.010, 1.0)}, False, "clearly above the target 2.00% on the test "
         "split: HARBOR 4.50% (95% CI from 2.10%)"),
    ],
)
def test_a_certified_district_above_the_target_blocks_promotion(district_figures, promoted: bool, says: str) -> None:
    # Given a challenger safe city-wide, with per-district figures
    challenger = _figures(0.40, 0.015)
    for district, (unsafe, certified, *low) in district_figures.items():
        challenger[f"district_{district}_unsafe_diversion_rate"] = unsafe
        challenger[f"district_{district}_certified"] = certified
        challenger[f"district_{district}_unsafe_ci_low"] = low[0] if low else unsafe / 2
    decision = promotion_gate(challenger, None, _config())
    assert decision.promoted is promoted and says in decision.reason, decision.reason
