"""Fixtures shared by the integration tests that run the command line."""

from __future__ import annotations

import pytest


@pytest.fixture
def env(monkeypatch, settings, router):
    """Point the CLI's settings at the session's trained store and bundle."""
    monkeypatch.setenv("CALLROUTE_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("CALLROUTE_MODELS_DIR", str(settings.models_dir))
    monkeypatch.setenv("CALLROUTE_EXPERIMENTS_DIR", str(settings.experiments_dir))
    return settings
