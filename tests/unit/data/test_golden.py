"""Golden calls as data: the reader refuses malformed rows and the project's corpus is split once."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callroute.data.golden import COLUMNS, GoldenCalls, parse_facts

CORPUS = Path(__file__).parents[2] / "fixtures" / "handwritten" / "calls.csv"

fact_ids = st.from_regex(r"[a-z]{1,8}\.[a-z_]{1,10}", fullmatch=True)
states = st.sampled_from(["present", "denied", "unknown", "absent"])


@given(st.dictionaries(fact_ids, states, max_size=6))
def test_facts_written_as_text_read_back_the_same(facts: dict[str, str]) -> None:
    text = ";".join(f"{k}={v}" for k, v in facts.items())
    assert parse_facts(text) == facts, f"{text!r} read back differently"


@pytest.mark.parametrize("text", ["weapon.present", "weapon.present=yes", "=present", "a=present;b=maybe"])
def test_a_fact_without_a_known_state_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"present\|denied\|unknown"):
        parse_facts(text)


def _write(tmp_path: Path, **row: str) -> Path:
    base = {"id": "x1", "group": "g", "split": "dev", "register": "plain", "expected_route": "police",
            "expected_rule": "", "textbook": "", "facts": "", "narrative": "he has a knife"}
    base.update(row)
    path = tmp_path / "calls.csv"
    path.write_text(",".join(COLUMNS) + "\n" + ",".join(base[c] for c in COLUMNS) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("field", "value", "message"), [
    ("split", "train", "split"),
    ("expected_route", "ems", "expected_route"),
    ("narrative", " ", "empty narrative"),
    ("facts", "weapon.present=maybe", "fact"),
    ("textbook", "no", "textbook"),
])
def test_a_malformed_row_is_an_error_naming_its_line(tmp_path: Path, field: str, value: str, message: str) -> None:
    # Given a golden file with one bad field, When it is read, Then the error names line 2 and the field
    with pytest.raises(ValueError, match=rf"line 2: .*{message}"):
        GoldenCalls.read(_write(tmp_path, **{field: value}))


def test_an_unknown_group_is_an_error_not_an_empty_list(tmp_path: Path) -> None:
    calls = GoldenCalls.read(_write(tmp_path))
    with pytest.raises(KeyError, match="no golden calls"):
        calls.narratives("typo")


def test_every_judged_fact_of_the_corpus_is_a_catalogue_fact() -> None:
    from callroute.facts import Catalogue

    # Given the corpus' hand-judged facts, When their ids are looked up, Then each is a fact of the catalogue
    known = {fact.id for fact in Catalogue.load().facts}
    judged = {fact for call in GoldenCalls.read(CORPUS) for fact in call.facts}
    assert judged, "the corpus holds judged facts (issue 22)"
    assert judged <= known, f"not in the catalogue: {sorted(judged - known)}"


def test_the_project_corpus_has_both_splits_and_both_routes() -> None:
    # Given the hand-written corpus, Then each split holds dangerous and crisis calls, the halves near equal
    calls = GoldenCalls.read(CORPUS)
    for split in ("dev", "held_out"):
        part = calls.split(split)
        routes = {c.expected_route for c in part}
        assert {"police", "crisis_team"} <= routes, f"{split} lacks a route: {routes}"
        assert 0.4 < len(part) / len(calls) < 0.6, f"{split} holds {len(part)} of {len(calls)} calls"
    assert any(c.textbook for c in calls.split("held_out")), "no textbook crisis call held out"
