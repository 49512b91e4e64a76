"""The meaning block: a weighted mean of word vectors that splits exactly into one share per word."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from callroute.model.meaning import MeaningVectorizer


@pytest.fixture(scope="module")
def vectorizer() -> MeaningVectorizer:
    return MeaningVectorizer(scale=4.0).fit(pd.Series(["fit needs no data"]))


def test_a_row_is_exactly_the_sum_of_its_word_shares(vectorizer) -> None:
    text = "Man swinging a hammer at people outside the store"
    row = vectorizer.transform(pd.Series([text]))[0]
    shares = vectorizer.word_shares(text)
    assert [w for w, _ in shares] == ["swinging", "hammer", "people", "store"], [w for w, _ in shares]
    np.testing.assert_allclose(sum(v for _, v in shares), row, atol=1e-12)


def test_negated_and_function_words_carry_no_meaning(vectorizer) -> None:
    # "no weapons seen": every word negated or a cue, so no meaning at all (never "close to a weapon")
    assert vectorizer.word_shares("NO WEAPONS SEEN") == []
    assert not vectorizer.transform(pd.Series(["he is with him", "NEG WPNS"])).any()


def test_words_never_seen_in_training_still_land_near_their_meaning(vectorizer) -> None:
    def unit(text: str) -> np.ndarray:
        v = vectorizer.transform(pd.Series([text]))[0]
        return v / np.linalg.norm(v)

    gun, firearm, lonely = unit("gun"), unit("firearm"), unit("lonely elderly woman talk")
    assert gun @ firearm > gun @ lonely + 0.3, (gun @ firearm, gun @ lonely)


def test_a_frame_with_two_columns_is_refused_and_unfitted_use_is_an_error() -> None:
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        MeaningVectorizer().transform(pd.Series(["x"]))
    with pytest.raises(ValueError, match="one narrative column"):
        MeaningVectorizer().fit(pd.DataFrame({"a": ["x"], "b": ["y"]}))


def test_a_short_narrative_is_averaged_over_at_least_min_words() -> None:
    # Given the same vectors with and without a floor of 10 typical words
    plain = MeaningVectorizer(scale=4.0).fit(pd.Series(["x"]))
    floored = MeaningVectorizer(scale=4.0, min_words=10).fit(pd.Series(["x"]))
    short, long = "subject sleeping on bench", " ".join(["confused elderly subject sitting at bus stop"] * 4)
    # Then a short call's meaning shrinks toward zero, in proportion, and still splits into word shares
    ratio = np.linalg.norm(floored.transform(pd.Series([short]))[0]) / np.linalg.norm(
        plain.transform(pd.Series([short]))[0])
    assert 0 < ratio < 0.6, ratio
    np.testing.assert_allclose(sum(v for _, v in floored.word_shares(short)), floored.transform(pd.Series([short]))[0],
                               atol=1e-12)
    # And a call with more words than the floor is unchanged
    np.testing.assert_allclose(floored.transform(pd.Series([long])), plain.transform(pd.Series([long])), atol=1e-12)
