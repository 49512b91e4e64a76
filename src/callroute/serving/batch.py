"""Batch scoring of a file of calls through the Router (``callroute batch IN OUT``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from callroute.data.ingest import IngestReport, validate_call, write_quarantine
from callroute.data.tables import read_table, write_table
from callroute.routing.router import Router
from callroute.schema import CALL_FIELDS

OUTPUT_COLUMNS = ("call_id", "recommendation", "escalation_risk", "confidence", "needs_review", "medical_flag",
                  "rules_fired", "reasons", "model_version", "request_id")


def score_file(
    in_path: Path, out_path: Path, router: Router, *, quarantine_dir: Path, chunk: int = 1000
) -> IngestReport:
    """Route every valid call of ``in_path`` into ``out_path`` (CSV or Parquet); quarantine the rest."""
    raw, malformed = read_table(in_path)
    if "narrative" not in raw.columns:
        raise ValueError(f"{in_path}: missing required column: narrative")
    fields = [c for c in CALL_FIELDS if c in raw.columns]
    report = IngestReport(source=str(in_path), read=len(raw) + len(malformed))
    calls, bad = [], list(malformed)
    for row in malformed:
        report.add_bad(row["_reason"])
    seen: set[str] = set()
    for row in raw.to_dict("records"):
        reason, call = validate_call(row, fields, seen)
        if call is None:
            report.add_bad(reason)
            bad.append({**row, "_reason": reason})
        else:
            calls.append(call)
    rows = []
    for start in range(0, len(calls), chunk):
        for decision in router.route_many(calls[start : start + chunk]):
            rows.append(
                {
                    "call_id": decision.call_id,
                    "recommendation": decision.recommendation,
                    "escalation_risk": decision.escalation_risk,
                    "confidence": decision.confidence,
                    "needs_review": decision.needs_review,
                    "medical_flag": decision.medical_flag,
                    "rules_fired": ";".join(h.rule_id for h in decision.rules_fired),
                    "reasons": " | ".join(decision.reasons),
                    "model_version": decision.model.version,
                    "request_id": decision.request_id,
                }
            )
    out = pd.DataFrame(rows, columns=list(OUTPUT_COLUMNS))
    write_table(out, out_path)
    report.accepted, report.quarantined = len(calls), len(bad)
    report.quarantine_path = write_quarantine(bad, quarantine_dir, f"{Path(in_path).stem}.batch-quarantine.csv")
    return report
