"""PII redaction of narratives before anything is stored, logged or used as a feature.

Phone numbers, e-mail addresses, SSN-like numbers, street addresses and plate-like
tokens are replaced by a bracketed tag. Penal-code numbers that CAD narratives use
(415, 5150, 647F, 10-4) are short and never match these patterns.
"""

from __future__ import annotations

import re
from collections.abc import Callable


def _plate(match: re.Match[str]) -> str:
    """A plate after PLATE/LIC/TAG has a digit.

    "PLATE 7XYZ123" is redacted; "a plate at me" and "tag in the park" are words.
    """
    return "[PLATE]" if any(c.isdigit() for c in match.group("plate")) else match.group(0)


_PATTERNS: tuple[tuple[str | Callable[[re.Match[str]], str], re.Pattern[str]], ...] = (
    ("[EMAIL]", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    ("[SSN]", re.compile(r"\b\d{3}-\d{2}-\d{4}\b")),
    ("[PHONE]", re.compile(r"(?<!\w)(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}\b")),
    ("[PHONE]", re.compile(r"(?<![\w-])\d{10}(?![\w-])")),
    (
        "[ADDRESS]",
        re.compile(
            r"\b\d{1,6}\s+(?:[NSEW]\.?\s+)?(?:[A-Z0-9][A-Za-z0-9]*\s+){1,3}"
            r"(?:ST|STREET|AVE|AVENUE|BLVD|BOULEVARD|RD|ROAD|DR|DRIVE|LN|LANE|WAY|CT|COURT|PL|PLACE|PKWY|HWY|TER)\b\.?",
            re.IGNORECASE,
        ),
    ),
    (_plate, re.compile(r"\b(?:PLATE|LIC|LIC#|PLT|TAG)[\s#:]*(?P<plate>[A-Z0-9]{2,4}[\s-]?[A-Z0-9]{2,4})\b",
                        re.IGNORECASE)),
    ("[PLATE]", re.compile(r"\b(?=[A-Z0-9]{7}\b)(?=(?:[A-Z]*\d){2,})(?=(?:\d*[A-Z]){2,})[A-Z0-9]{7}\b")),
)


#: Every pattern above needs a digit to change anything, but the e-mail one, which needs an "@" (a plate after
#: PLATE/LIC/TAG is kept unless it has a digit): a narrative with neither is returned as it is, unscanned.
_NEEDED = re.compile(r"[\d@]")


def redact(narrative: str) -> str:
    """Return ``narrative`` with personal identifiers replaced by tags such as ``[PHONE]``."""
    if _NEEDED.search(narrative) is None:
        return narrative
    return redact_all(narrative)


def redact_all(narrative: str) -> str:
    """:func:`redact` without its shortcut: every pattern run (the reference the tests compare it with)."""
    for tag, pattern in _PATTERNS:
        narrative = pattern.sub(tag, narrative)
    return narrative
