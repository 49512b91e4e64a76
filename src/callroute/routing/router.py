"""The Router: the one inference path (rules -> compiled score -> calibrate -> policy -> explain).

Evaluation, batch scoring, the CLI, the API and the MLflow pyfunc model all score through
the same compiled tables (:class:`~callroute.model.compiled.CompiledScorer`) and the same
calibrator arithmetic (:meth:`ScoreCalibrator.risk`), so none of them can disagree with another;
the single-call path (:meth:`Router.route`) uses no pandas and no scikit-learn.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from callroute import budget
from callroute.facts import PRESENT, FactReader, Reading
from callroute.language.noise import known_words, reads_as_noise
from callroute.language.redact import redact
from callroute.language.text import function_words
from callroute.model.calibrate import ScoreCalibrator
from callroute.model.compiled import EQUIVALENCE_TOLERANCE, CompiledScorer, probe_calls
from callroute.model.explain import FIELD_LABELS
from callroute.routing.policy import NARRATIVE_ONLY_FIELDS, Choice, Policy, decide, is_narrative_only
from callroute.routing.screening import Screened, apply_screening
from callroute.rules.engine import RuleResult, RuleSet
from callroute.schema import CALL_FEATURE_COLUMNS, CallIn, Decision, FactOut, ModelInfo, RuleHit

#: Smallest contribution (log-odds) named in a reason sentence: about a 10% change in the odds.
REASON_MIN_LOG_ODDS = 0.1
#: A call whose confidence is under this lies among the few calibration calls nearest its threshold (confidence is
#: measured in calibration calls, policy.py): the reasons say it sits on the line.
ON_THE_LINE_CONFIDENCE = 0.05


@dataclass
class Scored:
    """Vectorised intermediate results for a batch of calls."""

    rules: list[RuleResult]
    score: np.ndarray
    escalation_risk: np.ndarray


@dataclass
class Router:
    """Rules + fitted pipeline (and its compiled tables) + calibrator + policy, persisted as one object.

    ``pipeline`` is the training artefact; every score comes from ``scorer``, the tables compiled
    from it (model/compiled.py), which tests and :meth:`verify` hold equal to it within 1e-9.
    """

    pipeline: Pipeline
    calibrator: ScoreCalibrator
    policy: Policy
    ruleset: RuleSet
    scorer: CompiledScorer
    name: str = "callroute"
    version: str = "unregistered"
    metadata: dict = field(default_factory=dict)
    facts: FactReader | None = None  # the situation facts of every decision (the scorer's own in the fact family)

    # -- the shared core -------------------------------------------------------------
    def _score(self, calls: pd.DataFrame) -> Scored:
        """Rules on the raw narrative, then the compiled score of the redacted one, calibrated."""
        rules = [self.ruleset.evaluate(text) for text in _narratives(calls)]
        scores = self.scorer.score_many(scoring_records(calls))
        risk = np.fromiter((self.calibrator.risk(float(s)) for s in scores), dtype=np.float64, count=len(scores))
        return Scored(rules, scores, risk)

    def verify(self, calls: list[dict] | None = None) -> float:
        """Largest |compiled - pipeline| score on probe calls; raises when over the tolerance."""
        calls = probe_calls(self.scorer) if calls is None else calls
        gap = self.scorer.disagreement(self.pipeline, calls)
        if not gap <= EQUIVALENCE_TOLERANCE:
            raise ValueError(
                f"compiled scorer disagrees with its pipeline by {gap:.3g} on {len(calls)} probe calls "
                f"(tolerance {EQUIVALENCE_TOLERANCE:g})"
            )
        return gap

    def warm_up(self) -> None:
        """Do every first-use cost now (rule pre-checks, word memo, regex caches), not in a dispatcher's request."""
        self.ruleset.prepare()
        if self.facts is not None:
            self.facts.prepare()
            known_words()  # the noise check's vocabulary (about 25 ms to read, once a process)
        for narrative in ("RP STS SUBJ YELLING, NEG WPNS", "my neighbour is confused and cold", "he has a knife"):
            self.route(CallIn(narrative=narrative, district="WARM-UP", received_at="2024-01-01T02:00:00"))

    # -- vectorised assessment, for evaluation and batch files --------------------------
    def assess(self, calls: pd.DataFrame) -> pd.DataFrame:
        """Recommendation, risk, confidence and rule flags for many calls, without explanations."""
        scored = self._score(calls)
        districts = calls["district"].tolist() if "district" in calls else [None] * len(calls)
        # Which calls are bare narratives matters only to a policy with a narrative-only threshold (off by default).
        bare = [False] * len(calls)
        if self.policy.narrative_only_threshold is not None:
            described = calls.reindex(columns=list(NARRATIVE_ONLY_FIELDS)).to_dict("records")
            bare = [is_narrative_only(row) for row in described]
        choices = [
            decide(float(risk), result.fired, self.policy, district if isinstance(district, str) else None, only)
            for risk, result, district, only in zip(scored.escalation_risk, scored.rules, districts, bare, strict=True)
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

    # -- full decisions with explanations, for the CLI and the API (no pandas) ------------
    def route(self, call: CallIn, *, request_id: str | None = None) -> Decision:
        """Decide one call, with its facts, reasons and an exact explanation."""
        result = self.ruleset.evaluate(call.narrative)
        text_readings = self.facts.read(call.narrative) if self.facts is not None else {}
        screened = apply_screening(
            text_readings, call.screening, self.facts.catalogue, disabled=self.ruleset.disabled,
            text_red_lines={h.rule_id: h.evidence for h in result.red_lines},
            text_flags={h.rule_id: h.evidence for h in result.flags},
        ) if self.facts is not None else Screened({})
        red_lines = [*result.red_lines, *screened.red_lines]
        budget.check("the facts")
        redacted = redact(call.narrative)
        fields = {name: getattr(call, name) for name in CALL_FEATURE_COLUMNS}
        fields["narrative"] = redacted
        explanation = self.scorer.explain(fields, _field_values(call), readings=screened.readings)
        budget.check("the explanation")
        risk = self.calibrator.risk(explanation.score)
        bare = is_narrative_only(fields)
        choice = decide(risk, bool(red_lines), self.policy, call.district, bare)
        unread = self.facts is not None and not text_readings and reads_as_noise(call.narrative)
        in_band = choice.needs_review  # the conformal band's review (policy.py); the others are said below
        if screened.conflicts or unread:
            choice = Choice(choice.recommendation, choice.confidence, True)
        medical = bool(result.flags) or _answered_yes(screened.readings, "medical.distress")
        return Decision(
            request_id=request_id or uuid.uuid4().hex,
            call_id=call.call_id,
            recommendation=choice.recommendation,
            escalation_risk=risk,
            confidence=choice.confidence,
            needs_review=choice.needs_review,
            medical_flag=medical,
            reasons=self._reasons(result, risk, choice, explanation, call.district, bare, screened, unread, in_band),
            rules_fired=[_redacted_hit(h) for h in red_lines],
            facts=[FactOut(id=r.id, state=r.state, probability=r.probability, evidence=redact(r.evidence),
                           source=r.source) for r in screened.readings.values()],
            explanation=explanation,
            model=ModelInfo(name=self.name, version=self.version, ruleset=self.ruleset.ruleset_id),
        )

    def route_many(self, calls: list[CallIn], *, request_ids: list[str] | None = None) -> list[Decision]:
        """Decide several calls, each with reasons and an exact explanation."""
        ids = request_ids or [None] * len(calls)
        return [self.route(call, request_id=rid) for call, rid in zip(calls, ids, strict=True)]

    def _reasons(self, result: RuleResult, risk: float, choice: Choice, explanation, district: str | None = None,
                 narrative_only: bool = False, screened: Screened | None = None, unread: bool = False,
                 in_band: bool | None = None) -> list[str]:
        recommendation, needs_review, confidence = choice.recommendation, choice.needs_review, choice.confidence
        in_band = needs_review if in_band is None else in_band
        screened = screened or Screened({})
        reasons = [
            f"Red line {hit.rule_id}: {self.ruleset.reason_for(hit.rule_id)} Evidence: \"{redact(hit.evidence)}\"."
            for hit in result.red_lines
        ]
        reasons += [
            f"Red line {hit.rule_id}: the call-taker's screening answer ({hit.evidence.removeprefix('call-taker: ')}); "
            "a crisis team must not go alone." for hit in screened.red_lines
        ]
        reasons += [redact(conflict) + " Dispatcher review advised." for conflict in screened.conflicts]
        if unread:
            reasons.append("No situation fact could be read and most of the narrative is not words: dispatcher "
                           "review advised.")
        fired = result.fired or bool(screened.red_lines)
        evidence = self._evidence_by_label(screened.readings)
        threshold = self.policy.threshold_for(district, narrative_only)
        whose = f"{district}'s" if district in dict(self.policy.district_thresholds) else "the"
        if narrative_only and threshold < self.policy.threshold_for(district):
            whose = "the narrative-only"  # certified on calls that came without call type, priority, caller or history
        target = self.policy.unsafe_diversion_target
        if fired:
            reasons.append(f"Model estimate alone: {risk:.1%} escalation risk (overridden by the red-line rule).")
        else:
            side = "at or below" if recommendation == "crisis_team" else "above"
            reasons.append(
                f"Estimated escalation risk {risk:.1%} is {side} {whose} diversion threshold {threshold:.1%}, "
                f"set so that at most {target:.0%} of calls sent to the crisis team escalate."
            )
            if self.scorer.facts is not None:
                reasons += _fact_reasons(explanation, evidence)
            else:
                # Only factors that move the odds by at least 10% are worth a dispatcher's attention.
                raising = [c for c in explanation.contributions if c.contribution >= REASON_MIN_LOG_ODDS][:2]
                lowering = [c for c in explanation.contributions if c.contribution <= -REASON_MIN_LOG_ODDS][:2]
                reasons += [f"Raises the risk: {_told(c.feature, evidence)}." for c in raising]
                reasons += [f"Lowers the risk: {_told(c.feature, evidence)}." for c in lowering]
                if not raising and not lowering:
                    reasons.append("No single word or field moves the risk by 10% or more.")
            if confidence < ON_THE_LINE_CONFIDENCE:
                reasons.append(
                    f"On the line (confidence {confidence:.2f}): a small change in what is known could change "
                    "the recommendation."
                )
        if in_band:
            low, high = self.policy.review_low, self.policy.review_high
            reasons.append(
                f"The model cannot separate calls at this risk ({low:.1%} to {high:.1%}): both outcomes are common "
                "there; dispatcher review advised."
            )
        for hit in result.flags:
            reasons.append(f"{self.ruleset.reason_for(hit.rule_id)} Evidence: \"{redact(hit.evidence)}\".")
        return reasons

    def _evidence_by_label(self, readings: dict[str, Reading]) -> dict[str, str]:
        """Explanation label ("fact: no weapon") -> the words or answer that say it, for the reasons."""
        if self.facts is None:
            return {}
        out = {}
        for reading in readings.values():
            spec = self.facts.catalogue.by_id[reading.id]
            label = spec.denied_label if reading.state != PRESENT else spec.label
            if label is not None:
                out[f"fact: {label}"] = reading.evidence
        return out


#: Words of who reported and how ("caller", "subject", "says", "RP STS"): a phrase of nothing else says nothing of
#: what happened, and its reason sentence says so, so that a dispatcher can weigh it ("he said" raised the risk
#: because the training calls' threats were reported with it).
_REPORTING_WORDS = frozenset({
    "caller", "callers", "caller's", "subject", "subjects", "subject's", "subj", "rp", "rp's", "dispatcher", "ct",
    "complainant", "reporting", "party", "person", "person's", "says", "said", "saying", "states", "stated", "sts",
    "reports", "reported", "told", "tells", "advises", "advised", "adv", "asks", "asked", "calls", "called",
    "calling", "per", "update", "updt",
})


def reporting_only(feature: str) -> bool:
    """Whether an explanation entry is a narrative phrase made only of reporting and function words."""
    if not feature.startswith("narrative"):
        return False
    words = feature.split(": ", 1)[-1].split()
    return all(w in _REPORTING_WORDS or w in function_words() for w in words)


def _told(feature: str, evidence: dict[str, str] | None = None) -> str:
    """An explanation entry as a reason sentence names it: a fact with its evidence, a field as it is."""
    if feature.startswith("fact: "):
        said = (evidence or {}).get(feature)
        label = feature.removeprefix("fact: ")
        if said is None:
            return label
        said = redact(said)
        return f"{label} ({said})" if said.startswith("call-taker:") else f"{label} (\"{said}\")"
    return f"{feature} (words of reporting, not of what happened)" if reporting_only(feature) else feature


#: How a structured field is named in an explanation (model/explain.py FIELD_LABELS): "call type: 415", ...
_FIELD_PREFIXES = tuple(f"{label}: " for label in FIELD_LABELS.values())


def _fact_reasons(explanation, evidence: dict[str, str]) -> list[str]:
    """Reasons of a family that reads facts: each fact or field that moves the risk by 10% or more.

    A fact comes with its evidence; the narrative's remaining words (a hybrid's n-grams and meaning) are one sum,
    never named word by word.
    """
    named = [c for c in explanation.contributions if c.feature.startswith(("fact: ", *_FIELD_PREFIXES))]
    wording = explanation.score - explanation.base - sum(c.contribution for c in named)
    moving = sorted((c for c in named if abs(c.contribution) >= REASON_MIN_LOG_ODDS),
                    key=lambda c: -abs(c.contribution))[:4]
    reasons = [f"{'Raises' if c.contribution > 0 else 'Lowers'} the risk: {_told(c.feature, evidence)}."
               for c in moving]
    if abs(wording) >= REASON_MIN_LOG_ODDS:
        reasons.append(f"{'Raises' if wording > 0 else 'Lowers'} the risk: the narrative's wording beyond the facts "
                       f"read ({wording:+.2f} log-odds in all).")
    if not reasons:
        reasons.append(NOTHING_MOVES)
    if not evidence:
        reasons.append("No situation fact was read in the narrative.")
    return reasons


#: The reason of a fact-reading family when no fact, field or the wording moves the odds by 10%.
NOTHING_MOVES = "No fact, field or wording moves the risk by 10% or more."


def _answered_yes(readings: dict[str, Reading], fact_id: str) -> bool:
    reading = readings.get(fact_id)
    return reading is not None and reading.state == PRESENT and reading.source == "screening"


def _narratives(calls: pd.DataFrame) -> list[str]:
    return [text if isinstance(text, str) else "" for text in calls.reindex(columns=["narrative"])["narrative"]]


def scoring_records(calls: pd.DataFrame) -> list[dict]:
    """Calls as the compiled scorer reads them: the feature columns, the narrative redacted (as served)."""
    records = calls.reindex(columns=list(CALL_FEATURE_COLUMNS)).to_dict("records")
    for record, text in zip(records, _narratives(calls), strict=True):
        record["narrative"] = redact(text)
    return records


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
