"""``callroute replay``: what another model version would have decided on logged calls (shadow evaluation).

The logged call (narrative redacted, as the model saw it) is routed again by the chosen version's
Router, rules and explanation included, and compared with the logged decision. Re-scoring with the
version that made a decision reproduces it exactly (tests/integration/test_replay.py); a difference
can only come from the version itself, or from a red-line rule whose evidence was in redacted text
(a phone number, an address).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from callroute.audit.decisions import DecisionLog
from callroute.data.tables import write_table
from callroute.registry.store import load_version
from callroute.routing.router import Router
from callroute.schema import CallIn
from callroute.settings import Settings


@dataclass
class ReplayResult:
    """Per call the logged and the replayed decision; flips are where the recommendation differs."""

    table: pd.DataFrame
    version: str

    @property
    def flips(self) -> pd.DataFrame:
        """Calls whose recommendation would change."""
        return self.table[self.table["logged_recommendation"] != self.table["replayed_recommendation"]]

    def summary(self) -> dict[str, float]:
        """Counts of flips each way and how far the risk moves."""
        t = self.table
        to_police = ((t["logged_recommendation"] == "crisis_team") & (t["replayed_recommendation"] == "police")).sum()
        to_team = ((t["logged_recommendation"] == "police") & (t["replayed_recommendation"] == "crisis_team")).sum()
        delta = (t["replayed_risk"] - t["logged_risk"]).abs()
        return {"replayed": float(len(t)), "same": float(len(t) - len(self.flips)),
                "crisis_team_to_police": float(to_police), "police_to_crisis_team": float(to_team),
                "mean_abs_risk_change": float(delta.mean()) if len(t) else 0.0,
                "max_abs_risk_change": float(delta.max()) if len(t) else 0.0}


def replay_rows(rows: list[dict], router: Router) -> pd.DataFrame:
    """Route each logged call (rows of :meth:`DecisionLog.export_rows`) again with ``router``."""
    records = []
    for row in rows:
        call = CallIn.model_validate(json.loads(row["call_json"]))
        logged = json.loads(row["decision_json"])
        replayed = router.route(call, request_id=row["request_id"])
        records.append({
            "request_id": row["request_id"], "logged_at": row["logged_at"], "call_id": row["call_id"],
            "narrative": call.narrative, "logged_version": row["model_version"],
            "logged_recommendation": logged["recommendation"], "replayed_recommendation": replayed.recommendation,
            "logged_risk": logged["escalation_risk"], "replayed_risk": replayed.escalation_risk,
            "logged_rules": ";".join(h["rule_id"] for h in logged.get("rules_fired", [])),
            "replayed_rules": ";".join(h.rule_id for h in replayed.rules_fired),
            "logged_reasons": " | ".join(logged.get("reasons", [])), "replayed_reasons": " | ".join(replayed.reasons),
            "identical": replayed.model_dump(mode="json") == logged,
        })
    return pd.DataFrame(records, columns=[
        "request_id", "logged_at", "call_id", "narrative", "logged_version", "logged_recommendation",
        "replayed_recommendation", "logged_risk", "replayed_risk", "logged_rules", "replayed_rules",
        "logged_reasons", "replayed_reasons", "identical"])


def run(version: str, settings: Settings, *, since: str | None = None, until: str | None = None,
        out: Path | None = None, log_path: Path | None = None) -> ReplayResult:
    """``callroute replay``: re-score the logged calls of a period with a registered version."""
    path = Path(log_path) if log_path is not None else settings.resolved_decision_log
    if not path.exists():
        raise FileNotFoundError(f"{path}: no decision log")
    log = DecisionLog(path)
    try:
        rows = log.export_rows(since=since, until=until)
    finally:
        log.close()
    if not rows:
        raise ValueError(f"no logged decision between {since or 'the start'} and {until or 'now'}")
    result = ReplayResult(replay_rows(rows, load_version(version, settings)), str(version))
    if out is not None:
        write_table(result.table, out)
    return result
