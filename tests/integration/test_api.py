"""The HTTP API as dispatch software and auditors use it."""

from __future__ import annotations

import re

import pytest

from callroute.model.calibrate import ScoreCalibrator

pytestmark = pytest.mark.integration

WEAPON_CALL = {"narrative": "RP STS MALE SUBJ WAVING KNIFE AT PEDESTRIANS", "call_id": "A-1"}
QUIET_CALL = {
    "narrative": "ELDERLY F SITTING AT BUS STOP 3 HRS CONFUSED, NO WEAPONS SEEN",
    "call_type": "SERVICE - WELFARE CHECK",
    "received_at": "2024-11-02T14:05:00",
    "caller_type": "bystander",
    "priority": 3,
}


def _assert_explanation_is_exact(decision: dict, calibrator: ScoreCalibrator) -> None:
    e = decision["explanation"]
    total = e["base"] + sum(c["contribution"] for c in e["contributions"]) + e["rest"]
    assert total == pytest.approx(e["score"], abs=1e-6), f"base + contributions + rest = {total}, score {e['score']}"
    assert decision["escalation_risk"] == pytest.approx(float(calibrator.predict([e["score"]])[0]), abs=1e-12)


def test_weapon_call_goes_to_police_with_the_rule_named(client, auth, router) -> None:
    response = client.post("/v1/route", json=WEAPON_CALL, headers=auth)
    assert response.status_code == 200, response.text
    decision = response.json()
    assert decision["recommendation"] == "police"
    assert [r["rule_id"] for r in decision["rules_fired"]] == ["weapon.present"]
    assert "KNIFE" in decision["rules_fired"][0]["evidence"]
    assert any("weapon.present" in reason for reason in decision["reasons"]), decision["reasons"]
    assert decision["call_id"] == "A-1" and decision["confidence"] == 1.0
    _assert_explanation_is_exact(decision, router.calibrator)


def test_quiet_call_is_decided_by_the_model_with_an_exact_explanation(client, auth, router) -> None:
    decision = client.post("/v1/route", json=QUIET_CALL, headers=auth).json()
    assert decision["rules_fired"] == [], decision["rules_fired"]
    assert decision["model"] == {"name": "callroute", "version": router.version, "ruleset": router.ruleset.ruleset_id}
    assert decision["explanation"]["contributions"], "a model decision must name what moved the score"
    _assert_explanation_is_exact(decision, router.calibrator)


def test_decision_is_logged_and_retrievable_by_auditors(client, auth) -> None:
    decision = client.post("/v1/route", json={**QUIET_CALL, "narrative": "RP 206-555-0199 STS SUBJ CALM"},
                           headers=auth).json()
    record = client.get(f"/v1/decisions/{decision['request_id']}", headers=auth)
    assert record.status_code == 200, record.text
    body = record.json()
    assert body["decision"] == decision, "the log must hold exactly what was returned"
    assert "555" not in body["call"]["narrative"], "narratives are stored redacted"


def test_outcome_attaches_to_a_logged_decision(client, auth) -> None:
    decision = client.post("/v1/route", json=QUIET_CALL, headers=auth).json()
    ack = client.post("/v1/outcomes", json={"request_id": decision["request_id"], "responder": "crisis_team"},
                      headers=auth)
    assert ack.status_code == 201, ack.text
    record = client.get(f"/v1/decisions/{decision['request_id']}", headers=auth).json()
    assert record["outcomes"][0]["responder"] == "crisis_team"
    unknown = client.post("/v1/outcomes", json={"request_id": "nope", "responder": "police"}, headers=auth)
    assert unknown.status_code == 404, unknown.text


def test_batch_returns_one_decision_per_call_in_order(client, auth) -> None:
    response = client.post("/v1/route/batch", json={"calls": [QUIET_CALL, WEAPON_CALL]}, headers=auth)
    assert response.status_code == 200, response.text
    decisions = response.json()["decisions"]
    assert [d["call_id"] for d in decisions] == [None, "A-1"]
    assert decisions[1]["recommendation"] == "police"


def test_ops_endpoints(client, auth, router) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready", "model_version": router.version}
    model = client.get("/v1/model", headers=auth).json()
    assert model["threshold"] == router.policy.threshold and "auc" in model["metrics"], model
    assert client.get("/metrics").status_code == 401, "metrics are read with an auditor's key"
    metrics = client.get("/metrics", headers=auth).text
    assert "callroute_decisions_total" in metrics, metrics[:500]
    assert "/v1/route" in client.get("/openapi.json").json()["paths"]


