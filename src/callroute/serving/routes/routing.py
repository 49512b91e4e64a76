"""Routing: one call or a batch in, decisions out, each committed to the decision log before the reply."""

from __future__ import annotations

import asyncio
import time
import uuid

from fastapi import APIRouter, HTTPException, Request, Response, status

from callroute import budget
from callroute.audit.decisions import DECISION_JSON, DecisionLog, decision_rows
from callroute.routing.router import Router
from callroute.schema import CallIn, Decision
from callroute.serving.deps import Authorized, CallRouterDep, DecisionLogDep
from callroute.serving.models import BatchIn, BatchOut

api = APIRouter(tags=["routing"], dependencies=[Authorized])


async def decide_and_log(state, call_router: Router, log: DecisionLog,
                         calls: list[CallIn]) -> tuple[list[Decision], list[tuple]]:
    """Decide on the event loop (no pandas, well under a millisecond a call), then wait for the group commit.

    ``state`` is the app's state (its metrics). The Router is the one this request started with: a hot reload
    in between never mixes two versions. Returns the decisions and their log rows (whose ``decision_json`` is
    the reply). The single-call fast path (serving/fastpath.py) calls it too.
    """
    started = time.perf_counter()
    seconds = state.settings.route_budget_ms / 1000
    try:
        decisions = []
        for call in calls:
            with budget.within(seconds):
                decisions.append(call_router.route(call, request_id=uuid.uuid4().hex))
    except budget.BudgetExceeded as error:
        state.metrics.over_budget.inc()
        raise OverBudget(f"{error}: {state.settings.route_budget_ms:g} ms; nothing was logged. Route this "
                         "call by protocol or send it again") from None
    rows = decision_rows(list(zip(calls, decisions, strict=True)))
    # Durable before anyone sees the decision: the reply waits for the commit that holds it.
    await asyncio.wrap_future(log.submit_rows(rows))
    _count(state, decisions)
    state.metrics.latency.observe(time.perf_counter() - started)
    return decisions, rows


class OverBudget(HTTPException):
    """503: a call's decision ran past the server's time budget (callroute.budget); nothing was logged."""

    def __init__(self, detail: str) -> None:
        super().__init__(status.HTTP_503_SERVICE_UNAVAILABLE, detail=detail, headers={"Retry-After": "1"})


def _count(state, decisions: list[Decision]) -> None:
    metrics = state.metrics
    for decision in decisions:
        metrics.decisions.labels(recommendation=decision.recommendation, red_line=str(bool(decision.rules_fired))).inc()
        if decision.needs_review:
            metrics.needs_review.inc()


@api.post("/v1/route", response_model=Decision)
async def route(call: CallIn, request: Request, call_router: CallRouterDep, log: DecisionLogDep) -> Response:
    """One call in, one decision out (logged before it is returned)."""
    _, rows = await decide_and_log(request.app.state, call_router, log, [call])
    # The bytes the log holds: serialised once, without FastAPI validating the Decision a second time.
    return Response(rows[0][DECISION_JSON], media_type="application/json")


@api.post("/v1/route/batch", response_model=BatchOut)
def route_batch(batch: BatchIn, request: Request, call_router: CallRouterDep, log: DecisionLogDep) -> BatchOut:
    """Several calls in, one decision each, in order (in a worker thread: a batch may take a while)."""
    limit = request.app.state.settings.max_batch
    if len(batch.calls) > limit:
        raise HTTPException(
            413, detail=f"calls: at most {limit} per batch, got {len(batch.calls)}"
        )
    seconds = request.app.state.settings.route_budget_ms / 1000
    decisions = []
    for index, call in enumerate(batch.calls):
        try:
            with budget.within(seconds):
                decisions.append(call_router.route(call, request_id=uuid.uuid4().hex))
        except budget.BudgetExceeded as error:
            request.app.state.metrics.over_budget.inc()
            raise OverBudget(f"calls[{index}]: {error}: {request.app.state.settings.route_budget_ms:g} ms; "
                             "nothing of this batch was logged") from None
    log.append(list(zip(batch.calls, decisions, strict=True)))
    _count(request.app.state, decisions)
    return BatchOut(decisions=decisions)
