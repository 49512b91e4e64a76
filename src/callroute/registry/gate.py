"""The promotion gate: a pure function of (challenger figures, champion figures, configuration)."""

from __future__ import annotations

from dataclasses import dataclass

from callroute.config import ExperimentConfig
from callroute.training.verdict import districts_over


@dataclass(frozen=True)
class GateDecision:
    """Whether the challenger becomes champion, and the sentence that says why."""

    promoted: bool
    reason: str


def promotion_gate(
    challenger: dict[str, float],
    champion: dict[str, float] | None,
    config: ExperimentConfig,
    *,
    champion_version: str = "?",
) -> GateDecision:
    """Decide on the challenger's time-split test figures against the champion's (None: no champion).

    Safety first: a challenger whose diverted test calls escalate above the target is refused
    however many calls it diverts; a run on a random split is never promoted (only a time split
    measures what a model will meet on newer calls); otherwise the challenger must divert more
    than the champion minus the tolerance (a tie keeps the champion: no churn without a gain).
    """
    target = config.policy.unsafe_diversion_target
    if config.split.method != "time":
        return GateDecision(False, "not promoted: only a time split measures what a model will meet on newer calls")
    unsafe = challenger["unsafe_diversion_rate"]
    if unsafe > target:
        return GateDecision(False, (
            f"not promoted: unsafe-diversion rate {unsafe:.2%} on the test split "
            f"(95% CI {challenger['unsafe_diversion_ci_low']:.2%}-{challenger['unsafe_diversion_ci_high']:.2%}) "
            f"is above the target {target:.2%}"
        ))
    broken = sorted(
        key.removeprefix("district_").removesuffix("_unsafe_diversion_rate")
        for key, value in challenger.items()
        if key.startswith("district_") and key.endswith("_unsafe_diversion_rate") and value > target
        and challenger.get(key.replace("_unsafe_diversion_rate", "_certified"), 0.0) == 1.0
    )
    if broken:
        rates = ", ".join(f"{d} {challenger[f'district_{d}_unsafe_diversion_rate']:.2%}" for d in broken)
        return GateDecision(False, f"not promoted: unsafe-diversion rate above the target {target:.2%} in certified "
                                   f"district(s) {rates}")
    # Any district, certified or not, whose test interval lies wholly above the target (issue 23: a model was
    # promoted with two fallback districts over target). A district whose interval holds the target is named by
    # the verdict, not refused: its test calls cannot tell (refusing on the point estimate refused the default
    # model, which has no champion to fall back on).
    clearly = [(d, rate, low) for d, rate, low, _ in districts_over(challenger, target) if low > target]
    if clearly:
        rates = ", ".join(f"{d} {rate:.2%} (95% CI from {low:.2%})" for d, rate, low in clearly)
        return GateDecision(False, f"not promoted: district(s) clearly above the target {target:.2%} on the test "
                                   f"split: {rates}")
    if champion is None:
        return GateDecision(True, "promoted: there was no champion")
    previous = champion.get("diverted_share", 0.0)
    tolerance = config.promotion.diverted_share_tolerance
    diverted = challenger["diverted_share"]
    if diverted > previous - tolerance:
        return GateDecision(True, (
            f"promoted: diverted share {diverted:.2%} vs champion v{champion_version} "
            f"{previous:.2%} (tolerance {tolerance:.2%})"
        ))
    return GateDecision(False, (
        f"not promoted: diverted share {diverted:.2%} does not exceed champion "
        f"v{champion_version}'s {previous:.2%} minus tolerance {tolerance:.2%}"
    ))
