"""How much the default model's figures move with the draw of the synthetic data.

The default data are one draw (60,000 calls, seed 7). This script writes the same generator's data
with other seeds, trains the default experiment on each (nothing tracked: no MLflow run, no bundle)
and prints, per seed and per threshold window (``policy.recent_share``), the figures the README
quotes: test AUC, the certified threshold, diverted share and unsafe-diversion rate on the test
split, and the same on the unseen-wording set, and
the routing of the 40 hand-written plain-English calls (tests/model/plain_english.py).

    .venv/bin/python tests/benchmarks/seed_spread.py                     # seeds 7-10, windows 0.34 and 1.0
    .venv/bin/python tests/benchmarks/seed_spread.py --seeds 7 8 --windows 1.0
    .venv/bin/python tests/benchmarks/seed_spread.py --windows 1.0 --set features.ngram_dropout=0.4

Each training takes about 40 s; two run at a time (the machine has two cores).
"""

from __future__ import annotations

import argparse
import importlib.util
import multiprocessing
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

KEYS = ("auc", "threshold", "diverted_share", "unsafe_diversion_rate", "unsafe_diversion_ci_high",
        "wording_unseen_auc", "wording_unseen_diverted_share", "wording_unseen_unsafe_diversion_rate",
        "wording_unseen_plain_unsafe_diversion_rate", "wording_unseen_caller_unsafe_diversion_rate",
        "wording_seen_diverted_at_target", "wording_unseen_diverted_at_target", "narrative_only_threshold",
        "narrative_only_diverted_share", "narrative_only_unsafe_diversion_rate",
        "wording_seen_cad_unsafe_diversion_rate", "wording_seen_plain_unsafe_diversion_rate",
        "wording_seen_caller_unsafe_diversion_rate")
PLAIN = Path(__file__).resolve().parents[1] / "model" / "plain_english.py"


def run_one(data: Path, window: float, workdir: Path, settings: list[str]) -> dict[str, float]:
    """Train the default experiment (with ``window`` and ``settings``) on ``data``; KEYS and the 40 hand-written calls.

    Runs in its own process (the pool below), so each training's memory is returned when it ends.
    """
    from callroute.config import ExperimentConfig
    from callroute.jobs.training import run_training
    from callroute.schema import CallIn
    from callroute.settings import Settings

    config = ExperimentConfig.load()
    config = config.model_copy(update={"policy": config.policy.model_copy(update={"recent_share": window})})
    for setting in settings:
        key, value = setting.split("=", 1)
        section, name = key.split(".")
        part = getattr(config, section)
        current = getattr(part, name)
        parsed = value.lower() in ("1", "true", "yes") if isinstance(current, bool) else type(current)(value)
        config = config.model_copy(update={section: part.model_copy(update={name: parsed})})
    where = Settings(data_dir=workdir / "data", models_dir=workdir / "models", experiments_dir=workdir / "experiments")
    result = run_training(config, where, data=data, echo=lambda _: None, track=False)
    out = {k: float(result.metrics.get(k, float("nan"))) for k in KEYS}
    # The same bare narratives judged as before the narrative-only threshold existed (the others' thresholds).
    from dataclasses import replace

    from callroute.routing.policy import NARRATIVE_ONLY_FIELDS

    before = replace(result.router, policy=replace(result.router.policy, narrative_only_threshold=None))
    bare = before.assess(result.splits.test.assign(**dict.fromkeys(NARRATIVE_ONLY_FIELDS)))
    diverted = (bare["recommendation"] == "crisis_team").to_numpy()
    escalated = result.splits.test[config.label.name].astype(int).to_numpy()
    out["bare_before_diverted"] = float(diverted.mean())
    out["bare_before_unsafe"] = float(escalated[diverted].mean()) if diverted.any() else 0.0
    spec = importlib.util.spec_from_file_location("plain_english", PLAIN)
    plain = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(plain)
    route = result.router.route
    out["plain_dangerous_to_police"] = sum(route(CallIn(narrative=t)).recommendation == "police"
                                           for t in plain.DANGEROUS)
    out["plain_crisis_to_team"] = sum(route(CallIn(narrative=t)).recommendation == "crisis_team"
                                      for t in plain.CRISIS)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+", default=[7, 8, 9, 10])
    parser.add_argument("--windows", type=float, nargs="+", default=[0.34, 1.0])
    parser.add_argument("--rows", type=int, default=60_000)
    parser.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                        help="override a default experiment setting, e.g. features.ngram_dropout=0.4")
    args = parser.parse_args()

    from callroute.data import synth

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = {}
        for seed in args.seeds:
            files[seed] = root / f"calls-{seed}.csv"
            synth.write(files[seed], args.rows, seed=seed)
        jobs = [(seed, window) for window in args.windows for seed in args.seeds]
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=2, mp_context=context, max_tasks_per_child=1) as pool:
            futures = [pool.submit(run_one, files[seed], window, root / f"w{seed}-{window}", args.set)
                       for seed, window in jobs]
            results = [future.result() for future in futures]
    overrides = f" with {', '.join(args.set)}" if args.set else ""
    print(f"default experiment{overrides}, {args.rows:,} synthetic calls per seed; test split, then unseen wording "
          "(half B)")
    print("| window | seed | AUC | threshold | diverted | unsafe (upper 95%) | unseen AUC | unseen diverted | "
          "unseen unsafe (plain / caller's words) | diverted at 2%, own threshold: seen / unseen | "
          "hand-written: dangerous to police, crisis to team | narrative only: threshold, diverted / unsafe "
          "(without its threshold) | test unsafe by register: CAD / plain / caller's words |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for (seed, window), m in zip(jobs, results, strict=True):
        print(f"| {window:g} | {seed} | {m['auc']:.3f} | {m['threshold']:.4f} | {m['diverted_share']:.1%} | "
              f"{m['unsafe_diversion_rate']:.2%} ({m['unsafe_diversion_ci_high']:.2%}) | "
              f"{m['wording_unseen_auc']:.3f} | "
              f"{m['wording_unseen_diverted_share']:.1%} | {m['wording_unseen_unsafe_diversion_rate']:.2%} "
              f"({m['wording_unseen_plain_unsafe_diversion_rate']:.2%} / "
              f"{m['wording_unseen_caller_unsafe_diversion_rate']:.2%}) | "
              f"{m['wording_seen_diverted_at_target']:.1%} / {m['wording_unseen_diverted_at_target']:.1%} | "
              f"{m['plain_dangerous_to_police']:.0f}/20, {m['plain_crisis_to_team']:.0f}/20 | "
              f"{m['narrative_only_threshold']:.4f}, {m['narrative_only_diverted_share']:.1%} / "
              f"{m['narrative_only_unsafe_diversion_rate']:.2%} ({m['bare_before_diverted']:.1%} / "
              f"{m['bare_before_unsafe']:.2%}) | {m['wording_seen_cad_unsafe_diversion_rate']:.2%} / "
              f"{m['wording_seen_plain_unsafe_diversion_rate']:.2%} / "
              f"{m['wording_seen_caller_unsafe_diversion_rate']:.2%} |")


if __name__ == "__main__":
    main()
