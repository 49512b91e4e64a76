"""The verdict: one screen that says whether a model keeps the safety promise, before any metric list.

``train``, ``evaluate`` and the audit report start with it; the full metric list stays in MLflow and
behind ``--verbose``. Each check is PASS, WARN or FAIL with one line that names what is at fault:

* the safety promise city-wide: escalations among the calls sent to crisis teams at or under the target;
* the promise per district: a district whose test rate is above the target is named with its interval;
  FAIL when its interval lies wholly above the target (the gate refuses such a model), WARN when the
  target is inside it (too few diverted calls to tell);
* which districts certified a threshold of their own, and which fell back to the city's;
* red lines on wording the model never saw, and the diversion kept on that wording;
* how well the model ranks calls (AUC), seen and unseen wording.
"""

from __future__ import annotations

from dataclasses import dataclass

PASS, WARN, FAIL = "PASS", "WARN", "FAIL"


@dataclass(frozen=True)
class Check:
    """One line of the verdict."""

    status: str  # PASS | WARN | FAIL
    name: str
    detail: str


def districts(metrics: dict[str, float]) -> list[str]:
    """The districts the metrics report on, in name order."""
    return sorted(key.removeprefix("district_").removesuffix("_unsafe_diversion_rate") for key in metrics
                  if key.startswith("district_") and key.endswith("_unsafe_diversion_rate"))


def districts_over(metrics: dict[str, float], target: float) -> list[tuple[str, float, float, float]]:
    """(district, test rate, 95% low, 95% high) for each district whose test unsafe rate is above the target."""
    over = []
    for name in districts(metrics):
        rate = metrics.get(f"district_{name}_unsafe_diversion_rate")
        if rate is None or rate != rate or rate <= target:
            continue
        over.append((name, rate, metrics.get(f"district_{name}_unsafe_ci_low", float("nan")),
                     metrics.get(f"district_{name}_unsafe_ci_high", float("nan"))))
    return sorted(over, key=lambda row: -row[1])


def checks(metrics: dict[str, float], target: float) -> list[Check]:
    """The verdict's checks for one model's test figures (``metrics`` as logged to MLflow)."""
    found: list[Check] = []
    unsafe, diverted = metrics.get("unsafe_diversion_rate"), metrics.get("diverted_share")
    if diverted is not None and (diverted == 0 or unsafe is None or unsafe != unsafe):
        found.append(Check(WARN, "safety promise, city", "no call sent to a crisis team: every call goes to police "
                           "(the calibration calls cannot certify the target; see the warning above)"))
    elif unsafe is not None and diverted is not None:
        low, high = metrics.get("unsafe_diversion_ci_low", float("nan")), metrics.get("unsafe_diversion_ci_high",
                                                                                       float("nan"))
        found.append(Check(
            PASS if unsafe <= target else FAIL, "safety promise, city",
            f"{diverted:.1%} of calls to crisis teams, {unsafe:.2%} of them escalated (95% CI {low:.2%}-{high:.2%}; "
            f"target {target:.2%})"))
    over = districts_over(metrics, target)
    if over:
        clear = [row for row in over if row[2] > target]
        status = FAIL if clear else WARN
        listed = ", ".join(f"{_named(d)} {r:.2%} (95% CI {lo:.2%}-{hi:.2%})" for d, r, lo, hi in over)
        tail = ("; clearly above it (the whole interval): " + ", ".join(d for d, *_ in clear)) if clear else (
            "; the target is inside each interval: too few diverted calls to tell")
        found.append(Check(status, "safety promise, districts", f"above the target on the test split: {listed}{tail}"))
    elif districts(metrics):
        found.append(Check(PASS, "safety promise, districts",
                           f"every district at or under {target:.2%} on the test split"))
    names = districts(metrics)
    certified = [d for d in names if metrics.get(f"district_{d}_certified") == 1.0]
    if names:
        fallback = [d for d in names if d not in certified]
        found.append(Check(
            PASS if not fallback else WARN, "district thresholds",
            (f"certified on their own calls: {', '.join(map(_named, certified)) or 'none'}"
             + (f"; the city's threshold for {', '.join(map(_named, fallback))} (their calibration calls cannot "
                "certify one)"
                if fallback else ""))))
    recall = metrics.get("wording_unseen_red_line_recall")
    if recall is not None:
        found.append(Check(PASS if recall >= 0.99 else FAIL, "red lines, unseen wording",
                           f"{recall:.1%} of red-line calls written in words the model never saw fire a red line"))
    unseen_unsafe = metrics.get("wording_unseen_unsafe_diversion_rate")
    unseen_diverted = metrics.get("wording_unseen_diverted_share")
    if unseen_unsafe is not None and unseen_diverted is not None:
        found.append(Check(
            PASS if unseen_unsafe <= target else WARN, "unseen wording",
            f"calls written in the lexicons' held-out words: {unseen_diverted:.1%} diverted, {unseen_unsafe:.2%} of "
            "them escalated"))
    auc = metrics.get("auc")
    if auc is not None:
        unseen_auc = metrics.get("wording_unseen_auc")
        unseen = f" (unseen wording {unseen_auc:.3f})" if unseen_auc is not None else ""
        found.append(Check(PASS if auc >= 0.75 else WARN, "ranking", f"AUC {auc:.3f}{unseen}"))
    return found


def render(title: str, metrics: dict[str, float], target: float, *, gate: str | None = None,
           more: str = "") -> str:
    """The verdict as text: a title, one line per check, the gate's decision, where the rest is."""
    found = checks(metrics, target)
    failed = sum(c.status == FAIL for c in found)
    warned = sum(c.status == WARN for c in found)
    overall = "FAIL" if failed else ("PASS with warnings" if warned else "PASS")
    lines = [f"VERDICT {overall}: {title}"]
    width = max((len(c.name) for c in found), default=0)
    lines += [f"  [{c.status}] {c.name:<{width}}  {c.detail}" for c in found]
    if gate:
        lines.append(f"  gate: {gate}")
    if more:
        lines.append(f"  {more}")
    return "\n".join(lines)


def _named(district: str) -> str:
    """A district as the verdict names it (calls logged without one are "calls with no district")."""
    return "calls with no district" if district == "no_district" else district
