"""The escalation label, defined by configuration and recorded with every run."""

from __future__ import annotations

from callroute.config import LabelConfig

_TRUE = frozenset({"1", "true", "t", "yes", "y"})
_FALSE = frozenset({"0", "false", "f", "no", "n", ""})


def parse_flag(value: object) -> int:
    """Parse an outcome flag cell; raise ``ValueError`` naming the bad value."""
    text = str(value).strip().lower()
    if text.endswith(".0"):
        text = text[:-2]
    if text in _TRUE:
        return 1
    if text in _FALSE:
        return 0
    raise ValueError(f"not a yes/no flag (got {value!r})")


def describe(label: LabelConfig) -> str:
    """Human-readable definition, logged as an MLflow parameter."""
    return f"{label.name} = any of ({', '.join(label.any_of)})"
