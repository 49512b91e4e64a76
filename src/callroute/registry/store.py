"""The MLflow store: connection, aliases, the champion's figures, and exporting a version's bundle.

Registry flow (docs/design.md): every trained model is registered and gets the alias
``challenger``; the promotion gate (:mod:`.gate`) decides whether ``champion`` moves to it,
and the champion is exported to the serving directory (``models/champion``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from callroute.registry import bundle
from callroute.settings import Settings

if TYPE_CHECKING:
    from callroute.routing.router import Router

CHAMPION = "champion"
CHALLENGER = "challenger"



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
    client = MlflowClient(tracking_uri=settings.resolved_tracking_uri, registry_uri=settings.resolved_tracking_uri)
    _hide_empty_default(client, settings.experiment_name)
    return client


def _hide_empty_default(client, ours: str) -> None:
    """Delete (softly: MLflow keeps it as deleted) the "Default" experiment a new store creates, when it is empty.

    Auditors opening the UI saw an empty "Default" beside ours and asked what ran there. One with runs is kept.
    """
    if ours == "Default":
        return
    default = client.get_experiment_by_name("Default")
    if default is None or default.lifecycle_stage != "active":
        return
    if not client.search_runs([default.experiment_id], max_results=1, run_view_type=3):
        client.delete_experiment(default.experiment_id)


@dataclass(frozen=True)
class Champion:
    """The current champion's version and the test figures its run logged."""

    version: str
    run_id: str
    metrics: dict[str, float]


def current_champion(client, settings: Settings) -> Champion | None:
    """The model version aliased ``champion`` with its run's test metrics, or None when there is none."""
    from mlflow.exceptions import MlflowException

    try:
        version = client.get_model_version_by_alias(settings.model_name, CHAMPION)
    except MlflowException:
        return None
    logged = client.get_run(version.run_id).data.metrics
    metrics = {k.removeprefix("test."): v for k, v in logged.items() if k.startswith("test.")}
    return Champion(version=str(version.version), run_id=version.run_id, metrics=metrics)


def set_alias(client, settings: Settings, alias: str, version: str, why: str) -> dict:
    """Move ``alias`` to ``version`` and record who, when, from which version and why.

    The record goes to the model version's tags (``alias.<alias>.by/at/why``) and, append-only, to
    ``<experiments>/aliases.jsonl``: the registry keeps only the current alias, the file keeps the history.
    """
    import getpass
    import json
    from datetime import UTC, datetime

    from mlflow.exceptions import MlflowException

    try:
        previous = str(client.get_model_version_by_alias(settings.model_name, alias).version)
    except MlflowException:
        previous = None
    who = os.environ.get("CALLROUTE_USER") or getpass.getuser()
    record = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "alias": alias, "model": settings.model_name,
              "version": str(version), "previous": previous, "by": who, "why": why}
    client.set_registered_model_alias(settings.model_name, alias, str(version))
    for key in ("by", "at", "why"):
        client.set_model_version_tag(settings.model_name, str(version), f"alias.{alias}.{key}", record[key])
    history = settings.experiments_dir / "aliases.jsonl"
    history.parent.mkdir(parents=True, exist_ok=True)
    with history.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return record


def alias_history(settings: Settings) -> list[dict]:
    """Every alias change recorded in ``aliases.jsonl``, oldest first."""
    import json

    path = settings.experiments_dir / "aliases.jsonl"
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()] if path.exists() else []


def load_version(version: str, settings: Settings) -> Router:
    """The Router of a registered version, from its logged bundle (hash-verified and recompiled at load)."""
    import mlflow

    connect(settings).get_model_version(settings.model_name, str(version))  # a clear error for an unknown one
    with tempfile.TemporaryDirectory() as tmp:
        local = Path(mlflow.artifacts.download_artifacts(f"models:/{settings.model_name}/{version}", dst_path=tmp))
        router, _ = bundle.load_bundle(next(local.rglob(bundle.MANIFEST_FILE)).parent)
    router.version = str(version)
    return router


def promote(version: str, settings: Settings, *, echo: Callable[[str], None] = print,
            why: str = "promoted by hand (callroute promote)") -> Path:
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
    set_alias(client, settings, CHAMPION, str(version), why)
    echo(f"version {version} (run {model_version.run_id}) is now {CHAMPION}; bundle exported to {target}")
    return target
