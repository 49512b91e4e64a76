"""Golden calls: hand-written narratives with the route (and facts) a dispatcher expects, kept as data.

An agency's review board writes calls like these to judge a model on language its history never held; the
project keeps its own in ``tests/fixtures/handwritten/calls.csv``. One CSV, one row a call:

* ``id``: stable (a hash of group and narrative); ``group``: the list the call belongs to (what it tests);
* ``split``: ``dev`` (rules and models may be tuned on it) or ``held_out`` (nothing is tuned on it; fixed by
  a hash of the narrative, so adding calls never moves one across);
* ``register``: how it is written (``cad``, ``plain``, ``text``, ``report``, ``transcript``, ``spanish``);
* ``expected_route``: ``police``, ``crisis_team`` or ``any`` (no route expected, e.g. a medical flag);
* ``expected_rule``: the red line that must fire, when one is named; ``textbook``: ``yes`` for a plain crisis
  call with no trap in it (the target "at least 90% to the crisis team" is measured on these);
* ``facts``: situation facts judged by hand, ``id=state`` separated by ``;`` (``weapon.present=present``,
  ``noise=absent``: the call does not state it). Judged so far: a sample of the fact reader's present readings
  on the held-out half (issue 22), which measures precision, not recall.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

COLUMNS = ("id", "group", "split", "register", "expected_route", "expected_rule", "textbook", "facts", "narrative")
ROUTES = frozenset({"police", "crisis_team", "any"})
SPLITS = frozenset({"dev", "held_out"})
FACT_STATES = ("present", "denied", "unknown", "absent")


@dataclass(frozen=True)
class GoldenCall:
    """One hand-written call and what a dispatcher expects of it."""

    id: str
    group: str
    split: str
    register: str
    expected_route: str
    expected_rule: str
    textbook: bool
    facts: dict[str, str]
    narrative: str


class GoldenCalls:
    """The calls of one golden file, in file order."""

    def __init__(self, calls: list[GoldenCall]) -> None:
        self.calls = calls

    @classmethod
    def read(cls, path: Path) -> GoldenCalls:
        """Read and check a golden file; a malformed row is an error naming its line and what is wrong."""
        calls: list[GoldenCall] = []
        seen: set[str] = set()
        with Path(path).open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise ValueError(f"{path}: missing columns {missing}")
            for line, row in enumerate(reader, start=2):
                problem = _problem(row, seen)
                if problem:
                    raise ValueError(f"{path}, line {line}: {problem}")
                seen.add(row["id"])
                calls.append(GoldenCall(
                    id=row["id"], group=row["group"], split=row["split"], register=row["register"],
                    expected_route=row["expected_route"], expected_rule=row["expected_rule"],
                    textbook=row["textbook"] == "yes", facts=parse_facts(row["facts"]), narrative=row["narrative"],
                ))
        return cls(calls)

    def __iter__(self) -> Iterator[GoldenCall]:
        return iter(self.calls)

    def __len__(self) -> int:
        return len(self.calls)

    def group(self, name: str) -> list[GoldenCall]:
        """The calls of one group, in file order; an unknown group is an error (a typo would test nothing)."""
        found = [c for c in self.calls if c.group == name]
        if not found:
            raise KeyError(f"no golden calls in group {name!r}")
        return found

    def narratives(self, name: str) -> list[str]:
        """The narratives of one group."""
        return [c.narrative for c in self.group(name)]

    def rule_cases(self, name: str) -> list[tuple[str, str]]:
        """(narrative, rule id) of one group whose calls each name the rule that must fire."""
        return [(c.narrative, c.expected_rule) for c in self.group(name)]

    def split(self, name: str) -> GoldenCalls:
        """The calls of one split (``dev`` or ``held_out``)."""
        if name not in SPLITS:
            raise ValueError(f"split must be one of {sorted(SPLITS)}, not {name!r}")
        return GoldenCalls([c for c in self.calls if c.split == name])


def new_call(group: str, narrative: str, expected_route: str, *, register: str = "plain", expected_rule: str = "",
             textbook: bool = False, facts: str = "") -> dict[str, str]:
    """A row for a new hand-written call: its id from group and narrative, its split from the narrative alone.

    The split is fixed by the narrative's hash (odd second byte: held out), so the same call always falls in the
    same half, whoever adds it and in whatever order.
    """
    digest = hashlib.sha256(narrative.encode()).hexdigest()
    return {
        "id": "hw-" + hashlib.sha256((group + "\0" + narrative).encode()).hexdigest()[:10],
        "group": group, "split": "held_out" if int(digest[10:12], 16) % 2 else "dev", "register": register,
        "expected_route": expected_route, "expected_rule": expected_rule, "textbook": "yes" if textbook else "",
        "facts": facts, "narrative": narrative,
    }


def append_calls(path: Path, rows: list[dict[str, str]]) -> None:
    """Add rows to a golden file (checked by reading the whole file back)."""
    with Path(path).open("a", newline="", encoding="utf-8") as handle:
        csv.DictWriter(handle, COLUMNS).writerows(rows)
    GoldenCalls.read(path)


def parse_facts(text: str) -> dict[str, str]:
    """``weapon.present=present;violence.now=denied;noise=absent`` -> {fact id: state}; empty text -> {}.

    ``absent``: a reader judged the call not to state the fact at all (neither present, denied nor in doubt).
    """
    facts: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(";"))):
        fact, sep, state = item.partition("=")
        if not sep or not fact.strip() or state.strip() not in FACT_STATES:
            raise ValueError(f"fact {item!r} is not id=present|denied|unknown|absent")
        facts[fact.strip()] = state.strip()
    return facts


def _problem(row: dict, seen: set[str]) -> str | None:
    if not row["id"] or row["id"] in seen:
        return f"id {row['id']!r} is empty or repeated"
    if not (row["narrative"] or "").strip():
        return "empty narrative"
    if row["split"] not in SPLITS:
        return f"split {row['split']!r} is not one of {sorted(SPLITS)}"
    if row["expected_route"] not in ROUTES:
        return f"expected_route {row['expected_route']!r} is not one of {sorted(ROUTES)}"
    if row["textbook"] not in ("", "yes"):
        return f"textbook {row['textbook']!r} is not 'yes' or empty"
    try:
        parse_facts(row["facts"] or "")
    except ValueError as error:
        return str(error)
    return None
