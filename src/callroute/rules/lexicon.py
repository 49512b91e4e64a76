"""Lexicon lists as regular expressions: ``<<name>>`` placeholders and cue-and-object patterns."""

from __future__ import annotations

import re

from callroute.language import lexicons

_PLACEHOLDER = re.compile(r"<<(\w+)>>")
_FRAGMENT = re.compile(r"\{\{(\w+)\}\}")


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
        "victim": violence["victims"] + _named_people(),
        "thing": violence["things"],
        "gunfire": violence["gunfire"],
        "threat_verb": violence["threat_verbs"],
        "harm": violence["harms"],
        "self_target": violence["self_targets"],
        "danger": violence["danger"],
        "suicide_active": violence["suicide_active"],
        "request_verb": requests["verbs"],
        "police": requests["police"],
        # A red-line word inside these is not the fact: "gun shop", "water pistol", "fighting cancer".
        "distractor": load("weapons")["distractors"]["phrases"] + [p for p, _ in violence["not_violence"]],
    }


def _named_people() -> list[str]:
    """A person named by relation ("my cousin", "his landlord", "the roommate"): a victim like "my mom"."""
    people = lexicons.load("people")
    words = {word for pair in (*people["kin"], *people["acquaintances"]) for word in pair}
    owners = ("my", "his", "her", "their", "our", "your", "the")
    return [f"{owner} {word}" for owner in owners for word in sorted(words)]


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
    """One regular expression matching any of the terms: spaces match any whitespace, hyphens are optional.

    The terms are merged into a prefix tree ("hunting knife|hunting rifle" -> "hunting, then knife or rifle"),
    so the regex engine tests each position against a few letters instead of hundreds of alternatives:
    the same strings match, about ten times faster. Where terms share a start, the longer one is tried
    first, as a longest-first alternation would.
    """
    return _trie_pattern(_atoms(term.lower()) for term in set(terms))


def literal_pattern(strings: set[str]) -> str:
    """A prefix-tree regular expression matching exactly the given literal strings."""
    return _trie_pattern([re.escape(ch) for ch in text] for text in strings)


def _trie_pattern(sequences) -> str:
    root: dict = {}
    for atoms in sequences:
        node = root
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[_END] = {}
    return "(?:" + _render(root) + ")"


_END = ""


def _atoms(term: str) -> list[str]:
    """A term as regex atoms: escaped letters, any whitespace between words, hyphen or space optional for "-"."""
    atoms: list[str] = []
    for i, word in enumerate(term.split()):
        if i:
            atoms.append("\\s+")
        atoms += ["[-\\s]?" if ch == "-" else re.escape(ch) for ch in word]
    return atoms


def _longest(node: dict) -> int:
    return max((1 + _longest(child) for atom, child in node.items() if atom != _END), default=0)


def _render(node: dict) -> str:
    branches = sorted((a for a in node if a != _END), key=lambda a: (-_longest(node[a]), a))
    alternatives = [atom + _render(node[atom]) for atom in branches] + ([""] if _END in node else [])
    if len(alternatives) == 1:
        return alternatives[0]
    if alternatives[-1] == "" and len(alternatives) == 2:
        inner = alternatives[0]
        return f"(?:{inner})?"
    return "(?:" + "|".join(alternatives) + ")"


def expand(pattern: str, terms: dict[str, list[str]], fragments: dict[str, str] | None = None) -> str:
    """Replace every ``{{name}}`` in a rule pattern by that shared fragment, then every ``<<name>>`` list.

    A ``<<name>>`` becomes the alternation of that lexicon list; a fragment may itself name lists.
    """
    fragments = fragments or {}

    def _fragment(match: re.Match) -> str:
        name = match.group(1)
        if name not in fragments:
            raise ValueError(f"rule pattern names an unknown fragment {{{{{name}}}}} (known: {', '.join(fragments)})")
        return fragments[name]

    pattern = _FRAGMENT.sub(_fragment, pattern)

    def _sub(match: re.Match) -> str:
        name = match.group(1)
        if name not in terms:
            raise ValueError(f"rule pattern names an unknown lexicon list <<{name}>> (known: {', '.join(terms)})")
        return term_pattern(terms[name])

    return _PLACEHOLDER.sub(_sub, pattern)
