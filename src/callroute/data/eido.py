"""NG911 EIDO in: an Emergency Incident Data Object (NENA-STA-021) read as one call.

CAD systems pass incidents between each other as EIDO JSON. callroute reads the parts a dispatcher's
decision needs and ignores the rest (a JSON-LD ``@context``, person and resource components, anything
newer):

* the narrative: every ``notesComponent[].notesActionComments`` (HTML5, read as text), oldest first by
  ``lastUpdateTimeStamp``;
* the call type: ``incidentComponent.incidentTypeInternalText``, else ``incidentTypeInternalCode``, else the
  NENA registry's ``incidentTypeCommonRegistryText``;
* the priority: ``incidentCommonPriorityNumber`` (1-9);
* the district: ``incidentComponent.beatOrDispatchGroupText`` through the agency's beat-to-district mapping
  (a beat the mapping does not name is used as written);
* when: ``callComponent[0].callStartTimestamp``; the call id: ``internalIncidentId``, else the incident's
  ``$id``, else the EIDO's.

Field names are those of NENA's published OpenAPI schema (NENA911/EIDO-JSON, ``Schema/openapi.yaml``); the
fixtures in ``tests/fixtures/eido`` are our own.
"""

from __future__ import annotations

import tomllib
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from callroute.schema import MAX_NARRATIVE_CHARS, CallIn

_OPEN = ConfigDict(extra="allow", populate_by_name=True)


class EidoError(ValueError):
    """An EIDO that is valid JSON but cannot be read as a call: ``field`` names what is at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class EidoNote(BaseModel):
    """A note by an agent (call-taker, dispatcher, responder), in HTML5."""

    model_config = _OPEN
    id: str | None = Field(default=None, alias="$id")
    lastUpdateTimeStamp: datetime | None = None
    notesActionComments: str = Field(min_length=1, max_length=20_000)


class EidoIncident(BaseModel):
    """What the incident is, how urgent, where (the beat)."""

    model_config = _OPEN
    id: str | None = Field(default=None, alias="$id")
    incidentTypeCommonRegistryText: str = Field(min_length=1, max_length=200)
    incidentTypeInternalCode: str | None = Field(default=None, max_length=200)
    incidentTypeInternalText: str | None = Field(default=None, max_length=200)
    incidentCommonPriorityNumber: int | None = Field(default=None, ge=1, le=9)
    beatOrDispatchGroupText: str | None = Field(default=None, max_length=200)
    internalIncidentId: str | None = Field(default=None, max_length=200)


class EidoCall(BaseModel):
    """One call of the incident (the first is when it began)."""

    model_config = _OPEN
    callStartTimestamp: datetime | None = None


class Eido(BaseModel):
    """An EIDO (EmergencyIncidentDataObjectType), the parts callroute reads; everything else is accepted."""

    model_config = _OPEN
    id: str | None = Field(default=None, alias="$id")
    eidoVersion: Literal["1.0"]
    issuingElementIdentification: str = Field(min_length=1, max_length=200)
    agencyComponent: list[dict] = Field(min_length=1)
    incidentComponent: EidoIncident | None = None
    callComponent: list[EidoCall] = Field(default_factory=list)
    notesComponent: list[EidoNote] = Field(default_factory=list)


class EidoIds(BaseModel):
    """The EIDO's identifiers, returned beside the decision so the CAD can match it to its incident."""

    eido_id: str | None
    incident_id: str | None
    issuing_element: str


class Beats:
    """An agency's beat-to-district mapping (TOML: ``[beats]`` with ``"B12" = "NORTH"``)."""

    def __init__(self, mapping: dict[str, str] | None = None) -> None:
        self.mapping = {beat.strip().upper(): district.strip().upper() for beat, district in (mapping or {}).items()}

    @classmethod
    def load(cls, path: Path | None) -> Beats:
        """The mapping in ``path`` (none: every beat is its own district)."""
        if path is None:
            return cls()
        try:
            document = tomllib.loads(Path(path).read_text("utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise ValueError(f"{path}: cannot read the beat-to-district mapping ({error})") from None
        beats = document.get("beats")
        if not isinstance(beats, dict) or not all(isinstance(v, str) and v.strip() for v in beats.values()):
            raise ValueError(f"{path}: expected a [beats] table of beat = \"DISTRICT\" strings")
        return cls(beats)

    def district(self, beat: str | None) -> str | None:
        """The district of a beat (the beat itself when unmapped; None without one)."""
        if beat is None or not beat.strip():
            return None
        return self.mapping.get(beat.strip().upper(), beat.strip().upper())


def html_text(html: str) -> str:
    """The text of an HTML5 note: tags dropped, block and line breaks as spaces, entities decoded."""
    reader = _TextOf()
    reader.feed(html)
    reader.close()
    return " ".join("".join(reader.parts).split())


def notes_text(notes: list[EidoNote]) -> str:
    """Every note's text, oldest first (notes without a time keep their place before timed ones)."""
    ordered = sorted(enumerate(notes), key=lambda item: (item[1].lastUpdateTimeStamp is not None,
                                                         _sortable(item[1].lastUpdateTimeStamp), item[0]))
    sentences = []
    for _, note in ordered:
        text = html_text(note.notesActionComments)
        if text:
            sentences.append(text if text[-1] in ".!?;" else text + ".")
    return " ".join(sentences)


def to_call(eido: Eido, beats: Beats) -> tuple[CallIn, EidoIds]:
    """The call an EIDO describes, and its identifiers. EidoError names the field when it cannot be read."""
    incident = eido.incidentComponent
    narrative = notes_text(eido.notesComponent)
    if not narrative:
        raise EidoError("notesComponent", "no note with any text: the narrative comes from notesActionComments")
    if len(narrative) > MAX_NARRATIVE_CHARS:
        raise EidoError("notesComponent", f"the notes come to {len(narrative)} characters of text; at most "
                        f"{MAX_NARRATIVE_CHARS} are routed (send the incident's notes so far, or a summary)")
    call_id = None
    if incident is not None:
        call_id = incident.internalIncidentId or incident.id
    call_id = call_id or eido.id
    call_type = None
    if incident is not None:
        call_type = (incident.incidentTypeInternalText or incident.incidentTypeInternalCode
                     or incident.incidentTypeCommonRegistryText)
    try:
        call = CallIn(
            narrative=narrative,
            call_id=call_id[:64] if call_id else None,
            call_type=call_type[:64] if call_type else None,
            district=beats.district(incident.beatOrDispatchGroupText if incident else None),
            received_at=eido.callComponent[0].callStartTimestamp if eido.callComponent else None,
            priority=incident.incidentCommonPriorityNumber if incident else None,
        )
    except ValueError as error:  # a field the call itself refuses (a narrative of no letters at all)
        raise EidoError("notesComponent", str(error).splitlines()[-1].strip()) from None
    return call, EidoIds(eido_id=eido.id, incident_id=incident.id if incident else None,
                         issuing_element=eido.issuingElementIdentification)


class _TextOf(HTMLParser):
    _BREAKS = frozenset({"br", "p", "div", "li", "tr", "td", "h1", "h2", "h3", "h4", "h5", "h6", "hr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in self._BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        elif tag in self._BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _sortable(moment: datetime | None) -> float:
    if moment is None:
        return 0.0
    return moment.timestamp()  # naive times are read as local: EIDO times carry their offset
