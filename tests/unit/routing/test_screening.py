"""Screening answers applied to the facts: yes sets, no clears what the text only suggests, danger stated stands."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callroute.facts import Catalogue, FactReader
from callroute.routing.screening import DANGER_QUESTIONS, apply_screening
from callroute.rules.engine import RuleSet
from callroute.schema import Screening

READER = FactReader()
RULES = RuleSet.load()
CATALOGUE = Catalogue.load()


def _screen(narrative: str, disabled: frozenset[str] = frozenset(), **answers: str):
    result = RULES.evaluate(narrative)
    return apply_screening(
        READER.read(narrative), Screening(**answers), CATALOGUE, disabled=disabled,
        text_red_lines={h.rule_id: h.evidence for h in result.red_lines},
        text_flags={h.rule_id: h.evidence for h in result.flags},
    )


@pytest.mark.parametrize("question", sorted(DANGER_QUESTIONS))
def test_a_danger_question_answered_yes_is_a_red_line(question: str) -> None:
    # Given a quiet call, When the call-taker answers a danger question yes
    screened = _screen("elderly man confused at the bus stop", **{question: "yes"})
    # Then the answer is a red line and its facts are present, from the screening
    assert [h.rule_id for h in screened.red_lines] == [f"screening.{question}"], screened.red_lines
    for fact in CATALOGUE.for_question(question):
        reading = screened.readings[fact.id]
        assert (reading.state, reading.source) == ("present", "screening"), reading


def test_an_officer_request_is_no_red_line_where_the_agency_switched_that_rule_off() -> None:
    screened = _screen("he is calm", disabled=frozenset({"officer.requested"}), officer_requested="yes")
    assert screened.red_lines == [], "a switched-off rule must not come back through a screening answer"
    assert screened.readings["officer.requested"].state == "present", "the fact is still recorded"


def test_no_clears_a_fact_the_text_only_suggests() -> None:
    # Given a call whose text suggests intoxication, When the call-taker answers intoxicated: no
    screened = _screen("he seems drunk and is crying", intoxicated="no")
    # Then the fact is denied by the screening and nothing conflicts
    assert screened.readings["intoxicated"].state == "denied"
    assert screened.readings["intoxicated"].source == "screening"
    assert screened.conflicts == [], screened.conflicts


def test_no_does_not_cancel_a_danger_the_text_states_and_says_both_sides() -> None:
    # Given a call that states a weapon outright, When the call-taker answers weapons: no
    screened = _screen("SUBJ HAS A KNIFE AND IS YELLING", weapons="no")
    # Then the text's weapon stands and the conflict names the narrative's evidence and the answer
    assert screened.readings["weapon.present"].state == "present"
    assert screened.readings["weapon.present"].source == "text"
    assert len(screened.conflicts) == 1 and "KNIFE" in screened.conflicts[0] and "'no'" in screened.conflicts[0]


def test_unknown_leaves_a_stated_danger_and_marks_an_unread_fact_unknown() -> None:
    assert _screen("SUBJ HAS A KNIFE", weapons="unknown").readings["weapon.present"].state == "present"
    assert _screen("he is crying", weapons="unknown").readings["weapon.present"].state == "unknown"


def test_no_screening_changes_nothing() -> None:
    readings = READER.read("he is crying")
    screened = apply_screening(readings, None, CATALOGUE, disabled=frozenset(), text_red_lines={}, text_flags={})
    assert screened.readings == readings and not screened.red_lines and not screened.conflicts


answers = st.sampled_from(["yes", "no", "unknown", None])


@given(st.fixed_dictionaries({q: answers for q in Screening.model_fields}))
def test_any_answers_never_lower_a_red_line_the_text_fired(answered: dict) -> None:
    # Given a call whose text fires a red line, When any screening answers are applied
    narrative = "he is hitting her right now"
    screened = _screen(narrative, **{k: v for k, v in answered.items() if v is not None})
    # Then the text's danger fact stays present (answers can add red lines, never remove the text's)
    assert screened.readings["violence.now"].state == "present", screened.readings["violence.now"]


@pytest.mark.parametrize("body", [{"guns": "no"}, {"weapons": "maybe"}, {"weapons": True}])
def test_an_unknown_question_or_answer_is_refused(body: dict) -> None:
    with pytest.raises(ValueError, match=r"guns|weapons"):
        Screening.model_validate(body)
