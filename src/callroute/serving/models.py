"""Request and response bodies of the API beyond the shared call and decision schemas."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from callroute.data.eido import Eido, EidoIds
from callroute.schema import CallIn, Decision, Screening


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


class ReloadOut(BaseModel):
    """What ``POST /v1/admin/reload`` did."""

    reloaded: bool = Field(description="True when a new champion bundle was loaded and is now served.")
    previous_version: str | None
    version: str | None = Field(description="The model version served now (None: no model loaded).")
    refused: str | None = Field(default=None, description="Why the last new bundle was refused, if it was.")


class KeyOut(BaseModel):
    """One API key as ``GET /v1/admin/keys`` lists it (no secret, no hash)."""

    id: str
    role: Literal["dispatch", "auditor", "admin"]
    name: str
    created_at: str
    revoked_at: str | None


class EidoDecision(Decision):
    """The decision for an EIDO incident, with the EIDO's identifiers."""

    eido: EidoIds


class CallUpdate(BaseModel):
    """What was learned since a call was routed: remarks in the call-taker's words, or a newer EIDO of it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    remarks: str | None = Field(default=None, min_length=1, max_length=2000,
                                description="New remarks, added after the call's narrative.")
    eido: Eido | None = Field(default=None, description="The incident's newer EIDO (its notes so far replace the "
                              "narrative).")
    screening: Screening | None = Field(default=None, description="Screening answers given since.")
    priority: int | None = Field(default=None, ge=1, le=9, description="A changed intake priority.")

    @field_validator("remarks")
    @classmethod
    def _remarks_have_text(cls, value: str | None) -> str | None:
        if value is not None and not any(ch.isalnum() for ch in value):
            raise ValueError("remarks must contain some letters or digits")
        return value

    @model_validator(mode="after")
    def _one_kind(self) -> CallUpdate:
        if (self.remarks is None) == (self.eido is None):
            raise ValueError("give either remarks or eido (one of them)")
        return self


class HistoryEntry(BaseModel):
    """One decision of a call, as logged."""

    request_id: str
    logged_at: str
    key_id: str | None
    narrative: str = Field(description="The narrative it was routed on, as logged (redacted).")
    decision: Decision


class CallHistory(BaseModel):
    """Every decision of one call, oldest first (each update's names the one before in previous_request_id)."""

    call_id: str
    decisions: list[HistoryEntry]
