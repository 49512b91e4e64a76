"""Behavioural tests of the trained Router: invariance and direction (CheckList style)."""

from __future__ import annotations

import pytest

from callroute.data import synth
from callroute.schema import CallIn

pytestmark = pytest.mark.integration

BASES = [
    "RP STS {who} YELLING IFO 7-11, NEG WPNS",
    "CHK WELFARE OF {who} AT BUS STOP, SUBJ CONFUSED",
    "{who} TALKING TO SELF IN LOBBY, HX 5150",
    "647F {who} PASSED OUT ON SIDEWALK",
]
DESCRIPTORS = ["W/M 30S", "B/M 30S", "H/M 30S", "A/M 30S", "W/F 30S", "B/F 30S", "BLACK MALE 30S",
               "WHITE FEMALE 30S"]


@pytest.mark.parametrize("base", BASES)
def test_demographic_descriptors_do_not_move_the_risk(router, base: str) -> None:
    # Given the same call described with different race and sex descriptors
    calls = [CallIn(narrative=base.format(who=d), call_type="SERVICE - WELFARE CHECK") for d in DESCRIPTORS]
    # When they are routed
    decisions = router.route_many(calls)
    # Then the score is identical, not merely close
    scores = {d.explanation.score for d in decisions}
    assert len(scores) == 1, f"descriptors changed the score: {dict(zip(DESCRIPTORS, scores, strict=False))}"


@pytest.mark.parametrize(
    "variants",
    [
        ["SUBJ AT 1234 N MAIN ST YELLING", "SUBJ AT 77 ELM AVE YELLING"],
        ["RP CALLBACK 206-555-0101, SUBJ CALM", "RP CALLBACK 425-555-9999, SUBJ CALM"],
        ["RP EMAIL ANN@EXAMPLE.ORG, SUBJ CALM", "RP EMAIL BOB@MAIL.COM, SUBJ CALM"],
    ],
)
def test_addresses_and_contact_details_do_not_move_the_risk(router, variants: list[str]) -> None:
    scores = {d.explanation.score for d in router.route_many([CallIn(narrative=v) for v in variants])}
    assert len(scores) == 1, f"personal identifiers changed the score: {variants}"


@pytest.mark.parametrize("base", [b.format(who="SUBJ") for b in BASES])
@pytest.mark.parametrize("cue", ["SUBJ HAS A GUN", "UPDT: RP NOW STS SUBJ HAS KNIFE", "SUBJ HITTING RP"])
def test_adding_a_red_line_cue_always_sends_police(router, base: str, cue: str) -> None:
    before = router.route(CallIn(narrative=base))
    after = router.route(CallIn(narrative=f"{base}. {cue}"))
    assert after.recommendation == "police" and after.rules_fired, f"{cue!r} must force police: {after.reasons}"
    assert after.escalation_risk >= before.escalation_risk, (
        f"adding {cue!r} lowered the model's risk from {before.escalation_risk:.3f} to {after.escalation_risk:.3f}"
    )


CALMING = ["NO WEAPONS SEEN", "NEG WPNS", "SUBJ CALM AND COOPERATIVE", "DENIES SI"]
DIRECTION_BASES = [
    "RP STS SUBJ YELLING IFO 7-11",
    "CHK WELFARE OF SUBJ AT BUS STOP",
    "SUBJ TALKING TO SELF IN LOBBY, HX 5150",
    "415 VERBAL AT PARK, SUBJ UPSET",
    "SUBJ PACING AND SCREAMING AT CARS",
]


@pytest.mark.parametrize("base", DIRECTION_BASES)
@pytest.mark.parametrize("calming", CALMING)
def test_adding_a_calming_fact_never_raises_the_risk(router, base: str, calming: str) -> None:
    before = router.route(CallIn(narrative=base)).escalation_risk
    after = router.route(CallIn(narrative=f"{base}. {calming}")).escalation_risk
    assert after <= before + 1e-9, f"adding {calming!r} raised the risk of {base!r}: {before:.4f} -> {after:.4f}"


@pytest.mark.parametrize(
    ("call_type", "narrative"),
    [
        ("SERVICE - WELFARE CHECK", "ELDERLY SUBJ CONFUSED AT BUS STOP, CALM, NO WEAPONS SEEN"),
        ("PERSON IN BEHAVIORAL/EMOTIONAL CRISIS", "SUBJ TALKING TO SELF, CALM, COOPERATIVE, NEG WPNS"),
        ("DOWN - CHECK FOR PERSON DOWN", "SUBJ SLEEPING ON BENCH, BREATHING, NO WEAPONS"),
    ],
)
def test_textbook_crisis_calls_are_diverted(router, call_type: str, narrative: str) -> None:
    decision = router.route(CallIn(narrative=narrative, call_type=call_type))
    assert decision.recommendation == "crisis_team", (decision.escalation_risk, router.policy.threshold,
                                                       decision.reasons)


@pytest.mark.parametrize(
    "call_type",
    ["SERVICE - WELFARE CHECK", "PERSON IN BEHAVIORAL/EMOTIONAL CRISIS", "DISTURBANCE, MISCELLANEOUS/OTHER",
     "SUSPICIOUS PERSON, VEHICLE OR INCIDENT", "TRESPASS"],
)
def test_an_assault_in_progress_goes_to_police_whatever_the_call_type(router, call_type: str) -> None:
    decision = router.route(CallIn(narrative="SUBJ PUNCHING RP, FIGHT IN PROGRESS", call_type=call_type))
    assert decision.recommendation == "police" and decision.rules_fired, decision.reasons


ALL_CALL_TYPES = sorted(synth.load_profiles().code_to_key())


@pytest.mark.parametrize("call_type", ALL_CALL_TYPES)
def test_every_call_type_ranks_an_agitated_call_above_a_calm_one(router, call_type: str) -> None:
    calm = router.route(CallIn(narrative="SUBJ CALM, COOPERATIVE, NO WEAPONS SEEN", call_type=call_type))
    agitated = router.route(CallIn(narrative="SUBJ AGGRESSIVE, YELLING, COMBATIVE", call_type=call_type))
    assert agitated.escalation_risk > calm.escalation_risk, (call_type, calm.escalation_risk,
                                                             agitated.escalation_risk)
