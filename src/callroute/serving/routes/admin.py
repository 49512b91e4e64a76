"""Administration (admin role): reload the served bundle now, list the keys the server accepts."""

from __future__ import annotations

from fastapi import APIRouter, Request

from callroute.serving.deps import Admin
from callroute.serving.models import KeyOut, ReloadOut

api = APIRouter(tags=["admin"], dependencies=[Admin])


@api.post("/v1/admin/reload", response_model=ReloadOut)
async def reload_now(request: Request) -> ReloadOut:
    """Check the bundle directory now (as the watcher does every few seconds) and swap in a new champion."""
    state = request.app.state
    before = state.call_router.version if state.call_router is not None else None
    loaded = await state.watcher.check()
    refused = state.watcher.refused[-1] if not loaded and state.watcher.refused else None
    now = state.call_router.version if state.call_router is not None else None
    return ReloadOut(reloaded=loaded, previous_version=before, version=now, refused=refused)


@api.get("/v1/admin/keys", response_model=list[KeyOut])
def list_keys(request: Request) -> list[KeyOut]:
    """The keys file's keys (ids, roles, names, times; never a secret or its hash)."""
    return [KeyOut(id=key.id, role=key.role, name=key.name, created_at=key.created_at, revoked_at=key.revoked_at)
            for key in request.app.state.keyring.stored()]
