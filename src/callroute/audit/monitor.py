"""Live monitoring: logged decisions joined with reported outcomes, against the training reference.

Selective labels: an outcome tells what happened under the response that was sent. Outcomes of
calls diverted to a crisis team measure unsafe diversion directly; outcomes of calls sent to police
say little about what a team would have met (police presence changes what happens, and arrests
happen where police go). The two sides are reported separately and never pooled.

Drift needs no outcome: the served risk distribution against the test split's (PSI), the share of
narrative words the model never saw in training, and the call-type mix (PSI).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from callroute.config import MonitorConfig
from callroute.routing.router import Router
from callroute.routing.vocabulary import unseen_word_share
from callroute.stats import OUTCOME_FLAGS, call_type_shares, psi, risk_shares, wilson_interval


@dataclass
class MonitorReport:
    """What the monitor found: figures, per-district figures, calibration bins, and alerts."""

    figures: dict[str, float] = field(default_factory=dict)
    districts: pd.DataFrame = field(default_factory=pd.DataFrame)
    calibration: pd.DataFrame = field(default_factory=pd.DataFrame)
    alerts: list[str] = field(default_factory=list)
    period: tuple[str, str] = ("", "")

    def as_dict(self) -> dict:
        """Plain data (JSON output and the state file the server's gauges read)."""
        def clean(value: float) -> float | None:
            return None if isinstance(value, float) and math.isnan(value) else value

        return {"period": list(self.period), "figures": {k: clean(v) for k, v in self.figures.items()},
                "districts": json.loads(self.districts.to_json(orient="index")) if len(self.districts) else {},
                "calibration": json.loads(self.calibration.to_json(orient="records")) if len(self.calibration) else [],
                "alerts": self.alerts}


def _escalated(outcomes: list[dict]) -> bool | None:
    """Any outcome flag set in any report on the call; None when no outcome was reported."""
    if not outcomes:
        return None
    return any(bool(o.get(flag)) for o in outcomes for flag in OUTCOME_FLAGS)


def decisions_frame(rows: list[dict]) -> pd.DataFrame:
    """Logged decisions (rows of ``DecisionLog.export_rows``) as one table with the outcome joined."""
    records = []
    for row in rows:
        call, decision = json.loads(row["call_json"]), json.loads(row["decision_json"])
        outcomes = json.loads(row["outcomes"]) if row.get("outcomes") else []
        records.append({
            "request_id": row["request_id"], "logged_at": row["logged_at"], "district": call.get("district"),
            "call_type": call.get("call_type"), "narrative": call.get("narrative", ""),
            "recommendation": decision["recommendation"], "risk": float(decision["escalation_risk"]),
            "red_line": bool(decision.get("rules_fired")), "escalated": _escalated(outcomes),
        })
    return pd.DataFrame(records, columns=["request_id", "logged_at", "district", "call_type", "narrative",
                                          "recommendation", "risk", "red_line", "escalated"])


def _side(frame: pd.DataFrame) -> dict[str, float]:
    known = frame[frame["escalated"].notna()]
    n, k = len(known), int(known["escalated"].astype(bool).sum())
    low, high = wilson_interval(k, n) if n else (math.nan, math.nan)
    return {"calls": float(len(frame)), "with_outcome": float(n), "escalated": float(k),
            "rate": k / n if n else math.nan, "ci_low": low, "ci_high": high}


def _calibration(frame: pd.DataFrame, side: str, bins: int = 5) -> pd.DataFrame:
    """Expected (mean risk) against observed escalation in equal-count risk bins, one side at a time."""
    known = frame[frame["escalated"].notna()]
    if len(known) < bins:
        return pd.DataFrame()
    groups = pd.qcut(known["risk"].rank(method="first"), q=bins, labels=False)
    table = known.groupby(groups).agg(calls=("risk", "size"), expected=("risk", "mean"),
                                      observed=("escalated", lambda s: float(s.astype(bool).mean())))
    table.insert(0, "side", side)
    return table.reset_index(drop=True)


def monitor(rows: list[dict], router: Router, config: MonitorConfig, *, target: float) -> MonitorReport:
    """Figures and alerts for the logged decisions ``rows`` served by ``router`` (its training reference)."""
    frame = decisions_frame(rows)
    report = MonitorReport()
    if frame.empty:
        report.alerts.append("no logged decision in the period")
        return report
    report.period = (str(frame["logged_at"].min()), str(frame["logged_at"].max()))
    diverted = frame[frame["recommendation"] == "crisis_team"]
    police = frame[frame["recommendation"] == "police"]
    f = report.figures
    f["target"] = target
    f["min_decisions"] = float(config.min_decisions)
    f["decisions"] = float(len(frame))
    f["diverted_share"] = len(diverted) / len(frame)
    f["outcome_coverage"] = float(frame["escalated"].notna().mean())
    for name, side in (("diverted", _side(diverted)), ("police", _side(police))):
        f.update({f"{name}_{k}": v for k, v in side.items()})
    reference = router.metadata.get("reference", {})
    if reference:
        f["risk_psi"] = psi(reference["risk_shares"], risk_shares(frame["risk"].to_numpy(), reference["risk_edges"]))
        f["unseen_word_share"] = unseen_word_share(frame["narrative"], router)
        f["unseen_word_share_reference"] = reference["unseen_word_share"]
        observed_types = call_type_shares(frame["call_type"], list(reference["call_type_shares"]))
        f["call_type_psi"] = psi(list(reference["call_type_shares"].values()), list(observed_types.values()))
    report.calibration = pd.concat([_calibration(diverted, "crisis_team"), _calibration(police, "police")],
                                   ignore_index=True)
    rows_by_district = {}
    for district, part in frame.groupby(frame["district"].fillna("no_district")):
        side = _side(part[part["recommendation"] == "crisis_team"])
        rows_by_district[district] = {"decisions": float(len(part)),
                                      "diverted_share": float((part["recommendation"] == "crisis_team").mean()),
                                      **{f"diverted_{k}": v for k, v in side.items()}}
    report.districts = pd.DataFrame.from_dict(rows_by_district, orient="index")
    report.alerts = _alerts(f, report.districts, config, target)
    return report


def _alerts(f: dict[str, float], districts: pd.DataFrame, config: MonitorConfig, target: float) -> list[str]:
    """Each configured threshold crossed, as a line a program manager can act on."""
    alerts = []
    if f["diverted_with_outcome"] >= config.min_outcomes and f["diverted_ci_low"] > target:
        alerts.append(f"unsafe diversion: {f['diverted_rate']:.2%} of diverted calls with an outcome escalated "
                      f"(95% CI {f['diverted_ci_low']:.2%}-{f['diverted_ci_high']:.2%}), above the target {target:.0%}")
    for district, row in districts.iterrows():
        if row["diverted_with_outcome"] >= config.min_outcomes and row["diverted_ci_low"] > target:
            alerts.append(f"unsafe diversion in {district}: {row['diverted_rate']:.2%} (95% CI "
                          f"{row['diverted_ci_low']:.2%}-{row['diverted_ci_high']:.2%}), above the target {target:.0%}")
    if f["decisions"] >= config.min_outcomes and f["outcome_coverage"] < config.min_outcome_coverage:
        alerts.append(f"outcome coverage: {f['outcome_coverage']:.0%} of decisions have a reported outcome "
                      f"(configured minimum {config.min_outcome_coverage:.0%}): unsafe diversion cannot be watched")
    if f["decisions"] < config.min_decisions:
        return alerts  # drift over a handful of calls is noise: the report says how many there are
    if f.get("risk_psi", 0.0) > config.risk_psi:
        alerts.append(f"risk drift: PSI {f['risk_psi']:.3f} of served risks against the test split "
                      f"(alert above {config.risk_psi})")
    rise = f.get("unseen_word_share", 0.0) - f.get("unseen_word_share_reference", 0.0)
    if rise > config.unseen_word_rise:
        alerts.append(f"wording drift: {f['unseen_word_share']:.1%} of narrative words never seen in "
                      f"training (test split {f['unseen_word_share_reference']:.1%}; alert above "
                      f"+{config.unseen_word_rise:.0%})")
    if f.get("call_type_psi", 0.0) > config.call_type_psi:
        alerts.append(f"call-type mix drift: PSI {f['call_type_psi']:.3f} (alert above {config.call_type_psi})")
    return alerts


def monitor_state_path(decision_log: Path) -> Path:
    """Where ``callroute monitor`` leaves its last result for the server: beside the decision log."""
    return Path(decision_log).with_name(Path(decision_log).name + ".monitor.json")


def write_state(path: Path, report: MonitorReport, checked_at: str) -> None:
    """The alerts and figures for the server's gauges (``callroute_monitor_*`` in /metrics)."""
    path.write_text(json.dumps({"checked_at": checked_at, **report.as_dict()}, indent=2), "utf-8")


def read_state(path: Path) -> dict | None:
    """The last monitor run's state, or None when the monitor has not run (or the file is unreadable)."""
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None


ALERT_KINDS = ("unsafe diversion", "outcome coverage", "risk drift", "wording drift", "call-type mix drift")


def alert_kinds(alerts: list[str]) -> dict[str, int]:
    """1 for each kind of alert raised (district alerts count as unsafe diversion), else 0."""
    return {kind: int(any(a.startswith(kind) for a in alerts)) for kind in ALERT_KINDS}


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
    if "risk_psi" in f and f["decisions"] < f.get("min_decisions", 0):
        lines.append(f"  drift: not judged on {f['decisions']:.0f} decisions (alerts from {f['min_decisions']:.0f})")
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
