"""Calls that unfold: updates routed as the whole call so far, chained to the one before, seen by their key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from callroute.audit.decisions import DecisionLog
from callroute.serving.app import create_app
from callroute.serving.deps import get_call_router, get_decision_log
from callroute.serving.keys import KeysFile
from callroute.settings import Settings

FIXTURES = Path(__file__).parents[2] / "fixtures" / "eido"


@pytest.fixture
def unfolding(tiny_router, tmp_path: Path):
    """A client, one log, and the headers of two dispatch keys and an auditor key."""
    keys = KeysFile(tmp_path / "keys.json")
    headers = {}
    for name, role in (("east", "dispatch"), ("west", "dispatch"), ("auditor", "auditor")):
        _, token = keys.add(role, name)
        headers[name] = {"Authorization": f"Bearer {token}"}
    app = create_app(Settings(keys_file=tmp_path / "keys.json", data_dir=tmp_path))
    log = DecisionLog(tmp_path / "decisions.sqlite")
    app.dependency_overrides[get_call_router] = lambda: tiny_router
    app.dependency_overrides[get_decision_log] = lambda: log
    yield TestClient(app), headers, log
    log.close()


def test_an_update_is_routed_on_the_whole_call_and_chained_to_the_decision_before(unfolding) -> None:
    client, headers, log = unfolding
    # Given a call routed with its call id
    first = client.post("/v1/route", json={"narrative": "man pacing outside the library, talking to himself",
                                           "call_id": "C-100"}, headers=headers["east"]).json()
    # When the call-taker adds that he now has a knife
    update = client.post("/v1/calls/C-100/updates", json={"remarks": "now he pulled out a knife and is waving it"},
                         headers=headers["east"])
    # Then the new decision reads the whole call, fires the weapon red line and names the decision it supersedes
    assert update.status_code == 200, update.text
    turned = update.json()
    assert turned["recommendation"] == "police" and turned["previous_request_id"] == first["request_id"], turned
    assert [h["rule_id"] for h in turned["rules_fired"]] == ["weapon.present"], turned["rules_fired"]
    # And the history shows both, oldest first, the second on the first's narrative plus the remarks
    history = client.get("/v1/calls/C-100", headers=headers["east"]).json()["decisions"]
    assert [h["request_id"] for h in history] == [first["request_id"], turned["request_id"]], history
    assert history[1]["narrative"] == ("man pacing outside the library, talking to himself. now he pulled out a "
                                       "knife and is waving it"), history[1]["narrative"]
    assert history[1]["decision"] == turned and log.verify().ok, "the update is logged in the hash chain"


def test_a_red_line_once_read_stays_when_the_call_calms_down(unfolding) -> None:
    client, headers, _ = unfolding
    client.post("/v1/route", json={"narrative": "SUBJ WAVING KNIFE AT RP", "call_id": "C-200"},
                headers=headers["east"])
    calmer = client.post("/v1/calls/C-200/updates", json={"remarks": "he put it down, he is calm now, no weapons"},
                         headers=headers["east"]).json()
    assert calmer["recommendation"] == "police" and calmer["rules_fired"], calmer


def test_an_eido_update_replaces_the_narrative_with_the_incidents_notes(unfolding) -> None:
    client, headers, _ = unfolding
    client.post("/v1/route", json={"narrative": "welfare check, elderly woman at a bus stop", "call_id": "C-300"},
                headers=headers["east"])
    eido = json.loads((FIXTURES / "welfare.json").read_text())
    update = client.post("/v1/calls/C-300/updates", json={"eido": eido}, headers=headers["east"])
    assert update.status_code == 200, update.text
    history = client.get("/v1/calls/C-300", headers=headers["east"]).json()["decisions"]
    assert history[1]["narrative"].startswith("Elderly woman sitting at the bus stop"), history[1]
    assert update.json()["call_id"] == "C-300", "the call keeps its id whatever the EIDO's"


def test_another_dispatch_key_cannot_see_or_update_the_call_but_an_auditor_reads_it(unfolding) -> None:
    client, headers, _ = unfolding
    client.post("/v1/route", json={"narrative": "SUBJ CONFUSED AT BUS STOP", "call_id": "C-400"},
                headers=headers["east"])
    # When another centre's key asks for the call or updates it, Then it is told there is no such call of its own
    assert client.get("/v1/calls/C-400", headers=headers["west"]).status_code == 404
    refused = client.post("/v1/calls/C-400/updates", json={"remarks": "still there"}, headers=headers["west"])
    assert refused.status_code == 404 and "routed with this key" in refused.json()["detail"], refused.text
    # And an auditor reads it but may not update it
    assert len(client.get("/v1/calls/C-400", headers=headers["auditor"]).json()["decisions"]) == 1
    assert client.post("/v1/calls/C-400/updates", json={"remarks": "x1"}, headers=headers["auditor"]).status_code == 403


@pytest.mark.parametrize(("body", "field"), [
    ({}, "body"),
    ({"remarks": "a", "eido": json.loads((FIXTURES / "welfare.json").read_text())}, "body"),
    ({"eido": {"eidoVersion": "1.0"}}, "eido.issuingElementIdentification"),
    ({"remarks": "   "}, "remarks"),
    ({"remarks": "!!!"}, "remarks"),
    ({"remarks": "he is calm", "priority": 0}, "priority"),
    ({"remarks": "x " * 999}, "remarks"),
])
def test_a_bad_update_gets_422_naming_the_field(unfolding, body: dict, field: str) -> None:
    client, headers, _ = unfolding
    client.post("/v1/route", json={"narrative": "SUBJ CONFUSED " * 300, "call_id": "C-500"}, headers=headers["east"])
    response = client.post("/v1/calls/C-500/updates", json=body, headers=headers["east"])
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]], response.json()


def test_an_update_of_a_call_never_routed_is_404(unfolding) -> None:
    client, headers, _ = unfolding
    response = client.post("/v1/calls/NOPE/updates", json={"remarks": "hello"}, headers=headers["east"])
    assert response.status_code == 404 and "route it first" in response.json()["detail"], response.text
