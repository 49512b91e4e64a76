"""One error format for every error the API returns: RFC 9457 problem details (``application/problem+json``).

``{"type", "title", "status", "detail"}`` and, for a request whose fields are at fault, ``errors``: one
``{"field", "message", "type"}`` per field (``calls[1].narrative``). ``message`` repeats ``detail`` for clients
written against the API before problem details (callroute 0.2). ``type`` is ``about:blank`` (the status says
it all) or one of :data:`TYPES`, documented in the README.
"""

from __future__ import annotations

import json
from http import HTTPStatus

from starlette.responses import Response

MEDIA_TYPE = "application/problem+json"
BASE = "https://callroute.example/problems/"
#: Problems with a meaning beyond their status.
TYPES = {
    "validation": BASE + "validation",  # 422: a field is missing or wrong (``errors`` names each)
    "content-type": BASE + "content-type",  # 415: the body is not JSON
    "over-budget": BASE + "over-budget",  # 503: the decision ran past its time budget; nothing was logged
}


def problem(status: int, detail: str, *, kind: str | None = None, errors: list[dict] | None = None) -> dict:
    """The problem document for ``status``."""
    body = {"type": TYPES[kind] if kind else "about:blank", "title": HTTPStatus(status).phrase, "status": status,
            "detail": detail, "message": detail}
    if errors is not None:
        body["errors"] = errors
    return body


def problem_bytes(status: int, detail: str, **kwargs) -> bytes:
    """:func:`problem` serialised (for the ASGI paths that answer without FastAPI)."""
    return json.dumps(problem(status, detail, **kwargs)).encode()


def problem_response(status: int, detail: str, *, headers: dict[str, str] | None = None, **kwargs) -> Response:
    """:func:`problem` as a response with the problem media type."""
    return Response(problem_bytes(status, detail, **kwargs), status_code=status, headers=headers,
                    media_type=MEDIA_TYPE)
