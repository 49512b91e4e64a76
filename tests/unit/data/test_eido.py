"""NG911 EIDO in: an incident read as the call it describes, or a clear error naming the field at fault."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from callroute.data.eido import Beats, Eido, EidoError, html_text, to_call

FIXTURES = Path(__file__).parents[2] / "fixtures" / "eido"


def _eido(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def test_a_welfare_incident_becomes_its_call() -> None:
    # Given an EIDO with two HTML notes out of order, an internal call type, a beat and a JSON-LD context
    eido = Eido.model_validate(_eido("welfare"))
    # When it is read with the agency's beat mapping
    call, ids = to_call(eido, Beats.load(FIXTURES / "beats.toml"))
    # Then the narrative is the notes' text, oldest first, and the fields come from the incident
    assert call.narrative == ("Elderly woman sitting at the bus stop for 3 hours, confused doesn't know where she "
                              "lives. RP says she is calm, no weapons seen & no one hurt."), call.narrative
    assert (call.call_type, call.priority, call.district, call.call_id) == (
        "SERVICE - WELFARE CHECK", 3, "NORTH", "26-110214"), call
    assert call.received_at is not None and call.received_at.isoformat() == "2026-11-02T14:05:00-08:00"
    assert ids.incident_id == "urn:emergency:uid:incident:2026-110214:psap.example.gov", ids
    assert ids.issuing_element == "cad.psap.example.gov" and ids.eido_id.endswith(":psap.example.gov"), ids


def test_an_unmapped_beat_is_used_as_written_and_the_registry_type_stands_in() -> None:
    call, _ = to_call(Eido.model_validate(_eido("weapon")), Beats.load(FIXTURES / "beats.toml"))
    assert call.district == "HARBOR" and call.call_type == "DISTURBANCE", call
    assert call.call_id == "urn:emergency:uid:incident:2026-110377:psap.example.gov", "the incident's $id as call id"
    assert "waving a knife" in call.narrative and "<" not in call.narrative, call.narrative


@pytest.mark.parametrize(("change", "field"), [
    (lambda d: d.pop("eidoVersion"), "eidoVersion"),
    (lambda d: d.update(eidoVersion="2.0"), "eidoVersion"),
    (lambda d: d.update(agencyComponent=[]), "agencyComponent"),
    (lambda d: d["incidentComponent"].update(incidentCommonPriorityNumber=12), "incidentCommonPriorityNumber"),
    (lambda d: d["incidentComponent"].pop("incidentTypeCommonRegistryText"), "incidentTypeCommonRegistryText"),
    (lambda d: d["notesComponent"][0].pop("notesActionComments"), "notesActionComments"),
])
def test_a_malformed_eido_is_refused_naming_the_field(change, field: str) -> None:
    document = _eido("welfare")
    change(document)
    with pytest.raises(ValidationError) as caught:
        Eido.model_validate(document)
    assert any(field in error["loc"] for error in caught.value.errors()), caught.value.errors()


@pytest.mark.parametrize(("notes", "says"), [
    ([], "no note with any text"),
    ([{"notesActionComments": "<p> </p><br>"}], "no note with any text"),
    ([{"notesActionComments": "SUBJ CONFUSED " * 400}], "at most 5000"),
])
def test_notes_that_give_no_narrative_are_refused(notes: list, says: str) -> None:
    document = _eido("welfare") | {"notesComponent": notes}
    with pytest.raises(EidoError) as caught:
        to_call(Eido.model_validate(document), Beats())
    assert caught.value.field == "notesComponent" and says in caught.value.message, caught.value


def test_a_bad_beat_mapping_is_refused(tmp_path: Path) -> None:
    (tmp_path / "beats.toml").write_text('[beats]\nB1 = 3\n')
    with pytest.raises(ValueError, match="beat = \"DISTRICT\""):
        Beats.load(tmp_path / "beats.toml")


@given(st.text(max_size=300))
def test_html_text_never_raises_and_leaves_no_tag_or_run_of_spaces(html: str) -> None:
    text = html_text(html)
    assert "  " not in text and text == text.strip(), repr(text)


def test_html_text_reads_breaks_entities_and_skips_scripts() -> None:
    assert html_text("a<br>b<p>c</p><script>x()</script>&lt;d&gt; &amp; e") == "a b c <d> & e"
