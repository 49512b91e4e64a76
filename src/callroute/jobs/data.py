"""Data jobs: generate synthetic calls, check a file, make sure the default training file exists."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from callroute.config import ExperimentConfig
from callroute.data import synth
from callroute.data.ingest import IngestReport, load_calls
from callroute.data.mapping import Mapping
from callroute.settings import Settings


def generate(out: Path, rows: int, seed: int, *, progress: bool = False, wording: str = "A",
             register: str | None = None) -> int:
    """``callroute data synth``: write ``rows`` synthetic calls to ``out``; return how many."""
    return synth.write(out, rows, seed, progress=progress, wording=wording, register=register)


def check(path: Path, config: ExperimentConfig, settings: Settings, *, mapping: str | None = None) -> IngestReport:
    """``callroute data check``: validate every row, quarantine the bad ones with reasons."""
    _, report = load_calls(path, label=config.label, mapping=Mapping.load(mapping),
                           quarantine_dir=settings.data_dir / "quarantine", keep=False)
    return report


def ensure_training_data(config: ExperimentConfig, data: Path | None, echo: Callable[[str], None]) -> Path:
    """The training file: ``data`` if given, else the config's default, generated first when absent.

    An explicit step of the training job (never inside fitting), so a run says when it made its data.
    """
    if data is not None:
        return Path(data)
    path = config.data.path
    if not path.exists():
        echo(f"{path} not found: generating {config.data.synth_rows} synthetic calls (seed {config.data.synth_seed})")
        generate(path, config.data.synth_rows, config.data.synth_seed)
    return path
