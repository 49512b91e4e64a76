"""The training job: data -> ingest -> train and evaluate -> MLflow run -> registry -> gate -> bundle."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from callroute.config import ExperimentConfig
from callroute.data.ingest import load_calls
from callroute.data.mapping import Mapping
from callroute.jobs.data import ensure_training_data
from callroute.registry.bundle import is_current_format
from callroute.registry.gate import promotion_gate
from callroute.registry.runs import log_training, record_gate
from callroute.registry.store import connect, current_champion, promote
from callroute.settings import Settings
from callroute.training.fit import TrainingResult, train_and_evaluate


@dataclass
class TrainingJobResult(TrainingResult):
    """A training's results plus where the job put them."""

    started_at: float = 0.0  # wall-clock start of the job (the MLflow run's start time)
    run_id: str | None = None
    version: str | None = None
    promoted: bool = False
    promotion_reason: str = ""


def run_training(
    config: ExperimentConfig,
    settings: Settings,
    *,
    data: Path | None = None,
    echo: Callable[[str], None] = print,
    track: bool = True,
) -> TrainingJobResult:
    """Train, evaluate on the time-split test set, log to MLflow, register and maybe promote."""
    started, started_wall = time.perf_counter(), time.time()
    path = ensure_training_data(config, data, echo)
    mapping = Mapping.load(config.data.mapping)
    if mapping.label is not None:  # the mapping defines the label; the run records that definition
        config = config.model_copy(update={"label": mapping.label})
    calls, report = load_calls(path, label=config.label, mapping=mapping,
                               quarantine_dir=settings.data_dir / "quarantine")
    echo(report.summary())
    if report.accepted == 0:
        reason, count = report.reasons.most_common(1)[0] if report.reasons else ("no data rows", 0)
        raise ValueError(f"{path}: no call to train on: all {report.read} rows were set aside ({count} for "
                         f"\"{reason}\"; every row with its reason: {report.quarantine_path})")
    ingest_seconds = time.perf_counter() - started
    trained = train_and_evaluate(calls, report, config, name=settings.model_name, echo=echo)
    trained.seconds = {"ingest": ingest_seconds, **trained.seconds, "total": time.perf_counter() - started}
    result = TrainingJobResult(**vars(trained), started_at=started_wall)
    if not track:
        return result

    logged = log_training(result, config=config, settings=settings, data_path=path, echo=echo)
    result.run_id, result.version = logged.run_id, logged.version
    champion = current_champion(connect(settings), settings)
    if champion is not None and not is_current_format(settings.resolved_bundle_dir):
        # After an upgrade the old champion cannot be served at all: the new model is not compared with it.
        echo(f"the champion (version {champion.version}) has no servable bundle in {settings.resolved_bundle_dir} "
             "(missing, written by an older callroute, or by other scoring code): it is not compared")
        champion = None
    decision = promotion_gate(result.metrics, champion.metrics if champion else None, config,
                              champion_version=champion.version if champion else "?")
    result.promoted, result.promotion_reason = decision.promoted, decision.reason
    echo(f"promotion gate: {decision.reason}")
    record_gate(settings, logged.run_id, decision.promoted, decision.reason)
    if decision.promoted:
        promote(logged.version, settings, echo=echo, why=f"promotion gate: {decision.reason}")
    return result
