"""The floor for the serving benchmark: an async FastAPI endpoint with callroute's request model and nothing else.

``python noop_app.py PORT WORKERS``, served the way ``callroute serve --workers`` serves. It validates
the same ``CallIn`` body as ``POST /v1/route`` and answers a constant, so the difference to callroute
is rules, scoring, explanation, the durable log and the response model.
"""

from __future__ import annotations

from fastapi import FastAPI

from callroute.schema import CallIn

app = FastAPI()


@app.post("/v1/route")
async def route(call: CallIn) -> dict:
    """Accept a validated call, decide nothing."""
    return {"recommendation": "police", "call_id": call.call_id}


def get_app() -> FastAPI:
    """The app, for worker processes (by name: ``noop_app:get_app``)."""
    return app


if __name__ == "__main__":
    import sys

    import uvicorn

    from callroute.serving.workers import run_workers

    port, workers = int(sys.argv[1]), int(sys.argv[2])
    if workers <= 1:
        uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
    else:
        run_workers("noop_app:get_app", host="127.0.0.1", port=port, workers=workers)
