"""Benchmark: training time, bundle/server start-up, routing latency and throughput.

Run with ``make bench`` (not part of the test suite). Everything happens in a
temporary directory with the default experiment (30,000 synthetic calls). The
named peer is the bare scikit-learn pipeline (``predict_proba``) on the same call:
the ratio says what rules, redaction, calibration, policy and the exact
explanation cost on top of the model itself.
"""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from callroute.config import ExperimentConfig
from callroute.data import synth
from callroute.jobs.training import run_training
from callroute.model.features import prepare_frame
from callroute.registry.bundle import load_bundle
from callroute.schema import CALL_FEATURE_COLUMNS, CallIn
from callroute.settings import Settings

CALL = CallIn(
    narrative="RP STS SUBJ YELLING AT CUSTOMERS IFO 7-11, HX 5150, NEG WPNS. UPDT: SUBJ SAT DOWN",
    call_type="415 DISTURBANCE",
    district="SOUTH",
    received_at="2024-06-01T22:15:00",
    caller_type="business",
    priority=3,
    location_prior_calls=2,
)


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"p50 {p50 * 1e3:.2f} ms, p95 {p95 * 1e3:.2f} ms"


def _time(fn, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    """Print the figures recorded in the README's performance section."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        settings = Settings(data_dir=root / "data", models_dir=root / "models", experiments_dir=root / "exp",
                            api_keys="bench-key-0123456789abcdef")
        config = ExperimentConfig()
        data = root / "calls.csv"

        start = time.perf_counter()
        synth.write(data, config.data.synth_rows, config.data.synth_seed)
        print(f"synth {config.data.synth_rows} rows: {time.perf_counter() - start:.1f} s")

        start = time.perf_counter()
        result = run_training(config, settings, data=data, echo=lambda _: None)
        print(f"train (ingest + fit + evaluate + MLflow + bundle): {time.perf_counter() - start:.1f} s "
              f"(fit alone {result.seconds['fit']:.1f} s)")

        start = time.perf_counter()
        router, _ = load_bundle(settings.resolved_bundle_dir)
        print(f"bundle verify + load: {(time.perf_counter() - start) * 1e3:.0f} ms")

        frame = __import__("pandas").DataFrame([CALL.model_dump()], columns=list(CALL_FEATURE_COLUMNS))
        pipeline = router.pipeline
        router.route(CALL)  # warm up
        ours = _time(lambda: router.route(CALL), 300)
        peer = _time(lambda: pipeline.predict_proba(prepare_frame(frame)), 300)
        print(f"Router.route, one call:            {_percentiles(ours)}")
        print(f"peer sklearn predict_proba, same:  {_percentiles(peer)}")
        print(f"ratio (median, Router / peer):     {statistics.median(ours) / statistics.median(peer):.2f}x")

        # The safety net remembers clause similarities, so the repeated call above is the warm case. Distinct
        # calls (the test split, each routed once) show a stream where only boilerplate clauses repeat; with the
        # memo emptied before every call, every clause is new (the worst case).
        test = result.splits.test
        columns = [c for c in CALL_FEATURE_COLUMNS if c in test.columns]
        distinct = [CallIn(**{k: (None if v != v else v) for k, v in row.items()})
                    for row in test[columns].head(3000).to_dict("records")]
        memo = router.ruleset.net._memo if router.ruleset.net is not None else {}
        memo.clear()
        once = []
        for call in distinct:
            started = time.perf_counter()
            router.route(call)
            once.append(time.perf_counter() - started)
        print(f"Router.route, 3,000 distinct calls, each once: {_percentiles(once)} "
              f"(clauses remembered {len(memo):,})")
        cold = []
        for call in distinct[:1000]:
            memo.clear()
            started = time.perf_counter()
            router.route(call)
            cold.append(time.perf_counter() - started)
        print(f"Router.route, 1,000 of them, memo emptied before each: {_percentiles(cold)}")

        calls = result.splits.test.head(2000)
        start = time.perf_counter()
        router.assess(calls)
        elapsed = time.perf_counter() - start
        print(f"Router.assess throughput: {len(calls) / elapsed:,.0f} calls/s ({len(calls)} calls)")

        port = _free_port()
        env = {**__import__("os").environ, "CALLROUTE_API_KEYS": settings.api_keys,
               "CALLROUTE_MODELS_DIR": str(settings.models_dir), "CALLROUTE_DATA_DIR": str(settings.data_dir)}
        start = time.perf_counter()
        server = subprocess.Popen([sys.executable, "-m", "callroute.cli", "serve", "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = start + 60
            while time.perf_counter() < deadline:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as response:
                        if response.status == 200:
                            break
                except OSError:
                    time.sleep(0.05)
            print(f"server start-up (process start to /readyz 200): {time.perf_counter() - start:.2f} s")
            body = CALL.model_dump_json().encode()
            headers = {"Authorization": f"Bearer {settings.api_keys}", "Content-Type": "application/json"}

            def post() -> None:
                request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/route", data=body, headers=headers)
                with urllib.request.urlopen(request, timeout=5) as response:
                    response.read()

            def health() -> None:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                    response.read()

            post()
            routed = _time(post, 200)
            alive = _time(health, 200)
            print(f"POST /v1/route over loopback (decide + durable log): {_percentiles(routed)}")
            print(f"peer GET /healthz, same server:                       {_percentiles(alive)}")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
