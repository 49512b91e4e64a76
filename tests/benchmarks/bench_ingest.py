"""Scale of ingestion: generating, checking and (optionally) training on a million calls.

    .venv/bin/python tests/benchmarks/bench_ingest.py [--rows 1000000] [--train]

Each step runs as its own process (as a user runs it) and is measured with os.wait4: wall time and
peak resident memory. The peer is pandas.read_csv of the same file with every column as a string
(parsing only: no validation, no accounting), measured in the same run. Targets (issue 10): data check
<= 30 s and <= 1 GB; synth <= 60 s; training end to end <= 10 min within 8 GB.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def measured(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one child process; fails loudly if the command fails."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, env={**os.environ, **(env or {})})
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    """Print one line per step."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--train", action="store_true", help="also train on the file (minutes)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "calls.csv"
        env = {"CALLROUTE_DATA_DIR": f"{tmp}/data", "CALLROUTE_EXPERIMENTS_DIR": f"{tmp}/exp",
               "CALLROUTE_MODELS_DIR": f"{tmp}/models"}
        steps = [
            ("callroute data synth", [str(BIN / "callroute"), "data", "synth", "--rows", str(args.rows), "--out",
                                      str(path), "--quiet"]),
            ("peer: pandas.read_csv(dtype=str)", [sys.executable, "-c", "import pandas, sys; "
                                                  f"pandas.read_csv({str(path)!r}, dtype=str, keep_default_na=False)"]),
            ("callroute data check", [str(BIN / "callroute"), "data", "check", str(path)]),
        ]
        if args.train:
            steps.append(("callroute train", [str(BIN / "callroute"), "train", "--data", str(path)]))
        results = {}
        for name, command in steps:
            results[name] = measured(command, env)
            print(f"{name:<36} {args.rows:>9,} rows  {results[name][0]:7.1f} s  peak RSS {results[name][1]:7.0f} MB",
                  flush=True)
        check, peer = results["callroute data check"], results["peer: pandas.read_csv(dtype=str)"]
        print(f"data check / peer: {check[0] / peer[0]:.2f}x the time, {check[1] / peer[1]:.2f}x the memory")


if __name__ == "__main__":
    main()
