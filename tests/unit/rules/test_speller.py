"""Key-word typos are read as the word; real words are never changed."""

from __future__ import annotations

import pytest

from callroute.rules.engine import RuleSet

RULES = RuleSet.load()


@pytest.mark.parametrize(("typed", "read"), [("ASSUALT IN PROGRESS", "ASSAULT IN PROGRESS"),
                                              ("RP INSISTS ON AN OFFCIER", "RP INSISTS ON AN OFFICER"),
                                              ("he has a pisstol", "he has a pistol"),
                                              ("FIGTH IN PROGRESS", "FIGHT IN PROGRESS")])
def test_one_letter_slips_of_key_words_are_corrected(typed: str, read: str) -> None:
    assert RULES.speller.correct(typed) == read
    assert RULES.evaluate(typed).fired, f"{typed!r} should fire once read as {read!r}"


@pytest.mark.parametrize("text", ["he got a flu shot", "the fire alarm went off", "she is calm", "rife with noise",
                                  "he was fined", "the bottle is empty"])
def test_real_words_are_left_alone(text: str) -> None:
    assert RULES.speller.correct(text) == text
