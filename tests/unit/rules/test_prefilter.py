"""The rule pre-check only skips work: with or without it, every narrative gets the same hits."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callroute.rules.engine import RuleSet
from callroute.rules.prefilter import fold, required_literals, rule_check

_RULES = RuleSet.load()
_PLAIN = RuleSet.load()
_PLAIN.prefilter = False
# The lexicons' lists and the rule set's own ([terms]), so the rules-only patterns are exercised too.
_TERMS = sorted({t for values in _RULES.terms.values() for t in values})
_GLUE = ["no", "NEG", "not", "he", "she", "has a", "with a", "threatening her with a", "RP STS", "wants", "to",
         ",", ".", "but", "UPDT:", "denies", "unk", "\t", "\n", "\u00a0", "  ", "-"]


def _hits(rules: RuleSet, text: str) -> tuple:
    result = rules.evaluate(text)
    return (tuple((h.rule_id, h.evidence) for h in result.red_lines),
            tuple((h.rule_id, h.evidence) for h in result.flags))


_pieces = st.one_of(st.sampled_from(_TERMS), st.sampled_from(_GLUE), st.text(max_size=6))
_narratives = st.lists(_pieces, min_size=1, max_size=14).map(" ".join)
_cased = st.tuples(_narratives, st.sampled_from([str, str.upper, str.lower, str.title])).map(lambda p: p[1](p[0]))


@settings(max_examples=400, deadline=None)
@given(text=_cased)
def test_the_precheck_never_changes_what_the_rules_find(text) -> None:
    # Given any narrative made of lexicon terms, negations, whitespace of any kind and noise, in any case
    # When the rule set reads it with and without the pre-check
    # Then the red lines, flags and evidence are the same
    assert _hits(_RULES, text) == _hits(_PLAIN, text), text


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bknife\b", {"knife"}),
        (r"\b(?:gun|rifle)s?\b", {"gun", "guns", "rifle", "rifles"}),
        (r"\bshots?\s+fired\b", {"shot fired", "shots fired"}),
        (r"\bsemi[-\s]?auto\b", {"semiauto", "semi-auto", "semi auto"}),
        (r"[a-z]+\d", None),
        (r"\b\w+ing\b", {"ing"}),
    ],
)
def test_required_literals_are_what_every_match_contains(pattern, expected) -> None:
    # Given a pattern as the rule files compile them, When its required strings are derived
    found = required_literals(re.compile(pattern, re.IGNORECASE))
    # Then they are exactly the strings one of which any match must contain (None: nothing can be said)
    assert (None if found is None else set(found)) == expected


def test_a_match_across_odd_whitespace_and_case_passes_the_check() -> None:
    # Given a pattern needing "shots fired", and text that writes it with a tab, a line break and mixed case
    check = rule_check((re.compile(r"\bshots?\s+fired\b", re.IGNORECASE),))
    text = "caller heard SHOTS\t\n Fired nearby"
    # When the folded text is checked, Then it passes (and the regex itself matches the raw text)
    assert check.search(fold(text)), fold(text)
    assert re.search(r"\bshots?\s+fired\b", text, re.IGNORECASE)


def test_a_character_that_upper_cases_to_two_does_not_shift_the_evidence() -> None:
    # Given a long narrative with a "ß" before a red-line phrase (found by the property test above:
    # upper-casing made the text longer than the narrative, and the evidence window ran off its end)
    text = "22 caliber 22 caliber holding her against her will 22 caliber 22 caliber ß 22 caliber"
    # When the rules read it, Then the red line fires and its evidence is a piece of the narrative
    result = _RULES.evaluate(text)
    assert result.fired, result
    assert all(hit.evidence in text for hit in result.red_lines), result.red_lines


def test_a_negated_weapon_word_alone_does_not_open_every_weapon_pattern() -> None:
    # Given a welfare call whose only weapon word is negated ("NO WEAPONS SEEN")
    folded = fold("RP STS ELDERLY M SITTING AT BUS STOP 3 HRS, CONFUSED, NO WEAPONS SEEN")
    weapon = next(rule for rule in _RULES.rules if rule.rule_id == "weapon.present")
    # Then the weapon rule's own check does not pass (the patterns needing "weapons" are tried on their own)
    index, rule_slots, _ = _RULES._prechecks()
    assert not index.passes(rule_slots["weapon.present"], index.present(folded)), "a negated noun opened the rule"
    assert _RULES._weak_patterns(weapon), "some weapon patterns need a negated noun and must be tried on their own"
    # And nothing fires, with or without the pre-check
    assert _hits(_RULES, folded) == _hits(_PLAIN, folded) == ((), ())


def test_prepare_builds_every_pre_check_before_the_first_call() -> None:
    # Given a freshly loaded rule set (the server warms it up before serving)
    rules = RuleSet.load()
    # When it is prepared
    rules.prepare()
    # Then every rule's and every pattern's pre-check exists: no call pays seconds for its rule's first use
    index, rule_slots, pattern_slots = rules.__dict__["_precheck_index"]
    expected = {rule.rule_id for rule in rules.rules}
    assert set(rule_slots) == set(pattern_slots) == expected, f"pre-checks missing for {expected - set(rule_slots)}"
    assert all(len(pattern_slots[r.rule_id]) == len(r.patterns) for r in rules.rules), "a pattern has no pre-check"
    assert len(index.sets) == len(rules.rules) + sum(len(r.patterns) for r in rules.rules)


_INDEX_PATTERNS = [re.compile(p, re.IGNORECASE) for p in (
    r"\bknife\b", r"\b(?:gun|rifle)s?\b", r"\bshots?\s+fired\b", r"\bsemi[-\s]?auto\b", r"\b\w+ing\b", r"[a-z]+\d")]


@settings(max_examples=300, deadline=None)
@given(text=_cased)
def test_the_one_pass_index_answers_each_check_as_its_regex_would(text) -> None:
    # Given the required strings of several patterns in one index (one unknown: it always passes)
    from callroute.rules.prefilter import LiteralIndex

    index = LiteralIndex(required_literals(p) for p in _INDEX_PATTERNS)
    folded = fold(text)
    present = index.present(folded)
    # When each check is answered from the strings found in one pass, Then it agrees with searching its own regex
    for slot, pattern in enumerate(_INDEX_PATTERNS):
        check = rule_check((pattern,))
        expected = check is None or check.search(folded) is not None
        assert index.passes(slot, present) == expected, (pattern.pattern, folded)


def test_an_empty_set_of_strings_never_passes_and_an_unknown_one_always_does() -> None:
    from callroute.rules.prefilter import LiteralIndex

    index = LiteralIndex([frozenset(), None, frozenset({"gun"})])
    present = index.present("a man with a gun")
    assert (index.passes(0, present), index.passes(1, present), index.passes(2, present)) == (False, True, True)
    assert not index.passes(2, index.present("a man with a bat")), "'gun' is absent: its check must not pass"
