"""Every text family compiles: binary words, TF-IDF, letter n-grams, night words (tiny generated fixtures)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from callroute.config import ExperimentConfig
from callroute.data.synth.generator import generate_rows
from callroute.model.compiled import compile_pipeline, probe_calls
from callroute.model.features import FEATURES_STEP, build_pipeline, prepare_frame
from callroute.schema import CALL_FEATURE_COLUMNS


@pytest.fixture(scope="module")
def calls() -> pd.DataFrame:
    rows = pd.DataFrame(list(generate_rows(800, seed=3)))
    rows["y"] = (rows["true_risk"] > rows["true_risk"].median()).astype(int)
    return rows


def _fit(calls: pd.DataFrame, **features):
    config = ExperimentConfig.model_validate({"features": {"meaning": False, "min_df": 2, **features}})
    pipeline = build_pipeline(config)
    inputs = prepare_frame(calls)
    pipeline.fit(inputs, calls["y"])
    means = np.asarray(pipeline.named_steps[FEATURES_STEP].transform(inputs).mean(axis=0)).ravel()
    return pipeline, compile_pipeline(pipeline, means)


@pytest.mark.parametrize(
    "features",
    [{}, {"text_weighting": "tfidf"}, {"char_ngrams": True}, {"night_terms": False, "ngram_max": 3},
     {"ngram_dropout": 0.3}, {"meaning": True, "meaning_min_words": 8.0}],
    ids=["binary", "tfidf", "char-ngrams", "trigrams-no-night", "ngram-dropout", "meaning-short-floor"],
)
def test_each_family_compiles_to_the_pipelines_scores(calls, features) -> None:
    # Given a pipeline of this family fitted on 800 generated calls
    pipeline, scorer = _fit(calls, **features)
    # When the compiled tables score the calls and the probe calls built from the tables
    records = calls.reindex(columns=list(CALL_FEATURE_COLUMNS)).to_dict("records") + probe_calls(scorer, 100)
    gap = scorer.disagreement(pipeline, records)
    # Then they equal the pipeline's decision function to 1e-9
    assert gap <= 1e-9, f"{features}: largest difference {gap:.3g} over {len(records)} calls"


def test_explanation_items_are_the_pipeline_terms_and_sum_to_the_score(calls) -> None:
    # Given the TF-IDF family (each term's weight depends on the whole narrative) and one call
    pipeline, scorer = _fit(calls, text_weighting="tfidf")
    call = calls.iloc[5][list(CALL_FEATURE_COLUMNS)].to_dict()
    # When it is itemised
    parts = scorer.breakdown(call)
    # Then base + terms + facts + night + fields is the score exactly
    total = (scorer.base + sum(parts.terms.values()) + sum(parts.facts.values()) + sum(parts.night.values())
             + sum(parts.fields.values()))
    assert math.isclose(total, parts.score, abs_tol=1e-12)
    # and each word term is coef * x of the pipeline's own transformed row
    features = pipeline.named_steps[FEATURES_STEP]
    row = features.transform(prepare_frame(pd.DataFrame([call]))).toarray().ravel()
    block = features.output_indices_["narrative"]
    vocabulary = features.named_transformers_["narrative"].vocabulary_
    coef = pipeline.named_steps["model"].coef_[0][block]
    for term, value in parts.terms.items():
        expected = coef[vocabulary[term]] * row[block][vocabulary[term]]
        assert math.isclose(value, expected, abs_tol=1e-12), f"{term}: {value} vs {expected}"


def test_recompiling_gives_identical_tables_and_an_edit_is_named(calls) -> None:
    # Given a compiled scorer and a second compilation of the same pipeline
    pipeline, scorer = _fit(calls)
    again = compile_pipeline(pipeline, scorer.column_means)
    assert scorer.differs_from(again) is None, "compiling is deterministic"
    # When one field weight is edited, Then the difference is named
    edited = compile_pipeline(pipeline, scorer.column_means)
    edited.categorical[0].weights[next(iter(edited.categorical[0].weights))] += 1.0
    assert scorer.differs_from(edited) == "categorical field weights differ"


def test_an_export_without_times_or_premise_history_trains_and_compiles() -> None:
    # Given an export whose premise history and call times are empty in every row (a valid file: both optional)
    from callroute.training.fit import fit_router, time_split

    rows = pd.DataFrame(list(generate_rows(4000, seed=5)))
    rows["escalation"] = (rows["true_risk"] > rows["true_risk"].quantile(0.8)).astype(int)
    empty = rows.assign(location_prior_calls=None, received_at=None)
    config = ExperimentConfig.model_validate({"features": {"meaning": False}, "policy": {"min_diverted": 5}})
    # When the Router is fitted (no crash: no night-time words, the empty inputs weigh nothing)
    router = fit_router(time_split(empty, config), config)
    # Then the tables equal the pipeline, also on calls that do carry times and premise history
    scorer = router.scorer
    assert scorer.night is None, "no call had a time, so no night-time words"
    assert all(c == 0.0 for c in scorer.numeric.coef), scorer.numeric.coef
    records = rows.reindex(columns=list(CALL_FEATURE_COLUMNS)).to_dict("records")[:300]
    gap = scorer.disagreement(router.pipeline, records)
    assert gap <= 1e-9, f"largest difference {gap:.3g}"


def test_ngram_dropout_only_thins_the_training_matrix(calls) -> None:
    # Given the word n-gram vectorizer with 30% dropout, and a plain one with the same settings
    from sklearn.feature_extraction.text import CountVectorizer

    from callroute.model.features import DropoutCountVectorizer

    dropped = DropoutCountVectorizer(dropout=0.3, binary=True, min_df=2)
    plain = CountVectorizer(binary=True, min_df=2)
    texts = calls["narrative"].tolist()
    # When both are fitted
    thinned, full = dropped.fit_transform(texts), plain.fit_transform(texts)
    # Then they learn the same vocabulary, the training matrix keeps about 70% of its entries, and
    # transforming afterwards drops nothing
    assert dropped.vocabulary_ == plain.vocabulary_
    assert 0.65 < thinned.nnz / full.nnz < 0.75, thinned.nnz / full.nnz
    assert (dropped.transform(texts) != plain.transform(texts)).nnz == 0
