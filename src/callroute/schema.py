"""The call and decision schemas, shared by ingestion, batch scoring and the API.

One pydantic model for a call at every edge (STYLE.md, "one schema at both edges"):
the training files are validated row by row against :class:`CallIn`, the API
validates request bodies against it, and batch files go through it too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

#: Longest narrative accepted. CAD narratives with appended updates rarely pass 2,000
#: characters; the bound protects the service from oversized payloads.
MAX_NARRATIVE_CHARS = 5000

CallerType = Literal["self", "family", "bystander", "business", "agency", "anonymous", "unknown"]
CALLER_TYPES: tuple[str, ...] = CallerType.__args__  # type: ignore[attr-defined]

ShortText = Annotated[str, Field(max_length=120)]

#: A call-taker's answer to a screening question.
Answer = Literal["yes", "no", "unknown"]


class Screening(BaseModel):
    """The call-taker's answers to the standard screening questions (EPD key questions), each yes / no / unknown.

    ``yes`` sets the fact, and a danger question answered yes (weapons, violence now, threat to others,
    self-harm means, officer requested) is a red line. ``no`` clears a fact the narrative only suggests; a
    danger the narrative states outright still stands, and the disagreement sets ``needs_review``.
    """

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"weapons": "no", "violence_now": "no", "intoxicated": "yes"},
        {"weapons": "yes"},
    ]})

    weapons: Answer | None = Field(default=None, description="Are there any weapons involved or within reach?")
    violence_now: Answer | None = Field(default=None, description="Is anyone being hurt right now?")
    threat_to_others: Answer | None = Field(default=None, description="Has the person threatened to hurt anyone?")
    self_harm_means: Answer | None = Field(default=None, description="Does the person have the means to hurt "
                                           "themselves at hand (pills, a blade, a rope, a height)?")
    intoxicated: Answer | None = Field(default=None, description="Is the person drunk or high?")
    medical_emergency: Answer | None = Field(default=None, description="Does anyone need emergency medical care?")
    officer_requested: Answer | None = Field(default=None, description="Does the caller or the person insist on an "
                                             "officer?")

    def answered(self) -> list[tuple[str, str]]:
        """(question, answer) for every question answered, in the schema's order."""
        return [(name, value) for name in type(self).model_fields if (value := getattr(self, name)) is not None]


class CallIn(BaseModel):
    """One call as known at dispatch time (nothing that happens afterwards)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    narrative: str = Field(
        min_length=1,
        max_length=MAX_NARRATIVE_CHARS,
        description="Call-taker narrative (free text, CAD shorthand welcome).",
    )
    call_id: ShortText | None = Field(default=None, description="The agency's own call identifier.")
    call_type: ShortText | None = Field(default=None, description="Initial call type as coded at intake.")
    district: ShortText | None = Field(default=None, description="District, precinct or beat of the call.")
    received_at: datetime | None = Field(default=None, description="When the call was received (ISO 8601).")
    caller_type: CallerType | None = Field(default=None, description="Who is calling.")
    priority: int | None = Field(default=None, ge=1, le=9, description="Intake priority, 1 most urgent.")
    location_prior_calls: int | None = Field(
        default=None,
        ge=0,
        le=10_000,
        description="Calls for service at the same location in the previous 90 days (premise history).",
    )
    screening: Screening | None = Field(default=None, description="The call-taker's screening answers, if asked.")

    @field_validator("narrative")
    @classmethod
    def _narrative_has_text(cls, value: str) -> str:
        if not any(ch.isalnum() for ch in value):
            raise ValueError("narrative must contain some letters or digits")
        return value

    @field_validator("call_type", "district")
    @classmethod
    def _upper_codes(cls, value: str | None) -> str | None:
        return value.upper() if value else None


#: Every field of a call as a column of a table (ingestion, batch): screening answers are asked at dispatch and
#: are not a column of an agency's history.
CALL_FIELDS: tuple[str, ...] = tuple(name for name in CallIn.model_fields if name != "screening")

#: Columns of the calls table that a model may use as inputs. Outcome columns,
#: ``true_risk`` and anything known only after the call are never in this list.
CALL_FEATURE_COLUMNS: tuple[str, ...] = (
    "narrative",
    "call_type",
    "district",
    "received_at",
    "caller_type",
    "priority",
    "location_prior_calls",
)


class RuleHit(BaseModel):
    """A red-line rule that fired, with the text that made it fire."""

    rule_id: str
    evidence: str


class FactOut(BaseModel):
    """A situation fact the decision used: read from the narrative or answered by the call-taker."""

    id: str
    state: Literal["present", "denied", "unknown"]
    probability: float = Field(ge=0.0, le=1.0, description="How sure the reading is (1.0: read by a rule or "
                               "answered by the call-taker).")
    evidence: str
    source: Literal["text", "screening"]


class Contribution(BaseModel):
    """One term of the explanation, on the score (log-odds) scale."""

    feature: str
    contribution: float


class Explanation(BaseModel):
    """Exact additive explanation: ``base + sum(contributions) + rest == score``."""

    score: float
    base: float
    rest: float
    contributions: list[Contribution]


class ModelInfo(BaseModel):
    """Which model and rule set made the decision."""

    name: str
    version: str
    ruleset: str


class Decision(BaseModel):
    """The routing decision for one call (docs/design.md, "A decision out")."""

    request_id: str
    call_id: str | None
    recommendation: Literal["crisis_team", "police"]
    escalation_risk: float = Field(ge=0.0, le=1.0)
    confidence: float = Field(ge=0.0, le=1.0)
    needs_review: bool
    medical_flag: bool = Field(default=False, description="EMS needed whatever the recommendation.")
    reasons: list[str]
    rules_fired: list[RuleHit]
    facts: list[FactOut] = Field(default_factory=list, description="The situation facts read or answered.")
    explanation: Explanation
    model: ModelInfo
    previous_request_id: str | None = Field(
        default=None, description="The decision this one supersedes: the same call before its latest update "
        "(POST /v1/calls/{call_id}/updates); None for a call's first decision.")
