"""Lexicon lists as regular expressions: ``<<name>>`` placeholders and cue-and-object patterns."""

from __future__ import annotations

import re

from callroute.language import lexicons

_PLACEHOLDER = re.compile(r"<<(\w+)>>")


def lexicon_terms() -> dict[str, list[str]]:
    """The term lists rule patterns name as ``<<name>>`` (language/lexicons/*.toml, both halves)."""
    load = lexicons.load
    categories = load("weapons")["category"]
    uses, violence, requests = load("uses"), load("violence"), load("requests")
    return {
        "weapon": [o for c in categories if not c["needs_cue"] for o in c["objects"]],
        "threat_use": uses["threat_use"],
        "possession": uses["possession"],
        "attack": violence["attack"],
        "victim": violence["victims"],
        "thing": violence["things"],
        "gunfire": violence["gunfire"],
        "threat_verb": violence["threat_verbs"],
        "harm": violence["harms"],
        "self_target": violence["self_targets"],
        "danger": violence["danger"],
        "suicide_active": violence["suicide_active"],
        "request_verb": requests["verbs"],
        "police": requests["police"],
        "distractor": load("weapons")["distractors"]["phrases"],
    }


def cue_object_patterns(window: int) -> list[str]:
    """Cue-and-object patterns for every weapon that needs a cue, in either order within ``window`` words.

    "threatening his mother with a screwdriver", "swinging a bat", "the bat he was swinging",
    "tried to run her over with his car": the cue lists come from each category (weapons.toml).
    """
    uses = lexicons.load("uses")
    groups: dict[tuple[str, ...], list[str]] = {}
    for category in lexicons.load("weapons")["category"]:
        if not category["needs_cue"]:
            continue
        cues = category.get("cues") or [c for name in category.get("cue_lists", ["threat_use"]) for c in uses[name]]
        groups.setdefault(tuple(sorted(set(cues))), []).extend(category["objects"])
    gap = rf"(?:\W+[\w']+){{0,{window}}}?\W+"
    patterns = []
    for cues, objects in groups.items():
        cue, obj = term_pattern(list(cues)), term_pattern(objects)
        patterns += [rf"\b{cue}{gap}{obj}\b", rf"\b{obj}{gap}{cue}\b"]
    return patterns


def term_pattern(terms: list[str]) -> str:
    """A non-capturing alternation of terms, longest first; spaces match any whitespace, hyphens are optional."""
    escaped = []
    for term in sorted(set(terms), key=len, reverse=True):
        words = [re.escape(part).replace("\\-", "[-\\s]?") for part in term.split()]
        escaped.append("\\s+".join(words))
    return "(?:" + "|".join(escaped) + ")"


def expand(pattern: str, terms: dict[str, list[str]]) -> str:
    """Replace every ``<<name>>`` in a rule pattern by the alternation of that lexicon list."""
    def _sub(match: re.Match) -> str:
        name = match.group(1)
        if name not in terms:
            raise ValueError(f"rule pattern names an unknown lexicon list <<{name}>> (known: {', '.join(terms)})")
        return term_pattern(terms[name])

    return _PLACEHOLDER.sub(_sub, pattern)
