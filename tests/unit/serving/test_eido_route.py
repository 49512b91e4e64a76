"""POST /v1/route/eido: an EIDO incident routed end to end, its ids returned, a bad one a 422 naming the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parents[2] / "fixtures" / "eido"


def _eido(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def test_an_eido_is_routed_logged_and_answered_with_its_ids(api_client, auth) -> None:
    # Given a CAD that sends an EIDO incident with a knife in its notes
    response = api_client.post("/v1/route/eido", json=_eido("weapon"), headers=auth)
    # Then it gets the usual decision (a red line: police) with the EIDO's ids
    assert response.status_code == 200, response.text
    decision = response.json()
    assert decision["recommendation"] == "police", decision
    assert any(hit["rule_id"] == "weapon.present" for hit in decision["rules_fired"]), decision["rules_fired"]
    assert decision["eido"] == {"eido_id": "urn:emergency:uid:eido:0a77e3:psap.example.gov",
                                "incident_id": "urn:emergency:uid:incident:2026-110377:psap.example.gov",
                                "issuing_element": "cad.psap.example.gov"}, decision["eido"]
    # And the log holds the call as read from the EIDO (district from the beat, call type from the registry)
    logged = api_client.get(f"/v1/decisions/{decision['request_id']}", headers=auth).json()
    assert logged["call"]["district"] == "HARBOR" and "waving a knife" in logged["call"]["narrative"], logged
    assert {k: v for k, v in decision.items() if k != "eido"} == logged["decision"], "log and reply must agree"


@pytest.mark.parametrize(("change", "field"), [
    (lambda d: d.pop("eidoVersion"), "eidoVersion"),
    (lambda d: d["incidentComponent"].update(incidentCommonPriorityNumber=0),
     "incidentComponent.incidentCommonPriorityNumber"),
    (lambda d: d.update(notesComponent=[]), "notesComponent"),
    (lambda d: d["notesComponent"][0].update(notesActionComments=""), "notesComponent[0].notesActionComments"),
])
def test_a_bad_eido_gets_422_naming_the_field(api_client, auth, change, field: str) -> None:
    document = _eido("welfare")
    change(document)
    response = api_client.post("/v1/route/eido", json=document, headers=auth)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in response.json()["errors"]], response.json()
