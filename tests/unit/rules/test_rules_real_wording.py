"""Red lines on wording nobody generated: hand-written calls in CAD shorthand, call-takers' plain English
and callers' own words, on both sides of every rule.

These narratives are written by hand for this file, not drawn from language/lexicons/*.toml (which the
rules read): they test whether the rules hold on how people actually talk. Each list mixes the three
registers. A case that fails here is a gap in a lexicon or a rule, to be fixed there, not here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from callroute.data.golden import GoldenCalls
from callroute.rules.engine import RuleSet

HANDWRITTEN = GoldenCalls.read(Path(__file__).parents[2] / "fixtures" / "handwritten" / "calls.csv")

RULES = RuleSet.load()

WEAPON = HANDWRITTEN.narratives("real_wording.WEAPON")

VIOLENCE = HANDWRITTEN.narratives("real_wording.VIOLENCE")

DANGER = HANDWRITTEN.narratives("real_wording.DANGER")

SUICIDE = HANDWRITTEN.narratives("real_wording.SUICIDE")

OFFICER = HANDWRITTEN.narratives("real_wording.OFFICER")

NOT_RED_LINE = HANDWRITTEN.narratives("real_wording.NOT_RED_LINE")

CASES = ([(n, "weapon.present") for n in WEAPON] + [(n, "violence.in_progress") for n in VIOLENCE]
         + [(n, "danger.imminent") for n in DANGER] + [(n, "suicide.active") for n in SUICIDE]
         + [(n, "officer.requested") for n in OFFICER])


@pytest.mark.parametrize(("narrative", "rule_id"), CASES)
def test_red_line_fires_on_wording_of_every_register(narrative: str, rule_id: str) -> None:
    # Given a call that must never go to a crisis team alone, When the rules read it, Then a red line fires
    fired = [h.rule_id for h in RULES.evaluate(narrative).red_lines]
    assert rule_id in fired, f"{rule_id} did not fire on {narrative!r} (fired: {fired})"


@pytest.mark.parametrize("narrative", NOT_RED_LINE)
def test_no_red_line_on_crisis_calls_negations_and_everyday_objects(narrative: str) -> None:
    # Given a call a crisis team can take, When the rules read it, Then no red line fires
    result = RULES.evaluate(narrative)
    assert not result.fired, f"{narrative!r} fired {[(h.rule_id, h.evidence) for h in result.red_lines]}"


def test_the_hand_written_set_is_large_and_balanced() -> None:
    # Together with the CAD cases of test_rules.py, at least 300 hand-written narratives, every rule
    # with at least ten that must fire, and at least as many crisis calls that must not.
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("cad_cases", Path(__file__).with_name("test_rules.py"))
    cad_cases = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cad_cases)
    MUST_FIRE, MUST_NOT_FIRE = cad_cases.MUST_FIRE, cad_cases.MUST_NOT_FIRE
    total = len(CASES) + len(NOT_RED_LINE) + len(MUST_FIRE) + len(MUST_NOT_FIRE)
    assert total >= 300, f"only {total} hand-written narratives"
    assert min(len(WEAPON), len(VIOLENCE), len(DANGER), len(SUICIDE), len(OFFICER)) >= 10
    assert len(NOT_RED_LINE) >= len(CASES) * 0.75, (len(NOT_RED_LINE), len(CASES))


@pytest.mark.parametrize("narrative", [
    "he said if I call the cops he'll burn the house down with us inside",
    "if we call the police she'll run away again, she's off her meds",
    "she says if you send an officer he'll panic, he's autistic and nonverbal",
])
def test_a_condition_is_not_a_request_for_police(narrative: str) -> None:
    # Given a caller who mentions calling police only as a condition, Then officer.requested does not fire
    fired = [h.rule_id for h in RULES.evaluate(narrative).red_lines]
    assert "officer.requested" not in fired, f"{narrative!r} fired {fired}"


def test_evidence_does_not_end_on_the_and_before_a_clause_break() -> None:
    # Given violence reported in a clause that "and now" closes
    hits = RULES.evaluate("my stepdad shoved my mom down the stairs and now he's standing over her").red_lines
    # Then the evidence a dispatcher reads is the clause, not the clause plus a dangling "and"
    assert [h.evidence for h in hits] == ["my stepdad shoved my mom down the stairs"], hits
