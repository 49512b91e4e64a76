"""Request and response bodies of the API beyond the shared call and decision schemas."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from callroute.schema import CallIn, Decision


class BatchIn(BaseModel):
    """Several calls in one request."""

    model_config = ConfigDict(extra="forbid")
    calls: list[CallIn] = Field(min_length=1)


class BatchOut(BaseModel):
    """One decision per call, in order."""

    decisions: list[Decision]


class OutcomeIn(BaseModel):
    """What happened on a routed call, reported afterwards (feedback for monitoring and retraining)."""

    model_config = ConfigDict(extra="forbid")
    request_id: str = Field(min_length=1, max_length=64)
    responder: Literal["crisis_team", "police", "both", "none"]
    weapon_found: bool = False
    violence: bool = False
    backup_requested: bool = False
    injury: bool = False
    arrest: bool = False
    notes: str | None = Field(default=None, max_length=2000)


class OutcomeAck(BaseModel):
    """Acknowledgement that an outcome was stored."""

    request_id: str
    stored: bool


class DistrictOut(BaseModel):
    """One district: the threshold that applies there, whether it is certified, and its test figures."""

    district: str
    threshold: float
    certified: bool
    note: str
    calls: float | None = None
    diverted_share: float | None = None
    unsafe_diversion_rate: float | None = None
    unsafe_ci: tuple[float, float] | None = None
    false_police_rate: float | None = None


class ModelOut(BaseModel):
    """The served model: version, metrics, threshold and rule set."""

    name: str
    version: str
    ruleset: str
    threshold: float
    threshold_ci: tuple[float, float]
    # Certified for calls that come with a narrative only (no call type, priority, caller type or premise
    # history); such a call is judged by the lower of this and its city or district threshold. Null when the
    # model was trained with policy.narrative_only = false (the default).
    narrative_only_threshold: float | None = None
    unsafe_diversion_target: float
    review_band: tuple[float, float]
    review_alpha: float
    run_id: str | None
    created_at: str
    label: str | None
    metrics: dict[str, float]
    districts: list[DistrictOut] = []
