"""Fitting the routing policy: thresholds, the review band, the escalation trend (training only).

Serving runs :mod:`callroute.routing.policy` (``Policy``, ``decide``); everything that chooses the numbers in a
``Policy`` from calibration calls lives here, with one entry point, :func:`fit_policy`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from callroute.config import ExperimentConfig
from callroute.routing.policy import NARRATIVE_ONLY_FIELDS, Policy
from callroute.routing.router import scoring_records
from callroute.stats import wilson_interval


def choose_threshold(
    risk: np.ndarray, escalated: np.ndarray, *, target: float, min_diverted: int, conservative: bool = True,
    z: float = 1.96,
) -> float:
    """Largest risk threshold whose diverted calls escalate at a rate <= ``target``.

    ``risk`` and ``escalated`` cover the calls the model may divert (no red line
    fired). With ``conservative`` the *upper* 95% Wilson bound of the unsafe rate
    must meet the target, not just the observed rate: under-triage is the costly
    error, and newer calls may escalate more than the calibration calls did. ``z`` widens the
    bound when several thresholds are certified at once (per district: a family-wise bound).
    Returns 0.0 when no threshold diverts ``min_diverted`` calls safely.
    """
    risk = np.asarray(risk, dtype=float)
    escalated = np.asarray(escalated, dtype=int)
    order = np.argsort(risk, kind="stable")
    sorted_risk, sorted_y = risk[order], escalated[order]
    # Evaluate only at the last index of each run of equal risks: ties go together.
    last_of_tie = np.r_[sorted_risk[1:] != sorted_risk[:-1], True]
    diverted = np.arange(1, len(risk) + 1)[last_of_tie]
    escalations = np.cumsum(sorted_y)[last_of_tie]
    unsafe = wilson_interval(escalations, diverted, z)[1] if conservative else escalations / diverted
    ok = (unsafe <= target) & (diverted >= min_diverted)
    if not ok.any():
        return 0.0
    return float(sorted_risk[last_of_tie][np.flatnonzero(ok)[-1]])


def certification_shortfall(
    risk: np.ndarray, escalated: np.ndarray, *, target: float, min_diverted: int, z: float = 1.96
) -> dict[str, float]:
    """When no threshold can be certified: what the data would need.

    Takes the lowest escalation rate observed among the lowest-risk calls (at least ``min_diverted``
    of them, lowest risk first) and returns it with the number of diverted calls, and escalations among
    them, at which the upper 95% Wilson bound of that rate reaches ``target``; as a share of the given
    calls, the diverted calls also give the number of calls needed in all. ``calls_needed`` is
    ``inf`` when even the lowest-risk calls escalate at the target rate or above.
    """
    risk = np.asarray(risk, dtype=float)
    escalated = np.asarray(escalated, dtype=int)
    order = np.argsort(risk, kind="stable")
    counts = np.arange(1, len(risk) + 1)
    rates = np.cumsum(escalated[order]) / counts
    usable = counts >= min(min_diverted, len(risk))
    if not usable.any():
        return {"rate": float("nan"), "share": float("nan"), "diverted_needed": float("inf"),
                "escalations_needed": float("inf"), "calls_needed": float("inf")}
    best = int(np.flatnonzero(usable)[np.argmin(rates[usable])])
    rate, share = float(rates[best]), float(counts[best]) / len(risk)
    if rate >= target:
        needed = float("inf")
    else:
        needed = 1.0
        while wilson_interval(rate * needed, needed, z)[1] > target:  # grows geometrically, then bisects
            needed *= 2
        low = needed / 2
        while needed - low > 1:
            middle = (low + needed) / 2
            if wilson_interval(rate * middle, middle, z)[1] > target:
                low = middle
            else:
                needed = middle
        needed = float(np.ceil(needed))
    return {"rate": rate, "share": share, "diverted_needed": needed, "escalations_needed": np.ceil(rate * needed),
            "calls_needed": np.ceil(needed / share) if np.isfinite(needed) else float("inf")}


def trend_factor(times_years: np.ndarray, escalated: np.ndarray, horizon_years: float) -> float:
    """How much the odds of escalation are expected to rise over ``horizon_years``, from the history's trend.

    A logistic fit of escalation on time (years) over the training and calibration calls; a falling trend
    counts as none (never relax the target on a trend). ``exp(slope * horizon)``: at low rates the ratio
    of odds is close to the ratio of rates, so a threshold whose unsafe rate meets ``target / factor``
    on the calibration calls should still meet ``target`` when the deployed calls come.
    """
    from sklearn.linear_model import LogisticRegression

    t = np.asarray(times_years, dtype=float).reshape(-1, 1)
    y = np.asarray(escalated, dtype=int)
    if len(np.unique(y)) < 2 or np.ptp(t) <= 0 or horizon_years <= 0:
        return 1.0
    slope = float(LogisticRegression(C=1e6, max_iter=1000).fit(t - t.mean(), y).coef_[0, 0])
    return float(np.exp(max(slope, 0.0) * horizon_years))


def quantile_table(risk: np.ndarray, n: int = 201) -> tuple[float, ...]:
    """Evenly spaced quantiles of calibration risks (small enough to ship in the bundle)."""
    return tuple(float(q) for q in np.quantile(np.asarray(risk, dtype=float), np.linspace(0, 1, n)))


def conformal_band(risk: np.ndarray, escalated: np.ndarray, *, alpha: float) -> tuple[float, float]:
    """Class-conditional split-conformal band ``(low, high)`` at miscoverage ``alpha``.

    Escalated calls' nonconformity is ``1 - risk``, the others' is ``risk``; each class's
    finite-sample quantile is ``ceil((n + 1)(1 - alpha)) / n``. ``low > high`` means no
    call has both outcomes in its set.
    """
    risk = np.asarray(risk, dtype=float)
    escalated = np.asarray(escalated, dtype=bool)

    def quantile(scores: np.ndarray) -> float:
        if len(scores) == 0:
            return 1.0
        rank = int(np.ceil((len(scores) + 1) * (1 - alpha)))
        return float(np.sort(scores)[min(rank, len(scores)) - 1])

    return 1.0 - quantile(1.0 - risk[escalated]), quantile(risk[~escalated])


def bootstrap_threshold(
    risk: np.ndarray, escalated: np.ndarray, *, choose: Callable[[np.ndarray, np.ndarray], float],
    reps: int = 300, seed: int = 0,
) -> tuple[float, float]:
    """95% percentile interval of the threshold ``choose`` picks, over bootstrap resamples of the calibration calls."""
    rng = np.random.default_rng(seed)
    risk = np.asarray(risk, dtype=float)
    escalated = np.asarray(escalated, dtype=int)
    if len(risk) == 0:
        return 0.0, 0.0
    picks = [choose(risk[idx], escalated[idx])
             for idx in (rng.integers(0, len(risk), len(risk)) for _ in range(reps))]
    return float(np.quantile(picks, 0.025)), float(np.quantile(picks, 0.975))


def family_wise_z(tests: int, alpha: float = 0.05) -> float:
    """The normal quantile for a two-sided ``alpha`` shared by ``tests`` intervals (Bonferroni).

    Certifying a threshold in each of six districts gives six chances for a district's calls to look
    safer than they are; with each bound at 1 - alpha / (2 * tests) the chance that any is too low stays
    at most alpha / 2, as for the one city-wide threshold. 1.96 for one test, 2.64 for six.
    """
    from scipy.stats import norm

    return float(norm.ppf(1 - alpha / (2 * max(tests, 1))))


def bare_narrative_risk(scorer, calibrator, calibration: pd.DataFrame) -> np.ndarray:
    """The calibration calls' risk as calls that come with a narrative only (NARRATIVE_ONLY_FIELDS blanked)."""
    blank = calibration.assign(**dict.fromkeys(NARRATIVE_ONLY_FIELDS))
    return np.array([calibrator.risk(float(s)) for s in scorer.score_many(scoring_records(blank))])


