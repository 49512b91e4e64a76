"""The HTTP API (FastAPI): ``create_app`` builds it; nothing is loaded at import time."""

from callroute.api.app import create_app

__all__ = ["create_app"]
