"""Lineage: a run records its code, packages and seeds, its plots, and who moved which alias and why;
training twice on the same data with the same configuration gives the same figures and predictions."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from callroute.config import ExperimentConfig
from callroute.data import synth
from callroute.data.ingest import load_calls
from callroute.registry.store import alias_history, connect
from callroute.training.fit import train_and_evaluate

pytestmark = pytest.mark.integration


def test_training_twice_gives_identical_metrics_and_predictions(tmp_path: Path, trained) -> None:
    # Given a small generated file and the default configuration (every seed fixed)
    path = tmp_path / "calls.csv"
    synth.write(path, 6000, seed=21)
    config = ExperimentConfig()
    config.evaluation.unseen_rows = 0
    calls, report = load_calls(path, label=config.label)
    # When it is trained twice
    first = train_and_evaluate(calls, report, config, echo=lambda _: None)
    second = train_and_evaluate(calls, report, config, echo=lambda _: None)
    # Then every metric and every test prediction is identical
    differ = {k: (v, second.metrics.get(k)) for k, v in first.metrics.items()
              if not (v == second.metrics.get(k) or (math.isnan(v) and math.isnan(second.metrics.get(k, 0.0))))}
    assert not differ, differ
    pd.testing.assert_frame_equal(first.test_assessment, second.test_assessment)


def test_a_run_records_its_code_packages_seeds_and_plots(trained, settings) -> None:
    client = connect(settings)
    run = client.get_run(trained.run_id)
    assert len(run.data.tags["git.commit"]) == 40 or run.data.tags["git.commit"].startswith("unknown"), run.data.tags
    assert run.data.tags["git.dirty"] in {"True", "False", "None"}
    assert run.data.params["package.scikit-learn"] and run.data.params["seed.split.seed"] == "0"
    artifacts = {a.path for a in client.list_artifacts(trained.run_id, "report")}
    for plot in ("reliability.png", "risk_histogram.png", "roc_pr.png", "diversion_curve.png", "districts.png",
                 "environment.json"):
        assert f"report/{plot}" in artifacts, artifacts


def test_every_alias_change_says_who_when_and_why(trained, settings) -> None:
    # Given the session's version: made challenger by its run, champion by the gate (other tests may promote
    # it again by hand later)
    history = [h for h in alias_history(settings) if h["version"] == str(trained.version)]
    assert {h["alias"] for h in history} == {"challenger", "champion"}, history
    assert any(h["alias"] == "champion" and h["why"].startswith("promotion gate: promoted") for h in history), history
    assert all(h["by"] and h["at"] for h in history), history
    # And the version's tags carry the latest champion move
    latest = [h for h in history if h["alias"] == "champion"][-1]
    tags = connect(settings).get_model_version(settings.model_name, str(trained.version)).tags
    assert tags["alias.champion.why"] == latest["why"] and tags["alias.champion.by"] == latest["by"]


def test_what_an_auditor_sees_in_mlflow_matches_the_training(trained, settings) -> None:
    # Given the session's training run
    client = connect(settings)
    run = client.get_run(trained.run_id)
    # Then the run lasts as long as the training did (it starts when the job started)
    duration = (run.info.end_time - run.info.start_time) / 1000
    total = trained.seconds["total"]
    assert duration >= total, f"the run lasts {duration:.1f} s, the training {total:.1f} s"
    # And its dataset's digest is the file's sha256 (its first 32 digits: MLflow keeps 36), with an absolute URI
    dataset = run.inputs.dataset_inputs[0].dataset
    assert run.data.params["data.sha256"] == run.data.tags["data.sha256"], run.data.tags
    assert len(dataset.digest) == 32 and run.data.tags["data.sha256"].startswith(dataset.digest), dataset
    assert '"uri": "file:///' in dataset.source or dataset.source.startswith("file:///"), dataset.source
    # And every baseline child run carries the commit and the same dataset
    children = client.search_runs([run.info.experiment_id], f"tags.mlflow.parentRunId = '{trained.run_id}'")
    assert children, "the baselines should be child runs of the training run"
    for child in children:
        assert child.data.tags.get("git.commit") == run.data.tags["git.commit"], child.data.tags
        assert [i.dataset.digest for i in child.inputs.dataset_inputs] == [dataset.digest], child.info.run_name
    # And no empty "Default" experiment sits beside ours
    assert [e.name for e in client.search_experiments()] == [settings.experiment_name]