def wilson_district_thresholds(
    calibration: pd.DataFrame, cal_risk: np.ndarray, cal_y: np.ndarray, eligible: np.ndarray, recent: np.ndarray,
    rule: dict, city: float, *, enabled: bool,
) -> tuple[tuple[tuple[str, float], ...], dict[str, dict]]:
    """Per district: its own certified threshold, or the city-wide one, never looser, and why.

    Chosen like the city-wide threshold (recent, rule-free calibration calls, the drift-adjusted target,
    the conservative Wilson bound), on the district's calls only. A district gets its own threshold
    when that rule certifies some diversion there; when its lowest-risk calls escalate at the target
    rate or above it gets 0 (nothing diverted: more calls would not help). Otherwise it has too few
    calls to certify: it keeps the city-wide threshold, lowered to the largest one at which its own
    calls' observed unsafe rate meets the target when that is lower (a fallback never looser than the
    city's, tighter where the district's calls escalate more); the table says how many calls
    certification would need. Each district's bound is family-wise (Bonferroni over the districts,
    ``policy.family_wise_z``): six districts certified at 95% each would give six chances for one to
    look safer than it is.
    """
    if not enabled or "district" not in calibration or calibration["district"].isna().all():
        return (), {}
    names = calibration["district"].to_numpy(dtype=object)
    own: list[tuple[str, float]] = []
    table: dict[str, dict] = {}
    districts = sorted({d for d in names if isinstance(d, str)})
    rule = {**rule, "z": family_wise_z(len(districts))}
    for district in districts:
        mask = (names == district) & eligible & recent
        threshold = choose_threshold(cal_risk[mask], cal_y[mask], **rule) if mask.any() else 0.0
        entry = {"calibration_calls": int(mask.sum()), "escalations": int(cal_y[mask].sum())}
        if threshold > 0:
            own.append((district, threshold))
            table[district] = {**entry, "threshold": threshold, "certified": True, "note": "own threshold"}
            continue
        need = certification_shortfall(cal_risk[mask], cal_y[mask], target=rule["target"],
                                       min_diverted=rule["min_diverted"], z=rule["z"]) if mask.sum() else {
                                           "calls_needed": 0.0}
        if mask.sum() and not np.isfinite(need["calls_needed"]):
            own.append((district, 0.0))
            table[district] = {**entry, "threshold": 0.0, "certified": True,
                               "note": "its lowest-risk calls escalate at the target rate or above: nothing diverted"}
        else:
            observed = (choose_threshold(cal_risk[mask], cal_y[mask], **{**rule, "conservative": False})
                        if mask.any() else city)
            fallback = min(city, observed)
            if fallback < city:
                own.append((district, fallback))
            how = "city-wide threshold" if fallback >= city else "city-wide threshold lowered to its observed rate"
            table[district] = {**entry, "threshold": fallback, "certified": False,
                               "note": f"too few calls to certify (about {need['calls_needed']:,.0f} diverted calls "
                               f"needed): {how}"}
    return tuple(own), table


