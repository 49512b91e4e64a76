"""``callroute monitor``: the served model's logged decisions and outcomes, against its training reference."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from callroute.audit.decisions import DecisionLog
from callroute.audit.monitor import MonitorReport, monitor, monitor_state_path, render, write_state
from callroute.config import ExperimentConfig
from callroute.registry.bundle import load_bundle
from callroute.settings import Settings


def run(settings: Settings, config: ExperimentConfig, *, since: str | None = None, until: str | None = None,
        log_path: Path | None = None) -> MonitorReport:
    """Monitor the decisions logged in [since, until] and leave the result for the server's gauges."""
    path = Path(log_path) if log_path is not None else settings.resolved_decision_log
    if not path.exists():
        raise FileNotFoundError(f"{path}: no decision log")
    router, _ = load_bundle(settings.resolved_bundle_dir)
    log = DecisionLog(path)
    try:
        rows = log.export_rows(since=since, until=until)
    finally:
        log.close()
    report = monitor(rows, router, config.monitor, target=router.policy.unsafe_diversion_target)
    write_state(monitor_state_path(path), report, datetime.now(UTC).isoformat(timespec="seconds"))
    return report

__all__ = ["render", "run"]