def test_the_model_endpoint_serves_the_district_table(client, auth, router) -> None:
    # Given the served model  When an auditor asks for it
    districts = {d["district"]: d for d in client.get("/v1/model", headers=auth).json()["districts"]}
    # Then every district of the training data is there, with the threshold routing applies to its calls
    assert set(districts) >= {"NORTH", "SOUTH", "EAST", "WEST", "CENTRAL", "HARBOR"}, districts
    for name, row in districts.items():
        assert row["threshold"] == router.policy.threshold_for(name)
        assert row["certified"] == router.metadata["districts"][name]["certified"]
        assert 0 <= row["unsafe_ci"][0] <= row["unsafe_diversion_rate"] <= row["unsafe_ci"][1], row
        if not row["certified"]:
            assert row["threshold"] <= router.policy.threshold, f"{name}: a fallback is never looser than the city"


def _weight_named(reason: str, weights: dict[str, float]) -> float:
    """The log-odds a "Raises/Lowers the risk: ..." sentence stands for, found in the explanation's entries."""
    told = reason.split(": ", 1)[1].rstrip(".")
    summed = re.fullmatch(r"the narrative's wording beyond the facts read \(([+-][\d.]+) log-odds in all\)", told)
    if summed:
        return float(summed.group(1))
    name = re.sub(r' \((?:"[^"]*"|call-taker:[^)]*)\)$', "", told)  # a fact's evidence follows its label
    for feature in (name, f"fact: {name}"):
        if feature in weights:
            return weights[feature]
    raise AssertionError(f"{reason!r} names no entry of the explanation: {sorted(weights)}")


def test_reasons_name_only_factors_that_matter(client, auth) -> None:
    # Given a quiet welfare call, When it is routed
    decision = client.post("/v1/route", json=QUIET_CALL, headers=auth).json()
    named = [r for r in decision["reasons"] if r.startswith(("Raises the risk", "Lowers the risk"))]
    weights = {c["feature"]: c["contribution"] for c in decision["explanation"]["contributions"]}
    # Then some factor is named, not every entry is, and each named one moves the odds by 0.1 or more
    assert named, f"a model decision names at least one factor: {decision['reasons']}"
    assert len(named) < len(weights), "factors below 0.1 log-odds are left out of the sentences"
    for reason in named:
        weight = _weight_named(reason, weights)
        assert abs(weight) >= 0.1, f"{reason!r} names a factor of {weight:+.3f} log-odds"
        assert reason.startswith("Raises") == (weight > 0), f"{reason!r} has the sign of {weight:+.3f}"


def test_screening_answers_set_facts_and_a_yes_to_weapons_is_a_red_line(client, auth, router) -> None:
    # Given a quiet call, When the call-taker answered weapons yes and intoxicated no
    body = {**QUIET_CALL, "screening": {"weapons": "yes", "intoxicated": "no"}}
    decision = client.post("/v1/route", json=body, headers=auth).json()
    # Then the answer is a red line, named as the call-taker's, and both answers are facts from the screening
    assert decision["recommendation"] == "police"
    assert [r["rule_id"] for r in decision["rules_fired"]] == ["screening.weapons"], decision["rules_fired"]
    facts = {f["id"]: f for f in decision["facts"]}
    assert facts["weapon.present"]["state"] == "present" and facts["weapon.present"]["source"] == "screening"
    assert facts["intoxicated"]["state"] == "denied" and facts["intoxicated"]["source"] == "screening"
    assert facts["confused"]["source"] == "text", "facts read from the narrative are returned beside the answers"
    _assert_explanation_is_exact(decision, router.calibrator)


def test_a_screening_no_against_a_stated_weapon_keeps_police_and_asks_for_review(client, auth) -> None:
    body = {"narrative": "SUBJ HAS A KNIFE IN HIS HAND", "screening": {"weapons": "no"}}
    decision = client.post("/v1/route", json=body, headers=auth).json()
    assert decision["recommendation"] == "police" and decision["needs_review"] is True, decision
    assert any("KNIFE" in r and "weapons 'no'" in r for r in decision["reasons"]), decision["reasons"]


