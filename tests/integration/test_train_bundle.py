"""Train -> MLflow run -> registry -> bundle, on a tiny synthetic set."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from callroute.registry.bundle import BundleError, load_bundle, verify_bundle

pytestmark = pytest.mark.integration


def test_training_reports_figures_that_make_sense(trained) -> None:
    m = trained.metrics
    assert 0.7 < m["auc"] <= 1.0, f"the model should rank escalations well above chance: AUC {m['auc']:.3f}"
    assert m["auc"] <= m["auc_true_risk"] + 0.02, "no model beats the generator's exact risk by more than noise"
    assert 0.0 < m["diverted_share"] < 1.0, f"some calls should be diverted: {m['diverted_share']}"
    assert m["unsafe_diversion_rate"] <= 0.02, f"the promoted model must meet the 2% target on test: {m}"
    assert trained.report.read == trained.report.accepted + trained.report.quarantined


def test_time_split_keeps_the_newest_calls_for_test(trained) -> None:
    s = trained.splits
    assert s.train["received_at"].max() <= s.calibration["received_at"].min()
    assert s.calibration["received_at"].max() <= s.test["received_at"].min()


def test_mlflow_run_holds_params_metrics_digest_and_model(trained, settings) -> None:
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=settings.resolved_tracking_uri, registry_uri=settings.resolved_tracking_uri)
    run = client.get_run(trained.run_id)
    assert run.data.params["label.definition"].startswith("escalation = any of"), run.data.params
    assert len(run.data.params["data.sha256"]) == 64, "the data digest is recorded"
    assert run.data.metrics["test.auc"] == pytest.approx(trained.metrics["auc"])
    champion = client.get_model_version_by_alias(settings.model_name, "champion")
    assert champion.run_id == trained.run_id, "the first model becomes champion"
    artifacts = {a.path for a in client.list_artifacts(trained.run_id, "report")}
    assert {"report/reliability.png", "report/model_card.md"} <= artifacts, artifacts


def test_bundle_manifest_lists_every_file_with_its_hash(trained, settings) -> None:
    manifest = verify_bundle(settings.resolved_bundle_dir)
    files = {p.name for p in settings.resolved_bundle_dir.iterdir()} - {"manifest.json"}
    assert set(manifest["files"]) == files, f"manifest {set(manifest['files'])} vs directory {files}"
    assert manifest["version"] == trained.version and manifest["run_id"] == trained.run_id


def test_altered_bundle_is_refused(trained, settings, tmp_path: Path) -> None:
    copy = tmp_path / "bundle"
    shutil.copytree(settings.resolved_bundle_dir, copy)
    with (copy / "router.joblib").open("ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(BundleError, match="sha256"):
        load_bundle(copy)


def test_missing_bundle_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="callroute train"):
        load_bundle(tmp_path)


def test_pyfunc_model_scores_like_the_router(trained, settings, router) -> None:
    import mlflow

    from callroute.registry.store import connect

    connect(settings)  # tracking AND registry URIs: both are process-wide in MLflow
    model = mlflow.pyfunc.load_model(f"models:/{settings.model_name}/{trained.version}")
    calls = trained.splits.test.head(20)
    out = model.predict(calls.drop(columns=["escalation", "true_risk", "responder"]))
    expected = router.assess(calls)
    assert list(out["recommendation"]) == list(expected["recommendation"]), "pyfunc must use the same Router"
    assert out["escalation_risk"].to_numpy() == pytest.approx(expected["escalation_risk"].to_numpy())


def test_metrics_json_in_bundle_matches_the_run(trained, settings) -> None:
    shipped = json.loads((settings.resolved_bundle_dir / "metrics.json").read_text())
    assert shipped["auc"] == pytest.approx(trained.metrics["auc"])


def test_baselines_are_measured_by_the_same_code_and_the_model_row_is_the_run(trained) -> None:
    table = trained.baselines
    assert list(table.index) == ["call_type_list", "keyword_rules", "model", "oracle"], table.index
    model = table.loc["model"]
    assert model["diverted_share"] == pytest.approx(trained.metrics["diverted_share"])
    assert model["auc"] == pytest.approx(trained.metrics["auc"])
    assert table.loc["oracle", "auc"] >= table.loc["model", "auc"] - 0.02, "exact risk ranks at least as well"
    assert table.loc["model", "auc"] > table.loc["call_type_list", "auc"], "the model must beat a call-type list"


def test_each_baseline_is_its_own_mlflow_run(trained, settings) -> None:
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=settings.resolved_tracking_uri)
    experiment = client.get_experiment_by_name(settings.experiment_name)
    runs = client.search_runs([experiment.experiment_id], f"tags.mlflow.parentRunId = '{trained.run_id}'")
    assert sorted(r.data.tags["baseline"] for r in runs) == sorted(trained.baselines.index), runs


def test_character_ngram_model_still_explains_exactly(trained, config) -> None:
    from callroute.language.text import normalize_narrative
    from callroute.schema import CallIn
    from callroute.training.fit import Splits, fit_router

    chars = config.model_copy(deep=True)
    chars.features.char_ngrams = True
    chars.policy.conservative = False  # a few thousand calls cannot certify the target; not judged here
    s = trained.splits
    router = fit_router(Splits(s.train.tail(6000), s.calibration.head(3000), s.test.head(10)), chars)
    calls = [CallIn(narrative=n) for n in ("SUBJ AGGRO AND COMBATV, KNIFE", "ELDERLY SUBJ CONFUSED AT BUS STOP",
                                            "RP STS SUBJ YELLING, NEG WPNS")]
    for call_text, decision in zip([c.narrative for c in calls], router.route_many(calls), strict=True):
        e = decision.explanation
        total = e.base + sum(c.contribution for c in e.contributions) + e.rest
        assert total == pytest.approx(e.score, abs=1e-6), f"char n-grams broke the invariant: {e}"
        # Letter n-grams are given back to whole words: every phrase shown is made of the call's own words.
        words = set(normalize_narrative(call_text).replace("not_", "").split()) | {"no"}
        for c in e.contributions:
            if c.feature.startswith("narrative: "):
                assert set(c.feature.removeprefix("narrative: ").split()) <= words, (c.feature, call_text)


def test_diversion_and_under_triage_are_audited_per_district(trained) -> None:
    districts = set(trained.splits.test["district"].dropna())
    for district in districts:
        assert f"district_{district}_diverted_share" in trained.metrics, trained.metrics.keys()
        assert 0.0 <= trained.metrics[f"district_{district}_unsafe_diversion_rate"] <= 1.0


def test_a_replaced_model_is_freed(router, settings) -> None:
    # Given a second copy of the served Router, loaded and used as a hot reload would
    import gc
    import weakref

    loaded, _ = load_bundle(settings.resolved_bundle_dir)
    loaded.warm_up()
    vectors = weakref.ref(loaded.pipeline.named_steps["features"].named_transformers_["meaning"].vectors_)
    # When it is replaced (its last reference dropped)
    del loaded
    gc.collect()
    # Then its word vectors (most of its memory) are gone: no cache anywhere keeps an old model alive
    assert vectors() is None, "something still holds the replaced model's word vectors"
