"""The fact catalogue (catalogue.toml): what each situation fact is, how it is read, how it may move the risk."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

SIGNS = ("raises", "lowers", "free")
GROUPS = ("danger", "medical", "history", "crisis", "circumstance")
#: The call-taker's screening questions (POST /v1/route ``screening``), each answered yes / no / unknown.
SCREENING_QUESTIONS = ("weapons", "violence_now", "threat_to_others", "self_harm_means", "intoxicated",
                       "medical_emergency", "officer_requested")
_REQUIRED = ("id", "label", "group", "sign", "source", "definition", "not", "examples")


@dataclass(frozen=True)
class FactSpec:
    """One fact of the catalogue."""

    id: str
    label: str
    group: str
    sign: str
    source: str
    definition: str
    not_: str
    examples: tuple[str, ...]
    denied_label: str | None = None
    red_line: str | None = None
    screening: str | None = None
    patterns: tuple[str, ...] = ()
    belief: bool = False  # a threat a person believes of a vague agent is a symptom, not this fact (rules' [belief])
    distractors: bool = True  # False: read inside the red lines' distractor phrases too ("panic attack")

    @property
    def deniable(self) -> bool:
        """Whether a denial of the fact is a feature of its own ("no weapon" lowers the risk)."""
        return self.denied_label is not None


class Catalogue:
    """The catalogue's facts in file order, checked when loaded."""

    def __init__(self, config: dict, *, source: str = "") -> None:
        self.name: str = config["name"]
        self.version: str = config["version"]
        self.source = source
        facts: list[FactSpec] = []
        for raw in config["facts"]:
            missing = [key for key in _REQUIRED if key not in raw]
            if missing:
                raise ValueError(f"fact {raw.get('id', '?')!r} lacks {missing}")
            if raw["sign"] not in SIGNS or raw["group"] not in GROUPS:
                raise ValueError(f"fact {raw['id']!r}: sign must be one of {SIGNS} and group one of {GROUPS}")
            if raw.get("screening") is not None and raw["screening"] not in SCREENING_QUESTIONS:
                raise ValueError(f"fact {raw['id']!r}: unknown screening question {raw['screening']!r}")
            if "red_line" not in raw and not raw.get("patterns"):
                raise ValueError(f"fact {raw['id']!r} has neither a red_line reader nor patterns")
            facts.append(FactSpec(
                id=raw["id"], label=raw["label"], group=raw["group"], sign=raw["sign"], source=raw["source"],
                definition=raw["definition"], not_=raw["not"], examples=tuple(raw["examples"]),
                denied_label=raw.get("denied_label"), red_line=raw.get("red_line"), screening=raw.get("screening"),
                patterns=tuple(raw.get("patterns", ())), belief=bool(raw.get("belief", False)),
                distractors=bool(raw.get("distractors", True)),
            ))
        ids = [f.id for f in facts]
        if len(set(ids)) != len(ids):
            raise ValueError("fact ids repeat in the catalogue")
        self.facts: tuple[FactSpec, ...] = tuple(facts)
        self.by_id = {f.id: f for f in facts}

    @classmethod
    def load(cls, path: Path | None = None) -> Catalogue:
        """The bundled catalogue, or a reviewed copy of an agency's own."""
        if path is None:
            text = resources.files("callroute.facts").joinpath("catalogue.toml").read_text("utf-8")
            return cls(tomllib.loads(text), source="callroute/facts/catalogue.toml")
        return cls(tomllib.loads(Path(path).read_text("utf-8")), source=str(path))

    @property
    def catalogue_id(self) -> str:
        """Name and version, as reported with every model."""
        return f"{self.name}-{self.version}"

    def for_question(self, question: str) -> tuple[FactSpec, ...]:
        """The facts a screening question answers (``self_harm_means`` answers two)."""
        return tuple(f for f in self.facts if f.screening == question)

    def feature_names(self) -> list[str]:
        """The risk model's fact inputs: each fact present, and each deniable fact denied (``id=denied``)."""
        names = []
        for fact in self.facts:
            names.append(fact.id)
            if fact.deniable:
                names.append(f"{fact.id}=denied")
        return names
