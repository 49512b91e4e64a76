"""Every route with every role: dispatch routes and reports, auditors read, admins reload (OWASP API1, API5).

The real app with the tiny Router swapped in (conftest.py) and a keys file holding one key per role and one
revoked key. Each route's own answer (200, 201, 404) is what the right role gets; any other role gets 403
naming the role it needs; no key or a revoked one gets 401.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from callroute.audit.decisions import DecisionLog
from callroute.serving.app import create_app
from callroute.serving.deps import get_call_router, get_decision_log, get_manifest
from callroute.serving.keys import KeysFile
from callroute.settings import Settings

CALL = {"narrative": "ELDERLY F SITTING AT BUS STOP 3 HRS CONFUSED, NO WEAPONS SEEN"}
OUTCOME = {"request_id": "no-such-request", "responder": "crisis_team"}
EIDO = json.loads((Path(__file__).parents[2] / "fixtures" / "eido" / "welfare.json").read_text())

# (method, path, body, roles that may, the right role's status)
ROUTES = [
    ("post", "/v1/route", CALL, ("dispatch",), 200),
    ("post", "/v1/route/batch", {"calls": [CALL]}, ("dispatch",), 200),
    ("post", "/v1/route/eido", EIDO, ("dispatch",), 200),
    ("post", "/v1/outcomes", OUTCOME, ("dispatch",), 404),
    ("post", "/v1/calls/no-such-call/updates", {"remarks": "he is calm now"}, ("dispatch",), 404),
    ("get", "/v1/calls/no-such-call", None, ("dispatch", "auditor"), 404),
    ("get", "/v1/decisions/no-such-request", None, ("auditor",), 404),
    ("get", "/v1/model", None, ("auditor",), 200),
    ("get", "/metrics", None, ("auditor",), 200),
    ("post", "/v1/admin/reload", None, ("admin",), 200),
    ("get", "/v1/admin/keys", None, ("admin",), 200),
]
ROLES = ("dispatch", "auditor", "admin")


class _Watcher:
    def __init__(self) -> None:
        self.refused: list[str] = []

    async def check(self) -> bool:
        return False


@pytest.fixture
def keyed(tiny_router, tmp_path: Path):
    """A client, the tokens of one key per role and of a revoked key, and the keys' ids."""
    keys = KeysFile(tmp_path / "keys.json")
    tokens, ids = {}, {}
    for role in ROLES:
        stored, tokens[role] = keys.add(role, f"{role} test")
        ids[role] = stored.id
    revoked, tokens["revoked"] = keys.add("dispatch", "gone")
    keys.revoke(revoked.id)
    app = create_app(Settings(keys_file=tmp_path / "keys.json", data_dir=tmp_path))
    log = DecisionLog(tmp_path / "decisions.sqlite")
    app.dependency_overrides[get_call_router] = lambda: tiny_router
    app.dependency_overrides[get_decision_log] = lambda: log
    app.dependency_overrides[get_manifest] = lambda: {"run_id": "tiny", "metrics": {}}
    app.state.watcher = _Watcher()
    yield TestClient(app), tokens, ids
    log.close()


