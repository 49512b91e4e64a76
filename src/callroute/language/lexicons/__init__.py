"""Lexicons: the ways people say each fact a router cares about, as TOML data (see each file's header).

The red-line rules read every entry; the generator writes calls with one half of each list
(``half="A"`` for training data, ``"B"`` for the unseen-wording evaluation): entries at even
positions are half A, odd positions half B, so the halves are disjoint by construction.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Literal

Half = Literal["A", "B", "all"]
NAMES = ("weapons", "uses", "violence", "requests", "people", "phrases", "openers", "function_words", "negation")


@cache
def load(name: str) -> dict:
    """One lexicon file, parsed (``name`` without ``.toml``)."""
    if name not in NAMES:
        raise KeyError(f"no lexicon {name!r} (lexicons: {', '.join(NAMES)})")
    return tomllib.loads(resources.files(__package__).joinpath(f"{name}.toml").read_text("utf-8"))


def half(entries: list, which: Half) -> list:
    """The entries of one half: A = even positions, B = odd positions, all = every entry."""
    if which == "all":
        return list(entries)
    return list(entries[0 if which == "A" else 1 :: 2])


def weapon_objects(which: Half = "all") -> list[tuple[str, str, bool]]:
    """(object, NIBRS category, needs a use cue) for every weapon of the half."""
    return [(obj, category["nibrs"], bool(category["needs_cue"]))
            for category in load("weapons")["category"] for obj in half(category["objects"], which)]
