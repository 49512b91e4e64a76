"""What a capacity simulation is given: roster, service times, fallback, costs, service level.

Defaults are grounded in published figures (data/README.md, "Staffing defaults"):

* travel and on-scene times: a public county mobile-crisis dispatch log (2024-25, about 12 dispatches a
  day): 14 minutes to arrive (p90 31), 22 minutes on scene (p90 62), fitted as log-normals through the
  median and the 90th percentile;
* paperwork: 10 minutes per call, the administrative share Eugene Police report (10 of every 60 minutes);
* police time per call: 30 minutes of one unit for a low-level call (Corona Solutions' workload
  studies: "one officer can typically handle a shoplifting call in about 30 minutes");
* costs: $35 per crisis-team hour against $85 per police hour (LA UMCR, LAist; DOMAIN.md);
* roster: two overlapping shifts city-wide, more teams from 14:00 to 22:00 when requests concentrate.
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

_Z90 = 1.2815515655446004  # standard normal 90th percentile


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Duration(_Section):
    """A service-time distribution in minutes: log-normal (median, p90), exponential (mean) or fixed."""

    kind: Literal["lognormal", "exponential", "fixed"] = "lognormal"
    median: float = Field(default=20.0, gt=0)
    p90: float = Field(default=40.0, gt=0)
    mean: float = Field(default=20.0, gt=0)
    minutes: float = Field(default=0.0, ge=0)

    @model_validator(mode="after")
    def _p90_above_median(self) -> Duration:
        if self.kind == "lognormal" and self.p90 <= self.median:
            raise ValueError(f"p90 ({self.p90}) must be above the median ({self.median})")
        return self

    def sample(self, rng: np.random.Generator) -> float:
        """One duration in minutes."""
        if self.kind == "fixed":
            return self.minutes
        if self.kind == "exponential":
            return float(rng.exponential(self.mean))
        sigma = (math.log(self.p90) - math.log(self.median)) / _Z90
        return float(rng.lognormal(math.log(self.median), sigma))

    def expected(self) -> float:
        """The distribution's mean in minutes."""
        if self.kind == "fixed":
            return self.minutes
        if self.kind == "exponential":
            return self.mean
        sigma = (math.log(self.p90) - math.log(self.median)) / _Z90
        return self.median * math.exp(sigma**2 / 2)


class Shift(_Section):
    """Teams on duty every day from ``start`` to ``end`` (hours 0-24; end < start runs past midnight)."""

    name: str
    start: int = Field(ge=0, le=23)
    end: int = Field(ge=1, le=24)
    teams: int = Field(ge=0)
    district: str | None = None  # None: a city-wide pool that also serves districts without their own shifts

    @model_validator(mode="after")
    def _not_empty(self) -> Shift:
        if self.start == self.end % 24 and not (self.start == 0 and self.end == 24):  # 0-24: all day
            raise ValueError(f"shift {self.name!r}: start and end are the same hour")
        return self

    def hours(self) -> int:
        """Length of the shift in hours."""
        return (self.end - self.start) % 24 or 24


class ServiceTimes(_Section):
    """Minutes a crisis team spends per call: travel, on scene, then paperwork before the next call."""

    travel: Duration = Field(default_factory=lambda: Duration(median=14, p90=31))
    on_scene: Duration = Field(default_factory=lambda: Duration(median=22, p90=62))
    paperwork: Duration = Field(default_factory=lambda: Duration(kind="fixed", minutes=10))


class Fallback(_Section):
    """What happens to a diverted call when no team is free within ``max_wait`` minutes.

    ``police``: police go instead. ``police_with_coresponder``: police go with a clinician on the phone or
    in the car (counted as police time plus co-responder time). ``hold``: the call keeps waiting for a team
    up to ``hold_limit`` minutes, then police go.
    """

    max_wait: float = Field(default=20.0, ge=0)
    action: Literal["police", "police_with_coresponder", "hold"] = "police"
    hold_limit: float = Field(default=120.0, gt=0)


class Costs(_Section):
    """Dollars per hour of each responder (LA UMCR: $35 crisis team, $85 LAPD; LAist via DOMAIN.md)."""

    crisis_team_hour: float = Field(default=35.0, ge=0)
    police_hour: float = Field(default=85.0, ge=0)
    coresponder_hour: float = Field(default=35.0, ge=0)
    police_minutes_per_call: float = Field(default=30.0, gt=0)
    coresponder_minutes_per_call: float = Field(default=30.0, ge=0)


class ServiceLevel(_Section):
    """The target a roster must meet in a sweep: p90 wait at most ``p90_wait`` and served share at least."""

    p90_wait: float = Field(default=20.0, gt=0)
    served_share: float = Field(default=0.9, gt=0, le=1)


def _default_roster() -> list[Shift]:
    return [Shift(name="day", start=8, end=16, teams=2), Shift(name="evening", start=14, end=22, teams=2),
            Shift(name="night", start=22, end=8, teams=1)]


class SimulationConfig(_Section):
    """Everything a simulation run needs besides the calls and the routing decisions."""

    roster: list[Shift] = Field(default_factory=_default_roster, min_length=1)
    service: ServiceTimes = Field(default_factory=ServiceTimes)
    fallback: Fallback = Field(default_factory=Fallback)
    costs: Costs = Field(default_factory=Costs)
    service_level: ServiceLevel = Field(default_factory=ServiceLevel)
    seed: int = 0

    @classmethod
    def load(cls, path: Path | None) -> SimulationConfig:
        """Defaults, overridden by a TOML file's keys (unknown keys are refused)."""
        if path is None:
            return cls()
        return cls.model_validate(tomllib.loads(Path(path).read_text("utf-8")))

    def with_teams(self, teams: int) -> SimulationConfig:
        """The same roster with ``teams`` on every shift (the staffing sweep)."""
        return self.model_copy(update={"roster": [s.model_copy(update={"teams": teams}) for s in self.roster]})
