"""Column mappings: how an agency's CAD export becomes callroute's calls table.

A mapping is a TOML file (shipped ones live in ``callroute/data/mappings/``; pass a name
such as ``seattle-crisis`` or a path):

```toml
name = "seattle-crisis"
narrative_from = ["initial_call_type"]   # when the export has no narrative column
missing = ["-", "1900-01-01T00:00:00"]   # placeholders meaning "not recorded"
group_by = "call_id"                      # several rows per call (denormalised export)

[columns]                 # agency column -> callroute column
template_id = "call_id"

[values.district]         # value spellings -> canonical, per callroute column
"N" = "NORTH"

[outcomes.arrest_or_force]  # a derived outcome flag: 1 when any listed value is present
disposition = ["Subject Arrested"]
use_of_force_indicator = ["Y"]

[label]                   # overrides the experiment's label definition
name = "escalation"
any_of = ["arrest_or_force"]
```

**Leakage guard.** A column that feeds an outcome, or whose name says it is known
only afterwards (disposition, final call type, arrest, use of force, ``true_risk``,
...), can never be mapped onto a call field or into the narrative: such a mapping
is rejected when it is loaded.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from callroute.config import LabelConfig
from callroute.schema import CALL_FIELDS

#: Column names that describe what happened after dispatch. Matched as words, case-insensitively.
AFTER_THE_FACT = re.compile(
    r"(dispo|disposition|final|outcome|arrest|force|injur|weapon_found|backup|clearance|cleared|closed|"
    r"responder|true_risk|escalat|result|officer)",
    re.IGNORECASE,
)


class Mapping(BaseModel):
    """A validated column mapping (the identity mapping by default)."""

    model_config = ConfigDict(extra="forbid")

    name: str = "identity"
    description: str = ""
    columns: dict[str, str] = Field(default_factory=dict)
    narrative_from: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    group_by: str | None = None
    values: dict[str, dict[str, str]] = Field(default_factory=dict)
    outcomes: dict[str, dict[str, list[str]]] = Field(default_factory=dict)
    label: LabelConfig | None = None

    @model_validator(mode="after")
    def _no_leakage(self) -> Mapping:
        outcome_sources = {source for conditions in self.outcomes.values() for source in conditions}
        for source, target in self.columns.items():
            feeds_a_feature = target in CALL_FIELDS and target != "call_id"
            if feeds_a_feature and (source in outcome_sources or AFTER_THE_FACT.search(source)):
                raise ValueError(
                    f"column {source!r} is known only after the call (or feeds an outcome) and cannot be "
                    f"mapped onto the call field {target!r}"
                )
        for source in self.narrative_from:
            renamed = self.columns.get(source, source)
            if source in outcome_sources or AFTER_THE_FACT.search(source) or AFTER_THE_FACT.search(renamed):
                raise ValueError(f"column {source!r} is known only after the call and cannot feed the narrative")
        if self.group_by is not None and self.group_by != "call_id":
            raise ValueError("group_by must be 'call_id' (map the agency's call id column onto call_id)")
        return self

    @classmethod
    def load(cls, name_or_path: str | Path | None) -> Mapping:
        """A shipped mapping by name, a mapping file by path, or the identity mapping for None."""
        if name_or_path is None:
            return cls()
        path = Path(name_or_path)
        if path.exists():
            text = path.read_text("utf-8")
        else:
            shipped = resources.files("callroute.data").joinpath(f"mappings/{name_or_path}.toml")
            if not shipped.is_file():
                names = sorted(p.name.removesuffix(".toml") for p in resources.files("callroute.data").joinpath(
                    "mappings").iterdir() if p.name.endswith(".toml"))
                raise FileNotFoundError(f"no mapping file {name_or_path!r} (shipped mappings: {', '.join(names)})")
            text = shipped.read_text("utf-8")
        return cls.model_validate(tomllib.loads(text))

    def apply(self, raw: pd.DataFrame) -> pd.DataFrame:
        """Rename columns, blank placeholders, fix spellings, derive outcomes, build the narrative."""
        frame = raw.copy()
        for column, conditions in self.outcomes.items():
            hit = pd.Series(False, index=frame.index)
            for source, accepted in conditions.items():
                if source not in frame.columns:
                    raise ValueError(f"mapping {self.name!r}: outcome {column!r} needs column {source!r}")
                wanted = {v.strip().upper() for v in accepted}
                hit |= frame[source].astype(str).str.strip().str.upper().isin(wanted)
            frame[column] = hit.astype(int).astype(str)
        if self.missing:
            placeholders = set(self.missing)
            frame = frame.apply(lambda col: col.map(lambda v: "" if str(v).strip() in placeholders else v))
        if self.narrative_from:
            absent = [c for c in self.narrative_from if c not in frame.columns]
            if absent:
                raise ValueError(f"mapping {self.name!r}: narrative_from needs column(s) {', '.join(absent)}")
            parts = frame[self.narrative_from].astype(str)
            frame["narrative"] = parts.apply(lambda row: " / ".join(v for v in row if v.strip()), axis=1)
        frame = frame.rename(columns=self.columns)
        for column, spellings in self.values.items():
            if column in frame.columns:
                lookup = {k.strip().upper(): v for k, v in spellings.items()}
                frame[column] = frame[column].map(lambda v, lk=lookup: lk.get(str(v).strip().upper(), v))
        return frame
