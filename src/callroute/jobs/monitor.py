"""``callroute monitor``: the served model's logged decisions and reported outcomes, against its training reference."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from callroute.audit.decisions import DecisionLog
from callroute.audit.monitor import MonitorReport, monitor, monitor_state_path, write_state
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


def render(report: MonitorReport) -> str:
    """The report as text: figures, both sides of the outcomes apart, districts, calibration, alerts."""
    f = report.figures
    target = f.get("target", 0.0)
    if not f:
        return "\n".join(f"ALERT: {a}" for a in report.alerts)
    lines = [f"decisions {report.period[0]} .. {report.period[1]}: {f['decisions']:.0f}, "
             f"diverted {f['diverted_share']:.1%}, outcome reported for {f['outcome_coverage']:.1%}"]
    for side, label in (("diverted", "sent to the crisis team"), ("police", "sent to police")):
        if f[f"{side}_with_outcome"]:
            lines.append(f"  {label}: {f[f'{side}_with_outcome']:.0f} with an outcome, {f[f'{side}_rate']:.2%} "
                         f"escalated (95% CI {f[f'{side}_ci_low']:.2%}-{f[f'{side}_ci_high']:.2%})"
                         + (f"; target {target:.0%}" if side == "diverted" else
                            "; not comparable: police presence changes what happens (selective labels)"))
        else:
            lines.append(f"  {label}: no outcome reported yet")
    if "risk_psi" not in f:
        lines.append("  drift: not measured (the served model was trained before callroute kept a training "
                     "reference; retrain it)")
    else:
        lines.append(f"  drift: risk PSI {f['risk_psi']:.3f}, never-seen words {f['unseen_word_share']:.1%} "
                     f"(test split {f['unseen_word_share_reference']:.1%}), call-type mix PSI {f['call_type_psi']:.3f}")
    if len(report.districts):
        lines.append("  per district (diverted calls with an outcome: escalated, 95% CI):")
        for district, row in report.districts.iterrows():
            rate = (f"{row['diverted_rate']:.2%} ({row['diverted_ci_low']:.2%}-{row['diverted_ci_high']:.2%})"
                    if row["diverted_with_outcome"] else "no outcome yet")
            lines.append(f"    {district:<12} {row['decisions']:>6.0f} decisions, diverted "
                         f"{row['diverted_share']:.1%}, {row['diverted_with_outcome']:.0f} with outcome: {rate}")
    if len(report.calibration):
        lines.append("  calibration (equal-count risk bins, each side apart): side, calls, expected, observed")
        for row in report.calibration.itertuples():
            lines.append(f"    {row.side:<11} {row.calls:>5} {row.expected:7.2%} {row.observed:7.2%}")
    lines += [f"ALERT: {a}" for a in report.alerts] or ["no alert"]
    return "\n".join(lines)
