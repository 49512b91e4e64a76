"""Request dependencies as ``Annotated`` aliases: the key and role check, the loaded Router, the decision log.

All are ``async``: they only read app state, so they run on the event loop (no thread hop per request).
Tests swap the Router and the log with ``app.dependency_overrides[get_call_router]``
(and ``get_decision_log``), so validation and auth tests need no trained model.
"""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import Depends, HTTPException, Request, Security, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from callroute.audit.decisions import DecisionLog
from callroute.routing.router import Router
from callroute.serving.keys import Caller

_bearer = HTTPBearer(auto_error=False)

#: What each role may do, for the 403 message (serving/keys.py says who holds which role).
DUTIES = {
    "dispatch": "route calls, report outcomes and add call updates",
    "auditor": "read decisions, the served model and the metrics",
    "admin": "reload the model and list the keys",
}


def identify(state, token: str) -> Caller | None:
    """The caller a bearer token names (None: unknown, revoked or malformed)."""
    return state.keyring.identify(token)


def require_role(*roles: str):
    """A dependency: 401 without a known key, 403 when the key holds none of ``roles``, 429 past its rate.

    The caller is kept in ``request.state.caller`` (its key id goes into every decision it asks for).
    """
    # The roles are the bearer scheme's scopes: OpenAPI 3.1 lets a non-OAuth scheme list the role names a
    # route requires, so /openapi.json (and the generated HTTP reference) says who may call what.
    scheme = Security(_bearer, scopes=list(roles))  # a default, not an annotation: the roles are this closure's

    async def check(request: Request, credentials: HTTPAuthorizationCredentials | None = scheme) -> Caller:
        state = request.app.state
        caller = identify(state, credentials.credentials) if credentials is not None else None
        if caller is None:
            state.metrics.rejected.labels(status="401").inc()
            detail = "missing bearer token" if credentials is None else "invalid API key (unknown or revoked)"
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"})
        if not any(caller.may(role) for role in roles):
            state.metrics.rejected.labels(status="403").inc()
            held = ", ".join(sorted(caller.roles))
            needed = " or ".join(roles)
            duties = "; ".join(f"a {role} key may {DUTIES[role]}" for role in roles)
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                detail=f"key {caller.key_id} holds the {held} role; {request.method} {request.url.path} needs the "
                f"{needed} role ({duties})",
            )
        wait = state.rate_limiter.wait_for(caller.key_id) if caller.limited else 0.0
        if wait > 0:
            state.metrics.rejected.labels(status="429").inc()
            limit = state.settings
            raise HTTPException(
                status.HTTP_429_TOO_MANY_REQUESTS,
                detail=f"key {caller.key_id} is over its rate limit ({limit.rate_limit:g} requests a second, "
                f"{limit.rate_burst} at once); retry after {wait:.2f} s",
                headers={"Retry-After": str(max(1, math.ceil(wait)))},
            )
        request.state.caller = caller
        return caller

    return check


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


Dispatch = Depends(require_role("dispatch"))
Auditor = Depends(require_role("auditor"))
Admin = Depends(require_role("admin"))
DispatchOrAuditor = Depends(require_role("dispatch", "auditor"))
CallRouterDep = Annotated[Router, Depends(get_call_router)]
DecisionLogDep = Annotated[DecisionLog, Depends(get_decision_log)]
ManifestDep = Annotated[dict, Depends(get_manifest)]
