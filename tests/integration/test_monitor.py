"""Monitoring end to end: a served model meets a year like its training data, then a drifted one."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from callroute.cli import main
from callroute.config import ExperimentConfig
from callroute.data import synth
from callroute.jobs.monitor import render, run
from callroute.serving.app import create_app

pytestmark = pytest.mark.integration

FIELDS = ("narrative", "call_id", "call_type", "district", "received_at", "caller_type", "priority",
          "location_prior_calls")
FLAGS = ("weapon_found", "violence", "backup_requested", "injury")


def _serve_year(settings, log: Path, auth: dict, *, wording: str, register: str | None, extra_escalation: int) -> None:
    """Send 1,500 generated calls of 2024 through the API, then post what happened on each.

    ``extra_escalation``: every n-th call sent to the crisis team is also reported as violent (a population
    whose calls escalate more than the training years'); 0 for none.
    """
    rows = list(synth.generate_rows(1500, seed=77, wording=wording, register=register,
                                    start=datetime(2024, 1, 1), end=datetime(2025, 1, 1)))
    app_settings = settings.model_copy(update={"decision_log": log})
    with TestClient(create_app(app_settings)) as client:
        decisions = []
        for i in range(0, len(rows), 500):
            calls = [{k: (str(r[k]) if k == "received_at" else r[k]) for k in FIELDS if r.get(k) is not None}
                     for r in rows[i : i + 500]]
            reply = client.post("/v1/route/batch", json={"calls": calls}, headers=auth)
            assert reply.status_code == 200, reply.text
            decisions += reply.json()["decisions"]
        diverted = 0
        for row, decision in zip(rows, decisions, strict=True):
            outcome = {flag: bool(int(row[flag])) for flag in FLAGS}
            if decision["recommendation"] == "crisis_team":
                diverted += 1
                if extra_escalation and diverted % extra_escalation == 0:
                    outcome["violence"] = True
            reply = client.post("/v1/outcomes", json={"request_id": decision["request_id"],
                                                      "responder": "police", **outcome}, headers=auth)
            assert reply.status_code == 201, reply.text


def test_no_alert_on_a_year_like_the_training_data(settings, auth, router, tmp_path: Path) -> None:
    # Given the served model and a year written like its training calls, with the outcomes reported
    log = tmp_path / "decisions.sqlite"
    _serve_year(settings, log, auth, wording="A", register=None, extra_escalation=0)
    # When the monitor runs
    report = run(settings, ExperimentConfig(), log_path=log)
    # Then it raises nothing, and reports both sides of the outcomes apart
    assert report.alerts == [], render(report)
    assert report.figures["outcome_coverage"] == 1.0
    assert report.figures["diverted_with_outcome"] > 100 and report.figures["police_with_outcome"] > 100
    assert "not comparable" in render(report)


def test_a_drifted_year_raises_the_right_alerts_everywhere(settings, auth, router, tmp_path: Path, env,
                                                           capsys) -> None:
    # Given a year in words the model never saw (lexicon half B, callers' own words) whose diverted calls
    # escalate more (one in eight reported violent)
    log = tmp_path / "decisions.sqlite"
    _serve_year(settings, log, auth, wording="B", register="caller", extra_escalation=8)
    # When the monitor runs from the command line
    code = main(["monitor", "--log", str(log)])
    printed = capsys.readouterr().out
    # Then it exits non-zero with an unsafe-diversion and a wording alert, and no call-type alert
    assert code == 1, printed
    assert "ALERT: unsafe diversion:" in printed and "ALERT: wording drift:" in printed, printed
    assert "call-type mix drift" not in printed, printed
    # And a server on that log shows the alerts as Prometheus gauges
    with TestClient(create_app(settings.model_copy(update={"decision_log": log}))) as client:
        metrics = client.get("/metrics", headers=auth).text
    assert 'callroute_monitor_alert{kind="unsafe diversion"} 1.0' in metrics, metrics[-800:]
    assert 'callroute_monitor_alert{kind="wording drift"} 1.0' in metrics
    assert 'callroute_monitor_alert{kind="call-type mix drift"} 0.0' in metrics


def test_a_handful_of_decisions_raises_no_drift_alert(settings, auth, router, tmp_path: Path) -> None:
    # Given three decisions, all on one odd call type (their "mix" is nothing like the training calls')
    log = tmp_path / "decisions.sqlite"
    with TestClient(create_app(settings.model_copy(update={"decision_log": log}))) as client:
        for text in ("SUBJ CALM AT PARK", "RP STS SUBJ YELLING", "ELDERLY SUBJ CONFUSED"):
            reply = client.post("/v1/route", json={"narrative": text, "call_type": "ODD TYPE"}, headers=auth)
            assert reply.status_code == 200
    # When the monitor runs  Then drift is measured but not judged on so few calls, and nothing alerts
    report = run(settings, ExperimentConfig(), log_path=log)
    assert report.figures["call_type_psi"] > 1.0, report.figures
    assert report.alerts == [], report.alerts
    assert "drift: not judged on 3 decisions (alerts from 200)" in render(report)
