"""The decision log: every decision the API acknowledges, for auditors.

A decision is committed to SQLite (WAL, ``synchronous=FULL``) *before* the response
is sent, so a crash can never lose a decision a dispatcher has seen; concurrent requests
share one commit (group commit, :class:`DecisionLog`). Narratives are
stored redacted. Outcomes reported later (``POST /v1/outcomes``) go beside them.
"""

from __future__ import annotations

import fcntl
import json
import os
import queue
import sqlite3
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from callroute.audit import chain
from callroute.language.redact import redact
from callroute.schema import CallIn, Decision

_SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    request_id TEXT PRIMARY KEY,
    logged_at TEXT NOT NULL,
    call_id TEXT,
    model_version TEXT NOT NULL,
    ruleset TEXT NOT NULL,
    recommendation TEXT NOT NULL,
    escalation_risk REAL NOT NULL,
    call_json TEXT NOT NULL,
    decision_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_call_id ON decisions(call_id);
CREATE TABLE IF NOT EXISTS outcomes (
    outcome_id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id TEXT NOT NULL REFERENCES decisions(request_id),
    reported_at TEXT NOT NULL,
    outcome_json TEXT NOT NULL
);
"""


_COLUMNS = ("request_id, logged_at, call_id, model_version, ruleset, recommendation, escalation_risk, call_json, "
            "decision_json, key_id, seq, prev_hash, row_hash")


class DecisionLog:
    """Append-only SQLite log shared by the API's requests, threads and worker processes.

    **Group commit.** :meth:`submit` hands the rows to one writer thread and returns a future;
    the writer takes everything waiting, writes it in one transaction, commits (``synchronous=FULL``:
    on disk before COMMIT returns) and only then resolves each request's future. Concurrent
    requests therefore share one fsync instead of queueing for one each, and no request is
    answered before its own decision is durable. Worker processes each have a writer; SQLite's
    lock (``BEGIN IMMEDIATE`` with a busy timeout) serialises them on the one file.
    """

    def __init__(self, path: Path, *, max_group: int = 512) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.max_group = max_group
        self._lock_path = self.path.with_name(self.path.name + ".lock")
        self._lock = threading.Lock()  # the reader/outcome connection
        self._conn = self._connect()
        self._conn.executescript(_SCHEMA)
        chain.ensure_schema(self._conn)
        self.anchors_path = self.path.with_name(self.path.name + ".anchors")
        self.commits = 0  # transactions committed by this process's writer
        self.decisions_written = 0
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._closed = False
        self._writer = threading.Thread(target=self._write_loop, name="decision-log-writer", daemon=True)
        self._writer.start()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30.0)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        return conn

    def close(self) -> None:
        """Write what is waiting, stop the writer, close the connections."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(None)
        self._writer.join()
        with self._lock:
            self._conn.close()

    # -- writing ---------------------------------------------------------------------
    def submit(self, pairs: list[tuple[CallIn, Decision]], *, key_id: str | None = None) -> Future:
        """Queue decisions for the next group commit; the future resolves once they are on disk."""
        return self.submit_rows(decision_rows(pairs, key_id=key_id))

    def submit_rows(self, rows: list[tuple]) -> Future:
        """Queue rows made by :func:`decision_rows` (the API replies with their ``decision_json``)."""
        if self._closed:
            raise RuntimeError("the decision log is closed")
        done: Future = Future()
        self._queue.put((rows, done))
        return done

    def append(self, pairs: list[tuple[CallIn, Decision]], *, key_id: str | None = None) -> None:
        """Commit decisions durably (all or none) and return once they are on disk (``key_id``: who asked)."""
        self.submit(pairs, key_id=key_id).result()

    def _write_loop(self) -> None:
        conn = self._connect()
        try:
            while True:
                first = self._queue.get()
                if first is None:
                    return
                group, stop = [first], False
                while len(group) < self.max_group:
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if item is None:
                        stop = True
                        break
                    group.append(item)
                self._commit(conn, group)
                if stop:
                    return
        finally:
            conn.close()

    def _commit(self, conn: sqlite3.Connection, group: list[tuple[list[tuple], Future]]) -> None:
        try:
            # Writers of other worker processes queue on a file lock, which wakes the next one as soon as it
            # is released; SQLite's own busy handler would sleep for milliseconds between retries instead.
            with _file_lock(self._lock_path):
                conn.execute("BEGIN IMMEDIATE")
                try:
                    # Chain positions and hashes are assigned here, under the lock: one chain across processes.
                    chained, anchors = chain.chain_rows(conn, [row for rows, _ in group for row in rows])
                    conn.executemany(f"INSERT INTO decisions ({_COLUMNS}) VALUES ({', '.join('?' * 13)})", chained)
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                chain.append_anchors(self.anchors_path, anchors)
        except Exception as error:
            if len(group) > 1:
                # One bad request (a duplicate id) must not fail the others: commit each on its own.
                for item in group:
                    self._commit(conn, [item])
                return
            group[0][1].set_exception(error)
            return
        self.commits += 1
        self.decisions_written += sum(len(rows) for rows, _ in group)
        for _, done in group:
            done.set_result(None)

    # -- reading -----------------------------------------------------------------------
    def get(self, request_id: str) -> dict | None:
        """A logged decision with its (redacted) call and any reported outcomes."""
        with self._lock:
            row = self._conn.execute(
                "SELECT logged_at, call_json, decision_json, key_id FROM decisions WHERE request_id = ?", (request_id,)
            ).fetchone()
            if row is None:
                return None
            outcomes = self._conn.execute(
                "SELECT reported_at, outcome_json FROM outcomes WHERE request_id = ? ORDER BY outcome_id",
                (request_id,),
            ).fetchall()
        return {
            "logged_at": row[0],
            "key_id": row[3],
            "call": json.loads(row[1]),
            "decision": json.loads(row[2]),
            "outcomes": [{"reported_at": r[0], **json.loads(r[1])} for r in outcomes],
        }

    def call_history(self, call_id: str) -> list[dict]:
        """Every logged decision of one call, oldest first: request id, time, key, redacted call, decision."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT request_id, logged_at, key_id, call_json, decision_json FROM decisions WHERE call_id = ? "
                "ORDER BY COALESCE(seq, 0), logged_at", (call_id,),
            ).fetchall()
        return [{"request_id": r[0], "logged_at": r[1], "key_id": r[2], "call": json.loads(r[3]),
                 "decision": json.loads(r[4])} for r in rows]

    def add_outcome(self, request_id: str, outcome: dict) -> bool:
        """Attach an outcome to a logged decision; False when the request id is unknown."""
        now = datetime.now(UTC).isoformat(timespec="milliseconds")
        with self._lock:
            exists = self._conn.execute("SELECT 1 FROM decisions WHERE request_id = ?", (request_id,)).fetchone()
            if exists is None:
                return False
            self._conn.execute(
                "INSERT INTO outcomes (request_id, reported_at, outcome_json) VALUES (?, ?, ?)",
                (request_id, now, json.dumps(outcome)),
            )
        return True

    def count(self) -> int:
        """Number of logged decisions (all processes)."""
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0])

    def verify(self) -> chain.Verification:
        """Check the hash chain and the anchors (``callroute audit verify``)."""
        with self._lock:
            return chain.verify(self._conn, self.anchors_path)

    def export_rows(self, *, since: str | None = None, until: str | None = None) -> list[dict]:
        """Logged decisions in chain order (``logged_at`` in [since, until]), with their outcomes as JSON."""
        query = (f"SELECT {_COLUMNS}, (SELECT json_group_array(json(outcome_json)) FROM outcomes o "
                 "WHERE o.request_id = d.request_id) FROM decisions d WHERE logged_at >= ? AND logged_at < ? "
                 "ORDER BY COALESCE(seq, 0), logged_at")
        end = until + "\uffff" if until else "\uffff"
        with self._lock:
            rows = self._conn.execute(query, (since or "", end)).fetchall()
        names = [*(c.strip() for c in _COLUMNS.split(",")), "outcomes"]
        return [dict(zip(names, row, strict=True)) for row in rows]

    def purge(self, *, before: str, now: str) -> int:
        """Delete decisions logged before ``before`` (the oldest end of the chain), keeping it verifiable."""
        with self._lock, _file_lock(self._lock_path):
            return chain.purge(self._conn, self.anchors_path, before, now)

    def versions(self) -> dict[str, int]:
        """Logged decisions per model version (all processes)."""
        with self._lock:
            rows = self._conn.execute("SELECT model_version, COUNT(*) FROM decisions GROUP BY model_version")
            return {str(v): int(n) for v, n in rows.fetchall()}


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive advisory lock shared by every process that writes the log (released if a process dies)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


#: Position of ``decision_json`` in a row of :func:`decision_rows`.
DECISION_JSON = 8


def decision_rows(pairs: list[tuple[CallIn, Decision]], *, key_id: str | None = None) -> list[tuple]:
    """Database rows of decisions (narratives redacted), built in the caller's thread.

    ``key_id`` names the API key that asked (serving/keys.py; None for decisions made outside the API).

    ``row[DECISION_JSON]`` is the decision serialised once: the API sends these exact bytes, so the
    log holds precisely what the dispatcher was told.
    """
    now = datetime.now(UTC).isoformat(timespec="milliseconds")
    return [
        (
            decision.request_id,
            now,
            decision.call_id,
            decision.model.version,
            decision.model.ruleset,
            decision.recommendation,
            decision.escalation_risk,
            call.model_copy(update={"narrative": redact(call.narrative)}).model_dump_json(),
            decision.model_dump_json(),
            key_id,
        )
        for call, decision in pairs
    ]
