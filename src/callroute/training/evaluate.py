"""Evaluation through the Router: discrimination, calibration and the routing outcome.

Everything is computed from :meth:`Router.assess`, the same path that serves calls,
so an evaluation figure is a statement about what dispatch would have seen.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import brier_score_loss, roc_auc_score

from callroute.routing.router import Router
from callroute.routing.vocabulary import unseen_word_share
from callroute.stats import OUTCOME_FLAGS, call_type_shares, psi, risk_shares, wilson_interval  # noqa: F401


def expected_calibration_error(risk: np.ndarray, y: np.ndarray, n_bins: int = 10) -> float:
    """ECE over equal-mass bins: mean |observed rate - mean predicted risk|, weighted by bin size."""
    risk = np.asarray(risk, dtype=float)
    y = np.asarray(y, dtype=float)
    if len(risk) == 0:
        return float("nan")
    order = np.argsort(risk, kind="stable")
    bins = np.array_split(order, min(n_bins, len(risk)))
    return float(sum(len(b) * abs(y[b].mean() - risk[b].mean()) for b in bins if len(b)) / len(risk))


def reliability_table(risk: np.ndarray, y: np.ndarray, n_bins: int = 10) -> pd.DataFrame:
    """Mean predicted risk against observed escalation rate per equal-mass bin."""
    order = np.argsort(np.asarray(risk), kind="stable")
    rows = [
        {"mean_risk": float(np.mean(risk[b])), "observed_rate": float(np.mean(y[b])), "n": len(b)}
        for b in np.array_split(order, min(n_bins, len(order)))
        if len(b)
    ]
    return pd.DataFrame(rows)


def _bootstrap_routing(y: np.ndarray, diverted: np.ndarray, reps: int = 500, seed: int = 0) -> dict[str, float]:
    """95% percentile intervals of diverted share and unsafe-diversion rate over resampled test calls."""
    rng = np.random.default_rng(seed)
    shares, unsafe = [], []
    for _ in range(reps):
        idx = rng.integers(0, len(y), len(y))
        d = diverted[idx]
        shares.append(d.mean())
        unsafe.append(y[idx][d].mean() if d.any() else 0.0)
    return {
        "diverted_share_boot_low": float(np.quantile(shares, 0.025)),
        "diverted_share_boot_high": float(np.quantile(shares, 0.975)),
        "unsafe_diversion_boot_low": float(np.quantile(unsafe, 0.025)),
        "unsafe_diversion_boot_high": float(np.quantile(unsafe, 0.975)),
    }


def _conformal_coverage(y: np.ndarray, risk: np.ndarray, red_line: np.ndarray, policy) -> dict[str, float]:
    """How often the true outcome is in the conformal set, per class, for calls the model decides."""
    model_decided = ~red_line
    escalated = (y == 1) & model_decided
    other = (y == 0) & model_decided
    return {
        "review_alpha": policy.review_alpha,
        "review_coverage_escalated": float((risk[escalated] >= policy.review_low).mean()) if escalated.any() else 1.0,
        "review_coverage_other": float((risk[other] <= policy.review_high).mean()) if other.any() else 1.0,
    }


def safe_auc(y: np.ndarray, score: np.ndarray) -> float:
    """ROC AUC, or NaN when only one class is present."""
    return float(roc_auc_score(y, score)) if len(np.unique(y)) == 2 else float("nan")


def score_metrics(y: np.ndarray, risk: np.ndarray) -> dict[str, float]:
    """Discrimination and calibration of a risk estimate."""
    return {
        "auc": safe_auc(y, risk),
        "brier": float(brier_score_loss(y, risk, labels=[0, 1])),
        "ece": expected_calibration_error(risk, y),
    }


def routing_metrics(y: np.ndarray, diverted: np.ndarray) -> dict[str, float]:
    """What a routing decision did: share sent to the crisis team alone, and how many of those escalated."""
    n_diverted = int(diverted.sum())
    escalated = int(y[diverted].sum())
    low, high = wilson_interval(escalated, n_diverted)
    return {
        "diverted_share": float(diverted.mean()),
        "unsafe_diversion_rate": escalated / n_diverted if n_diverted else 0.0,
        "missed_escalations": float(escalated),
        "unsafe_diversion_ci_low": low,
        "unsafe_diversion_ci_high": high,
    }


def _unsafe(y: np.ndarray, diverted: np.ndarray) -> float:
    return float(y[diverted].mean()) if diverted.any() else 0.0


def _unsafe_low(y: np.ndarray, diverted: np.ndarray) -> float:
    return wilson_interval(int(y[diverted].sum()), int(diverted.sum()))[0]


def _unsafe_high(y: np.ndarray, diverted: np.ndarray) -> float:
    return wilson_interval(int(y[diverted].sum()), int(diverted.sum()))[1]


def _false_police(y: np.ndarray, diverted: np.ndarray) -> float:
    """Among calls that did not escalate (red lines excluded by the caller), the share sent to police."""
    calm = y == 0
    return float((~diverted[calm]).mean()) if calm.any() else float("nan")


def district_table(y: np.ndarray, diverted: np.ndarray, red_line: np.ndarray, districts: pd.Series,
                   router: Router) -> pd.DataFrame:
    """The district table: calls, diverted share, unsafe-diversion rate (Wilson 95% interval), and more.

    Also the false-police rate (non-escalated calls without a red line sent to police) and the threshold
    that applied to the district (its own certified one, or the city-wide one). Group metrics go through
    Fairlearn's MetricFrame, so each is computed the same way for every district.
    """
    from fairlearn.metrics import MetricFrame

    names = districts.fillna("no_district").astype(str).to_numpy()
    frame = MetricFrame(
        metrics={"diverted_share": lambda t, p: float(p.mean()), "unsafe_diversion_rate": _unsafe,
                 "unsafe_ci_low": _unsafe_low, "unsafe_ci_high": _unsafe_high},
        y_true=y, y_pred=diverted, sensitive_features=names,
    ).by_group
    no_rule = ~np.asarray(red_line, dtype=bool)
    police = MetricFrame(metrics={"false_police_rate": _false_police}, y_true=y[no_rule], y_pred=diverted[no_rule],
                         sensitive_features=names[no_rule]).by_group
    table = frame.join(police, how="left")
    table.index = table.index.astype(str)
    table.insert(0, "calls", pd.Series(names).value_counts().reindex(table.index).to_numpy(dtype=float))
    certified = router.metadata.get("districts", {})
    table["threshold"] = [router.policy.threshold_for(d) for d in table.index]
    table["certified"] = [float(bool(certified.get(d, {}).get("certified", False))) for d in table.index]
    return table


DISTRICT_COLUMNS = ("calls", "diverted_share", "unsafe_diversion_rate", "unsafe_ci_low", "unsafe_ci_high",
                    "false_police_rate", "threshold", "certified")


def district_frame(metrics: dict[str, float]) -> pd.DataFrame:
    """The district table back from flat metrics (``district_<name>_<column>``), one row per district."""
    rows: dict[str, dict[str, float]] = {}
    for key, value in metrics.items():
        if not key.startswith("district_"):
            continue
        for column in DISTRICT_COLUMNS:
            if key.endswith(f"_{column}"):
                rows.setdefault(key.removeprefix("district_").removesuffix(f"_{column}"), {})[column] = value
                break
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(DISTRICT_COLUMNS)).sort_index()


#: Outcome flags a reported outcome may set; any of them counts as an escalation for monitoring.
_TOP_CALL_TYPES = 30


def monitoring_reference(router: Router, test: pd.DataFrame, assessment: pd.DataFrame) -> dict:
    """What the monitor compares served calls with: the test split's risk bins, unseen words, call types."""
    risk = assessment["escalation_risk"].to_numpy()
    edges = np.unique(np.quantile(risk, np.linspace(0.1, 0.9, 9))).tolist()
    top = test["call_type"].fillna("OTHER").astype(str).value_counts().index[:_TOP_CALL_TYPES].tolist()
    categories = [c for c in top if c != "OTHER"] + ["OTHER"]
    return {"risk_edges": edges, "risk_shares": risk_shares(risk, edges),
            "unseen_word_share": unseen_word_share(test["narrative"], router),
            "call_type_shares": call_type_shares(test["call_type"], categories), "calls": len(test)}