def _call(client: TestClient, method: str, path: str, body, token: str | None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.request(method.upper(), path, json=body, headers=headers)


@pytest.mark.parametrize(("method", "path", "body", "needed", "allowed"), ROUTES)
@pytest.mark.parametrize("role", ROLES)
def test_every_route_with_every_role(keyed, method, path, body, needed, allowed, role) -> None:
    client, tokens, ids = keyed
    # Given a key holding `role`  When it calls the route
    response = _call(client, method, path, body, tokens[role])
    # Then the role the route needs gets the route's own answer, any other role a 403 saying what it needs
    if role in needed:
        assert response.status_code == allowed, f"{role} on {method} {path}: {response.text}"
    else:
        assert response.status_code == 403, f"{role} must not {method} {path}: {response.status_code}"
        problem = response.json()
        assert response.headers["content-type"] == "application/problem+json", response.headers
        wanted = " or ".join(needed)
        assert f"needs the {wanted} role" in problem["detail"] and ids[role] in problem["detail"], problem


@pytest.mark.parametrize(("method", "path", "body", "needed", "allowed"), ROUTES)
@pytest.mark.parametrize("who", ["nobody", "revoked"])
def test_no_key_or_a_revoked_key_gets_401_everywhere(keyed, method, path, body, needed, allowed, who) -> None:
    client, tokens, _ = keyed
    response = _call(client, method, path, body, None if who == "nobody" else tokens["revoked"])
    assert response.status_code == 401, f"{who} on {method} {path}: {response.status_code} {response.text}"
    assert response.headers["www-authenticate"] == "Bearer"


def test_health_and_readiness_stay_open(keyed) -> None:
    client, _, _ = keyed
    assert client.get("/healthz").status_code == 200, "a load balancer probes without a key"
    assert client.get("/readyz").status_code in (200, 503)


def test_every_decision_names_the_key_that_asked(keyed) -> None:
    client, tokens, ids = keyed
    # Given a dispatch key that routes a call
    decision = _call(client, "post", "/v1/route", CALL, tokens["dispatch"]).json()
    # When an auditor reads the logged decision
    logged = _call(client, "get", f"/v1/decisions/{decision['request_id']}", None, tokens["auditor"]).json()
    # Then it names the dispatch key's id
    assert logged["key_id"] == ids["dispatch"], logged


def test_the_admin_lists_keys_without_secrets(keyed) -> None:
    client, tokens, ids = keyed
    listed = _call(client, "get", "/v1/admin/keys", None, tokens["admin"]).json()
    assert {k["id"] for k in listed} >= set(ids.values()), listed
    assert all("sha256" not in k for k in listed), "the listing must not show the hashes"
    assert sum(k["revoked_at"] is not None for k in listed) == 1, listed


def test_a_key_past_its_rate_gets_429_with_retry_after(tiny_router, tmp_path: Path) -> None:
    # Given a server allowing each key 2 requests at once and then one every 1,000 s
    _, token = KeysFile(tmp_path / "keys.json").add("dispatch")
    _, other = KeysFile(tmp_path / "keys.json").add("dispatch")
    app = create_app(Settings(keys_file=tmp_path / "keys.json", data_dir=tmp_path, rate_limit=0.001, rate_burst=2))
    log = DecisionLog(tmp_path / "decisions.sqlite")
    app.dependency_overrides[get_call_router] = lambda: tiny_router
    app.dependency_overrides[get_decision_log] = lambda: log
    client = TestClient(app)
    try:
        # When one key sends 3 calls
        codes = [_call(client, "post", "/v1/route", CALL, token).status_code for _ in range(3)]
        refused = _call(client, "post", "/v1/route", CALL, token)
        # Then the third is refused with a problem saying when to retry; another key still gets through
        assert codes == [200, 200, 429], codes
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 900, refused.headers
        assert "rate limit" in refused.json()["detail"], refused.json()
        assert _call(client, "post", "/v1/route", CALL, other).status_code == 200, "the limit is per key"
    finally:
        log.close()


def test_a_server_without_any_key_refuses_to_start(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="callroute keys add"):
        create_app(Settings(keys_file=tmp_path / "none.json", data_dir=tmp_path))


def test_the_openapi_document_names_each_routes_roles(keyed) -> None:
    # Given the served OpenAPI document  Then every route of the table lists exactly the roles that may call it
    client, _, _ = keyed
    paths = client.get("/openapi.json").json()["paths"]
    for method, path, _, needed, _ in ROUTES:
        security = paths[path.replace("no-such-call", "{call_id}").replace("no-such-request", "{request_id}")][method]
        assert security.get("security") == [{"HTTPBearer": list(needed)}], (method, path, security.get("security"))
    assert "security" not in paths["/healthz"]["get"], "the health checks are open"
