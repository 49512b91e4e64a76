"""The routing policy: one pure decision function and the threshold it uses.

:func:`choose_threshold` picks, on the calibration split, the largest share of
calls that can go to the crisis team alone while the **unsafe-diversion rate**
(escalations among those calls) stays at or under the agency's target.
:func:`decide` turns a risk and the rule result into a recommendation; the
Router, evaluation, batch scoring, the CLI and the API all call it.

``needs_review`` comes from split conformal prediction, class-conditional (Mondrian):
on the calibration split, ``review_low`` is set so that at least 1 - alpha of escalated
calls have a risk at or above it, and ``review_high`` so that at least 1 - alpha of the
others have a risk at or below it. A call whose risk lies in [review_low, review_high]
has both outcomes in its prediction set: the model cannot separate it. (This is MAPIE's
Mondrian split-conformal classifier with the LAC score, written out in a few lines.)

``confidence`` (documented in the README) is how far inside its side of the
threshold a call lies, measured in calibration calls: 0 means "on the line", 1
means "as far from the line as any call". A red-line decision has confidence 1:
it is a rule, not an estimate.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

Recommendation = Literal["crisis_team", "police"]


#: The fields that describe a call beyond its narrative. A call with none of them (a plain-English call sent
#: on its own, an export without call types) is "narrative only": its risk rests on its words alone, and
#: its threshold is certified on calls like it (where and when it happened, district and time, do not count).
NARRATIVE_ONLY_FIELDS = ("call_type", "priority", "caller_type", "location_prior_calls")


def is_narrative_only(call: Mapping[str, object]) -> bool:
    """True when none of NARRATIVE_ONLY_FIELDS has a value (None, NaN or blank text count as none)."""
    for name in NARRATIVE_ONLY_FIELDS:
        value = call.get(name)
        try:
            missing = value is None or bool(value != value)  # NaN and NaT differ from themselves
        except TypeError:  # pandas' NA cannot be compared
            missing = True
        if not missing and not (isinstance(value, str) and not value.strip()):
            return False
    return True


@dataclass(frozen=True)
class Policy:
    """Threshold on escalation risk, the review band and the calibration risk quantiles."""

    threshold: float  # divert to the crisis team when escalation_risk <= threshold
    unsafe_diversion_target: float
    review_low: float  # conformal band: risks in [review_low, review_high] need review
    review_high: float
    risk_quantiles: tuple[float, ...]  # calibration risks at evenly spaced quantiles, for confidence
    review_alpha: float = 0.2
    threshold_ci: tuple[float, float] = (float("nan"), float("nan"))  # bootstrap 95% on calibration
    drift_factor: float = 1.0  # expected rise of escalation odds by deployment; the threshold met target / factor
    # Per-district thresholds ((district, threshold), ...), each certified on that district's calibration calls;
    # a district not listed (too few calls to certify, or unknown) uses ``threshold``.
    district_thresholds: tuple[tuple[str, float], ...] = ()
    # Calls that come with a narrative only (none of NARRATIVE_ONLY_FIELDS): a threshold certified on the
    # calibration calls with those fields blanked, never looser than the one that applies otherwise.
    # None: such calls are judged like the others (``policy.narrative_only = false``).
    narrative_only_threshold: float | None = None

    def threshold_for(self, district: str | None, narrative_only: bool = False) -> float:
        """The threshold for a call of ``district`` (the city-wide one if none); tighter for a bare narrative."""
        threshold = dict(self.district_thresholds).get(district, self.threshold)
        if narrative_only and self.narrative_only_threshold is not None:
            return min(threshold, self.narrative_only_threshold)
        return threshold

    def percentile(self, risk: float) -> float:
        """Share of calibration calls with a lower risk."""
        quantiles = self.risk_quantiles  # sorted: bisect_left is np.searchsorted(side="left") without an array
        return bisect.bisect_left(quantiles, risk) / (len(quantiles) - 1 or 1)


@dataclass(frozen=True)
class Choice:
    """What :func:`decide` returns."""

    recommendation: Recommendation
    confidence: float
    needs_review: bool


def decide(escalation_risk: float, red_line_fired: bool, policy: Policy, district: str | None = None,
           narrative_only: bool = False) -> Choice:
    """The single decision rule: red lines first, then the risk threshold.

    The threshold is the call's district's, if it has one; for a call that comes with nothing but its
    narrative, the narrative-only one when that is tighter.
    """
    if red_line_fired:
        return Choice("police", 1.0, False)
    threshold = policy.threshold_for(district, narrative_only)
    near_line = policy.review_low <= escalation_risk <= policy.review_high
    call_pct = min(max(policy.percentile(escalation_risk), 0.0), 1.0)
    line_pct = min(max(policy.percentile(threshold), 0.0), 1.0)
    if escalation_risk <= threshold:
        confidence = (line_pct - call_pct) / line_pct if line_pct > 0 else 0.0
        return Choice("crisis_team", min(max(float(confidence), 0.0), 1.0), near_line)
    confidence = (call_pct - line_pct) / (1 - line_pct) if line_pct < 1 else 0.0
    return Choice("police", min(max(float(confidence), 0.0), 1.0), near_line)


def wilson_interval(successes: int | np.ndarray, n: int | np.ndarray, z: float = 1.96):
    """Wilson score interval for a proportion (95% at z = 1.96; well behaved near 0, unlike the normal one)."""
    n_arr = np.maximum(np.asarray(n, dtype=float), 1.0)
    p = np.asarray(successes, dtype=float) / n_arr
    centre = (p + z * z / (2 * n_arr)) / (1 + z * z / n_arr)
    half = z * np.sqrt(p * (1 - p) / n_arr + z * z / (4 * n_arr * n_arr)) / (1 + z * z / n_arr)
    low, high = np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)
    if np.ndim(low) == 0:
        return float(low), float(high)
    return low, high


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


def drift_factor(times_years: np.ndarray, escalated: np.ndarray, horizon_years: float) -> float:
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


def risk_quantiles(risk: np.ndarray, n: int = 201) -> tuple[float, ...]:
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
    risk: np.ndarray, escalated: np.ndarray, *, target: float, min_diverted: int, conservative: bool,
    reps: int = 300, seed: int = 0,
) -> tuple[float, float]:
    """95% percentile interval of the chosen threshold over bootstrap resamples of the calibration calls."""
    rng = np.random.default_rng(seed)
    risk = np.asarray(risk, dtype=float)
    escalated = np.asarray(escalated, dtype=int)
    picks = [
        choose_threshold(risk[idx], escalated[idx], target=target, min_diverted=min_diverted,
                         conservative=conservative)
        for idx in (rng.integers(0, len(risk), len(risk)) for _ in range(reps))
    ]
    return float(np.quantile(picks, 0.025)), float(np.quantile(picks, 0.975))


def family_wise_z(tests: int, alpha: float = 0.05) -> float:
    """The normal quantile for a two-sided ``alpha`` shared by ``tests`` intervals (Bonferroni).

    Certifying a threshold in each of six districts gives six chances for a district's calls to look
    safer than they are; with each bound at 1 - alpha / (2 * tests) the chance that any is too low stays
    at most alpha / 2, as for the one city-wide threshold. 1.96 for one test, 2.64 for six.
    """
    from scipy.stats import norm

    return float(norm.ppf(1 - alpha / (2 * max(tests, 1))))
