"""Scoring jobs with the champion bundle: one call, a file of calls, a labelled file's figures."""

from __future__ import annotations

from pathlib import Path

from callroute.config import ExperimentConfig
from callroute.data.ingest import IngestReport, load_calls
from callroute.data.mapping import Mapping
from callroute.registry.bundle import load_bundle
from callroute.routing.router import Router
from callroute.schema import CallIn, Decision
from callroute.serving.batch import score_file
from callroute.settings import Settings


def champion(settings: Settings) -> tuple[Router, dict]:
    """The exported, hash-verified champion bundle: its Router and manifest."""
    return load_bundle(settings.resolved_bundle_dir)


def predict(call: CallIn, settings: Settings) -> Decision:
    """``callroute predict``: route one call."""
    return champion(settings)[0].route(call)


def batch(in_path: Path, out_path: Path, settings: Settings, *, progress=None) -> IngestReport:
    """``callroute batch``: route every valid call of a file; quarantine the rest with reasons."""
    return score_file(in_path, out_path, champion(settings)[0], quarantine_dir=settings.data_dir / "quarantine",
                      progress=progress)


def evaluate_champion(
    path: Path, config: ExperimentConfig, settings: Settings, *, mapping: str | None = None
) -> tuple[Router, dict, IngestReport, dict[str, float]]:
    """``callroute evaluate``: the champion's figures on a labelled file."""
    from callroute.training.evaluate import evaluate

    router, manifest = champion(settings)
    loaded = Mapping.load(mapping)
    calls, report = load_calls(path, label=config.label, mapping=loaded,
                               quarantine_dir=settings.data_dir / "quarantine", require_time=False)
    metrics, _ = evaluate(router, calls, (loaded.label or config.label).name)
    return router, manifest, report, metrics
