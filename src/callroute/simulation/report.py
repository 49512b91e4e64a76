"""Staffing sweeps, their plots (PNG) and the HTML report a program manager opens."""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on servers; must precede pyplot
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from callroute.simulation.config import SimulationConfig
from callroute.simulation.engine import SimulationResult, simulate

SWEEP_COLUMNS = ["policy", "teams", "eligible_per_day", "served_share", "wait_p90", "served_wait_median",
                 "response_p90", "utilisation", "police_hours_freed", "served_escalated_rate", "cost_per_team_call",
                 "meets_service_level"]


def sweep(
    decisions: dict[str, pd.DataFrame], config: SimulationConfig, teams: range,
    progress: Callable[[str], None] = lambda _: None,
) -> pd.DataFrame:
    """One simulation per policy and per team count (``teams`` on every shift), as a table."""
    rows = []
    for policy, calls in decisions.items():
        for k in teams:
            summary = simulate(calls, config.with_teams(k)).summary()
            rows.append({"policy": policy, "teams": k, **summary,
                         "meets_service_level": meets(summary, config)})
            progress(f"{policy}: {k} team(s) per shift: served {summary['served_share']:.1%}, "
                     f"p90 wait {summary['wait_p90']:.1f} min")
    return pd.DataFrame(rows)


def meets(summary: dict[str, float], config: SimulationConfig) -> bool:
    """Whether a run meets the configured service level (p90 wait and served share of diverted calls)."""
    level = config.service_level
    return bool(summary["wait_p90"] <= level.p90_wait and summary["served_share"] >= level.served_share)


def smallest_roster(table: pd.DataFrame) -> dict[str, int | None]:
    """Per policy, the fewest teams per shift that meet the service level (None: no swept roster does)."""
    out: dict[str, int | None] = {}
    for policy, rows in table.groupby("policy", sort=False):
        ok = rows[rows["meets_service_level"]]
        out[str(policy)] = int(ok["teams"].min()) if len(ok) else None
    return out


def staffing_plot(table: pd.DataFrame, config: SimulationConfig, path: Path) -> Path:
    """Served share and p90 wait against teams per shift, one line per policy, with the service level."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for policy, rows in table.groupby("policy", sort=False):
        left.plot(rows["teams"], rows["served_share"] * 100, marker="o", label=str(policy))
        right.plot(rows["teams"], rows["wait_p90"], marker="o", label=str(policy))
    left.axhline(config.service_level.served_share * 100, linestyle="--", color="grey", label="service level")
    right.axhline(config.service_level.p90_wait, linestyle="--", color="grey", label="service level")
    left.set_xlabel("crisis teams on each shift")
    left.set_ylabel("diverted calls served by a team (%)")
    left.set_ylim(0, 101)
    for axis in (left, right):
        axis.xaxis.set_major_locator(MaxNLocator(integer=True))
    right.set_xlabel("crisis teams on each shift")
    right.set_ylabel("90th percentile wait for a team (minutes)")
    right.set_ylim(bottom=0)
    left.legend(loc="lower right")
    right.legend(loc="upper right")
    fig.suptitle("Staffing curve")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def utilisation_plot(result: SimulationResult, path: Path, *, title: str) -> Path:
    """Team utilisation and diverted-call arrivals by hour of the day."""
    fig, ax = plt.subplots(figsize=(8, 4))
    hours = np.arange(24)
    ax.bar(hours, np.nan_to_num(result.utilisation_by_hour()) * 100, color="tab:blue", alpha=0.7,
           label="team utilisation (%)")
    ax.set_xlabel("hour of the day")
    ax.set_ylabel("busy share of rostered team time (%)")
    ax.set_xticks(hours[::2])
    eligible = result.calls[result.calls["eligible"]]
    per_hour = eligible["received_at"].dt.hour.value_counts().reindex(hours, fill_value=0) / (result.horizon / 1440)
    twin = ax.twinx()
    twin.plot(hours, per_hour.to_numpy(), color="tab:orange", marker=".", label="diverted calls per day")
    twin.set_ylabel("diverted calls arriving per day")
    twin.set_ylim(bottom=0)
    handles = ax.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    ax.legend(handles, [h.get_label() for h in handles], loc="upper left")
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _figure(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img alt="{html.escape(path.stem)}" src="data:image/png;base64,{data}">'


def _table(frame: pd.DataFrame) -> str:
    def cell(value: object) -> str:
        if isinstance(value, float):
            return "" if math.isnan(value) else f"{value:,.3f}" if abs(value) < 10 else f"{value:,.0f}"
        return html.escape(str(value))

    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f"<table><tr>{head}</tr>{body}</table>"


def write_html(
    path: Path, *, title: str, lines: list[str], summaries: pd.DataFrame, figures: list[Path],
    sweep_table: pd.DataFrame | None = None,
) -> Path:
    """A self-contained HTML page (figures embedded) with the run's figures and tables."""
    # One column per policy, one row per figure: a run has some thirty figures, too many for one wide row.
    runs = summaries.set_index("policy").T.reset_index().rename(columns={"index": "figure"})
    parts = [f"<h1>{html.escape(title)}</h1>", "<ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in lines) + "</ul>",
             "<h2>Runs</h2>", _table(runs)]
    if sweep_table is not None:
        parts += ["<h2>Staffing sweep</h2>", _table(sweep_table[SWEEP_COLUMNS])]
    parts += [_figure(p) for p in figures]
    style = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:collapse;"
             "margin:1em 0;display:block;overflow-x:auto}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
             "img{max-width:100%}")
    path.write_text(f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
                    f"<style>{style}</style></head><body>{''.join(parts)}</body></html>", "utf-8")
    return path
