"""The routing policy as serving runs it: the :class:`Policy` numbers and one pure decision function.

The numbers are fitted in training (``callroute.training.thresholds.fit_policy``): each threshold is the
largest that Learn then Test certifies to keep the **unsafe-diversion rate** (escalations among the calls
sent to the crisis team alone) at or under the agency's target. :func:`decide` turns a risk and the rule
result into a recommendation; the Router, evaluation, batch scoring, the CLI and the API all call it.

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
