"""The call schema shared by ingestion, batch and the API."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from callroute.schema import MAX_NARRATIVE_CHARS, CallIn


def _error_fields(error: ValidationError) -> set[str]:
    return {".".join(str(p) for p in e["loc"]) for e in error.errors()}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "narrative"),
        ({"narrative": ""}, "narrative"),
        ({"narrative": "   "}, "narrative"),
        ({"narrative": "..."}, "narrative"),
        ({"narrative": "x" * (MAX_NARRATIVE_CHARS + 1)}, "narrative"),
        ({"narrative": "ok", "colour": "red"}, "colour"),
        ({"narrative": "ok", "priority": 0}, "priority"),
        ({"narrative": "ok", "received_at": "yesterday"}, "received_at"),
        ({"narrative": "ok", "caller_type": "martian"}, "caller_type"),
        ({"narrative": "ok", "location_prior_calls": -1}, "location_prior_calls"),
    ],
)
def test_invalid_calls_are_rejected_naming_the_field(payload: dict, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        CallIn.model_validate(payload)
    assert field in _error_fields(caught.value), f"error should name {field!r}: {caught.value}"


@given(st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs"]), min_size=1, max_size=300).filter(
    lambda s: any(c.isalnum() for c in s)))
def test_any_narrative_with_some_text_within_bounds_is_accepted(narrative: str) -> None:
    call = CallIn(narrative=narrative)
    assert call.narrative == narrative.strip(), "the narrative is kept as given, trimmed"


def test_codes_are_upper_cased_so_spellings_agree() -> None:
    call = CallIn(narrative="x1", call_type="welfare check", district="north")
    assert (call.call_type, call.district) == ("WELFARE CHECK", "NORTH")
