"""The real server under load: group commit across worker processes, SIGKILL, hot reload.

Each test starts ``callroute serve`` as a subprocess on a copy of the session's champion
bundle, drives it with concurrent clients and reads the SQLite decision log afterwards.
No wall-clock limits: the assertions are about counts (failed requests, missing decisions,
commits), which do not depend on the machine's speed.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from http.client import HTTPConnection, HTTPException
from pathlib import Path

import pytest

from callroute.registry.bundle import load_bundle, read_manifest, write_bundle

API_KEY = "test-key-0123456789abcdef"  # the session settings' key (tests/conftest.py)

pytestmark = pytest.mark.integration

CALLS = [
    {"narrative": "RP STS ELDERLY F CONFUSED AT BUS STOP, NO WEAPONS SEEN", "call_type": "WELFARE CHECK"},
    {"narrative": "my brother is yelling and says he has a knife", "district": "SOUTH"},
    {"narrative": "Caller says her son is sad and has not eaten in days", "location_prior_calls": 1},
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``callroute serve`` in its own process group, on a copy of the served bundle."""

    def __init__(self, bundle: Path, log: Path, *, workers: int = 1, reload_interval: float = 0.2) -> None:
        self.port = _free_port()
        self.stderr_path = log.with_suffix(".server.log")
        self._stderr = self.stderr_path.open("wb")
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "CALLROUTE_API_KEYS": API_KEY, "CALLROUTE_BUNDLE_DIR": str(bundle),
               "CALLROUTE_DECISION_LOG": str(log), "CALLROUTE_RELOAD_INTERVAL": str(reload_interval)}
        self.process = subprocess.Popen(
            [sys.executable, "-c", "import sys; from callroute.cli import main; sys.exit(main())",
             "serve", "--port", str(self.port), "--workers", str(workers)],
            env=env, stdout=subprocess.DEVNULL, stderr=self._stderr, start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._stderr.close()
                raise RuntimeError(f"server exited: {self.stderr_path.read_text()[-2000:]}")
            try:
                if self.get("/readyz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.kill()
        raise RuntimeError("server did not become ready")

    def get(self, path: str) -> tuple[int, str]:
        """One GET with the API key: (status, body)."""
        conn = HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", path, headers={"Authorization": f"Bearer {API_KEY}"})
            reply = conn.getresponse()
            return reply.status, reply.read().decode()
        finally:
            conn.close()

    def kill(self) -> None:
        """SIGKILL the whole process group (master and workers): no shutdown code runs."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self._stderr.close()


class Load:
    """Clients posting calls in a loop, recording what each acknowledged."""

    def __init__(self, port: int, clients: int) -> None:
        self.port = port
        self.stop = threading.Event()
        self.acknowledged: list[dict] = []
        self.timings: list[tuple[float, float]] = []  # (monotonic time answered, seconds taken) per request
        self.failed: list[str] = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._client, args=(i,), daemon=True) for i in range(clients)]
        for t in self.threads:
            t.start()

    def _client(self, i: int) -> None:
        headers = {"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"}
        conn = HTTPConnection("127.0.0.1", self.port, timeout=30)  # one keep-alive connection per client
        try:
            self._post_until_stopped(i, conn, headers)
        finally:
            conn.close()

    def _post_until_stopped(self, i: int, conn: HTTPConnection, headers: dict) -> None:
        n = 0
        while not self.stop.is_set():
            try:
                sent = time.monotonic()
                conn.request("POST", "/v1/route", body=json.dumps(CALLS[(i + n) % len(CALLS)]), headers=headers)
                reply = conn.getresponse()
                status, body = reply.status, reply.read().decode()
                answered = time.monotonic()
            except (OSError, HTTPException) as error:
                if not self.stop.is_set():
                    with self.lock:
                        self.failed.append(repr(error))
                return
            n += 1
            with self.lock:
                self.timings.append((answered, answered - sent))
                if status == 200:
                    self.acknowledged.append(json.loads(body))
                else:
                    self.failed.append(f"{status} {body[:200]}")

    def wait_for(self, count: int) -> None:
        while len(self.acknowledged) < count and not self.failed:
            time.sleep(0.05)

    def finish(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=60)


def _logged(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT request_id, model_version FROM decisions").fetchall())


@pytest.fixture
def bundle_copy(router, settings, tmp_path) -> Path:
    target = tmp_path / "champion"
    shutil.copytree(settings.resolved_bundle_dir, target)
    return target


def test_two_workers_lose_no_acknowledged_decision_to_sigkill(bundle_copy, tmp_path) -> None:
    # Given two worker processes sharing one decision log, under 16 concurrent clients
    log = tmp_path / "decisions.sqlite"
    server = Server(bundle_copy, log, workers=2)
    load = Load(server.port, clients=16)
    try:
        load.wait_for(300)
        # When the whole server is killed with SIGKILL while requests are in flight
        server.kill()
    finally:
        server.kill()
        load.finish()
    acknowledged = {d["request_id"] for d in load.acknowledged}
    # Then every decision a client received is in the log (it was committed before the reply)
    logged = _logged(log)
    missing = acknowledged - logged.keys()
    assert len(acknowledged) >= 300, f"load did not run: {len(acknowledged)} acknowledged, failures {load.failed[:3]}"
    assert not missing, f"{len(missing)} of {len(acknowledged)} acknowledged decisions are missing after SIGKILL"


def test_concurrent_requests_share_commits(bundle_copy, tmp_path) -> None:
    # Given one worker under 16 concurrent clients
    server = Server(bundle_copy, tmp_path / "decisions.sqlite", workers=1)
    load = Load(server.port, clients=16)
    try:
        load.wait_for(400)
        load.finish()
        # When its metrics are read
        text = server.get("/metrics")[1]
    finally:
        load.finish()
        server.kill()
    gauges = {line.split()[0]: float(line.split()[1]) for line in text.splitlines()
              if line.startswith("callroute_decision_log_")}
    commits, written = gauges["callroute_decision_log_commits"], gauges["callroute_decision_log_written"]
    # Then every request was written and requests shared commits
    assert not load.failed, load.failed[:3]
    assert written == len(load.acknowledged), (written, len(load.acknowledged))
    assert commits < written, f"{commits:.0f} commits for {written:.0f} decisions: no group commit"


def test_promotion_under_load_fails_no_request(router, bundle_copy, tmp_path) -> None:
    # Given a server under 8 concurrent clients
    log = tmp_path / "decisions.sqlite"
    server = Server(bundle_copy, log, workers=1, reload_interval=0.2)
    load = Load(server.port, clients=8)
    old_version = router.version
    try:
        load.wait_for(200)
        # When a new champion bundle is exported into the served directory (as `callroute promote` does)
        promoted, manifest = load_bundle(bundle_copy)
        promoted.version = "hot-reload-test"
        extra = {n: (bundle_copy / n).read_text("utf-8") for n in manifest["files"] if n.endswith((".md", ".json"))}
        write_bundle(promoted, bundle_copy, extra_files=extra, manifest={"run_id": manifest.get("run_id")})
        before = len(load.acknowledged)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            served = json.loads(server.get("/v1/model")[1])["version"]
            if served == "hot-reload-test":
                break
            time.sleep(0.1)
        load.wait_for(len(load.acknowledged) + 200)
    finally:
        load.finish()
        server.kill()
    # Then no request failed, the server now names the new version, and every decision names the version that made
    # it: both versions served, and the log agrees with what the clients were told
    assert not load.failed, f"{len(load.failed)} failed requests during the reload: {load.failed[:3]}"
    assert served == "hot-reload-test", "the new bundle was not picked up"
    versions = Counter(d["model"]["version"] for d in load.acknowledged)
    assert versions[old_version] >= before > 0 and versions["hot-reload-test"] > 0, versions
    logged = _logged(log)
    assert all(logged[d["request_id"]] == d["model"]["version"] for d in load.acknowledged)
    assert read_manifest(bundle_copy)["version"] == "hot-reload-test"
