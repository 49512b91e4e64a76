"""The decision log: durable, atomic, and readable after a restart."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from callroute.audit.decisions import DecisionLog
from callroute.schema import CallIn, Decision, Explanation, ModelInfo


def _decision(request_id: str) -> Decision:
    return Decision(
        request_id=request_id, call_id="C1", recommendation="crisis_team", escalation_risk=0.01, confidence=0.5,
        needs_review=False, reasons=["r"], rules_fired=[],
        explanation=Explanation(score=-4.0, base=-3.0, rest=-1.0, contributions=[]),
        model=ModelInfo(name="callroute", version="1", ruleset="redline-1.0.0"),
    )


def test_acknowledged_decisions_survive_a_restart(tmp_path: Path) -> None:
    # Given a decision appended (the API does this before it responds)
    log = DecisionLog(tmp_path / "d.sqlite")
    log.append([(CallIn(narrative="RP 206-555-0100 SUBJ CALM"), _decision("r1"))])
    # When the process goes away without closing the log, and a new one opens the file
    reopened = DecisionLog(tmp_path / "d.sqlite")
    # Then the decision is there, with its narrative redacted
    record = reopened.get("r1")
    assert record is not None and record["decision"]["request_id"] == "r1"
    assert "555" not in record["call"]["narrative"], record["call"]


def test_a_batch_is_logged_all_or_nothing(tmp_path: Path) -> None:
    log = DecisionLog(tmp_path / "d.sqlite")
    log.append([(CallIn(narrative="a1"), _decision("dup"))])
    with pytest.raises(sqlite3.IntegrityError):
        log.append([(CallIn(narrative="b1"), _decision("new")), (CallIn(narrative="c1"), _decision("dup"))])
    assert log.get("new") is None, "a failed batch must not leave half of its decisions"
    assert log.count() == 1


def test_outcomes_attach_only_to_known_decisions(tmp_path: Path) -> None:
    log = DecisionLog(tmp_path / "d.sqlite")
    log.append([(CallIn(narrative="a1"), _decision("r1"))])
    assert log.add_outcome("r1", {"responder": "crisis_team", "violence": False}) is True
    assert log.add_outcome("missing", {"responder": "police"}) is False
    assert log.get("r1")["outcomes"][0]["responder"] == "crisis_team"
