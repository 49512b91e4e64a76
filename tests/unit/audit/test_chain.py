"""The decision log's hash chain: every kind of tampering is found and named; retention keeps it verifiable."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from callroute.audit import chain
from callroute.audit.decisions import DecisionLog
from callroute.cli import main
from callroute.schema import CallIn, Decision

BASE = {"call_id": None, "recommendation": "crisis_team", "escalation_risk": 0.01, "confidence": 0.5,
        "needs_review": False, "reasons": ["risk below threshold"], "rules_fired": [],
        "explanation": {"score": -4.0, "base": -3.0, "rest": -1.0, "contributions": []},
        "model": {"name": "callroute", "version": "3", "ruleset": "redline-2.1.0"}}


def logged(path: Path, n: int, *, start: int = 0) -> DecisionLog:
    """A log with ``n`` decisions, written in groups of up to 7 (several commits, like the API)."""
    log = DecisionLog(path)
    pairs = [(CallIn(narrative=f"SUBJ CALM {i}", call_id=f"C{i}"),
              Decision.model_validate({**BASE, "request_id": f"r{i}", "call_id": f"C{i}"}))
             for i in range(start, start + n)]
    for i in range(0, n, 7):
        log.append(pairs[i : i + 7])
    return log


def tamper(path: Path, sql: str, *args) -> None:
    """Edit the database behind the log's back, as someone with file access could."""
    conn = sqlite3.connect(path)
    conn.execute(sql, args)
    conn.commit()
    conn.close()


def test_an_untouched_log_verifies_and_numbers_every_decision_once(tmp_path: Path) -> None:
    log = logged(tmp_path / "d.sqlite", 30)
    result = log.verify()
    assert result.ok, result.problems
    assert result.checked == 30
    seqs = [row[0] for row in sqlite3.connect(tmp_path / "d.sqlite").execute("SELECT seq FROM decisions ORDER BY seq")]
    assert seqs == list(range(1, 31))


@pytest.mark.parametrize(
    ("attack", "sql", "args", "found"),
    [
        ("edit the recommendation", "UPDATE decisions SET recommendation = 'police' WHERE request_id = ?", ("r12",),
         "edited: r12 (seq 13)"),
        ("edit the stored call", "UPDATE decisions SET call_json = replace(call_json, 'CALM', 'ARMED') "
         "WHERE request_id = ?", ("r3",), "edited: r3 (seq 4)"),
        ("delete a decision", "DELETE FROM decisions WHERE request_id = ?", ("r20",),
         "deleted: decision(s) seq 21 missing before r21 (seq 22)"),
        ("delete the first decisions", "DELETE FROM decisions WHERE seq <= ?", (2,),
         "deleted: decision(s) seq 1-2 missing before r2 (seq 3)"),
        ("insert a decision without a chain position",
         "INSERT INTO decisions (request_id, logged_at, model_version, ruleset, recommendation, escalation_risk, "
         "call_json, decision_json) VALUES (?, '2026-01-01', '3', 'x', 'police', 0.5, '{}', '{}')", ("forged",),
         "1 decision(s) without a chain position"),
    ],
)
def test_tampering_is_found_and_names_the_decision(tmp_path: Path, attack: str, sql: str, args: tuple,
                                                   found: str) -> None:
    # Given a log of 30 decisions
    path = tmp_path / "d.sqlite"
    logged(path, 30).close()
    # When someone changes it outside the log
    tamper(path, sql, *args)
    # Then verification fails and says which decision and how
    result = DecisionLog(path).verify()
    assert not result.ok, f"{attack} went unnoticed"
    assert any(found in problem for problem in result.problems), (attack, result.problems)


