"""Audit: logged decisions and the served model (auditor role), reported outcomes (dispatch role)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from callroute.serving.deps import Auditor, CallRouterDep, DecisionLogDep, Dispatch, ManifestDep
from callroute.serving.models import DistrictOut, ModelOut, OutcomeAck, OutcomeIn

api = APIRouter(tags=["audit"])


@api.get("/v1/decisions/{request_id}", dependencies=[Auditor])
def get_decision(request_id: str, log: DecisionLogDep) -> dict:
    """A logged decision with its redacted call and any reported outcomes."""
    record = log.get(request_id)
    if record is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no decision with request_id {request_id!r}")
    return record


@api.post("/v1/outcomes", response_model=OutcomeAck, status_code=201, dependencies=[Dispatch])
def post_outcome(outcome: OutcomeIn, log: DecisionLogDep) -> OutcomeAck:
    """Record what happened on a routed call."""
    if not log.add_outcome(outcome.request_id, outcome.model_dump(exclude={"request_id"})):
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no decision with request_id {outcome.request_id!r}")
    return OutcomeAck(request_id=outcome.request_id, stored=True)


@api.get("/v1/model", response_model=ModelOut, dependencies=[Auditor])
def model_info(call_router: CallRouterDep, manifest: ManifestDep) -> ModelOut:
    """The served model version, its test metrics, threshold and rule set."""
    policy = call_router.policy
    return ModelOut(
        name=call_router.name,
        version=call_router.version,
        ruleset=call_router.ruleset.ruleset_id,
        threshold=policy.threshold,
        threshold_ci=policy.threshold_ci,
        narrative_only_threshold=policy.narrative_only_threshold,
        unsafe_diversion_target=policy.unsafe_diversion_target,
        review_band=(policy.review_low, policy.review_high),
        review_alpha=policy.review_alpha,
        run_id=manifest.get("run_id"),
        created_at=manifest.get("created_at", ""),
        label=manifest.get("label"),
        metrics=manifest.get("metrics", {}),
        districts=district_rows(call_router, manifest.get("metrics", {})),
    )


def district_rows(call_router, metrics: dict[str, float]) -> list[DistrictOut]:
    """The district table of the served model: its thresholds (policy) beside its test figures (metrics)."""
    rows = []
    for name, entry in sorted(call_router.metadata.get("districts", {}).items()):

        def figure(key: str, district: str = name) -> float | None:
            value = metrics.get(f"district_{district}_{key}")
            return None if value is None or value != value else float(value)

        low, high = figure("unsafe_ci_low"), figure("unsafe_ci_high")
        rows.append(DistrictOut(
            district=name, threshold=call_router.policy.threshold_for(name), certified=bool(entry["certified"]),
            note=entry["note"], calls=figure("calls"), diverted_share=figure("diverted_share"),
            unsafe_diversion_rate=figure("unsafe_diversion_rate"),
            unsafe_ci=(low, high) if low is not None and high is not None else None,
            false_police_rate=figure("false_police_rate"),
        ))
    return rows
