"""The decision log: every decision the API acknowledges, for auditors.

A decision is committed to SQLite (WAL, ``synchronous=FULL``) *before* the response
is sent, so a crash can never lose a decision a dispatcher has seen. Narratives are
stored redacted. Outcomes reported later (``POST /v1/outcomes``) go beside them.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

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


class DecisionLog:
    """Append-only SQLite log shared by the API's worker threads."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()

    def append(self, pairs: list[tuple[CallIn, Decision]]) -> None:
        """Commit decisions durably in one transaction (all or none)."""
        now = datetime.now(UTC).isoformat(timespec="milliseconds")
        rows = [
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
            )
            for call, decision in pairs
        ]
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.executemany("INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    def get(self, request_id: str) -> dict | None:
        """A logged decision with its (redacted) call and any reported outcomes."""
        with self._lock:
            row = self._conn.execute(
                "SELECT logged_at, call_json, decision_json FROM decisions WHERE request_id = ?", (request_id,)
            ).fetchone()
            if row is None:
                return None
            outcomes = self._conn.execute(
                "SELECT reported_at, outcome_json FROM outcomes WHERE request_id = ? ORDER BY outcome_id",
                (request_id,),
            ).fetchall()
        return {
            "logged_at": row[0],
            "call": json.loads(row[1]),
            "decision": json.loads(row[2]),
            "outcomes": [{"reported_at": r[0], **json.loads(r[1])} for r in outcomes],
        }

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
        """Number of logged decisions."""
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0])
