"""The fact reader: a narrative -> the situation facts it states, denies or leaves unknown, with evidence.

Two readers share one reading of negation, uncertainty, answered questions, distractors and typos
(rules/engine.py, :meth:`RuleSet.read`): the red-line rule set reads the danger facts (a fact with
``red_line``), and a rule set built from the catalogue's own patterns reads the others. A fact with both
is present only when its red line fires; its own patterns add denials and doubts ("NEG WPNS").
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from callroute.facts.catalogue import Catalogue
from callroute.rules.engine import DENIED, PRESENT, UNKNOWN, RuleSet

__all__ = ["DENIED", "PRESENT", "UNKNOWN", "FactReader", "Reading"]
_RANK = {PRESENT: 2, DENIED: 1, UNKNOWN: 0}


@dataclass(frozen=True)
class Reading:
    """One fact as read: its state, how sure the reader is, the words that say it, and who said it."""

    id: str
    state: str  # present | denied | unknown
    evidence: str
    source: str = "text"  # text | screening
    probability: float = 1.0  # a lexicon reading is decisive; a screening answer is the call-taker's word


class FactReader:
    """Reads every catalogue fact from a narrative."""

    def __init__(self, catalogue: Catalogue | None = None, redlines: RuleSet | None = None) -> None:
        self.catalogue = catalogue or Catalogue.load()
        self.redlines = redlines or RuleSet.load()
        config = copy.deepcopy(_ruleset_config(self.redlines))
        config["name"], config["version"] = self.catalogue.name, self.catalogue.version
        config["rules"] = [
            {"id": fact.id, "kind": "fact", "reason": fact.label, "patterns": list(fact.patterns),
             "belief_threats": fact.belief, "distractors": fact.distractors}
            for fact in self.catalogue.facts if fact.patterns
        ]
        config.pop("semantic_net", None)
        self.patterned = RuleSet(config, source=self.catalogue.source)
        self._red = {fact.red_line: fact.id for fact in self.catalogue.facts if fact.red_line}

    def prepare(self) -> None:
        """Build both readers' pre-checks now, not in a dispatcher's request."""
        self.redlines.prepare()
        self.patterned.prepare()

    def read(self, narrative: str) -> dict[str, Reading]:
        """Fact id -> its reading, for every fact the narrative states, denies or leaves unknown."""
        found: dict[str, Reading] = {}
        for rule_id, (state, evidence) in self.redlines.read(narrative).items():
            fact = self._red.get(rule_id)
            if fact is not None:
                found[fact] = Reading(fact, state, evidence)
        for fact_id, (state, evidence) in self.patterned.read(narrative).items():
            spec = self.catalogue.by_id[fact_id]
            if spec.red_line and state == PRESENT:
                continue  # a danger fact is present only when its red line says so; its own words add denials
            held = found.get(fact_id)
            if held is None or _RANK[state] > _RANK[held.state]:
                found[fact_id] = Reading(fact_id, state, evidence)
        return {fact.id: found[fact.id] for fact in self.catalogue.facts if fact.id in found}

    def vector(self, readings: dict[str, Reading]) -> list[float]:
        """The risk model's fact inputs (:meth:`Catalogue.feature_names` order) from readings."""
        out = []
        for fact in self.catalogue.facts:
            reading = readings.get(fact.id)
            state = reading.state if reading else None
            out.append(1.0 if state == PRESENT else 0.0)
            if fact.deniable:
                out.append(1.0 if state == DENIED else 0.0)
        return out


def _ruleset_config(ruleset: RuleSet) -> dict:
    """The configuration a rule set was built from (negation, terms, fragments, spelling, belief)."""
    import tomllib
    from importlib import resources
    from pathlib import Path

    if ruleset.source == "callroute/rules/rulesets/redline.toml":
        text = resources.files("callroute.rules").joinpath("rulesets/redline.toml").read_text("utf-8")
    else:
        text = Path(ruleset.source).read_text("utf-8")
    return tomllib.loads(text)
