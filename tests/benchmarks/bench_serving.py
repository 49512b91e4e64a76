"""Benchmark: the HTTP serving path against `mlflow models serve` and a no-op FastAPI floor, in one run.

``make bench`` (not part of the test suite; needs ``wrk``: ``apt-get install wrk``). In a temporary
directory: trains the default model (60,000 generated calls), registers it in a SQLite MLflow store,
then, one server at a time on this machine:

* ``callroute serve`` (1 worker, then 2): ``POST /v1/route`` with explanation and the decision
  committed to SQLite (WAL, synchronous FULL) before the reply;
* (a) ``mlflow models serve`` of the same registered champion (``POST /invocations``);
* (b) an async no-op FastAPI endpoint with the same request model (tests/benchmarks/noop_app.py).

Each gets ``wrk -t2 -c8 -d10s`` after a 3 s warm-up, one POST of a short welfare-check call;
wrk runs on the same two cores. Printed: requests/s, latency percentiles, non-2xx responses,
server RSS (all its processes), ratios. Then, in process: ``Router.route`` p50 with explanation.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
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
from callroute.registry.bundle import load_bundle
from callroute.schema import CallIn
from callroute.settings import Settings

HERE = Path(__file__).resolve().parent
KEY = "bench-key-0123456789abcdef"
CALL = {
    "narrative": "RP STS ELDERLY F SITTING AT BUS STOP 3 HRS, CONFUSED, NO WEAPONS SEEN",
    "call_type": "SERVICE - WELFARE CHECK",
    "district": "SOUTH",
    "received_at": "2024-06-01T15:15:00",
    "caller_type": "bystander",
    "priority": 3,
    "location_prior_calls": 0,
}
DURATION = os.environ.get("BENCH_DURATION", "10s")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url: str, process: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} not ready")


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        child = int(entry.name)
        children.setdefault(int(fields["PPid"].strip()), []).append(child)
        rss[child] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo.extend(children.get(current, []))
    return total / 1024


def _wrk(url: str, body: dict, headers: dict[str, str], duration: str) -> dict:
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    lines = ['wrk.method = "POST"', f"wrk.body = {json.dumps(json.dumps(body))}"]
    lines += [f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()]
    script.write_text("\n".join(lines) + "\n")
    out = subprocess.run(["wrk", "-t2", "-c8", f"-d{duration}", "--latency", "-s", str(script), url],
                         capture_output=True, text=True, check=True).stdout
    script.unlink()

    def ms(text: str) -> float:
        value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
        return float(value) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[unit]

    latency = {p: ms(v) for p, v in re.findall(r"^\s+(50|90|99)%\s+(\S+)", out, re.MULTILINE)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), **{f"p{k}": v for k, v in
            latency.items()}, "non2xx": int(errors.group(1)) if errors else 0,
            "requests": int(re.search(r"(\d+) requests in", out).group(1))}


def _measure(name: str, command: list[str], env: dict, ready: str, url: str, body: dict,
             headers: dict[str, str], cwd: Path | None = None) -> dict:
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        _wait(ready, process)
        _wrk(url, body, headers, "3s")  # warm-up: imports, caches, connection pools
        result = _wrk(url, body, headers, DURATION)
        result["rss_mb"] = _rss_mb(process.pid)
        result["name"] = name
        print(f"  {name}: {result['rps']:,.0f} req/s, p50 {result['p50']:.2f} ms, p99 {result['p99']:.2f} ms, "
              f"non-2xx {result['non2xx']}, RSS {result['rss_mb']:.0f} MB", flush=True)
        return result
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _in_process(bundle: Path) -> None:
    router, _ = load_bundle(bundle)
    calls = [CallIn(**CALL),
             CallIn(narrative="my brother is yelling and says he has a knife, please hurry"),
             CallIn(narrative="Caller says her son is sad and has not eaten in days, he is not violent",
                    district="NORTH", received_at="2024-02-03T02:10:00")]
    for call in calls * 100:
        router.route(call)
    samples = []
    for _ in range(2000):
        for call in calls:
            start = time.perf_counter()
            router.route(call)
            samples.append(time.perf_counter() - start)
    samples.sort()
    print(f"  Router.route with explanation (3 calls x 2000): p50 {statistics.median(samples) * 1e3:.3f} ms, "
          f"p99 {samples[int(0.99 * len(samples))] * 1e3:.3f} ms")
    rules = []
    for _ in range(2000):
        for call in calls:
            start = time.perf_counter()
            router.ruleset.evaluate(call.narrative)
            rules.append(time.perf_counter() - start)
    print(f"  of which red-line rules: p50 {statistics.median(rules) * 1e3:.3f} ms")


def main() -> None:
    """Print the serving table recorded in the README."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        settings = Settings(data_dir=root / "data", models_dir=root / "models", experiments_dir=root / "exp",
                            api_keys=KEY)
        config = ExperimentConfig()
        data = root / "calls.csv"
        synth.write(data, config.data.synth_rows, config.data.synth_seed)
        print("training the default model ...", flush=True)
        run_training(config, settings, data=data, echo=lambda _: None)
        bundle = settings.resolved_bundle_dir
        print(f"machine: {os.cpu_count()} cores; wrk -t2 -c8 -d{DURATION} on the same machine", flush=True)
        _in_process(bundle)

        env = {**os.environ, "CALLROUTE_API_KEYS": KEY, "CALLROUTE_MODELS_DIR": str(settings.models_dir),
               "CALLROUTE_DATA_DIR": str(settings.data_dir), "CALLROUTE_EXPERIMENTS_DIR": str(settings.experiments_dir),
               "MLFLOW_TRACKING_URI": settings.resolved_tracking_uri,
               # mlflow models serve starts `uvicorn` by name: the virtual environment's bin must be on PATH.
               "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
        auth = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
        results = []
        for workers in (1, 2):
            port = _free_port()
            results.append(_measure(
                f"callroute serve --workers {workers}",
                [sys.executable, "-m", "callroute.cli", "serve", "--port", str(port), "--workers", str(workers)],
                env, f"http://127.0.0.1:{port}/readyz", f"http://127.0.0.1:{port}/v1/route", CALL, auth))
        port = _free_port()
        mlflow = _measure(
            "(a) mlflow models serve",
            [sys.executable, "-m", "mlflow", "models", "serve", "-m", f"models:/{settings.model_name}@champion",
             "--env-manager", "local", "-h", "127.0.0.1", "-p", str(port), "-w", "1"],
            env, f"http://127.0.0.1:{port}/ping", f"http://127.0.0.1:{port}/invocations",
            {"dataframe_records": [CALL]}, {"Content-Type": "application/json"})
        noops = []
        for workers in (1, 2):
            port = _free_port()
            noops.append(_measure(
                f"(b) no-op FastAPI, same request model, {workers} worker{'s' if workers > 1 else ''}",
                [sys.executable, str(HERE / "noop_app.py"), str(port), str(workers)],
                {**env, "PYTHONPATH": str(HERE)}, f"http://127.0.0.1:{port}/docs",
                f"http://127.0.0.1:{port}/v1/route", CALL, {"Content-Type": "application/json"}))
        print()
        # Ratios against (b) compare like with like: the no-op served with the same number of workers.
        print("| server | requests/s | p50 ms | p99 ms | non-2xx | RSS MB | vs (a) mlflow | vs (b) no-op, same "
              "workers | p99 / (b)'s |")
        print("|---|---|---|---|---|---|---|---|---|")
        for r, noop in [(results[0], noops[0]), (results[1], noops[1]), (mlflow, noops[0]), (noops[0], noops[0]),
                        (noops[1], noops[1])]:
            print(f"| {r['name']} | {r['rps']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['non2xx']} | "
                  f"{r['rss_mb']:.0f} | {r['rps'] / mlflow['rps']:.1f}x | {r['rps'] / noop['rps']:.0%} | "
                  f"{r['p99'] / noop['p99']:.1f}x |")


if __name__ == "__main__":
    main()
