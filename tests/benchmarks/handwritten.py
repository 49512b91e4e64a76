"""Benchmark: the whole router on the hand-written corpus (tests/fixtures/handwritten/calls.csv), per split.

Run with ``python tests/benchmarks/handwritten.py [BUNDLE ...]`` after ``make train``. For each bundle and each
split (``dev``: rules and facts may be tuned on it; ``held_out``: nothing is) it prints dangerous calls sent to
police, crisis calls sent to the crisis team, textbook crisis calls sent to the team, by register, lists
the misses of the held-out half (``--misses``), and the time of ``Router.route`` on every call of the corpus,
each once (p50, p95: facts, rules, reasons and exact explanation included).
"""

from __future__ import annotations

import sys
import time
import warnings
from collections import defaultdict
from pathlib import Path

from callroute.data.golden import GoldenCalls
from callroute.registry.bundle import load_bundle
from callroute.schema import CallIn

CORPUS = Path(__file__).parents[1] / "fixtures" / "handwritten" / "calls.csv"


def route_corpus(router, calls: GoldenCalls) -> dict[str, str]:
    """id -> recommendation for every call."""
    decisions = router.route_many([CallIn(narrative=c.narrative) for c in calls])
    return {c.id: d.recommendation for c, d in zip(calls, decisions, strict=True)}


def summary(calls: GoldenCalls, routes: dict[str, str]) -> dict[str, tuple[int, int]]:
    """(right, total) for dangerous -> police, crisis -> team, textbook -> team, and per register."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for call in calls:
        if call.expected_route == "any":
            continue
        right = routes[call.id] == call.expected_route
        kind = "dangerous -> police" if call.expected_route == "police" else "crisis -> team"
        for key in (kind, f"{kind} ({call.register})", *(["textbook -> team"] if call.textbook else [])):
            out[key][0] += right
            out[key][1] += 1
    return {k: (v[0], v[1]) for k, v in sorted(out.items())}


def latency(router, calls: GoldenCalls) -> str:
    """p50 and p95 of one call's route, in milliseconds (after 200 warm-up calls)."""
    requests = [CallIn(narrative=c.narrative) for c in calls]
    for request in requests[:200]:
        router.route(request)
    times = []
    for request in requests:
        start = time.perf_counter()
        router.route(request)
        times.append(time.perf_counter() - start)
    times.sort()
    return f"p50 {times[len(times) // 2] * 1e3:.3f} ms, p95 {times[int(len(times) * 0.95)] * 1e3:.3f} ms"


def main(bundles: list[Path], show_misses: bool) -> None:
    """Print the table for each bundle."""
    warnings.filterwarnings("ignore")
    calls = GoldenCalls.read(CORPUS)
    for bundle in bundles:
        router, _ = load_bundle(bundle)
        routes = route_corpus(router, calls)
        print(f"## {bundle} ({router.ruleset.ruleset_id})")
        print("| measure | dev | held_out |")
        print("|---|---|---|")
        tables = {split: summary(calls.split(split), routes) for split in ("dev", "held_out")}
        for key in tables["held_out"]:
            cells = []
            for split in ("dev", "held_out"):
                right, total = tables[split].get(key, (0, 0))
                cells.append(f"{right}/{total} ({right / total:.0%})" if total else "-")
            print(f"| {key} | {cells[0]} | {cells[1]} |")
        print(f"`Router.route` on the {len(calls)} calls, each once: {latency(router, calls)}")
        if show_misses:
            for call in calls.split("held_out"):
                if call.expected_route != "any" and routes[call.id] != call.expected_route:
                    print(f"  MISS {call.expected_route:12s} -> {routes[call.id]:12s} {call.narrative[:110]}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--misses"]
    main([Path(a) for a in args] or [Path("models/champion")], "--misses" in sys.argv)
