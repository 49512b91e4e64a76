"""Feature preparation and the prior-weighted one-hot encoding of fields."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from callroute.model.features import MODEL_INPUTS, UNKNOWN, PriorOneHotEncoder, prepare_frame


def _encoder() -> PriorOneHotEncoder:
    train = pd.DataFrame({"call_type": ["A"] * 30 + ["B"] * 10 + ["C"] * 2 + [UNKNOWN] * 5})
    return PriorOneHotEncoder(min_frequency=5).fit(train)


def test_known_values_are_plain_one_hot_and_rare_ones_share_other() -> None:
    encoded = _encoder().transform(pd.DataFrame({"call_type": ["A", "B", "C"]})).toarray()
    np.testing.assert_array_equal(encoded, [[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    assert list(_encoder().get_feature_names_out()) == ["call_type_A", "call_type_B", "call_type_OTHER"]


@pytest.mark.parametrize("value", [UNKNOWN, "NEVER SEEN BEFORE"])
def test_unknown_and_unseen_values_get_the_training_frequencies(value: str) -> None:
    # Given 30 A, 10 B and 2 rare values among the known training values
    encoded = _encoder().transform(pd.DataFrame({"call_type": [value]})).toarray()[0]
    # Then the row is the expected one-hot vector, so it adds exactly the average effect
    np.testing.assert_allclose(encoded, np.array([30, 10, 2]) / 42)


def test_prepare_frame_reads_only_call_fields_and_marks_missing_ones() -> None:
    calls = pd.DataFrame({"narrative": ["x"], "true_risk": [0.9], "weapon_found": [1], "received_at": [None]})
    frame = prepare_frame(calls)
    assert tuple(frame.columns) == MODEL_INPUTS
    assert frame.loc[0, "call_type"] == UNKNOWN and np.isnan(frame.loc[0, "is_night"])
    assert frame.loc[0, "night_narrative"] == "", "an unknown time is not night"


def test_overlapping_ngrams_merge_into_one_phrase_with_the_same_total() -> None:
    from callroute.model.explain import merge_ngrams

    contributions = {"waving": 0.4, "knife": 0.8, "waving knife": 0.5, "knife at": -0.1, "at": 0.05, "calm": -0.3}
    merged = merge_ngrams(contributions)
    assert merged == pytest.approx({"waving knife": 1.7, "knife at": -0.05, "calm": -0.3}), merged
    assert sum(merged.values()) == pytest.approx(sum(contributions.values())), "merging must keep the sum exact"


@pytest.mark.parametrize(
    ("call_type", "eligible"),
    [("SERVICE - WELFARE CHECK", True), ("PERSON IN BEHAVIORAL/EMOTIONAL CRISIS", True),
     ("DISTURBANCE, MISCELLANEOUS/OTHER", True), ("DIST - DV - NO ASLT", False),
     ("ASLT - IP/JO - WITH OR W/O WPNS (NO SHOOTINGS)", False), ("SUSPICIOUS PERSON, VEHICLE OR INCIDENT", False),
     (None, False)],
)
def test_star_list_matches_agency_call_type_strings(call_type, eligible: bool) -> None:
    from callroute.training.baselines import star_eligible

    assert star_eligible(call_type) is eligible


def test_keyword_score_ignores_negated_words() -> None:
    from callroute.training.baselines import keyword_score

    assert keyword_score("SUBJ YELLING, AGGRESSIVE") == 2.0
    assert keyword_score("NO WEAPONS, NOT AGGRESSIVE, SUBJ CALM") == -1.0


def test_character_ngrams_are_given_back_to_their_words_exactly() -> None:
    from callroute.model.explain import attribute_char_ngrams

    weights = {" kn": 0.3, "nif": 0.2, "ife ": 0.1, "ng ": -0.4}
    words = attribute_char_ngrams(weights, "subject waving knife")
    assert words == pytest.approx({"knife": 0.6, "waving": -0.4}), words
    assert sum(words.values()) == pytest.approx(sum(weights.values()))


def test_a_priority_is_one_category_whether_it_arrives_as_int_or_float() -> None:
    # Given the same calls from the API (ints) and from a file with blanks (floats)
    from_api = prepare_frame(pd.DataFrame({"narrative": ["x", "y"], "priority": [3, 1]}))
    from_file = prepare_frame(pd.DataFrame({"narrative": ["x", "y"], "priority": [3.0, 1.0]}))
    # Then the model sees the same category
    assert list(from_api["priority"]) == list(from_file["priority"]) == ["3", "1"]


def test_calls_with_different_utc_offsets_keep_their_local_hour() -> None:
    from callroute.schema import CallIn

    calls = [CallIn(narrative="a", received_at="2024-06-01T23:15:00-07:00"),
             CallIn(narrative="b", received_at="2024-06-01T23:15:00+02:00"),
             CallIn(narrative="c", received_at="2024-06-01T14:00:00")]
    frame = prepare_frame(pd.DataFrame([c.model_dump() for c in calls]))
    assert list(frame["is_night"]) == [1.0, 1.0, 0.0], frame[["hour_sin", "is_night"]]


def test_encoder_follows_the_estimator_rules() -> None:
    # Given an unfitted encoder, When it transforms, Then scikit-learn's NotFittedError says so
    from sklearn.exceptions import NotFittedError

    frame = pd.DataFrame({"call_type": ["A"] * 12, "district": ["N"] * 12})
    with pytest.raises(NotFittedError):
        PriorOneHotEncoder().transform(frame)
    # Given a fitted encoder, Then it records its inputs and refuses a frame with another number of columns
    encoder = PriorOneHotEncoder().fit(frame)
    assert encoder.n_features_in_ == 2, encoder.n_features_in_
    assert list(encoder.feature_names_in_) == ["call_type", "district"]
    with pytest.raises(ValueError, match="fitted on 2 columns"):
        encoder.transform(frame[["call_type"]])
    # And its parameters round-trip through get_params/clone (only stored in __init__)
    from sklearn.base import clone

    assert clone(PriorOneHotEncoder(min_frequency=3)).get_params()["min_frequency"] == 3


def test_night_words_fall_back_to_every_word_seen_when_none_reaches_min_df() -> None:
    from callroute.model.features import NightCountVectorizer

    # Given night narratives (most calls are daytime: empty) in which no word occurs in 3 calls
    docs = ["", "", "man yelling", "", "woman crying", ""]
    # When the night block learns its words at min_df 3
    night = NightCountVectorizer(binary=True, min_df=3)
    matrix = night.fit_transform(docs)
    # Then it keeps every word seen at night, says it did, and keeps its configured min_df
    assert sorted(night.vocabulary_) == ["crying", "man", "woman", "yelling"], night.vocabulary_
    assert (night.min_df_used_, night.min_df) == (1, 3)
    assert matrix.shape == (6, 4) and matrix.sum() == 4


def test_night_words_keep_min_df_when_some_word_reaches_it() -> None:
    from callroute.model.features import NightCountVectorizer

    # Given night narratives in which "yelling" occurs in 3 calls
    docs = ["man yelling", "woman yelling", "kid yelling", "dog barking"]
    # When the night block learns its words at min_df 3, Then only that word is kept, as a CountVectorizer would
    night = NightCountVectorizer(binary=True, min_df=3)
    night.fit(docs)
    assert list(night.vocabulary_) == ["yelling"] and night.min_df_used_ == 3
