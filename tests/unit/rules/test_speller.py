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


def test_a_word_of_another_language_listed_as_known_is_never_a_slip() -> None:
    # Given a Spanish call whose "calle" (street) is one letter from the key word "caller"
    narrative = "mi vecino le está disparando a los perros en la calle"
    # When the rules read it, Then the street stays a street, and the evidence quotes the caller's own words
    assert RULES.speller.correct(narrative) == narrative, "'calle' is listed in [spelling] known"
    hits = RULES.evaluate(narrative).red_lines
    assert hits and all("caller" not in hit.evidence for hit in hits), f"evidence altered: {hits}"
