"""The fact reader: each fact present, denied or unknown, with its evidence, on hand-written calls."""

from __future__ import annotations

import pytest

from callroute.facts import Catalogue, FactReader

READER = FactReader()


@pytest.mark.parametrize(("narrative", "fact", "state"), [
    ("he has a knife and is yelling", "weapon.present", "present"),
    ("NEG WPNS, SUBJ CALM AND COOP", "weapon.present", "denied"),
    ("IS HE ARMED? NO", "weapon.present", "denied"),
    ("I don't know if they're armed", "weapon.present", "unknown"),
    ("hasn't hurt or threatened anyone", "threat.others", "denied"),
    ("he said he would make her pay", "threat.others", "present"),
    ("My brother is having a mental health crisis, he's not violent", "violence.now", "denied"),
    ("My brother is having a mental health crisis, he's not violent", "mental_health", "present"),
    ("RP STS ELDERLY M SITTING AT BUS STOP 3 HRS, CONFUSED", "confused", "present"),
    ("there's a guy outside the shelter who is very drunk and crying", "intoxicated", "present"),
    ("I'm having thoughts of suicide but I don't have a plan", "suicidal.talk", "present"),
    ("I'm having thoughts of suicide but I don't have a plan", "caller.is_subject", "present"),
    ("DENIES SI", "suicidal.talk", "denied"),
    ("my daughter is having a panic attack", "panic", "present"),
    ("HX DV AT LOC", "violence.past", "present"),
])
def test_a_fact_is_read_with_its_state(narrative: str, fact: str, state: str) -> None:
    # Given a hand-written call, When the reader reads it, Then the fact has the state the words give it
    readings = READER.read(narrative)
    assert fact in readings, f"{fact} not read in {narrative!r}: {sorted(readings)}"
    assert readings[fact].state == state, f"{fact} read {readings[fact].state}, expected {state} in {narrative!r}"
    assert readings[fact].evidence, "a reading must carry its evidence"


@pytest.mark.parametrize(("narrative", "fact"), [
    ("I'm calling about my neighbor who is confused", "caller.is_subject"),
    ("the family already put the knives away", "calm"),
    ("RP STS ELDERLY M CONFUSED", "weapon.present"),
])
def test_a_fact_the_words_do_not_say_is_not_read(narrative: str, fact: str) -> None:
    assert fact not in READER.read(narrative), f"{fact} read in {narrative!r}"


def test_a_danger_fact_is_present_only_when_its_red_line_fires() -> None:
    # Given a bare mention of weapons (the fact's own pattern), When read, Then it is not a weapon present
    readings = READER.read("any weapons?")
    assert readings.get("weapon.present") is None or readings["weapon.present"].state != "present"
    # and the red line's words make it present
    assert READER.read("SUBJ HAS KNIFE")["weapon.present"].state == "present"


def test_the_vector_follows_the_catalogue_feature_names() -> None:
    catalogue = Catalogue.load()
    names = catalogue.feature_names()
    vector = READER.vector(READER.read("NEG WPNS, SUBJ CALM"))
    on = {name for name, value in zip(names, vector, strict=True) if value}
    assert on == {"weapon.present=denied", "calm"}, f"columns on: {on}"


def test_every_fact_has_a_source_a_definition_and_examples() -> None:
    for fact in Catalogue.load().facts:
        assert fact.source and fact.definition and fact.not_ and fact.examples, f"{fact.id} is undocumented"
        assert fact.red_line or fact.patterns, f"{fact.id} has no reader"


def test_a_catalogue_without_a_reader_for_a_fact_is_refused() -> None:
    config = {"name": "x", "version": "0", "facts": [{
        "id": "a.b", "label": "l", "group": "crisis", "sign": "free", "source": "s", "definition": "d",
        "not": "n", "examples": ["e"]}]}
    with pytest.raises(ValueError, match="neither a red_line reader nor patterns"):
        Catalogue(config)
