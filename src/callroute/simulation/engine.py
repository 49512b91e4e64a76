"""A discrete-event simulation (SimPy) of crisis teams taking the calls a routing policy diverts.

Calls arrive at their recorded times. A call the policy sends to police stays with police: the
simulator never touches it. A diverted call asks its district's team pool (or the city-wide pool) for
a free team; teams come on duty with their shifts and go off duty at the end of them (a team busy at
the end of its shift finishes the call first, counted as overtime). When no team is free within the
fallback's wait, the call goes back to police (or keeps waiting, for ``hold``, up to its limit). The
simulator only ever moves diverted calls back to police, never the reverse.

Random service times are drawn per call before the run, in call order, so the same seed gives the same
result whatever order events happen in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import simpy

from callroute.simulation.config import SimulationConfig

RESPONDERS = ("police", "crisis_team", "police_fallback", "police_coresponder")
_DAY = 1440.0


@dataclass
class _Team:
    pool: str | None
    off_at: float


@dataclass
class SimulationResult:
    """Per-call outcomes and the team time the run observed."""

    calls: pd.DataFrame  # arrival, district, eligible, risk, responder, wait, travel, service (minutes)
    config: SimulationConfig
    start: pd.Timestamp
    horizon: float  # minutes from ``start`` to the end of the last day
    staffed_by_hour: np.ndarray = field(default_factory=lambda: np.zeros(24))  # on-duty team-minutes
    busy_by_hour: np.ndarray = field(default_factory=lambda: np.zeros(24))  # team-minutes on calls
    overtime_minutes: float = 0.0
    queue_area: float = 0.0  # integral over time of the number of calls waiting for a team

    def summary(self) -> dict[str, float]:
        """The figures a program manager reads (see README, "Staffing")."""
        c = self.calls
        eligible = c[c["eligible"]]
        served = eligible[eligible["responder"] == "crisis_team"]
        fell_back = eligible[eligible["responder"] != "crisis_team"]
        costs = self.config.costs
        staffed_hours = float(self.staffed_by_hour.sum()) / 60
        busy_hours = float(self.busy_by_hour.sum()) / 60
        police_call_cost = costs.police_minutes_per_call / 60 * costs.police_hour
        days = self.horizon / _DAY
        waited = eligible[eligible["wait"] > 10]
        return {
            "days": days,
            "calls": float(len(c)),
            "eligible": float(len(eligible)),
            "eligible_per_day": len(eligible) / days if days else math.nan,
            "served_by_team": float(len(served)),
            "served_share": len(served) / len(eligible) if len(eligible) else math.nan,
            "fell_back": float(len(fell_back)),
            "wait_median": _quantile(eligible["wait"], 0.5),
            "wait_p90": _quantile(eligible["wait"], 0.9),
            "served_wait_median": _quantile(served["wait"], 0.5),
            "served_wait_p90": _quantile(served["wait"], 0.9),
            "response_median": _quantile(served["wait"] + served["travel"], 0.5),
            "response_p90": _quantile(served["wait"] + served["travel"], 0.9),
            "utilisation": busy_hours / staffed_hours if staffed_hours else math.nan,
            "team_hours_staffed": staffed_hours,
            "overtime_hours": self.overtime_minutes / 60,
            "mean_waiting_calls": self.queue_area / self.horizon if self.horizon else math.nan,
            "fell_back_mean_risk": float(fell_back["risk"].mean()) if len(fell_back) else math.nan,
            "waited_over_10_min": float(len(waited)),
            "waited_over_10_min_mean_risk": float(waited["risk"].mean()) if len(waited) else math.nan,
            # Where the file has outcomes: how often the calls a team met escalated (selective labels: what
            # happened under the historical response, not what the team would have met).
            "served_escalated_rate": float(served["escalated"].mean())
            if "escalated" in c and len(served) else math.nan,
            "police_hours_freed": len(served) * costs.police_minutes_per_call / 60,
            "cost_per_team_call": staffed_hours * costs.crisis_team_hour / len(served) if len(served) else math.nan,
            "cost_per_police_call": police_call_cost,
            "cost_per_coresponder_call": police_call_cost
            + costs.coresponder_minutes_per_call / 60 * costs.coresponder_hour,
        }

    def utilisation_by_hour(self) -> np.ndarray:
        """Busy over staffed team-minutes for each hour of the day (NaN where no team is rostered)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.staffed_by_hour > 0, self.busy_by_hour / self.staffed_by_hour, np.nan)


def _quantile(values: pd.Series, q: float) -> float:
    return float(values.quantile(q)) if len(values) else math.nan


