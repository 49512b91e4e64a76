"""Figures for the decision log and hot reload, on the real server (``make bench``).

Uses the same server and client helpers as tests/integration/test_serving_durability.py (which
asserts the counts); this script prints the numbers: commits per decision under concurrency,
acknowledged decisions found after SIGKILL of two workers, and a promotion under load (failed
requests, decisions per version, latency of requests around the swap against the steady state).

Needs a trained champion in ``models/champion`` (``make train``).
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))

from test_serving_durability import Load, Server, _logged

from callroute.registry.bundle import load_bundle, write_bundle


def main() -> None:
    """Print the group-commit, SIGKILL and hot-reload figures."""
    source = Path("models/champion")
    if not source.exists():
        sys.exit("no models/champion: run `make train` first")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        bundle = root / "champion"
        shutil.copytree(source, bundle)

        # Group commit, one worker, 16 clients.
        server = Server(bundle, root / "one.sqlite", workers=1)
        load = Load(server.port, clients=16)
        load.wait_for(2000)
        load.finish()
        gauges = {line.split()[0]: float(line.split()[1]) for line in server.get("/metrics")[1].splitlines()
                  if line.startswith("callroute_decision_log_")}
        server.kill()
        commits, written = gauges["callroute_decision_log_commits"], gauges["callroute_decision_log_written"]
        print(f"group commit, 1 worker, 16 clients: {written:.0f} decisions in {commits:.0f} commits "
              f"({written / commits:.1f} decisions per commit), failed requests {len(load.failed)}")

        # SIGKILL of two workers under load.
        log = root / "two.sqlite"
        server = Server(bundle, log, workers=2)
        load = Load(server.port, clients=16)
        load.wait_for(3000)
        server.kill()
        load.finish()
        acknowledged = {d["request_id"] for d in load.acknowledged}
        logged = _logged(log)
        print(f"SIGKILL of 2 workers under 16 clients: {len(acknowledged)} decisions acknowledged, "
              f"{len(acknowledged - logged.keys())} missing from the log, {len(logged)} in the log "
              f"({len(logged.keys() - acknowledged)} committed but not yet answered when killed)")

        # Promotion under load.
        log = root / "reload.sqlite"
        # The new version is loaded here before the clients start: unpickling it in the clients' process under
        # load would stall their threads (the GIL) and count as server latency before the swap.
        promoted, manifest = load_bundle(bundle)
        server = Server(bundle, log, workers=1, reload_interval=0.5)
        load = Load(server.port, clients=8)
        load.wait_for(1000)
        old = promoted.version
        promoted.version = "reloaded"
        swap_started = time.monotonic()
        write_bundle(promoted, bundle, extra_files={}, manifest={"run_id": manifest.get("run_id")})
        served = old
        while served != "reloaded" and time.monotonic() - swap_started < 120:
            served = json.loads(server.get("/v1/model")[1])["version"]
            time.sleep(0.05)
        swapped_after = time.monotonic() - swap_started
        load.wait_for(len(load.acknowledged) + 1000)
        load.finish()
        server.kill()
        versions = Counter(d["model"]["version"] for d in load.acknowledged)
        print(f"promotion under 8 clients: new version served {swapped_after:.1f} s after the bundle was written "
              f"(polling every 0.5 s, then verify + load); failed requests {len(load.failed)}; decisions by "
              f"version {dict(versions)}")
        steady = sorted(t for at, t in load.timings if at < swap_started)
        around = sorted(t for at, t in load.timings if swap_started <= at <= swap_started + swapped_after + 1.0)
        print(f"  latency before the swap: p50 {statistics.median(steady) * 1e3:.1f} ms, "
              f"p99 {steady[int(0.99 * len(steady))] * 1e3:.1f} ms, max {steady[-1] * 1e3:.1f} ms "
              f"({len(steady)} requests)")
        print(f"  latency from the write to 1 s after the swap: p50 {statistics.median(around) * 1e3:.1f} ms, "
              f"p99 {around[int(0.99 * len(around))] * 1e3:.1f} ms, max {around[-1] * 1e3:.1f} ms "
              f"({len(around)} requests)")


if __name__ == "__main__":
    main()
