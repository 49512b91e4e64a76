"""``POST /v1/route`` for a well-formed, authorised request, without FastAPI's per-request machinery.

Under load a single-call decision spent more time in FastAPI's routing, dependency solving and request
objects than in the rules, the score and the explanation together (about 0.25 of 0.55 ms a request, profiled
with py-spy under wrk). This ASGI middleware answers the one hot request itself and hands every other
request, and any single-call request it does not accept as it stands, to the app unchanged:

* it accepts only ``POST /v1/route`` with a JSON content type, a bearer key the app knows holding the
  ``dispatch`` role and within its rate (spending a token, as the route's check does), a body that
  ``json.loads`` reads and :class:`CallIn` validates (the same steps, in the same mode, as FastAPI's), a
  loaded Router and no dependency overrides (tests swap the Router through them);
* anything else (a missing, wrong or other-role key, a key over its rate, bad JSON, a bad field, no model
  loaded, an oversized body) goes to the FastAPI route with the body replayed, so every error keeps its
  status and its message exactly;
* an accepted request is decided and logged by the route's own :func:`decide_and_log` (the same metrics,
  the same durable group commit before the reply) and answered with the log's bytes, as the route does.

The route in ``routes/routing.py`` stays the contract (OpenAPI, errors); tests compare both paths' replies.
"""

from __future__ import annotations

import json

from callroute.audit.decisions import DECISION_JSON
from callroute.schema import CallIn
from callroute.serving.problems import problem_response
from callroute.serving.routes.routing import OverBudget, decide_and_log

ROUTE_PATH = "/v1/route"
#: Bodies larger than this go through FastAPI (a call is a few hundred bytes; the narrative is capped anyway).
MAX_FAST_BODY = 64 * 1024


class SingleCallFastPath:
    """ASGI middleware: the single-call route for requests it can answer exactly as the route would."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        """Answer an accepted single call here; pass everything else to the app (the body replayed)."""
        if scope["type"] != "http" or scope["path"] != ROUTE_PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        body, complete, more = await _read_body(receive)
        state = scope["app"].state
        accepted = _accepted(scope, state, body) if complete else None
        if accepted is None:
            await self.app(scope, _replay(body, more, receive), send)
            return
        call, key_id = accepted
        try:
            _, rows = await decide_and_log(state, state.call_router, state.decision_log, [call], key_id)
        except OverBudget as error:  # as the app answers it (app.py, _http_error)
            await problem_response(error.status_code, str(error.detail), headers=error.headers,
                                   kind="over-budget")(scope, receive, send)
            return
        payload = rows[0][DECISION_JSON].encode()
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-length", str(len(payload)).encode()),
                                (b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": payload})


async def _read_body(receive) -> tuple[bytes, bool, bool]:
    """The body read so far, whether it is complete (and small enough to answer here), whether more follows.

    Reading stops at MAX_FAST_BODY or when the client leaves: the request then goes to FastAPI, which is
    given what was read and reads on from the client.
    """
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), False, False
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        more = message.get("more_body", False)
        if not more or size > MAX_FAST_BODY:
            return b"".join(chunks), not more and size <= MAX_FAST_BODY, more


def _replay(body: bytes, more: bool, receive):
    """A ``receive`` that gives the body already read, then whatever the client still sends."""
    sent = False

    async def replayed():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": more}
        return await receive()

    return replayed


def _accepted(scope, state, body: bytes) -> tuple[CallIn, str] | None:
    """The call and the key id, when this request would reach the route's body with them; None: FastAPI answers."""
    app = scope["app"]
    if app.dependency_overrides or getattr(state, "call_router", None) is None:
        return None
    headers = dict(reversed(scope["headers"]))  # lower-case names; a repeated header: its first value, as Starlette
    content_type = headers.get(b"content-type", b"").split(b";", 1)[0].strip().lower()
    if content_type != b"application/json":
        return None
    scheme, _, credentials = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
    if scheme.lower() != "bearer" or not credentials:
        return None
    caller = state.keyring.identify(credentials)
    if caller is None or not caller.may("dispatch"):
        return None
    try:
        call = CallIn.model_validate(json.loads(body))
    except Exception:  # bad JSON, a bad field or any other surprise: FastAPI answers it as it always has
        return None
    if caller.limited and state.rate_limiter.wait_for(caller.key_id) > 0:
        return None  # the route's check answers 429 (a refused request spends no token)
    return call, caller.key_id
