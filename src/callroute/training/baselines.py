"""What agencies use today, measured by the same evaluation code as the model.

Four routers, each "red-line rules + a score", each with its threshold chosen on the
calibration split by the same rule (``thresholds.choose_threshold``) and judged on the same
test calls by the same metrics (``evaluate.score_metrics`` and ``routing_metrics``):

(a) ``call_type_list``: Denver STAR's eligible call types (DOMAIN.md) matched against the
    agency's call-type strings; eligible calls score 0, the rest 1.
(b) ``keyword_rules``: the red-line rules plus a keyword count (risk words minus calming
    words) of the kind scripted protocols use.
(c) ``model``: the trained Router.
(d) ``oracle``: the generator's exact ``true_risk`` (synthetic data only): the limit.

Scores are mapped to probabilities by isotonic regression on the calibration split, so
AUC, Brier and ECE compare like with like.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from callroute.config import ExperimentConfig
from callroute.model.calibrate import ScoreCalibrator
from callroute.routing.router import Router
from callroute.training.evaluate import routing_metrics, score_metrics
from callroute.training.thresholds import choose_threshold

# Denver STAR's eligible types: assist, disturbance, indecent exposure, intoxicated person,
# narcotics, suicidal series, syringe disposal, trespass, welfare check (DOMAIN.md).
STAR_ELIGIBLE = re.compile(
    r"WELFARE|INTOX|PERSON DOWN|CHECK FOR PERSON DOWN|CRISIS|BEHAVIORAL|MENTAL|SUICID|DISTURBANCE|TRESPASS|PROWLER|"
    r"LEWD|EXPOS|NARCOTIC|SYRINGE|NEEDLE|ASSIST PUBLIC|NOISE",
)
STAR_EXCLUDED = re.compile(r"\bDV\b|DOMESTIC|ASLT|ASSAULT|THREAT|WEAPON|SHOOT")

RISK_WORDS = ("yelling", "screaming", "aggressive", "combative", "threat", "threatening", "agitated", "fighting",
              "punching", "violent", "breaking", "weapon", "weapons", "knife", "gun", "throwing", "following")
CALM_WORDS = ("calm", "cooperative", "quiet", "sitting", "sleeping", "confused", "crying")


def star_eligible(call_type: object) -> bool:
    """Whether an agency call-type string is on STAR's eligible list (keyword match)."""
    text = str(call_type or "").upper()
    return bool(STAR_ELIGIBLE.search(text)) and not STAR_EXCLUDED.search(text)


def keyword_score(narrative: str) -> float:
    """Risk words minus calming words, outside negated phrases ("no weapons" does not count)."""
    from callroute.language.text import normalize_narrative

    tokens = normalize_narrative(narrative).split()
    return float(sum(t in RISK_WORDS for t in tokens) - sum(t in CALM_WORDS for t in tokens))


#: How (a) and (b) route when used as agencies use them, without a risk target: divert
#: when the score is at most this (eligible type; no more risk words than calming ones).
AS_USED_CUTOFF = {"call_type_list": 0.0, "keyword_rules": 0.0}


def _scorers() -> dict[str, Callable[[pd.DataFrame], np.ndarray]]:
    return {
        "call_type_list": lambda calls: np.array([0.0 if star_eligible(t) else 1.0 for t in calls["call_type"]]),
        "keyword_rules": lambda calls: np.array([keyword_score(n) for n in calls["narrative"]]),
        "oracle": lambda calls: calls["true_risk"].astype(float).to_numpy(),
    }


