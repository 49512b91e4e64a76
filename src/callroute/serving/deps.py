"""Request dependencies as ``Annotated`` aliases: the API key check, the loaded Router, the decision log.

All are ``async``: they only read app state, so they run on the event loop (no thread hop per request).
Tests swap the Router and the log with ``app.dependency_overrides[get_call_router]``
(and ``get_decision_log``), so validation and auth tests need no trained model.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from callroute.audit.decisions import DecisionLog
from callroute.routing.router import Router

_bearer = HTTPBearer(auto_error=False)


def known_key(settings, offered: str) -> bool:
    """Whether ``offered`` is one of the configured bearer keys (compared in constant time)."""
    return any(secrets.compare_digest(offered.encode(), key.encode()) for key in settings.api_key_set)


async def require_key(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> None:
    """401 unless the request carries one of the configured bearer keys."""
    if credentials is not None and known_key(request.app.state.settings, credentials.credentials):
        return
    request.app.state.metrics.rejected.labels(status="401").inc()
    detail = "missing bearer token" if credentials is None else "invalid API key"
    raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"})


async def get_call_router(request: Request) -> Router:
    """The loaded call Router (503 while none is loaded)."""
    loaded = request.app.state.call_router
    if loaded is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail="model not loaded")
    return loaded


async def get_decision_log(request: Request) -> DecisionLog:
    """The decision log opened in the lifespan."""
    return request.app.state.decision_log


async def get_manifest(request: Request) -> dict:
    """The served bundle's manifest."""
    return request.app.state.manifest


Authorized = Depends(require_key)
CallRouterDep = Annotated[Router, Depends(get_call_router)]
DecisionLogDep = Annotated[DecisionLog, Depends(get_decision_log)]
ManifestDep = Annotated[dict, Depends(get_manifest)]
