"""Red lines in the forms, transcripts and street words real calls use (rules 2.19).

Hand-written, not drawn from the lexicon files the rules read: call-taker question-and-answer fields
("WEAPONS: YES, KNIFE", "IS HE ARMED? NO"), 911 transcripts ("Caller: ... Dispatcher: ..."), the passive
of incident reports ("Shots were heard near the courts"), threats in street words ("gonna smoke him",
"light up the whole block") and slang for weapons ("a strap", "a 9mm", "a shiv"). Each list holds calls
that must fire its rule; NOT_RED_LINE holds crisis calls near the same words that must fire none.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from callroute.data.golden import GoldenCalls
from callroute.rules.engine import RuleSet

HANDWRITTEN = GoldenCalls.read(Path(__file__).parents[2] / "fixtures" / "handwritten" / "calls.csv")

RULES = RuleSet.load()

WEAPON = HANDWRITTEN.narratives("forms_and_slang.WEAPON")

VIOLENCE = HANDWRITTEN.narratives("forms_and_slang.VIOLENCE")

DANGER = HANDWRITTEN.narratives("forms_and_slang.DANGER")

SUICIDE = HANDWRITTEN.narratives("forms_and_slang.SUICIDE")

NOT_RED_LINE = HANDWRITTEN.narratives("forms_and_slang.NOT_RED_LINE")

CASES = ([(n, "weapon.present") for n in WEAPON] + [(n, "violence.in_progress") for n in VIOLENCE]
         + [(n, "danger.imminent") for n in DANGER] + [(n, "suicide.active") for n in SUICIDE])


@pytest.mark.parametrize(("narrative", "rule_id"), CASES)
def test_red_line_fires_on_forms_transcripts_and_street_words(narrative: str, rule_id: str) -> None:
    # Given a call that must never go to a crisis team alone, When the rules read it, Then its red line fires
    fired = [h.rule_id for h in RULES.evaluate(narrative).red_lines]
    assert rule_id in fired, f"{rule_id} did not fire on {narrative!r} (fired: {fired})"


@pytest.mark.parametrize(("asked", "answer", "fires"), [
    ("IS HE ARMED?", "NO", False),
    ("IS HE ARMED?", "N", False),
    ("IS HE ARMED?", "UNK", False),
    ("SUSP ARMED:", "N", False),
    ("SUSP ARMED:", "NEG", False),
    ("Does he have a gun on him?", "Not that she knows of", False),
    ("Does he have a gun on him?", "I don't think so", False),
    ("Q: Is he armed? A:", "No", False),
    ("IS HE ARMED?", "YES", True),
    ("IS HE ARMED?", "Y, A KNIFE", True),
    ("SUSP ARMED:", "YES", True),
    ("Does he have a gun on him?", "She thinks so", True),
    # a bare answer only: "NO INJURIES" answers another question
    ("SUBJ ARMED W/ KNIFE:", "NO INJURIES YET", True),
])
def test_a_question_answered_no_is_not_the_fact(asked: str, answer: str, fires: bool) -> None:
    # Given a call-taker's question about a weapon and the caller's answer
    narrative = f"{asked} {answer}. SUBJ PACING IN LOT"
    # When the rules read them
    fired = [h.rule_id for h in RULES.evaluate(narrative).red_lines]
    # Then a denial or doubt cancels the weapon, and anything else leaves it firing
    assert ("weapon.present" in fired) is fires, f"{narrative!r}: fired {fired}"


@pytest.mark.parametrize("narrative", [
    # the answer must follow the match: a denial of weapons after the violence does not cancel the violence
    "HE IS BEATING HER ANY WPNS? NO",
    "SUBJ CALL PD WPNS: NEG",
    "THREATS TO BEAT UP FAMILY WPNS: NEG",
])
def test_a_denied_weapon_question_does_not_cancel_what_came_before(narrative: str) -> None:
    # Given a red-line fact followed by a weapons question answered no, Then the fact still fires
    assert RULES.evaluate(narrative).fired, f"{narrative!r} fired nothing"


def test_the_safety_net_does_not_read_a_question_as_a_fact() -> None:
    # Given a transcript whose only weapon words are the call-taker's question, answered no
    narrative = "Q: Are there any weapons? A: No, not that I can see"
    # When the rules read it, Then neither a rule nor the safety net fires
    result = RULES.evaluate(narrative)
    assert not result.fired, [(h.rule_id, h.evidence) for h in result.red_lines]
    # And the same clause closed by a full stop instead of a question mark fires the net: the "?" is the reason
    statement = RULES.evaluate("Q: Are there any weapons. A: No, not that I can see")
    assert [h.rule_id for h in statement.red_lines] == ["net.semantic"], statement.red_lines


# Rules 2.20: what a person believes of someone no caller could name is a symptom, not a threat; a blow to one's
# own body said with one's own pronoun is an accident or self-injury.
BELIEVED_OR_OWN_BODY = HANDWRITTEN.narratives("forms_and_slang.BELIEVED_OR_OWN_BODY")

STILL_A_THREAT = HANDWRITTEN.narratives("forms_and_slang.STILL_A_THREAT")


def test_without_the_belief_section_the_threat_fires() -> None:
    # Given the same rule set without its [belief] section
    import tomllib
    from importlib import resources

    config = tomllib.loads(resources.files("callroute.rules").joinpath("rulesets/redline.toml").read_text("utf-8"))
    config.pop("belief")
    plain = RuleSet(config)
    narrative = "She's paranoid and keeps saying someone is going to kill her, nobody is there"
    # When it reads a persecutory belief, Then the threat fires: the [belief] cues and agents are what hold it back
    assert [h.rule_id for h in plain.evaluate(narrative).red_lines] == ["violence.in_progress"]
    assert not RULES.evaluate(narrative).fired


# Rules 2.21: callers' speech as typed or transcribed: dropped g's ("breakin in", "smashin her head"), "tryna",
# "somone", a weapon misspelled beyond one letter ("a pistle").
SPOKEN_DANGER = HANDWRITTEN.narratives("forms_and_slang.SPOKEN_DANGER")

SPOKEN_CRISIS = HANDWRITTEN.narratives("forms_and_slang.SPOKEN_CRISIS")


# Rules 2.22: requests for police in everyday words, injuries with the one who did it still there, the means
# before a goodbye, weapons named loosely ("some kind of blade", "what might be a gun", a crossbow, a nail gun),
# a shootout; and crisis calls near the same words (a toy gun, a counselor asked for, a penalty shootout).
EVERYDAY_DANGER = HANDWRITTEN.narratives("forms_and_slang.EVERYDAY_DANGER")

EVERYDAY_CRISIS = HANDWRITTEN.narratives("forms_and_slang.EVERYDAY_CRISIS")


# Rules 2.23: danger to life said plainly: a threatener on the way, "afraid for my life", a child in a hot car, a
# ligature or a bag, a deep cut, walking into traffic, a child followed or grabbed at, a door kicked down; and
# crisis calls near the same words (stuck in traffic, a cut while cooking, anxiety in general).
LIFE_DANGER = HANDWRITTEN.narratives("forms_and_slang.LIFE_DANGER")

LIFE_CRISIS = HANDWRITTEN.narratives("forms_and_slang.LIFE_CRISIS")


# Rules 2.24: child callers, callers new to English, and the shortest cries for help ("gun! he has a gun!",
# "help he's killing her"); crisis calls in the same voices and figures of speech ("my back is killing me").
VOICES_DANGER = HANDWRITTEN.narratives("forms_and_slang.VOICES_DANGER")

VOICES_CRISIS = HANDWRITTEN.narratives("forms_and_slang.VOICES_CRISIS")


# Rules 2.24: a caller who insists on an officer, in the words callers and call-takers use ("a real cop",
# "RP REQ LE RESPONSE ONLY", "wants him trespassed", "a sheriff"); and callers who ask for anything but police.
INSISTS_ON_POLICE = HANDWRITTEN.narratives("forms_and_slang.INSISTS_ON_POLICE")

DECLINES_POLICE = HANDWRITTEN.narratives("forms_and_slang.DECLINES_POLICE")


@pytest.mark.parametrize("narrative", INSISTS_ON_POLICE)
def test_an_insistence_on_an_officer_fires_the_request_rule(narrative: str) -> None:
    # Given a caller who insists on police, When the rules read it, Then officer.requested fires
    fired = [h.rule_id for h in RULES.evaluate(narrative).red_lines]
    assert "officer.requested" in fired, f"{narrative!r} fired {fired}"


# Rules 2.25: violence just done with its injuries and the one who did it still there, improvised sharp things,
# a child touched; and crisis calls near them (a pillow fight, a skateboarding fall, old flashbacks).
DONE_DANGER = HANDWRITTEN.narratives("forms_and_slang.DONE_DANGER")

DONE_CRISIS = HANDWRITTEN.narratives("forms_and_slang.DONE_CRISIS")


# Rules 2.25.1: suicide with the means ready or already used, said plainly ("has the pills lined up", "a cord tied
# to the ceiling fan"); suicidal calls without a plan or means, the crisis team's own calls, fire nothing (means
# removed: "parents removed all pills and knives").
SUICIDE_ACTIVE = HANDWRITTEN.narratives("forms_and_slang.SUICIDE_ACTIVE")

SUICIDE_CRISIS = HANDWRITTEN.narratives("forms_and_slang.SUICIDE_CRISIS")


# A last round of plain calls (all 15 dangerous ones already fired) and their crisis twins (rules 2.25.2: "beat
# the traffic" is not a beating).
PLAIN_DANGER = HANDWRITTEN.narratives("forms_and_slang.PLAIN_DANGER")

PLAIN_TWINS = HANDWRITTEN.narratives("forms_and_slang.PLAIN_TWINS")


# Rules 2.26: Spanish weapon words in English calls, elder abuse, people held who cannot leave, a person forced
# into a car; and crisis calls near them (a hospital hold, locked out, "trapped in his own thoughts").
HELD_DANGER = HANDWRITTEN.narratives("forms_and_slang.HELD_DANGER")

HELD_CRISIS = HANDWRITTEN.narratives("forms_and_slang.HELD_CRISIS")


# Rules 2.27: a weapon used but not named ("keeps swinging it at people", "something metal to the clerk's back",
# "some kind of weapon"); crisis calls with a thing swung or a lunge at nothing.
UNNAMED_DANGER = HANDWRITTEN.narratives("forms_and_slang.UNNAMED_DANGER")

UNNAMED_CRISIS = HANDWRITTEN.narratives("forms_and_slang.UNNAMED_CRISIS")


# Rules 2.28: text-to-911, open lines and hang-ups with a struggle heard, third parties (guards, nurses, drivers,
# teachers, a crisis team asking for police); and crisis calls in the same voices, a self-harm history ("has been
# cutting herself in the past", "a history of cutting himself"), CAD's "CALLBACK #".
RELAYED_DANGER = HANDWRITTEN.narratives("forms_and_slang.RELAYED_DANGER")

RELAYED_CRISIS = HANDWRITTEN.narratives("forms_and_slang.RELAYED_CRISIS")


# Rules 2.29: a drive-by, a child put where it will die, a counter jumped, exposure to children, veiled threats
# ("texted that tonight is the night"); and crisis calls near them (a drive-by parade, the baby in the bathtub).
VEILED_DANGER = HANDWRITTEN.narratives("forms_and_slang.VEILED_DANGER")

VEILED_CRISIS = HANDWRITTEN.narratives("forms_and_slang.VEILED_CRISIS")


# Textbook calls in plain English (what a crisis line or a 911 call-taker hears most), both sides: none of the
# crisis calls may fire (one did before rules 2.28: a self-harm history), every dangerous one must.
TEXTBOOK_DANGER = HANDWRITTEN.narratives("forms_and_slang.TEXTBOOK_DANGER")

TEXTBOOK_CRISIS = HANDWRITTEN.narratives("forms_and_slang.TEXTBOOK_CRISIS")


# Rules 2.30: Spanish, as callers say it and call-takers copy it (beating, stabbing, gunfire, an intruder), and
# English as a second language; crisis calls in the same voices (a wall hit, not a person).
SPANISH_DANGER = HANDWRITTEN.narratives("forms_and_slang.SPANISH_DANGER")

SPANISH_CRISIS = HANDWRITTEN.narratives("forms_and_slang.SPANISH_CRISIS")


# Calls that change as they go (CAD updates, a caller's story told in order): the danger comes in a later update
# or sentence; and their twins that calm down instead.
UPDATED_DANGER = HANDWRITTEN.narratives("forms_and_slang.UPDATED_DANGER")

UPDATED_CRISIS = HANDWRITTEN.narratives("forms_and_slang.UPDATED_CRISIS")


# Rules 2.31: calls told as a news report or a case summary would (third person, past tense: "A woman called 911 to
# report that ..."); an intruder who "had broken into his home and was still inside"; a burglary last year is history.
REPORTED_DANGER = HANDWRITTEN.narratives("forms_and_slang.REPORTED_DANGER")

REPORTED_CRISIS = HANDWRITTEN.narratives("forms_and_slang.REPORTED_CRISIS")


# Rules 2.32: red lines said without a red-line word (an engine on in a closed garage, the edge of a roof, blood
# and no answer, hands around a neck, dragged back inside, a hammer carried among people, the means pictured with
# an apology); and crisis calls near them. The hunting-season call fires on purpose (guns at hand, drinking).
UNSAID_DANGER = HANDWRITTEN.narratives("forms_and_slang.UNSAID_DANGER")

UNSAID_CRISIS = HANDWRITTEN.narratives("forms_and_slang.UNSAID_CRISIS")


# Rules 2.33: more red lines said without a red-line word (nobody let leave, something in the waistband, swinging at
# whoever walks by, a child lured to a van, a stalker outside now, a truck through the door, the intent with the
# means); crisis calls near them (a trampoline, fireworks set off, a stalker online).
UNSAID_MORE_DANGER = HANDWRITTEN.narratives("forms_and_slang.UNSAID_MORE_DANGER")

UNSAID_MORE_CRISIS = HANDWRITTEN.narratives("forms_and_slang.UNSAID_MORE_CRISIS")


# Rules 2.34: a fresh round written after 2.33 (5 of 15 dangerous fired nothing): a throat squeezed, kids called over
# to a car, a door punched in on someone cornered, gunfire into the air, a broken bottle at one's own neck; and crisis
# calls near them (a door kicked in frustration, a firefighter's rescue, grandma calling the kids over for dinner).
FRESH_DANGER = HANDWRITTEN.narratives("forms_and_slang.FRESH_DANGER")

FRESH_CRISIS = HANDWRITTEN.narratives("forms_and_slang.FRESH_CRISIS")


# Rules 2.35: a round held out at rules 2.34 (measured before any fix: the rules fired on 13 of 20 dangerous calls and
# the model sent the other 7 to police; 0 of 10 crisis calls fired), then fixed: a child left in a hot car, someone
# held for days, an elder pushed around, a bunch of someone else's pills, plain threats of bodily harm. (Not fixed, not
# listed: "a lady is lying in the street after being hit by a car and the driver is yelling at her".)
HELD_OUT_DANGER = HANDWRITTEN.narratives("forms_and_slang.HELD_OUT_DANGER")

HELD_OUT_CRISIS = HANDWRITTEN.narratives("forms_and_slang.HELD_OUT_CRISIS")


# Rules 2.36: a second round held out at rules 2.35 (the rules fired on 9 of 15 dangerous calls, the model sent the
# other 6 to police; 0 of 5 crisis calls fired), then fixed: burned with a cigarette, a cord around her neck, a
# protection order broken now, a threat to come for the family, rocks thrown at traffic, a way pushed in.
HELD_OUT_2_DANGER = HANDWRITTEN.narratives("forms_and_slang.HELD_OUT_2_DANGER")

HELD_OUT_2_CRISIS = HANDWRITTEN.narratives("forms_and_slang.HELD_OUT_2_CRISIS")


# Rules 2.37: a third round held out at rules 2.36 (the rules fired on 10 of 15 dangerous calls; the model sent 4 of
# the other 5 to police and one, a man exposing himself and following women, to the crisis team; one crisis call fired:
# "nobody's fighting", a negation the word lists lacked), then fixed.
HELD_OUT_3_DANGER = HANDWRITTEN.narratives("forms_and_slang.HELD_OUT_3_DANGER")

HELD_OUT_3_CRISIS = HANDWRITTEN.narratives("forms_and_slang.HELD_OUT_3_CRISIS")


# Every list above of calls that must fire (each list's comment says what it holds), and of calls that must not.
MUST_FIRE = [*STILL_A_THREAT, *SPOKEN_DANGER, *EVERYDAY_DANGER, *LIFE_DANGER, *VOICES_DANGER, *DONE_DANGER,
             *SUICIDE_ACTIVE, *PLAIN_DANGER, *HELD_DANGER, *UNNAMED_DANGER,
             *RELAYED_DANGER, *VEILED_DANGER, *TEXTBOOK_DANGER,
             *SPANISH_DANGER, *UPDATED_DANGER, *REPORTED_DANGER,
             *UNSAID_DANGER, *UNSAID_MORE_DANGER, *FRESH_DANGER,
             *HELD_OUT_DANGER, *HELD_OUT_2_DANGER, *HELD_OUT_3_DANGER,
             *HANDWRITTEN.narratives("rules_2_39.DANGER"), *HANDWRITTEN.narratives("rules_2_40.DANGER"),
             *HANDWRITTEN.narratives("rules_2_41.DANGER"), *HANDWRITTEN.narratives("rules_2_42.DANGER"),
             *HANDWRITTEN.narratives("rules_2_43.DANGER")]
MUST_NOT_FIRE = [*NOT_RED_LINE, *BELIEVED_OR_OWN_BODY, *SPOKEN_CRISIS, *EVERYDAY_CRISIS, *LIFE_CRISIS, *VOICES_CRISIS,
                 *DECLINES_POLICE, *DONE_CRISIS, *SUICIDE_CRISIS, *PLAIN_TWINS, *HELD_CRISIS, *UNNAMED_CRISIS,
                 *RELAYED_CRISIS, *VEILED_CRISIS, *TEXTBOOK_CRISIS,
                 *SPANISH_CRISIS, *UPDATED_CRISIS, *REPORTED_CRISIS,
                 *UNSAID_CRISIS, *UNSAID_MORE_CRISIS, *FRESH_CRISIS,
                 *HELD_OUT_CRISIS, *HELD_OUT_2_CRISIS, *HELD_OUT_3_CRISIS,
                 *HANDWRITTEN.narratives("rules_2_39.CRISIS"), *HANDWRITTEN.narratives("rules_2_40.CRISIS"),
                 *HANDWRITTEN.narratives("rules_2_41.CRISIS"), *HANDWRITTEN.narratives("rules_2_42.CRISIS"),
                 *HANDWRITTEN.narratives("rules_2_43.CRISIS")]


@pytest.mark.parametrize("narrative", MUST_FIRE)
def test_a_dangerous_call_fires_a_red_line(narrative: str) -> None:
    # Given a call that must never go to a crisis team alone, When the rules read it, Then a red line fires
    assert RULES.evaluate(narrative).fired, f"{narrative!r} fired nothing"


@pytest.mark.parametrize("narrative", MUST_NOT_FIRE)
def test_a_crisis_call_near_the_same_words_fires_nothing(narrative: str) -> None:
    # Given a call a crisis team can take, When the rules read it, Then no red line fires (nor the safety net)
    result = RULES.evaluate(narrative)
    assert not result.fired, f"{narrative!r} fired {[(h.rule_id, h.evidence) for h in result.red_lines]}"
