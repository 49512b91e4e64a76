"""The capacity simulator against Erlang C, and its run time on a year of calls.

    .venv/bin/python tests/benchmarks/bench_simulate.py

Prints, for M/M/c queues (Poisson arrivals, exponential 30-minute service, constant roster, 365 days):
P(wait) and mean wait simulated vs Erlang C; then the wall time of one simulated year of the default
generated calls (data/calls.csv must exist: `make train` writes it) with the default roster.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "unit" / "simulation"))
from test_engine import mmc, poisson_calls  # noqa: E402  (the tests' own M/M/c set-up)

from callroute.simulation.config import SimulationConfig  # noqa: E402
from callroute.simulation.engine import simulate  # noqa: E402
from callroute.simulation.queueing import erlang_c, mean_wait  # noqa: E402


def main() -> None:
    """Print the Erlang C table and the one-year run time."""
    print("| teams c | load a (Erlangs) | calls | P(wait) simulated | P(wait) Erlang C | mean wait simulated (min) "
          "| mean wait Erlang C (min) |")
    print("|---|---|---|---|---|---|---|")
    for servers, load in [(1, 0.5), (1, 0.8), (2, 1.5), (3, 2.1), (5, 4.0), (8, 6.8)]:
        rate = load / 30.0
        calls = poisson_calls(rate, days=365, seed=servers * 10 + int(load * 10))
        result = simulate(calls, mmc(servers, 30.0)).calls
        print(f"| {servers} | {load} | {len(calls):,} | {(result['wait'] > 1e-9).mean():.3f} | "
              f"{erlang_c(servers, load):.3f} | {result['wait'].mean():.2f} | {mean_wait(servers, rate, 1 / 30):.2f} |")
    calls = pd.read_csv(ROOT / "data" / "calls.csv", usecols=["received_at", "district"], parse_dates=["received_at"])
    year = calls[calls["received_at"].dt.year == calls["received_at"].dt.year.max()].copy()
    rng = np.random.default_rng(0)
    year["eligible"] = rng.random(len(year)) < 0.37
    year["risk"] = 0.02
    started = time.perf_counter()
    summary = simulate(year, SimulationConfig()).summary()
    print(f"\none year: {len(year):,} calls, {summary['eligible']:,.0f} diverted, default roster: "
          f"{time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
