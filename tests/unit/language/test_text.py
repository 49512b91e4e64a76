"""Narrative normalisation: demographic masking, shorthand, negation scope (shared with the rules)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callroute.language import lexicons
from callroute.language.text import normalize_narrative
from callroute.rules.engine import RuleSet

RULES = RuleSet.load()

RACE = ["W", "B", "H", "A", "U"]
SEX = ["M", "F"]


@given(st.sampled_from(RACE), st.sampled_from(SEX), st.sampled_from(RACE), st.sampled_from(SEX),
       st.sampled_from(["20S", "30S", "ELDERLY", "TEEN"]))
def test_swapping_demographic_descriptors_leaves_features_unchanged(r1, s1, r2, s2, age) -> None:
    # Given the same narrative with two different race/sex descriptors
    template = "RP STS {} {} SUBJ YELLING IFO 7-11, NEG WPNS"
    a = normalize_narrative(template.format(f"{r1}/{s1}", age))
    b = normalize_narrative(template.format(f"{r2}/{s2}", age))
    # Then the text the model sees is identical
    assert a == b, f"descriptor changed the features: {a!r} vs {b!r}"


@given(st.sampled_from(["W/M", "B/F", "BLACK MALE", "WHITE FEMALE", "HISPANIC MAN", "ASIAN WOMAN", "H/M"]))
def test_spelled_out_and_coded_descriptors_look_the_same(descriptor: str) -> None:
    assert normalize_narrative(f"RP STS {descriptor} 30S YELLING") == normalize_narrative("RP STS W/M 30S YELLING")


def test_words_for_race_and_sex_are_masked() -> None:
    out = normalize_narrative("BLACK FEMALE AND WHITE MALE ARGUING, HISPANIC MAN WATCHING")
    for word in ("black", "female", "white", "male", "hispanic", "man"):
        assert word not in out.split(), f"{word!r} survived masking: {out!r}"


def test_negation_marks_the_denied_noun_and_ends_at_the_clause() -> None:
    out = normalize_narrative("NEG WPNS SEEN BUT SUBJ HAS KNIFE")
    assert "not_weapons" in out and "not_seen" in out, f"negation scope missing: {out!r}"
    assert "knife" in out.split() and "not_knife" not in out, f"'BUT' must end the negation: {out!r}"


@pytest.mark.parametrize(
    ("narrative", "negated", "kept"),
    [
        # contractions, with and without the apostrophe, and the typographic apostrophe
        ("my brother doesn't have a gun, he is just sad", ["not_gun"], ["sad"]),
        ("she doesnt have a knife on her", ["not_knife"], []),
        ("he doesn\u2019t own a gun", ["not_gun"], []),
        ("she isn't hurting anyone", ["not_hurting"], ["anyone"]),
        ("he wasn't violent tonight", ["not_violent"], ["tonight"]),
        ("they haven't seen any weapons", ["not_weapons"], []),
        # the reach stops at the first word that is not a bridge: what follows keeps its own sign
        ("he won't stop hitting his sister", ["not_stop"], ["hitting", "sibling"]),
        ("he won't put the knife down", ["not_put"], ["knife", "down"]),
        ("NO WPNS SUBJ CHOKING VICT", ["not_weapons"], ["choking", "subject"]),
        ("denies wpns physical dv in prog", ["not_weapons"], ["physical", "domestic", "violence"]),
        # denials of several things, and a history denied
        ("DENIES SI/HI", ["not_suicidal", "not_ideation", "not_hi"], []),
        ("no weapons or guns seen", ["not_weapons", "not_guns"], []),
        ("no history of violence", ["not_violence"], []),
        # post-negation belongs to the noun before it and reaches no further
        ("WPNS: NEG HE IS BEATING HER", ["not_weapons"], ["beating"]),
        ("WPNS NEG SUBJ YELLING", ["not_weapons"], ["yelling", "subject"]),
    ],
)
def test_negation_reaches_what_the_rules_reach(narrative: str, negated: list[str], kept: list[str]) -> None:
    # Given a narrative with a negation cue  When it is normalised
    tokens = normalize_narrative(narrative).split()
    # Then the denied words are marked and the words past the cue's reach are not
    for word in negated:
        assert word in tokens, f"{word!r} should be negated in {narrative!r}: {tokens}"
    for word in kept:
        assert word in tokens and f"not_{word}" not in tokens, (
            f"{word!r} should keep its sign in {narrative!r}: {tokens}")


@pytest.mark.parametrize("cue", sorted(lexicons.load("negation")["before"]))
def test_every_shared_cue_negates_for_the_model_and_cancels_the_rule(cue: str) -> None:
    # Given "<cue> have a gun" for every cue of the shared negation list
    narrative = f"he {cue} have a gun"
    # Then the model sees a denied gun and the weapon rule does not fire: one list, one reading
    assert "not_gun" in normalize_narrative(narrative).split(), f"model missed the cue {cue!r}"
    fired = [hit.rule_id for hit in RULES.evaluate(narrative).red_lines]
    assert "weapon.present" not in fired, f"rules missed the cue {cue!r}: {fired}"


def test_shorthand_and_plain_words_share_features() -> None:
    assert normalize_narrative("RP STS SUBJ HAS WPN") == normalize_narrative("caller states subject has weapon")


@pytest.mark.parametrize(("narrative", "absent", "kept"), [
    # medical compounds
    ("my son is having a PANIC ATTACK", "attack", "panic"),
    ("RP STS HUSBAND HAVING HEART ATTACK", "attack", "heart"),
    ("she has shooting pains in her chest", "shooting", "pains"),
    ("his heart is beating really fast", "beating", "heart"),
    # everyday idioms
    ("my back is killing me and I can't get up", "killing", "back"),
    ("he shot me a text saying he's sad", "shot", "text"),
    ("my son plays shooting video games all night", "shooting", "games"),
    ("my son threatened to run away if we take his phone", "threatened", "run"),
    ("we watched the penalty shootout at the bar", "shootout", "penalty"),
    ("she says her parents kicked her out", "kicked", "parents"),
])
def test_expressions_built_on_a_word_of_violence_lose_it(narrative: str, absent: str, kept: str) -> None:
    # Given a medical expression or an everyday idiom that contains a word of violence ("panic attack")
    words = normalize_narrative(narrative).split()
    # Then the model's words keep the other word and lose the violent one
    assert absent not in words and kept in words, words


@pytest.mark.parametrize(("narrative", "word"), [
    ("he is attacking her with his fists", "attacking"),
    ("he is killing me, please hurry", "killing"),
    ("he shot me in the arm", "shot"),
    ("he threatened to shoot her", "threatened"),
    ("she keeps shooting at people", "shooting"),
    ("he kicked her in the stomach", "kicked"),
])
def test_the_same_words_said_of_a_person_keep_them(narrative: str, word: str) -> None:
    # Given the violent word said of a person, Then the model keeps it
    assert word in normalize_narrative(narrative).split(), normalize_narrative(narrative)


@pytest.mark.parametrize(("narrative", "negated"), [
    ("no one feels threatened", "not_threatened"),
    ("nobody has a gun", "not_gun"),
    ("Caller: nobody feels unsafe here", "not_unsafe"),
])
def test_nobody_and_no_one_negate_what_follows(narrative: str, negated: str) -> None:
    assert negated in normalize_narrative(narrative).split(), normalize_narrative(narrative)


@pytest.mark.parametrize(("narrative", "negated", "kept"), [
    # a question answered no: every word of the question is denied
    ("IS HE ARMED? NO. SUBJ CONFUSED", ["not_armed"], ["confused"]),
    ("Is anyone hurt? No. Does he have any weapons? Not that she knows of", ["not_hurt", "not_weapons"], []),
    # a transcript's label ("A:", "RP:") stands between the question and the answer
    ("Q: Are there any weapons? A: No, not that I can see", ["not_weapons"], []),
    ("CT: IS HE THREATENING ANYONE? RP: NO HE'S JUST CRYING", ["not_threatening"], ["crying"]),
    # a form field answered no: its last word is denied
    ("SUSP ARMED: N. INTOX MALE", ["not_armed"], ["intoxicated"]),
    ("WEAPONS: NO. INJURIES: NO.", ["not_weapons", "not_injuries"], []),
    # answered yes, or a colon that opens a quote, denies nothing
    ("IS HE ARMED? YES", [], ["armed"]),
    ('Caller says: "No, he\'s not armed."', [], ["says"]),
    ("RP STS: NO WPNS", ["not_weapons"], ["states"]),
])
def test_a_question_or_field_answered_no_is_denied(narrative: str, negated: list[str], kept: list[str]) -> None:
    # Given a call-taker's question or a form field and its answer, When the narrative is normalised
    tokens = normalize_narrative(narrative).split()
    # Then what a bare "no" answers is negated, as the red-line rules read it, and nothing else is
    for word in negated:
        assert word in tokens, f"{word} not in {tokens} for {narrative!r}"
    for word in kept:
        assert word in tokens and f"not_{word}" not in tokens, f"{word} negated in {tokens} for {narrative!r}"
