"""Replay: logged calls re-scored with a registered version, the decision reproduced exactly."""

from __future__ import annotations

import dataclasses

import pytest

from callroute.audit.decisions import DecisionLog
from callroute.cli import main
from callroute.jobs.replay import replay_rows, run

pytestmark = pytest.mark.integration

CALLS = [
    {"narrative": "ELDERLY SUBJ CONFUSED AT BUS STOP, CALM, NO WEAPONS SEEN", "call_type": "SERVICE - WELFARE CHECK"},
    {"narrative": "RP STS SUBJ WAVING KNIFE AT PEDESTRIANS", "call_type": "PERSON IN BEHAVIORAL/EMOTIONAL CRISIS"},
    {"narrative": "my neighbor hasn't picked up her mail in a week and isn't answering the door"},
    {"narrative": "SUBJ TALKING TO SELF, CALM, COOPERATIVE, NEG WPNS", "district": "NORTH"},
    {"narrative": "he is screaming and throwing chairs in the lobby", "received_at": "2024-05-01T23:30"},
]


@pytest.fixture
def logged(client, auth, settings):
    """The calls above sent through the API (so they are in the session's decision log)."""
    ids = [client.post("/v1/route", json=call, headers=auth).json()["request_id"] for call in CALLS]
    log = DecisionLog(settings.resolved_decision_log)
    rows = [row for row in log.export_rows() if row["request_id"] in ids]
    log.close()
    assert len(rows) == len(CALLS)
    return rows


def test_replaying_with_the_version_that_decided_reproduces_every_decision(logged, trained, settings) -> None:
    # Given decisions logged by the champion  When they are replayed with the same registered version
    result = run(trained.version, settings)
    table = result.table.set_index("request_id").loc[[row["request_id"] for row in logged]]
    # Then each replayed decision is the logged one, field for field
    assert table["identical"].all(), table[~table["identical"]][["logged_reasons", "replayed_reasons"]]
    assert result.summary()["crisis_team_to_police"] == 0 and result.summary()["police_to_crisis_team"] == 0


def test_a_stricter_version_shows_each_diverted_call_flipping_to_police(logged, router) -> None:
    # Given a version whose threshold diverts nothing
    strict = dataclasses.replace(router, policy=dataclasses.replace(router.policy, threshold=-1.0,
                                                                    district_thresholds=()))
    table = replay_rows(logged, strict)
    # Then exactly the calls the champion diverted flip to police, with the new reasons
    diverted = table["logged_recommendation"] == "crisis_team"
    assert diverted.any(), "the champion should divert at least one of these calls"
    assert (table.loc[diverted, "replayed_recommendation"] == "police").all()
    assert (table.loc[~diverted, "replayed_recommendation"] == "police").all()
    assert table.loc[diverted, "replayed_reasons"].str.contains("above the diversion threshold").all()


def test_the_replay_command_prints_the_summary(logged, trained, env, capsys, tmp_path) -> None:
    out = tmp_path / "replay.csv"
    assert main(["replay", "--version", str(trained.version), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"with version {trained.version}" in printed and "0 crisis team -> police" in printed, printed
    assert out.exists()
    assert main(["replay", "--version", "999"]) == 2, "an unknown version is a one-line error"
