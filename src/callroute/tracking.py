"""MLflow: one run per training, the model registry, the promotion gate and bundle export.

Registry flow (DESIGN.md): every trained model is registered and gets the alias
``challenger``; the promotion gate moves ``champion`` to it when it diverts at
least as many calls as the current champion (within a tolerance) while meeting
the unsafe-diversion target, and the champion is exported to ``models/champion``.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from callroute import __version__, baselines, bundle
from callroute.labels import describe
from callroute.plots import reliability_diagram, risk_histogram
from callroute.settings import Settings

if TYPE_CHECKING:
    from callroute.config import ExperimentConfig
    from callroute.router import Router
    from callroute.train import TrainingResult

CHAMPION = "champion"
CHALLENGER = "challenger"
BUNDLE_ARTIFACT = "bundle"


def connect(settings: Settings):
    """Point MLflow at the configured store and return a client (nothing happens at import time)."""
    import mlflow
    from mlflow import MlflowClient

    settings.experiments_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    mlflow.set_tracking_uri(settings.resolved_tracking_uri)
    mlflow.set_registry_uri(settings.resolved_tracking_uri)
    if mlflow.get_experiment_by_name(settings.experiment_name) is None:
        mlflow.create_experiment(settings.experiment_name, artifact_location=settings.artifact_root.as_uri())
    mlflow.set_experiment(settings.experiment_name)
    return MlflowClient(tracking_uri=settings.resolved_tracking_uri, registry_uri=settings.resolved_tracking_uri)


def _pyfunc_class():
    """The pyfunc wrapper class, defined on first use so importing callroute never imports MLflow."""
    import mlflow.pyfunc

    class _RouterPyfunc(mlflow.pyfunc.PythonModel):
        """The Router as an MLflow pyfunc model, for batch scoring on Spark or ``mlflow models``."""

        def load_context(self, context):
            self.router, _ = bundle.load_bundle(Path(context.artifacts[BUNDLE_ARTIFACT]))

        def predict(self, context, model_input: pd.DataFrame, params: dict | None = None) -> pd.DataFrame:
            return self.router.assess(pd.DataFrame(model_input))

    return _RouterPyfunc


def file_digest(path: Path) -> str:
    """sha256 of the training file, the dataset digest recorded with the run."""
    return bundle.sha256_file(path)


def model_card(router: Router, metrics: dict[str, float], config: ExperimentConfig, data_digest: str) -> str:
    """A short model card, shipped in the bundle and logged with the run."""
    rows = "\n".join(f"| {k} | {v:.4f} |" for k, v in sorted(metrics.items()))
    return f"""# Model card: {router.name} (version {router.version})

**Intended use.** Decision support for 911 dispatch: recommend an unarmed crisis team or police for a
call, with a calibrated escalation risk and an explanation. A dispatcher decides; red-line rules
({router.ruleset.ruleset_id}) force police whatever the model says.

**Label.** {describe(config.label)}. Arrests are not used: they happen mostly where police went.

**Data.** sha256 {data_digest}; time split train {config.split.train:.0%} / calibration
{config.split.calibration:.0%} / test (newest calls).

**Policy.** Divert when escalation risk <= {router.policy.threshold:.4f}, chosen on the calibration split
for an unsafe-diversion target of {router.policy.unsafe_diversion_target:.1%}.

**Test-split figures.**

| metric | value |
|---|---|
{rows}

**Limits.** Trained on the data above only; on another agency's calls, retrain and re-check calibration.
Narrative demographic descriptors are masked before features.
"""


def log_training(
    result: TrainingResult,
    *,
    config: ExperimentConfig,
    settings: Settings,
    data_path: Path,
    echo: Callable[[str], None] = print,
) -> None:
    """Log the run, register the model as challenger, apply the promotion gate."""
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
                python_model=_pyfunc_class()(),
                artifacts={BUNDLE_ARTIFACT: str(staged)},
                code_paths=[str(Path(__file__).parent)],
                pip_requirements=_requirements(),
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
        result.run_id, result.version = run.info.run_id, version
        echo(f"MLflow run {run.info.run_id}; registered {settings.model_name} version {version} as {CHALLENGER}")

    promoted, reason = promotion_gate(client, settings, result.metrics, config)
    result.promoted, result.promotion_reason = promoted, reason
    echo(f"promotion gate: {reason}")
    if promoted:
        promote(version, settings, echo=echo)


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


def _requirements() -> list[str]:
    from importlib.metadata import version

    return [f"{name}=={version(name)}" for name in ("scikit-learn", "pandas", "numpy", "scipy", "joblib", "pydantic")]


def promotion_gate(client, settings: Settings, metrics: dict[str, float], config: ExperimentConfig) -> tuple[bool, str]:
    """Decide whether the new challenger should become champion, and say why."""
    target = config.policy.unsafe_diversion_target
    if config.split.method != "time":
        return False, "not promoted: only a time split measures what a model will meet on newer calls"
    # Safety first: a challenger whose diverted test calls escalate above the target is refused,
    # however many calls it would divert.
    if metrics["unsafe_diversion_rate"] > target:
        return False, (
            f"not promoted: unsafe-diversion rate {metrics['unsafe_diversion_rate']:.2%} on the test split "
            f"(95% CI {metrics['unsafe_diversion_ci_low']:.2%}-{metrics['unsafe_diversion_ci_high']:.2%}) "
            f"is above the target {target:.2%}"
        )
    try:
        champion = client.get_model_version_by_alias(settings.model_name, CHAMPION)
    except Exception:
        return True, "promoted: there was no champion"
    previous = client.get_run(champion.run_id).data.metrics.get("test.diverted_share", 0.0)
    tolerance = config.promotion.diverted_share_tolerance
    if metrics["diverted_share"] > previous - tolerance:  # a tie keeps the champion: no churn without a gain
        return True, (
            f"promoted: diverted share {metrics['diverted_share']:.2%} vs champion v{champion.version} "
            f"{previous:.2%} (tolerance {tolerance:.2%})"
        )
    return False, (
        f"not promoted: diverted share {metrics['diverted_share']:.2%} does not exceed champion "
        f"v{champion.version}'s {previous:.2%} minus tolerance {tolerance:.2%}"
    )


def promote(version: str, settings: Settings, *, echo: Callable[[str], None] = print) -> Path:
    """Make a registered version the champion and export its bundle to the serving directory."""
    import mlflow

    client = connect(settings)
    model_version = client.get_model_version(settings.model_name, str(version))
    with tempfile.TemporaryDirectory() as tmp:
        local = Path(mlflow.artifacts.download_artifacts(f"models:/{settings.model_name}/{version}", dst_path=tmp))
        source = next(local.rglob(bundle.MANIFEST_FILE)).parent
        router, manifest = bundle.load_bundle(source)
        router.version = str(version)
        extra = {name: (source / name).read_text("utf-8") for name in manifest["files"]
                 if name not in (bundle.ROUTER_FILE,)}
        keep = {k: manifest[k] for k in ("run_id", "data_sha256", "label", "metrics") if k in manifest}
        target = bundle.write_bundle(router, settings.resolved_bundle_dir, extra_files=extra, manifest=keep)
    client.set_registered_model_alias(settings.model_name, CHAMPION, str(version))
    echo(f"version {version} (run {model_version.run_id}) is now {CHAMPION}; bundle exported to {target}")
    return target
