"""The decision log: durable, atomic, and readable after a restart."""

from __future__ import annotations

import sqlite3
import time
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


def test_concurrent_requests_share_commits_and_every_decision_is_written(tmp_path: Path) -> None:
    # Given 40 requests arriving at once (a barrier releases them together)
    import threading

    log = DecisionLog(tmp_path / "d.sqlite")
    barrier = threading.Barrier(40)
    errors: list[BaseException] = []

    def request(i: int) -> None:
        barrier.wait()
        try:
            log.append([(CallIn(narrative=f"call {i}"), _decision(f"r{i}"))])
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=request, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # When they have all returned (each only after its commit)
    # Then every decision is on disk, written in fewer commits than requests (group commit)
    assert not errors, errors
    assert log.count() == 40, "every acknowledged decision is in the log"
    assert log.decisions_written == 40
    assert log.commits < 40, f"{log.commits} commits for 40 concurrent requests: no grouping happened"


def test_one_bad_request_in_a_group_fails_alone(tmp_path: Path) -> None:
    # Given a logged decision, and the writer held up on the commit lock (as by another worker process)
    # while a duplicate of it and a good decision queue behind, so that both go into one group
    from callroute.audit.decisions import _file_lock

    log = DecisionLog(tmp_path / "d.sqlite")
    log.append([(CallIn(narrative="a1"), _decision("dup"))])
    with _file_lock(log._lock_path):
        first = log.submit([(CallIn(narrative="x1"), _decision("first"))])
        time.sleep(0.2)  # the writer has taken "first" and waits for the lock
        bad = log.submit([(CallIn(narrative="b1"), _decision("dup"))])
        good = log.submit([(CallIn(narrative="c1"), _decision("fine"))])
    # When the lock is released and the group is committed
    # Then only the duplicate fails; the good decision written beside it is on disk
    with pytest.raises(sqlite3.IntegrityError):
        bad.result(timeout=10)
    assert first.result(timeout=10) is None and good.result(timeout=10) is None
    assert log.get("fine") is not None and log.get("first") is not None


def test_close_writes_what_is_waiting_and_refuses_more(tmp_path: Path) -> None:
    # Given decisions submitted just before the log closes
    log = DecisionLog(tmp_path / "d.sqlite")
    futures = [log.submit([(CallIn(narrative=f"x{i}"), _decision(f"w{i}"))]) for i in range(5)]
    # When it closes, Then all of them were committed, and a later submission is refused
    log.close()
    assert all(f.done() and f.exception() is None for f in futures)
    assert DecisionLog(tmp_path / "d.sqlite").count() == 5
    with pytest.raises(RuntimeError, match="closed"):
        log.submit([(CallIn(narrative="late"), _decision("late"))])
