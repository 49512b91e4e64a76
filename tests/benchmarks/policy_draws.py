"""Does the safety promise hold in every district? Thresholds fitted on many draws, judged on later calls.

For each generator seed this script writes 60,000 calls, fits the default model once (time split: the
test calls are the newest, a later window than the calibration calls), then fits the routing policy on the
same calibration calls with each risk-control method (``policy.risk_control``: the Wilson rule with the
city's threshold as a district's fallback, and Learn then Test per district) and judges both on the test
split. It prints, per draw and method, the thresholds, diverted share and unsafe-diversion rate of every
district, then per method the share of (draw, district) pairs whose test unsafe rate exceeds the 2% target
(Learn then Test promises at most ``delta``, 10%) and the city's diverted share.

    .venv/bin/python tests/benchmarks/policy_draws.py                  # seeds 7-26 (20 draws)
    .venv/bin/python tests/benchmarks/policy_draws.py --seeds 7 8 9

Each draw takes about a minute (generation, one fit, scoring); two run at a time (two cores).
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import tempfile
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

METHODS = ("wilson", "ltt")
TARGET = 0.02


def run_draw(seed: int, rows: int) -> dict:
    """One draw: per method, per district (and the city), threshold, test calls, diverted, unsafe rate."""
    warnings.filterwarnings("ignore")
    import numpy as np
    import pandas as pd

    from callroute.config import ExperimentConfig
    from callroute.data import synth
    from callroute.data.ingest import load_calls
    from callroute.training.fit import fit_router, time_split
    from callroute.training.thresholds import fit_policy

    with tempfile.TemporaryDirectory() as workdir:
        path = Path(workdir) / "calls.csv"
        synth.write(path, rows, seed=seed)
        config = ExperimentConfig()
        calls, _ = load_calls(path, label=config.label)
    splits = time_split(calls, config)
    router = fit_router(splits, config)
    label = config.label.name

    def scored(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        risk = router.assess(frame)["escalation_risk"].to_numpy()
        red = np.array([router.ruleset.evaluate(t).fired for t in frame["narrative"]])
        return risk, red, frame[label].astype(int).to_numpy(), frame["district"].fillna("").to_numpy(dtype=str)

    cal_risk, cal_red, cal_y, _ = scored(splits.calibration)
    risk, red, y, district = scored(splits.test)
    history = pd.concat([splits.train, splits.calibration])
    out: dict = {"seed": seed}
    for method in METHODS:
        method_config = config.model_copy(update={"policy": config.policy.model_copy(update={"risk_control": method})})
        policy, _, _ = fit_policy(splits.calibration, cal_risk, cal_y, ~cal_red, method_config, history=history)
        diverted = ~red & (risk <= np.array([policy.threshold_for(d or None) for d in district]))
        rows_out = {}
        for name in sorted(set(district) - {""}):
            here = district == name
            sent = diverted & here
            rows_out[name] = {"threshold": policy.threshold_for(name), "diverted": float(sent.sum() / here.sum()),
                              "unsafe": float(y[sent].mean()) if sent.any() else 0.0, "sent": int(sent.sum())}
        out[method] = {"districts": rows_out, "city_diverted": float(diverted.mean()),
                       "city_unsafe": float(y[diverted].mean()) if diverted.any() else 0.0,
                       "threshold": policy.threshold, "drift_factor": policy.drift_factor}
    return out


def main() -> None:
    """Run the draws two at a time and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=list(range(7, 27)))
    parser.add_argument("--rows", type=int, default=60_000)
    args = parser.parse_args()
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        draws = list(pool.map(run_draw, args.seeds, [args.rows] * len(args.seeds)))
    for method in METHODS:
        print(f"\n## {method}: per draw, each district's threshold / diverted / unsafe on the test split")
        names = sorted(draws[0][method]["districts"])
        print("| seed | city threshold | city diverted / unsafe | " + " | ".join(names) + " |")
        print("|---" * (3 + len(names)) + "|")
        over, pairs = 0, 0
        for draw in draws:
            result = draw[method]
            cells = []
            for name in names:
                row = result["districts"][name]
                pairs += 1
                # a district that diverts nothing cannot run over the target
                over += row["sent"] > 0 and row["unsafe"] > TARGET
                cells.append(f"{row['threshold']:.3f} / {row['diverted']:.0%} / {row['unsafe']:.2%}")
            print(f"| {draw['seed']} | {result['threshold']:.4f} | {result['city_diverted']:.1%} / "
                  f"{result['city_unsafe']:.2%} | " + " | ".join(cells) + " |")
        shares = [d[method]["city_diverted"] for d in draws]
        print(f"\n{method}: (draw, district) pairs over {TARGET:.0%} on test: {over} of {pairs} ({over / pairs:.1%}); "
              f"city diverted share: median {statistics.median(shares):.1%}, min {min(shares):.1%}, "
              f"max {max(shares):.1%}")


if __name__ == "__main__":
    main()
