"""Calls that arrive with fewer fields: is the deployed threshold still safe for them?

    .venv/bin/python tests/benchmarks/sparse_calls.py [--data data/calls.csv]

The champion's threshold is certified on calibration calls scored with every field they have. A call
that comes with a narrative only (a plain-English call, an export without call types) is scored
with less information. This script scores the default data's calibration and test splits again with
fields blanked (none; the call type; every field that describes the call, routing/policy.py
NARRATIVE_ONLY_FIELDS; those and the district) through ``Router.assess`` and prints, for each, the test
split's diverted share and unsafe-diversion rate as served (city-wide, district and narrative-only
thresholds), the same judged without the narrative-only threshold (as before it existed), and the
city-wide threshold the same certification rule would choose on calibration calls blanked the same
way, with its test figures.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from callroute.config import ExperimentConfig
from callroute.data.ingest import load_calls
from callroute.registry.bundle import load_bundle
from callroute.routing.policy import NARRATIVE_ONLY_FIELDS
from callroute.settings import Settings
from callroute.training.fit import time_split
from callroute.training.thresholds import choose_threshold

LEVELS = {"all fields": [], "no call type": ["call_type"],
          "narrative only (district and time kept)": list(NARRATIVE_ONLY_FIELDS),
          "narrative only, no district": [*NARRATIVE_ONLY_FIELDS, "district"]}


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
    print("| fields the call comes with | as served: diverted / unsafe | without the narrative-only threshold | "
          "certified on calls like these: threshold | its diverted / unsafe |")
    print("|---|---|---|---|---|")
    before = replace(router, policy=replace(router.policy, narrative_only_threshold=None))
    for name, blank in LEVELS.items():
        # Every figure comes from the Router as it serves (rules, scores, district thresholds): Router.assess.
        cal = router.assess(splits.calibration.assign(**dict.fromkeys(blank)))
        test = router.assess(splits.test.assign(**dict.fromkeys(blank)))
        served = (test["recommendation"] == "crisis_team").to_numpy()
        old = (before.assess(splits.test.assign(**dict.fromkeys(blank)))["recommendation"] == "crisis_team").to_numpy()
        cal_ok, test_ok = ~cal["red_line"].to_numpy(), ~test["red_line"].to_numpy()
        own = choose_threshold(cal["escalation_risk"].to_numpy()[cal_ok], cal_y[cal_ok], target=target, min_diverted=30)
        certified = test_ok & (test["escalation_risk"].to_numpy() <= own)
        print(f"| {name} | {served.mean():.1%} / {test_y[served].mean():.2%} | "
              f"{old.mean():.1%} / {test_y[old].mean():.2%} | {own:.4f} | "
              f"{certified.mean():.1%} / {test_y[certified].mean() if certified.any() else 0:.2%} |")

if __name__ == "__main__":
    main()
