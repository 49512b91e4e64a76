"""The capacity simulator, checked against queueing theory and its own promises."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callroute.simulation.config import Duration, Fallback, ServiceTimes, Shift, SimulationConfig
from callroute.simulation.engine import simulate
from callroute.simulation.queueing import erlang_c, mean_wait

START = pd.Timestamp("2024-01-01")


def poisson_calls(rate_per_min: float, days: int, seed: int, *, eligible_share: float = 1.0) -> pd.DataFrame:
    """Calls with Poisson arrivals over ``days`` days, all in one district."""
    rng = np.random.default_rng(seed)
    gaps = rng.exponential(1 / rate_per_min, size=int(rate_per_min * days * 1440 * 1.2) + 10)
    minutes = np.cumsum(gaps)
    minutes = minutes[minutes < days * 1440]
    return pd.DataFrame({
        "received_at": START + pd.to_timedelta(minutes, unit="min"),
        "district": "NORTH",
        "eligible": rng.random(len(minutes)) < eligible_share,
        "risk": rng.uniform(0, 0.05, len(minutes)),
    })


def mmc(servers: int, mean_service: float) -> SimulationConfig:
    """Constant staffing, exponential service, no fallback: an M/M/c queue."""
    return SimulationConfig(
        roster=[Shift(name="all day", start=0, end=24, teams=servers)],
        service=ServiceTimes(travel=Duration(kind="fixed", minutes=0), on_scene=Duration(kind="exponential",
                             mean=mean_service), paperwork=Duration(kind="fixed", minutes=0)),
        fallback=Fallback(max_wait=1e9, action="police"),
    )


@pytest.mark.parametrize(("servers", "load"), [(1, 0.6), (3, 2.1), (5, 4.0)])
def test_waiting_matches_erlang_c(servers: int, load: float) -> None:
    # Given Poisson arrivals and exponential service on a constant roster (M/M/c), over 120 days
    mean_service = 30.0
    rate = load / mean_service
    calls = poisson_calls(rate, days=120, seed=servers)
    # When the simulator runs with no fallback
    result = simulate(calls, mmc(servers, mean_service)).calls
    # Then the share of calls that wait and the mean wait match Erlang C
    p_wait = float((result["wait"] > 1e-9).mean())
    expected_p = erlang_c(servers, load)
    assert abs(p_wait - expected_p) < 0.03, f"P(wait) {p_wait:.3f} vs Erlang C {expected_p:.3f}"
    w = float(result["wait"].mean())
    expected_w = mean_wait(servers, rate, 1 / mean_service)
    assert abs(w - expected_w) / expected_w < 0.15, f"mean wait {w:.2f} min vs Erlang C {expected_w:.2f} min"
    assert (result["responder"] == "crisis_team").all(), "with no fallback every call must be served by a team"


def test_erlang_c_formula_on_textbook_values() -> None:
    # Given the textbook M/M/1 case, C(1, a) = a; and a published M/M/2 value (a = 1: C = 1/3)
    assert erlang_c(1, 0.6) == pytest.approx(0.6)
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="stable"):
        erlang_c(2, 2.0)


def test_littles_law_holds_on_the_outputs() -> None:
    # Given a busy queue with a fallback
    calls = poisson_calls(0.08, days=60, seed=11)
    config = mmc(2, 20.0).model_copy(update={"fallback": Fallback(max_wait=15, action="police")})
    result = simulate(calls, config)
    summary = result.summary()
    # Then the time-average number waiting equals arrival rate x mean wait (L = lambda W)
    arrival_rate = summary["eligible"] / result.horizon
    mean_wait_min = float(result.calls["wait"].mean())
    assert summary["mean_waiting_calls"] == pytest.approx(arrival_rate * mean_wait_min, rel=1e-6), (
        summary["mean_waiting_calls"], arrival_rate * mean_wait_min)
    # And the average number of busy teams equals arrival rate of served calls x mean time per call
    served = result.calls[result.calls["responder"] == "crisis_team"]
    busy_teams = result.busy_by_hour.sum() / result.horizon
    assert busy_teams == pytest.approx(len(served) / result.horizon * served["team_minutes"].mean(), rel=0.01)


@pytest.mark.parametrize("action", ["police", "police_with_coresponder", "hold"])
def test_a_roster_without_teams_sends_every_diverted_call_to_the_fallback(action: str) -> None:
    # Given a roster with zero teams
    calls = poisson_calls(0.01, days=3, seed=2)
    config = SimulationConfig(roster=[Shift(name="day", start=8, end=16, teams=0)],
                              fallback=Fallback(max_wait=20, action=action, hold_limit=60))
    result = simulate(calls, config)
    # Then no call is served by a team and each waited exactly the fallback limit
    assert (result.calls["responder"] != "crisis_team").all()
    assert result.summary()["served_share"] == 0.0
    limit = 60 if action == "hold" else 20
    assert np.allclose(result.calls["wait"], limit), result.calls["wait"].describe()
    expected = "police_coresponder" if action == "police_with_coresponder" else "police_fallback"
    assert set(result.calls["responder"]) == {expected}


def test_the_same_seed_gives_identical_results_and_another_seed_does_not() -> None:
    calls = poisson_calls(0.03, days=10, seed=5, eligible_share=0.5)
    config = SimulationConfig()
    a, b = simulate(calls, config), simulate(calls, config)
    pd.testing.assert_frame_equal(a.calls, b.calls)
    assert a.summary() == b.summary()
    c = simulate(calls, config.model_copy(update={"seed": 1}))
    assert not a.calls["team_minutes"].equals(c.calls["team_minutes"]), "a different seed must draw other times"


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 3), st.sampled_from(["police", "hold", "police_with_coresponder"]), st.integers(0, 10_000))
def test_police_calls_stay_with_police_and_only_diverted_calls_move(teams: int, action: str, seed: int) -> None:
    # Given any roster size, fallback and call mix
    calls = poisson_calls(0.02, days=2, seed=seed, eligible_share=0.6)
    result = simulate(calls, SimulationConfig(fallback=Fallback(action=action)).with_teams(teams)).calls
    # Then every call the policy sent to police is still with police, untouched
    police = result[~result["eligible"]]
    assert (police["responder"] == "police").all(), police["responder"].value_counts()
    assert police["wait"].isna().all() and (police["team_minutes"] == 0).all()
    # And a diverted call either got a team or went back to police, never vanished
    diverted = result[result["eligible"]]
    assert diverted["responder"].isin(["crisis_team", "police_fallback", "police_coresponder"]).all()
    assert len(result) == len(calls), "every call must come out of the simulation"


def test_teams_work_only_their_shift_hours() -> None:
    # Given one evening team and calls spread over the day
    calls = poisson_calls(0.02, days=20, seed=3)
    config = SimulationConfig(roster=[Shift(name="evening", start=14, end=22, teams=1)],
                              fallback=Fallback(max_wait=0, action="police"))
    result = simulate(calls, config)
    served = result.calls[result.calls["responder"] == "crisis_team"]
    # Then only calls arriving between 14:00 and 22:00 were served, and staffed time is 8 h a day
    assert served["received_at"].dt.hour.between(14, 21).all(), served["received_at"].dt.hour.value_counts()
    assert result.staffed_by_hour[14:22].sum() == pytest.approx(20 * 8 * 60)
    assert result.staffed_by_hour[:14].sum() == 0 and result.staffed_by_hour[22:].sum() == 0


def test_a_district_roster_serves_its_district_and_the_city_pool_the_rest() -> None:
    calls = poisson_calls(0.01, days=5, seed=4)
    calls.loc[calls.index[::2], "district"] = "SOUTH"
    config = SimulationConfig(roster=[Shift(name="south", start=0, end=24, teams=2, district="SOUTH")],
                              fallback=Fallback(max_wait=30))
    result = simulate(calls, config).calls
    assert (result.loc[result["district"] == "SOUTH", "responder"] == "crisis_team").mean() > 0.9
    assert (result.loc[result["district"] == "NORTH", "responder"] != "crisis_team").all(), \
        "a district with no team and no city-wide shift cannot be served"


def test_bad_configuration_is_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match="p90"):
        Duration(median=30, p90=20)
    with pytest.raises(ValueError, match="same hour"):
        Shift(name="x", start=8, end=8, teams=1)
    with pytest.raises(ValueError, match="received_at"):
        simulate(pd.DataFrame({"district": [], "eligible": [], "risk": []}), SimulationConfig())


def test_lognormal_service_times_have_the_configured_median_and_p90() -> None:
    rng = np.random.default_rng(0)
    duration = Duration(median=22, p90=62)
    draws = np.array([duration.sample(rng) for _ in range(20_000)])
    assert np.median(draws) == pytest.approx(22, rel=0.05)
    assert np.quantile(draws, 0.9) == pytest.approx(62, rel=0.05)
    assert draws.mean() == pytest.approx(duration.expected(), rel=0.05)
