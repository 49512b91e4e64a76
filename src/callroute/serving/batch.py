"""Batch scoring of a file of calls through the Router (``callroute batch IN OUT``)."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

from callroute.data.ingest import IngestReport, validate_call, write_quarantine
from callroute.data.tables import read_table, write_table
from callroute.routing.router import Router
from callroute.schema import CALL_FIELDS, CallIn

OUTPUT_COLUMNS = ("call_id", "recommendation", "escalation_risk", "confidence", "needs_review", "medical_flag",
                  "rules_fired", "reasons", "model_version", "request_id")


_WORKER_ROUTER: Router | None = None


def _route_in_worker(calls: list[CallIn]) -> list[dict]:
    assert _WORKER_ROUTER is not None, "batch workers are forked from score_file"
    return _route_chunk(_WORKER_ROUTER, calls)


def _route_chunk(router: Router, calls: list[CallIn]) -> list[dict]:
    """One output row per call: the decision, its reasons and the version that made it."""
    return [
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
        for decision in router.route_many(calls)
    ]


def score_file(
    in_path: Path, out_path: Path, router: Router, *, quarantine_dir: Path, chunk: int = 2000,
    workers: int | None = None,
) -> IngestReport:
    """Route every valid call of ``in_path`` into ``out_path`` (CSV or Parquet); quarantine the rest.

    Calls are routed in chunks by ``workers`` processes (default: one per core).
    """
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
    chunks = [calls[i : i + chunk] for i in range(0, len(calls), chunk)]
    workers = max(1, min(workers or os.cpu_count() or 1, len(chunks)))
    if workers == 1:
        rows = [row for part in chunks for row in _route_chunk(router, part)]
    else:
        # Forked workers inherit the loaded Router (no reload, no pickling of the model); each chunk comes
        # back in order. Decisions are independent, so the output is the same as with one process.
        global _WORKER_ROUTER
        _WORKER_ROUTER = router
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
                rows = [row for part in pool.map(_route_in_worker, chunks) for row in part]
        finally:
            _WORKER_ROUTER = None
    out = pd.DataFrame(rows, columns=list(OUTPUT_COLUMNS))
    write_table(out, out_path)
    report.accepted, report.quarantined = len(calls), len(bad)
    report.quarantine_path = write_quarantine(bad, quarantine_dir, f"{Path(in_path).stem}.batch-quarantine.csv")
    return report