def test_an_inserted_decision_with_a_forged_position_breaks_the_next_link(tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite"
    logged(path, 10).close()
    # Given a forger who renumbers the decisions after r4 and slots one in with a made-up hash
    tamper(path, "UPDATE decisions SET seq = seq + 100 WHERE seq > 5")
    tamper(path, "UPDATE decisions SET seq = seq - 99 WHERE seq > 100")
    tamper(path, "INSERT INTO decisions (request_id, logged_at, model_version, ruleset, recommendation, "
                 "escalation_risk, call_json, decision_json, seq, prev_hash, row_hash) VALUES "
                 "('forged', '2026-01-01', '3', 'x', 'police', 0.5, '{}', '{}', 6, 'x', 'y')")
    problems = DecisionLog(path).verify().problems
    assert any("forged (seq 6)" in p for p in problems), problems
    assert any("broken link at r5 (seq 7)" in p for p in problems), problems


def test_deleting_the_newest_decisions_is_caught_by_the_anchors(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(chain, "ANCHOR_EVERY", 10)
    path = tmp_path / "d.sqlite"
    logged(path, 25).close()
    assert len((tmp_path / "d.sqlite.anchors").read_text().splitlines()) == 2, "anchors at seq 10 and 20"
    # When the last 8 decisions are deleted (the chain that remains is consistent on its own)
    tamper(path, "DELETE FROM decisions WHERE seq > 17")
    problems = DecisionLog(path).verify().problems
    assert any("the log ends at seq 17 but an anchor records seq 20" in p for p in problems), problems


def test_a_recomputed_chain_is_caught_by_the_anchors(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(chain, "ANCHOR_EVERY", 10)
    path = tmp_path / "d.sqlite"
    logged(path, 12).close()
    # Given someone who edits a decision and recomputes every hash after it
    conn = sqlite3.connect(path)
    conn.execute("UPDATE decisions SET recommendation = 'police' WHERE seq = 3")
    prev = chain.GENESIS
    cols = ", ".join(chain.HASHED)
    for record in conn.execute(f"SELECT {cols} FROM decisions ORDER BY seq").fetchall():
        values = dict(zip(chain.HASHED, record, strict=True)) | {"prev_hash": prev}
        prev = chain.row_hash(values)
        conn.execute("UPDATE decisions SET prev_hash = ?, row_hash = ? WHERE seq = ?",
                     (values["prev_hash"], prev, values["seq"]))
    conn.commit()
    conn.close()
    problems = DecisionLog(path).verify().problems
    assert problems == ["rewritten: seq 10 does not match its anchor (the chain was recomputed)"], problems


def test_purging_old_decisions_keeps_the_rest_verifiable(tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite"
    log = logged(path, 20)
    log.add_outcome("r2", {"responder": "crisis_team"})
    cutoff = sqlite3.connect(path).execute("SELECT logged_at FROM decisions WHERE seq = 15").fetchone()[0]
    # When everything logged before decision 15 is purged
    deleted = log.purge(before=cutoff, now="2026-11-28T00:00:00")
    # Then those decisions (and their outcomes) are gone, and the rest still verifies
    assert 0 < deleted <= 14 and log.count() == 20 - deleted
    assert log.get("r2") is None
    result = log.verify()
    assert result.ok, result.problems
    # And new decisions continue the same chain
    log.close()
    more = logged(path, 5, start=100)
    assert more.verify().ok, more.verify().problems
    # But hiding a deletion by moving the chain's base is caught
    tamper(path, "UPDATE chain_base SET seq = seq + 1")
    assert not DecisionLog(path).verify().ok


def test_the_audit_commands_verify_export_and_purge(tmp_path: Path, monkeypatch, capsys) -> None:
    path = tmp_path / "d.sqlite"
    log = logged(path, 9)
    log.add_outcome("r4", {"responder": "crisis_team", "violence": False})
    log.close()
    assert main(["audit", "verify", "--log", str(path)]) == 0
    assert "chain verified" in capsys.readouterr().out
    out = tmp_path / "export.parquet"
    assert main(["audit", "export", "--log", str(path), "--format", "parquet", "--out", str(out)]) == 0
    exported = pd.read_parquet(out)
    assert exported["seq"].tolist() == list(range(1, 10))
    assert json.loads(exported.set_index("request_id").loc["r4", "outcomes"])[0]["responder"] == "crisis_team"
    assert exported["call_narrative"].str.startswith("SUBJ CALM").all()
    assert main(["audit", "purge", "--log", str(path), "--older-than-days", "0"]) == 0
    assert "purged 9 decisions" in capsys.readouterr().out
    tamper(path, "INSERT INTO decisions (request_id, logged_at, model_version, ruleset, recommendation, "
                 "escalation_risk, call_json, decision_json) VALUES ('x', 'y', '3', 'r', 'police', 0.5, '{}', '{}')")
    assert main(["audit", "verify", "--log", str(path)]) == 1
    assert "PROBLEM: 1 decision(s) without a chain position" in capsys.readouterr().out


@pytest.mark.parametrize(("attack", "sql"), [
    ("change who asked", "UPDATE decisions SET key_id = 'a1b2c3d4' WHERE request_id = 'r4'"),
    ("erase who asked", "UPDATE decisions SET key_id = NULL WHERE request_id = 'r4'"),
])
def test_the_key_that_asked_is_covered_by_the_chain(tmp_path: Path, attack: str, sql: str) -> None:
    # Given decisions logged with the id of the API key that asked
    path = tmp_path / "d.sqlite"
    log = DecisionLog(path)
    pairs = [(CallIn(narrative=f"SUBJ CALM {i}"), Decision.model_validate({**BASE, "request_id": f"r{i}"}))
             for i in range(8)]
    log.append(pairs, key_id="0f0f0f0f")
    assert log.verify().ok and log.get("r4")["key_id"] == "0f0f0f0f", log.get("r4")
    log.close()
    # When someone changes or erases the key id outside the log
    tamper(path, sql)
    # Then verification names the decision
    problems = DecisionLog(path).verify().problems
    assert any("edited: r4" in p for p in problems), (attack, problems)


def test_a_log_from_before_key_ids_still_verifies_and_takes_new_ones(tmp_path: Path) -> None:
    # Given a log written before decisions named their key (no key_id column)
    path = tmp_path / "d.sqlite"
    logged(path, 5).close()
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE decisions DROP COLUMN key_id")
    conn.commit()
    conn.close()
    # When it is opened by this version and a decision with a key id is added
    log = DecisionLog(path)
    log.append([(CallIn(narrative="SUBJ CALM"), Decision.model_validate({**BASE, "request_id": "new"}))],
               key_id="0f0f0f0f")
    # Then the old decisions and the new one verify together
    result = log.verify()
    assert result.ok and result.checked == 6, result.problems
    assert log.get("r1")["key_id"] is None and log.get("new")["key_id"] == "0f0f0f0f"