def history_trend_factor(history: pd.DataFrame, calibration: pd.DataFrame, recent: np.ndarray, label: str) -> float:
    """The escalation trend of training and calibration calls, projected from the recent window to deployment.

    Horizon: from the middle of the recent calibration window to the middle of a period as long as the
    calibration split that starts where it ends (the next calls the model will meet).
    """
    times = pd.to_datetime(history["received_at"], errors="coerce")
    known = times.notna().to_numpy()
    if known.sum() < 100 or calibration["received_at"].isna().all():
        return 1.0
    years = (times[known] - times[known].min()).dt.total_seconds().to_numpy() / (365.25 * 86400)
    cal_times = pd.to_datetime(calibration["received_at"])
    span = (cal_times.max() - cal_times.min()).total_seconds() / (365.25 * 86400)
    recent_mid = cal_times[recent].min() + (cal_times[recent].max() - cal_times[recent].min()) / 2
    horizon = (cal_times.max() - recent_mid).total_seconds() / (365.25 * 86400) + span / 2
    return trend_factor(years, history[label].astype(int).to_numpy()[known], horizon)


# -- Learn then Test: thresholds with a stated guarantee -------------------------------------------------------

@dataclass(frozen=True)
class Certified:
    """What Learn then Test certified on one set of calibration calls (a city, a district)."""

    threshold: float  # divert at or under this risk; 0.0: nothing could be certified
    diverted: int  # calibration calls at or under it
    escalations: int  # of them, escalated
    p_value: float  # Hoeffding-Bentkus p-value of "the unsafe rate there exceeds alpha" (nan: nothing certified)
    tested: int  # hypotheses tested before the fixed sequence stopped
    first_testable: int  # the fewest diverted calls at which any test can succeed (no escalation among them)


