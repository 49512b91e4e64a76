"""HTTP routes (DESIGN.md, "Contracts"). Dependencies are ``Annotated`` aliases."""

from __future__ import annotations

import secrets
import time
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from callroute.api.models import BatchIn, BatchOut, ModelOut, OutcomeAck, OutcomeIn
from callroute.decisions import DecisionLog
from callroute.router import Router
from callroute.schema import CallIn, Decision

router = APIRouter()
_bearer = HTTPBearer(auto_error=False)


def require_key(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> None:
    """401 unless the request carries one of the configured bearer keys."""
    if credentials is not None:
        offered = credentials.credentials.encode()
        for key in request.app.state.settings.api_key_set:
            if secrets.compare_digest(offered, key.encode()):
                return
    request.app.state.metrics.rejected.labels(status="401").inc()
    detail = "missing bearer token" if credentials is None else "invalid API key"
    raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"})


def get_router(request: Request) -> Router:
    """The loaded Router (503 while none is loaded)."""
    loaded = request.app.state.router
    if loaded is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail="model not loaded")
    return loaded


def get_log(request: Request) -> DecisionLog:
    """The decision log opened in the lifespan."""
    return request.app.state.log


Authorized = Depends(require_key)
RouterDep = Annotated[Router, Depends(get_router)]
LogDep = Annotated[DecisionLog, Depends(get_log)]


def _decide_and_log(request: Request, loaded: Router, log: DecisionLog, calls: list[CallIn]) -> list[Decision]:
    started = time.perf_counter()
    decisions = loaded.route_many(calls, request_ids=[uuid.uuid4().hex for _ in calls])
    log.append(list(zip(calls, decisions, strict=True)))  # durable before anyone sees the decision
    metrics = request.app.state.metrics
    for decision in decisions:
        metrics.decisions.labels(recommendation=decision.recommendation, red_line=str(bool(decision.rules_fired))).inc()
        if decision.needs_review:
            metrics.needs_review.inc()
    metrics.latency.observe(time.perf_counter() - started)
    return decisions


@router.get("/healthz", tags=["ops"])
def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


@router.get("/readyz", tags=["ops"])
def readyz(request: Request, response: Response) -> dict[str, str]:
    """The model is loaded and decisions can be logged."""
    if request.app.state.router is None:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return {"status": "model not loaded"}
    return {"status": "ready", "model_version": request.app.state.router.version}


@router.get("/metrics", tags=["ops"])
def metrics(request: Request) -> Response:
    """Prometheus text format."""
    return Response(generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST)


@router.post("/v1/route", response_model=Decision, dependencies=[Authorized], tags=["routing"])
def route(call: CallIn, request: Request, loaded: RouterDep, log: LogDep) -> Decision:
    """One call in, one decision out (logged before it is returned)."""
    return _decide_and_log(request, loaded, log, [call])[0]


@router.post("/v1/route/batch", response_model=BatchOut, dependencies=[Authorized], tags=["routing"])
def route_batch(batch: BatchIn, request: Request, loaded: RouterDep, log: LogDep) -> BatchOut:
    """Several calls in, one decision each, in order."""
    limit = request.app.state.settings.max_batch
    if len(batch.calls) > limit:
        raise HTTPException(
            status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, detail=f"calls: at most {limit} per batch, got {len(batch.calls)}"
        )
    return BatchOut(decisions=_decide_and_log(request, loaded, log, batch.calls))


@router.get("/v1/decisions/{request_id}", dependencies=[Authorized], tags=["audit"])
def get_decision(request_id: str, log: LogDep) -> dict:
    """A logged decision with its redacted call and any reported outcomes."""
    record = log.get(request_id)
    if record is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no decision with request_id {request_id!r}")
    return record


@router.post("/v1/outcomes", response_model=OutcomeAck, status_code=201, dependencies=[Authorized], tags=["audit"])
def post_outcome(outcome: OutcomeIn, log: LogDep) -> OutcomeAck:
    """Record what happened on a routed call."""
    if not log.add_outcome(outcome.request_id, outcome.model_dump(exclude={"request_id"})):
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no decision with request_id {outcome.request_id!r}")
    return OutcomeAck(request_id=outcome.request_id, stored=True)


@router.get("/v1/model", response_model=ModelOut, dependencies=[Authorized], tags=["audit"])
def model_info(request: Request, loaded: RouterDep) -> ModelOut:
    """The served model version, its test metrics, threshold and rule set."""
    manifest = request.app.state.manifest
    return ModelOut(
        name=loaded.name,
        version=loaded.version,
        ruleset=loaded.ruleset.ruleset_id,
        threshold=loaded.policy.threshold,
        threshold_ci=loaded.policy.threshold_ci,
        unsafe_diversion_target=loaded.policy.unsafe_diversion_target,
        review_band=(loaded.policy.review_low, loaded.policy.review_high),
        review_alpha=loaded.policy.review_alpha,
        run_id=manifest.get("run_id"),
        created_at=manifest.get("created_at", ""),
        label=manifest.get("label"),
        metrics=manifest.get("metrics", {}),
    )
