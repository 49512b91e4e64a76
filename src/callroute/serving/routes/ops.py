"""Operations: liveness, readiness, Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

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


@api.get("/metrics")
def metrics(request: Request) -> Response:
    """Prometheus text format."""
    return Response(generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST)
