"""The model card shipped in every bundle and logged with its run."""

from __future__ import annotations

from callroute.config import ExperimentConfig
from callroute.data.labels import describe
from callroute.routing.router import Router


def model_card(router: Router, metrics: dict[str, float], config: ExperimentConfig, data_digest: str) -> str:
    """A short model card in Markdown."""
    rows = "\n".join(f"| {k} | {v:.4f} |" for k, v in sorted(metrics.items()))
    bare = router.policy.narrative_only_threshold
    narrative_only = ("" if bare is None else f" A call that comes with a narrative only (no call type, priority, "
                      f"caller type or premise history) is diverted when its risk <= "
                      f"{min(bare, router.policy.threshold):.4f} (or its district's threshold, if lower); "
                      f"{bare:.4f} was certified on the calibration calls with those fields blanked.")
    return f"""# Model card: {router.name} (version {router.version})

**Intended use.** Decision support for 911 dispatch: recommend an unarmed crisis team or police for a
call, with a calibrated escalation risk and an explanation. A dispatcher decides; red-line rules
({router.ruleset.ruleset_id}) force police whatever the model says.

**Label.** {describe(config.label)}. Arrests are not used: they happen mostly where police went.

**Data.** sha256 {data_digest}; time split train {config.split.train:.0%} / calibration
{config.split.calibration:.0%} / test (newest calls).

**Policy.** Divert when escalation risk <= {router.policy.threshold:.4f}, chosen on the calibration split
for an unsafe-diversion target of {router.policy.unsafe_diversion_target:.1%}.{narrative_only}

**Test-split figures.**

| metric | value |
|---|---|
{rows}

**Limits.** Trained on the data above only; on another agency's calls, retrain and re-check calibration.
Narrative demographic descriptors are masked before features.
"""
