"""The API's contract at its edges: every client mistake is a 4xx naming what is wrong, never a 500.

Runs against a tiny Router through ``app.dependency_overrides`` (conftest.py): validation and
authentication do not depend on which model is served.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from callroute.serving.app import create_app
from callroute.settings import Settings

QUIET_CALL = {"narrative": "ELDERLY F SITTING AT BUS STOP 3 HRS CONFUSED, NO WEAPONS SEEN",
              "call_type": "SERVICE - WELFARE CHECK", "received_at": "2024-11-02T14:05:00"}


def test_a_valid_call_gets_a_decision_from_the_swapped_router(api_client, auth) -> None:
    # Given the tiny Router swapped in, When a valid call is posted, Then it decides it (the override is live)
    response = api_client.post("/v1/route", json=QUIET_CALL, headers=auth)
    assert response.status_code == 200, response.text
    assert response.json()["model"]["name"] == "tiny", response.json()["model"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "narrative"),
        ({"narrative": ""}, "narrative"),
        ({"narrative": "x" * 5001}, "narrative"),
        ({"narrative": "ok", "weapon": True}, "weapon"),
        ({"narrative": "ok", "received_at": "not a date"}, "received_at"),
        ({"narrative": "ok", "priority": "high"}, "priority"),
        ([1, 2], "body"),
    ],
)
def test_bad_requests_get_422_naming_the_field(api_client, auth, payload, field) -> None:
    response = api_client.post("/v1/route", json=payload, headers=auth)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json", response.headers
    fields = [d["field"] for d in response.json()["errors"]]
    assert field in fields, f"the error should name {field!r}: {response.json()}"


def test_invalid_json_gets_422_not_500(api_client, auth) -> None:
    headers = {**auth, "Content-Type": "application/json"}
    response = api_client.post("/v1/route", content=b"{narrative:", headers=headers)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "body", response.json()


def test_batch_errors_name_the_call_and_field(api_client, auth) -> None:
    response = api_client.post("/v1/route/batch", json={"calls": [QUIET_CALL, {"narrative": ""}]}, headers=auth)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "calls[1].narrative", response.json()


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong-key-0000000000"}, {"Authorization": "Basic x"}]
)
def test_missing_or_wrong_key_gets_401(api_client, headers) -> None:
    response = api_client.post("/v1/route", json=QUIET_CALL, headers=headers)
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"] == "Bearer"


PROBLEM_KEYS = {"type", "title", "status", "detail"}


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("post", "/v1/route", {"json": {}}, 422),
        ("post", "/v1/route", {"json": QUIET_CALL, "headers": {"Authorization": "Bearer wrong-key-0000000000"}}, 401),
        ("get", "/v1/nowhere", {}, 404),
        ("get", "/v1/route", {}, 405),
        ("post", "/v1/route", {"content": b"narrative=hello", "headers": {"Content-Type": "text/plain"}}, 415),
        ("post", "/v1/route", {"content": b"{}", "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
         415),
        ("post", "/v1/route/batch", {"json": {"calls": [QUIET_CALL] * 501}}, 413),
    ],
    ids=["422 a field", "401 a key", "404 a path", "405 a method", "415 text", "415 a form", "413 a batch"],
)
def test_every_error_is_a_problem_document(api_client, auth, method, path, kwargs, status) -> None:
    # Given a request wrong in one way, When it is sent
    headers = {**auth, **kwargs.pop("headers", {})}
    response = getattr(api_client, method)(path, headers=headers, **kwargs)
    # Then the answer is RFC 9457 problem details with that status and a sentence saying what is wrong
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json", response.headers
    body = response.json()
    assert set(body) >= PROBLEM_KEYS, body
    assert body["status"] == status and body["detail"].strip(), body


def test_a_body_that_is_not_json_names_the_content_type_it_got(api_client, auth) -> None:
    # Given a text/plain body (a client that forgot the header), When it is posted
    response = api_client.post("/v1/route", content=b"RP STS MALE WITH KNIFE",
                               headers={**auth, "Content-Type": "text/plain"})
    # Then 415 says what was sent and what is expected, and where to look
    assert response.status_code == 415, response.text
    assert "text/plain" in response.json()["detail"] and "application/json" in response.json()["detail"]
    assert response.json()["type"].endswith("/content-type"), response.json()


def test_app_refuses_to_start_without_keys(tmp_path) -> None:
    with pytest.raises(RuntimeError, match="CALLROUTE_API_KEYS"):
        create_app(Settings(api_keys="", data_dir=tmp_path))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=8,
)
call_like = st.fixed_dictionaries(
    {},
    optional={
        "narrative": st.one_of(st.text(max_size=60), st.integers(), st.none()),
        "call_type": json_values, "district": json_values, "received_at": json_values,
        "caller_type": json_values, "priority": json_values, "location_prior_calls": json_values,
        "call_id": json_values, "extra": json_values,
    },
)


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(call_like, json_values))
def test_no_client_mistake_gets_a_500(api_client, auth, body) -> None:
    response = api_client.post("/v1/route", json=body, headers=auth)
    assert response.status_code in (200, 422), f"{body!r} -> {response.status_code} {response.text[:300]}"


