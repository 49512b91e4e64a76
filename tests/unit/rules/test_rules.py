"""Red-line rules: hand-written CAD narratives on both sides of every rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from callroute.data.golden import GoldenCalls
from callroute.rules.engine import RuleSet

HANDWRITTEN = GoldenCalls.read(Path(__file__).parents[2] / "fixtures" / "handwritten" / "calls.csv")

RULES = RuleSet.load()

MUST_FIRE = HANDWRITTEN.rule_cases("rules.MUST_FIRE")

MUST_NOT_FIRE = HANDWRITTEN.narratives("rules.MUST_NOT_FIRE")


@pytest.mark.parametrize(("narrative", "rule_id"), MUST_FIRE)
def test_rule_fires_on_clear_cue(narrative: str, rule_id: str) -> None:
    # Given a narrative with a clear red-line cue
    # When the rule set evaluates it
    result = RULES.evaluate(narrative)
    # Then that rule fires, with the evidence taken from the narrative itself
    fired = {hit.rule_id: hit.evidence for hit in result.red_lines}
    assert rule_id in fired, f"{rule_id} should fire on {narrative!r}; fired: {fired}"
    assert fired[rule_id].upper() in narrative.upper(), f"evidence {fired[rule_id]!r} is not text of the narrative"


@pytest.mark.parametrize("narrative", MUST_NOT_FIRE)
def test_no_red_line_on_negated_uncertain_or_benign_text(narrative: str) -> None:
    result = RULES.evaluate(narrative)
    assert not result.fired, f"no red line should fire on {narrative!r}; fired: {result.red_lines}"


@pytest.mark.parametrize(
    ("narrative", "fires"),
    [("SUBJ UNRESPONSIVE ON SIDEWALK", True), ("POSS OD IN RESTROOM", True), ("SUBJ NOT BREATHING", True),
     ("SUBJ CONSCIOUS AND TALKING", False), ("NOT BLEEDING", False),
     ("Someone is lying face down behind the laundromat and not moving", True), ("he won't wake up", True),
     ("he is moving around and talking", False),
     ("my wife took the kids' ADHD pills, a lot of them, she's getting sleepy", True),
     ("she takes her pills every morning and is fine", False),
     ("Guy passed out next to the bus shelter, he's breathing but I can't wake him up", True),
     ("RP UNABLE TO ROUSE SUBJ", True), ("RP UNABLE TO ROUSE HER", True), ("I can't wake my dad up", True),
     ("she can't wake up early for work and is stressed", False)],
)
def test_medical_flag_annotates_without_forcing_police(narrative: str, fires: bool) -> None:
    result = RULES.evaluate(narrative)
    assert bool(result.flags) is fires, f"medical flag on {narrative!r} should be {fires}: {result.flags}"
    assert not result.fired, "a medical flag alone is not a red line"


@pytest.mark.parametrize("narrative", ["SUBJ HAS A BAT (ANIMAL) IN ATTIC", "RP STS SUBJ HAS A PIECE OF THE PIE"])
def test_known_over_triage_errs_towards_police(narrative: str) -> None:
    # A weapon word used harmlessly still fires: the rules do not read intent, and sending police
    # to a harmless call is the cheaper error (DOMAIN.md, costs are asymmetric). Kept as a test so
    # that a change here is a decision, not an accident. (Rule set 2.0 no longer fires on named
    # distractors such as "KNIFE SHARPENING BUSINESS": see test_distractors_are_not_weapons.)
    assert RULES.evaluate(narrative).fired


@pytest.mark.parametrize("narrative", ["KNIFE SHARPENING BUSINESS CALLED ABOUT LOITERER",
                                       "Caller works at the gun shop, a man is sleeping in the doorway",
                                       "Kids playing with a water pistol in the park, caller wants them to leave"])
def test_distractors_are_not_weapons(narrative: str) -> None:
    # Given a weapon word inside a distractor phrase (weapons.toml), Then no red line fires
    assert not RULES.evaluate(narrative).fired, RULES.evaluate(narrative)


def test_officer_rule_can_be_switched_off_and_says_so_in_the_ruleset_id() -> None:
    ruleset = RuleSet.load(disabled=frozenset({"officer.requested"}))
    assert not ruleset.evaluate("RP INSISTS ON AN OFFICER").fired, "a disabled configurable rule must not fire"
    assert "no:officer.requested" in ruleset.ruleset_id, f"ruleset id must record the switch: {ruleset.ruleset_id}"


def test_fixed_red_lines_cannot_be_switched_off() -> None:
    with pytest.raises(ValueError, match=r"weapon\.present"):
        RuleSet.load(disabled=frozenset({"weapon.present"}))


def test_every_rule_has_cases_on_both_sides() -> None:
    covered = {rule_id for _, rule_id in MUST_FIRE}
    red_lines = {rule.rule_id for rule in RULES.rules if rule.kind == "red_line"}
    assert red_lines <= covered, f"red-line rules without a must-fire case: {red_lines - covered}"


def _ruleset_with(terms: dict, patterns: list[str], fragments: dict | None = None) -> RuleSet:
    """A small rule set (the bundled negation settings) with its own [terms], [fragments] and one weapon rule."""
    import tomllib
    from importlib import resources

    bundled = tomllib.loads(resources.files("callroute.rules").joinpath("rulesets/redline.toml").read_text("utf-8"))
    config = {"name": "t", "version": "0", "negation": bundled["negation"], "terms": terms,
              "fragments": fragments or {},
              "rules": [{"id": "weapon.present", "kind": "red_line", "reason": "r", "patterns": patterns}]}
    return RuleSet(config)


def test_a_rule_set_term_list_is_named_in_patterns_and_extends_a_lexicon_list_of_the_same_name() -> None:
    # Given a rule set with its own list (<<tool>>) and an extra distractor phrase
    rules = _ruleset_with({"tool": ["pool cue"], "distractor": ["pool cue rack"]}, [r"\b<<tool>>\b"])
    # Then its own list is read by the pattern, and the extended distractors still hold the lexicon's phrases
    assert rules.evaluate("SUBJ SWINGING A POOL CUE AT PATRONS").fired, "<<tool>> must expand to the rule set's list"
    assert not rules.evaluate("SUBJ SLEEPING BY THE POOL CUE RACK").fired, "a distractor added by [terms] must apply"
    extended = _ruleset_with({"distractor": ["pool cue rack"]}, [r"\bGUN\b"])
    assert not extended.evaluate("WORKS AT THE GUN SHOP").fired, "the lexicon's distractors must remain when extended"


def test_a_pattern_naming_an_unknown_list_is_refused_at_load() -> None:
    with pytest.raises(ValueError, match=r"<<nothing>>"):
        _ruleset_with({}, [r"\b<<nothing>>\b"])


def test_an_underscore_reads_as_a_space_so_call_type_codes_match() -> None:
    # Given a call-type code as agencies publish it, When the rules read it, Then "Family Physical" is violence
    assert "violence.in_progress" in [h.rule_id for h in RULES.evaluate("114D_Family Physical").red_lines]
    assert not RULES.evaluate("114D_Family Verbal").fired, "a verbal domestic is not a red line"


def test_a_shared_fragment_is_named_in_patterns_and_an_unknown_one_is_refused() -> None:
    # Given a rule file with a fragment, When a pattern names it, Then it reads as the fragment itself
    rules = _ruleset_with({}, [r"\bHAS\s+A\s+{{blade}}\b"], {"blade": r"(?:KNIFE|BLADE)"})
    assert rules.evaluate("SUBJ HAS A BLADE").fired, "{{blade}} must expand to its fragment"
    with pytest.raises(ValueError, match=r"\{\{nothing\}\}"):
        _ruleset_with({}, [r"\b{{nothing}}\b"])
