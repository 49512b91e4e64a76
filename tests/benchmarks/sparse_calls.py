"""Calls that arrive with fewer fields: is the deployed threshold still safe for them?

    .venv/bin/python tests/benchmarks/sparse_calls.py [--data data/calls.csv]

The champion's threshold is certified on calibration calls scored with every field they have. A call
that comes with a narrative only (a plain-English call, an export without call types) is scored
with less information. This script scores the default data's calibration and test splits again with
fields blanked (none; the call type; every structured field) through ``Router.assess`` and prints, for
each, the test split's diverted share and unsafe-diversion rate as served (city-wide and district
thresholds), and the city-wide threshold the same certification rule would choose on calibration calls
blanked the same way, with its test figures.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from callroute.config import ExperimentConfig
from callroute.data.ingest import load_calls
from callroute.registry.bundle import load_bundle
from callroute.routing.policy import choose_threshold
from callroute.settings import Settings
from callroute.training.fit import time_split

LEVELS = {"all fields": [], "no call type": ["call_type"],
          "narrative only": ["call_type", "priority", "caller_type", "district", "location_prior_calls"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("data/calls.csv"))
    args = parser.parse_args()
    router, manifest = load_bundle(Settings().resolved_bundle_dir)
    config = ExperimentConfig.load()
    calls, _ = load_calls(args.data, label=config.label)
    splits = time_split(calls, config)
    label = config.label.name
    target = router.policy.unsafe_diversion_target / router.policy.drift_factor
    cal_y, test_y = (splits.calibration[label].astype(int).to_numpy(), splits.test[label].astype(int).to_numpy())
    print(f"champion v{manifest.get('version')}, city-wide threshold {router.policy.threshold:.4f}; "
          f"test split {len(test_y):,} calls")
    print("| fields the call comes with | as served: diverted / unsafe | "
          "certified on calls like these: threshold | its diverted / unsafe |")
    print("|---|---|---|---|")
    for name, blank in LEVELS.items():
        # Every figure comes from the Router as it serves (rules, scores, district thresholds): Router.assess.
        cal = router.assess(splits.calibration.assign(**dict.fromkeys(blank)))
        test = router.assess(splits.test.assign(**dict.fromkeys(blank)))
        served = (test["recommendation"] == "crisis_team").to_numpy()
        cal_ok, test_ok = ~cal["red_line"].to_numpy(), ~test["red_line"].to_numpy()
        own = choose_threshold(cal["escalation_risk"].to_numpy()[cal_ok], cal_y[cal_ok], target=target, min_diverted=30)
        certified = test_ok & (test["escalation_risk"].to_numpy() <= own)
        print(f"| {name} | {served.mean():.1%} / {test_y[served].mean():.2%} | {own:.4f} | "
              f"{certified.mean():.1%} / {test_y[certified].mean() if certified.any() else 0:.2%} |")

if __name__ == "__main__":
    main()
