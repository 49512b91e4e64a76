"""The Router: the one inference path (rules -> features -> score -> calibrate -> policy -> explain).

Evaluation, batch scoring, the CLI, the API and the MLflow pyfunc model all call
:meth:`Router.route_many` or :meth:`Router.assess`, which share
:meth:`Router._score`; so none of them can disagree with another.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from callroute.language.redact import redact
from callroute.language.text import normalize_narrative
from callroute.model.calibrate import ScoreCalibrator
from callroute.model.explain import LinearExplainer
from callroute.model.features import FEATURES_STEP, MODEL_STEP, prepare_frame
from callroute.routing.policy import Policy, decide
from callroute.rules.engine import RuleResult, RuleSet
from callroute.schema import CALL_FEATURE_COLUMNS, CallIn, Decision, ModelInfo, RuleHit

#: Smallest contribution (log-odds) named in a reason sentence: about a 10% change in the odds.
REASON_MIN_LOG_ODDS = 0.1


@dataclass
class Scored:
    """Vectorised intermediate results for a batch of calls."""

    rules: list[RuleResult]
    redacted: list[str]  # the narratives as the features saw them
    features: object  # sparse matrix of transformed inputs
    score: np.ndarray
    escalation_risk: np.ndarray


@dataclass
class Router:
    """Rules + fitted pipeline + calibrator + policy + explainer, persisted as one object."""

    pipeline: Pipeline
    calibrator: ScoreCalibrator
    policy: Policy
    ruleset: RuleSet
    explainer: LinearExplainer
    name: str = "callroute"
    version: str = "unregistered"
    metadata: dict = field(default_factory=dict)

    # -- the shared core -------------------------------------------------------------
    def _score(self, calls: pd.DataFrame) -> Scored:
        """Rules on the raw narrative, then features on the redacted one, score, calibrate."""
        rules = [self.ruleset.evaluate(text) for text in calls["narrative"].astype(str)]
        redacted = [redact(text) for text in calls["narrative"].astype(str)]
        features = self.pipeline.named_steps[FEATURES_STEP].transform(prepare_frame(calls.assign(narrative=redacted)))
        score = self.pipeline.named_steps[MODEL_STEP].decision_function(features)
        return Scored(rules, redacted, features, score, self.calibrator.predict(score))

    # -- vectorised assessment, for evaluation and batch files --------------------------
    def assess(self, calls: pd.DataFrame) -> pd.DataFrame:
        """Recommendation, risk, confidence and rule flags for many calls, without explanations."""
        scored = self._score(calls)
        choices = [
            decide(float(risk), result.fired, self.policy)
            for risk, result in zip(scored.escalation_risk, scored.rules, strict=True)
        ]
        return pd.DataFrame(
            {
                "recommendation": [c.recommendation for c in choices],
                "escalation_risk": scored.escalation_risk,
                "confidence": [c.confidence for c in choices],
                "needs_review": [c.needs_review for c in choices],
                "red_line": [r.fired for r in scored.rules],
                "rules_fired": [";".join(h.rule_id for h in r.red_lines) for r in scored.rules],
                "medical_flag": [bool(r.flags) for r in scored.rules],
                "score": scored.score,
            },
            index=calls.index,
        )

    # -- full decisions with explanations, for the CLI and the API ----------------------
    def route(self, call: CallIn, *, request_id: str | None = None) -> Decision:
        """Decide one call."""
        return self.route_many([call], request_ids=[request_id] if request_id else None)[0]

    def route_many(self, calls: list[CallIn], *, request_ids: list[str] | None = None) -> list[Decision]:
        """Decide several calls, each with reasons and an exact explanation."""
        frame = pd.DataFrame([c.model_dump() for c in calls], columns=list(CALL_FEATURE_COLUMNS))
        scored = self._score(frame)
        decisions = []
        for i, call in enumerate(calls):
            result = scored.rules[i]
            risk = float(scored.escalation_risk[i])
            choice = decide(risk, result.fired, self.policy)
            explanation = self.explainer.explain(
                scored.features[i], _field_values(call), float(scored.score[i]),
                normalize_narrative(scored.redacted[i]), scored.redacted[i],
            )
            decisions.append(
                Decision(
                    request_id=request_ids[i] if request_ids else uuid.uuid4().hex,
                    call_id=call.call_id,
                    recommendation=choice.recommendation,
                    escalation_risk=risk,
                    confidence=choice.confidence,
                    needs_review=choice.needs_review,
                    medical_flag=bool(result.flags),
                    reasons=self._reasons(result, risk, choice.recommendation, choice.needs_review, explanation),
                    rules_fired=[_redacted_hit(h) for h in result.red_lines],
                    explanation=explanation,
                    model=ModelInfo(name=self.name, version=self.version, ruleset=self.ruleset.ruleset_id),
                )
            )
        return decisions

    def _reasons(self, result: RuleResult, risk: float, recommendation: str, needs_review: bool,
                 explanation) -> list[str]:
        reasons = [
            f"Red line {hit.rule_id}: {self.ruleset.reason_for(hit.rule_id)} Evidence: \"{redact(hit.evidence)}\"."
            for hit in result.red_lines
        ]
        threshold = self.policy.threshold
        target = self.policy.unsafe_diversion_target
        if result.fired:
            reasons.append(f"Model estimate alone: {risk:.1%} escalation risk (overridden by the red-line rule).")
        else:
            side = "at or below" if recommendation == "crisis_team" else "above"
            reasons.append(
                f"Estimated escalation risk {risk:.1%} is {side} the diversion threshold {threshold:.1%}, "
                f"set so that at most {target:.0%} of calls sent to the crisis team escalate."
            )
            # Only factors that move the odds by at least 10% are worth a dispatcher's attention.
            raising = [c for c in explanation.contributions if c.contribution >= REASON_MIN_LOG_ODDS][:2]
            lowering = [c for c in explanation.contributions if c.contribution <= -REASON_MIN_LOG_ODDS][:2]
            reasons += [f"Raises the risk: {c.feature}." for c in raising]
            reasons += [f"Lowers the risk: {c.feature}." for c in lowering]
        if needs_review:
            reasons.append(
                "Close to the threshold: the model cannot separate this call well; dispatcher review advised."
            )
        for hit in result.flags:
            reasons.append(f"{self.ruleset.reason_for(hit.rule_id)} Evidence: \"{redact(hit.evidence)}\".")
        return reasons


def _redacted_hit(hit: RuleHit) -> RuleHit:
    return RuleHit(rule_id=hit.rule_id, evidence=redact(hit.evidence))


def _field_values(call: CallIn) -> dict[str, str]:
    """How each structured group is named in an explanation."""
    received = call.received_at
    return {
        "call_type": call.call_type or "unknown",
        "district": call.district or "unknown",
        "caller_type": call.caller_type or "unknown",
        "priority": str(call.priority) if call.priority is not None else "unknown",
        "time": f"{received.hour:02d}:{received.minute:02d}" if received else "unknown",
        "premise": str(call.location_prior_calls) if call.location_prior_calls is not None else "unknown",
    }
