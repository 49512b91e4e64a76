"""Tune the generator's per-type base log-odds to the escalation rates its profiles cite.

Run by hand after changing the latent model or the narrative writer:

    .venv/bin/python tests/benchmarks/tune_synth.py            # print the tuned values only
    .venv/bin/python tests/benchmarks/tune_synth.py --write    # write them into data/synth/profiles.toml

Each pass generates 200,000 calls and moves every type's base by the log-odds gap between its
observed escalation rate and its ``target_rate`` (both in profiles.toml).
"""

from __future__ import annotations

import argparse
import dataclasses

import numpy as np
import pandas as pd

from callroute.data import synth
from callroute.data.synth.profiles import Profiles, load_profiles, shipped_path, write_base_logits


def _logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def rates(profiles: Profiles, rows: int = 200_000, seed: int = 1) -> pd.Series:
    """Escalation rate by generator call type."""
    frame = pd.DataFrame(list(synth.generate_rows(rows, seed, profiles=profiles)))
    escalated = frame[["weapon_found", "violence", "backup_requested", "injury"]].max(axis=1)
    return escalated.groupby(frame["call_type"].map(profiles.code_to_key())).mean()


def tune(profiles: Profiles, passes: int = 4, rows: int = 200_000) -> Profiles:
    """Move each base_logit towards its target, ``passes`` times."""
    for step in range(passes):
        observed = rates(profiles, rows, seed=step + 1)
        profiles = dataclasses.replace(profiles, call_types=tuple(
            dataclasses.replace(p, base_logit=round(p.base_logit + _logit(p.target_rate) - _logit(observed[p.key]), 2))
            for p in profiles.call_types
        ))
        gap = max(abs(observed[p.key] - p.target_rate) for p in profiles.call_types)
        print(f"pass {step + 1}: largest gap {gap:.4f}")
    return profiles


def main() -> None:
    """Tune, print, and with --write store the result in the shipped profiles file."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--passes", type=int, default=4)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--write", action="store_true", help="write the tuned base_logit values to profiles.toml")
    args = parser.parse_args()
    tuned = tune(load_profiles(), args.passes, args.rows)
    final = rates(tuned, args.rows, seed=99)
    for p in tuned.call_types:
        print(f"{p.key:<30} base_logit {p.base_logit:6.2f}  rate {final[p.key]:.3f} (target {p.target_rate:.3f})")
    if args.write:
        write_base_logits(shipped_path(), {p.key: p.base_logit for p in tuned.call_types})
        print(f"written to {shipped_path()}")


if __name__ == "__main__":
    main()
