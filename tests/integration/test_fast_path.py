"""The single-call fast path answers exactly as the FastAPI route does, and hands it everything else."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from callroute.serving import fastpath
from callroute.serving.app import create_app

pytestmark = pytest.mark.integration

API_KEY = "test-key-0123456789abcdef"  # the session settings' key (tests/conftest.py): every role
AUDITOR_KEY = "auditor-key-0123456789abcdef"  # added here: the auditor role only

GOOD = {"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"}
CALL = {"narrative": "ELDERLY F SITTING AT BUS STOP 3 HRS CONFUSED, NO WEAPONS SEEN", "call_id": "F-1",
        "call_type": "SERVICE - WELFARE CHECK", "received_at": "2024-11-02T14:05:00", "priority": 3}

# (name, headers, body bytes): what dispatch software might send, right and wrong
REQUESTS = [
    ("a good call", GOOD, json.dumps(CALL).encode()),
    ("a knife call", GOOD, json.dumps({"narrative": "SUBJ WAVING KNIFE AT RP"}).encode()),
    ("the charset given", {**GOOD, "Content-Type": "application/json; charset=utf-8"}, json.dumps(CALL).encode()),
    ("the scheme in lower case", {**GOOD, "Authorization": f"bearer {API_KEY}"}, json.dumps(CALL).encode()),
    ("no key", {"Content-Type": "application/json"}, json.dumps(CALL).encode()),
    ("a wrong key", {**GOOD, "Authorization": "Bearer not-the-key-0123456789"}, json.dumps(CALL).encode()),
    ("another scheme", {**GOOD, "Authorization": f"Basic {API_KEY}"}, json.dumps(CALL).encode()),
    ("an auditor's key", {**GOOD, "Authorization": f"Bearer {AUDITOR_KEY}"}, json.dumps(CALL).encode()),
    ("bad JSON", GOOD, b'{"narrative": "SUBJ CONFUSED",'),
    ("an empty body", GOOD, b""),
    ("a list", GOOD, b"[1, 2]"),
    ("no narrative", GOOD, json.dumps({"call_id": "F-2"}).encode()),
    ("a bad priority", GOOD, json.dumps({**CALL, "priority": "urgent"}).encode()),
    ("a bad time", GOOD, json.dumps({**CALL, "received_at": "yesterday"}).encode()),
    ("an unknown field", GOOD, json.dumps({**CALL, "colour": "blue"}).encode()),
    ("text, not JSON", {**GOOD, "Content-Type": "text/plain"}, json.dumps(CALL).encode()),
    ("a body over the fast path's limit", GOOD,
     json.dumps({**CALL, "narrative": "SUBJ CONFUSED " * (fastpath.MAX_FAST_BODY // 14 + 1)}).encode()),
]


@pytest.fixture(scope="module")
def clients(router, settings, tmp_path_factory):
    """Two servers of the same bundle, each with its own decision log: fast path on, and off."""
    base = tmp_path_factory.mktemp("fastpath")
    keys = f"{API_KEY},auditor:{AUDITOR_KEY}"
    fast = settings.model_copy(update={"fast_path": True, "decision_log": base / "fast.sqlite", "api_keys": keys})
    plain = settings.model_copy(update={"fast_path": False, "decision_log": base / "plain.sqlite", "api_keys": keys})
    with TestClient(create_app(fast)) as fast_client, TestClient(create_app(plain)) as plain_client:
        yield fast_client, plain_client


def _comparable(response) -> tuple:
    """Status, content type and body, without what differs from request to request (the request id)."""
    try:
        body = response.json()
    except ValueError:
        body = response.text
    if isinstance(body, dict):
        body.pop("request_id", None)
    return response.status_code, response.headers.get("content-type"), body


@pytest.mark.parametrize(("name", "headers", "body"), REQUESTS, ids=[r[0] for r in REQUESTS])
def test_both_paths_give_the_same_answer(clients, name: str, headers: dict, body: bytes) -> None:
    # Given the same request sent to a server with the fast path and one without
    fast_client, plain_client = clients
    fast, plain = (c.post("/v1/route", content=body, headers=headers) for c in (fast_client, plain_client))
    # Then status, content type and body are the same (an error's message included)
    assert _comparable(fast) == _comparable(plain), f"{name}: fast {fast.text[:300]} / plain {plain.text[:300]}"


def test_a_good_call_is_answered_by_the_fast_path_and_logged_before_the_reply(clients, monkeypatch) -> None:
    # Given a server with the fast path, and a count of the calls it decides itself
    fast_client, _ = clients
    decided = []
    original = fastpath.decide_and_log

    async def counting(state, call_router, log, calls, key_id=None):
        decided.append(calls[0].call_id)
        return await original(state, call_router, log, calls, key_id)

    monkeypatch.setattr(fastpath, "decide_and_log", counting)
    # When a good call and a call without a key are sent
    ok = fast_client.post("/v1/route", content=json.dumps({**CALL, "call_id": "F-9"}).encode(), headers=GOOD)
    refused = fast_client.post("/v1/route", content=json.dumps(CALL).encode(),
                               headers={"Content-Type": "application/json"})
    # Then the fast path decided the good one only, and its decision is in the log under its request id
    assert ok.status_code == 200 and refused.status_code == 401, (ok.text, refused.text)
    assert decided == ["F-9"], f"the fast path decided {decided}"
    request_id = ok.json()["request_id"]
    logged = fast_client.get(f"/v1/decisions/{request_id}", headers=GOOD)
    assert logged.status_code == 200, logged.text
    assert logged.json()["decision"] == ok.json(), "the log must hold exactly what the dispatcher was told"
    expected_key = fast_client.app.state.keyring.identify(API_KEY).key_id
    assert logged.json()["key_id"] == expected_key, f"the fast path must log the key that asked: {logged.json()}"


def test_other_routes_are_untouched(clients) -> None:
    # Given the fast path in front of the app, Then a batch and the health check are FastAPI's as before
    fast_client, _ = clients
    batch = fast_client.post("/v1/route/batch", json={"calls": [CALL]}, headers=GOOD)
    assert batch.status_code == 200 and len(batch.json()["decisions"]) == 1, batch.text
    assert fast_client.get("/healthz").status_code == 200
