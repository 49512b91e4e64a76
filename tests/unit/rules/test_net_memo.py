"""The safety net remembers clause similarities: exactly the values it computes, in bounded memory."""

from __future__ import annotations

import tomllib
from importlib import resources

from callroute.rules import net as net_module
from callroute.rules.net import SemanticNet

CLAUSES = [
    "heard like six bangs and people running",
    "UPDT: SUBJ SAT DOWN",
    "RP STS SUBJ YELLING AT CUSTOMERS IFO 7-11",
    "he is swinging something long and metal at people",
    "elderly woman confused at the bus stop",
    "WPNS",
]


def _config() -> dict:
    text = resources.files("callroute.rules").joinpath("rulesets/redline.toml").read_text("utf-8")
    return tomllib.loads(text)["semantic_net"]


def test_a_remembered_similarity_is_the_computed_one() -> None:
    # Given a net that has scored these clauses once, and a fresh net that never saw them
    warm, fresh = SemanticNet(_config()), SemanticNet(_config())
    first = [warm.similarity(c) for c in CLAUSES]
    # When the warm net scores them again (from its memo)
    again = [warm.similarity(c) for c in CLAUSES]
    # Then every value equals a fresh computation, bit for bit, and the memo holds each clause once
    assert again == first == [fresh.similarity(c) for c in CLAUSES]
    assert set(warm._memo) == set(CLAUSES), sorted(warm._memo)
    assert any(v > 0.3 for v in first) and first[-1] == 0.0, first  # real values, not a constant


def test_the_memo_is_bounded(monkeypatch) -> None:
    # Given a memo that may hold three clauses
    monkeypatch.setattr(net_module, "_MEMO_SIZE", 3)
    net = SemanticNet(_config())
    # When six different clauses are scored
    values = [net.similarity(c) for c in CLAUSES]
    # Then it never holds more than three, and what it returns is still the computed value
    assert len(net._memo) <= 3, len(net._memo)
    assert values == [SemanticNet(_config()).similarity(c) for c in CLAUSES]
