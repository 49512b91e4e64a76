"""Routing: one call or a batch in, decisions out, each committed to the decision log before the reply."""

from __future__ import annotations

import time
import uuid

from fastapi import APIRouter, HTTPException, Request, status

from callroute.audit.decisions import DecisionLog
from callroute.routing.router import Router
from callroute.schema import CallIn, Decision
from callroute.serving.deps import Authorized, CallRouterDep, DecisionLogDep
from callroute.serving.models import BatchIn, BatchOut

api = APIRouter(tags=["routing"], dependencies=[Authorized])


def _decide_and_log(request: Request, call_router: Router, log: DecisionLog, calls: list[CallIn]) -> list[Decision]:
    started = time.perf_counter()
    decisions = call_router.route_many(calls, request_ids=[uuid.uuid4().hex for _ in calls])
    log.append(list(zip(calls, decisions, strict=True)))  # durable before anyone sees the decision
    metrics = request.app.state.metrics
    for decision in decisions:
        metrics.decisions.labels(recommendation=decision.recommendation, red_line=str(bool(decision.rules_fired))).inc()
        if decision.needs_review:
            metrics.needs_review.inc()
    metrics.latency.observe(time.perf_counter() - started)
    return decisions


@api.post("/v1/route", response_model=Decision)
def route(call: CallIn, request: Request, call_router: CallRouterDep, log: DecisionLogDep) -> Decision:
    """One call in, one decision out (logged before it is returned)."""
    return _decide_and_log(request, call_router, log, [call])[0]


@api.post("/v1/route/batch", response_model=BatchOut)
def route_batch(batch: BatchIn, request: Request, call_router: CallRouterDep, log: DecisionLogDep) -> BatchOut:
    """Several calls in, one decision each, in order."""
    limit = request.app.state.settings.max_batch
    if len(batch.calls) > limit:
        raise HTTPException(
            status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, detail=f"calls: at most {limit} per batch, got {len(batch.calls)}"
        )
    return BatchOut(decisions=_decide_and_log(request, call_router, log, batch.calls))
