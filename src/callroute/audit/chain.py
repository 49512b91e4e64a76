"""A hash chain over the decision log: an edited, inserted or deleted decision is found and named.

Every decision gets, when it is committed, a sequence number ``seq`` (1, 2, 3, ... across all worker
processes: the writer assigns them inside the write transaction) and ``row_hash = SHA-256(prev_hash +
canonical row)``, where ``prev_hash`` is the hash of decision ``seq - 1``. Changing any stored field of
any decision changes its hash; removing a decision leaves a gap in ``seq`` and a broken link;
inserting one breaks the link after it. Deleting the *newest* decisions leaves a consistent but
shorter chain, and whoever can edit the database could also recompute every hash: so every
``ANCHOR_EVERY`` decisions the writer appends ``{seq, row_hash}`` to an anchors file beside the log
(``<log>.anchors``, append-only, fsynced; copy it elsewhere, e.g. to write-once storage, for the
strongest guarantee). Verification checks the chain and every anchor.

Retention (:func:`purge`) deletes decisions older than a cut-off from the start of the chain and
records the last deleted ``seq`` and hash (table ``chain_base`` and an anchor line), so what remains
still verifies.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

ANCHOR_EVERY = 1000
GENESIS = "0" * 64
#: The stored fields a decision's hash covers, in order.
HASHED = ("seq", "request_id", "logged_at", "call_id", "model_version", "ruleset", "recommendation",
          "escalation_risk", "call_json", "decision_json", "prev_hash")
#: Hashed after them when set (callroute 0.5: the API key that asked); a row without one hashes as before.
HASHED_IF_SET = ("key_id",)

MIGRATION = (
    "ALTER TABLE decisions ADD COLUMN seq INTEGER",
    "ALTER TABLE decisions ADD COLUMN prev_hash TEXT",
    "ALTER TABLE decisions ADD COLUMN row_hash TEXT",
    "ALTER TABLE decisions ADD COLUMN key_id TEXT",
)
SCHEMA = """
CREATE UNIQUE INDEX IF NOT EXISTS decisions_seq ON decisions(seq);
CREATE TABLE IF NOT EXISTS chain_base (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    row_hash TEXT NOT NULL,
    purged_at TEXT NOT NULL
);
"""


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Add the chain columns to a log created before them (older rows stay outside the chain)."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(decisions)")}
    for statement in MIGRATION:
        name = statement.split()[-2]
        if name not in columns:
            conn.execute(statement)
    conn.executescript(SCHEMA)


def row_hash(values: dict) -> str:
    """SHA-256 of the hashed fields of one decision, canonical JSON (sorted keys, no spaces)."""
    fields = [values[name] for name in HASHED]
    fields += [values[name] for name in HASHED_IF_SET if values.get(name) is not None]
    canonical = json.dumps(fields, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def chain_rows(conn: sqlite3.Connection, rows: list[tuple]) -> tuple[list[tuple], list[str]]:
    """Rows of :func:`~callroute.audit.decisions.decision_rows` with ``seq``, ``prev_hash``, ``row_hash``.

    Also returns the anchor lines to append once they are committed (:func:`append_anchors`).

    Call inside the write transaction (the database lock makes the sequence one across processes).
    """
    last = conn.execute("SELECT seq, row_hash FROM decisions WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1")
    found = last.fetchone()
    if found is None:
        base = conn.execute("SELECT seq, row_hash FROM chain_base WHERE id = 1").fetchone()
        seq, prev = base if base is not None else (0, GENESIS)
    else:
        seq, prev = found
    out, anchor_lines = [], []
    for row in rows:
        seq += 1
        values = dict(zip((*HASHED[1:10], *HASHED_IF_SET), row, strict=True))
        values.update(seq=seq, prev_hash=prev)
        digest = row_hash(values)
        out.append((*row, seq, prev, digest))
        prev = digest
        if seq % ANCHOR_EVERY == 0:
            anchor_lines.append(json.dumps({"seq": seq, "row_hash": digest}))
    return out, anchor_lines


def append_anchors(path: Path, lines: list[str]) -> None:
    """Append anchor lines to the anchors file, on disk before returning."""
    if lines:
        _append(path, lines)


def _append(path: Path, lines: list[str]) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write("".join(line + "\n" for line in lines))
        handle.flush()
        os.fsync(handle.fileno())


@dataclass
class Verification:
    """What :func:`verify` found: ``ok`` and one line per problem, naming the decision."""

    checked: int = 0
    unchained: int = 0  # decisions logged before the chain existed
    anchors: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the chain and every anchor hold."""
        return not self.problems


