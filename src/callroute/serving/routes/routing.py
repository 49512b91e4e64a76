"""Routing: one call or a batch in, decisions out, each committed to the decision log before the reply."""

from __future__ import annotations

import asyncio
import time
import uuid

from fastapi import APIRouter, HTTPException, Request, Response, status
from fastapi.exceptions import RequestValidationError

from callroute import budget
from callroute.audit.decisions import DECISION_JSON, DecisionLog, decision_rows
from callroute.data.eido import Eido, EidoError, to_call
from callroute.routing.router import Router
from callroute.schema import CallIn, Decision
from callroute.serving.deps import CallRouterDep, DecisionLogDep, Dispatch
from callroute.serving.models import BatchIn, BatchOut, EidoDecision

api = APIRouter(tags=["routing"], dependencies=[Dispatch])


async def decide_and_log(state, call_router: Router, log: DecisionLog, calls: list[CallIn],
                         key_id: str | None = None, previous: str | None = None) -> tuple[list[Decision], list[tuple]]:
    """Decide on the event loop (no pandas, well under a millisecond a call), then wait for the group commit.

    ``state`` is the app's state (its metrics). The Router is the one this request started with: a hot reload
    in between never mixes two versions. Returns the decisions and their log rows (whose ``decision_json`` is
    the reply); each row names ``key_id``, the key that asked, and ``previous`` is the decision an update of a
    call supersedes (routes/calls.py). The single-call fast path (serving/fastpath.py)
    calls it too.
    """
    started = time.perf_counter()
    seconds = state.settings.route_budget_ms / 1000
    try:
        decisions = []
        for call in calls:
            with budget.within(seconds):
                decisions.append(call_router.route(call, request_id=uuid.uuid4().hex))
        if previous is not None:
            decisions = [decision.model_copy(update={"previous_request_id": previous}) for decision in decisions]
    except budget.BudgetExceeded as error:
        state.metrics.over_budget.inc()
        raise OverBudget(f"{error}: {state.settings.route_budget_ms:g} ms; nothing was logged. Route this "
                         "call by protocol or send it again") from None
    rows = decision_rows(list(zip(calls, decisions, strict=True)), key_id=key_id)
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
    _, rows = await decide_and_log(request.app.state, call_router, log, [call], key_id_of(request))
    # The bytes the log holds: serialised once, without FastAPI validating the Decision a second time.
    return Response(rows[0][DECISION_JSON], media_type="application/json")


@api.post("/v1/route/eido", response_model=EidoDecision)
async def route_eido(incident: Eido, request: Request, call_router: CallRouterDep, log: DecisionLogDep) -> Response:
    """An NG911 EIDO incident (NENA-STA-021) in, its decision out, with the EIDO's ids (data/eido.py)."""
    try:
        call, ids = to_call(incident, request.app.state.beats)
    except EidoError as error:
        raise RequestValidationError([{"loc": ("body", error.field), "msg": error.message,
                                       "type": "value_error"}]) from None
    _, rows = await decide_and_log(request.app.state, call_router, log, [call], key_id_of(request))
    decision = rows[0][DECISION_JSON]  # the logged bytes, with the EIDO's ids after them
    return Response(decision[:-1] + ',"eido":' + ids.model_dump_json() + "}", media_type="application/json")


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
    log.append(list(zip(batch.calls, decisions, strict=True)), key_id=key_id_of(request))
    _count(request.app.state, decisions)
    return BatchOut(decisions=decisions)


def key_id_of(request: Request) -> str | None:
    """The id of the key this request came with (set by the role check)."""
    caller = getattr(request.state, "caller", None)
    return caller.key_id if caller is not None else None
