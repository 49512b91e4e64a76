"""HTTP routes (DESIGN.md, "Contracts"): ops, routing, audit."""

from fastapi import APIRouter

from callroute.serving.routes import audit, ops, routing

api = APIRouter()
for module in (ops, routing, audit):
    api.include_router(module.api)

__all__ = ["api"]
