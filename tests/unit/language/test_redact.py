"""PII redaction (property-based): identifiers vanish, CAD codes survive."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callroute.language.redact import redact

digits = st.integers(min_value=0, max_value=9).map(str)


@given(st.lists(digits, min_size=10, max_size=10).map("".join), st.sampled_from(["{}-{}-{}", "({}) {}-{}", "{}.{}.{}"]))
def test_phone_numbers_are_redacted(number: str, layout: str) -> None:
    phone = layout.format(number[:3], number[3:6], number[6:])
    out = redact(f"RP CALLBACK {phone} SUBJ YELLING")
    assert phone not in out and "[PHONE]" in out, f"{phone!r} survived: {out!r}"


@given(st.from_regex(r"[a-z]{1,8}(\.[a-z]{1,5})?@[a-z]{2,8}\.(com|org|net)", fullmatch=True))
def test_email_addresses_are_redacted(email: str) -> None:
    out = redact(f"RP EMAIL {email} FOR FOLLOWUP")
    assert email not in out and "[EMAIL]" in out, f"{email!r} survived: {out!r}"


@given(st.lists(digits, min_size=9, max_size=9).map("".join))
def test_ssn_like_numbers_are_redacted(number: str) -> None:
    ssn = f"{number[:3]}-{number[3:5]}-{number[5:]}"
    assert ssn not in redact(f"SUBJ SSN {ssn}")


@pytest.mark.parametrize("text", ["415 VERBAL", "5150 HX", "647F AT BUS STOP", "417 IFO STORE", "245 ADW",
                                  "SUBJ 30S", "3 HRS"])
def test_cad_codes_are_not_mistaken_for_identifiers(text: str) -> None:
    assert redact(text) == text


def test_street_addresses_are_redacted() -> None:
    out = redact("SUBJ AT 1234 N MAIN ST YELLING")
    assert "1234" not in out and "[ADDRESS]" in out, out


@given(st.text(max_size=200))
def test_redaction_is_idempotent(text: str) -> None:
    once = redact(text)
    assert redact(once) == once


@given(st.from_regex(r"[0-9][A-Z]{3}[0-9]{3}", fullmatch=True), st.sampled_from(["PLATE", "LIC", "TAG", ""]))
def test_plate_like_tokens_are_redacted(plate: str, prefix: str) -> None:
    text = f"SUBJ LEFT IN VEH {prefix} {plate} NB".replace("  ", " ")
    out = redact(text)
    assert plate not in out and "[PLATE]" in out, f"{plate!r} survived: {out!r}"


@given(st.integers(min_value=1, max_value=99999), st.sampled_from(["MAIN", "3RD", "PINE", "MLK JR"]),
       st.sampled_from(["ST", "AVE", "BLVD", "WAY", "RD", "DR"]))
def test_street_addresses_of_any_shape_are_redacted(number: int, street: str, suffix: str) -> None:
    out = redact(f"RP AT {number} {street} {suffix} STS SUBJ YELLING")
    assert f"{number} {street}" not in out and "[ADDRESS]" in out, out


@pytest.mark.parametrize("text", ["my husband threw a plate at me and now he's in the bathroom",
                                  "she broke a plate in the kitchen", "kids playing tag in the park",
                                  "THREW PLATE AT RP"])
def test_words_after_plate_or_tag_are_not_a_plate(text: str) -> None:
    # A plate has a digit: ordinary words after "plate" or "tag" stay, so the evidence a dispatcher reads is intact
    assert redact(text) == text


_PIECES = st.one_of(st.text(max_size=12), st.sampled_from(
    ["PLATE", "LIC#", "TAG", "@", "a@b.com", "555-123-4567", "123-45-6789", "1234 N MAIN ST", "7ABC123", " ", "\u0663",
     "SUBJ", "NEG WPNS", "5150", "10-4"]))


@given(st.lists(_PIECES, max_size=12).map(" ".join))
def test_the_shortcut_for_text_without_digits_or_at_signs_changes_nothing(text: str) -> None:
    # Given any text, with or without digits (of any script) and "@"
    from callroute.language.redact import redact_all

    # Then redaction with its shortcut equals running every pattern
    assert redact(text) == redact_all(text), text
