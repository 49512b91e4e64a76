"""``callroute simulate``: what a routing policy needs in crisis teams, and what it frees up in police time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from callroute.config import ExperimentConfig
from callroute.data.ingest import IngestReport, load_calls
from callroute.data.mapping import Mapping
from callroute.registry.bundle import load_bundle
from callroute.settings import Settings
from callroute.simulation import report
from callroute.simulation.config import SimulationConfig
from callroute.simulation.engine import simulate
from callroute.training.baselines import AS_USED_CUTOFF, keyword_score, star_eligible

#: Routing policies a run can compare: the champion Router, and the two ways agencies route today
#: (training/baselines.py), each as used (no risk target) and always behind the same red-line rules.
POLICIES = ("router", "call_type_list", "keyword_rules")


@dataclass
class SimulationRun:
    """What a run wrote and found."""

    out_dir: Path
    ingest: IngestReport
    period: tuple[pd.Timestamp, pd.Timestamp]
    summaries: pd.DataFrame
    sweep: pd.DataFrame | None
    smallest: dict[str, int | None]
    model: str


def decisions(calls: pd.DataFrame, settings: Settings, policies: list[str]) -> tuple[dict[str, pd.DataFrame], str]:
    """Per policy, the calls with ``eligible`` (diverted) and ``risk`` (the Router's escalation risk)."""
    unknown = [p for p in policies if p not in POLICIES]
    if unknown:
        raise ValueError(f"unknown policy {', '.join(unknown)} (choose from {', '.join(POLICIES)})")
    router, manifest = load_bundle(settings.resolved_bundle_dir)
    assessed = router.assess(calls)
    red_line = assessed["red_line"].to_numpy(dtype=bool)
    base = calls[["received_at", "district", "call_type"]].assign(risk=assessed["escalation_risk"].to_numpy())
    label = ExperimentConfig().label.name
    if label in calls and calls[label].notna().all():
        base["escalated"] = calls[label].astype(bool).to_numpy()  # to report how often diverted calls escalated
    chosen = {
        "router": (assessed["recommendation"] == "crisis_team").to_numpy(),
        "call_type_list": ~red_line & calls["call_type"].map(star_eligible).to_numpy(dtype=bool),
        "keyword_rules": ~red_line & (calls["narrative"].map(keyword_score) <= AS_USED_CUTOFF["keyword_rules"])
        .to_numpy(dtype=bool),
    }
    name = f"{manifest.get('name', 'callroute')} v{manifest.get('version', '?')}"
    return {p: base.assign(eligible=chosen[p]) for p in policies}, name


def run(
    path: Path, settings: Settings, *, config_path: Path | None = None, mapping: str | None = None,
    since: str | None = None, until: str | None = None, policies: list[str] | None = None,
    teams: range | None = None, out_dir: Path | None = None, echo=print,
) -> SimulationRun:
    """Load calls, route them with each policy, simulate the roster (or sweep team counts), write the report."""
    config = SimulationConfig.load(config_path)
    policies = policies or (["router", "call_type_list"] if teams is not None else ["router"])
    calls, ingest = load_calls(path, label=ExperimentConfig().label, mapping=Mapping.load(mapping),
                               quarantine_dir=settings.data_dir / "quarantine", require_label=False)
    echo(ingest.summary())
    calls = _period(calls, since, until)
    first, last = calls["received_at"].min(), calls["received_at"].max()
    echo(f"simulating {len(calls):,} calls from {first:%Y-%m-%d} to {last:%Y-%m-%d}")
    routed, model = decisions(calls, settings, policies)

    out = out_dir or settings.experiments_dir / "simulations" / f"{first:%Y%m%d}-{last:%Y%m%d}"
    out.mkdir(parents=True, exist_ok=True)
    results = {p: simulate(frame, config) for p, frame in routed.items()}
    summaries = pd.DataFrame([{"policy": p, "teams_on_roster": _roster_text(config), **r.summary()}
                              for p, r in results.items()])
    figures = [report.utilisation_plot(r, out / f"utilisation-{p}.png", title=f"Team utilisation by hour ({p})")
               for p, r in results.items()]
    for p, r in results.items():
        r.calls.to_csv(out / f"calls-{p}.csv", index_label="row")
    table, smallest = None, {}
    if teams is not None:
        table = report.sweep(routed, config, teams, progress=echo)
        smallest = report.smallest_roster(table)
        table.to_csv(out / "sweep.csv", index=False)
        figures.insert(0, report.staffing_plot(table, config, out / "staffing.png"))
    summaries.to_csv(out / "summary.csv", index=False)
    level = config.service_level
    lines = [f"calls {first:%Y-%m-%d} to {last:%Y-%m-%d} from {path} ({ingest.accepted:,} accepted, "
             f"{ingest.quarantined:,} quarantined)",
             f"routing: {', '.join(model if p == 'router' else p for p in policies)}",
             f"roster: {_roster_text(config)}; fallback: {config.fallback.action} after "
             f"{config.fallback.max_wait:g} min; seed {config.seed}",
             f"service level: p90 wait <= {level.p90_wait:g} min and >= {level.served_share:.0%} of diverted calls "
             "served by a team"]
    lines += [f"smallest roster meeting it, {p}: " + (f"{k} team(s) per shift" if k is not None else "none swept")
              for p, k in smallest.items()]
    report.write_html(out / "report.html", title="callroute: capacity simulation", lines=lines,
                      summaries=summaries, figures=figures, sweep_table=table)
    (out / "config.json").write_text(json.dumps(config.model_dump(mode="json"), indent=2), "utf-8")
    return SimulationRun(out, ingest, (first, last), summaries, table, smallest, model)


def _period(calls: pd.DataFrame, since: str | None, until: str | None) -> pd.DataFrame:
    """The calls in [since, until]; by default the last 365 days of the file."""
    if calls.empty:
        raise ValueError("no accepted call to simulate")
    times = calls["received_at"]
    start = pd.Timestamp(since) if since else (times.max().normalize() - pd.Timedelta(days=364) if not until else None)
    end = pd.Timestamp(until) + pd.Timedelta(days=1) if until else None
    keep = pd.Series(True, index=calls.index)
    if start is not None:
        keep &= times >= start
    if end is not None:
        keep &= times < end
    if not keep.any():
        raise ValueError(f"no call between {since or 'the start'} and {until or 'the end'} "
                         f"(the file covers {times.min():%Y-%m-%d} to {times.max():%Y-%m-%d})")
    return calls[keep]


def _roster_text(config: SimulationConfig) -> str:
    return ", ".join(f"{s.name} {s.start:02d}-{s.end:02d}h x{s.teams}" + (f" ({s.district})" if s.district else "")
                     for s in config.roster)
