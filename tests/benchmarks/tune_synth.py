"""Tune the generator's per-type base log-odds to the escalation rates its comments cite.

Run by hand after changing the latent model (``.venv/bin/python tests/benchmarks/tune_synth.py``);
it prints the tuned ``base_logit`` per call type, to be copied into ``synth.CALL_TYPES``.
Each pass generates 200,000 calls and moves every base by the log-odds gap to its target.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from callroute import synth

TARGETS = {
    "WELFARE CHECK": 0.01,
    "647F INTOXICATED PERSON": 0.025,
    "5150 MENTAL HEALTH CRISIS": 0.03,
    "SUICIDAL PERSON": 0.025,
    "415 DISTURBANCE": 0.16,
    "602 TRESPASS": 0.03,
    "314 INDECENT EXPOSURE": 0.02,
    "NARCOTICS / SYRINGE DISPOSAL": 0.02,
    "SUSPICIOUS PERSON": 0.05,
    "NOISE COMPLAINT": 0.015,
    "DOMESTIC DISTURBANCE": 0.22,
    "ASSAULT": 0.28,
    "THREATS": 0.15,
}


def _logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def rates(rows: int = 200_000, seed: int = 1) -> pd.Series:
    """Escalation rate by generator call type."""
    frame = pd.DataFrame(list(synth.generate_rows(rows, seed)))
    escalated = frame[["weapon_found", "violence", "backup_requested", "injury"]].max(axis=1)
    key = frame["call_type"].map({c: p.key for p in synth.CALL_TYPES for c, _ in p.legacy_codes + p.current_codes})
    return escalated.groupby(key).mean()


def main(passes: int = 4) -> None:
    """Print tuned base log-odds."""
    for step in range(passes):
        observed = rates(seed=step + 1)
        synth.CALL_TYPES = tuple(
            dataclasses.replace(p, base_logit=round(p.base_logit + _logit(TARGETS[p.key]) - _logit(observed[p.key]), 2))
            for p in synth.CALL_TYPES
        )
        print(f"pass {step + 1}: largest gap {max(abs(observed[k] - t) for k, t in TARGETS.items()):.4f}")
    final = rates(seed=99)
    for p in synth.CALL_TYPES:
        print(f"{p.key:<30} base_logit {p.base_logit:6.2f}  rate {final[p.key]:.3f} (target {TARGETS[p.key]:.3f})")


if __name__ == "__main__":
    main()