def verify(conn: sqlite3.Connection, anchors: Path) -> Verification:
    """Walk the chain in ``seq`` order; report edited, inserted and deleted decisions, and broken anchors."""
    result = Verification()
    result.unchained = int(conn.execute("SELECT COUNT(*) FROM decisions WHERE seq IS NULL").fetchone()[0])
    if result.unchained:
        result.problems.append(f"{result.unchained} decision(s) without a chain position (inserted outside the "
                               "log, or logged before the chain existed)")
    base = conn.execute("SELECT seq, row_hash FROM chain_base WHERE id = 1").fetchone()
    expected_seq, prev = (base[0] + 1, base[1]) if base is not None else (1, GENESIS)
    hashes: dict[int, str] = {}
    columns = ", ".join((*HASHED, *HASHED_IF_SET, "row_hash"))
    cursor = conn.execute(f"SELECT {columns} FROM decisions WHERE seq IS NOT NULL ORDER BY seq")
    for record in cursor:
        values = dict(zip((*HASHED, *HASHED_IF_SET, "row_hash"), record, strict=True))
        seq, request_id = values["seq"], values["request_id"]
        result.checked += 1
        if seq > expected_seq:
            missing = f"{expected_seq}" if seq == expected_seq + 1 else f"{expected_seq}-{seq - 1}"
            result.problems.append(f"deleted: decision(s) seq {missing} missing before {request_id} (seq {seq})")
        if values["prev_hash"] != prev:
            result.problems.append(f"broken link at {request_id} (seq {seq}): it does not follow the decision "
                                   "before it (a decision was inserted, deleted or re-ordered here)")
        if row_hash(values) != values["row_hash"]:
            result.problems.append(f"edited: {request_id} (seq {seq}) no longer matches its hash")
        hashes[seq] = values["row_hash"]
        prev, expected_seq = values["row_hash"], seq + 1
    last_seq = expected_seq - 1
    purges = []
    for line in anchors.read_text("utf-8").splitlines() if anchors.exists() else []:
        anchor = json.loads(line)
        result.anchors += 1
        if anchor.get("purged"):
            purges.append((anchor["seq"], anchor["row_hash"]))
            continue
        seq = anchor["seq"]
        if seq > last_seq:
            result.problems.append(f"deleted: the log ends at seq {last_seq} but an anchor records seq {seq}")
        elif seq in hashes and hashes[seq] != anchor["row_hash"]:
            result.problems.append(f"rewritten: seq {seq} does not match its anchor (the chain was recomputed)")
    if base is not None and (base[0], base[1]) not in purges:
        result.problems.append(f"the chain starts after seq {base[0]}, but no purge of it is recorded in the anchors")
    return result


def purge(conn: sqlite3.Connection, anchors: Path, before: str, now: str) -> int:
    """Delete decisions (and their outcomes) logged before ``before`` (ISO time) from the start of the chain.

    Only a prefix of the chain can go (retention removes the oldest): the newest deleted decision's
    ``seq`` and hash become the chain's base, so the remaining decisions still verify.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        cut = conn.execute("SELECT seq, row_hash FROM decisions WHERE seq IS NOT NULL AND seq < COALESCE("
                           "(SELECT MIN(seq) FROM decisions WHERE logged_at >= ?), 1e18) ORDER BY seq DESC LIMIT 1",
                           (before,)).fetchone()
        if cut is None:
            conn.execute("COMMIT")
            return 0
        seq, digest = cut
        conn.execute("DELETE FROM outcomes WHERE request_id IN (SELECT request_id FROM decisions WHERE seq <= ?)",
                     (seq,))
        deleted = conn.execute("DELETE FROM decisions WHERE seq <= ?", (seq,)).rowcount
        conn.execute("INSERT INTO chain_base (id, seq, row_hash, purged_at) VALUES (1, ?, ?, ?) ON CONFLICT(id) "
                     "DO UPDATE SET seq = excluded.seq, row_hash = excluded.row_hash, purged_at = excluded.purged_at",
                     (seq, digest, now))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    _append(anchors, [json.dumps({"seq": seq, "row_hash": digest, "purged": True, "at": now})])
    return deleted