def compare(
    router: Router, calibration: pd.DataFrame, test: pd.DataFrame, config: ExperimentConfig,
    *, test_assessment: pd.DataFrame | None = None, calibration_assessment: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per router: diverted share, unsafe-diversion rate, AUC, Brier, ECE on the test split."""
    label = config.label.name
    # Red lines as the Router itself finds them, so every baseline is held to the same rules.
    assessed = router.assess(test) if test_assessment is None else test_assessment
    cal_assessed = router.assess(calibration) if calibration_assessment is None else calibration_assessment
    cal_red = cal_assessed["red_line"].to_numpy()
    test_red = assessed["red_line"].to_numpy()
    cal_y = calibration[label].astype(int).to_numpy()
    test_y = test[label].astype(int).to_numpy()
    rows = []
    for name, scorer in _scorers().items():
        if name == "oracle" and ("true_risk" not in test or test["true_risk"].isna().any()):
            continue
        cal_scores, test_scores = scorer(calibration), scorer(test)
        calibrator = ScoreCalibrator(method="isotonic").fit(cal_scores, cal_y)
        cal_risk, test_risk = calibrator.predict(cal_scores), calibrator.predict(test_scores)
        threshold = choose_threshold(
            cal_risk[~cal_red], cal_y[~cal_red], target=config.policy.unsafe_diversion_target,
            min_diverted=config.policy.min_diverted, conservative=config.policy.conservative,
        )
        row = _row(name, threshold, test_y, test_risk, test_red)
        if name in AS_USED_CUTOFF:
            as_used = routing_metrics(test_y, (test_scores <= AS_USED_CUTOFF[name]) & ~test_red)
            row["as_used_diverted_share"] = as_used["diverted_share"]
            row["as_used_unsafe_diversion_rate"] = as_used["unsafe_diversion_rate"]
        rows.append(row)
    # The model keeps its own calibrator and threshold, both fitted on the same calibration split,
    # and its decisions are the Router's own, not recomputed here.
    diverted = (assessed["recommendation"] == "crisis_team").to_numpy()
    rows.insert(2, {"router": "model", "threshold": router.policy.threshold, **routing_metrics(test_y, diverted),
                    **score_metrics(test_y, assessed["escalation_risk"].to_numpy())})
    return pd.DataFrame(rows).set_index("router")


def _row(name: str, threshold: float, y: np.ndarray, risk: np.ndarray, red_line: np.ndarray) -> dict:
    diverted = (risk <= threshold) & ~red_line  # the rule of policy.decide, for scores that are not a Router
    return {"router": name, "threshold": threshold, **routing_metrics(y, diverted), **score_metrics(y, risk)}


def with_unseen(seen: pd.DataFrame, unseen: pd.DataFrame) -> pd.DataFrame:
    """The seen-wording table with each router's figures on unseen wording as ``unseen_*`` columns."""
    columns = ["diverted_share", "unsafe_diversion_rate", "auc"]
    return seen.join(unseen[columns].add_prefix("unseen_"))


def as_markdown(table: pd.DataFrame, target: float) -> str:
    """The comparison as a Markdown table, for the terminal, MLflow and the README."""
    unseen = "unseen_auc" in table
    lines = [
        f"| router | diverted share (unsafe <= {target:.0%}) | unsafe-diversion rate | AUC | Brier | ECE "
        "| as used without a target: diverted / unsafe |"
        + (" unseen wording: diverted / unsafe / AUC |" if unseen else ""),
        "|---|---|---|---|---|---|---|" + ("---|" if unseen else ""),
    ]
    for name, row in table.iterrows():
        as_used = row.get("as_used_diverted_share", float("nan"))
        used = (f"{as_used:.1%} / {row['as_used_unsafe_diversion_rate']:.2%}" if as_used == as_used else "same")
        line = (
            f"| {name} | {row['diverted_share']:.1%} | {row['unsafe_diversion_rate']:.2%} | {row['auc']:.3f} | "
            f"{row['brier']:.4f} | {row['ece']:.4f} | {used} |"
        )
        if unseen:
            line += (f" {row['unseen_diverted_share']:.1%} / {row['unseen_unsafe_diversion_rate']:.2%} / "
                     f"{row['unseen_auc']:.3f} |")
        lines.append(line)
    return "\n".join(lines)
