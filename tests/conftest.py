"""Shared fixtures: a tiny synthetic data set and one small model trained once per session.

Everything runs in temporary directories: a throwaway MLflow store (SQLite), bundle
directory and decision log. Nothing here reads ../shared.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from callroute import synth
from callroute.config import ExperimentConfig
from callroute.settings import Settings

API_KEY = "test-key-0123456789abcdef"


def small_config(data_path: Path) -> ExperimentConfig:
    """The default experiment, shrunk for a few thousand rows."""
    config = ExperimentConfig.load()
    config.data.path = data_path
    config.features.min_df = 2
    config.policy.min_diverted = 10
    # 800 calibration calls cannot certify a 2% upper bound (0 escalations in n gives about 3.8/n):
    # the tiny model uses the observed rate; the default model keeps the conservative rule.
    config.policy.conservative = False
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
    path = workdir / "calls.csv"
    synth.write(path, 4000, seed=11)
    return path


@pytest.fixture(scope="session")
def config(calls_csv: Path) -> ExperimentConfig:
    return small_config(calls_csv)


@pytest.fixture(scope="session")
def trained(config: ExperimentConfig, settings: Settings, calls_csv: Path):
    """Train once: ingest -> fit -> MLflow run -> registry -> promotion -> bundle."""
    from callroute.train import run_training

    return run_training(config, settings, data=calls_csv, echo=lambda _: None)


@pytest.fixture(scope="session")
def router(trained, settings: Settings):
    """The Router as served: loaded back from the exported, hash-verified bundle."""
    from callroute.bundle import load_bundle

    assert trained.promoted, f"the first model should be promoted: {trained.promotion_reason}"
    loaded, _ = load_bundle(settings.resolved_bundle_dir)
    return loaded


@pytest.fixture(scope="session")
def client(router, settings: Settings):
    """An HTTP client of the app, with the lifespan run (bundle loaded, decision log open)."""
    from fastapi.testclient import TestClient

    from callroute.api import create_app

    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {API_KEY}"}
