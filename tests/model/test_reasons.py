"""What the reasons tell a dispatcher about where a call sits against the line."""

from __future__ import annotations

import dataclasses

import pytest

from callroute.model.explain import FIELD_LABELS
from callroute.routing.router import NOTHING_MOVES, ON_THE_LINE_CONFIDENCE, REASON_MIN_LOG_ODDS
from callroute.schema import CallIn

pytestmark = pytest.mark.integration
FIELD_PREFIXES = tuple(f"{label}: " for label in FIELD_LABELS.values())

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
    said_none = NOTHING_MOVES in reasons
    assert said_none == (not _moving(decision)), (decision.explanation, reasons)


def _moving(decision) -> list[float]:
    """What moves the odds by 10% or more: each fact or field, and the rest of the wording as one sum."""
    e = decision.explanation
    named = [c for c in e.contributions if c.feature.startswith(("fact: ", *FIELD_PREFIXES))]
    wording = e.score - e.base - sum(c.contribution for c in named)
    return [c.contribution for c in named if abs(c.contribution) >= REASON_MIN_LOG_ODDS] + (
        [wording] if abs(wording) >= REASON_MIN_LOG_ODDS else [])


def test_a_call_where_nothing_moves_the_risk_says_so(router) -> None:
    # Given a call whose facts, fields and wording move nothing by 10% (the router's weights set so)
    quiet = dataclasses.replace(router, scorer=_scaled(router.scorer, 0.0))
    decision = quiet.route(CallIn(narrative="man at the store"))
    assert not _moving(decision), decision.explanation
    # Then the reasons say so instead of listing nothing, and say that no fact was read
    assert NOTHING_MOVES in decision.reasons, decision.reasons
    assert "No situation fact was read in the narrative." in decision.reasons, decision.reasons


def _scaled(scorer, factor: float):
    """A copy of the compiled scorer with every narrative weight (facts, words, meaning) multiplied by ``factor``."""
    import copy

    scaled = copy.deepcopy(scorer)
    facts = scaled.facts
    for table in (facts.weights, facts.night, facts.untyped):
        for key in table:
            table[key] *= factor
    for terms in (scaled.words, scaled.night):
        if terms is not None:
            for key in terms.coef:
                terms.coef[key] *= factor
    if scaled.meaning is not None:
        scaled.meaning.scalars[:] *= factor
        scaled.meaning._words.clear()
    return scaled


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
    # Given a family that names words in its reasons (the default's words alone, its facts taken out) and calls
    # whose strongest words include the reporting words ("He said ...", "Caller: ...", "RP STS SUBJ")
    from callroute.routing.router import reporting_only

    words_only = dataclasses.replace(router, scorer=dataclasses.replace(router.scorer, facts=None))
    calls = ["He said he feels like the walls are closing in",
             "caller declines police, requests mental health response",
             "Caller: my son is having a panic attack and can't breathe right", "RP STS SUBJ TALKING TO SELF"]
    flagged = 0
    for narrative in calls:
        decision = words_only.route(CallIn(narrative=narrative))
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
    assert flagged, "these calls' reasons include reporting words in the word family: the check must be exercised"


def test_every_reason_on_the_hand_written_corpus_names_a_fact_a_field_or_the_wording_as_a_whole(router) -> None:
    # Given the default family (it reads facts) and every hand-written call of the corpus
    from pathlib import Path

    from callroute.data.golden import GoldenCalls
    from callroute.model.explain import FIELD_LABELS

    assert router.scorer.facts is not None, "the default family reads facts"
    corpus = GoldenCalls.read(Path(__file__).parents[1] / "fixtures" / "handwritten" / "calls.csv")
    labels = {spec.label for spec in router.facts.catalogue.facts}
    labels |= {spec.denied_label for spec in router.facts.catalogue.facts if spec.denied_label}
    allowed = (*(f"{label}" for label in labels), *(f"{label}: " for label in FIELD_LABELS.values()),
               "the narrative's wording beyond the facts read")
    stray = []
    for call in corpus:
        for reason in router.route(CallIn(narrative=call.narrative)).reasons:
            if reason.startswith(("Raises the risk: ", "Lowers the risk: ")):
                named = reason.split(": ", 1)[1]
                if not named.startswith(allowed):
                    stray.append((call.narrative[:60], reason))
    # Then no reason names a word that is not a fact's evidence (no reporting, function or place word)
    assert not stray, f"{len(stray)} reasons name something else, e.g. {stray[:5]}"


def test_a_fact_reason_quotes_its_evidence(router) -> None:
    decision = router.route(CallIn(narrative="RP STS ELDERLY M CONFUSED AT BUS STOP, NO WEAPONS SEEN, SUBJ CALM"))
    fact_reasons = [r for r in decision.reasons if r.startswith(("Raises the risk: ", "Lowers the risk: "))
                    and "(\"" in r]
    assert fact_reasons, f"no reason names a fact with its evidence: {decision.reasons}"
    for reason in fact_reasons:
        quoted = reason.split("(\"", 1)[1].rsplit("\")", 1)[0]
        assert any(quoted == f.evidence for f in decision.facts), (
            f"{reason!r} quotes words that are no fact's evidence: {decision.facts}")
