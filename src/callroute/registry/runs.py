"""One MLflow run per training: parameters, metrics, dataset, plots, model card, pyfunc, registration.

Called by the training job; it records what training produced and never decides anything
(the promotion gate is :mod:`.gate`).
"""

from __future__ import annotations

import json
import logging
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from callroute import __version__
from callroute.config import ExperimentConfig
from callroute.data.labels import describe
from callroute.registry import bundle
from callroute.registry.card import model_card
from callroute.registry.pyfunc import BUNDLE_ARTIFACT, package_root, pyfunc_model, requirements
from callroute.registry.store import CHALLENGER, connect
from callroute.routing.router import Router
from callroute.settings import Settings
from callroute.training import baselines
from callroute.training.fit import TrainingResult
from callroute.training.plots import reliability_diagram, risk_histogram


@dataclass(frozen=True)
class LoggedRun:
    """Where a training went in the store."""

    run_id: str
    version: str


def file_digest(path: Path) -> str:
    """sha256 of the training file, the dataset digest recorded with the run."""
    return bundle.sha256_file(path)


def log_training(
    result: TrainingResult,
    *,
    config: ExperimentConfig,
    settings: Settings,
    data_path: Path,
    echo: Callable[[str], None] = print,
) -> LoggedRun:
    """Log the run and register its model with the alias ``challenger``."""
    import mlflow

    client = connect(settings)
    digest = file_digest(data_path)
    router = result.router
    with mlflow.start_run(run_name=f"train-{config.name}") as run:
        mlflow.set_tags({"callroute.version": __version__, "kind": "training", "data.digest": digest})
        mlflow.log_params(
            {
                **config.flat(),
                **result.splits.describe(),
                "label.definition": describe(config.label),
                "data.path": str(data_path),
                "data.sha256": digest,
                "ruleset": router.ruleset.ruleset_id,
                "policy.threshold": f"{router.policy.threshold:.6f}",
                "ingest.read": str(result.report.read),
                "ingest.quarantined": str(result.report.quarantined),
            }
        )
        mlflow.log_metrics({f"test.{k}": v for k, v in result.metrics.items() if v == v})  # skip NaN
        mlflow.log_metrics({f"seconds.{k}": v for k, v in result.seconds.items()})
        # MLflow warns that a local path fits two source types and that int columns may hold missing
        # values; neither concerns a dataset logged for lineage only.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            dataset = mlflow.data.from_pandas(
                result.splits.train.drop(columns=["true_risk"], errors="ignore"),
                source=str(data_path),
                name=data_path.name,
                targets=config.label.name,
            )
            mlflow.log_input(dataset, context="training")
        y = result.splits.test[config.label.name].astype(int).to_numpy()
        risk = result.test_assessment["escalation_risk"].to_numpy()
        with tempfile.TemporaryDirectory() as tmp:
            tmp_path = Path(tmp)
            reliability_diagram(risk, y, tmp_path / "reliability.png", title="Reliability, time-split test")
            risk_histogram(risk, y, router.policy.threshold, tmp_path / "risk_histogram.png",
                           title="Escalation risk, time-split test")
            (tmp_path / "model_card.md").write_text(model_card(router, result.metrics, config, digest))
            (tmp_path / "metrics.json").write_text(json.dumps(result.metrics, indent=2, sort_keys=True))
            (tmp_path / "ingest_report.txt").write_text(result.report.summary())
            (tmp_path / "baselines.md").write_text(
                baselines.as_markdown(result.baselines, config.policy.unsafe_diversion_target) + "\n"
            )
            mlflow.log_artifacts(str(tmp_path), artifact_path="report")

            staged = bundle.write_bundle(
                router, tmp_path / BUNDLE_ARTIFACT, extra_files=_bundle_files(router, result, config, digest),
                manifest=_manifest(result, config, digest, run.info.run_id),
            )
            # The pyfunc takes the call columns of schema.CALL_FEATURE_COLUMNS (models/README.md); MLflow
            # cannot infer a signature from a DataFrame type hint and says so at WARNING level.
            logging.getLogger("mlflow.pyfunc").setLevel(logging.ERROR)
            info = mlflow.pyfunc.log_model(
                name="router",
                python_model=pyfunc_model(),
                artifacts={BUNDLE_ARTIFACT: str(staged)},
                code_paths=[package_root()],
                pip_requirements=requirements(),
                registered_model_name=settings.model_name,
            )
        for name, row in result.baselines.iterrows():
            with mlflow.start_run(run_name=f"baseline-{name}", nested=True):
                mlflow.set_tags({"kind": "baseline", "baseline": str(name), "data.digest": digest})
                mlflow.log_params({"baseline": str(name), "label.definition": describe(config.label),
                                   "policy.unsafe_diversion_target": str(config.policy.unsafe_diversion_target)})
                mlflow.log_metrics({f"test.{k}": float(v) for k, v in row.items() if v == v})
        version = str(info.registered_model_version)
        client.set_registered_model_alias(settings.model_name, CHALLENGER, version)
        echo(f"MLflow run {run.info.run_id}; registered {settings.model_name} version {version} as {CHALLENGER}")
    return LoggedRun(run_id=run.info.run_id, version=version)


def _bundle_files(router: Router, result: TrainingResult, config: ExperimentConfig, digest: str) -> dict[str, str]:
    return {
        "model_card.md": model_card(router, result.metrics, config, digest),
        "metrics.json": json.dumps(result.metrics, indent=2, sort_keys=True),
    }


def _manifest(result: TrainingResult, config: ExperimentConfig, digest: str, run_id: str) -> dict:
    return {
        "run_id": run_id,
        "data_sha256": digest,
        "label": describe(config.label),
        "metrics": {k: v for k, v in result.metrics.items() if v == v},
    }
