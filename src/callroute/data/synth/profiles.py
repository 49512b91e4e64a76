"""The generator's profiles (``profiles.toml``): per call type, per district, per caller type.

The numbers are data a reviewer can diff, not Python literals: ``tests/benchmarks/tune_synth.py``
re-tunes each type's ``base_logit`` and writes them back with :func:`write_base_logits`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

PROFILES_FILE = "profiles.toml"


@dataclass(frozen=True)
class CallTypeProfile:
    """How calls of one type look and behave in the latent model."""

    key: str  # the generator's own name for the type (selects narrative openers)
    legacy_codes: tuple[tuple[str, int], ...]  # Seattle call-type strings of the older CAD coding, with counts
    current_codes: tuple[tuple[str, int], ...]  # the strings that replace them (2023 on, mostly)
    growth: float  # relative change of the type's share per year
    base_logit: float  # escalation log-odds of a calm, sober, unarmed, first-time call (tuned)
    p_weapon: float  # chance a weapon is really there
    p_mental: float
    p_intox: float
    p_violence: float  # chance person-on-person violence is going on when the call comes in
    agitation_shift: float
    crisis_eligible: bool  # on Denver STAR's eligible list (DOMAIN.md): the past policy could send a crisis team
    target_rate: float  # the escalation rate the tuning script aims base_logit at

    @property
    def weight(self) -> int:
        """Seattle calls of this type, about 2014-2019 (the mix of types in 2021)."""
        return sum(count for _, count in self.legacy_codes + self.current_codes)


@dataclass(frozen=True)
class Profiles:
    """Everything ``profiles.toml`` holds, as arrays ready for vectorised draws."""

    call_types: tuple[CallTypeProfile, ...]
    districts: tuple[str, ...]
    district_weight: np.ndarray
    district_logit: np.ndarray
    district_prior_rate: np.ndarray
    caller_weight: np.ndarray  # order of schema.CALLER_TYPES
    caller_logit: np.ndarray
    hour_weight: np.ndarray
    missing_rate: np.ndarray  # district, caller type, priority, premise history

    @classmethod
    def from_toml(cls, text: str) -> Profiles:
        """Parse the TOML text of a profiles file."""
        data = tomllib.loads(text)
        places = data["places"]
        types = tuple(
            CallTypeProfile(
                **{**entry, "legacy_codes": tuple(tuple(c) for c in entry["legacy_codes"]),
                   "current_codes": tuple(tuple(c) for c in entry["current_codes"])}
            )
            for entry in data["call_type"]
        )
        return cls(
            call_types=types,
            districts=tuple(places["districts"]),
            **{name: np.asarray(places[name], dtype=float) for name in (
                "district_weight", "district_logit", "district_prior_rate", "caller_weight", "caller_logit",
                "hour_weight", "missing_rate")},
        )

    def code_to_key(self) -> dict[str, str]:
        """Call-type string -> the generator's type key (for tuning and tests)."""
        return {code: p.key for p in self.call_types for code, _ in p.legacy_codes + p.current_codes}


def shipped_path() -> Path:
    """The profiles file shipped with the package."""
    return Path(str(resources.files("callroute.data.synth").joinpath(PROFILES_FILE)))


@cache
def load_profiles(path: Path | None = None) -> Profiles:
    """The profiles in ``path`` (default: the shipped file), parsed once per path."""
    return Profiles.from_toml((path or shipped_path()).read_text("utf-8"))


def write_base_logits(path: Path, base_logits: dict[str, float]) -> None:
    """Rewrite the ``base_logit`` of each named call type in place, keeping every comment and other line."""
    lines = path.read_text("utf-8").splitlines(keepends=True)
    current = None
    for i, line in enumerate(lines):
        key = re.match(r'^key = "(.*)"\s*$', line)
        if key:
            current = key.group(1)
        elif current in base_logits and line.startswith("base_logit = "):
            lines[i] = f"base_logit = {round(float(base_logits[current]), 2)!r}\n"
    path.write_text("".join(lines), "utf-8")
    load_profiles.cache_clear()
