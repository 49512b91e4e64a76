"""How a normalised n-gram reads in a reason a dispatcher repeats."""

from __future__ import annotations

import pytest

from callroute.model.explain import readable_term


@pytest.mark.parametrize(
    ("term", "shown"),
    [
        ("no not_weapons", "no weapons"),  # the cue is in the n-gram: shown once
        ("not_weapons not_seen", "no weapons seen"),  # a denied thing reads as CAD writes it
        ("not_any not_weapons", "no weapons"),  # a negated function word before a meaning word is left out
        ("not_a not_gun", "no gun"),
        ("not_stop hitting", "not stop hitting"),  # a denied action reads "not", and "hitting" keeps its sign
        ("isn't not_hurting", "isn't hurting"),
        ("doesn't not_have", "doesn't have"),  # nothing after it carries meaning: the function word stays
        ("not_suicidal not_ideation", "no suicidal ideation"),
        ("waving knife", "waving knife"),
    ],
)
def test_a_term_reads_as_words(term: str, shown: str) -> None:
    # Given a feature name from the fitted vocabulary  When it is shown in a reason
    # Then it reads as a dispatcher would say it
    assert readable_term(term) == shown, f"{term!r} reads {readable_term(term)!r}, expected {shown!r}"


@pytest.mark.parametrize(
    ("term", "shown"),
    [("they says", "the person says"), ("hitting they", "hitting the person"),
     ("they sibling", "the person's sibling"), ("my sibling", "my sibling")],
)
def test_the_neutral_pronoun_reads_as_words_without_the_sex(term: str, shown: str) -> None:
    # Given a term with the one neutral pronoun the features use for he/she/him/her/his
    # Then the reason reads naturally and still names no sex
    assert readable_term(term) == shown


@pytest.mark.parametrize(
    ("term", "shown"),
    [("they medication", "the person's medication"), ("they knife", "the person's knife"),
     ("they walked", "the person walked"), ("they yelling", "the person yelling"),
     ("they siblings", "the person's siblings")],
)
def test_the_neutral_pronoun_before_a_thing_reads_as_its_owner(term: str, shown: str) -> None:
    assert readable_term(term) == shown


@pytest.mark.parametrize(
    ("term", "shown"),
    [("they said", "the person said"), ("they threw", "the person threw"), ("they hit", "the person hit"),
     ("they drunk", "the person drunk"), ("they safe", "the person safe"), ("they gonna", "the person gonna"),
     ("they hand", "the person's hand"), ("they life", "the person's life")],
)
def test_an_irregular_verb_or_a_state_after_the_pronoun_reads_as_its_subject(term: str, shown: str) -> None:
    # Given "he said", "she threw", "he's drunk" (the features' "they said", "they threw", "they drunk")
    # When the term is shown, Then the person said or did it (not "the person's said"); a body part keeps its owner
    assert readable_term(term) == shown, f"{term!r} read as {readable_term(term)!r}"
