"""Operations: liveness and readiness (open), Prometheus metrics (auditor role: scrape with its bearer key)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request, Response, status
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from callroute.audit.monitor import alert_kinds, monitor_state_path, read_state
from callroute.serving.deps import Auditor

api = APIRouter(tags=["ops"])


@api.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


@api.get("/readyz")
def readyz(request: Request, response: Response) -> dict[str, str]:
    """The model is loaded and decisions can be logged."""
    if request.app.state.call_router is None:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return {"status": "model not loaded"}
    return {"status": "ready", "model_version": request.app.state.call_router.version}


@api.get("/metrics", dependencies=[Auditor])
def metrics(request: Request) -> Response:
    """Prometheus text format (with the last monitor run's alerts, read from its state file); auditor role."""
    gauges = request.app.state.metrics
    state = read_state(monitor_state_path(request.app.state.settings.resolved_decision_log))
    if state is not None:
        for kind, raised in alert_kinds(state.get("alerts", [])).items():
            gauges.monitor_alert.labels(kind=kind).set(raised)
        checked = datetime.fromisoformat(state["checked_at"]).timestamp() if state.get("checked_at") else 0.0
        gauges.monitor_checked.set(checked)
    return Response(generate_latest(gauges.registry), media_type=CONTENT_TYPE_LATEST)