def evaluate(router: Router, calls: pd.DataFrame, label: str) -> tuple[dict[str, float], pd.DataFrame]:
    """Metrics of ``router`` on labelled ``calls``; also returns the per-call assessment."""
    assessed = router.assess(calls)
    y = calls[label].astype(int).to_numpy()
    risk = assessed["escalation_risk"].to_numpy()
    diverted = (assessed["recommendation"] == "crisis_team").to_numpy()
    red_line = assessed["red_line"].to_numpy()
    metrics: dict[str, float] = {
        "n_calls": float(len(calls)),
        "escalation_rate": float(y.mean()),
        **score_metrics(y, risk),
        **routing_metrics(y, diverted),
        "red_line_share": float(red_line.mean()),
        "red_line_escalation_rate": float(y[red_line].mean()) if red_line.any() else float("nan"),
        "needs_review_share": float(assessed["needs_review"].mean()),
        "threshold": router.policy.threshold,
        "drift_factor": router.policy.drift_factor,
        "threshold_ci_low": router.policy.threshold_ci[0],
        "threshold_ci_high": router.policy.threshold_ci[1],
        **_bootstrap_routing(y, diverted),
        **_conformal_coverage(y, risk, red_line, router.policy),
    }
    if router.policy.narrative_only_threshold is not None:
        metrics["narrative_only_threshold"] = router.policy.narrative_only_threshold
    if "responder" in calls and calls["responder"].notna().any():
        for responder, index in calls.groupby("responder").groups.items():
            mask = calls.index.isin(index)
            metrics[f"auc_responder_{responder}"] = safe_auc(y[mask], risk[mask])
            metrics[f"escalation_rate_responder_{responder}"] = float(y[mask].mean())
    if "district" in calls and calls["district"].notna().any():
        # DOMAIN.md, Fairness: audit diversion and under-triage per district.
        table = district_table(y, diverted, red_line, calls["district"], router)
        for district, row in table.iterrows():
            for column, value in row.items():
                metrics[f"district_{district}_{column}"] = float(value)
    if "true_risk" in calls and calls["true_risk"].notna().all():
        true_risk = calls["true_risk"].astype(float).to_numpy()
        metrics["auc_true_risk"] = safe_auc(y, true_risk)
        metrics["brier_true_risk"] = float(brier_score_loss(y, true_risk))
    return metrics, assessed
