"""Seen against unseen wording: whether the Router holds on words its training calls never used.

Generated training calls are written with half A of every lexicon (language/lexicons). A run on
generated data also writes ``evaluation.unseen_rows`` calls over the test period with half B only
and scores them with the same Router: AUC, diverted share, unsafe-diversion rate and red-line recall
(share of calls whose narrative states a red-line fact on which a red line fired), overall and per
register (CAD shorthand, call-taker plain English, caller's own words), beside the same figures on
the (seen-wording) test split.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from callroute.config import ExperimentConfig
from callroute.data.synth.generator import RED_LINE_CUES, generate_rows
from callroute.data.synth.narrative import REGISTERS
from callroute.routing.router import Router
from callroute.training.evaluate import routing_metrics, safe_auc
from callroute.training.thresholds import choose_threshold


def is_generated(calls: pd.DataFrame) -> bool:
    """Calls written by callroute's generator with lexicon half A (the only data the measure applies to)."""
    return "wording" in calls and calls["wording"].notna().all() and set(calls["wording"]) == {"A"}


def unseen_calls(test: pd.DataFrame, config: ExperimentConfig) -> pd.DataFrame:
    """Calls of the test split's period written with lexicon half B, labelled like the training data."""
    start = pd.Timestamp(test["received_at"].min()).to_pydatetime()
    end = pd.Timestamp(test["received_at"].max()).to_pydatetime()
    frame = pd.DataFrame(list(generate_rows(config.evaluation.unseen_rows, config.evaluation.unseen_seed,
                                            wording="B", start=start, end=end)))
    outcomes = frame[list(config.label.any_of)].astype(int)
    frame[config.label.name] = outcomes.max(axis=1)
    frame["received_at"] = pd.to_datetime(frame["received_at"])
    return frame


def diverted_at_target(risk: np.ndarray, escalated: np.ndarray, target: float, total: int) -> float:
    """Share of all ``total`` calls a threshold chosen on these very calls could divert at ``target``.

    The ranking's worth at the target (observed rate, no bound): comparable between seen and unseen
    wording because each set gets its own threshold, unlike the deployed threshold's diverted share.
    """
    threshold = choose_threshold(risk, escalated, target=target, min_diverted=30, conservative=False)
    return float((risk <= threshold).sum() / total) if threshold > 0 else 0.0


def wording_figures(assessed: pd.DataFrame, calls: pd.DataFrame, label: str,
                    target: float = 0.02) -> dict[str, float]:
    """AUC, diverted share, unsafe rate and red-line recall, overall and per register."""
    y = calls[label].astype(int).to_numpy()
    risk = assessed["escalation_risk"].to_numpy()
    diverted = (assessed["recommendation"] == "crisis_team").to_numpy()
    fired = assessed["red_line"].to_numpy()
    must = calls["cues"].fillna("").map(lambda c: bool(set(str(c).split()) & RED_LINE_CUES)).to_numpy()
    registers = calls["register"].fillna("").to_numpy()
    out: dict[str, float] = {}
    for name, mask in [("all", np.ones(len(y), dtype=bool)), *((r, registers == r) for r in REGISTERS)]:
        if not mask.any():
            continue
        prefix = "" if name == "all" else f"{name}_"
        routed = routing_metrics(y[mask], diverted[mask])
        out[f"{prefix}auc"] = safe_auc(y[mask], risk[mask])
        out[f"{prefix}diverted_share"] = routed["diverted_share"]
        out[f"{prefix}unsafe_diversion_rate"] = routed["unsafe_diversion_rate"]
        out[f"{prefix}red_line_recall"] = float(fired[mask & must].mean()) if (mask & must).any() else float("nan")
        out[f"{prefix}diverted_at_target"] = diverted_at_target(risk[mask & ~fired], y[mask & ~fired], target,
                                                                len(y[mask]))
        out[f"{prefix}calls"] = float(mask.sum())
    return out


def compare_wording(router: Router, test: pd.DataFrame, test_assessment: pd.DataFrame, unseen: pd.DataFrame,
                    unseen_assessment: pd.DataFrame, label: str) -> dict[str, float]:
    """``wording_seen_*`` and ``wording_unseen_*`` figures and the gaps the issue targets name."""
    target = router.policy.unsafe_diversion_target
    seen = wording_figures(test_assessment, test, label, target)
    other = wording_figures(unseen_assessment, unseen, label, target)
    out = {f"wording_seen_{k}": v for k, v in seen.items()}
    out.update({f"wording_unseen_{k}": v for k, v in other.items()})
    out["wording_auc_gap"] = seen["auc"] - other["auc"]
    out["wording_diverted_gap"] = seen["diverted_share"] - other["diverted_share"]
    out["wording_diverted_at_target_gap"] = seen["diverted_at_target"] - other["diverted_at_target"]
    return out
