"""``callroute audit``: verify the decision log's hash chain, export decisions for auditors, purge old ones."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd

from callroute.audit import chain
from callroute.audit.decisions import DecisionLog
from callroute.data.tables import write_table
from callroute.settings import Settings


def _log(settings: Settings, path: Path | None) -> DecisionLog:
    target = Path(path) if path is not None else settings.resolved_decision_log
    if not target.exists():
        raise FileNotFoundError(f"{target}: no decision log")
    return DecisionLog(target)


def verify(settings: Settings, path: Path | None = None) -> chain.Verification:
    """Check every decision against its hash and its neighbours, and every anchor."""
    log = _log(settings, path)
    try:
        return log.verify()
    finally:
        log.close()


def export(settings: Settings, out: Path, *, since: str | None = None, until: str | None = None,
           path: Path | None = None) -> int:
    """Write logged decisions (redacted call, decision, the key that asked, outcomes, chain position and hash)."""
    log = _log(settings, path)
    try:
        rows = log.export_rows(since=since, until=until)
    finally:
        log.close()
    records = []
    for row in rows:
        call, decision = json.loads(row["call_json"]), json.loads(row["decision_json"])
        records.append({
            "seq": row["seq"], "request_id": row["request_id"], "logged_at": row["logged_at"],
            **{f"call_{k}": v for k, v in call.items()},
            "recommendation": decision["recommendation"], "escalation_risk": decision["escalation_risk"],
            "confidence": decision.get("confidence"), "needs_review": decision.get("needs_review"),
            "rules_fired": ";".join(hit["rule_id"] for hit in decision.get("rules_fired", [])),
            "reasons": " | ".join(decision.get("reasons", [])),
            "model_version": row["model_version"], "ruleset": row["ruleset"], "key_id": row["key_id"],
            "outcomes": row["outcomes"], "row_hash": row["row_hash"], "prev_hash": row["prev_hash"],
        })
    write_table(pd.DataFrame(records), out)
    return len(records)


def purge(settings: Settings, older_than_days: int | None = None, path: Path | None = None) -> tuple[int, str]:
    """Delete decisions older than the retention age (``CALLROUTE_RETENTION_DAYS`` unless given)."""
    days = settings.retention_days if older_than_days is None else older_than_days
    now = datetime.now(UTC)
    cutoff = (now - timedelta(days=days)).isoformat(timespec="milliseconds")
    log = _log(settings, path)
    try:
        return log.purge(before=cutoff, now=now.isoformat(timespec="seconds")), cutoff
    finally:
        log.close()
