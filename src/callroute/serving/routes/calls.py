"""Calls that unfold: remarks added while the caller talks, each update routed as the whole call so far.

A call is routed first with ``POST /v1/route`` (or ``/v1/route/eido``) and a ``call_id``. Each
``POST /v1/calls/{call_id}/updates`` adds remarks to the call as last logged (its redacted narrative: the log
never holds the raw words) or replaces it with a newer EIDO of the incident, routes the whole call again, and
logs the new decision with ``previous_request_id`` naming the one it supersedes, in the same hash chain. What
the earlier text said stays in the narrative, so a red line once read still fires: a call that turns goes
to police, and one that calms down after a weapon was seen stays there; one that calms down without a red
line may move to the crisis team. ``GET /v1/calls/{call_id}`` returns the call's decisions, oldest first.

Object-level authorization (OWASP API1): a dispatch key reads and updates only the calls it routed; an
auditor key reads any call. Updates of one call are taken one at a time in a server process.
"""

from __future__ import annotations

import asyncio
import weakref

from fastapi import APIRouter, HTTPException, Request, Response, status
from fastapi.exceptions import RequestValidationError

from callroute.audit.decisions import DECISION_JSON
from callroute.data.eido import EidoError, to_call
from callroute.schema import MAX_NARRATIVE_CHARS, CallIn, Decision
from callroute.serving.deps import CallRouterDep, DecisionLogDep, Dispatch, DispatchOrAuditor
from callroute.serving.keys import Caller
from callroute.serving.models import CallHistory, CallUpdate, HistoryEntry
from callroute.serving.routes.routing import decide_and_log, key_id_of

api = APIRouter(tags=["calls"])
_locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()


@api.post("/v1/calls/{call_id}/updates", response_model=Decision, dependencies=[Dispatch])
async def add_update(call_id: str, update: CallUpdate, request: Request, call_router: CallRouterDep,
                     log: DecisionLogDep) -> Response:
    """Add remarks (or a newer EIDO) to a routed call; route the whole call so far; log it after the last."""
    lock = _locks.setdefault(call_id, asyncio.Lock())
    async with lock:
        history = _history_for(request, log, call_id)
        latest = history[-1]
        call = _updated_call(CallIn.model_validate(latest["call"]), update, request)
        _, rows = await decide_and_log(request.app.state, call_router, log, [call], key_id_of(request),
                                       previous=latest["request_id"])
    return Response(rows[0][DECISION_JSON], media_type="application/json")


@api.get("/v1/calls/{call_id}", response_model=CallHistory, dependencies=[DispatchOrAuditor])
def call_history(call_id: str, request: Request, log: DecisionLogDep) -> CallHistory:
    """A call's decisions, oldest first, each with the narrative it was routed on (redacted)."""
    history = _history_for(request, log, call_id)
    return CallHistory(call_id=call_id, decisions=[HistoryEntry(
        request_id=entry["request_id"], logged_at=entry["logged_at"], key_id=entry["key_id"],
        narrative=entry["call"]["narrative"], decision=entry["decision"]) for entry in history])


def _history_for(request: Request, log, call_id: str) -> list[dict]:
    """The call's logged decisions, when this key may see them (404 otherwise: no hint that the call exists)."""
    caller: Caller = request.state.caller
    history = log.call_history(call_id)
    mine = caller.may("auditor") or (history and history[0]["key_id"] == caller.key_id)
    if not history or not mine:
        raise HTTPException(status.HTTP_404_NOT_FOUND,
                            detail=f"no call {call_id!r} routed with this key: route it first with POST /v1/route "
                            "and this call_id")
    return history


def _updated_call(previous: CallIn, update: CallUpdate, request: Request) -> CallIn:
    """The call with the update applied: remarks after the narrative, or the newer EIDO's call."""
    if update.eido is not None:
        try:
            call, _ = to_call(update.eido, request.app.state.beats)
        except EidoError as error:
            raise RequestValidationError([{"loc": ("body", "eido", error.field), "msg": error.message,
                                           "type": "value_error"}]) from None
        call = call.model_copy(update={"call_id": previous.call_id})
    else:
        said = previous.narrative.rstrip()
        joined = f"{said}{'' if said[-1:] in '.!?;' else '.'} {update.remarks}"
        if len(joined) > MAX_NARRATIVE_CHARS:
            raise RequestValidationError([{"loc": ("body", "remarks"), "type": "value_error", "msg": (
                f"the call's narrative would come to {len(joined)} characters; at most {MAX_NARRATIVE_CHARS} are "
                "routed: open a new call that summarises this one")}])
        call = previous.model_copy(update={"narrative": joined})
    changes = {name: value for name, value in (("screening", update.screening), ("priority", update.priority))
               if value is not None}
    return call.model_copy(update=changes) if changes else call
