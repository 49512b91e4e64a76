"""The default model on calls nobody generated: plain English, and counterfactual swaps of sex and race words.

The calls are hand-written (plain_english.py); the swap words are hand-listed here, not read from
language/lexicons/people.toml, so a word the normaliser misses shows up as a failure.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from callroute.schema import CallIn

pytestmark = pytest.mark.integration

_spec = importlib.util.spec_from_file_location("plain_english", Path(__file__).with_name("plain_english.py"))
plain_english = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(plain_english)


def test_hand_written_dangerous_calls_all_go_to_police(router) -> None:
    # Given calls that need police, in words the generator never wrote, Then none goes to the crisis team
    decisions = router.route_many([CallIn(narrative=n) for n in plain_english.DANGEROUS])
    diverted = [n for n, d in zip(plain_english.DANGEROUS, decisions, strict=True) if d.recommendation != "police"]
    assert not diverted, f"dangerous calls sent to the crisis team: {diverted}"


def test_hand_written_crisis_calls_are_diverted_far_more_than_before(router) -> None:
    # Given textbook crisis calls in plain English, Then at least 40% are diverted. The previous default
    # diverted 5 of these 20 (and 1 of 15 in the issue's own set); the threshold's safety margin under
    # drift (README, "Training") keeps calls near 3% risk with police, so this is a floor, not a goal.
    decisions = router.route_many([CallIn(narrative=n) for n in plain_english.CRISIS])
    diverted = sum(d.recommendation == "crisis_team" for d in decisions)
    assert diverted >= 0.4 * len(plain_english.CRISIS), (
        f"only {diverted} of {len(plain_english.CRISIS)} crisis calls diverted: "
        + "; ".join(f"{d.escalation_risk:.3f} {n[:40]}" for n, d in zip(plain_english.CRISIS, decisions, strict=True))
    )


def test_crisis_calls_rank_below_dangerous_ones(router) -> None:
    # The score orders the two sets: AUC on the hand-written calls well above chance
    from sklearn.metrics import roc_auc_score

    calls = [CallIn(narrative=n) for n in plain_english.DANGEROUS + plain_english.CRISIS]
    scores = [d.explanation.score for d in router.route_many(calls)]
    labels = [1] * len(plain_english.DANGEROUS) + [0] * len(plain_english.CRISIS)
    auc = roc_auc_score(labels, scores)
    assert auc >= 0.8, f"model score AUC on hand-written plain English is {auc:.3f}"



def test_incident_descriptions_violent_ones_all_go_to_police(router) -> None:
    # Given violent calls written as published call descriptions ("Subject struck the clerk in the face")
    decisions = router.route_many([CallIn(narrative=n) for n in plain_english.INCIDENT_VIOLENT])
    # Then every one goes to police, and a red line (not only the model's score) sends each there
    missed = [n for n, d in zip(plain_english.INCIDENT_VIOLENT, decisions, strict=True) if d.recommendation != "police"]
    assert not missed, f"violent calls sent to the crisis team: {missed}"
    silent = [n for n, d in zip(plain_english.INCIDENT_VIOLENT, decisions, strict=True)
              if not [h for h in d.rules_fired if h.rule_id != "medical.emergency"]]
    assert not silent, f"violent calls no red line fired on: {silent}"


def test_incident_descriptions_are_ranked_by_the_model_alone(router) -> None:
    # Given violent and other calls as published call descriptions, When only the model's score is used,
    # Then it ranks them well apart (the first default scored such text at AUC 0.54; this one at 0.94)
    from sklearn.metrics import roc_auc_score

    texts = plain_english.INCIDENT_VIOLENT + plain_english.INCIDENT_OTHER
    scores = [d.explanation.score for d in router.route_many([CallIn(narrative=n) for n in texts])]
    labels = [1] * len(plain_english.INCIDENT_VIOLENT) + [0] * len(plain_english.INCIDENT_OTHER)
    auc = roc_auc_score(labels, scores)
    assert auc >= 0.85, f"model score AUC on incident descriptions is {auc:.3f}"


# Counterfactual pairs: (a word carrying sex or race, its swap). Hand-listed, not read from people.toml.
SWAPS = [
    ("he", "she"), ("him", "her"), ("his", "her"), ("himself", "herself"), ("brother", "sister"),
    ("son", "daughter"), ("father", "mother"), ("dad", "mom"), ("husband", "wife"), ("boyfriend", "girlfriend"),
    ("uncle", "aunt"), ("grandfather", "grandmother"), ("man", "woman"), ("guy", "lady"), ("boy", "girl"),
    ("Mr.", "Mrs."), ("sir", "ma'am"), ("John", "Maria"), ("Tyrone", "Emily"), ("Jose", "Mei"),
    ("white", "black"), ("Hispanic", "Asian"), ("Black", "White"), ("African American", "Caucasian"),
]
TEMPLATES = [
    # plain English (call-taker)
    "Caller says {a} is sitting on the porch talking to {a_self}, calm, no weapons",
    "Caller's {rel} is drunk and yelling in the parking lot",
    "{name} has not answered the phone in three days, {a} may be confused",
    # caller's own words
    'Caller states: "My {rel} is off the meds and scared, {a} thinks people follow {a_obj}"',
    'Caller: "{A} is a {race} {person}, {a} is crying at the bus stop"',
    # CAD
    "RP STS {rel} HAVING MENTAL EPISODE, {name} NOT MAKING SENSE",
    "{race} {person} 30S PASSED OUT IFO STORE, ETOH",
    "RP STS {rel} YELLING AT {a_obj}, VERBAL ONLY",
]


def _fill(template: str, pair_index: int, side: int) -> str:
    forms = {"a": ("he", "she"), "a_obj": ("him", "her"), "a_self": ("himself", "herself"),
             "rel": ("brother", "sister"), "name": ("John", "Maria"), "race": ("white", "black"),
             "person": ("man", "woman")}
    values = {k: v[side] for k, v in forms.items()}
    values["A"] = values["a"].capitalize()
    return template.format(**values)


@pytest.mark.parametrize("template", TEMPLATES)
def test_swapping_sex_and_race_words_leaves_risk_and_recommendation_identical(router, template: str) -> None:
    # Given the same call written with male and with female (and different race) words
    calls = [CallIn(narrative=_fill(template, 0, side)) for side in (0, 1)]
    # When routed, Then the risk is identical to 1e-9 and the recommendation the same
    first, second = router.route_many(calls)
    assert abs(first.escalation_risk - second.escalation_risk) <= 1e-9, (calls, first.escalation_risk,
                                                                          second.escalation_risk)
    assert first.recommendation == second.recommendation


@pytest.mark.parametrize(("word", "swap"), SWAPS)
def test_every_listed_swap_leaves_the_score_identical(router, word: str, swap: str) -> None:
    # Given one word swapped inside calls of every register, Then the score does not move at all
    bases = ["Caller says her {w} is screaming at the neighbors, no weapons seen",
             'RP states: "The {w} in the lobby is confused and cold"',
             "SUBJ {w} SITTING AT BUS STOP, CALM"]
    for base in bases:
        a, b = router.route_many([CallIn(narrative=base.format(w=word)), CallIn(narrative=base.format(w=swap))])
        assert abs(a.explanation.score - b.explanation.score) <= 1e-9, f"{word!r} -> {swap!r} moved {base!r}"
        assert a.recommendation == b.recommendation, (word, swap, base)


FUNCTION_ONLY = {"he", "she", "they", "is", "him", "her", "the", "has", "a", "an", "it", "was", "his", "them", "their",
                 # contractions: "there's a" was listed as a reason on four of these calls
                 "there's", "it's", "that's", "i'm", "i've", "he's", "she's", "what's", "here's", "you're", "we're",
                 "there"}


def test_no_reason_or_contribution_is_made_of_function_words_only(router) -> None:
    # Given plain-English calls, Then no listed phrase or reason is only words such as "he is", "him", "the"
    calls = [CallIn(narrative=n) for n in plain_english.DANGEROUS + plain_english.CRISIS]
    for decision in router.route_many(calls):
        e = decision.explanation
        assert abs(e.base + sum(c.contribution for c in e.contributions) + e.rest - e.score) <= 1e-6
        for c in e.contributions:
            if c.feature.startswith("narrative"):
                words = c.feature.split(": ", 1)[1].split()
                assert not set(words) <= FUNCTION_ONLY, f"function-word phrase listed: {c.feature}"
        for reason in decision.reasons:
            if reason.startswith(("Raises", "Lowers")):
                words = reason.split("narrative: ", 1)[-1].rstrip(".").split()
                assert not set(words) <= FUNCTION_ONLY, f"function-word reason: {reason}"
