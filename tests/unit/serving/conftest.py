"""A tiny fitted Router swapped into the app through ``dependency_overrides``.

Tests of validation and authentication need *a* Router, not the default model: this one is
fitted on 1,500 generated calls in about a second, so they never wait for the session model.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from callroute.audit.decisions import DecisionLog
from callroute.config import ExperimentConfig
from callroute.data import synth
from callroute.data.ingest import load_calls
from callroute.serving.app import create_app
from callroute.serving.deps import get_call_router, get_decision_log, get_manifest
from callroute.settings import Settings
from callroute.training.fit import fit_router, time_split

API_KEY = "unit-test-key-0123456789"


@pytest.fixture(scope="session")
def tiny_router(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("tiny")
    synth.write(folder / "calls.csv", 1500, seed=11)
    config = ExperimentConfig()
    calls, _ = load_calls(folder / "calls.csv", label=config.label)
    return fit_router(time_split(pd.DataFrame(calls), config), config, name="tiny")


@pytest.fixture
def api_client(tiny_router, tmp_path: Path):
    """A client of the real app whose Router and decision log are swapped in (no bundle, no lifespan)."""
    from fastapi.testclient import TestClient

    app = create_app(Settings(api_keys=API_KEY, data_dir=tmp_path))
    log = DecisionLog(tmp_path / "decisions.sqlite")
    app.dependency_overrides[get_call_router] = lambda: tiny_router
    app.dependency_overrides[get_decision_log] = lambda: log
    app.dependency_overrides[get_manifest] = lambda: {"run_id": "tiny", "metrics": {}}
    yield TestClient(app)
    log.close()


@pytest.fixture
def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {API_KEY}"}
