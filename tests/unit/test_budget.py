"""Bounded work per request: the deadline the rules and the router check."""

from __future__ import annotations

import pytest

from callroute import budget
from callroute.rules.engine import RuleSet

RULES = RuleSet.load()


def test_without_a_deadline_nothing_is_bounded() -> None:
    # Given no budget, When a long narrative is read, Then the rules finish
    assert RULES.evaluate("he has a knife " * 200).fired


def test_a_passed_deadline_stops_the_rules_and_names_where() -> None:
    # Given a budget already spent (one nanosecond), When the rules read a call, Then they stop with the stage named
    with budget.within(1e-9), pytest.raises(budget.BudgetExceeded, match=r"time budget \(in rule "):
        RULES.evaluate("he has a knife and is yelling at his mom")


def test_a_generous_deadline_changes_nothing_and_ends_with_its_block() -> None:
    # Given a budget of a minute, When a call is read, Then it reads as without one
    with budget.within(60.0):
        inside = RULES.evaluate("he has a knife and is yelling at his mom")
    assert inside == RULES.evaluate("he has a knife and is yelling at his mom"), "a budget never changes a reading"
    # and after the block no deadline is left behind
    budget.check("after the block")


@pytest.mark.parametrize("seconds", [None, 0])
def test_none_or_zero_means_no_budget(seconds) -> None:
    with budget.within(seconds):
        budget.check("anywhere")
