"""Experiment files: every shipped one is valid; mistakes are reported, not ignored."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from callroute.config import ExperimentConfig

EXPERIMENTS = sorted((Path(__file__).parents[3] / "experiments").glob("*.toml"))


@pytest.mark.parametrize("path", EXPERIMENTS, ids=lambda p: p.name)
def test_every_shipped_experiment_loads(path: Path) -> None:
    config = ExperimentConfig.load(path)
    assert config.name == path.stem, f"{path.name} should be named after its file, got {config.name!r}"


def test_shipped_experiments_exist() -> None:
    assert len(EXPERIMENTS) >= 3, EXPERIMENTS


def test_unknown_key_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "typo.toml"
    path.write_text("[policy]\nunsafe_diversion_targte = 0.01\n")
    with pytest.raises(ValidationError, match="unsafe_diversion_targte"):
        ExperimentConfig.load(path)


def test_splits_must_leave_a_test_set(tmp_path: Path) -> None:
    path = tmp_path / "split.toml"
    path.write_text("[split]\ntrain = 0.7\ncalibration = 0.3\n")
    with pytest.raises(ValidationError, match="test split"):
        ExperimentConfig.load(path)


def test_overrides_keep_other_defaults(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text("[model]\nC = 0.5\n")
    config = ExperimentConfig.load(path)
    assert config.model.C == 0.5 and config.policy.unsafe_diversion_target == 0.02