def _hb_p_values(rates: np.ndarray, counts: np.ndarray, alpha: float) -> np.ndarray:
    """Hoeffding-Bentkus p-values of H0 "unsafe rate > alpha" (binary loss: the tighter Bentkus bound), by MAPIE."""
    from mapie.risk_control.methods import compute_hoeffding_bentkus_p_value

    if len(rates) == 0:
        return np.zeros(0)
    return compute_hoeffding_bentkus_p_value(np.asarray(rates, float), np.asarray(counts, int), alpha,
                                             True).ravel()


@functools.lru_cache(maxsize=64)
def first_testable(alpha: float, delta: float) -> int:
    """The fewest diverted calls at which a test can reject even with no escalation among them (label-free).

    The p-value of "no escalation in n calls" falls with n: doubled until it reaches ``delta``, then bisected.
    """
    def rejects(n: int) -> bool:
        return bool(_hb_p_values(np.zeros(1), np.array([n]), alpha)[0] <= delta)

    high = 1
    while not rejects(high):
        high *= 2
        if high > 10**9:
            return high
    low = high // 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if rejects(middle) else (middle, high)
    return high


def ltt_threshold(risk: np.ndarray, escalated: np.ndarray, *, alpha: float, delta: float, min_diverted: int = 1,
                  steps: int = 200) -> Certified:
    """The largest threshold that Learn then Test certifies: P(unsafe-diversion rate <= alpha) >= 1 - delta.

    Angelopoulos, Bates, Candes, Jordan, Lei (2021), with MAPIE's Hoeffding-Bentkus p-values and fixed-sequence
    testing. The hypotheses are thresholds on the calibration calls' risk, ordered from the safest outward, each
    "the unsafe-diversion rate among calls at or under it exceeds alpha" (a rate among the diverted calls: its
    p-value counts them, not all calls). The sequence starts at the first threshold diverting enough calls for
    any test to succeed and takes at most ``steps`` thresholds evenly spaced in diverted calls: both fixed by
    the risks alone, before any outcome is looked at. Testing stops at the first threshold it cannot reject; the
    last rejected one is returned, and no multiple-testing correction is needed (fixed sequence). Calls with
    equal risk go together.
    """
    from mapie.risk_control import control_fwer

    risk = np.asarray(risk, dtype=float)
    escalated = np.asarray(escalated, dtype=int)
    start = max(first_testable(float(alpha), float(delta)), min_diverted)
    none = Certified(0.0, 0, 0, float("nan"), 0, start)
    if len(risk) < start:
        return none
    order = np.argsort(risk, kind="stable")
    sorted_risk, sorted_y = risk[order], escalated[order]
    last_of_tie = np.r_[sorted_risk[1:] != sorted_risk[:-1], True]
    counts = np.arange(1, len(risk) + 1)[last_of_tie]
    escalations = np.cumsum(sorted_y)[last_of_tie]
    thresholds = sorted_risk[last_of_tie]
    candidates = np.flatnonzero(counts >= start)
    if len(candidates) == 0:
        return none
    if len(candidates) > steps:  # evenly spaced in diverted calls (a function of the risks only)
        wanted = np.linspace(counts[candidates[0]], counts[candidates[-1]], steps)
        candidates = np.unique(candidates[np.searchsorted(counts[candidates], wanted)])
    p_values = _hb_p_values(escalations[candidates] / counts[candidates], counts[candidates], alpha)
    rejected = control_fwer(p_values, delta, fwer_method="fixed_sequence")
    tested = int(len(rejected) + (len(rejected) < len(candidates)))
    if len(rejected) == 0:
        return Certified(0.0, 0, 0, float("nan"), tested, start)
    last = int(candidates[int(np.max(rejected))])
    return Certified(float(thresholds[last]), int(counts[last]), int(escalations[last]),
                     float(p_values[int(np.max(rejected))]), tested, start)