@pytest.mark.parametrize(("screening", "named"), [({"guns": "no"}, "guns"), ({"weapons": "maybe"}, "weapons")])
def test_an_unknown_screening_question_or_answer_is_a_422_naming_it(client, auth, screening, named) -> None:
    response = client.post("/v1/route", json={**QUIET_CALL, "screening": screening}, headers=auth)
    assert response.status_code == 422, response.text
    assert named in response.text, f"the error must name {named!r}: {response.text}"


def test_a_narrative_of_noise_is_flagged_for_review(client, auth) -> None:
    decision = client.post("/v1/route", json={"narrative": "qwkjehqwkjeh qkwjehkqjwhe zxmnbzxmnb"},
                           headers=auth).json()
    assert decision["needs_review"] is True, decision
    assert decision["facts"] == [], decision["facts"]
    assert any("not words" in r for r in decision["reasons"]), decision["reasons"]


@pytest.mark.parametrize("fast_path", [True, False], ids=["fast path", "FastAPI route"])
def test_a_call_past_its_time_budget_gets_503_and_is_not_logged(client, auth, monkeypatch, fast_path) -> None:
    # Given a server whose time budget is already spent when a call starts (one nanosecond)
    settings = client.app.state.settings
    monkeypatch.setattr(settings, "route_budget_ms", 1e-6)
    if not fast_path:  # the fast path steps aside while any dependency is overridden (serving/fastpath.py)
        from callroute.serving.deps import get_decision_log

        monkeypatch.setitem(client.app.dependency_overrides, get_decision_log, lambda: client.app.state.decision_log)
    logged = client.app.state.decision_log.count()
    # When a call is routed, alone and in a batch
    one = client.post("/v1/route", json=QUIET_CALL, headers=auth)
    batch = client.post("/v1/route/batch", json={"calls": [QUIET_CALL]}, headers=auth)
    # Then both are 503 with a message saying what happened and what to do, and nothing was logged
    assert one.status_code == 503, one.text
    assert "time budget" in one.json()["detail"] and "by protocol" in one.json()["detail"], one.text
    assert one.headers.get("retry-after") == "1", one.headers
    assert one.headers["content-type"] == "application/problem+json" and one.json()["type"].endswith("/over-budget")
    assert batch.status_code == 503 and batch.json()["detail"].startswith("calls[0]: "), batch.text
    assert client.app.state.decision_log.count() == logged, "a call past its budget is never logged"
    # and with the budget back, the same call is decided
    monkeypatch.setattr(settings, "route_budget_ms", 250.0)
    assert client.post("/v1/route", json=QUIET_CALL, headers=auth).status_code == 200


def test_a_call_that_calms_down_moves_to_the_crisis_team(client, auth) -> None:
    # Given a call the model sends to police: a man worked up, yelling and pacing, off his meds
    first = client.post("/v1/route", json={"narrative": "my brother is really worked up, yelling and pacing in the "
                                           "kitchen, he's off his meds", "call_id": "UNFOLD-1"}, headers=auth).json()
    # When the call-taker adds that he sat down and is calm, talking with his mother
    update = client.post("/v1/calls/UNFOLD-1/updates", json={"remarks": "he sat down, he's calm now and talking with "
                         "our mom, he wants to see his counselor"}, headers=auth).json()
    # Then the risk falls and the call goes to the crisis team, superseding the first decision
    assert first["recommendation"] == "police" and not first["rules_fired"], first
    assert update["escalation_risk"] < first["escalation_risk"] / 2, (first["escalation_risk"], update)
    assert update["recommendation"] == "crisis_team" and update["previous_request_id"] == first["request_id"], update


def test_a_call_that_turns_goes_to_police_on_the_red_line(client, auth) -> None:
    first = client.post("/v1/route", json={"narrative": "my neighbor is sitting on her porch crying, she says she lost "
                                           "her job", "call_id": "UNFOLD-2"}, headers=auth).json()
    remarks = "now her boyfriend showed up and he's screaming at her and just shoved her into the door"
    update = client.post("/v1/calls/UNFOLD-2/updates", json={"remarks": remarks}, headers=auth).json()
    assert first["recommendation"] == "crisis_team", first
    assert update["recommendation"] == "police", update
    assert [hit["rule_id"] for hit in update["rules_fired"]] == ["violence.in_progress"], update["rules_fired"]
    history = client.get("/v1/calls/UNFOLD-2", headers=auth).json()["decisions"]
    assert [h["decision"]["recommendation"] for h in history] == ["crisis_team", "police"], history
