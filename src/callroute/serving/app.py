"""The FastAPI application factory and its lifespan (bundle loading, decision log)."""

from __future__ import annotations

import asyncio
import contextlib
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from starlette.exceptions import HTTPException as StarletteHTTPException

from callroute import __version__
from callroute.data.eido import Beats
from callroute.serving.fastpath import SingleCallFastPath
from callroute.serving.keys import Keyring, RateLimiter, development_keys
from callroute.serving.problems import problem_response
from callroute.serving.routes import api
from callroute.serving.routes.routing import OverBudget
from callroute.settings import Settings


class Metrics:
    """Prometheus metrics of one app instance (own registry, so test apps don't collide)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.decisions = Counter(
            "callroute_decisions", "Decisions returned", ["recommendation", "red_line"], registry=self.registry
        )
        self.needs_review = Counter("callroute_needs_review", "Decisions flagged for review", registry=self.registry)
        self.over_budget = Counter("callroute_over_budget", "Calls answered 503: their decision ran past the time "
                                   "budget (CALLROUTE_ROUTE_BUDGET_MS)", registry=self.registry)
        self.rejected = Counter("callroute_rejected_requests", "Requests rejected", ["status"], registry=self.registry)
        self.commits = Gauge("callroute_decision_log_commits", "Group commits of the decision log (this process)",
                             registry=self.registry)
        self.logged = Gauge("callroute_decision_log_written", "Decisions committed to the log (this process)",
                            registry=self.registry)
        self.reloads = Counter("callroute_bundle_reloads", "Champion bundles swapped in or refused", ["result"],
                               registry=self.registry)
        # Set from the last `callroute monitor` run (its state file beside the decision log) at each scrape.
        self.monitor_alert = Gauge("callroute_monitor_alert", "1 when the last monitor run raised this kind of alert",
                                   ["kind"], registry=self.registry)
        self.monitor_checked = Gauge("callroute_monitor_last_run_timestamp_seconds",
                                     "When the monitor last ran (0: never)", registry=self.registry)
        self.latency = Histogram(
            "callroute_route_seconds",
            "Time to decide and log one request",
            registry=self.registry,
            buckets=(0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0),
        )


def _field_path(loc: tuple) -> str:
    parts = [p for p in loc if p != "body"]
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "body"


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    """422 naming each bad field, e.g. ``narrative: Field required``."""
    errors = []
    for error in exc.errors():
        if error.get("type") == "json_invalid":  # loc holds a character position, not a field
            position = error.get("loc", ("body", "?"))[-1]
            message = f"invalid JSON near character {position}"
            errors.append({"field": "body", "message": message, "type": "json_invalid"})
            continue
        errors.append(
            {"field": _field_path(tuple(error.get("loc", ()))), "message": error.get("msg", "invalid"),
             "type": error.get("type")}
        )
    request.app.state.metrics.rejected.labels(status="422").inc()
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem_response(422, summary, kind="validation", errors=errors)


async def _http_error(request: Request, exc: StarletteHTTPException):
    """Every HTTPException (401, 404, 405, 413, 503 ...) as a problem document, its headers kept."""
    kind = "over-budget" if isinstance(exc, OverBudget) else None
    return problem_response(exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None), kind=kind)


async def _unexpected_error(request: Request, exc: Exception):
    """A bug: 500 as a problem document, without internals (the traceback goes to the server's log)."""
    return problem_response(500, "internal error: the request was not decided; route the call by protocol")


class JsonBodiesOnly:
    """ASGI middleware: a POST to /v1/* that says its body is not JSON gets 415 (not a 422 about a dictionary)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        """Refuse a non-JSON content type before anything reads the body."""
        if scope["type"] == "http" and scope["method"] in ("POST", "PUT", "PATCH") and scope["path"].startswith("/v1/"):
            # No content type (no body: "Field required" says it) is left to validation, as is any JSON type.
            content_type = dict(scope["headers"]).get(b"content-type", b"").decode("latin-1").split(";")[0].strip()
            if content_type and not (content_type.lower() == "application/json" or content_type.endswith("+json")):
                await problem_response(
                    415, f"Content-Type must be application/json, not {content_type}", kind="content-type",
                    headers={"Accept-Post": "application/json"},
                )(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app. The bundle is loaded (and its hashes verified) when the app starts."""
    settings = settings or Settings()
    keyring = Keyring(settings.resolved_keys_file, development_keys(settings.api_key_set))
    if not len(keyring):
        raise RuntimeError(f"no API key: add one with `callroute keys add --role dispatch` (keys file "
                           f"{settings.resolved_keys_file}) or, for development, set CALLROUTE_API_KEYS")

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from callroute.audit.decisions import DecisionLog
        from callroute.registry.bundle import load_bundle
        from callroute.serving.memory import freeze_long_lived_objects
        from callroute.serving.reload import BundleWatcher

        app.state.call_router, app.state.manifest = load_bundle(settings.resolved_bundle_dir)
        app.state.call_router.warm_up()
        freeze_long_lived_objects()
        app.state.decision_log = log = DecisionLog(settings.resolved_decision_log)
        app.state.metrics.commits.set_function(lambda: log.commits)
        app.state.metrics.logged.set_function(lambda: log.decisions_written)
        app.state.watcher = BundleWatcher(app, settings.resolved_bundle_dir, settings.reload_interval)
        task = asyncio.create_task(app.state.watcher.run()) if settings.reload_interval > 0 else None
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            app.state.decision_log.close()
            app.state.call_router = None

    app = FastAPI(
        title="callroute",
        version=__version__,
        description="Routes a 911 call to an unarmed crisis team or to police, with calibrated escalation risk, "
        "red-line rules that override the model, and an exact explanation.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.keyring = keyring
    app.state.beats = Beats.load(settings.eido_beats)
    app.state.rate_limiter = RateLimiter(settings.rate_limit, settings.rate_burst)
    app.state.call_router = None
    app.state.manifest = {}
    app.state.metrics = Metrics()
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
    app.include_router(api)
    if settings.fast_path:
        app.add_middleware(SingleCallFastPath)  # POST /v1/route without FastAPI's per-request cost (fastpath.py)
    app.add_middleware(JsonBodiesOnly)  # outermost: a wrong content type never reaches a route
    return app


def serve(settings: Settings, *, host: str, port: int, access_log: bool = False) -> None:
    """Run the API in this process with uvicorn (``callroute serve``; several workers: serving.workers)."""
    import uvicorn

    uvicorn.run(create_app(settings), host=host, port=port, log_level="info", access_log=access_log)