def ltt_shortfall(risk: np.ndarray, escalated: np.ndarray, *, alpha: float, delta: float, at: float,
                  min_diverted: int) -> dict[str, float]:
    """When Learn then Test certifies nothing: what the data would need, in the keys of certification_shortfall.

    The rate is the one observed among the calls at or under ``at`` (the city's threshold for a district; for
    the city, its lowest-risk ``min_diverted`` calls and up), and the diverted calls needed are the fewest at
    which a Hoeffding-Bentkus test at that rate rejects "rate > alpha" at level ``delta``.
    """
    risk = np.asarray(risk, dtype=float)
    escalated = np.asarray(escalated, dtype=int)
    under = risk <= at
    if under.sum() < min(min_diverted, len(risk)):
        under = risk <= np.sort(risk)[min(min_diverted, len(risk)) - 1] if len(risk) else under
    if not under.any():
        return {"rate": float("nan"), "share": float("nan"), "diverted_needed": float("inf"),
                "escalations_needed": float("inf"), "calls_needed": float("inf")}
    rate, share = float(escalated[under].mean()), float(under.mean())
    if rate >= alpha:
        needed = float("inf")
    else:
        needed = 1
        while _hb_p_values(np.array([rate]), np.array([needed]), alpha)[0] > delta and needed < 10**9:
            needed *= 2
        low = needed // 2
        while needed - low > 1:
            middle = (low + needed) // 2
            if _hb_p_values(np.array([rate]), np.array([middle]), alpha)[0] > delta:
                low = middle
            else:
                needed = middle
        needed = float(needed)
    return {"rate": rate, "share": share, "diverted_needed": needed,
            "escalations_needed": float(np.ceil(rate * needed)) if np.isfinite(needed) else float("inf"),
            "calls_needed": float(np.ceil(needed / share)) if np.isfinite(needed) else float("inf")}


def ltt_district_thresholds(
    calibration: pd.DataFrame, cal_risk: np.ndarray, cal_y: np.ndarray, chosen: np.ndarray, city: float, *,
    alpha: float, delta: float, min_diverted: int, enabled: bool,
) -> tuple[tuple[tuple[str, float], ...], dict[str, dict]]:
    """Per district, group-conditional: the threshold Learn then Test certifies on its own calls, or none.

    Every district named in the calibration calls gets its own entry: a district whose calls certify nothing
    diverts nothing (threshold 0), and the table says why and about how many more calls it would need. No
    district is served a threshold its own calls do not certify; the city-wide threshold serves only calls
    with no district or one the calibration calls never named. Each district's guarantee holds at ``delta``
    on its own (the promise is per district, so no correction across districts).
    """
    if not enabled or "district" not in calibration or calibration["district"].isna().all():
        return (), {}
    names = calibration["district"].to_numpy(dtype=object)
    own: list[tuple[str, float]] = []
    table: dict[str, dict] = {}
    for district in sorted({d for d in names if isinstance(d, str)}):
        mask = (names == district) & chosen
        got = ltt_threshold(cal_risk[mask], cal_y[mask], alpha=alpha, delta=delta, min_diverted=min_diverted)
        entry = {"calibration_calls": int(mask.sum()), "escalations": int(cal_y[mask].sum()),
                 "threshold": got.threshold, "certified": got.threshold > 0, "p_value": got.p_value,
                 "certified_diverted": got.diverted, "certified_escalations": got.escalations}
        own.append((district, got.threshold))
        if got.threshold > 0:
            table[district] = {**entry, "note": f"certified: {got.diverted} calibration calls diverted, "
                               f"{got.escalations} escalated (p = {got.p_value:.3f})"}
            continue
        need = ltt_shortfall(cal_risk[mask], cal_y[mask], alpha=alpha, delta=delta, at=city,
                             min_diverted=min_diverted)
        if not np.isfinite(need["calls_needed"]):
            why = (f"its lowest-risk calls escalate at {need['rate']:.2%}, at or over the target: more calls of the "
                   "same kind cannot certify any diversion") if np.isfinite(need["rate"]) else "no calibration calls"
        else:
            more = max(need["calls_needed"] - mask.sum(), 0)
            why = (f"too few calls to certify: at its observed {need['rate']:.2%} it needs about "
                   f"{need['calls_needed']:,.0f} eligible calibration calls ({more:,.0f} more)")
        table[district] = {**entry, "note": f"conservative, diverts nothing: {why}",
                           "calls_needed": need["calls_needed"]}
    return tuple(own), table


