"""Shared fixtures: the default synthetic data set and the default model, trained once per session.

Everything runs in temporary directories: a throwaway MLflow store (SQLite), bundle
directory and decision log. Nothing here reads ../shared.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from callroute.config import ExperimentConfig
from callroute.data import synth
from callroute.settings import Settings

API_KEY = "test-key-0123456789abcdef"


def default_config(data_path: Path) -> ExperimentConfig:
    """The default experiment, reading ``data_path``."""
    config = ExperimentConfig.load()
    config.data.path = data_path
    return config


@pytest.fixture(scope="session")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("callroute")


@pytest.fixture(scope="session")
def settings(workdir: Path) -> Settings:
    return Settings(
        data_dir=workdir / "data",
        models_dir=workdir / "models",
        experiments_dir=workdir / "experiments",
        api_keys=API_KEY,
    )


@pytest.fixture(scope="session")
def calls_csv(workdir: Path) -> Path:
    # The default data (60,000 calls, seed 7): the session model IS the default model, so the
    # behavioural tests judge what `make run` serves. A smaller set cannot certify the 2% target
    # (the conservative threshold needs thousands of calibration calls) and behaves differently.
    path = workdir / "calls.csv"
    defaults = ExperimentConfig().data
    synth.write(path, defaults.synth_rows, seed=defaults.synth_seed)
    return path


@pytest.fixture(scope="session")
def config(calls_csv: Path) -> ExperimentConfig:
    return default_config(calls_csv)


@pytest.fixture(scope="session")
def trained(config: ExperimentConfig, settings: Settings, calls_csv: Path):
    """Train once: ingest -> fit -> MLflow run -> registry -> promotion -> bundle."""
    from callroute.jobs.training import run_training

    return run_training(config, settings, data=calls_csv, echo=lambda _: None)


@pytest.fixture(scope="session")
def router(trained, settings: Settings):
    """The Router as served: loaded back from the exported, hash-verified bundle."""
    from callroute.registry.bundle import load_bundle

    assert trained.promoted, f"the first model should be promoted: {trained.promotion_reason}"
    loaded, _ = load_bundle(settings.resolved_bundle_dir)
    return loaded


@pytest.fixture(scope="session")
def client(router, settings: Settings):
    """An HTTP client of the app, with the lifespan run (bundle loaded, decision log open)."""
    from fastapi.testclient import TestClient

    from callroute.serving.app import create_app

    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {API_KEY}"}
