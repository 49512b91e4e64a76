"""HTTP routes (docs/design.md, "Contracts"): ops, routing, calls that unfold, audit, admin."""

from fastapi import APIRouter

from callroute.serving.routes import admin, audit, calls, ops, routing

api = APIRouter()
for module in (ops, routing, calls, audit, admin):
    api.include_router(module.api)

__all__ = ["api"]