def fit_policy(
    calibration: pd.DataFrame, cal_risk: np.ndarray, cal_y: np.ndarray, eligible: np.ndarray,
    config: ExperimentConfig, *, history: pd.DataFrame, bare_risk: Callable[[], np.ndarray] | None = None,
) -> tuple[Policy, dict[str, dict], dict | None]:
    """The routing policy from the calibration calls, with the district table and ``certification``.

    ``certification``: when nothing city-wide can be certified, what the data would need (else None).

    ``eligible``: the calibration calls no red line sends to police (the threshold is chosen among them).
    ``history``: training and calibration calls, for the escalation trend. ``bare_risk``: the calibration
    calls' risk as narratives alone (``policy.narrative_only``).

    With ``policy.risk_control = "ltt"`` (default) every threshold is certified by Learn then Test
    (:func:`ltt_threshold`) at ``alpha = unsafe_diversion_target / drift factor`` and ``policy.delta``: over the
    draw of calibration calls, P(unsafe-diversion rate <= alpha) >= 1 - delta on calls like them. The drift factor
    composes with it by tightening alpha: if the deployed calls' odds of escalation rise by no more than the
    history's trend projects, the rate among them stays under the target with the same probability.
    ``"wilson"`` keeps the earlier rule (largest threshold whose Wilson bound meets the target, districts
    family-wise, the city's threshold as fallback).
    """
    policy_config = config.policy
    label = config.label.name
    review_low, review_high = conformal_band(cal_risk[eligible], cal_y[eligible], alpha=policy_config.review_alpha)
    # The threshold is chosen on the newest calibration calls (splits are in time order): calls drift.
    recent = np.arange(len(cal_y)) >= int(len(cal_y) * (1 - policy_config.recent_share))
    chosen = eligible & recent
    factor = history_trend_factor(history, calibration, recent, label) if policy_config.drift_adjust else 1.0
    alpha = policy_config.unsafe_diversion_target / factor
    rule = {"target": alpha, "min_diverted": policy_config.min_diverted, "conservative": policy_config.conservative}
    ltt = policy_config.risk_control == "ltt" and policy_config.conservative

    def choose(risk: np.ndarray, escalated: np.ndarray) -> float:
        if ltt:
            return ltt_threshold(risk, escalated, alpha=alpha, delta=policy_config.delta,
                                 min_diverted=policy_config.min_diverted).threshold
        return choose_threshold(risk, escalated, **rule)

    city = choose(cal_risk[chosen], cal_y[chosen])
    if ltt:
        districts, table = ltt_district_thresholds(
            calibration, cal_risk, cal_y, chosen, city, alpha=alpha, delta=policy_config.delta,
            min_diverted=policy_config.min_diverted, enabled=policy_config.per_district)
    else:
        districts, table = wilson_district_thresholds(calibration, cal_risk, cal_y, eligible, recent, rule, city,
                                                      enabled=policy_config.per_district)
    bare = None
    if bare_risk is not None:
        risk = bare_risk()
        bare = choose(risk[chosen], cal_y[chosen])
    policy = Policy(
        narrative_only_threshold=bare,
        district_thresholds=districts,
        threshold=city,
        unsafe_diversion_target=policy_config.unsafe_diversion_target,
        review_low=review_low,
        review_high=review_high,
        review_alpha=policy_config.review_alpha,
        risk_quantiles=quantile_table(cal_risk),
        threshold_ci=bootstrap_threshold(cal_risk[chosen], cal_y[chosen], choose=choose),
        drift_factor=factor,
    )
    certification = None
    if city == 0.0 and policy_config.conservative:
        shortfall = (ltt_shortfall(cal_risk[chosen], cal_y[chosen], alpha=alpha, delta=policy_config.delta,
                                   at=0.0, min_diverted=policy_config.min_diverted) if ltt else
                     certification_shortfall(cal_risk[chosen], cal_y[chosen], target=alpha,
                                             min_diverted=policy_config.min_diverted))
        # The threshold is chosen on the recent, rule-free share of the calibration split, itself a share of all calls.
        per_calibration = chosen.mean() if chosen.any() else 1.0
        certification = {**shortfall, "target_used": alpha, "calibration_calls": len(cal_y),
                         "calibration_needed": float(np.ceil(shortfall["calls_needed"] / per_calibration))
                         if np.isfinite(shortfall["calls_needed"]) else float("inf"),
                         "calibration_share": config.split.calibration, "method": policy_config.risk_control}
    return policy, table, certification
