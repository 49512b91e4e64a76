"""Lexicons: halves that never share an entry, weapons grounded in NIBRS, fairness pairs that swap cleanly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callroute.language import lexicons
from callroute.language.fairness import neutralise
from callroute.language.text import clause_ngrams, normalize_narrative


def _lists(value, path=""):
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        yield path, value
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from _lists(child, f"{path}.{key}")
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _lists(child, f"{path}[{i}]")


@pytest.mark.parametrize("name", lexicons.NAMES)
def test_every_list_splits_into_two_disjoint_halves_that_cover_it(name: str) -> None:
    # Given every word list of a lexicon, Then halves A and B share no position and together are the list
    for path, entries in _lists(lexicons.load(name), name):
        a, b = lexicons.half(entries, "A"), lexicons.half(entries, "B")
        assert len(a) + len(b) == len(entries), path
        assert sorted(a + b) == sorted(entries), path
        assert lexicons.half(entries, "all") == entries


def test_weapon_halves_share_no_object_so_unseen_wording_really_is_unseen() -> None:
    a = {o for o, _, _ in lexicons.weapon_objects("A")}
    b = {o for o, _, _ in lexicons.weapon_objects("B")}
    assert not a & b, f"objects in both halves: {sorted(a & b)}"
    categories = {c for _, c, _ in lexicons.weapon_objects()}
    for code in ("11-15", "20", "30", "35", "60", "65", "90"):
        assert any(code in c for c in categories), f"no NIBRS category {code}"


def test_unknown_lexicon_is_a_clear_error() -> None:
    with pytest.raises(KeyError, match="no lexicon 'weapon'"):
        lexicons.load("weapon")


PAIRS = [(m, f) for m, f, _ in lexicons.load("people")["pairs"] if " " not in m and " " not in f]
FILLER = ["caller", "says", "is", "calm", "at", "the", "bus", "stop", "and", "yelling", "knife", "no", "weapons"]


@given(st.lists(st.one_of(st.sampled_from(FILLER), st.sampled_from(range(len(PAIRS)))), min_size=1, max_size=15),
       st.sampled_from([", ", " ", ". "]))
def test_swapping_any_sex_paired_word_leaves_the_normalised_text_identical(tokens, sep) -> None:
    # Given any sentence mixing ordinary words with sex-paired words, When every paired word is swapped
    male = sep.join(PAIRS[t][0] if isinstance(t, int) else t for t in tokens)
    female = sep.join(PAIRS[t][1] if isinstance(t, int) else t for t in tokens)
    # Then the model sees exactly the same words and n-grams
    assert normalize_narrative(male) == normalize_narrative(female), (male, female)
    assert clause_ngrams(male) == clause_ngrams(female)


def test_names_and_race_words_are_dropped_and_contractions_keep_their_ending() -> None:
    assert neutralise("maria") == "" and neutralise("tyrone") == ""
    assert neutralise("hispanic") == ""
    assert neutralise("she's") == "they's" and neutralise("he's") == "they's"
    assert normalize_narrative("the African American man") == normalize_narrative("the Pacific Islander woman")
