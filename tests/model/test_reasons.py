"""What the reasons tell a dispatcher about where a call sits against the line."""

from __future__ import annotations

import dataclasses

import pytest

from callroute.routing.router import ON_THE_LINE_CONFIDENCE, REASON_MIN_LOG_ODDS
from callroute.schema import CallIn

pytestmark = pytest.mark.integration

CALLS = [
    "lady in the laundromat asking for phones",
    "WPNS: UNK. SUBJ SLEEPING ON BENCH",
    "My brother is having a mental health crisis, he's not violent, can someone come talk to him",
    "There's a woman at the library who is yelling at nobody and scaring the kids",
    "he is shooting up in the alley behind the shelter",
    "a man is waiting",
    "man at the store",
]


def _on_the_line(router, narrative: str):
    """The router with its threshold moved onto the call's own risk: the call sits exactly on the line."""
    risk = router.route(CallIn(narrative=narrative)).escalation_risk
    policy = dataclasses.replace(router.policy, threshold=risk, district_thresholds=())
    return dataclasses.replace(router, policy=policy)


@pytest.mark.parametrize("narrative", CALLS)
def test_a_call_on_the_line_is_said_to_be_on_the_line(router, narrative: str) -> None:
    # Given a call whose risk is exactly the threshold
    decision = _on_the_line(router, narrative).route(CallIn(narrative=narrative))
    # Then its confidence is about nothing and a reason says a small change could flip it
    assert decision.confidence < ON_THE_LINE_CONFIDENCE, f"confidence {decision.confidence} on the line"
    assert any(r.startswith("On the line") for r in decision.reasons), f"no 'on the line' reason: {decision.reasons}"


@pytest.mark.parametrize("narrative", CALLS)
def test_reasons_match_the_decision_they_explain(router, narrative: str) -> None:
    # Given a call as the default model decides it
    decision = router.route(CallIn(narrative=narrative))
    reasons = decision.reasons
    # Then "on the line" is said exactly when the confidence is that low, the review sentence exactly when the call
    # is flagged (naming the band), and "no single word" exactly when no word or field reaches the reason floor
    said_on_the_line = any(r.startswith("On the line") for r in reasons)
    assert said_on_the_line == (decision.confidence < ON_THE_LINE_CONFIDENCE), (decision.confidence, reasons)
    review = [r for r in reasons if r.startswith("The model cannot separate")]
    assert bool(review) == decision.needs_review, (decision.needs_review, reasons)
    if review:
        band = f"({router.policy.review_low:.1%} to {router.policy.review_high:.1%})"
        assert band in review[0], f"the review sentence should name the band {band}: {review[0]}"
    strong = [c for c in decision.explanation.contributions if abs(c.contribution) >= REASON_MIN_LOG_ODDS]
    said_none = "No single word or field moves the risk by 10% or more." in reasons
    assert said_none == (not strong), (strong, reasons)


def test_a_call_with_no_strong_word_says_so(router) -> None:
    # Given a call of everyday words only, none moving the odds by 10% in the default model
    decision = router.route(CallIn(narrative="man at the store"))
    assert all(abs(c.contribution) < REASON_MIN_LOG_ODDS for c in decision.explanation.contributions), (
        f"the fixture call should have no strong word: {decision.explanation.contributions}")
    # Then the reasons say so instead of listing nothing
    assert "No single word or field moves the risk by 10% or more." in decision.reasons, decision.reasons


@pytest.mark.parametrize(("feature", "reporting"), [
    ("narrative: caller", True), ("narrative: caller says", True), ("narrative: the person said", True),
    ("narrative: subject", True), ("narrative: rp sts", True), ("narrative: says the person", True),
    ("narrative at night: caller", True), ("narrative: subject yelling", False), ("narrative: kill the person", False),
    ("narrative: no weapons", False), ("call_type: SERVICE - WELFARE CHECK", False), ("caller_type: bystander", False),
])
def test_a_phrase_of_reporting_words_only_is_known_as_such(feature: str, reporting: bool) -> None:
    # Given an explanation entry, Then it is "reporting only" when it has no word beyond who reported and how
    from callroute.routing.router import reporting_only

    assert reporting_only(feature) is reporting, feature


def test_a_reason_on_reporting_words_says_it_is_not_what_happened(router) -> None:
    # Given calls whose strongest words include the reporting words ("He said ...", "Caller: ...", "RP STS SUBJ")
    from callroute.routing.router import reporting_only

    calls = ["He said he feels like the walls are closing in",
             "caller declines police, requests mental health response",
             "Caller: my son is having a panic attack and can't breathe right", "RP STS SUBJ TALKING TO SELF"]
    flagged = 0
    for narrative in calls:
        decision = router.route(CallIn(narrative=narrative))
        for reason in decision.reasons:
            if not reason.startswith(("Raises", "Lowers")):
                continue
            feature = reason.split(": ", 1)[1].removesuffix(".").removesuffix(
                " (words of reporting, not of what happened)")
            # Then a reason on such words says so, and any other reason does not
            said = reason.endswith("(words of reporting, not of what happened).")
            assert said == reporting_only(feature), reason
            flagged += said
        e = decision.explanation
        assert abs(e.base + sum(c.contribution for c in e.contributions) + e.rest - e.score) <= 1e-6
    assert flagged, "these calls' reasons include reporting words in the default model: the check must be exercised"