def simulate(calls: pd.DataFrame, config: SimulationConfig) -> SimulationResult:
    """Run one simulation.

    ``calls`` has ``received_at`` (datetimes), ``district``, ``eligible`` (the policy diverts the call)
    and ``risk`` (the Router's escalation risk). The run covers whole days from the first call's day to
    the last call's day.
    """
    for column in ("received_at", "district", "eligible", "risk"):
        if column not in calls:
            raise ValueError(f"calls need a {column!r} column")
    order = calls.sort_values("received_at", kind="stable")
    start = order["received_at"].min().normalize() if len(order) else pd.Timestamp("2000-01-01")
    arrival = ((order["received_at"] - start).dt.total_seconds() / 60).to_numpy(dtype=float)
    days = int(arrival.max() // _DAY) + 1 if len(arrival) else 1
    horizon = days * _DAY
    district = order["district"].astype("string").fillna("").to_numpy()
    eligible = order["eligible"].to_numpy(dtype=bool)
    n = len(order)

    rng = np.random.default_rng(config.seed)
    service = config.service
    travel = np.array([service.travel.sample(rng) for _ in range(n)])
    on_scene = np.array([service.on_scene.sample(rng) for _ in range(n)])
    paperwork = np.array([service.paperwork.sample(rng) for _ in range(n)])

    responder = np.array(["police"] * n, dtype=object)
    wait = np.zeros(n)
    busy = np.zeros(n)
    result = SimulationResult(calls=pd.DataFrame(), config=config, start=start, horizon=horizon)

    env = simpy.Environment()
    pools = {shift.district for shift in config.roster}
    stores = {pool: simpy.Store(env) for pool in pools}
    if None not in stores:
        stores[None] = simpy.Store(env)  # no city-wide shift: a pool that never has a team
    waiting = [0, 0.0]  # calls waiting now, time of the last change (for the queue-length integral)

    def queue_change(delta: int) -> None:
        result.queue_area += waiting[0] * (env.now - waiting[1])
        waiting[0] += delta
        waiting[1] = env.now

    def roster(shift) -> simpy.events.ProcessGenerator:
        store = stores[shift.district]
        length = shift.hours() * 60.0
        continuous = length >= _DAY  # a 24-hour shift is one team on duty all the time, no handover
        for day in range(1 if continuous else days + 1):
            on = (day - (1 if shift.end <= shift.start and not continuous else 0)) * _DAY + shift.start * 60
            off = horizon + _DAY if continuous else on + length
            if off <= 0:
                continue
            if on >= horizon:
                return
            yield env.timeout(max(0.0, on - env.now))
            _add_staffed(result.staffed_by_hour, max(on, 0.0), min(off, horizon), shift.teams)
            for _ in range(shift.teams):
                store.put(_Team(shift.district, off))
            if continuous:
                return
            env.process(_off_duty(env, store, off))

    def call(i: int) -> simpy.events.ProcessGenerator:
        store = stores[district[i] if district[i] in stores else None]
        fallback = config.fallback
        limit = fallback.hold_limit if fallback.action == "hold" else fallback.max_wait
        queue_change(+1)
        request = store.get()
        yield request | env.timeout(limit)
        if not request.triggered:  # the wait ran out first (a team freed at the same instant still counts)
            request.cancel()
            queue_change(-1)
            wait[i] = env.now - arrival[i]
            responder[i] = "police_coresponder" if fallback.action == "police_with_coresponder" else "police_fallback"
            return
        team: _Team = request.value
        queue_change(-1)
        wait[i] = env.now - arrival[i]
        responder[i] = "crisis_team"
        began = env.now
        yield env.timeout(travel[i] + on_scene[i] + paperwork[i])
        busy[i] = env.now - began
        _add_interval(result.busy_by_hour, began, env.now)
        if env.now >= team.off_at:
            result.overtime_minutes += env.now - max(team.off_at, began)
        else:
            store.put(team)

    def arrivals() -> simpy.events.ProcessGenerator:
        for i in np.flatnonzero(eligible):
            yield env.timeout(max(0.0, arrival[i] - env.now))
            env.process(call(int(i)))

    for shift in config.roster:
        if shift.teams > 0:
            env.process(roster(shift))
    env.process(arrivals())
    env.run()
    queue_change(0)

    outcomes = {"escalated": order["escalated"].to_numpy(dtype=bool)} if "escalated" in order else {}
    result.calls = pd.DataFrame({
        "received_at": order["received_at"].to_numpy(),
        "district": district,
        "eligible": eligible,
        "risk": order["risk"].to_numpy(dtype=float),
        "responder": responder,
        "wait": np.where(eligible, wait, np.nan),
        "travel": np.where(responder == "crisis_team", travel, np.nan),
        "team_minutes": np.where(responder == "crisis_team", busy, 0.0),
        **outcomes,
    }, index=order.index)
    return result


def _off_duty(env: simpy.Environment, store: simpy.Store, off: float) -> simpy.events.ProcessGenerator:
    """At the end of a shift, its idle teams leave; busy ones leave when their call ends."""
    yield env.timeout(max(0.0, off - env.now))
    store.items[:] = [team for team in store.items if team.off_at > env.now]


def _add_interval(by_hour: np.ndarray, begin: float, end: float, weight: float = 1.0) -> None:
    """Spread the minutes of [begin, end) over the hours of the day they fall in."""
    t = begin
    while t < end:
        hour_end = (math.floor(t / 60) + 1) * 60
        step = min(end, hour_end) - t
        by_hour[int(t // 60) % 24] += step * weight
        t += step


def _add_staffed(by_hour: np.ndarray, begin: float, end: float, teams: int) -> None:
    if end > begin:
        _add_interval(by_hour, begin, end, float(teams))
