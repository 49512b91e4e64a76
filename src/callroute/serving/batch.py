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
from callroute.schema import CALL_FIELDS

OUTPUT_COLUMNS = ("call_id", "recommendation", "escalation_risk", "confidence", "needs_review", "medical_flag",
                  "rules_fired", "reasons", "model_version", "request_id")


_WORKER_ROUTER: Router | None = None


def _in_worker(job: tuple[list[dict], list[str]]) -> list[tuple]:
    assert _WORKER_ROUTER is not None, "batch workers are forked from score_file"
    return _validate_and_route(_WORKER_ROUTER, *job)


def _validate_and_route(router: Router, rows: list[dict], fields: list[str]) -> list[tuple]:
    """Per raw row, in order: ``("ok", call_id, output row)`` or ``("bad", row with its reason)``.

    Duplicate call ids are settled by the caller, in file order, across chunks.
    """
    out: list[tuple] = []
    for row in rows:
        reason, call = validate_call(row, fields, None)
        if call is None:
            out.append(("bad", {**row, "_reason": reason}))
            continue
        decision = router.route(call)
        out.append(("ok", call.call_id, {
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
        }))
    return out


def score_file(
    in_path: Path, out_path: Path, router: Router, *, quarantine_dir: Path, chunk: int = 2000,
    workers: int | None = None,
) -> IngestReport:
    """Route every valid call of ``in_path`` into ``out_path`` (CSV or Parquet); quarantine the rest.

    Rows are validated and routed in chunks by ``workers`` processes (default: one per core); the
    results come back in file order, and a repeated call id is quarantined as a duplicate of the
    first valid row that had it, as ingestion does.
    """
    raw, malformed = read_table(in_path)
    if "narrative" not in raw.columns:
        raise ValueError(f"{in_path}: missing required column: narrative")
    fields = [c for c in CALL_FIELDS if c in raw.columns]
    report = IngestReport(source=str(in_path), read=len(raw) + len(malformed))
    bad = list(malformed)
    for row in malformed:
        report.add_bad(row["_reason"])
    records = raw.to_dict("records")
    jobs = [(records[i : i + chunk], fields) for i in range(0, len(records), chunk)]
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    if workers == 1:
        results = [_validate_and_route(router, *job) for job in jobs]
    else:
        # Forked workers inherit the loaded Router (no reload, no pickling of the model); chunks come
        # back in order. Decisions are independent, so the output is the same as with one process.
        global _WORKER_ROUTER
        _WORKER_ROUTER = router
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
                results = list(pool.map(_in_worker, jobs))
        finally:
            _WORKER_ROUTER = None
    rows, seen = [], set()
    for (rows_in, _), result in zip(jobs, results, strict=True):
        for raw_row, item in zip(rows_in, result, strict=True):
            if item[0] == "bad":
                report.add_bad(item[1]["_reason"])
                bad.append(item[1])
            elif item[1] is not None and item[1] in seen:
                reason = f"call_id: duplicate of an earlier row ({item[1]})"
                report.add_bad(reason)
                bad.append({**raw_row, "_reason": reason})
            else:
                if item[1] is not None:
                    seen.add(item[1])
                rows.append(item[2])
    out = pd.DataFrame(rows, columns=list(OUTPUT_COLUMNS))
    write_table(out, out_path)
    report.accepted, report.quarantined = len(rows), len(bad)
    report.quarantine_path = write_quarantine(bad, quarantine_dir, f"{Path(in_path).stem}.batch-quarantine.csv")
    return report
