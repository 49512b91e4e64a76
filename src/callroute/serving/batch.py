"""Batch scoring of a file of calls through the Router (``callroute batch IN OUT``)."""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from callroute.data.ingest import IngestReport, validate_call, write_quarantine
from callroute.data.tables import TableChunk, TableInfo, iter_table, stream_rows
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
    workers: int | None = None, read_rows: int = 100_000, progress: Callable[[int, int], None] | None = None,
) -> IngestReport:
    """Route every valid call of ``in_path`` into ``out_path`` (CSV or Parquet); quarantine the rest.

    Streams: the file is read ``read_rows`` rows at a time, each block is validated and routed in jobs of
    ``chunk`` rows by ``workers`` forked processes (default: one per core) while the block before it is
    written, so memory holds about two blocks whatever the file's size. Results come out in file order,
    and a repeated call id is quarantined as a duplicate of the first valid row that had it, as
    ingestion does. ``progress(rows settled, rows routed)`` is called after each job of ``chunk`` rows.
    """
    info = TableInfo()
    blocks = iter_table(Path(in_path), chunk_rows=read_rows, info=info)
    first = next(blocks)
    if "narrative" not in info.columns:
        raise ValueError(f"{in_path}: missing required column: narrative")
    fields = [c for c in CALL_FIELDS if c in info.columns]
    report = IngestReport(source=str(in_path), read=0)
    bad: list[dict] = []
    seen: set[str] = set()
    workers = max(1, workers or os.cpu_count() or 1)

    settled = 0

    def settle(rows_in: list[dict], result: list[tuple]) -> Iterator[dict]:
        nonlocal settled
        settled += len(rows_in)
        if progress is not None:
            progress(settled, report.accepted + sum(item[0] != "bad" for item in result))
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
                report.accepted += 1
                yield item[2]

    def jobs_of(block: TableChunk) -> list[tuple[list[dict], list[str]]]:
        report.read += len(block.frame) + len(block.bad)
        for row in block.bad:
            report.add_bad(row["_reason"])
        bad.extend(block.bad)
        records = [{"_row": number, **row} for number, row in zip(block.frame.index, block.frame.to_dict("records"),
                                                                 strict=True)]
        return [(records[i : i + chunk], fields) for i in range(0, len(records), chunk)]

    def decided() -> Iterator[dict]:
        if workers == 1:
            for block in itertools.chain([first], blocks):
                for job in jobs_of(block):
                    yield from settle(job[0], _validate_and_route(router, *job))
            return
        # Forked workers inherit the loaded Router (no reload, no pickling of the model). The next block's
        # jobs are submitted before this block's results are written: both cores stay busy, memory stays
        # at about two blocks. Decisions are independent, so the output is the same as with one process.
        global _WORKER_ROUTER
        _WORKER_ROUTER = router
        # Pre-checks, vectors and memos built once here are shared by every forked worker (copy on write),
        # instead of each worker building its own on its first calls.
        router.warm_up()
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
                running = [(job, pool.submit(_in_worker, job)) for job in jobs_of(first)]
                for block in itertools.chain(blocks, [None]):
                    upcoming = [(job, pool.submit(_in_worker, job)) for job in jobs_of(block)] if block else []
                    for job, future in running:
                        yield from settle(job[0], future.result())
                    running = upcoming
        finally:
            _WORKER_ROUTER = None

    stream_rows(Path(out_path), decided(), OUTPUT_COLUMNS)
    report.quarantined = len(bad)
    report.quarantine_path = write_quarantine(bad, quarantine_dir, f"{Path(in_path).stem}.batch-quarantine.csv")
    return report
